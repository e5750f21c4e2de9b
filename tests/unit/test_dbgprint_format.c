/*
 * DbgPrint's Windows format conventions (src/wdm/dbgformat.c): %wZ, %Z,
 * %ws/%S, %C, the I64/I32/I size prefixes and 32-bit l.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openwfp/wdm.h"
#include "wdm/dbgformat.h"

static const char *fmt(char *out, size_t n, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	owfp_dbg_vformat(out, n, f, ap);
	va_end(ap);
	return out;
}

static void test_windows_string_conversions(void **state)
{
	char out[128];
	UNICODE_STRING u;
	ANSI_STRING a;

	(void)state;
	RtlInitUnicodeString(&u, L"callout\u00e9");
	RtlInitAnsiString(&a, "ansi!");
	a.Length = 4; /* counted, not NUL-terminated */
	assert_string_equal(fmt(out, sizeof(out), "[%wZ] [%Z]", &u, &a), "[callout\xc3\xa9] [ansi]");
	assert_string_equal(fmt(out, sizeof(out), "%ws|%S|%ls", L"w1", L"w2", L"w3"), "w1|w2|w3");
	assert_string_equal(fmt(out, sizeof(out), "%C%c%wc", (int)L'\u20ac', 'x', (int)L'y'),
			    "\xe2\x82\xac" "xy");
	assert_string_equal(fmt(out, sizeof(out), "%.3ws|%8s|%-4s|", L"abcdef", "r", "l"),
			    "abc|       r|l   |");
	assert_string_equal(fmt(out, sizeof(out), "%wZ %ws", (UNICODE_STRING *)NULL, (wchar_t *)NULL),
			    "(null) (null)");
}

static void test_windows_integer_sizes(void **state)
{
	char out[128];
	ULONG ul = 0xdeadbeefu;
	UINT64 big = 0x1122334455667788ULL;

	(void)state;
	/* l is 32 bits on Windows, whatever C long is here. */
	assert_string_equal(fmt(out, sizeof(out), "%lx %lu", ul, (ULONG)7), "deadbeef 7");
	assert_string_equal(fmt(out, sizeof(out), "%I64x %llX %I64d", big, big, (INT64)-5),
			    "1122334455667788 1122334455667788 -5");
	assert_string_equal(fmt(out, sizeof(out), "%I32u %Iu %zu", (UINT32)9, (SIZE_T)10, (size_t)11),
			    "9 10 11");
	assert_string_equal(fmt(out, sizeof(out), "%hu %hhd %08X %-3d|", 70000, 300, 0xbeef, 1),
			    "4464 44 0000BEEF 1  |");
	assert_string_equal(fmt(out, sizeof(out), "%*d|%.*f", 4, 7, 2, 3.14159), "   7|3.14");
	assert_string_equal(fmt(out, sizeof(out), "100%% %q"), "100% %q");
}

static void test_output_is_truncated_and_terminated(void **state)
{
	char out[8];

	(void)state;
	assert_string_equal(fmt(out, sizeof(out), "%s-%s", "abcdef", "ghijk"), "abcdef-");
	assert_string_equal(fmt(out, sizeof(out), "trailing %"), "trailin");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_string_conversions),
		cmocka_unit_test(test_windows_integer_sizes),
		cmocka_unit_test(test_output_is_truncated_and_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
