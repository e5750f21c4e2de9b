/*
 * Thread-slot counters (util/thread_slot.h): every add is kept, whether a
 * thread owns a slot or shares the last one, and a slot freed by an exiting
 * thread keeps its sums for the next owner.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/thread_slot.h"

#define THREADS (OWFP_THREAD_SLOTS + 8) /* some must share the last cell */
#define ADDS 20000

/* Padded like the real cells, so OWFP_SLOT_SUM walks a stride > 8. */
static struct cell {
	atomic_ullong n;
	char pad[56];
} cells[OWFP_THREAD_SLOTS + 1];
static pthread_barrier_t start;

static uint64_t sum(void)
{
	return OWFP_SLOT_SUM(cells, n);
}

static void *adder(void *arg)
{
	int *slot_out = arg;
	/* All claim a slot at once, so more threads live than there are slots. */
	int slot = owfp_thread_slot();
	pthread_barrier_wait(&start);
	for (int i = 0; i < ADDS; i++)
		OWFP_SLOT_ADD(cells, n, 1);
	*slot_out = slot;
	pthread_barrier_wait(&start); /* hold the slot until every thread is done */
	return NULL;
}

static void test_no_add_lost_with_more_threads_than_slots(void **state)
{
	(void)state;
	pthread_t t[THREADS];
	int slots[THREADS];
	assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, adder, &slots[i]), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	assert_int_equal(sum(), (uint64_t)THREADS * ADDS);

	/* No two live threads owned the same slot; the rest shared the last. */
	int owners[OWFP_THREAD_SLOTS + 1] = {0};
	int shared = 0;
	for (int i = 0; i < THREADS; i++) {
		assert_true(slots[i] >= 0 && slots[i] <= OWFP_THREAD_SLOT_SHARED);
		if (slots[i] == OWFP_THREAD_SLOT_SHARED)
			shared++;
		else
			assert_int_equal(owners[slots[i]]++, 0);
	}
	/* Every slot was taken (the main thread never asked for one). */
	assert_int_equal(shared, THREADS - OWFP_THREAD_SLOTS);
}

static void *one_add(void *arg)
{
	int *slot_out = arg;
	*slot_out = owfp_thread_slot();
	OWFP_SLOT_ADD(cells, n, 5);
	return NULL;
}

static void test_freed_slot_is_reused_and_keeps_its_sum(void **state)
{
	(void)state;
	uint64_t before = sum();
	int a, b;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, one_add, &a), 0);
	pthread_join(t, NULL);
	assert_int_equal(pthread_create(&t, NULL, one_add, &b), 0);
	pthread_join(t, NULL);
	assert_true(a < OWFP_THREAD_SLOT_SHARED);
	assert_int_equal(a, b); /* the lowest free slot, given back at exit */
	assert_int_equal(sum(), before + 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_add_lost_with_more_threads_than_slots),
		cmocka_unit_test(test_freed_slot_is_reused_and_keeps_its_sum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
