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

DEFINE_GUID(NAIVE_CALLOUT_V4, 0x7a11e0c3, 0x52d1, 0x4a90, 0x8b, 0x0e, 0x31, 0x6c, 0x22, 0x90, 0x0b, 0x04);

static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static UINT32 gCalloutId;
static UINT64 gFilterId;

DRIVER_INITIALIZE DriverEntry;

static void NTAPI NaiveClassify(const FWPS_INCOMING_VALUES *in, const FWPS_INCOMING_METADATA_VALUES *meta,
				void *layerData, const void *ctx, const FWPS_FILTER *filter,
				UINT64 flowContext, FWPS_CLASSIFY_OUT *out)
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

static NTSTATUS NTAPI NaiveNotify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER *f)
{
	UNREFERENCED_PARAMETER(t);
	UNREFERENCED_PARAMETER(k);
	UNREFERENCED_PARAMETER(f);
	return STATUS_SUCCESS;
}

static void NaiveUnload(PDRIVER_OBJECT driver)
{
	UNREFERENCED_PARAMETER(driver);
	FwpmFilterDeleteById(gEngine, gFilterId);
	FwpmCalloutDeleteByKey(gEngine, &NAIVE_CALLOUT_V4);
	FwpmEngineClose(gEngine);
	FwpsCalloutUnregisterById(gCalloutId);
	IoDeleteDevice(gDevice);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registryPath)
{
	FWPS_CALLOUT sc = {0};
	FWPM_CALLOUT mc = {0};
	FWPM_FILTER f = {0};
	NTSTATUS st;

	UNREFERENCED_PARAMETER(registryPath);
	st = IoCreateDevice(driver, 0, NULL, FILE_DEVICE_NETWORK, 0, FALSE, &gDevice);
	sc.calloutKey = NAIVE_CALLOUT_V4;
	sc.classifyFn = NaiveClassify;
	sc.notifyFn = NaiveNotify;
	if (NT_SUCCESS(st))
		st = FwpsCalloutRegister(gDevice, &sc, &gCalloutId);
	if (NT_SUCCESS(st))
		st = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &gEngine);
	mc.calloutKey = NAIVE_CALLOUT_V4;
	mc.displayData.name = L"naive";
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	if (NT_SUCCESS(st))
		st = FwpmCalloutAdd(gEngine, &mc, NULL, NULL);
	f.displayData.name = L"naive";
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.weight.type = FWP_EMPTY;
	f.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	f.action.calloutKey = NAIVE_CALLOUT_V4;
	if (NT_SUCCESS(st))
		st = FwpmFilterAdd(gEngine, &f, NULL, &gFilterId);
	if (NT_SUCCESS(st))
		driver->DriverUnload = NaiveUnload;
	return st;
}
