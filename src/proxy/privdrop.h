/* Dropping root after setup (openwfp proxy --user). */
#ifndef OWFP_PROXY_PRIVDROP_H
#define OWFP_PROXY_PRIVDROP_H

#include "openwfp/openwfp.h"

/* Switches every thread to USER's uid, gid and groups for good; fills err. */
int owfp_proxy_drop_privileges(const char *user, owfp_error *err);

#endif
