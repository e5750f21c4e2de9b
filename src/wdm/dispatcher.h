/*
 * Waitable objects. Every object KeWaitForSingleObject accepts begins with
 * a KEVENT: an event is one; a thread object embeds a notification event
 * that is set when the thread ends; a KTIMER starts with the same members.
 */
#ifndef OWFP_WDM_DISPATCHER_H
#define OWFP_WDM_DISPATCHER_H

#include "openwfp/wdm.h"

#define OWFP_THREAD_OBJECT_TYPE 6 /* DISPATCHER_HEADER.Type of a thread */

/* Waits for ev as KeWaitForSingleObject describes. */
NTSTATUS owfp_dispatcher_wait(PRKEVENT ev, PLARGE_INTEGER Timeout);

#endif /* OWFP_WDM_DISPATCHER_H */
