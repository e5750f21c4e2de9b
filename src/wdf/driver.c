/*
 * WDFDRIVER: WdfDriverCreate, the framework's DriverUnload, and finding a
 * driver from its DRIVER_OBJECT or from an address in its code.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "wdf/wdf_int.h"
#include "wdm/plugin.h"
#include "util/alloc.h"

/* Every WDFDRIVER alive, for the lookups below. */
static pthread_mutex_t drivers_mu = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY drivers = {&drivers, &drivers};

struct wdf_driver *owfp_wdf_driver_of(PDRIVER_OBJECT wdm)
{
	struct wdf_driver *found = NULL;

	pthread_mutex_lock(&drivers_mu);
	for (PLIST_ENTRY e = drivers.Flink; e != &drivers; e = e->Flink) {
		struct wdf_driver *d = CONTAINING_RECORD(e, struct wdf_driver, link);

		if (d->wdm == wdm) {
			found = d;
			break;
		}
	}
	pthread_mutex_unlock(&drivers_mu);
	return found;
}

struct wdf_driver *owfp_wdf_driver_at(const void *addr)
{
	struct wdf_driver *found = NULL, *only = NULL;
	Dl_info info = {0};
	int n = 0;

	if (!dladdr(addr, &info))
		info.dli_fbase = NULL;
	pthread_mutex_lock(&drivers_mu);
	for (PLIST_ENTRY e = drivers.Flink; e != &drivers; e = e->Flink) {
		struct wdf_driver *d = CONTAINING_RECORD(e, struct wdf_driver, link);

		if (info.dli_fbase && d->wdm->DriverStart == info.dli_fbase)
			found = d;
		only = d;
		n++;
	}
	pthread_mutex_unlock(&drivers_mu);
	return found ? found : n == 1 ? only : NULL;
}

static void driver_teardown(struct wdf_obj *o)
{
	struct wdf_driver *d = (struct wdf_driver *)o;

	pthread_mutex_lock(&drivers_mu);
	RemoveEntryList(&d->link);
	InitializeListHead(&d->link);
	pthread_mutex_unlock(&drivers_mu);
}

static void driver_release(struct wdf_obj *o)
{
	free(((struct wdf_driver *)o)->registry_path);
}

static const struct wdf_ops driver_ops = {driver_teardown, driver_release};

/* Deletes the driver's object tree; what the loader calls after a failed DriverEntry too. */
static void framework_teardown(PDRIVER_OBJECT wdm)
{
	struct wdf_driver *d = owfp_wdf_driver_of(wdm);

	if (d)
		owfp_wdf_obj_delete(&d->obj);
}

static void run_unload(void *arg)
{
	struct wdf_driver *d = arg;

	d->config.EvtDriverUnload((WDFDRIVER)d);
}

/* The DriverUnload KMDF installs: EvtDriverUnload, then every object goes. */
static void framework_unload(PDRIVER_OBJECT wdm)
{
	struct wdf_driver *d = owfp_wdf_driver_of(wdm);

	if (!d)
		return;
	if (d->config.EvtDriverUnload)
		owfp_wdf_call(d, run_unload, d);
	owfp_wdf_obj_delete(&d->obj);
}

NTSTATUS WdfDriverCreate(PDRIVER_OBJECT DriverObject, PCUNICODE_STRING RegistryPath,
			 PWDF_OBJECT_ATTRIBUTES DriverAttributes, PWDF_DRIVER_CONFIG DriverConfig,
			 WDFDRIVER *Driver)
{
	struct wdf_driver *d;
	size_t n;
	NTSTATUS st;

	if (Driver)
		*Driver = NULL;
	if (!DriverObject || !DriverConfig || DriverConfig->Size < sizeof(WDF_DRIVER_CONFIG))
		return STATUS_INVALID_PARAMETER;
	if (DriverAttributes && DriverAttributes->ParentObject)
		return STATUS_INVALID_PARAMETER;
	if (owfp_wdf_driver_of(DriverObject))
		return STATUS_DRIVER_INTERNAL_ERROR;
	d = (struct wdf_driver *)owfp_wdf_obj_new(sizeof(*d), WDF_KIND_DRIVER, &driver_ops,
						  DriverAttributes, NULL, NULL, &st);
	if (!d)
		return st;
	d->obj.driver = d;
	d->obj.framework_owned = true;
	d->wdm = DriverObject;
	d->config = *DriverConfig;
	if (!(DriverConfig->DriverInitFlags & WdfDriverInitNonPnpDriver)) {
		owfp_wdf_report(
			d, "WdfDriverCreate",
			"a PnP driver (no WdfDriverInitNonPnpDriver): there is no PnP manager to call EvtDriverDeviceAdd; refused with STATUS_NOT_SUPPORTED");
		owfp_wdf_obj_unref(&d->obj);
		return STATUS_NOT_SUPPORTED;
	}
	n = RegistryPath && RegistryPath->Buffer ? RegistryPath->Length / sizeof(WCHAR) : 0;
	d->registry_path = owfp_calloc(n + 1, sizeof(WCHAR));
	if (!d->registry_path) {
		owfp_wdf_obj_unref(&d->obj);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (n)
		memcpy(d->registry_path, RegistryPath->Buffer, n * sizeof(WCHAR));

	if (!(DriverConfig->DriverInitFlags & WdfDriverInitNoDispatchOverride))
		for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
			DriverObject->MajorFunction[i] = owfp_wdf_dispatch;
	DriverObject->DriverUnload = framework_unload;
	owfp_plugin_set_teardown(DriverObject, framework_teardown);
	pthread_mutex_lock(&drivers_mu);
	InsertTailList(&drivers, &d->link);
	pthread_mutex_unlock(&drivers_mu);
	if (Driver)
		*Driver = (WDFDRIVER)d;
	return STATUS_SUCCESS;
}

PDRIVER_OBJECT WdfDriverWdmGetDriverObject(WDFDRIVER Driver)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Driver, WDF_KIND_DRIVER, "WdfDriverWdmGetDriverObject");

	return o ? ((struct wdf_driver *)o)->wdm : NULL;
}

WDFDRIVER WdfWdmDriverGetWdfDriverHandle(PDRIVER_OBJECT DriverObject)
{
	return (WDFDRIVER)owfp_wdf_driver_of(DriverObject);
}

PWSTR WdfDriverGetRegistryPath(WDFDRIVER Driver)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Driver, WDF_KIND_DRIVER, "WdfDriverGetRegistryPath");

	return o ? ((struct wdf_driver *)o)->registry_path : NULL;
}

WDFDRIVER WdfGetDriver(void)
{
	return (WDFDRIVER)owfp_wdf_driver_at(__builtin_return_address(0));
}
