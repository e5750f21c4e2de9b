// The public headers from C++: extern "C" linkage, GUID references,
// INITGUID definitions, and structures used as C++ aggregates.
#include <ntddk.h>
#include <ndis.h>
#include <fwpsk.h>
#include <fwpmk.h>
#include <initguid.h>

DEFINE_GUID(CXX_CALLOUT, 0x01020304, 0x0506, 0x0708, 9, 10, 11, 12, 13, 14, 15, 16);

extern "C" DRIVER_INITIALIZE DriverEntry;

static void NTAPI CxxClassify(const FWPS_INCOMING_VALUES0 *, const FWPS_INCOMING_METADATA_VALUES0 *,
			      void *layerData, const void *, const FWPS_FILTER3 *, UINT64,
			      FWPS_CLASSIFY_OUT0 *out)
{
	auto *io = static_cast<FWPS_STREAM_CALLOUT_IO_PACKET0 *>(layerData);
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	out->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI CxxNotify(FWPS_CALLOUT_NOTIFY_TYPE, const GUID *, FWPS_FILTER3 *)
{
	return STATUS_SUCCESS;
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING)
{
	PDEVICE_OBJECT dev = nullptr;
	FWPS_CALLOUT3 c = {};
	NTSTATUS s = IoCreateDevice(driver, 0, nullptr, FILE_DEVICE_NETWORK, 0, FALSE, &dev);
	if (!NT_SUCCESS(s))
		return s;
	c.calloutKey = CXX_CALLOUT;
	c.classifyFn = CxxClassify;
	c.notifyFn = CxxNotify;
	// Both the C++ reference form and the pointer form of IsEqualGUID.
	if (!IsEqualGUID(c.calloutKey, CXX_CALLOUT) || !IsEqualGUID(&c.calloutKey, &CXX_CALLOUT))
		return STATUS_UNSUCCESSFUL;
	if (IsEqualGUID(FWPM_LAYER_STREAM_V4, FWPM_LAYER_STREAM_V6))
		return STATUS_UNSUCCESSFUL;
	return FwpsCalloutRegister3(dev, &c, nullptr);
}
