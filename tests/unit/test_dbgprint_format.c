/*
 * DbgPrint's Windows format conventions (src/wdm/dbgformat.c): %wZ, %Z,
 * %ws/%S, %C, the I64/I32/I size prefixes and 32-bit l.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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
			    "\xe2\x82\xac"
			    "xy");
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

/* Formats with both the DbgPrint interpreter and the C library. */
static void both(char *a, char *b, size_t n, const char *f, ...)
{
	va_list ap, ap2;

	va_start(ap, f);
	va_copy(ap2, ap);
	owfp_dbg_vformat(a, n, f, ap);
	vsnprintf(b, n, f, ap2);
	va_end(ap2);
	va_end(ap);
}

static void test_standard_conversions_match_the_c_library(void **state)
{
	static const char flags[] = "-+ #0";
	static const char convs[] = "diuxXocs";
	static const char *const strs[] = {"", "a", "stream", "0123456789abcdef"};
	unsigned seed = 12345;

	(void)state;
	/* The interpreter's own spec building against printf, on random specs. */
	for (int i = 0; i < 5000; i++) {
		char f[64], a[128], b[128];
		size_t k = 0;
		char conv;
		int ll;

		seed = seed * 1103515245u + 12345u;
		conv = convs[(seed >> 8) % (sizeof(convs) - 1)];
		ll = conv != 'c' && conv != 's' && (seed >> 20) % 3 == 0;
		f[k++] = '[';
		f[k++] = '%';
		for (int j = 0; j < 5; j++)
			if ((seed >> (j + 3)) & 1 && (seed >> 24) % 2)
				f[k++] = flags[j];
		if ((seed >> 12) % 2)
			k += (size_t)snprintf(f + k, sizeof(f) - k, "%u", (seed >> 14) % 20);
		if ((seed >> 13) % 2 && conv != 'c')
			k += (size_t)snprintf(f + k, sizeof(f) - k, ".%u", (seed >> 18) % 12);
		if (ll) {
			f[k++] = 'l';
			f[k++] = 'l';
		}
		f[k++] = conv;
		f[k++] = ']';
		f[k] = '\0';
		seed = seed * 1103515245u + 12345u;
		if (conv == 's')
			both(a, b, sizeof(a), f, strs[seed % 4]);
		else if (conv == 'c')
			both(a, b, sizeof(a), f, 'A' + (int)(seed % 26));
		else if (ll)
			both(a, b, sizeof(a), f,
			     (long long)((unsigned long long)seed * 2654435761u * 97u));
		else
			both(a, b, sizeof(a), f, (int)seed);
		if (strcmp(a, b) != 0)
			fail_msg("format \"%s\": got \"%s\", printf gives \"%s\"", f, a, b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_string_conversions),
		cmocka_unit_test(test_windows_integer_sizes),
		cmocka_unit_test(test_output_is_truncated_and_terminated),
		cmocka_unit_test(test_standard_conversions_match_the_c_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
