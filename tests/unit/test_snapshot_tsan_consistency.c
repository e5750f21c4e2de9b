/*
 * Readers never see a torn filter set: two threads classify (stream match
 * and ALE_FLOW_ESTABLISHED) while a third adds filter pairs A/B in one
 * transaction and deletes them in another, and registers/unregisters a
 * callout. Every classify sees both filters of a pair or neither. Bounded
 * by the writer's iteration count; meant to run under ThreadSanitizer
 * (label tsan) as well as in the normal and ASan builds.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

#define ROUNDS 1000

static efx x;
static atomic_bool done;
static atomic_long torn, classified;
static GUID ck;

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	out->actionType = FWP_ACTION_PERMIT;
}

static void *reader(void *arg)
{
	owfp_flow_key k = efx_key4(0x0a000001, 1234, 0x0a000002, 80, true);
	long n = 0;

	(void)arg;
	/* At least a few rounds even if the writer finishes first. */
	while (!atomic_load(&done) || n < 50) {
		owfp_match *m = NULL;

		if (owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m) != 0) {
			atomic_fetch_add(&torn, 1);
			continue;
		}
		/* Pairs carry contexts 2i and 2i+1; a lone one is a torn view. */
		if (m->nstages == 1 || m->nstages > 2 ||
		    (m->nstages == 2 &&
		     (m->stages[0].filter.context / 2 != m->stages[1].filter.context / 2 ||
		      m->stages[0].filter.context == m->stages[1].filter.context)))
			atomic_fetch_add(&torn, 1);
		for (size_t i = 0; i < m->nstages; i++)
			if (m->stages[i].callout && !atomic_load(&m->stages[i].callout->registered))
				(void)m->stages[i].callout->id; /* S70 path: just read it */
		owfp_match_release(m);
		(void)owfp_engine_classify_flow_established(x.engine, &k, (UINT64)n);
		n++;
	}
	atomic_fetch_add(&classified, n);
	return NULL;
}

static void *writer(void *arg)
{
	FWPM_FILTER_CONDITION0 c;
	UINT64 ids[2];

	(void)arg;
	c = efx_c_u16(&FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL, 80);
	for (unsigned i = 0; i < ROUNDS; i++) {
		FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL,
					    FWP_ACTION_CALLOUT_INSPECTION);
		FWPM_FILTER0 a = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL,
					    FWP_ACTION_CALLOUT_INSPECTION);
		UINT64 aid;

		f.action.calloutKey = ck;
		f.numFilterConditions = 1;
		f.filterCondition = &c;
		assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
		for (int j = 0; j < 2; j++) {
			f.rawContext = 2 * (UINT64)i + (UINT64)j;
			assert_int_equal(efx_add(&x, &f, &ids[j]), STATUS_SUCCESS);
		}
		assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);

		/* Callout registration races classification too. */
		if (i % 2 == 0)
			assert_int_equal(efx_register(&x, &ck, 0, classify, NULL, NULL),
					 STATUS_SUCCESS);
		else
			assert_int_equal(FwpsCalloutUnregisterByKey0(&ck), STATUS_SUCCESS);
		a.action.calloutKey = efx_guid(2);
		assert_int_equal(efx_add(&x, &a, &aid), STATUS_SUCCESS);

		assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
		assert_int_equal(FwpmFilterDeleteById0(x.h, ids[0]), STATUS_SUCCESS);
		assert_int_equal(FwpmFilterDeleteById0(x.h, ids[1]), STATUS_SUCCESS);
		assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
		assert_int_equal(FwpmFilterDeleteById0(x.h, aid), STATUS_SUCCESS);
	}
	atomic_store(&done, true);
	return NULL;
}

static void test_readers_see_whole_pairs(void **state)
{
	pthread_t r[2], w;
	GUID ale = efx_guid(2);

	(void)state;
	efx_up(&x);
	ck = efx_guid(1);
	efx_callout_add(&x, &ck, &FWPM_LAYER_STREAM_V4);
	efx_callout_add(&x, &ale, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4);
	assert_int_equal(efx_register(&x, &ale, 0, classify, NULL, NULL), STATUS_SUCCESS);
	atomic_store(&done, false);
	atomic_store(&torn, 0);
	atomic_store(&classified, 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&r[i], NULL, reader, NULL), 0);
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	assert_int_equal(pthread_join(w, NULL), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(r[i], NULL), 0);
	assert_int_equal(atomic_load(&torn), 0);
	assert_true(atomic_load(&classified) >= 100);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_see_whole_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
