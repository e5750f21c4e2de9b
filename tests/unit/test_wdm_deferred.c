/*
 * Deferred work (src/wdm/workitem.c, dpc.c, timer.c): work items run on a
 * worker thread and may free themselves; a DPC is queued once however
 * often it is inserted, and can be removed or flushed; timers fire (their
 * DPC and their waiters), re-fire when periodic, and stay quiet when
 * cancelled; misuse (queuing a work item twice) is a contained bug check;
 * the processor index stays below the processor count.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "wdm/contain.h"
#include "wdm/deferred.h"
#include "wdm/pool.h"

/* Upper bounds only: each wait ends as soon as the event is set. */
static LARGE_INTEGER five_seconds = {.QuadPart = -50000000LL};

static DRIVER_OBJECT test_driver = {.Type = 4, .Size = (SHORT)sizeof(DRIVER_OBJECT)};

static NTSTATUS wait(PVOID object)
{
	return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &five_seconds);
}

/* ------------------------------------------------------------ work items */

typedef struct wi_ctx {
	KEVENT done;
	PIO_WORKITEM item;
	pthread_t thread;
	PVOID device_seen;
	bool free_self;
	LONG runs;
} wi_ctx;

static void NTAPI wi_routine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	wi_ctx *c = Context;

	c->device_seen = DeviceObject;
	c->thread = pthread_self();
	InterlockedIncrement(&c->runs);
	if (c->free_self)
		IoFreeWorkItem(c->item); /* allowed from the item's own routine */
	KeSetEvent(&c->done, IO_NO_INCREMENT, FALSE);
}

static void test_work_item_runs_on_a_worker_and_frees_itself(void **state)
{
	PDEVICE_OBJECT dev;
	wi_ctx c = {.free_self = true};
	ULONG tag = OWFP_POOL_TAG('O', 'w', 'W', 'i');

	(void)state;
	assert_int_equal(IoCreateDevice(&test_driver, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &dev),
			 STATUS_SUCCESS);
	KeInitializeEvent(&c.done, NotificationEvent, FALSE);
	c.item = IoAllocateWorkItem(dev);
	assert_non_null(c.item);
	assert_int_equal(owfp_pool_outstanding(tag), 1);
	IoQueueWorkItem(c.item, wi_routine, DelayedWorkQueue, &c);
	assert_int_equal(wait(&c.done), STATUS_SUCCESS);
	assert_int_equal(c.runs, 1);
	assert_ptr_equal(c.device_seen, dev);
	assert_false(pthread_equal(c.thread, pthread_self()));
	owfp_workitems_drain_driver(&test_driver);
	assert_int_equal(owfp_pool_outstanding(tag), 0);
	IoDeleteDevice(dev);
}

static void NTAPI wi_routine_ex(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
	wi_ctx *c = Context;

	c->device_seen = IoObject;
	assert_ptr_equal(IoWorkItem, c->item);
	if (InterlockedIncrement(&c->runs) < 3)
		IoQueueWorkItemEx(IoWorkItem, wi_routine_ex, DelayedWorkQueue, c); /* re-queue itself */
	else
		KeSetEvent(&c->done, IO_NO_INCREMENT, FALSE);
}

static void test_driver_storage_work_item_requeues_from_its_routine(void **state)
{
	wi_ctx c = {0};

	(void)state;
	KeInitializeEvent(&c.done, NotificationEvent, FALSE);
	assert_true(IoSizeofWorkItem() >= sizeof(LIST_ENTRY));
	c.item = ExAllocatePool2(POOL_FLAG_NON_PAGED, IoSizeofWorkItem(), 'tsTW');
	assert_non_null(c.item);
	IoInitializeWorkItem(&test_driver, c.item);
	IoQueueWorkItemEx(c.item, wi_routine_ex, DelayedWorkQueue, &c);
	assert_int_equal(wait(&c.done), STATUS_SUCCESS);
	owfp_workitems_drain_driver(&test_driver);
	assert_int_equal(c.runs, 3);
	assert_ptr_equal(c.device_seen, &test_driver);
	IoUninitializeWorkItem(c.item);
	ExFreePoolWithTag(c.item, 'tsTW');
}

typedef struct gate {
	KEVENT entered, release;
} gate;

static void NTAPI gate_routine(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	gate *g = Context;

	(void)DeviceObject;
	KeSetEvent(&g->entered, IO_NO_INCREMENT, FALSE);
	KeWaitForSingleObject(&g->release, Executive, KernelMode, FALSE, NULL);
}

static void NTAPI nop_routine_ex(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
	(void)IoObject;
	(void)IoWorkItem;
	KeSetEvent(Context, IO_NO_INCREMENT, FALSE);
}

typedef struct twice {
	PIO_WORKITEM item;
	KEVENT *ev;
} twice;

static void queue_twice(void *arg)
{
	twice *t = arg;

	IoQueueWorkItemEx(t->item, nop_routine_ex, DelayedWorkQueue, t->ev);
	IoQueueWorkItemEx(t->item, nop_routine_ex, DelayedWorkQueue, t->ev);
}

/* More blockers than the pool has workers (16): whatever runs, the item
 * queued after them stays queued until they are released. */
#define BLOCKERS 40

static void test_queued_twice_is_a_contained_bug_check_and_try_queue_refuses(void **state)
{
	gate g;
	KEVENT ran;
	PIO_WORKITEM blockers[BLOCKERS], item = IoAllocateWorkItem(NULL);
	twice t = {item, &ran};
	uint64_t before = owfp_contain_failures();

	(void)state;
	KeInitializeEvent(&g.entered, NotificationEvent, FALSE);
	KeInitializeEvent(&g.release, NotificationEvent, FALSE);
	KeInitializeEvent(&ran, NotificationEvent, FALSE);
	for (int i = 0; i < BLOCKERS; i++) {
		blockers[i] = IoAllocateWorkItem(NULL);
		IoQueueWorkItem(blockers[i], gate_routine, DelayedWorkQueue, &g);
	}
	assert_int_equal(owfp_contain_run(&test_driver, queue_twice, &t), -EFAULT);
	assert_int_equal(owfp_contain_failures(), before + 1);
	assert_non_null(strstr(owfp_contain_last_report(), "KeBugCheckEx(0x000000C4"));
	assert_non_null(strstr(owfp_contain_last_report(), "driver 'built-in'"));
	assert_false(IoTryQueueWorkItem(item, nop_routine_ex, DelayedWorkQueue, &ran));
	KeSetEvent(&g.release, IO_NO_INCREMENT, FALSE);
	/* The first queuing stands: it runs, once. */
	assert_int_equal(wait(&ran), STATUS_SUCCESS);
	owfp_workitems_drain_driver(NULL);
	KeClearEvent(&ran);
	assert_true(IoTryQueueWorkItem(item, nop_routine_ex, DelayedWorkQueue, &ran));
	assert_int_equal(wait(&ran), STATUS_SUCCESS);
	owfp_workitems_drain_driver(NULL);
	IoFreeWorkItem(item);
	for (int i = 0; i < BLOCKERS; i++)
		IoFreeWorkItem(blockers[i]);
}

static void NTAPI ex_routine(PVOID Parameter)
{
	KeSetEvent(Parameter, IO_NO_INCREMENT, FALSE);
}

static void test_executive_work_item_runs(void **state)
{
	WORK_QUEUE_ITEM wq;
	KEVENT ev;

	(void)state;
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	ExInitializeWorkItem(&wq, ex_routine, &ev);
	ExQueueWorkItem(&wq, DelayedWorkQueue);
	assert_int_equal(wait(&ev), STATUS_SUCCESS);
}

/*
 * The gate (replay --work-items at-turns): held items do not run until
 * somebody waits for idle, then start in queue order (on several workers,
 * so they may finish in any order), and a held item may wait
 * for one queued behind it. 1,024 held items let the oldest run.
 */
typedef struct held_ctx {
	KEVENT ran, next_ran;
	LONG order, seen;
} held_ctx;

static void NTAPI held_first(PVOID Parameter)
{
	held_ctx *c = Parameter;

	c->seen = InterlockedIncrement(&c->order);
	KeSetEvent(&c->ran, IO_NO_INCREMENT, FALSE);
	(void)wait(&c->next_ran); /* waits for the item queued behind it */
}

static void NTAPI held_second(PVOID Parameter)
{
	held_ctx *c = Parameter;

	(void)InterlockedIncrement(&c->order);
	KeSetEvent(&c->next_ran, IO_NO_INCREMENT, FALSE);
}

static void test_held_work_items_run_when_replay_waits_for_idle(void **state)
{
	WORK_QUEUE_ITEM a, b;
	held_ctx c = {0};
	LARGE_INTEGER short_wait = {.QuadPart = -2000000LL}; /* 200 ms */
	struct timespec deadline;

	(void)state;
	KeInitializeEvent(&c.ran, NotificationEvent, FALSE);
	KeInitializeEvent(&c.next_ran, NotificationEvent, FALSE);
	ExInitializeWorkItem(&a, held_first, &c);
	ExInitializeWorkItem(&b, held_second, &c);
	owfp_workitems_hold(true);
	ExQueueWorkItem(&a, DelayedWorkQueue);
	ExQueueWorkItem(&b, DelayedWorkQueue);
	assert_int_equal(KeWaitForSingleObject(&c.ran, Executive, KernelMode, FALSE, &short_wait),
			 STATUS_TIMEOUT);
	assert_int_equal(c.order, 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	assert_true(owfp_workitems_wait_idle(&deadline));
	assert_int_equal(c.order, 2);
	assert_int_not_equal(c.seen, 0);
	owfp_workitems_hold(false);
}

static void NTAPI count_routine(PVOID Parameter)
{
	InterlockedIncrement(Parameter);
}

static void test_held_work_items_are_bounded(void **state)
{
	enum { N = 1025 };
	WORK_QUEUE_ITEM *items = calloc(N, sizeof(*items));
	WORK_QUEUE_ITEM first;
	KEVENT ev;
	LONG runs = 0;
	struct timespec deadline;

	(void)state;
	assert_non_null(items);
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	owfp_workitems_hold(true);
	ExInitializeWorkItem(&first, ex_routine, &ev);
	ExQueueWorkItem(&first, DelayedWorkQueue);
	for (int i = 0; i < N - 1; i++) {
		ExInitializeWorkItem(&items[i], count_routine, &runs);
		ExQueueWorkItem(&items[i], DelayedWorkQueue);
	}
	/* The 1,025th held item lets the oldest one run while still held. */
	assert_int_equal(wait(&ev), STATUS_SUCCESS);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	assert_true(owfp_workitems_wait_idle(&deadline));
	assert_int_equal(runs, N - 1);
	owfp_workitems_hold(false);
	free(items);
}

/* ------------------------------------------------------------------ DPCs */

typedef struct dpc_ctx {
	KEVENT ran;
	LONG runs;
	PVOID arg1, arg2;
	gate *g;
} dpc_ctx;

static void NTAPI dpc_routine(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
	dpc_ctx *c = Context;

	(void)Dpc;
	c->arg1 = Arg1;
	c->arg2 = Arg2;
	InterlockedIncrement(&c->runs);
	if (c->g) {
		KeSetEvent(&c->g->entered, IO_NO_INCREMENT, FALSE);
		KeWaitForSingleObject(&c->g->release, Executive, KernelMode, FALSE, NULL);
	}
	KeSetEvent(&c->ran, IO_NO_INCREMENT, FALSE);
}

static void test_dpc_is_queued_once_and_can_be_removed(void **state)
{
	gate g;
	dpc_ctx blocker = {.g = &g}, c = {0}, removed = {0};
	KDPC b, d, r;

	(void)state;
	KeInitializeEvent(&g.entered, NotificationEvent, FALSE);
	KeInitializeEvent(&g.release, NotificationEvent, FALSE);
	KeInitializeEvent(&blocker.ran, NotificationEvent, FALSE);
	KeInitializeEvent(&c.ran, NotificationEvent, FALSE);
	KeInitializeEvent(&removed.ran, NotificationEvent, FALSE);
	KeInitializeDpc(&b, dpc_routine, &blocker);
	KeInitializeDpc(&d, dpc_routine, &c);
	KeInitializeThreadedDpc(&r, dpc_routine, &removed);
	/* The DPC thread is busy in `b`, so d and r stay queued. */
	assert_true(KeInsertQueueDpc(&b, NULL, NULL));
	assert_int_equal(wait(&g.entered), STATUS_SUCCESS);
	assert_true(KeInsertQueueDpc(&d, (PVOID)1, (PVOID)2));
	assert_false(KeInsertQueueDpc(&d, (PVOID)3, (PVOID)4));
	assert_true(KeInsertQueueDpc(&r, NULL, NULL));
	assert_true(KeRemoveQueueDpc(&r));
	assert_false(KeRemoveQueueDpc(&r));
	KeSetEvent(&g.release, IO_NO_INCREMENT, FALSE);
	KeFlushQueuedDpcs();
	assert_int_equal(c.runs, 1);
	assert_ptr_equal(c.arg1, (PVOID)1); /* the first insertion's arguments */
	assert_ptr_equal(c.arg2, (PVOID)2);
	assert_int_equal(removed.runs, 0);
	assert_int_equal(blocker.runs, 1);
}

/* ---------------------------------------------------------------- timers */

static void test_timer_fires_its_dpc_and_signals_waiters(void **state)
{
	KTIMER t;
	KDPC d;
	dpc_ctx c = {0};
	LARGE_INTEGER due = {.QuadPart = -10000}; /* 1 ms from now */

	(void)state;
	KeInitializeEvent(&c.ran, NotificationEvent, FALSE);
	KeInitializeDpc(&d, dpc_routine, &c);
	KeInitializeTimer(&t);
	assert_false(KeReadStateTimer(&t));
	assert_false(KeSetTimer(&t, due, &d));
	assert_int_equal(wait(&t), STATUS_SUCCESS);
	assert_true(KeReadStateTimer(&t)); /* a notification timer stays signalled */
	assert_int_equal(wait(&c.ran), STATUS_SUCCESS);
	assert_int_equal(c.runs, 1);
	assert_false(KeCancelTimer(&t)); /* one-shot: no longer set */
}

static void test_cancelled_timer_never_fires(void **state)
{
	KTIMER t;
	KDPC d;
	dpc_ctx c = {0};
	LARGE_INTEGER later = {.QuadPart = -36000000000LL}; /* an hour */

	(void)state;
	KeInitializeEvent(&c.ran, NotificationEvent, FALSE);
	KeInitializeDpc(&d, dpc_routine, &c);
	KeInitializeTimerEx(&t, SynchronizationTimer);
	assert_false(KeSetTimer(&t, later, &d));
	assert_true(KeSetTimer(&t, later, &d)); /* already set: re-set, not added twice */
	assert_true(KeCancelTimer(&t));
	assert_false(KeCancelTimer(&t));
	assert_false(KeReadStateTimer(&t));
	KeFlushQueuedDpcs();
	assert_int_equal(c.runs, 0);
}

static void test_periodic_timer_refires_and_sync_timer_resets(void **state)
{
	KTIMER t;
	LARGE_INTEGER due = {.QuadPart = -10000};
	LARGE_INTEGER zero = {.QuadPart = 0};

	(void)state;
	KeInitializeTimerEx(&t, SynchronizationTimer);
	KeSetTimerEx(&t, due, 1 /* ms */, NULL);
	/* Each satisfied wait resets it; the period signals it again. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(wait(&t), STATUS_SUCCESS);
	assert_true(KeCancelTimer(&t));
	(void)KeWaitForSingleObject(&t, Executive, KernelMode, FALSE, &zero);
	assert_int_equal(KeWaitForSingleObject(&t, Executive, KernelMode, FALSE, &zero),
			 STATUS_TIMEOUT);
}

static void test_unload_cancels_a_drivers_timers_and_dpcs(void **state)
{
	DRIVER_OBJECT drv = {.Type = 4};
	KTIMER t;
	KDPC d;
	dpc_ctx c = {0};
	LARGE_INTEGER later = {.QuadPart = -36000000000LL};

	(void)state;
	KeInitializeEvent(&c.ran, NotificationEvent, FALSE);
	KeInitializeDpc(&d, dpc_routine, &c);
	KeInitializeTimer(&t);
	t.OwfpDriver = d.OwfpDriver = &drv; /* as if set up inside drv's DriverEntry */
	KeSetTimer(&t, later, &d);
	assert_int_equal(owfp_deferred_quiesce(&drv), 1);
	assert_false(KeCancelTimer(&t));
	assert_int_equal(owfp_deferred_quiesce(&drv), 0);
}

/* ------------------------------------------------------------ processors */

static void test_processor_index_is_below_the_count(void **state)
{
	KAFFINITY mask = 0;
	ULONG n = KeQueryActiveProcessorCount(&mask);
	PROCESSOR_NUMBER pn;

	(void)state;
	assert_true(n >= 1 && n <= 64);
	assert_true(mask != 0);
	assert_int_equal(KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), n);
	assert_int_equal(KeQueryMaximumProcessorCount(), n);
	for (int i = 0; i < 100; i++) {
		ULONG idx = KeGetCurrentProcessorNumberEx(&pn);

		assert_true(idx < n);
		assert_int_equal(pn.Group, 0);
		assert_int_equal(KeGetProcessorIndexFromNumber(&pn), idx);
		assert_true(KeGetCurrentProcessorIndex() < n);
	}
	assert_int_equal(KeGetProcessorNumberFromIndex(n, &pn), STATUS_INVALID_PARAMETER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_work_item_runs_on_a_worker_and_frees_itself),
		cmocka_unit_test(test_driver_storage_work_item_requeues_from_its_routine),
		cmocka_unit_test(test_queued_twice_is_a_contained_bug_check_and_try_queue_refuses),
		cmocka_unit_test(test_executive_work_item_runs),
		cmocka_unit_test(test_held_work_items_run_when_replay_waits_for_idle),
		cmocka_unit_test(test_held_work_items_are_bounded),
		cmocka_unit_test(test_dpc_is_queued_once_and_can_be_removed),
		cmocka_unit_test(test_timer_fires_its_dpc_and_signals_waiters),
		cmocka_unit_test(test_cancelled_timer_never_fires),
		cmocka_unit_test(test_periodic_timer_refires_and_sync_timer_resets),
		cmocka_unit_test(test_unload_cancels_a_drivers_timers_and_dpcs),
		cmocka_unit_test(test_processor_index_is_below_the_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
