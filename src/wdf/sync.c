/* WDFSPINLOCK and WDFWAITLOCK: mutexes, the second with timed waits. */
#include <errno.h>
#include <time.h>

#include "util/deadline.h"
#include "wdf/wdf_int.h"

static void lock_release(struct wdf_obj *o)
{
	pthread_mutex_destroy(&((struct wdf_lock *)o)->mu);
}

static const struct wdf_ops lock_ops = {NULL, lock_release};

static NTSTATUS create(enum wdf_kind kind, PWDF_OBJECT_ATTRIBUTES Attributes,
		       struct wdf_driver *drv, WDFOBJECT *out)
{
	struct wdf_lock *l;
	NTSTATUS st;

	if (!out)
		return STATUS_INVALID_PARAMETER;
	*out = NULL;
	l = (struct wdf_lock *)owfp_wdf_obj_new(sizeof(*l), kind, &lock_ops, Attributes,
						drv ? &drv->obj : NULL, drv, &st);
	if (!l)
		return st;
	pthread_mutex_init(&l->mu, NULL);
	*out = l;
	return STATUS_SUCCESS;
}

static struct wdf_lock *get(WDFOBJECT handle, enum wdf_kind kind, const char *caller)
{
	return (struct wdf_lock *)owfp_wdf_obj_get(handle, kind, caller);
}

NTSTATUS WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock)
{
	return create(WDF_KIND_SPINLOCK, SpinLockAttributes,
		      owfp_wdf_driver_at(__builtin_return_address(0)), (WDFOBJECT *)SpinLock);
}

void WdfSpinLockAcquire(WDFSPINLOCK SpinLock)
{
	struct wdf_lock *l = get(SpinLock, WDF_KIND_SPINLOCK, "WdfSpinLockAcquire");

	if (l)
		pthread_mutex_lock(&l->mu);
}

void WdfSpinLockRelease(WDFSPINLOCK SpinLock)
{
	struct wdf_lock *l = get(SpinLock, WDF_KIND_SPINLOCK, "WdfSpinLockRelease");

	if (l)
		pthread_mutex_unlock(&l->mu);
}

NTSTATUS WdfWaitLockCreate(PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock)
{
	return create(WDF_KIND_WAITLOCK, LockAttributes,
		      owfp_wdf_driver_at(__builtin_return_address(0)), (WDFOBJECT *)Lock);
}

NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, PLONGLONG Timeout)
{
	struct wdf_lock *l = get(Lock, WDF_KIND_WAITLOCK, "WdfWaitLockAcquire");
	LARGE_INTEGER now;
	struct timespec until;
	LONGLONG rel;

	if (!l)
		return STATUS_INVALID_PARAMETER;
	if (!Timeout) {
		pthread_mutex_lock(&l->mu);
		return STATUS_SUCCESS;
	}
	if (*Timeout == 0)
		return pthread_mutex_trylock(&l->mu) == 0 ? STATUS_SUCCESS : STATUS_TIMEOUT;
	rel = *Timeout;
	if (rel > 0) {
		/* Absolute system time: how far ahead of now. */
		KeQuerySystemTime(&now);
		rel = now.QuadPart - rel;
		if (rel >= 0)
			return pthread_mutex_trylock(&l->mu) == 0 ? STATUS_SUCCESS : STATUS_TIMEOUT;
	}
	until = owfp_deadline_after_ns(CLOCK_MONOTONIC, (uint64_t)(-rel) * 100u);
	return pthread_mutex_clocklock(&l->mu, CLOCK_MONOTONIC, &until) == 0 ? STATUS_SUCCESS
									     : STATUS_TIMEOUT;
}

void WdfWaitLockRelease(WDFWAITLOCK Lock)
{
	struct wdf_lock *l = get(Lock, WDF_KIND_WAITLOCK, "WdfWaitLockRelease");

	if (l)
		pthread_mutex_unlock(&l->mu);
}
