/*
 * KMDF requests: what EvtIoDeviceControl (and the other queue callbacks)
 * receive, wrapping the IRP the I/O manager sent.
 *
 * Buffers (IOCTLs follow the code's transfer method, read/write the
 * device's WdfDeviceInitSetIoType):
 *   input   METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT: the
 *           system buffer (InputBufferLength bytes).
 *   output  METHOD_BUFFERED: the same system buffer (OutputBufferLength
 *           bytes); METHOD_IN_DIRECT / METHOD_OUT_DIRECT: the MDL's buffer.
 *   METHOD_NEITHER from user mode: STATUS_INVALID_DEVICE_REQUEST.
 * A buffer of length 0, or shorter than MinimumRequiredSize, is
 * STATUS_BUFFER_TOO_SMALL; a completed request STATUS_INTERNAL_ERROR.
 *
 * Completion: the status and information go to the IRP; for
 * METHOD_BUFFERED the I/O manager copies `information` bytes of the system
 * buffer back to the caller. The request object and its memory objects
 * are gone once completed, unless the driver holds a reference
 * (WdfObjectReference); then calls on it other than the Get* ones report
 * and ignore the misuse (KMDF bug-checks).
 */
#ifndef OPENWFP_WDFREQUEST_H
#define OPENWFP_WDFREQUEST_H

#include "wdfmemory.h"

OWFP_EXTERN_C_BEGIN

typedef enum _WDF_REQUEST_TYPE {
	WdfRequestTypeCreate = IRP_MJ_CREATE,
	WdfRequestTypeCreateNamedPipe = 0x01,
	WdfRequestTypeClose = IRP_MJ_CLOSE,
	WdfRequestTypeRead = IRP_MJ_READ,
	WdfRequestTypeWrite = IRP_MJ_WRITE,
	WdfRequestTypeQueryInformation = 0x05,
	WdfRequestTypeSetInformation = 0x06,
	WdfRequestTypeQueryEA = 0x07,
	WdfRequestTypeSetEA = 0x08,
	WdfRequestTypeFlushBuffers = 0x09,
	WdfRequestTypeQueryVolumeInformation = 0x0a,
	WdfRequestTypeSetVolumeInformation = 0x0b,
	WdfRequestTypeDirectoryControl = 0x0c,
	WdfRequestTypeFileSystemControl = 0x0d,
	WdfRequestTypeDeviceControl = IRP_MJ_DEVICE_CONTROL,
	WdfRequestTypeDeviceControlInternal = IRP_MJ_INTERNAL_DEVICE_CONTROL,
	WdfRequestTypeShutdown = 0x10,
	WdfRequestTypeLockControl = 0x11,
	WdfRequestTypeCleanup = IRP_MJ_CLEANUP,
	WdfRequestTypeCreateMailSlot = 0x13,
	WdfRequestTypeQuerySecurity = 0x14,
	WdfRequestTypeSetSecurity = 0x15,
	WdfRequestTypePower = 0x16,
	WdfRequestTypeSystemControl = 0x17,
	WdfRequestTypeDeviceChange = 0x18,
	WdfRequestTypeQueryQuota = 0x19,
	WdfRequestTypeSetQuota = 0x1a,
	WdfRequestTypePnp = 0x1b,
	WdfRequestTypeOther = 0x1c,
	WdfRequestTypeUsb = 0x40,
	WdfRequestTypeNoFormat = 0xff,
	WdfRequestTypeMax,
} WDF_REQUEST_TYPE;

typedef struct _WDF_REQUEST_PARAMETERS {
	USHORT Size;
	UCHAR MinorFunction;
	WDF_REQUEST_TYPE Type;
	union {
		struct {
			PVOID SecurityContext;
			ULONG Options;
			USHORT POINTER_ALIGNMENT FileAttributes;
			USHORT ShareAccess;
			ULONG POINTER_ALIGNMENT EaLength;
		} Create;
		struct {
			size_t Length;
			ULONG POINTER_ALIGNMENT Key;
			LONGLONG DeviceOffset;
		} Read;
		struct {
			size_t Length;
			ULONG POINTER_ALIGNMENT Key;
			LONGLONG DeviceOffset;
		} Write;
		struct {
			size_t OutputBufferLength;
			size_t POINTER_ALIGNMENT InputBufferLength;
			ULONG POINTER_ALIGNMENT IoControlCode;
			PVOID Type3InputBuffer;
		} DeviceIoControl;
		struct {
			PVOID Arg1;
			PVOID Arg2;
			ULONG POINTER_ALIGNMENT IoControlCode;
			PVOID Arg4;
		} Others;
	} Parameters;
} WDF_REQUEST_PARAMETERS, *PWDF_REQUEST_PARAMETERS;

static inline void WDF_REQUEST_PARAMETERS_INIT(PWDF_REQUEST_PARAMETERS Parameters)
{
	RtlZeroMemory(Parameters, sizeof(WDF_REQUEST_PARAMETERS));
	Parameters->Size = sizeof(WDF_REQUEST_PARAMETERS);
}

typedef void EVT_WDF_REQUEST_CANCEL(WDFREQUEST Request);
typedef EVT_WDF_REQUEST_CANCEL *PFN_WDF_REQUEST_CANCEL;

void WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status);
void WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information);
void WdfRequestCompleteWithPriorityBoost(WDFREQUEST Request, NTSTATUS Status, CHAR PriorityBoost);
void WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information);
ULONG_PTR WdfRequestGetInformation(WDFREQUEST Request);
/* STATUS_PENDING until completed. */
NTSTATUS WdfRequestGetStatus(WDFREQUEST Request);
void WdfRequestGetParameters(WDFREQUEST Request, PWDF_REQUEST_PARAMETERS Parameters);

NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, size_t MinimumRequiredSize,
				       PVOID *Buffer, size_t *Length);
NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, size_t MinimumRequiredSize,
					PVOID *Buffer, size_t *Length);
NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST Request, WDFMEMORY *Memory);
NTSTATUS WdfRequestRetrieveOutputMemory(WDFREQUEST Request, WDFMEMORY *Memory);
/* The MDL of a METHOD_IN_DIRECT / METHOD_OUT_DIRECT output buffer. */
NTSTATUS WdfRequestRetrieveOutputWdmMdl(WDFREQUEST Request, struct _MDL **Mdl);

PIRP WdfRequestWdmGetIrp(WDFREQUEST Request);
WDFQUEUE WdfRequestGetIoQueue(WDFREQUEST Request);
KPROCESSOR_MODE WdfRequestGetRequestorMode(WDFREQUEST Request);

/*
 * Cancellation of a request the driver holds: the routine runs (once) when
 * the caller gives up waiting, and must complete the request.
 * MarkCancelableEx returns STATUS_CANCELLED (routine not set) when the
 * request is cancelled already; UnmarkCancelable returns STATUS_CANCELLED
 * when the routine has run or is running (it completes the request then).
 */
void WdfRequestMarkCancelable(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel);
NTSTATUS WdfRequestMarkCancelableEx(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel);
NTSTATUS WdfRequestUnmarkCancelable(WDFREQUEST Request);
BOOLEAN WdfRequestIsCanceled(WDFREQUEST Request);

/* Moves a request the driver holds into another queue of the same device. */
NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST Request, WDFQUEUE DestinationQueue);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFREQUEST_H */
