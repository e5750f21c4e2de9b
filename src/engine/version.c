/* The library's version string, for `openwfp --version` and plugins. */
#include "openwfp/openwfp.h"

const char *owfp_version(void)
{
	return OWFP_VERSION_STRING;
}
