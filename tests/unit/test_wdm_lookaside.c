/*
 * Lookaside lists (src/wdm/lookaside.c): a freed block is handed out again,
 * the list keeps at most Depth blocks, blocks come from the pool with the
 * list's tag (or from the driver's routines), an allocation failure is a
 * NULL, and deleting the list frees what it keeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wdm/pool.h"

#define TAG 'tsLO'

static void test_freed_block_is_reused(void **state)
{
	LOOKASIDE_LIST_EX l;
	void *a, *b, *c;

	(void)state;
	assert_int_equal(ExInitializeLookasideListEx(&l, NULL, NULL, NonPagedPoolNx, 0, 100, TAG, 0),
			 STATUS_SUCCESS);
	a = ExAllocateFromLookasideListEx(&l);
	b = ExAllocateFromLookasideListEx(&l);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	memset(a, 0xab, 100); /* the whole size is usable */
	assert_int_equal(owfp_pool_outstanding(TAG), 2);
	ExFreeToLookasideListEx(&l, a);
	assert_int_equal(owfp_pool_outstanding(TAG), 2); /* kept, not freed */
	c = ExAllocateFromLookasideListEx(&l);
	assert_ptr_equal(c, a);
	assert_int_equal(l.L.TotalAllocates, 3);
	assert_int_equal(l.L.AllocateMisses, 2);
	ExFreeToLookasideListEx(&l, b);
	ExFreeToLookasideListEx(&l, c);
	ExDeleteLookasideListEx(&l);
	assert_int_equal(owfp_pool_outstanding(TAG), 0);
}

static void test_depth_bounds_what_is_kept(void **state)
{
	NPAGED_LOOKASIDE_LIST l;
	void *p[5];

	(void)state;
	ExInitializeNPagedLookasideList(&l, NULL, NULL, 0, 16, TAG, 2);
	for (int i = 0; i < 5; i++)
		p[i] = ExAllocateFromNPagedLookasideList(&l);
	for (int i = 0; i < 5; i++)
		ExFreeToNPagedLookasideList(&l, p[i]);
	assert_int_equal(owfp_pool_outstanding(TAG), 2);
	assert_int_equal(l.L.FreeMisses, 3);
	ExDeleteNPagedLookasideList(&l);
	assert_int_equal(owfp_pool_outstanding(TAG), 0);
}

static int allocs, frees;

static PVOID NTAPI my_alloc(POOL_TYPE type, SIZE_T size, ULONG tag, PLOOKASIDE_LIST_EX l)
{
	(void)type;
	(void)l;
	allocs++;
	return ExAllocatePool2(POOL_FLAG_NON_PAGED, size, tag);
}

static void NTAPI my_free(PVOID p, PLOOKASIDE_LIST_EX l)
{
	frees++;
	ExFreePoolWithTag(p, l->L.Tag);
}

static void test_driver_routines_and_flush(void **state)
{
	LOOKASIDE_LIST_EX l;
	void *a, *b;

	(void)state;
	allocs = frees = 0;
	assert_int_equal(
		ExInitializeLookasideListEx(&l, my_alloc, my_free, NonPagedPool, 0, 4, TAG, 8),
		STATUS_SUCCESS);
	a = ExAllocateFromLookasideListEx(&l);
	b = ExAllocateFromLookasideListEx(&l);
	assert_int_equal(allocs, 2);
	assert_true(l.L.Size >= sizeof(SINGLE_LIST_ENTRY)); /* room for the link */
	ExFreeToLookasideListEx(&l, a);
	ExFreeToLookasideListEx(&l, b);
	assert_int_equal(frees, 0);
	ExFlushLookasideListEx(&l);
	assert_int_equal(frees, 2);
	ExDeleteLookasideListEx(&l);
	assert_int_equal(owfp_pool_outstanding(TAG), 0);
}

static POOL_TYPE legacy_type;

static PVOID NTAPI legacy_alloc(POOL_TYPE type, SIZE_T size, ULONG tag)
{
	legacy_type = type;
	allocs++;
	return ExAllocatePool2(POOL_FLAG_PAGED, size, tag);
}

static void NTAPI legacy_free(PVOID p)
{
	frees++;
	ExFreePoolWithTag(p, TAG);
}

/* The paged list: the same list with the legacy (no list argument) routines. */
static void test_paged_list_with_legacy_routines(void **state)
{
	PAGED_LOOKASIDE_LIST l;
	void *a, *b, *c;

	(void)state;
	allocs = frees = 0;
	ExInitializePagedLookasideList(&l, legacy_alloc, legacy_free, 0, 24, TAG, 1);
	assert_int_equal(l.L.Type, PagedPool);
	a = ExAllocateFromPagedLookasideList(&l);
	b = ExAllocateFromPagedLookasideList(&l);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(allocs, 2);
	assert_int_equal(legacy_type, PagedPool);
	ExFreeToPagedLookasideList(&l, a); /* kept */
	ExFreeToPagedLookasideList(&l, b); /* beyond Depth 1: freed */
	assert_int_equal(frees, 1);
	c = ExAllocateFromPagedLookasideList(&l);
	assert_ptr_equal(c, a);
	assert_int_equal(allocs, 2);
	ExFreeToPagedLookasideList(&l, c);
	ExDeletePagedLookasideList(&l);
	assert_int_equal(frees, 2);
	assert_int_equal(owfp_pool_outstanding(TAG), 0);
	ExDeletePagedLookasideList(&l); /* a second delete does nothing */
}

static void test_allocation_failure_is_null_and_bad_arguments_fail(void **state)
{
	LOOKASIDE_LIST_EX l;

	(void)state;
	assert_int_equal(ExInitializeLookasideListEx(&l, NULL, NULL, NonPagedPool, 0, 0, TAG, 0),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(ExInitializeLookasideListEx(&l, NULL, NULL, NonPagedPool, 0x80, 8, TAG, 0),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(ExInitializeLookasideListEx(&l, NULL, NULL, NonPagedPool,
						     EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE, 8,
						     TAG, 0),
			 STATUS_SUCCESS);
	owfp_pool_fail_nth(1);
	assert_null(ExAllocateFromLookasideListEx(&l));
	ExDeleteLookasideListEx(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_freed_block_is_reused),
		cmocka_unit_test(test_depth_bounds_what_is_kept),
		cmocka_unit_test(test_driver_routines_and_flush),
		cmocka_unit_test(test_paged_list_with_legacy_routines),
		cmocka_unit_test(test_allocation_failure_is_null_and_bad_arguments_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
