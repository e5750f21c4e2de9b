/*
 * The registration every test callout driver repeats, written once: this
 * header defines the plugin's DriverEntry and DriverUnload. DriverEntry
 * creates a device, registers each described callout (FwpsCalloutRegister)
 * and, in one dynamic-session transaction, adds the sublayer, each
 * callout's management object and one filter per callout; DriverUnload
 * undoes it all in the reverse order. Written against the WFP API only, as
 * a driver would be.
 *
 * A plugin includes this header once and then defines its description,
 * under exactly this name:
 *
 *   static const TEST_DRIVER_CALLOUT gCallouts[] = {
 *       {.key = &MY_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = MyClassify},
 *   };
 *   static const TEST_DRIVER TestDriver = {
 *       .name = L"mine",
 *       .sublayerKey = &MY_SUBLAYER,
 *       .sublayerWeight = 0x100,
 *       .callouts = gCallouts,
 *       .calloutCount = RTL_NUMBER_OF(gCallouts),
 *   };
 *
 * Drivers whose point is the registration itself (a DriverEntry that fails,
 * leaks or asserts, KMDF's WdfDriverCreate, a driver project built with
 * openwfp-cc) keep their own DriverEntry and do not include this header.
 */
#ifndef OPENWFP_TEST_DRIVER_H
#define OPENWFP_TEST_DRIVER_H

#include <ntddk.h>
#include <fwpsk.h>
#include <fwpmk.h>

#define TEST_DRIVER_MAX_CALLOUTS 8

typedef struct TEST_DRIVER_CALLOUT {
	const GUID *key;
	/* NULL: the callout is only registered; the configuration adds it and
	 * its filters (as a user-mode tool would). */
	const GUID *layer;
	const wchar_t *name; /* management display name; NULL: the driver's name */
	FWPS_CALLOUT_CLASSIFY_FN classifyFn;
	FWPS_CALLOUT_NOTIFY_FN notifyFn; /* NULL: accepts every filter */
	FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN flowDeleteFn;
	UINT32 flags; /* FWPS_CALLOUT_FLAG_* */
	/* Its one filter at `layer`, in the driver's sublayer. */
	FWP_ACTION_TYPE filterAction; /* 0: FWP_ACTION_CALLOUT_TERMINATING */
	UINT64 filterWeight;          /* 0: FWP_EMPTY (the engine assigns one) */
	const FWPM_FILTER_CONDITION *conditions;
	UINT32 conditionCount;
} TEST_DRIVER_CALLOUT;

typedef struct TEST_DRIVER {
	const wchar_t *name;     /* the callouts' display name */
	const GUID *sublayerKey; /* NULL: filters go to FWPM_SUBLAYER_UNIVERSAL */
	UINT16 sublayerWeight;
	const TEST_DRIVER_CALLOUT *callouts;
	UINT32 calloutCount; /* at most TEST_DRIVER_MAX_CALLOUTS */
	/* Optional hooks, for what the driver itself owns (threads, files,
	 * injection handles). load runs first in DriverEntry; quiesce first in
	 * DriverUnload, while the callouts are still registered (stop threads
	 * that call into the engine); unload last. A failed DriverEntry runs
	 * quiesce and unload too, so they must cope with a partial load. */
	NTSTATUS (*load)(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
	void (*quiesce)(void);
	void (*unload)(void);
} TEST_DRIVER;

/* The plugin's description (a tentative definition: the plugin gives the
 * initialiser). */
static const TEST_DRIVER TestDriver;

static struct {
	PDEVICE_OBJECT device;
	HANDLE engine;
	BOOLEAN committed; /* the management objects are in the engine */
	UINT32 calloutIds[TEST_DRIVER_MAX_CALLOUTS];
	UINT64 filterIds[TEST_DRIVER_MAX_CALLOUTS];
} TestDriverState;

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD TestDriverUnload;

static inline PDEVICE_OBJECT TestDriverDevice(void)
{
	return TestDriverState.device;
}

/* The runtime id of callout `index` of the description (0 before it is
 * registered). */
static inline UINT32 TestDriverCalloutId(UINT32 index)
{
	return index < TEST_DRIVER_MAX_CALLOUTS ? TestDriverState.calloutIds[index] : 0;
}

static NTSTATUS NTAPI TestDriverNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				       FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static NTSTATUS TestDriverAddCallout(UINT32 i)
{
	const TEST_DRIVER_CALLOUT *c = &TestDriver.callouts[i];
	FWPM_CALLOUT callout = {0};
	FWPM_FILTER filter = {0};
	UINT64 weight = c->filterWeight;
	NTSTATUS status;

	callout.calloutKey = *c->key;
	callout.displayData.name = (wchar_t *)(c->name ? c->name : TestDriver.name);
	callout.applicableLayer = *c->layer;
	status = FwpmCalloutAdd(TestDriverState.engine, &callout, NULL, NULL);
	if (!NT_SUCCESS(status))
		return status;
	filter.layerKey = *c->layer;
	filter.subLayerKey = TestDriver.sublayerKey ? *TestDriver.sublayerKey
						    : FWPM_SUBLAYER_UNIVERSAL;
	filter.displayData.name = L"OpenWFP test driver filter";
	filter.action.type = c->filterAction ? c->filterAction : FWP_ACTION_CALLOUT_TERMINATING;
	filter.action.calloutKey = *c->key;
	filter.weight.type = weight ? FWP_UINT64 : FWP_EMPTY;
	if (weight)
		filter.weight.uint64 = &weight;
	filter.numFilterConditions = c->conditionCount;
	filter.filterCondition = (FWPM_FILTER_CONDITION *)c->conditions;
	return FwpmFilterAdd(TestDriverState.engine, &filter, NULL, &TestDriverState.filterIds[i]);
}

static NTSTATUS TestDriverAddObjects(void)
{
	FWPM_SESSION session = {0};
	FWPM_SUBLAYER sublayer = {0};
	NTSTATUS status;

	session.flags = FWPM_SESSION_FLAG_DYNAMIC;
	status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &TestDriverState.engine);
	if (!NT_SUCCESS(status))
		return status;
	status = FwpmTransactionBegin(TestDriverState.engine, 0);
	if (!NT_SUCCESS(status))
		return status;
	if (TestDriver.sublayerKey) {
		sublayer.subLayerKey = *TestDriver.sublayerKey;
		sublayer.displayData.name = L"OpenWFP test driver sublayer";
		sublayer.weight = TestDriver.sublayerWeight;
		status = FwpmSubLayerAdd(TestDriverState.engine, &sublayer, NULL);
	}
	for (UINT32 i = 0; i < TestDriver.calloutCount && NT_SUCCESS(status); i++)
		if (TestDriver.callouts[i].layer)
			status = TestDriverAddCallout(i);
	if (NT_SUCCESS(status))
		status = FwpmTransactionCommit(TestDriverState.engine);
	else
		FwpmTransactionAbort(TestDriverState.engine);
	TestDriverState.committed = NT_SUCCESS(status);
	return status;
}

static void TestDriverTeardown(void)
{
	if (TestDriver.quiesce)
		TestDriver.quiesce();
	if (TestDriverState.engine) {
		/* Explicit, although the session is dynamic: not every engine
		 * removes a dynamic session's objects when it closes. */
		for (UINT32 i = TestDriver.calloutCount; TestDriverState.committed && i-- > 0;) {
			if (!TestDriver.callouts[i].layer)
				continue;
			FwpmFilterDeleteById(TestDriverState.engine, TestDriverState.filterIds[i]);
			FwpmCalloutDeleteByKey(TestDriverState.engine, TestDriver.callouts[i].key);
		}
		if (TestDriverState.committed && TestDriver.sublayerKey)
			FwpmSubLayerDeleteByKey(TestDriverState.engine, TestDriver.sublayerKey);
		FwpmEngineClose(TestDriverState.engine);
	}
	for (UINT32 i = TEST_DRIVER_MAX_CALLOUTS; i-- > 0;)
		if (TestDriverState.calloutIds[i])
			FwpsCalloutUnregisterById(TestDriverState.calloutIds[i]);
	if (TestDriverState.device)
		IoDeleteDevice(TestDriverState.device);
	RtlZeroMemory(&TestDriverState, sizeof(TestDriverState));
	if (TestDriver.unload)
		TestDriver.unload();
}

static void TestDriverUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	TestDriverTeardown();
}

static NTSTATUS TestDriverStart(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	BOOLEAN managed = TestDriver.sublayerKey != NULL;
	NTSTATUS status;

	if (!TestDriver.name || TestDriver.calloutCount > TEST_DRIVER_MAX_CALLOUTS) {
		DbgPrint("test_driver.h: the plugin's TestDriver names no driver or more than %d "
			 "callouts\n",
			 TEST_DRIVER_MAX_CALLOUTS);
		return STATUS_INVALID_PARAMETER;
	}
	if (TestDriver.load) {
		status = TestDriver.load(DriverObject, RegistryPath);
		if (!NT_SUCCESS(status))
			return status;
	}
	status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK, FILE_DEVICE_SECURE_OPEN,
				FALSE, &TestDriverState.device);
	for (UINT32 i = 0; i < TestDriver.calloutCount && NT_SUCCESS(status); i++) {
		const TEST_DRIVER_CALLOUT *c = &TestDriver.callouts[i];
		FWPS_CALLOUT callout = {0};

		callout.calloutKey = *c->key;
		callout.flags = c->flags;
		callout.classifyFn = c->classifyFn;
		callout.notifyFn = c->notifyFn ? c->notifyFn : TestDriverNotify;
		callout.flowDeleteFn = c->flowDeleteFn;
		status = FwpsCalloutRegister(TestDriverState.device, &callout,
					     &TestDriverState.calloutIds[i]);
		managed = managed || c->layer;
	}
	if (NT_SUCCESS(status) && managed)
		status = TestDriverAddObjects();
	return status;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NTSTATUS status = TestDriverStart(DriverObject, RegistryPath);

	if (!NT_SUCCESS(status)) {
		TestDriverTeardown();
		return status;
	}
	DriverObject->DriverUnload = TestDriverUnload;
	return STATUS_SUCCESS;
}

#endif /* OPENWFP_TEST_DRIVER_H */
