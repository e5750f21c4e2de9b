/*
 * wdk_stream_edit: a WFP stream callout driver that replaces one byte
 * string with another in TCP streams, inline or out of band. The driver's
 * shared declarations: its settings, global state, and the records the
 * out-of-band editor keeps per flow and per queued chunk.
 */
#ifndef WSE_H
#define WSE_H

#include <ntddk.h>
#include <wdf.h>
#include <ndis.h>
#include <fwpsk.h>
#include <fwpmk.h>
#include <ntstrsafe.h>
#include <wdmsec.h>

#include "trace.h"
#include "wse_ioctl.h"

#define WSE_TAG_FLOW   'lFsW' // per-flow records ("WsFl" in a pool dump)
#define WSE_TAG_CHUNK  'hCsW' // queued clones
#define WSE_TAG_WINDOW 'nWsW' // scan windows
#define WSE_TAG_DATA   'tDsW' // injected bytes
#define WSE_TAG_MISC   'cMsW' // NDIS generic object, token copies

#define WSE_MAX_TOKEN  128   // longest FindText/ReplaceText, in bytes
#define WSE_WINDOW_SIZE 4096 // bytes of an indication looked at per pass

// Index of a direction in arrays and in %!DIRECTION!.
typedef enum _WSE_DIRECTION_INDEX {
    WseOutbound = 0,
    WseInbound = 1,
} WSE_DIRECTION_INDEX;

//
// The driver's Parameters registry key, read once in DriverEntry.
//
typedef struct _WSE_SETTINGS {
    UCHAR FindText[WSE_MAX_TOKEN];      // FindText (REG_SZ), default "rainy"
    ULONG FindLength;
    UCHAR ReplaceText[WSE_MAX_TOKEN];   // ReplaceText (REG_SZ), default "sunny"
    ULONG ReplaceLength;
    ULONG Port;                         // InspectPort (REG_DWORD), remote port, 0 = all
    WSE_EDIT_MODE EditMode;             // EditMode (REG_DWORD), 0 inline, 1 out of band
    ULONG DeferThreshold;               // DeferThreshold (REG_DWORD), out of band only
} WSE_SETTINGS;

//
// A flow the out-of-band editor works on. Associated with the flow as its
// context; freed when WFP has deleted the flow and no chunk refers to it.
//
typedef struct _WSE_FLOW {
    volatile LONG References;   // the flow context + one per chunk not done
    KSPIN_LOCK Lock;            // guards Deleted, InboundDeferred, InboundPending
    UINT64 FlowHandle;
    UINT16 LayerId;
    UINT32 CalloutId;
    BOOLEAN Deleted;            // flowDeleteFn ran: inject nothing more
    BOOLEAN InboundDeferred;    // we answered DEFER and owe a continue
    UINT32 DeferredFlags;       // the deferred indication's flags, for the continue
    ULONG InboundPending;       // inbound bytes cloned, not yet re-injected
    // A token's first bytes seen at the end of the last chunk, per
    // direction. Only the worker touches them, and there is one worker.
    UCHAR Carry[2][WSE_MAX_TOKEN];
    ULONG CarryLength[2];
} WSE_FLOW;

//
// One indication the out-of-band classifyFn cloned and blocked.
//
typedef struct _WSE_CHUNK {
    LIST_ENTRY Link;            // in gWse.WorkQueue
    WSE_FLOW *Flow;             // holds a reference
    NET_BUFFER_LIST *Clone;     // FwpsCloneStreamData; NULL for a bare FIN
    SIZE_T Length;              // bytes cloned
    UINT32 StreamFlags;
    // What the worker injected in its place, freed by the completion.
    UCHAR *Output;
    MDL *OutputMdl;
} WSE_CHUNK;

typedef struct _WSE_GLOBALS {
    WSE_SETTINGS Settings;
    volatile LONG Directions;           // WSE_DIRECTION_*, IOCTL_WSE_SET_DIRECTIONS

    WDFDEVICE ControlDevice;
    PDEVICE_OBJECT WdmDevice;           // what FwpsCalloutRegister wants
    HANDLE EngineHandle;                // our FwpmEngineOpen session (dynamic)
    HANDLE InjectionHandle;
    NDIS_HANDLE NdisGenericObject;
    NDIS_HANDLE NetBufferListPool;
    MDL *ReplaceMdl;                    // over Settings.ReplaceText, for inline injection
    UINT32 CalloutIds[2];               // [0] STREAM_V4, [1] STREAM_V6
    UINT64 FilterIds[2];

    LOOKASIDE_LIST_EX WindowLookaside;  // WSE_WINDOW_SIZE scan buffers
    LOOKASIDE_LIST_EX FlowLookaside;    // WSE_FLOW
    LOOKASIDE_LIST_EX ChunkLookaside;   // WSE_CHUNK
    BOOLEAN LookasidesReady;

    // The out-of-band work queue and its single worker.
    KSPIN_LOCK WorkLock;
    LIST_ENTRY WorkQueue;
    BOOLEAN WorkerQueued;               // the work item is queued or running
    BOOLEAN ShuttingDown;
    PIO_WORKITEM WorkItem;
    KEVENT WorkerIdle;                  // signalled while no worker runs

    WSE_COUNTERS Counters;              // updated with Interlocked*
} WSE_GLOBALS;

extern WSE_GLOBALS gWse;

// search.c
BOOLEAN WseFindToken(_In_reads_(Length) const UCHAR *Data, SIZE_T Length,
                     _Out_ SIZE_T *MatchOffset, _Out_ SIZE_T *PartialOffset);

// inject.c
NTSTATUS WseInjectReplacement(UINT64 FlowHandle, UINT32 CalloutId, UINT16 LayerId,
                              UINT32 StreamFlags);
NTSTATUS WseInjectChunkOutput(_Inout_ WSE_CHUNK *Chunk, SIZE_T Length, BOOLEAN Disconnect);

// inline.c
void NTAPI WseInlineClassify(const FWPS_INCOMING_VALUES *InFixedValues,
                             const FWPS_INCOMING_METADATA_VALUES *InMetaValues,
                             void *LayerData, const void *ClassifyContext,
                             const FWPS_FILTER *Filter, UINT64 FlowContext,
                             FWPS_CLASSIFY_OUT *ClassifyOut);

// oob.c
void NTAPI WseOobClassify(const FWPS_INCOMING_VALUES *InFixedValues,
                          const FWPS_INCOMING_METADATA_VALUES *InMetaValues,
                          void *LayerData, const void *ClassifyContext,
                          const FWPS_FILTER *Filter, UINT64 FlowContext,
                          FWPS_CLASSIFY_OUT *ClassifyOut);
void NTAPI WseOobFlowDelete(UINT16 LayerId, UINT32 CalloutId, UINT64 FlowContext);
void WseOobChunkDone(_In_ WSE_CHUNK *Chunk);
void WseOobShutdown(void);

// register.c
NTSTATUS WseRegisterCallouts(void);
void WseUnregisterCallouts(void);

// ioctl.c
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL WseEvtIoDeviceControl;

#define WseDirectionOf(_flags) \
    (((_flags) & FWPS_STREAM_FLAG_SEND) ? WseOutbound : WseInbound)

#endif // WSE_H
