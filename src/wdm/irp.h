/*
 * IRPs as the I/O manager makes them: allocation, dispatch to the driver's
 * MajorFunction entry, completion (IoCompleteRequest), waiting, and
 * cancellation when the caller gives up.
 *
 * An IRP has two references: the caller's (owfp_irp_put) and the
 * driver's, dropped when it completes the IRP. Memory the IRP points at
 * (buffers, MDL, file object) is handed over with owfp_irp_keep and lives
 * until both are gone, so a driver that completes an IRP after its caller
 * gave up writes into memory that still exists.
 */
#ifndef OWFP_WDM_IRP_H
#define OWFP_WDM_IRP_H

#include <stdbool.h>
#include <stdint.h>

#include "openwfp/wdm.h"

/* A new IRP for `major` to dev, one stack location, IoStatus pending. NULL when out of memory. */
PIRP owfp_irp_new(PDEVICE_OBJECT dev, PFILE_OBJECT file, UCHAR major);

/* Frees block (malloc'ed) with the IRP; at most 4 blocks. */
void owfp_irp_keep(PIRP irp, void *block);
/* Frees mdl (IoFreeMdl) with the IRP. */
void owfp_irp_keep_mdl(PIRP irp, struct _MDL *mdl);

/*
 * Sends the IRP to its device's driver and waits for it to complete, at
 * most timeout_ns (0: no wait beyond the dispatch routine). Returns the
 * IRP's final status, or:
 *   STATUS_INVALID_DEVICE_REQUEST  the driver has no routine for the major function
 *   STATUS_DRIVER_INTERNAL_ERROR   the dispatch routine failed (contained)
 *   STATUS_IO_TIMEOUT              not completed in time, not even once cancelled
 * *completed tells whether IoStatus holds the driver's answer.
 */
NTSTATUS owfp_irp_call(PIRP irp, uint64_t timeout_ns, bool *completed);

/* Drops the caller's reference. */
void owfp_irp_put(PIRP irp);

/* IoCompleteRequest calls on an IRP already completed (a driver bug Windows bug-checks on). */
uint64_t owfp_irp_double_completions(void);

#endif /* OWFP_WDM_IRP_H */
