/*
 * Injection handles (S63). A handle counts the injections it has in
 * flight; destroying it refuses new ones (INJECT_HANDLE_CLOSING) and frees
 * it once the last one has completed, instead of blocking the caller: the
 * flow that must complete them may be driven by that same thread.
 */
#include <stdlib.h>

#include "stream/inject_handle.h"
#include "util/alloc.h"

#define HANDLE_MAGIC 0x6f77696eu

NTSTATUS NTAPI FwpsInjectionHandleCreate0(ADDRESS_FAMILY addressFamily, UINT32 flags,
					  HANDLE *injectionHandle)
{
	if (!injectionHandle)
		return STATUS_FWP_NULL_POINTER;
	if (!owfp_registry_engine())
		return STATUS_FWP_TCPIP_NOT_READY;
	if (addressFamily != AF_UNSPEC && addressFamily != AF_INET && addressFamily != AF_INET6)
		return STATUS_INVALID_PARAMETER;
	if (flags & ~(UINT32)(FWPS_INJECTION_TYPE_STREAM | FWPS_INJECTION_TYPE_TRANSPORT |
			      FWPS_INJECTION_TYPE_NETWORK | FWPS_INJECTION_TYPE_FORWARD |
			      FWPS_INJECTION_TYPE_L2 | FWPS_INJECTION_TYPE_VSWITCH_TRANSPORT))
		return STATUS_INVALID_PARAMETER;
	owfp_inj_handle *h = owfp_calloc(1, sizeof(*h));
	if (!h)
		return STATUS_INSUFFICIENT_RESOURCES;
	h->magic = HANDLE_MAGIC;
	h->family = addressFamily;
	h->flags = flags;
	atomic_init(&h->refs, 1);
	*injectionHandle = h;
	return STATUS_SUCCESS;
}

static void handle_unref(owfp_inj_handle *h)
{
	if (atomic_fetch_sub(&h->refs, 1) == 1) {
		h->magic = 0;
		free(h);
	}
}

NTSTATUS NTAPI FwpsInjectionHandleDestroy0(HANDLE injectionHandle)
{
	owfp_inj_handle *h = injectionHandle;
	if (!h || h->magic != HANDLE_MAGIC || atomic_exchange(&h->closing, true))
		return STATUS_INVALID_PARAMETER;
	handle_unref(h);
	return STATUS_SUCCESS;
}

NTSTATUS owfp_inj_handle_get(HANDLE injectionHandle, owfp_inj_handle **out)
{
	owfp_inj_handle *h = injectionHandle;
	if (!h || h->magic != HANDLE_MAGIC)
		return STATUS_INVALID_PARAMETER;
	if (atomic_load(&h->closing))
		return STATUS_FWP_INJECT_HANDLE_CLOSING;
	if (h->flags && !(h->flags & FWPS_INJECTION_TYPE_STREAM))
		return STATUS_FWP_INJECT_HANDLE_STALE;
	atomic_fetch_add(&h->refs, 1);
	*out = h;
	return STATUS_SUCCESS;
}

void owfp_inj_handle_put(owfp_inj_handle *h)
{
	if (h)
		handle_unref(h);
}

FWPS_PACKET_INJECTION_STATE NTAPI FwpsQueryPacketInjectionState0(HANDLE injectionHandle,
								 const NET_BUFFER_LIST *netBufferList,
								 HANDLE *injectionContext)
{
	(void)injectionHandle;
	(void)netBufferList;
	if (injectionContext)
		*injectionContext = NULL;
	/* Stream injections are never seen again as packets here. */
	return FWPS_PACKET_NOT_INJECTED;
}
