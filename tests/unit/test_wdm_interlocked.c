/*
 * The Interlocked* family (include/openwfp/wdm_interlocked.h) at every
 * width: Windows' return conventions (new value for Increment/Decrement/
 * Add, old value for the rest), wrap-around at the type's width, and the
 * bit-test forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openwfp/wdm.h"

static void test_8_bit(void **state)
{
	CHAR volatile c = 0x0f;

	(void)state;
	assert_int_equal(InterlockedExchange8(&c, 0x70), 0x0f);
	assert_int_equal(InterlockedCompareExchange8(&c, 1, 0x70), 0x70);
	assert_int_equal(c, 1);
	assert_int_equal(InterlockedCompareExchange8(&c, 5, 0x70), 1); /* no match: unchanged */
	assert_int_equal(InterlockedOr8(&c, 0x10), 1);
	assert_int_equal(InterlockedAnd8(&c, 0x10), 0x11);
	assert_int_equal(InterlockedXor8(&c, 0x11), 0x10);
	assert_int_equal(c, 0x01);
	c = 127;
	assert_int_equal(InterlockedExchangeAdd8(&c, 1), 127);
	assert_int_equal(c, -128); /* wraps at 8 bits */
	assert_int_equal(InterlockedAndNoFence8(&c, 0), -128);
}

static void test_16_bit(void **state)
{
	SHORT volatile s = 0x7fff;

	(void)state;
	assert_int_equal(InterlockedIncrement16(&s), -32768);
	assert_int_equal(InterlockedDecrement16(&s), 0x7fff);
	assert_int_equal(InterlockedCompareExchange16(&s, 7, 0x7fff), 0x7fff);
	assert_int_equal(InterlockedExchangeAdd16(&s, 3), 7);
	assert_int_equal(InterlockedOr16(&s, 0x100), 10);
	assert_int_equal(InterlockedIncrementAcquire16(&s), 0x10b);
	assert_int_equal(InterlockedDecrementRelease16(&s), 0x10a);
}

static void test_32_bit(void **state)
{
	LONG volatile l = 0;
	ULONG volatile u = 10;

	(void)state;
	assert_int_equal(InterlockedIncrement(&l), 1);
	assert_int_equal(InterlockedAdd(&l, 9), 10);
	assert_int_equal(InterlockedExchangeAdd(&l, 5), 10);
	assert_int_equal(InterlockedExchange(&l, -1), 15);
	assert_int_equal(InterlockedCompareExchange(&l, 3, -1), -1);
	assert_int_equal(InterlockedDecrementNoFence(&l), 2);
	assert_int_equal(InterlockedXorAcquire(&l, 3), 2);
	assert_int_equal(InterlockedCompareExchangeRelease(&l, 9, 1), 1);
	assert_int_equal(l, 9);
	assert_int_equal(InterlockedExchangeSubtract(&u, 4), 10);
	assert_int_equal(u, 6);
	l = INT32_MAX;
	assert_int_equal(InterlockedIncrement(&l), INT32_MIN);
}

static void test_64_bit_and_pointers(void **state)
{
	LONG64 volatile q = INT64_C(0x100000000);
	PVOID volatile p = NULL;
	int a, b;
	SIZE_T volatile z = 0;

	(void)state;
	assert_true(InterlockedIncrement64(&q) == INT64_C(0x100000001));
	assert_true(InterlockedAdd64(&q, -1) == INT64_C(0x100000000));
	assert_true(InterlockedOr64(&q, 1) == INT64_C(0x100000000));
	assert_true(InterlockedAnd64(&q, 1) == INT64_C(0x100000001));
	assert_true(InterlockedCompareExchangeAcquire64(&q, 5, 1) == 1);
	assert_true(InterlockedExchangeNoFence64(&q, 0) == 5);
	assert_null(InterlockedExchangePointer(&p, &a));
	assert_ptr_equal(InterlockedCompareExchangePointer(&p, &b, &b), &a); /* no match */
	assert_ptr_equal(InterlockedCompareExchangePointerAcquire(&p, &b, &a), &a);
	assert_ptr_equal(p, &b);
	assert_int_equal(InterlockedIncrementSizeT(&z), 1);
	assert_int_equal(InterlockedExchangeAddSizeT(&z, 2), 1);
}

static void test_bit_tests_and_plain_accesses(void **state)
{
	LONG volatile l = 0;
	LONG64 volatile q = 0;

	(void)state;
	assert_false(InterlockedBitTestAndSet(&l, 31));
	assert_true(InterlockedBitTestAndSet(&l, 31));
	assert_true(l == INT32_MIN);
	assert_true(InterlockedBitTestAndReset(&l, 31));
	assert_false(InterlockedBitTestAndComplement(&l, 0));
	assert_int_equal(l, 1);
	assert_false(InterlockedBitTestAndSet64(&q, 40));
	assert_true(q == INT64_C(1) << 40);
	assert_true(InterlockedBitTestAndResetRelease64(&q, 40));
	WriteRelease(&l, 42);
	assert_int_equal(ReadAcquire(&l), 42);
	WriteNoFence64(&q, 7);
	assert_true(ReadNoFence64(&q) == 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_8_bit),
		cmocka_unit_test(test_16_bit),
		cmocka_unit_test(test_32_bit),
		cmocka_unit_test(test_64_bit_and_pointers),
		cmocka_unit_test(test_bit_tests_and_plain_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
