/*
 * The plugin loader (src/wdm/plugin.c): DriverEntry/DriverUnload, cleanup
 * of what a driver leaves behind, and the fail-closed file checks. Uses the
 * plugins built from tests/plugins/ into $OWFP_BUILD_DIR/plugins.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>
#include <cmocka.h>

#include "wdm/plugin.h"
#include "wdm/pool.h"

#define MINIMAL_TAG OWFP_POOL_TAG('O', 'M', 'i', 'n')

typedef struct MINIMAL_EXTENSION {
	WCHAR RegistryPath[512];
	PVOID Buffer;
} MINIMAL_EXTENSION;

static char plugin_dir[PATH_MAX];
static char scratch[PATH_MAX]; /* per-test directory under the build dir */

/* dir/name into out (PATH_MAX bytes); a path too long fails the test. */
static char *join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	assert_true(n > 0 && n < PATH_MAX);
	return out;
}

static const char *plugin(const char *name)
{
	static char path[PATH_MAX];
	char file[NAME_MAX];
	int n = snprintf(file, sizeof(file), "%s.so", name);

	assert_true(n > 0 && (size_t)n < sizeof(file));
	return join(path, plugin_dir, file);
}

static int setup(void **state)
{
	const char *build = getenv("OWFP_BUILD_DIR");

	(void)state;
	if (!build)
		build = ".";
	if (snprintf(plugin_dir, sizeof(plugin_dir), "%s/plugins", build) >= PATH_MAX ||
	    snprintf(scratch, sizeof(scratch), "%s/plugin-loader-XXXXXX", build) >= PATH_MAX)
		return -1;
	if (!mkdtemp(scratch))
		return -1;
	chmod(scratch, 0755);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	chmod(scratch, 0755);
	if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch) >= (int)sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	assert_true(in >= 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	assert_int_equal(chmod(to, mode), 0);
}

static void test_load_calls_driver_entry_with_the_services_key(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", real[PATH_MAX], got[PATH_MAX];
	PDRIVER_OBJECT drv;
	MINIMAL_EXTENSION *ext;
	size_t i;

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err)), 0);
	assert_non_null(p);
	assert_non_null(realpath(plugin("plugin_minimal"), real));
	assert_string_equal(owfp_plugin_path(p), real);

	drv = owfp_plugin_driver_object(p);
	assert_non_null(drv->DriverUnload);
	assert_non_null(drv->DeviceObject);
	assert_ptr_equal(drv->DeviceObject->DriverObject, drv);
	assert_int_equal(drv->DeviceObject->DeviceType, FILE_DEVICE_NETWORK);
	ext = drv->DeviceObject->DeviceExtension;
	for (i = 0; ext->RegistryPath[i] && i < sizeof(got) - 1; i++)
		got[i] = (char)ext->RegistryPath[i];
	got[i] = '\0';
	/* As Windows names it: the service key of the driver, named after its file. */
	assert_string_equal(
		got, "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\plugin_minimal");
	assert_string_equal(owfp_plugin_driver_name(p), "plugin_minimal");
	assert_true(drv->DriverName.Length == wcslen(L"\\Driver\\plugin_minimal") * sizeof(WCHAR));
	assert_true(wcscmp(drv->DriverName.Buffer, L"\\Driver\\plugin_minimal") == 0);
	assert_int_equal(owfp_pool_outstanding(MINIMAL_TAG), 1);
	owfp_plugin_unload(p);
}

/* The registry path the plugin recorded, from its last '\\'. */
static const WCHAR *recorded_name(owfp_plugin *p)
{
	MINIMAL_EXTENSION *ext = owfp_plugin_driver_object(p)->DeviceObject->DeviceExtension;
	const WCHAR *slash = wcsrchr(ext->RegistryPath, L'\\');

	assert_non_null(slash);
	return slash + 1;
}

static void test_driver_name_is_the_file_name_decoded_from_utf8(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", path[PATH_MAX];

	(void)state;
	join(path, scratch, "d\xc3\xa9j\xc3\xa0-\xe2\x82\xac.so"); /* "déjà-€.so" */
	copy_file(plugin("plugin_minimal"), path, 0644);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), 0);
	assert_true(wcscmp(recorded_name(p), L"d\u00e9j\u00e0-\u20ac") == 0);
	owfp_plugin_unload(p);
	/* Bytes that are not UTF-8 stand for themselves. */
	join(path, scratch, "\xff\xc3.so");
	copy_file(plugin("plugin_minimal"), path, 0644);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), 0);
	assert_true(wcscmp(recorded_name(p), L"\u00ff\u00c3") == 0);
	owfp_plugin_unload(p);
}

static void test_load_options_name_the_driver(void **state)
{
	owfp_plugin_opts opts = {.driver_name = "MyFilter"};
	owfp_plugin *p = NULL, *q = NULL;
	char err[512] = "", copy[PATH_MAX];

	(void)state;
	assert_int_equal(
		owfp_plugin_load_opts(plugin("plugin_minimal"), &opts, &p, err, sizeof(err)), 0);
	assert_string_equal(owfp_plugin_driver_name(p), "MyFilter");
	assert_true(wcscmp(recorded_name(p), L"MyFilter") == 0);
	/* Another file under the same name (any case) is refused, as one service name is one driver. */
	join(copy, scratch, "other.so");
	copy_file(plugin("plugin_minimal"), copy, 0644);
	opts.driver_name = "MYFILTER";
	assert_int_equal(owfp_plugin_load_opts(copy, &opts, &q, err, sizeof(err)), -EEXIST);
	assert_null(q);
	assert_non_null(strstr(err, "MYFILTER"));
	assert_non_null(strstr(err, "loaded already"));
	/* Once the first is gone, the name is free again. */
	owfp_plugin_unload(p);
	assert_int_equal(owfp_plugin_load_opts(copy, &opts, &q, err, sizeof(err)), 0);
	owfp_plugin_unload(q);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);
}

static void test_bad_driver_names_are_refused(void **state)
{
	static const char *const bad[] = {"", "a\\b", "a/b", "\xff"};
	owfp_plugin_opts opts = {0};
	owfp_plugin *p = NULL;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.driver_name = bad[i];
		err[0] = '\0';
		assert_int_equal(owfp_plugin_load_opts(plugin("plugin_minimal"), &opts, &p, err,
						       sizeof(err)),
				 -EINVAL);
		assert_null(p);
		assert_non_null(strstr(err, "not a valid service name"));
		/* Nothing of it ran. */
		assert_int_equal(owfp_pool_outstanding(MINIMAL_TAG), 0);
	}
}

static void test_load_options_params_are_copied(void **state)
{
	owfp_regparams *params = owfp_regparams_new();
	owfp_plugin_opts opts = {.params = params};
	owfp_plugin *p = NULL;
	const owfp_regparams *seen;
	const void *data;
	ULONG type, len;
	char err[512];

	(void)state;
	assert_int_equal(owfp_regparams_set_dword(params, "Port", 8888, err, sizeof(err)), 0);
	assert_int_equal(
		owfp_plugin_load_opts(plugin("plugin_minimal"), &opts, &p, err, sizeof(err)), 0);
	/* The caller's set may go: the driver keeps its own. */
	owfp_regparams_free(params);
	seen = owfp_plugin_params_of(owfp_plugin_driver_object(p));
	assert_non_null(seen);
	assert_int_equal(owfp_regparams_query(seen, L"port", 4 * sizeof(WCHAR), &type, &data, &len),
			 0);
	assert_int_equal(type, REG_DWORD);
	assert_int_equal(*(const ULONG *)data, 8888);
	owfp_plugin_unload(p);
	/* Without params the key is there and empty. */
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err)), 0);
	assert_int_equal(owfp_regparams_count(owfp_plugin_params_of(owfp_plugin_driver_object(p))),
			 0);
	owfp_plugin_unload(p);
}

static void test_unload_calls_driver_unload_and_frees_everything(void **state)
{
	owfp_plugin *p = NULL;
	char err[512];
	size_t before = owfp_pool_outstanding_total();

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err)), 0);
	assert_true(owfp_pool_outstanding_total() > before);
	owfp_plugin_unload(p);
	/* DriverUnload freed its tagged buffer and device; the loader its driver object. */
	assert_int_equal(owfp_pool_outstanding(MINIMAL_TAG), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);
	assert_int_equal(owfp_pool_outstanding_total(), before);
	assert_int_equal(owfp_pool_tag_mismatches(), 0);
}

static void test_a_plugin_already_loaded_is_refused(void **state)
{
	owfp_plugin *a = NULL, *b = NULL, *c = NULL;
	char err[512] = "", link[PATH_MAX], copy[PATH_MAX];

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &a, err, sizeof(err)), 0);
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &b, err, sizeof(err)), -EEXIST);
	assert_null(b);
	assert_non_null(strstr(err, "loaded already"));
	/* By another path to the same file: still the same driver. */
	join(link, scratch, "again.so");
	assert_int_equal(symlink(plugin("plugin_minimal"), link), 0);
	assert_int_equal(owfp_plugin_load(link, &b, err, sizeof(err)), -EEXIST);
	/* A copy is another driver, with its own globals. */
	join(copy, scratch, "copy.so");
	copy_file(plugin("plugin_minimal"), copy, 0644);
	assert_int_equal(owfp_plugin_load(copy, &c, err, sizeof(err)), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 2);
	owfp_plugin_unload(c);
	owfp_plugin_unload(a);
	/* Once unloaded, it loads again. */
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &a, err, sizeof(err)), 0);
	owfp_plugin_unload(a);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
}

static void test_a_plugin_that_stays_mapped_is_not_mistaken_for_the_next(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "";
	PDRIVER_OBJECT drv;

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_sticky"), &p, err, sizeof(err)), 0);
	owfp_plugin_unload(p);
	/* The next plugin is opened through the lowest free descriptor: had
	 * the sticky one's been freed, the loader would find the sticky image
	 * under that name and run its DriverEntry instead. */
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err)), 0);
	drv = owfp_plugin_driver_object(p);
	assert_non_null(drv->DeviceObject);
	assert_non_null(drv->DriverUnload);
	owfp_plugin_unload(p);
	/* Loading it again is refused: it never left. */
	assert_int_equal(owfp_plugin_load(plugin("plugin_sticky"), &p, err, sizeof(err)), -EEXIST);
}

static void test_unload_deletes_devices_the_driver_left_behind(void **state)
{
	owfp_plugin *p = NULL;
	char err[512];

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_keeps_device"), &p, err, sizeof(err)), 0);
	assert_null(owfp_plugin_driver_object(p)->DriverUnload);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 2);
	owfp_plugin_unload(p);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);
}

static void test_driver_entry_failure_names_the_plugin_and_the_status(void **state)
{
	owfp_plugin *p = (owfp_plugin *)&p;
	char err[512] = "";

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_entry_fails"), &p, err, sizeof(err)), -EIO);
	assert_null(p);
	assert_non_null(strstr(err, "plugin_entry_fails.so"));
	assert_non_null(strstr(err, "DriverEntry failed"));
	assert_non_null(strstr(err, "0xC0000001"));
	/* The device it created before failing was deleted for it. */
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);
}

static void test_plugin_without_driver_entry_is_refused(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "";

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_no_entry"), &p, err, sizeof(err)), -ENOEXEC);
	assert_null(p);
	assert_non_null(strstr(err, "DriverEntry"));
	assert_non_null(strstr(err, "plugin_no_entry.so"));
}

static void test_undefined_symbol_is_named(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "";

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin("plugin_undefined_symbol"), &p, err, sizeof(err)),
			 -ENOEXEC);
	assert_null(p);
	assert_non_null(strstr(err, "plugin_undefined_symbol.so"));
	assert_non_null(strstr(err, "OwfpTestRoutineThatDoesNotExist"));
	assert_non_null(strstr(err, "not provided by openwfp"));
	assert_null(strstr(err, "/proc/self/fd"));
}

static void test_missing_plugin_reports_enoent(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "";

	(void)state;
	assert_int_equal(owfp_plugin_load("/nonexistent/owfp/plugin.so", &p, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/owfp/plugin.so"));
}

static void test_not_a_shared_object_is_refused(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", path[PATH_MAX];
	FILE *f;

	(void)state;
	join(path, scratch, "garbage.so");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "cannot load"));
}

static void test_world_writable_plugin_file_is_refused(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", path[PATH_MAX];

	(void)state;
	join(path, scratch, "ww.so");
	copy_file(plugin("plugin_minimal"), path, 0666);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), -EPERM);
	assert_null(p);
	assert_non_null(strstr(err, "world-writable"));
	assert_non_null(strstr(err, "fail closed"));
	assert_non_null(strstr(err, "ww.so"));
	/* Nothing of it ran. */
	assert_int_equal(owfp_pool_outstanding(MINIMAL_TAG), 0);

	/* The same file, no longer world-writable, loads. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), 0);
	owfp_plugin_unload(p);
}

static void test_plugin_in_world_writable_directory_is_refused(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", path[PATH_MAX];

	(void)state;
	join(path, scratch, "dir.so");
	copy_file(plugin("plugin_minimal"), path, 0644);
	assert_int_equal(chmod(scratch, 0777), 0);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "directory"));
	assert_non_null(strstr(err, "world-writable"));
	/* Also with the sticky bit (as /tmp): refused all the same. */
	assert_int_equal(chmod(scratch, 01777), 0);
	assert_int_equal(owfp_plugin_load(path, &p, err, sizeof(err)), -EPERM);
	assert_int_equal(chmod(scratch, 0755), 0);
}

static void test_symlink_is_checked_at_its_target(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", target[PATH_MAX], link[PATH_MAX];

	(void)state;
	join(target, scratch, "target.so");
	join(link, scratch, "link.so");
	copy_file(plugin("plugin_minimal"), target, 0666);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(owfp_plugin_load(link, &p, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "resolved to"));
	assert_non_null(strstr(err, "target.so"));
}

static void test_non_regular_files_are_refused(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", fifo[PATH_MAX];

	(void)state;
	assert_int_equal(owfp_plugin_load(plugin_dir, &p, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "not a regular file"));
	join(fifo, scratch, "fifo.so");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(owfp_plugin_load(fifo, &p, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "not a regular file"));
}

static void test_relative_path_is_resolved_and_reported(void **state)
{
	owfp_plugin *p = NULL;
	char err[512] = "", cwd[PATH_MAX], real[PATH_MAX];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(plugin_dir), 0);
	assert_int_equal(owfp_plugin_load("./plugin_minimal.so", &p, err, sizeof(err)), 0);
	assert_non_null(realpath("plugin_minimal.so", real));
	assert_int_equal(chdir(cwd), 0);
	assert_true(owfp_plugin_path(p)[0] == '/');
	assert_string_equal(owfp_plugin_path(p), real);
	owfp_plugin_unload(p);

	/* A refused relative path names both forms. */
	assert_int_equal(chdir(plugin_dir), 0);
	assert_int_equal(owfp_plugin_load("./plugin_no_entry.so", &p, err, sizeof(err)), -ENOEXEC);
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(strstr(err, "./plugin_no_entry.so (resolved to /"));
}

static void test_out_of_memory_while_loading_leaks_nothing(void **state)
{
	owfp_plugin *p = NULL;
	char err[512];
	size_t before = owfp_pool_outstanding_total();
	uint64_t start = owfp_pool_attempts(), count;

	(void)state;
	/* Count the pool allocations of one load, then fail each in turn. */
	assert_int_equal(owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err)), 0);
	count = owfp_pool_attempts() - start;
	owfp_plugin_unload(p);
	assert_true(count >= 3); /* driver object, device, driver's buffer */
	for (uint64_t nth = 1; nth <= count; nth++) {
		int rc;

		owfp_pool_fail_nth(nth);
		rc = owfp_plugin_load(plugin("plugin_minimal"), &p, err, sizeof(err));
		owfp_pool_fail_nth(0);
		if (rc == 0)
			owfp_plugin_unload(p);
		else
			assert_true(rc == -ENOMEM || rc == -EIO);
		assert_int_equal(owfp_pool_outstanding_total(), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_calls_driver_entry_with_the_services_key),
		cmocka_unit_test(test_driver_name_is_the_file_name_decoded_from_utf8),
		cmocka_unit_test(test_load_options_name_the_driver),
		cmocka_unit_test(test_bad_driver_names_are_refused),
		cmocka_unit_test(test_load_options_params_are_copied),
		cmocka_unit_test(test_unload_calls_driver_unload_and_frees_everything),
		cmocka_unit_test(test_a_plugin_already_loaded_is_refused),
		cmocka_unit_test(test_a_plugin_that_stays_mapped_is_not_mistaken_for_the_next),
		cmocka_unit_test(test_unload_deletes_devices_the_driver_left_behind),
		cmocka_unit_test(test_driver_entry_failure_names_the_plugin_and_the_status),
		cmocka_unit_test(test_plugin_without_driver_entry_is_refused),
		cmocka_unit_test(test_undefined_symbol_is_named),
		cmocka_unit_test(test_missing_plugin_reports_enoent),
		cmocka_unit_test(test_not_a_shared_object_is_refused),
		cmocka_unit_test(test_world_writable_plugin_file_is_refused),
		cmocka_unit_test(test_plugin_in_world_writable_directory_is_refused),
		cmocka_unit_test(test_symlink_is_checked_at_its_target),
		cmocka_unit_test(test_non_regular_files_are_refused),
		cmocka_unit_test(test_relative_path_is_resolved_and_reported),
		cmocka_unit_test(test_out_of_memory_while_loading_leaks_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
