/*
 * KMDF I/O queues.
 *
 * A device's default queue (WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE) gets
 * every request the framework's dispatch routines build from IRPs sent to
 * the device; a request of a type the queue has no callback for (and no
 * EvtIoDefault) is completed with STATUS_INVALID_DEVICE_REQUEST, as is
 * every request to a device without a default queue.
 *
 * Dispatch types:
 *   Sequential  one request at a time: the next is presented once the
 *               driver completed (or forwarded) the one it has, in arrival order.
 *   Parallel    presented as they arrive, on the sending thread
 *               (Settings.Parallel.NumberOfPresentedRequests caps how many
 *               are with the driver at once; (ULONG)-1 = no cap).
 *   Manual      kept until the driver calls WdfIoQueueRetrieveNextRequest.
 * Callbacks run on the thread that sent the request (or, for a sequential
 * queue, the one that completed the previous request) at PASSIVE_LEVEL.
 * A request still in a queue when its caller gives up is cancelled
 * (EvtIoCanceledOnQueue, else completed with STATUS_CANCELLED).
 */
#ifndef OPENWFP_WDFIO_H
#define OPENWFP_WDFIO_H

#include "wdfobject.h"

OWFP_EXTERN_C_BEGIN

typedef enum _WDF_IO_QUEUE_DISPATCH_TYPE {
	WdfIoQueueDispatchInvalid = 0,
	WdfIoQueueDispatchSequential,
	WdfIoQueueDispatchParallel,
	WdfIoQueueDispatchManual,
	WdfIoQueueDispatchMax,
} WDF_IO_QUEUE_DISPATCH_TYPE;

typedef void EVT_WDF_IO_QUEUE_IO_DEFAULT(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_DEFAULT *PFN_WDF_IO_QUEUE_IO_DEFAULT;
typedef void EVT_WDF_IO_QUEUE_IO_READ(WDFQUEUE Queue, WDFREQUEST Request, size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_READ *PFN_WDF_IO_QUEUE_IO_READ;
typedef void EVT_WDF_IO_QUEUE_IO_WRITE(WDFQUEUE Queue, WDFREQUEST Request, size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_WRITE *PFN_WDF_IO_QUEUE_IO_WRITE;
typedef void EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL(WDFQUEUE Queue, WDFREQUEST Request,
						size_t OutputBufferLength, size_t InputBufferLength,
						ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL;
typedef void EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL(WDFQUEUE Queue, WDFREQUEST Request,
							 size_t OutputBufferLength,
							 size_t InputBufferLength,
							 ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL;
typedef void EVT_WDF_IO_QUEUE_IO_STOP(WDFQUEUE Queue, WDFREQUEST Request, ULONG ActionFlags);
typedef EVT_WDF_IO_QUEUE_IO_STOP *PFN_WDF_IO_QUEUE_IO_STOP;
typedef void EVT_WDF_IO_QUEUE_IO_RESUME(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_RESUME *PFN_WDF_IO_QUEUE_IO_RESUME;
typedef void EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE(WDFQUEUE Queue, WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE *PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE;

typedef struct _WDF_IO_QUEUE_CONFIG {
	ULONG Size;
	WDF_IO_QUEUE_DISPATCH_TYPE DispatchType;
	WDF_TRI_STATE PowerManaged;      /* accepted; no power management here */
	BOOLEAN AllowZeroLengthRequests; /* read/write of length 0 reach the queue */
	BOOLEAN DefaultQueue;
	PFN_WDF_IO_QUEUE_IO_DEFAULT EvtIoDefault;
	PFN_WDF_IO_QUEUE_IO_READ EvtIoRead;
	PFN_WDF_IO_QUEUE_IO_WRITE EvtIoWrite;
	PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL EvtIoDeviceControl;
	PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL EvtIoInternalDeviceControl;
	PFN_WDF_IO_QUEUE_IO_STOP EvtIoStop;     /* accepted; queues are never stopped */
	PFN_WDF_IO_QUEUE_IO_RESUME EvtIoResume; /* accepted; queues are never stopped */
	PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE EvtIoCanceledOnQueue;
	union {
		struct {
			ULONG NumberOfPresentedRequests;
		} Parallel;
	} Settings;
	WDFDRIVER Driver;
} WDF_IO_QUEUE_CONFIG, *PWDF_IO_QUEUE_CONFIG;

static inline void WDF_IO_QUEUE_CONFIG_INIT(PWDF_IO_QUEUE_CONFIG Config,
					    WDF_IO_QUEUE_DISPATCH_TYPE DispatchType)
{
	RtlZeroMemory(Config, sizeof(WDF_IO_QUEUE_CONFIG));
	Config->Size = sizeof(WDF_IO_QUEUE_CONFIG);
	Config->PowerManaged = WdfUseDefault;
	Config->DispatchType = DispatchType;
	if (DispatchType == WdfIoQueueDispatchParallel)
		Config->Settings.Parallel.NumberOfPresentedRequests = (ULONG)-1;
}

static inline void WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(PWDF_IO_QUEUE_CONFIG Config,
							  WDF_IO_QUEUE_DISPATCH_TYPE DispatchType)
{
	WDF_IO_QUEUE_CONFIG_INIT(Config, DispatchType);
	Config->DefaultQueue = TRUE;
}

/*
 * STATUS_INVALID_PARAMETER for a bad config (no callback for a non-manual
 * queue, an unknown dispatch type), STATUS_OBJECT_NAME_COLLISION for a
 * second default queue on the device. The queue's parent is the device.
 */
NTSTATUS WdfIoQueueCreate(WDFDEVICE Device, PWDF_IO_QUEUE_CONFIG Config,
			  PWDF_OBJECT_ATTRIBUTES QueueAttributes, WDFQUEUE *Queue);
WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE Queue);

/* Manual queues: the oldest request, or STATUS_NO_MORE_ENTRIES. */
NTSTATUS WdfIoQueueRetrieveNextRequest(WDFQUEUE Queue, WDFREQUEST *OutRequest);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFIO_H */
