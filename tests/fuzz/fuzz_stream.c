/*
 * Fuzzes the stream state machine with a script: the input chooses the
 * filter set (1–3 callout filters in two sublayers, each TERMINATING,
 * INSPECTION or UNKNOWN), the segments, FINs, RSTs and continues the data
 * path feeds in, and every answer the callouts give — including every
 * invalid one (enforced > available, NEED_MORE_DATA with 0, DEFER on
 * outbound, streamAction past the enum, garbage actionType) and inline
 * injections.
 *
 * Invariants checked, besides "no crash, no sanitizer report, no leak":
 *  - source bytes have the high bit clear, injected bytes have it set; in
 *    each direction the delivered source bytes are a subsequence of the
 *    bytes sent, in order (nothing invented, reordered or duplicated
 *    beyond what a subsequence allows), so never more than were sent;
 *  - nothing is delivered after the flow was dropped, nor in a direction
 *    after its FIN was delivered;
 *  - every indication a callout sees has exactly one direction flag and
 *    FwpsCopyStreamDataToBuffer0 returns exactly dataLength bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "openwfp/ntddk.h"
#include "openwfp/fwpsk.h"
#include "openwfp/fwpmk.h"
#include "openwfp/openwfp.h"

#define MAX_FILTERS 3
#define MAX_OPS 256
#define MAX_SRC (64 * 1024)

struct script {
	const uint8_t *p;
	size_t n, i;
};

static uint8_t take(struct script *s)
{
	return s->i < s->n ? s->p[s->i++] : 0;
}

struct dirstate {
	uint8_t src[MAX_SRC];
	size_t sent;    /* source bytes indicated */
	size_t matched; /* greedy subsequence cursor into src */
	int fin_delivered;
};

struct harness {
	struct script s;
	owfp_flow *flow;
	UINT32 callout_ids[MAX_FILTERS];
	HANDLE inject_handle;
	struct dirstate dir[2];
	int dropped;
	int in_classify;
	/* DEFERs to continue later from outside classify */
	struct {
		UINT32 callout;
		UINT16 layer;
		UINT32 flags;
	} deferred[16];
	int ndeferred;
	int aborted_dir[2];
};

static struct harness *H; /* classifyFn has no user pointer: WFP style */

static void fail(const char *why)
{
	fprintf(stderr, "fuzz_stream invariant: %s\n", why);
	abort();
}

static void NTAPI inject_done(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN dispatch)
{
	(void)dispatch;
	MDL *mdl = NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(nbl));
	FwpsFreeNetBufferList0(nbl);
	IoFreeMdl(mdl);
	free(ctx);
}

/* Injects k bytes of injected-class data (high bit set) inline. */
static void inject_some(const FWPS_INCOMING_METADATA_VALUES0 *meta, UINT32 callout_id, UINT16 layer,
			UINT32 flags, size_t k)
{
	uint8_t *buf = malloc(k ? k : 1);
	if (!buf)
		return;
	for (size_t i = 0; i < k; i++)
		buf[i] = (uint8_t)(0x80 | (i & 0x7f));
	MDL *mdl = IoAllocateMdl(buf, (ULONG)k, FALSE, FALSE, NULL);
	NET_BUFFER_LIST *nbl = NULL;
	if (!mdl ||
	    FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, mdl, 0, k, &nbl) != STATUS_SUCCESS) {
		if (mdl)
			IoFreeMdl(mdl);
		free(buf);
		return;
	}
	UINT32 dirflag = flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	NTSTATUS st = FwpsStreamInjectAsync0(H->inject_handle, NULL, 0, meta->flowHandle,
					     callout_id, layer, dirflag, nbl, k, inject_done, buf);
	if (!NT_SUCCESS(st)) {
		/* On failure the caller still owns the NBL (S61). */
		FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(mdl);
		free(buf);
	}
}

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in,
			   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			   const void *ctx, const FWPS_FILTER3 *filter, UINT64 flow_ctx,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)ctx;
	(void)flow_ctx;
	if (!layer_data)
		return; /* not the stream layer */
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layer_data;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	UINT32 dirs = sd->flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	if (dirs != FWPS_STREAM_FLAG_RECEIVE && dirs != FWPS_STREAM_FLAG_SEND)
		fail("indication without exactly one direction flag (S14)");
	if (sd->dataLength) {
		uint8_t *copy = malloc(sd->dataLength);
		SIZE_T got = 0;
		if (copy) {
			FwpsCopyStreamDataToBuffer0(sd, copy, sd->dataLength, &got);
			if (got != sd->dataLength)
				fail("FwpsCopyStreamDataToBuffer0 copied less than dataLength");
			free(copy);
		}
	}

	struct script *s = &H->s;
	uint8_t a = take(s);
	static const FWPS_STREAM_ACTION_TYPE actions[] = {
		FWPS_STREAM_ACTION_NONE,
		FWPS_STREAM_ACTION_NONE,
		FWPS_STREAM_ACTION_NONE,
		FWPS_STREAM_ACTION_NEED_MORE_DATA,
		FWPS_STREAM_ACTION_DROP_CONNECTION,
		FWPS_STREAM_ACTION_DEFER,
		FWPS_STREAM_ACTION_ALLOW_CONNECTION,
		FWPS_STREAM_ACTION_TYPE_MAX,
		(FWPS_STREAM_ACTION_TYPE)77,
	};
	io->streamAction = actions[a % (sizeof(actions) / sizeof(actions[0]))];
	io->countBytesEnforced = take(s) % (sd->dataLength + 3);
	io->countBytesRequired = take(s) % 5;
	static const FWP_ACTION_TYPE verdicts[] = {
		FWP_ACTION_PERMIT, FWP_ACTION_BLOCK, FWP_ACTION_CONTINUE, FWP_ACTION_NONE, 0x1234,
	};
	out->actionType = verdicts[take(s) % 5];
	uint8_t inj = take(s);
	if (inj % 8 == 0 &&
	    !(sd->flags & (FWPS_STREAM_FLAG_RECEIVE_ABORT | FWPS_STREAM_FLAG_SEND_ABORT)))
		inject_some(meta, filter->action.calloutId, in->layerId, sd->flags, inj % 24);
	if (io->streamAction == FWPS_STREAM_ACTION_DEFER && H->ndeferred < 16) {
		H->deferred[H->ndeferred].callout = filter->action.calloutId;
		H->deferred[H->ndeferred].layer = in->layerId;
		H->deferred[H->ndeferred].flags = sd->flags;
		H->ndeferred++;
	}
}

static NTSTATUS NTAPI notify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *key, FWPS_FILTER3 *f)
{
	(void)t;
	(void)key;
	(void)f;
	return STATUS_SUCCESS;
}

static void deliver(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len)
{
	(void)dp;
	(void)flow;
	if (dir < 0 || dir > 1)
		fail("deliver with a bad direction");
	struct dirstate *d = &H->dir[dir];
	if (H->dropped)
		fail("bytes delivered after the flow was dropped (S39)");
	if (d->fin_delivered)
		fail("bytes delivered after that direction's FIN");
	for (size_t i = 0; i < len; i++) {
		if (data[i] & 0x80)
			continue; /* injected */
		while (d->matched < d->sent && d->src[d->matched] != data[i])
			d->matched++;
		if (d->matched >= d->sent)
			fail("delivered source bytes are not a subsequence of the sent bytes");
		d->matched++;
	}
}

static void deliver_fin(void *dp, owfp_flow *flow, int dir)
{
	(void)dp;
	(void)flow;
	if (H->dropped)
		fail("FIN delivered after drop");
	if (H->dir[dir].fin_delivered)
		fail("FIN delivered twice");
	H->dir[dir].fin_delivered = 1;
}

static void deliver_abort(void *dp, owfp_flow *flow, int dir)
{
	(void)dp;
	(void)flow;
	(void)dir;
}

static void on_drop(void *dp, owfp_flow *flow, enum owfp_drop_reason why)
{
	(void)dp;
	(void)flow;
	(void)why;
	H->dropped = 1;
}

static void on_pause(void *dp, owfp_flow *flow, int dir, bool paused)
{
	(void)dp;
	(void)flow;
	(void)dir;
	(void)paused;
}

static void on_offload(void *dp, owfp_flow *flow)
{
	(void)dp;
	(void)flow;
}

static void on_wake(void *dp, owfp_flow *flow)
{
	(void)dp;
	(void)flow;
}

static const owfp_flow_ops ops = {
	.deliver = deliver,
	.deliver_fin = deliver_fin,
	.deliver_abort = deliver_abort,
	.drop = on_drop,
	.pause = on_pause,
	.offload = on_offload,
	.wake = on_wake,
};

static GUID make_guid(uint32_t n)
{
	GUID g = {0x6f776670u, 0x7a7a, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, (uint8_t)n}};
	return g;
}

static int setup_filters(struct harness *h, HANDLE engine)
{
	static const UINT16 sublayer_weight[2] = {0x40, 0x20};
	for (int i = 0; i < 2; i++) {
		FWPM_SUBLAYER0 sl;
		memset(&sl, 0, sizeof(sl));
		sl.subLayerKey = make_guid(0x10 + i);
		sl.displayData.name = (wchar_t *)L"fuzz sublayer";
		sl.weight = sublayer_weight[i];
		if (FwpmSubLayerAdd0(engine, &sl, NULL) != STATUS_SUCCESS)
			return -1;
	}
	int nfilters = 1 + take(&h->s) % MAX_FILTERS;
	static const FWP_ACTION_TYPE types[] = {
		FWP_ACTION_CALLOUT_TERMINATING,
		FWP_ACTION_CALLOUT_INSPECTION,
		FWP_ACTION_CALLOUT_UNKNOWN,
	};
	for (int i = 0; i < nfilters; i++) {
		uint8_t shape = take(&h->s);
		FWPS_CALLOUT3 c;
		memset(&c, 0, sizeof(c));
		c.calloutKey = make_guid(0x20 + i);
		c.classifyFn = classify;
		c.notifyFn = notify;
		if (FwpsCalloutRegister3((void *)h, &c, &h->callout_ids[i]) != STATUS_SUCCESS)
			return -1;
		FWPM_CALLOUT0 mc;
		memset(&mc, 0, sizeof(mc));
		mc.calloutKey = c.calloutKey;
		mc.displayData.name = (wchar_t *)L"fuzz callout";
		mc.applicableLayer = FWPM_LAYER_STREAM_V4;
		if (FwpmCalloutAdd0(engine, &mc, NULL, NULL) != STATUS_SUCCESS)
			return -1;
		FWPM_FILTER0 f;
		memset(&f, 0, sizeof(f));
		f.displayData.name = (wchar_t *)L"fuzz filter";
		f.layerKey = FWPM_LAYER_STREAM_V4;
		f.subLayerKey = make_guid(0x10 + (shape & 1));
		f.weight.type = FWP_UINT8;
		f.weight.uint8 = (UINT8)((shape >> 1) & 0x0f);
		f.action.type = types[(shape >> 5) % 3];
		f.action.calloutKey = c.calloutKey;
		UINT64 id;
		if (FwpmFilterAdd0(engine, &f, NULL, &id) != STATUS_SUCCESS)
			return -1;
	}
	return 0;
}

static void indicate(struct harness *h, int dir)
{
	struct dirstate *d = &h->dir[dir];
	size_t len = take(&h->s) % 96;
	if (d->sent + len > MAX_SRC)
		len = MAX_SRC - d->sent;
	uint8_t *p = d->src + d->sent;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((d->sent + i) % 127);
	d->sent += len;
	uint32_t flags = (take(&h->s) & 1) ? OWFP_SEG_PUSH : 0;
	owfp_flow_indicate(h->flow, dir, p, len, flags, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct harness h;
	memset(&h, 0, sizeof(h));
	h.s.p = data;
	h.s.n = size;
	H = &h;

	owfp_engine_opts opts;
	memset(&opts, 0, sizeof(opts));
	opts.buffer_limit = 4096; /* reach BUFFER_LIMIT_REACHED with small inputs */
	opts.defer_keep_limit = 4096;
	owfp_engine *engine = NULL;
	if (owfp_engine_create(&opts, &engine) != 0)
		abort();
	HANDLE mgmt = NULL;
	if (FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &mgmt) != STATUS_SUCCESS)
		abort();
	if (FwpsInjectionHandleCreate0(AF_INET, FWPS_INJECTION_TYPE_STREAM, &h.inject_handle) !=
	    STATUS_SUCCESS)
		abort();
	if (setup_filters(&h, mgmt) != 0)
		abort();

	owfp_flow_key key;
	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	memcpy(key.local_addr, "\x0a\x00\x00\x01", 4);
	memcpy(key.remote_addr, "\x0a\x00\x00\x02", 4);
	key.local_port = 40000;
	key.remote_port = 80;
	key.outbound = take(&h.s) & 1;
	if (owfp_flow_create(engine, &key, &ops, &h, &h.flow) == 0) {
		for (int op = 0; op < MAX_OPS && h.s.i < h.s.n; op++) {
			uint8_t c = take(&h.s) % 16;
			if (c < 10)
				indicate(&h, c & 1);
			else if (c < 12)
				owfp_flow_indicate_fin(h.flow, c & 1);
			else if (c == 12 && (take(&h.s) & 3) == 0)
				owfp_flow_indicate_abort(h.flow, take(&h.s) & 1);
			else if (c == 13 && h.ndeferred > 0) {
				h.ndeferred--;
				FwpsStreamContinue0(owfp_flow_id(h.flow),
						    h.deferred[h.ndeferred].callout,
						    h.deferred[h.ndeferred].layer,
						    h.deferred[h.ndeferred].flags);
			} else if (c == 14 && (take(&h.s) & 7) == 0)
				FwpsFlowAbort0(owfp_flow_id(h.flow));
			owfp_flow_run_pending(h.flow);
		}
		owfp_flow_close(h.flow);
	}
	FwpsInjectionHandleDestroy0(h.inject_handle);
	FwpmEngineClose0(mgmt);
	owfp_engine_destroy(engine);
	H = NULL;
	return 0;
}
