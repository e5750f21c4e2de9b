/*
 * A KMDF WFP callout driver in the shape of Microsoft's monitor samples:
 * DriverEntry creates a non-PnP WDFDRIVER, a named control device with a
 * symbolic link, a sequential default queue whose EvtIoDeviceControl
 * serves the codes of drv_kmdf_ctl_ioctl.h, reads its Parameters key, and
 * registers a stream callout on the device's WDM object. EvtDriverUnload
 * unregisters it. Used by test_kmdf_ctl_driver.c.
 *
 * Its own DriverEntry, not test_driver.h's: a KMDF driver starts with
 * WdfDriverCreate and registers on its framework device; that model is the
 * test.
 */
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

#define INITGUID
#include <guiddef.h>

#include "drv_kmdf_ctl_ioctl.h"

/* WDK's wdm.h has it; until openwfp's does (helper `wdm`), the same here. */
#ifndef DECLARE_CONST_UNICODE_STRING
#define DECLARE_CONST_UNICODE_STRING(_var, _string)                                    \
	const WCHAR _var##_buffer[] = _string;                                         \
	const UNICODE_STRING _var = {sizeof(_string) - sizeof(WCHAR), sizeof(_string), \
				     (PWCH)_var##_buffer}
#endif

DEFINE_GUID(KMDF_CTL_CALLOUT_V4, 0x6c1d2e3f, 0x4a5b, 0x4c6d, 0x8e, 0x9f, 0x10, 0x21, 0x32, 0x43,
	    0x54, 0x65);

#define KMDF_CTL_TAG 'lCtK' /* "KtCl" */
#define DEFAULT_PORT 8888

/* The driver's state lives in its WDFDRIVER's context. */
typedef struct _DRIVER_STATE {
	ULONG Port;
	WCHAR Word[64];
	ULONG WordLength;
	ULONG Requests;
	UINT32 CalloutId;
	PVOID Scratch; /* pool memory held for the driver's lifetime */
} DRIVER_STATE;
WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(DRIVER_STATE, KmdfCtlGetState)

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_UNLOAD KmdfCtlEvtDriverUnload;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL KmdfCtlEvtDeviceControl;
EVT_WDF_REQUEST_CANCEL KmdfCtlEvtRequestCancel;

static WDFDRIVER gDriver;

static void NTAPI KmdfCtlClassify(const FWPS_INCOMING_VALUES *inFixedValues,
				  const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
				  const void *classifyContext, const FWPS_FILTER *filter,
				  UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut)
{
	UNREFERENCED_PARAMETER(inFixedValues);
	UNREFERENCED_PARAMETER(inMetaValues);
	UNREFERENCED_PARAMETER(layerData);
	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(filter);
	UNREFERENCED_PARAMETER(flowContext);
	if (classifyOut->rights & FWPS_RIGHT_ACTION_WRITE)
		classifyOut->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI KmdfCtlNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
				    FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}

static void KmdfCtlSetWord(DRIVER_STATE *state, const char *text, ULONG length)
{
	ULONG i;

	for (i = 0; i < length && i < RTL_NUMBER_OF(state->Word) - 1; i++)
		state->Word[i] = (WCHAR)(UCHAR)text[i];
	state->Word[i] = L'\0';
	state->WordLength = i;
}

VOID KmdfCtlEvtRequestCancel(WDFREQUEST Request)
{
	WdfRequestComplete(Request, STATUS_CANCELLED);
}

VOID KmdfCtlEvtDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength,
			     size_t InputBufferLength, ULONG IoControlCode)
{
	DRIVER_STATE *state = KmdfCtlGetState(gDriver);
	NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
	ULONG_PTR information = 0;

	UNREFERENCED_PARAMETER(Queue);
	UNREFERENCED_PARAMETER(OutputBufferLength);
	state->Requests++;
	switch (IoControlCode) {
	case IOCTL_KMDF_CTL_GET_STATE: {
		KMDF_CTL_STATE *out;
		ULONG i;

		status = WdfRequestRetrieveOutputBuffer(Request, sizeof(*out), (PVOID *)&out, NULL);
		if (!NT_SUCCESS(status))
			break;
		RtlZeroMemory(out, sizeof(*out));
		out->Port = state->Port;
		out->CalloutId = state->CalloutId;
		out->Requests = state->Requests;
		out->WordLength = state->WordLength;
		for (i = 0; i < state->WordLength && i < sizeof(out->Word) - 1; i++)
			out->Word[i] = (char)state->Word[i];
		information = sizeof(*out);
		break;
	}
	case IOCTL_KMDF_CTL_SET_WORD: {
		WDFMEMORY memory;
		char text[64];
		size_t length;

		if (InputBufferLength == 0 || InputBufferLength >= sizeof(text)) {
			status = STATUS_INVALID_PARAMETER;
			break;
		}
		status = WdfRequestRetrieveInputMemory(Request, &memory);
		if (!NT_SUCCESS(status))
			break;
		(void)WdfMemoryGetBuffer(memory, &length);
		status = WdfMemoryCopyToBuffer(memory, 0, text, length);
		if (NT_SUCCESS(status))
			KmdfCtlSetWord(state, text, (ULONG)length);
		break;
	}
	case IOCTL_KMDF_CTL_WAIT:
		/* Completed only by cancellation: the inverted-call pattern. */
		status = WdfRequestMarkCancelableEx(Request, KmdfCtlEvtRequestCancel);
		if (NT_SUCCESS(status))
			return;
		break;
	default:
		break;
	}
	WdfRequestCompleteWithInformation(Request, status, information);
}

/* Parameters\InspectionPort and Parameters\Word, over the defaults. */
static void KmdfCtlReadParameters(WDFDRIVER Driver, DRIVER_STATE *state)
{
	DECLARE_CONST_UNICODE_STRING(portName, L"InspectionPort");
	DECLARE_CONST_UNICODE_STRING(wordName, L"Word");
	UNICODE_STRING word;
	USHORT byteLength;
	ULONG value;
	WDFKEY key;

	state->Port = DEFAULT_PORT;
	KmdfCtlSetWord(state, "rainy", 5);
	if (!NT_SUCCESS(WdfDriverOpenParametersRegistryKey(Driver, KEY_READ,
							   WDF_NO_OBJECT_ATTRIBUTES, &key)))
		return;
	if (NT_SUCCESS(WdfRegistryQueryULong(key, &portName, &value)))
		state->Port = value;
	word.Buffer = state->Word;
	word.Length = 0;
	word.MaximumLength = sizeof(state->Word);
	if (NT_SUCCESS(WdfRegistryQueryUnicodeString(key, &wordName, &byteLength, &word)))
		state->WordLength = word.Length / sizeof(WCHAR);
	else
		KmdfCtlSetWord(state, "rainy", 5);
	WdfRegistryClose(key);
}

static NTSTATUS KmdfCtlCreateDevice(WDFDRIVER Driver, WDFDEVICE *Device)
{
	DECLARE_CONST_UNICODE_STRING(ntDeviceName, KMDF_CTL_DEVICE_NAME);
	DECLARE_CONST_UNICODE_STRING(symbolicName, KMDF_CTL_SYMBOLIC_NAME);
	DECLARE_CONST_UNICODE_STRING(sddl, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
	WDF_IO_QUEUE_CONFIG queueConfig;
	PWDFDEVICE_INIT init;
	NTSTATUS status;

	init = WdfControlDeviceInitAllocate(Driver, &sddl);
	if (!init)
		return STATUS_INSUFFICIENT_RESOURCES;
	WdfDeviceInitSetDeviceType(init, FILE_DEVICE_NETWORK);
	WdfDeviceInitSetCharacteristics(init, FILE_DEVICE_SECURE_OPEN, FALSE);
	status = WdfDeviceInitAssignName(init, &ntDeviceName);
	if (NT_SUCCESS(status))
		status = WdfDeviceCreate(&init, WDF_NO_OBJECT_ATTRIBUTES, Device);
	if (init)
		WdfDeviceInitFree(init);
	if (!NT_SUCCESS(status))
		return status;
	status = WdfDeviceCreateSymbolicLink(*Device, &symbolicName);
	if (!NT_SUCCESS(status))
		return status;
	WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queueConfig, WdfIoQueueDispatchSequential);
	queueConfig.EvtIoDeviceControl = KmdfCtlEvtDeviceControl;
	status = WdfIoQueueCreate(*Device, &queueConfig, WDF_NO_OBJECT_ATTRIBUTES, NULL);
	if (!NT_SUCCESS(status))
		return status;
	WdfControlFinishInitializing(*Device);
	return STATUS_SUCCESS;
}

VOID KmdfCtlEvtDriverUnload(WDFDRIVER Driver)
{
	DRIVER_STATE *state = KmdfCtlGetState(Driver);

	if (state->CalloutId)
		FwpsCalloutUnregisterById(state->CalloutId);
	state->CalloutId = 0;
	if (state->Scratch)
		ExFreePoolWithTag(state->Scratch, KMDF_CTL_TAG);
	state->Scratch = NULL;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	WDF_OBJECT_ATTRIBUTES attributes;
	WDF_DRIVER_CONFIG config;
	FWPS_CALLOUT callout = {0};
	DRIVER_STATE *state;
	WDFDEVICE device;
	NTSTATUS status;

	WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
	config.DriverInitFlags |= WdfDriverInitNonPnpDriver;
	config.EvtDriverUnload = KmdfCtlEvtDriverUnload;
	WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(&attributes, DRIVER_STATE);
	status = WdfDriverCreate(DriverObject, RegistryPath, &attributes, &config, &gDriver);
	if (!NT_SUCCESS(status))
		return status;
	state = KmdfCtlGetState(gDriver);
	KmdfCtlReadParameters(gDriver, state);
	state->Scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED, 128, KMDF_CTL_TAG);
	if (!state->Scratch)
		return STATUS_INSUFFICIENT_RESOURCES;
	status = KmdfCtlCreateDevice(gDriver, &device);
	if (!NT_SUCCESS(status))
		goto fail;
	callout.calloutKey = KMDF_CTL_CALLOUT_V4;
	callout.classifyFn = KmdfCtlClassify;
	callout.notifyFn = KmdfCtlNotify;
	status = FwpsCalloutRegister(WdfDeviceWdmGetDeviceObject(device), &callout,
				     &state->CalloutId);
	if (NT_SUCCESS(status))
		return STATUS_SUCCESS;
fail:
	/* The framework deletes its objects; the driver frees its own. */
	ExFreePoolWithTag(state->Scratch, KMDF_CTL_TAG);
	state->Scratch = NULL;
	return status;
}
