/*
 * Flow contexts (S24, S74–S77): FwpsFlowAssociateContext0,
 * FwpsFlowRemoveContext0 and flowDeleteFn. Any thread may associate or
 * remove; `mu` guards the list and the in-classify flag that turns a
 * removal into STATUS_PENDING (S77).
 */
#include <stdlib.h>

#include "stream/flow.h"
#include "util/alloc.h"

static owfp_ctx **find(owfp_flow *f, UINT16 layer, UINT32 callout_id)
{
	for (owfp_ctx **pp = &f->ctxs; *pp; pp = &(*pp)->next)
		if ((*pp)->layer == layer && (*pp)->callout_id == callout_id)
			return pp;
	return NULL;
}

UINT64 owfp_flow_context_get(owfp_flow *f, UINT16 layer, UINT32 callout_id, bool *found)
{
	UINT64 v = 0;
	pthread_mutex_lock(&f->mu);
	owfp_ctx **pp = find(f, layer, callout_id);
	if (pp && !(*pp)->remove_pending)
		v = (*pp)->value;
	*found = pp && !(*pp)->remove_pending;
	pthread_mutex_unlock(&f->mu);
	return v;
}

static void run_delete(owfp_ctx *c)
{
	if (c->callout->flow_delete)
		owfp_callout_flow_delete(c->callout, c->layer, c->callout_id, c->value);
	owfp_callout_context_put(c->callout); /* may finish its unregister */
	free(c);
}

UINT64 owfp_flow_classify_enter(owfp_flow *f, owfp_stage *st)
{
	UINT64 v = 0;
	/* in_classify is set before nctxs is read, and a removal reads
	 * in_classify after the context was counted (both sequentially
	 * consistent), so a removal that races with this classify either sees
	 * it (STATUS_PENDING) or happened before it. With no context at all
	 * there is nothing to read and the lock is skipped: most flows have
	 * none, and the lock pair was 4% of a replay's instructions. */
	atomic_store(&f->in_classify, true);
	if (st && st->d.callout && atomic_load(&f->nctxs)) {
		pthread_mutex_lock(&f->mu);
		owfp_ctx **pp = find(f, st->d.layer_id, st->d.callout->id);
		if (pp && !(*pp)->remove_pending)
			v = (*pp)->value;
		pthread_mutex_unlock(&f->mu);
	}
	f->classifying = st;
	if (st)
		f->classify_pos = st->in.head ? st->in.head->label : st->cursor;
	return v;
}

void owfp_flow_classify_leave(owfp_flow *f)
{
	owfp_ctx *gone = NULL;
	atomic_store(&f->in_classify, false);
	/* A context marked pending is still counted: none counted, none pending. */
	if (atomic_load(&f->nctxs)) {
		pthread_mutex_lock(&f->mu);
		for (owfp_ctx **pp = &f->ctxs; *pp;) {
			owfp_ctx *c = *pp;
			if (c->remove_pending) {
				*pp = c->next;
				c->next = gone;
				gone = c;
				atomic_fetch_sub(&f->nctxs, 1);
			} else {
				pp = &c->next;
			}
		}
		pthread_mutex_unlock(&f->mu);
	}
	f->classifying = NULL;
	while (gone) {
		owfp_ctx *next = gone->next;
		run_delete(gone);
		gone = next;
	}
	owfp_flow_apply_pending_drop(f);
}

void owfp_flow_contexts_end(owfp_flow *f)
{
	pthread_mutex_lock(&f->mu);
	owfp_ctx *all = f->ctxs;
	f->ctxs = NULL;
	atomic_store(&f->nctxs, 0);
	pthread_mutex_unlock(&f->mu);
	while (all) {
		owfp_ctx *next = all->next;
		run_delete(all);
		all = next;
	}
}

NTSTATUS NTAPI FwpsFlowAssociateContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId,
					 UINT64 flowContext)
{
	owfp_engine *e = owfp_registry_engine();
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	owfp_callout *c = owfp_engine_callout_by_id(e, calloutId);
	if (!flowContext || !c || !c->flow_delete)
		return STATUS_INVALID_PARAMETER;
	owfp_flow *f = owfp_flow_table_find(e, flowId);
	if (!f)
		return STATUS_INVALID_PARAMETER;
	NTSTATUS st = STATUS_SUCCESS;
	owfp_ctx *n = owfp_malloc(sizeof(*n));
	pthread_mutex_lock(&f->mu);
	if (atomic_load(&f->gone) || !n) {
		st = n ? STATUS_INVALID_PARAMETER : STATUS_INSUFFICIENT_RESOURCES;
	} else {
		owfp_ctx **pp = find(f, layerId, calloutId);
		if (pp && !(*pp)->remove_pending) {
			st = STATUS_OBJECT_NAME_EXISTS;
		} else {
			n->layer = layerId;
			n->callout_id = calloutId;
			n->value = flowContext;
			n->callout = c;
			n->remove_pending = false;
			n->next = f->ctxs;
			f->ctxs = n;
			atomic_fetch_add(&f->nctxs, 1);
			atomic_fetch_add(&c->contexts, 1);
			n = NULL;
		}
	}
	pthread_mutex_unlock(&f->mu);
	free(n);
	owfp_flow_unref(f);
	return st;
}

NTSTATUS NTAPI FwpsFlowRemoveContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId)
{
	owfp_engine *e = owfp_registry_engine();
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	owfp_flow *f = owfp_flow_table_find(e, flowId);
	if (!f)
		return STATUS_UNSUCCESSFUL;
	NTSTATUS st;
	owfp_ctx *gone = NULL;
	pthread_mutex_lock(&f->mu);
	owfp_ctx **pp = find(f, layerId, calloutId);
	if (!pp || (*pp)->remove_pending) {
		st = STATUS_UNSUCCESSFUL;
	} else if (atomic_load(&f->in_classify)) {
		(*pp)->remove_pending = true;
		st = STATUS_PENDING;
	} else {
		gone = *pp;
		*pp = gone->next;
		atomic_fetch_sub(&f->nctxs, 1);
		st = STATUS_SUCCESS;
	}
	pthread_mutex_unlock(&f->mu);
	if (gone)
		run_delete(gone);
	owfp_flow_unref(f);
	return st;
}
