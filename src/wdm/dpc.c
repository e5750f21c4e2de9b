/*
 * DPCs: one queue served by one DPC thread, in insertion order. A DPC runs
 * with no runtime lock held and inside containment; it is off the queue
 * before it runs, so its routine may queue it again. The thread starts
 * with the first insertion and lives until the process exits.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wdm/contain.h"
#include "wdm/deferred.h"
#include "util/deadline.h"

#define DpcObject 19
#define ThreadedDpcObject 24
#define QUEUED ((PVOID)1) /* DpcData while on the queue */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static PKDPC head, tail;
static ULONGLONG inserted;    /* last sequence number given */
static ULONGLONG running_seq; /* the running DPC's, or 0 */
static PDRIVER_OBJECT running_driver;
static bool started;
static atomic_bool ever_queued; /* owfp_deferred_ever_queued */

bool owfp_deferred_ever_queued(void)
{
	return atomic_load(&ever_queued);
}

void owfp_deferred_note_queued(void)
{
	atomic_store(&ever_queued, true);
}

static PKDPC next_of(PKDPC d)
{
	return d->DpcListEntry.Next ? CONTAINING_RECORD(d->DpcListEntry.Next, KDPC, DpcListEntry)
				    : NULL;
}

typedef struct call {
	PKDPC dpc;
	PKDEFERRED_ROUTINE routine;
	PVOID context, arg1, arg2;
} call;

static void run_call(void *arg)
{
	call *c = arg;

	c->routine(c->dpc, c->context, c->arg1, c->arg2);
}

static const owfp_contain_site dpc_site = {"DPC routine", NULL};

static void *dpc_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "owfp-dpc");
	pthread_mutex_lock(&mu);
	for (;;) {
		PKDPC d;
		PDRIVER_OBJECT driver;
		call c;

		while (!head)
			pthread_cond_wait(&work_cv, &mu);
		d = head;
		head = next_of(d);
		if (!head)
			tail = NULL;
		d->DpcListEntry.Next = NULL;
		d->DpcData = NULL;
		c = (call){d, d->DeferredRoutine, d->DeferredContext, d->SystemArgument1,
			   d->SystemArgument2};
		driver = d->OwfpDriver;
		running_seq = d->OwfpSeq;
		running_driver = driver;
		pthread_mutex_unlock(&mu);
		(void)owfp_contain_call(driver, (const void *)c.routine, &dpc_site, run_call, &c);
		pthread_mutex_lock(&mu);
		running_seq = 0;
		running_driver = NULL;
		pthread_cond_broadcast(&done_cv);
	}
	return NULL;
}

/* Under mu. */
static void start(void)
{
	pthread_attr_t attr;
	pthread_t tid;

	if (started)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	started = pthread_create(&tid, &attr, dpc_main, NULL) == 0;
	pthread_attr_destroy(&attr);
	if (!started)
		fprintf(stderr, "openwfp: cannot start the DPC thread; queued DPCs wait\n");
}

static void init(PRKDPC Dpc, PKDEFERRED_ROUTINE routine, PVOID context, UCHAR type)
{
	memset(Dpc, 0, sizeof(*Dpc));
	Dpc->Type = type;
	Dpc->Importance = MediumImportance;
	Dpc->DeferredRoutine = routine;
	Dpc->DeferredContext = context;
	/* Set up by driver code (DriverEntry, a classifyFn...): charge it. */
	Dpc->OwfpDriver = owfp_contain_current_driver();
}

void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
	init(Dpc, DeferredRoutine, DeferredContext, DpcObject);
}

void KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
	init(Dpc, DeferredRoutine, DeferredContext, ThreadedDpcObject);
}

BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
	pthread_mutex_lock(&mu);
	if (Dpc->DpcData) {
		pthread_mutex_unlock(&mu);
		return FALSE;
	}
	owfp_deferred_note_queued();
	Dpc->SystemArgument1 = SystemArgument1;
	Dpc->SystemArgument2 = SystemArgument2;
	Dpc->DpcData = QUEUED;
	Dpc->OwfpSeq = ++inserted;
	Dpc->DpcListEntry.Next = NULL;
	if (tail)
		tail->DpcListEntry.Next = &Dpc->DpcListEntry;
	else
		head = Dpc;
	tail = Dpc;
	start();
	pthread_cond_signal(&work_cv);
	pthread_mutex_unlock(&mu);
	return TRUE;
}

/* Under mu: unlinks d, which is queued. */
static void unlink_dpc(PKDPC d)
{
	PKDPC prev = NULL;

	for (PKDPC x = head; x; prev = x, x = next_of(x)) {
		if (x != d)
			continue;
		if (prev)
			prev->DpcListEntry.Next = d->DpcListEntry.Next;
		else
			head = next_of(d);
		if (tail == d)
			tail = prev;
		break;
	}
	d->DpcListEntry.Next = NULL;
	d->DpcData = NULL;
}

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
	BOOLEAN was;

	pthread_mutex_lock(&mu);
	was = Dpc->DpcData != NULL;
	if (was)
		unlink_dpc(Dpc);
	pthread_mutex_unlock(&mu);
	return was;
}

bool owfp_dpcs_wait_idle(const struct timespec *deadline)
{
	bool idle_now;

	pthread_mutex_lock(&mu);
	while ((idle_now = !head && !running_seq) == false)
		if (pthread_cond_timedwait(&done_cv, &mu, deadline) == ETIMEDOUT) {
			idle_now = !head && !running_seq;
			break;
		}
	pthread_mutex_unlock(&mu);
	return idle_now;
}

/* Both kinds, until one pass sees both idle. */
bool owfp_deferred_wait_idle(uint64_t timeout_ms)
{
	if (!owfp_deferred_ever_queued()) /* nothing to wait for, no lock taken */
		return true;
	struct timespec deadline = owfp_deadline_after_ns(CLOCK_REALTIME, timeout_ms * 1000000u);

	for (;;) {
		if (!owfp_workitems_wait_idle(&deadline) || !owfp_dpcs_wait_idle(&deadline))
			return false;
		/* the DPCs just waited for may have queued work items */
		struct timespec now = {0, 0};
		if (owfp_workitems_wait_idle(&now))
			return true;
	}
}

void KeFlushQueuedDpcs(void)
{
	ULONGLONG target;

	pthread_mutex_lock(&mu);
	target = inserted;
	/* FIFO: done once the head and the running DPC are newer than target. */
	while ((head && head->OwfpSeq <= target) || (running_seq && running_seq <= target))
		pthread_cond_wait(&done_cv, &mu);
	pthread_mutex_unlock(&mu);
}

void KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
	Dpc->Importance = (UCHAR)Importance;
}

void KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
	Dpc->Number = (USHORT)(UCHAR)Number;
}

NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber)
{
	if (!ProcNumber || ProcNumber->Group != 0)
		return STATUS_INVALID_PARAMETER;
	Dpc->Number = ProcNumber->Number;
	return STATUS_SUCCESS;
}

size_t owfp_dpcs_cancel_driver(PDRIVER_OBJECT driver)
{
	size_t n = 0;

	pthread_mutex_lock(&mu);
	for (PKDPC x = head; x;) {
		PKDPC next = next_of(x);

		if (x->OwfpDriver == driver) {
			unlink_dpc(x);
			n++;
		}
		x = next;
	}
	while (running_seq && running_driver == driver)
		pthread_cond_wait(&done_cv, &mu);
	pthread_mutex_unlock(&mu);
	return n;
}
