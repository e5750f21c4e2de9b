/*
 * What a stream callout is told about its connection, and the rules that
 * connect the stream layer to filter matching and arbitration:
 * S5–S7 (incoming values), S9–S10 (metadata, flow handle), S22 (only
 * matching filters classify), S82 (ALLOW_OFFLOAD changes nothing),
 * S83 (sublayer weight exposed), S90 (every sublayer evaluated at
 * flow-established) and S97 (a stream block cannot be undone lower down).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

/* What the raw classifyFn below records. */
static struct seen {
	int calls;
	UINT16 layer;
	UINT32 nvalues;
	FWP_VALUE0 v[FWPS_FIELD_STREAM_V4_MAX];
	UINT8 v6_local[16];
	UINT32 meta_present;
	UINT64 flow_handle;
	UINT16 sublayer_weight;
	UINT32 dirflags[8];
} seen;
static UINT64 ale_flow_handle;
static int ale_calls;

static void NTAPI record_classify(const FWPS_INCOMING_VALUES0 *in,
				  const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
				  const void *ctx, const FWPS_FILTER3 *filter, UINT64 flow_ctx,
				  FWPS_CLASSIFY_OUT0 *out)
{
	(void)ctx;
	(void)flow_ctx;
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layer_data;
	if (seen.calls < 8)
		seen.dirflags[seen.calls] = io->streamData->flags &
					    (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	seen.calls++;
	seen.layer = in->layerId;
	seen.nvalues = in->valueCount;
	for (UINT32 i = 0; i < in->valueCount && i < FWPS_FIELD_STREAM_V4_MAX; i++)
		seen.v[i] = in->incomingValue[i].value;
	if (in->layerId == FWPS_LAYER_STREAM_V6 &&
	    in->incomingValue[FWPS_FIELD_STREAM_V6_IP_LOCAL_ADDRESS].value.type ==
		    FWP_BYTE_ARRAY16_TYPE)
		memcpy(seen.v6_local,
		       in->incomingValue[FWPS_FIELD_STREAM_V6_IP_LOCAL_ADDRESS]
			       .value.byteArray16->byteArray16,
		       16);
	seen.meta_present = meta->currentMetadataValues;
	seen.flow_handle = FWPS_IS_METADATA_FIELD_PRESENT(meta, FWPS_METADATA_FIELD_FLOW_HANDLE)
				   ? meta->flowHandle
				   : 0;
	seen.sublayer_weight = filter->subLayerWeight;
	out->actionType = FWP_ACTION_PERMIT;
}

static void NTAPI ale_classify(const FWPS_INCOMING_VALUES0 *in,
			       const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			       const void *ctx, const FWPS_FILTER3 *filter, UINT64 flow_ctx,
			       FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)layer_data, (void)ctx, (void)filter, (void)flow_ctx;
	ale_calls++;
	ale_flow_handle = meta->flowHandle;
	out->actionType = FWP_ACTION_CONTINUE;
}

static NTSTATUS NTAPI notify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER3 *f)
{
	(void)t, (void)k, (void)f;
	return STATUS_SUCCESS;
}

/* A raw stream callout on `layer`, named by a filter in `sublayer`. */
static void raw_stream_callout(sh *h, uint32_t n, const GUID *layer, const GUID *sublayer,
			       UINT32 flags, const FWPM_FILTER_CONDITION0 *cond)
{
	GUID key = sh_guid(0x5500 + n);
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = key;
	mc.applicableLayer = *layer;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, NULL), STATUS_SUCCESS);
	FWPS_CALLOUT3 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = key;
	sc.flags = flags;
	sc.classifyFn = record_classify;
	sc.notifyFn = notify;
	UINT32 id;
	assert_int_equal(FwpsCalloutRegister3(&h->device, &sc, &id), STATUS_SUCCESS);
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.layerKey = *layer;
	if (sublayer)
		f.subLayerKey = *sublayer;
	f.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	f.action.calloutKey = key;
	if (cond) {
		f.numFilterConditions = 1;
		f.filterCondition = (FWPM_FILTER_CONDITION0 *)cond;
	}
	UINT64 fid;
	assert_int_equal(FwpmFilterAdd0(h->session, &f, NULL, &fid), STATUS_SUCCESS);
}

static int setup(void **state)
{
	memset(&seen, 0, sizeof(seen));
	ale_calls = 0;
	ale_flow_handle = 0;
	return sh_fixture_setup(state);
}

static void test_s5_s6_s7_incoming_values_v4(void **state)
{
	sh *h = *state;
	raw_stream_callout(h, 1, &FWPM_LAYER_STREAM_V4, NULL, 0, NULL);
	owfp_flow *f = sh_flow(h); /* 10.0.0.1:40000 -> 10.0.0.2:80, local side connected */
	sh_send(f, DOUT, "out");
	sh_send(f, DIN, "in");
	assert_int_equal(seen.calls, 2);
	assert_int_equal(seen.layer, FWPS_LAYER_STREAM_V4);
	assert_int_equal(seen.nvalues, FWPS_FIELD_STREAM_V4_MAX);
	/* S6: IPv4 addresses are host-order UINT32, ports host-order UINT16. */
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS].type, FWP_UINT32);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS].uint32, 0x0a000001);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_REMOTE_ADDRESS].uint32, 0x0a000002);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT].type, FWP_UINT16);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT].uint16, 40000);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_REMOTE_PORT].uint16, 80);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS_TYPE].type, FWP_UINT8);
	/* S7: DIRECTION is the connection's, the same for send and receive data. */
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_DIRECTION].type, FWP_UINT32);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_DIRECTION].uint32, FWP_DIRECTION_OUTBOUND);
	assert_int_equal(seen.dirflags[0], FWPS_STREAM_FLAG_SEND);
	assert_int_equal(seen.dirflags[1], FWPS_STREAM_FLAG_RECEIVE);
	sh_expect(h, DOUT, "out");
	sh_expect(h, DIN, "in");
}

static void test_s7_inbound_connection_direction(void **state)
{
	sh *h = *state;
	raw_stream_callout(h, 2, &FWPM_LAYER_STREAM_V4, NULL, 0, NULL);
	owfp_flow_key k = sh_key();
	k.outbound = false; /* the remote side connected */
	owfp_flow *f = sh_flow_key(h, &k);
	sh_send(f, DOUT, "x");
	sh_send(f, DIN, "y");
	assert_int_equal(seen.calls, 2);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V4_DIRECTION].uint32, FWP_DIRECTION_INBOUND);
}

static void test_s5_s6_incoming_values_v6(void **state)
{
	sh *h = *state;
	raw_stream_callout(h, 3, &FWPM_LAYER_STREAM_V6, NULL, 0, NULL);
	owfp_flow_key k = sh_key();
	static const uint8_t local6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					   0,    0,    0,    0,    0, 0, 0, 1};
	static const uint8_t remote6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					    0,    0,    0,    0,    0, 0, 0, 2};
	k.family = AF_INET6;
	memcpy(k.local_addr, local6, 16);
	memcpy(k.remote_addr, remote6, 16);
	owfp_flow *f = sh_flow_key(h, &k);
	sh_send(f, DOUT, "v6");
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.layer, FWPS_LAYER_STREAM_V6);
	assert_int_equal(seen.v[FWPS_FIELD_STREAM_V6_IP_LOCAL_ADDRESS].type, FWP_BYTE_ARRAY16_TYPE);
	/* S6: IPv6 addresses are 16 bytes in wire order. */
	assert_memory_equal(seen.v6_local, local6, 16);
}

static void test_s9_s10_metadata_and_flow_handle(void **state)
{
	sh *h = *state;
	raw_stream_callout(h, 4, &FWPM_LAYER_STREAM_V4, NULL, 0, NULL);
	GUID ale = sh_guid(0x5600);
	sh_ale_callout(h, ale, ale_classify, NULL);
	sh_filter_layer(h, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_CALLOUT_INSPECTION,
			&ale, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "m");
	assert_int_equal(ale_calls, 1);
	/* S9: FLOW_HANDLE | SYSTEM_FLAGS, nothing about a process. */
	assert_int_equal(seen.meta_present,
			 FWPS_METADATA_FIELD_FLOW_HANDLE | FWPS_METADATA_FIELD_SYSTEM_FLAGS);
	/* S10: the handle is the flow id, the same one flow-established saw. */
	assert_true(seen.flow_handle != 0);
	assert_true(seen.flow_handle == owfp_flow_id(f));
	assert_true(seen.flow_handle == ale_flow_handle);
}

static void test_s22_only_matching_filters_classify(void **state)
{
	sh *h = *state;
	FWPM_FILTER_CONDITION0 c;
	memset(&c, 0, sizeof(c));
	c.fieldKey = FWPM_CONDITION_IP_REMOTE_PORT;
	c.matchType = FWP_MATCH_EQUAL;
	c.conditionValue.type = FWP_UINT16;
	c.conditionValue.uint16 = 443;
	raw_stream_callout(h, 5, &FWPM_LAYER_STREAM_V4, NULL, 0, &c);
	owfp_flow *f80 = sh_flow(h); /* remote port 80: no match */
	sh_send(f80, DOUT, "plain");
	assert_int_equal(seen.calls, 0);
	sh_expect(h, DOUT, "plain");
	owfp_flow_key k = sh_key();
	k.remote_port = 443;
	k.local_port = 40001;
	owfp_flow *f443 = sh_flow_key(h, &k);
	sh_send(f443, DOUT, "tls");
	assert_int_equal(seen.calls, 1);
}

static void test_s82_allow_offload_flag_changes_nothing(void **state)
{
	sh *h = *state;
	raw_stream_callout(h, 6, &FWPM_LAYER_STREAM_V4, NULL, FWP_CALLOUT_FLAG_ALLOW_OFFLOAD, NULL);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "same");
	sh_send(f, DIN, "bytes");
	assert_int_equal(seen.calls, 2);
	sh_expect(h, DOUT, "same");
	sh_expect(h, DIN, "bytes");
	assert_int_equal(h->offloads, 0);
}

static void test_s83_filter_exposes_sublayer_weight(void **state)
{
	sh *h = *state;
	GUID sl = sh_sublayer(h, 0x1234);
	raw_stream_callout(h, 7, &FWPM_LAYER_STREAM_V4, &sl, 0, NULL);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "w");
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.sublayer_weight, 0x1234);
}

/* S90: outside the stream layer every sublayer is evaluated even after a
 * hard block: an inspection callout in a lower sublayer still runs at
 * flow-established, though the flow ends up blocked. */
static void test_s90_every_sublayer_evaluated_at_flow_established(void **state)
{
	sh *h = *state;
	GUID upper = sh_sublayer(h, 0x200), lower = sh_sublayer(h, 0x100);
	FWPM_FILTER0 blk;
	memset(&blk, 0, sizeof(blk));
	blk.layerKey = FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4;
	blk.subLayerKey = upper;
	blk.action.type = FWP_ACTION_BLOCK;
	UINT64 id;
	assert_int_equal(FwpmFilterAdd0(h->session, &blk, NULL, &id), STATUS_SUCCESS);
	GUID ale = sh_guid(0x5601);
	sh_ale_callout(h, ale, ale_classify, NULL);
	sh_filter_layer(h, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, &lower,
			FWP_ACTION_CALLOUT_INSPECTION, &ale, 0);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(ale_calls, 1);
	assert_true(owfp_flow_dropped(f));
	assert_int_equal(h->side[DOUT].len, 0);
}

/* S97: at the stream layer a block in an upper sublayer removes the bytes;
 * a lower sublayer that would permit them never sees them. */
static void test_s97_stream_block_in_upper_sublayer_is_final(void **state)
{
	sh *h = *state;
	GUID upper = sh_sublayer(h, 0x300), lower = sh_sublayer(h, 0x100);
	static const sh_answer block_all[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL}};
	sh_callout *blocker = sh_stage(h, &upper, FWP_ACTION_CALLOUT_TERMINATING, 0, NULL,
				       block_all, 1);
	sh_callout *permitter = sh_stage(h, &lower, FWP_ACTION_CALLOUT_TERMINATING, 0, sh_fn_permit,
					 NULL, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "secret");
	assert_int_equal(blocker->ncalls, 1);
	assert_int_equal(permitter->ncalls, 0);
	assert_int_equal(h->side[DOUT].len, 0);
	assert_false(owfp_flow_dropped(f)); /* the connection stays open (S36) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s5_s6_s7_incoming_values_v4, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s7_inbound_connection_direction, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s5_s6_incoming_values_v6, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s9_s10_metadata_and_flow_handle, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s22_only_matching_filters_classify, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s82_allow_offload_flag_changes_nothing, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s83_filter_exposes_sublayer_weight, setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s90_every_sublayer_evaluated_at_flow_established,
						setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s97_stream_block_in_upper_sublayer_is_final,
						setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
