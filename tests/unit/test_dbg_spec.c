/* util/dbg_spec.c: DbgPrint's conversion grammar, as the formatter and openwfp-cc read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/dbg_spec.h"

static owfp_dbg_spec parse(const char *s, size_t want_len)
{
	owfp_dbg_spec d;

	assert_int_equal(owfp_dbg_spec_parse(s, strlen(s), &d), want_len);
	return d;
}

static void test_dbg_spec_size_prefixes_as_windows_reads_them(void **state)
{
	static const struct {
		const char *text;
		enum owfp_dbg_size size;
		char conv;
	} cases[] = {
		{"d", OWFP_DBG_SZ_DEFAULT, 'd'}, {"I64x", OWFP_DBG_SZ_64, 'x'},
		{"I32u", OWFP_DBG_SZ_32, 'u'},   {"Ix", OWFP_DBG_SZ_PTR, 'x'},
		{"zu", OWFP_DBG_SZ_PTR, 'u'},    {"jd", OWFP_DBG_SZ_64, 'd'},
		{"lld", OWFP_DBG_SZ_64, 'd'},    {"ld", OWFP_DBG_SZ_32, 'd'},
		{"hhx", OWFP_DBG_SZ_HH, 'x'},    {"hx", OWFP_DBG_SZ_H, 'x'},
		{"wZ", OWFP_DBG_SZ_WIDE, 'Z'},   {"Lf", OWFP_DBG_SZ_LONGDOUBLE, 'f'},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		owfp_dbg_spec d = parse(cases[i].text, strlen(cases[i].text));

		assert_int_equal(d.size, cases[i].size);
		assert_int_equal(d.conv, cases[i].conv);
	}
}

static void test_dbg_spec_flags_width_precision_and_stars(void **state)
{
	owfp_dbg_spec d;

	(void)state;
	d = parse("-08.3I64x rest", 9);
	assert_string_equal(d.flags, "-0");
	assert_int_equal(d.width, 8);
	assert_int_equal(d.prec, 3);
	d = parse("*.*s", 4);
	assert_int_equal(d.width, OWFP_DBG_STAR);
	assert_int_equal(d.prec, OWFP_DBG_STAR);
	d = parse(".s", 2);
	assert_int_equal(d.width, OWFP_DBG_NONE);
	assert_int_equal(d.prec, 0);
	d = parse("!STATUS!", 1); /* WPP's extension: the caller reads the name */
	assert_int_equal(d.conv, '!');
	d = parse("5", 1); /* the text ends before the letter */
	assert_int_equal(d.conv, 0);
	d = parse("99999999999999d", 15); /* no int overflow */
	assert_true(d.width > 0);
}

static void test_dbg_spec_classes(void **state)
{
	(void)state;
	assert_int_equal(owfp_dbg_spec_class('i'), OWFP_DBG_SIGNED);
	assert_int_equal(owfp_dbg_spec_class('X'), OWFP_DBG_UNSIGNED);
	assert_int_equal(owfp_dbg_spec_class('A'), OWFP_DBG_FLOAT);
	assert_int_equal(owfp_dbg_spec_class('C'), OWFP_DBG_CHAR);
	assert_int_equal(owfp_dbg_spec_class('S'), OWFP_DBG_STRING);
	assert_int_equal(owfp_dbg_spec_class('Z'), OWFP_DBG_COUNTED);
	assert_int_equal(owfp_dbg_spec_class('p'), OWFP_DBG_POINTER);
	assert_int_equal(owfp_dbg_spec_class('n'), OWFP_DBG_WRITEBACK);
	assert_int_equal(owfp_dbg_spec_class('%'), OWFP_DBG_PERCENT);
	assert_int_equal(owfp_dbg_spec_class('y'), OWFP_DBG_UNKNOWN);
	assert_int_equal(owfp_dbg_spec_class('\0'), OWFP_DBG_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dbg_spec_size_prefixes_as_windows_reads_them),
		cmocka_unit_test(test_dbg_spec_flags_width_precision_and_stars),
		cmocka_unit_test(test_dbg_spec_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
