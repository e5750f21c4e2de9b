/*
 * src/host: engine, plugins and configuration come up as one step and go
 * down in one order. A failure anywhere leaves nothing behind (the engine
 * is unbound and the plugin unloaded, so the same open succeeds next), and
 * a bad file at reload keeps the configuration in force.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"

static char plugin_path[PATH_MAX];
static char dir[PATH_MAX];
static char cfg_path[PATH_MAX];

static const char good_cfg[] = "filters:\n"
			       "  - {name: web, layer: stream, action: block,\n"
			       "     conditions: [{field: remote_port, match: equal, value: 80}]}\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static size_t nfilters(const owfp_host *h)
{
	const uint64_t *ids;

	return owfp_config_applied_filter_ids(owfp_host_applied(h), &ids);
}

static void default_config_counts_both_stream_layers(void **state)
{
	owfp_host_opts o = {0};
	owfp_host *h;
	owfp_error err = {0};

	(void)state;
	assert_int_equal(owfp_host_open(&o, &h, &err), 0);
	assert_non_null(owfp_host_engine(h));
	assert_non_null(owfp_host_applied(h));
	assert_int_equal(nfilters(h), 2); /* one 'count' filter per family */
	owfp_host_close(h);
}

static void plugins_only_has_no_configuration(void **state)
{
	const char *plugins[] = {plugin_path};
	owfp_host_opts o = {.plugins = plugins, .nplugins = 1};
	owfp_host *h;
	owfp_error err = {0};

	(void)state;
	assert_int_equal(owfp_host_open(&o, &h, &err), 0);
	assert_null(owfp_host_applied(h));
	assert_int_equal(owfp_host_reload(h, &err), 1);
	owfp_host_close(h);
}

/* The plugin loaded, then the file failed: all of it is undone. */
static void bad_configuration_undoes_the_plugins_and_engine(void **state)
{
	const char *plugins[] = {plugin_path};
	owfp_host_opts o = {.plugins = plugins, .nplugins = 1, .config_path = cfg_path};
	owfp_host *h = (owfp_host *)1;
	owfp_error err = {0};

	(void)state;
	write_file(cfg_path, "filters: [{name: x, layer: nowhere, action: block}]\n");
	assert_true(owfp_host_open(&o, &h, &err) < 0);
	assert_null(h);
	assert_non_null(strstr(err.msg, cfg_path));
	/* Loading the same plugin twice is -EEXIST and a second bound engine
	 * -EBUSY: this open succeeds only if both were released. */
	write_file(cfg_path, good_cfg);
	assert_int_equal(owfp_host_open(&o, &h, &err), 0);
	owfp_host_close(h);
}

static void missing_plugin_is_named(void **state)
{
	const char *plugins[] = {"/nonexistent/plugin.so"};
	owfp_host_opts o = {.plugins = plugins, .nplugins = 1};
	owfp_host *h;
	owfp_error err = {0};

	(void)state;
	assert_true(owfp_host_open(&o, &h, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/plugin.so"));
	o.nplugins = 0;
	assert_int_equal(owfp_host_open(&o, &h, &err), 0);
	owfp_host_close(h);
}

static void reload_keeps_the_old_configuration_on_error(void **state)
{
	owfp_host_opts o = {.config_path = cfg_path};
	owfp_host *h;
	owfp_error err = {0};

	(void)state;
	write_file(cfg_path, good_cfg);
	assert_int_equal(owfp_host_open(&o, &h, &err), 0);
	owfp_config_applied *before = owfp_host_applied(h);
	assert_int_equal(nfilters(h), 2);

	write_file(cfg_path, "filters: [\n");
	assert_true(owfp_host_reload(h, &err) < 0);
	assert_ptr_equal(owfp_host_applied(h), before);

	write_file(cfg_path, "filters: []\n");
	assert_int_equal(owfp_host_reload(h, &err), 0);
	assert_int_equal(nfilters(h), 0);
	owfp_host_close(h);
}

static int setup(void **state)
{
	const char *build = getenv("OWFP_BUILD_DIR");

	(void)state;
	if (!build)
		build = ".";
	snprintf(plugin_path, sizeof(plugin_path), "%s/plugins/plugin_minimal.so", build);
	snprintf(dir, sizeof(dir), "%s/host-setup-XXXXXX", build);
	if (!mkdtemp(dir))
		return -1;
	if (snprintf(cfg_path, sizeof(cfg_path), "%.*s/config.yaml", PATH_MAX - 16, dir) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove(cfg_path);
	remove(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_config_counts_both_stream_layers),
		cmocka_unit_test(plugins_only_has_no_configuration),
		cmocka_unit_test(bad_configuration_undoes_the_plugins_and_engine),
		cmocka_unit_test(missing_plugin_is_named),
		cmocka_unit_test(reload_keeps_the_old_configuration_on_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
