/*
 * A complete stream callout in the shape of Microsoft's samples: DriverEntry
 * (test_driver.h) creates a device, registers the callout with the
 * version-independent names, adds a sublayer and a filter through a dynamic
 * management session; classifyFn copies every indication out with
 * FwpsCopyStreamDataToBuffer into pool memory and permits it; DriverUnload
 * undoes everything.
 * Used by test_plugin_stream_callout.c.
 */
#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>
#include "test_driver.h"

#define INITGUID
#include <guiddef.h>

DEFINE_GUID(PERMIT_CALLOUT_V4, 0x5b0f3c2a, 0x8d11, 0x4e67, 0xa1, 0x3c, 0x70, 0x9e, 0x42, 0xd8, 0x15,
	    0x01);
DEFINE_GUID(PERMIT_SUBLAYER, 0x5b0f3c2a, 0x8d11, 0x4e67, 0xa1, 0x3c, 0x70, 0x9e, 0x42, 0xd8, 0x15,
	    0x02);

#define PERMIT_TAG 'mrPO' /* "OPrm" */

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

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &PERMIT_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = PermitClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"OpenWFP test permit",
	.sublayerKey = &PERMIT_SUBLAYER,
	.sublayerWeight = 0x200,
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
};
