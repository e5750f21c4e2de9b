/*
 * A read-only listing of the committed filters, for management tools
 * (`openwfp filters list` through the proxy's control socket). Reads the
 * published snapshot, so it never waits for a writer.
 */
#ifndef OWFP_ENGINE_FILTER_LIST_H
#define OWFP_ENGINE_FILTER_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

typedef struct owfp_filter_info {
	uint64_t id;
	char name[96];
	const char *layer;       /* "stream_v4", "stream_v6", "ale_flow_established_v4", ... */
	uint16_t sublayer_weight;
	uint64_t weight;         /* effective weight */
	uint32_t action_type;    /* FWP_ACTION_TYPE */
	uint32_t callout_id;     /* 0 unless a callout action */
	char callout[96];        /* the callout's name, or "" */
	uint32_t nconditions;
} owfp_filter_info;

/* Every committed filter, per layer in arbitration order. Free *out with free(). */
int owfp_engine_filters_list(owfp_engine *engine, owfp_filter_info **out, size_t *n);

#endif /* OWFP_ENGINE_FILTER_LIST_H */
