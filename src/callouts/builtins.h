/* The built-in callouts (one file each) and what tests may read of them. */
#ifndef OWFP_CALLOUTS_BUILTINS_H
#define OWFP_CALLOUTS_BUILTINS_H

#include <stdint.h>

#include "openwfp/openwfp.h"

extern const owfp_builtin owfp_builtin_count;
extern const owfp_builtin owfp_builtin_stream_edit;
extern const owfp_builtin owfp_builtin_http_filter;
extern const owfp_builtin owfp_builtin_tls_sni_filter;
extern const owfp_builtin owfp_builtin_pattern_match;
extern const owfp_builtin owfp_builtin_rate_limit;
extern const owfp_builtin owfp_builtin_flow_log;

/* The filter action a built-in is written for, as the configuration spells
 * it: "callout_inspection" (count, flow_log) or "callout_terminating". */
const char *owfp_builtin_filter_action(const char *name);

/* count: bytes seen per direction (OWFP_DIR_*), summed over all flows. */
void owfp_count_totals(void *instance, uint64_t out[2]);

#endif
