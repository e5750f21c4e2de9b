/*
 * A test callout that shows one stream action on a real proxied connection,
 * chosen by $OWFP_PROXY_ACTION when the plugin loads:
 *   allow  ALLOW_CONNECTION at the first indication (the flow is offloaded)
 *   block  BLOCK every 'X' byte, PERMIT the rest (partial countBytesEnforced)
 *   hold   NEED_MORE_DATA until the indication holds a '\n', then PERMIT all
 *   drop   DROP_CONNECTION when an indication contains "DROP"
 *   permit PERMIT everything (an inspecting no-op)
 * Filters: one CALLOUT_TERMINATING filter at STREAM_V4 and STREAM_V6, added
 * by DriverEntry through a management session, as a driver would.
 */
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include <stdlib.h>
#include <string.h>

DEFINE_GUID(ACTIONS_CALLOUT_V4, 0x0c9e5f31, 0x7d42, 0x4a18, 0x8e, 0x3b, 0x55, 0x01, 0x9a, 0xc0,
	    0xac, 0x74);
DEFINE_GUID(ACTIONS_CALLOUT_V6, 0x0c9e5f31, 0x7d42, 0x4a18, 0x8e, 0x3b, 0x55, 0x01, 0x9a, 0xc0,
	    0xac, 0x76);

enum { MODE_PERMIT, MODE_ALLOW, MODE_BLOCK, MODE_HOLD, MODE_DROP };

static int gMode;
static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static UINT32 gCalloutId[2];
static UINT64 gFilterId[2];

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD ActionsUnload;

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

static NTSTATUS NTAPI ActionsNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				    FWPS_FILTER3 *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static NTSTATUS ActionsRegister(const GUID *key, const GUID *layer, int slot)
{
	FWPS_CALLOUT3 sc;
	FWPM_CALLOUT0 mc;
	FWPM_FILTER0 f;
	NTSTATUS status;

	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = *key;
	sc.classifyFn = ActionsClassify;
	sc.notifyFn = ActionsNotify;
	status = FwpsCalloutRegister3(gDevice, &sc, &gCalloutId[slot]);
	if (!NT_SUCCESS(status))
		return status;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = *key;
	mc.displayData.name = L"proxy_actions";
	mc.applicableLayer = *layer;
	status = FwpmCalloutAdd0(gEngine, &mc, NULL, NULL);
	if (!NT_SUCCESS(status))
		return status;
	memset(&f, 0, sizeof(f));
	f.displayData.name = L"proxy actions test filter";
	f.layerKey = *layer;
	f.subLayerKey = FWPM_SUBLAYER_UNIVERSAL;
	f.weight.type = FWP_EMPTY;
	f.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	f.action.calloutKey = *key;
	return FwpmFilterAdd0(gEngine, &f, NULL, &gFilterId[slot]);
}

static void ActionsCleanup(void)
{
	if (gEngine) {
		for (int i = 0; i < 2; i++)
			if (gFilterId[i])
				FwpmFilterDeleteById0(gEngine, gFilterId[i]);
		FwpmCalloutDeleteByKey0(gEngine, &ACTIONS_CALLOUT_V4);
		FwpmCalloutDeleteByKey0(gEngine, &ACTIONS_CALLOUT_V6);
		FwpmEngineClose0(gEngine);
		gEngine = NULL;
	}
	for (int i = 0; i < 2; i++)
		if (gCalloutId[i])
			FwpsCalloutUnregisterById0(gCalloutId[i]);
	if (gDevice) {
		IoDeleteDevice(gDevice);
		gDevice = NULL;
	}
}

static void ActionsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	ActionsCleanup();
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	const char *mode = getenv("OWFP_PROXY_ACTION");
	NTSTATUS status;

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
	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &gDevice);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &gEngine);
	if (NT_SUCCESS(status))
		status = ActionsRegister(&ACTIONS_CALLOUT_V4, &FWPM_LAYER_STREAM_V4, 0);
	if (NT_SUCCESS(status))
		status = ActionsRegister(&ACTIONS_CALLOUT_V6, &FWPM_LAYER_STREAM_V6, 1);
	if (!NT_SUCCESS(status)) {
		ActionsCleanup();
		return status;
	}
	DriverObject->DriverUnload = ActionsUnload;
	return STATUS_SUCCESS;
}
