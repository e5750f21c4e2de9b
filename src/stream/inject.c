/*
 * FwpsStreamInjectAsync0 (S53–S64, Q14, Q15).
 *
 * Inline injection (during the injecting callout's classify of that
 * direction) is placed before the enforced prefix it is about to return;
 * any other injection is queued to the flow and placed at the callout's
 * output cursor. Either way the bytes go to the exit of the callout's
 * sublayer (skipping the rest of it) and the completion runs once per NBL
 * after they have been handed on, never inside the inject call.
 */
#include <stdlib.h>
#include <string.h>

#include "buffer/clone.h"
#include "buffer/nb_cursor.h"
#include "stream/flow.h"
#include "stream/inject_handle.h"
#include "util/alloc.h"

#define RECV_OK                                                           \
	(FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | \
	 FWPS_STREAM_FLAG_RECEIVE_EXPEDITED | FWPS_STREAM_FLAG_RECEIVE_PUSH)
#define SEND_OK                                                                                    \
	(FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_EXPEDITED | FWPS_STREAM_FLAG_SEND_NODELAY | \
	 FWPS_STREAM_FLAG_SEND_DISCONNECT)
#define DISCONNECT (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT)

/* S59: exactly one direction, only the flags that direction accepts. */
static int flags_dir(UINT32 fl)
{
	bool r = fl & FWPS_STREAM_FLAG_RECEIVE, s = fl & FWPS_STREAM_FLAG_SEND;
	if (r == s)
		return -1;
	if (r && (fl & ~(UINT32)RECV_OK))
		return -1;
	if (s && (fl & ~(UINT32)SEND_OK))
		return -1;
	return r ? OWFP_DIR_INBOUND : OWFP_DIR_OUTBOUND;
}

static void inj_free(owfp_flow *f, owfp_injection *inj)
{
	owfp_chain_clear(&inj->data, &f->pool);
	owfp_inj_handle_put(inj->handle);
	free(inj);
}

void owfp_inject_run_completions(owfp_flow *f)
{
	while (f->done_head) {
		owfp_injection *inj = f->done_head;
		f->done_head = inj->next;
		if (!f->done_head)
			f->done_tail = NULL;
		NTSTATUS st = inj->status;
		NET_BUFFER_LIST *nbl = inj->nbls;
		while (nbl) {
			/* The completion usually frees the NBL: read the link first. */
			NET_BUFFER_LIST *next = nbl->Next;
			nbl->Status = st;
			owfp_callout_inject_complete(inj->complete, inj->complete_ctx, nbl, FALSE);
			nbl = next;
		}
		inj_free(f, inj);
	}
}

void owfp_inject_done(owfp_flow *f, owfp_injection *inj)
{
	inj->next = NULL;
	if (f->done_tail)
		f->done_tail->next = inj;
	else
		f->done_head = inj;
	f->done_tail = inj;
}

void owfp_inject_fail(owfp_flow *f, owfp_injection *inj, NTSTATUS status)
{
	owfp_chain_clear(&inj->data, &f->pool);
	inj->status = status;
	owfp_inject_done(f, inj);
}

/* Takes the bytes: clones are referenced, anything else is copied. */
static int take_bytes(owfp_flow *f, owfp_injection *inj, uint32_t node_flags)
{
	owfp_nb_cursor c;
	owfp_nb_cursor_init(&c, inj->nbls);
	size_t left = inj->len;
	while (left) {
		const uint8_t *p;
		MDL *m;
		NET_BUFFER_LIST *nbl = c.nbl;
		size_t k = owfp_nb_cursor_next(&c, left, &p, &m);
		if (!k)
			return -1;
		owfp_bnode *n;
		if (owfp_nbl_is_clone(nbl) && m->OwfpBacking) {
			owfp_slab *s = m->OwfpBacking;
			owfp_slab_ref(s);
			n = owfp_bnode_make(&f->pool, s, p, k, 0, node_flags);
		} else {
			uint8_t *where;
			owfp_slab *s = owfp_slab_writer_copy(&f->writer, p, k, &where);
			n = s ? owfp_bnode_make(&f->pool, s, where, k, 0, node_flags) : NULL;
		}
		if (!n)
			return -1;
		owfp_chain_push(&inj->data, n);
		left -= k;
	}
	return 0;
}

static size_t inject_max(const owfp_flow *f)
{
	return f->opts.inject_max;
}

NTSTATUS owfp_inject_apply(owfp_flow *f, owfp_injection *inj, bool inline_)
{
	int dir = flags_dir(inj->stream_flags);
	owfp_dirstate *d = &f->dir[dir];
	owfp_stage *st = inline_ ? f->classifying : owfp_pipeline_stage_for(f, dir, inj->callout_id);
	NTSTATUS bad = STATUS_FWP_INVALID_PARAMETER;
	if (f->state >= OWFP_FLOW_ABORTED || d->ended || !st || st->done || st->removed ||
	    (inj->fin && !st->fin_held)) {
		if (!inline_)
			owfp_inject_fail(f, inj, bad);
		return bad;
	}
	if (d->inj_bytes + inj->len > inject_max(f)) {
		owfp_flow_emit(f, OWFP_EV_LIMIT, dir, st, d->inj_bytes + inj->len,
			       "outstanding injected bytes over the limit");
		owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, dir, 1);
		if (inline_) {
			owfp_flow_request_drop(f, OWFP_DROP_LIMIT);
		} else {
			owfp_inject_fail(f, inj, STATUS_INSUFFICIENT_RESOURCES);
			owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "injection limit");
		}
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	bool in = dir == OWFP_DIR_INBOUND;
	uint32_t nf = 0;
	if (inj->stream_flags &
	    (in ? FWPS_STREAM_FLAG_RECEIVE_EXPEDITED : FWPS_STREAM_FLAG_SEND_EXPEDITED))
		nf |= OWFP_BN_URGENT;
	if (inj->stream_flags & (in ? FWPS_STREAM_FLAG_RECEIVE_PUSH : FWPS_STREAM_FLAG_SEND_NODELAY))
		nf |= OWFP_BN_PUSH;
	if (take_bytes(f, inj, nf)) {
		owfp_chain_clear(&inj->data, &f->pool);
		if (inline_) {
			owfp_flow_request_drop(f, OWFP_DROP_LIMIT);
		} else {
			owfp_inject_fail(f, inj, STATUS_INSUFFICIENT_RESOURCES);
			owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory taking injected bytes");
		}
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	inj->pos = inline_ ? f->classify_pos : st->cursor;
	inj->seq = ++f->inj_seq;
	inj->status = STATUS_SUCCESS;
	d->inj_bytes += inj->data.len;
	d->held += inj->data.len;
	OWFP_SLOT_ADD(st->d.callout->counts, bytes_injected, inj->data.len);
	owfp_flow_emit(f, OWFP_EV_INJECT, dir, st, inj->data.len, inline_ ? "inline" : "out-of-band");
	bool fin = inj->fin;
	owfp_sublayer_add_injection(f, dir, st->sl, inj);
	if (fin) /* S57: the FIN goes on after everything injected so far */
		owfp_stage_release_fin(f, st); /* never inline: a held FIN is never classified again */
	else if (!inline_)
		owfp_sublayer_flush(f, dir, st->sl);
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI FwpsStreamInjectAsync0(HANDLE injectionHandle, HANDLE injectionContext, UINT32 flags,
				      UINT64 flowId, UINT32 calloutId, UINT16 layerId,
				      UINT32 streamFlags, NET_BUFFER_LIST *netBufferList,
				      SIZE_T dataLength, FWPS_INJECT_COMPLETE0 completionFn,
				      HANDLE completionContext)
{
	(void)injectionContext;
	owfp_engine *e = owfp_registry_engine();
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	if (!completionFn)
		return STATUS_FWP_NULL_POINTER;
	if (flags != 0 || (layerId != FWPS_LAYER_STREAM_V4 && layerId != FWPS_LAYER_STREAM_V6))
		return STATUS_FWP_INVALID_PARAMETER;
	int dir = flags_dir(streamFlags);
	if (dir < 0)
		return STATUS_FWP_INVALID_PARAMETER;
	bool fin = (streamFlags & DISCONNECT) != 0;
	if (!netBufferList && !fin)
		return STATUS_FWP_NULL_POINTER;
	if (!netBufferList && dataLength)
		return STATUS_FWP_INVALID_PARAMETER;
	if (netBufferList && dataLength > owfp_nbl_chain_length(netBufferList))
		return STATUS_FWP_INVALID_PARAMETER;
	if (!owfp_engine_callout_by_id(e, calloutId))
		return STATUS_FWP_INVALID_PARAMETER;
	owfp_inj_handle *h = NULL;
	NTSTATUS st = owfp_inj_handle_get(injectionHandle, &h);
	if (!NT_SUCCESS(st))
		return st;
	owfp_flow *f = owfp_flow_table_find(e, flowId);
	if (!f || atomic_load(&f->gone) || f->layer != layerId) {
		if (f)
			owfp_flow_unref(f);
		owfp_inj_handle_put(h);
		return STATUS_FWP_INVALID_PARAMETER;
	}
	owfp_injection *inj = owfp_calloc(1, sizeof(*inj));
	owfp_work *w = owfp_calloc(1, sizeof(*w));
	if (!inj || !w) {
		free(inj);
		free(w);
		owfp_flow_unref(f);
		owfp_inj_handle_put(h);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	*inj = (owfp_injection){.nbls = netBufferList,
				.complete = completionFn,
				.complete_ctx = completionContext,
				.handle = h,
				.callout_id = calloutId,
				.stream_flags = streamFlags,
				.len = netBufferList ? dataLength : 0,
				.fin = fin};
	owfp_chain_init(&inj->data);

	if (owfp_flow_on_thread(f) && f->classifying && f->classifying->dir == dir &&
	    f->classifying->d.callout && f->classifying->d.callout->id == calloutId) {
		free(w);
		st = owfp_inject_apply(f, inj, true);
		if (!NT_SUCCESS(st)) {
			/* S61: on failure the caller keeps its NBLs; no completion. */
			inj->nbls = NULL;
			inj_free(f, inj);
		}
		owfp_flow_unref(f);
		return st;
	}
	w->type = OWFP_WORK_INJECT;
	w->inj = inj;
	owfp_flow_queue(f, w);
	owfp_flow_unref(f);
	return STATUS_SUCCESS;
}
