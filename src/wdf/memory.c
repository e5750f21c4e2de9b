/* WDFMEMORY: buffers with their length, a request's or the driver's own. */
#include <string.h>

#include "wdf/wdf_int.h"

#define DEFAULT_POOL_TAG 'tsfW' /* "Wfst", as a WDK build's default driver tag reads */

static void memory_release(struct wdf_obj *o)
{
	struct wdf_memory *m = (struct wdf_memory *)o;

	if (m->pool_tag)
		ExFreePoolWithTag(m->buffer, m->pool_tag);
}

static const struct wdf_ops memory_ops = {NULL, memory_release};

static NTSTATUS create(PWDF_OBJECT_ATTRIBUTES Attributes, struct wdf_driver *drv, void *buffer,
		       size_t size, ULONG tag, WDFMEMORY *Memory)
{
	struct wdf_memory *m;
	NTSTATUS st;

	m = (struct wdf_memory *)owfp_wdf_obj_new(sizeof(*m), WDF_KIND_MEMORY, &memory_ops,
						  Attributes, drv ? &drv->obj : NULL, drv, &st);
	if (!m) {
		if (tag)
			ExFreePoolWithTag(buffer, tag);
		return st;
	}
	m->buffer = buffer;
	m->length = size;
	m->pool_tag = tag;
	*Memory = (WDFMEMORY)m;
	return STATUS_SUCCESS;
}

NTSTATUS WdfMemoryCreate(PWDF_OBJECT_ATTRIBUTES Attributes, POOL_TYPE PoolType, ULONG PoolTag,
			 size_t BufferSize, WDFMEMORY *Memory, PVOID *Buffer)
{
	struct wdf_driver *drv = owfp_wdf_driver_at(__builtin_return_address(0));
	void *buf;
	NTSTATUS st;

	if (Memory)
		*Memory = NULL;
	if (Buffer)
		*Buffer = NULL;
	if (!Memory || !BufferSize)
		return STATUS_INVALID_PARAMETER;
	if (!PoolTag)
		PoolTag = drv && drv->config.DriverPoolTag ? drv->config.DriverPoolTag
							   : DEFAULT_POOL_TAG;
	buf = ExAllocatePoolWithTag(PoolType, BufferSize, PoolTag);
	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	st = create(Attributes, drv, buf, BufferSize, PoolTag, Memory);
	if (NT_SUCCESS(st) && Buffer)
		*Buffer = buf;
	return st;
}

NTSTATUS WdfMemoryCreatePreallocated(PWDF_OBJECT_ATTRIBUTES Attributes, PVOID Buffer,
				     size_t BufferSize, WDFMEMORY *Memory)
{
	struct wdf_driver *drv = owfp_wdf_driver_at(__builtin_return_address(0));

	if (Memory)
		*Memory = NULL;
	if (!Memory || !Buffer || !BufferSize)
		return STATUS_INVALID_PARAMETER;
	return create(Attributes, drv, Buffer, BufferSize, 0, Memory);
}

PVOID WdfMemoryGetBuffer(WDFMEMORY Memory, size_t *BufferSize)
{
	struct wdf_memory *m = (struct wdf_memory *)owfp_wdf_obj_get(Memory, WDF_KIND_MEMORY,
								     "WdfMemoryGetBuffer");

	if (BufferSize)
		*BufferSize = m ? m->length : 0;
	return m ? m->buffer : NULL;
}

/* The memory if [offset, offset + n) lies inside it; the status otherwise. */
static NTSTATUS range(WDFMEMORY Memory, size_t offset, size_t n, PVOID Buffer,
		      struct wdf_memory **out, const char *caller)
{
	struct wdf_memory *m = (struct wdf_memory *)owfp_wdf_obj_get(Memory, WDF_KIND_MEMORY, caller);

	if (!m || (n && !Buffer))
		return STATUS_INVALID_PARAMETER;
	if (offset > m->length || n > m->length - offset)
		return STATUS_INVALID_BUFFER_SIZE;
	*out = m;
	return STATUS_SUCCESS;
}

NTSTATUS WdfMemoryCopyToBuffer(WDFMEMORY SourceMemory, size_t SourceOffset, PVOID Buffer,
			       size_t NumBytesToCopyTo)
{
	struct wdf_memory *m;
	NTSTATUS st = range(SourceMemory, SourceOffset, NumBytesToCopyTo, Buffer, &m,
			    "WdfMemoryCopyToBuffer");

	if (NT_SUCCESS(st) && NumBytesToCopyTo)
		memcpy(Buffer, (UCHAR *)m->buffer + SourceOffset, NumBytesToCopyTo);
	return st;
}

NTSTATUS WdfMemoryCopyFromBuffer(WDFMEMORY DestinationMemory, size_t DestinationOffset,
				 PVOID Buffer, size_t NumBytesToCopyFrom)
{
	struct wdf_memory *m;
	NTSTATUS st = range(DestinationMemory, DestinationOffset, NumBytesToCopyFrom, Buffer, &m,
			    "WdfMemoryCopyFromBuffer");

	if (NT_SUCCESS(st) && NumBytesToCopyFrom)
		memmove((UCHAR *)m->buffer + DestinationOffset, Buffer, NumBytesToCopyFrom);
	return st;
}
