/*
 * The KMDF driver object.
 *
 * A KMDF driver's DriverEntry is called by the openwfp plugin loader
 * directly (there is no KMDF stub library in between) and calls
 * WdfDriverCreate. Only non-PnP drivers are served (WdfDriverInitNonPnpDriver,
 * what WFP callout drivers are): there is no PnP manager to call
 * EvtDriverDeviceAdd, so WdfDriverCreate without that flag fails with
 * STATUS_NOT_SUPPORTED. WdfDriverCreate takes over the DRIVER_OBJECT's
 * DriverUnload and the MajorFunction entries (unless
 * WdfDriverInitNoDispatchOverride) as KMDF does.
 *
 * Unload: EvtDriverUnload runs first, then the driver object is deleted
 * with everything under it (devices, queues, keys, ...), each object's
 * EvtCleanupCallback children before parents, the driver's last.
 */
#ifndef OPENWFP_WDFDRIVER_H
#define OPENWFP_WDFDRIVER_H

#include "wdfobject.h"

OWFP_EXTERN_C_BEGIN

typedef struct WDFDEVICE_INIT *PWDFDEVICE_INIT;

typedef enum _WDF_DRIVER_INIT_FLAGS {
	WdfDriverInitNonPnpDriver = 0x00000001,
	WdfDriverInitNoDispatchOverride = 0x00000002,
	WdfVerifyOn = 0x00000004,
	WdfVerifierOn = 0x00000008,
} WDF_DRIVER_INIT_FLAGS;

typedef NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER Driver, PWDFDEVICE_INIT DeviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD *PFN_WDF_DRIVER_DEVICE_ADD;
typedef void EVT_WDF_DRIVER_UNLOAD(WDFDRIVER Driver);
typedef EVT_WDF_DRIVER_UNLOAD *PFN_WDF_DRIVER_UNLOAD;

typedef struct _WDF_DRIVER_CONFIG {
	ULONG Size;
	PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
	PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
	ULONG DriverInitFlags;
	ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

static inline void WDF_DRIVER_CONFIG_INIT(PWDF_DRIVER_CONFIG Config,
					  PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd)
{
	RtlZeroMemory(Config, sizeof(WDF_DRIVER_CONFIG));
	Config->Size = sizeof(WDF_DRIVER_CONFIG);
	Config->EvtDriverDeviceAdd = EvtDriverDeviceAdd;
}

/*
 * Creates the driver's one WDFDRIVER. STATUS_INVALID_PARAMETER for a
 * missing object or config, STATUS_DRIVER_INTERNAL_ERROR when the driver
 * object has one already, STATUS_NOT_SUPPORTED for a PnP driver.
 */
NTSTATUS WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
			 PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig,
			 WDFDRIVER *Driver);

PDRIVER_OBJECT WdfDriverWdmGetDriverObject(WDFDRIVER Driver);
WDFDRIVER WdfWdmDriverGetWdfDriverHandle(PDRIVER_OBJECT DriverObject);
/* The registry path DriverEntry was given, NUL-terminated. */
PWSTR WdfDriverGetRegistryPath(WDFDRIVER Driver);

/*
 * The calling driver's WDFDRIVER: found from the caller's code address
 * (which loaded driver image it lies in), or the only WDFDRIVER there is.
 */
WDFDRIVER WdfGetDriver(void);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFDRIVER_H */
