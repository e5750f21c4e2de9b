/*
 * The allocation seam (src/util/alloc.h): counting, failing the Nth
 * attempt once or from then on, and disarming. The sweeps over stream,
 * config and capture scenarios stand on these answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/alloc.h"

static void counts_without_failing(void **state)
{
	(void)state;
	owfp_alloc_count_start();
	for (int i = 0; i < 5; i++) {
		void *p = owfp_malloc(16);
		assert_non_null(p);
		free(p);
	}
	assert_int_equal(owfp_alloc_attempts(), 5);
	assert_int_equal(owfp_alloc_failed(), 0);
	owfp_alloc_disarm();
}

static void fails_only_the_nth(void **state)
{
	(void)state;
	owfp_alloc_fail_nth(3, 0);
	void *a = owfp_calloc(1, 8), *b = owfp_strdup("x"), *c = owfp_malloc(8),
	     *d = owfp_strndup("yz", 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	assert_non_null(d);
	assert_int_equal(owfp_alloc_failed(), 1);
	free(a);
	free(b);
	free(d);
	owfp_alloc_disarm();
}

static void sticky_fails_everything_after(void **state)
{
	(void)state;
	void *keep = owfp_malloc(8);
	assert_non_null(keep);
	owfp_alloc_fail_nth(2, 1);
	void *a = owfp_malloc(8);
	assert_non_null(a);
	assert_null(owfp_realloc(keep, 64));
	assert_null(owfp_malloc(8));
	assert_int_equal(owfp_alloc_failed(), 2);
	owfp_alloc_disarm();
	void *b = owfp_realloc(keep, 64); /* a failed realloc left keep intact */
	assert_non_null(b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_without_failing),
		cmocka_unit_test(fails_only_the_nth),
		cmocka_unit_test(sticky_fails_everything_after),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
