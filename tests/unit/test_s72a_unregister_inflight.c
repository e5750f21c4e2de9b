/*
 * S72a: FwpsCalloutUnregisterById0 does not return while a classifyFn of
 * that callout runs on another thread (a driver frees its state once the
 * unregister succeeded: review finding O1, a use-after-free on reload). An
 * unregister from inside the callout's own classifyFn does not wait for
 * that call, so it neither deadlocks nor fails.
 *
 * Deterministic: the classifyFn stays in until the unregister either
 * returned (the bug) or announced that it waits for classifies
 * (`unregister_waits`), then records which one it saw.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* Under mu, except what only one thread touches at a time. */
static struct {
	owfp_callout *c; /* the callout object, for `unregister_waits` */
	UINT32 id;
	int calls;
	bool entered, classify_done, unreg_returned;
	bool returned_while_running;
	bool done_at_return;
	NTSTATUS unreg_status;
	NTSTATUS self_status;
	bool self_unregister;
} T;

static void NTAPI blocking(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	pthread_mutex_lock(&mu);
	T.calls++;
	if (T.self_unregister) {
		pthread_mutex_unlock(&mu);
		T.self_status = FwpsCalloutUnregisterById0(T.id);
		out->actionType = FWP_ACTION_PERMIT;
		return;
	}
	T.entered = true;
	pthread_cond_broadcast(&cv);
	/* A condition wait, not a timing one: one of the two must happen. */
	while (!T.unreg_returned && atomic_load(&T.c->unregister_waits) == 0) {
		pthread_mutex_unlock(&mu);
		sched_yield();
		pthread_mutex_lock(&mu);
	}
	T.returned_while_running = T.unreg_returned;
	T.classify_done = true;
	pthread_mutex_unlock(&mu);
	out->actionType = FWP_ACTION_PERMIT;
}

static void nop_deliver(void *dp, owfp_flow *f, int dir, const uint8_t *d, size_t n)
{
	(void)dp, (void)f, (void)dir, (void)d, (void)n;
}

static const owfp_flow_ops ops = {.deliver = nop_deliver};

static owfp_flow_key key;
static owfp_engine *engine;

/* The callout behind one TERMINATING filter at `layer`; the flow is made
 * here for the stream layer (at ALE_FLOW_ESTABLISHED making it classifies). */
static void setup_callout(efx *x, const GUID *layer, owfp_flow **flow)
{
	GUID k = efx_guid(0x72a);
	FWPM_FILTER0 f;

	key = efx_key4(0x0a000001, 1000, 0x0a000002, 80, true);
	efx_up(x);
	engine = x->engine;
	efx_callout_add(x, &k, layer);
	assert_int_equal(efx_register(x, &k, 0, blocking, NULL, &T.id), STATUS_SUCCESS);
	f = efx_filter(layer, NULL, FWP_ACTION_CALLOUT_TERMINATING);
	f.action.calloutKey = k;
	assert_int_equal(efx_add(x, &f, NULL), STATUS_SUCCESS);
	T.c = owfp_engine_callout_by_id(x->engine, T.id);
	assert_non_null(T.c);
	if (flow)
		assert_int_equal(owfp_flow_create(x->engine, &key, &ops, NULL, flow), 0);
}

static void *create(void *arg)
{
	owfp_flow **flow = arg;

	assert_int_equal(owfp_flow_create(engine, &key, &ops, NULL, flow), 0);
	return NULL;
}

static void *indicate(void *arg)
{
	owfp_flow *flow = arg;

	owfp_flow_indicate(flow, OWFP_DIR_OUTBOUND, (const uint8_t *)"abc", 3, 0, 0);
	return NULL;
}

static void *unregister(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!T.entered)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	NTSTATUS st = FwpsCalloutUnregisterById0(T.id);
	pthread_mutex_lock(&mu);
	T.unreg_status = st;
	T.done_at_return = T.classify_done;
	T.unreg_returned = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void test_unregister_waits_for_classify(void **state)
{
	efx x;
	owfp_flow *flow = NULL;
	pthread_t ti, tu;

	(void)state;
	setup_callout(&x, &FWPM_LAYER_STREAM_V4, &flow);
	assert_int_equal(pthread_create(&ti, NULL, indicate, flow), 0);
	assert_int_equal(pthread_create(&tu, NULL, unregister, NULL), 0);
	pthread_join(tu, NULL);
	pthread_join(ti, NULL);
	assert_int_equal(T.unreg_status, STATUS_SUCCESS);
	assert_false(T.returned_while_running);
	assert_true(T.done_at_return);
	/* After it, the callout is not called again (S70: the data is blocked). */
	owfp_flow_indicate(flow, OWFP_DIR_OUTBOUND, (const uint8_t *)"def", 3, 0, 0);
	assert_int_equal(T.calls, 1);
	owfp_flow_close(flow);
	efx_down(&x);
}

/* The same at ALE_FLOW_ESTABLISHED (engine arbitration, not a stream stage). */
static void test_unregister_waits_for_ale_classify(void **state)
{
	efx x;
	owfp_flow *flow = NULL;
	pthread_t tc, tu;

	(void)state;
	memset(&T, 0, sizeof(T));
	setup_callout(&x, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL);
	assert_int_equal(pthread_create(&tc, NULL, create, &flow), 0);
	assert_int_equal(pthread_create(&tu, NULL, unregister, NULL), 0);
	pthread_join(tu, NULL);
	pthread_join(tc, NULL);
	assert_int_equal(T.unreg_status, STATUS_SUCCESS);
	assert_false(T.returned_while_running);
	assert_true(T.done_at_return);
	assert_int_equal(T.calls, 1);
	owfp_flow_close(flow);
	efx_down(&x);
}

static void test_unregister_from_own_classify(void **state)
{
	efx x;
	owfp_flow *flow = NULL;

	(void)state;
	memset(&T, 0, sizeof(T));
	T.self_unregister = true;
	setup_callout(&x, &FWPM_LAYER_STREAM_V4, &flow);
	indicate(flow); /* would never return if the unregister waited for itself */
	assert_int_equal(T.self_status, STATUS_SUCCESS);
	assert_int_equal(atomic_load(&T.c->unregister_waits), 0);
	indicate(flow);
	assert_int_equal(T.calls, 1);
	owfp_flow_close(flow);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unregister_waits_for_classify),
		cmocka_unit_test(test_unregister_waits_for_ale_classify),
		cmocka_unit_test(test_unregister_from_own_classify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
