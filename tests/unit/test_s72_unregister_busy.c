/*
 * S72/Q22: unregistering a callout that flows still hold contexts for
 * returns STATUS_DEVICE_BUSY, yet from that first call the callout is
 * unregistered for classification (S70 applies); once the contexts are gone
 * the next unregister succeeds. S70 on the stream side: stages of filters
 * whose callout is missing carry a NULL or unregistered callout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_busy_then_success(void **state)
{
	efx x;
	GUID k = efx_guid(1);
	UINT32 id;
	owfp_callout *c;

	(void)state;
	efx_up(&x);
	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, &id), STATUS_SUCCESS);
	c = owfp_engine_callout_by_id(x.engine, id);
	atomic_fetch_add(&c->contexts, 2); /* as FwpsFlowAssociateContext0 would */
	assert_int_equal(FwpsCalloutUnregisterById0(id), STATUS_DEVICE_BUSY);
	assert_false(atomic_load(&c->registered));
	/* Still taken until an unregister succeeds. */
	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, NULL), STATUS_FWP_ALREADY_EXISTS);
	assert_int_equal(FwpsCalloutUnregisterByKey0(&k), STATUS_DEVICE_BUSY);
	atomic_fetch_sub(&c->contexts, 2);
	assert_int_equal(FwpsCalloutUnregisterByKey0(&k), STATUS_SUCCESS);
	assert_int_equal(FwpsCalloutUnregisterByKey0(&k), STATUS_FWP_CALLOUT_NOT_FOUND);
	/* Gone: the id no longer names an object (no match held this one, so it
	 * was freed; a match that names one keeps it: see the test below). */
	assert_null(owfp_engine_callout_by_id(x.engine, id));
	efx_down(&x);
}

static void test_s70_stages_of_missing_callouts(void **state)
{
	efx x;
	GUID k = efx_guid(2);
	FWPM_FILTER0 f;
	owfp_flow_key key = efx_key4(1, 2, 3, 4, true);
	owfp_match *m;
	UINT32 id;
	uint64_t g0, g1, g2;

	(void)state;
	efx_up(&x);
	efx_callout_add(&x, &k, &FWPM_LAYER_STREAM_V4);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING);
	f.action.calloutKey = k;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	/* Never registered: the stage has no callout, but its filter says CALLOUT. */
	assert_int_equal(owfp_engine_match_stream(x.engine, &key, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 1);
	assert_null(m->stages[0].callout);
	assert_int_equal(m->stages[0].filter.action.type, FWP_ACTION_CALLOUT_TERMINATING);
	g0 = m->generation;
	owfp_match_release(m);

	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, &id), STATUS_SUCCESS);
	g1 = owfp_engine_generation(x.engine);
	assert_true(g1 > g0);
	assert_int_equal(owfp_engine_match_stream(x.engine, &key, UINT64_MAX, &m), 0);
	assert_non_null(m->stages[0].callout);
	assert_int_equal(m->stages[0].filter.action.calloutId, id);
	assert_true(atomic_load(&m->stages[0].callout->registered));
	assert_int_equal(FwpsCalloutUnregisterById0(id), STATUS_SUCCESS);
	/* A stage computed before still sees the change (Q22), and the generation moved. */
	assert_false(atomic_load(&m->stages[0].callout->registered));
	g2 = owfp_engine_generation(x.engine);
	assert_true(g2 > g1);
	owfp_match_release(m);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy_then_success),
		cmocka_unit_test(test_s70_stages_of_missing_callouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
