/*
 * I/O work items (IoQueueWorkItem and friends) and executive work items
 * (ExQueueWorkItem) on a pool of worker threads.
 *
 * One queue, one mutex. The pool starts with no thread and adds one
 * whenever an item is queued while no worker is idle, up to MAX_WORKERS:
 * a routine may block waiting for another routine, as on Windows' system
 * worker threads. Workers live until the process exits. A routine runs
 * with no runtime lock held, inside containment, and the item is not
 * touched after it starts (so the routine may free or re-queue it).
 *
 * The gate (owfp_workitems_hold): replay's --work-items at-turns holds
 * queued items until the replay waits for idle (a direction turn, the end
 * of a capture) so that what a driver sees does not depend on thread timing.
 * Waiting for idle opens it for the wait; HOLD_MAX items open it too, so a
 * one-way bulk flow cannot queue without bound.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wdm/contain.h"
#include "wdm/deferred.h"
#include "wdm/pool.h"

#define MAX_WORKERS 16
#define HOLD_MAX 1024        /* held items past which the gate lets the oldest run */
#define WI_MAGIC 0x4f775769u /* "iWwO" */
#define OWFP_TAG_WORKITEM OWFP_POOL_TAG('O', 'w', 'W', 'i')
#define IO_TYPE_DEVICE 3
#define IO_TYPE_DRIVER 4

struct _IO_WORKITEM {
	LIST_ENTRY link;
	uint32_t magic;
	bool allocated; /* by IoAllocateWorkItem (IoFreeWorkItem frees it) */
	bool queued;
	PVOID io_object;
	PDRIVER_OBJECT driver;
	PIO_WORKITEM_ROUTINE routine;
	PIO_WORKITEM_ROUTINE_EX routine_ex;
	PVOID context;
};

/* A queued executive work item (its own List is left alone). */
typedef struct ex_entry {
	LIST_ENTRY link;
	PWORK_QUEUE_ITEM item;
	PDRIVER_OBJECT driver;
} ex_entry;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static LIST_ENTRY io_queue = {&io_queue, &io_queue};
static LIST_ENTRY ex_queue = {&ex_queue, &ex_queue};
static int workers, idle;
static PDRIVER_OBJECT running[MAX_WORKERS]; /* driver of each worker's routine */
static bool busy[MAX_WORKERS];
static bool held;      /* the gate is closed: queued items wait */
static size_t nqueued; /* items on both queues */

PDRIVER_OBJECT owfp_io_object_driver(PVOID io_object)
{
	const DEVICE_OBJECT *dev = io_object;

	if (!dev)
		return NULL;
	if (dev->Type == IO_TYPE_DEVICE)
		return dev->DriverObject;
	if (dev->Type == IO_TYPE_DRIVER)
		return (PDRIVER_OBJECT)io_object;
	return NULL;
}

typedef struct job {
	PIO_WORKITEM item; /* for IoQueueWorkItem(Ex); NULL for ExQueueWorkItem */
	PVOID io_object;
	PIO_WORKITEM_ROUTINE routine;
	PIO_WORKITEM_ROUTINE_EX routine_ex;
	PWORKER_THREAD_ROUTINE ex_routine;
	PVOID context;
} job;

static void run_job(void *arg)
{
	job *j = arg;

	if (j->ex_routine)
		j->ex_routine(j->context);
	else if (j->routine_ex)
		j->routine_ex(j->io_object, j->context, j->item);
	else
		j->routine((PDEVICE_OBJECT)j->io_object, j->context);
}

static const owfp_contain_site work_site = {"work item routine", NULL};

/* Takes the next item (under mu); false when there is none. */
static bool take(job *j, PDRIVER_OBJECT *driver)
{
	if (held && nqueued < HOLD_MAX)
		return false;
	if (!IsListEmpty(&io_queue)) {
		nqueued--;
		PIO_WORKITEM w = CONTAINING_RECORD(RemoveHeadList(&io_queue), IO_WORKITEM, link);

		w->queued = false;
		*j = (job){w, w->io_object, w->routine, w->routine_ex, NULL, w->context};
		*driver = w->driver;
		return true;
	}
	if (!IsListEmpty(&ex_queue)) {
		ex_entry *x = CONTAINING_RECORD(RemoveHeadList(&ex_queue), ex_entry, link);
		nqueued--;
		PWORK_QUEUE_ITEM e = x->item;

		*j = (job){NULL, NULL, NULL, NULL, e->WorkerRoutine, e->Parameter};
		*driver = x->driver;
		owfp_pool_free(x, OWFP_TAG_WORKITEM, true);
		return true;
	}
	return false;
}

static void dispatch(void);

static void *worker_main(void *arg)
{
	int id = (int)(intptr_t)arg;

	pthread_setname_np(pthread_self(), "owfp-work");
	pthread_mutex_lock(&mu);
	for (;;) {
		PDRIVER_OBJECT driver = NULL;
		job j;

		while (!take(&j, &driver)) {
			idle++;
			pthread_cond_wait(&work_cv, &mu);
			idle--;
		}
		running[id] = driver;
		busy[id] = true;
		/* A routine may wait for one queued behind it: keep a thread for that. */
		if (nqueued > 0 && idle == 0)
			dispatch();
		pthread_mutex_unlock(&mu);
		(void)owfp_contain_call(driver,
					j.ex_routine   ? (const void *)j.ex_routine
					: j.routine_ex ? (const void *)j.routine_ex
						       : (const void *)j.routine,
					&work_site, run_job, &j);
		pthread_mutex_lock(&mu);
		running[id] = NULL;
		busy[id] = false;
		pthread_cond_broadcast(&done_cv);
	}
	return NULL;
}

/* Under mu: wakes an idle worker, or starts one if none is idle. */
static void dispatch(void)
{
	pthread_t tid;
	pthread_attr_t attr;

	if (idle > 0 || workers >= MAX_WORKERS) {
		pthread_cond_signal(&work_cv);
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&tid, &attr, worker_main, (void *)(intptr_t)workers) == 0)
		workers++;
	else if (workers == 0)
		fprintf(stderr, "openwfp: cannot start a worker thread for work items; "
				"they wait until one can be started\n");
	pthread_attr_destroy(&attr);
	pthread_cond_signal(&work_cv);
}

static bool valid(PIO_WORKITEM w)
{
	return w && w->magic == WI_MAGIC;
}

/* Driver bugs Windows' verifier stops the machine for: contained here. */
__attribute__((noreturn)) static void misuse(PIO_WORKITEM w, ULONG what)
{
	pthread_mutex_unlock(&mu);
	KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1000 + what, (ULONG_PTR)w, 0, 0);
}

ULONG IoSizeofWorkItem(void)
{
	return (ULONG)sizeof(IO_WORKITEM);
}

void IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
	memset(IoWorkItem, 0, sizeof(*IoWorkItem));
	IoWorkItem->magic = WI_MAGIC;
	IoWorkItem->io_object = IoObject;
	IoWorkItem->driver = owfp_io_object_driver(IoObject);
}

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
	PIO_WORKITEM w = owfp_pool_alloc(sizeof(*w), OWFP_TAG_WORKITEM, true);

	if (!w)
		return NULL;
	IoInitializeWorkItem(DeviceObject, w);
	w->allocated = true;
	return w;
}

/* Under mu: the checks IoUninitializeWorkItem and IoFreeWorkItem share. */
static void retire(PIO_WORKITEM w, bool must_be_allocated)
{
	if (!valid(w))
		misuse(w, 1); /* not a work item, or retired already */
	if (w->queued)
		misuse(w, 2); /* freed while still queued */
	if (w->allocated != must_be_allocated)
		misuse(w, 3); /* IoFreeWorkItem on driver storage, or the reverse */
	w->magic = 0;
}

void IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
	pthread_mutex_lock(&mu);
	retire(IoWorkItem, false);
	pthread_mutex_unlock(&mu);
}

void IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
	pthread_mutex_lock(&mu);
	retire(IoWorkItem, true);
	pthread_mutex_unlock(&mu);
	owfp_pool_free(IoWorkItem, OWFP_TAG_WORKITEM, true);
}

static BOOLEAN queue(PIO_WORKITEM w, PIO_WORKITEM_ROUTINE routine, PIO_WORKITEM_ROUTINE_EX ex,
		     PVOID context, bool try_only)
{
	pthread_mutex_lock(&mu);
	if (!valid(w) || (!routine && !ex))
		misuse(w, 4);
	if (w->queued) {
		if (try_only) {
			pthread_mutex_unlock(&mu);
			return FALSE;
		}
		misuse(w, 5); /* queued twice */
	}
	w->routine = routine;
	w->routine_ex = ex;
	w->context = context;
	w->queued = true;
	InsertTailList(&io_queue, &w->link);
	owfp_deferred_note_queued();
	nqueued++;
	dispatch();
	pthread_mutex_unlock(&mu);
	return TRUE;
}

void IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
		     WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	(void)QueueType;
	(void)queue(IoWorkItem, WorkerRoutine, NULL, Context, false);
}

void IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
		       WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	(void)QueueType;
	(void)queue(IoWorkItem, NULL, WorkerRoutine, Context, false);
}

BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
			   WORK_QUEUE_TYPE QueueType, PVOID Context)
{
	(void)QueueType;
	return queue(IoWorkItem, NULL, WorkerRoutine, Context, true);
}

void ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType)
{
	ex_entry *x = owfp_pool_alloc(sizeof(*x), OWFP_TAG_WORKITEM, false);

	(void)QueueType;
	if (!x) {
		/* No memory to queue it: run it now rather than lose it. */
		WorkItem->WorkerRoutine(WorkItem->Parameter);
		return;
	}
	x->item = WorkItem;
	x->driver = owfp_contain_current_driver();
	pthread_mutex_lock(&mu);
	InsertTailList(&ex_queue, &x->link);
	owfp_deferred_note_queued();
	nqueued++;
	dispatch();
	pthread_mutex_unlock(&mu);
}

static bool driver_busy(PDRIVER_OBJECT driver)
{
	for (PLIST_ENTRY e = io_queue.Flink; e != &io_queue; e = e->Flink)
		if (CONTAINING_RECORD(e, IO_WORKITEM, link)->driver == driver)
			return true;
	for (PLIST_ENTRY e = ex_queue.Flink; e != &ex_queue; e = e->Flink)
		if (CONTAINING_RECORD(e, ex_entry, link)->driver == driver)
			return true;
	for (int i = 0; i < workers; i++)
		if (busy[i] && running[i] == driver)
			return true;
	return false;
}

/* Under mu. */
static bool any_busy(void)
{
	if (!IsListEmpty(&io_queue) || !IsListEmpty(&ex_queue))
		return true;
	for (int i = 0; i < workers; i++)
		if (busy[i])
			return true;
	return false;
}

/* Under mu: opens or closes the gate; opening it wakes the workers. */
static void set_held(bool on)
{
	held = on;
	if (!on && nqueued > 0) {
		if (workers == 0)
			dispatch();
		pthread_cond_broadcast(&work_cv);
	}
}

void owfp_workitems_hold(bool on)
{
	pthread_mutex_lock(&mu);
	set_held(on);
	pthread_mutex_unlock(&mu);
}

bool owfp_workitems_wait_idle(const struct timespec *deadline)
{
	bool idle_now, was_held;

	pthread_mutex_lock(&mu);
	was_held = held;
	set_held(false); /* waiting for idle is when held items run */
	while ((idle_now = !any_busy()) == false)
		if (pthread_cond_timedwait(&done_cv, &mu, deadline) == ETIMEDOUT) {
			idle_now = !any_busy();
			break;
		}
	held = was_held;
	pthread_mutex_unlock(&mu);
	return idle_now;
}

void owfp_workitems_drain_driver(PDRIVER_OBJECT driver)
{
	pthread_mutex_lock(&mu);
	set_held(false); /* an unloading driver's items must run */
	while (driver_busy(driver))
		pthread_cond_wait(&done_cv, &mu);
	pthread_mutex_unlock(&mu);
}
