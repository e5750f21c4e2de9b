/*
 * Under ThreadSanitizer: every spin-lock flavour excludes while work items
 * on the worker pool, a periodic timer's DPC and the test thread all
 * update the same plain counters and share one lookaside list. The counts
 * must come out exact and TSan must see no race.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wdm/deferred.h"

#define ITEMS 8
#define ROUNDS 2000

static KSPIN_LOCK lock;
static uint64_t counter;     /* only touched under `lock` */
static uint64_t dpc_counter; /* only touched under `lock` */
static LOOKASIDE_LIST_EX lookaside;
static KEVENT all_done;
static LONG items_left;

static void bump(int flavour)
{
	KLOCK_QUEUE_HANDLE h;
	KIRQL irql;

	switch (flavour % 4) {
	case 0:
		KeAcquireSpinLock(&lock, &irql);
		counter++;
		KeReleaseSpinLock(&lock, irql);
		break;
	case 1:
		KeAcquireSpinLockAtDpcLevel(&lock);
		counter++;
		KeReleaseSpinLockFromDpcLevel(&lock);
		break;
	case 2:
		KeAcquireInStackQueuedSpinLock(&lock, &h);
		counter++;
		KeReleaseInStackQueuedSpinLock(&h);
		break;
	default:
		KeAcquireInStackQueuedSpinLockAtDpcLevel(&lock, &h);
		counter++;
		KeReleaseInStackQueuedSpinLockFromDpcLevel(&h);
		break;
	}
}

static void NTAPI worker(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem)
{
	(void)IoObject;
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t *block = ExAllocateFromLookasideListEx(&lookaside);

		assert_non_null(block);
		*block = (uint64_t)i; /* owned by this thread until freed */
		bump((int)(intptr_t)Context + i);
		ExFreeToLookasideListEx(&lookaside, block);
	}
	IoFreeWorkItem(IoWorkItem);
	if (InterlockedDecrement(&items_left) == 0)
		KeSetEvent(&all_done, IO_NO_INCREMENT, FALSE);
}

static void NTAPI tick(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
	(void)Dpc;
	(void)Context;
	(void)Arg1;
	(void)Arg2;
	KeAcquireSpinLockAtDpcLevel(&lock);
	dpc_counter++;
	KeReleaseSpinLockFromDpcLevel(&lock);
}

static void test_locks_exclude_across_workers_dpcs_and_callers(void **state)
{
	KTIMER timer;
	KDPC dpc;
	LARGE_INTEGER due = {.QuadPart = -10000};
	uint64_t ticks;
	KIRQL irql;

	(void)state;
	KeInitializeSpinLock(&lock);
	KeInitializeEvent(&all_done, NotificationEvent, FALSE);
	assert_int_equal(ExInitializeLookasideListEx(&lookaside, NULL, NULL, NonPagedPool, 0,
						     sizeof(uint64_t), 'nsTO', 4),
			 STATUS_SUCCESS);
	KeInitializeDpc(&dpc, tick, NULL);
	KeInitializeTimer(&timer);
	KeSetTimerEx(&timer, due, 1, &dpc);
	items_left = ITEMS;
	for (int k = 0; k < ITEMS; k++) {
		PIO_WORKITEM w = IoAllocateWorkItem(NULL);

		assert_non_null(w);
		IoQueueWorkItemEx(w, worker, DelayedWorkQueue, (PVOID)(intptr_t)k);
	}
	for (int i = 0; i < ROUNDS; i++)
		bump(i);
	assert_int_equal(KeWaitForSingleObject(&all_done, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	owfp_workitems_drain_driver(NULL);
	/* Expired at least once: its DPC is queued before waiters wake. */
	assert_int_equal(KeWaitForSingleObject(&timer, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	assert_true(KeCancelTimer(&timer));
	KeFlushQueuedDpcs();
	KeAcquireSpinLock(&lock, &irql);
	assert_true(counter == (uint64_t)(ITEMS + 1) * ROUNDS);
	ticks = dpc_counter;
	KeReleaseSpinLock(&lock, irql);
	assert_true(ticks >= 1);
	ExDeleteLookasideListEx(&lookaside);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locks_exclude_across_workers_dpcs_and_callers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
