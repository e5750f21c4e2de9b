/*
 * Effective filter weights (S85, Q20). The automatic part ranks more
 * specific filters first (more distinct condition fields) and, among equals,
 * earlier filters first:
 *   low 60 bits = (distinct condition fields << 52) | (2^52 - 1 - ordinal)
 */
#include "engine/engine_internal.h"

#define ORDINAL_BITS 52

NTSTATUS owfp_weight_check(const FWP_VALUE0 *w)
{
	switch (w->type) {
	case FWP_EMPTY:
		return STATUS_SUCCESS;
	case FWP_UINT8:
		return w->uint8 <= FWPM_WEIGHT_RANGE_MAX ? STATUS_SUCCESS : STATUS_FWP_INVALID_WEIGHT;
	case FWP_UINT64:
		return w->uint64 ? STATUS_SUCCESS : STATUS_FWP_INVALID_WEIGHT;
	default:
		return STATUS_FWP_INVALID_WEIGHT;
	}
}

UINT64 owfp_weight_auto(unsigned distinct_fields, UINT64 ordinal)
{
	UINT64 mask = ((UINT64)1 << ORDINAL_BITS) - 1;

	return ((UINT64)(distinct_fields & 0xff) << ORDINAL_BITS) | (mask - (ordinal & mask));
}

/* Call only after owfp_weight_check() accepted `w`. */
UINT64 owfp_weight_effective(const FWP_VALUE0 *w, unsigned distinct_fields, UINT64 ordinal)
{
	switch (w->type) {
	case FWP_UINT8:
		return (UINT64)w->uint8 << FWPM_AUTO_WEIGHT_BITS |
		       owfp_weight_auto(distinct_fields, ordinal);
	case FWP_UINT64:
		return *w->uint64;
	default:
		return owfp_weight_auto(distinct_fields, ordinal);
	}
}
