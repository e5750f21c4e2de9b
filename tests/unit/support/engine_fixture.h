/*
 * Helpers for engine tests: an engine with an open management session, and
 * short ways to build sublayers, callouts, conditions, filters and flow keys
 * through the real Fwpm and Fwps calls.
 */
#ifndef OWFP_TEST_ENGINE_FIXTURE_H
#define OWFP_TEST_ENGINE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

typedef struct efx {
	owfp_engine *engine;
	HANDLE h;
	int device; /* stands in for the driver's DEVICE_OBJECT */
} efx;

void efx_up(efx *x);
void efx_down(efx *x);

/* A deterministic GUID per number (never all zeros). */
GUID efx_guid(uint32_t n);

void efx_sublayer(efx *x, const GUID *key, UINT16 weight);
/* FwpmCalloutAdd0 at `layer`; returns the id. */
UINT32 efx_callout_add(efx *x, const GUID *key, const GUID *layer);
/* FwpsCalloutRegister3; returns the status, id in *id if not NULL. */
NTSTATUS efx_register(efx *x, const GUID *key, UINT32 flags, FWPS_CALLOUT_CLASSIFY_FN3 classify,
		      FWPS_CALLOUT_NOTIFY_FN3 notify, UINT32 *id);

/* A condition whose value storage lives in the fixture's arena. */
FWPM_FILTER_CONDITION0 efx_c_u8(const GUID *field, FWP_MATCH_TYPE m, UINT8 v);
FWPM_FILTER_CONDITION0 efx_c_u16(const GUID *field, FWP_MATCH_TYPE m, UINT16 v);
FWPM_FILTER_CONDITION0 efx_c_u32(const GUID *field, FWP_MATCH_TYPE m, UINT32 v);
FWPM_FILTER_CONDITION0 efx_c_range16(const GUID *field, UINT16 lo, UINT16 hi);
FWPM_FILTER_CONDITION0 efx_c_range32(const GUID *field, UINT32 lo, UINT32 hi);
FWPM_FILTER_CONDITION0 efx_c_v4mask(const GUID *field, FWP_MATCH_TYPE m, UINT32 addr, UINT32 mask);
FWPM_FILTER_CONDITION0 efx_c_v6(const GUID *field, FWP_MATCH_TYPE m, const uint8_t addr[16]);
FWPM_FILTER_CONDITION0 efx_c_v6prefix(const GUID *field, const uint8_t addr[16], UINT8 len);
FWPM_FILTER_CONDITION0 efx_c_range_v6(const GUID *field, const uint8_t lo[16], const uint8_t hi[16]);
/* Frees every value made by efx_c_* since the last call. */
void efx_arena_free(void);

/* A filter template: layer, sublayer (zero = default), action, no conditions. */
FWPM_FILTER0 efx_filter(const GUID *layer, const GUID *sublayer, FWP_ACTION_TYPE action);
/* FwpmFilterAdd0; returns the status, the id in *id if not NULL. */
NTSTATUS efx_add(efx *x, const FWPM_FILTER0 *f, UINT64 *id);

/* Flow keys; addresses as dotted quads / host-order integers. */
owfp_flow_key efx_key4(UINT32 local, UINT16 lport, UINT32 remote, UINT16 rport, bool outbound);
owfp_flow_key efx_key6(const uint8_t local[16], UINT16 lport, const uint8_t remote[16],
		       UINT16 rport, bool outbound);

/* Stage filter ids of a stream match, in order; returns the count. */
size_t efx_match_ids(efx *x, const owfp_flow_key *k, UINT64 *ids, size_t max);

#endif
