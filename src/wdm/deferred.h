/*
 * The runtime side of work items, DPCs and timers (wdm_deferred.h): making
 * sure no deferred driver code outlives its driver.
 */
#ifndef OWFP_WDM_DEFERRED_H
#define OWFP_WDM_DEFERRED_H

#include <stddef.h>

#include "openwfp/wdm.h"

/*
 * Before a driver's code is unmapped: cancels the timers it left set and
 * the DPCs it left queued, and waits for its queued and running work items
 * and its running DPC to finish. Returns how many timers and DPCs were
 * cancelled (a driver that cleans up after itself leaves none).
 */
size_t owfp_timers_cancel_driver(PDRIVER_OBJECT driver);
size_t owfp_dpcs_cancel_driver(PDRIVER_OBJECT driver);
void owfp_workitems_drain_driver(PDRIVER_OBJECT driver);
size_t owfp_deferred_quiesce(PDRIVER_OBJECT driver);

/* The driver a work item's IoObject (a device or driver object) belongs to. */
PDRIVER_OBJECT owfp_io_object_driver(PVOID io_object);

#endif /* OWFP_WDM_DEFERRED_H */
