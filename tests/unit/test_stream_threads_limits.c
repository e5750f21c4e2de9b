/* Serialization and re-entry (S31, S108, Q25), completions per NBL (S61), PUSH (S64), limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static int depth, max_depth;
static void counting_permit(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			    FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			    UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)filter, (void)ctx;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	out->actionType = FWP_ACTION_PERMIT;
	depth--;
}

/* A data path that echoes every inbound byte back out from deliver(). */
static sh_side echo_out;
static void echo_deliver(void *dp, owfp_flow *f, int dir, const uint8_t *data, size_t len)
{
	sh *h = dp;
	if (dir == DIN) {
		assert_int_equal(depth, 0); /* never called from inside a classify */
		assert_int_equal(owfp_flow_indicate(f, DOUT, data, len, 0, 0), 0);
	}
	sh_side *s = dir == DIN ? &h->side[DIN] : &echo_out;
	s->buf = realloc(s->buf, s->len + len);
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

static void test_s108_callback_reentering_flow_is_queued_not_nested(void **state)
{
	sh *h = *state;
	depth = max_depth = 0;
	sh_callout *c = sh_terminating(h, counting_permit);
	h->ops.deliver = echo_deliver;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "ping");
	sh_send(f, DIN, "pong");
	assert_int_equal(max_depth, 1);
	sh_expect(h, DIN, "pingpong");
	assert_int_equal(echo_out.len, 8);
	assert_memory_equal(echo_out.buf, "pingpong", 8);
	assert_int_equal(c->ncalls, 4); /* two each way */
	owfp_flow_close(f);
	free(echo_out.buf);
	memset(&echo_out, 0, sizeof(echo_out));
}

static int completions;
static NET_BUFFER_LIST *completed[4];
static void NTAPI count_completion(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN d)
{
	(void)ctx, (void)d;
	assert_int_equal(nbl->Status, STATUS_SUCCESS);
	completed[completions++] = nbl;
}

static void test_s61_completion_once_per_nbl_of_a_chain(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	static char a[] = "one", b[] = "two", d[] = "three";
	char *mem[3] = {a, b, d};
	MDL *m[3];
	NET_BUFFER_LIST *nbl[3];
	for (int i = 0; i < 3; i++) {
		m[i] = IoAllocateMdl(mem[i], (ULONG)strlen(mem[i]), FALSE, FALSE, NULL);
		assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, m[i], 0,
									strlen(mem[i]), &nbl[i]),
				 STATUS_SUCCESS);
		if (i)
			nbl[i - 1]->Next = nbl[i];
	}
	completions = 0;
	assert_int_equal(FwpsStreamInjectAsync0(h->inj, NULL, 0, owfp_flow_id(f), c->id,
						FWPS_LAYER_STREAM_V4, FWPS_STREAM_FLAG_SEND, nbl[0],
						11, count_completion, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(completions, 0);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(completions, 3);
	for (int i = 0; i < 3; i++) {
		assert_ptr_equal(completed[i], nbl[i]);
		FwpsFreeNetBufferList0(nbl[i]);
		IoFreeMdl(m[i]);
	}
	sh_expect(h, DOUT, "onetwothree");
	owfp_flow_close(f);
}

static void test_s59_s64_accepted_injection_flags_and_push(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL}};
	sh_stack st = sh_two_sublayers(h, NULL, a, 1, sh_fn_permit, NULL, 0);
	sh_callout *up = st.up, *down = st.down;
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(sh_inject(h, up, id,
				   FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_PUSH, "p", 1),
			 STATUS_SUCCESS);
	assert_int_equal(
		sh_inject(h, up, id, FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_NODELAY, "n", 1),
		STATUS_SUCCESS);
	assert_int_equal(sh_inject(h, up, id,
				   FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_EXPEDITED, "u", 1),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(down->ncalls, 3);
	assert_int_equal(down->calls[0].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_PUSH);
	assert_int_equal(down->calls[1].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_NODELAY);
	assert_int_equal(down->calls[2].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_EXPEDITED);
	sh_expect(h, DIN, "p");
	sh_expect(h, DOUT, "nu");
	owfp_flow_close(f);
}

static void test_s71_registered_callout_without_filter_never_classified(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_callout_new(h, 0, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "free");
	assert_int_equal(c->ncalls, 0);
	sh_expect(h, DIN, "free");
	/* It may still use the flow APIs. */
	assert_int_equal(FwpsFlowAssociateContext0(owfp_flow_id(f), FWPS_LAYER_STREAM_V4, c->id, 1),
			 STATUS_SUCCESS);
	owfp_flow_close(f);
	assert_int_equal(c->deletes, 1);
}

static void defer_all(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	io->streamAction = FWPS_STREAM_ACTION_DEFER;
	out->actionType = FWP_ACTION_NONE;
}

static void test_limit_held_bytes_fail_closed_when_pause_ignored(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.buffer_limit = 16;
	o.defer_keep_limit = 16;
	sh_up(h, &o);
	sh_terminating(h, defer_all);
	owfp_flow *f = sh_flow(h);
	/* cap = 16 * (1 + 1) + 2 * 16 = 64 */
	for (int i = 0; i < 6; i++)
		owfp_flow_indicate(f, DIN, (const uint8_t *)"0123456789abcdef", 16, 0, 0);
	assert_true(h->paused[DIN] || h->drops);
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_LIMIT);
	assert_int_equal(sh_count_events(h, OWFP_EV_LIMIT, NULL), 1);
	owfp_engine_stats st;
	owfp_engine_stats_get(h->engine, &st);
	assert_int_equal(st.limits_hit, 1);
	sh_expect(h, DIN, "");
	owfp_flow_close(f);
}

static void test_limit_outstanding_injection_fails_closed(void **state)
{
	sh *h = *state;
	sh_down(h);
	owfp_engine_opts o = {0};
	o.inject_outstanding_max = 8;
	sh_up(h, &o);
	static const sh_answer aa[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_CONTINUE, 0, 0, NULL}};
	static const sh_answer ba[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 100, NULL}};
	sh_callout *a = sh_one_sublayer(h, FWP_ACTION_CALLOUT_UNKNOWN, NULL, aa, 1, NULL, ba, 1).up;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "held"); /* continued to b, which holds it */
	UINT64 id = owfp_flow_id(f);
	/* a's injections wait behind "held" in the sublayer exit. */
	assert_int_equal(sh_inject(h, a, id, FWPS_STREAM_FLAG_RECEIVE, "12345", 5), STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(h->drops, 0);
	assert_int_equal(sh_inject(h, a, id, FWPS_STREAM_FLAG_RECEIVE, "67890", 5), STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_LIMIT);
	assert_int_equal(a->injected_completions, 2); /* both completed (cancelled) */
	sh_expect(h, DIN, "");
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s108_callback_reentering_flow_is_queued_not_nested,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s61_completion_once_per_nbl_of_a_chain,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s59_s64_accepted_injection_flags_and_push,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s71_registered_callout_without_filter_never_classified,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_limit_held_bytes_fail_closed_when_pause_ignored,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_limit_outstanding_injection_fails_closed,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
