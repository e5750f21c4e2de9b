/*
 * drv_wpp: DriverEntry and DriverUnload. Registers a stream callout for
 * connections to port 80 and traces with WPP (driver.tmh).
 *
 * Its own DriverEntry, not test_driver.h's: a WDK-style driver project (WPP,
 * C++) built by openwfp-cc, which is what test_openwfp_cc.sh checks.
 */
#include "drv_wpp.h"
#include "driver.tmh"

static PDEVICE_OBJECT gDevice;
static HANDLE gEngine;
static UINT32 gCalloutId;
static UINT64 gFilterId;

static NTSTATUS DrvWppAddFilter(void)
{
    FWPS_CALLOUT sCallout = {0};
    FWPM_CALLOUT mCallout = {0};
    FWPM_FILTER filter = {0};
    FWPM_FILTER_CONDITION condition = {0};
    FWPM_SUBLAYER subLayer = {0};
    NTSTATUS status;

    subLayer.subLayerKey = DRV_WPP_SUBLAYER;
    subLayer.displayData.name = L"drv_wpp";
    subLayer.weight = 0x100;
    status = FwpmSubLayerAdd(gEngine, &subLayer, NULL);
    if (!NT_SUCCESS(status))
        return status;

    sCallout.calloutKey = DRV_WPP_CALLOUT_V4;
    sCallout.classifyFn = DrvWppClassify;
    sCallout.notifyFn = DrvWppNotify;
    status = FwpsCalloutRegister(gDevice, &sCallout, &gCalloutId);
    if (!NT_SUCCESS(status))
        return status;

    mCallout.calloutKey = DRV_WPP_CALLOUT_V4;
    mCallout.displayData.name = L"drv_wpp";
    mCallout.applicableLayer = FWPM_LAYER_STREAM_V4;
    status = FwpmCalloutAdd(gEngine, &mCallout, NULL, NULL);
    if (!NT_SUCCESS(status))
        return status;

    condition.fieldKey = FWPM_CONDITION_IP_REMOTE_PORT;
    condition.matchType = FWP_MATCH_EQUAL;
    condition.conditionValue.type = FWP_UINT16;
    condition.conditionValue.uint16 = DRV_WPP_PORT;
    filter.displayData.name = L"drv_wpp";
    filter.layerKey = FWPM_LAYER_STREAM_V4;
    filter.subLayerKey = DRV_WPP_SUBLAYER;
    filter.weight.type = FWP_EMPTY;
    filter.numFilterConditions = 1;
    filter.filterCondition = &condition;
    filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
    filter.action.calloutKey = DRV_WPP_CALLOUT_V4;
    return FwpmFilterAdd(gEngine, &filter, NULL, &gFilterId);
}

static void DrvWppCleanup(void)
{
    if (gFilterId)
        FwpmFilterDeleteById(gEngine, gFilterId);
    if (gCalloutId)
        FwpsCalloutUnregisterById(gCalloutId);
    if (gEngine) {
        FwpmCalloutDeleteByKey(gEngine, &DRV_WPP_CALLOUT_V4);
        FwpmSubLayerDeleteByKey(gEngine, &DRV_WPP_SUBLAYER);
        FwpmEngineClose(gEngine);
    }
    if (gDevice)
        IoDeleteDevice(gDevice);
    gFilterId = 0;
    gCalloutId = 0;
    gEngine = NULL;
    gDevice = NULL;
}

static void DrvWppUnload(PDRIVER_OBJECT DriverObject)
{
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, DW_INIT, "--> %!FUNC!: %lu classifies",
                        gDrvWppClassifies);
    DrvWppCleanup();
    WPP_CLEANUP(DriverObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;

    WPP_INIT_TRACING(DriverObject, RegistryPath);
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, DW_INIT, "--> %!FUNC!: DrvObj %p", DriverObject);

#pragma prefast(suppress: 6387, "the device has no name")
    status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_NETWORK,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &gDevice);
    if (NT_SUCCESS(status))
        status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &gEngine);
    if (NT_SUCCESS(status))
        status = DrvWppAddFilter();
    __pragma(warning(suppress: 4127))
    if (!NT_SUCCESS(status)) {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, DW_INIT, "setup failed with %!STATUS!", status);
        DrvWppCleanup();
        WPP_CLEANUP(DriverObject);
        return status;
    }
    DriverObject->DriverUnload = DrvWppUnload;
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, DW_INIT,
                        "<-- %!FUNC!: callout %u, filter %I64u, %!STATUS!",
                        gCalloutId, gFilterId, status);
    return status;
}
