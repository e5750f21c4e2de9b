/*
 * The smallest well-behaved driver: DriverEntry creates a device whose
 * extension records the registry path it was given and holds a tagged pool
 * allocation; DriverUnload frees both. Used by test_plugin_loader.c.
 *
 * Its own DriverEntry, not test_driver.h's: the loader test checks this
 * DriverEntry's own work (device extension, registry path), with no callout.
 */
#include <ntddk.h>

#define MINIMAL_TAG 'niMO' /* "OMin" */

typedef struct MINIMAL_EXTENSION {
	WCHAR RegistryPath[512];
	PVOID Buffer;
} MINIMAL_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD MinimalUnload;

static PDEVICE_OBJECT gDevice;

static void MinimalUnload(PDRIVER_OBJECT DriverObject)
{
	MINIMAL_EXTENSION *ext = gDevice->DeviceExtension;

	UNREFERENCED_PARAMETER(DriverObject);
	ExFreePoolWithTag(ext->Buffer, MINIMAL_TAG);
	IoDeleteDevice(gDevice);
	gDevice = NULL;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	MINIMAL_EXTENSION *ext;
	NTSTATUS status;
	SIZE_T n;

	status = IoCreateDevice(DriverObject, sizeof(MINIMAL_EXTENSION), NULL, FILE_DEVICE_NETWORK,
				FILE_DEVICE_SECURE_OPEN, FALSE, &gDevice);
	if (!NT_SUCCESS(status))
		return status;
	ext = gDevice->DeviceExtension;
	n = RegistryPath->Length / sizeof(WCHAR);
	if (n >= RTL_NUMBER_OF(ext->RegistryPath))
		n = RTL_NUMBER_OF(ext->RegistryPath) - 1;
	RtlCopyMemory(ext->RegistryPath, RegistryPath->Buffer, n * sizeof(WCHAR));
	ext->Buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, MINIMAL_TAG);
	if (!ext->Buffer) {
		IoDeleteDevice(gDevice);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	DriverObject->DriverUnload = MinimalUnload;
	return STATUS_SUCCESS;
}
