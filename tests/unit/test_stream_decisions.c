/* Stream decisions: pre-fill, enforced prefix, PERMIT/BLOCK/CONTINUE, waterfall order (S11–S38). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s11_layer_data_is_stream_io_packet(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "hello");
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(c->calls[0].len, 5);
	assert_string_equal((char *)c->calls[0].data, "hello");
	assert_int_equal(c->calls[0].flow_id, owfp_flow_id(f));
	sh_expect(h, DOUT, "hello");
	owfp_flow_close(f);
}

static void test_s12_outputs_prefilled_none_zero_continue_write(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_stage(h, NULL, FWP_ACTION_CALLOUT_INSPECTION, 0, sh_fn_none, NULL, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abc");
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(c->calls[0].prefill_action, FWP_ACTION_CONTINUE);
	assert_int_equal(c->calls[0].prefill_rights, FWPS_RIGHT_ACTION_WRITE);
	assert_int_equal(c->calls[0].out_flags, 0);
	/* S12/S34: untouched outputs act on the whole indication. */
	sh_expect(h, DIN, "abc");
	owfp_flow_close(f);
}

static void test_s13_data_offset_honoured_after_partial_permit(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 3, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "abcdefgh");
	assert_int_equal(c->ncalls, 2);
	/* The remainder is presented from an offset inside the same MDL. */
	assert_string_equal((char *)c->calls[1].data, "defgh");
	sh_expect(h, DOUT, "abcdefgh");
	owfp_flow_close(f);
}

static void test_s14_exactly_one_direction_flag(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "in");
	sh_send(f, DOUT, "out");
	assert_int_equal(c->ncalls, 2);
	assert_int_equal(c->calls[0].stream_flags, FWPS_STREAM_FLAG_RECEIVE);
	assert_int_equal(c->calls[1].stream_flags, FWPS_STREAM_FLAG_SEND);
	sh_expect(h, DIN, "in");
	sh_expect(h, DOUT, "out");
	owfp_flow_close(f);
}

static void test_s33_remainder_presented_again(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 2, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 2, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 3);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "aabbcc");
	assert_int_equal(c->ncalls, 3);
	assert_string_equal((char *)c->calls[0].data, "aabbcc");
	assert_string_equal((char *)c->calls[1].data, "bbcc");
	assert_string_equal((char *)c->calls[2].data, "cc");
	sh_expect(h, DOUT, "aacc");
	/* The next segment comes only after the first is used up. */
	sh_send(f, DOUT, "dd");
	assert_string_equal((char *)c->calls[3].data, "dd");
	sh_expect(h, DOUT, "aaccdd");
	owfp_flow_close(f);
}

static void test_s34_zero_enforced_means_all(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL}};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "secret");
	assert_int_equal(c->ncalls, 1);
	sh_expect(h, DOUT, "");
	owfp_flow_close(f);
}

static void test_s35_permit_skips_rest_of_sublayer_enters_next(void **state)
{
	sh *h = *state;
	sh_stack hi = sh_one_sublayer(h, FWP_ACTION_CALLOUT_TERMINATING, sh_fn_permit, NULL, 0,
				      sh_fn_permit, NULL, 0);
	sh_callout *a = hi.up, *b = hi.down;
	GUID lo = sh_sublayer(h, 0x20);
	sh_callout *c = sh_stage(h, &lo, 0, 5, sh_fn_permit, NULL, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "xyz");
	assert_int_equal(a->ncalls, 1);
	assert_int_equal(b->ncalls, 0);
	assert_int_equal(c->ncalls, 1);
	sh_expect(h, DIN, "xyz");
	owfp_flow_close(f);
}

static void test_s36_block_removes_bytes_connection_stays_open(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 3, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *y = sh_two_sublayers(h, NULL, a, 2, sh_fn_permit, NULL, 0).down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "badgood");
	assert_int_equal(y->ncalls, 1);
	assert_string_equal((char *)y->calls[0].data, "good");
	sh_send(f, DIN, "more");
	sh_expect(h, DIN, "goodmore");
	assert_int_equal(h->drops, 0);
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(h->side[DIN].fins, 1);
	owfp_flow_close(f);
}

static void test_s37_continue_goes_to_next_filter_in_sublayer(void **state)
{
	sh *h = *state;
	sh_stack st = sh_one_sublayer(h, FWP_ACTION_CALLOUT_INSPECTION, sh_fn_none, NULL, 0,
				      sh_fn_permit, NULL, 0);
	sh_callout *a = st.up, *b = st.down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "data");
	assert_int_equal(a->ncalls, 1);
	assert_int_equal(b->ncalls, 1);
	assert_string_equal((char *)b->calls[0].data, "data");
	sh_expect(h, DOUT, "data");
	owfp_flow_close(f);
}

/* Stage A continues a prefix to B (which holds it) and permits the rest:
 * the permitted bytes must wait for the held ones (S38). */
static void test_s38_bytes_leave_sublayer_in_stream_order(void **state)
{
	sh *h = *state;
	static const sh_answer aa[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_CONTINUE, 3, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	static const sh_answer ba[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 1, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *b = sh_one_sublayer(h, FWP_ACTION_CALLOUT_UNKNOWN, NULL, aa, 2, NULL, ba, 2).down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "123456");
	/* "123" is held by B; "456" was permitted by A but must wait. */
	sh_expect(h, DOUT, "");
	assert_int_equal(owfp_flow_held_bytes(f, DOUT), 6);
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	/* End of stream: B decides "123" with NO_MORE_DATA; order is kept. */
	assert_true(b->calls[1].out_flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	sh_expect(h, DOUT, "123456");
	assert_int_equal(h->side[DOUT].fins, 1);
	owfp_flow_close(f);
}

static void test_no_filters_delivers_everything(void **state)
{
	sh *h = *state;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "plain");
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	sh_expect(h, DIN, "plain");
	assert_int_equal(h->side[DIN].fins, 1);
	assert_true(owfp_flow_finished(f));
	owfp_flow_close(f);
}

static const uint8_t *last_ptr;
static void ptr_deliver(void *dp, owfp_flow *f, int dir, const uint8_t *data, size_t len)
{
	(void)dp, (void)f, (void)dir, (void)len;
	last_ptr = data;
}

static void test_fast_path_delivers_from_caller_memory(void **state)
{
	sh *h = *state;
	sh_stage(h, NULL, FWP_ACTION_CALLOUT_INSPECTION, 0, sh_fn_none, NULL, 0);
	h->ops.deliver = ptr_deliver;
	owfp_flow *f = sh_flow(h);
	static const uint8_t buf[] = "zero-copy";
	assert_int_equal(owfp_flow_indicate(f, DIN, buf, 9, 0, 0), 0);
	assert_ptr_equal(last_ptr, buf); /* nothing held: no copy was made */
	assert_int_equal(owfp_flow_held_bytes(f, DIN), 0);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s11_layer_data_is_stream_io_packet,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s12_outputs_prefilled_none_zero_continue_write,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s13_data_offset_honoured_after_partial_permit,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s14_exactly_one_direction_flag,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s33_remainder_presented_again,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s34_zero_enforced_means_all, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s35_permit_skips_rest_of_sublayer_enters_next,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s36_block_removes_bytes_connection_stays_open,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s37_continue_goes_to_next_filter_in_sublayer,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s38_bytes_leave_sublayer_in_stream_order,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_filters_delivers_everything,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_fast_path_delivers_from_caller_memory,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
