/* Engine test helpers (see engine_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void **arena;
static size_t narena, caparena;

static void *keep(void *p)
{
	if (narena == caparena) {
		caparena = caparena ? caparena * 2 : 64;
		arena = realloc(arena, sizeof(*arena) * caparena);
		assert_non_null(arena);
	}
	assert_non_null(p);
	arena[narena++] = p;
	return p;
}

void efx_arena_free(void)
{
	for (size_t i = 0; i < narena; i++)
		free(arena[i]);
	free(arena);
	arena = NULL;
	narena = caparena = 0;
}

void efx_up(efx *x)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(owfp_engine_create(NULL, &x->engine), 0);
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &x->h), STATUS_SUCCESS);
}

void efx_down(efx *x)
{
	assert_int_equal(FwpmEngineClose0(x->h), STATUS_SUCCESS);
	owfp_engine_destroy(x->engine);
	efx_arena_free();
}

GUID efx_guid(uint32_t n)
{
	GUID g = {0x5e57ab1e, 0x1234, 0x4321, {0x80, 0, 0, 0, 0, 0, 0, 0}};

	g.Data4[4] = (UINT8)(n >> 24);
	g.Data4[5] = (UINT8)(n >> 16);
	g.Data4[6] = (UINT8)(n >> 8);
	g.Data4[7] = (UINT8)n;
	return g;
}

void efx_sublayer(efx *x, const GUID *key, UINT16 weight)
{
	FWPM_SUBLAYER0 s;

	memset(&s, 0, sizeof(s));
	s.subLayerKey = *key;
	s.weight = weight;
	assert_int_equal(FwpmSubLayerAdd0(x->h, &s, NULL), STATUS_SUCCESS);
}

UINT32 efx_callout_add(efx *x, const GUID *key, const GUID *layer)
{
	FWPM_CALLOUT0 c;
	UINT32 id = 0;

	memset(&c, 0, sizeof(c));
	c.calloutKey = *key;
	c.applicableLayer = *layer;
	assert_int_equal(FwpmCalloutAdd0(x->h, &c, NULL, &id), STATUS_SUCCESS);
	assert_true(id != 0);
	return id;
}

NTSTATUS efx_register(efx *x, const GUID *key, UINT32 flags, FWPS_CALLOUT_CLASSIFY_FN3 classify,
		      FWPS_CALLOUT_NOTIFY_FN3 notify, UINT32 *id)
{
	FWPS_CALLOUT3 c;

	memset(&c, 0, sizeof(c));
	c.calloutKey = *key;
	c.flags = flags;
	c.classifyFn = classify;
	c.notifyFn = notify;
	return FwpsCalloutRegister3(&x->device, &c, id);
}

static FWPM_FILTER_CONDITION0 cond(const GUID *field, FWP_MATCH_TYPE m, FWP_DATA_TYPE t)
{
	FWPM_FILTER_CONDITION0 c;

	memset(&c, 0, sizeof(c));
	c.fieldKey = *field;
	c.matchType = m;
	c.conditionValue.type = t;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_u8(const GUID *field, FWP_MATCH_TYPE m, UINT8 v)
{
	FWPM_FILTER_CONDITION0 c = cond(field, m, FWP_UINT8);

	c.conditionValue.uint8 = v;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_u16(const GUID *field, FWP_MATCH_TYPE m, UINT16 v)
{
	FWPM_FILTER_CONDITION0 c = cond(field, m, FWP_UINT16);

	c.conditionValue.uint16 = v;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_u32(const GUID *field, FWP_MATCH_TYPE m, UINT32 v)
{
	FWPM_FILTER_CONDITION0 c = cond(field, m, FWP_UINT32);

	c.conditionValue.uint32 = v;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_range16(const GUID *field, UINT16 lo, UINT16 hi)
{
	FWPM_FILTER_CONDITION0 c = cond(field, FWP_MATCH_RANGE, FWP_RANGE_TYPE);
	FWP_RANGE0 *r = keep(calloc(1, sizeof(*r)));

	r->valueLow.type = r->valueHigh.type = FWP_UINT16;
	r->valueLow.uint16 = lo;
	r->valueHigh.uint16 = hi;
	c.conditionValue.rangeValue = r;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_range32(const GUID *field, UINT32 lo, UINT32 hi)
{
	FWPM_FILTER_CONDITION0 c = cond(field, FWP_MATCH_RANGE, FWP_RANGE_TYPE);
	FWP_RANGE0 *r = keep(calloc(1, sizeof(*r)));

	r->valueLow.type = r->valueHigh.type = FWP_UINT32;
	r->valueLow.uint32 = lo;
	r->valueHigh.uint32 = hi;
	c.conditionValue.rangeValue = r;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_v4mask(const GUID *field, FWP_MATCH_TYPE m, UINT32 addr, UINT32 mask)
{
	FWPM_FILTER_CONDITION0 c = cond(field, m, FWP_V4_ADDR_MASK);
	FWP_V4_ADDR_AND_MASK *am = keep(malloc(sizeof(*am)));

	am->addr = addr;
	am->mask = mask;
	c.conditionValue.v4AddrMask = am;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_v6(const GUID *field, FWP_MATCH_TYPE m, const uint8_t addr[16])
{
	FWPM_FILTER_CONDITION0 c = cond(field, m, FWP_BYTE_ARRAY16_TYPE);
	FWP_BYTE_ARRAY16 *a = keep(malloc(sizeof(*a)));

	memcpy(a->byteArray16, addr, 16);
	c.conditionValue.byteArray16 = a;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_v6prefix(const GUID *field, const uint8_t addr[16], UINT8 len)
{
	FWPM_FILTER_CONDITION0 c = cond(field, FWP_MATCH_EQUAL, FWP_V6_ADDR_MASK);
	FWP_V6_ADDR_AND_MASK *am = keep(malloc(sizeof(*am)));

	memcpy(am->addr, addr, 16);
	am->prefixLength = len;
	c.conditionValue.v6AddrMask = am;
	return c;
}

FWPM_FILTER_CONDITION0 efx_c_range_v6(const GUID *field, const uint8_t lo[16], const uint8_t hi[16])
{
	FWPM_FILTER_CONDITION0 c = cond(field, FWP_MATCH_RANGE, FWP_RANGE_TYPE);
	FWP_RANGE0 *r = keep(calloc(1, sizeof(*r)));

	r->valueLow.type = r->valueHigh.type = FWP_BYTE_ARRAY16_TYPE;
	r->valueLow.byteArray16 = keep(malloc(sizeof(FWP_BYTE_ARRAY16)));
	r->valueHigh.byteArray16 = keep(malloc(sizeof(FWP_BYTE_ARRAY16)));
	memcpy(r->valueLow.byteArray16->byteArray16, lo, 16);
	memcpy(r->valueHigh.byteArray16->byteArray16, hi, 16);
	c.conditionValue.rangeValue = r;
	return c;
}

FWPM_FILTER0 efx_filter(const GUID *layer, const GUID *sublayer, FWP_ACTION_TYPE action)
{
	FWPM_FILTER0 f;

	memset(&f, 0, sizeof(f));
	f.layerKey = *layer;
	if (sublayer)
		f.subLayerKey = *sublayer;
	f.action.type = action;
	f.weight.type = FWP_EMPTY;
	return f;
}

NTSTATUS efx_add(efx *x, const FWPM_FILTER0 *f, UINT64 *id)
{
	return FwpmFilterAdd0(x->h, f, NULL, id);
}

static void put4(uint8_t *p, UINT32 a)
{
	p[0] = (uint8_t)(a >> 24);
	p[1] = (uint8_t)(a >> 16);
	p[2] = (uint8_t)(a >> 8);
	p[3] = (uint8_t)a;
}

owfp_flow_key efx_key4(UINT32 local, UINT16 lport, UINT32 remote, UINT16 rport, bool outbound)
{
	owfp_flow_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	put4(k.local_addr, local);
	put4(k.remote_addr, remote);
	k.local_port = lport;
	k.remote_port = rport;
	k.outbound = outbound;
	return k;
}

owfp_flow_key efx_key6(const uint8_t local[16], UINT16 lport, const uint8_t remote[16],
		       UINT16 rport, bool outbound)
{
	owfp_flow_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET6;
	memcpy(k.local_addr, local, 16);
	memcpy(k.remote_addr, remote, 16);
	k.local_port = lport;
	k.remote_port = rport;
	k.outbound = outbound;
	return k;
}

size_t efx_match_ids(efx *x, const owfp_flow_key *k, UINT64 *ids, size_t max)
{
	owfp_match *m = NULL;
	size_t n;

	assert_int_equal(owfp_engine_match_stream(x->engine, k, UINT64_MAX, &m), 0);
	n = m->nstages;
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++)
		ids[i] = m->stages[i].filter.filterId;
	owfp_match_release(m);
	return n;
}
