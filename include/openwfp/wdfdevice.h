/*
 * KMDF devices: control devices of a non-PnP driver.
 *
 * WdfControlDeviceInitAllocate hands out a WDFDEVICE_INIT; the
 * WdfDeviceInitSet* calls fill it; WdfDeviceCreate turns it into a
 * WDFDEVICE backed by a real DEVICE_OBJECT (IoCreateDevice, so
 * WdfDeviceWdmGetDeviceObject is what FwpsCalloutRegister takes) and
 * consumes the init (*DeviceInit becomes NULL). On failure the init stays
 * the caller's, to free with WdfDeviceInitFree. The device cannot be
 * opened until WdfControlFinishInitializing (or until DriverEntry returns,
 * as Windows clears DO_DEVICE_INITIALIZING then).
 *
 * The security descriptor (SDDL) is checked for presence only: there are
 * no users or access checks here.
 */
#ifndef OPENWFP_WDFDEVICE_H
#define OPENWFP_WDFDEVICE_H

#include "wdfdriver.h"

OWFP_EXTERN_C_BEGIN

typedef enum _WDF_DEVICE_IO_TYPE {
	WdfDeviceIoUndefined = 0,
	WdfDeviceIoNeither,
	WdfDeviceIoBuffered,
	WdfDeviceIoDirect,
	WdfDeviceIoBufferedOrDirect = 4,
	WdfDeviceIoMaximum,
} WDF_DEVICE_IO_TYPE,
	*PWDF_DEVICE_IO_TYPE;

/* NULL when Driver is not a WDFDRIVER, SDDLString is missing, or out of memory. */
PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER Driver, PCUNICODE_STRING SDDLString);
void WdfDeviceInitFree(PWDFDEVICE_INIT DeviceInit);

void WdfDeviceInitSetDeviceType(PWDFDEVICE_INIT DeviceInit, DEVICE_TYPE DeviceType);
void WdfDeviceInitSetCharacteristics(PWDFDEVICE_INIT DeviceInit, ULONG DeviceCharacteristics,
				     BOOLEAN OrInValues);
void WdfDeviceInitSetDeviceClass(PWDFDEVICE_INIT DeviceInit, const GUID *DeviceClassGuid);
/* Buffered or direct transfers for read and write requests (IOCTLs follow their code). */
void WdfDeviceInitSetIoType(PWDFDEVICE_INIT DeviceInit, WDF_DEVICE_IO_TYPE IoType);
void WdfDeviceInitSetExclusive(PWDFDEVICE_INIT DeviceInit, BOOLEAN IsExclusive);
/* The device name, copied (\Device\X); NULL clears it. */
NTSTATUS WdfDeviceInitAssignName(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING DeviceName);
NTSTATUS WdfDeviceInitAssignSDDLString(PWDFDEVICE_INIT DeviceInit, PCUNICODE_STRING SDDLString);

/*
 * STATUS_OBJECT_NAME_COLLISION when the name is taken; the status of
 * IoCreateDevice otherwise.
 */
NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT *DeviceInit, PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
			 WDFDEVICE *Device);
/*
 * A symbolic link (\DosDevices\X or \??\X) to the device's name, removed
 * when the device is deleted. STATUS_INVALID_DEVICE_REQUEST for a device
 * without a name or with a link already.
 */
NTSTATUS WdfDeviceCreateSymbolicLink(WDFDEVICE Device, PCUNICODE_STRING SymbolicLinkName);
void WdfControlFinishInitializing(WDFDEVICE Device);

PDEVICE_OBJECT WdfDeviceWdmGetDeviceObject(WDFDEVICE Device);
WDFDEVICE WdfWdmDeviceGetWdfDeviceHandle(PDEVICE_OBJECT DeviceObject);
WDFDRIVER WdfDeviceGetDriver(WDFDEVICE Device);
WDFQUEUE WdfDeviceGetDefaultQueue(WDFDEVICE Device);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFDEVICE_H */
