/*
 * The WDM subset runtime (src/wdm): tagged pools and their counters and
 * fault injection, spin locks, lists, Rtl helpers, clocks, devices.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "wdm/pool.h"

#define TEST_TAG 'tsTO' /* "OTst" */

static void test_pool_counts_outstanding_allocations_per_tag(void **state)
{
	void *a, *b, *c;

	(void)state;
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 0);
	a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, TEST_TAG);
	b = ExAllocatePoolWithTag(NonPagedPoolNx, 20, TEST_TAG);
	c = ExAllocatePoolZero(PagedPool, 30, 'rhtO');
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 2);
	assert_int_equal(owfp_pool_outstanding('rhtO'), 1);
	ExFreePoolWithTag(a, TEST_TAG);
	ExFreePool(b);
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 0);
	ExFreePoolWithTag(c, 'rhtO');
	assert_int_equal(owfp_pool_outstanding('rhtO'), 0);
}

static void test_pool2_zeroes_unless_uninitialized_is_asked(void **state)
{
	unsigned char *p;

	(void)state;
	p = ExAllocatePool2(POOL_FLAG_PAGED, 4096, TEST_TAG);
	assert_non_null(p);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p[i], 0);
	/* Payload is as aligned as malloc's. */
	assert_int_equal((uintptr_t)p % 16, 0);
	ExFreePoolWithTag(p, TEST_TAG);
	p = ExAllocatePoolZero(NonPagedPool, 100, TEST_TAG);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	ExFreePoolWithTag(p, TEST_TAG);
}

static void test_pool2_requires_exactly_one_pool_kind(void **state)
{
	(void)state;
	assert_null(ExAllocatePool2(POOL_FLAG_UNINITIALIZED, 8, TEST_TAG));
	assert_null(ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED, 8, TEST_TAG));
	assert_null(ExAllocatePoolWithTag((POOL_TYPE)77, 8, TEST_TAG));
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 0);
}

static void test_free_with_the_wrong_tag_is_counted(void **state)
{
	uint64_t before = owfp_pool_tag_mismatches();
	void *p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TEST_TAG);

	(void)state;
	ExFreePoolWithTag(p, 'gnrW');
	assert_int_equal(owfp_pool_tag_mismatches(), before + 1);
	/* Still freed, and charged back to the allocation's own tag. */
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 0);
	ExFreePoolWithTag(NULL, TEST_TAG);
}

static void test_pool_fail_nth_fails_exactly_that_allocation(void **state)
{
	void *p[4];
	uint64_t start = owfp_pool_attempts();

	(void)state;
	owfp_pool_fail_nth(3);
	for (int i = 0; i < 4; i++)
		p[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, TEST_TAG);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_null(p[2]);
	assert_non_null(p[3]);
	assert_int_equal(owfp_pool_attempts() - start, 4);
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 3);
	for (int i = 0; i < 4; i++)
		ExFreePoolWithTag(p[i], TEST_TAG);
	assert_int_equal(owfp_pool_outstanding(TEST_TAG), 0);
}

typedef struct counter {
	KSPIN_LOCK lock;
	long value;
} counter;

static void *bump(void *arg)
{
	counter *c = arg;

	for (int i = 0; i < 100000; i++) {
		KLOCK_QUEUE_HANDLE h;
		KIRQL old;

		if (i & 1) {
			KeAcquireInStackQueuedSpinLock(&c->lock, &h);
			c->value++;
			KeReleaseInStackQueuedSpinLock(&h);
		} else {
			KeAcquireSpinLock(&c->lock, &old);
			assert_int_equal(old, PASSIVE_LEVEL);
			c->value++;
			KeReleaseSpinLock(&c->lock, old);
		}
	}
	return NULL;
}

static void test_spin_locks_exclude_each_other(void **state)
{
	counter c = {.value = 0};
	pthread_t t[4];

	(void)state;
	KeInitializeSpinLock(&c.lock);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, bump, &c), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(c.value, 400000);
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

typedef struct item {
	int n;
	LIST_ENTRY link;
} item;

static void test_lists_keep_order_and_unlink(void **state)
{
	LIST_ENTRY head;
	item it[4] = {{.n = 0}, {.n = 1}, {.n = 2}, {.n = 3}};
	PLIST_ENTRY e;
	int expect[] = {3, 0, 2};
	int k = 0;

	(void)state;
	InitializeListHead(&head);
	assert_true(IsListEmpty(&head));
	InsertTailList(&head, &it[0].link);
	InsertTailList(&head, &it[1].link);
	InsertTailList(&head, &it[2].link);
	InsertHeadList(&head, &it[3].link);
	assert_false(RemoveEntryList(&it[1].link));
	for (e = head.Flink; e != &head; e = e->Flink)
		assert_int_equal(CONTAINING_RECORD(e, item, link)->n, expect[k++]);
	assert_int_equal(k, 3);
	assert_ptr_equal(CONTAINING_RECORD(RemoveHeadList(&head), item, link), &it[3]);
	assert_ptr_equal(CONTAINING_RECORD(RemoveTailList(&head), item, link), &it[2]);
	/* Removing the last entry reports the list is now empty. */
	assert_true(RemoveEntryList(&it[0].link));
	assert_true(IsListEmpty(&head));
}

static void test_rtl_unicode_and_memory_helpers(void **state)
{
	UNICODE_STRING a, b, c;
	unsigned char x[] = {1, 2, 3, 4}, y[] = {1, 2, 9, 4};

	(void)state;
	RtlInitUnicodeString(&a, L"Stream");
	assert_int_equal(a.Length, 6 * sizeof(WCHAR));
	assert_int_equal(a.MaximumLength, 7 * sizeof(WCHAR));
	RtlInitUnicodeString(&b, L"STREAM");
	assert_false(RtlEqualUnicodeString(&a, &b, FALSE));
	assert_true(RtlEqualUnicodeString(&a, &b, TRUE));
	RtlInitUnicodeString(&c, NULL);
	assert_int_equal(c.Length, 0);
	assert_null(c.Buffer);
	assert_int_equal(RtlCompareMemory(x, y, 4), 2);
	assert_int_equal(RtlCompareMemory(x, x, 4), 4);
	assert_true(RtlEqualMemory(x, x, 4));
	RtlZeroMemory(x, sizeof(x));
	assert_int_equal(x[3], 0);
	assert_ptr_equal(RtlSecureZeroMemory(y, sizeof(y)), y);
	assert_int_equal(y[0] | y[1] | y[2] | y[3], 0);
}

static void test_interlocked_byteswap_and_fast_mutex(void **state)
{
	LONG v = 5;
	LONG64 w = 10;
	FAST_MUTEX m;

	(void)state;
	assert_int_equal(InterlockedIncrement(&v), 6);
	assert_int_equal(InterlockedAdd(&v, 4), 10);
	assert_int_equal(InterlockedOr(&v, 0x100), 10);
	assert_int_equal(InterlockedAnd(&v, 0x10f), 0x10a);
	assert_int_equal(v, 0x10a);
	assert_int_equal(InterlockedCompareExchange(&v, 1, 0x10a), 0x10a);
	assert_int_equal(InterlockedCompareExchange(&v, 2, 0x10a), 1);
	assert_int_equal(InterlockedExchange64(&w, 20), 10);
	assert_int_equal(InterlockedCompareExchange64(&w, 30, 20), 20);
	assert_int_equal(InterlockedAdd64(&w, 5), 35);
	assert_int_equal(RtlUshortByteSwap(0x1234), 0x3412);
	assert_int_equal(RtlUlongByteSwap(0x12345678u), 0x78563412u);
	assert_true(RtlUlonglongByteSwap(0x0102030405060708ULL) == 0x0807060504030201ULL);
	ExInitializeFastMutex(&m);
	ExAcquireFastMutex(&m);
	assert_false(ExTryToAcquireFastMutex(&m));
	ExReleaseFastMutex(&m);
	assert_true(ExTryToAcquireFastMutex(&m));
	ExReleaseFastMutex(&m);
}

static void test_system_time_counts_100ns_since_1601(void **state)
{
	LARGE_INTEGER t, f;
	time_t now = time(NULL);
	long long seconds;

	(void)state;
	KeQuerySystemTime(&t);
	seconds = t.QuadPart / 10000000LL - 11644473600LL;
	assert_true(seconds >= now - 2 && seconds <= now + 2);
	t = KeQueryPerformanceCounter(&f);
	assert_int_equal(f.QuadPart, 10000000LL);
	assert_true(t.QuadPart > 0);
}

static void test_devices_link_into_their_driver(void **state)
{
	DRIVER_OBJECT drv = {0};
	PDEVICE_OBJECT d1, d2, d3;
	unsigned char *ext;

	(void)state;
	assert_int_equal(IoCreateDevice(&drv, 32, NULL, FILE_DEVICE_NETWORK,
					FILE_DEVICE_SECURE_OPEN, FALSE, &d1),
			 STATUS_SUCCESS);
	assert_int_equal(IoCreateDevice(&drv, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &d2),
			 STATUS_SUCCESS);
	assert_int_equal(IoCreateDevice(&drv, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &d3),
			 STATUS_SUCCESS);
	ext = d1->DeviceExtension;
	assert_int_equal((uintptr_t)ext % alignof(max_align_t), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(ext[i], 0);
	assert_null(d2->DeviceExtension);
	assert_int_equal(d1->Characteristics, FILE_DEVICE_SECURE_OPEN);
	assert_ptr_equal(drv.DeviceObject, d3);
	IoDeleteDevice(d2); /* from the middle */
	assert_ptr_equal(drv.DeviceObject, d3);
	assert_ptr_equal(d3->NextDevice, d1);
	IoDeleteDevice(d3);
	IoDeleteDevice(d1);
	assert_null(drv.DeviceObject);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(IoCreateDevice(NULL, 0, NULL, 0, 0, FALSE, &d1), STATUS_INVALID_PARAMETER);
}

static void test_create_device_out_of_memory(void **state)
{
	DRIVER_OBJECT drv = {0};
	PDEVICE_OBJECT d = (PDEVICE_OBJECT)&drv;

	(void)state;
	owfp_pool_fail_nth(1);
	assert_int_equal(IoCreateDevice(&drv, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &d),
			 STATUS_INSUFFICIENT_RESOURCES);
	assert_null(d);
	assert_null(drv.DeviceObject);
}

static void test_asserts_compile_away_only_with_ndebug(void **state)
{
	int only_in_assert = 1;

	(void)state;
	/* Type-checked in every build, so this variable is "used" either way. */
	NT_ASSERT(only_in_assert == 1);
	ASSERT(only_in_assert);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_counts_outstanding_allocations_per_tag),
		cmocka_unit_test(test_pool2_zeroes_unless_uninitialized_is_asked),
		cmocka_unit_test(test_pool2_requires_exactly_one_pool_kind),
		cmocka_unit_test(test_free_with_the_wrong_tag_is_counted),
		cmocka_unit_test(test_pool_fail_nth_fails_exactly_that_allocation),
		cmocka_unit_test(test_spin_locks_exclude_each_other),
		cmocka_unit_test(test_lists_keep_order_and_unlink),
		cmocka_unit_test(test_rtl_unicode_and_memory_helpers),
		cmocka_unit_test(test_interlocked_byteswap_and_fast_mutex),
		cmocka_unit_test(test_system_time_counts_100ns_since_1601),
		cmocka_unit_test(test_devices_link_into_their_driver),
		cmocka_unit_test(test_create_device_out_of_memory),
		cmocka_unit_test(test_asserts_compile_away_only_with_ndebug),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
