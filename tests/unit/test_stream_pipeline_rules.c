/* The remaining stream rules one by one (S15, S16, S21, S23, S25, S26, S31, S42, S51, S103–S107). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s15_s16_modifier_flags_per_direction(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(owfp_flow_indicate(f, DOUT, (const uint8_t *)"!", 1, OWFP_SEG_URGENT, 0), 0);
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"?", 1, OWFP_SEG_URGENT, 0), 0);
	assert_int_equal(owfp_flow_indicate_abort(f, DIN), 0);
	assert_int_equal(c->calls[0].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_EXPEDITED);
	assert_int_equal(c->calls[1].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_DISCONNECT);
	assert_int_equal(c->calls[2].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_EXPEDITED);
	assert_int_equal(c->calls[3].stream_flags,
			 FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_ABORT);
	assert_int_equal(h->side[DIN].aborts, 1);
	owfp_flow_close(f);
	owfp_flow *g = sh_flow(h);
	assert_int_equal(owfp_flow_indicate_abort(g, DOUT), 0);
	assert_int_equal(c->calls[4].stream_flags,
			 FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_ABORT);
	owfp_flow_close(g);
}

static int v0_calls;
static void NTAPI classify_v0(const FWPS_INCOMING_VALUES0 *in,
			      const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld,
			      const FWPS_FILTER0 *filter, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)filter, (void)ctx;
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = ld;
	assert_int_equal(in->layerId, FWPS_LAYER_STREAM_V4);
	assert_int_equal(in->valueCount, FWPS_FIELD_STREAM_V4_MAX);
	assert_int_equal(meta->currentMetadataValues,
			 FWPS_METADATA_FIELD_FLOW_HANDLE | FWPS_METADATA_FIELD_SYSTEM_FLAGS);
	assert_int_equal(io->streamData->dataLength, 2);
	v0_calls++;
	out->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI notify_v0(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER0 *f)
{
	(void)t, (void)k, (void)f;
	return STATUS_SUCCESS;
}

static void test_s21_classify_fn0_gets_the_same_stream_arguments(void **state)
{
	sh *h = *state;
	GUID key = sh_guid(0x210);
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = key;
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, NULL), STATUS_SUCCESS);
	FWPS_CALLOUT0 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = key;
	sc.classifyFn = classify_v0;
	sc.notifyFn = notify_v0;
	assert_int_equal(FwpsCalloutRegister0(&h->device, &sc, NULL), STATUS_SUCCESS);
	sh_filter_layer(h, &FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING, &key, 0);
	owfp_flow *f = sh_flow(h);
	v0_calls = 0;
	sh_send(f, DIN, "v0");
	assert_int_equal(v0_calls, 1);
	sh_expect(h, DIN, "v0");
	owfp_flow_close(f);
}

static FWPS_FILTER3 seen_filter;
static UINT64 seen_out_filter_id;
static void filter_peek(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
			FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)ctx;
	seen_filter = *filter;
	seen_out_filter_id = out->filterId;
	out->actionType = FWP_ACTION_PERMIT;
}

static void test_s23_s25_filter_fields_and_engine_owned_output(void **state)
{
	sh *h = *state;
	GUID s = sh_sublayer(h, 0x1234);
	sh_callout *c = sh_callout_new(h, 0, filter_peek);
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.filterKey = sh_guid(0x230);
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.subLayerKey = s;
	f.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	f.action.calloutKey = c->key;
	f.rawContext = 0xc0ffee;
	UINT64 id = 0;
	assert_int_equal(FwpmFilterAdd0(h->session, &f, NULL, &id), STATUS_SUCCESS);
	owfp_flow *fl = sh_flow(h);
	sh_send(fl, DIN, "x");
	assert_int_equal(seen_filter.filterId, id);
	assert_int_equal(seen_filter.context, 0xc0ffee);
	assert_int_equal(seen_filter.action.calloutId, c->id);
	assert_int_equal(seen_filter.subLayerWeight, 0x1234);
	assert_int_equal(seen_out_filter_id, id);
	owfp_flow_close(fl);
}

static void test_s26_input_flags_only_limit_and_no_more_data(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "a");
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	for (size_t i = 0; i < c->ncalls; i++)
		assert_int_equal(c->calls[i].out_flags &
					 ~(UINT32)(FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
						   FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED),
				 0);
	assert_int_equal(c->calls[0].out_flags, 0);
	assert_int_equal(c->calls[1].out_flags, FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA);
	owfp_flow_close(f);
}

/* S31: a worker injecting into the flow never overlaps a classify of it. */
static atomic_int inside;
static atomic_int overlaps;
static void serial_check(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
			 FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)filter, (void)ctx;
	if (atomic_fetch_add(&inside, 1))
		atomic_fetch_add(&overlaps, 1);
	out->actionType = FWP_ACTION_PERMIT;
	atomic_fetch_sub(&inside, 1);
}

struct injector {
	sh *h;
	sh_callout *up;
	UINT64 flow;
	int ok;
};

static void *inject_loop(void *p)
{
	struct injector *w = p;
	for (int i = 0; i < 200; i++)
		if (sh_inject(w->h, w->up, w->flow, FWPS_STREAM_FLAG_RECEIVE, "i", 1) ==
		    STATUS_SUCCESS)
			w->ok++;
	return NULL;
}

static void test_s31_classifies_of_a_flow_never_overlap(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL}};
	sh_stack st = sh_two_sublayers(h, NULL, a, 1, serial_check, NULL, 0);
	sh_callout *up = st.up;
	owfp_flow *f = sh_flow(h);
	struct injector w = {h, up, owfp_flow_id(f), 0};
	pthread_t t;
	pthread_create(&t, NULL, inject_loop, &w);
	for (int i = 0; i < 200; i++) {
		sh_send(f, DIN, "d");
		owfp_flow_run_pending(f);
	}
	pthread_join(t, NULL);
	owfp_flow_run_pending(f);
	assert_int_equal(atomic_load(&overlaps), 0);
	assert_int_equal(w.ok, 200);
	assert_int_equal(h->side[DIN].len, 400);
	assert_int_equal(up->injected_completions, 200);
	owfp_flow_close(f);
}

static void test_s42_need_more_data_with_continue_action_is_still_held(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_CONTINUE, 0, 2, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "x");
	sh_expect(h, DIN, "");
	sh_send(f, DIN, "yz");
	sh_expect(h, DIN, "xyz");
	owfp_flow_close(f);
}

static void test_s51_defer_is_only_for_inbound_data(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_DEFER, FWP_ACTION_NONE, 0, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_scripted(h, a, 2);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "in");
	assert_int_equal(sh_count_events(h, OWFP_EV_DEFER, NULL), 1);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, NULL), 0);
	owfp_flow_close(f);
}

static int order[8], norder;
static void log_order(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)io, (void)filter, (void)ctx;
	if (c->ncalls == 1)
		order[norder++] = (int)(intptr_t)c->user;
	out->actionType = FWP_ACTION_CONTINUE;
}

static void test_s103_stages_ordered_by_sublayer_then_filter_weight(void **state)
{
	sh *h = *state;
	GUID lo = sh_sublayer(h, 0x10), hi = sh_sublayer(h, 0x50);
	sh_callout *c[4];
	for (int i = 0; i < 4; i++) {
		c[i] = sh_callout_new(h, 0, log_order);
		c[i]->user = (void *)(intptr_t)i;
	}
	/* Added out of order: c[3] lo/5, c[1] hi/5, c[2] lo/9, c[0] hi/9. */
	sh_filter(h, &lo, FWP_ACTION_CALLOUT_INSPECTION, c[3], 5, 0);
	sh_filter(h, &hi, FWP_ACTION_CALLOUT_INSPECTION, c[1], 5, 0);
	sh_filter(h, &lo, FWP_ACTION_CALLOUT_INSPECTION, c[2], 9, 0);
	sh_filter(h, &hi, FWP_ACTION_CALLOUT_INSPECTION, c[0], 9, 0);
	norder = 0;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abcd");
	assert_int_equal(norder, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(order[i], i);
	sh_expect(h, DIN, "abcd");
	owfp_flow_close(f);
}

static void test_s104_s105_held_stage_stalls_only_downstream(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 3, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_stack st = sh_two_sublayers(h, sh_fn_permit, NULL, 0, NULL, a, 2);
	sh_callout *up = st.up, *down = st.down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "12");
	sh_send(f, DIN, "3");
	/* The upper stage keeps seeing new data; the held one waits. */
	assert_int_equal(up->ncalls, 2);
	assert_int_equal(down->ncalls, 1);
	sh_send(f, DIN, "45");
	assert_int_equal(down->ncalls, 2);
	assert_string_equal((char *)down->calls[1].data, "12345");
	sh_expect(h, DIN, "12345");
	owfp_flow_close(f);
}

static void test_s106_injected_bytes_go_to_next_sublayer_in_order(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 1, 0, "["},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, "]"},
	};
	sh_callout *up = sh_two_sublayers(h, NULL, a, 2, sh_fn_permit, NULL, 0).up;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "ab");
	sh_expect(h, DIN, "[a]b");
	assert_int_equal(up->ncalls, 2); /* never shown its own injections */
	owfp_flow_close(f);
}

static void test_s107_fin_delivered_after_every_byte_left_every_stage(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NEED_MORE_DATA, FWP_ACTION_NONE, 0, 50, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *down = sh_two_sublayers(h, sh_fn_permit, NULL, 0, NULL, a, 2).down;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "last words");
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	assert_int_equal(h->side[DOUT].fins, 1);
	assert_int_equal(h->side[DOUT].fin_at, 10);
	/* The lower stage saw its held bytes, then the FIN. */
	assert_int_equal(down->ncalls, 3);
	assert_true(down->calls[2].stream_flags & FWPS_STREAM_FLAG_SEND_DISCONNECT);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s15_s16_modifier_flags_per_direction,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s21_classify_fn0_gets_the_same_stream_arguments,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s23_s25_filter_fields_and_engine_owned_output,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s26_input_flags_only_limit_and_no_more_data,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s31_classifies_of_a_flow_never_overlap,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s42_need_more_data_with_continue_action_is_still_held,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s51_defer_is_only_for_inbound_data,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s103_stages_ordered_by_sublayer_then_filter_weight,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s104_s105_held_stage_stalls_only_downstream,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s106_injected_bytes_go_to_next_sublayer_in_order,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s107_fin_delivered_after_every_byte_left_every_stage, sh_fixture_setup,
			sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
