/*
 * S87: conditions are ANDed, except that consecutive conditions on the same
 * field form an OR group. Value types must match the field, with the
 * address/mask and range exceptions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static size_t matches(efx *x, UINT16 rport, UINT16 lport)
{
	owfp_flow_key k = efx_key4(0x0a000001, lport, 0x0a000002, rport, true);
	UINT64 ids[8];

	return efx_match_ids(x, &k, ids, 8);
}

static void test_consecutive_same_field_is_or(void **state)
{
	efx x;
	FWPM_FILTER_CONDITION0 c[3];
	FWPM_FILTER0 f;
	owfp_match *m;
	owfp_flow_key k = efx_key4(1, 1, 2, 80, true);

	(void)state;
	efx_up(&x);
	c[0] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 80);
	c[1] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 443);
	c[2] = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_LESS, 1000);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 3;
	f.filterCondition = c;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(matches(&x, 80, 5), 1);
	assert_int_equal(matches(&x, 443, 5), 1);
	assert_int_equal(matches(&x, 8080, 5), 0);
	assert_int_equal(matches(&x, 80, 5000), 0); /* the AND part fails */

	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 1);
	assert_true(m->stages[0].filter.flags & FWPS_FILTER_FLAG_OR_CONDITIONS);
	assert_int_equal(m->stages[0].filter.numFilterConditions, 3);
	assert_int_equal(m->stages[0].filter.filterCondition[0].fieldId,
			 FWPS_FIELD_STREAM_V4_IP_REMOTE_PORT);
	assert_int_equal(m->stages[0].filter.filterCondition[2].fieldId,
			 FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT);
	owfp_match_release(m);
	efx_down(&x);
}

static void test_non_consecutive_same_field_is_and(void **state)
{
	efx x;
	FWPM_FILTER_CONDITION0 c[3];
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	c[0] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_GREATER_OR_EQUAL, 100);
	c[1] = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_EQUAL, 7);
	c[2] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_LESS_OR_EQUAL, 200);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 3;
	f.filterCondition = c;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(matches(&x, 150, 7), 1);
	assert_int_equal(matches(&x, 100, 7), 1);
	assert_int_equal(matches(&x, 200, 7), 1);
	assert_int_equal(matches(&x, 99, 7), 0);
	assert_int_equal(matches(&x, 201, 7), 0);
	efx_down(&x);
}

static void test_type_rules(void **state)
{
	efx x;
	FWPM_FILTER_CONDITION0 c;
	FWPM_FILTER0 f;
	uint8_t a6[16] = {0x20, 0x01, 0xd, 0xb8};

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 1;
	f.filterCondition = &c;
	/* A port is UINT16, not UINT32. */
	c = efx_c_u32(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 80);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	/* v4 address: UINT32 or address/mask. */
	c = efx_c_u32(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 0x0a000002);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_v4mask(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 0x0a000000, 0xff000000);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	/* ...but not a mask on a non-address field, and no v6 forms at a v4 layer. */
	c = efx_c_v4mask(&FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL, 0, 0);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	c = efx_c_v6prefix(&FWPM_CONDITION_IP_REMOTE_ADDRESS, a6, 32);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	/* A mask only makes sense with EQUAL / NOT_EQUAL. */
	c = efx_c_v4mask(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_GREATER, 1, 0xff000000);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	/* RANGE needs a range value and vice versa; the ends need the field type. */
	c = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_RANGE, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	c = efx_c_range16(&FWPM_CONDITION_IP_LOCAL_PORT, 1, 2);
	c.matchType = FWP_MATCH_EQUAL;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	c = efx_c_range32(&FWPM_CONDITION_IP_LOCAL_PORT, 1, 2);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	c = efx_c_range16(&FWPM_CONDITION_IP_LOCAL_PORT, 9, 2);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_RANGE);
	/* String match types have no place on integers. */
	c = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_PREFIX, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	c = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_TYPE_MAX, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_ENUMERATOR);
	c = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_EQUAL, 1);
	c.conditionValue.type = FWP_EMPTY;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	/* NULL arrays are refused, not dereferenced. */
	f.filterCondition = NULL;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_NULL_POINTER);

	/* At the v6 layer: byte arrays and v6 prefixes. */
	f = efx_filter(&FWPM_LAYER_STREAM_V6, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 1;
	f.filterCondition = &c;
	c = efx_c_v6(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, a6);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_v6prefix(&FWPM_CONDITION_IP_LOCAL_ADDRESS, a6, 129);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_NET_MASK);
	c = efx_c_u32(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	c = efx_c_v6(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_FLAGS_ALL_SET, a6);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	efx_down(&x);
}

static void test_conditions_are_deep_copied(void **state)
{
	efx x;
	FWPM_FILTER_CONDITION0 c[2];
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	c[0] = efx_c_range16(&FWPM_CONDITION_IP_REMOTE_PORT, 10, 20);
	c[1] = efx_c_v4mask(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 0x0a000000,
			    0xff000000);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 2;
	f.filterCondition = c;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	/* Scribble over what the caller passed: the engine kept its own copy. */
	c[0].conditionValue.rangeValue->valueLow.uint16 = 60000;
	c[1].conditionValue.v4AddrMask->addr = 0x7f000000;
	memset(c, 0xa5, sizeof(c));
	assert_int_equal(matches(&x, 15, 1), 1);
	assert_int_equal(matches(&x, 21, 1), 0);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consecutive_same_field_is_or),
		cmocka_unit_test(test_non_consecutive_same_field_is_and),
		cmocka_unit_test(test_type_rules),
		cmocka_unit_test(test_conditions_are_deep_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
