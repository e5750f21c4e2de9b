/*
 * openwfp-cc's MSVC dialect pass (src/cc/dialect.c): each construct's
 * rewrite, what must stay untouched (strings, comments, binary &, ordinary
 * parentheses) and that lines keep their numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cc/dialect.h"

static char *run_pass(const char *src, bool cxx, cc_strv *notes)
{
	cc_dialect_opts o = {cxx, NULL, NULL, NULL};
	cc_buf out = {0};
	cc_strv local = {0};

	assert_int_equal(cc_dialect_run(src, strlen(src), &o, &out, notes ? notes : &local), 0);
	cc_strv_free(&local);
	return cc_buf_take(&out);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect(const char *src, bool cxx, const char *want)
{
	char *got = run_pass(src, cxx, NULL);

	assert_string_equal(got, want);
	free(got);
}

static void test_address_of_cast(void **state)
{
	(void)state;
	expect("InterlockedIncrement(&(LONG)x);", false, "InterlockedIncrement(((LONG *)&(x)));");
	expect("n = InterlockedDecrement(&(LONG)ctx->RefCount);", false,
	       "n = InterlockedDecrement(((LONG *)&(ctx->RefCount)));");
	expect("f(&(volatile LONG *)p[2].q, 1);", false, "f(((volatile LONG * *)&(p[2].q)), 1);");
	expect("return &(PVOID)*pp;", false, "return ((PVOID *)&(*pp));");
	expect("g(&(LONG)(a.b));", false, "g(((LONG *)&((a.b))));");
}

static void test_not_an_address_of_cast(void **state)
{
	(void)state;
	/* a parenthesised pointer, a binary and, address of a plain name */
	expect("p = &(ctx)->field;", false, "p = &(ctx)->field;");
	expect("m = (a) & (LONG)b;", false, "m = (a) & (LONG)b;");
	expect("m = x & (LONG)b;", false, "m = x & (LONG)b;");
	expect("p = &(x);", false, "p = &(x);");
	expect("p = &(arr)[3];", false, "p = &(arr)[3];");
	expect("if (a && (LONG)b) {}", false, "if (a && (LONG)b) {}");
	/* inside strings, character literals and comments */
	expect("s = \"&(LONG)x __declspec(selectany)\"; /* &(LONG)y __inline */ // &(LONG)z\n", false,
	       "s = \"&(LONG)x __declspec(selectany)\"; /* &(LONG)y __inline */ // &(LONG)z\n");
	expect("w = L\"&(LONG)x\"; r = R\"(&(LONG)y)\";", true,
	       "w = L\"&(LONG)x\"; r = R\"(&(LONG)y)\";");
}

static void test_in_macro_body(void **state)
{
	(void)state;
	expect("#define INC(x) InterlockedIncrement(&(LONG)(x))\nINC(a);\n", false,
	       "#define INC(x) InterlockedIncrement(((LONG *)&((x))))\nINC(a);\n");
}

static void test_declspec(void **state)
{
	cc_strv notes = {0};
	char *got;

	(void)state;
	expect("__declspec(selectany) const GUID G = {0};", false,
	       "__attribute__((__weak__))  const GUID G = {0};");
	/* C++: const objects have internal linkage, which weak refuses */
	expect("__declspec (selectany) const GUID G = {0};", true,
	       "extern __attribute__((__weak__))  const GUID G = {0};");
	expect("extern __declspec(selectany) const GUID G = {0};", true,
	       "extern __attribute__((__weak__))  const GUID G = {0};");
	expect("__declspec(align(16)) UCHAR b[32];", false,
	       "__attribute__((__aligned__(16)))  UCHAR b[32];");
	expect("__declspec(noinline) void f(void);", false,
	       "__attribute__((__noinline__))  void f(void);");
	expect("__declspec(dllimport noreturn) void f(void);", false,
	       "__attribute__((__noreturn__))  void f(void);");
	expect("#define ANN __declspec(\"_Wfp_Annotation_\")\n", false, "#define ANN \n");
	got = run_pass("__declspec(frobnicate) int x;", false, &notes);
	assert_string_equal(got, " int x;");
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.v[0], "1: __declspec(frobnicate)"));
	free(got);
	cc_strv_free(&notes);
}

static void test_inline(void **state)
{
	(void)state;
	/* MSVC gives a non-static __inline one copy per program: weak here */
	expect("__inline int f(void) { return 1; }", false,
	       "__attribute__((__weak__)) int f(void) { return 1; }");
	expect("static __inline int f(void) { return 1; }", false,
	       "static __inline__ int f(void) { return 1; }");
	expect("__inline static int f(void) { return 1; }", false,
	       "__inline__ static int f(void) { return 1; }");
	expect("static __forceinline int f(void) { return 1; }", false,
	       "static __inline__ __attribute__((__always_inline__)) int f(void) { return 1; }");
	expect("int a; __forceinline\nvoid *g(void);", false,
	       "int a; __attribute__((__weak__))\nvoid *g(void);");
	/* C++ inline already links that way */
	expect("__inline int f() { return 1; }", true, "__inline int f() { return 1; }");
}

static void test_lines_kept(void **state)
{
	const char *src =
		"int a;\n__declspec(\n  align(8)) int b;\nint c = &(LONG\n)d != 0;\n#define X __declspec( \\\n noinline)\nint e;\n";
	cc_dialect_opts o = {false, "dir/file.c", NULL, NULL};
	cc_buf out = {0};
	cc_strv notes = {0};

	(void)state;
	assert_int_equal(cc_dialect_run(src, strlen(src), &o, &out, &notes), 0);
	assert_true(!strncmp(out.s, "#line 1 \"dir/file.c\"\n", 21));
	/* the #line line, then exactly as many lines as the input */
	assert_int_equal(lines(out.s), lines(src) + 1);
	assert_non_null(strstr(out.s, "\nint e;\n"));
	assert_non_null(strstr(out.s, "#define X __attribute__((__noinline__))  \\\n\n"));
	cc_buf_free(&out);
	cc_strv_free(&notes);
}

static char *map_to_copy(void *user, const char *name, bool angled)
{
	char *r = NULL;

	(*(int *)user)++;
	if (!angled && !strcmp(name, "own.h"))
		return strdup("/tmp/copy/own.h");
	if (angled && !strcmp(name, "inc/x.h") && asprintf(&r, "/tmp/copy/x.h") < 0)
		return NULL;
	return r;
}

static void test_includes_mapped(void **state)
{
	const char *src = "#include \"own.h\" // the driver's header\n"
			  "  #  include <inc/x.h>\n#include <ntddk.h>\n#include \"a.tmh\"\n"
			  "const char *s = \"#include \\\"own.h\\\"\";\n";
	int calls = 0;
	cc_dialect_opts o = {false, NULL, map_to_copy, &calls};
	cc_buf out = {0};
	cc_strv notes = {0};

	(void)state;
	assert_int_equal(cc_dialect_run(src, strlen(src), &o, &out, &notes), 0);
	assert_int_equal(calls, 4);
	assert_string_equal(out.s,
			    "#include \"/tmp/copy/own.h\" // the driver's header\n"
			    "  #  include \"/tmp/copy/x.h\"\n#include <ntddk.h>\n#include \"a.tmh\"\n"
			    "const char *s = \"#include \\\"own.h\\\"\";\n");
	cc_buf_free(&out);
	cc_strv_free(&notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_of_cast),
		cmocka_unit_test(test_not_an_address_of_cast),
		cmocka_unit_test(test_in_macro_body),
		cmocka_unit_test(test_declspec),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_lines_kept),
		cmocka_unit_test(test_includes_mapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
