/* WDFDEVICE: control devices over real DEVICE_OBJECTs, their symbolic links. */
#include <stdlib.h>
#include <string.h>

#include "wdf/wdf_int.h"
#include "wdm/objdir.h"
#include "util/alloc.h"

/* Every WDFDEVICE alive, to find one from its DEVICE_OBJECT (dispatch). */
static pthread_mutex_t devices_mu = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY devices = {&devices, &devices};

struct wdf_device *owfp_wdf_device_of(PDEVICE_OBJECT wdm)
{
	struct wdf_device *found = NULL;

	pthread_mutex_lock(&devices_mu);
	for (PLIST_ENTRY e = devices.Flink; e != &devices; e = e->Flink) {
		struct wdf_device *d = CONTAINING_RECORD(e, struct wdf_device, all);

		if (d->wdm == wdm) {
			found = d;
			/* Listed means not torn down yet: safe to reference. */
			owfp_wdf_obj_ref(&d->obj);
			break;
		}
	}
	pthread_mutex_unlock(&devices_mu);
	return found;
}

static void device_teardown(struct wdf_obj *o)
{
	struct wdf_device *d = (struct wdf_device *)o;

	pthread_mutex_lock(&devices_mu);
	RemoveEntryList(&d->all);
	InitializeListHead(&d->all);
	pthread_mutex_unlock(&devices_mu);
	if (d->link.Buffer)
		IoDeleteSymbolicLink(&d->link);
	if (d->wdm)
		IoDeleteDevice(d->wdm);
	d->wdm = NULL;
}

static void device_release(struct wdf_obj *o)
{
	free(((struct wdf_device *)o)->link.Buffer);
}

static const struct wdf_ops device_ops = {device_teardown, device_release};

NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit, PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
			 WDFDEVICE *Device)
{
	PWDFDEVICE_INIT init;
	struct wdf_device *d;
	NTSTATUS st;

	if (Device)
		*Device = NULL;
	if (!DeviceInit || !*DeviceInit || !Device)
		return STATUS_INVALID_PARAMETER;
	init = *DeviceInit;
	/* A device's parent is its driver, always. */
	if (DeviceAttributes && DeviceAttributes->ParentObject)
		return STATUS_INVALID_PARAMETER;
	d = (struct wdf_device *)owfp_wdf_obj_new(sizeof(*d), WDF_KIND_DEVICE, &device_ops,
						  DeviceAttributes, &init->driver->obj,
						  init->driver, &st);
	if (!d)
		return st;
	InitializeListHead(&d->all);
	st = IoCreateDevice(init->driver->wdm, sizeof(struct wdf_device *),
			    init->name.Length ? &init->name : NULL, init->type,
			    init->characteristics, init->exclusive, &d->wdm);
	if (!NT_SUCCESS(st)) {
		d->wdm = NULL;
		owfp_wdf_obj_discard(&d->obj);
		return st;
	}
	/* Where KMDF keeps it too; only the framework reads it. */
	*(struct wdf_device **)d->wdm->DeviceExtension = d;
	d->io_type = init->io_type;
	d->wdm->Flags |= init->io_type == WdfDeviceIoDirect     ? DO_DIRECT_IO
			 : init->io_type == WdfDeviceIoBuffered ? DO_BUFFERED_IO
								: 0;
	pthread_mutex_lock(&devices_mu);
	InsertTailList(&devices, &d->all);
	pthread_mutex_unlock(&devices_mu);
	WdfDeviceInitFree(init);
	*DeviceInit = NULL;
	*Device = (WDFDEVICE)d;
	return STATUS_SUCCESS;
}

NTSTATUS WdfDeviceCreateSymbolicLink(WDFDEVICE Device, PCUNICODE_STRING SymbolicLinkName)
{
	struct wdf_device *d = (struct wdf_device *)owfp_wdf_obj_get(Device, WDF_KIND_DEVICE,
								     "WdfDeviceCreateSymbolicLink");
	PCUNICODE_STRING target;
	UNICODE_STRING copy;
	NTSTATUS st;

	if (!d || !SymbolicLinkName || !SymbolicLinkName->Buffer || !SymbolicLinkName->Length)
		return STATUS_INVALID_PARAMETER;
	target = owfp_objdir_device_name(d->wdm);
	if (!target || d->link.Buffer)
		return STATUS_INVALID_DEVICE_REQUEST;
	copy.Buffer = owfp_malloc(SymbolicLinkName->Length + sizeof(WCHAR));
	if (!copy.Buffer)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(copy.Buffer, SymbolicLinkName->Buffer, SymbolicLinkName->Length);
	copy.Buffer[SymbolicLinkName->Length / sizeof(WCHAR)] = 0;
	copy.Length = SymbolicLinkName->Length;
	copy.MaximumLength = (USHORT)(SymbolicLinkName->Length + sizeof(WCHAR));
	st = IoCreateSymbolicLink(&copy, (PUNICODE_STRING)target);
	if (!NT_SUCCESS(st)) {
		free(copy.Buffer);
		return st;
	}
	d->link = copy;
	return STATUS_SUCCESS;
}

void WdfControlFinishInitializing(WDFDEVICE Device)
{
	struct wdf_device *d = (struct wdf_device *)owfp_wdf_obj_get(Device, WDF_KIND_DEVICE,
								     "WdfControlFinishInitializing");

	if (d && d->wdm)
		d->wdm->Flags &= ~(ULONG)DO_DEVICE_INITIALIZING;
}

PDEVICE_OBJECT WdfDeviceWdmGetDeviceObject(WDFDEVICE Device)
{
	struct wdf_device *d = (struct wdf_device *)owfp_wdf_obj_get(Device, WDF_KIND_DEVICE,
								     "WdfDeviceWdmGetDeviceObject");

	return d ? d->wdm : NULL;
}

WDFDEVICE WdfWdmDeviceGetWdfDeviceHandle(PDEVICE_OBJECT DeviceObject)
{
	struct wdf_device *d = owfp_wdf_device_of(DeviceObject);

	/* The handle stays valid while the device lives; no reference is handed out. */
	if (d)
		owfp_wdf_obj_unref(&d->obj);
	return (WDFDEVICE)d;
}

WDFDRIVER WdfDeviceGetDriver(WDFDEVICE Device)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Device, WDF_KIND_DEVICE, "WdfDeviceGetDriver");

	return o ? (WDFDRIVER)o->driver : NULL;
}

WDFQUEUE WdfDeviceGetDefaultQueue(WDFDEVICE Device)
{
	struct wdf_device *d = (struct wdf_device *)owfp_wdf_obj_get(Device, WDF_KIND_DEVICE,
								     "WdfDeviceGetDefaultQueue");

	return d ? (WDFQUEUE)d->default_queue : NULL;
}
