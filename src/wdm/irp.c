/* IRPs: allocation, dispatch, IoCompleteRequest, waiting and cancellation. */
#include "wdm/irp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "openwfp/ndis.h"
#include "util/deadline.h"
#include "wdm/contain.h"
#include "util/alloc.h"

#define MAX_BLOCKS 4

struct irp_host {
	IRP irp;
	IO_STACK_LOCATION stack;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* CLOCK_MONOTONIC */
	int refs;          /* the caller's, and the driver's until completion */
	bool completed;
	void *blocks[MAX_BLOCKS];
	int nblocks;
	PMDL mdl;
};

static uint64_t double_completions;

/*
 * The cancel spin lock: one per system, as on Windows. A mutex with an
 * owner, so that a cancel routine that failed (contained) while holding it
 * does not leave it held for good.
 */
static pthread_mutex_t cancel_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t cancel_owner;
static bool cancel_held;

void IoAcquireCancelSpinLock(PKIRQL Irql)
{
	pthread_mutex_lock(&cancel_mu);
	cancel_owner = pthread_self();
	__atomic_store_n(&cancel_held, true, __ATOMIC_RELAXED);
	*Irql = PASSIVE_LEVEL;
}

void IoReleaseCancelSpinLock(KIRQL Irql)
{
	(void)Irql;
	__atomic_store_n(&cancel_held, false, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&cancel_mu);
}

static bool cancel_lock_is_mine(void)
{
	return __atomic_load_n(&cancel_held, __ATOMIC_RELAXED) &&
	       pthread_equal(cancel_owner, pthread_self());
}

PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine)
{
	return __atomic_exchange_n(&Irp->CancelRoutine, CancelRoutine, __ATOMIC_SEQ_CST);
}

PIRP owfp_irp_new(PDEVICE_OBJECT dev, PFILE_OBJECT file, UCHAR major)
{
	struct irp_host *h = owfp_calloc(1, sizeof(*h));
	pthread_condattr_t ca;

	if (!h)
		return NULL;
	pthread_mutex_init(&h->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	h->refs = 2;
	h->irp.Type = IO_TYPE_IRP;
	h->irp.Size = (USHORT)sizeof(IRP);
	h->irp.StackCount = 1;
	h->irp.CurrentLocation = 1;
	h->irp.RequestorMode = UserMode;
	h->irp.IoStatus.Status = STATUS_PENDING;
	h->irp.Tail.Overlay.CurrentStackLocation = &h->stack;
	h->irp.Tail.Overlay.OriginalFileObject = file;
	h->irp.OwfpHost = h;
	InitializeListHead(&h->irp.ThreadListEntry);
	h->stack.MajorFunction = major;
	h->stack.DeviceObject = dev;
	h->stack.FileObject = file;
	return &h->irp;
}

void owfp_irp_keep(PIRP irp, void *block)
{
	struct irp_host *h = irp->OwfpHost;

	if (h->nblocks < MAX_BLOCKS)
		h->blocks[h->nblocks++] = block;
}

void owfp_irp_keep_mdl(PIRP irp, PMDL mdl)
{
	((struct irp_host *)irp->OwfpHost)->mdl = mdl;
}

static void host_put(struct irp_host *h)
{
	bool last;

	pthread_mutex_lock(&h->mu);
	last = --h->refs == 0;
	pthread_mutex_unlock(&h->mu);
	if (!last)
		return;
	for (int i = 0; i < h->nblocks; i++)
		free(h->blocks[i]);
	if (h->mdl)
		IoFreeMdl(h->mdl);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

void owfp_irp_put(PIRP irp)
{
	if (irp)
		host_put(irp->OwfpHost);
}

static void report(PIRP irp, const char *what)
{
	PDEVICE_OBJECT dev = irp->Tail.Overlay.CurrentStackLocation->DeviceObject;
	PCUNICODE_STRING name = dev && dev->DriverObject ? &dev->DriverObject->DriverName : NULL;

	fprintf(stderr, "openwfp: driver %.*ls: %s (IRP major function 0x%02x)\n",
		name && name->Buffer ? (int)(name->Length / sizeof(WCHAR)) : 1,
		name && name->Buffer ? name->Buffer : L"?", what,
		irp->Tail.Overlay.CurrentStackLocation->MajorFunction);
}

void IoCompleteRequest(PIRP Irp, CHAR PriorityBoost)
{
	struct irp_host *h;

	(void)PriorityBoost;
	if (!Irp || !Irp->OwfpHost)
		return;
	h = Irp->OwfpHost;
	pthread_mutex_lock(&h->mu);
	if (h->completed) {
		pthread_mutex_unlock(&h->mu);
		__atomic_add_fetch(&double_completions, 1, __ATOMIC_RELAXED);
		report(Irp, "IoCompleteRequest on an IRP already completed; ignored");
		return;
	}
	h->completed = true;
	Irp->PendingReturned = (h->stack.Control & SL_PENDING_RETURNED) != 0;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	host_put(h);
}

uint64_t owfp_irp_double_completions(void)
{
	return __atomic_load_n(&double_completions, __ATOMIC_RELAXED);
}

struct call {
	PDRIVER_DISPATCH fn;
	PDRIVER_CANCEL cancel;
	PDEVICE_OBJECT dev;
	PIRP irp;
	NTSTATUS status;
};

static void run_dispatch(void *arg)
{
	struct call *c = arg;

	c->status = c->fn(c->dev, c->irp);
}

static void run_cancel(void *arg)
{
	struct call *c = arg;

	c->cancel(c->dev, c->irp);
}

/* IoCancelIrp: marks the IRP cancelled and runs its cancel routine, if any. */
static void cancel(PIRP irp, PDEVICE_OBJECT dev)
{
	struct call c = {.dev = dev, .irp = irp};
	KIRQL irql;

	IoAcquireCancelSpinLock(&irql);
	irp->Cancel = TRUE;
	c.cancel = IoSetCancelRoutine(irp, NULL);
	if (!c.cancel) {
		IoReleaseCancelSpinLock(irql);
		return;
	}
	irp->CancelIrql = irql;
	/* The routine releases the cancel lock itself. */
	if (owfp_contain_run(dev->DriverObject, run_cancel, &c) != 0 && cancel_lock_is_mine())
		IoReleaseCancelSpinLock(irql);
}

NTSTATUS owfp_irp_call(PIRP irp, uint64_t timeout_ns, bool *completed)
{
	struct irp_host *h = irp->OwfpHost;
	PDEVICE_OBJECT dev = h->stack.DeviceObject;
	struct call c = {.dev = dev, .irp = irp, .status = STATUS_PENDING};
	struct timespec until;
	NTSTATUS st;

	*completed = false;
	c.fn = dev->DriverObject->MajorFunction[h->stack.MajorFunction];
	if (!c.fn) {
		/* Windows' default for every major function a driver leaves unset. */
		irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
		irp->IoStatus.Information = 0;
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		*completed = true;
		return STATUS_INVALID_DEVICE_REQUEST;
	}
	if (owfp_contain_run(dev->DriverObject, run_dispatch, &c) != 0)
		return STATUS_DRIVER_INTERNAL_ERROR;
	pthread_mutex_lock(&h->mu);
	if (!h->completed && c.status != STATUS_PENDING) {
		/* Returned a status without completing the IRP: take the status. */
		pthread_mutex_unlock(&h->mu);
		report(irp, "dispatch routine returned without completing the IRP or STATUS_PENDING");
		return c.status;
	}
	until = owfp_deadline_after_ns(CLOCK_MONOTONIC, timeout_ns);
	while (!h->completed && timeout_ns)
		if (pthread_cond_timedwait(&h->cv, &h->mu, &until) != 0)
			break;
	if (!h->completed) {
		pthread_mutex_unlock(&h->mu);
		cancel(irp, dev);
		pthread_mutex_lock(&h->mu);
	}
	*completed = h->completed;
	st = h->completed ? irp->IoStatus.Status : STATUS_IO_TIMEOUT;
	pthread_mutex_unlock(&h->mu);
	return st;
}
