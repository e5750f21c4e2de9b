/*
 * A test callout that writes down what it was shown: at every classify, one
 * line with the layer and every FWPS_INCOMING_VALUES0 field (type and
 * value), appended to the file named by $OWFP_RECORD_VALUES. It permits
 * everything. Used by test_replay_proxy_same_values.sh to check that the
 * proxy and replay present one connection identically. Filters: one
 * CALLOUT_TERMINATING filter at STREAM_V4/V6 and ALE_FLOW_ESTABLISHED_V4/V6,
 * added by DriverEntry (test_driver.h) through a management session, as a
 * driver would.
 * The file is the test's window into the callout (a driver would use a
 * device IOCTL); libc is used only for it.
 */
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include "test_driver.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DEFINE_GUID(RECORD_STREAM_V4, 0x7a51d0e2, 0x3c4b, 0x4f8a, 0x9d, 0x10, 0x2e, 0x61, 0x5c, 0x08, 0xa1,
	    0x04);
DEFINE_GUID(RECORD_STREAM_V6, 0x7a51d0e2, 0x3c4b, 0x4f8a, 0x9d, 0x10, 0x2e, 0x61, 0x5c, 0x08, 0xa1,
	    0x06);
DEFINE_GUID(RECORD_ALE_V4, 0x7a51d0e2, 0x3c4b, 0x4f8a, 0x9d, 0x10, 0x2e, 0x61, 0x5c, 0x08, 0xa2,
	    0x04);
DEFINE_GUID(RECORD_ALE_V6, 0x7a51d0e2, 0x3c4b, 0x4f8a, 0x9d, 0x10, 0x2e, 0x61, 0x5c, 0x08, 0xa2,
	    0x06);

static int gFd = -1;

/* Appends " i=TYPE:VALUE" for one field; returns the new length. */
static size_t put_value(char *line, size_t len, size_t cap, UINT32 i, const FWP_VALUE0 *v)
{
	int n;

	if (len >= cap)
		return len;
	switch (v->type) {
	case FWP_EMPTY:
		n = snprintf(line + len, cap - len, " %u=empty", i);
		break;
	case FWP_UINT8:
		n = snprintf(line + len, cap - len, " %u=u8:%u", i, v->uint8);
		break;
	case FWP_UINT16:
		n = snprintf(line + len, cap - len, " %u=u16:%u", i, v->uint16);
		break;
	case FWP_UINT32:
		n = snprintf(line + len, cap - len, " %u=u32:%u", i, v->uint32);
		break;
	case FWP_UINT64:
		n = snprintf(line + len, cap - len, " %u=u64:%llu", i,
			     (unsigned long long)*v->uint64);
		break;
	case FWP_BYTE_ARRAY16_TYPE:
		n = snprintf(line + len, cap - len, " %u=a16:", i);
		for (int b = 0; b < 16 && n > 0 && len + (size_t)n < cap; b++)
			n += snprintf(line + len + n, cap - len - n, "%02x",
				      v->byteArray16->byteArray16[b]);
		break;
	default:
		n = snprintf(line + len, cap - len, " %u=type%u", i, (unsigned)v->type);
		break;
	}
	return n > 0 ? len + (size_t)n : len;
}

static void NTAPI RecordClassify(const FWPS_INCOMING_VALUES0 *in,
				 const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layerData,
				 const void *classifyContext, const FWPS_FILTER3 *filter,
				 UINT64 flowContext, FWPS_CLASSIFY_OUT0 *out)
{
	char line[2048];
	size_t len;

	UNREFERENCED_PARAMETER(meta);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	len = (size_t)snprintf(line, sizeof(line), "layer=%u count=%u", in->layerId, in->valueCount);
	for (UINT32 i = 0; i < in->valueCount; i++)
		len = put_value(line, len, sizeof(line) - 1, i, &in->incomingValue[i].value);
	line[len++] = '\n';
	/* One write per line on an O_APPEND file: lines from two worker
	 * threads never interleave. */
	if (gFd >= 0 && write(gFd, line, len) != (ssize_t)len)
		abort();
	if (in->layerId == FWPS_LAYER_STREAM_V4 || in->layerId == FWPS_LAYER_STREAM_V6) {
		FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;

		io->streamAction = FWPS_STREAM_ACTION_NONE;
		io->countBytesRequired = 0;
		io->countBytesEnforced = io->streamData->dataLength;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS RecordLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	const char *path = getenv("OWFP_RECORD_VALUES");

	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	if (!path)
		return STATUS_INVALID_PARAMETER;
	gFd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	return gFd < 0 ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

static void RecordUnload(void)
{
	if (gFd >= 0)
		close(gFd);
	gFd = -1;
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &RECORD_STREAM_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = RecordClassify},
	{.key = &RECORD_STREAM_V6, .layer = &FWPM_LAYER_STREAM_V6, .classifyFn = RecordClassify},
	{.key = &RECORD_ALE_V4,
	 .layer = &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4,
	 .classifyFn = RecordClassify},
	{.key = &RECORD_ALE_V6,
	 .layer = &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6,
	 .classifyFn = RecordClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"record_values",
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
	.load = RecordLoad,
	.unload = RecordUnload,
};
