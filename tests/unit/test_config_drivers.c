/*
 * The drivers: section and --driver-param: the typed value forms, IOCTL
 * entries (code forms, hex and @FILE input, expect_status), errors that
 * name FILE:LINE:COLUMN and the fix, loading through owfp_drivers_start
 * (a parameter for no loaded driver is refused, a failing IOCTL names its
 * line), and a reload that changes drivers: is refused.
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
#include <unistd.h>

#include "config/config.h"
#include "config/drivers.h"
#include "config/ioctl_args.h"
#include "config/model.h"
#include "engine/engine.h"

static char minimal[PATH_MAX];

static owfp_config *parse_ok(const char *text)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	int rc = owfp_config_parse_string("/etc/owfp/d.yaml", text, strlen(text), &cfg, &err);

	if (rc)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return cfg;
}

static void parse_fails(const char *text, const char *where, const char *what)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	char prefix[64];

	assert_int_not_equal(owfp_config_parse_string("d.yaml", text, strlen(text), &cfg, &err), 0);
	assert_null(cfg);
	snprintf(prefix, sizeof(prefix), "d.yaml:%s: ", where);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, what))
		print_error("got '%s'\nwant prefix '%s' and '%s'\n", err.msg, prefix, what);
	assert_true(strncmp(err.msg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(err.msg, what));
}

static void test_value_forms(void **state)
{
	(void)state;
	owfp_config *cfg = parse_ok(
		"drivers:\n"
		"  - path: stmedit.so\n"
		"    parameters:\n"
		"      InspectionLocalPort: 8888\n"
		"      StringToFind: rainy\n"
		"      Quoted: \"8888\"\n"
		"      Typed: {dword: 0x10}\n"
		"      Text: {sz: \"a b\"}\n"
		"      List: [one, two]\n"
		"      List2: {multi_sz: [x]}\n"
		"      Blob: {binary: \"01 00 ff\"}\n"
		"  - path: /abs/msnmntr.so\n"
		"    name: monitor\n"
		"    ioctls:\n"
		"      - {device: MonitorSample, code: 'CTL_CODE(FILE_DEVICE_NETWORK, 0x1, METHOD_BUFFERED, FILE_ANY_ACCESS)',\n"
		"         in: \"01000000 00000000\", out_size: 16, expect_status: STATUS_SUCCESS}\n"
		"      - {device: MonitorSample, code: 0x120008}\n");
	assert_int_equal(owfp_config_ndrivers(cfg), 2);
	const owfp_cfg_driver *d = &cfg->drivers[0];
	assert_string_equal(d->path, "/etc/owfp/stmedit.so"); /* beside the file */
	assert_string_equal(d->name, "stmedit");
	assert_int_equal(d->nparams, 8);
	assert_int_equal(d->params[0].type, OWFP_CFG_REG_DWORD);
	assert_int_equal(d->params[0].dword, 8888);
	assert_int_equal(d->params[1].type, OWFP_CFG_REG_SZ);
	assert_string_equal(d->params[1].items[0], "rainy");
	assert_int_equal(d->params[2].type, OWFP_CFG_REG_SZ); /* quoted stays text */
	assert_int_equal(d->params[3].dword, 16);
	assert_string_equal(d->params[4].items[0], "a b");
	assert_int_equal(d->params[5].type, OWFP_CFG_REG_MULTI_SZ);
	assert_int_equal(d->params[5].nitems, 2);
	assert_string_equal(d->params[5].items[1], "two");
	assert_int_equal(d->params[6].nitems, 1);
	assert_int_equal(d->params[7].type, OWFP_CFG_REG_BINARY);
	assert_int_equal(d->params[7].binlen, 3);
	assert_int_equal(d->params[7].bin[2], 0xff);
	d = &cfg->drivers[1];
	assert_string_equal(d->name, "monitor");
	assert_int_equal(d->nioctls, 2);
	assert_int_equal(d->ioctls[0].code, 0x00120004); /* MONITOR_IOCTL_ENABLE_MONITOR */
	assert_int_equal(d->ioctls[0].inlen, 8);
	assert_int_equal(d->ioctls[0].out_size, 16);
	assert_true(d->ioctls[0].has_expect);
	assert_int_equal(d->ioctls[0].expect, 0);
	assert_int_equal(d->ioctls[1].code, 0x120008);
	assert_false(d->ioctls[1].has_expect);

	/* A copy is deep and equal; a changed value is not. */
	owfp_config *copy = NULL;
	assert_int_equal(owfp_config_copy(cfg, &copy), 0);
	assert_true(owfp_cfg_drivers_equal(cfg, copy));
	copy->drivers[0].params[0].dword = 1;
	assert_false(owfp_cfg_drivers_equal(cfg, copy));
	owfp_config_free(copy);
	owfp_config_free(cfg);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	parse_fails("drivers:\n  - {name: x}\n", "2:5", "driver has no 'path'");
	parse_fails("drivers:\n  - {path: a.so, bogus: 1}\n", "2:18", "unknown driver key 'bogus'");
	parse_fails("drivers:\n  - {path: a.so}\n  - {path: b/a.so}\n", "3:5", "used twice");
	parse_fails("drivers:\n  - {path: a.so, name: a.b}\n", "2:24", "not valid");
	parse_fails("drivers:\n  - {path: a.so, name: ''}\n", "2:24", "non-empty");
	parse_fails("drivers:\n  - {path: a.so, name: \"a\\nb\"}\n", "2:24", "not valid");
	/* a name taken from the file name obeys the same rule */
	parse_fails("drivers:\n  - {path: /opt/a.b.so}\n", "2:5", "taken from the file name");
	parse_fails("drivers:\n  - {path: /opt/.so}\n", "2:5", "taken from the file name");
	parse_fails("drivers:\n  - {path: /opt/"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.so}\n",
		    "2:5", "taken from the file name");
	parse_fails("drivers:\n  - path: a.so\n    parameters: {P: {qword: 1}}\n", "3:22",
		    "unknown value type 'qword'");
	parse_fails("drivers:\n  - path: a.so\n    parameters: {P: {dword: 4294967296}}\n", "3:29",
		    "REG_DWORD value '4294967296' is not valid");
	parse_fails("drivers:\n  - path: a.so\n    parameters: {P: {binary: xyz}}\n", "3:30",
		    "REG_BINARY value is not hex");
	parse_fails("drivers:\n  - path: a.so\n    parameters: {P: 1, p: 2}\n", "3:24",
		    "given twice (registry names ignore case)");
	parse_fails("drivers:\n  - path: a.so\n    parameters: {P: [a, '']}\n", "3:25", "is empty");
	parse_fails("drivers:\n  - path: a.so\n    ioctls: [{code: 1}]\n", "3:14", "has no 'device'");
	parse_fails("drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 'CTL_CODE(1,2)'}]\n",
		    "3:32", "CTL_CODE(DeviceType, Function, Method, Access)");
	parse_fails("drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 1, in: 0g}]\n",
		    "3:39", "not hex bytes");
	parse_fails(
		"drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 1, in: '@/nonexistent/x'}]\n",
		"3:39", "/nonexistent/x: cannot read");
	parse_fails("drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 1, expect_status: OK}]\n",
		    "3:50", "is not an NTSTATUS");
	parse_fails("drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 1, out_size: 65537}]\n",
		    "3:45", "out_size '65537' is not valid");
}

static void test_in_from_file(void **state)
{
	char dir[] = "/tmp/owfp-drv-XXXXXX", path[64], text[200];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/in.bin", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("\x01\x02\x03", 1, 3, f);
	fclose(f);
	snprintf(text, sizeof(text),
		 "drivers:\n  - path: a.so\n    ioctls: [{device: D, code: 1, in: '@in.bin'}]\n");
	snprintf(path, sizeof(path), "%s/cfg.yaml", dir);
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	/* @FILE is taken from the configuration's directory. */
	assert_int_equal(owfp_config_parse_string(path, text, strlen(text), &cfg, &err), 0);
	assert_int_equal(cfg->drivers[0].ioctls[0].inlen, 3);
	assert_memory_equal(cfg->drivers[0].ioctls[0].in, "\x01\x02\x03", 3);
	owfp_config_free(cfg);
	snprintf(path, sizeof(path), "%s/in.bin", dir);
	unlink(path);
	rmdir(dir);
}

static void test_ioctl_code_forms(void **state)
{
	uint32_t c;

	(void)state;
	assert_int_equal(owfp_ioctl_code_parse(
				 "CTL_CODE(0x22, 0x800, METHOD_NEITHER, FILE_WRITE_ACCESS)", &c),
			 0);
	assert_int_equal(c, (0x22u << 16) | (2u << 14) | (0x800u << 2) | 3u);
	assert_int_equal(owfp_ioctl_code_parse("1234", &c), 0);
	assert_int_equal(c, 1234);
	assert_int_equal(owfp_ioctl_code_parse("CTL_CODE(0x10000, 1, 0, 0)", &c), -1);
	assert_int_equal(owfp_ioctl_code_parse("-1", &c), -1);
	assert_int_equal(owfp_ioctl_code_parse("CTL_CODE(1, 2, 3, 0)x", &c), -1);
}

static void test_driver_param_syntax(void **state)
{
	owfp_error err = {{0}};

	(void)state;
	assert_int_equal(owfp_driver_param_check("stmedit.InspectionLocalPort=8888", &err), 0);
	assert_int_equal(owfp_driver_param_check("stmedit.StringToFind=sz:rainy", &err), 0);
	assert_int_equal(owfp_driver_param_check("a.L=multi_sz:x,y", &err), 0);
	assert_int_equal(owfp_driver_param_check("a.B=binary:00ff", &err), 0);
	assert_int_equal(owfp_driver_param_check("a.D=dword:0x10", &err), 0);
	assert_int_not_equal(owfp_driver_param_check("a.D=dword:x", &err), 0);
	assert_non_null(strstr(err.msg, "not a REG_DWORD"));
	assert_int_not_equal(owfp_driver_param_check("noval=1", &err), 0);
	assert_non_null(strstr(err.msg, "expected DRIVER.VALUE=DATA"));
	assert_int_not_equal(owfp_driver_param_check("a.=1", &err), 0);
	assert_int_not_equal(owfp_driver_param_check("a.L=multi_sz:x,,y", &err), 0);
	assert_int_not_equal(owfp_driver_param_check("a.B=binary:0", &err), 0);
}

static int engine_up(void **state)
{
	owfp_engine_opts o;
	owfp_engine *e;

	memset(&o, 0, sizeof(o));
	if (owfp_engine_create(&o, &e))
		return -1;
	*state = e;
	return 0;
}

static int engine_down(void **state)
{
	owfp_engine_destroy(*state);
	return 0;
}

static owfp_config *with_minimal(const char *extra)
{
	char text[PATH_MAX + 1200];

	snprintf(text, sizeof(text), "drivers:\n  - path: %s\n    name: mini\n%s", minimal, extra);
	return parse_ok(text);
}

static void test_start_loads_and_checks_params(void **state)
{
	owfp_error err = {{0}};
	owfp_drivers *d = NULL;
	owfp_config *cfg = with_minimal("    parameters: {Port: 8888}\n");
	const char *good[] = {"mini.Port=9999", "mini.Extra=sz:x"};
	const char *typo[] = {"mnii.Port=1"};
	owfp_drivers_opts o = {.config = cfg, .params = good, .nparams = 2};

	(void)state;
	assert_int_equal(owfp_drivers_start(&o, &d, &err), 0);
	assert_int_equal(owfp_drivers_count(d), 1);
	owfp_drivers_stop(d);
	/* A parameter for a driver nobody loads is a typo, not a silent no-op. */
	o.params = typo;
	o.nparams = 1;
	assert_int_not_equal(owfp_drivers_start(&o, &d, &err), 0);
	assert_null(d);
	assert_non_null(strstr(err.msg, "no driver named 'mnii'"));
	owfp_config_free(cfg);
}

static void test_failed_ioctl_names_its_line(void **state)
{
	owfp_error err = {{0}};
	owfp_drivers *d = NULL;
	owfp_config *cfg = with_minimal(
		"    ioctls:\n      - {device: NoSuchDevice, code: 0x120004}\n");
	owfp_drivers_opts o = {.config = cfg};

	(void)state;
	assert_int_not_equal(owfp_drivers_start(&o, &d, &err), 0);
	assert_null(d);
	assert_non_null(strstr(err.msg,
			       "/etc/owfp/d.yaml:5:9: driver 'mini': ioctl 0x00120004 to "
			       "NoSuchDevice returned STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)"));
	assert_non_null(strstr(err.msg, "expect_status"));
	owfp_config_free(cfg);
	/* Told to expect that status, the same IOCTL passes. */
	cfg = with_minimal("    ioctls:\n      - {device: NoSuchDevice, code: 0x120004, "
			   "expect_status: STATUS_OBJECT_NAME_NOT_FOUND}\n");
	o.config = cfg;
	assert_int_equal(owfp_drivers_start(&o, &d, &err), 0);
	owfp_drivers_stop(d);
	owfp_config_free(cfg);
}

static void test_load_failure_names_the_entry(void **state)
{
	owfp_error err = {{0}};
	owfp_drivers *d = NULL;
	owfp_config *cfg = parse_ok("drivers:\n  - {path: /nonexistent/x.so}\n");
	owfp_drivers_opts o = {.config = cfg};

	(void)state;
	assert_int_not_equal(owfp_drivers_start(&o, &d, &err), 0);
	assert_non_null(strstr(err.msg,
			       "/etc/owfp/d.yaml:2:5: driver 'x' (/nonexistent/x.so): cannot load"));
	owfp_config_free(cfg);
}

static void test_reload_cannot_change_drivers(void **state)
{
	owfp_error err = {{0}};
	owfp_config *a = with_minimal("    parameters: {Port: 1}\n");
	owfp_config *b = with_minimal("    parameters: {Port: 2}\n");
	owfp_config_applied *applied = NULL, *next = NULL;

	(void)state;
	assert_int_equal(owfp_config_apply(a, NULL, &applied, &err), 0);
	assert_int_not_equal(owfp_config_apply(b, applied, &next, &err), 0);
	assert_non_null(strstr(err.msg, "drivers: section changed"));
	assert_null(next);
	/* The same drivers reload fine. */
	assert_int_equal(owfp_config_apply(a, applied, &next, &err), 0);
	owfp_config_unapply(next);
	owfp_config_free(a);
	owfp_config_free(b);
}

int main(void)
{
	const char *build = getenv("OWFP_BUILD_DIR");

	snprintf(minimal, sizeof(minimal), "%s/plugins/plugin_minimal.so", build ? build : ".");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_forms),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_in_from_file),
		cmocka_unit_test(test_ioctl_code_forms),
		cmocka_unit_test(test_driver_param_syntax),
		cmocka_unit_test_setup_teardown(test_start_loads_and_checks_params, engine_up,
						engine_down),
		cmocka_unit_test_setup_teardown(test_failed_ioctl_names_its_line, engine_up,
						engine_down),
		cmocka_unit_test_setup_teardown(test_load_failure_names_the_entry, engine_up,
						engine_down),
		cmocka_unit_test_setup_teardown(test_reload_cannot_change_drivers, engine_up,
						engine_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
