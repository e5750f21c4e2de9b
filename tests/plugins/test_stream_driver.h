/*
 * The part every single-callout test driver repeats: a device, one stream
 * callout registered for STREAM_V4, and (in one dynamic-session
 * transaction) its sublayer, management callout and a terminating filter
 * with no conditions; undone in the reverse order at unload. A test driver
 * fills TEST_STREAM_DRIVER with its keys, names and classifyFn and calls
 * TestStreamDriverStart from DriverEntry, TestStreamDriverStop from its
 * DriverUnload. Written against the WFP API only, as a driver would be.
 */
#ifndef OPENWFP_TEST_STREAM_DRIVER_H
#define OPENWFP_TEST_STREAM_DRIVER_H

#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>

typedef struct TEST_STREAM_DRIVER {
	const GUID *calloutKey;
	const GUID *sublayerKey;
	const wchar_t *name; /* the management callout's display name */
	UINT16 sublayerWeight;
	FWPS_CALLOUT_CLASSIFY_FN classifyFn;
	PDEVICE_OBJECT device; /* set by Start */
	HANDLE engine;
	UINT32 calloutId;
	UINT64 filterId;
} TEST_STREAM_DRIVER;

static NTSTATUS NTAPI TestStreamDriverNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType,
					     const GUID *filterKey, FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static NTSTATUS TestStreamDriverAddObjects(TEST_STREAM_DRIVER *d)
{
	FWPM_SESSION session = {0};
	FWPM_SUBLAYER sublayer = {0};
	FWPM_CALLOUT callout = {0};
	FWPM_FILTER filter = {0};
	NTSTATUS status;

	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &d->engine);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpmTransactionBegin(d->engine, 0);
	if (!NT_SUCCESS(status))
		return status;
	sublayer.subLayerKey = *d->sublayerKey;
	sublayer.displayData.name = L"OpenWFP test driver sublayer";
	sublayer.weight = d->sublayerWeight;
	status = FwpmSubLayerAdd(d->engine, &sublayer, NULL);
	if (NT_SUCCESS(status)) {
		callout.calloutKey = *d->calloutKey;
		callout.displayData.name = (wchar_t *)d->name;
		callout.applicableLayer = FWPM_LAYER_STREAM_V4;
		status = FwpmCalloutAdd(d->engine, &callout, NULL, NULL);
	}
	if (NT_SUCCESS(status)) {
		filter.layerKey = FWPM_LAYER_STREAM_V4;
		filter.subLayerKey = *d->sublayerKey;
		filter.displayData.name = L"OpenWFP test driver filter";
		filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
		filter.action.calloutKey = *d->calloutKey;
		filter.weight.type = FWP_EMPTY;
		status = FwpmFilterAdd(d->engine, &filter, NULL, &d->filterId);
	}
	if (!NT_SUCCESS(status)) {
		FwpmTransactionAbort(d->engine);
		return status;
	}
	return FwpmTransactionCommit(d->engine);
}

static void TestStreamDriverStop(TEST_STREAM_DRIVER *d)
{
	if (d->engine) {
		/* Explicit, although the session is dynamic: not every engine
		 * removes a dynamic session's objects when it closes. */
		if (d->filterId)
			FwpmFilterDeleteById(d->engine, d->filterId);
		FwpmCalloutDeleteByKey(d->engine, d->calloutKey);
		FwpmSubLayerDeleteByKey(d->engine, d->sublayerKey);
		FwpmEngineClose(d->engine);
		d->engine = NULL;
	}
	if (d->calloutId)
		FwpsCalloutUnregisterById(d->calloutId);
	if (d->device)
		IoDeleteDevice(d->device);
	d->device = NULL;
	d->calloutId = 0;
	d->filterId = 0;
}

static NTSTATUS TestStreamDriverStart(PDRIVER_OBJECT DriverObject, TEST_STREAM_DRIVER *d)
{
	FWPS_CALLOUT callout = {0};
	NTSTATUS status;

	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &d->device);
	if (!NT_SUCCESS(status))
		return status;
	callout.calloutKey = *d->calloutKey;
	callout.classifyFn = d->classifyFn;
	callout.notifyFn = TestStreamDriverNotify;
	status = FwpsCalloutRegister(d->device, &callout, &d->calloutId);
	if (NT_SUCCESS(status))
		status = TestStreamDriverAddObjects(d);
	if (!NT_SUCCESS(status))
		TestStreamDriverStop(d);
	return status;
}

#endif /* OPENWFP_TEST_STREAM_DRIVER_H */
