/* The built-in callouts by name (registry.c; one file each) and what tests
 * may read of them. How a built-in is written: kit.h. */
#ifndef OWFP_CALLOUTS_REGISTRY_H
#define OWFP_CALLOUTS_REGISTRY_H

#include <stdint.h>

#include "openwfp/openwfp.h"

extern const owfp_builtin owfp_builtin_count;
extern const owfp_builtin owfp_builtin_stream_edit;
extern const owfp_builtin owfp_builtin_http_filter;
extern const owfp_builtin owfp_builtin_tls_sni_filter;
extern const owfp_builtin owfp_builtin_pattern_match;
extern const owfp_builtin owfp_builtin_rate_limit;
extern const owfp_builtin owfp_builtin_flow_log;

/* The filter action the built-in `name` is written for (its filter_action),
 * as the configuration spells it. */
const char *owfp_builtin_filter_action(const char *name);

/* count: bytes seen per direction (OWFP_DIR_*), summed over all flows. */
void owfp_count_totals(void *instance, uint64_t out[2]);

#endif
