/*
 * S85/Q20: effective filter weights. FWP_EMPTY gets the automatic weight
 * (distinct condition fields << 52 | 2^52 - 1 - ordinal), FWP_UINT8 0..15
 * picks the top four bits, FWP_UINT64 is taken as given, anything else is
 * STATUS_FWP_INVALID_WEIGHT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static UINT64 stage_weight(efx *x, UINT64 id)
{
	owfp_flow_key k = efx_key4(0x0a000001, 1000, 0x0a000002, 80, true);
	owfp_match *m;
	UINT64 w = 0;

	assert_int_equal(owfp_engine_match_stream(x->engine, &k, UINT64_MAX, &m), 0);
	for (size_t i = 0; i < m->nstages; i++)
		if (m->stages[i].filter.filterId == id) {
			assert_int_equal(m->stages[i].filter.weight.type, FWP_UINT64);
			w = *m->stages[i].filter.weight.uint64;
		}
	owfp_match_release(m);
	return w;
}

static void test_empty_weight_is_specificity_then_insertion(void **state)
{
	efx x;
	UINT64 a, b;
	FWPM_FILTER_CONDITION0 c[3];
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, &a), STATUS_SUCCESS);
	/* Two conditions on one field plus one on another: two distinct fields. */
	c[0] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 80);
	c[1] = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 81);
	c[2] = efx_c_u32(&FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL, FWP_DIRECTION_OUTBOUND);
	f.numFilterConditions = 3;
	f.filterCondition = c;
	assert_int_equal(efx_add(&x, &f, &b), STATUS_SUCCESS);
	assert_true(b > a);
	assert_int_equal(stage_weight(&x, a), (1ull << 52) - 1 - a);
	assert_int_equal(stage_weight(&x, b), (2ull << 52) | ((1ull << 52) - 1 - b));
	efx_down(&x);
}

static void test_uint8_selects_range(void **state)
{
	efx x;
	UINT64 id;
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.weight.type = FWP_UINT8;
	f.weight.uint8 = 15;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(stage_weight(&x, id), (15ull << 60) | ((1ull << 52) - 1 - id));
	f.weight.uint8 = 0;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(stage_weight(&x, id), (1ull << 52) - 1 - id);
	f.weight.uint8 = 16;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_WEIGHT);
	efx_down(&x);
}

static void test_uint64_as_given_and_other_types_rejected(void **state)
{
	efx x;
	UINT64 id, w = 0xfedcba9876543210ull;
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.weight.type = FWP_UINT64;
	f.weight.uint64 = &w;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	w = 1; /* the engine copied it */
	assert_int_equal(stage_weight(&x, id), 0xfedcba9876543210ull);
	f.weight.uint64 = NULL;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_WEIGHT);
	f.weight.type = FWP_UINT32;
	f.weight.uint32 = 5;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_WEIGHT);
	f.weight.type = FWP_UINT16;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_WEIGHT);
	efx_down(&x);
}

static void test_higher_weight_first_within_sublayer(void **state)
{
	efx x;
	UINT64 lo, hi, ids[4];
	UINT64 w1 = 10, w2 = 20;
	FWPM_FILTER0 f;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.weight.type = FWP_UINT64;
	f.weight.uint64 = &w1;
	assert_int_equal(efx_add(&x, &f, &lo), STATUS_SUCCESS);
	f.weight.uint64 = &w2;
	assert_int_equal(efx_add(&x, &f, &hi), STATUS_SUCCESS);
	assert_int_equal(efx_match_ids(&x, &k, ids, 4), 2);
	assert_int_equal(ids[0], hi);
	assert_int_equal(ids[1], lo);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_weight_is_specificity_then_insertion),
		cmocka_unit_test(test_uint8_selects_range),
		cmocka_unit_test(test_uint64_as_given_and_other_types_rejected),
		cmocka_unit_test(test_higher_weight_first_within_sublayer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
