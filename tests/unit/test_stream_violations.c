/* Invalid answers fail closed with a counted violation; missedBytes (S26–S32, S52, Q3, Q10, Q13, Q26). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static uint64_t callout_violations(sh *h, UINT32 id)
{
	owfp_engine_stats st;
	owfp_engine_stats_get(h->engine, &st);
	for (size_t i = 0; i < st.ncallouts; i++)
		if (st.callouts[i].callout_id == id)
			return st.callouts[i].violations;
	return 0;
}

static void test_s29_terminating_callout_leaving_action_unset_blocks(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_none);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "x");
	sh_expect(h, DIN, "");
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "S30"), 1);
	assert_int_equal(callout_violations(h, c->id), 1);
	assert_true(h->logs > 0);
	owfp_flow_close(f);
}

static void test_s30_inspection_permit_or_block_is_continue(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL}};
	sh_callout *c = sh_stage(h, NULL, FWP_ACTION_CALLOUT_INSPECTION, 0, NULL, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "kept");
	sh_expect(h, DIN, "kept");
	assert_int_equal(callout_violations(h, c->id), 1);
	owfp_flow_close(f);
}

static void test_s30_unknown_accepts_permit_block_continue(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 1, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 1, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_CONTINUE, 1, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_NONE_NO_MATCH, 0, 0, NULL},
	};
	sh_callout *c = sh_stage(h, NULL, FWP_ACTION_CALLOUT_UNKNOWN, 0, NULL, a, 4);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abcd");
	sh_expect(h, DIN, "acd");
	assert_int_equal(callout_violations(h, c->id), 1); /* only NONE_NO_MATCH */
	owfp_flow_close(f);
}

static void test_s32_stream_action_makes_action_type_ignored(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_BLOCK, 0, 1, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "a");
	sh_send(f, DOUT, "b");
	sh_expect(h, DOUT, "ab");
	owfp_flow_close(f);
}

static void test_q3_enforced_beyond_length_clamped(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 99, 0, NULL}};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "four");
	sh_expect(h, DOUT, "four");
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q3"), 1);
	owfp_flow_close(f);
}

static void test_q10_invalid_stream_action_drops_flow(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{7, FWP_ACTION_PERMIT, 0, 0, NULL}};
	sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "x");
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_VIOLATION);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q10"), 1);
	owfp_engine_stats st;
	owfp_engine_stats_get(h->engine, &st);
	assert_int_equal(st.callouts[0].stream_actions[OWFP_STREAM_ACTIONS - 1], 1);
	owfp_flow_close(f);
}

static void scribbler(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)filter, (void)ctx;
	out->actionType = FWP_ACTION_PERMIT;
	out->rights = 0;
	out->flags |= FWPS_CLASSIFY_OUT_FLAG_ABSORB | FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA;
}

static void test_s27_s28_q26_rights_and_flags_written_by_callout_ignored(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, scribbler);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "one");
	sh_send(f, DIN, "two");
	sh_expect(h, DIN, "onetwo");
	/* The engine's input flags are fresh on every call. */
	assert_int_equal(c->calls[1].out_flags, 0);
	assert_int_equal(c->calls[1].prefill_rights, FWPS_RIGHT_ACTION_WRITE);
	owfp_flow_close(f);
}

static void test_s52_missed_bytes_from_higher_filter_in_same_sublayer(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 3, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_CONTINUE, 0, 0, NULL},
	};
	sh_callout *down =
		sh_one_sublayer(h, FWP_ACTION_CALLOUT_UNKNOWN, NULL, a, 2, sh_fn_permit, NULL, 0).down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abcdef");
	assert_int_equal(down->ncalls, 1);
	assert_string_equal((char *)down->calls[0].data, "def");
	assert_int_equal(down->calls[0].missed, 3);
	sh_send(f, DIN, "g");
	assert_int_equal(down->calls[1].missed, 0); /* reported once, then reset */
	assert_int_equal(sh_count_events(h, OWFP_EV_MISSED, NULL), 1);
	owfp_flow_close(f);
}

/* The upper sublayer blocks "xx" of "xxok"; returns what the lower saw as missed. */
static size_t missed_below_upper_block(sh *h)
{
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 2, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *down = sh_two_sublayers(h, NULL, a, 2, sh_fn_permit, NULL, 0).down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "xxok");
	sh_expect(h, DIN, "ok");
	owfp_flow_close(f);
	return down->calls[0].missed;
}

static void test_s52_bytes_blocked_in_upper_sublayer_not_missed(void **state)
{
	assert_int_equal(missed_below_upper_block(*state), 0);
}

static void test_q13_include_upper_mode_counts_upper_blocks(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.missed_mode = OWFP_MISSED_INCLUDE_UPPER;
	sh_up(h, &o);
	assert_int_equal(missed_below_upper_block(h), 2);
}

static void test_s52_capture_hole_reported_as_missed(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"after-gap", 9, 0, 100), 0);
	assert_int_equal(c->calls[0].missed, 100);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s29_terminating_callout_leaving_action_unset_blocks,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s30_inspection_permit_or_block_is_continue,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s30_unknown_accepts_permit_block_continue,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s32_stream_action_makes_action_type_ignored,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q3_enforced_beyond_length_clamped,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q10_invalid_stream_action_drops_flow,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s27_s28_q26_rights_and_flags_written_by_callout_ignored,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s52_missed_bytes_from_higher_filter_in_same_sublayer, sh_fixture_setup,
			sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s52_bytes_blocked_in_upper_sublayer_not_missed,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q13_include_upper_mode_counts_upper_blocks,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s52_capture_hole_reported_as_missed,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
