/*
 * A driver calling a kernel routine openwfp does not provide: loading must
 * fail (RTLD_NOW) with a message naming the missing function.
 *
 * Its own DriverEntry, not test_driver.h's: the unresolved call in it is the
 * test.
 */
#include <ntddk.h>

DRIVER_INITIALIZE DriverEntry;
NTSTATUS OwfpTestRoutineThatDoesNotExist(void);

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	return OwfpTestRoutineThatDoesNotExist();
}
