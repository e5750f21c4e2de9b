/*
 * stmedit_lite: a stream-editing callout driver in the style of Microsoft's
 * "stmedit" sample, small enough to read in one sitting. It replaces every
 * occurrence of one string with another in the data a client sends to
 * servers on one TCP port, also where the string is split across segments.
 *
 * Configuration comes from the environment (where a Windows driver would
 * read its registry key): STMEDIT_FIND (default "rainy"), STMEDIT_REPLACE
 * (default "sunny"), STMEDIT_PORT (default 80).
 *
 * Build (after `make install`, or with -I pointing at include/openwfp):
 *     cc -shared -fPIC $(pkg-config --cflags openwfp) stmedit_lite.c -o stmedit_lite.so
 * Run:
 *     openwfp replay --callout ./stmedit_lite.so --extract out/ weather.pcap
 *
 * Inline editing, one decision per classify (spec S100, S33, S41, S53):
 *   match at the start  -> inject the replacement, BLOCK the match
 *   match further in    -> PERMIT the bytes before it (the rest comes back)
 *   a possible match at the end -> PERMIT what is before it; when only the
 *                          possible match is left, NEED_MORE_DATA
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <ntddk.h>
#include <ndis.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include <stdlib.h>
#include <string.h>

#define STMEDIT_TAG 'dEtS'

DEFINE_GUID(STMEDIT_CALLOUT_V4, 0x5e3a1c70, 0x4b6d, 0x4f0e, 0x9c, 0x21, 0x7a, 0x10, 0x5b, 0x33,
	    0xe0, 0x04);
DEFINE_GUID(STMEDIT_CALLOUT_V6, 0x5e3a1c70, 0x4b6d, 0x4f0e, 0x9c, 0x21, 0x7a, 0x10, 0x5b, 0x33,
	    0xe0, 0x06);
DEFINE_GUID(STMEDIT_SUBLAYER, 0x5e3a1c70, 0x4b6d, 0x4f0e, 0x9c, 0x21, 0x7a, 0x10, 0x5b, 0x33, 0xe0,
	    0x5b);

static PDEVICE_OBJECT gDevice;
static HANDLE gEngineHandle;
static HANDLE gInjectionHandle;
static UINT32 gCalloutId[2];
static UINT64 gFilterId[2];
static const char *gFind = "rainy";
static const char *gReplace = "sunny";
static SIZE_T gFindLength, gReplaceLength;
static UINT16 gPort = 80;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD StmEditUnload;

/* The injected NBL owns an MDL over a pool buffer: free all three. */
static void NTAPI StmEditInjectComplete(void *context, NET_BUFFER_LIST *netBufferList,
					BOOLEAN dispatchLevel)
{
	MDL *mdl = NET_BUFFER_FIRST_MDL(NET_BUFFER_LIST_FIRST_NB(netBufferList));
	void *data = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);

	UNREFERENCED_PARAMETER(context);
	UNREFERENCED_PARAMETER(dispatchLevel);
	FwpsFreeNetBufferList0(netBufferList);
	IoFreeMdl(mdl);
	ExFreePoolWithTag(data, STMEDIT_TAG);
}

static NTSTATUS StmEditInjectReplacement(UINT64 flowId, UINT32 calloutId, UINT16 layerId,
					 UINT32 streamFlags)
{
	NET_BUFFER_LIST *nbl = NULL;
	MDL *mdl;
	NTSTATUS status;
	void *data = ExAllocatePool2(POOL_FLAG_NON_PAGED, gReplaceLength, STMEDIT_TAG);

	if (!data)
		return STATUS_INSUFFICIENT_RESOURCES;
	RtlCopyMemory(data, gReplace, gReplaceLength);
	mdl = IoAllocateMdl(data, (ULONG)gReplaceLength, FALSE, FALSE, NULL);
	if (!mdl) {
		ExFreePoolWithTag(data, STMEDIT_TAG);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	MmBuildMdlForNonPagedPool(mdl);
	status = FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, mdl, 0, gReplaceLength, &nbl);
	if (NT_SUCCESS(status))
		status = FwpsStreamInjectAsync0(gInjectionHandle, NULL, 0, flowId, calloutId,
						layerId, streamFlags, nbl, gReplaceLength,
						StmEditInjectComplete, NULL);
	if (!NT_SUCCESS(status)) {
		if (nbl)
			FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(mdl);
		ExFreePoolWithTag(data, STMEDIT_TAG);
	}
	return status;
}

/* Where the longest tail of data that could begin a match starts (len if none). */
static SIZE_T StmEditPartialStart(const UCHAR *data, SIZE_T len)
{
	SIZE_T k = len < gFindLength - 1 ? len : gFindLength - 1;

	for (; k > 0; k--)
		if (RtlEqualMemory(data + len - k, gFind, k))
			return len - k;
	return len;
}

static void NTAPI StmEditClassify(const FWPS_INCOMING_VALUES *inFixedValues,
				  const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
				  const void *classifyContext, const FWPS_FILTER *filter,
				  UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket = layerData;
	FWPS_STREAM_DATA *streamData = ioPacket->streamData;
	SIZE_T length = streamData->dataLength, copied = 0;
	const UCHAR *match;
	UCHAR *data;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(flowContext);

	ioPacket->streamAction = FWPS_STREAM_ACTION_NONE;
	ioPacket->countBytesEnforced = 0; /* 0: the action covers the whole indication */
	ioPacket->countBytesRequired = 0;
	classifyOut->actionType = FWP_ACTION_PERMIT;

	/* Empty indications, FINs, resets and urgent data pass unedited (S19, S20). */
	if (length == 0 ||
	    (streamData->flags & (FWPS_STREAM_FLAG_SEND_DISCONNECT | FWPS_STREAM_FLAG_SEND_ABORT |
				  FWPS_STREAM_FLAG_SEND_EXPEDITED | FWPS_STREAM_FLAG_RECEIVE)))
		return;

	data = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, STMEDIT_TAG);
	if (!data) {
		ioPacket->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	FwpsCopyStreamDataToBuffer0(streamData, data, length, &copied);

	match = memmem(data, copied, gFind, gFindLength);
	if (match == data) {
		NTSTATUS status = StmEditInjectReplacement(
			inMetaValues->flowHandle, filter->action.calloutId, inFixedValues->layerId,
			FWPS_STREAM_FLAG_SEND);
		if (!NT_SUCCESS(status)) {
			ioPacket->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
			classifyOut->actionType = FWP_ACTION_NONE;
		} else {
			/* The injected bytes take the place of the blocked ones (S53). */
			ioPacket->countBytesEnforced = gFindLength;
			classifyOut->actionType = FWP_ACTION_BLOCK;
		}
	} else if (match) {
		ioPacket->countBytesEnforced = (SIZE_T)(match - data);
	} else {
		SIZE_T tail = StmEditPartialStart(data, copied);
		BOOLEAN last = (classifyOut->flags &
				(FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
				 FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0;

		if (tail == 0 && !last) {
			ioPacket->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
			ioPacket->countBytesRequired = (UINT32)(gFindLength - copied);
			classifyOut->actionType = FWP_ACTION_NONE;
		} else if (tail != copied && tail != 0) {
			ioPacket->countBytesEnforced = tail;
		}
	}
	ExFreePoolWithTag(data, STMEDIT_TAG);
}

static NTSTATUS NTAPI StmEditNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				    FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

/* Registers the run-time callout and adds its management objects. */
static NTSTATUS StmEditAddCallout(const GUID *key, const GUID *layer, int i)
{
	FWPS_CALLOUT sCallout = {0};
	FWPM_CALLOUT mCallout = {0};
	FWPM_FILTER filter = {0};
	FWPM_FILTER_CONDITION condition = {0};
	NTSTATUS status;

	sCallout.calloutKey = *key;
	sCallout.classifyFn = StmEditClassify;
	sCallout.notifyFn = StmEditNotify;
	status = FwpsCalloutRegister(gDevice, &sCallout, &gCalloutId[i]);
	if (!NT_SUCCESS(status))
		return status;

	mCallout.calloutKey = *key;
	mCallout.displayData.name = L"stmedit_lite";
	mCallout.applicableLayer = *layer;
	status = FwpmCalloutAdd(gEngineHandle, &mCallout, NULL, NULL);
	if (!NT_SUCCESS(status))
		return status;

	/* Connections to the inspected port, whoever sends the data. */
	condition.fieldKey = FWPM_CONDITION_IP_REMOTE_PORT;
	condition.matchType = FWP_MATCH_EQUAL;
	condition.conditionValue.type = FWP_UINT16;
	condition.conditionValue.uint16 = gPort;
	filter.displayData.name = L"stmedit_lite";
	filter.layerKey = *layer;
	filter.subLayerKey = STMEDIT_SUBLAYER;
	filter.weight.type = FWP_EMPTY;
	filter.numFilterConditions = 1;
	filter.filterCondition = &condition;
	filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	filter.action.calloutKey = *key;
	return FwpmFilterAdd(gEngineHandle, &filter, NULL, &gFilterId[i]);
}

static void StmEditCleanup(void)
{
	for (int i = 0; i < 2; i++) {
		if (gFilterId[i])
			FwpmFilterDeleteById(gEngineHandle, gFilterId[i]);
		if (gCalloutId[i])
			FwpsCalloutUnregisterById(gCalloutId[i]);
		gFilterId[i] = 0;
		gCalloutId[i] = 0;
	}
	if (gEngineHandle) {
		FwpmCalloutDeleteByKey(gEngineHandle, &STMEDIT_CALLOUT_V4);
		FwpmCalloutDeleteByKey(gEngineHandle, &STMEDIT_CALLOUT_V6);
		FwpmSubLayerDeleteByKey(gEngineHandle, &STMEDIT_SUBLAYER);
		FwpmEngineClose(gEngineHandle);
		gEngineHandle = NULL;
	}
	if (gInjectionHandle)
		FwpsInjectionHandleDestroy(gInjectionHandle);
	gInjectionHandle = NULL;
	if (gDevice)
		IoDeleteDevice(gDevice);
	gDevice = NULL;
}

static void StmEditUnload(PDRIVER_OBJECT driverObject)
{
	UNREFERENCED_PARAMETER(driverObject);
	StmEditCleanup();
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driverObject, PUNICODE_STRING registryPath)
{
	FWPM_SUBLAYER subLayer = {0};
	NTSTATUS status;
	const char *v;

	UNREFERENCED_PARAMETER(registryPath);
	if ((v = getenv("STMEDIT_FIND")) && *v)
		gFind = v;
	if ((v = getenv("STMEDIT_REPLACE")))
		gReplace = v;
	if ((v = getenv("STMEDIT_PORT")) && atoi(v) > 0 && atoi(v) < 65536)
		gPort = (UINT16)atoi(v);
	gFindLength = strlen(gFind);
	gReplaceLength = strlen(gReplace);

	status = IoCreateDevice(driverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &gDevice);
	if (NT_SUCCESS(status))
		status = FwpsInjectionHandleCreate(AF_UNSPEC, FWPS_INJECTION_TYPE_STREAM,
						   &gInjectionHandle);
	if (NT_SUCCESS(status))
		status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &gEngineHandle);
	if (NT_SUCCESS(status)) {
		subLayer.subLayerKey = STMEDIT_SUBLAYER;
		subLayer.displayData.name = L"stmedit_lite";
		subLayer.weight = 0x4000;
		status = FwpmSubLayerAdd(gEngineHandle, &subLayer, NULL);
	}
	if (NT_SUCCESS(status))
		status = StmEditAddCallout(&STMEDIT_CALLOUT_V4, &FWPM_LAYER_STREAM_V4, 0);
	if (NT_SUCCESS(status))
		status = StmEditAddCallout(&STMEDIT_CALLOUT_V6, &FWPM_LAYER_STREAM_V6, 1);
	if (!NT_SUCCESS(status)) {
		StmEditCleanup();
		return status;
	}
	driverObject->DriverUnload = StmEditUnload;
	return STATUS_SUCCESS;
}
