/*
 * A driver whose image stays mapped after dlclose, as a C++ plugin with
 * unique symbols does: DriverEntry marks its own object RTLD_NODELETE. The
 * loader must not hand the name it was loaded under to the next plugin.
 *
 * Its own DriverEntry, not test_driver.h's: what DriverEntry does to its own
 * image is the test.
 */
#include <dlfcn.h>
#include <ntddk.h>

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	Dl_info self;
	void *h;

	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	if (!dladdr((void *)(uintptr_t)DriverEntry, &self) || !self.dli_fname)
		return STATUS_UNSUCCESSFUL;
	h = dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
	if (!h)
		return STATUS_UNSUCCESSFUL;
	dlclose(h);
	return STATUS_SUCCESS;
}
