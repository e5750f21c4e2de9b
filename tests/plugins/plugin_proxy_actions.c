/*
 * A test callout that shows one stream action on a real proxied connection,
 * chosen by $OWFP_PROXY_ACTION when the plugin loads:
 *   allow  ALLOW_CONNECTION at the first indication (the flow is offloaded)
 *   block  BLOCK every 'X' byte, PERMIT the rest (partial countBytesEnforced)
 *   hold   NEED_MORE_DATA until the indication holds a '\n', then PERMIT all
 *   drop   DROP_CONNECTION when an indication contains "DROP"
 *   permit PERMIT everything (an inspecting no-op)
 * Filters: one CALLOUT_TERMINATING filter at STREAM_V4 and STREAM_V6, added
 * by DriverEntry (test_driver.h) through a management session, as a driver
 * would.
 */
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include "test_driver.h"

#include <stdlib.h>
#include <string.h>

DEFINE_GUID(ACTIONS_CALLOUT_V4, 0x0c9e5f31, 0x7d42, 0x4a18, 0x8e, 0x3b, 0x55, 0x01, 0x9a, 0xc0,
	    0xac, 0x74);
DEFINE_GUID(ACTIONS_CALLOUT_V6, 0x0c9e5f31, 0x7d42, 0x4a18, 0x8e, 0x3b, 0x55, 0x01, 0x9a, 0xc0,
	    0xac, 0x76);

enum { MODE_PERMIT, MODE_ALLOW, MODE_BLOCK, MODE_HOLD, MODE_DROP };

static int gMode;

#define ACTIONS_TAG 'tcAO'

static void Permit(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out, SIZE_T n)
{
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	io->countBytesEnforced = n;
	out->actionType = FWP_ACTION_PERMIT;
}

static void NTAPI ActionsClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
				  const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
				  const void *classifyContext, const FWPS_FILTER3 *filter,
				  UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	SIZE_T len = sd->dataLength, copied = 0;
	UINT8 *buf;

	UNREFERENCED_PARAMETER(inFixedValues);
	UNREFERENCED_PARAMETER(inMetaValues);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	io->countBytesRequired = 0;
	if (len == 0 || gMode == MODE_PERMIT) {
		Permit(io, classifyOut, len);
		return;
	}
	if (gMode == MODE_ALLOW) {
		io->streamAction = FWPS_STREAM_ACTION_ALLOW_CONNECTION;
		io->countBytesEnforced = 0;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, len, ACTIONS_TAG);
	if (!buf) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		return;
	}
	FwpsCopyStreamDataToBuffer0(sd, buf, len, &copied);
	switch (gMode) {
	case MODE_BLOCK: {
		/* S33: decide on the leading run; the engine re-presents the rest. */
		BOOLEAN x = buf[0] == 'X';
		SIZE_T run = 1;
		while (run < copied && (buf[run] == 'X') == x)
			run++;
		Permit(io, classifyOut, run);
		if (x)
			classifyOut->actionType = FWP_ACTION_BLOCK;
		break;
	}
	case MODE_HOLD:
		if (memchr(buf, '\n', copied) ||
		    (sd->flags &
		     (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT)) ||
		    (classifyOut->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
					   FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED))) {
			Permit(io, classifyOut, len);
		} else {
			io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
			io->countBytesRequired = 1;
			io->countBytesEnforced = 0;
			classifyOut->actionType = FWP_ACTION_NONE;
		}
		break;
	case MODE_DROP:
		if (memmem(buf, copied, "DROP", 4)) {
			io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
			io->countBytesEnforced = 0;
			classifyOut->actionType = FWP_ACTION_NONE;
		} else {
			Permit(io, classifyOut, len);
		}
		break;
	}
	ExFreePoolWithTag(buf, ACTIONS_TAG);
}

static NTSTATUS ActionsLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	const char *mode = getenv("OWFP_PROXY_ACTION");

	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	if (!mode || strcmp(mode, "permit") == 0)
		gMode = MODE_PERMIT;
	else if (strcmp(mode, "allow") == 0)
		gMode = MODE_ALLOW;
	else if (strcmp(mode, "block") == 0)
		gMode = MODE_BLOCK;
	else if (strcmp(mode, "hold") == 0)
		gMode = MODE_HOLD;
	else if (strcmp(mode, "drop") == 0)
		gMode = MODE_DROP;
	else
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &ACTIONS_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = ActionsClassify},
	{.key = &ACTIONS_CALLOUT_V6, .layer = &FWPM_LAYER_STREAM_V6, .classifyFn = ActionsClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"proxy_actions",
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
	.load = ActionsLoad,
};
