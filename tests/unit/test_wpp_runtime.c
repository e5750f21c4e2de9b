/*
 * The WPP runtime (src/wdm/wpp.c): one log line per message with control,
 * level, flag and place in front; DbgPrint's formatter for the rest; the
 * text of %!STATUS!, list, set, enum, IP address, GUID and hexdump values;
 * and -v as the only switch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "openwfp/ntdef.h"
#include "openwfp/openwfp_wpp.h"

static char last[1200];

static void sink(void *user, const char *line)
{
	(*(int *)user)++;
	snprintf(last, sizeof(last), "%s", line);
}

static const char *const names[] = {"\001CtlA", "F_ONE", "F_TWO", "\001CtlB", "G_ONE", NULL};

static void test_line(void **state)
{
	int lines = 0;

	(void)state;
	owfp_wpp_set_sink(sink, &lines);
	owfp_wpp_emit(names, "drv.c", 42, TRACE_LEVEL_WARNING, 2, "%s: %I64u bytes %wZ\r\n", "Fn",
		      (unsigned long long)1234, (void *)NULL);
	assert_string_equal(last, "wpp CtlA WARNING F_TWO drv.c:42: Fn: 1234 bytes (null)");
	owfp_wpp_emit(names, "drv.c", 7, -1, 4, "a\r\tb\nc");
	assert_string_equal(last, "wpp CtlB G_ONE drv.c:7: a \tb c");
	owfp_wpp_emit(names, "x.cpp", 1, 9, -1, "%%");
	assert_string_equal(last, "wpp CtlA LEVEL9 x.cpp:1: %");
	assert_int_equal(lines, 3);
	owfp_wpp_set_sink(NULL, NULL);
}

static void test_values(void **state)
{
	char b[OWFP_WPP_XLEN];
	static const char *const items[] = {"Idle", "Busy"};
	static const owfp_wpp_enum_item en[] = {{2, "K_A"}, {16, "K_B"}};
	const unsigned char data[] = {0x50, 0x4f, 0x53, 0x54};
	short len = 4;
	const owfp_wpp_pair pairs[] = {{&len, 2}, {data, 4}};
	const GUID g = {0x6a1f0c22, 0x93b4, 0x4e57, {0xa0, 0xd1, 0x5c, 0x7e, 0x2b, 0x9f, 0x4d, 0x31}};
	const unsigned char v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	unsigned char big[400];

	(void)state;
	assert_string_equal(owfp_wpp_fmt_status(b, sizeof(b), 0), "STATUS_SUCCESS");
	assert_string_equal(owfp_wpp_fmt_status(b, sizeof(b), (int32_t)0xC000009A),
			    "STATUS_INSUFFICIENT_RESOURCES");
	assert_string_equal(owfp_wpp_fmt_status(b, sizeof(b), (int32_t)0xC0DE0001), "0xC0DE0001");
	assert_string_equal(owfp_wpp_fmt_list(b, sizeof(b), 1, items, 2), "Busy");
	assert_string_equal(owfp_wpp_fmt_list(b, sizeof(b), 5, items, 2), "5");
	assert_string_equal(owfp_wpp_fmt_set(b, sizeof(b), 3, items, 2), "Idle|Busy");
	assert_string_equal(owfp_wpp_fmt_set(b, sizeof(b), 6, items, 2), "Busy|0x4");
	assert_string_equal(owfp_wpp_fmt_set(b, sizeof(b), 0, items, 2), "0");
	assert_string_equal(owfp_wpp_fmt_enum(b, sizeof(b), 16, en, 2), "K_B");
	assert_string_equal(owfp_wpp_fmt_enum(b, sizeof(b), -3, en, 2), "-3");
	assert_string_equal(owfp_wpp_fmt_cplx(b, sizeof(b), "ItemHEXDump", pairs, 2), "50 4f 53 54");
	assert_string_equal(owfp_wpp_fmt_ipaddr(b, sizeof(b), 0x0200000a), "10.0.0.2");
	assert_string_equal(owfp_wpp_fmt_ipv6(b, sizeof(b), v6), "2001:db8:0:0:0:0:0:1");
	assert_string_equal(owfp_wpp_fmt_guid(b, sizeof(b), &g),
			    "{6a1f0c22-93b4-4e57-a0d1-5c7e2b9f4d31}");
	assert_string_equal(owfp_wpp_flag_name(names, 0), "");
	assert_string_equal(owfp_wpp_control_name(names, 4), "CtlB");
	/* a long dump is cut and says how long it was */
	memset(big, 0xab, sizeof(big));
	{
		const owfp_wpp_pair one = {big, sizeof(big)};

		owfp_wpp_fmt_cplx(b, sizeof(b), "ItemHEXDump", &one, 1);
		assert_non_null(strstr(b, "ab ab ... (400 bytes)"));
		assert_true(strlen(b) < sizeof(b));
	}
}

/* The generated ENABLED macros read this block: everything off until -v. */
static void test_switch(void **state)
{
	(void)state;
	owfp_wpp_set_enabled(false);
	assert_int_equal(WPP_CONTROL(0).Level, 0);
	assert_int_equal(WPP_CONTROL(0).Flags[7], 0);
	owfp_wpp_set_enabled(true);
	assert_true(WPP_CONTROL(0).Level >= TRACE_LEVEL_VERBOSE);
	assert_int_equal(WPP_CONTROL(0).Flags[WPP_FLAG_NO(37)] & WPP_MASK(37), 1u << 5);
	owfp_wpp_set_enabled(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_switch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
