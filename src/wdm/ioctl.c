/* DeviceIoControl: open the device, lay out the buffers, send the IRPs, copy back. */
#include "wdm/ioctl.h"

#include <stdlib.h>
#include <string.h>

#include "openwfp/ndis.h"
#include "wdm/irp.h"
#include "wdm/objdir.h"
#include "util/alloc.h"

static uint32_t timeout_ms = 30000;

void owfp_ioctl_set_timeout_ms(uint32_t ms)
{
	__atomic_store_n(&timeout_ms, ms, __ATOMIC_RELAXED);
}

static uint64_t timeout_ns(void)
{
	return (uint64_t)__atomic_load_n(&timeout_ms, __ATOMIC_RELAXED) * 1000000u;
}

/* A copy of len bytes of src (zeroed up to size), or NULL when size is 0. */
static void *copy_in(const void *src, size_t len, size_t size, bool *oom)
{
	void *p;

	if (!size)
		return NULL;
	p = owfp_calloc(1, size);
	if (!p) {
		*oom = true;
		return NULL;
	}
	if (len)
		memcpy(p, src, len);
	return p;
}

/*
 * Sends one IRP and drops it. A file object still referenced by an IRP the
 * driver has not completed moves into that IRP (freed with it); *file_given
 * then says so.
 */
static NTSTATUS finish(PIRP irp, PFILE_OBJECT file, bool *file_given, NTSTATUS st, bool completed)
{
	if (!completed && !*file_given) {
		owfp_irp_keep(irp, file);
		*file_given = true;
	}
	owfp_irp_put(irp);
	return st;
}

static NTSTATUS send_simple(PDEVICE_OBJECT dev, PFILE_OBJECT file, UCHAR major, bool *file_given)
{
	PIRP irp = owfp_irp_new(dev, file, major);
	bool completed;
	NTSTATUS st;

	if (!irp)
		return STATUS_INSUFFICIENT_RESOURCES;
	st = owfp_irp_call(irp, timeout_ns(), &completed);
	return finish(irp, file, file_given, st, completed);
}

static NTSTATUS device_control(PDEVICE_OBJECT dev, PFILE_OBJECT file, bool *file_given, ULONG code,
			       const void *in, ULONG in_len, void *out, ULONG out_len,
			       ULONG_PTR *information)
{
	PIRP irp = owfp_irp_new(dev, file, IRP_MJ_DEVICE_CONTROL);
	ULONG method = METHOD_FROM_CTL_CODE(code);
	PIO_STACK_LOCATION sl;
	void *sysbuf = NULL, *outbuf = NULL;
	bool oom = false, completed;
	ULONG_PTR info;
	NTSTATUS st;

	if (!irp)
		return STATUS_INSUFFICIENT_RESOURCES;
	sl = IoGetCurrentIrpStackLocation(irp);
	sl->Parameters.DeviceIoControl.IoControlCode = code;
	sl->Parameters.DeviceIoControl.InputBufferLength = in_len;
	sl->Parameters.DeviceIoControl.OutputBufferLength = out_len;
	if (method == METHOD_BUFFERED) {
		sysbuf = copy_in(in, in_len, in_len > out_len ? in_len : out_len, &oom);
		irp->AssociatedIrp.SystemBuffer = sysbuf;
	} else {
		/* The driver gets copies, so that it can never reach the caller's
		 * memory once the caller stopped waiting. */
		outbuf = copy_in(out, out_len, out_len, &oom);
		if (method == METHOD_NEITHER) {
			sysbuf = copy_in(in, in_len, in_len, &oom);
			sl->Parameters.DeviceIoControl.Type3InputBuffer = sysbuf;
			irp->UserBuffer = outbuf;
		} else {
			sysbuf = copy_in(in, in_len, in_len, &oom);
			irp->AssociatedIrp.SystemBuffer = sysbuf;
			if (outbuf) {
				irp->MdlAddress = IoAllocateMdl(outbuf, out_len, FALSE, FALSE, NULL);
				oom |= !irp->MdlAddress;
				owfp_irp_keep_mdl(irp, irp->MdlAddress);
			}
		}
	}
	if (sysbuf)
		owfp_irp_keep(irp, sysbuf);
	if (outbuf)
		owfp_irp_keep(irp, outbuf);
	if (oom) {
		/* Never sent: complete it ourselves so that both references go. */
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		owfp_irp_put(irp);
		return STATUS_INSUFFICIENT_RESOURCES;
	}

	st = owfp_irp_call(irp, timeout_ns(), &completed);
	if (completed && !NT_ERROR(st)) {
		info = irp->IoStatus.Information;
		if (info > out_len)
			info = out_len; /* Windows would overrun the caller; never here */
		if (method == METHOD_BUFFERED) {
			if (info)
				memcpy(out, sysbuf, info);
		} else if (out_len) {
			memcpy(out, outbuf, out_len);
		}
		if (information)
			*information = info;
	}
	return finish(irp, file, file_given, st, completed);
}

NTSTATUS owfp_device_ioctl(const char *device, ULONG code, const void *in, ULONG in_len, void *out,
			   ULONG out_len, ULONG_PTR *information)
{
	PDEVICE_OBJECT dev;
	PFILE_OBJECT file;
	bool file_given = false;
	NTSTATUS st;

	if (information)
		*information = 0;
	if ((in_len && !in) || (out_len && !out))
		return STATUS_INVALID_PARAMETER;
	st = owfp_objdir_open(device, &dev);
	if (!NT_SUCCESS(st))
		return st;
	file = owfp_calloc(1, sizeof(*file));
	if (!file) {
		owfp_objdir_close(dev);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	file->Type = IO_TYPE_FILE;
	file->Size = (CSHORT)sizeof(*file);
	file->DeviceObject = dev;

	st = send_simple(dev, file, IRP_MJ_CREATE, &file_given);
	if (NT_SUCCESS(st)) {
		st = device_control(dev, file, &file_given, code, in, in_len, out, out_len,
				    information);
		/* CloseHandle: both go whatever the request's outcome, statuses unused. */
		(void)send_simple(dev, file, IRP_MJ_CLEANUP, &file_given);
		(void)send_simple(dev, file, IRP_MJ_CLOSE, &file_given);
	}
	if (!file_given)
		free(file);
	owfp_objdir_close(dev);
	return st;
}
