/*
 * WDFREQUEST: a request over an IRP: presentation to the queue's callback,
 * buffers and parameters, completion, cancellation, forwarding.
 */
#include <string.h>

#include "wdf/wdf_int.h"

static void request_release(struct wdf_obj *o)
{
	struct wdf_request *req = (struct wdf_request *)o;

	req->in_mem.obj.magic = req->out_mem.obj.magic = 0;
	owfp_wdf_obj_unref(&req->queue->obj);
}

static const struct wdf_ops request_ops = {NULL, request_release};

/* A request's buffer as a memory object: part of the request, never freed alone. */
static void memory_init(struct wdf_memory *m, struct wdf_request *req)
{
	m->obj.magic = WDF_OBJ_MAGIC;
	m->obj.kind = WDF_KIND_MEMORY;
	m->obj.state = WDF_ALIVE;
	m->obj.refs = 1;
	m->obj.framework_owned = true;
	m->obj.driver = req->obj.driver;
	InitializeListHead(&m->obj.children);
	InitializeListHead(&m->obj.sibling);
	m->request = req;
}

struct wdf_request *owfp_wdf_request_new(struct wdf_queue *q, PIRP irp)
{
	struct wdf_request *req;
	NTSTATUS st;

	req = (struct wdf_request *)owfp_wdf_obj_new(sizeof(*req), WDF_KIND_REQUEST, &request_ops,
						     NULL, NULL, q->obj.driver, &st);
	if (!req)
		return NULL;
	req->obj.framework_owned = true;
	req->irp = irp;
	req->queue = q;
	owfp_wdf_obj_ref(&q->obj);
	req->status = STATUS_PENDING;
	memory_init(&req->in_mem, req);
	memory_init(&req->out_mem, req);
	InitializeListHead(&req->entry);
	irp->Tail.Overlay.DriverContext[0] = req;
	return req;
}

/*
 * The request behind a handle. A completed one (the driver kept a
 * reference) only serves the Get* calls: anything else is reported.
 */
static struct wdf_request *get(WDFREQUEST handle, const char *caller, bool completed_ok)
{
	struct wdf_request *req = (struct wdf_request *)handle;

	if (!req || req->obj.magic != WDF_OBJ_MAGIC || req->obj.kind != WDF_KIND_REQUEST) {
		owfp_wdf_report(NULL, caller, "not a request handle (KMDF would bug-check); ignored");
		return NULL;
	}
	if (!completed_ok && !__atomic_load_n(&req->irp, __ATOMIC_ACQUIRE)) {
		owfp_wdf_report(req->obj.driver, caller,
				"request already completed (KMDF would bug-check); ignored");
		return NULL;
	}
	return req;
}

struct present_call {
	struct wdf_request *req;
	struct wdf_queue *q;
	PIO_STACK_LOCATION sl;
};

static void run_present(void *arg)
{
	struct present_call *c = arg;
	const WDF_IO_QUEUE_CONFIG *cfg = &c->q->config;
	WDFQUEUE q = (WDFQUEUE)c->q;
	WDFREQUEST r = (WDFREQUEST)c->req;
	ULONG code = c->sl->Parameters.DeviceIoControl.IoControlCode;
	size_t out = c->sl->Parameters.DeviceIoControl.OutputBufferLength;
	size_t in = c->sl->Parameters.DeviceIoControl.InputBufferLength;

	switch (c->sl->MajorFunction) {
	case IRP_MJ_DEVICE_CONTROL:
		if (cfg->EvtIoDeviceControl)
			return cfg->EvtIoDeviceControl(q, r, out, in, code);
		break;
	case IRP_MJ_INTERNAL_DEVICE_CONTROL:
		if (cfg->EvtIoInternalDeviceControl)
			return cfg->EvtIoInternalDeviceControl(q, r, out, in, code);
		break;
	case IRP_MJ_READ:
		if (cfg->EvtIoRead)
			return cfg->EvtIoRead(q, r, c->sl->Parameters.Read.Length);
		break;
	case IRP_MJ_WRITE:
		if (cfg->EvtIoWrite)
			return cfg->EvtIoWrite(q, r, c->sl->Parameters.Write.Length);
		break;
	default:
		break;
	}
	cfg->EvtIoDefault(q, r);
}

void owfp_wdf_request_present(struct wdf_request *req)
{
	struct present_call c = {req, req->queue, IoGetCurrentIrpStackLocation(req->irp)};

	/* Held across the call: the driver may complete and so free it inside. */
	owfp_wdf_obj_ref(&req->obj);
	if (!owfp_wdf_call(req->obj.driver, run_present, &c) &&
	    __atomic_load_n(&req->irp, __ATOMIC_ACQUIRE)) {
		/* The callback failed (contained): nobody will complete it. */
		owfp_wdf_request_finish(req, STATUS_DRIVER_INTERNAL_ERROR, 0);
	}
	owfp_wdf_obj_unref(&req->obj);
}

/* Completes the request once; a second attempt is reported. */
static void complete(struct wdf_request *req, NTSTATUS status, ULONG_PTR information, CHAR boost,
		     const char *caller)
{
	struct wdf_queue *q = req->queue;
	enum wdf_request_state was;
	bool counted;
	PIRP irp;

	pthread_mutex_lock(&q->mu);
	was = req->state;
	counted = req->counted;
	req->state = REQ_COMPLETED;
	req->counted = false;
	irp = req->irp;
	__atomic_store_n(&req->irp, NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&q->mu);
	if (was == REQ_COMPLETED || !irp) {
		owfp_wdf_report(req->obj.driver, caller,
				"request completed twice (KMDF would bug-check); ignored");
		return;
	}
	IoSetCancelRoutine(irp, NULL);
	req->status = status;
	req->information = information;
	req->in_mem.obj.state = req->out_mem.obj.state = WDF_DELETED;
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = information;
	IoCompleteRequest(irp, boost);
	if (counted)
		owfp_wdf_queue_done(q);
	__atomic_store_n(&req->obj.state, WDF_DELETED, __ATOMIC_RELEASE);
	owfp_wdf_obj_unref(&req->obj);
}

void owfp_wdf_request_finish(struct wdf_request *req, NTSTATUS status, ULONG_PTR information)
{
	complete(req, status, information, IO_NO_INCREMENT, "framework");
}

void WdfRequestComplete(WDFREQUEST Request, NTSTATUS Status)
{
	struct wdf_request *req = get(Request, "WdfRequestComplete", false);

	if (req)
		complete(req, Status, req->information, IO_NO_INCREMENT, "WdfRequestComplete");
}

void WdfRequestCompleteWithInformation(WDFREQUEST Request, NTSTATUS Status, ULONG_PTR Information)
{
	struct wdf_request *req = get(Request, "WdfRequestCompleteWithInformation", false);

	if (req)
		complete(req, Status, Information, IO_NO_INCREMENT,
			 "WdfRequestCompleteWithInformation");
}

void WdfRequestCompleteWithPriorityBoost(WDFREQUEST Request, NTSTATUS Status, CHAR PriorityBoost)
{
	struct wdf_request *req = get(Request, "WdfRequestCompleteWithPriorityBoost", false);

	if (req)
		complete(req, Status, req->information, PriorityBoost,
			 "WdfRequestCompleteWithPriorityBoost");
}

void WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information)
{
	struct wdf_request *req = get(Request, "WdfRequestSetInformation", false);

	if (req)
		req->information = Information;
}

ULONG_PTR WdfRequestGetInformation(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestGetInformation", true);

	return req ? req->information : 0;
}

NTSTATUS WdfRequestGetStatus(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestGetStatus", true);

	return req ? req->status : STATUS_INVALID_PARAMETER;
}

void WdfRequestGetParameters(WDFREQUEST Request, PWDF_REQUEST_PARAMETERS Parameters)
{
	struct wdf_request *req = get(Request, "WdfRequestGetParameters", false);
	PIO_STACK_LOCATION sl;

	if (!req || !Parameters)
		return;
	sl = IoGetCurrentIrpStackLocation(req->irp);
	WDF_REQUEST_PARAMETERS_INIT(Parameters);
	Parameters->Type = (WDF_REQUEST_TYPE)sl->MajorFunction;
	Parameters->MinorFunction = sl->MinorFunction;
	switch (sl->MajorFunction) {
	case IRP_MJ_CREATE:
		Parameters->Parameters.Create.SecurityContext = sl->Parameters.Create.SecurityContext;
		Parameters->Parameters.Create.Options = sl->Parameters.Create.Options;
		Parameters->Parameters.Create.FileAttributes = sl->Parameters.Create.FileAttributes;
		Parameters->Parameters.Create.ShareAccess = sl->Parameters.Create.ShareAccess;
		Parameters->Parameters.Create.EaLength = sl->Parameters.Create.EaLength;
		break;
	case IRP_MJ_READ:
		Parameters->Parameters.Read.Length = sl->Parameters.Read.Length;
		Parameters->Parameters.Read.Key = sl->Parameters.Read.Key;
		Parameters->Parameters.Read.DeviceOffset = sl->Parameters.Read.ByteOffset.QuadPart;
		break;
	case IRP_MJ_WRITE:
		Parameters->Parameters.Write.Length = sl->Parameters.Write.Length;
		Parameters->Parameters.Write.Key = sl->Parameters.Write.Key;
		Parameters->Parameters.Write.DeviceOffset = sl->Parameters.Write.ByteOffset.QuadPart;
		break;
	case IRP_MJ_DEVICE_CONTROL:
	case IRP_MJ_INTERNAL_DEVICE_CONTROL:
		Parameters->Parameters.DeviceIoControl.OutputBufferLength =
			sl->Parameters.DeviceIoControl.OutputBufferLength;
		Parameters->Parameters.DeviceIoControl.InputBufferLength =
			sl->Parameters.DeviceIoControl.InputBufferLength;
		Parameters->Parameters.DeviceIoControl.IoControlCode =
			sl->Parameters.DeviceIoControl.IoControlCode;
		Parameters->Parameters.DeviceIoControl.Type3InputBuffer =
			sl->Parameters.DeviceIoControl.Type3InputBuffer;
		break;
	default:
		break;
	}
}

/* Where a request's input or output lies (see wdfrequest.h). */
static NTSTATUS locate(struct wdf_request *req, bool output, void **buf, size_t *len)
{
	PIRP irp = req->irp;
	PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(irp);
	bool direct_mdl = false;
	ULONG method;

	*buf = NULL;
	*len = 0;
	switch (sl->MajorFunction) {
	case IRP_MJ_DEVICE_CONTROL:
	case IRP_MJ_INTERNAL_DEVICE_CONTROL:
		method = METHOD_FROM_CTL_CODE(sl->Parameters.DeviceIoControl.IoControlCode);
		if (method == METHOD_NEITHER)
			return STATUS_INVALID_DEVICE_REQUEST; /* user-mode buffers: not for KMDF to map */
		if (!output) {
			*buf = irp->AssociatedIrp.SystemBuffer;
			*len = sl->Parameters.DeviceIoControl.InputBufferLength;
		} else {
			*len = sl->Parameters.DeviceIoControl.OutputBufferLength;
			if (method == METHOD_BUFFERED)
				*buf = irp->AssociatedIrp.SystemBuffer;
			else
				direct_mdl = true;
		}
		break;
	case IRP_MJ_WRITE:
	case IRP_MJ_READ:
		if (output != (sl->MajorFunction == IRP_MJ_READ))
			return STATUS_INVALID_DEVICE_REQUEST;
		*len = output ? sl->Parameters.Read.Length : sl->Parameters.Write.Length;
		if (irp->MdlAddress)
			direct_mdl = true;
		else
			*buf = irp->AssociatedIrp.SystemBuffer;
		break;
	default:
		return STATUS_INVALID_DEVICE_REQUEST;
	}
	if (direct_mdl && irp->MdlAddress)
		*buf = MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority);
	if (!*len || !*buf)
		return STATUS_BUFFER_TOO_SMALL;
	return STATUS_SUCCESS;
}

static NTSTATUS retrieve(WDFREQUEST Request, bool output, size_t min, PVOID *Buffer, size_t *Length,
			 const char *caller)
{
	struct wdf_request *req = get(Request, caller, false);
	void *buf;
	size_t len;
	NTSTATUS st;

	if (Buffer)
		*Buffer = NULL;
	if (Length)
		*Length = 0;
	if (!req)
		return STATUS_INTERNAL_ERROR;
	if (!Buffer)
		return STATUS_INVALID_PARAMETER;
	st = locate(req, output, &buf, &len);
	if (NT_SUCCESS(st) && len < min)
		st = STATUS_BUFFER_TOO_SMALL;
	if (!NT_SUCCESS(st))
		return st;
	*Buffer = buf;
	if (Length)
		*Length = len;
	return STATUS_SUCCESS;
}

NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, size_t MinimumRequiredSize,
				       PVOID *Buffer, size_t *Length)
{
	return retrieve(Request, false, MinimumRequiredSize, Buffer, Length,
			"WdfRequestRetrieveInputBuffer");
}

NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, size_t MinimumRequiredSize,
					PVOID *Buffer, size_t *Length)
{
	return retrieve(Request, true, MinimumRequiredSize, Buffer, Length,
			"WdfRequestRetrieveOutputBuffer");
}

static NTSTATUS retrieve_memory(WDFREQUEST Request, bool output, WDFMEMORY *Memory, const char *caller)
{
	struct wdf_request *req = get(Request, caller, false);
	struct wdf_memory *m;
	void *buf;
	size_t len;
	NTSTATUS st;

	if (Memory)
		*Memory = NULL;
	if (!req)
		return STATUS_INTERNAL_ERROR;
	if (!Memory)
		return STATUS_INVALID_PARAMETER;
	st = locate(req, output, &buf, &len);
	if (!NT_SUCCESS(st))
		return st;
	m = output ? &req->out_mem : &req->in_mem;
	m->buffer = buf;
	m->length = len;
	*Memory = (WDFMEMORY)m;
	return STATUS_SUCCESS;
}

NTSTATUS WdfRequestRetrieveInputMemory(WDFREQUEST Request, WDFMEMORY *Memory)
{
	return retrieve_memory(Request, false, Memory, "WdfRequestRetrieveInputMemory");
}

NTSTATUS WdfRequestRetrieveOutputMemory(WDFREQUEST Request, WDFMEMORY *Memory)
{
	return retrieve_memory(Request, true, Memory, "WdfRequestRetrieveOutputMemory");
}

NTSTATUS WdfRequestRetrieveOutputWdmMdl(WDFREQUEST Request, PMDL *Mdl)
{
	struct wdf_request *req = get(Request, "WdfRequestRetrieveOutputWdmMdl", false);
	void *buf;
	size_t len;
	NTSTATUS st;

	if (Mdl)
		*Mdl = NULL;
	if (!req)
		return STATUS_INTERNAL_ERROR;
	if (!Mdl)
		return STATUS_INVALID_PARAMETER;
	st = locate(req, true, &buf, &len);
	if (!NT_SUCCESS(st))
		return st;
	if (!req->irp->MdlAddress)
		return STATUS_INVALID_DEVICE_REQUEST; /* buffered: no MDL is made here */
	*Mdl = req->irp->MdlAddress;
	return STATUS_SUCCESS;
}

PIRP WdfRequestWdmGetIrp(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestWdmGetIrp", false);

	return req ? req->irp : NULL;
}

WDFQUEUE WdfRequestGetIoQueue(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestGetIoQueue", true);

	return req ? (WDFQUEUE)req->queue : NULL;
}

KPROCESSOR_MODE WdfRequestGetRequestorMode(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestGetRequestorMode", false);

	return req ? req->irp->RequestorMode : KernelMode;
}

static void run_cancel(void *arg)
{
	struct wdf_request *req = arg;

	req->cancel((WDFREQUEST)req);
}

/* Runs the driver's EvtRequestCancel; completes the request if that failed (contained). */
static void cancel_now(struct wdf_request *req)
{
	owfp_wdf_obj_ref(&req->obj);
	if (!owfp_wdf_call(req->obj.driver, run_cancel, req) &&
	    __atomic_load_n(&req->irp, __ATOMIC_ACQUIRE))
		owfp_wdf_request_finish(req, STATUS_CANCELLED, 0);
	owfp_wdf_obj_unref(&req->obj);
}

/* The IRP cancel routine of a request the driver marked cancelable. */
static void request_canceled(PDEVICE_OBJECT dev, PIRP irp)
{
	(void)dev;
	IoReleaseCancelSpinLock(irp->CancelIrql);
	cancel_now(irp->Tail.Overlay.DriverContext[0]);
}

static NTSTATUS mark_cancelable(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL fn, bool ex,
				const char *caller)
{
	struct wdf_request *req = get(Request, caller, false);

	if (!req || !fn)
		return STATUS_INVALID_PARAMETER;
	req->cancel = fn;
	IoSetCancelRoutine(req->irp, request_canceled);
	if (req->irp->Cancel && IoSetCancelRoutine(req->irp, NULL)) {
		/* Cancelled before it was marked. */
		if (ex)
			return STATUS_CANCELLED;
		cancel_now(req);
	}
	return STATUS_SUCCESS;
}

void WdfRequestMarkCancelable(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
	(void)mark_cancelable(Request, EvtRequestCancel, false, "WdfRequestMarkCancelable");
}

NTSTATUS WdfRequestMarkCancelableEx(WDFREQUEST Request, PFN_WDF_REQUEST_CANCEL EvtRequestCancel)
{
	return mark_cancelable(Request, EvtRequestCancel, true, "WdfRequestMarkCancelableEx");
}

NTSTATUS WdfRequestUnmarkCancelable(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestUnmarkCancelable", false);

	if (!req)
		return STATUS_INVALID_PARAMETER;
	return IoSetCancelRoutine(req->irp, NULL) ? STATUS_SUCCESS : STATUS_CANCELLED;
}

BOOLEAN WdfRequestIsCanceled(WDFREQUEST Request)
{
	struct wdf_request *req = get(Request, "WdfRequestIsCanceled", false);

	return req ? req->irp->Cancel : FALSE;
}

NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST Request, WDFQUEUE DestinationQueue)
{
	struct wdf_request *req = get(Request, "WdfRequestForwardToIoQueue", false);
	struct wdf_queue *dest = (struct wdf_queue *)owfp_wdf_obj_get(
		DestinationQueue, WDF_KIND_QUEUE, "WdfRequestForwardToIoQueue");
	struct wdf_queue *src;
	bool counted;

	if (!req || !dest)
		return STATUS_INVALID_PARAMETER;
	src = req->queue;
	if (dest == src || dest->device != src->device)
		return STATUS_INVALID_DEVICE_REQUEST;
	pthread_mutex_lock(&src->mu);
	if (req->state != REQ_PRESENTED) {
		pthread_mutex_unlock(&src->mu);
		return STATUS_INVALID_DEVICE_REQUEST;
	}
	counted = req->counted;
	req->counted = false;
	pthread_mutex_unlock(&src->mu);
	owfp_wdf_obj_ref(&dest->obj);
	req->queue = dest;
	if (counted)
		owfp_wdf_queue_done(src);
	owfp_wdf_obj_unref(&src->obj);
	owfp_wdf_queue_submit(dest, req);
	return STATUS_SUCCESS;
}
