/* Flow contexts, DROP/ALLOW, FwpsFlowAbort0, CONDITIONAL_ON_FLOW (S24, S39, S40, S74–S79, Q11, Q12). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s24_s75_associated_context_is_flow_context(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 0),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 0x1234),
			 STATUS_SUCCESS);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 0x5678),
			 STATUS_OBJECT_NAME_EXISTS);
	sh_send(f, DIN, "x");
	assert_int_equal(c->calls[0].flow_context, 0x1234);
	/* S74: flowDeleteFn with the context when the flow ends. */
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	assert_true(owfp_flow_finished(f));
	assert_int_equal(c->deletes, 1);
	assert_int_equal(c->last_deleted, 0x1234);
	assert_int_equal(c->last_deleted_layer, FWPS_LAYER_STREAM_V4);
	owfp_flow_close(f);
	assert_int_equal(c->deletes, 1);
}

static void test_s75_callout_without_flow_delete_rejected(void **state)
{
	sh *h = *state;
	owfp_flow *f = sh_flow(h);
	assert_int_equal(FwpsFlowAssociateContext0(owfp_flow_id(f), FWPS_LAYER_STREAM_V4, 9999, 1),
			 STATUS_INVALID_PARAMETER);
	owfp_flow_close(f);
}

static NTSTATUS remove_status;
static void remove_in_classify(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			       FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			       UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)io, (void)filter, (void)ctx;
	remove_status = FwpsFlowRemoveContext0(meta->flowHandle, FWPS_LAYER_STREAM_V4, c->id);
	/* flowDeleteFn has not run yet: still inside the classify. */
	assert_int_equal(c->deletes, 0);
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_s77_remove_context_pending_during_classify(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, remove_in_classify);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 7),
			 STATUS_SUCCESS);
	sh_send(f, DIN, "x");
	assert_int_equal(remove_status, STATUS_PENDING);
	assert_int_equal(c->deletes, 1);
	assert_int_equal(c->last_deleted, 7);
	/* Outside a classify: success means flowDeleteFn already ran. */
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 8),
			 STATUS_SUCCESS);
	assert_int_equal(FwpsFlowRemoveContext0(id, FWPS_LAYER_STREAM_V4, c->id), STATUS_SUCCESS);
	assert_int_equal(c->deletes, 2);
	assert_int_equal(FwpsFlowRemoveContext0(id, FWPS_LAYER_STREAM_V4, c->id),
			 STATUS_UNSUCCESSFUL);
	owfp_flow_close(f);
	assert_int_equal(c->deletes, 2);
}

/* S76: the flow-established callout attaches the stream context. */
static UINT32 stream_callout_id;
static void NTAPI ale_classify(const FWPS_INCOMING_VALUES0 *in,
			       const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *cc,
			       const FWPS_FILTER3 *filter, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)ld, (void)cc, (void)filter, (void)ctx;
	assert_int_equal(FwpsFlowAssociateContext0(meta->flowHandle, FWPS_LAYER_STREAM_V4,
						   stream_callout_id, 0xfeed),
			 STATUS_SUCCESS);
	out->actionType = FWP_ACTION_CONTINUE;
}

static void NTAPI ale_delete(UINT16 l, UINT32 id, UINT64 ctx)
{
	(void)l, (void)id, (void)ctx;
}

static void test_s76_s79_flow_established_context_enables_conditional_callout(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_callout_new(h, FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW, sh_fn_permit);
	stream_callout_id = c->id;
	sh_filter(h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	/* Without a context the conditional callout is skipped as if not matched. */
	owfp_flow *f1 = sh_flow(h);
	sh_send(f1, DIN, "skip");
	assert_int_equal(c->ncalls, 0);
	sh_expect(h, DIN, "skip");
	owfp_flow_close(f1);
	GUID ak = sh_guid(0xa1e);
	sh_ale_callout(h, ak, ale_classify, ale_delete);
	sh_filter_layer(h, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_CALLOUT_INSPECTION,
			&ak, 0);
	owfp_flow *f2 = sh_flow(h);
	sh_send(f2, DIN, "seen");
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(c->calls[0].flow_context, 0xfeed);
	owfp_flow_close(f2);
	assert_int_equal(c->deletes, 1);
}

static void test_s39_q11_drop_connection_ends_flow(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
		{FWPS_STREAM_ACTION_DROP_CONNECTION, FWP_ACTION_NONE, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(FwpsFlowAssociateContext0(owfp_flow_id(f), FWPS_LAYER_STREAM_V4, c->id, 3),
			 STATUS_SUCCESS);
	sh_send(f, DIN, "ok");
	sh_send(f, DIN, "bad");
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_CALLOUT);
	assert_true(owfp_flow_dropped(f));
	assert_int_equal(c->deletes, 1);
	assert_int_equal(owfp_flow_indicate(f, DOUT, (const uint8_t *)"z", 1, 0, 0), -EPIPE);
	assert_int_equal(c->ncalls, 2);
	sh_expect(h, DIN, "ok");
	owfp_engine_stats st;
	owfp_engine_stats_get(h->engine, &st);
	assert_int_equal(st.flows_dropped, 1);
	owfp_flow_close(f);
}

static void test_s39_drop_from_inspection_is_ignored(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_DROP_CONNECTION, FWP_ACTION_NONE, 0, 0, NULL}};
	sh_stage(h, NULL, FWP_ACTION_CALLOUT_INSPECTION, 0, NULL, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "fine");
	assert_int_equal(h->drops, 0);
	sh_expect(h, DIN, "fine");
	owfp_flow_close(f);
}

static void test_s40_q12_allow_connection_bypasses_filter_both_directions(void **state)
{
	sh *h = *state;
	GUID s = sh_sublayer(h, 0x30);
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_ALLOW_CONNECTION, FWP_ACTION_NONE, 1, 0, NULL},
	};
	sh_callout *c = sh_callout_new(h, 0, sh_fn_script);
	c->script = a;
	c->nscript = 1;
	sh_callout *other = sh_callout_new(h, 0, sh_fn_permit);
	sh_filter(h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	sh_filter(h, &s, FWP_ACTION_CALLOUT_TERMINATING, other, 0, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "whole"); /* countBytesEnforced ignored: all permitted */
	sh_send(f, DIN, "later");
	sh_send(f, DOUT, "back");
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(other->ncalls, 3);
	sh_expect(h, DIN, "wholelater");
	sh_expect(h, DOUT, "back");
	assert_int_equal(sh_count_events(h, OWFP_EV_ALLOW, NULL), 1);
	assert_int_equal(h->offloads, 0); /* another filter still inspects */
	owfp_flow_close(f);
}

static void test_s40_allow_from_every_stage_offloads(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_ALLOW_CONNECTION, FWP_ACTION_NONE, 0, 0, NULL}};
	sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "go");
	assert_int_equal(h->offloads, 1);
	sh_send(f, DOUT, "still");
	sh_expect(h, DOUT, "gostill");
	owfp_flow_close(f);
}

static void test_s78_flow_abort_from_classify_and_from_outside(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_abort);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, c->id, 5),
			 STATUS_SUCCESS);
	sh_send(f, DIN, "x");
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_ABORT);
	assert_int_equal(c->deletes, 1);
	sh_expect(h, DIN, "");
	assert_int_equal(FwpsFlowAbort0(id), STATUS_INVALID_PARAMETER);
	owfp_flow_close(f);
	/* From outside: queued, applied on the flow's thread. */
	owfp_flow *g = sh_flow(h);
	assert_int_equal(FwpsFlowAbort0(owfp_flow_id(g)), STATUS_SUCCESS);
	assert_int_equal(h->drops, 1);
	assert_int_equal(owfp_flow_run_pending(g), 0);
	assert_int_equal(h->drops, 2);
	owfp_flow_close(g);
}

static void test_s74_close_runs_flow_delete_for_every_context(void **state)
{
	sh *h = *state;
	sh_callout *a = sh_callout_new(h, 0, sh_fn_permit);
	sh_callout *b = sh_callout_new(h, 0, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, a->id, 1),
			 STATUS_SUCCESS);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4, a->id, 2),
			 STATUS_SUCCESS);
	assert_int_equal(FwpsFlowAssociateContext0(id, FWPS_LAYER_STREAM_V4, b->id, 3),
			 STATUS_SUCCESS);
	owfp_flow_close(f);
	assert_int_equal(a->deletes, 2);
	assert_int_equal(b->deletes, 1);
	assert_int_equal(b->last_deleted, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s24_s75_associated_context_is_flow_context,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s75_callout_without_flow_delete_rejected,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s77_remove_context_pending_during_classify,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s76_s79_flow_established_context_enables_conditional_callout,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s39_q11_drop_connection_ends_flow,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s39_drop_from_inspection_is_ignored,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s40_q12_allow_connection_bypasses_filter_both_directions,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s40_allow_from_every_stage_offloads,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s78_flow_abort_from_classify_and_from_outside,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s74_close_runs_flow_delete_for_every_context,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
