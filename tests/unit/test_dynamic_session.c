/*
 * FWPM_SESSION_FLAG_DYNAMIC: everything a dynamic session added (filters,
 * callouts, sublayers) is deleted when FwpmEngineClose0 closes it, the way
 * Windows cleans up after a driver whose dynamic session ends. Objects of a
 * normal session stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void add_set(HANDLE h, uint32_t base, UINT64 *filter_id)
{
	GUID sl_key = efx_guid(base), co_key = efx_guid(base + 1);
	FWPM_SUBLAYER0 sl;
	memset(&sl, 0, sizeof(sl));
	sl.subLayerKey = sl_key;
	sl.weight = 0x100;
	assert_int_equal(FwpmSubLayerAdd0(h, &sl, NULL), STATUS_SUCCESS);
	FWPM_CALLOUT0 co;
	memset(&co, 0, sizeof(co));
	co.calloutKey = co_key;
	co.applicableLayer = FWPM_LAYER_STREAM_V4;
	assert_int_equal(FwpmCalloutAdd0(h, &co, NULL, NULL), STATUS_SUCCESS);
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, &sl_key, FWP_ACTION_CALLOUT_INSPECTION);
	f.action.calloutKey = co_key;
	assert_int_equal(FwpmFilterAdd0(h, &f, NULL, filter_id), STATUS_SUCCESS);
}

static void test_dynamic_session_objects_die_with_it(void **state)
{
	(void)state;
	efx x;
	efx_up(&x);
	FWPM_SESSION0 session;
	memset(&session, 0, sizeof(session));
	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	HANDLE dyn = NULL, plain = NULL;
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &dyn),
			 STATUS_SUCCESS);
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &plain),
			 STATUS_SUCCESS);
	UINT64 dyn_filter = 0, plain_filter = 0;
	add_set(dyn, 0x100, &dyn_filter);
	add_set(plain, 0x200, &plain_filter);

	owfp_flow_key k = efx_key4(0x0a000001, 40000, 0x0a000002, 80, true);
	UINT64 ids[8];
	assert_int_equal(efx_match_ids(&x, &k, ids, 8), 2);

	assert_int_equal(FwpmEngineClose0(dyn), STATUS_SUCCESS);
	assert_int_equal(efx_match_ids(&x, &k, ids, 8), 1);
	assert_true(ids[0] == plain_filter);
	assert_int_equal(FwpmFilterDeleteById0(plain, dyn_filter), STATUS_FWP_FILTER_NOT_FOUND);
	/* The dynamic callout and sublayer are gone too: their keys are free. */
	GUID sl_key = efx_guid(0x100);
	assert_int_not_equal(FwpmSubLayerDeleteByKey0(plain, &sl_key), STATUS_SUCCESS);
	GUID co_key = efx_guid(0x101);
	assert_int_not_equal(FwpmCalloutDeleteByKey0(plain, &co_key), STATUS_SUCCESS);
	/* The plain session's objects stay after it closes. */
	assert_int_equal(FwpmEngineClose0(plain), STATUS_SUCCESS);
	assert_int_equal(efx_match_ids(&x, &k, ids, 8), 1);
	efx_down(&x);
}

/* Closing a dynamic session with many filters commits once: each commit
 * compiles the layers it changed, and a commit per filter made the close
 * quadratic (40,000 filters did not close in 180 s). Counted, not timed:
 * the engine generation moves once per published change. */
static void test_dynamic_session_closes_in_one_commit(void **state)
{
	(void)state;
	enum { N = 3000 };
	efx x;
	efx_up(&x);
	FWPM_SESSION0 session;
	memset(&session, 0, sizeof(session));
	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	HANDLE dyn = NULL;
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &dyn),
			 STATUS_SUCCESS);
	GUID sl_key = efx_guid(0x300);
	FWPM_SUBLAYER0 sl;
	memset(&sl, 0, sizeof(sl));
	sl.subLayerKey = sl_key;
	sl.weight = 0x100;
	assert_int_equal(FwpmSubLayerAdd0(dyn, &sl, NULL), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionBegin0(dyn, 0), STATUS_SUCCESS);
	for (int i = 0; i < N; i++) {
		FWPM_FILTER_CONDITION0 c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT,
						     FWP_MATCH_EQUAL, (UINT16)(1 + i));
		FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, &sl_key, FWP_ACTION_BLOCK);
		f.numFilterConditions = 1;
		f.filterCondition = &c;
		assert_int_equal(FwpmFilterAdd0(dyn, &f, NULL, NULL), STATUS_SUCCESS);
	}
	assert_int_equal(FwpmTransactionCommit0(dyn), STATUS_SUCCESS);
	efx_arena_free();

	owfp_flow_key k = efx_key4(0x0a000001, 40000, 0x0a000002, 77, true);
	UINT64 ids[4];
	assert_int_equal(efx_match_ids(&x, &k, ids, 4), 1);
	uint64_t before = owfp_engine_generation(x.engine);
	assert_int_equal(FwpmEngineClose0(dyn), STATUS_SUCCESS);
	uint64_t commits = owfp_engine_generation(x.engine) - before;
	assert_true(commits >= 1);
	assert_true(commits <= 2); /* the filters' commit; the sublayer is in it */
	assert_int_equal(efx_match_ids(&x, &k, ids, 4), 0);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dynamic_session_objects_die_with_it),
		cmocka_unit_test(test_dynamic_session_closes_in_one_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
