/*
 * Kernel events, waits and system threads (src/wdm/event.c, thread.c):
 * notification vs. synchronization events, timeouts, waiting on a thread
 * object, PsTerminateSystemThread, and thread-object reference counting.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "wdm/pool.h"

static LONGLONG now_100ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (LONGLONG)ts.tv_sec * 10000000 + ts.tv_nsec / 100;
}

/* The thread drops its own reference just after signalling its end. */
static void wait_for_thread_objects_freed(void)
{
	for (long i = 0; i < 100000000 && owfp_pool_outstanding(OWFP_TAG_THREAD); i++)
		sched_yield();
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_THREAD), 0);
}

static void test_notification_event_stays_signalled(void **state)
{
	KEVENT ev;
	LARGE_INTEGER zero = {.QuadPart = 0};

	(void)state;
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero),
			 STATUS_TIMEOUT);
	assert_int_equal(KeSetEvent(&ev, IO_NO_INCREMENT, FALSE), 0);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero),
			 STATUS_SUCCESS);
	assert_int_equal(KeReadStateEvent(&ev), 1);
	assert_int_equal(KeResetEvent(&ev), 1);
	assert_int_equal(KeReadStateEvent(&ev), 0);
}

static void test_synchronization_event_resets_on_a_satisfied_wait(void **state)
{
	KEVENT ev;
	LARGE_INTEGER zero = {.QuadPart = 0};

	(void)state;
	KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero),
			 STATUS_SUCCESS);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero),
			 STATUS_TIMEOUT);
	KeSetEvent(&ev, IO_NO_INCREMENT, FALSE);
	KeClearEvent(&ev);
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero),
			 STATUS_TIMEOUT);
}

static void test_relative_and_absolute_timeouts(void **state)
{
	KEVENT ev;
	LARGE_INTEGER rel = {.QuadPart = -200000}; /* 20 ms */
	LARGE_INTEGER past;
	LONGLONG t0;

	(void)state;
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	t0 = now_100ns();
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &rel),
			 STATUS_TIMEOUT);
	assert_true(now_100ns() - t0 >= 200000);
	/* An absolute time already past times out at once. */
	KeQuerySystemTime(&past);
	past.QuadPart -= 10000000;
	assert_int_equal(KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &past),
			 STATUS_TIMEOUT);
	t0 = now_100ns();
	assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &rel), STATUS_SUCCESS);
	assert_true(now_100ns() - t0 >= 200000);
}

typedef struct ping {
	KEVENT go;
	KEVENT done;
	int steps;
} ping;

static void ping_thread(PVOID ctx)
{
	ping *p = ctx;

	KeWaitForSingleObject(&p->go, Executive, KernelMode, FALSE, NULL);
	p->steps++;
	KeSetEvent(&p->done, IO_NO_INCREMENT, FALSE);
}

static void test_waiting_on_a_thread_object_joins_it(void **state)
{
	ping p = {.steps = 0};
	HANDLE h = NULL;
	PVOID thread = NULL;

	(void)state;
	KeInitializeEvent(&p.go, NotificationEvent, FALSE);
	KeInitializeEvent(&p.done, NotificationEvent, FALSE);
	assert_int_equal(
		PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, ping_thread, &p),
		STATUS_SUCCESS);
	assert_non_null(h);
	assert_int_equal(ObReferenceObjectByHandle(h, THREAD_ALL_ACCESS, *PsThreadType, KernelMode,
						   &thread, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(ZwClose(h), STATUS_SUCCESS);
	KeSetEvent(&p.go, IO_NO_INCREMENT, FALSE);
	assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(p.steps, 1);
	assert_int_equal(KeReadStateEvent(&p.done), 1);
	ObDereferenceObject(thread);
	wait_for_thread_objects_freed();
}

static void terminating_thread(PVOID ctx)
{
	int *steps = ctx;

	(*steps)++;
	PsTerminateSystemThread(STATUS_SUCCESS);
	(*steps)++; /* never runs */
}

static void test_terminate_system_thread_ends_only_system_threads(void **state)
{
	HANDLE h;
	PVOID thread;
	int steps = 0;

	(void)state;
	assert_int_equal(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);
	assert_int_equal(PsCreateSystemThread(&h, 0, NULL, NULL, NULL, terminating_thread, &steps),
			 STATUS_SUCCESS);
	assert_int_equal(ObReferenceObjectByHandle(h, SYNCHRONIZE, NULL, KernelMode, &thread, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(steps, 1);
	ObDereferenceObject(thread);
	ZwClose(h);
	wait_for_thread_objects_freed();
}

static void test_bad_handles_and_out_of_memory(void **state)
{
	HANDLE h = (HANDLE)&h;
	PVOID obj = (PVOID)&obj;
	uint64_t not_a_thread[8] = {0};
	int steps = 0;

	(void)state;
	assert_int_equal(ZwClose(not_a_thread), STATUS_INVALID_HANDLE);
	assert_int_equal(ObReferenceObjectByHandle(not_a_thread, 0, NULL, KernelMode, &obj, NULL),
			 STATUS_INVALID_HANDLE);
	assert_null(obj);
	assert_int_equal(PsCreateSystemThread(&h, 0, NULL, NULL, NULL, NULL, NULL),
			 STATUS_INVALID_PARAMETER);
	owfp_pool_fail_nth(1);
	assert_int_equal(PsCreateSystemThread(&h, 0, NULL, NULL, NULL, terminating_thread, &steps),
			 STATUS_INSUFFICIENT_RESOURCES);
	assert_null(h);
	assert_int_equal(steps, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notification_event_stays_signalled),
		cmocka_unit_test(test_synchronization_event_resets_on_a_satisfied_wait),
		cmocka_unit_test(test_relative_and_absolute_timeouts),
		cmocka_unit_test(test_waiting_on_a_thread_object_joins_it),
		cmocka_unit_test(test_terminate_system_thread_ends_only_system_threads),
		cmocka_unit_test(test_bad_handles_and_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
