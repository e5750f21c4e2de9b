/*
 * DeviceIoControl to a WDM driver (src/wdm/ioctl.c, irp.c, objdir.c): the
 * device namespace, the IRPs a driver's MajorFunction entries see, each
 * transfer method's buffers and copy-back, pending and cancelled requests.
 * The driver is built right here, as a WDM driver builds itself.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "openwfp/ndis.h"
#include "wdm/ioctl.h"
#include "wdm/irp.h"
#include "wdm/pool.h"

#define IOCTL_ECHO CTL_CODE(FILE_DEVICE_NETWORK, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_OVERSTATE CTL_CODE(FILE_DEVICE_NETWORK, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_FAIL CTL_CODE(FILE_DEVICE_NETWORK, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_LATER CTL_CODE(FILE_DEVICE_NETWORK, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_HOLD_CANCELABLE CTL_CODE(FILE_DEVICE_NETWORK, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_HOLD CTL_CODE(FILE_DEVICE_NETWORK, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_DIRECT CTL_CODE(FILE_DEVICE_NETWORK, 0x806, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_NEITHER CTL_CODE(FILE_DEVICE_NETWORK, 0x807, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_REENTER CTL_CODE(FILE_DEVICE_NETWORK, 0x808, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_DELETE_SELF CTL_CODE(FILE_DEVICE_NETWORK, 0x809, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_TWICE CTL_CODE(FILE_DEVICE_NETWORK, 0x80a, METHOD_BUFFERED, FILE_ANY_ACCESS)

static DRIVER_OBJECT drv;
static PDEVICE_OBJECT dev;
static PIRP held;
static int creates, cleanups, closes;
static NTSTATUS reentered;
static PFILE_OBJECT last_file;

static DRIVER_DISPATCH on_create, on_close, on_cleanup, on_ioctl;

static NTSTATUS complete(PIRP irp, NTSTATUS st, ULONG_PTR info)
{
	irp->IoStatus.Status = st;
	irp->IoStatus.Information = info;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return st;
}

static NTSTATUS on_create(PDEVICE_OBJECT d, PIRP irp)
{
	(void)d;
	creates++;
	IoGetCurrentIrpStackLocation(irp)->FileObject->FsContext = &creates;
	return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS on_cleanup(PDEVICE_OBJECT d, PIRP irp)
{
	(void)d;
	cleanups++;
	return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS on_close(PDEVICE_OBJECT d, PIRP irp)
{
	(void)d;
	closes++;
	return complete(irp, STATUS_SUCCESS, 0);
}

static void *complete_later(void *arg)
{
	PIRP irp = arg;

	memcpy(irp->AssociatedIrp.SystemBuffer, "late", 4);
	complete(irp, STATUS_SUCCESS, 4);
	return NULL;
}

static void on_cancel(PDEVICE_OBJECT d, PIRP irp)
{
	(void)d;
	assert_true(irp->Cancel);
	IoReleaseCancelSpinLock(irp->CancelIrql);
	held = NULL;
	complete(irp, STATUS_CANCELLED, 0);
}

static NTSTATUS on_ioctl(PDEVICE_OBJECT d, PIRP irp)
{
	PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(irp);
	ULONG in_len = sl->Parameters.DeviceIoControl.InputBufferLength;
	ULONG out_len = sl->Parameters.DeviceIoControl.OutputBufferLength;
	UCHAR *buf = irp->AssociatedIrp.SystemBuffer;
	pthread_t t;

	assert_ptr_equal(sl->DeviceObject, d);
	assert_int_equal(sl->MajorFunction, IRP_MJ_DEVICE_CONTROL);
	/* The file object of this open, with what IRP_MJ_CREATE put in it. */
	assert_ptr_equal(sl->FileObject->FsContext, &creates);
	last_file = sl->FileObject;
	switch (sl->Parameters.DeviceIoControl.IoControlCode) {
	case IOCTL_ECHO:
		/* Reverses the input in place: in and out share one system buffer. */
		if (out_len < in_len)
			return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
		for (ULONG i = 0; i < in_len / 2; i++) {
			UCHAR c = buf[i];

			buf[i] = buf[in_len - 1 - i];
			buf[in_len - 1 - i] = c;
		}
		return complete(irp, STATUS_SUCCESS, in_len);
	case IOCTL_OVERSTATE:
		memset(buf, 'x', out_len);
		return complete(irp, STATUS_SUCCESS, (ULONG_PTR)out_len + 100);
	case IOCTL_FAIL:
		memset(buf, 'x', out_len);
		return complete(irp, STATUS_INVALID_PARAMETER, out_len);
	case IOCTL_LATER:
		IoMarkIrpPending(irp);
		assert_int_equal(pthread_create(&t, NULL, complete_later, irp), 0);
		pthread_detach(t);
		return STATUS_PENDING;
	case IOCTL_HOLD_CANCELABLE:
		IoMarkIrpPending(irp);
		held = irp;
		IoSetCancelRoutine(irp, on_cancel);
		return STATUS_PENDING;
	case IOCTL_HOLD:
		IoMarkIrpPending(irp);
		held = irp;
		return STATUS_PENDING;
	case IOCTL_DIRECT: {
		UCHAR *out = MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority);

		assert_int_equal(MmGetMdlByteCount(irp->MdlAddress), out_len);
		assert_memory_equal(buf, "in", 2);
		memcpy(out, "direct", 6);
		return complete(irp, STATUS_SUCCESS, 6);
	}
	case IOCTL_NEITHER:
		assert_null(buf);
		assert_memory_equal(sl->Parameters.DeviceIoControl.Type3InputBuffer, "in", 2);
		memcpy(irp->UserBuffer, "neither", 7);
		return complete(irp, STATUS_SUCCESS, 7);
	case IOCTL_REENTER:
		reentered = owfp_device_ioctl("\\Device\\OwfpTestX", IOCTL_ECHO, NULL, 0, NULL, 0,
					      NULL);
		return complete(irp, STATUS_SUCCESS, 0);
	case IOCTL_DELETE_SELF:
		IoDeleteDevice(d);
		dev = NULL;
		return complete(irp, STATUS_SUCCESS, 0);
	case IOCTL_TWICE:
		complete(irp, STATUS_SUCCESS, 0);
		return complete(irp, STATUS_SUCCESS, 0);
	default:
		return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
	}
}

static int setup(void **state)
{
	UNICODE_STRING name, link;

	(void)state;
	memset(&drv, 0, sizeof(drv));
	RtlInitUnicodeString(&drv.DriverName, L"\\Driver\\owfp_test");
	drv.MajorFunction[IRP_MJ_CREATE] = on_create;
	drv.MajorFunction[IRP_MJ_CLEANUP] = on_cleanup;
	drv.MajorFunction[IRP_MJ_CLOSE] = on_close;
	drv.MajorFunction[IRP_MJ_DEVICE_CONTROL] = on_ioctl;
	RtlInitUnicodeString(&name, L"\\Device\\OwfpTest");
	RtlInitUnicodeString(&link, L"\\DosDevices\\OwfpTestLink");
	if (IoCreateDevice(&drv, 0, &name, FILE_DEVICE_NETWORK, 0, FALSE, &dev) != STATUS_SUCCESS)
		return -1;
	if (IoCreateSymbolicLink(&link, &name) != STATUS_SUCCESS)
		return -1;
	/* Made outside DriverEntry: the driver finishes initialising itself. */
	dev->Flags &= ~(ULONG)DO_DEVICE_INITIALIZING;
	creates = cleanups = closes = 0;
	held = NULL;
	owfp_ioctl_set_timeout_ms(30000);
	return 0;
}

static int teardown(void **state)
{
	UNICODE_STRING link;

	(void)state;
	RtlInitUnicodeString(&link, L"\\DosDevices\\OwfpTestLink");
	IoDeleteSymbolicLink(&link);
	if (dev)
		IoDeleteDevice(dev);
	dev = NULL;
	return owfp_pool_outstanding(OWFP_TAG_DEVICE) == 0 ? 0 : -1;
}

static void test_every_spelling_of_the_name_reaches_the_device(void **state)
{
	static const char *const names[] = {
		"\\Device\\OwfpTest",
		"\\device\\owfptest",
		"\\??\\OwfpTestLink",
		"\\DosDevices\\OwfpTestLink",
		"\\GLOBAL??\\owfptestlink",
		"\\\\.\\OwfpTestLink",
		"OwfpTestLink",
		"OwfpTest",
	};
	char out[8];
	ULONG_PTR info;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		memset(out, 0, sizeof(out));
		assert_int_equal(
			owfp_device_ioctl(names[i], IOCTL_ECHO, "abc", 3, out, sizeof(out), &info),
			STATUS_SUCCESS);
		assert_int_equal(info, 3);
		assert_memory_equal(out, "cba", 3);
	}
	/* Open, control, cleanup, close: once per call, as CreateFile/DeviceIoControl/CloseHandle. */
	assert_int_equal(creates, 8);
	assert_int_equal(cleanups, 8);
	assert_int_equal(closes, 8);
}

static void test_unknown_names_are_not_found(void **state)
{
	ULONG_PTR info = 99;

	(void)state;
	assert_int_equal(owfp_device_ioctl("\\Device\\Nope", IOCTL_ECHO, NULL, 0, NULL, 0, &info),
			 STATUS_OBJECT_NAME_NOT_FOUND);
	assert_int_equal(info, 0);
	assert_int_equal(owfp_device_ioctl("Nope", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_NOT_FOUND);
	/* A link name is not a device name, nor the other way round. */
	assert_int_equal(
		owfp_device_ioctl("\\Device\\OwfpTestLink", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
		STATUS_OBJECT_NAME_NOT_FOUND);
	assert_int_equal(owfp_device_ioctl("\\??\\OwfpTest", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_NOT_FOUND);
	assert_int_equal(owfp_device_ioctl("", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(owfp_device_ioctl(NULL, IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(owfp_device_ioctl("\xff", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(creates, 0);
}

static void test_names_collide_and_links_go(void **state)
{
	UNICODE_STRING name, link, bad;
	PDEVICE_OBJECT other;

	(void)state;
	RtlInitUnicodeString(&name, L"\\DEVICE\\owfptest");
	assert_int_equal(IoCreateDevice(&drv, 0, &name, FILE_DEVICE_NETWORK, 0, FALSE, &other),
			 STATUS_OBJECT_NAME_COLLISION);
	assert_null(other);
	RtlInitUnicodeString(&link, L"\\??\\OWFPTESTLINK");
	assert_int_equal(IoCreateSymbolicLink(&link, &name), STATUS_OBJECT_NAME_COLLISION);
	RtlInitUnicodeString(&bad, L"\\Elsewhere\\X");
	assert_int_equal(IoCreateSymbolicLink(&bad, &name), STATUS_OBJECT_NAME_INVALID);
	RtlInitUnicodeString(&bad, L"NoBackslash");
	assert_int_equal(IoCreateDevice(&drv, 0, &bad, FILE_DEVICE_NETWORK, 0, FALSE, &other),
			 STATUS_OBJECT_NAME_INVALID);
	assert_int_equal(IoDeleteSymbolicLink(&link), STATUS_SUCCESS);
	assert_int_equal(IoDeleteSymbolicLink(&link), STATUS_OBJECT_NAME_NOT_FOUND);
	assert_int_equal(owfp_device_ioctl("OwfpTestLink", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_NOT_FOUND);
	assert_int_equal(owfp_device_ioctl("\\Device\\OwfpTest", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_SUCCESS);
}

static void test_autogenerated_names_are_unique(void **state)
{
	PDEVICE_OBJECT a, b;
	UNICODE_STRING none = {0};

	(void)state;
	assert_int_equal(IoCreateDevice(&drv, 0, NULL, FILE_DEVICE_NETWORK,
					FILE_AUTOGENERATED_DEVICE_NAME, FALSE, &a),
			 STATUS_SUCCESS);
	assert_int_equal(IoCreateDevice(&drv, 0, &none, FILE_DEVICE_NETWORK,
					FILE_AUTOGENERATED_DEVICE_NAME, FALSE, &b),
			 STATUS_SUCCESS);
	IoDeleteDevice(a);
	IoDeleteDevice(b);
}

static void test_buffered_output_is_what_information_says(void **state)
{
	char out[8];
	ULONG_PTR info;

	(void)state;
	/* A short output buffer: the driver refuses, nothing is copied. */
	memset(out, '-', sizeof(out));
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, "abcd", 4, out, 2, &info),
			 STATUS_BUFFER_TOO_SMALL);
	assert_int_equal(info, 0);
	assert_memory_equal(out, "--------", 8);
	/* Only Information bytes come back, never more than the buffer. */
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, "ab", 2, out, sizeof(out), &info),
			 STATUS_SUCCESS);
	assert_memory_equal(out, "ba------", 8);
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_OVERSTATE, NULL, 0, out, 4, &info),
			 STATUS_SUCCESS);
	assert_int_equal(info, 4);
	assert_memory_equal(out, "xxxx----", 8);
	/* An error status copies nothing and reports nothing written. */
	memset(out, '-', sizeof(out));
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_FAIL, NULL, 0, out, 4, &info),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(info, 0);
	assert_memory_equal(out, "--------", 8);
	/* A length without a buffer is the caller's mistake. */
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, NULL, 4, out, 4, &info),
			 STATUS_INVALID_PARAMETER);
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, "a", 1, NULL, 4, &info),
			 STATUS_INVALID_PARAMETER);
}

static void test_direct_and_neither_methods(void **state)
{
	char out[16] = {0};
	ULONG_PTR info;

	(void)state;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_DIRECT, "in", 2, out, sizeof(out), &info),
			 STATUS_SUCCESS);
	assert_int_equal(info, 6);
	assert_memory_equal(out, "direct", 6);
	assert_int_equal(
		owfp_device_ioctl("OwfpTest", IOCTL_NEITHER, "in", 2, out, sizeof(out), &info),
		STATUS_SUCCESS);
	assert_int_equal(info, 7);
	assert_memory_equal(out, "neither", 7);
}

static void test_pending_request_completed_on_another_thread(void **state)
{
	char out[8] = {0};
	ULONG_PTR info;

	(void)state;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_LATER, NULL, 0, out, sizeof(out), &info),
			 STATUS_SUCCESS);
	assert_int_equal(info, 4);
	assert_memory_equal(out, "late", 4);
}

static void test_a_request_never_completed_is_cancelled(void **state)
{
	char out[8];
	ULONG_PTR info;

	(void)state;
	owfp_ioctl_set_timeout_ms(1);
	/* With a cancel routine: it runs and completes the IRP with STATUS_CANCELLED. */
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_HOLD_CANCELABLE, NULL, 0, out,
					   sizeof(out), &info),
			 STATUS_CANCELLED);
	assert_null(held);
	/* Without one: the caller gives up; the driver completes later into
	 * buffers and a file object that still exist (ASan checks that). */
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_HOLD, NULL, 0, out, sizeof(out), &info),
			 STATUS_IO_TIMEOUT);
	assert_int_equal(info, 0);
	assert_non_null(held);
	assert_true(held->Cancel);
	assert_int_equal(closes, 2);
	memset(held->AssociatedIrp.SystemBuffer, 'z', 8);
	assert_ptr_equal(IoGetCurrentIrpStackLocation(held)->FileObject, last_file);
	assert_int_equal(last_file->Type, IO_TYPE_FILE);
	complete(held, STATUS_SUCCESS, 8);
	held = NULL;
}

static void test_exclusive_device_opens_once(void **state)
{
	UNICODE_STRING name;
	PDEVICE_OBJECT x;

	(void)state;
	RtlInitUnicodeString(&name, L"\\Device\\OwfpTestX");
	assert_int_equal(IoCreateDevice(&drv, 0, &name, FILE_DEVICE_NETWORK, 0, TRUE, &x),
			 STATUS_SUCCESS);
	/* Still initialising: it cannot be opened yet. */
	assert_int_equal(owfp_device_ioctl("\\Device\\OwfpTestX", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_NO_SUCH_DEVICE);
	x->Flags &= ~(ULONG)DO_DEVICE_INITIALIZING;
	reentered = STATUS_SUCCESS;
	assert_int_equal(
		owfp_device_ioctl("\\Device\\OwfpTestX", IOCTL_REENTER, NULL, 0, NULL, 0, NULL),
		STATUS_SUCCESS);
	assert_int_equal(reentered, STATUS_ACCESS_DENIED);
	/* Closed again: it opens. */
	assert_int_equal(owfp_device_ioctl("\\Device\\OwfpTestX", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_SUCCESS);
	IoDeleteDevice(x);
}

static void test_device_deleted_while_open_lives_until_closed(void **state)
{
	(void)state;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_DELETE_SELF, NULL, 0, NULL, 0, NULL),
			 STATUS_SUCCESS);
	/* Cleanup and close still reached it (ASan checks the memory); now it is gone. */
	assert_int_equal(closes, 1);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_OBJECT_NAME_NOT_FOUND);
}

static void test_missing_major_functions(void **state)
{
	(void)state;
	/* No IRP_MJ_CREATE: the device cannot be opened, as on Windows. */
	drv.MajorFunction[IRP_MJ_CREATE] = NULL;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_INVALID_DEVICE_REQUEST);
	drv.MajorFunction[IRP_MJ_CREATE] = on_create;
	drv.MajorFunction[IRP_MJ_DEVICE_CONTROL] = NULL;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_ECHO, NULL, 0, NULL, 0, NULL),
			 STATUS_INVALID_DEVICE_REQUEST);
	drv.MajorFunction[IRP_MJ_DEVICE_CONTROL] = on_ioctl;
	assert_int_equal(closes, 1);
}

static void test_double_completion_is_counted_not_fatal(void **state)
{
	uint64_t before = owfp_irp_double_completions();

	(void)state;
	assert_int_equal(owfp_device_ioctl("OwfpTest", IOCTL_TWICE, NULL, 0, NULL, 0, NULL),
			 STATUS_SUCCESS);
	assert_int_equal(owfp_irp_double_completions(), before + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_spelling_of_the_name_reaches_the_device,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_names_are_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_collide_and_links_go, setup, teardown),
		cmocka_unit_test_setup_teardown(test_autogenerated_names_are_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffered_output_is_what_information_says,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_and_neither_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_request_completed_on_another_thread,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_request_never_completed_is_cancelled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exclusive_device_opens_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_deleted_while_open_lives_until_closed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_major_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_completion_is_counted_not_fatal, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
