/*
 * Handing bytes back to the stream with FwpsStreamInjectAsync, and taking
 * back what was lent once WFP has completed the injection.
 */
#include "wse.h"
#include "inject.tmh"

// Only the direction and the FIN may travel with injected data.
static UINT32
WseInjectFlags(
    UINT32 StreamFlags,
    BOOLEAN Disconnect
    )
{
    if (StreamFlags & FWPS_STREAM_FLAG_SEND)
    {
        return FWPS_STREAM_FLAG_SEND | (Disconnect ? FWPS_STREAM_FLAG_SEND_DISCONNECT : 0);
    }
    return FWPS_STREAM_FLAG_RECEIVE | (Disconnect ? FWPS_STREAM_FLAG_RECEIVE_DISCONNECT : 0);
}

//
// Completion of an inline injection: the NBL wrapped gWse.ReplaceMdl, which
// lives as long as the driver, so only the NBL goes.
//
static void NTAPI
WseReplacementInjected(
    _In_ void *Context,
    _Inout_ NET_BUFFER_LIST *NetBufferList,
    BOOLEAN DispatchLevel
    )
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(DispatchLevel);

    if (!NT_SUCCESS(NetBufferList->Status))
    {
        // The flow ended before the bytes could be delivered.
        DoTraceLevelMessage(TRACE_LEVEL_WARNING, WSE_INLINE,
                            "replacement not delivered: %!STATUS!", NetBufferList->Status);
    }
    FwpsFreeNetBufferList(NetBufferList);
}

//
// Injects ReplaceText in front of the bytes the inline classifyFn is
// deciding on (zero-copy: the NBL points at the driver's own MDL).
//
NTSTATUS
WseInjectReplacement(
    UINT64 FlowHandle,
    UINT32 CalloutId,
    UINT16 LayerId,
    UINT32 StreamFlags
    )
{
    NET_BUFFER_LIST *netBufferList = NULL;
    NTSTATUS status;

    status = FwpsAllocateNetBufferAndNetBufferList(gWse.NetBufferListPool, 0, 0,
                                                   gWse.ReplaceMdl, 0,
                                                   gWse.Settings.ReplaceLength,
                                                   &netBufferList);
    if (!NT_SUCCESS(status))
    {
        return status;
    }

    status = FwpsStreamInjectAsync(gWse.InjectionHandle, NULL, 0, FlowHandle, CalloutId,
                                   LayerId, WseInjectFlags(StreamFlags, FALSE),
                                   netBufferList, gWse.Settings.ReplaceLength,
                                   WseReplacementInjected, NULL);
    if (!NT_SUCCESS(status))
    {
        // On failure the NBL stays ours and no completion will run.
        FwpsFreeNetBufferList(netBufferList);
        return status;
    }

    InterlockedExchangeAdd64((LONG64 *)&gWse.Counters.BytesInjected,
                             gWse.Settings.ReplaceLength);
    return STATUS_SUCCESS;
}

static void
WseFreeChunkOutput(
    _Inout_ WSE_CHUNK *Chunk
    )
{
    if (Chunk->OutputMdl != NULL)
    {
        IoFreeMdl(Chunk->OutputMdl);
        Chunk->OutputMdl = NULL;
    }
    if (Chunk->Output != NULL)
    {
        ExFreePoolWithTag(Chunk->Output, WSE_TAG_DATA);
        Chunk->Output = NULL;
    }
}

//
// Completion of an out-of-band injection: the chunk's output buffer can go,
// and the chunk is done.
//
static void NTAPI
WseChunkInjected(
    _In_ void *Context,
    _Inout_ NET_BUFFER_LIST *NetBufferList,
    BOOLEAN DispatchLevel
    )
{
    WSE_CHUNK *chunk = (WSE_CHUNK *)Context;

    UNREFERENCED_PARAMETER(DispatchLevel);
    NT_ASSERT(chunk != NULL && chunk->Flow != NULL);

    if (!NT_SUCCESS(NetBufferList->Status))
    {
        DoTraceLevelMessage(TRACE_LEVEL_WARNING, WSE_OOB,
                            "flow %p: %Iu bytes not delivered: %!STATUS!",
                            chunk->Flow, chunk->Length, NetBufferList->Status);
    }
    FwpsFreeNetBufferList(NetBufferList);
    WseFreeChunkOutput(chunk);
    WseOobChunkDone(chunk);
}

//
// Injects the first Length bytes of Chunk->Output (the worker's edit of
// the chunk) and, with Disconnect, the FIN after them. On success with
// Length > 0 the chunk belongs to the completion, which frees the output
// and calls WseOobChunkDone. A bare FIN travels without an NBL, so no
// completion runs for it: the caller finishes the chunk, as it does after
// a failure.
//
NTSTATUS
WseInjectChunkOutput(
    _Inout_ WSE_CHUNK *Chunk,
    SIZE_T Length,
    BOOLEAN Disconnect
    )
{
    WSE_FLOW *flow = Chunk->Flow;
    NET_BUFFER_LIST *netBufferList = NULL;
    NTSTATUS status;

    NT_ASSERT(Length > 0 || Disconnect);
    NT_ASSERT(Chunk->OutputMdl == NULL);

    if (Length > 0)
    {
        NT_ASSERT(Chunk->Output != NULL);
        Chunk->OutputMdl = IoAllocateMdl(Chunk->Output, (ULONG)Length, FALSE, FALSE, NULL);
        if (Chunk->OutputMdl == NULL)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        MmBuildMdlForNonPagedPool(Chunk->OutputMdl);
        status = FwpsAllocateNetBufferAndNetBufferList(gWse.NetBufferListPool, 0, 0,
                                                       Chunk->OutputMdl, 0, Length,
                                                       &netBufferList);
        if (!NT_SUCCESS(status))
        {
            IoFreeMdl(Chunk->OutputMdl);
            Chunk->OutputMdl = NULL;
            return status;
        }
    }

    status = FwpsStreamInjectAsync(gWse.InjectionHandle, NULL, 0, flow->FlowHandle,
                                   flow->CalloutId, flow->LayerId,
                                   WseInjectFlags(Chunk->StreamFlags, Disconnect),
                                   netBufferList, Length, WseChunkInjected, Chunk);
    if (!NT_SUCCESS(status))
    {
        // The NBL and MDL stay ours; the caller frees the output.
        if (netBufferList != NULL)
        {
            FwpsFreeNetBufferList(netBufferList);
            IoFreeMdl(Chunk->OutputMdl);
            Chunk->OutputMdl = NULL;
        }
        return status;
    }
    // From here on Chunk may already be completed and freed.
    InterlockedExchangeAdd64((LONG64 *)&gWse.Counters.BytesInjected, (LONG64)Length);
    return STATUS_SUCCESS;
}
