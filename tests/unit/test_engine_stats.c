/*
 * The engine's services for the stream module and the edge: options,
 * event and log sinks, flow ids, counters, and owfp_engine_stats_get()
 * with per-callout counters and names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static int events, logs;
static char last_log[512];

static void on_event(void *user, const owfp_event *ev)
{
	assert_ptr_equal(user, &events);
	assert_int_equal(ev->type, OWFP_EV_DECISION);
	events++;
}

static void on_log(void *user, enum owfp_log_level lvl, const char *msg)
{
	(void)user;
	assert_int_equal(lvl, OWFP_LOG_WARN);
	strncpy(last_log, msg, sizeof(last_log) - 1);
	logs++;
}

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_services(void **state)
{
	owfp_engine_opts o;
	owfp_engine *e;
	owfp_event ev;
	uint64_t a, b;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.event = on_event;
	o.log = on_log;
	o.user = &events;
	o.buffer_limit = 1234;
	assert_int_equal(owfp_engine_create(&o, &e), 0);
	assert_int_equal(owfp_engine_options(e)->buffer_limit, 1234);
	a = owfp_engine_next_flow_id(e);
	b = owfp_engine_next_flow_id(e);
	assert_true(a != 0 && b == a + 1);
	memset(&ev, 0, sizeof(ev));
	ev.type = OWFP_EV_DECISION;
	owfp_engine_emit(e, &ev);
	assert_int_equal(events, 1);
	owfp_engine_log(e, OWFP_LOG_WARN, "flow %d: %s", 7, "odd");
	assert_int_equal(logs, 1);
	assert_string_equal(last_log, "flow 7: odd");
	owfp_engine_destroy(e);
}

/* The layer above keeps its object with the engine (the stream layer's
 * flow table): the first attach wins, and destroy runs it first. */
static int upper_destroyed;

static void upper_destroy(void *obj)
{
	assert_ptr_equal(obj, &upper_destroyed);
	/* Still reachable while it is destroyed: flowDeleteFn may look up flows. */
	assert_ptr_equal(owfp_engine_upper(owfp_registry_engine()), obj);
	upper_destroyed++;
}

static void test_upper_object(void **state)
{
	owfp_engine *e;
	int other;

	(void)state;
	assert_int_equal(owfp_engine_create(NULL, &e), 0);
	assert_null(owfp_engine_upper(e));
	assert_ptr_equal(owfp_engine_upper_attach(e, &upper_destroyed, upper_destroy),
			 &upper_destroyed);
	assert_ptr_equal(owfp_engine_upper_attach(e, &other, upper_destroy), &upper_destroyed);
	assert_ptr_equal(owfp_engine_upper(e), &upper_destroyed);
	owfp_engine_destroy(e);
	assert_int_equal(upper_destroyed, 1);
}

static void test_stats(void **state)
{
	efx x;
	GUID k = efx_guid(1);
	FWPM_CALLOUT0 c;
	FWPM_FILTER0 f;
	owfp_engine_stats st;
	owfp_flow_key key = efx_key4(1, 2, 3, 4, true);
	UINT32 id;

	(void)state;
	efx_up(&x);
	memset(&c, 0, sizeof(c));
	c.calloutKey = k;
	c.applicableLayer = FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4;
	c.displayData.name = L"caf\u00e9 inspector";
	assert_int_equal(FwpmCalloutAdd0(x.h, &c, NULL, &id), STATUS_SUCCESS);
	assert_int_equal(efx_register(&x, &k, 0, classify, NULL, NULL), STATUS_SUCCESS);
	f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING);
	f.action.calloutKey = k;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
	owfp_engine_classify_flow_established(x.engine, &key, 1);
	owfp_engine_classify_flow_established(x.engine, &key, 2);
	owfp_engine_count(x.engine, OWFP_COUNT_FLOW_CREATED, -1, 3);
	owfp_engine_count(x.engine, OWFP_COUNT_FLOW_ENDED, -1, 1);
	owfp_engine_count(x.engine, OWFP_COUNT_FLOW_DROPPED, -1, 1);
	owfp_engine_count(x.engine, OWFP_COUNT_BYTES_INDICATED, OWFP_DIR_OUTBOUND, 100);
	owfp_engine_count(x.engine, OWFP_COUNT_BYTES_DELIVERED, OWFP_DIR_INBOUND, 40);
	owfp_engine_count(x.engine, OWFP_COUNT_VIOLATION, -1, 2);
	owfp_engine_count(x.engine, OWFP_COUNT_LIMIT, -1, 1);
	OWFP_SLOT_ADD(owfp_engine_callout_by_id(x.engine, id)->counts, bytes_blocked, 9);
	owfp_engine_stats_get(x.engine, &st);
	assert_int_equal(st.flows_created, 3);
	assert_int_equal(st.flows_active, 2);
	assert_int_equal(st.flows_dropped, 1);
	assert_int_equal(st.bytes_indicated[OWFP_DIR_OUTBOUND], 100);
	assert_int_equal(st.bytes_delivered[OWFP_DIR_INBOUND], 40);
	assert_int_equal(st.violations, 2);
	assert_int_equal(st.limits_hit, 1);
	assert_int_equal(st.ncallouts, 1);
	assert_int_equal(st.callouts[0].callout_id, id);
	assert_string_equal(st.callouts[0].name, "caf\xc3\xa9 inspector");
	assert_int_equal(st.callouts[0].classify_calls, 2);
	assert_int_equal(st.callouts[0].bytes_blocked, 9);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_upper_object),
		cmocka_unit_test(test_stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
