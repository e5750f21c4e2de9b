/*
 * ntstrsafe.h (src/wdm/strsafe.c) and the Rtl multi-byte conversions
 * (src/wdm/rtl_convert.c): every function NUL-terminates what fits and
 * says when it did not all fit (STATUS_BUFFER_OVERFLOW), rejects bad sizes
 * (STATUS_INVALID_PARAMETER), and the printf forms take the kernel's
 * conversions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openwfp/ntstrsafe.h"

static void test_copy_and_truncation(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(RtlStringCchCopyA(buf, sizeof(buf), "rainy"), STATUS_SUCCESS);
	assert_string_equal(buf, "rainy");
	assert_int_equal(RtlStringCchCopyA(buf, sizeof(buf), "cloudy"), STATUS_BUFFER_OVERFLOW);
	assert_string_equal(buf, "cloud");
	assert_int_equal(RtlStringCbCopyA(buf, 3, "sunny"), STATUS_BUFFER_OVERFLOW);
	assert_string_equal(buf, "su");
	assert_int_equal(RtlStringCchCopyNA(buf, sizeof(buf), "sunny", 3), STATUS_SUCCESS);
	assert_string_equal(buf, "sun");
	assert_int_equal(RtlStringCchCopyA(buf, 0, "x"), STATUS_INVALID_PARAMETER);
	assert_int_equal(RtlStringCchCopyA(buf, (size_t)NTSTRSAFE_MAX_CCH + 1, "x"),
			 STATUS_INVALID_PARAMETER);
}

static void test_cat_and_ex_flags(void **state)
{
	char buf[8] = "ab", *end = NULL;
	size_t rem = 0;

	(void)state;
	assert_int_equal(RtlStringCchCatA(buf, sizeof(buf), "cd"), STATUS_SUCCESS);
	assert_string_equal(buf, "abcd");
	assert_int_equal(RtlStringCchCatNA(buf, sizeof(buf), "efgh", 2), STATUS_SUCCESS);
	assert_string_equal(buf, "abcdef");
	assert_int_equal(RtlStringCchCatA(buf, sizeof(buf), "xyz"), STATUS_BUFFER_OVERFLOW);
	assert_string_equal(buf, "abcdefx");
	/* No NUL within the size: nothing to append to. */
	memset(buf, 'q', sizeof(buf));
	assert_int_equal(RtlStringCchCatA(buf, sizeof(buf), "a"), STATUS_INVALID_PARAMETER);

	assert_int_equal(RtlStringCchCopyExA(buf, sizeof(buf), "abc", &end, &rem, 0), STATUS_SUCCESS);
	assert_ptr_equal(end, buf + 3);
	assert_int_equal(rem, 5);
	assert_int_equal(RtlStringCchCopyExA(buf, sizeof(buf), "too long here", &end, &rem,
					     STRSAFE_NO_TRUNCATION),
			 STATUS_BUFFER_OVERFLOW);
	assert_string_equal(buf, "");
	assert_int_equal(RtlStringCchCopyExA(buf, sizeof(buf), NULL, &end, &rem, STRSAFE_IGNORE_NULLS),
			 STATUS_SUCCESS);
	assert_string_equal(buf, "");
	assert_int_equal(RtlStringCchCopyExA(buf, sizeof(buf), "x", NULL, NULL,
					     STRSAFE_FILL_BEHIND_NULL | '#'),
			 STATUS_SUCCESS);
	assert_memory_equal(buf, "x\0######", 8);
	assert_int_equal(RtlStringCchCatExA(buf, sizeof(buf), "0123456789", &end, &rem,
					    STRSAFE_NULL_ON_FAILURE),
			 STATUS_BUFFER_OVERFLOW);
	assert_string_equal(buf, "");
}

/* The Cb forms count bytes (remaining space too); the W forms count WCHARs. */
static void test_byte_counted_and_wide_forms(void **state)
{
	char a[8], *aend = NULL;
	WCHAR w[8], *wend = NULL;
	size_t rem = 0;

	(void)state;
	assert_int_equal(RtlStringCbCopyNA(a, sizeof(a), "sunny", 3), STATUS_SUCCESS);
	assert_string_equal(a, "sun");
	assert_int_equal(RtlStringCbCopyExA(a, sizeof(a), "rain", &aend, &rem, 0), STATUS_SUCCESS);
	assert_ptr_equal(aend, a + 4);
	assert_int_equal(rem, 4);
	assert_int_equal(RtlStringCbCatA(a, sizeof(a), "y"), STATUS_SUCCESS);
	assert_string_equal(a, "rainy");
	assert_int_equal(RtlStringCbCatNA(a, sizeof(a), "dayz", 1), STATUS_SUCCESS);
	assert_string_equal(a, "rainyd");
	assert_int_equal(RtlStringCbCatExA(a, sizeof(a), "ays", &aend, &rem, 0),
			 STATUS_BUFFER_OVERFLOW);
	assert_string_equal(a, "rainyda");
	assert_ptr_equal(aend, a + 7);
	assert_int_equal(rem, 1);

	assert_int_equal(RtlStringCchCopyW(w, 8, L"abc"), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"abc") == 0);
	assert_int_equal(RtlStringCbCopyW(w, 4 * sizeof(WCHAR), L"abcdef"), STATUS_BUFFER_OVERFLOW);
	assert_true(wcscmp(w, L"abc") == 0);
	assert_int_equal(RtlStringCchCopyNW(w, 8, L"abcdef", 2), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"ab") == 0);
	assert_int_equal(RtlStringCbCopyNW(w, sizeof(w), L"abcdef", 3 * sizeof(WCHAR)),
			 STATUS_SUCCESS);
	assert_true(wcscmp(w, L"abc") == 0);
	assert_int_equal(RtlStringCchCopyExW(w, 8, L"abcd", &wend, &rem, 0), STATUS_SUCCESS);
	assert_ptr_equal(wend, w + 4);
	assert_int_equal(rem, 4);
	assert_int_equal(RtlStringCbCopyExW(w, sizeof(w), L"abcde", &wend, &rem, 0), STATUS_SUCCESS);
	assert_ptr_equal(wend, w + 5);
	assert_int_equal(rem, 3 * sizeof(WCHAR));
	assert_int_equal(RtlStringCchCatW(w, 8, L"f"), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"abcdef") == 0);
	assert_int_equal(RtlStringCchCatNW(w, 8, L"gh", 0), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"abcdef") == 0);
	assert_int_equal(RtlStringCbCatNW(w, sizeof(w), L"ghi", 1 * sizeof(WCHAR)), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"abcdefg") == 0);
	assert_int_equal(RtlStringCbCatW(w, sizeof(w), L"h"), STATUS_BUFFER_OVERFLOW);
	assert_true(wcscmp(w, L"abcdefg") == 0);
	assert_int_equal(RtlStringCchCopyW(w, 8, L"ab"), STATUS_SUCCESS);
	assert_int_equal(RtlStringCchCatExW(w, 8, L"cd", &wend, &rem, 0), STATUS_SUCCESS);
	assert_ptr_equal(wend, w + 4);
	assert_int_equal(rem, 4);
	assert_int_equal(
		RtlStringCbCatExW(w, sizeof(w), L"efghij", &wend, &rem, STRSAFE_NO_TRUNCATION),
		STATUS_BUFFER_OVERFLOW);
	assert_true(wcscmp(w, L"abcd") == 0); /* an append that does not fit leaves it be */
	assert_ptr_equal(wend, w + 4);
	assert_int_equal(rem, 4 * sizeof(WCHAR));
	assert_int_equal(RtlStringCbCopyW(w, 1, L"x"), STATUS_INVALID_PARAMETER); /* no WCHAR */
}

static void test_length(void **state)
{
	size_t n = 99;
	const char notz[4] = {'a', 'b', 'c', 'd'};

	(void)state;
	assert_int_equal(RtlStringCchLengthA("rainy", 32, &n), STATUS_SUCCESS);
	assert_int_equal(n, 5);
	assert_int_equal(RtlStringCchLengthA(notz, sizeof(notz), &n), STATUS_INVALID_PARAMETER);
	assert_int_equal(n, 0);
	assert_int_equal(RtlStringCbLengthW(L"abc", 64, &n), STATUS_SUCCESS);
	assert_int_equal(n, 3 * sizeof(WCHAR));
	assert_int_equal(RtlStringCchLengthW(NULL, 4, &n), STATUS_INVALID_PARAMETER);
}

static void test_printf_narrow_and_wide(void **state)
{
	char a[16];
	WCHAR w[16];
	UNICODE_STRING u;

	(void)state;
	RtlInitUnicodeString(&u, L"sunny");
	assert_int_equal(
		RtlStringCchPrintfA(a, sizeof(a), "%lu-%I64x-%wZ", (ULONG)7, (ULONG64)0xabcULL, &u),
		STATUS_SUCCESS);
	assert_string_equal(a, "7-abc-sunny");
	assert_int_equal(RtlStringCchPrintfA(a, 6, "%s", "a long string"), STATUS_BUFFER_OVERFLOW);
	assert_string_equal(a, "a lon");
	/* In the W forms %s is wide and %S narrow. */
	assert_int_equal(RtlStringCchPrintfW(w, 16, L"%s/%S/%d", L"ab", "cd", 42), STATUS_SUCCESS);
	assert_true(wcscmp(w, L"ab/cd/42") == 0);
	assert_int_equal(RtlStringCbPrintfW(w, 4 * sizeof(WCHAR), L"%ls", L"abcdef"),
			 STATUS_BUFFER_OVERFLOW);
	assert_true(wcscmp(w, L"abc") == 0);
}

static void test_unicode_string_forms(void **state)
{
	WCHAR storage[8];
	UNICODE_STRING d = {0, sizeof(storage), storage}, s;

	(void)state;
	RtlInitUnicodeString(&s, L"cloudy");
	assert_int_equal(RtlUnicodeStringCopy(&d, &s), STATUS_SUCCESS);
	assert_int_equal(d.Length, 6 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringCatString(&d, L"sky"), STATUS_BUFFER_OVERFLOW);
	assert_int_equal(d.Length, 8 * sizeof(WCHAR)); /* full, no terminator */
	assert_memory_equal(storage, L"cloudysk", 8 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringPrintf(&d, L"%d:%s", 12, L"ab"), STATUS_SUCCESS);
	assert_int_equal(d.Length, 5 * sizeof(WCHAR));
	assert_memory_equal(storage, L"12:ab", 5 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringInit(&s, L"x"), STATUS_SUCCESS);
	assert_int_equal(s.MaximumLength, 2 * sizeof(WCHAR));
	d.Length = 3; /* odd: not a valid UNICODE_STRING */
	assert_int_equal(RtlUnicodeStringValidate(&d), STATUS_INVALID_PARAMETER);
	assert_int_equal(RtlUnicodeStringCopyString(&d, L"x"), STATUS_INVALID_PARAMETER);
}

/* The counted forms copy or append at most N characters of the source. */
static void test_unicode_string_counted_forms(void **state)
{
	WCHAR storage[6];
	UNICODE_STRING d = {0, sizeof(storage), storage}, s;

	(void)state;
	assert_int_equal(RtlUnicodeStringCchCopyStringN(&d, L"rainy", 3), STATUS_SUCCESS);
	assert_int_equal(d.Length, 3 * sizeof(WCHAR));
	assert_memory_equal(storage, L"rai", 3 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringCchCatStringN(&d, L"nyyy", 2), STATUS_SUCCESS);
	assert_int_equal(d.Length, 5 * sizeof(WCHAR));
	assert_memory_equal(storage, L"rainy", 5 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringCbCatStringN(&d, L"!?", 2 * sizeof(WCHAR)),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(d.Length, 6 * sizeof(WCHAR));
	assert_memory_equal(storage, L"rainy!", 6 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringCbCopyStringN(&d, L"sunny", 2 * sizeof(WCHAR)),
			 STATUS_SUCCESS);
	assert_int_equal(d.Length, 2 * sizeof(WCHAR));
	assert_memory_equal(storage, L"su", 2 * sizeof(WCHAR));
	RtlInitUnicodeString(&s, L"n");
	assert_int_equal(RtlUnicodeStringCat(&d, &s), STATUS_SUCCESS);
	assert_int_equal(d.Length, 3 * sizeof(WCHAR));
	assert_memory_equal(storage, L"sun", 3 * sizeof(WCHAR));
	assert_int_equal(RtlUnicodeStringCchCatStringN(&d, NULL, 1), STATUS_INVALID_PARAMETER);
	assert_int_equal(RtlUnicodeStringCchCopyStringN(&d, L"x", (size_t)NTSTRSAFE_MAX_CCH + 1),
			 STATUS_INVALID_PARAMETER);
}

static void test_unicode_to_multibyte(void **state)
{
	const WCHAR src[] = L"caf\u00e9";
	char out[8];
	ULONG n = 0;
	WCHAR back[8];

	(void)state;
	/* The byte count includes the NUL, as drivers pass it. */
	assert_int_equal(RtlUnicodeToMultiByteN(out, sizeof(out), &n, src, sizeof(src)),
			 STATUS_SUCCESS);
	assert_int_equal(n, 6); /* "caf" + 2-byte e-acute + NUL */
	assert_string_equal(out, "caf\xc3\xa9");
	assert_int_equal(RtlUnicodeToMultiByteSize(&n, src, sizeof(src) - sizeof(WCHAR)),
			 STATUS_SUCCESS);
	assert_int_equal(n, 5);
	/* Too small: what fits, whole characters only, and it says so. */
	assert_int_equal(RtlUnicodeToMultiByteN(out, 4, &n, src, sizeof(src)),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(n, 3);
	assert_int_equal(RtlMultiByteToUnicodeN(back, sizeof(back), &n, "caf\xc3\xa9", 5),
			 STATUS_SUCCESS);
	assert_int_equal(n, 4 * sizeof(WCHAR));
	assert_memory_equal(back, src, 4 * sizeof(WCHAR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_and_truncation),
		cmocka_unit_test(test_cat_and_ex_flags),
		cmocka_unit_test(test_byte_counted_and_wide_forms),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_printf_narrow_and_wide),
		cmocka_unit_test(test_unicode_string_forms),
		cmocka_unit_test(test_unicode_string_counted_forms),
		cmocka_unit_test(test_unicode_to_multibyte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
