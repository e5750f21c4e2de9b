/* Kernel events and waits over a mutex and a monotonic condition variable. */
#include <errno.h>
#include <time.h>

#include "util/deadline.h"
#include "wdm/dispatcher.h"

void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
	pthread_condattr_t attr;

	Event->Header.Type = (UCHAR)Type;
	Event->Header.SignalState = State ? 1 : 0;
	pthread_mutex_init(&Event->OwfpMutex, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&Event->OwfpCond, &attr);
	pthread_condattr_destroy(&attr);
}

LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
	LONG prev;

	(void)Increment;
	(void)Wait;
	pthread_mutex_lock(&Event->OwfpMutex);
	prev = Event->Header.SignalState;
	Event->Header.SignalState = 1;
	/* A synchronization event releases one waiter, a notification event all. */
	if (Event->Header.Type == SynchronizationEvent)
		pthread_cond_signal(&Event->OwfpCond);
	else
		pthread_cond_broadcast(&Event->OwfpCond);
	pthread_mutex_unlock(&Event->OwfpMutex);
	return prev;
}

LONG KeResetEvent(PRKEVENT Event)
{
	LONG prev;

	pthread_mutex_lock(&Event->OwfpMutex);
	prev = Event->Header.SignalState;
	Event->Header.SignalState = 0;
	pthread_mutex_unlock(&Event->OwfpMutex);
	return prev;
}

void KeClearEvent(PRKEVENT Event)
{
	(void)KeResetEvent(Event);
}

LONG KeReadStateEvent(PRKEVENT Event)
{
	LONG state;

	pthread_mutex_lock(&Event->OwfpMutex);
	state = Event->Header.SignalState;
	pthread_mutex_unlock(&Event->OwfpMutex);
	return state;
}

/*
 * The monotonic deadline for a Windows timeout: negative = relative,
 * positive = absolute system time (converted through the current offset).
 */
static struct timespec deadline_for(const LARGE_INTEGER *timeout)
{
	LONGLONG rel = timeout->QuadPart;

	if (rel > 0) {
		LARGE_INTEGER sys;

		KeQuerySystemTime(&sys);
		rel = sys.QuadPart - rel; /* negative while the deadline is ahead */
		if (rel > 0)
			rel = 0;
	}
	rel = -rel; /* 100 ns units from now */
	return owfp_deadline_after_ns(CLOCK_MONOTONIC, (uint64_t)rel * 100);
}

NTSTATUS owfp_dispatcher_wait(PRKEVENT ev, PLARGE_INTEGER Timeout)
{
	struct timespec deadline;
	NTSTATUS status = STATUS_SUCCESS;

	if (Timeout)
		deadline = deadline_for(Timeout);
	pthread_mutex_lock(&ev->OwfpMutex);
	while (!ev->Header.SignalState) {
		int rc;

		if (!Timeout) {
			pthread_cond_wait(&ev->OwfpCond, &ev->OwfpMutex);
			continue;
		}
		rc = pthread_cond_timedwait(&ev->OwfpCond, &ev->OwfpMutex, &deadline);
		if (rc == ETIMEDOUT && !ev->Header.SignalState) {
			status = STATUS_TIMEOUT;
			break;
		}
	}
	/* A satisfied wait resets synchronization events and timers. */
	if (status == STATUS_SUCCESS && (ev->Header.Type == SynchronizationEvent ||
					 ev->Header.Type == TimerSynchronizationObject))
		ev->Header.SignalState = 0;
	pthread_mutex_unlock(&ev->OwfpMutex);
	return status;
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
			       BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
	(void)WaitReason;
	(void)WaitMode;
	(void)Alertable;
	/* Events and thread objects both start with a KEVENT (dispatcher.h). */
	return owfp_dispatcher_wait((PRKEVENT)Object, Timeout);
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
	struct timespec deadline;

	(void)WaitMode;
	(void)Alertable;
	if (!Interval)
		return STATUS_INVALID_PARAMETER;
	deadline = deadline_for(Interval);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
		;
	return STATUS_SUCCESS;
}
