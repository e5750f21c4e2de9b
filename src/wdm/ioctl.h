/*
 * DeviceIoControl from user mode, for the configuration, the control
 * socket and tests: the I/O manager's part of CreateFile + DeviceIoControl
 * + CloseHandle on a driver's device.
 */
#ifndef OWFP_WDM_IOCTL_H
#define OWFP_WDM_IOCTL_H

#include <stdint.h>

#include "openwfp/wdm.h"

/*
 * `device`: "\\Device\\X", a symbolic link "\\??\\X" or "\\DosDevices\\X"
 * (also "\\GLOBAL??\\X" and the Win32 "\\\\.\\X"), or a bare "X" matched
 * first as the link \??\X, then as \Device\X; case-insensitive.
 *
 * Sends IRP_MJ_CREATE, then IRP_MJ_DEVICE_CONTROL with `code`, then
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE, to the driver's MajorFunction entries
 * (a KMDF driver's are the framework's, which hand the request to the
 * device's queue and its EvtIoDeviceControl). Buffers follow the code's
 * transfer method, as the Windows I/O manager lays them out:
 *   METHOD_BUFFERED  one system buffer of max(in_len, out_len) bytes,
 *                    holding the input; on completion without an error
 *                    status, IoStatus.Information bytes of it (at most
 *                    out_len) are copied to `out`.
 *   METHOD_IN_DIRECT / METHOD_OUT_DIRECT  input in the system buffer,
 *                    output described by Irp->MdlAddress (a copy of `out`,
 *                    copied back whole unless the status is an error).
 *   METHOD_NEITHER   Type3InputBuffer / UserBuffer (copies, as above).
 *
 * Returns the request's completion status, or STATUS_OBJECT_NAME_NOT_FOUND
 * (no such device or link), STATUS_OBJECT_NAME_INVALID, STATUS_DELETE_PENDING
 * (its driver is unloading), STATUS_NO_SUCH_DEVICE (the device is still
 * initializing: DO_DEVICE_INITIALIZING), STATUS_ACCESS_DENIED (exclusive device in use),
 * STATUS_INVALID_PARAMETER (a length without a buffer), the status the
 * driver's IRP_MJ_CREATE failed with, STATUS_INSUFFICIENT_RESOURCES, or
 * STATUS_CANCELLED / STATUS_IO_TIMEOUT when the driver did not complete the
 * request within the timeout (it was cancelled; the driver may still
 * complete it later, into buffers the I/O manager keeps until then).
 * *information (may be NULL) = bytes written to `out`; 0 on error statuses.
 */
NTSTATUS owfp_device_ioctl(const char *device, ULONG code, const void *in, ULONG in_len, void *out,
			   ULONG out_len, ULONG_PTR *information);

/* How long owfp_device_ioctl waits for a pending request; default 30 s. */
void owfp_ioctl_set_timeout_ms(uint32_t ms);

#endif /* OWFP_WDM_IOCTL_H */
