/*
 * owfp_lazylib_load: binds every symbol into the table, or fails as a whole
 * with a message naming the library, the reason and the package to install.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "util/lazylib.h"

struct libc_fns {
	OWFP_LAZYFN(strlen);
	OWFP_LAZYFN(strchr);
};

static void test_binds_and_calls(void **state)
{
	(void)state;
	struct libc_fns t = {0};
	const owfp_lazysym syms[] = {OWFP_LAZYSYM(t, strlen), OWFP_LAZYSYM(t, strchr)};
	char err[256] = "";
	assert_int_equal(owfp_lazylib_load("libc.so.6", "libc6", syms, 2, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t.strlen("lazy"), 4);
	assert_string_equal(t.strchr("lazy", 'z'), "zy");
}

static void test_missing_library(void **state)
{
	(void)state;
	struct libc_fns t = {0};
	const owfp_lazysym syms[] = {OWFP_LAZYSYM(t, strlen)};
	char err[256] = "";
	assert_int_equal(owfp_lazylib_load("libowfp-no-such.so.9", "owfp-no-such-pkg", syms, 1, err,
					   sizeof(err)),
			 -ELIBACC);
	assert_non_null(strstr(err, "cannot load libowfp-no-such.so.9"));
	assert_non_null(strstr(err, "install the Debian package owfp-no-such-pkg"));
}

static void test_missing_symbol(void **state)
{
	(void)state;
	struct {
		void (*present)(void);
		void (*absent)(void);
	} t = {0};
	const owfp_lazysym syms[] = {{"strlen", (void **)&t.present},
				     {"owfp_no_such_function", (void **)&t.absent}};
	char err[256] = "";
	assert_int_equal(owfp_lazylib_load("libc.so.6", "libc6", syms, 2, err, sizeof(err)),
			 -ELIBBAD);
	assert_non_null(strstr(err, "libc.so.6 has no owfp_no_such_function"));
	assert_non_null(strstr(err, "libc6"));
}

/* owfp_lazylib_open binds on the first call only and gives every caller
 * the first answer, error text included. */
static struct libc_fns once_fns;
static const owfp_lazysym once_syms[] = {OWFP_LAZYSYM(once_fns, strlen)};
static owfp_lazylib once_lib = OWFP_LAZYLIB("libc.so.6", "libc6", once_syms);
static struct libc_fns gone_fns;
static const owfp_lazysym gone_syms[] = {OWFP_LAZYSYM(gone_fns, strlen)};
static owfp_lazylib gone_lib = OWFP_LAZYLIB("libowfp-no-such.so.9", "owfp-no-such-pkg", gone_syms);

static void test_open_loads_once(void **state)
{
	(void)state;
	assert_int_equal(owfp_lazylib_open(&once_lib, NULL, 0), 0);
	assert_int_equal(once_fns.strlen("once"), 4);
	once_fns.strlen = NULL; /* a second load would bind it again */
	assert_int_equal(owfp_lazylib_open(&once_lib, NULL, 0), 0);
	assert_null(once_fns.strlen);
}

static void test_open_repeats_the_first_error(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		char err[256] = "";
		assert_int_equal(owfp_lazylib_open(&gone_lib, err, sizeof(err)), -ELIBACC);
		assert_non_null(strstr(err, "install the Debian package owfp-no-such-pkg"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binds_and_calls),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_open_loads_once),
		cmocka_unit_test(test_open_repeats_the_first_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
