/*
 * drv_oob: DriverEntry as a KMDF non-PnP driver with a control device (its
 * SDDL string comes with <wdf.h>, as in the WDK), the Parameters key, and
 * a stream callout with its filter on the configured local port.
 *
 * Its own DriverEntry, not test_driver.h's: a WDK-style driver project built
 * by openwfp-cc, which is what test_replay_oob_turns.sh checks.
 */
#include "drv_oob.h"

#define INITGUID
#include <guiddef.h>

// {8D2F6A1C-3B4E-4F70-9A1B-2C3D4E5F6071}
DEFINE_GUID(DRV_OOB_CALLOUT_V4, 0x8d2f6a1c, 0x3b4e, 0x4f70, 0x9a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
	    0x60, 0x71);
// {8D2F6A1C-3B4E-4F70-9A1B-2C3D4E5F6072}
DEFINE_GUID(DRV_OOB_SUBLAYER, 0x8d2f6a1c, 0x3b4e, 0x4f70, 0x9a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60,
	    0x72);

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_UNLOAD DrvOobEvtDriverUnload;

DRV_OOB_GLOBALS Globals;

static void DrvOobReadParameters(WDFDRIVER driver)
{
	DECLARE_CONST_UNICODE_STRING(portKey, L"InspectionLocalPort");
	WDFKEY key;
	ULONG value;

	Globals.LocalPort = DRV_OOB_DEFAULT_PORT;
	if (!NT_SUCCESS(WdfDriverOpenParametersRegistryKey(driver, KEY_READ,
							   WDF_NO_OBJECT_ATTRIBUTES, &key)))
		return;
	if (NT_SUCCESS(WdfRegistryQueryULong(key, &portKey, &value)) && value > 0 && value < 65536)
		Globals.LocalPort = (UINT16)value;
	WdfRegistryClose(key);
}

static NTSTATUS DrvOobRegister(void)
{
	FWPS_CALLOUT sCallout = {0};
	FWPM_CALLOUT mCallout = {0};
	FWPM_SUBLAYER subLayer = {0};
	FWPM_FILTER filter = {0};
	FWPM_FILTER_CONDITION condition = {0};
	NTSTATUS status;

	status = FwpsInjectionHandleCreate(AF_UNSPEC, FWPS_INJECTION_TYPE_STREAM,
					   &Globals.InjectionHandle);
	if (NT_SUCCESS(status))
		status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &Globals.EngineHandle);
	if (!NT_SUCCESS(status))
		return status;
	subLayer.subLayerKey = DRV_OOB_SUBLAYER;
	subLayer.displayData.name = L"drv_oob";
	subLayer.weight = 0x40;
	status = FwpmSubLayerAdd(Globals.EngineHandle, &subLayer, NULL);
	if (!NT_SUCCESS(status))
		return status;
	sCallout.calloutKey = DRV_OOB_CALLOUT_V4;
	sCallout.classifyFn = DrvOobClassify;
	sCallout.notifyFn = DrvOobNotify;
	status = FwpsCalloutRegister(Globals.WdmDevice, &sCallout, &Globals.CalloutId);
	if (!NT_SUCCESS(status))
		return status;
	mCallout.calloutKey = DRV_OOB_CALLOUT_V4;
	mCallout.displayData.name = L"drv_oob stream V4";
	mCallout.applicableLayer = FWPM_LAYER_STREAM_V4;
	status = FwpmCalloutAdd(Globals.EngineHandle, &mCallout, NULL, NULL);
	if (!NT_SUCCESS(status))
		return status;
	condition.fieldKey = FWPM_CONDITION_IP_LOCAL_PORT;
	condition.matchType = FWP_MATCH_EQUAL;
	condition.conditionValue.type = FWP_UINT16;
	condition.conditionValue.uint16 = Globals.LocalPort;
	filter.displayData.name = L"drv_oob";
	filter.layerKey = FWPM_LAYER_STREAM_V4;
	filter.subLayerKey = DRV_OOB_SUBLAYER;
	filter.weight.type = FWP_EMPTY;
	filter.numFilterConditions = 1;
	filter.filterCondition = &condition;
	filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
	filter.action.calloutKey = DRV_OOB_CALLOUT_V4;
	return FwpmFilterAdd(Globals.EngineHandle, &filter, NULL, NULL);
}

static void DrvOobCleanup(void)
{
	if (Globals.CalloutId)
		FwpsCalloutUnregisterById(Globals.CalloutId);
	if (Globals.EngineHandle)
		FwpmEngineClose(Globals.EngineHandle);
	if (Globals.InjectionHandle)
		FwpsInjectionHandleDestroy(Globals.InjectionHandle);
	Globals.CalloutId = 0;
	Globals.EngineHandle = NULL;
	Globals.InjectionHandle = NULL;
}

void DrvOobEvtDriverUnload(WDFDRIVER Driver)
{
	UNREFERENCED_PARAMETER(Driver);
	/* as the samples do: wait until no classify holds a reference */
	while (InterlockedCompareExchange(&Globals.Busy, 0, 0) != 0)
		KeWaitForSingleObject(&Globals.Idle, Executive, KernelMode, FALSE, NULL);
	DbgPrint("drv_oob: unload, %ld task(s) discarded after a FIN\n", Globals.Discarded);
	DrvOobCleanup();
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	WDF_DRIVER_CONFIG config;
	WDFDRIVER driver;
	WDFDEVICE device;
	PWDFDEVICE_INIT init;
	NTSTATUS status;

	KeInitializeEvent(&Globals.Idle, NotificationEvent, FALSE);
	WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
	config.DriverInitFlags |= WdfDriverInitNonPnpDriver;
	config.EvtDriverUnload = DrvOobEvtDriverUnload;
	status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config,
				 &driver);
	if (!NT_SUCCESS(status))
		return status;
	init = WdfControlDeviceInitAllocate(driver, &SDDL_DEVOBJ_KERNEL_ONLY);
	if (!init)
		return STATUS_INSUFFICIENT_RESOURCES;
	WdfDeviceInitSetDeviceType(init, FILE_DEVICE_NETWORK);
	WdfDeviceInitSetCharacteristics(init, FILE_DEVICE_SECURE_OPEN, FALSE);
	status = WdfDeviceCreate(&init, WDF_NO_OBJECT_ATTRIBUTES, &device);
	if (!NT_SUCCESS(status)) {
		WdfDeviceInitFree(init);
		return status;
	}
	WdfControlFinishInitializing(device);
	Globals.WdmDevice = WdfDeviceWdmGetDeviceObject(device);
	DrvOobReadParameters(driver);
	status = DrvOobRegister();
	if (!NT_SUCCESS(status))
		DrvOobCleanup();
	return status;
}
