/* FwpmEngineOpen0 / FwpmEngineClose0: sessions on the bound engine. */
#include <stdlib.h>

#include "engine/engine_internal.h"

NTSTATUS NTAPI FwpmEngineOpen0(const wchar_t *serverName, UINT32 authnService,
			       void *authIdentity, const FWPM_SESSION0 *session,
			       HANDLE *engineHandle)
{
	owfp_engine *e = owfp_registry_engine();
	owfp_session *s;
	HANDLE h;

	(void)authIdentity;
	(void)session;
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
	s = calloc(1, sizeof(*s));
	if (!s)
		return STATUS_NO_MEMORY;
	s->engine = e;
	h = owfp_registry_handle_new(e, OWFP_HANDLE_SESSION, s);
	if (!h) {
		free(s);
		return STATUS_NO_MEMORY;
	}
	*engineHandle = h;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI FwpmEngineClose0(HANDLE engineHandle)
{
	owfp_session *s = owfp_session_get(engineHandle);

	if (!s)
		return STATUS_INVALID_HANDLE;
	/* An open transaction dies with its session. */
	owfp_txn_abort_session(s);
	owfp_registry_handle_remove(engineHandle, OWFP_HANDLE_SESSION);
	free(s);
	return STATUS_SUCCESS;
}
