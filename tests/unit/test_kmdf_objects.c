/*
 * KMDF object lifetimes (src/wdf/): cleanup order at unload (EvtDriverUnload
 * first, children before parents), destroy at the last reference, typed
 * contexts, and the parallel and manual queue types. The driver is built
 * right here over a hand-made DRIVER_OBJECT; ASan checks the memory.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "openwfp/wdf.h"
#include "wdm/ioctl.h"
#include "wdm/pool.h"

#define IOCTL_PARK CTL_CODE(FILE_DEVICE_NETWORK, 0x810, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_MEET CTL_CODE(FILE_DEVICE_NETWORK, 0x811, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct _FOO_CONTEXT {
	ULONG Value;
	UCHAR Tail[1];
} FOO_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE(FOO_CONTEXT)

typedef struct _BAR_CONTEXT {
	ULONG64 Value;
} BAR_CONTEXT;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(BAR_CONTEXT, GetBar)

static DRIVER_OBJECT drv;
static char events[16][24];
static int nevents;

static void note(const char *what)
{
	assert_true(nevents < 16);
	strncpy(events[nevents++], what, sizeof(events[0]) - 1);
}

static int position(const char *what)
{
	for (int i = 0; i < nevents; i++)
		if (!strcmp(events[i], what))
			return i;
	fail_msg("event %s did not happen", what);
	return -1;
}

static EVT_WDF_DRIVER_UNLOAD on_unload;
static EVT_WDF_OBJECT_CONTEXT_CLEANUP driver_cleanup, device_cleanup, queue_cleanup, obj_cleanup;
static EVT_WDF_OBJECT_CONTEXT_DESTROY driver_destroy, obj_destroy;

static void on_unload(WDFDRIVER d)
{
	(void)d;
	note("unload");
}
static void driver_cleanup(WDFOBJECT o)
{
	(void)o;
	note("driver-cleanup");
}
static void driver_destroy(WDFOBJECT o)
{
	(void)o;
	note("driver-destroy");
}
static void device_cleanup(WDFOBJECT o)
{
	/* Its children are cleaned up already, and it is still whole. */
	assert_non_null(WdfDeviceWdmGetDeviceObject((WDFDEVICE)o));
	note("device-cleanup");
}
static void queue_cleanup(WDFOBJECT o)
{
	(void)o;
	note("queue-cleanup");
}
static void obj_cleanup(WDFOBJECT o)
{
	assert_int_equal(WdfObjectGet_FOO_CONTEXT(o)->Value, 42);
	note("obj-cleanup");
}
static void obj_destroy(WDFOBJECT o)
{
	/* The context is still there for the destroy callback. */
	assert_int_equal(WdfObjectGet_FOO_CONTEXT(o)->Value, 42);
	note("obj-destroy");
}

static WDFDRIVER make_driver(void)
{
	WDF_OBJECT_ATTRIBUTES a;
	WDF_DRIVER_CONFIG config;
	UNICODE_STRING path;
	WDFDRIVER d;

	memset(&drv, 0, sizeof(drv));
	nevents = 0;
	RtlInitUnicodeString(&drv.DriverName, L"\\Driver\\kmdf_objects");
	RtlInitUnicodeString(
		&path, L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\kmdf_objects");
	WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
	config.DriverInitFlags |= WdfDriverInitNonPnpDriver;
	config.EvtDriverUnload = on_unload;
	WDF_OBJECT_ATTRIBUTES_INIT(&a);
	a.EvtCleanupCallback = driver_cleanup;
	a.EvtDestroyCallback = driver_destroy;
	assert_int_equal(WdfDriverCreate(&drv, &path, &a, &config, &d), STATUS_SUCCESS);
	assert_ptr_equal(WdfDriverWdmGetDriverObject(d), &drv);
	assert_ptr_equal(WdfGetDriver(), d);
	assert_true(wcscmp(WdfDriverGetRegistryPath(d), path.Buffer) == 0);
	/* The framework took over the driver object. */
	assert_non_null(drv.DriverUnload);
	assert_non_null(drv.MajorFunction[IRP_MJ_DEVICE_CONTROL]);
	return d;
}

static WDFDEVICE make_device(WDFDRIVER d, const WCHAR *name)
{
	UNICODE_STRING sddl, dn;
	WDF_OBJECT_ATTRIBUTES a;
	PWDFDEVICE_INIT init;
	WDFDEVICE dev;

	RtlInitUnicodeString(&sddl, L"D:P(A;;GA;;;SY)");
	RtlInitUnicodeString(&dn, name);
	init = WdfControlDeviceInitAllocate(d, &sddl);
	assert_non_null(init);
	WdfDeviceInitSetDeviceType(init, FILE_DEVICE_NETWORK);
	assert_int_equal(WdfDeviceInitAssignName(init, &dn), STATUS_SUCCESS);
	WDF_OBJECT_ATTRIBUTES_INIT(&a);
	a.EvtCleanupCallback = device_cleanup;
	assert_int_equal(WdfDeviceCreate(&init, &a, &dev), STATUS_SUCCESS);
	assert_null(init);
	WdfControlFinishInitializing(dev);
	return dev;
}

static void test_unload_order_and_destroy_at_last_reference(void **state)
{
	WDF_IO_QUEUE_CONFIG qc;
	WDF_OBJECT_ATTRIBUTES a;
	WDFDRIVER d = make_driver();
	WDFDEVICE dev = make_device(d, L"\\Device\\KmdfObjects");
	WDFQUEUE q;
	WDFOBJECT o;

	(void)state;
	WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&qc, WdfIoQueueDispatchSequential);
	qc.EvtIoDefault = NULL;
	qc.EvtIoDeviceControl = NULL;
	/* A queue that is not manual needs a callback. */
	assert_int_equal(WdfIoQueueCreate(dev, &qc, WDF_NO_OBJECT_ATTRIBUTES, &q),
			 STATUS_INVALID_PARAMETER);
	WDF_IO_QUEUE_CONFIG_INIT(&qc, WdfIoQueueDispatchManual);
	WDF_OBJECT_ATTRIBUTES_INIT(&a);
	a.EvtCleanupCallback = queue_cleanup;
	assert_int_equal(WdfIoQueueCreate(dev, &qc, &a, &q), STATUS_SUCCESS);
	assert_ptr_equal(WdfIoQueueGetDevice(q), dev);

	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&a, FOO_CONTEXT);
	a.EvtCleanupCallback = obj_cleanup;
	a.EvtDestroyCallback = obj_destroy;
	a.ParentObject = dev;
	assert_int_equal(WdfObjectCreate(&a, &o), STATUS_SUCCESS);
	WdfObjectGet_FOO_CONTEXT(o)->Value = 42;
	/* Held by the driver past deletion: destroy waits for the last reference. */
	WdfObjectReference(o);

	drv.DriverUnload(&drv);
	assert_int_equal(position("unload"), 0);
	assert_true(position("obj-cleanup") < position("device-cleanup"));
	assert_true(position("queue-cleanup") < position("device-cleanup"));
	assert_true(position("device-cleanup") < position("driver-cleanup"));
	/* The object's memory (and so its parents') is still referenced. */
	assert_int_equal(nevents, 5);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	WdfObjectDereference(o);
	assert_true(position("obj-destroy") < position("driver-destroy"));
	assert_int_equal(nevents, 7);
	/* The device and its name are gone. */
	assert_int_equal(
		owfp_device_ioctl("\\Device\\KmdfObjects", IOCTL_PARK, NULL, 0, NULL, 0, NULL),
		STATUS_OBJECT_NAME_NOT_FOUND);
}

static void test_contexts(void **state)
{
	WDF_OBJECT_ATTRIBUTES a;
	WDFDRIVER d = make_driver();
	FOO_CONTEXT *foo;
	BAR_CONTEXT *bar, *again;
	WDFOBJECT o;

	(void)state;
	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&a, FOO_CONTEXT);
	a.ContextSizeOverride = sizeof(FOO_CONTEXT) + 100;
	assert_int_equal(WdfObjectCreate(&a, &o), STATUS_SUCCESS);
	foo = WdfObjectGet_FOO_CONTEXT(o);
	assert_non_null(foo);
	assert_ptr_equal(WdfObjectGetTypedContext(o, FOO_CONTEXT), foo);
	/* Zeroed, and as large as asked (ASan checks the tail). */
	assert_int_equal(foo->Value, 0);
	memset(foo->Tail, 0xab, 100);
	assert_ptr_equal(WdfObjectContextGetObject(foo), o);
	/* A type it does not carry. */
	assert_null(GetBar(o));
	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&a, BAR_CONTEXT);
	assert_int_equal(WdfObjectAllocateContext(o, &a, (PVOID *)&bar), STATUS_SUCCESS);
	assert_ptr_equal(GetBar(o), bar);
	bar->Value = 7;
	assert_int_equal(WdfObjectAllocateContext(o, &a, (PVOID *)&again), STATUS_OBJECT_NAME_EXISTS);
	assert_ptr_equal(again, bar);
	assert_ptr_equal(WdfObjectContextGetObject(bar), o);
	/* A driver's object is the driver's to delete; the driver object is not. */
	WdfObjectDelete(o);
	WdfObjectDelete(d);
	assert_ptr_equal(WdfDriverWdmGetDriverObject(d), &drv);
	drv.DriverUnload(&drv);
}

/* ---- queues: a default sequential queue forwarding to a manual one, and a parallel one */

static WDFQUEUE manual;
static KEVENT met;
static volatile LONG meeting;

static EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL seq_ioctl, par_ioctl;

static void seq_ioctl(WDFQUEUE q, WDFREQUEST r, size_t out, size_t in, ULONG code)
{
	(void)q;
	(void)out;
	(void)in;
	assert_int_equal(code, IOCTL_PARK);
	/* Parked for the test thread, which retrieves and completes it. */
	assert_int_equal(WdfRequestForwardToIoQueue(r, manual), STATUS_SUCCESS);
}

static void par_ioctl(WDFQUEUE q, WDFREQUEST r, size_t out, size_t in, ULONG code)
{
	LARGE_INTEGER timeout = {.QuadPart = -10LL * 1000 * 1000 * 10}; /* 10 s: a hang guard only */

	(void)q;
	(void)out;
	(void)in;
	assert_int_equal(code, IOCTL_MEET);
	/* The first waits for the second: a queue presenting one at a time never gets there. */
	if (InterlockedIncrement(&meeting) == 1)
		WdfRequestComplete(
			r, KeWaitForSingleObject(&met, Executive, KernelMode, FALSE, &timeout));
	else {
		KeSetEvent(&met, 0, FALSE);
		WdfRequestComplete(r, STATUS_SUCCESS);
	}
}

struct caller {
	const char *device;
	ULONG code;
	char out[8];
	ULONG_PTR info;
	NTSTATUS status;
};

static void *call(void *arg)
{
	struct caller *c = arg;

	c->status = owfp_device_ioctl(c->device, c->code, "in", 2, c->out, sizeof(c->out), &c->info);
	return NULL;
}

static void test_manual_queue_holds_until_retrieved(void **state)
{
	WDFDRIVER d = make_driver();
	WDFDEVICE dev = make_device(d, L"\\Device\\KmdfSeq");
	struct caller c = {.device = "\\Device\\KmdfSeq", .code = IOCTL_PARK};
	WDF_IO_QUEUE_CONFIG qc;
	WDFREQUEST r;
	WDFMEMORY m;
	pthread_t t;
	void *buf;
	size_t len;

	(void)state;
	WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&qc, WdfIoQueueDispatchSequential);
	qc.EvtIoDeviceControl = seq_ioctl;
	assert_int_equal(WdfIoQueueCreate(dev, &qc, WDF_NO_OBJECT_ATTRIBUTES, NULL), STATUS_SUCCESS);
	assert_int_equal(WdfIoQueueCreate(dev, &qc, WDF_NO_OBJECT_ATTRIBUTES, NULL),
			 STATUS_OBJECT_NAME_COLLISION);
	WDF_IO_QUEUE_CONFIG_INIT(&qc, WdfIoQueueDispatchManual);
	assert_int_equal(WdfIoQueueCreate(dev, &qc, WDF_NO_OBJECT_ATTRIBUTES, &manual),
			 STATUS_SUCCESS);
	assert_int_equal(WdfIoQueueRetrieveNextRequest(manual, &r), STATUS_NO_MORE_ENTRIES);

	assert_int_equal(pthread_create(&t, NULL, call, &c), 0);
	while (WdfIoQueueRetrieveNextRequest(manual, &r) != STATUS_SUCCESS)
		sched_yield();
	assert_int_equal(WdfRequestRetrieveInputBuffer(r, 3, &buf, &len), STATUS_BUFFER_TOO_SMALL);
	assert_int_equal(WdfRequestRetrieveInputBuffer(r, 2, &buf, &len), STATUS_SUCCESS);
	assert_int_equal(len, 2);
	assert_memory_equal(buf, "in", 2);
	assert_int_equal(WdfRequestRetrieveOutputMemory(r, &m), STATUS_SUCCESS);
	assert_int_equal(WdfMemoryCopyFromBuffer(m, 0, "parked", 6), STATUS_SUCCESS);
	assert_int_equal(WdfMemoryCopyFromBuffer(m, 4, "parked", 6), STATUS_INVALID_BUFFER_SIZE);
	WdfRequestCompleteWithInformation(r, STATUS_SUCCESS, 6);
	pthread_join(t, NULL);
	assert_int_equal(c.status, STATUS_SUCCESS);
	assert_int_equal(c.info, 6);
	assert_memory_equal(c.out, "parked", 6);
	drv.DriverUnload(&drv);
}

static void test_parallel_queue_presents_concurrently(void **state)
{
	WDFDRIVER d = make_driver();
	WDFDEVICE dev = make_device(d, L"\\Device\\KmdfPar");
	struct caller a = {.device = "KmdfPar", .code = IOCTL_MEET};
	struct caller b = a;
	WDF_IO_QUEUE_CONFIG qc;
	pthread_t ta, tb;

	(void)state;
	KeInitializeEvent(&met, NotificationEvent, FALSE);
	meeting = 0;
	WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&qc, WdfIoQueueDispatchParallel);
	qc.EvtIoDeviceControl = par_ioctl;
	assert_int_equal(WdfIoQueueCreate(dev, &qc, WDF_NO_OBJECT_ATTRIBUTES, NULL), STATUS_SUCCESS);
	assert_int_equal(pthread_create(&ta, NULL, call, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, call, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.status, STATUS_SUCCESS);
	assert_int_equal(b.status, STATUS_SUCCESS);
	drv.DriverUnload(&drv);
}

static void test_pnp_driver_is_refused(void **state)
{
	WDF_DRIVER_CONFIG config;
	WDFDRIVER d = (WDFDRIVER)&d;

	(void)state;
	memset(&drv, 0, sizeof(drv));
	WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
	assert_int_equal(WdfDriverCreate(&drv, NULL, WDF_NO_OBJECT_ATTRIBUTES, &config, &d),
			 STATUS_NOT_SUPPORTED);
	assert_null(d);
	assert_null(drv.DriverUnload);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unload_order_and_destroy_at_last_reference),
		cmocka_unit_test(test_contexts),
		cmocka_unit_test(test_manual_queue_holds_until_retrieved),
		cmocka_unit_test(test_parallel_queue_presents_concurrently),
		cmocka_unit_test(test_pnp_driver_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
