/*
 * KMDF locks. A spin lock is a mutex (everything runs at PASSIVE_LEVEL);
 * a wait lock is a mutex that can be waited for with a timeout. Neither is
 * recursive, as in KMDF.
 */
#ifndef OPENWFP_WDFSYNC_H
#define OPENWFP_WDFSYNC_H

#include "wdfobject.h"

OWFP_EXTERN_C_BEGIN

NTSTATUS WdfSpinLockCreate(PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, WDFSPINLOCK *SpinLock);
void WdfSpinLockAcquire(WDFSPINLOCK SpinLock);
void WdfSpinLockRelease(WDFSPINLOCK SpinLock);

NTSTATUS WdfWaitLockCreate(PWDF_OBJECT_ATTRIBUTES LockAttributes, WDFWAITLOCK *Lock);
/*
 * Timeout NULL waits forever; otherwise in 100 ns units, negative relative,
 * 0 only tries. STATUS_SUCCESS or STATUS_TIMEOUT.
 */
NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK Lock, PLONGLONG Timeout);
void WdfWaitLockRelease(WDFWAITLOCK Lock);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFSYNC_H */
