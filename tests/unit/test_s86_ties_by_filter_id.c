/*
 * S86/Q21: arbitration order. Sublayers by weight (high first), equal
 * sublayer weights by sublayer GUID bytes ascending; inside a sublayer by
 * effective weight (high first), equal weights by filter id ascending. The
 * default sublayer is FWPM_SUBLAYER_UNIVERSAL (0x8000) and
 * FWPM_SUBLAYER_INSPECTION (0) exists from the start (S84).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void test_equal_weights_keep_insertion_order(void **state)
{
	efx x;
	UINT64 w = 7, id[5], got[5];
	FWPM_FILTER0 f;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, false);

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.weight.type = FWP_UINT64;
	f.weight.uint64 = &w;
	for (int i = 0; i < 5; i++)
		assert_int_equal(efx_add(&x, &f, &id[i]), STATUS_SUCCESS);
	assert_int_equal(efx_match_ids(&x, &k, got, 5), 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(got[i], id[i]);
	efx_down(&x);
}

static void test_sublayer_weight_then_guid(void **state)
{
	efx x;
	GUID a = efx_guid(2), b = efx_guid(1), c = efx_guid(3);
	UINT64 fa, fb, fc, fu, fi, got[5];
	FWPM_FILTER0 f;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, false);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	efx_sublayer(&x, &a, 0x9000);
	efx_sublayer(&x, &b, 0x9000); /* same weight, smaller GUID: goes first */
	efx_sublayer(&x, &c, 0x10);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, &FWPM_SUBLAYER_INSPECTION, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, &fi), STATUS_SUCCESS);
	f.subLayerKey = c;
	assert_int_equal(efx_add(&x, &f, &fc), STATUS_SUCCESS);
	memset(&f.subLayerKey, 0, sizeof(GUID)); /* default: UNIVERSAL */
	assert_int_equal(efx_add(&x, &f, &fu), STATUS_SUCCESS);
	f.subLayerKey = a;
	assert_int_equal(efx_add(&x, &f, &fa), STATUS_SUCCESS);
	f.subLayerKey = b;
	assert_int_equal(efx_add(&x, &f, &fb), STATUS_SUCCESS);

	assert_int_equal(efx_match_ids(&x, &k, got, 5), 5);
	assert_int_equal(got[0], fb);
	assert_int_equal(got[1], fa);
	assert_int_equal(got[2], fu);
	assert_int_equal(got[3], fc);
	assert_int_equal(got[4], fi);

	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nsublayers, 5);
	assert_int_equal(m->stages[0].filter.subLayerWeight, 0x9000);
	assert_int_equal(m->stages[2].filter.subLayerWeight, 0x8000);
	assert_int_equal(m->stages[4].filter.subLayerWeight, 0);
	for (UINT32 i = 0; i < 5; i++) {
		assert_int_equal(m->stages[i].sublayer_index, i);
		assert_int_equal(m->stages[i].layer_id, FWPS_LAYER_STREAM_V4);
	}
	owfp_match_release(m);
	efx_down(&x);
}

static void test_sublayer_index_groups_stages(void **state)
{
	efx x;
	GUID s = efx_guid(9);
	FWPM_FILTER0 f;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, false);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	efx_sublayer(&x, &s, 0xffff);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, &s, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_BLOCK);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 3);
	assert_int_equal(m->nsublayers, 2);
	assert_int_equal(m->stages[0].sublayer_index, 0);
	assert_int_equal(m->stages[1].sublayer_index, 0);
	assert_int_equal(m->stages[2].sublayer_index, 1);
	assert_null(m->stages[2].callout);
	assert_int_equal(m->stages[2].filter.action.type, FWP_ACTION_BLOCK);
	owfp_match_release(m);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_weights_keep_insertion_order),
		cmocka_unit_test(test_sublayer_weight_then_guid),
		cmocka_unit_test(test_sublayer_index_groups_stages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
