/*
 * The process byte account under threads (util/memacct.h): workers charge
 * and release while others wait for the low mark; every charge is released
 * exactly, and no waiter is left queued once usage fell below the low mark
 * (a wake-up lost between a waiter's check and a release would hang the
 * source it stands for). Run under ThreadSanitizer (label tsan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "util/memacct.h"

#define LIMIT 4000
#define ROUNDS 20000
#define NCHARGERS 3
#define NWAITERS 3

static owfp_memacct A;

struct waiter {
	owfp_memwait w;
	atomic_bool pending; /* queued and not yet woken */
};

static void on_wake(void *arg)
{
	struct waiter *x = arg;
	atomic_store(&x->pending, false);
}

static void *charger(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		size_t n = (size_t)(i % 7) * 300 + 1;
		owfp_memacct_charge(&A, n);
		owfp_memacct_release(&A, n);
	}
	return NULL;
}

static void *waiting(void *arg)
{
	struct waiter *x = arg;
	for (int i = 0; i < ROUNDS / 10; i++) {
		atomic_store(&x->pending, true);
		if (!owfp_memacct_wait(&A, &x->w, on_wake, x))
			atomic_store(&x->pending, false);
		/* A source that stays paused until woken: spin until then. */
		while (atomic_load(&x->pending))
			sched_yield();
	}
	return NULL;
}

static void test_charges_release_exactly_and_no_waiter_is_left_behind(void **state)
{
	(void)state;
	owfp_memacct_init(&A, LIMIT);
	pthread_t c[NCHARGERS], w[NWAITERS];
	struct waiter x[NWAITERS];
	for (int i = 0; i < NWAITERS; i++) {
		x[i].w = (owfp_memwait){0};
		atomic_init(&x[i].pending, false);
		assert_int_equal(pthread_create(&w[i], NULL, waiting, &x[i]), 0);
	}
	for (int i = 0; i < NCHARGERS; i++)
		assert_int_equal(pthread_create(&c[i], NULL, charger, NULL), 0);
	for (int i = 0; i < NCHARGERS; i++)
		pthread_join(c[i], NULL);
	/* Every charge is gone: usage is 0, below the low mark, so every
	 * waiter still queued must be woken by this last release. */
	owfp_memacct_charge(&A, 1);
	owfp_memacct_release(&A, 1);
	for (int i = 0; i < NWAITERS; i++)
		pthread_join(w[i], NULL);
	assert_int_equal(owfp_memacct_used(&A), 0);
	assert_true(owfp_memacct_peak(&A) <= (size_t)NCHARGERS * 1801 + 1);
	for (int i = 0; i < NWAITERS; i++)
		assert_false(x[i].w.queued);
	owfp_memacct_fini(&A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charges_release_exactly_and_no_waiter_is_left_behind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
