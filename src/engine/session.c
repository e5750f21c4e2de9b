/* FwpmEngineOpen0 / FwpmEngineClose0: sessions on the bound engine. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

NTSTATUS NTAPI FwpmEngineOpen0(const wchar_t *serverName, UINT32 authnService, void *authIdentity,
			       const FWPM_SESSION0 *session, HANDLE *engineHandle)
{
	owfp_engine *e = owfp_registry_engine();
	owfp_session *s;
	HANDLE h;

	(void)authIdentity;
	if (!engineHandle)
		return STATUS_FWP_NULL_POINTER;
	/* Only the local engine exists. */
	if (serverName)
		return STATUS_INVALID_PARAMETER;
	if (authnService != RPC_C_AUTHN_WINNT && authnService != (UINT32)RPC_C_AUTHN_DEFAULT &&
	    authnService != RPC_C_AUTHN_NONE)
		return STATUS_INVALID_PARAMETER;
	/* No filter engine is running in this process. */
	if (!e)
		return STATUS_FWP_NOT_FOUND;
	s = owfp_calloc(1, sizeof(*s));
	if (!s)
		return STATUS_NO_MEMORY;
	s->engine = e;
	s->dynamic = session && (session->flags & FWPM_SESSION_FLAG_DYNAMIC);
	h = owfp_registry_handle_new(e, OWFP_HANDLE_SESSION, s);
	if (!h) {
		free(s);
		return STATUS_NO_MEMORY;
	}
	*engineHandle = h;
	return STATUS_SUCCESS;
}

/* Deletes what a dynamic session added: filters first, so the callouts and
 * sublayers they name are free to go; newest first, so each removal is at
 * the end of the model's id-ordered list. Objects already deleted, or whose
 * add was aborted, answer NOT_FOUND: harmless. */
static void delete_objects(HANDLE h, const owfp_session *s)
{
	static const int order[] = {OWFP_SESSION_OBJ_FILTER, OWFP_SESSION_OBJ_CALLOUT,
				    OWFP_SESSION_OBJ_SUBLAYER};

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (size_t i = s->nobjs; i-- > 0;) {
			const owfp_session_obj *o = &s->objs[i];
			if (o->kind != order[k])
				continue;
			if (o->kind == OWFP_SESSION_OBJ_FILTER)
				(void)FwpmFilterDeleteById0(h, o->id);
			else if (o->kind == OWFP_SESSION_OBJ_CALLOUT)
				(void)FwpmCalloutDeleteByKey0(h, &o->key);
			else
				(void)FwpmSubLayerDeleteByKey0(h, &o->key);
		}
	}
}

NTSTATUS NTAPI FwpmEngineClose0(HANDLE engineHandle)
{
	owfp_session *s = owfp_session_get(engineHandle);

	if (!s)
		return STATUS_INVALID_HANDLE;
	/* An open transaction dies with its session. */
	owfp_txn_abort_session(s);
	/* A dynamic session's objects die with it, in one transaction: each
	 * commit compiles the layers it changed, so one per object made closing
	 * a session of n filters cost n compiles of up to n filters (40,000
	 * filters did not close in 180 s; issue 17 item 7). If that transaction
	 * cannot begin or commit (another session holds the engine too long,
	 * out of memory), nothing changed, and each object goes on its own. */
	if (s->dynamic) {
		s->dynamic = false; /* the deletes below are not tracked */
		bool one = NT_SUCCESS(FwpmTransactionBegin0(engineHandle, 0));
		delete_objects(engineHandle, s);
		if (one && !NT_SUCCESS(FwpmTransactionCommit0(engineHandle)))
			delete_objects(engineHandle, s);
	}
	owfp_registry_handle_remove(engineHandle, OWFP_HANDLE_SESSION);
	free(s->objs);
	free(s);
	return STATUS_SUCCESS;
}

void owfp_session_track(owfp_session *s, int kind, const GUID *key, UINT64 id)
{
	if (!s->dynamic)
		return;
	if (s->nobjs == s->capobjs) {
		size_t cap = s->capobjs ? s->capobjs * 2 : 8;
		owfp_session_obj *n = owfp_realloc(s->objs, cap * sizeof(*n));
		if (!n)
			return;
		s->objs = n;
		s->capobjs = cap;
	}
	owfp_session_obj *o = &s->objs[s->nobjs++];
	o->kind = kind;
	if (key)
		o->key = *key;
	else
		memset(&o->key, 0, sizeof(o->key));
	o->id = id;
}
