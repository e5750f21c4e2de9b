/*
 * Out-of-band editing: classifyFn only takes the data away (it clones each
 * indication with FwpsCloneStreamData and BLOCKs it, FIN included) and
 * queues the clone; a worker thread (an I/O work item) edits the clones
 * in order and injects the result with FwpsStreamInjectAsync. A token
 * split across indications is found because the worker keeps each
 * direction's unfinished tail (the flow's Carry) for the next chunk.
 *
 * Back-pressure: while more than DeferThreshold inbound bytes wait for
 * the worker, new inbound data is answered with DEFER; once the worker's
 * injections have brought the backlog down, FwpsStreamContinue lets WFP
 * present the deferred data again.
 *
 * Records: one WSE_FLOW per flow (its flow context, from a lookaside list)
 * and one WSE_CHUNK per queued indication (from another). A chunk holds a
 * reference on its flow, so a flow WFP has deleted stays readable until
 * its last chunk is done.
 */
#include "wse.h"
#include "oob.tmh"

static IO_WORKITEM_ROUTINE WseOobWorker;

//
// Drops one reference; the last one frees the record.
//
static void
WseOobReleaseFlow(
    _In_ WSE_FLOW *Flow
    )
{
    LONG left = InterlockedDecrement(&Flow->References);

    NT_ASSERT(left >= 0);
    if (left == 0)
    {
        InterlockedDecrement((LONG *)&gWse.Counters.FlowsActive);
        ExFreeToLookasideListEx(&gWse.FlowLookaside, Flow);
    }
}

static WSE_FLOW *
WseOobCreateFlow(
    _In_ const FWPS_INCOMING_VALUES *InFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES *InMetaValues,
    _In_ const FWPS_FILTER *Filter
    )
{
    WSE_FLOW *flow;
    NTSTATUS status;

    if (!FWPS_IS_METADATA_FIELD_PRESENT(InMetaValues, FWPS_METADATA_FIELD_FLOW_HANDLE))
    {
        return NULL;
    }
    flow = ExAllocateFromLookasideListEx(&gWse.FlowLookaside);
    if (flow == NULL)
    {
        return NULL;
    }
    RtlZeroMemory(flow, sizeof(*flow));
    flow->References = 1; // the flow context's
    KeInitializeSpinLock(&flow->Lock);
    flow->FlowHandle = InMetaValues->flowHandle;
    flow->LayerId = InFixedValues->layerId;
    flow->CalloutId = Filter->action.calloutId;

    status = FwpsFlowAssociateContext(flow->FlowHandle, flow->LayerId, flow->CalloutId,
                                      (UINT64)(ULONG_PTR)flow);
    if (!NT_SUCCESS(status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_OOB,
                            "%!FUNC!: FwpsFlowAssociateContext failed with %!STATUS!", status);
        ExFreeToLookasideListEx(&gWse.FlowLookaside, flow);
        return NULL;
    }
    InterlockedIncrement((LONG *)&gWse.Counters.FlowsActive);
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_OOB, "flow %p: tracking flow 0x%I64x",
                        flow, flow->FlowHandle);
    return flow;
}

void NTAPI
WseOobFlowDelete(
    UINT16 LayerId,
    UINT32 CalloutId,
    UINT64 FlowContext
    )
{
    WSE_FLOW *flow = (WSE_FLOW *)(ULONG_PTR)FlowContext;
    KLOCK_QUEUE_HANDLE lockHandle;

    UNREFERENCED_PARAMETER(LayerId);
    UNREFERENCED_PARAMETER(CalloutId);
    NT_ASSERT(flow != NULL);

    KeAcquireInStackQueuedSpinLock(&flow->Lock, &lockHandle);
    flow->Deleted = TRUE;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    DoTraceLevelMessage(TRACE_LEVEL_INFORMATION, WSE_OOB, "flow %p: deleted", flow);
    WseOobReleaseFlow(flow);
}

//
// A chunk's bytes have left the driver (injected and completed, kept as
// Carry, or thrown away): count them off the backlog, resume a deferred
// inbound stream when the backlog is small again, free the chunk.
//
void
WseOobChunkDone(
    _In_ WSE_CHUNK *Chunk
    )
{
    WSE_FLOW *flow = Chunk->Flow;
    KLOCK_QUEUE_HANDLE lockHandle;
    BOOLEAN resume = FALSE;
    UINT32 deferredFlags = 0;

    NT_ASSERT(Chunk->Clone == NULL && Chunk->Output == NULL);

    KeAcquireInStackQueuedSpinLock(&flow->Lock, &lockHandle);
    if (WseDirectionOf(Chunk->StreamFlags) == WseInbound)
    {
        NT_ASSERT(flow->InboundPending >= Chunk->Length);
        flow->InboundPending -= (ULONG)Chunk->Length;
        if (flow->InboundDeferred && !flow->Deleted &&
            flow->InboundPending <= gWse.Settings.DeferThreshold)
        {
            flow->InboundDeferred = FALSE;
            deferredFlags = flow->DeferredFlags;
            resume = TRUE;
        }
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    if (resume)
    {
        // WFP wants the flags of the indication that was deferred.
        NTSTATUS status = FwpsStreamContinue(flow->FlowHandle, flow->CalloutId, flow->LayerId,
                                             deferredFlags);
        if (NT_SUCCESS(status))
        {
            InterlockedIncrement64((LONG64 *)&gWse.Counters.Continues);
        }
        DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_OOB, "flow %p: FwpsStreamContinue: %!STATUS!",
                            flow, status);
    }
    ExFreeToLookasideListEx(&gWse.ChunkLookaside, Chunk);
    WseOobReleaseFlow(flow);
}

//
// Copies the chunk's bytes after the direction's Carry into one buffer.
//
static UCHAR *
WseOobGatherInput(
    _In_ WSE_CHUNK *Chunk,
    _Inout_ WSE_FLOW *Flow,
    WSE_DIRECTION_INDEX Direction,
    _Out_ SIZE_T *InputLength
    )
{
    ULONG carry = Flow->CarryLength[Direction];
    SIZE_T total = carry + Chunk->Length;
    UCHAR *input;

    *InputLength = total;
    if (total == 0)
    {
        return NULL;
    }
    input = ExAllocatePool2(POOL_FLAG_NON_PAGED, total, WSE_TAG_WINDOW);
    if (input == NULL)
    {
        return NULL;
    }
    RtlCopyMemory(input, Flow->Carry[Direction], carry);
    Flow->CarryLength[Direction] = 0;

    if (Chunk->Clone != NULL)
    {
        //
        // The clone is an NBL like any other: describe it as stream data
        // so FwpsCopyStreamDataToBuffer can walk its MDLs for us.
        //
        NET_BUFFER *netBuffer = NET_BUFFER_LIST_FIRST_NB(Chunk->Clone);
        FWPS_STREAM_DATA streamData;
        SIZE_T copied;

        RtlZeroMemory(&streamData, sizeof(streamData));
        streamData.flags = Chunk->StreamFlags;
        streamData.netBufferListChain = Chunk->Clone;
        streamData.dataLength = Chunk->Length;
        streamData.dataOffset.netBufferList = Chunk->Clone;
        streamData.dataOffset.netBuffer = netBuffer;
        streamData.dataOffset.mdl = NET_BUFFER_CURRENT_MDL(netBuffer);
        streamData.dataOffset.mdlOffset = NET_BUFFER_CURRENT_MDL_OFFSET(netBuffer);
        FwpsCopyStreamDataToBuffer(&streamData, input + carry, Chunk->Length, &copied);
        NT_ASSERT(copied == Chunk->Length);

        FwpsFreeCloneNetBufferList(Chunk->Clone, 0);
        Chunk->Clone = NULL;
    }
    return input;
}

//
// Replaces every complete token of Input in Output and keeps an unfinished
// one at the end in the flow's Carry (unless the stream ends here). Output
// must have room for the worst case (see WseOobEditChunk). Returns the
// number of bytes written.
//
static SIZE_T
WseOobReplaceAll(
    _In_reads_(InputLength) const UCHAR *Input,
    SIZE_T InputLength,
    _Out_writes_(InputLength) UCHAR *Output,
    _Inout_ WSE_FLOW *Flow,
    WSE_DIRECTION_INDEX Direction,
    BOOLEAN EndOfStream,
    _Out_ ULONG *Replacements
    )
{
    const WSE_SETTINGS *settings = &gWse.Settings;
    SIZE_T position = 0, written = 0;

    *Replacements = 0;
    while (position < InputLength)
    {
        SIZE_T match, partial, keep = 0, plain;

        if (WseFindToken(Input + position, InputLength - position, &match, &partial))
        {
            RtlCopyMemory(Output + written, Input + position, match);
            written += match;
            RtlCopyMemory(Output + written, settings->ReplaceText, settings->ReplaceLength);
            written += settings->ReplaceLength;
            position += match + settings->FindLength;
            (*Replacements)++;
            continue;
        }
        if (!EndOfStream)
        {
            keep = (InputLength - position) - partial;
        }
        plain = (InputLength - position) - keep;
        RtlCopyMemory(Output + written, Input + position, plain);
        written += plain;
        NT_ASSERT(keep < settings->FindLength);
        RtlCopyMemory(Flow->Carry[Direction], Input + position + plain, keep);
        Flow->CarryLength[Direction] = (ULONG)keep;
        position = InputLength;
    }
    return written;
}

static BOOLEAN
WseOobFlowDeleted(
    _In_ WSE_FLOW *Flow
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    BOOLEAN deleted;

    KeAcquireInStackQueuedSpinLock(&Flow->Lock, &lockHandle);
    deleted = Flow->Deleted;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return deleted;
}

//
// The worker's part for one chunk. Any failure aborts the flow: bytes the
// driver has taken out of the stream must not silently go missing.
//
static void
WseOobEditChunk(
    _In_ WSE_CHUNK *Chunk
    )
{
    WSE_FLOW *flow = Chunk->Flow;
    const WSE_DIRECTION_INDEX direction = WseDirectionOf(Chunk->StreamFlags);
    const BOOLEAN endOfStream = (Chunk->StreamFlags & (FWPS_STREAM_FLAG_SEND_DISCONNECT |
                                                       FWPS_STREAM_FLAG_RECEIVE_DISCONNECT)) != 0;
    const BOOLEAN editing = (gWse.Directions & (direction == WseOutbound ? WSE_DIRECTION_OUTBOUND
                                                                         : WSE_DIRECTION_INBOUND)) != 0;
    SIZE_T inputLength = 0, outputLength = 0, outputSize;
    ULONG replacements = 0;
    UCHAR *input = NULL;
    NTSTATUS status = STATUS_SUCCESS;

    if (WseOobFlowDeleted(flow))
    {
        // WFP has forgotten the flow: nothing can be injected into it.
        if (Chunk->Clone != NULL)
        {
            FwpsFreeCloneNetBufferList(Chunk->Clone, 0);
            Chunk->Clone = NULL;
        }
        WseOobChunkDone(Chunk);
        return;
    }

    input = WseOobGatherInput(Chunk, flow, direction, &inputLength);
    if (input == NULL && inputLength > 0)
    {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto Exit;
    }

    //
    // Worst case: every FindLength input bytes become ReplaceLength bytes.
    //
    outputSize = inputLength;
    if (editing && gWse.Settings.ReplaceLength > gWse.Settings.FindLength)
    {
        outputSize += (inputLength / gWse.Settings.FindLength) *
                      (gWse.Settings.ReplaceLength - gWse.Settings.FindLength);
    }
    if (outputSize > 0)
    {
        Chunk->Output = ExAllocatePool2(POOL_FLAG_NON_PAGED, outputSize, WSE_TAG_DATA);
        if (Chunk->Output == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto Exit;
        }
        if (editing)
        {
            outputLength = WseOobReplaceAll(input, inputLength, Chunk->Output, flow, direction,
                                            endOfStream, &replacements);
        }
        else
        {
            RtlCopyMemory(Chunk->Output, input, inputLength);
            outputLength = inputLength;
        }
        NT_ASSERT(outputLength <= outputSize);
    }
    if (replacements > 0)
    {
        InterlockedExchangeAdd64((LONG64 *)&gWse.Counters.Replacements[direction], replacements);
    }
    DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_OOB,
                        "flow %p: %!DIRECTION! chunk of %Iu bytes, %u replaced, %Iu out, %u kept%s",
                        flow, direction, Chunk->Length, replacements, outputLength,
                        flow->CarryLength[direction], endOfStream ? ", FIN" : "");

    if (outputLength == 0 && !endOfStream)
    {
        goto Exit; // all of it waits in Carry for the next chunk
    }
    status = WseInjectChunkOutput(Chunk, outputLength, endOfStream);
    if (NT_SUCCESS(status) && outputLength > 0)
    {
        if (input != NULL)
        {
            ExFreePoolWithTag(input, WSE_TAG_WINDOW);
        }
        return; // the completion finishes the chunk
    }

Exit:
    if (!NT_SUCCESS(status))
    {
        InterlockedIncrement64((LONG64 *)&gWse.Counters.Failures);
        DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_OOB,
                            "flow %p: editing failed with %!STATUS!, aborting the flow", flow, status);
        FwpsFlowAbort(flow->FlowHandle);
    }
    if (Chunk->Output != NULL)
    {
        ExFreePoolWithTag(Chunk->Output, WSE_TAG_DATA);
        Chunk->Output = NULL;
    }
    if (input != NULL)
    {
        ExFreePoolWithTag(input, WSE_TAG_WINDOW);
    }
    WseOobChunkDone(Chunk);
}

//
// The work item: edits queued chunks, oldest first, until the queue is
// empty. One instance at a time (WorkerQueued), which keeps each flow's
// chunks in order and lets the worker own every flow's Carry.
//
static void
WseOobWorker(
    _In_ PDEVICE_OBJECT DeviceObject,
    _In_opt_ PVOID Context
    )
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);

    for (;;)
    {
        KLOCK_QUEUE_HANDLE lockHandle;
        LIST_ENTRY *entry;

        KeAcquireInStackQueuedSpinLock(&gWse.WorkLock, &lockHandle);
        if (IsListEmpty(&gWse.WorkQueue))
        {
            gWse.WorkerQueued = FALSE;
            KeSetEvent(&gWse.WorkerIdle, IO_NO_INCREMENT, FALSE);
            KeReleaseInStackQueuedSpinLock(&lockHandle);
            return;
        }
        entry = RemoveHeadList(&gWse.WorkQueue);
        KeReleaseInStackQueuedSpinLock(&lockHandle);

        WseOobEditChunk(CONTAINING_RECORD(entry, WSE_CHUNK, Link));
    }
}

//
// Queues a chunk, and the work item if it is not already on its way.
//
static void
WseOobQueueChunk(
    _In_ WSE_CHUNK *Chunk
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    BOOLEAN startWorker = FALSE;

    KeAcquireInStackQueuedSpinLock(&gWse.WorkLock, &lockHandle);
    InsertTailList(&gWse.WorkQueue, &Chunk->Link);
    if (!gWse.WorkerQueued && !gWse.ShuttingDown)
    {
        gWse.WorkerQueued = TRUE;
        KeClearEvent(&gWse.WorkerIdle);
        startWorker = TRUE;
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    if (startWorker)
    {
        IoQueueWorkItem(gWse.WorkItem, WseOobWorker, DelayedWorkQueue, NULL);
    }
}

void NTAPI
WseOobClassify(
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
    WSE_FLOW *flow = (WSE_FLOW *)(ULONG_PTR)FlowContext;
    FWPS_STREAM_DATA *streamData;
    WSE_DIRECTION_INDEX direction;
    KLOCK_QUEUE_HANDLE lockHandle;
    WSE_CHUNK *chunk;
    BOOLEAN endOfStream;
    NTSTATUS status;
    SIZE_T length;

    UNREFERENCED_PARAMETER(ClassifyContext);

    if (!(ClassifyOut->rights & FWPS_RIGHT_ACTION_WRITE))
    {
        return;
    }
    NT_ASSERT(packet != NULL && packet->streamData != NULL);
    streamData = packet->streamData;
    length = streamData->dataLength;
    direction = WseDirectionOf(streamData->flags);
    endOfStream = (streamData->flags & (FWPS_STREAM_FLAG_SEND_DISCONNECT |
                                        FWPS_STREAM_FLAG_RECEIVE_DISCONNECT)) != 0;

    packet->streamAction = FWPS_STREAM_ACTION_NONE;
    packet->countBytesRequired = 0;
    packet->countBytesEnforced = length;
    ClassifyOut->actionType = FWP_ACTION_PERMIT;
    if (length == 0 && !endOfStream)
    {
        return;
    }
    if (flow == NULL)
    {
        flow = WseOobCreateFlow(InFixedValues, InMetaValues, Filter);
        if (flow == NULL)
        {
            status = STATUS_INSUFFICIENT_RESOURCES;
            goto Drop;
        }
    }

    //
    // Too much inbound data waiting for the worker: hold the rest back.
    // (Only inbound data can be deferred, and never a FIN.)
    //
    if (direction == WseInbound && !endOfStream)
    {
        BOOLEAN defer = FALSE;

        KeAcquireInStackQueuedSpinLock(&flow->Lock, &lockHandle);
        if (flow->InboundPending > gWse.Settings.DeferThreshold)
        {
            flow->InboundDeferred = TRUE;
            flow->DeferredFlags = streamData->flags;
            defer = TRUE;
        }
        KeReleaseInStackQueuedSpinLock(&lockHandle);
        if (defer)
        {
            InterlockedIncrement64((LONG64 *)&gWse.Counters.Deferrals);
            DoTraceLevelMessage(TRACE_LEVEL_VERBOSE, WSE_OOB, "flow %p: deferring %Iu inbound bytes",
                                flow, length);
            packet->streamAction = FWPS_STREAM_ACTION_DEFER;
            packet->countBytesEnforced = 0;
            ClassifyOut->actionType = FWP_ACTION_NONE;
            return;
        }
    }

    chunk = ExAllocateFromLookasideListEx(&gWse.ChunkLookaside);
    if (chunk == NULL)
    {
        status = STATUS_INSUFFICIENT_RESOURCES;
        goto Drop;
    }
    RtlZeroMemory(chunk, sizeof(*chunk));
    chunk->Length = length;
    chunk->StreamFlags = streamData->flags;
    if (length > 0)
    {
        status = FwpsCloneStreamData(streamData, NULL, NULL, 0, &chunk->Clone);
        if (!NT_SUCCESS(status))
        {
            ExFreeToLookasideListEx(&gWse.ChunkLookaside, chunk);
            goto Drop;
        }
        InterlockedExchangeAdd64((LONG64 *)&gWse.Counters.BytesInspected, (LONG64)length);
    }
    InterlockedIncrement(&flow->References);
    chunk->Flow = flow;
    if (direction == WseInbound)
    {
        KeAcquireInStackQueuedSpinLock(&flow->Lock, &lockHandle);
        flow->InboundPending += (ULONG)length;
        KeReleaseInStackQueuedSpinLock(&lockHandle);
    }
    WseOobQueueChunk(chunk);

    // The bytes (and a FIN) now travel through the worker; take them out.
    packet->countBytesEnforced = length;
    ClassifyOut->actionType = FWP_ACTION_BLOCK;
    ClassifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
    return;

Drop:
    InterlockedIncrement64((LONG64 *)&gWse.Counters.Failures);
    DoTraceLevelMessage(TRACE_LEVEL_ERROR, WSE_OOB, "%!FUNC!: %!STATUS!, dropping the connection",
                        status);
    packet->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
    packet->countBytesEnforced = 0;
    ClassifyOut->actionType = FWP_ACTION_BLOCK;
    ClassifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

//
// At unload, once the callouts are gone (no classifyFn can queue more):
// waits for the worker and throws away what it did not get to.
//
void
WseOobShutdown(void)
{
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&gWse.WorkLock, &lockHandle);
    gWse.ShuttingDown = TRUE;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    KeWaitForSingleObject(&gWse.WorkerIdle, Executive, KernelMode, FALSE, NULL);

    while (!IsListEmpty(&gWse.WorkQueue))
    {
        WSE_CHUNK *chunk = CONTAINING_RECORD(RemoveHeadList(&gWse.WorkQueue), WSE_CHUNK, Link);

        if (chunk->Clone != NULL)
        {
            FwpsFreeCloneNetBufferList(chunk->Clone, 0);
            chunk->Clone = NULL;
        }
        WseOobChunkDone(chunk);
    }
}
