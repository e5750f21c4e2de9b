/*
 * FwpmFilterAdd0 / FwpmFilterDeleteById0 / FwpmFilterDeleteByKey0: checks a
 * filter against its layer (S8, S69, S70, S84, S85, S87), deep-copies it into
 * the run-time form (S98), asks the callout (S73) and records it in the
 * transaction.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static const GUID zero_guid;

/* Flags we carry; HAS_PROVIDER_CONTEXT and security realms are not supported. */
static const UINT32 accepted_flags = FWPM_FILTER_FLAG_PERSISTENT | FWPM_FILTER_FLAG_BOOTTIME |
				     FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT |
				     FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED |
				     FWPM_FILTER_FLAG_DISABLED | FWPM_FILTER_FLAG_INDEXED |
				     FWPM_FILTER_FLAG_SYSTEMOS_ONLY | FWPM_FILTER_FLAG_GAMEOS_ONLY |
				     FWPM_FILTER_FLAG_SILENT_MODE |
				     FWPM_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE;

static UINT16 runtime_flags(UINT32 mgmt)
{
	UINT16 f = 0;

	if (mgmt & FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT)
		f |= FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT;
	if (mgmt & FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)
		f |= FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED;
	if (mgmt & FWPM_FILTER_FLAG_SILENT_MODE)
		f |= FWPS_FILTER_FLAG_SILENT_MODE;
	if (mgmt & FWPM_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE)
		f |= FWPS_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE;
	return f;
}

static NTSTATUS check_action(const FWPM_FILTER0 *f)
{
	switch (f->action.type) {
	case FWP_ACTION_BLOCK:
	case FWP_ACTION_PERMIT:
		break;
	case FWP_ACTION_CALLOUT_TERMINATING:
	case FWP_ACTION_CALLOUT_UNKNOWN:
		return STATUS_SUCCESS;
	case FWP_ACTION_CALLOUT_INSPECTION:
		break;
	default:
		return STATUS_FWP_INVALID_ACTION_TYPE;
	}
	/* S70: only a filter that could decide may permit for a missing callout. */
	if (f->flags & FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)
		return STATUS_FWP_INVALID_FLAGS;
	return STATUS_SUCCESS;
}

/*
 * Single-condition groups on index dimensions, other than the indexed group
 * at `skip`, become the filter's quick checks.
 */
static void pick_quick(owfp_rfilter *rf, const owfp_field_desc **fields, UINT32 skip)
{
	const FWPS_FILTER3 *f = &rf->fps;
	int nq = 0;

	rf->quick.dim[0] = rf->quick.dim[1] = OWFP_DIM_NONE;
	for (UINT32 i = 0, end; i < f->numFilterConditions && nq < 2; i = end) {
		owfp_k128 lo[2], hi[2];

		for (end = i; end < f->numFilterConditions &&
			      f->filterCondition[end].fieldId == f->filterCondition[i].fieldId;
		     end++)
			;
		if ((rf->index_dim != OWFP_DIM_NONE && i == skip) || end - i != 1 ||
		    fields[i]->dim == OWFP_DIM_NONE ||
		    owfp_cond_intervals(&f->filterCondition[i], lo, hi) != 1)
			continue;
		rf->quick.dim[nq] = (int8_t)fields[i]->dim;
		rf->quick.lo[nq] = lo[0];
		rf->quick.hi[nq] = hi[0];
		nq++;
	}
}

static double key_span(owfp_k128 lo, owfp_k128 hi)
{
	return ((double)hi.hi - (double)lo.hi) * 18446744073709551616.0 +
	       ((double)hi.lo - (double)lo.lo) + 1.0;
}

/*
 * Picks the condition group the index serves the filter under: the one whose
 * accepted keys are the smallest share of their key space. Any group works
 * (groups are ANDed); the narrowest keeps candidate lists short.
 */
static int choose_index(owfp_rfilter *rf, const owfp_field_desc **fields, int family)
{
	const FWPS_FILTER3 *f = &rf->fps;
	double best = HUGE_VAL;
	UINT32 best_at = 0, best_end = 0;
	int best_dim = OWFP_DIM_NONE;

	for (UINT32 i = 0, end; i < f->numFilterConditions; i = end) {
		const owfp_field_desc *fd = fields[i];
		double span = 0, space;
		bool ok = fd->dim != OWFP_DIM_NONE;

		for (end = i; end < f->numFilterConditions &&
			      f->filterCondition[end].fieldId == f->filterCondition[i].fieldId;
		     end++) {
			owfp_k128 lo[2], hi[2];
			int n = ok ? owfp_cond_intervals(&f->filterCondition[end], lo, hi) : -1;

			if (n < 0)
				ok = false;
			for (int k = 0; k < n; k++)
				span += key_span(lo[k], hi[k]);
		}
		if (!ok)
			continue;
		/* Traffic piles onto a few service ports, so a port value is taken
		 * as 256 times less selective than its share of the port space. */
		space = fd->dim == OWFP_DIM_LOCAL_PORT || fd->dim == OWFP_DIM_REMOTE_PORT ? 256.0
			: family == AF_INET6 ? 340282366920938463463374607431768211456.0
					     : 4294967296.0;
		if (span / space < best) {
			best = span / space;
			best_at = i;
			best_end = end;
			best_dim = fd->dim;
		}
	}
	rf->index_dim = best_dim;
	pick_quick(rf, fields, best_at);
	if (best_dim == OWFP_DIM_NONE)
		return 0;
	rf->ivals = owfp_malloc(sizeof(*rf->ivals) * 2 * (best_end - best_at));
	if (!rf->ivals)
		return -ENOMEM;
	for (UINT32 i = best_at; i < best_end; i++) {
		owfp_k128 lo[2], hi[2];
		int n = owfp_cond_intervals(&f->filterCondition[i], lo, hi);

		for (int k = 0; k < n; k++)
			rf->ivals[rf->nivals++] = (owfp_ival){lo[k], hi[k]};
	}
	return 0;
}

/* Validates the conditions and copies them into rf. Counts distinct fields. */
static NTSTATUS build_conditions(owfp_rfilter *rf, const FWPM_FILTER0 *filter,
				 const owfp_layer_desc *ld, unsigned *distinct)
{
	UINT32 n = filter->numFilterConditions;
	const owfp_field_desc **fields;
	NTSTATUS st = STATUS_SUCCESS;

	*distinct = 0;
	if (n == 0)
		return STATUS_SUCCESS;
	if (!filter->filterCondition)
		return STATUS_FWP_NULL_POINTER;
	fields = owfp_calloc(n, sizeof(const owfp_field_desc *));
	rf->fps.filterCondition = owfp_calloc(n, sizeof(*rf->fps.filterCondition));
	if (!fields || !rf->fps.filterCondition) {
		free(fields);
		return STATUS_NO_MEMORY;
	}
	for (UINT32 i = 0; i < n && st == STATUS_SUCCESS; i++)
		st = owfp_cond_validate(ld, &filter->filterCondition[i], &fields[i]);
	for (UINT32 i = 0; i < n && st == STATUS_SUCCESS; i++) {
		bool seen = false;

		rf->fps.numFilterConditions = i + 1;
		if (owfp_cond_copy(&rf->fps.filterCondition[i], &filter->filterCondition[i],
				   fields[i]->index))
			st = STATUS_NO_MEMORY;
		for (UINT32 j = 0; j < i; j++)
			if (fields[j] == fields[i])
				seen = true;
		if (!seen)
			(*distinct)++;
		if (i > 0 && fields[i] == fields[i - 1])
			rf->fps.flags |= FWPS_FILTER_FLAG_OR_CONDITIONS;
	}
	if (st == STATUS_SUCCESS && choose_index(rf, fields, ld->family))
		st = STATUS_NO_MEMORY;
	free(fields);
	return st;
}

/* Checks what depends on the model (e->mu held) and assigns id and weight. */
static NTSTATUS bind_to_model(owfp_engine *e, owfp_rfilter *rf, const FWPM_FILTER0 *filter,
			      const owfp_layer_desc *ld, unsigned distinct)
{
	const GUID *sub_key = IsEqualGUID(&filter->subLayerKey, &zero_guid) ? &FWPM_SUBLAYER_UNIVERSAL
									    : &filter->subLayerKey;
	owfp_sublayer *sl = owfp_model_sublayer(&e->model, sub_key, NULL);

	if (!sl)
		return STATUS_FWP_SUBLAYER_NOT_FOUND;
	if (filter->action.type & FWP_ACTION_FLAG_CALLOUT) {
		owfp_mcallout *mc = owfp_model_callout(&e->model, &filter->action.calloutKey, NULL);

		if (!mc)
			return STATUS_FWP_CALLOUT_NOT_FOUND;
		if (!IsEqualGUID(&mc->layer, ld->key))
			return STATUS_FWP_INCOMPATIBLE_LAYER;
		rf->fps.action.calloutId = mc->id;
		rf->callout_key = mc->key;
	}
	if (!IsEqualGUID(&filter->filterKey, &zero_guid) &&
	    owfp_model_filter_by_key(&e->model, &filter->filterKey))
		return STATUS_FWP_ALREADY_EXISTS;

	rf->id = e->next_filter_id++;
	if (IsEqualGUID(&filter->filterKey, &zero_guid)) {
		/* A key of our own, derived from the id so it is unique. */
		rf->key.Data1 = 0x6f776670;
		rf->key.Data2 = 0x6669;
		rf->key.Data3 = 0x4c74;
		for (int i = 0; i < 8; i++)
			rf->key.Data4[i] = (UINT8)(rf->id >> (56 - 8 * i));
	} else {
		rf->key = filter->filterKey;
	}
	rf->sublayer_key = sl->key;
	rf->sublayer_weight = sl->weight;
	rf->weight = owfp_weight_effective(&filter->weight, distinct, rf->id);
	*rf->fps.weight.uint64 = rf->weight;
	rf->fps.filterId = rf->id;
	rf->fps.subLayerWeight = sl->weight;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI FwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0 *filter, void *sd, UINT64 *id)
{
	owfp_session *s = owfp_session_get(engineHandle);
	const owfp_layer_desc *ld;
	owfp_callout *c = NULL;
	owfp_rfilter *rf;
	owfp_engine *e;
	unsigned distinct;
	NTSTATUS st, st2;

	(void)sd;
	if (!s)
		return STATUS_INVALID_HANDLE;
	if (!filter)
		return STATUS_FWP_NULL_POINTER;
	ld = owfp_layer_find(&filter->layerKey);
	if (!ld)
		return STATUS_FWP_LAYER_NOT_FOUND;
	if (filter->flags & ~accepted_flags)
		return STATUS_FWP_INVALID_FLAGS;
	st = check_action(filter);
	if (st == STATUS_SUCCESS)
		st = owfp_weight_check(&filter->weight);
	if (st != STATUS_SUCCESS)
		return st;

	rf = owfp_calloc(1, sizeof(*rf));
	if (!rf)
		return STATUS_NO_MEMORY;
	atomic_init(&rf->refs, 1);
	rf->slot = ld->slot;
	rf->mgmt_flags = filter->flags;
	rf->index_dim = OWFP_DIM_NONE;
	rf->quick.dim[0] = rf->quick.dim[1] = OWFP_DIM_NONE;
	rf->fps.weight.type = FWP_UINT64;
	rf->fps.weight.uint64 = owfp_malloc(sizeof(UINT64));
	rf->fps.flags = runtime_flags(filter->flags);
	rf->fps.action.type = filter->action.type;
	rf->fps.context = filter->rawContext;
	owfp_wstr_to_utf8(filter->displayData.name, rf->name, sizeof(rf->name));
	st = rf->fps.weight.uint64 ? build_conditions(rf, filter, ld, &distinct) : STATUS_NO_MEMORY;
	if (st != STATUS_SUCCESS) {
		owfp_rfilter_unref(rf);
		return st;
	}

	e = s->engine;
	st = owfp_txn_op_begin(s);
	if (st != STATUS_SUCCESS) {
		owfp_rfilter_unref(rf);
		return st;
	}
	pthread_mutex_lock(&e->mu);
	st = bind_to_model(e, rf, filter, ld, distinct);
	/* Held: notifyFn runs after e->mu is let go (an unregister may free it). */
	if (st == STATUS_SUCCESS && (rf->fps.action.type & FWP_ACTION_FLAG_CALLOUT) &&
	    (c = owfp_callout_registered(e, rf->fps.action.calloutId)))
		owfp_callout_hold(c);
	pthread_mutex_unlock(&e->mu);

	/* S73: the callout may refuse the filter, and may set its context. */
	if (st == STATUS_SUCCESS && c) {
		NTSTATUS nst = owfp_callout_notify(c, FWPS_CALLOUT_NOTIFY_ADD_FILTER, &rf->key,
						   &rf->fps);

		if (!NT_SUCCESS(nst)) {
			owfp_engine_log(e, OWFP_LOG_WARN,
					"callout %s refused filter %llu: status 0x%08x", c->name,
					(unsigned long long)rf->id, (unsigned)nst);
			st = STATUS_FWP_CALLOUT_NOTIFICATION_FAILED;
		} else {
			rf->notified = true;
		}
	}
	if (st == STATUS_SUCCESS) {
		pthread_mutex_lock(&e->mu);
		if (owfp_model_filter_insert(&e->model, rf)) {
			st = STATUS_NO_MEMORY;
		} else if (owfp_txn_log(e, OWFP_UNDO_ADD_FILTER, rf)) {
			owfp_model_filter_remove(&e->model, rf);
			st = STATUS_NO_MEMORY;
		} else {
			e->dirty[rf->slot] = true;
		}
		pthread_mutex_unlock(&e->mu);
		if (st != STATUS_SUCCESS && rf->notified)
			(void)owfp_callout_notify(c, FWPS_CALLOUT_NOTIFY_DELETE_FILTER, NULL,
						  &rf->fps);
	}
	if (c)
		owfp_callout_release(c);
	if (st != STATUS_SUCCESS) {
		owfp_rfilter_unref(rf);
	} else {
		owfp_session_track(s, OWFP_SESSION_OBJ_FILTER, NULL, rf->id);
		if (id)
			*id = rf->id;
	}
	st2 = owfp_txn_op_end(s, st == STATUS_SUCCESS);
	return st == STATUS_SUCCESS ? st2 : st;
}

static NTSTATUS delete_filter(HANDLE engineHandle, const GUID *key, UINT64 id)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_rfilter *rf;
	owfp_engine *e;
	NTSTATUS st;

	if (!s)
		return STATUS_INVALID_HANDLE;
	e = s->engine;
	st = owfp_txn_op_lock(s);
	if (st != STATUS_SUCCESS)
		return st;
	rf = key ? owfp_model_filter_by_key(&e->model, key) : owfp_model_filter(&e->model, id, NULL);
	if (!rf) {
		st = STATUS_FWP_FILTER_NOT_FOUND;
	} else if (owfp_txn_log(e, OWFP_UNDO_DEL_FILTER, rf)) {
		st = STATUS_NO_MEMORY;
	} else {
		/* DELETE_FILTER goes out at commit, when the deletion is real. */
		owfp_model_filter_remove(&e->model, rf);
		rf->deleted = true;
		e->dirty[rf->slot] = true;
	}
	return owfp_txn_op_unlock(s, st);
}

NTSTATUS NTAPI FwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id)
{
	return delete_filter(engineHandle, NULL, id);
}

NTSTATUS NTAPI FwpmFilterDeleteByKey0(HANDLE engineHandle, const GUID *key)
{
	if (!key)
		return STATUS_FWP_NULL_POINTER;
	return delete_filter(engineHandle, key, 0);
}
