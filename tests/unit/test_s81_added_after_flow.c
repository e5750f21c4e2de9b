/*
 * S81 support: a stage says whether its filter is newer than the flow
 * (filter id above the flow's owfp_engine_last_filter_id() when it
 * started). The last filter id only moves when a transaction commits, so a
 * filter of a transaction that is still open is never "older" than a flow
 * created meanwhile.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void test_added_after_flow(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	UINT64 old_id, new_id, pending;
	uint64_t flow_last;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, &old_id), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &pending), STATUS_SUCCESS);
	/* A flow starts while the transaction is open. */
	flow_last = owfp_engine_last_filter_id(x.engine);
	assert_int_equal(flow_last, old_id);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &new_id), STATUS_SUCCESS);

	assert_int_equal(owfp_engine_match_stream(x.engine, &k, flow_last, &m), 0);
	assert_int_equal(m->nstages, 3);
	for (size_t i = 0; i < m->nstages; i++) {
		UINT64 id = m->stages[i].filter.filterId;

		assert_int_equal(m->stages[i].added_after_flow, id != old_id);
	}
	owfp_match_release(m);
	assert_int_equal(owfp_engine_last_filter_id(x.engine), new_id);
	efx_down(&x);
}

static void test_v6_flow_values_and_layer(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	FWPM_FILTER_CONDITION0 c[2];
	uint8_t l[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, r[16] = {0xff, 0x02, [15] = 1};
	owfp_flow_key k = efx_key6(l, 80, r, 5555, false);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V6, NULL, FWP_ACTION_PERMIT);
	c[0] = efx_c_u8(&FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE, FWP_MATCH_EQUAL, NlatUnicast);
	c[1] = efx_c_u32(&FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL, FWP_DIRECTION_INBOUND);
	f.numFilterConditions = 2;
	f.filterCondition = c;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	/* The same filter at the v4 layer does not apply to a v6 flow. */
	f.layerKey = FWPM_LAYER_STREAM_V4;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 1);
	assert_int_equal(m->stages[0].layer_id, FWPS_LAYER_STREAM_V6);
	owfp_match_release(m);
	k.family = 12345;
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), -EAFNOSUPPORT);
	efx_down(&x);
}

static void test_stream_values(void **state)
{
	FWPS_INCOMING_VALUE0 v[FWPS_FIELD_STREAM_V4_MAX];
	FWP_BYTE_ARRAY16 a, b;
	FWPS_INCOMING_VALUES0 in;
	owfp_flow_key k = efx_key4(0xe0000001, 10, 0x0a000002, 20, true);

	(void)state;
	k.condition_flags = FWP_CONDITION_FLAG_IS_LOOPBACK;
	owfp_engine_stream_values(&k, v, &a, &b, &in);
	assert_int_equal(in.layerId, FWPS_LAYER_STREAM_V4);
	assert_int_equal(in.valueCount, 8);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS].value.uint32, 0xe0000001);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS_TYPE].value.uint8, NlatMulticast);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_IP_REMOTE_ADDRESS].value.uint32, 0x0a000002);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT].value.uint16, 10);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_IP_REMOTE_PORT].value.uint16, 20);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_DIRECTION].value.uint32, FWP_DIRECTION_OUTBOUND);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_FLAGS].value.uint32, FWP_CONDITION_FLAG_IS_LOOPBACK);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_COMPARTMENT_ID].value.type, FWP_UINT32);
	assert_int_equal(v[FWPS_FIELD_STREAM_V4_COMPARTMENT_ID].value.uint32, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_added_after_flow),
		cmocka_unit_test(test_v6_flow_values_and_layer),
		cmocka_unit_test(test_stream_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
