/*
 * A deliberately simple reference for stream-layer matching and arbitration
 * order: evaluate every filter's management conditions directly against the
 * flow key, then sort the matches with qsort. Tests compare the engine's
 * indexed, compiled result against it.
 */
#ifndef OWFP_TEST_NAIVE_ARBITRATION_H
#define OWFP_TEST_NAIVE_ARBITRATION_H

#include <stddef.h>

#include "engine/engine.h"

typedef struct naive_filter {
	UINT64 id;
	UINT16 sublayer_weight;
	GUID sublayer_key;
	UINT64 weight; /* effective */
	const FWPM_FILTER_CONDITION0 *conds;
	UINT32 nconds;
	bool disabled;
} naive_filter;

/* Q20, written out independently. */
UINT64 naive_auto_weight(const FWPM_FILTER_CONDITION0 *conds, UINT32 n, UINT64 ordinal);
bool naive_filter_matches(const naive_filter *f, const owfp_flow_key *k);
/* Ids of the matching filters in arbitration order; returns the count. */
size_t naive_match(const naive_filter *f, size_t n, const owfp_flow_key *k, UINT64 *ids);

#endif
