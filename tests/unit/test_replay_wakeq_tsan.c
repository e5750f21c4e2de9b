/*
 * The replay's wake queue: wakes from other threads reach the replay thread
 * once per flow, the drain sleeps until a wake (not a poll) or its deadline,
 * and a closed flow leaves the queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "replay/wakeq.h"

static struct timespec in_ms(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void test_a_flow_woken_twice_is_run_once(void **state)
{
	(void)state;
	owfp_wakeq q;
	owfp_wakeq_node a = {0}, b = {0};
	assert_int_equal(owfp_wakeq_init(&q), 0);
	assert_false(owfp_wakeq_pending(&q));
	owfp_wakeq_push(&q, &a);
	owfp_wakeq_push(&q, &b);
	owfp_wakeq_push(&q, &a);
	assert_true(owfp_wakeq_pending(&q));
	assert_ptr_equal(owfp_wakeq_pop(&q), &a);
	assert_ptr_equal(owfp_wakeq_pop(&q), &b);
	assert_null(owfp_wakeq_pop(&q));
	assert_false(owfp_wakeq_pending(&q));
	owfp_wakeq_destroy(&q);
}

static void test_a_closed_flow_leaves_the_queue(void **state)
{
	(void)state;
	owfp_wakeq q;
	owfp_wakeq_node a = {0}, b = {0};
	assert_int_equal(owfp_wakeq_init(&q), 0);
	owfp_wakeq_push(&q, &a);
	owfp_wakeq_push(&q, &b);
	owfp_wakeq_remove(&q, &a);
	owfp_wakeq_remove(&q, &a); /* not queued any more: harmless */
	assert_ptr_equal(owfp_wakeq_pop(&q), &b);
	assert_null(owfp_wakeq_pop(&q));
	owfp_wakeq_destroy(&q);
}

static void test_wait_times_out_when_nothing_comes(void **state)
{
	(void)state;
	owfp_wakeq q;
	assert_int_equal(owfp_wakeq_init(&q), 0);
	struct timespec deadline = in_ms(20);
	assert_false(owfp_wakeq_wait(&q, &deadline));
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	assert_true(now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec));
	owfp_wakeq_destroy(&q);
}

struct waker {
	owfp_wakeq *q;
	owfp_wakeq_node *nodes;
	int n;
};

static void *wake_all(void *arg)
{
	struct waker *w = arg;
	for (int i = 0; i < w->n; i++)
		owfp_wakeq_push(w->q, &w->nodes[i % 8]);
	return NULL;
}

static void test_wakes_from_other_threads_end_the_wait(void **state)
{
	(void)state;
	owfp_wakeq q;
	owfp_wakeq_node nodes[8];
	memset(nodes, 0, sizeof(nodes));
	assert_int_equal(owfp_wakeq_init(&q), 0);
	struct waker w = {&q, nodes, 10000};
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, wake_all, &w), 0);
	/* A long deadline: the wait returns because of a wake, not the clock. */
	struct timespec deadline = in_ms(60000);
	assert_true(owfp_wakeq_wait(&q, &deadline));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	int popped = 0;
	while (owfp_wakeq_pop(&q))
		popped++;
	assert_in_range(popped, 1, 8);
	for (int i = 0; i < 8; i++)
		assert_false(nodes[i].queued);
	owfp_wakeq_destroy(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_flow_woken_twice_is_run_once),
		cmocka_unit_test(test_a_closed_flow_leaves_the_queue),
		cmocka_unit_test(test_wait_times_out_when_nothing_comes),
		cmocka_unit_test(test_wakes_from_other_threads_end_the_wait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
