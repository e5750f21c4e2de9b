/*
 * ALE_FLOW_ESTABLISHED classification with the general arbitration rules
 * (S89–S96): sublayers in order, the first PERMIT or BLOCK in each decides
 * that sublayer; decisions combine through the WRITE right (hard clears it,
 * soft keeps it), a hard PERMIT can only be vetoed by a callout BLOCK, and a
 * hard BLOCK is final. No decision at all means PERMIT (S95).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/appid.h"
#include "engine/engine_internal.h"

typedef struct arb {
	FWP_ACTION_TYPE action; /* valid once decided */
	bool decided;
	bool right; /* FWPS_RIGHT_ACTION_WRITE still held */
	bool hard_block;
} arb;

enum { DEC_NONE, DEC_PERMIT, DEC_BLOCK };

typedef struct decision {
	int what;
	bool hard;
	bool from_callout;
} decision;

static void apply(arb *a, decision d)
{
	FWP_ACTION_TYPE act = d.what == DEC_PERMIT ? FWP_ACTION_PERMIT : FWP_ACTION_BLOCK;

	if (a->right) {
		a->action = act;
		a->decided = true;
		if (d.hard) {
			a->right = false;
			a->hard_block = d.what == DEC_BLOCK;
		}
		return;
	}
	/* S93: without the right only a callout's veto of a hard PERMIT counts. */
	if (d.from_callout && d.what == DEC_BLOCK && a->action == FWP_ACTION_PERMIT) {
		a->action = FWP_ACTION_BLOCK;
		a->hard_block = true;
	}
}

static decision run_callout(owfp_engine *e, const owfp_rfilter *f, const arb *a,
			    const FWPS_INCOMING_VALUES0 *in,
			    const FWPS_INCOMING_METADATA_VALUES0 *meta)
{
	FWP_ACTION_TYPE type = f->fps.action.type;
	owfp_callout *c = owfp_callout_registered_hold(e, f->fps.action.calloutId);
	decision d = {DEC_NONE, false, false};
	FWPS_CLASSIFY_OUT0 out;
	owfp_classify_guard g;

	/* S72a: counted in flight before it is called, or found unregistered. */
	if (c && !(c->flags & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW) &&
	    !owfp_callout_classify_enter(c, &g)) {
		owfp_callout_release(c);
		c = NULL;
	}
	if (!c) {
		/* S70: a missing callout blocks, or permits when the filter says so. */
		if (type == FWP_ACTION_CALLOUT_INSPECTION)
			return d;
		if (f->fps.flags & FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)
			d.what = DEC_PERMIT;
		else
			d.what = DEC_BLOCK, d.hard = true;
		return d;
	}
	/* S79: no flow context can exist before the flow is established. */
	if (c->flags & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW) {
		owfp_callout_release(c);
		return d;
	}

	memset(&out, 0, sizeof(out));
	/* S94: the callout sees what has been decided so far. */
	out.actionType = a->decided ? a->action : FWP_ACTION_CONTINUE;
	out.rights = a->right ? FWPS_RIGHT_ACTION_WRITE : 0;
	out.filterId = f->id;
	OWFP_SLOT_ADD(c->counts, classify_calls, 1);
	owfp_callout_classify(c, in, meta, NULL, &f->fps, 0, &out);
	owfp_callout_classify_leave(&g);
	owfp_callout_release(c);

	d.from_callout = true;
	d.hard = a->right && !(out.rights & FWPS_RIGHT_ACTION_WRITE);
	switch (type) {
	case FWP_ACTION_CALLOUT_TERMINATING:
		/* S30: anything but PERMIT is BLOCK. */
		d.what = out.actionType == FWP_ACTION_PERMIT ? DEC_PERMIT : DEC_BLOCK;
		break;
	case FWP_ACTION_CALLOUT_UNKNOWN:
		d.what = out.actionType == FWP_ACTION_PERMIT  ? DEC_PERMIT
			 : out.actionType == FWP_ACTION_BLOCK ? DEC_BLOCK
							      : DEC_NONE;
		break;
	default:
		/* S30: an inspection callout always continues. */
		d.what = DEC_NONE;
		break;
	}
	return d;
}

static decision evaluate(owfp_engine *e, const owfp_rfilter *f, const arb *a,
			 const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *meta)
{
	decision d = {DEC_NONE, false, false};

	switch (f->fps.action.type) {
	case FWP_ACTION_PERMIT:
		/* S92: a static PERMIT is soft unless it clears the right. */
		d.what = DEC_PERMIT;
		d.hard = f->fps.flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT;
		return d;
	case FWP_ACTION_BLOCK:
		d.what = DEC_BLOCK;
		d.hard = true;
		return d;
	default:
		return run_callout(e, f, a, in, meta);
	}
}

FWP_ACTION_TYPE owfp_engine_classify_flow_established(owfp_engine *e, const owfp_flow_key *key,
						      UINT64 flow_handle)
{
	int slot = key->family == AF_INET6 ? OWFP_SLOT_ALE_V6 : OWFP_SLOT_ALE_V4;
	FWPS_INCOMING_VALUE0 vals[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX];
	FWPS_INCOMING_METADATA_VALUES0 meta;
	FWP_BYTE_ARRAY16 v6l, v6r;
	FWP_BYTE_BLOB app_id = {0, NULL};
	FWPS_INCOMING_VALUES0 in;
	arb a = {FWP_ACTION_CONTINUE, false, true, false};
	owfp_clayer *l;
	owfp_ranks r;
	/* Read before the layer (match_cache.c). */
	uint64_t gen = owfp_engine_generation(e);
	long n;

	/* S95: no filter, no decision. Most configurations put none here, and
	 * the incoming values and the app id cost more than the rest of the
	 * flow's creation (docs/PERFORMANCE.md, "Cheap flows"). */
	if (owfp_mcache_layer_empty(e, slot, gen))
		return FWP_ACTION_PERMIT;

	/* The local process, when the data path knows it (docs/porting.md
	 * "Flow metadata"); the path is both PROCESS_PATH and ALE_APP_ID. A
	 * path we cannot encode (out of memory) leaves both absent, as unknown. */
	if (key->process_path && owfp_appid_from_path(key->process_path, &app_id))
		memset(&app_id, 0, sizeof(app_id));
	owfp_engine_ale_values(key, vals, &v6l, &v6r, &app_id, &in);
	memset(&meta, 0, sizeof(meta));
	meta.currentMetadataValues = FWPS_METADATA_FIELD_FLOW_HANDLE |
				     FWPS_METADATA_FIELD_COMPARTMENT_ID;
	meta.flowHandle = flow_handle;
	meta.compartmentId = DEFAULT_COMPARTMENT_ID;
	if (app_id.data) {
		meta.currentMetadataValues |= FWPS_METADATA_FIELD_PROCESS_PATH;
		meta.processPath = &app_id;
	}
	if (key->process_id) {
		meta.currentMetadataValues |= FWPS_METADATA_FIELD_PROCESS_ID;
		meta.processId = key->process_id;
	}

	owfp_ranks_init(&r);
	n = owfp_engine_match_layer(e, slot, gen, &in, &l, &r);
	if (n < 0) {
		/* Fail closed: without the filter set we cannot say the flow is allowed. */
		owfp_engine_log(e, OWFP_LOG_ERROR,
				"flow %llu: out of memory classifying "
				"ALE_FLOW_ESTABLISHED, blocking",
				(unsigned long long)flow_handle);
		owfp_ranks_fini(&r);
		free(app_id.data);
		return FWP_ACTION_BLOCK;
	}
	for (size_t i = 0; i < (size_t)n;) {
		uint32_t sub = l->sublayer[r.v[i]];
		bool sublayer_done = false;

		for (; i < (size_t)n && l->sublayer[r.v[i]] == sub; i++) {
			const owfp_rfilter *f = l->f[r.v[i]];
			decision d;

			/* S91: after a hard block only inspection callouts still run. */
			if (sublayer_done ||
			    (a.hard_block && f->fps.action.type != FWP_ACTION_CALLOUT_INSPECTION))
				continue;
			d = evaluate(e, f, &a, &in, &meta);
			if (d.what == DEC_NONE)
				continue;
			sublayer_done = true;
			if (!a.hard_block)
				apply(&a, d);
		}
	}
	owfp_ranks_fini(&r);
	owfp_clayer_unref(l);
	free(app_id.data);
	return a.decided ? a.action : FWP_ACTION_PERMIT;
}
