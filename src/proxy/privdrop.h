/* Dropping root after setup (openwfp proxy --user). */
#ifndef OWFP_PROXY_PRIVDROP_H
#define OWFP_PROXY_PRIVDROP_H

#include <stdbool.h>

#include "openwfp/openwfp.h"

/* Switches every thread to USER's uid, gid and groups for good; fills err.
 * With KEEP_NET_CAPS the calling thread (and the threads it starts later)
 * keeps CAP_NET_ADMIN and CAP_NET_RAW and nothing else; without it no
 * thread keeps any capability. */
int owfp_proxy_drop_privileges(const char *user, bool keep_net_caps, owfp_error *err);

#endif
