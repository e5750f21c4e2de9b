/*
 * Provisioning filters for callouts a driver registers (what msnmntr's
 * monitor.exe does from user mode): a `callouts:` entry with key: and
 * layer: becomes FwpmCalloutAdd0 of that key, filters name it (by entry
 * name or GUID) at its layer, also at flow_established with app_id and
 * ip_protocol conditions. A filter naming a key nobody added fails with
 * STATUS_FWP_CALLOUT_NOT_FOUND, as on Windows, and the message says what
 * to add.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine.h"
#include "openwfp/fwpsk.h"

#define FLOW_KEY "6c53b4f2-4d4e-4b40-9a4b-1c7e0e0f0a01"
#define STREAM_KEY "6c53b4f2-4d4e-4b40-9a4b-1c7e0e0f0a02"
static const GUID flow_key = {
	0x6c53b4f2, 0x4d4e, 0x4b40, {0x9a, 0x4b, 0x1c, 0x7e, 0x0e, 0x0f, 0x0a, 0x01}};
static const GUID stream_key = {
	0x6c53b4f2, 0x4d4e, 0x4b40, {0x9a, 0x4b, 0x1c, 0x7e, 0x0e, 0x0f, 0x0a, 0x02}};

static owfp_engine *engine;
static int device; /* stands in for the driver's DEVICE_OBJECT */
static int flow_calls, stream_calls;
static UINT32 flow_meta;

static void NTAPI flow_classify(const FWPS_INCOMING_VALUES0 *in,
				const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *ctx,
				const FWPS_FILTER3 *f, UINT64 fc, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)ld, (void)ctx, (void)f, (void)fc;
	flow_calls++;
	flow_meta = meta->currentMetadataValues;
	out->actionType = FWP_ACTION_CONTINUE;
}

static void NTAPI stream_classify(const FWPS_INCOMING_VALUES0 *in,
				  const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld,
				  const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
				  FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)meta, (void)ctx, (void)f, (void)fc;
	stream_calls++;
	((FWPS_STREAM_CALLOUT_IO_PACKET0 *)ld)->streamAction = FWPS_STREAM_ACTION_NONE;
	out->actionType = FWP_ACTION_CONTINUE;
}

/* What a driver's DriverEntry does: FwpsCalloutRegister only. */
static void driver_entry(void)
{
	FWPS_CALLOUT3 c;

	memset(&c, 0, sizeof(c));
	c.calloutKey = flow_key;
	c.classifyFn = flow_classify;
	assert_int_equal(FwpsCalloutRegister3(&device, &c, NULL), STATUS_SUCCESS);
	c.calloutKey = stream_key;
	c.classifyFn = stream_classify;
	assert_int_equal(FwpsCalloutRegister3(&device, &c, NULL), STATUS_SUCCESS);
}

static int setup(void **state)
{
	owfp_engine_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	flow_calls = stream_calls = 0;
	if (owfp_engine_create(&o, &engine))
		return -1;
	driver_entry();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	owfp_engine_destroy(engine);
	engine = NULL;
	return 0;
}

static int try_apply(const char *text, owfp_config_applied **a, owfp_error *err)
{
	owfp_config *cfg = NULL;
	int rc = owfp_config_parse_string("p.yaml", text, strlen(text), &cfg, err);

	if (rc)
		return rc;
	rc = owfp_config_apply(cfg, NULL, a, err);
	owfp_config_free(cfg);
	return rc;
}

static void fails(const char *text, const char *where, const char *what)
{
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};
	char prefix[64];

	assert_int_not_equal(try_apply(text, &a, &err), 0);
	assert_null(a);
	snprintf(prefix, sizeof(prefix), "p.yaml:%s: ", where);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, what))
		print_error("got '%s'\nwant prefix '%s' and '%s'\n", err.msg, prefix, what);
	assert_true(strncmp(err.msg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(err.msg, what));
}

static void run_flow(uint64_t pid, const char *path)
{
	owfp_flow_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.local_addr[0] = 127, k.local_addr[3] = 1;
	k.remote_addr[0] = 127, k.remote_addr[3] = 1;
	k.local_port = 40000;
	k.remote_port = 8080;
	k.outbound = true;
	k.process_id = pid;
	k.process_path = path;
	owfp_engine_classify_flow_established(engine, &k, 5);
}

/* Before: a filter naming the key alone fails, and says what to add. */
static void test_key_without_management_callout_is_not_found(void **state)
{
	(void)state;
	fails("filters:\n"
	      "  - {name: f, layer: flow_established_v4, action: callout_inspection,\n"
	      "     callout: " FLOW_KEY "}\n",
	      "2:5", "STATUS_FWP_CALLOUT_NOT_FOUND");
	fails("filters:\n"
	      "  - {name: f, layer: flow_established_v4, action: callout_inspection,\n"
	      "     callout: " FLOW_KEY "}\n",
	      "2:5", "key: " FLOW_KEY);
}

/* msnmntr's provisioning: sublayer, two callouts, flow filter with app id
 * and protocol, stream filter. */
static const char monitor[] =
	"sublayers:\n"
	"  - {name: monitor, weight: 0}\n"
	"callouts:\n"
	"  - {name: flow, key: " FLOW_KEY ", layer: flow_established_v4}\n"
	"  - {name: stream, key: " STREAM_KEY ", layer: stream_v4}\n"
	"filters:\n"
	"  - name: watch\n"
	"    layer: flow_established_v4\n"
	"    sublayer: monitor\n"
	"    action: callout_inspection\n"
	"    callout: flow\n"
	"    conditions:\n"
	"      - {field: app_id, value: /usr/bin/curl}\n"
	"      - {field: ip_protocol, value: tcp}\n"
	"  - {name: data, layer: stream_v4, sublayer: monitor, action: callout_inspection,\n"
	"     callout: " STREAM_KEY "}\n";

static void test_monitor_provisioning_applies_and_matches(void **state)
{
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};

	(void)state;
	if (try_apply(monitor, &a, &err))
		print_error("%s\n", err.msg);
	assert_non_null(a);
	const uint64_t *ids;
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 2);
	run_flow(10, "/usr/bin/curl");
	assert_int_equal(flow_calls, 1);
	assert_true(flow_meta & FWPS_METADATA_FIELD_PROCESS_PATH);
	run_flow(11, "/usr/bin/wget");
	run_flow(0, NULL);
	assert_int_equal(flow_calls, 1);
	owfp_config_unapply(a);
	/* Unapplied: the management callouts are gone, the driver's registration stays. */
	run_flow(10, "/usr/bin/curl");
	assert_int_equal(flow_calls, 1);
	assert_int_equal(try_apply(monitor, &a, &err), 0);
	owfp_config_unapply(a);
}

static void test_driver_callout_errors(void **state)
{
	(void)state;
	fails("callouts:\n  - {name: c, key: " FLOW_KEY "}\n", "2:5", "has a key but no 'layer'");
	fails("callouts:\n  - {name: c, key: " FLOW_KEY ", layer: stream}\n", "2:65",
	      "is not one layer");
	fails("callouts:\n  - {name: c, key: nope, layer: stream_v4}\n", "2:20", "is not a GUID");
	fails("callouts:\n  - {name: c, type: count, key: " FLOW_KEY "}\n", "2:33",
	      "both 'type' and 'key'");
	fails("callouts:\n  - {name: c, key: " FLOW_KEY ", layer: stream_v4, params: {}}\n", "2:84",
	      "takes no 'params'");
	fails("callouts:\n  - {name: c, type: count, layer: stream_v4}\n", "2:35",
	      "'layer' goes with 'key'");
	fails("callouts:\n  - {name: a, key: " FLOW_KEY ", layer: stream_v4}\n"
	      "  - {name: b, key: " FLOW_KEY ", layer: stream_v6}\n",
	      "3:20", "same key as 'a'");
	/* The filter's layer must be the callout's. */
	fails("callouts:\n  - {name: c, key: " FLOW_KEY ", layer: flow_established_v4}\n"
	      "filters:\n  - {layer: flow_established, action: callout_inspection, callout: c}\n",
	      "4:68", "applies to flow_established_v4 only");
	fails("callouts:\n  - {name: c, key: " FLOW_KEY ", layer: flow_established_v4}\n"
	      "filters:\n  - {layer: stream_v4, action: callout_inspection, callout: c}\n",
	      "4:61", "expected layer: flow_established_v4");
}

static void test_flow_only_conditions(void **state)
{
	(void)state;
	fails("filters:\n  - {layer: stream, action: block, conditions: [{field: app_id, "
	      "value: /usr/bin/curl}]}\n",
	      "2:49", "only at the flow_established layers");
	fails("filters:\n  - {layer: flow_established, action: block, conditions: [{field: app_id, "
	      "value: curl}]}\n",
	      "2:82", "not an absolute path");
	fails("filters:\n  - {layer: flow_established, action: block, conditions: [{field: app_id, "
	      "match: greater, value: /x}]}\n",
	      "2:82", "does not apply to app_id");
	fails("filters:\n  - {layer: flow_established, action: block, conditions: [{field: "
	      "ip_protocol, value: sctpx}]}\n",
	      "2:87", "expected tcp, udp");
}

static void test_app_id_block_applies_to_that_program_only(void **state)
{
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};
	owfp_flow_key k;

	(void)state;
	assert_int_equal(try_apply("filters:\n  - {layer: flow_established, action: block, conditions: "
				   "[{field: app_id, match: not_equal, value: /usr/bin/curl}]}\n",
				   &a, &err),
			 0);
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.process_path = "/usr/bin/curl";
	assert_int_equal(owfp_engine_classify_flow_established(engine, &k, 1), FWP_ACTION_PERMIT);
	k.process_path = "/usr/bin/nc";
	assert_int_equal(owfp_engine_classify_flow_established(engine, &k, 2), FWP_ACTION_BLOCK);
	k.process_path = NULL;
	assert_int_equal(owfp_engine_classify_flow_established(engine, &k, 3), FWP_ACTION_PERMIT);
	owfp_config_unapply(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_without_management_callout_is_not_found,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor_provisioning_applies_and_matches,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_driver_callout_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_only_conditions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_app_id_block_applies_to_that_program_only,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
