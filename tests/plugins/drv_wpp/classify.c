/*
 * drv_wpp: the classify and notify functions. Permits everything and
 * traces what it sees (classify.tmh).
 */
#include "drv_wpp.h"
#include "classify.tmh"

volatile ULONG gDrvWppClassifies;

void NTAPI DrvWppClassify(const FWPS_INCOMING_VALUES *inFixedValues,
                          const FWPS_INCOMING_METADATA_VALUES *inMetaValues,
                          void *layerData, const void *classifyContext,
                          const FWPS_FILTER *filter, UINT64 flowContext,
                          FWPS_CLASSIFY_OUT *classifyOut)
{
    FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket = (FWPS_STREAM_CALLOUT_IO_PACKET *)layerData;
    FWPS_STREAM_DATA *streamData = ioPacket->streamData;
    UCHAR head[8] = {0};
    SIZE_T copied = 0;
    UINT32 remote = inFixedValues->incomingValue[FWPS_FIELD_STREAM_V4_IP_REMOTE_ADDRESS].value.uint32;
    ULONG count;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(filter);
    UNREFERENCED_PARAMETER(flowContext);

    // MSVC accepts the address of a cast; so must the build.
    count = (ULONG)InterlockedIncrement(&(LONG)gDrvWppClassifies);

    if (streamData->dataLength)
        FwpsCopyStreamDataToBuffer(streamData, head, min(sizeof(head), streamData->dataLength),
                                   &copied);
    TraceEvents(TRACE_LEVEL_INFORMATION, DW_DATA,
                "%!FUNC!: #%lu %!DirState! %Iu bytes to %!IPADDR!:%!PORT! starting %!HEXDUMP!, "
                "send %!bool!",
                count, DrvWppDirState(streamData->flags), streamData->dataLength,
                RtlUlongByteSwap(remote), RtlUshortByteSwap((USHORT)DRV_WPP_PORT),
                DrvWppLogXstr(head, (short)copied),
                (streamData->flags & FWPS_STREAM_FLAG_SEND) != 0);
    DrvWppCountFlow(inMetaValues->flowHandle, streamData->dataLength);

    ioPacket->streamAction = FWPS_STREAM_ACTION_NONE;
    ioPacket->countBytesEnforced = 0;
    classifyOut->actionType = FWP_ACTION_PERMIT;
}

NTSTATUS NTAPI DrvWppNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
                            FWPS_FILTER *filter)
{
    UNREFERENCED_PARAMETER(filterKey);
    DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, DW_INIT, "%!FUNC!: %!NOTIFY! for filter %I64u",
                        notifyType, filter ? filter->filterId : 0);
    return STATUS_SUCCESS;
}
