/*
 * The deferred-flow timeout: a callout that answers DEFER and never calls
 * FwpsStreamContinue0 gets its flow reset once the timeout runs out (fail
 * closed), with a limit event, a log line and counters. Times are passed
 * explicitly, so nothing here sleeps.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static sh H;

/* Defers every inbound indication with data; permits the rest. */
static void defer_inbound(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			  UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	if ((sd->flags & FWPS_STREAM_FLAG_RECEIVE) && sd->dataLength &&
	    !(sd->flags & FWPS_STREAM_FLAG_RECEIVE_DISCONNECT)) {
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static const owfp_callout_stats *callout_stats(const owfp_engine_stats *s, UINT32 id)
{
	for (size_t i = 0; i < s->ncallouts; i++)
		if (s->callouts[i].callout_id == id)
			return &s->callouts[i];
	fail_msg("callout %u not in the stats", id);
	return NULL;
}

static const sh_event *only_event(const sh *h, enum owfp_event_type t)
{
	const sh_event *found = NULL;
	for (size_t i = 0; i < h->nevents; i++) {
		if (h->events[i].ev.type != t)
			continue;
		assert_null(found);
		found = &h->events[i];
	}
	assert_non_null(found);
	return found;
}

static void test_defer_never_continued_resets_flow_at_deadline(void **state)
{
	(void)state;
	owfp_engine_opts o = {.defer_timeout_ms = 5000};
	sh_up(&H, &o);
	sh *h = &H;
	sh_callout *c = sh_terminating(h, defer_inbound);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_defer_deadline_ms(f), 0);
	assert_int_equal(owfp_flow_expire(f, UINT64_MAX), 0); /* nothing deferred */

	uint64_t before = owfp_clock_ms();
	sh_send(f, DIN, "held");
	uint64_t after = owfp_clock_ms();
	sh_send(f, DOUT, "out");
	sh_expect(h, DOUT, "out");
	uint64_t deadline = owfp_flow_defer_deadline_ms(f);
	assert_true(deadline >= before + 5000 && deadline <= after + 5000);

	assert_int_equal(owfp_flow_expire(f, deadline - 1), 0);
	assert_false(owfp_flow_dropped(f));
	assert_int_equal(h->drops, 0);
	assert_int_equal(sh_count_events(h, OWFP_EV_LIMIT, NULL), 0);

	int logs = h->logs;
	assert_int_equal(owfp_flow_expire(f, deadline), 1);
	assert_true(owfp_flow_dropped(f));
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_LIMIT);
	assert_true(h->logs > logs);
	assert_int_equal(owfp_flow_defer_deadline_ms(f), 0);
	assert_int_equal(owfp_flow_expire(f, UINT64_MAX), 0); /* once only */

	owfp_engine_stats s;
	owfp_engine_stats_get(h->engine, &s);
	assert_int_equal(s.limits_hit, 1);
	assert_int_equal(s.flows_dropped, 1);
	const owfp_callout_stats *cs = callout_stats(&s, c->id);
	assert_int_equal(cs->violations, 1);

	const sh_event *ev = only_event(h, OWFP_EV_LIMIT);
	assert_int_equal(ev->ev.callout_id, c->id);
	assert_int_equal(ev->ev.dir, DIN);
	assert_string_equal(ev->callout_name, cs->name);
	char want[192];
	snprintf(want, sizeof(want),
		 "callout '%s' deferred longer than 5000 ms without FwpsStreamContinue0", cs->name);
	assert_string_equal(ev->detail, want);
	assert_int_equal(sh_count_events(h, OWFP_EV_DROP, NULL), 1);

	/* Nothing is delivered after it, whatever comes next. */
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"late", 4, 0, 0), -EPIPE);
	assert_int_equal(FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4,
					     FWPS_STREAM_FLAG_RECEIVE),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "");
	sh_expect(h, DOUT, "out");
	assert_int_equal(c->ncalls, 2);
	owfp_flow_close(f);
	sh_expect(h, DIN, "");
	sh_down(h);
}

static void test_defer_timeout_defaults_to_60_seconds(void **state)
{
	(void)state;
	sh_up(&H, NULL);
	sh *h = &H;
	sh_terminating(h, defer_inbound);
	owfp_flow *f = sh_flow(h);
	uint64_t before = owfp_clock_ms();
	sh_send(f, DIN, "x");
	uint64_t after = owfp_clock_ms();
	uint64_t deadline = owfp_flow_defer_deadline_ms(f);
	assert_true(deadline >= before + 60000 && deadline <= after + 60000);
	assert_int_equal(owfp_flow_expire(f, deadline - 1), 0);
	assert_int_equal(owfp_flow_expire(f, deadline), 1);
	const sh_event *ev = only_event(h, OWFP_EV_LIMIT);
	assert_non_null(strstr(ev->detail, "deferred longer than 60000 ms"));
	owfp_flow_close(f);
	sh_down(h);
}

static void test_defer_continued_in_time_clears_deadline(void **state)
{
	(void)state;
	owfp_engine_opts o = {.defer_timeout_ms = 1};
	sh_up(&H, &o);
	sh *h = &H;
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "payload");
	assert_true(owfp_flow_defer_deadline_ms(f) != 0);
	assert_int_equal(FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4,
					     FWPS_STREAM_FLAG_RECEIVE),
			 STATUS_SUCCESS);
	/* Queued but not yet applied: still deferred, still expirable. */
	assert_true(owfp_flow_defer_deadline_ms(f) != 0);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "payload");
	assert_int_equal(owfp_flow_defer_deadline_ms(f), 0);
	assert_int_equal(owfp_flow_expire(f, UINT64_MAX), 0);
	assert_false(owfp_flow_dropped(f));
	assert_int_equal(sh_count_events(h, OWFP_EV_LIMIT, NULL), 0);
	owfp_flow_close(f);
	sh_down(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defer_never_continued_resets_flow_at_deadline),
		cmocka_unit_test(test_defer_timeout_defaults_to_60_seconds),
		cmocka_unit_test(test_defer_continued_in_time_clears_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
