/* Internal to src/config: apply helpers shared with tests. */
#ifndef OWFP_CONFIG_APPLY_H
#define OWFP_CONFIG_APPLY_H

#include "config/config.h"
#include "openwfp/ntdef.h"

/* "STATUS_FWP_INVALID_WEIGHT" and the like, or "NTSTATUS" if unknown. */
const char *owfp_config_status_name(NTSTATUS st);

#endif
