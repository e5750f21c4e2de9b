/*
 * KMDF memory objects: a buffer and its length. Request buffers
 * (WdfRequestRetrieveInputMemory/OutputMemory) belong to their request and
 * go when it completes; WdfMemoryCreate allocates from the pool with the
 * driver's tag and frees with the object.
 */
#ifndef OPENWFP_WDFMEMORY_H
#define OPENWFP_WDFMEMORY_H

#include "wdfobject.h"

OWFP_EXTERN_C_BEGIN

typedef struct _WDFMEMORY_OFFSET {
	size_t BufferOffset;
	size_t BufferLength;
} WDFMEMORY_OFFSET, *PWDFMEMORY_OFFSET;

NTSTATUS WdfMemoryCreate(PWDF_OBJECT_ATTRIBUTES Attributes, POOL_TYPE PoolType, ULONG PoolTag,
			 size_t BufferSize, WDFMEMORY *Memory, PVOID *Buffer);
NTSTATUS WdfMemoryCreatePreallocated(PWDF_OBJECT_ATTRIBUTES Attributes, PVOID Buffer,
				     size_t BufferSize, WDFMEMORY *Memory);
/* The buffer, and its length in *BufferSize (may be NULL). */
PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, size_t *BufferSize);
/* STATUS_INVALID_BUFFER_SIZE when offset + count runs past the memory's end. */
NTSTATUS WdfMemoryCopyToBuffer(WDFMEMORY SourceMemory, size_t SourceOffset, PVOID Buffer,
			       size_t NumBytesToCopyTo);
NTSTATUS WdfMemoryCopyFromBuffer(WDFMEMORY DestinationMemory, size_t DestinationOffset,
				 PVOID Buffer, size_t NumBytesToCopyFrom);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFMEMORY_H */
