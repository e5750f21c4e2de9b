/*
 * The pipeline against the filter engine: static filters, unregistered
 * callouts, filters deleted or added mid-flow, mid-stream flows, the
 * ALE_FLOW_ESTABLISHED verdict (S70, S80, S81, S103, Q16, Q22, Q23).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static GUID mgmt_only_callout(sh *h, uint32_t n)
{
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = sh_guid(0x7000 + n);
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, NULL), STATUS_SUCCESS);
	return mc.calloutKey;
}

static UINT64 filter_key(sh *h, const GUID *sub, FWP_ACTION_TYPE t, const GUID *key, UINT32 flags)
{
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.filterKey = sh_guid(0x8000 + (uint32_t)rand());
	f.layerKey = FWPM_LAYER_STREAM_V4;
	if (sub)
		f.subLayerKey = *sub;
	f.flags = flags;
	f.action.type = t;
	f.action.calloutKey = *key;
	UINT64 id = 0;
	assert_int_equal(FwpmFilterAdd0(h->session, &f, NULL, &id), STATUS_SUCCESS);
	return id;
}

static void test_static_permit_and_block_filters(void **state)
{
	sh *h = *state;
	GUID hi = sh_sublayer(h, 0x40), lo = sh_sublayer(h, 0x20);
	sh_callout *below = sh_callout_new(h, 0, sh_fn_permit);
	sh_filter(h, &hi, FWP_ACTION_PERMIT, NULL, 0, 0);
	sh_filter(h, &lo, FWP_ACTION_CALLOUT_TERMINATING, below, 0, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "through");
	sh_expect(h, DIN, "through");
	assert_int_equal(below->ncalls, 1);
	owfp_flow_close(f);
	sh_filter(h, &hi, FWP_ACTION_BLOCK, NULL, (UINT64)1 << 62, 0);
	free(h->side[DIN].buf);
	memset(&h->side[DIN], 0, sizeof(h->side[DIN]));
	owfp_flow *g = sh_flow(h);
	sh_send(g, DIN, "stopped");
	assert_int_equal(owfp_flow_indicate_fin(g, DIN), 0);
	sh_expect(h, DIN, "");
	assert_int_equal(h->side[DIN].fins, 1); /* a static block does not hold the FIN */
	assert_int_equal(below->ncalls, 2);     /* only the FIN reached it */
	assert_int_equal(below->calls[1].len, 0);
	assert_true(below->calls[1].stream_flags & FWPS_STREAM_FLAG_RECEIVE_DISCONNECT);
	owfp_flow_close(g);
}

static void test_s70_unregistered_callout_blocks_or_permits_or_is_skipped(void **state)
{
	sh *h = *state;
	GUID a = sh_sublayer(h, 0x40), b = sh_sublayer(h, 0x30);
	GUID k1 = mgmt_only_callout(h, 1);
	GUID k2 = mgmt_only_callout(h, 2);
	filter_key(h, &a, FWP_ACTION_CALLOUT_INSPECTION, &k1, 0);
	filter_key(h, &b, FWP_ACTION_CALLOUT_TERMINATING, &k2,
		   FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "kept");
	sh_expect(h, DIN, "kept");
	owfp_flow_close(f);
	GUID c = sh_sublayer(h, 0x20);
	GUID k3 = mgmt_only_callout(h, 3);
	filter_key(h, &c, FWP_ACTION_CALLOUT_UNKNOWN, &k3, 0);
	owfp_flow *g = sh_flow(h);
	sh_send(g, DIN, "lost");
	sh_expect(h, DIN, "kept");
	assert_int_equal(h->drops, 0);
	owfp_flow_close(g);
}

static void test_q22_unregistered_mid_flow_acts_as_unregistered(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "one");
	assert_int_equal(FwpsCalloutUnregisterById0(c->id), STATUS_SUCCESS);
	sh_send(f, DIN, "two");
	sh_expect(h, DIN, "one");
	assert_int_equal(c->ncalls, 1);
	owfp_flow_close(f);
}

static void hold_all(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		     FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		     FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
	io->countBytesRequired = 1000;
	out->actionType = FWP_ACTION_NONE;
}

static void test_s80_filter_deleted_releases_held_data_as_permit(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_callout_new(h, 0, hold_all);
	UINT64 fid = sh_filter(h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "held");
	sh_expect(h, DOUT, "");
	assert_int_equal(FwpmFilterDeleteById0(h->session, fid), STATUS_SUCCESS);
	/* Takes effect at the next indication boundary. */
	sh_send(f, DOUT, "next");
	sh_expect(h, DOUT, "heldnext");
	assert_int_equal(c->ncalls, 1);
	/* No more injection from that callout into the flow. */
	assert_int_equal(sh_inject(h, c, owfp_flow_id(f), FWPS_STREAM_FLAG_SEND, "x", 1),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DOUT, "heldnext");
	owfp_flow_close(f);
}

/* A plain callout (.down) in the default sublayer and one that allows
 * mid-stream inspection (.up) in a sublayer weighted 0x10. */
static sh_stack plain_and_mid_stream(sh *h)
{
	sh_stack st;
	st.down = sh_callout_new(h, 0, sh_fn_permit);
	st.up = sh_callout_new(h, FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION, sh_fn_permit);
	GUID s = sh_sublayer(h, 0x10);
	sh_filter(h, NULL, FWP_ACTION_CALLOUT_TERMINATING, st.down, 0, 0);
	sh_filter(h, &s, FWP_ACTION_CALLOUT_TERMINATING, st.up, 0, 0);
	return st;
}

static void test_s81_filter_added_mid_flow_needs_mid_stream_flag(void **state)
{
	sh *h = *state;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "before");
	sh_stack st = plain_and_mid_stream(h);
	sh_callout *plain = st.down, *mid = st.up;
	sh_send(f, DIN, "after");
	sh_send(f, DIN, "again");
	assert_int_equal(plain->ncalls, 0);
	assert_int_equal(mid->ncalls, 2);
	/* Q16: missedBytes 0, the flag on the first indication only. */
	assert_int_equal(mid->calls[0].missed, 0);
	assert_true(mid->calls[0].meta_flags & FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION);
	assert_false(mid->calls[1].meta_flags & FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION);
	sh_expect(h, DIN, "beforeafteragain");
	owfp_flow_close(f);
	/* A new flow sees both, without the flag. */
	owfp_flow *g = sh_flow(h);
	sh_send(g, DIN, "n");
	assert_int_equal(plain->ncalls, 1);
	assert_false(mid->calls[2].meta_flags & FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION);
	owfp_flow_close(g);
}

static void test_s81_q16_midstream_flow_only_mid_stream_callouts(void **state)
{
	sh *h = *state;
	sh_stack st = plain_and_mid_stream(h);
	sh_callout *plain = st.down, *mid = st.up;
	owfp_flow_key k = sh_key();
	k.midstream = true;
	owfp_flow *f = sh_flow_key(h, &k);
	sh_send(f, DOUT, "x");
	sh_send(f, DOUT, "y");
	assert_int_equal(plain->ncalls, 0);
	assert_int_equal(mid->ncalls, 2);
	assert_true(mid->calls[0].meta_flags & FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION);
	assert_false(mid->calls[1].meta_flags & FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION);
	owfp_flow_close(f);
}

static void NTAPI ale_block(const FWPS_INCOMING_VALUES0 *in,
			    const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *cc,
			    const FWPS_FILTER3 *filter, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)meta, (void)ld, (void)cc, (void)filter, (void)ctx;
	out->actionType = FWP_ACTION_BLOCK;
	out->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

static void test_ale_flow_established_block_drops_flow_before_data(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	GUID ak = sh_guid(0xb10c);
	sh_ale_callout(h, ak, ale_block, NULL);
	sh_filter_layer(h, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL,
			FWP_ACTION_CALLOUT_TERMINATING, &ak, 0);
	owfp_flow *f = sh_flow(h);
	assert_true(owfp_flow_dropped(f));
	assert_int_equal(h->drops, 1);
	assert_int_not_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"x", 1, 0, 0), 0);
	assert_int_equal(c->ncalls, 0);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_static_permit_and_block_filters,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s70_unregistered_callout_blocks_or_permits_or_is_skipped,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_q22_unregistered_mid_flow_acts_as_unregistered,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s80_filter_deleted_releases_held_data_as_permit,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s81_filter_added_mid_flow_needs_mid_stream_flag,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s81_q16_midstream_flow_only_mid_stream_callouts,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ale_flow_established_block_drops_flow_before_data,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
