/* FwpmSubLayerAdd0 / FwpmSubLayerDeleteByKey0 (S83, S84). */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static const GUID zero_guid;

NTSTATUS NTAPI FwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0 *subLayer, void *sd)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_engine *e;
	owfp_sublayer *sl;
	NTSTATUS st;

	(void)sd;
	if (!s)
		return STATUS_INVALID_HANDLE;
	if (!subLayer)
		return STATUS_FWP_NULL_POINTER;
	if (subLayer->flags & ~(UINT32)FWPM_SUBLAYER_FLAG_PERSISTENT)
		return STATUS_FWP_INVALID_FLAGS;
	if (IsEqualGUID(&subLayer->subLayerKey, &zero_guid))
		return STATUS_INVALID_PARAMETER;
	sl = owfp_calloc(1, sizeof(*sl));
	if (!sl)
		return STATUS_NO_MEMORY;
	sl->key = subLayer->subLayerKey;
	sl->weight = subLayer->weight;
	sl->flags = subLayer->flags;
	owfp_wstr_to_utf8(subLayer->displayData.name, sl->name, sizeof(sl->name));

	e = s->engine;
	st = owfp_txn_op_lock(s);
	if (st != STATUS_SUCCESS) {
		free(sl);
		return st;
	}
	if (owfp_model_sublayer(&e->model, &sl->key, NULL)) {
		st = STATUS_FWP_ALREADY_EXISTS;
	} else if (owfp_vec_insert(&e->model.sublayers, e->model.sublayers.n, sl)) {
		st = STATUS_NO_MEMORY;
	} else if (owfp_txn_log(e, OWFP_UNDO_ADD_SUBLAYER, sl)) {
		owfp_vec_remove(&e->model.sublayers, e->model.sublayers.n - 1);
		st = STATUS_NO_MEMORY;
	}
	pthread_mutex_unlock(&e->mu);
	if (st != STATUS_SUCCESS)
		free(sl);
	else
		owfp_session_track(s, OWFP_SESSION_OBJ_SUBLAYER, &subLayer->subLayerKey, 0);
	return owfp_txn_op_end(s, st == STATUS_SUCCESS) == STATUS_SUCCESS ? st : STATUS_NO_MEMORY;
}

NTSTATUS NTAPI FwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID *key)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_engine *e;
	owfp_sublayer *sl;
	size_t at;
	NTSTATUS st;

	if (!s)
		return STATUS_INVALID_HANDLE;
	if (!key)
		return STATUS_FWP_NULL_POINTER;
	e = s->engine;
	st = owfp_txn_op_lock(s);
	if (st != STATUS_SUCCESS)
		return st;
	sl = owfp_model_sublayer(&e->model, key, &at);
	if (!sl)
		st = STATUS_FWP_SUBLAYER_NOT_FOUND;
	else if (sl->builtin)
		st = STATUS_FWP_BUILTIN_OBJECT;
	else if (owfp_model_sublayer_used(&e->model, key))
		st = STATUS_FWP_IN_USE;
	else if (owfp_txn_log(e, OWFP_UNDO_DEL_SUBLAYER, sl))
		st = STATUS_NO_MEMORY;
	else
		owfp_vec_remove(&e->model.sublayers, at);
	return owfp_txn_op_unlock(s, st);
}
