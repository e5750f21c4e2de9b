/*
 * drv_oob: the stream callout. Every data indication is copied into a task,
 * blocked, and handed to a work item, which takes its time (as a busy
 * out-of-band editor does) and injects the bytes upper-cased, unless a FIN
 * was seen in either direction meanwhile.
 */
#include "drv_oob.h"

/* The injected bytes are the task's: they live until the engine is done. */
static void NTAPI DrvOobInjectComplete(void *context, NET_BUFFER_LIST *netBufferList,
				       BOOLEAN dispatchLevel)
{
	DRV_OOB_TASK *task = context;

	UNREFERENCED_PARAMETER(dispatchLevel);
	IoFreeMdl(task->Mdl);
	FwpsFreeNetBufferList(netBufferList);
	ExFreePoolWithTag(task, DRV_OOB_TAG);
}

static void DrvOobWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
	DRV_OOB_TASK *task = Context;
	LARGE_INTEGER delay;
	NET_BUFFER_LIST *nbl = NULL;
	PMDL mdl;
	NTSTATUS status = STATUS_UNSUCCESSFUL;

	UNREFERENCED_PARAMETER(DeviceObject);
	delay.QuadPart = -50 * 10000; /* 50 ms, relative */
	KeDelayExecutionThread(KernelMode, FALSE, &delay);

	if (InterlockedCompareExchange(&Globals.Terminating, 0, 0)) {
		InterlockedIncrement(&Globals.Discarded);
		DbgPrint("drv_oob: discarded %Iu bytes classified before a FIN\n", task->Length);
		goto done;
	}
	for (SIZE_T i = 0; i < task->Length; i++)
		if (task->Data[i] >= 'a' && task->Data[i] <= 'z')
			task->Data[i] = (UCHAR)(task->Data[i] - 'a' + 'A');
	mdl = IoAllocateMdl(task->Data, (ULONG)task->Length, FALSE, FALSE, NULL);
	if (!mdl)
		goto done;
	MmBuildMdlForNonPagedPool(mdl);
	task->Mdl = mdl;
	status = FwpsAllocateNetBufferAndNetBufferList(NULL, 0, 0, mdl, 0, task->Length, &nbl);
	if (NT_SUCCESS(status)) {
		IoFreeWorkItem(task->WorkItem);
		task->WorkItem = NULL;
		status = FwpsStreamInjectAsync(Globals.InjectionHandle, NULL, 0, task->FlowId,
					       task->CalloutId, task->LayerId, task->StreamFlags,
					       nbl, task->Length, DrvOobInjectComplete, task);
		if (NT_SUCCESS(status))
			return; /* DrvOobInjectComplete frees the task */
		FwpsFreeNetBufferList(nbl);
	}
	IoFreeMdl(mdl);
done:
	if (task->WorkItem)
		IoFreeWorkItem(task->WorkItem);
	ExFreePoolWithTag(task, DRV_OOB_TAG);
}

static void DrvOobQueue(const FWPS_INCOMING_VALUES *inFixedValues,
			const FWPS_INCOMING_METADATA_VALUES *inMetaValues, const FWPS_FILTER *filter,
			FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket, FWPS_CLASSIFY_OUT *classifyOut);

void NTAPI DrvOobClassify(const FWPS_INCOMING_VALUES *inFixedValues,
			  const FWPS_INCOMING_METADATA_VALUES *inMetaValues, void *layerData,
			  const void *classifyContext, const FWPS_FILTER *filter,
			  UINT64 flowContext, FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket = layerData;
	FWPS_STREAM_DATA *streamData = ioPacket->streamData;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(flowContext);
	ioPacket->streamAction = FWPS_STREAM_ACTION_NONE;
	ioPacket->countBytesEnforced = 0;
	classifyOut->actionType = FWP_ACTION_PERMIT;

	if (streamData->flags &
	    (FWPS_STREAM_FLAG_SEND_DISCONNECT | FWPS_STREAM_FLAG_RECEIVE_DISCONNECT))
		InterlockedExchange(&Globals.Terminating, 1);
	if (streamData->dataLength == 0)
		return;
	InterlockedIncrement(&Globals.Busy);
	DrvOobQueue(inFixedValues, inMetaValues, filter, ioPacket, classifyOut);
	if (InterlockedDecrement(&Globals.Busy) == 0)
		KeSetEvent(&Globals.Idle, IO_NO_INCREMENT, FALSE);
}

static void DrvOobQueue(const FWPS_INCOMING_VALUES *inFixedValues,
			const FWPS_INCOMING_METADATA_VALUES *inMetaValues, const FWPS_FILTER *filter,
			FWPS_STREAM_CALLOUT_IO_PACKET *ioPacket, FWPS_CLASSIFY_OUT *classifyOut)
{
	FWPS_STREAM_DATA *streamData = ioPacket->streamData;
	DRV_OOB_TASK *task;
	UCHAR head[64];
	SIZE_T copied = 0;

	/* a marker for the test: assert while this classify holds a reference */
	FwpsCopyStreamDataToBuffer(streamData, head, min(sizeof(head), streamData->dataLength),
				   &copied);
	for (SIZE_T i = 0; i + 8 <= copied; i++)
		NT_ASSERT(!RtlEqualMemory(head + i, "ASSERTME", 8));
	copied = 0;

	task = ExAllocatePool2(POOL_FLAG_NON_PAGED,
			       FIELD_OFFSET(DRV_OOB_TASK, Data) + streamData->dataLength,
			       DRV_OOB_TAG);
	if (task)
		task->WorkItem = IoAllocateWorkItem(Globals.WdmDevice);
	if (!task || !task->WorkItem) {
		if (task)
			ExFreePoolWithTag(task, DRV_OOB_TAG);
		ioPacket->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	FwpsCopyStreamDataToBuffer(streamData, task->Data, streamData->dataLength, &copied);
	task->Length = copied;
	task->FlowId = inMetaValues->flowHandle;
	task->CalloutId = filter->action.calloutId;
	task->LayerId = inFixedValues->layerId;
	task->StreamFlags = streamData->flags & (FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_RECEIVE);
	IoQueueWorkItem(task->WorkItem, DrvOobWork, DelayedWorkQueue, task);
	classifyOut->actionType = FWP_ACTION_BLOCK;
	classifyOut->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

NTSTATUS NTAPI DrvOobNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
			    FWPS_FILTER *filter)
{
	UNREFERENCED_PARAMETER(notifyType);
	UNREFERENCED_PARAMETER(filterKey);
	UNREFERENCED_PARAMETER(filter);
	return STATUS_SUCCESS;
}
