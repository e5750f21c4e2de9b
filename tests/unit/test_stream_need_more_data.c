/* NEED_MORE_DATA, the buffer limit and the end of stream (S41–S47, Q1, Q2, Q5, Q6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

/* Holds until the indication has at least `want` bytes, then permits all. */
static size_t want_len = 5;
static void until_len(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	if (io->streamData->dataLength < want_len &&
	    !(out->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA)) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = (UINT32)(want_len - io->streamData->dataLength);
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_s41_need_more_data_counts_additional_bytes(void **state)
{
	sh *h = *state;
	want_len = 5;
	sh_callout *c = sh_terminating(h, until_len);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "ab"); /* needs 3 more */
	sh_send(f, DOUT, "c");  /* not yet: no call */
	assert_int_equal(c->ncalls, 1);
	sh_expect(h, DOUT, "");
	assert_int_equal(owfp_flow_held_bytes(f, DOUT), 3);
	sh_send(f, DOUT, "de");
	/* Kept bytes first, new bytes after, as one run. */
	assert_int_equal(c->ncalls, 2);
	assert_string_equal((char *)c->calls[1].data, "abcde");
	sh_expect(h, DOUT, "abcde");
	owfp_flow_close(f);
}

static void test_q1_total_mode_counts_total_bytes(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.nmd_mode = OWFP_NMD_TOTAL;
	sh_up(h, &o);
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 4, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "ab");
	sh_send(f, DOUT, "c");
	assert_int_equal(c->ncalls, 1);
	sh_send(f, DOUT, "d"); /* 4 in total now */
	assert_int_equal(c->ncalls, 2);
	assert_string_equal((char *)c->calls[1].data, "abcd");
	sh_expect(h, DOUT, "abcd");
	owfp_flow_close(f);
}

static void test_q2_need_more_data_zero_is_one_and_a_violation(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "x");
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q2"), 1);
	sh_send(f, DOUT, "y");
	assert_int_equal(c->ncalls, 2);
	assert_string_equal((char *)c->calls[1].data, "xy");
	sh_expect(h, DOUT, "xy");
	owfp_engine_stats st;
	owfp_engine_stats_get(h->engine, &st);
	assert_int_equal(st.violations, 1);
	owfp_flow_close(f);
}

static void test_s43_q29_held_data_waits_without_time_limit_reported_at_close(void **state)
{
	sh *h = *state;
	want_len = 100;
	sh_callout *c = sh_terminating(h, until_len);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "short message");
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "");
	assert_true(owfp_flow_busy(f));
	owfp_flow_close(f);
	/* Q29: closing reports what was still held, once. */
	assert_int_equal(sh_count_events(h, OWFP_EV_FLOW_END, NULL), 1);
	assert_int_equal(h->events[h->nevents - 1].ev.type, OWFP_EV_FLOW_END);
	assert_int_equal(h->events[h->nevents - 1].ev.bytes, 13);
	assert_int_equal(c->deletes, 0);
}

static void test_s44_buffer_limit_reached_flag_carries_every_held_byte(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.buffer_limit = 10;
	sh_up(h, &o);
	want_len = 1000;
	sh_callout *c = sh_terminating(h, until_len);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "12345");
	sh_send(f, DOUT, "6789"); /* 9 < 10: still held, no call */
	assert_int_equal(c->ncalls, 1);
	sh_send(f, DOUT, "0ab"); /* kept + new >= limit: presented flagged */
	assert_int_equal(c->ncalls, 2);
	assert_true(c->calls[1].out_flags & FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED);
	assert_string_equal((char *)c->calls[1].data, "1234567890ab");
	/* The callout asked for more again: Q6, blocked and counted. */
	sh_expect(h, DOUT, "");
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, "Q6"), 1);
	owfp_flow_close(f);
}

static void test_s45_q6_need_more_data_after_no_more_data_fails_closed(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 10, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "abc");
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	/* Held bytes with NO_MORE_DATA, NMD again -> block; FIN: NMD -> held. */
	assert_true(c->calls[1].out_flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	sh_expect(h, DOUT, "");
	assert_true(sh_count_events(h, OWFP_EV_VIOLATION, "Q6") >= 1);
	assert_int_equal(h->drops, 0);
	owfp_flow_close(f);
}

static void test_s46_q5_end_of_stream_held_bytes_then_separate_fin(void **state)
{
	sh *h = *state;
	want_len = 100;
	sh_callout *c = sh_terminating(h, until_len);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "tail");
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(c->ncalls, 3);
	/* (1) held bytes, NO_MORE_DATA, no DISCONNECT */
	assert_string_equal((char *)c->calls[1].data, "tail");
	assert_int_equal(c->calls[1].out_flags, FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	assert_int_equal(c->calls[1].stream_flags, FWPS_STREAM_FLAG_RECEIVE);
	/* (2) zero-length DISCONNECT with NO_MORE_DATA (S17) */
	assert_int_equal(c->calls[2].len, 0);
	assert_int_equal(c->calls[2].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_DISCONNECT);
	assert_int_equal(c->calls[2].out_flags, FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	sh_expect(h, DIN, "tail");
	assert_int_equal(h->side[DIN].fins, 1);
	assert_int_equal(h->side[DIN].fin_at, 4);
	owfp_flow_close(f);
}

static void test_s47_other_direction_keeps_flowing_while_held(void **state)
{
	sh *h = *state;
	want_len = 100;
	sh_terminating(h, until_len);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "in-held");
	want_len = 1;
	sh_send(f, DOUT, "out-flows");
	sh_expect(h, DOUT, "out-flows");
	sh_expect(h, DIN, "");
	owfp_flow_close(f);
}

/* One byte more each time over a long stream: linear, and every byte arrives. */
static void one_more(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		     FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		     FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	if (!(out->flags &
	      (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA | FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED))) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = 1;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_s41_one_byte_at_a_time_accumulates_whole_stream(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, one_more);
	owfp_flow *f = sh_flow(h);
	enum { N = 4096 };
	uint8_t *buf = malloc(N);
	for (size_t i = 0; i < N; i++) {
		buf[i] = (uint8_t)(i * 7);
		assert_int_equal(owfp_flow_indicate(f, DIN, buf + i, 1, 0, 0), 0);
	}
	assert_int_equal(owfp_flow_held_bytes(f, DIN), N);
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	sh_expect_bytes(h, DIN, buf, N);
	assert_int_equal(c->calls[N].len, N);
	free(buf);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s41_need_more_data_counts_additional_bytes,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q1_total_mode_counts_total_bytes,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q2_need_more_data_zero_is_one_and_a_violation,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s43_q29_held_data_waits_without_time_limit_reported_at_close,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s44_buffer_limit_reached_flag_carries_every_held_byte,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s45_q6_need_more_data_after_no_more_data_fails_closed,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s46_q5_end_of_stream_held_bytes_then_separate_fin,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s47_other_direction_keeps_flowing_while_held,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s41_one_byte_at_a_time_accumulates_whole_stream,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
