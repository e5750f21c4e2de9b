/*
 * A driver whose DriverEntry fails an NT_ASSERT after it has created a
 * device and set a timer with a DPC: the load must fail naming the
 * assertion, and the loader must clean up after it (device deleted, timer
 * cancelled before the code is unmapped). Used by test_plugin_contained.c.
 *
 * Its own DriverEntry, not test_driver.h's: the failing DriverEntry is the
 * test.
 */
/* A checked build (DBG=1 on Windows): NT_ASSERT is live in any build type. */
#undef NDEBUG
#include <ntddk.h>

DRIVER_INITIALIZE DriverEntry;
static KDEFERRED_ROUTINE EntryTimerDpc;

static KTIMER gTimer;
static KDPC gDpc;

_Use_decl_annotations_ static void EntryTimerDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
	UNREFERENCED_PARAMETER(Dpc);
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(Arg1);
	UNREFERENCED_PARAMETER(Arg2);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	PDEVICE_OBJECT device;
	LARGE_INTEGER due;
	NTSTATUS status;

	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &device);
	if (!NT_SUCCESS(status))
		return status;
	KeInitializeDpc(&gDpc, EntryTimerDpc, NULL);
	KeInitializeTimer(&gTimer);
	due.QuadPart = -36000000000LL; /* an hour */
	KeSetTimer(&gTimer, due, &gDpc);
	NT_ASSERT(RegistryPath->Length == 0); /* ENTRY_ASSERT_LINE */
	return STATUS_SUCCESS;
}
