/*
 * A deliberately naive stream callout for the segmentation check: it drops
 * the connection when one indication contains "rainy", and never holds
 * data, so a "rainy" split across segments slips through. `openwfp replay
 * --resegment` must catch it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include <string.h>

#include "test_driver.h"

DEFINE_GUID(NAIVE_CALLOUT_V4, 0x7a11e0c3, 0x52d1, 0x4a90, 0x8b, 0x0e, 0x31, 0x6c, 0x22, 0x90, 0x0b,
	    0x04);
DEFINE_GUID(NAIVE_SUBLAYER, 0x7a11e0c3, 0x52d1, 0x4a90, 0x8b, 0x0e, 0x31, 0x6c, 0x22, 0x90, 0x0b,
	    0x05);

static void NTAPI NaiveClassify(const FWPS_INCOMING_VALUES *in,
				const FWPS_INCOMING_METADATA_VALUES *meta, void *layerData,
				const void *ctx, const FWPS_FILTER *filter, UINT64 flowContext,
				FWPS_CLASSIFY_OUT *out)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *io = layerData;
	UCHAR buf[65536];
	SIZE_T n = 0;

	UNREFERENCED_PARAMETER(in);
	UNREFERENCED_PARAMETER(meta);
	UNREFERENCED_PARAMETER(ctx);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	io->countBytesEnforced = 0;
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	out->actionType = FWP_ACTION_PERMIT;
	FwpsCopyStreamDataToBuffer0(io->streamData, buf, sizeof(buf), &n);
	if (memmem(buf, n, "rainy", 5)) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
	}
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &NAIVE_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = NaiveClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"naive",
	.sublayerKey = &NAIVE_SUBLAYER,
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
};
