/*
 * openwfp-cc's part of tracewpp (src/cc/wppcfg.c, wppfmt.c, tmh.c): the
 * configuration block, message formats, the generated per-line macros and
 * functions, and the errors tracewpp would give, with file and line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cc/wpp.h"

static const char config_block[] =
	"#define WPP_CONTROL_GUIDS WPP_DEFINE_CONTROL_GUID(Ctl, (1,2,3,4,5), WPP_DEFINE_BIT(F_A))\n"
	"// begin_wpp config\n"
	"// FUNC TraceEvents(LEVEL, FLAGS, MSG, ...);\n"
	"// FUNC LogErr{LEVEL=TRACE_LEVEL_ERROR, FLAGS=F_A}(MSG, ...);\n"
	"// CUSTOM_TYPE(State, ItemListLong(Idle, Busy, In+Out));\n"
	"// CUSTOM_TYPE(Bits, ItemSetLong(R, W));\n"
	"// CUSTOM_TYPE(Kind, ItemEnum(MY_KIND));\n"
	"// DEFINE_CPLX_TYPE(HEXDUMP, WPP_LOGHEX, xstr_t, ItemHEXDump, \"s\", _HEX_, 0, 2);\n"
	"// end_wpp\n"
	"/* CUSTOM_TYPE(NotConfig, ItemListLong(x)); outside the block */\n";

static void load(cc_wpp_config *c)
{
	char err[256] = "";

	memset(c, 0, sizeof(*c));
	assert_int_equal(cc_wpp_config_defaults(c), 0);
	assert_int_equal(cc_wpp_config_scan(c, config_block, sizeof(config_block) - 1, "trace.h",
					    err, sizeof(err)),
			 0);
}

static void test_config_block(void **state)
{
	cc_wpp_config c;
	const cc_wpp_func *f;
	cc_wpp_type *t;
	const char *enums =
		"#ifndef K_H\n#define K_H\ntypedef enum MY_KIND_ { KIND_A = 2, KIND_B = (1 << 4),\n#if 1\n KIND_C\n#endif\n } MY_KIND;\n#endif\n";

	(void)state;
	load(&c);
	assert_int_equal(c.nfuncs, 4);
	f = cc_wpp_config_func(&c, "TraceEvents", 11);
	assert_non_null(f);
	assert_int_equal(f->nparams, 2);
	assert_true(f->variadic);
	assert_string_equal(f->conds.v[0], "LEVEL");
	f = cc_wpp_config_func(&c, "LogErr", 6);
	assert_non_null(f);
	assert_int_equal(f->nparams, 0);
	assert_int_equal(f->fixed.n, 2);
	assert_string_equal(f->conds.v[1], "FLAGS");
	assert_string_equal(f->fixed.v[0], "TRACE_LEVEL_ERROR");
	f = cc_wpp_config_func(&c, "DoTraceMessage", 14);
	assert_non_null(f);
	assert_string_equal(f->conds.v[0], "FLAG");
	t = cc_wpp_config_type(&c, "State", 5);
	assert_non_null(t);
	assert_int_equal(t->kind, CC_WPP_LIST);
	assert_int_equal(t->items.n, 3);
	assert_string_equal(t->items.v[2], "In+Out");
	assert_int_equal(cc_wpp_config_type(&c, "Bits", 4)->kind, CC_WPP_SET);
	assert_null(cc_wpp_config_type(&c, "NotConfig", 9));
	t = cc_wpp_config_type(&c, "HEXDUMP", 7);
	assert_int_equal(t->kind, CC_WPP_CPLX);
	assert_string_equal(t->macro, "WPP_LOGHEX");
	assert_string_equal(t->arg, "xstr_t");
	t = cc_wpp_config_type(&c, "Kind", 4);
	assert_int_equal(t->kind, CC_WPP_ENUM);
	assert_true(cc_wpp_enum_resolve(t, enums, strlen(enums)));
	assert_int_equal(t->items.n, 3);
	assert_string_equal(t->items.v[1], "KIND_B");
	/* a header read again (a C and a C++ source include it) redeclares, no more */
	{
		char err[64];
		size_t nt = c.ntypes, nf = c.nfuncs;

		assert_int_equal(cc_wpp_config_scan(&c, config_block, sizeof(config_block) - 1,
						    "trace.h", err, sizeof(err)),
				 0);
		assert_int_equal(c.ntypes, nt);
		assert_int_equal(c.nfuncs, nf);
	}
	cc_wpp_config_free(&c);
}

static void test_config_errors(void **state)
{
	cc_wpp_config c = {0};
	char err[256] = "";
	const char bad[] = "// begin_wpp config\n// FUNC Broken(LEVEL, MSG, EXTRA);\n// end_wpp\n";

	(void)state;
	assert_int_equal(cc_wpp_config_scan(&c, bad, sizeof(bad) - 1, "t.h", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "EXTRA"));
	assert_int_equal(cc_wpp_config_add_func(&c, "NoMsg(LEVEL)", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no MSG"));
	cc_wpp_config_free(&c);
}

static void test_format(void **state)
{
	cc_wpp_spec s[10];
	char err[128];
	const char *f = "%!FUNC!: %p %I64u %-8.*s %!STATUS! %% %hu %Iu %wZ \\\"%d";
	int n = cc_wpp_format_parse(f, strlen(f), s, 10, err, sizeof(err));

	(void)state;
	assert_int_equal(n, 9);
	assert_string_equal(s[8].ctype, "int");
	assert_int_equal(cc_wpp_format_parse(f, strlen(f), s, 8, err, sizeof(err)), -EINVAL);
	assert_int_equal(s[0].conv, CC_WPP_EXT);
	assert_string_equal(s[0].name, "FUNC");
	assert_string_equal(s[1].ctype, "const void *");
	assert_string_equal(s[2].ctype, "uint64_t");
	assert_string_equal(s[3].ctype, "const char *");
	assert_int_equal(s[3].stars, 1);
	assert_string_equal(s[4].name, "STATUS");
	assert_string_equal(s[5].ctype, "unsigned int");
	assert_string_equal(s[6].ctype, "uintptr_t");
	assert_string_equal(s[7].ctype, "const void *");
	assert_int_equal(cc_wpp_format_parse("%n", 2, s, 8, err, sizeof(err)), -EINVAL);
	assert_int_equal(cc_wpp_format_parse("%!FUNC", 6, s, 8, err, sizeof(err)), -EINVAL);
}

static int generate(const char *src, char **out, char *err, size_t errlen)
{
	cc_wpp_config c;
	cc_tmh_input in;
	cc_buf b = {0};
	cc_strv notes = {0};
	int rc;

	load(&c);
	in = (cc_tmh_input){src, strlen(src), "sys/drv.c", &c, NULL, NULL, 0};
	rc = cc_tmh_generate(&in, &b, &notes, err, errlen);
	*out = cc_buf_take(&b);
	cc_strv_free(&notes);
	cc_wpp_config_free(&c);
	return rc;
}

static void test_sites(void **state)
{
	char *tmh, err[512] = "";
	const char *src = "#include \"drv.tmh\"\n"      /* 1 */
			  "void f(int s, xstr_t x) {\n" /* 2 */
			  "    DoTraceLevelMessage(TRACE_LEVEL_ERROR, F_A, \"%!FUNC!: %!STATUS! \"\n" /* 3 */
			  "        \"and %!State! %!HEXDUMP! %!LINE!\", s,\n"     /* 4 */
			  "        s, x);\n"                                      /* 5 */
			  "    /* DoTraceMessage(F_A, \"%!Nope!\"); */ s = 0;\n"  /* 6 */
			  "    puts(\"DoTraceMessage(F_A, \\\"%!Nope!\\\")\");\n" /* 7 */
			  "    LogErr(\"%d %!bool!\", s, s); LogErr(\"%d %!bool!\", s, s);\n" /* 8 */
			  "}\n";

	(void)state;
	assert_int_equal(generate(src, &tmh, err, sizeof(err)), 0);
	/* the call's macro is keyed by the line of its name, not of its ')' */
	assert_non_null(
		strstr(tmh, "#define WPP_CALL_drv_c_3(LEVEL, FLAGS, MSG, wpp_a1, wpp_a2, wpp_a3)"));
	assert_non_null(strstr(
		tmh, "#define DoTraceLevelMessage WPP_XGLUE3_(WPP_CALL_, WPP_THIS_FILE, __LINE__)"));
	assert_non_null(strstr(tmh, "#define WPP_THIS_FILE drv_c_\n"));
	assert_non_null(strstr(
		tmh,
		"WPP_LEVEL_FLAGS_ENABLED(LEVEL, FLAGS)) ? WPP_SF_drv_c_3(WPP_LEVEL_FLAGS_LOGGER(LEVEL, FLAGS) (int)(LEVEL), WPP_BIT_ ## FLAGS, __func__"));
	/* typed from the format; %!LINE! is the call's line */
	assert_non_null(
		strstr(tmh, "const char *wpp_func, int32_t wpp_a1, int64_t wpp_a2, xstr_t wpp_a3)"));
	assert_non_null(strstr(tmh, "\"%s: %s \" \"and %s %s 3\", wpp_func, owfp_wpp_fmt_status("));
	assert_non_null(strstr(tmh, "const owfp_wpp_pair wpp_p3[] = { WPP_LOGHEX(wpp_a3) };"));
	assert_non_null(strstr(
		tmh,
		"WPP_ITEMS_State[] __attribute__((__unused__)) = { \"Idle\", \"Busy\", \"In+Out\" };"));
	/* fixed conditions; the same call twice on one line shares one macro */
	assert_non_null(strstr(tmh, "#define WPP_CALL_drv_c_8(MSG, wpp_a1, wpp_a2)"));
	assert_non_null(strstr(tmh, "WPP_LEVEL_FLAGS_ENABLED(TRACE_LEVEL_ERROR, F_A)"));
	assert_non_null(strstr(tmh, "(int)(TRACE_LEVEL_ERROR), WPP_BIT_F_A,"));
	assert_null(strstr(strstr(tmh, "WPP_CALL_drv_c_8(") + 1, "WPP_CALL_drv_c_8("));
	/* nothing from comments and strings */
	assert_null(strstr(tmh, "WPP_CALL_drv_c_6"));
	assert_null(strstr(tmh, "WPP_CALL_drv_c_7"));
	assert_null(strstr(tmh, "#define DoTraceMessage"));
	free(tmh);
}

static void expect_error(const char *src, const char *want)
{
	char *tmh, err[512] = "";

	assert_int_equal(generate(src, &tmh, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	free(tmh);
}

static void test_site_errors(void **state)
{
	(void)state;
	expect_error("\n\nDoTraceMessage(F_A, \"%d %d\", 1);",
		     "sys/drv.c:3: the message takes 2 argument(s) but the call passes 1");
	expect_error("DoTraceMessage(F_A, \"%!Unknown!\", 1);",
		     "sys/drv.c:1: %!Unknown! is not a WPP type");
	expect_error("\nDoTraceMessage(F_A, msg);",
		     "sys/drv.c:2: the message of DoTraceMessage must be written as string literals");
	expect_error("DoTraceMessage(F_A, \"a\"); DoTraceMessage(F_A, \"b\");",
		     "sys/drv.c:1: two different trace calls on one line");
	expect_error("LogErr();", "sys/drv.c:1: LogErr: the call does not reach its MSG argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_block), cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_format),       cmocka_unit_test(test_sites),
		cmocka_unit_test(test_site_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
