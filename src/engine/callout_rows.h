/*
 * What is configured now, per callout, for `openwfp stats`: one row per
 * callout added with FwpmCalloutAdd0 and not deleted, the rows of one
 * display name at different layers joined into one (a built-in, or a
 * driver, adds one callout per family under one name), their counters
 * summed. Callouts deleted by a reload and callouts registered but never
 * added (no filter can name them) have no row. Engine-wide counters are in
 * owfp_engine_stats_get.
 */
#ifndef OWFP_ENGINE_CALLOUT_ROWS_H
#define OWFP_ENGINE_CALLOUT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

typedef struct owfp_callout_row {
	char name[96];         /* display name (UTF-8), or the key when it has none */
	const char *layers[4]; /* "stream_v4", "stream_v6", "ale_flow_established_v4", ... */
	uint32_t ids[4];       /* run-time callout ids, one per layer */
	size_t nlayers;
	owfp_callout_stats sum; /* counters summed over ids; sum.callout_id = ids[0] */
} owfp_callout_row;

/* Rows in the order their first callout got its id (the configuration's
 * order). Free *out with free(). 0 or -ENOMEM. */
int owfp_engine_callout_rows(owfp_engine *engine, owfp_callout_row **out, size_t *n);

#endif /* OWFP_ENGINE_CALLOUT_ROWS_H */
