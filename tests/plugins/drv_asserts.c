/*
 * A stream callout driver that fails on purpose, written like a Windows
 * callout driver (DriverEntry, device, FwpsCalloutRegister, a dynamic
 * session adding sublayer, callout and filter). Its classifyFn asserts the
 * stream never carries a marker:
 *   "ASSERTME"   NT_ASSERT fails in classifyFn (the flow must be dropped);
 *   "BUGCHECKME" KeBugCheckEx in classifyFn (the flow must be dropped);
 *   "WORKME"     a work item is queued whose routine fails an NT_ASSERT
 *                (contained on the worker; the flow itself goes on).
 * Every other byte is permitted. Used by tests/integration/test_replay_asserts.sh.
 */
/* A checked build (DBG=1 on Windows): NT_ASSERT is live in any build type. */
#undef NDEBUG
#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>

#define INITGUID
#include <guiddef.h>

DEFINE_GUID(ASSERTS_CALLOUT_V4, 0x7d2c41e0, 0x3b5a, 0x4c19, 0x9e, 0x07, 0x51, 0xa2, 0x6b, 0x3d, 0x90, 0x11);
DEFINE_GUID(ASSERTS_SUBLAYER, 0x7d2c41e0, 0x3b5a, 0x4c19, 0x9e, 0x07, 0x51, 0xa2, 0x6b, 0x3d, 0x90, 0x12);

#define ASSERTS_TAG 'tsAD' /* "DAst" */

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD AssertsUnload;
static IO_WORKITEM_ROUTINE AssertsWork;

static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static UINT32 gCalloutId;
static UINT64 gFilterId;

static BOOLEAN Contains(const UCHAR *data, SIZE_T length, const char *marker)
{
	SIZE_T n = strlen(marker);

	for (SIZE_T i = 0; i + n <= length; i++)
		if (RtlEqualMemory(data + i, marker, n))
			return TRUE;
	return FALSE;
}

_Use_decl_annotations_
static void AssertsWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	PIO_WORKITEM item = Context;

	UNREFERENCED_PARAMETER(DeviceObject);
	IoFreeWorkItem(item);
	NT_ASSERTMSG("a work item saw WORKME", FALSE); /* WORK_ASSERT_LINE */
}

static void NTAPI AssertsClassify(const FWPS_INCOMING_VALUES *inFixedValues,
				  const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
				  const void *classifyContext, const FWPS_FILTER *filter,
				  UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *io = layerData;
	FWPS_STREAM_DATA *data = io->streamData;
	SIZE_T copied = 0;
	UCHAR *copy = NULL;
	BOOLEAN sawAssert, sawBugCheck, sawWork;

	UNREFERENCED_PARAMETER(inFixedValues);
	UNREFERENCED_PARAMETER(inMetaValues);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	if (!(classifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
		return;
	if (data->dataLength) {
		copy = ExAllocatePool2(POOL_FLAG_NON_PAGED, data->dataLength, ASSERTS_TAG);
		if (!copy) {
			classifyOut->actionType = FWP_ACTION_BLOCK;
			return;
		}
		FwpsCopyStreamDataToBuffer(data, copy, data->dataLength, &copied);
	}
	sawAssert = Contains(copy, copied, "ASSERTME");
	sawBugCheck = Contains(copy, copied, "BUGCHECKME");
	sawWork = Contains(copy, copied, "WORKME");
	/* Freed first: a failed assertion abandons the rest of this function. */
	if (copy)
		ExFreePoolWithTag(copy, ASSERTS_TAG);
	NT_ASSERT(!sawAssert); /* CLASSIFY_ASSERT_LINE */
	if (sawBugCheck)
		KeBugCheckEx(MANUALLY_INITIATED_CRASH, 0xA55E, (ULONG_PTR)copied, 0, 0);
	if (sawWork) {
		PIO_WORKITEM item = IoAllocateWorkItem(gDevice);

		if (item)
			IoQueueWorkItem(item, AssertsWork, DelayedWorkQueue, item);
	}
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	io->countBytesEnforced = data->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI AssertsNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				    FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static NTSTATUS AssertsAddObjects(void)
{
	FWPM_SESSION session = { 0 };
	FWPM_SUBLAYER sublayer = { 0 };
	FWPM_CALLOUT callout = { 0 };
	FWPM_FILTER filter = { 0 };
	NTSTATUS status;

	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &gEngine);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpmTransactionBegin(gEngine, 0);
	if (!NT_SUCCESS(status))
		return status;
	sublayer.subLayerKey = ASSERTS_SUBLAYER;
	sublayer.displayData.name = L"OpenWFP failing-driver sublayer";
	sublayer.weight = 0x300;
	status = FwpmSubLayerAdd(gEngine, &sublayer, NULL);
	if (NT_SUCCESS(status)) {
		callout.calloutKey = ASSERTS_CALLOUT_V4;
		callout.displayData.name = L"asserts";
		callout.applicableLayer = FWPM_LAYER_STREAM_V4;
		status = FwpmCalloutAdd(gEngine, &callout, NULL, NULL);
	}
	if (NT_SUCCESS(status)) {
		filter.layerKey = FWPM_LAYER_STREAM_V4;
		filter.subLayerKey = ASSERTS_SUBLAYER;
		filter.displayData.name = L"OpenWFP failing-driver filter";
		filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
		filter.action.calloutKey = ASSERTS_CALLOUT_V4;
		filter.weight.type = FWP_EMPTY;
		status = FwpmFilterAdd(gEngine, &filter, NULL, &gFilterId);
	}
	if (!NT_SUCCESS(status)) {
		FwpmTransactionAbort(gEngine);
		return status;
	}
	return FwpmTransactionCommit(gEngine);
}

static void AssertsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (gEngine) {
		if (gFilterId)
			FwpmFilterDeleteById(gEngine, gFilterId);
		FwpmCalloutDeleteByKey(gEngine, &ASSERTS_CALLOUT_V4);
		FwpmSubLayerDeleteByKey(gEngine, &ASSERTS_SUBLAYER);
		FwpmEngineClose(gEngine);
		gEngine = NULL;
	}
	if (gCalloutId)
		FwpsCalloutUnregisterById(gCalloutId);
	if (gDevice)
		IoDeleteDevice(gDevice);
	gDevice = NULL;
	gCalloutId = 0;
	gFilterId = 0;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	FWPS_CALLOUT callout = { 0 };
	NTSTATUS status;

	UNREFERENCED_PARAMETER(RegistryPath);
	ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &gDevice);
	if (!NT_SUCCESS(status))
		return status;
	callout.calloutKey = ASSERTS_CALLOUT_V4;
	callout.classifyFn = AssertsClassify;
	callout.notifyFn = AssertsNotify;
	status = FwpsCalloutRegister(gDevice, &callout, &gCalloutId);
	if (NT_SUCCESS(status))
		status = AssertsAddObjects();
	if (!NT_SUCCESS(status)) {
		AssertsUnload(DriverObject);
		return status;
	}
	DriverObject->DriverUnload = AssertsUnload;
	return STATUS_SUCCESS;
}
