/*
 * The NDIS/WFP buffer calls that only touch the structures of ndis.h:
 * MDLs over caller memory, NBLs wrapping MDL chains, and data-start moves.
 * Cloning and copying stream data live in src/buffer.
 */
#include <stdio.h>
#include <stdlib.h>

#include "openwfp/fwpsk.h"
#include "wdm/pool.h"

PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota,
		   PIRP Irp)
{
	PMDL mdl;

	(void)SecondaryBuffer;
	(void)ChargeQuota;
	(void)Irp;
	mdl = owfp_pool_alloc(sizeof(*mdl), OWFP_TAG_MDL, true);
	if (!mdl)
		return NULL;
	MmInitializeMdl(mdl, VirtualAddress, Length);
	return mdl;
}

void IoFreeMdl(PMDL Mdl)
{
	owfp_pool_free(Mdl, OWFP_TAG_MDL, true);
}

/*
 * Finds the MDL holding byte `offset` of a chain (counted from the first
 * MDL's first byte), skipping exhausted and empty MDLs. An offset equal to
 * the chain's length lands at the end of the last MDL. Returns false when
 * the offset lies beyond the chain.
 */
static bool mdl_locate(PMDL chain, SIZE_T offset, PMDL *mdl, ULONG *mdl_offset)
{
	PMDL m = chain, last = NULL;

	while (m) {
		if (offset < m->ByteCount) {
			*mdl = m;
			*mdl_offset = (ULONG)offset;
			return true;
		}
		offset -= m->ByteCount;
		last = m;
		m = m->Next;
	}
	if (offset != 0)
		return false;
	*mdl = last;
	*mdl_offset = last ? last->ByteCount : 0;
	return true;
}

static SIZE_T mdl_chain_length(PMDL chain)
{
	SIZE_T n = 0;

	for (PMDL m = chain; m; m = m->Next)
		n += m->ByteCount;
	return n;
}

PVOID NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, UINT AlignMultiple,
			UINT AlignOffset)
{
	PMDL m = NetBuffer->CurrentMdl;
	ULONG off = NetBuffer->CurrentMdlOffset;
	PUCHAR dst = Storage;
	ULONG left = BytesNeeded;

	(void)AlignMultiple;
	(void)AlignOffset;
	if (BytesNeeded > NetBuffer->DataLength || !m)
		return NULL;
	while (off >= m->ByteCount && m->Next) {
		off -= m->ByteCount;
		m = m->Next;
	}
	if (m->ByteCount - off >= BytesNeeded)
		return (PUCHAR)m->MappedSystemVa + off;
	if (!Storage)
		return NULL;
	while (left && m) {
		ULONG k = m->ByteCount - off;

		if (k > left)
			k = left;
		memcpy(dst, (PUCHAR)m->MappedSystemVa + off, k);
		dst += k;
		left -= k;
		off = 0;
		m = m->Next;
	}
	return left ? NULL : Storage;
}

NDIS_STATUS NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta,
					  ULONG DataBackFill, PVOID AllocateMdlHandler)
{
	(void)DataBackFill;
	(void)AllocateMdlHandler;
	if (DataOffsetDelta > NetBuffer->DataOffset ||
	    NetBuffer->DataLength > MAXULONG - DataOffsetDelta)
		return NDIS_STATUS_RESOURCES;
	NetBuffer->DataOffset -= DataOffsetDelta;
	NetBuffer->DataLength += DataOffsetDelta;
	mdl_locate(NetBuffer->MdlChain, NetBuffer->DataOffset, &NetBuffer->CurrentMdl,
		   &NetBuffer->CurrentMdlOffset);
	return NDIS_STATUS_SUCCESS;
}

void NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN FreeMdl,
				   PVOID FreeMdlHandler)
{
	(void)FreeMdl;
	(void)FreeMdlHandler;
	if (DataOffsetDelta > NetBuffer->DataLength)
		DataOffsetDelta = NetBuffer->DataLength;
	NetBuffer->DataOffset += DataOffsetDelta;
	NetBuffer->DataLength -= DataOffsetDelta;
	mdl_locate(NetBuffer->MdlChain, NetBuffer->DataOffset, &NetBuffer->CurrentMdl,
		   &NetBuffer->CurrentMdlOffset);
}

/*
 * NET_BUFFER_LIST.OwfpFlags of the NBLs allocated here. The stream buffers
 * (src/buffer/nbl_view.h) use 0x6f770001 and 0x6f770002 for theirs.
 */
#define OWFP_NBL_WRAPPER 0x6f770003u

/* One allocation holds the NBL and its single NB. */
typedef struct nbl_block {
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
} nbl_block;

static NTSTATUS nbl_wrap(NDIS_HANDLE pool, MDL *chain, ULONG offset, SIZE_T length,
			 NET_BUFFER_LIST **out)
{
	nbl_block *b;
	PMDL cur;
	ULONG cur_off;

	*out = NULL;
	if (length > MAXULONG || offset + (SIZE_T)length > mdl_chain_length(chain) ||
	    !mdl_locate(chain, offset, &cur, &cur_off))
		return STATUS_INVALID_PARAMETER;
	b = owfp_pool_alloc(sizeof(*b), OWFP_TAG_NBL, true);
	if (!b)
		return STATUS_INSUFFICIENT_RESOURCES;
	b->nb.MdlChain = chain;
	b->nb.DataOffset = offset;
	b->nb.DataLength = (ULONG)length;
	b->nb.CurrentMdl = cur;
	b->nb.CurrentMdlOffset = cur_off;
	b->nbl.FirstNetBuffer = &b->nb;
	b->nbl.NdisPoolHandle = pool;
	b->nbl.Status = NDIS_STATUS_SUCCESS;
	b->nbl.OwfpFlags = OWFP_NBL_WRAPPER;
	*out = &b->nbl;
	return STATUS_SUCCESS;
}

static void nbl_unwrap(NET_BUFFER_LIST *nbl, const char *caller)
{
	if (!nbl)
		return;
	if (nbl->OwfpFlags != OWFP_NBL_WRAPPER) {
		/* A clone or an engine NBL: freeing it here would corrupt the
		 * engine, and Windows would bug-check. */
		fprintf(stderr,
			"openwfp: %s(%p): not an NBL from FwpsAllocateNetBufferAndNetBufferList0"
			" or NdisAllocateNetBufferAndNetBufferList\n",
			caller, (void *)nbl);
		KeBugCheckEx(BAD_POOL_CALLER, 0x99, (ULONG_PTR)nbl, 0, 0);
	}
	nbl->OwfpFlags = 0;
	/* nbl is the first member of the block. */
	owfp_pool_free(nbl, OWFP_TAG_NBL, true);
}

NTSTATUS NTAPI FwpsAllocateNetBufferAndNetBufferList0(NDIS_HANDLE poolHandle, USHORT contextSize,
						      USHORT contextBackFill, MDL *mdlChain,
						      ULONG dataOffset, SIZE_T dataLength,
						      NET_BUFFER_LIST **netBufferList)
{
	(void)contextSize;
	(void)contextBackFill;
	if (!netBufferList)
		return STATUS_INVALID_PARAMETER;
	return nbl_wrap(poolHandle, mdlChain, dataOffset, dataLength, netBufferList);
}

void NTAPI FwpsFreeNetBufferList0(NET_BUFFER_LIST *netBufferList)
{
	nbl_unwrap(netBufferList, "FwpsFreeNetBufferList0");
}

PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
						       USHORT ContextBackFill, PMDL MdlChain,
						       ULONG DataOffset, SIZE_T DataLength)
{
	NET_BUFFER_LIST *nbl;

	(void)ContextSize;
	(void)ContextBackFill;
	return NT_SUCCESS(nbl_wrap(PoolHandle, MdlChain, DataOffset, DataLength, &nbl)) ? nbl : NULL;
}

void NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList)
{
	nbl_unwrap(NetBufferList, "NdisFreeNetBufferList");
}

NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
					  PNET_BUFFER_LIST_POOL_PARAMETERS Parameters)
{
	(void)NdisHandle;
	if (!Parameters)
		return NULL;
	/* A one-byte token: the handle only has to be unique and freeable. */
	return owfp_pool_alloc(1, OWFP_TAG_NBL_POOL, true);
}

void NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle)
{
	owfp_pool_free(PoolHandle, OWFP_TAG_NBL_POOL, true);
}

NDIS_HANDLE NdisAllocateNetBufferPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_POOL_PARAMETERS Parameters)
{
	(void)NdisHandle;
	if (!Parameters)
		return NULL;
	return owfp_pool_alloc(1, OWFP_TAG_NBL_POOL, true);
}

void NdisFreeNetBufferPool(NDIS_HANDLE PoolHandle)
{
	owfp_pool_free(PoolHandle, OWFP_TAG_NBL_POOL, true);
}

PNDIS_GENERIC_OBJECT NdisAllocateGenericObject(PDRIVER_OBJECT DriverObject, ULONG Tag, USHORT Size)
{
	PNDIS_GENERIC_OBJECT o = owfp_pool_alloc(sizeof(*o) + Size, Tag, true);

	if (!o)
		return NULL;
	o->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	o->Header.Revision = 1;
	o->Header.Size = (USHORT)sizeof(*o);
	o->Caller = __builtin_return_address(0);
	o->DriverObject = DriverObject;
	return o;
}

void NdisFreeGenericObject(PNDIS_GENERIC_OBJECT NdisObject)
{
	/* Any tag: the one it was allocated with is not known here. */
	owfp_pool_free(NdisObject, 0, false);
}
