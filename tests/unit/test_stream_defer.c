/* DEFER and FwpsStreamContinue0 (S48–S51, Q7–Q9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s48_s49_defer_holds_then_presents_with_arrivals(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "first");
	sh_send(f, DIN, "second");
	assert_int_equal(c->ncalls, 1); /* nothing reaches a deferred stage */
	sh_expect(h, DIN, "");
	assert_true(owfp_flow_busy(f));
	assert_int_equal(sh_count_events(h, OWFP_EV_DEFER, NULL), 1);
	int wakes = atomic_load(&h->wakes);
	assert_int_equal(FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4,
					     c->calls[0].stream_flags),
			 STATUS_SUCCESS);
	/* S50: never inside the caller; the data path is woken. */
	assert_int_equal(c->ncalls, 1);
	assert_true(atomic_load(&h->wakes) > wakes);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(c->ncalls, 2);
	assert_string_equal((char *)c->calls[1].data, "firstsecond");
	sh_expect(h, DIN, "firstsecond");
	assert_int_equal(sh_count_events(h, OWFP_EV_CONTINUE, NULL), 1);
	owfp_flow_close(f);
}

struct worker {
	UINT64 flow;
	UINT32 callout;
	UINT32 flags;
	NTSTATUS st;
};

static void *continue_thread(void *p)
{
	struct worker *w = p;
	w->st = FwpsStreamContinue0(w->flow, w->callout, FWPS_LAYER_STREAM_V4, w->flags);
	return NULL;
}

static void test_s50_continue_from_another_thread(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "payload");
	struct worker w = {owfp_flow_id(f), c->id, c->calls[0].stream_flags, 0};
	int seen = atomic_load(&h->wakes);
	pthread_t t;
	pthread_create(&t, NULL, continue_thread, &w);
	sh_wait_wake(h, seen);
	pthread_join(t, NULL);
	assert_int_equal(w.st, STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "payload");
	owfp_flow_close(f);
}

static void test_q9_continue_when_not_deferred_is_invalid(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(
		FwpsStreamContinue0(id, c->id, FWPS_LAYER_STREAM_V4, FWPS_STREAM_FLAG_RECEIVE),
		STATUS_INVALID_PARAMETER);
	sh_send(f, DIN, "x");
	assert_int_equal(FwpsStreamContinue0(id, c->id, 99, FWPS_STREAM_FLAG_RECEIVE),
			 STATUS_INVALID_PARAMETER);
	/* Mismatched flags: accepted with the recorded ones, a violation. */
	assert_int_equal(FwpsStreamContinue0(id, c->id, FWPS_LAYER_STREAM_V4,
					     FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_PUSH),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q9"), 1);
	sh_expect(h, DIN, "x");
	/* A second continue: no longer deferred. */
	assert_int_equal(
		FwpsStreamContinue0(id, c->id, FWPS_LAYER_STREAM_V4, c->calls[0].stream_flags),
		STATUS_INVALID_PARAMETER);
	owfp_flow_close(f);
}

static void test_q7_defer_outbound_is_need_more_data_one(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "ab");
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q7"), 1);
	sh_expect(h, DOUT, "");
	sh_send(f, DOUT, "c"); /* one more byte re-presents */
	assert_string_equal((char *)c->calls[1].data, "abc");
	sh_expect(h, DOUT, "abc");
	owfp_flow_close(f);
}

static void defer_always(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
			 FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	io->streamAction = FWPS_STREAM_ACTION_DEFER;
	out->actionType = FWP_ACTION_NONE;
}

static void test_q7_defer_on_fin_or_empty_is_permit(void **state)
{
	sh *h = *state;
	sh_terminating(h, defer_always);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DIN, NULL, 0, 0, 0), 0);
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(h->side[DIN].fins, 1);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q7"), 2);
	owfp_flow_close(f);
}

static void test_q8_data_kept_while_deferred_then_source_paused(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.defer_keep_limit = 8;
	sh_up(h, &o);
	sh_callout *c = sh_terminating(h, sh_fn_defer_once);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "1234");
	assert_false(h->paused[DIN]);
	sh_send(f, DIN, "5678");
	assert_true(h->paused[DIN]);
	assert_false(h->paused[DOUT]);
	assert_int_equal(FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4,
					     c->calls[0].stream_flags),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_false(h->paused[DIN]);
	assert_int_equal(h->pauses[DIN], 2);
	sh_expect(h, DIN, "12345678");
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s48_s49_defer_holds_then_presents_with_arrivals,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s50_continue_from_another_thread,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q9_continue_when_not_deferred_is_invalid,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q7_defer_outbound_is_need_more_data_one,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q7_defer_on_fin_or_empty_is_permit,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q8_data_kept_while_deferred_then_source_paused,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
