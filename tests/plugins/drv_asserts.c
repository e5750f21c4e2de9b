/*
 * A stream callout driver that fails on purpose, registered like a Windows
 * callout driver (test_driver.h: device, FwpsCalloutRegister, a dynamic
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
#include "test_driver.h"

#define INITGUID
#include <guiddef.h>

DEFINE_GUID(ASSERTS_CALLOUT_V4, 0x7d2c41e0, 0x3b5a, 0x4c19, 0x9e, 0x07, 0x51, 0xa2, 0x6b, 0x3d,
	    0x90, 0x11);
DEFINE_GUID(ASSERTS_SUBLAYER, 0x7d2c41e0, 0x3b5a, 0x4c19, 0x9e, 0x07, 0x51, 0xa2, 0x6b, 0x3d, 0x90,
	    0x12);

#define ASSERTS_TAG 'tsAD' /* "DAst" */

static IO_WORKITEM_ROUTINE AssertsWork;

static BOOLEAN Contains(const UCHAR *data, SIZE_T length, const char *marker)
{
	SIZE_T n = strlen(marker);

	for (SIZE_T i = 0; i + n <= length; i++)
		if (RtlEqualMemory(data + i, marker, n))
			return TRUE;
	return FALSE;
}

_Use_decl_annotations_ static void AssertsWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
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
		PIO_WORKITEM item = IoAllocateWorkItem(TestDriverDevice());

		if (item)
			IoQueueWorkItem(item, AssertsWork, DelayedWorkQueue, item);
	}
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	io->countBytesEnforced = data->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS AssertsLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
	return STATUS_SUCCESS;
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &ASSERTS_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = AssertsClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"asserts",
	.sublayerKey = &ASSERTS_SUBLAYER,
	.sublayerWeight = 0x300,
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
	.load = AssertsLoad,
};
