/*
 * TEMPORARY COPY (helper ctlplane) of the seam declared in SEAMS.md and
 * owned by helper kmdf; the coordinator drops this file at merge in favour
 * of kmdf's. Implementation: src/wdm/kmdf_seam_stub.c (also dropped).
 *
 * DeviceIoControl from user mode.
 */
#ifndef OWFP_WDM_IOCTL_H
#define OWFP_WDM_IOCTL_H

#include "openwfp/wdm.h"

/* `device`: "\\Device\\X", a symbolic link "\\??\\X" or "\\DosDevices\\X", or a bare "X" matched against
 * either. Reaches a KMDF queue's EvtIoDeviceControl or a WDM MajorFunction[IRP_MJ_DEVICE_CONTROL].
 * Returns the request's completion status; *information = bytes written to out (METHOD_BUFFERED semantics). */
NTSTATUS owfp_device_ioctl(const char *device, ULONG code, const void *in, ULONG in_len,
			   void *out, ULONG out_len, ULONG_PTR *information);

#endif /* OWFP_WDM_IOCTL_H */
