/*
 * S72a under ThreadSanitizer: flows on three threads classify through one
 * callout while the main thread unregisters it and, as a driver unloading
 * or a built-in reloading does, frees the state its classifyFn reads. No
 * classifyFn may still run, or start, once the unregister returned success:
 * TSan reports the free racing with a read if one did, and the count of
 * classifies must not move after the unregister returned.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "engine_fixture.h"

#define NWORKERS 3
#define MAX_SENDS 20000 /* bound per worker; they stop once told */
#define MAGIC 0x72a72a

typedef struct owner {
	int magic; /* plain: written only before the threads and before free */
} owner;

static owner *the_owner;
static atomic_long hits, bad;
static atomic_bool stop;
static atomic_int workers_done;

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	if (the_owner->magic != MAGIC)
		atomic_fetch_add(&bad, 1);
	out->actionType = FWP_ACTION_PERMIT;
	atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
}

static void nop_deliver(void *dp, owfp_flow *f, int dir, const uint8_t *d, size_t n)
{
	(void)dp, (void)f, (void)dir, (void)d, (void)n;
}

static const owfp_flow_ops ops = {.deliver = nop_deliver};

static void *worker(void *arg)
{
	owfp_flow *flow = arg;

	for (int i = 0; i < MAX_SENDS && !atomic_load(&stop); i++)
		owfp_flow_indicate(flow, OWFP_DIR_OUTBOUND, (const uint8_t *)"x", 1, 0, 0);
	atomic_fetch_add(&workers_done, 1);
	return NULL;
}

static void test_free_after_unregister(void **state)
{
	efx x;
	GUID k = efx_guid(0x72b);
	FWPM_FILTER0 f;
	UINT32 id;
	owfp_flow *flows[NWORKERS];
	pthread_t t[NWORKERS];

	(void)state;
	the_owner = malloc(sizeof(*the_owner));
	assert_non_null(the_owner);
	the_owner->magic = MAGIC;
	efx_up(&x);
	efx_callout_add(&x, &k, &FWPM_LAYER_STREAM_V4);
	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, &id), STATUS_SUCCESS);
	f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING);
	f.action.calloutKey = k;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	for (int i = 0; i < NWORKERS; i++) {
		owfp_flow_key key = efx_key4(0x0a000001, (UINT16)(2000 + i), 0x0a000002, 80, true);
		assert_int_equal(owfp_flow_create(x.engine, &key, &ops, NULL, &flows[i]), 0);
		assert_int_equal(pthread_create(&t[i], NULL, worker, flows[i]), 0);
	}
	/* Unregister while the workers are classifying (a condition, not a time). */
	while (atomic_load_explicit(&hits, memory_order_relaxed) < 200 &&
	       atomic_load(&workers_done) == 0)
		sched_yield();
	assert_int_equal(FwpsCalloutUnregisterById0(id), STATUS_SUCCESS);
	long at_return = atomic_load(&hits);
	the_owner->magic = 0;
	free(the_owner);
	the_owner = NULL;
	atomic_store(&stop, true);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(t[i], NULL);
	assert_true(at_return > 0);
	assert_int_equal(atomic_load(&hits), at_return);
	assert_int_equal(atomic_load(&bad), 0);
	for (int i = 0; i < NWORKERS; i++)
		owfp_flow_close(flows[i]);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_after_unregister),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
