/*
 * The control device's I/O queue: what user mode may ask of the driver.
 * The queue is sequential, so requests never run concurrently with each
 * other; the counters they read are updated by the editors with
 * Interlocked* operations.
 */
#include "wse.h"
#include "ioctl.tmh"

static NTSTATUS
WseGetCounters(
    _In_ WDFREQUEST Request,
    _Out_ size_t *Information
    )
{
    WSE_COUNTERS *counters;
    NTSTATUS status;

    *Information = 0;
    status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*counters), (PVOID *)&counters, NULL);
    if (!NT_SUCCESS(status))
    {
        return status; // STATUS_BUFFER_TOO_SMALL for a short buffer
    }
    // A snapshot: each field is read atomically, the set is not.
    RtlZeroMemory(counters, sizeof(*counters));
    counters->Size = sizeof(*counters);
    counters->EditMode = gWse.Settings.EditMode;
    counters->Directions = (UINT32)gWse.Directions;
    counters->FlowsActive = (UINT32)InterlockedCompareExchange((LONG *)&gWse.Counters.FlowsActive, 0, 0);
    counters->BytesInspected = InterlockedCompareExchange64((LONG64 *)&gWse.Counters.BytesInspected, 0, 0);
    counters->Replacements[WseOutbound] =
        InterlockedCompareExchange64((LONG64 *)&gWse.Counters.Replacements[WseOutbound], 0, 0);
    counters->Replacements[WseInbound] =
        InterlockedCompareExchange64((LONG64 *)&gWse.Counters.Replacements[WseInbound], 0, 0);
    counters->BytesInjected = InterlockedCompareExchange64((LONG64 *)&gWse.Counters.BytesInjected, 0, 0);
    counters->Deferrals = InterlockedCompareExchange64((LONG64 *)&gWse.Counters.Deferrals, 0, 0);
    counters->Continues = InterlockedCompareExchange64((LONG64 *)&gWse.Counters.Continues, 0, 0);
    counters->Failures = InterlockedCompareExchange64((LONG64 *)&gWse.Counters.Failures, 0, 0);
    *Information = sizeof(*counters);
    return STATUS_SUCCESS;
}

static NTSTATUS
WseSetDirections(
    _In_ WDFREQUEST Request,
    size_t InputBufferLength
    )
{
    UINT32 *directions;
    NTSTATUS status;

    if (InputBufferLength != sizeof(*directions))
    {
        return STATUS_INVALID_PARAMETER;
    }
    status = WdfRequestRetrieveInputBuffer(Request, sizeof(*directions), (PVOID *)&directions, NULL);
    if (!NT_SUCCESS(status))
    {
        return status;
    }
    if (*directions & ~(UINT32)WSE_DIRECTION_ALL)
    {
        return STATUS_INVALID_PARAMETER;
    }
    InterlockedExchange(&gWse.Directions, (LONG)*directions);
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_IOCTL, "editing directions 0x%x from now on",
                        *directions);
    return STATUS_SUCCESS;
}

VOID
WseEvtIoDeviceControl(
    _In_ WDFQUEUE Queue,
    _In_ WDFREQUEST Request,
    _In_ size_t OutputBufferLength,
    _In_ size_t InputBufferLength,
    _In_ ULONG IoControlCode
    )
{
    size_t information = 0;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(Queue);
    UNREFERENCED_PARAMETER(OutputBufferLength);

    switch (IoControlCode)
    {
    case IOCTL_WSE_GET_COUNTERS:
        status = WseGetCounters(Request, &information);
        break;
    case IOCTL_WSE_SET_DIRECTIONS:
        status = WseSetDirections(Request, InputBufferLength);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_IOCTL, "%!FUNC!: 0x%08X -> %!STATUS!",
                        IoControlCode, status);
    WdfRequestCompleteWithInformation(Request, status, information);
}
