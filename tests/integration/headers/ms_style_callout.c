/*
 * A stream callout written the way Windows callout drivers are (include
 * set, SAL, MSVC pragmas, pool tags, INITGUID, version-independent names).
 * test_headers_compile.sh compiles it against include/openwfp unchanged;
 * it is never linked or run.
 */
#include <ntddk.h>
#include <wdm.h>

#pragma warning(push)
#pragma warning(disable : 4201) /* nameless struct/union */
#include <ndis.h>
#include <fwpsk.h>
#pragma warning(pop)

#include <fwpmk.h>

#define INITGUID
#include <guiddef.h>

DEFINE_GUID(SAMPLE_STREAM_CALLOUT_V4, 0x6d3c8a0e, 0x1b2f, 0x4c55, 0x9a, 0x10, 0x2e, 0x64, 0x7b,
	    0x81, 0x0c, 0x3d);
DEFINE_GUID(SAMPLE_SUBLAYER, 0x0f1e2d3c, 0x4b5a, 0x6978, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1,
	    0xf0);

#define SAMPLE_TAG 'pmaS'

typedef struct _SAMPLE_FLOW {
	LIST_ENTRY Link;
	UINT64 FlowHandle;
	SIZE_T BytesSeen;
} SAMPLE_FLOW, *PSAMPLE_FLOW;

static KSPIN_LOCK gFlowLock;
static LIST_ENTRY gFlows;
static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static HANDLE gInjection;
static UINT32 gCalloutId;
static KEVENT gWorkerStop;
static PETHREAD gWorker;

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD SampleUnload;

static __forceinline BOOLEAN SampleIsEnd(const FWPS_STREAM_DATA *streamData)
{
	return (streamData->flags &
		(FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT)) != 0;
}

_IRQL_requires_max_(DISPATCH_LEVEL) static void NTAPI
	SampleClassify(_In_ const FWPS_INCOMING_VALUES *inFixedValues,
		       _In_ const FWPS_INCOMING_METADATA_VALUES *inMetaValues,
		       _Inout_opt_ void *layerData, _In_opt_ const void *classifyContext,
		       _In_ const FWPS_FILTER *filter, _In_ UINT64 flowContext,
		       _Inout_ FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket = (FWPS_STREAM_CALLOUT_IO_PACKET *)layerData;
	FWPS_STREAM_DATA *streamData;
	PSAMPLE_FLOW flow = (PSAMPLE_FLOW)(ULONG_PTR)flowContext;
	UCHAR peek[16];
	SIZE_T copied = 0;
	UINT16 localPort;
	KLOCK_QUEUE_HANDLE lockHandle;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);

	if (!(classifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
		return;
	NT_ASSERT(ioPacket != NULL);
	streamData = ioPacket->streamData;
	localPort = inFixedValues->incomingValue[FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT].value.uint16;

	if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_FLOW_HANDLE) && flow) {
		KeAcquireInStackQueuedSpinLock(&gFlowLock, &lockHandle);
		flow->BytesSeen += streamData->dataLength;
		KeReleaseInStackQueuedSpinLock(&lockHandle);
	}
	if (SampleIsEnd(streamData) || (classifyOut->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA)) {
		classifyOut->actionType = FWP_ACTION_PERMIT;
		return;
	}
	if (streamData->dataLength < 4) {
		ioPacket->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		ioPacket->countBytesRequired = 4;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	RtlSecureZeroMemory(peek, sizeof(peek));
	FwpsCopyStreamDataToBuffer(streamData, peek, min(sizeof(peek), streamData->dataLength),
				   &copied);
	if (copied >= 4 && RtlEqualMemory(peek, "EVIL", 4) && localPort != 0) {
		ioPacket->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		ioPacket->countBytesEnforced = 0;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_TRACE_LEVEL, "sample: %Iu bytes, flow %I64x\n",
		   streamData->dataLength, inMetaValues->flowHandle);
	ioPacket->streamAction = FWPS_STREAM_ACTION_NONE;
	ioPacket->countBytesEnforced = streamData->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI SampleNotify(_In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
				   _In_ const GUID *filterKey, _Inout_ FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static void NTAPI SampleFlowDelete(_In_ UINT16 layerId, _In_ UINT32 calloutId, _In_ UINT64 flowContext)
{
	PSAMPLE_FLOW flow = (PSAMPLE_FLOW)(ULONG_PTR)flowContext;
	KLOCK_QUEUE_HANDLE lockHandle;

	UNREFERENCED_PARAMETER(layerId);
	UNREFERENCED_PARAMETER(calloutId);
	KeAcquireInStackQueuedSpinLock(&gFlowLock, &lockHandle);
	RemoveEntryList(&flow->Link);
	KeReleaseInStackQueuedSpinLock(&lockHandle);
	ExFreePoolWithTag(flow, SAMPLE_TAG);
}

static void NTAPI SampleInjectComplete(_In_ void *context, _Inout_ NET_BUFFER_LIST *netBufferList,
				       _In_ BOOLEAN dispatchLevel)
{
	PMDL mdl = NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(netBufferList));

	UNREFERENCED_PARAMETER(dispatchLevel);
	FwpsFreeNetBufferList(netBufferList);
	IoFreeMdl(mdl);
	ExFreePoolWithTag(context, SAMPLE_TAG);
}

_Must_inspect_result_ static NTSTATUS SampleInject(UINT64 flowId, const void *data, ULONG length)
{
	NET_BUFFER_LIST *nbl = NULL;
	PVOID copy;
	PMDL mdl;
	NTSTATUS status;

	copy = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, SAMPLE_TAG);
	if (copy == NULL)
		return STATUS_INSUFFICIENT_RESOURCES;
	RtlCopyMemory(copy, data, length);
	mdl = IoAllocateMdl(copy, length, FALSE, FALSE, NULL);
	if (mdl == NULL) {
		ExFreePoolWithTag(copy, SAMPLE_TAG);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	MmBuildMdlForNonPagedPool(mdl);
	status = FwpsAllocateNetBufferAndNetBufferList(NULL, 0, 0, mdl, 0, length, &nbl);
	if (!NT_SUCCESS(status)) {
		IoFreeMdl(mdl);
		ExFreePoolWithTag(copy, SAMPLE_TAG);
		return status;
	}
	status = FwpsStreamInjectAsync(gInjection, NULL, 0, flowId, gCalloutId,
				       FWPS_LAYER_STREAM_V4, FWPS_STREAM_FLAG_SEND, nbl, length,
				       SampleInjectComplete, copy);
	if (!NT_SUCCESS(status))
		SampleInjectComplete(copy, nbl, FALSE);
	return status;
}

static NTSTATUS SampleAddFilter(void)
{
	FWPM_SESSION session = {0};
	FWPM_SUBLAYER sublayer = {0};
	FWPM_CALLOUT mcallout = {0};
	FWPM_FILTER filter = {0};
	FWPM_FILTER_CONDITION cond[2] = {0};
	FWP_V4_ADDR_AND_MASK mask = {0x7f000000, 0xff000000};
	NTSTATUS status;

	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &gEngine);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpmTransactionBegin(gEngine, 0);
	if (!NT_SUCCESS(status))
		goto out;
	sublayer.subLayerKey = SAMPLE_SUBLAYER;
	sublayer.displayData.name = L"Sample sublayer";
	sublayer.weight = 0x100;
	status = FwpmSubLayerAdd(gEngine, &sublayer, NULL);
	if (!NT_SUCCESS(status))
		goto abort;
	mcallout.calloutKey = SAMPLE_STREAM_CALLOUT_V4;
	mcallout.displayData.name = L"Sample stream callout";
	mcallout.applicableLayer = FWPM_LAYER_STREAM_V4;
	status = FwpmCalloutAdd(gEngine, &mcallout, NULL, NULL);
	if (!NT_SUCCESS(status))
		goto abort;
	cond[0].fieldKey = FWPM_CONDITION_IP_REMOTE_PORT;
	cond[0].matchType = FWP_MATCH_EQUAL;
	cond[0].conditionValue.type = FWP_UINT16;
	cond[0].conditionValue.uint16 = 80;
	cond[1].fieldKey = FWPM_CONDITION_IP_REMOTE_ADDRESS;
	cond[1].matchType = FWP_MATCH_EQUAL;
	cond[1].conditionValue.type = FWP_V4_ADDR_MASK;
	cond[1].conditionValue.v4AddrMask = &mask;
	filter.layerKey = FWPM_LAYER_STREAM_V4;
	filter.subLayerKey = SAMPLE_SUBLAYER;
	filter.displayData.name = L"Sample filter";
	filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	filter.action.calloutKey = SAMPLE_STREAM_CALLOUT_V4;
	filter.weight.type = FWP_EMPTY;
	filter.filterCondition = cond;
	filter.numFilterConditions = RTL_NUMBER_OF(cond);
	status = FwpmFilterAdd(gEngine, &filter, NULL, NULL);
	if (!NT_SUCCESS(status))
		goto abort;
	return FwpmTransactionCommit(gEngine);
abort:
	FwpmTransactionAbort(gEngine);
out:
	FwpmEngineClose(gEngine);
	gEngine = NULL;
	return status;
}

static KSTART_ROUTINE SampleWorker;

_Use_decl_annotations_ static void SampleWorker(PVOID StartContext)
{
	LARGE_INTEGER period;

	UNREFERENCED_PARAMETER(StartContext);
	period.QuadPart = -10 * 1000 * 100; /* 100 ms */
	while (KeWaitForSingleObject(&gWorkerStop, Executive, KernelMode, FALSE, &period) ==
	       STATUS_TIMEOUT)
		;
	PsTerminateSystemThread(STATUS_SUCCESS);
}

static NTSTATUS SampleStartWorker(void)
{
	OBJECT_ATTRIBUTES attributes;
	HANDLE handle;
	NTSTATUS status;

	KeInitializeEvent(&gWorkerStop, NotificationEvent, FALSE);
	InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
	status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attributes, NULL, NULL,
				      SampleWorker, NULL);
	if (!NT_SUCCESS(status))
		return status;
	status = ObReferenceObjectByHandle(handle, THREAD_ALL_ACCESS, *PsThreadType, KernelMode,
					   (PVOID *)&gWorker, NULL);
	ZwClose(handle);
	return status;
}

_Use_decl_annotations_ NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	FWPS_CALLOUT callout = {0};
	PSAMPLE_FLOW flow;
	NTSTATUS status;

	KdPrint(("sample: loading from %wZ\n", RegistryPath));
	InitializeListHead(&gFlows);
	KeInitializeSpinLock(&gFlowLock);
	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &gDevice);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpsInjectionHandleCreate(AF_INET, FWPS_INJECTION_TYPE_STREAM, &gInjection);
	if (!NT_SUCCESS(status))
		goto fail;
	callout.calloutKey = SAMPLE_STREAM_CALLOUT_V4;
	callout.classifyFn = SampleClassify;
	callout.notifyFn = SampleNotify;
	callout.flowDeleteFn = SampleFlowDelete;
	callout.flags = FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION;
	status = FwpsCalloutRegister(gDevice, &callout, &gCalloutId);
	if (!NT_SUCCESS(status))
		goto fail;
	status = SampleAddFilter();
	if (!NT_SUCCESS(status))
		goto fail;
	status = SampleStartWorker();
	if (!NT_SUCCESS(status))
		goto fail;
	flow = (PSAMPLE_FLOW)ExAllocatePoolZero(NonPagedPoolNx, sizeof(*flow), SAMPLE_TAG);
	if (flow) {
		InsertTailList(&gFlows, &flow->Link);
		if (!NT_SUCCESS(FwpsFlowAssociateContext(1, FWPS_LAYER_STREAM_V4, gCalloutId,
							 (UINT64)(ULONG_PTR)flow)))
			ExFreePoolWithTag(flow, SAMPLE_TAG);
		(void)FwpsFlowRemoveContext(1, FWPS_LAYER_STREAM_V4, gCalloutId);
		(void)SampleInject(1, "hi", 2);
		(void)FwpsStreamContinue(1, gCalloutId, FWPS_LAYER_STREAM_V4,
					 FWPS_STREAM_FLAG_RECEIVE);
		(void)FwpsFlowAbort(1);
	}
	DriverObject->DriverUnload = SampleUnload;
	return STATUS_SUCCESS;
fail:
	SampleUnload(DriverObject);
	return status;
}

_Use_decl_annotations_ void SampleUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (gWorker) {
		KeSetEvent(&gWorkerStop, IO_NO_INCREMENT, FALSE);
		KeWaitForSingleObject(gWorker, Executive, KernelMode, FALSE, NULL);
		ObDereferenceObject(gWorker);
		gWorker = NULL;
	}
	if (gEngine)
		FwpmEngineClose(gEngine);
	FwpsCalloutUnregisterByKey(&SAMPLE_STREAM_CALLOUT_V4);
	if (gInjection)
		FwpsInjectionHandleDestroy(gInjection);
	if (gDevice)
		IoDeleteDevice(gDevice);
}
