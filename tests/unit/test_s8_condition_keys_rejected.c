/*
 * S8, S69, S70, S84 and the other checks FwpmFilterAdd0 makes: which layers
 * exist, which condition keys each layer takes, action types, callouts and
 * their layer, flags, sublayers, duplicate keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void test_stream_layer_keys(void **state)
{
	efx x;
	FWPM_FILTER_CONDITION0 c;
	FWPM_FILTER0 f;
	GUID unknown = efx_guid(77);

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 1;
	f.filterCondition = &c;
	/* TCP only: no protocol condition at the stream layer. */
	c = efx_c_u8(&FWPM_CONDITION_IP_PROTOCOL, FWP_MATCH_EQUAL, 6);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_CONDITION_NOT_FOUND);
	c = efx_c_u8(&unknown, FWP_MATCH_EQUAL, 6);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_CONDITION_NOT_FOUND);
	/* Every S8 key is accepted. */
	c = efx_c_u32(&FWPM_CONDITION_IP_LOCAL_ADDRESS, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u32(&FWPM_CONDITION_IP_REMOTE_ADDRESS, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u8(&FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u16(&FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u32(&FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u32(&FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ANY_SET, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	c = efx_c_u32(&FWPM_CONDITION_COMPARTMENT_ID, FWP_MATCH_EQUAL, 1);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	/* The flow-established layer has the protocol. */
	f.layerKey = FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4;
	c = efx_c_u8(&FWPM_CONDITION_IP_PROTOCOL, FWP_MATCH_EQUAL, 6);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	efx_down(&x);
}

static void test_layers(void **state)
{
	efx x;
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_PACKET_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_LAYER_NOT_FOUND);
	f.layerKey = FWPM_LAYER_STREAM_V4_DISCARD;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_LAYER_NOT_FOUND);
	f.layerKey = FWPM_LAYER_STREAM_V6;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f.layerKey = FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	efx_down(&x);
}

static void test_actions_and_callouts(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	FWPM_CALLOUT0 co;
	GUID ck = efx_guid(5), ale = efx_guid(6);
	UINT32 id;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CONTINUE);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_ACTION_TYPE);
	f.action.type = FWP_ACTION_NONE;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_ACTION_TYPE);
	f.action.type = 0x12345;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_ACTION_TYPE);

	/* S69: the callout names one layer; only filters there may use it. */
	memset(&co, 0, sizeof(co));
	co.calloutKey = ck;
	co.applicableLayer = FWPM_LAYER_STREAM_PACKET_V4;
	assert_int_equal(FwpmCalloutAdd0(x.h, &co, NULL, &id), STATUS_FWP_LAYER_NOT_FOUND);
	efx_callout_add(&x, &ck, &FWPM_LAYER_STREAM_V4);
	co.applicableLayer = FWPM_LAYER_STREAM_V4;
	assert_int_equal(FwpmCalloutAdd0(x.h, &co, NULL, &id), STATUS_FWP_ALREADY_EXISTS);
	efx_callout_add(&x, &ale, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4);

	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING);
	f.action.calloutKey = efx_guid(99);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_CALLOUT_NOT_FOUND);
	f.action.calloutKey = ale;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INCOMPATIBLE_LAYER);
	f.action.calloutKey = ck;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);

	/* S70: PERMIT_IF_CALLOUT_UNREGISTERED only where the callout decides. */
	f.flags = FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f.action.type = FWP_ACTION_CALLOUT_UNKNOWN;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f.action.type = FWP_ACTION_CALLOUT_INSPECTION;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_FLAGS);
	f.action.type = FWP_ACTION_PERMIT;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_FLAGS);
	f.flags = FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_FLAGS);
	f.flags = 0x8000;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_INVALID_FLAGS);

	/* A callout in use cannot be deleted. */
	assert_int_equal(FwpmCalloutDeleteByKey0(x.h, &ck), STATUS_FWP_IN_USE);
	assert_int_equal(FwpmCalloutDeleteByKey0(x.h, &ale), STATUS_SUCCESS);
	assert_int_equal(FwpmCalloutDeleteByKey0(x.h, &ale), STATUS_FWP_CALLOUT_NOT_FOUND);
	efx_down(&x);
}

static void test_flags_map_to_runtime_and_context(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.flags = FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT | FWPM_FILTER_FLAG_SILENT_MODE;
	f.rawContext = 0x1122334455667788ull;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f.flags = FWPM_FILTER_FLAG_DISABLED;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 1); /* the disabled filter takes no part */
	assert_int_equal(m->stages[0].filter.flags,
			 FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT | FWPS_FILTER_FLAG_SILENT_MODE);
	assert_int_equal(m->stages[0].filter.context, 0x1122334455667788ull);
	assert_null(m->stages[0].filter.providerContext);
	assert_int_equal(m->stages[0].filter.numFilterConditions, 0);
	owfp_match_release(m);
	efx_down(&x);
}

static void test_sublayers(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	FWPM_SUBLAYER0 s;
	GUID mine = efx_guid(3), key = efx_guid(4);
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);
	owfp_match *m;
	UINT64 id;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, &mine, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_SUBLAYER_NOT_FOUND);
	efx_sublayer(&x, &mine, 0x1234);
	memset(&s, 0, sizeof(s));
	s.subLayerKey = mine;
	assert_int_equal(FwpmSubLayerAdd0(x.h, &s, NULL), STATUS_FWP_ALREADY_EXISTS);
	s.subLayerKey = FWPM_SUBLAYER_UNIVERSAL;
	assert_int_equal(FwpmSubLayerAdd0(x.h, &s, NULL), STATUS_FWP_ALREADY_EXISTS);
	f.filterKey = key;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_ALREADY_EXISTS);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &mine), STATUS_FWP_IN_USE);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &FWPM_SUBLAYER_INSPECTION),
			 STATUS_FWP_BUILTIN_OBJECT);
	/* Zero sublayer key: UNIVERSAL, weight 0x8000 (S84). */
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	f.subLayerKey = FWPM_SUBLAYER_INSPECTION;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 3);
	assert_int_equal(m->stages[0].filter.subLayerWeight, 0x8000);
	assert_int_equal(m->stages[1].filter.subLayerWeight, 0x1234);
	assert_int_equal(m->stages[2].filter.subLayerWeight, 0);
	owfp_match_release(m);

	assert_int_equal(FwpmFilterDeleteByKey0(x.h, &key), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, id), STATUS_FWP_FILTER_NOT_FOUND);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &mine), STATUS_SUCCESS);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &mine), STATUS_FWP_SUBLAYER_NOT_FOUND);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_layer_keys),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_actions_and_callouts),
		cmocka_unit_test(test_flags_map_to_runtime_and_context),
		cmocka_unit_test(test_sublayers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
