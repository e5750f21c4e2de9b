/*
 * A complete stream callout in the shape of Microsoft's samples: DriverEntry
 * creates a device, registers the callout with the version-independent
 * names, adds a sublayer and a filter through a dynamic management session;
 * classifyFn copies every indication out with FwpsCopyStreamDataToBuffer
 * into pool memory and permits it; DriverUnload undoes everything.
 * Used by test_plugin_stream_callout.c.
 */
#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>

#define INITGUID
#include <guiddef.h>

DEFINE_GUID(PERMIT_CALLOUT_V4, 0x5b0f3c2a, 0x8d11, 0x4e67, 0xa1, 0x3c, 0x70, 0x9e, 0x42, 0xd8, 0x15, 0x01);
DEFINE_GUID(PERMIT_SUBLAYER, 0x5b0f3c2a, 0x8d11, 0x4e67, 0xa1, 0x3c, 0x70, 0x9e, 0x42, 0xd8, 0x15, 0x02);

#define PERMIT_TAG 'mrPO' /* "OPrm" */

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD PermitUnload;

static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static UINT32 gCalloutId;
static UINT64 gFilterId;

static void NTAPI PermitClassify(const FWPS_INCOMING_VALUES *inFixedValues,
				 const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
				 const void *classifyContext, const FWPS_FILTER *filter,
				 UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *io = layerData;
	FWPS_STREAM_DATA *data = io->streamData;
	SIZE_T copied = 0;
	UCHAR *copy;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	if (!(classifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
		return;
	/* Fail closed on anything that breaks the stream-layer contract. */
	if (inFixedValues->layerId != FWPS_LAYER_STREAM_V4 ||
	    !FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_FLOW_HANDLE)) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	if (data->dataLength) {
		copy = ExAllocatePool2(POOL_FLAG_NON_PAGED, data->dataLength, PERMIT_TAG);
		if (!copy) {
			classifyOut->actionType = FWP_ACTION_BLOCK;
			return;
		}
		FwpsCopyStreamDataToBuffer(data, copy, data->dataLength, &copied);
		ExFreePoolWithTag(copy, PERMIT_TAG);
		if (copied != data->dataLength) {
			io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
			classifyOut->actionType = FWP_ACTION_NONE;
			return;
		}
	}
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	io->countBytesEnforced = data->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI PermitNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				   FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static NTSTATUS PermitAddObjects(void)
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
	sublayer.subLayerKey = PERMIT_SUBLAYER;
	sublayer.displayData.name = L"OpenWFP test permit sublayer";
	sublayer.weight = 0x200;
	status = FwpmSubLayerAdd(gEngine, &sublayer, NULL);
	if (NT_SUCCESS(status)) {
		callout.calloutKey = PERMIT_CALLOUT_V4;
		callout.displayData.name = L"OpenWFP test permit";
		callout.applicableLayer = FWPM_LAYER_STREAM_V4;
		status = FwpmCalloutAdd(gEngine, &callout, NULL, NULL);
	}
	if (NT_SUCCESS(status)) {
		filter.layerKey = FWPM_LAYER_STREAM_V4;
		filter.subLayerKey = PERMIT_SUBLAYER;
		filter.displayData.name = L"OpenWFP test permit filter";
		filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
		filter.action.calloutKey = PERMIT_CALLOUT_V4;
		filter.weight.type = FWP_EMPTY;
		status = FwpmFilterAdd(gEngine, &filter, NULL, &gFilterId);
	}
	if (!NT_SUCCESS(status)) {
		FwpmTransactionAbort(gEngine);
		return status;
	}
	return FwpmTransactionCommit(gEngine);
}

static void PermitUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (gEngine) {
		/* Explicit, although the session is dynamic: not every engine
		 * removes a dynamic session's objects when it closes. */
		if (gFilterId)
			FwpmFilterDeleteById(gEngine, gFilterId);
		FwpmCalloutDeleteByKey(gEngine, &PERMIT_CALLOUT_V4);
		FwpmSubLayerDeleteByKey(gEngine, &PERMIT_SUBLAYER);
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
	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &gDevice);
	if (!NT_SUCCESS(status))
		return status;
	callout.calloutKey = PERMIT_CALLOUT_V4;
	callout.classifyFn = PermitClassify;
	callout.notifyFn = PermitNotify;
	status = FwpsCalloutRegister(gDevice, &callout, &gCalloutId);
	if (NT_SUCCESS(status))
		status = PermitAddObjects();
	if (!NT_SUCCESS(status)) {
		PermitUnload(DriverObject);
		return status;
	}
	DriverObject->DriverUnload = PermitUnload;
	return STATUS_SUCCESS;
}
