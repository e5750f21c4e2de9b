/*
 * S103 with the match cache under threads (docs/semantics.md "Match
 * cache"): workers match flows while the main thread adds filters; every
 * match started after an add returned has that filter, whatever thread and
 * cache answered it. Workers exit and new ones start between rounds, so a
 * thread slot's cache passes from one thread to the next. Run under TSan.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "engine_fixture.h"

#define WORKERS 3
#define ROUNDS 3
#define ADDS 12
#define MATCHES 400

static efx x;
static atomic_uint added; /* filters whose FwpmFilterAdd0 has returned */
static atomic_bool failed;

static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	for (int i = 0; i < MATCHES; i++) {
		/* A few distinct flows, so entries are hit as well as filled. */
		owfp_flow_key k = efx_key4(0x0a000001, 80, 0x0a000002,
					   (UINT16)(40000 + (seed + (unsigned)i) % 4), false);
		unsigned before = atomic_load(&added);
		owfp_match *m = NULL;

		if (owfp_engine_match_stream(x.engine, &k, UINT64_MAX, &m) != 0) {
			atomic_store(&failed, true);
			break;
		}
		/* Every filter matches every flow: at least those added before. */
		if (m->nstages < before)
			atomic_store(&failed, true);
		owfp_match_release(m);
	}
	return NULL;
}

static void test_adds_seen_by_every_thread(void **state)
{
	(void)state;
	efx_up(&x);
	for (int round = 0; round < ROUNDS; round++) {
		pthread_t t[WORKERS];

		for (int w = 0; w < WORKERS; w++)
			assert_int_equal(pthread_create(&t[w], NULL, worker,
							(void *)(uintptr_t)(round * WORKERS + w)),
					 0);
		for (int a = 0; a < ADDS / ROUNDS; a++) {
			FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_PERMIT);

			assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
			atomic_fetch_add(&added, 1);
		}
		for (int w = 0; w < WORKERS; w++)
			pthread_join(t[w], NULL);
		assert_false(atomic_load(&failed));
	}
	/* After the last add, every thread's next match has them all. */
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, worker, (void *)1), 0);
	pthread_join(t, NULL);
	assert_false(atomic_load(&failed));
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adds_seen_by_every_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
