/*
 * Spin locks as pthread mutexes. The IRQL the callers save and restore is
 * always PASSIVE_LEVEL here. A zero-filled KSPIN_LOCK is a valid unlocked
 * lock on glibc, so drivers that forget KeInitializeSpinLock still work.
 */
#include "openwfp/wdm.h"

void KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
	pthread_mutex_init(&SpinLock->OwfpMutex, NULL);
}

void KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql)
{
	pthread_mutex_lock(&SpinLock->OwfpMutex);
	if (OldIrql)
		*OldIrql = PASSIVE_LEVEL;
}

void KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
	(void)NewIrql;
	pthread_mutex_unlock(&SpinLock->OwfpMutex);
}

void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
	pthread_mutex_lock(&SpinLock->OwfpMutex);
}

void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
	pthread_mutex_unlock(&SpinLock->OwfpMutex);
}

void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
	pthread_mutex_lock(&SpinLock->OwfpMutex);
	LockHandle->OwfpLock = SpinLock;
	LockHandle->OldIrql = PASSIVE_LEVEL;
}

void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
	pthread_mutex_unlock(&LockHandle->OwfpLock->OwfpMutex);
}

void KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
	KeAcquireInStackQueuedSpinLock(SpinLock, LockHandle);
}

void KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
{
	KeReleaseInStackQueuedSpinLock(LockHandle);
}
