/* FIN, RST, empty and urgent indications, PUSH/NODELAY (S17–S20, Q17, Q18, Q24). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s17_fin_is_zero_length_disconnect_with_no_more_data(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "bye");
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	assert_int_equal(c->ncalls, 2);
	assert_int_equal(c->calls[1].len, 0);
	assert_int_equal(c->calls[1].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_DISCONNECT);
	assert_true(c->calls[1].out_flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	assert_int_equal(h->side[DOUT].fins, 1);
	assert_int_equal(owfp_flow_indicate(f, DOUT, (const uint8_t *)"x", 1, 0, 0), -EPIPE);
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_true(owfp_flow_finished(f));
	assert_int_equal(sh_count_events(h, OWFP_EV_FLOW_END, NULL), 1);
	owfp_flow_close(f);
}

static void test_s18_q24_abort_ends_both_directions_held_data_discarded(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 100, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "held-in");
	sh_send(f, DOUT, "held-out");
	assert_int_equal(owfp_flow_indicate_abort(f, DIN), 0);
	/* One ABORT indication for the inbound filter; nothing is delivered. */
	assert_int_equal(c->ncalls, 3);
	assert_int_equal(c->calls[2].len, 0);
	assert_int_equal(c->calls[2].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_ABORT);
	assert_true(c->calls[2].out_flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	sh_expect(h, DIN, "");
	sh_expect(h, DOUT, "");
	assert_int_equal(h->side[DIN].aborts, 1);
	assert_true(owfp_flow_finished(f));
	assert_int_equal(owfp_flow_indicate(f, DOUT, (const uint8_t *)"x", 1, 0, 0), -EPIPE);
	owfp_flow_close(f);
}

/* The RST of a direction that already ended (FIN) still cuts the other one. */
static void test_s18_q24_abort_after_fin_reaches_the_data_path(void **state)
{
	sh *h = *state;
	sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "request");
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	sh_send(f, DIN, "partial");
	assert_int_equal(owfp_flow_indicate_abort(f, DOUT), 0);
	assert_int_equal(h->side[DOUT].fins, 1);
	assert_int_equal(h->side[DOUT].aborts, 1);
	assert_true(owfp_flow_finished(f));
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"x", 1, 0, 0), -EPIPE);
	sh_expect(h, DIN, "partial");
	/* Both ended already: nothing more to cut, no second abort. */
	assert_int_equal(owfp_flow_indicate_abort(f, DIN), -EPIPE);
	assert_int_equal(h->side[DIN].aborts, 0);
	owfp_flow_close(f);
}

static UINT64 abort_flow;
static NTSTATUS abort_inject_status;
static void inject_on_abort(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			    FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			    UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)filter, (void)ctx;
	out->actionType = FWP_ACTION_PERMIT;
	if (io->streamData->flags & FWPS_STREAM_FLAG_RECEIVE_ABORT)
		abort_inject_status = sh_inject(sh_current(), c, meta->flowHandle,
						FWPS_STREAM_FLAG_RECEIVE, "late", 4);
	abort_flow = meta->flowHandle;
}

static void test_s62_inject_during_abort_is_refused(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, inject_on_abort);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "a");
	assert_int_equal(owfp_flow_indicate_abort(f, DIN), 0);
	assert_int_equal(abort_inject_status, STATUS_FWP_INVALID_PARAMETER);
	/* And after the flow ended. */
	assert_int_equal(sh_inject(h, c, abort_flow, FWPS_STREAM_FLAG_RECEIVE, "x", 1),
			 STATUS_FWP_INVALID_PARAMETER);
	sh_expect(h, DIN, "a");
	owfp_flow_close(f);
}

static void test_s19_zero_length_indication_presented(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DIN, NULL, 0, 0, 0), 0);
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(c->calls[0].len, 0);
	assert_int_equal(c->calls[0].stream_flags, FWPS_STREAM_FLAG_RECEIVE);
	sh_send(f, DIN, "after");
	sh_expect(h, DIN, "after");
	owfp_flow_close(f);
}

static void test_s20_q17_urgent_data_is_its_own_indication_and_never_held(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 100, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"!", 1, OWFP_SEG_URGENT, 0), 0);
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(c->calls[0].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_EXPEDITED);
	/* NEED_MORE_DATA on urgent data is PERMIT of all of it (Q17). */
	sh_expect(h, DIN, "!");
	owfp_flow_close(f);
}

static void test_q17_urgent_keeps_its_stream_position(void **state)
{
	sh *h = *state;
	sh_stage(h, NULL, FWP_ACTION_CALLOUT_INSPECTION, 0, sh_fn_permit, NULL, 0);
	GUID s2 = sh_sublayer(h, 0x10);
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 1, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *d = sh_stage(h, &s2, FWP_ACTION_CALLOUT_TERMINATING, 0, NULL, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "ab");
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"!", 1, OWFP_SEG_URGENT, 0), 0);
	/* "ab" is bounded by the urgent byte: it is presented with the limit
	 * flag, permitted, and the urgent byte follows it. */
	sh_expect(h, DIN, "ab!");
	assert_true(d->calls[1].out_flags & FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED);
	assert_int_equal(d->calls[2].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_EXPEDITED);
	owfp_flow_close(f);
}

static void test_q18_push_and_nodelay_flags(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"p", 1, OWFP_SEG_PUSH, 0), 0);
	assert_int_equal(owfp_flow_indicate(f, DOUT, (const uint8_t *)"q", 1, OWFP_SEG_PUSH, 0), 0);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"r", 1, 0, 0), 0);
	assert_int_equal(c->calls[0].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_PUSH);
	assert_int_equal(c->calls[1].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_NODELAY);
	assert_int_equal(c->calls[2].stream_flags, FWPS_STREAM_FLAG_RECEIVE);
	owfp_flow_close(f);
}

static void test_s57_blocked_fin_is_held_until_disconnect_injected(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL}};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "gone");
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(h->side[DIN].fins, 0);
	assert_true(owfp_flow_busy(f));
	UINT64 id = owfp_flow_id(f);
	/* Data then the FIN, from outside classify. */
	assert_int_equal(sh_inject(h, c, id, FWPS_STREAM_FLAG_RECEIVE, "new", 3), STATUS_SUCCESS);
	assert_int_equal(sh_inject(h, c, id,
				   FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_DISCONNECT,
				   NULL, 0),
			 STATUS_SUCCESS);
	assert_int_equal(h->side[DIN].fins, 0); /* queued, not inside the call */
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "new");
	assert_int_equal(h->side[DIN].fins, 1);
	assert_int_equal(h->side[DIN].fin_at, 3);
	assert_int_equal(c->injected_completions, 1);
	owfp_flow_close(f);
}

static void test_s57_disconnect_inject_without_held_fin_is_refused(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "data");
	/* Accepted by the call (it cannot know yet), refused on the flow. */
	assert_int_equal(sh_inject(h, c, owfp_flow_id(f),
				   FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_DISCONNECT,
				   "x", 1),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(h->side[DIN].fins, 0);
	sh_expect(h, DIN, "data");
	assert_int_equal(c->injected_completions, 1); /* completed with an error status */
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s17_fin_is_zero_length_disconnect_with_no_more_data,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s18_q24_abort_ends_both_directions_held_data_discarded,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s18_q24_abort_after_fin_reaches_the_data_path,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s62_inject_during_abort_is_refused,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s19_zero_length_indication_presented,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s20_q17_urgent_data_is_its_own_indication_and_never_held,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q17_urgent_keeps_its_stream_position,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q18_push_and_nodelay_flags, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s57_blocked_fin_is_held_until_disconnect_injected,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s57_disconnect_inject_without_held_fin_is_refused,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
