/*
 * S87/S88/S103 with the match cache (docs/semantics.md "Match cache"): a
 * match answered from the cache is exactly the full walk's, for seeded
 * random filter sets at the stream and ALE_FLOW_ESTABLISHED layers, random
 * values drawn from small pools (so entries are hit, and collide), OR
 * groups, disabled filters, ALE_APP_ID (a field the cache does not key on)
 * and flows older than some filters (S81). And a change is seen by the
 * next flow: a filter added, deleted, or a callout registered after a match
 * was cached.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "engine/engine_internal.h"
#include "engine_fixture.h"
#include "test_rng.h"

#define SETS 400
#define MAX_FILTERS 30
#define LOOKUPS 60

static struct rng rng_state;

static unsigned pick(unsigned n)
{
	return below(&rng_state, n);
}

static const UINT16 ports[] = {80, 443, 1000, 40000, 65535};
static const UINT32 v4s[] = {0x0a000001, 0x0a000002, 0x0a0000ff, 0xc0a80101};
static const uint8_t v6s[3][16] = {
	{0x20, 0x01, 0x0d, 0xb8, [15] = 1},
	{0x20, 0x01, 0x0d, 0xb8, [15] = 2},
	{0xfe, 0x80, [15] = 9},
};
static const char *const paths[] = {"/usr/bin/curl", "/usr/bin/wget"};

static FWPM_FILTER_CONDITION0 random_cond(bool v6, bool ale, const GUID *prev)
{
	static const GUID *fields[10];
	const GUID *f;

	fields[0] = &FWPM_CONDITION_IP_LOCAL_PORT;
	fields[1] = &FWPM_CONDITION_IP_REMOTE_PORT;
	fields[2] = &FWPM_CONDITION_IP_LOCAL_ADDRESS;
	fields[3] = &FWPM_CONDITION_IP_REMOTE_ADDRESS;
	fields[4] = &FWPM_CONDITION_DIRECTION;
	fields[5] = &FWPM_CONDITION_FLAGS;
	fields[6] = &FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE;
	fields[7] = &FWPM_CONDITION_COMPARTMENT_ID;
	fields[8] = &FWPM_CONDITION_IP_PROTOCOL;
	fields[9] = &FWPM_CONDITION_ALE_APP_ID;
	/* Same field as the previous condition now and then: an OR group. */
	f = prev && pick(3) == 0 ? prev : fields[pick(ale ? 10 : 8)];
	for (int i = 0; i < 10; i++)
		if (IsEqualGUID(f, fields[i]))
			f = fields[i];
	if (f == fields[0] || f == fields[1]) {
		UINT16 a = ports[pick(5)], b = ports[pick(5)];

		if (pick(4) == 0)
			return efx_c_range16(f, a < b ? a : b, a < b ? b : a);
		return efx_c_u16(f, pick(3) ? FWP_MATCH_EQUAL : FWP_MATCH_GREATER, a);
	}
	if (f == fields[2] || f == fields[3]) {
		if (v6)
			return pick(2) ? efx_c_v6(f, FWP_MATCH_EQUAL, v6s[pick(3)])
				       : efx_c_v6prefix(f, v6s[pick(3)], (UINT8)(pick(2) ? 64 : 16));
		return pick(2) ? efx_c_u32(f, FWP_MATCH_EQUAL, v4s[pick(4)])
			       : efx_c_v4mask(f, FWP_MATCH_EQUAL, v4s[pick(4)], 0xffffff00);
	}
	if (f == fields[4])
		return efx_c_u32(f, FWP_MATCH_EQUAL, pick(2));
	if (f == fields[5])
		return efx_c_u32(f, pick(2) ? FWP_MATCH_FLAGS_ANY_SET : FWP_MATCH_FLAGS_NONE_SET,
				 1u << pick(3));
	if (f == fields[6])
		return efx_c_u8(f, FWP_MATCH_EQUAL, (UINT8)pick(3));
	if (f == fields[7])
		return efx_c_u32(f, pick(2) ? FWP_MATCH_EQUAL : FWP_MATCH_NOT_EQUAL, pick(2));
	if (f == fields[8])
		return efx_c_u8(f, FWP_MATCH_EQUAL, pick(2) ? 6 : 17);
	{
		/* ALE_APP_ID: a blob equal to one of the paths' app ids. */
		static FWP_BYTE_BLOB blobs[2];
		static WCHAR w[2][32];
		FWPM_FILTER_CONDITION0 c;
		unsigned p = pick(2);
		size_t i = 0;

		for (; paths[p][i]; i++)
			w[p][i] = (WCHAR)paths[p][i];
		w[p][i] = 0;
		blobs[p].size = (UINT32)((i + 1) * sizeof(WCHAR));
		blobs[p].data = (UINT8 *)w[p];
		memset(&c, 0, sizeof(c));
		c.fieldKey = *f;
		c.matchType = pick(2) ? FWP_MATCH_EQUAL : FWP_MATCH_NOT_EQUAL;
		c.conditionValue.type = FWP_BYTE_BLOB_TYPE;
		c.conditionValue.byteBlob = &blobs[p];
		return c;
	}
}

static owfp_flow_key random_flow(bool v6)
{
	owfp_flow_key k;

	if (v6)
		k = efx_key6(v6s[pick(3)], ports[pick(5)], v6s[pick(3)], ports[pick(5)], pick(2));
	else
		k = efx_key4(v4s[pick(4)], ports[pick(5)], v4s[pick(4)], ports[pick(5)], pick(2));
	k.condition_flags = (UINT32)pick(8);
	k.process_path = pick(3) ? NULL : paths[pick(2)];
	return k;
}

/* Ranks of `slot` for the flow, cache on or off; the layer in *l. */
static size_t ranks_of(efx *x, int slot, const owfp_flow_key *k, bool cached, uint32_t *out,
		       owfp_clayer **l)
{
	FWPS_INCOMING_VALUE0 vals[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX];
	FWP_BYTE_ARRAY16 a, b;
	FWP_BYTE_BLOB app = {0, NULL};
	WCHAR w[32];
	FWPS_INCOMING_VALUES0 in;
	owfp_ranks r;
	long n;

	if (k->process_path) {
		size_t i = 0;

		for (; k->process_path[i]; i++)
			w[i] = (WCHAR)k->process_path[i];
		w[i] = 0;
		app.size = (UINT32)((i + 1) * sizeof(WCHAR));
		app.data = (UINT8 *)w;
	}
	if (slot == OWFP_SLOT_ALE_V4 || slot == OWFP_SLOT_ALE_V6)
		owfp_engine_ale_values(k, vals, &a, &b, &app, &in);
	else
		owfp_engine_stream_values(k, vals, &a, &b, &in);
	owfp_engine_match_cache_set(x->engine, cached);
	owfp_ranks_init(&r);
	n = owfp_engine_match_layer(x->engine, slot, owfp_engine_generation(x->engine), &in, l, &r);
	assert_true(n >= 0 && n <= MAX_FILTERS);
	memcpy(out, r.v, sizeof(*out) * (size_t)n);
	owfp_ranks_fini(&r);
	owfp_engine_match_cache_set(x->engine, true);
	return (size_t)n;
}

/* The stream match with the cache on equals the one with it off. */
static void same_stream_match(efx *x, const owfp_flow_key *k, uint64_t last_id)
{
	owfp_match *want = NULL, *got = NULL;

	owfp_engine_match_cache_set(x->engine, false);
	assert_int_equal(owfp_engine_match_stream(x->engine, k, last_id, &want), 0);
	owfp_engine_match_cache_set(x->engine, true);
	assert_int_equal(owfp_engine_match_stream(x->engine, k, last_id, &got), 0);
	assert_int_equal(got->nstages, want->nstages);
	assert_int_equal(got->nsublayers, want->nsublayers);
	for (size_t i = 0; i < want->nstages; i++) {
		assert_int_equal(got->stages[i].filter.filterId, want->stages[i].filter.filterId);
		assert_int_equal(got->stages[i].sublayer_index, want->stages[i].sublayer_index);
		assert_int_equal(got->stages[i].layer_id, want->stages[i].layer_id);
		assert_ptr_equal(got->stages[i].callout, want->stages[i].callout);
		assert_int_equal(got->stages[i].added_after_flow, want->stages[i].added_after_flow);
	}
	owfp_match_release(want);
	owfp_match_release(got);
}

static void run_set(void)
{
	efx x;
	bool v6 = pick(3) == 0, ale = pick(2);
	int slot = ale ? (v6 ? OWFP_SLOT_ALE_V6 : OWFP_SLOT_ALE_V4)
		       : (v6 ? OWFP_SLOT_STREAM_V6 : OWFP_SLOT_STREAM_V4);
	const GUID *layer = ale ? (v6 ? &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6
				      : &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4)
				: (v6 ? &FWPM_LAYER_STREAM_V6 : &FWPM_LAYER_STREAM_V4);
	GUID sub = efx_guid(77);
	unsigned nf = pick(MAX_FILTERS + 1);
	FWPM_FILTER_CONDITION0 conds[4];
	UINT64 ids[MAX_FILTERS + 1] = {0};

	efx_up(&x);
	efx_sublayer(&x, &sub, 0x100);
	for (unsigned i = 0; i < nf; i++) {
		FWPM_FILTER0 f = efx_filter(layer, pick(2) ? &sub : NULL,
					    pick(2) ? FWP_ACTION_PERMIT : FWP_ACTION_BLOCK);
		unsigned nc = pick(4);

		for (unsigned c = 0; c < nc; c++)
			conds[c] = random_cond(v6, ale, c ? &conds[c - 1].fieldKey : NULL);
		f.numFilterConditions = nc;
		f.filterCondition = conds;
		if (pick(8) == 0)
			f.flags = FWPM_FILTER_FLAG_DISABLED;
		assert_int_equal(efx_add(&x, &f, &ids[i]), STATUS_SUCCESS);
	}
	for (int q = 0; q < LOOKUPS; q++) {
		owfp_flow_key k = random_flow(v6);
		uint32_t want[MAX_FILTERS], got[MAX_FILTERS];
		owfp_clayer *lw, *lg;
		size_t nw = ranks_of(&x, slot, &k, false, want, &lw);

		/* Twice: the first may fill the entry, the second reads it. */
		for (int t = 0; t < 2; t++) {
			size_t ng = ranks_of(&x, slot, &k, true, got, &lg);

			assert_ptr_equal(lg, lw);
			assert_int_equal(ng, nw);
			assert_memory_equal(got, want, sizeof(*got) * nw);
			owfp_clayer_unref(lg);
		}
		owfp_clayer_unref(lw);
		if (!ale)
			same_stream_match(&x, &k, pick(2) ? UINT64_MAX : ids[pick(nf + 1)]);
	}
	efx_down(&x);
}

static void test_cached_match_equals_full_walk(void **state)
{
	(void)state;
	rng_state.s = 0x5eed0103ca11ab1eull;
	for (unsigned s = 0; s < SETS; s++)
		run_set();
}

static size_t stream_ids(efx *x, const owfp_flow_key *k, UINT64 *ids)
{
	return efx_match_ids(x, k, ids, 8);
}

static void NTAPI classify_fn(const FWPS_INCOMING_VALUES0 *in,
			      const FWPS_INCOMING_METADATA_VALUES0 *meta, void *data, const void *ctx,
			      const FWPS_FILTER3 *filter, UINT64 flow_ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)meta, (void)data, (void)ctx, (void)filter, (void)flow_ctx, (void)out;
}

static NTSTATUS NTAPI notify_fn(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *key, FWPS_FILTER3 *filter)
{
	(void)type, (void)key, (void)filter;
	return STATUS_SUCCESS;
}

/* A change made between two flows is seen by the second (generation). */
static void test_change_seen_by_next_flow(void **state)
{
	efx x;
	owfp_flow_key k = efx_key4(0x0a000001, 80, 0x0a000002, 40000, false);
	FWPM_FILTER_CONDITION0 port = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_EQUAL, 80);
	GUID ckey = efx_guid(9);
	UINT64 ids[8], a, b, c;
	owfp_match *m;

	(void)state;
	efx_up(&x);
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, &a), STATUS_SUCCESS);
	assert_int_equal(stream_ids(&x, &k, ids), 1);
	assert_int_equal(stream_ids(&x, &k, ids), 1); /* from the cache */

	/* Added: the next flow has it. */
	f.numFilterConditions = 1;
	f.filterCondition = &port;
	assert_int_equal(efx_add(&x, &f, &b), STATUS_SUCCESS);
	assert_int_equal(stream_ids(&x, &k, ids), 2);
	assert_true(ids[0] == b || ids[1] == b);

	/* Deleted: the next flow no longer has it. */
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	assert_int_equal(stream_ids(&x, &k, ids), 1);
	assert_int_equal(ids[0], b);

	/* A callout filter cached before its callout is registered. */
	efx_callout_add(&x, &ckey, &FWPM_LAYER_STREAM_V4);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_INSPECTION);
	f.action.calloutKey = ckey;
	assert_int_equal(efx_add(&x, &f, &c), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 2);
	for (size_t i = 0; i < m->nstages; i++)
		assert_null(m->stages[i].callout);
	owfp_match_release(m);
	assert_int_equal(efx_register(&x, &ckey, 0, classify_fn, notify_fn, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	for (size_t i = 0; i < m->nstages; i++)
		if (m->stages[i].filter.filterId == c)
			assert_non_null(m->stages[i].callout);
	owfp_match_release(m);

	/* A filter newer than the flow is marked so, cached or not (S81). */
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, b, &m), 0);
	for (size_t i = 0; i < m->nstages; i++)
		assert_int_equal(m->stages[i].added_after_flow, m->stages[i].filter.filterId > b);
	owfp_match_release(m);

	/* ALE_FLOW_ESTABLISHED: a BLOCK added between two flows blocks the second. */
	assert_int_equal(owfp_engine_classify_flow_established(x.engine, &k, 1), FWP_ACTION_PERMIT);
	f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_BLOCK);
	f.numFilterConditions = 1;
	f.filterCondition = &port;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_classify_flow_established(x.engine, &k, 2), FWP_ACTION_BLOCK);
	assert_int_equal(owfp_engine_classify_flow_established(x.engine, &k, 3), FWP_ACTION_BLOCK);
	k.local_port = 81;
	assert_int_equal(owfp_engine_classify_flow_established(x.engine, &k, 4), FWP_ACTION_PERMIT);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_match_equals_full_walk),
		cmocka_unit_test(test_change_seen_by_next_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
