/* openwfp native API: placeholder, replaced by the real header. */
#ifndef OPENWFP_OPENWFP_H
#define OPENWFP_OPENWFP_H
#define OWFP_VERSION_STRING "0.1.0"
const char *owfp_version(void);
#endif
