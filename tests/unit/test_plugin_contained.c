/*
 * Containment at the plugin loader (src/wdm/plugin.c): a DriverEntry that
 * fails an NT_ASSERT is a load error naming the assertion, and what the
 * driver set up before failing is undone (its device deleted, its timer
 * cancelled before its code is unmapped).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wdm/contain.h"
#include "wdm/plugin.h"
#include "wdm/pool.h"

static void test_driver_entry_assert_is_a_load_error(void **state)
{
	const char *build = getenv("OWFP_BUILD_DIR");
	char path[PATH_MAX], err[1024] = "";
	owfp_plugin *p = (owfp_plugin *)&p;
	uint64_t before = owfp_contain_failures();

	(void)state;
	snprintf(path, sizeof(path), "%s/plugins/drv_entry_asserts.so", build ? build : ".");
	for (int round = 0; round < 2; round++) { /* again: nothing was left behind */
		assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), -EIO);
		assert_null(p);
		assert_non_null(strstr(err, "DriverEntry failed: driver 'drv_entry_asserts': "
					    "NT_ASSERT(RegistryPath->Length == 0) failed at "));
		assert_non_null(strstr(err, "drv_entry_asserts.c:"));
		assert_non_null(strstr(err, "in DriverEntry"));
		assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
		assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);
	}
	assert_int_equal(owfp_contain_failures(), before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_entry_assert_is_a_load_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
