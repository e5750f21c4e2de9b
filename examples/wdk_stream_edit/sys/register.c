/*
 * Registration with WFP. The driver provisions itself, as a self-contained
 * driver does: in DriverEntry it opens a dynamic session to the filter
 * engine and, in one transaction, adds its sublayer, one callout per
 * stream layer (IPv4 and IPv6) and one filter per callout, restricted to
 * the remote port of InspectPort. Everything added through the dynamic
 * session disappears when the session is closed at unload.
 */
#include "wse.h"
#include "register.tmh"

#define INITGUID
#include <guiddef.h>

// {9F4B1C2D-7E3A-4A5B-8C6D-0E1F2A3B4C5D}
DEFINE_GUID(WSE_STREAM_CALLOUT_V4,
            0x9f4b1c2d, 0x7e3a, 0x4a5b, 0x8c, 0x6d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5d);
// {9F4B1C2D-7E3A-4A5B-8C6D-0E1F2A3B4C5E}
DEFINE_GUID(WSE_STREAM_CALLOUT_V6,
            0x9f4b1c2d, 0x7e3a, 0x4a5b, 0x8c, 0x6d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x5e);
// {5A6B7C8D-1E2F-4031-9425-36A7B8C9D0E1}
DEFINE_GUID(WSE_SUBLAYER,
            0x5a6b7c8d, 0x1e2f, 0x4031, 0x94, 0x25, 0x36, 0xa7, 0xb8, 0xc9, 0xd0, 0xe1);

typedef struct _WSE_LAYER {
    const GUID *CalloutKey;
    const GUID *LayerKey;
    const WCHAR *Name;
} WSE_LAYER;

static const WSE_LAYER WseLayers[2] = {
    { &WSE_STREAM_CALLOUT_V4, &FWPM_LAYER_STREAM_V4, L"wdk_stream_edit IPv4" },
    { &WSE_STREAM_CALLOUT_V6, &FWPM_LAYER_STREAM_V6, L"wdk_stream_edit IPv6" },
};

static NTSTATUS NTAPI
WseNotify(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE NotifyType,
    _In_ const GUID *FilterKey,
    _Inout_ FWPS_FILTER *Filter
    )
{
    UNREFERENCED_PARAMETER(FilterKey);

    if (NotifyType == FWPS_CALLOUT_NOTIFY_ADD_FILTER)
    {
        DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_INIT, "%!FUNC!: filter %I64u uses our callout",
                            Filter->filterId);
    }
    return STATUS_SUCCESS;
}

//
// The run-time half (FwpsCalloutRegister: our functions) and the
// management half (FwpmCalloutAdd, FwpmFilterAdd) for one layer.
//
static NTSTATUS
WseAddLayer(
    ULONG Index
    )
{
    const WSE_LAYER *layer = &WseLayers[Index];
    FWPS_CALLOUT sCallout = { 0 };
    FWPM_CALLOUT mCallout = { 0 };
    FWPM_FILTER filter = { 0 };
    FWPM_FILTER_CONDITION condition = { 0 };
    NTSTATUS status;

    sCallout.calloutKey = *layer->CalloutKey;
    if (gWse.Settings.EditMode == WseEditOutOfBand)
    {
        sCallout.classifyFn = WseOobClassify;
        sCallout.flowDeleteFn = WseOobFlowDelete; // flows carry a WSE_FLOW
    }
    else
    {
        sCallout.classifyFn = WseInlineClassify;
    }
    sCallout.notifyFn = WseNotify;
    status = FwpsCalloutRegister(gWse.WdmDevice, &sCallout, &gWse.CalloutIds[Index]);
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT, "FwpsCalloutRegister failed with %!STATUS!",
                            status);
        return status;
    }

    mCallout.calloutKey = *layer->CalloutKey;
    mCallout.displayData.name = (WCHAR *)layer->Name;
    mCallout.displayData.description = L"replaces FindText with ReplaceText";
    mCallout.applicableLayer = *layer->LayerKey;
    status = FwpmCalloutAdd(gWse.EngineHandle, &mCallout, NULL, NULL);
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT, "FwpmCalloutAdd failed with %!STATUS!", status);
        return status;
    }

    filter.displayData.name = (WCHAR *)layer->Name;
    filter.layerKey = *layer->LayerKey;
    filter.subLayerKey = WSE_SUBLAYER;
    filter.weight.type = FWP_EMPTY; // let the engine choose
    filter.action.type = FWP_ACTION_CALLOUT_TERMINATING;
    filter.action.calloutKey = *layer->CalloutKey;
    if (gWse.Settings.Port != 0)
    {
        condition.fieldKey = FWPM_CONDITION_IP_REMOTE_PORT;
        condition.matchType = FWP_MATCH_EQUAL;
        condition.conditionValue.type = FWP_UINT16;
        condition.conditionValue.uint16 = (UINT16)gWse.Settings.Port;
        filter.filterCondition = &condition;
        filter.numFilterConditions = 1;
    }
    status = FwpmFilterAdd(gWse.EngineHandle, &filter, NULL, &gWse.FilterIds[Index]);
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT, "FwpmFilterAdd failed with %!STATUS!", status);
    }
    return status;
}

NTSTATUS
WseRegisterCallouts(void)
{
    FWPM_SESSION session = { 0 };
    FWPM_SUBLAYER subLayer = { 0 };
    BOOLEAN inTransaction = FALSE;
    NTSTATUS status;
    ULONG i;

    session.flags = FWPM_SESSION_FLAG_DYNAMIC;
    status = FwpmEngineOpen(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &gWse.EngineHandle);
    if (!NT_SUCCESS(status))
    {
        goto Exit;
    }
    status = FwpmTransactionBegin(gWse.EngineHandle, 0);
    if (!NT_SUCCESS(status))
    {
        goto Exit;
    }
    inTransaction = TRUE;

    subLayer.subLayerKey = WSE_SUBLAYER;
    subLayer.displayData.name = L"wdk_stream_edit";
    subLayer.displayData.description = L"the stream editor's filters";
    subLayer.weight = 0x100; // below the universal sublayer, above inspection
    status = FwpmSubLayerAdd(gWse.EngineHandle, &subLayer, NULL);
    if (!NT_SUCCESS(status))
    {
        goto Exit;
    }
    for (i = 0; i < RTL_NUMBER_OF(WseLayers); i++)
    {
        status = WseAddLayer(i);
        if (!NT_SUCCESS(status))
        {
            goto Exit;
        }
    }
    status = FwpmTransactionCommit(gWse.EngineHandle);
    if (NT_SUCCESS(status))
    {
        inTransaction = FALSE;
    }

Exit:
    if (inTransaction)
    {
        FwpmTransactionAbort(gWse.EngineHandle);
    }
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_INIT,
                        "%!FUNC!: %!EDITMODE! callouts %u/%u, filters %I64u/%I64u, %!STATUS!",
                        gWse.Settings.EditMode, gWse.CalloutIds[0], gWse.CalloutIds[1],
                        gWse.FilterIds[0], gWse.FilterIds[1], status);
    return status;
}

//
// Undoes WseRegisterCallouts, or as much of it as was done. Closing the
// dynamic session deletes the filters, callouts and sublayer it added;
// then the run-time callouts can go.
//
void
WseUnregisterCallouts(void)
{
    ULONG i;

    if (gWse.EngineHandle != NULL)
    {
        FwpmEngineClose(gWse.EngineHandle);
        gWse.EngineHandle = NULL;
    }
    for (i = 0; i < RTL_NUMBER_OF(gWse.CalloutIds); i++)
    {
        if (gWse.CalloutIds[i] != 0)
        {
            NTSTATUS status = FwpsCalloutUnregisterById(gWse.CalloutIds[i]);

            if (!NT_SUCCESS(status))
            {
                DoTraceLevelMessage(TRACE_LEVEL_WARNING, WSE_INIT,
                                    "FwpsCalloutUnregisterById(%u): %!STATUS!",
                                    gWse.CalloutIds[i], status);
            }
            gWse.CalloutIds[i] = 0;
        }
        gWse.FilterIds[i] = 0;
    }
}
