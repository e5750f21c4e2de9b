/* Device objects: only bookkeeping, since no I/O is ever sent to them. */
#include <stdalign.h>

#include "wdm/pool.h"

#define EXT_ALIGN alignof(max_align_t)
#define EXT_OFFSET ((sizeof(DEVICE_OBJECT) + EXT_ALIGN - 1) / EXT_ALIGN * EXT_ALIGN)

NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
			PUNICODE_STRING DeviceName, DEVICE_TYPE DeviceType,
			ULONG DeviceCharacteristics, BOOLEAN Exclusive,
			PDEVICE_OBJECT *DeviceObject)
{
	PDEVICE_OBJECT dev;

	(void)DeviceName;
	(void)Exclusive;
	if (!DriverObject || !DeviceObject)
		return STATUS_INVALID_PARAMETER;
	/* The extension lives right after the object, as on Windows, aligned
	 * for any type. */
	dev = owfp_pool_alloc(EXT_OFFSET + DeviceExtensionSize, OWFP_TAG_DEVICE, true);
	if (!dev) {
		*DeviceObject = NULL;
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	dev->Type = 3; /* IO_TYPE_DEVICE */
	dev->Size = (USHORT)sizeof(*dev);
	dev->ReferenceCount = 1;
	dev->DriverObject = DriverObject;
	dev->DeviceType = DeviceType;
	dev->Characteristics = DeviceCharacteristics;
	dev->Flags = DO_DEVICE_INITIALIZING;
	dev->DeviceExtension = DeviceExtensionSize ? (PVOID)((char *)dev + EXT_OFFSET) : NULL;
	dev->NextDevice = DriverObject->DeviceObject;
	DriverObject->DeviceObject = dev;
	*DeviceObject = dev;
	return STATUS_SUCCESS;
}

void IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
	PDEVICE_OBJECT *link;

	if (!DeviceObject)
		return;
	if (DeviceObject->DriverObject) {
		for (link = &DeviceObject->DriverObject->DeviceObject; *link;
		     link = &(*link)->NextDevice) {
			if (*link == DeviceObject) {
				*link = DeviceObject->NextDevice;
				break;
			}
		}
	}
	owfp_pool_free(DeviceObject, OWFP_TAG_DEVICE, true);
}
