/* Device objects: only bookkeeping, since no I/O is ever sent to them. */
#include "wdm/pool.h"

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
	/* The extension lives right after the object, as on Windows. */
	dev = owfp_pool_alloc(sizeof(*dev) + DeviceExtensionSize, OWFP_TAG_DEVICE, true);
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
	dev->DeviceExtension = DeviceExtensionSize ? (PVOID)(dev + 1) : NULL;
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
