/*
 * Filters that can never run: a filter is shadowed when, in its own layer
 * and sublayer, a filter ordered before it always decides (so arbitration
 * never reaches the rest of the sublayer) for every connection the
 * shadowed filter matches. For `openwfp check-config` and the proxy's
 * start and reload warnings; the rule is in docs/semantics.md ("Shadowed
 * filters").
 *
 * Conservative by design: a pair is reported only when the cover is proved
 * from the conditions and the first filter decides whatever its callout
 * answers. Anything the analysis cannot decide counts as "may run".
 * Reads the published snapshot, so it never waits for a writer.
 */
#ifndef OWFP_ENGINE_SHADOW_H
#define OWFP_ENGINE_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

typedef struct owfp_shadow {
	const char *layer;  /* "stream_v4", "stream_v6", "ale_flow_established_v4", ... */
	uint64_t id;        /* the filter that never runs */
	uint64_t by_id;     /* the first filter before it that always decides and covers it */
	uint32_t by_action; /* FWP_ACTION_TYPE of by_id */
} owfp_shadow;

/*
 * Every shadowed committed filter, per layer in arbitration order, each
 * with the first filter that shadows it. Free *out with free(). Returns 0
 * or -ENOMEM. *truncated is set when a layer had more filter pairs than the
 * check looks at (OWFP_SHADOW_MAX_PAIRS); the pairs after that are not
 * reported.
 */
#define OWFP_SHADOW_MAX_PAIRS (1u << 24)
int owfp_engine_shadowed(owfp_engine *engine, owfp_shadow **out, size_t *n, bool *truncated);

#endif /* OWFP_ENGINE_SHADOW_H */
