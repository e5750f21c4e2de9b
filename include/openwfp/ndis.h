/*
 * The NDIS buffer subset used at the WFP stream layer: MDL, NET_BUFFER and
 * NET_BUFFER_LIST, with the accessor macros drivers use.
 *
 * Layout is our own (drivers only use the macros and named fields). Fields
 * named Owfp* are private to openwfp.
 *
 * Conventions (the same as NDIS):
 *  - an MDL describes ByteCount bytes starting at MappedSystemVa
 *    (= StartVa + ByteOffset); MDLs of one chain are linked through Next;
 *  - a NET_BUFFER's data starts DataOffset bytes into its MdlChain (counted
 *    across MDLs) and is DataLength bytes long; CurrentMdl/CurrentMdlOffset
 *    name the MDL holding the first data byte and the offset inside it.
 */
#ifndef OPENWFP_NDIS_H
#define OPENWFP_NDIS_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)STATUS_PENDING)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)STATUS_UNSUCCESSFUL)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)STATUS_INVALID_PARAMETER)

/* ------------------------------------------------------------------- MDL */

typedef struct _MDL {
	struct _MDL *Next;
	CSHORT Size;
	CSHORT MdlFlags;
	PVOID StartVa;
	PVOID MappedSystemVa; /* address of the first described byte */
	ULONG ByteCount;
	ULONG ByteOffset;
	void *OwfpBacking; /* openwfp private: owned storage, or NULL */
} MDL, *PMDL;

typedef enum _MM_PAGE_PRIORITY {
	LowPagePriority = 0,
	NormalPagePriority = 16,
	HighPagePriority = 32,
} MM_PAGE_PRIORITY;
#define MdlMappingNoWrite 0x80000000
#define MdlMappingNoExecute 0x40000000

#define MDL_MAPPED_TO_SYSTEM_VA 0x0001
#define MDL_SOURCE_IS_NONPAGED_POOL 0x0004

/* Every MDL here is mapped already, so these cannot fail. */
#define MmGetSystemAddressForMdlSafe(Mdl, Priority) ((void)(Priority), (PVOID)(Mdl)->MappedSystemVa)
#define MmGetSystemAddressForMdl(Mdl) ((PVOID)(Mdl)->MappedSystemVa)
#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PUCHAR)(Mdl)->StartVa + (Mdl)->ByteOffset))
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl) ((Mdl)->ByteOffset)
#define MmBuildMdlForNonPagedPool(Mdl) ((void)(Mdl))
#define MmInitializeMdl(Mdl, BaseVa, Length)               \
	do {                                               \
		(Mdl)->Next = NULL;                        \
		(Mdl)->Size = (CSHORT)sizeof(MDL);         \
		(Mdl)->MdlFlags = MDL_MAPPED_TO_SYSTEM_VA; \
		(Mdl)->StartVa = (PVOID)(BaseVa);          \
		(Mdl)->ByteOffset = 0;                     \
		(Mdl)->MappedSystemVa = (PVOID)(BaseVa);   \
		(Mdl)->ByteCount = (ULONG)(Length);        \
		(Mdl)->OwfpBacking = NULL;                 \
	} while (0)
#define MmSizeOfMdl(Base, Length) ((SIZE_T)sizeof(MDL))

#define NDIS_MDL_LINKAGE(Mdl) ((Mdl)->Next)
#define NdisGetNextMdl(CurrentMdl, NextMdl) (*(NextMdl) = (CurrentMdl)->Next)
#define NdisQueryMdl(Mdl, VirtualAddress, Length, Priority)                                   \
	do {                                                                                  \
		*(PVOID *)(VirtualAddress) = MmGetSystemAddressForMdlSafe((Mdl), (Priority)); \
		*(Length) = MmGetMdlByteCount(Mdl);                                           \
	} while (0)
#define NdisQueryMdlOffset(Mdl, Offset, Length)      \
	do {                                         \
		*(Offset) = MmGetMdlByteOffset(Mdl); \
		*(Length) = MmGetMdlByteCount(Mdl);  \
	} while (0)

/*
 * Describes Length bytes at VirtualAddress (no copy: the caller keeps the
 * memory alive until IoFreeMdl). SecondaryBuffer, ChargeQuota and Irp are
 * ignored. NULL when out of memory.
 */
PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota,
		   PIRP Irp);
void IoFreeMdl(PMDL Mdl);

/* ------------------------------------------------------------ NET_BUFFER */

typedef struct _NET_BUFFER {
	struct _NET_BUFFER *Next;
	PMDL CurrentMdl;
	ULONG CurrentMdlOffset;
	ULONG DataLength;
	PMDL MdlChain;
	ULONG DataOffset;
	void *OwfpBacking; /* openwfp private */
} NET_BUFFER, *PNET_BUFFER;

typedef struct _NET_BUFFER_LIST {
	struct _NET_BUFFER_LIST *Next;
	PNET_BUFFER FirstNetBuffer;
	PVOID Context;
	struct _NET_BUFFER_LIST *ParentNetBufferList;
	NDIS_HANDLE NdisPoolHandle;
	NDIS_HANDLE SourceHandle;
	ULONG ChildRefCount;
	ULONG Flags;
	NDIS_STATUS Status;
	ULONG OwfpFlags;   /* openwfp private */
	void *OwfpBacking; /* openwfp private */
	void *OwfpContext; /* openwfp private */
} NET_BUFFER_LIST, *PNET_BUFFER_LIST;

#define NET_BUFFER_NEXT_NB(Nb) ((Nb)->Next)
#define NET_BUFFER_FIRST_MDL(Nb) ((Nb)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(Nb) ((Nb)->DataLength)
#define NET_BUFFER_DATA_OFFSET(Nb) ((Nb)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(Nb) ((Nb)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(Nb) ((Nb)->CurrentMdlOffset)

#define NET_BUFFER_LIST_NEXT_NBL(Nbl) ((Nbl)->Next)
#define NET_BUFFER_LIST_FIRST_NB(Nbl) ((Nbl)->FirstNetBuffer)
#define NET_BUFFER_LIST_STATUS(Nbl) ((Nbl)->Status)
#define NET_BUFFER_LIST_FLAGS(Nbl) ((Nbl)->Flags)

/*
 * Returns a pointer to the next BytesNeeded bytes of NetBuffer (starting at
 * its current data offset): straight into the MDL when they are contiguous
 * there, else copied into Storage (if Storage is not NULL). NULL when the
 * buffer holds fewer than BytesNeeded bytes, or when they are not
 * contiguous and Storage is NULL. Alignment arguments are ignored.
 */
PVOID NdisGetDataBuffer(PNET_BUFFER NetBuffer, ULONG BytesNeeded, PVOID Storage, UINT AlignMultiple,
			UINT AlignOffset);

/*
 * Wraps MdlChain in one NBL with one NB, zero-copy (the same as
 * FwpsAllocateNetBufferAndNetBufferList0); NULL on failure or when the
 * range lies beyond the chain. Free with NdisFreeNetBufferList.
 */
PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
						       USHORT ContextBackFill, PMDL MdlChain,
						       ULONG DataOffset, SIZE_T DataLength);
void NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList);

/* Moves the data start back within space already described by the MDLs
 * (no new MDL is ever allocated: NDIS_STATUS_RESOURCES if there is none). */
NDIS_STATUS NdisRetreatNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta,
					  ULONG DataBackFill, PVOID AllocateMdlHandler);
/* Moves the data start forward; MDLs are never freed (FreeMdl is ignored). */
void NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN FreeMdl,
				   PVOID FreeMdlHandler);

/* ------------------------------------------------------------------ pools */

typedef struct _NDIS_OBJECT_HEADER {
	UCHAR Type;
	UCHAR Revision;
	USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;
#define NDIS_OBJECT_TYPE_DEFAULT 0x80

typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	UCHAR ProtocolId;
	BOOLEAN fAllocateNetBuffer;
	USHORT ContextSize;
	ULONG PoolTag;
	ULONG DataSize;
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;
#define NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1 \
	((USHORT)sizeof(NET_BUFFER_LIST_POOL_PARAMETERS))
#define NDIS_PROTOCOL_ID_DEFAULT 0x00
#define NDIS_PROTOCOL_ID_TCP_IP 0x02

/*
 * A pool here is only a token (allocation is malloc); it is still
 * allocated so that a leaked pool shows up in the pool counters. The
 * parameters are not checked beyond NULL.
 */
NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
					  PNET_BUFFER_LIST_POOL_PARAMETERS Parameters);
void NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle);

typedef struct _NET_BUFFER_POOL_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG PoolTag;
	ULONG DataSize;
} NET_BUFFER_POOL_PARAMETERS, *PNET_BUFFER_POOL_PARAMETERS;
#define NET_BUFFER_POOL_PARAMETERS_REVISION_1 1
#define NDIS_SIZEOF_NET_BUFFER_POOL_PARAMETERS_REVISION_1 \
	((USHORT)sizeof(NET_BUFFER_POOL_PARAMETERS))
/* A token as well (NET_BUFFERs are allocated with their NBL here). */
NDIS_HANDLE NdisAllocateNetBufferPool(NDIS_HANDLE NdisHandle, PNET_BUFFER_POOL_PARAMETERS Parameters);
void NdisFreeNetBufferPool(NDIS_HANDLE PoolHandle);

/* ------------------------------------------------------- generic objects */

/*
 * An NDIS handle for a driver that is not a miniport, filter or protocol
 * (WFP callouts pass it to NdisAllocateNetBufferListPool). Size extra
 * zeroed bytes follow the object; it is allocated with Tag, so a leaked
 * one shows in the pool counters.
 */
typedef struct _NDIS_GENERIC_OBJECT {
	NDIS_OBJECT_HEADER Header;
	PVOID Caller;
	PVOID CallersCaller;
	PDRIVER_OBJECT DriverObject;
} NDIS_GENERIC_OBJECT, *PNDIS_GENERIC_OBJECT;

PNDIS_GENERIC_OBJECT NdisAllocateGenericObject(PDRIVER_OBJECT DriverObject, ULONG Tag, USHORT Size);
void NdisFreeGenericObject(PNDIS_GENERIC_OBJECT NdisObject);

OWFP_EXTERN_C_END

#endif /* OPENWFP_NDIS_H */
