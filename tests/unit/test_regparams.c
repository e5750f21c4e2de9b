/*
 * The in-memory Parameters key (src/wdm/regparams.c): the value types as a
 * driver reads them, replacement, case-insensitive names, bad input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "wdm/regparams.h"

/* Looks name up; fails the test when it is absent. */
static const void *get(const owfp_regparams *p, const WCHAR *name, ULONG *type, ULONG *len)
{
	const void *data = NULL;

	assert_int_equal(
		owfp_regparams_query(p, name, wcslen(name) * sizeof(WCHAR), type, &data, len), 0);
	return data;
}

static void test_each_type_reads_back_as_the_registry_stores_it(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	static const char *const items[] = {"alpha", "b\xc3\xa9ta"};
	static const unsigned char blob[] = {0, 1, 2, 0xff};
	const WCHAR *w;
	ULONG type, len;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_dword(p, "Port", 8888, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_sz(p, "Find", "rainy \xe2\x82\xac", err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_multi_sz(p, "Apps", items, 2, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_binary(p, "Blob", blob, sizeof(blob), err, sizeof(err)),
			 0);
	assert_int_equal(owfp_regparams_count(p), 4);

	assert_int_equal(*(const ULONG *)get(p, L"Port", &type, &len), 8888);
	assert_int_equal(type, REG_DWORD);
	assert_int_equal(len, 4);

	w = get(p, L"Find", &type, &len);
	assert_int_equal(type, REG_SZ);
	/* Seven characters and the terminator, in WCHARs. */
	assert_int_equal(len, 8 * sizeof(WCHAR));
	assert_true(wcscmp(w, L"rainy \u20ac") == 0);

	w = get(p, L"Apps", &type, &len);
	assert_int_equal(type, REG_MULTI_SZ);
	assert_int_equal(len, (6 + 5 + 1) * sizeof(WCHAR));
	assert_true(wcscmp(w, L"alpha") == 0);
	assert_true(wcscmp(w + 6, L"b\u00e9ta") == 0);
	assert_int_equal(w[11], 0);

	assert_memory_equal(get(p, L"Blob", &type, &len), blob, sizeof(blob));
	assert_int_equal(type, REG_BINARY);
	assert_int_equal(len, sizeof(blob));
	owfp_regparams_free(p);
}

static void test_empty_values(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	const WCHAR *w;
	ULONG type, len;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_sz(p, "Empty", "", err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_multi_sz(p, "None", NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_binary(p, "Zero", NULL, 0, err, sizeof(err)), 0);
	w = get(p, L"Empty", &type, &len);
	assert_int_equal(len, sizeof(WCHAR));
	assert_int_equal(w[0], 0);
	w = get(p, L"None", &type, &len);
	assert_int_equal(type, REG_MULTI_SZ);
	assert_int_equal(len, sizeof(WCHAR));
	assert_int_equal(w[0], 0);
	get(p, L"Zero", &type, &len);
	assert_int_equal(len, 0);
	owfp_regparams_free(p);
}

static void test_same_name_any_case_replaces_type_and_all(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	ULONG type, len;
	const WCHAR *w;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_dword(p, "InspectionLocalPort", 1, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_dword(p, "INSPECTIONLOCALPORT", 2, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_count(p), 1);
	assert_int_equal(*(const ULONG *)get(p, L"inspectionlocalport", &type, &len), 2);
	assert_int_equal(owfp_regparams_set_sz(p, "inspectionLocalPort", "x", err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_count(p), 1);
	w = get(p, L"InspectionLocalPort", &type, &len);
	assert_int_equal(type, REG_SZ);
	assert_true(wcscmp(w, L"x") == 0);
	/* Case folds beyond ASCII, as the registry's does. */
	assert_int_equal(owfp_regparams_set_dword(p, "\xc3\xa9t\xc3\xa9", 3, err, sizeof(err)), 0);
	assert_int_equal(*(const ULONG *)get(p, L"\u00c9T\u00c9", &type, &len), 3);
	assert_int_equal(owfp_regparams_count(p), 2);
	owfp_regparams_free(p);
}

static void test_absent_values_are_not_found(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	const void *data;
	ULONG type, len;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_query(p, L"x", sizeof(WCHAR), &type, &data, &len), -ENOENT);
	assert_int_equal(owfp_regparams_set_dword(p, "Port", 1, err, sizeof(err)), 0);
	/* A prefix is another name. */
	assert_int_equal(owfp_regparams_query(p, L"Por", 3 * sizeof(WCHAR), &type, &data, &len),
			 -ENOENT);
	/* A counted name stops at its length, not at a terminator. */
	assert_int_equal(owfp_regparams_query(p, L"PortX", 4 * sizeof(WCHAR), &type, &data, &len), 0);
	/* NULL reads as an empty key. */
	assert_int_equal(owfp_regparams_query(NULL, L"Port", 4 * sizeof(WCHAR), &type, &data, &len),
			 -ENOENT);
	owfp_regparams_free(p);
}

static void test_bad_input_is_refused_with_a_message(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	static const char *const with_empty[] = {"a", "", "b"};
	static const char *const with_bad[] = {"a", "\xc0\xaf"};
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_dword(p, "", 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "empty"));
	assert_int_equal(owfp_regparams_set_dword(p, NULL, 1, err, sizeof(err)), -EINVAL);
	assert_int_equal(owfp_regparams_set_dword(p, "a\xff", 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "UTF-8"));
	assert_int_equal(owfp_regparams_set_dword(p, "a\tb", 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "control character"));
	/* Overlong encodings and surrogates are not text. */
	assert_int_equal(owfp_regparams_set_sz(p, "S", "\xc0\xaf", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "registry value S"));
	assert_int_equal(owfp_regparams_set_sz(p, "S", "\xed\xa0\x80", err, sizeof(err)), -EINVAL);
	assert_int_equal(owfp_regparams_set_sz(p, "S", NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(owfp_regparams_set_multi_sz(p, "M", with_empty, 3, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "string 2"));
	assert_int_equal(owfp_regparams_set_multi_sz(p, "M", with_bad, 2, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "string 2"));
	assert_int_equal(owfp_regparams_set_binary(p, "B", NULL, 3, err, sizeof(err)), -EINVAL);
	assert_int_equal(owfp_regparams_set_binary(p, "B", "x", OWFP_REGPARAMS_MAX_DATA + 1, err,
						   sizeof(err)),
			 -EINVAL);
	assert_int_equal(owfp_regparams_set_dword(NULL, "X", 1, err, sizeof(err)), -EINVAL);
	/* None of it was stored; err may be NULL. */
	assert_int_equal(owfp_regparams_count(p), 0);
	assert_int_equal(owfp_regparams_set_dword(p, "", 1, NULL, 0), -EINVAL);
	owfp_regparams_free(p);
	owfp_regparams_free(NULL);
}

static void test_a_failed_replacement_keeps_the_old_value(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	ULONG type, len;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_dword(p, "Port", 7, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_sz(p, "Port", "\xff", err, sizeof(err)), -EINVAL);
	assert_int_equal(*(const ULONG *)get(p, L"Port", &type, &len), 7);
	owfp_regparams_free(p);
}

static void test_copy_is_deep(void **state)
{
	owfp_regparams *p = owfp_regparams_new(), *c;
	static const char *const items[] = {"one"};
	ULONG type, len;
	char err[256];

	(void)state;
	assert_int_equal(owfp_regparams_set_sz(p, "S", "text", err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_set_multi_sz(p, "M", items, 1, err, sizeof(err)), 0);
	c = owfp_regparams_copy(p);
	assert_non_null(c);
	assert_int_equal(owfp_regparams_set_sz(p, "S", "changed", err, sizeof(err)), 0);
	owfp_regparams_free(p);
	assert_true(wcscmp(get(c, L"s", &type, &len), L"text") == 0);
	assert_true(wcscmp(get(c, L"m", &type, &len), L"one") == 0);
	owfp_regparams_free(c);
	c = owfp_regparams_copy(NULL);
	assert_non_null(c);
	assert_int_equal(owfp_regparams_count(c), 0);
	owfp_regparams_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_type_reads_back_as_the_registry_stores_it),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_same_name_any_case_replaces_type_and_all),
		cmocka_unit_test(test_absent_values_are_not_found),
		cmocka_unit_test(test_bad_input_is_refused_with_a_message),
		cmocka_unit_test(test_a_failed_replacement_keeps_the_old_value),
		cmocka_unit_test(test_copy_is_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
