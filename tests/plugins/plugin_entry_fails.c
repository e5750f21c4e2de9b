/*
 * A driver whose DriverEntry fails after creating a device (and forgets to
 * delete it): the loader must report the NTSTATUS and clean up.
 *
 * Its own DriverEntry, not test_driver.h's: the failing, leaking DriverEntry
 * is the test.
 */
#include <ntddk.h>

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	PDEVICE_OBJECT device;

	UNREFERENCED_PARAMETER(RegistryPath);
	(void)IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &device);
	return STATUS_UNSUCCESSFUL;
}
