/*
 * Management transactions: changes become visible together at commit and
 * vanish on abort; one session owns the transaction while others wait;
 * closing a session aborts its transaction.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static size_t count(efx *x)
{
	owfp_flow_key k = efx_key4(1, 2, 3, 4, true);
	UINT64 ids[16];

	return efx_match_ids(x, &k, ids, 16);
}

static void test_visible_at_commit_only(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	UINT64 a, b;
	uint64_t gen, last;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_FWP_TXN_IN_PROGRESS);
	gen = owfp_engine_generation(x.engine);
	last = owfp_engine_last_filter_id(x.engine);
	assert_int_equal(efx_add(&x, &f, &a), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &b), STATUS_SUCCESS);
	assert_int_equal(count(&x), 0);
	assert_int_equal(owfp_engine_generation(x.engine), gen);
	assert_int_equal(owfp_engine_last_filter_id(x.engine), last);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	assert_int_equal(count(&x), 2);
	assert_true(owfp_engine_generation(x.engine) > gen);
	assert_int_equal(owfp_engine_last_filter_id(x.engine), b);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_FWP_NO_TXN_IN_PROGRESS);
	assert_int_equal(FwpmTransactionAbort0(x.h), STATUS_FWP_NO_TXN_IN_PROGRESS);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0x80), STATUS_FWP_INVALID_FLAGS);

	/* Deletions too wait for the commit. */
	assert_int_equal(FwpmTransactionBegin0(x.h, FWPM_TXN_READ_ONLY), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	assert_int_equal(count(&x), 2);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	assert_int_equal(count(&x), 1);
	efx_down(&x);
}

static void test_abort_restores_everything(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	GUID s = efx_guid(1), c = efx_guid(2), gone = efx_guid(3);
	UINT64 a;

	(void)state;
	efx_up(&x);
	efx_sublayer(&x, &gone, 5);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(efx_add(&x, &f, &a), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	efx_sublayer(&x, &s, 10);
	efx_callout_add(&x, &c, &FWPM_LAYER_STREAM_V4);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &gone), STATUS_SUCCESS);
	f.subLayerKey = s;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionAbort0(x.h), STATUS_SUCCESS);
	assert_int_equal(count(&x), 1);
	/* The sublayer and callout added in the transaction are gone, the deleted one is back. */
	f.subLayerKey = s;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_SUBLAYER_NOT_FOUND);
	assert_int_equal(FwpmCalloutDeleteByKey0(x.h, &c), STATUS_FWP_CALLOUT_NOT_FOUND);
	assert_int_equal(FwpmSubLayerDeleteByKey0(x.h, &gone), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	efx_down(&x);
}

typedef struct other {
	HANDLE h;
	NTSTATUS st;
	size_t seen;
	efx *x;
} other;

static void *other_session_add(void *arg)
{
	other *o = arg;
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_BLOCK);

	/* Waits until the first session's transaction ends. */
	o->st = FwpmFilterAdd0(o->h, &f, NULL, NULL);
	return NULL;
}

static void test_other_session_waits_for_commit(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	other o;
	pthread_t t;

	(void)state;
	efx_up(&x);
	memset(&o, 0, sizeof(o));
	o.x = &x;
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &o.h),
			 STATUS_SUCCESS);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(pthread_create(&t, NULL, other_session_add, &o), 0);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(o.st, STATUS_SUCCESS);
	assert_int_equal(count(&x), 3);
	assert_int_equal(FwpmEngineClose0(o.h), STATUS_SUCCESS);
	efx_down(&x);
}

static void test_close_aborts_open_transaction(void **state)
{
	efx x;
	HANDLE h2;
	FWPM_FILTER0 f;

	(void)state;
	efx_up(&x);
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h2), STATUS_SUCCESS);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	assert_int_equal(FwpmTransactionBegin0(h2, 0), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterAdd0(h2, &f, NULL, NULL), STATUS_SUCCESS);
	assert_int_equal(FwpmEngineClose0(h2), STATUS_SUCCESS);
	assert_int_equal(FwpmEngineClose0(h2), STATUS_INVALID_HANDLE);
	/* The first session is not blocked, and nothing was committed. */
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(count(&x), 1);
	efx_down(&x);
}

static void test_failed_implicit_op_leaves_no_trace(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	uint64_t gen;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.subLayerKey = efx_guid(40);
	gen = owfp_engine_generation(x.engine);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_SUBLAYER_NOT_FOUND);
	assert_int_equal(owfp_engine_generation(x.engine), gen);
	assert_int_equal(count(&x), 0);
	/* A failure inside an explicit transaction leaves it open and usable. */
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_SUBLAYER_NOT_FOUND);
	memset(&f.subLayerKey, 0, sizeof(GUID));
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	assert_int_equal(count(&x), 1);
	efx_down(&x);
}

/* A match keeps its filters (and their conditions) alive after they are deleted. */
static void test_match_outlives_deleted_filters(void **state)
{
	efx x;
	FWPM_FILTER0 f;
	FWPM_FILTER_CONDITION0 c = efx_c_range16(&FWPM_CONDITION_IP_REMOTE_PORT, 10, 20);
	owfp_flow_key k = efx_key4(1, 2, 3, 15, true);
	owfp_match *m;
	UINT64 id;

	(void)state;
	efx_up(&x);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);
	f.numFilterConditions = 1;
	f.filterCondition = &c;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 1);
	assert_int_equal(FwpmFilterDeleteById0(x.h, id), STATUS_SUCCESS);
	assert_int_equal(count(&x), 0);
	assert_int_equal(
		m->stages[0].filter.filterCondition[0].conditionValue.rangeValue->valueHigh.uint16,
		20);
	owfp_match_release(m);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible_at_commit_only),
		cmocka_unit_test(test_abort_restores_everything),
		cmocka_unit_test(test_other_session_waits_for_commit),
		cmocka_unit_test(test_close_aborts_open_transaction),
		cmocka_unit_test(test_failed_implicit_op_leaves_no_trace),
		cmocka_unit_test(test_match_outlives_deleted_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
