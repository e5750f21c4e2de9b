/*
 * A KMDF driver written like Microsoft's monitor sample
 * (tests/plugins/drv_kmdf_ctl.c) loads with a name and Parameters, answers
 * DeviceIoControl through its control device's queue with METHOD_BUFFERED
 * semantics, has its stream callout registered on the WDM device object,
 * and unloads without leaving anything behind.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "openwfp/openwfp.h"
#include "openwfp/fwpsk.h"
#include "openwfp/wdf.h"
#include "wdm/ioctl.h"
#include "wdm/plugin.h"
#include "wdm/pool.h"

#include "../plugins/drv_kmdf_ctl_ioctl.h"

#define KMDF_CTL_TAG OWFP_POOL_TAG('K', 't', 'C', 'l')
#define DOS_NAME "\\\\.\\OwfpKmdfCtl"

static owfp_engine *engine;
static owfp_plugin *plugin;
static UINT32 callout_id; /* what the loaded driver registered */

static KMDF_CTL_STATE get_state(void);

static const char *plugin_path(void)
{
	static char path[PATH_MAX];
	const char *build = getenv("OWFP_BUILD_DIR");

	snprintf(path, sizeof(path), "%s/plugins/drv_kmdf_ctl.so", build ? build : ".");
	return path;
}

/* Whether the engine still has the callout (asking unregisters it, so only ask after unload). */
static bool still_registered(UINT32 id)
{
	return FwpsCalloutUnregisterById0(id) != STATUS_FWP_CALLOUT_NOT_FOUND;
}

static int load(owfp_regparams *params)
{
	owfp_plugin_opts opts = {.driver_name = "KmdfCtl", .params = params};
	owfp_engine_opts eopts = {0};
	char err[512] = "";

	if (owfp_engine_create(&eopts, &engine) != 0)
		return -1;
	if (owfp_plugin_load_opts(plugin_path(), &opts, &plugin, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	callout_id = get_state().CalloutId;
	return 0;
}

static int setup_defaults(void **state)
{
	(void)state;
	return load(NULL);
}

static int setup_params(void **state)
{
	owfp_regparams *p = owfp_regparams_new();
	char err[256];
	int rc;

	(void)state;
	if (!p || owfp_regparams_set_dword(p, "InspectionPort", 9999, err, sizeof(err)) ||
	    owfp_regparams_set_sz(p, "word", "cloudy", err, sizeof(err)))
		return -1;
	rc = load(p);
	owfp_regparams_free(p);
	return rc;
}

static int setup_all_types(void **state)
{
	static const char *const apps[] = {"curl", "wget"};
	owfp_regparams *p = owfp_regparams_new();
	char err[256];
	int rc;

	(void)state;
	if (!p || owfp_regparams_set_dword(p, "InspectionPort", 1, err, sizeof(err)) ||
	    owfp_regparams_set_sz(p, "Word", "cloudy", err, sizeof(err)) ||
	    owfp_regparams_set_multi_sz(p, "Apps", apps, 2, err, sizeof(err)) ||
	    owfp_regparams_set_binary(p, "Blob", "\x01\x02\x03", 3, err, sizeof(err)))
		return -1;
	rc = load(p);
	owfp_regparams_free(p);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	owfp_plugin_unload(plugin);
	plugin = NULL;
	/* Everything the driver and the framework made is gone. */
	if (owfp_pool_outstanding(KMDF_CTL_TAG) || owfp_pool_outstanding(OWFP_TAG_DEVICE) ||
	    owfp_pool_outstanding(OWFP_TAG_DRIVER) || still_registered(callout_id)) {
		fprintf(stderr,
			"left behind: %zu driver blocks, %zu devices, %zu driver objects, or callout %u\n",
			owfp_pool_outstanding(KMDF_CTL_TAG), owfp_pool_outstanding(OWFP_TAG_DEVICE),
			owfp_pool_outstanding(OWFP_TAG_DRIVER), (unsigned)callout_id);
		return -1;
	}
	owfp_engine_destroy(engine);
	engine = NULL;
	return 0;
}

static KMDF_CTL_STATE get_state(void)
{
	KMDF_CTL_STATE s;
	ULONG_PTR info = 0;

	memset(&s, 0xee, sizeof(s));
	assert_int_equal(owfp_device_ioctl(DOS_NAME, IOCTL_KMDF_CTL_GET_STATE, NULL, 0, &s,
					   sizeof(s), &info),
			 STATUS_SUCCESS);
	assert_int_equal(info, sizeof(s));
	return s;
}

static void test_defaults_without_parameters(void **state)
{
	KMDF_CTL_STATE s;

	(void)state;
	s = get_state();
	assert_int_equal(s.Port, 8888);
	assert_string_equal(s.Word, "rainy");
	/* The one load() made, and this one. */
	assert_int_equal(s.Requests, 2);
}

static void test_parameters_reach_driver_entry(void **state)
{
	KMDF_CTL_STATE s;

	(void)state;
	s = get_state();
	assert_int_equal(s.Port, 9999);
	assert_string_equal(s.Word, "cloudy");
	assert_int_equal(s.WordLength, 6);
	/* The callout it registered on WdfDeviceWdmGetDeviceObject is the engine's. */
	assert_int_not_equal(s.CalloutId, 0);
}

static void test_ioctls_through_the_queue(void **state)
{
	KMDF_CTL_STATE s;
	ULONG_PTR info = 99;

	(void)state;
	/* Input through WdfRequestRetrieveInputMemory and WdfMemoryCopyToBuffer. */
	assert_int_equal(owfp_device_ioctl("\\??\\OwfpKmdfCtl", IOCTL_KMDF_CTL_SET_WORD, "sunny", 5,
					   NULL, 0, &info),
			 STATUS_SUCCESS);
	assert_int_equal(info, 0);
	s = get_state();
	assert_string_equal(s.Word, "sunny");
	assert_int_equal(s.Requests, 3);
	/* The driver's own checks, and the framework's. */
	assert_int_equal(owfp_device_ioctl("\\Device\\OwfpKmdfCtl", IOCTL_KMDF_CTL_SET_WORD, NULL,
					   0, NULL, 0, &info),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(owfp_device_ioctl(DOS_NAME, IOCTL_KMDF_CTL_GET_STATE, NULL, 0, &s,
					   sizeof(s) - 1, &info),
			 STATUS_BUFFER_TOO_SMALL);
	assert_int_equal(info, 0);
	assert_int_equal(owfp_device_ioctl(DOS_NAME,
					   CTL_CODE(KMDF_CTL_DEVICE_TYPE, 0x9ff, METHOD_BUFFERED,
						    FILE_ANY_ACCESS),
					   NULL, 0, NULL, 0, &info),
			 STATUS_INVALID_DEVICE_REQUEST);
	assert_int_equal(get_state().Requests, 7);
}

static void test_a_held_request_is_cancelled_and_the_queue_moves_on(void **state)
{
	char out[4];
	ULONG_PTR info;

	(void)state;
	owfp_ioctl_set_timeout_ms(1);
	/* The sequential queue holds it; the caller gives up; the driver's
	 * EvtRequestCancel completes it. */
	assert_int_equal(
		owfp_device_ioctl(DOS_NAME, IOCTL_KMDF_CTL_WAIT, NULL, 0, out, sizeof(out), &info),
		STATUS_CANCELLED);
	owfp_ioctl_set_timeout_ms(30000);
	assert_int_equal(get_state().Requests, 3);
}

static void test_unload_removes_device_and_callout(void **state)
{
	(void)state;
	assert_int_equal(owfp_pool_outstanding(KMDF_CTL_TAG), 1);
	owfp_plugin_unload(plugin);
	plugin = NULL;
	/* EvtDriverUnload unregistered it. */
	assert_false(still_registered(callout_id));
	assert_int_equal(owfp_pool_outstanding(KMDF_CTL_TAG), 0);
	assert_int_equal(owfp_device_ioctl(DOS_NAME, IOCTL_KMDF_CTL_GET_STATE, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_NOT_FOUND);
	/* The names are free for the next instance. */
	owfp_engine_destroy(engine);
	engine = NULL;
	assert_int_equal(load(NULL), 0);
	assert_int_equal(get_state().Port, 8888);
}

/* The KMDF registry calls on the loaded driver's key, as its code would make them. */
static void test_registry_queries(void **state)
{
	WDFDRIVER d = WdfWdmDriverGetWdfDriverHandle(owfp_plugin_driver_object(plugin));
	UNICODE_STRING port, word, apps, blob, none, value;
	WCHAR small[3], big[16];
	USHORT bytes = 0;
	ULONG ul, len, type;
	UCHAR raw[64];
	WDFKEY key;

	(void)state;
	assert_non_null(d);
	RtlInitUnicodeString(&port, L"inspectionport");
	RtlInitUnicodeString(&word, L"WORD");
	RtlInitUnicodeString(&apps, L"Apps");
	RtlInitUnicodeString(&blob, L"Blob");
	RtlInitUnicodeString(&none, L"Absent");
	assert_int_equal(
		WdfDriverOpenParametersRegistryKey(d, KEY_READ, WDF_NO_OBJECT_ATTRIBUTES, &key),
		STATUS_SUCCESS);
	assert_int_equal(WdfRegistryQueryULong(key, &port, &ul), STATUS_SUCCESS);
	assert_int_equal(ul, 1);
	assert_int_equal(WdfRegistryQueryULong(key, &word, &ul), STATUS_OBJECT_TYPE_MISMATCH);
	assert_int_equal(WdfRegistryQueryULong(key, &none, &ul), STATUS_OBJECT_NAME_NOT_FOUND);

	/* Length only, then too small, then enough: Length excludes the terminator. */
	assert_int_equal(WdfRegistryQueryUnicodeString(key, &word, &bytes, NULL),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(bytes, 7 * sizeof(WCHAR));
	value.Buffer = small;
	value.Length = 0;
	value.MaximumLength = sizeof(small);
	assert_int_equal(WdfRegistryQueryUnicodeString(key, &word, &bytes, &value),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(value.Length, 0);
	value.Buffer = big;
	value.MaximumLength = sizeof(big);
	assert_int_equal(WdfRegistryQueryUnicodeString(key, &word, &bytes, &value), STATUS_SUCCESS);
	assert_int_equal(value.Length, 6 * sizeof(WCHAR));
	assert_true(wcscmp(big, L"cloudy") == 0);
	assert_int_equal(WdfRegistryQueryUnicodeString(key, &port, &bytes, &value),
			 STATUS_OBJECT_TYPE_MISMATCH);

	/* Any type through WdfRegistryQueryValue. */
	assert_int_equal(WdfRegistryQueryValue(key, &blob, sizeof(raw), raw, &len, &type),
			 STATUS_SUCCESS);
	assert_int_equal(type, REG_BINARY);
	assert_int_equal(len, 3);
	assert_memory_equal(raw, "\x01\x02\x03", 3);
	assert_int_equal(WdfRegistryQueryValue(key, &apps, 4, raw, &len, &type),
			 STATUS_BUFFER_OVERFLOW);
	assert_int_equal(type, REG_MULTI_SZ);
	assert_int_equal(len, 11 * sizeof(WCHAR));
	assert_int_equal(WdfRegistryQueryValue(key, &apps, sizeof(raw), raw, &len, &type),
			 STATUS_SUCCESS);
	assert_true(wcscmp((const WCHAR *)raw, L"curl") == 0);
	assert_true(wcscmp((const WCHAR *)raw + 5, L"wget") == 0);
	WdfRegistryClose(key);

	/* Opened without KEY_QUERY_VALUE: queries are refused. */
	assert_int_equal(
		WdfDriverOpenParametersRegistryKey(d, KEY_NOTIFY, WDF_NO_OBJECT_ATTRIBUTES, &key),
		STATUS_SUCCESS);
	assert_int_equal(WdfRegistryQueryULong(key, &port, &ul), STATUS_ACCESS_DENIED);
	WdfRegistryClose(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults_without_parameters, setup_defaults,
						teardown),
		cmocka_unit_test_setup_teardown(test_parameters_reach_driver_entry, setup_params,
						teardown),
		cmocka_unit_test_setup_teardown(test_ioctls_through_the_queue, setup_params, teardown),
		cmocka_unit_test_setup_teardown(test_a_held_request_is_cancelled_and_the_queue_moves_on,
						setup_defaults, teardown),
		cmocka_unit_test_setup_teardown(test_unload_removes_device_and_callout,
						setup_defaults, teardown),
		cmocka_unit_test_setup_teardown(test_registry_queries, setup_all_types, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
