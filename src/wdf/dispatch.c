/*
 * The MajorFunction routines WdfDriverCreate installs: IRPs to a WDFDEVICE
 * become requests in its default queue; create, cleanup and close succeed
 * (no file-object callbacks here); anything else is an invalid request.
 */
#include "wdf/wdf_int.h"

static NTSTATUS finish_irp(PIRP irp, NTSTATUS st)
{
	irp->IoStatus.Status = st;
	irp->IoStatus.Information = 0;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return st;
}

NTSTATUS owfp_wdf_dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
	struct wdf_device *d = owfp_wdf_device_of(DeviceObject);
	struct wdf_request *req;
	struct wdf_queue *q;
	NTSTATUS st;

	if (!d)
		return finish_irp(Irp, STATUS_INVALID_DEVICE_REQUEST);
	switch (IoGetCurrentIrpStackLocation(Irp)->MajorFunction) {
	case IRP_MJ_CREATE:
	case IRP_MJ_CLEANUP:
	case IRP_MJ_CLOSE:
		st = finish_irp(Irp, STATUS_SUCCESS);
		break;
	case IRP_MJ_DEVICE_CONTROL:
	case IRP_MJ_INTERNAL_DEVICE_CONTROL:
	case IRP_MJ_READ:
	case IRP_MJ_WRITE:
		q = d->default_queue;
		if (!q) {
			st = finish_irp(Irp, STATUS_INVALID_DEVICE_REQUEST);
			break;
		}
		req = owfp_wdf_request_new(q, Irp);
		if (!req) {
			st = finish_irp(Irp, STATUS_INSUFFICIENT_RESOURCES);
			break;
		}
		/* The request may be completed on any thread from here on. */
		IoMarkIrpPending(Irp);
		owfp_wdf_queue_submit(q, req);
		st = STATUS_PENDING;
		break;
	default:
		st = finish_irp(Irp, STATUS_INVALID_DEVICE_REQUEST);
		break;
	}
	owfp_wdf_obj_unref(&d->obj);
	return st;
}
