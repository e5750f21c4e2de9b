/*
 * WDFQUEUE: where requests wait and how they are presented to the driver
 * (sequential, parallel, manual), and their cancellation while they wait.
 *
 * A sequential queue is drained by one thread at a time (`dispatching`):
 * the thread that finds the queue idle presents requests until one stays
 * with the driver; a completion on another thread restarts the loop. So a
 * driver that completes inside its callback is never re-entered from its
 * own stack. A parallel queue presents on the sending thread; only
 * requests over its NumberOfPresentedRequests cap wait, and go out as
 * others complete.
 */
#include "wdf/wdf_int.h"

static void queue_teardown(struct wdf_obj *o);
static void queue_release(struct wdf_obj *o);
static const struct wdf_ops queue_ops = {queue_teardown, queue_release};

static bool has_handler(const WDF_IO_QUEUE_CONFIG *c, UCHAR major)
{
	if (c->EvtIoDefault)
		return true;
	switch (major) {
	case IRP_MJ_DEVICE_CONTROL:
		return c->EvtIoDeviceControl != NULL;
	case IRP_MJ_INTERNAL_DEVICE_CONTROL:
		return c->EvtIoInternalDeviceControl != NULL;
	case IRP_MJ_READ:
		return c->EvtIoRead != NULL;
	case IRP_MJ_WRITE:
		return c->EvtIoWrite != NULL;
	default:
		return false;
	}
}

static void canceled_on_queue(PDEVICE_OBJECT dev, PIRP irp);

/* Under q->mu. */
static void enqueue(struct wdf_queue *q, struct wdf_request *req)
{
	req->state = REQ_QUEUED;
	InsertTailList(&q->pending, &req->entry);
	IoSetCancelRoutine(req->irp, canceled_on_queue);
}

/*
 * Under q->mu: the oldest waiting request, out of the list. One whose
 * cancel routine has started stays for that routine to take.
 */
static struct wdf_request *take_next(struct wdf_queue *q)
{
	for (PLIST_ENTRY e = q->pending.Flink; e != &q->pending; e = e->Flink) {
		struct wdf_request *req = CONTAINING_RECORD(e, struct wdf_request, entry);

		if (IoSetCancelRoutine(req->irp, NULL) != NULL) {
			RemoveEntryList(&req->entry);
			return req;
		}
	}
	return NULL;
}

static ULONG cap(const struct wdf_queue *q)
{
	if (q->config.DispatchType == WdfIoQueueDispatchSequential)
		return 1;
	if (q->config.DispatchType == WdfIoQueueDispatchParallel)
		return q->config.Settings.Parallel.NumberOfPresentedRequests
			       ? q->config.Settings.Parallel.NumberOfPresentedRequests
			       : (ULONG)-1;
	return 0; /* manual: only WdfIoQueueRetrieveNextRequest takes them */
}

/* Presents while the queue may; runs with `dispatching` set (see the file comment). */
static void dispatch_loop(struct wdf_queue *q)
{
	struct wdf_request *req;

	pthread_mutex_lock(&q->mu);
	while (!q->deleting && q->presented < cap(q) && (req = take_next(q))) {
		req->state = REQ_PRESENTED;
		req->counted = true;
		q->presented++;
		pthread_mutex_unlock(&q->mu);
		owfp_wdf_request_present(req);
		pthread_mutex_lock(&q->mu);
	}
	q->dispatching = false;
	pthread_mutex_unlock(&q->mu);
}

void owfp_wdf_queue_submit(struct wdf_queue *q, struct wdf_request *req)
{
	UCHAR major = IoGetCurrentIrpStackLocation(req->irp)->MajorFunction;

	pthread_mutex_lock(&q->mu);
	if (q->deleting) {
		pthread_mutex_unlock(&q->mu);
		owfp_wdf_request_finish(req, STATUS_INVALID_DEVICE_STATE, 0);
		return;
	}
	if (q->config.DispatchType != WdfIoQueueDispatchManual && !has_handler(&q->config, major)) {
		pthread_mutex_unlock(&q->mu);
		owfp_wdf_request_finish(req, STATUS_INVALID_DEVICE_REQUEST, 0);
		return;
	}
	if (q->config.DispatchType == WdfIoQueueDispatchParallel && q->presented < cap(q)) {
		/* Parallel: on the sending thread, whatever else is with the driver. */
		req->state = REQ_PRESENTED;
		req->counted = true;
		q->presented++;
		pthread_mutex_unlock(&q->mu);
		owfp_wdf_request_present(req);
		return;
	}
	enqueue(q, req);
	if (q->config.DispatchType != WdfIoQueueDispatchSequential || q->dispatching) {
		pthread_mutex_unlock(&q->mu);
		return;
	}
	q->dispatching = true;
	pthread_mutex_unlock(&q->mu);
	dispatch_loop(q);
}

void owfp_wdf_queue_done(struct wdf_queue *q)
{
	bool run = false;

	pthread_mutex_lock(&q->mu);
	if (q->presented)
		q->presented--;
	if (!q->dispatching && !q->deleting && !IsListEmpty(&q->pending) && q->presented < cap(q)) {
		q->dispatching = true;
		run = true;
	}
	pthread_mutex_unlock(&q->mu);
	if (run)
		dispatch_loop(q);
}

struct canceled_call {
	struct wdf_queue *q;
	struct wdf_request *req;
};

static void run_canceled(void *arg)
{
	struct canceled_call *c = arg;

	c->q->config.EvtIoCanceledOnQueue((WDFQUEUE)c->q, (WDFREQUEST)c->req);
}

/* The IRP cancel routine of a waiting request: out of the queue, then cancelled. */
static void canceled_on_queue(PDEVICE_OBJECT dev, PIRP irp)
{
	struct wdf_request *req = irp->Tail.Overlay.DriverContext[0];
	struct canceled_call c = {req->queue, req};
	bool was_queued;

	(void)dev;
	IoReleaseCancelSpinLock(irp->CancelIrql);
	pthread_mutex_lock(&c.q->mu);
	was_queued = req->state == REQ_QUEUED;
	if (was_queued) {
		RemoveEntryList(&req->entry);
		req->state = REQ_PRESENTED; /* the driver's, if it has EvtIoCanceledOnQueue */
		req->counted = false;
	}
	pthread_mutex_unlock(&c.q->mu);
	if (!was_queued)
		return;
	if (c.q->config.EvtIoCanceledOnQueue && !c.q->deleting) {
		owfp_wdf_obj_ref(&req->obj);
		if (!owfp_wdf_call(c.q->obj.driver, run_canceled, &c) && req->state != REQ_COMPLETED)
			owfp_wdf_request_finish(req, STATUS_CANCELLED, 0);
		owfp_wdf_obj_unref(&req->obj);
	} else {
		owfp_wdf_request_finish(req, STATUS_CANCELLED, 0);
	}
}

/* Deleting a queue cancels what waits in it; requests with the driver stay its. */
static void queue_teardown(struct wdf_obj *o)
{
	struct wdf_queue *q = (struct wdf_queue *)o;
	struct wdf_request *req;

	pthread_mutex_lock(&q->mu);
	q->deleting = true;
	if (q->device->default_queue == q)
		q->device->default_queue = NULL;
	while ((req = take_next(q))) {
		req->state = REQ_PRESENTED;
		req->counted = false;
		pthread_mutex_unlock(&q->mu);
		owfp_wdf_request_finish(req, STATUS_CANCELLED, 0);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
}

static void queue_release(struct wdf_obj *o)
{
	pthread_mutex_destroy(&((struct wdf_queue *)o)->mu);
}

NTSTATUS WdfIoQueueCreate(WDFDEVICE Device, PWDF_IO_QUEUE_CONFIG Config,
			  PWDF_OBJECT_ATTRIBUTES QueueAttributes, WDFQUEUE *Queue)
{
	struct wdf_device *d = (struct wdf_device *)owfp_wdf_obj_get(Device, WDF_KIND_DEVICE,
								     "WdfIoQueueCreate");
	struct wdf_queue *q;
	NTSTATUS st;

	if (Queue)
		*Queue = NULL;
	if (!d || !Config || Config->Size < sizeof(WDF_IO_QUEUE_CONFIG) ||
	    Config->DispatchType <= WdfIoQueueDispatchInvalid ||
	    Config->DispatchType >= WdfIoQueueDispatchMax)
		return STATUS_INVALID_PARAMETER;
	if (Config->DispatchType != WdfIoQueueDispatchManual && !Config->EvtIoDefault &&
	    !Config->EvtIoRead && !Config->EvtIoWrite && !Config->EvtIoDeviceControl &&
	    !Config->EvtIoInternalDeviceControl) {
		owfp_wdf_report(d->obj.driver, "WdfIoQueueCreate",
				"a queue that is not manual needs at least one request callback");
		return STATUS_INVALID_PARAMETER;
	}
	if (QueueAttributes && QueueAttributes->ParentObject &&
	    QueueAttributes->ParentObject != (WDFOBJECT)d)
		return STATUS_INVALID_PARAMETER;
	if (Config->DefaultQueue && d->default_queue)
		return STATUS_OBJECT_NAME_COLLISION;
	q = (struct wdf_queue *)owfp_wdf_obj_new(sizeof(*q), WDF_KIND_QUEUE, &queue_ops,
						 QueueAttributes, &d->obj, d->obj.driver, &st);
	if (!q)
		return st;
	q->device = d;
	q->config = *Config;
	pthread_mutex_init(&q->mu, NULL);
	InitializeListHead(&q->pending);
	if (Config->DefaultQueue)
		d->default_queue = q;
	if (Queue)
		*Queue = (WDFQUEUE)q;
	return STATUS_SUCCESS;
}

WDFDEVICE WdfIoQueueGetDevice(WDFQUEUE Queue)
{
	struct wdf_queue *q = (struct wdf_queue *)owfp_wdf_obj_get(Queue, WDF_KIND_QUEUE,
								   "WdfIoQueueGetDevice");

	return q ? (WDFDEVICE)q->device : NULL;
}

NTSTATUS WdfIoQueueRetrieveNextRequest(WDFQUEUE Queue, WDFREQUEST *OutRequest)
{
	struct wdf_queue *q = (struct wdf_queue *)owfp_wdf_obj_get(Queue, WDF_KIND_QUEUE,
								   "WdfIoQueueRetrieveNextRequest");
	struct wdf_request *req;

	if (OutRequest)
		*OutRequest = NULL;
	if (!q || !OutRequest)
		return STATUS_INVALID_PARAMETER;
	if (q->config.DispatchType != WdfIoQueueDispatchManual)
		return STATUS_INVALID_DEVICE_REQUEST;
	pthread_mutex_lock(&q->mu);
	req = q->deleting ? NULL : take_next(q);
	if (req) {
		req->state = REQ_PRESENTED;
		req->counted = true;
		q->presented++;
	}
	pthread_mutex_unlock(&q->mu);
	if (!req)
		return STATUS_NO_MORE_ENTRIES;
	*OutRequest = (WDFREQUEST)req;
	return STATUS_SUCCESS;
}
