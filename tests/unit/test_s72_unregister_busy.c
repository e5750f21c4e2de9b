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

static UINT32 drained_id;
static int drained_calls;

static void on_drained(UINT32 id)
{
	drained_id = id;
	drained_calls++;
	/* The driver's retry, as the built-ins make it (instances.c). */
	assert_int_equal(FwpsCalloutUnregisterById0(id), STATUS_SUCCESS);
}

/* The drain hook: run once, when the last context of a callout whose
 * unregister got DEVICE_BUSY goes, so the retry can succeed then. */
static void test_drain_hook_after_last_context(void **state)
{
	efx x;
	GUID k = efx_guid(3), k2 = efx_guid(4);
	UINT32 id, id2;
	owfp_callout *c, *c2;

	(void)state;
	efx_up(&x);
	owfp_callout_set_drain_hook(on_drained);
	drained_calls = 0;
	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, &id), STATUS_SUCCESS);
	assert_int_equal(efx_register(&x, &k2, 0, classify, NULL, &id2), STATUS_SUCCESS);
	c = owfp_engine_callout_by_id(x.engine, id);
	c2 = owfp_engine_callout_by_id(x.engine, id2);
	atomic_fetch_add(&c->contexts, 2);
	atomic_fetch_add(&c2->contexts, 1);
	/* Still registered: the last context going is no drain. */
	owfp_callout_context_put(c2);
	assert_int_equal(drained_calls, 0);
	assert_int_equal(FwpsCalloutUnregisterById0(id), STATUS_DEVICE_BUSY);
	owfp_callout_context_put(c);
	assert_int_equal(drained_calls, 0);
	owfp_callout_context_put(c); /* the last: the hook unregisters it */
	assert_int_equal(drained_calls, 1);
	assert_int_equal(drained_id, id);
	assert_null(owfp_engine_callout_by_id(x.engine, id));
	assert_int_equal(FwpsCalloutUnregisterById0(id2), STATUS_SUCCESS);
	owfp_callout_set_drain_hook(NULL);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drain_hook_after_last_context),
		cmocka_unit_test(test_busy_then_success),
		cmocka_unit_test(test_s70_stages_of_missing_callouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
