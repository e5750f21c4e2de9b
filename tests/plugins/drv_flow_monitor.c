/*
 * A flow monitor in the shape of a Windows stream monitor: at
 * ALE_FLOW_ESTABLISHED it records the flow's process (PROCESS_ID,
 * PROCESS_PATH metadata, the ALE_APP_ID field) and associates a flow
 * context with its stream callout; at the stream layer it reports the
 * first data of each associated flow. Its callouts are only registered
 * here (FwpsCalloutRegister, by test_driver.h); the configuration provisions them
 * (callouts: key:/layer:, filters), as a user-mode tool would. Every
 * observation is a DbgPrint line the integration tests read.
 */
#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>
#include "test_driver.h"

#define INITGUID
#include <guiddef.h>

/* 9c2ad1d3-6a1f-4c5e-8f0e-2b7d1e6a4b01 / ...02 */
DEFINE_GUID(DRV_FLOW_MONITOR_FLOW_V4, 0x9c2ad1d3, 0x6a1f, 0x4c5e, 0x8f, 0x0e, 0x2b, 0x7d, 0x1e,
	    0x6a, 0x4b, 0x01);
DEFINE_GUID(DRV_FLOW_MONITOR_STREAM_V4, 0x9c2ad1d3, 0x6a1f, 0x4c5e, 0x8f, 0x0e, 0x2b, 0x7d, 0x1e,
	    0x6a, 0x4b, 0x02);

#define MONITOR_TAG 'mFrD'

typedef struct FLOW_CONTEXT {
	UINT64 FlowHandle;
	UINT64 ProcessId;
	BOOLEAN Reported;
} FLOW_CONTEXT;

/* Indexes into gCallouts. */
enum { FLOW_CALLOUT, STREAM_CALLOUT };

static void NTAPI FlowClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			       const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			       const void *classifyContext, const FWPS_FILTER3 *filter,
			       UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	const FWP_VALUE0 *app =
		&inFixedValues->incomingValue[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID].value;
	FLOW_CONTEXT *ctx;

	UNREFERENCED_PARAMETER(layerData);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	classifyOut->actionType = FWP_ACTION_CONTINUE;
	if (!FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_PROCESS_PATH)) {
		DbgPrint("drv_flow_monitor: flow %llu process unknown\n",
			 (unsigned long long)inMetaValues->flowHandle);
		return;
	}
	DbgPrint("drv_flow_monitor: flow %llu pid %llu path %ws app_id %ws\n",
		 (unsigned long long)inMetaValues->flowHandle,
		 FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_PROCESS_ID)
			 ? (unsigned long long)inMetaValues->processId
			 : 0ULL,
		 (const WCHAR *)inMetaValues->processPath->data,
		 app->type == FWP_BYTE_BLOB_TYPE ? (const WCHAR *)app->byteBlob->data : L"(none)");
	ctx = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*ctx), MONITOR_TAG);
	if (!ctx)
		return;
	ctx->FlowHandle = inMetaValues->flowHandle;
	ctx->ProcessId = inMetaValues->processId;
	ctx->Reported = FALSE;
	if (!NT_SUCCESS(FwpsFlowAssociateContext0(inMetaValues->flowHandle, FWPS_LAYER_STREAM_V4,
						  TestDriverCalloutId(STREAM_CALLOUT),
						  (UINT64)(ULONG_PTR)ctx)))
		ExFreePoolWithTag(ctx, MONITOR_TAG);
}

static void NTAPI StreamClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
				 const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
				 const void *classifyContext, const FWPS_FILTER3 *filter,
				 UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	FLOW_CONTEXT *ctx = (FLOW_CONTEXT *)(ULONG_PTR)flowContext;

	UNREFERENCED_PARAMETER(inFixedValues);
	UNREFERENCED_PARAMETER(inMetaValues);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	classifyOut->actionType = FWP_ACTION_CONTINUE;
	if (ctx && !ctx->Reported) {
		ctx->Reported = TRUE;
		DbgPrint("drv_flow_monitor: stream flow %llu pid %llu data %llu bytes\n",
			 (unsigned long long)ctx->FlowHandle, (unsigned long long)ctx->ProcessId,
			 (unsigned long long)io->streamData->dataLength);
	}
}

static void NTAPI FlowDelete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	UNREFERENCED_PARAMETER(layerId);
	UNREFERENCED_PARAMETER(calloutId);
	ExFreePoolWithTag((PVOID)(ULONG_PTR)flowContext, MONITOR_TAG);
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	[FLOW_CALLOUT] = {.key = &DRV_FLOW_MONITOR_FLOW_V4, .classifyFn = FlowClassify},
	[STREAM_CALLOUT] = {.key = &DRV_FLOW_MONITOR_STREAM_V4,
			    .classifyFn = StreamClassify,
			    .flowDeleteFn = FlowDelete},
};

static const TEST_DRIVER TestDriver = {
	.name = L"drv_flow_monitor",
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
};
