/*
 * intsafe.h and ntintsafe.h: overflow, underflow and narrowing are
 * detected at the type's width, the result is then the error value, and
 * everything in range is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openwfp/intsafe.h"
#include "openwfp/ntintsafe.h"

static void test_unsigned_arithmetic(void **state)
{
	ULONG u;
	SIZE_T z;
	USHORT s;

	(void)state;
	assert_int_equal(ULongAdd(0xfffffffeu, 1, &u), S_OK);
	assert_int_equal(u, 0xffffffffu);
	assert_int_equal(ULongAdd(0xffffffffu, 1, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(u, 0xffffffffu); /* ULONG_ERROR */
	assert_int_equal(ULongMult(0x10000u, 0x10000u, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(ULongSub(1, 2, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(SizeTAdd(SIZE_MAX - 1, 1, &z), S_OK);
	assert_int_equal(SizeTMult((SIZE_T)1 << 32, (SIZE_T)1 << 32, &z),
			 INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(RtlULongAdd(0xffffffffu, 1, &u), STATUS_INTEGER_OVERFLOW);
	assert_int_equal(RtlSizeTMult(3, 5, &z), STATUS_SUCCESS);
	assert_int_equal(z, 15);
	assert_int_equal(RtlUShortAdd(0xffff, 1, &s), STATUS_INTEGER_OVERFLOW);
}

static void test_signed_arithmetic(void **state)
{
	LONG l;
	LONGLONG q;

	(void)state;
	assert_int_equal(LongAdd(INT32_MAX, 1, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(l, -1); /* LONG_ERROR */
	assert_int_equal(LongSub(INT32_MIN, 1, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(LongMult(-2, 3, &l), S_OK);
	assert_int_equal(l, -6);
	assert_int_equal(RtlLongLongMult(INT64_MAX / 2 + 1, 2, &q), STATUS_INTEGER_OVERFLOW);
}

static void test_conversions(void **state)
{
	ULONG u;
	ULONG_PTR p;
	UCHAR c;
	LONG l;
	SIZE_T z;

	(void)state;
	assert_int_equal(ULongLongToULong(0x100000000ULL, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(ULongLongToULong(0xffffffffULL, &u), S_OK);
	/* Pointer-sized targets are 64 bits here: always fits. */
	assert_int_equal(ULongLongToULongPtr(0xffffffffffffULL, &p), S_OK);
	assert_true(p == 0xffffffffffffULL);
	assert_int_equal(ULongToUChar(256, &c), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(c, 0xff);
	assert_int_equal(LongToULong(-1, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(ULongToLong(0x80000000u, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
	assert_int_equal(RtlLongLongToSizeT(-5, &z), STATUS_INTEGER_OVERFLOW);
	assert_int_equal(RtlSizeTToULong(7, &u), STATUS_SUCCESS);
	assert_int_equal(u, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned_arithmetic),
		cmocka_unit_test(test_signed_arithmetic),
		cmocka_unit_test(test_conversions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
