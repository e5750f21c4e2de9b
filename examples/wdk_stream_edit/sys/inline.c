/*
 * Inline editing: every decision is made inside classifyFn, and the driver
 * keeps no state between indications. WFP does the remembering:
 *
 *   token at the start     inject ReplaceText, BLOCK the token's bytes
 *   token further in       PERMIT the bytes before it (WFP presents the
 *                          rest again at once, the token now first)
 *   a token's first bytes  PERMIT what is before them; when they are all
 *   at the end             that is left, NEED_MORE_DATA, and WFP presents
 *                          them again together with what follows
 *   nothing                PERMIT
 */
#include "wse.h"
#include "inline.tmh"

static void
WseAnswer(
    _Inout_ FWPS_STREAM_CALLOUT_IO_PACKET *Packet,
    _Inout_ FWPS_CLASSIFY_OUT *ClassifyOut,
    FWP_ACTION_TYPE Action,
    SIZE_T Bytes
    )
{
    Packet->streamAction = FWPS_STREAM_ACTION_NONE;
    Packet->countBytesRequired = 0;
    Packet->countBytesEnforced = Bytes;
    ClassifyOut->actionType = Action;
}

static void
WseDropConnection(
    _Inout_ FWPS_STREAM_CALLOUT_IO_PACKET *Packet,
    _Inout_ FWPS_CLASSIFY_OUT *ClassifyOut
    )
{
    // Security software fails closed: a stream we could not edit as
    // configured does not go on unedited.
    InterlockedIncrement64((LONG64 *)&gWse.Counters.Failures);
    Packet->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
    Packet->countBytesEnforced = 0;
    ClassifyOut->actionType = FWP_ACTION_BLOCK;
    ClassifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

void NTAPI
WseInlineClassify(
    _In_ const FWPS_INCOMING_VALUES *InFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES *InMetaValues,
    _Inout_opt_ void *LayerData,
    _In_opt_ const void *ClassifyContext,
    _In_ const FWPS_FILTER *Filter,
    UINT64 FlowContext,
    _Inout_ FWPS_CLASSIFY_OUT *ClassifyOut
    )
{
    FWPS_STREAM_CALLOUT_IO_PACKET *packet = (FWPS_STREAM_CALLOUT_IO_PACKET *)LayerData;
    FWPS_STREAM_DATA *streamData;
    WSE_DIRECTION_INDEX direction;
    const ULONG findLength = gWse.Settings.FindLength;
    SIZE_T length, windowLength, copied, match, partial;
    UCHAR *window;
    BOOLEAN found, lastChance;

    UNREFERENCED_PARAMETER(ClassifyContext);
    UNREFERENCED_PARAMETER(FlowContext);

    if (!(ClassifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
    {
        return; // a higher-weight filter has decided already
    }
    NT_ASSERT(packet != NULL && packet->streamData != NULL);
    streamData = packet->streamData;
    length = streamData->dataLength;
    direction = WseDirectionOf(streamData->flags);

    WseAnswer(packet, ClassifyOut, FWP_ACTION_PERMIT, length);
    if (length == 0 ||
        (streamData->flags & (FWPS_STREAM_FLAG_SEND_EXPEDITED | FWPS_STREAM_FLAG_RECEIVE_EXPEDITED)) ||
        !(gWse.Directions & (direction == WseOutbound ? WSE_DIRECTION_OUTBOUND
                                                      : WSE_DIRECTION_INBOUND)))
    {
        return; // nothing to edit: a bare FIN, urgent data, a direction left alone
    }
    InterlockedExchangeAdd64((LONG64 *)&gWse.Counters.BytesInspected, (LONG64)length);

    //
    // Look at the first WSE_WINDOW_SIZE bytes; a longer indication is
    // decided a window at a time (what is permitted comes back at once).
    //
    window = ExAllocateFromLookasideListEx(&gWse.WindowLookaside);
    if (window == NULL)
    {
        WseDropConnection(packet, ClassifyOut);
        return;
    }
    windowLength = (length < WSE_WINDOW_SIZE) ? length : WSE_WINDOW_SIZE;
    FwpsCopyStreamDataToBuffer(streamData, window, windowLength, &copied);
    NT_ASSERT(copied == windowLength);
    found = WseFindToken(window, copied, &match, &partial);
    ExFreeToLookasideListEx(&gWse.WindowLookaside, window);

    if (found && match == 0)
    {
        if (gWse.Settings.ReplaceLength > 0)
        {
            NTSTATUS status = WseInjectReplacement(InMetaValues->flowHandle,
                                                   Filter->action.calloutId,
                                                   InFixedValues->layerId,
                                                   streamData->flags);
            if (!NT_SUCCESS(status))
            {
                DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_INLINE,
                                    "%!FUNC!: injection failed with %!STATUS!, dropping the flow",
                                    status);
                WseDropConnection(packet, ClassifyOut);
                return;
            }
        }
        InterlockedIncrement64((LONG64 *)&gWse.Counters.Replacements[direction]);
        DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_INLINE,
                            "%!FUNC!: replaced a token, %!DIRECTION!, flow 0x%I64x",
                            direction, InMetaValues->flowHandle);
        WseAnswer(packet, ClassifyOut, FWP_ACTION_BLOCK, findLength);
        return;
    }
    if (found)
    {
        WseAnswer(packet, ClassifyOut, FWP_ACTION_PERMIT, match);
        return;
    }
    if (copied < length)
    {
        // Only a window was looked at: keep its last findLength - 1 bytes
        // for the next pass, where a token may continue.
        WseAnswer(packet, ClassifyOut, FWP_ACTION_PERMIT, copied - (findLength - 1));
        return;
    }
    if (partial == length)
    {
        return; // no token, no start of one: all permitted
    }
    if (partial > 0)
    {
        // Up to where a token may begin; the rest comes back at once.
        WseAnswer(packet, ClassifyOut, FWP_ACTION_PERMIT, partial);
        return;
    }

    //
    // The whole indication is the start of a token. Ask for the rest,
    // unless the stream can give no more (FIN, or WFP's buffer is full):
    // then what we have is not a token and goes on as it is.
    //
    lastChance = (ClassifyOut->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
                                        FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0 ||
                 (streamData->flags & (FWPS_STREAM_FLAG_SEND_DISCONNECT |
                                       FWPS_STREAM_FLAG_RECEIVE_DISCONNECT)) != 0;
    if (lastChance)
    {
        return;
    }
    DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_INLINE,
                        "%!FUNC!: %Iu bytes may start a token, %!DIRECTION!: need %Iu more",
                        length, direction, findLength - length);
    packet->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
    packet->countBytesRequired = (UINT32)(findLength - length);
    packet->countBytesEnforced = 0;
    ClassifyOut->actionType = FWP_ACTION_NONE;
}
