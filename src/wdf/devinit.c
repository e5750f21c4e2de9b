/* WDFDEVICE_INIT: what a control device is made from (WdfControlDeviceInitAllocate, WdfDeviceInitSet*). */
#include <stdlib.h>
#include <string.h>

#include "wdf/wdf_int.h"
#include "util/alloc.h"

PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER Driver, PCUNICODE_STRING SDDLString)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Driver, WDF_KIND_DRIVER, "WdfControlDeviceInitAllocate");
	PWDFDEVICE_INIT init;

	if (!o)
		return NULL;
	if (!SDDLString || !SDDLString->Buffer) {
		/* KMDF requires a security descriptor for a control device. */
		owfp_wdf_report((struct wdf_driver *)o, "WdfControlDeviceInitAllocate",
				"no SDDL string; refused");
		return NULL;
	}
	init = owfp_calloc(1, sizeof(*init));
	if (!init)
		return NULL;
	init->driver = (struct wdf_driver *)o;
	init->type = FILE_DEVICE_UNKNOWN;
	init->io_type = WdfDeviceIoBuffered;
	init->has_sddl = true;
	return init;
}

void WdfDeviceInitFree(PWDFDEVICE_INIT DeviceInit)
{
	if (!DeviceInit)
		return;
	free(DeviceInit->name.Buffer);
	free(DeviceInit);
}

void WdfDeviceInitSetDeviceType(PWDFDEVICE_INIT DeviceInit, DEVICE_TYPE DeviceType)
{
	if (DeviceInit)
		DeviceInit->type = DeviceType;
}

void WdfDeviceInitSetCharacteristics(PWDFDEVICE_INIT DeviceInit, ULONG DeviceCharacteristics,
				     BOOLEAN OrInValues)
{
	if (!DeviceInit)
		return;
	if (OrInValues)
		DeviceInit->characteristics |= DeviceCharacteristics;
	else
		DeviceInit->characteristics = DeviceCharacteristics;
}

void WdfDeviceInitSetDeviceClass(PWDFDEVICE_INIT DeviceInit, const GUID *DeviceClassGuid)
{
	if (!DeviceInit || !DeviceClassGuid)
		return;
	DeviceInit->device_class = *DeviceClassGuid;
	DeviceInit->has_class = true;
}

void WdfDeviceInitSetIoType(PWDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType)
{
	if (DeviceInit && IoType > WdfDeviceIoUndefined && IoType < WdfDeviceIoMaximum)
		DeviceInit->io_type = IoType == WdfDeviceIoBufferedOrDirect ? WdfDeviceIoDirect
									    : IoType;
}

void WdfDeviceInitSetExclusive(PWDFDEVICE_INIT DeviceInit, BOOLEAN IsExclusive)
{
	if (DeviceInit)
		DeviceInit->exclusive = IsExclusive;
}

NTSTATUS WdfDeviceInitAssignName(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceName)
{
	PWCH copy;

	if (!DeviceInit)
		return STATUS_INVALID_PARAMETER;
	free(DeviceInit->name.Buffer);
	memset(&DeviceInit->name, 0, sizeof(DeviceInit->name));
	if (!DeviceName || !DeviceName->Length)
		return STATUS_SUCCESS;
	if (!DeviceName->Buffer)
		return STATUS_INVALID_PARAMETER;
	copy = owfp_malloc(DeviceName->Length + sizeof(WCHAR));
	if (!copy)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(copy, DeviceName->Buffer, DeviceName->Length);
	copy[DeviceName->Length / sizeof(WCHAR)] = 0;
	DeviceInit->name.Buffer = copy;
	DeviceInit->name.Length = DeviceName->Length;
	DeviceInit->name.MaximumLength = (USHORT)(DeviceName->Length + sizeof(WCHAR));
	return STATUS_SUCCESS;
}

NTSTATUS WdfDeviceInitAssignSDDLString(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING SDDLString)
{
	if (!DeviceInit)
		return STATUS_INVALID_PARAMETER;
	DeviceInit->has_sddl = SDDLString != NULL;
	return STATUS_SUCCESS;
}
