/*
 * wdk_stream_edit: DriverEntry and unload.
 *
 * A non-PnP KMDF driver: it creates its WDFDRIVER, reads its Parameters
 * registry key, creates a named control device (whose WDM device object
 * WFP wants and whose queue serves IOCTLs), sets up what the editors need
 * (lookaside lists, an NBL pool, an injection handle, a work item) and
 * finally registers its callouts and filters.
 */
#include "wse.h"
#include "driver.tmh"

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_UNLOAD WseEvtDriverUnload;

WSE_GLOBALS gWse;

#define WSE_DEFAULT_PORT            8888
#define WSE_DEFAULT_DEFER_THRESHOLD (64 * 1024)

//
// Reads one REG_SZ value as bytes. A value that is absent leaves the
// default; one that is empty or longer than WSE_MAX_TOKEN is an error.
//
static NTSTATUS
WseQueryText(
    _In_ WDFKEY Key,
    _In_ PCUNICODE_STRING Name,
    _Out_writes_(WSE_MAX_TOKEN) UCHAR *Text,
    _Inout_ ULONG *Length,
    BOOLEAN AllowEmpty
    )
{
    WCHAR buffer[WSE_MAX_TOKEN + 1];
    UNICODE_STRING value;
    ULONG bytes = 0;
    NTSTATUS status;

    RtlInitEmptyUnicodeString(&value, buffer, sizeof(buffer));
    status = WdfRegistryQueryUnicodeString(Key, Name, NULL, &value);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND)
    {
        return STATUS_SUCCESS;
    }
    if (NT_SUCCESS(status) && value.Length / sizeof(WCHAR) > WSE_MAX_TOKEN)
    {
        status = STATUS_BUFFER_OVERFLOW;
    }
    if (NT_SUCCESS(status))
    {
        status = RtlUnicodeToMultiByteN((PCHAR)Text, WSE_MAX_TOKEN, &bytes, value.Buffer,
                                        value.Length);
    }
    if (NT_SUCCESS(status) && bytes == 0 && !AllowEmpty)
    {
        status = STATUS_INVALID_PARAMETER;
    }
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT,
                            "Parameters\\%wZ: not usable (%!STATUS!); give 1..%d characters",
                            Name, status, WSE_MAX_TOKEN);
        return status;
    }
    *Length = bytes;
    return STATUS_SUCCESS;
}

static NTSTATUS
WseQueryNumber(
    _In_ WDFKEY Key,
    _In_ PCUNICODE_STRING Name,
    _Inout_ ULONG *Number
    )
{
    NTSTATUS status = WdfRegistryQueryULong(Key, Name, Number);

    if (status == STATUS_OBJECT_NAME_NOT_FOUND)
    {
        return STATUS_SUCCESS;
    }
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT,
                            "Parameters\\%wZ: not a REG_DWORD (%!STATUS!)", Name, status);
    }
    return status;
}

//
// HKLM\System\CurrentControlSet\Services\<driver>\Parameters, over the
// defaults. A value that is present but wrong fails DriverEntry: an editor
// that silently edits something else than it was told to is worse than
// one that does not start.
//
static NTSTATUS
WseReadSettings(
    _In_ WDFDRIVER Driver
    )
{
    DECLARE_CONST_UNICODE_STRING(findName, L"FindText");
    DECLARE_CONST_UNICODE_STRING(replaceName, L"ReplaceText");
    DECLARE_CONST_UNICODE_STRING(portName, L"InspectPort");
    DECLARE_CONST_UNICODE_STRING(modeName, L"EditMode");
    DECLARE_CONST_UNICODE_STRING(deferName, L"DeferThreshold");
    WSE_SETTINGS *settings = &gWse.Settings;
    ULONG mode = WseEditInline;
    WDFKEY key;
    NTSTATUS status;

    RtlCopyMemory(settings->FindText, "rainy", 5);
    settings->FindLength = 5;
    RtlCopyMemory(settings->ReplaceText, "sunny", 5);
    settings->ReplaceLength = 5;
    settings->Port = WSE_DEFAULT_PORT;
    settings->DeferThreshold = WSE_DEFAULT_DEFER_THRESHOLD;

    status = WdfDriverOpenParametersRegistryKey(Driver, KEY_READ, WDF_NO_OBJECT_ATTRIBUTES, &key);
    if (!NT_SUCCESS(status))
    {
        // No Parameters key at all: run with the defaults.
        DoTraceLevelMessage(TRACE_LEVEL_WARNING, WSE_INIT,
                            "WdfDriverOpenParametersRegistryKey: %!STATUS!, using defaults", status);
        settings->EditMode = WseEditInline;
        return STATUS_SUCCESS;
    }
    status = WseQueryText(key, &findName, settings->FindText, &settings->FindLength, FALSE);
    if (NT_SUCCESS(status))
    {
        status = WseQueryText(key, &replaceName, settings->ReplaceText,
                              &settings->ReplaceLength, TRUE);
    }
    if (NT_SUCCESS(status))
    {
        status = WseQueryNumber(key, &portName, &settings->Port);
    }
    if (NT_SUCCESS(status))
    {
        status = WseQueryNumber(key, &modeName, &mode);
    }
    if (NT_SUCCESS(status))
    {
        status = WseQueryNumber(key, &deferName, &settings->DeferThreshold);
    }
    WdfRegistryClose(key);

    if (NT_SUCCESS(status) && (settings->Port > 0xFFFF || mode >= WseEditModeMax))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INIT,
                            "InspectPort %u or EditMode %u out of range (0..65535, 0..1)",
                            settings->Port, mode);
        status = STATUS_INVALID_PARAMETER;
    }
    settings->EditMode = (WSE_EDIT_MODE)mode;
    return status;
}

static NTSTATUS
WseCreateControlDevice(
    _In_ WDFDRIVER Driver
    )
{
    DECLARE_CONST_UNICODE_STRING(deviceName, WSE_DEVICE_NAME);
    DECLARE_CONST_UNICODE_STRING(symbolicName, WSE_SYMBOLIC_NAME);
    WDF_IO_QUEUE_CONFIG queueConfig;
    PWDFDEVICE_INIT deviceInit;
    NTSTATUS status;

    // Only SYSTEM and administrators may open it.
    deviceInit = WdfControlDeviceInitAllocate(Driver, &SDDL_DEVOBJ_SYS_ALL_ADM_ALL);
    if (deviceInit == NULL)
    {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    WdfDeviceInitSetDeviceType(deviceInit, FILE_DEVICE_NETWORK);
    WdfDeviceInitSetCharacteristics(deviceInit, FILE_DEVICE_SECURE_OPEN, FALSE);
    status = WdfDeviceInitAssignName(deviceInit, &deviceName);
    if (NT_SUCCESS(status))
    {
        status = WdfDeviceCreate(&deviceInit, WDF_NO_OBJECT_ATTRIBUTES, &gWse.ControlDevice);
    }
    if (!NT_SUCCESS(status))
    {
        // WdfDeviceCreate sets deviceInit to NULL once it owns it.
        if (deviceInit != NULL)
        {
            WdfDeviceInitFree(deviceInit);
        }
        return status;
    }
    status = WdfDeviceCreateSymbolicLink(gWse.ControlDevice, &symbolicName);
    if (!NT_SUCCESS(status))
    {
        return status;
    }

    // IOCTLs one at a time: the handler needs no lock of its own.
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queueConfig, WdfIoQueueDispatchSequential);
    queueConfig.EvtIoDeviceControl = WseEvtIoDeviceControl;
    status = WdfIoQueueCreate(gWse.ControlDevice, &queueConfig, WDF_NO_OBJECT_ATTRIBUTES, NULL);
    if (!NT_SUCCESS(status))
    {
        return status;
    }
    WdfControlFinishInitializing(gWse.ControlDevice);
    gWse.WdmDevice = WdfDeviceWdmGetDeviceObject(gWse.ControlDevice);
    return STATUS_SUCCESS;
}

//
// Everything the editors allocate from, created before any callout can
// run and freed after the last one has.
//
static NTSTATUS
WseCreateResources(
    _In_ WDFDRIVER Driver
    )
{
    NET_BUFFER_LIST_POOL_PARAMETERS poolParameters = { 0 };
    NTSTATUS status;

    status = ExInitializeLookasideListEx(&gWse.WindowLookaside, NULL, NULL, NonPagedPoolNx, 0,
                                         WSE_WINDOW_SIZE, WSE_TAG_WINDOW, 0);
    if (NT_SUCCESS(status))
    {
        status = ExInitializeLookasideListEx(&gWse.FlowLookaside, NULL, NULL, NonPagedPoolNx, 0,
                                             sizeof(WSE_FLOW), WSE_TAG_FLOW, 0);
        if (!NT_SUCCESS(status))
        {
            ExDeleteLookasideListEx(&gWse.WindowLookaside);
        }
    }
    if (NT_SUCCESS(status))
    {
        status = ExInitializeLookasideListEx(&gWse.ChunkLookaside, NULL, NULL, NonPagedPoolNx, 0,
                                             sizeof(WSE_CHUNK), WSE_TAG_CHUNK, 0);
        if (!NT_SUCCESS(status))
        {
            ExDeleteLookasideListEx(&gWse.FlowLookaside);
            ExDeleteLookasideListEx(&gWse.WindowLookaside);
        }
    }
    if (!NT_SUCCESS(status))
    {
        return status;
    }
    gWse.LookasidesReady = TRUE;

    gWse.NdisGenericObject = NdisAllocateGenericObject(WdfDriverWdmGetDriverObject(Driver),
                                                       WSE_TAG_MISC, 0);
    if (gWse.NdisGenericObject == NULL)
    {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    poolParameters.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
    poolParameters.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
    poolParameters.fAllocateNetBuffer = TRUE;
    poolParameters.PoolTag = WSE_TAG_MISC;
    poolParameters.DataSize = 0;
    gWse.NetBufferListPool = NdisAllocateNetBufferListPool(gWse.NdisGenericObject,
                                                           &poolParameters);
    if (gWse.NetBufferListPool == NULL)
    {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    status = FwpsInjectionHandleCreate(AF_UNSPEC, FWPS_INJECTION_TYPE_STREAM,
                                       &gWse.InjectionHandle);
    if (!NT_SUCCESS(status))
    {
        return status;
    }

    // Inline edits inject ReplaceText straight from the settings.
    if (gWse.Settings.ReplaceLength > 0)
    {
        gWse.ReplaceMdl = IoAllocateMdl(gWse.Settings.ReplaceText, gWse.Settings.ReplaceLength,
                                        FALSE, FALSE, NULL);
        if (gWse.ReplaceMdl == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        MmBuildMdlForNonPagedPool(gWse.ReplaceMdl);
    }

    KeInitializeSpinLock(&gWse.WorkLock);
    InitializeListHead(&gWse.WorkQueue);
    KeInitializeEvent(&gWse.WorkerIdle, NotificationEvent, TRUE);
    gWse.WorkItem = IoAllocateWorkItem(gWse.WdmDevice);
    if (gWse.WorkItem == NULL)
    {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

static void
WseFreeResources(void)
{
    if (gWse.WorkItem != NULL)
    {
        IoFreeWorkItem(gWse.WorkItem);
        gWse.WorkItem = NULL;
    }
    if (gWse.ReplaceMdl != NULL)
    {
        IoFreeMdl(gWse.ReplaceMdl);
        gWse.ReplaceMdl = NULL;
    }
    if (gWse.InjectionHandle != NULL)
    {
        FwpsInjectionHandleDestroy(gWse.InjectionHandle);
        gWse.InjectionHandle = NULL;
    }
    if (gWse.NetBufferListPool != NULL)
    {
        NdisFreeNetBufferListPool(gWse.NetBufferListPool);
        gWse.NetBufferListPool = NULL;
    }
    if (gWse.NdisGenericObject != NULL)
    {
        NdisFreeGenericObject(gWse.NdisGenericObject);
        gWse.NdisGenericObject = NULL;
    }
    if (gWse.LookasidesReady)
    {
        ExDeleteLookasideListEx(&gWse.ChunkLookaside);
        ExDeleteLookasideListEx(&gWse.FlowLookaside);
        ExDeleteLookasideListEx(&gWse.WindowLookaside);
        gWse.LookasidesReady = FALSE;
    }
}

//
// Callouts first (no classifyFn runs after this), then the worker, then
// the memory they used.
//
static void
WseTeardown(void)
{
    WseUnregisterCallouts();
    if (gWse.WorkItem != NULL)
    {
        WseOobShutdown();
    }
    WseFreeResources();
}

VOID
WseEvtDriverUnload(
    _In_ WDFDRIVER Driver
    )
{
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_INIT,
                        "--> %!FUNC!: %I64u + %I64u replacements, %I64u failures",
                        gWse.Counters.Replacements[WseOutbound],
                        gWse.Counters.Replacements[WseInbound], gWse.Counters.Failures);
    WseTeardown();
    WPP_CLEANUP(WdfDriverWdmGetDriverObject(Driver));
}

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    WDF_DRIVER_CONFIG config;
    WDFDRIVER driver;
    NTSTATUS status;

    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
    WPP_INIT_TRACING(DriverObject, RegistryPath);
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_INIT, "--> %!FUNC!: %wZ", RegistryPath);

    RtlZeroMemory(&gWse, sizeof(gWse));
    gWse.Directions = WSE_DIRECTION_ALL;

    WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
    config.DriverInitFlags |= WdfDriverInitNonPnpDriver;
    config.EvtDriverUnload = WseEvtDriverUnload;
    status = WdfDriverCreate(DriverObject, RegistryPath, WDF_NO_OBJECT_ATTRIBUTES, &config,
                             &driver);
    if (!NT_SUCCESS(status))
    {
        goto Exit;
    }
    status = WseReadSettings(driver);
    if (NT_SUCCESS(status))
    {
        status = WseCreateControlDevice(driver);
    }
    if (NT_SUCCESS(status))
    {
        status = WseCreateResources(driver);
    }
    if (NT_SUCCESS(status))
    {
        status = WseRegisterCallouts();
    }
    if (!NT_SUCCESS(status))
    {
        // EvtDriverUnload will not run: undo our part here. The framework
        // deletes the device and the driver object's children itself.
        WseTeardown();
    }

Exit:
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_INIT,
                        "<-- %!FUNC!: %!EDITMODE!, \"%s\" -> \"%s\", port %u, %!STATUS!",
                        gWse.Settings.EditMode, (const char *)gWse.Settings.FindText,
                        (const char *)gWse.Settings.ReplaceText, gWse.Settings.Port, status);
    if (!NT_SUCCESS(status))
    {
        WPP_CLEANUP(DriverObject);
    }
    return status;
}
