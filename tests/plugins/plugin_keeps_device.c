/*
 * A driver that sets no DriverUnload and leaves its two devices behind:
 * the loader must delete them at unload.
 *
 * Its own DriverEntry, not test_driver.h's: the devices left behind are the
 * test.
 */
#include <ntddk.h>

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	PDEVICE_OBJECT a, b;
	NTSTATUS status;

	UNREFERENCED_PARAMETER(RegistryPath);
	status = IoCreateDevice(DriverObject, 16, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &a);
	if (!NT_SUCCESS(status))
		return status;
	return IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &b);
}
