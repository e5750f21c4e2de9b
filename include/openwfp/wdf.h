/*
 * The KMDF (Kernel-Mode Driver Framework) subset WFP callout drivers use,
 * with KMDF's names, signatures and semantics: a non-PnP driver object,
 * control devices, the Parameters registry key, I/O queues with their
 * requests and memory objects, locks, and object contexts. Each part has
 * its header, named as in the WDK; docs/porting.md ("Kernel surface: KMDF")
 * lists what is implemented, accepted as a no-op, or absent.
 */
#ifndef OPENWFP_WDF_H
#define OPENWFP_WDF_H

#include "wdftypes.h"
#include "wdfobject.h"
#include "wdfdriver.h"
#include "wdfdevice.h"
#include "wdfmemory.h"
#include "wdfrequest.h"
#include "wdfio.h"
#include "wdfregistry.h"
#include "wdfsync.h"
/* The WDK's wdf.h brings the SDDL_DEVOBJ_* strings with it: KMDF drivers pass
 * them to WdfControlDeviceInitAllocate without including wdmsec.h. */
#include "wdmsec.h"

#endif /* OPENWFP_WDF_H */
