/*
 * drv_oob: an out-of-band stream editor written like Microsoft's stream
 * samples, to test what their unedited sources needed (docs/porting.md,
 * "Microsoft samples: status"): a KMDF control device created with an
 * SDDL_DEVOBJ_* string while including only <wdf.h>, and out-of-band
 * editing in work items whose per-flow state, as in the samples, is shared
 * by both directions: once either direction's FIN was seen, late work is
 * discarded. It upper-cases every byte on the stream layer of its local
 * port (Parameters value InspectionLocalPort, default 7777). Like the
 * samples, each classify holds a reference that DriverUnload waits for;
 * data holding "ASSERTME" fails an NT_ASSERT with the reference held.
 */
#ifndef _DRV_OOB_H
#define _DRV_OOB_H

#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

#define DRV_OOB_TAG 'bOoD'
#define DRV_OOB_DEFAULT_PORT 7777

typedef struct _DRV_OOB_TASK {
	PIO_WORKITEM WorkItem;
	PMDL Mdl;
	UINT64 FlowId;
	UINT32 CalloutId;
	UINT16 LayerId;
	UINT32 StreamFlags;
	SIZE_T Length;
	UCHAR Data[1];
} DRV_OOB_TASK;

typedef struct _DRV_OOB_GLOBALS {
	PDEVICE_OBJECT WdmDevice;
	HANDLE EngineHandle;
	HANDLE InjectionHandle;
	UINT32 CalloutId;
	UINT16 LocalPort;
	volatile LONG Terminating; /* a FIN was seen: late work is discarded */
	volatile LONG Discarded;
	volatile LONG Busy; /* classifies in progress */
	KEVENT Idle;        /* set when Busy drops to 0 */
} DRV_OOB_GLOBALS;

extern DRV_OOB_GLOBALS Globals;

void NTAPI DrvOobClassify(const FWPS_INCOMING_VALUES *inFixedValues,
			  const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
			  const void *classifyContext, const FWPS_FILTER *filter,
			  UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut);
NTSTATUS NTAPI DrvOobNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
			    FWPS_FILTER *filter);

#endif /* _DRV_OOB_H */
