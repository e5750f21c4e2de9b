/*
 * The engine's indexed matching and arbitration order against the naive
 * twin (support/naive_arbitration.c: evaluate every filter, qsort, walk) on
 * thousands of seeded random filter sets, with ties in sublayer weight and
 * filter weight, OR groups, every match type, disabled and deleted filters,
 * with and without transactions, for IPv4 and IPv6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"
#include "test_rng.h"
#include "naive_arbitration.h"

#define SETS 2000
#define MAX_FILTERS 40
#define BIG_FILTERS 600
#define BIG_SETS 12
#define FLOWS 25

static struct rng rng_state;

static unsigned pick(unsigned n)
{
	return below(&rng_state, n);
}

static const UINT16 ports[] = {0, 1, 80, 443, 1000, 8080, 65535};
static const UINT32 v4s[] = {0x0a000001, 0x0a000002, 0x0a0000ff, 0xc0a80101, 0x7f000001, 0};
static const uint8_t v6s[4][16] = {
	{0x20, 0x01, 0x0d, 0xb8, [15] = 1},
	{0x20, 0x01, 0x0d, 0xb8, [15] = 2},
	{0x20, 0x01, 0x0d, 0xb9, [7] = 5, [15] = 1},
	{0xfe, 0x80, [15] = 9},
};

static UINT16 rport(void)
{
	return pick(4) ? ports[pick(sizeof(ports) / sizeof(ports[0]))] : (UINT16)rnd(&rng_state);
}

static FWPM_FILTER_CONDITION0 port_cond(const GUID *field)
{
	static const FWP_MATCH_TYPE m[] = {
		FWP_MATCH_EQUAL,        FWP_MATCH_NOT_EQUAL,        FWP_MATCH_GREATER,
		FWP_MATCH_LESS,         FWP_MATCH_GREATER_OR_EQUAL, FWP_MATCH_LESS_OR_EQUAL,
		FWP_MATCH_FLAGS_ANY_SET};
	UINT16 a = rport(), b = rport();

	if (pick(5) == 0)
		return efx_c_range16(field, a < b ? a : b, a < b ? b : a);
	return efx_c_u16(field, m[pick(sizeof(m) / sizeof(m[0]))], a);
}

static FWPM_FILTER_CONDITION0 addr_cond(const GUID *field, bool v6)
{
	if (v6) {
		static const UINT8 lens[] = {0, 16, 32, 40, 64, 120, 127, 128};
		const uint8_t *a = v6s[pick(4)], *b = v6s[pick(4)];

		switch (pick(3)) {
		case 0:
			return efx_c_v6prefix(field, a, lens[pick(sizeof(lens))]);
		case 1:
			return efx_c_v6(field, pick(2) ? FWP_MATCH_EQUAL : FWP_MATCH_LESS_OR_EQUAL,
					a);
		default:
			return memcmp(a, b, 16) <= 0 ? efx_c_range_v6(field, a, b)
						     : efx_c_range_v6(field, b, a);
		}
	}
	{
		static const UINT32 masks[] = {0,          0xff000000, 0xffff0000,
					       0xffffff00, 0xffffffff, 0xff00ff00};
		UINT32 a = v4s[pick(6)], b = v4s[pick(6)];

		switch (pick(3)) {
		case 0:
			return efx_c_v4mask(field, pick(4) ? FWP_MATCH_EQUAL : FWP_MATCH_NOT_EQUAL,
					    a, masks[pick(6)]);
		case 1:
			return efx_c_u32(field, pick(2) ? FWP_MATCH_EQUAL : FWP_MATCH_GREATER, a);
		default:
			return efx_c_range32(field, a < b ? a : b, a < b ? b : a);
		}
	}
}

static FWPM_FILTER_CONDITION0 random_cond(bool v6, const GUID *prev)
{
	/* Repeat the previous field now and then to make OR groups. */
	const GUID *field = prev && pick(3) == 0 ? prev : NULL;
	static const GUID *fields[8];
	static const FWP_MATCH_TYPE flag_m[] = {FWP_MATCH_FLAGS_ALL_SET, FWP_MATCH_FLAGS_ANY_SET,
						FWP_MATCH_FLAGS_NONE_SET, FWP_MATCH_EQUAL};

	fields[0] = &FWPM_CONDITION_IP_LOCAL_PORT;
	fields[1] = &FWPM_CONDITION_IP_REMOTE_PORT;
	fields[2] = &FWPM_CONDITION_IP_LOCAL_ADDRESS;
	fields[3] = &FWPM_CONDITION_IP_REMOTE_ADDRESS;
	fields[4] = &FWPM_CONDITION_DIRECTION;
	fields[5] = &FWPM_CONDITION_FLAGS;
	fields[6] = &FWPM_CONDITION_COMPARTMENT_ID;
	fields[7] = &FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE;
	if (!field)
		field = fields[pick(8)];
	for (int i = 0; i < 8; i++)
		if (IsEqualGUID(field, fields[i]))
			field = fields[i];
	if (field == fields[0] || field == fields[1])
		return port_cond(field);
	if (field == fields[2] || field == fields[3])
		return addr_cond(field, v6);
	if (field == fields[4])
		return efx_c_u32(field, FWP_MATCH_EQUAL, pick(2));
	if (field == fields[5])
		return efx_c_u32(field, flag_m[pick(4)], (UINT32)pick(8));
	if (field == fields[6])
		return efx_c_u32(field, pick(2) ? FWP_MATCH_EQUAL : FWP_MATCH_NOT_EQUAL, pick(3));
	return efx_c_u8(field, FWP_MATCH_EQUAL, (UINT8)pick(3));
}

static owfp_flow_key random_flow(bool v6)
{
	owfp_flow_key k;

	if (v6)
		k = efx_key6(v6s[pick(4)], rport(), v6s[pick(4)], rport(), pick(2));
	else
		k = efx_key4(v4s[pick(5)], rport(),
			     pick(8) ? v4s[pick(5)] : (UINT32)rnd(&rng_state), rport(), pick(2));
	k.condition_flags = (UINT32)pick(8);
	return k;
}

static void run_set(unsigned set, unsigned max_filters)
{
	efx x;
	bool v6 = pick(10) < 3, txn = pick(2);
	const GUID *layer = v6 ? &FWPM_LAYER_STREAM_V6 : &FWPM_LAYER_STREAM_V4;
	static const UINT16 sub_weights[] = {0x100, 0x100, 0x8000, 0x9000, 0};
	GUID subs[4];
	UINT16 subw[4];
	unsigned nsubs = pick(5), nf = 1 + pick(max_filters);
	static naive_filter nv[BIG_FILTERS];
	static FWPM_FILTER_CONDITION0 conds[BIG_FILTERS][5];
	size_t n = 0;

	efx_up(&x);
	for (unsigned i = 0; i < nsubs; i++) {
		/* GUIDs out of weight order, so ties are broken by key bytes. */
		subs[i] = efx_guid(1000 - (uint32_t)pick(50) * 7 - i);
		subw[i] = sub_weights[pick(5)];
		efx_sublayer(&x, &subs[i], subw[i]);
	}
	if (txn)
		assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	for (unsigned i = 0; i < nf; i++) {
		FWPM_FILTER0 f = efx_filter(layer, NULL,
					    pick(2) ? FWP_ACTION_PERMIT : FWP_ACTION_BLOCK);
		naive_filter *nf_ = &nv[n];
		unsigned sub = pick(nsubs + 2), nc = pick(6);
		UINT64 w64 = pick(3) == 0 ? (1ull << 60) : pick(3);
		UINT64 id;

		for (unsigned c = 0; c < nc; c++)
			conds[n][c] = random_cond(v6, c ? &conds[n][c - 1].fieldKey : NULL);
		f.numFilterConditions = nc;
		f.filterCondition = conds[n];
		if (sub == nsubs) {
			nf_->sublayer_key = FWPM_SUBLAYER_UNIVERSAL;
			nf_->sublayer_weight = 0x8000;
		} else if (sub == nsubs + 1) {
			f.subLayerKey = FWPM_SUBLAYER_INSPECTION;
			nf_->sublayer_key = FWPM_SUBLAYER_INSPECTION;
			nf_->sublayer_weight = 0;
		} else {
			f.subLayerKey = subs[sub];
			nf_->sublayer_key = subs[sub];
			nf_->sublayer_weight = subw[sub];
		}
		switch (pick(4)) {
		case 0:
			f.weight.type = FWP_UINT64;
			f.weight.uint64 = &w64;
			break;
		case 1:
			f.weight.type = FWP_UINT8;
			f.weight.uint8 = (UINT8)pick(16);
			break;
		default:
			break;
		}
		if (pick(10) == 0)
			f.flags = FWPM_FILTER_FLAG_DISABLED;
		{
			NTSTATUS st = efx_add(&x, &f, &id);

			if (st != STATUS_SUCCESS) {
				for (unsigned c = 0; c < nc; c++)
					print_error("cond %u type %d match %d field %08x\n", c,
						    conds[n][c].conditionValue.type,
						    conds[n][c].matchType,
						    conds[n][c].fieldKey.Data1);
			}
			assert_int_equal(st, STATUS_SUCCESS);
		}
		nf_->id = id;
		nf_->conds = conds[n];
		nf_->nconds = nc;
		nf_->disabled = f.flags & FWPM_FILTER_FLAG_DISABLED;
		if (f.weight.type == FWP_UINT64)
			nf_->weight = w64;
		else if (f.weight.type == FWP_UINT8)
			nf_->weight = ((UINT64)f.weight.uint8 << 60) |
				      naive_auto_weight(conds[n], nc, id);
		else
			nf_->weight = naive_auto_weight(conds[n], nc, id);
		n++;
	}
	/* Delete a few. */
	for (size_t i = 0; i < n;) {
		if (pick(6) == 0) {
			assert_int_equal(FwpmFilterDeleteById0(x.h, nv[i].id), STATUS_SUCCESS);
			nv[i] = nv[--n];
			memcpy(conds[i], conds[n], sizeof(conds[i]));
			nv[i].conds = conds[i];
		} else {
			i++;
		}
	}
	if (txn)
		assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);

	for (int fl = 0; fl < FLOWS; fl++) {
		owfp_flow_key k = random_flow(v6);
		static UINT64 want[BIG_FILTERS], got[BIG_FILTERS];
		size_t nw = naive_match(nv, n, &k, want);
		size_t ng = efx_match_ids(&x, &k, got, BIG_FILTERS);

		if (nw != ng || memcmp(want, got, sizeof(UINT64) * nw) != 0) {
			print_error("set %u flow %d: naive %zu stages, engine %zu\n", set, fl, nw,
				    ng);
			fail();
		}
	}
	efx_down(&x);
}

static void test_random_sets_agree(void **state)
{
	(void)state;
	rng_state.s = 0x9e3779b97f4a7c15ull;
	for (unsigned s = 0; s < SETS; s++)
		run_set(s, MAX_FILTERS);
}

/* Big sets: the index's bucket tables only exist past 64 interval ends. */
static void test_big_random_sets_agree(void **state)
{
	(void)state;
	rng_state.s = 0x1234567887654321ull;
	for (unsigned s = 0; s < BIG_SETS; s++)
		run_set(s, BIG_FILTERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sets_agree),
		cmocka_unit_test(test_big_random_sets_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
