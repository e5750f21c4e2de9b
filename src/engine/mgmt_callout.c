/* FwpmCalloutAdd0 / FwpmCalloutDeleteByKey0 / FwpmCalloutDeleteById0 (S69). */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static const UINT32 known_flags = FWPM_CALLOUT_FLAG_PERSISTENT |
				  FWPM_CALLOUT_FLAG_USES_PROVIDER_CONTEXT |
				  FWPM_CALLOUT_FLAG_REGISTERED;

NTSTATUS NTAPI FwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0 *callout, void *sd, UINT32 *id)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_engine *e;
	owfp_mcallout *mc;
	NTSTATUS st;

	(void)sd;
	if (!s)
		return STATUS_INVALID_HANDLE;
	if (!callout)
		return STATUS_FWP_NULL_POINTER;
	/* S69: the one layer this callout's filters may be at. */
	if (!owfp_layer_find(&callout->applicableLayer))
		return STATUS_FWP_LAYER_NOT_FOUND;
	if (callout->flags & ~known_flags)
		return STATUS_FWP_INVALID_FLAGS;
	mc = owfp_calloc(1, sizeof(*mc));
	if (!mc)
		return STATUS_NO_MEMORY;
	mc->key = callout->calloutKey;
	mc->layer = callout->applicableLayer;
	mc->flags = callout->flags & ~(UINT32)FWPM_CALLOUT_FLAG_REGISTERED;
	owfp_wstr_to_utf8(callout->displayData.name, mc->name, sizeof(mc->name));

	e = s->engine;
	st = owfp_txn_op_lock(s);
	if (st != STATUS_SUCCESS) {
		free(mc);
		return st;
	}
	if (owfp_model_callout(&e->model, &mc->key, NULL)) {
		st = STATUS_FWP_ALREADY_EXISTS;
	} else {
		/* The id FwpsCalloutRegister* gave this key, or a new one it will reuse. */
		mc->id = owfp_callout_id_for_key(e, &mc->key, true);
		if (!mc->id)
			st = STATUS_FWP_TOO_MANY_CALLOUTS;
		else if (owfp_vec_insert(&e->model.callouts, e->model.callouts.n, mc))
			st = STATUS_NO_MEMORY;
		else if (owfp_txn_log(e, OWFP_UNDO_ADD_CALLOUT, mc)) {
			owfp_vec_remove(&e->model.callouts, e->model.callouts.n - 1);
			st = STATUS_NO_MEMORY;
		}
	}
	if (st == STATUS_SUCCESS && id)
		*id = mc->id;
	pthread_mutex_unlock(&e->mu);
	if (st != STATUS_SUCCESS)
		free(mc);
	else
		owfp_session_track(s, OWFP_SESSION_OBJ_CALLOUT, &callout->calloutKey, 0);
	return owfp_txn_op_end(s, st == STATUS_SUCCESS) == STATUS_SUCCESS ? st : STATUS_NO_MEMORY;
}

static NTSTATUS delete_callout(HANDLE engineHandle, const GUID *key, UINT32 id)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_model *m;
	owfp_mcallout *mc;
	size_t at;
	NTSTATUS st;

	if (!s)
		return STATUS_INVALID_HANDLE;
	st = owfp_txn_op_lock(s);
	if (st != STATUS_SUCCESS)
		return st;
	m = &s->engine->model;
	mc = key ? owfp_model_callout(m, key, &at) : owfp_model_callout_by_id(m, id, &at);
	if (!mc)
		st = STATUS_FWP_CALLOUT_NOT_FOUND;
	else if (owfp_model_callout_used(m, &mc->key))
		st = STATUS_FWP_IN_USE;
	else if (owfp_txn_log(s->engine, OWFP_UNDO_DEL_CALLOUT, mc))
		st = STATUS_NO_MEMORY;
	else
		owfp_vec_remove(&m->callouts, at);
	return owfp_txn_op_unlock(s, st);
}

NTSTATUS NTAPI FwpmCalloutDeleteByKey0(HANDLE engineHandle, const GUID *key)
{
	if (!key)
		return STATUS_FWP_NULL_POINTER;
	return delete_callout(engineHandle, key, 0);
}

NTSTATUS NTAPI FwpmCalloutDeleteById0(HANDLE engineHandle, UINT32 id)
{
	return delete_callout(engineHandle, NULL, id);
}
