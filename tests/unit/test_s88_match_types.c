/*
 * S88: match type semantics. FLAGS_ALL/ANY/NONE_SET, inclusive RANGE,
 * NOT_EQUAL, ordering comparisons, v4 address/mask in host order, v6
 * prefixes, and: a condition on an FWP_EMPTY value never matches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine/engine_internal.h"
#include "engine_fixture.h"

/* Does a one-condition filter match the flow? Uses the real add + match path. */
static bool one(const FWPM_FILTER_CONDITION0 *c, const owfp_flow_key *k)
{
	efx x;
	FWPM_FILTER0 f;
	UINT64 ids[2];
	size_t n;

	efx_up(&x);
	f = efx_filter(k->family == AF_INET6 ? &FWPM_LAYER_STREAM_V6 : &FWPM_LAYER_STREAM_V4, NULL,
		       FWP_ACTION_PERMIT);
	f.numFilterConditions = 1;
	f.filterCondition = (FWPM_FILTER_CONDITION0 *)c;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	n = efx_match_ids(&x, k, ids, 2);
	assert_int_equal(FwpmEngineClose0(x.h), STATUS_SUCCESS);
	owfp_engine_destroy(x.engine);
	return n == 1;
}

static void test_flags(void **state)
{
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);
	FWPM_FILTER_CONDITION0 c;

	(void)state;
	k.condition_flags = FWP_CONDITION_FLAG_IS_LOOPBACK | FWP_CONDITION_FLAG_IS_REAUTHORIZE;
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ALL_SET, 0x5);
	assert_true(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ALL_SET, 0x7);
	assert_false(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ANY_SET, 0x6);
	assert_true(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ANY_SET, 0x2);
	assert_false(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_NONE_SET, 0x2);
	assert_true(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_NONE_SET, 0x1);
	assert_false(one(&c, &k));
	efx_arena_free();
}

static void test_range_and_comparisons(void **state)
{
	owfp_flow_key k = efx_key4(1, 2, 3, 443, true);
	FWPM_FILTER_CONDITION0 c;

	(void)state;
	c = efx_c_range16(&FWPM_CONDITION_IP_REMOTE_PORT, 443, 443);
	assert_true(one(&c, &k));
	c = efx_c_range16(&FWPM_CONDITION_IP_REMOTE_PORT, 400, 443);
	assert_true(one(&c, &k));
	c = efx_c_range16(&FWPM_CONDITION_IP_REMOTE_PORT, 444, 500);
	assert_false(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_NOT_EQUAL, 443);
	assert_false(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_NOT_EQUAL, 80);
	assert_true(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_GREATER, 443);
	assert_false(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_GREATER_OR_EQUAL, 443);
	assert_true(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_LESS, 444);
	assert_true(one(&c, &k));
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_LESS_OR_EQUAL, 442);
	assert_false(one(&c, &k));
	/* Direction is the connection's: OUTBOUND (0) for a connection we opened. */
	c = efx_c_u32(&FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL, FWP_DIRECTION_OUTBOUND);
	assert_true(one(&c, &k));
	k.outbound = false;
	assert_false(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_COMPARTMENT_ID, FWP_MATCH_EQUAL, DEFAULT_COMPARTMENT_ID);
	assert_true(one(&c, &k));
	c = efx_c_u8(&FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE, FWP_MATCH_EQUAL, NlatUnicast);
	assert_true(one(&c, &k));
	efx_arena_free();
}

static void test_v4_addresses_host_order(void **state)
{
	/* 192.168.1.20 -> 10.1.2.3 */
	owfp_flow_key k = efx_key4(0xc0a80114, 5000, 0x0a010203, 80, true);
	FWPM_FILTER_CONDITION0 c;

	(void)state;
	c = efx_c_u32(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 0x0a010203);
	assert_true(one(&c, &k));
	c = efx_c_u32(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 0x0302010a);
	assert_false(one(&c, &k));
	c = efx_c_v4mask(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, 0xc0a80000, 0xffff0000);
	assert_true(one(&c, &k));
	c = efx_c_v4mask(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, 0xc0a90000, 0xffff0000);
	assert_false(one(&c, &k));
	c = efx_c_v4mask(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_NOT_EQUAL, 0xc0a90000,
			 0xffff0000);
	assert_true(one(&c, &k));
	/* A non-contiguous mask still matches bit by bit (it is just not indexed). */
	c = efx_c_v4mask(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, 0xc0000014, 0xff0000ff);
	assert_true(one(&c, &k));
	c = efx_c_range32(&FWPM_CONDITION_IP_REMOTE_ADDRESS, 0x0a000000, 0x0affffff);
	assert_true(one(&c, &k));
	efx_arena_free();
}

static void test_v6_prefix_and_order(void **state)
{
	uint8_t l[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};
	uint8_t r[16] = {0xfe, 0x80, [15] = 0x42};
	uint8_t p[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0xff};
	uint8_t lo[16] = {0xfe, 0x80}, hi[16] = {0xfe, 0x80, [15] = 0x42};
	owfp_flow_key k = efx_key6(l, 1, r, 2, false);
	FWPM_FILTER_CONDITION0 c;

	(void)state;
	c = efx_c_v6prefix(&FWPM_CONDITION_IP_LOCAL_ADDRESS, p, 32);
	assert_true(one(&c, &k));
	c = efx_c_v6prefix(&FWPM_CONDITION_IP_LOCAL_ADDRESS, p, 41); /* differs in bit 40 */
	assert_false(one(&c, &k));
	c = efx_c_v6prefix(&FWPM_CONDITION_IP_LOCAL_ADDRESS, p, 0);
	assert_true(one(&c, &k));
	c = efx_c_v6(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, r);
	assert_true(one(&c, &k));
	c = efx_c_v6(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_GREATER, l);
	assert_true(one(&c, &k));
	c = efx_c_range_v6(&FWPM_CONDITION_IP_REMOTE_ADDRESS, lo, hi);
	assert_true(one(&c, &k));
	hi[15] = 0x41;
	c = efx_c_range_v6(&FWPM_CONDITION_IP_REMOTE_ADDRESS, lo, hi);
	assert_false(one(&c, &k));
	efx_arena_free();
}

static void test_empty_value_never_matches(void **state)
{
	FWPS_FILTER_CONDITION0 c;
	FWP_VALUE0 empty = {.type = FWP_EMPTY}, v = {.type = FWP_UINT16};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.conditionValue.type = FWP_UINT16;
	c.conditionValue.uint16 = 80;
	for (int m = FWP_MATCH_EQUAL; m <= FWP_MATCH_NOT_EQUAL; m++) {
		c.matchType = (FWP_MATCH_TYPE)m;
		assert_false(owfp_cond_match(&c, &empty));
	}
	c.matchType = FWP_MATCH_NOT_EQUAL;
	v.uint16 = 81;
	assert_true(owfp_cond_match(&c, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_range_and_comparisons),
		cmocka_unit_test(test_v4_addresses_host_order),
		cmocka_unit_test(test_v6_prefix_and_order),
		cmocka_unit_test(test_empty_value_never_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
