/*
 * The runtime side of work items, DPCs and timers (wdm_deferred.h): making
 * sure no deferred driver code outlives its driver.
 */
#ifndef OWFP_WDM_DEFERRED_H
#define OWFP_WDM_DEFERRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

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

/*
 * Waits until no work item is queued or running and no DPC is queued or
 * running, for any driver, or until `deadline` (CLOCK_REALTIME, as the
 * condition variables use) passes. True when idle was seen. Timers that are
 * set but not yet due and system threads do not count: they may wait for
 * good. A DPC may queue a work item and the reverse, so idle means both
 * were seen idle one after the other with nothing queued in between
 * (owfp_deferred_wait_idle loops until then).
 */
bool owfp_workitems_wait_idle(const struct timespec *deadline);
bool owfp_dpcs_wait_idle(const struct timespec *deadline);
bool owfp_deferred_wait_idle(uint64_t timeout_ms);
/*
 * Whether any DPC or work item was ever queued in this process: until one
 * is, waiting for idle has nothing to wait for (replay asks at every
 * direction turn). Queuing code calls owfp_deferred_note_queued.
 */
bool owfp_deferred_ever_queued(void);
void owfp_deferred_note_queued(void);

/*
 * Closes (true) or opens the work-item gate: while closed, queued work
 * items wait (up to an internal bound) until it opens or somebody waits
 * for idle, which opens it for that wait. Replay's --work-items at-turns.
 */
void owfp_workitems_hold(bool on);

/* The driver a work item's IoObject (a device or driver object) belongs to. */
PDRIVER_OBJECT owfp_io_object_driver(PVOID io_object);

#endif /* OWFP_WDM_DEFERRED_H */
