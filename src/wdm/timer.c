/*
 * Kernel timers: one list of set timers ordered by due time, kept by one
 * timer thread. At expiry the thread signals the timer (waking waiters)
 * and queues its DPC; it never runs driver code itself. Lock order:
 * `mu` (this file) before a timer's own mutex, and before the DPC queue's.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "wdm/contain.h"
#include "wdm/deferred.h"
#include "wdm/dispatcher.h"

_Static_assert(offsetof(KTIMER, OwfpMutex) == offsetof(KEVENT, OwfpMutex) &&
		       offsetof(KTIMER, OwfpCond) == offsetof(KEVENT, OwfpCond),
	       "a KTIMER must be waitable as a KEVENT");

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static LIST_ENTRY timers = {&timers, &timers};
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool started;

static void wake_waiters(PKTIMER t)
{
	pthread_mutex_lock(&t->OwfpMutex);
	t->Header.SignalState = 1;
	if (t->Header.Type == TimerSynchronizationObject)
		pthread_cond_signal(&t->OwfpCond);
	else
		pthread_cond_broadcast(&t->OwfpCond);
	pthread_mutex_unlock(&t->OwfpMutex);
}

/* Under mu: inserts t in due-time order. */
static void insert(PKTIMER t)
{
	PLIST_ENTRY e = timers.Flink;

	while (e != &timers && CONTAINING_RECORD(e, KTIMER, TimerListEntry)->DueTime.QuadPart <=
				       t->DueTime.QuadPart)
		e = e->Flink;
	InsertTailList(e, &t->TimerListEntry); /* before e */
	t->OwfpInserted = TRUE;
}

static void remove_timer(PKTIMER t)
{
	RemoveEntryList(&t->TimerListEntry);
	t->OwfpInserted = FALSE;
}

static struct timespec to_timespec(ULONGLONG t100ns)
{
	struct timespec ts = {(time_t)(t100ns / 10000000u), (long)(t100ns % 10000000u) * 100};

	return ts;
}

static void *timer_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "owfp-timer");
	pthread_mutex_lock(&mu);
	for (;;) {
		PKTIMER t;
		ULONGLONG now;

		if (IsListEmpty(&timers)) {
			pthread_cond_wait(&cv, &mu);
			continue;
		}
		t = CONTAINING_RECORD(timers.Flink, KTIMER, TimerListEntry);
		now = KeQueryInterruptTime();
		if (t->DueTime.QuadPart > now) {
			struct timespec ts = to_timespec(t->DueTime.QuadPart);

			pthread_cond_timedwait(&cv, &mu, &ts);
			continue;
		}
		remove_timer(t);
		LARGE_INTEGER due = {.QuadPart = (LONGLONG)t->DueTime.QuadPart};
		if (t->Period > 0) {
			t->DueTime.QuadPart += (ULONGLONG)t->Period * 10000u;
			insert(t);
		}
		/* DPC first: a waiter woken by the expiry finds it queued. */
		if (t->Dpc)
			KeInsertQueueDpc(t->Dpc, (PVOID)(ULONG_PTR)due.LowPart,
					 (PVOID)(ULONG_PTR)(ULONG)due.HighPart);
		wake_waiters(t);
	}
	return NULL;
}

static void start(void)
{
	pthread_condattr_t ca;
	pthread_attr_t attr;
	pthread_t tid;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	started = pthread_create(&tid, &attr, timer_main, NULL) == 0;
	pthread_attr_destroy(&attr);
	if (!started)
		fprintf(stderr, "openwfp: cannot start the timer thread; timers will not expire\n");
}

void KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
	memset(Timer, 0, sizeof(*Timer));
	KeInitializeEvent((PRKEVENT)Timer, NotificationEvent, FALSE);
	Timer->Header.Type = Type == SynchronizationTimer ? TimerSynchronizationObject
							  : TimerNotificationObject;
	InitializeListHead(&Timer->TimerListEntry);
	Timer->OwfpDriver = owfp_contain_current_driver();
}

void KeInitializeTimer(PKTIMER Timer)
{
	KeInitializeTimerEx(Timer, NotificationTimer);
}

/* The monotonic (interrupt-time) deadline of a Windows due time. */
static ULONGLONG deadline(LARGE_INTEGER due)
{
	ULONGLONG now = KeQueryInterruptTime();
	LARGE_INTEGER sys;

	if (due.QuadPart <= 0)
		return now + (ULONGLONG)(-due.QuadPart);
	KeQuerySystemTime(&sys);
	return due.QuadPart > sys.QuadPart ? now + (ULONGLONG)(due.QuadPart - sys.QuadPart) : now;
}

BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
	BOOLEAN was;

	pthread_once(&once, start);
	pthread_mutex_lock(&mu);
	was = Timer->OwfpInserted;
	if (was)
		remove_timer(Timer);
	pthread_mutex_lock(&Timer->OwfpMutex);
	Timer->Header.SignalState = 0;
	pthread_mutex_unlock(&Timer->OwfpMutex);
	Timer->DueTime.QuadPart = deadline(DueTime);
	Timer->Period = Period > 0 ? Period : 0;
	Timer->Dpc = Dpc;
	if (!Timer->OwfpDriver)
		Timer->OwfpDriver = owfp_contain_current_driver();
	insert(Timer);
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return was;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
	return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
	BOOLEAN was;

	pthread_mutex_lock(&mu);
	was = Timer->OwfpInserted;
	if (was)
		remove_timer(Timer);
	pthread_mutex_unlock(&mu);
	return was;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
	BOOLEAN state;

	pthread_mutex_lock(&Timer->OwfpMutex);
	state = Timer->Header.SignalState != 0;
	pthread_mutex_unlock(&Timer->OwfpMutex);
	return state;
}

size_t owfp_timers_cancel_driver(PDRIVER_OBJECT driver)
{
	size_t n = 0;

	pthread_mutex_lock(&mu);
	for (PLIST_ENTRY e = timers.Flink; e != &timers;) {
		PKTIMER t = CONTAINING_RECORD(e, KTIMER, TimerListEntry);

		e = e->Flink;
		if (t->OwfpDriver == driver) {
			remove_timer(t);
			n++;
		}
	}
	pthread_mutex_unlock(&mu);
	return n;
}

size_t owfp_deferred_quiesce(PDRIVER_OBJECT driver)
{
	/* Timers first: an expiring one could queue a DPC after the DPC pass. */
	size_t n = owfp_timers_cancel_driver(driver);

	n += owfp_dpcs_cancel_driver(driver);
	owfp_workitems_drain_driver(driver);
	return n;
}
