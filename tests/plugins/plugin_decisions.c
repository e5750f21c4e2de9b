/*
 * A test callout that makes every kind of stream decision, chosen by the
 * content of each indication (written against the WFP API only):
 *   "ALLOWME"   ALLOW_CONNECTION (the rest of the flow bypasses this callout)
 *   "DROPME"    DROP_CONNECTION
 *   "DEFERME"   inbound only, once per flow: DEFER; a worker thread of this
 *               driver calls FwpsStreamContinue0 after $OWFP_DECISIONS_DELAY_MS
 *               (default 200) milliseconds, from outside classifyFn
 *   "BLOCKME"   BLOCK those 7 bytes (PERMIT what precedes them first)
 *   "INJECTME"  replace those 8 bytes by "[injected]": inline
 *               FwpsStreamInjectAsync0, then BLOCK (S53)
 *   otherwise   PERMIT everything
 * Filters: one CALLOUT_TERMINATING filter per stream layer in a sublayer of
 * its own, added by DriverEntry (test_driver.h) through a management session.
 */
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include "test_driver.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

DEFINE_GUID(DECISIONS_CALLOUT_V4, 0x5e1d7a40, 0x2b6c, 0x4d0e, 0x8f, 0x21, 0x93, 0x4a, 0x6b, 0x10,
	    0xc2, 0x04);
DEFINE_GUID(DECISIONS_CALLOUT_V6, 0x5e1d7a40, 0x2b6c, 0x4d0e, 0x8f, 0x21, 0x93, 0x4a, 0x6b, 0x10,
	    0xc2, 0x06);
DEFINE_GUID(DECISIONS_SUBLAYER, 0x5e1d7a40, 0x2b6c, 0x4d0e, 0x8f, 0x21, 0x93, 0x4a, 0x6b, 0x10,
	    0xc2, 0x5b);

#define DECISIONS_TAG 'ceDO'
#define MAX_FLOWS 64

typedef struct PENDING_CONTINUE {
	UINT64 flowId;
	UINT32 calloutId;
	UINT16 layerId;
	UINT32 streamFlags;
} PENDING_CONTINUE;

static HANDLE gInjection;
static unsigned gDelayMs = 200;

/* Flows already deferred once, and continues waiting for the worker. */
static pthread_mutex_t gLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gCond = PTHREAD_COND_INITIALIZER;
static UINT64 gDeferredFlows[MAX_FLOWS];
static size_t gNumDeferredFlows;
static PENDING_CONTINUE gQueue[MAX_FLOWS];
static size_t gQueued;
static BOOLEAN gStop;
static pthread_t gWorker;
static BOOLEAN gWorkerStarted;

static void *DecisionsWorker(void *arg)
{
	UNREFERENCED_PARAMETER(arg);
	pthread_mutex_lock(&gLock);
	for (;;) {
		while (!gQueued && !gStop)
			pthread_cond_wait(&gCond, &gLock);
		if (!gQueued && gStop)
			break;
		PENDING_CONTINUE c = gQueue[--gQueued];
		pthread_mutex_unlock(&gLock);
		struct timespec ts = {gDelayMs / 1000, (long)(gDelayMs % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		FwpsStreamContinue0(c.flowId, c.calloutId, c.layerId, c.streamFlags);
		pthread_mutex_lock(&gLock);
	}
	pthread_mutex_unlock(&gLock);
	return NULL;
}

/* True the first time a flow asks; queues its continue for the worker. */
static BOOLEAN DeferOnce(UINT64 flowId, UINT32 calloutId, UINT16 layerId, UINT32 flags)
{
	BOOLEAN first = TRUE;
	pthread_mutex_lock(&gLock);
	for (size_t i = 0; i < gNumDeferredFlows; i++)
		if (gDeferredFlows[i] == flowId)
			first = FALSE;
	if (first && (gNumDeferredFlows == MAX_FLOWS || gQueued == MAX_FLOWS))
		first = FALSE;
	if (first) {
		gDeferredFlows[gNumDeferredFlows++] = flowId;
		gQueue[gQueued++] = (PENDING_CONTINUE){flowId, calloutId, layerId, flags};
		pthread_cond_signal(&gCond);
	}
	pthread_mutex_unlock(&gLock);
	return first;
}

static void NTAPI InjectComplete(void *context, NET_BUFFER_LIST *nbl, BOOLEAN dispatchLevel)
{
	UNREFERENCED_PARAMETER(context);
	UNREFERENCED_PARAMETER(dispatchLevel);
	NET_BUFFER *nb = NET_BUFFER_LIST_FIRST_NB(nbl);
	MDL *mdl = NET_BUFFER_FIRST_MDL(nb);
	void *data = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);
	FwpsFreeNetBufferList0(nbl);
	IoFreeMdl(mdl);
	ExFreePoolWithTag(data, DECISIONS_TAG);
}

static NTSTATUS InjectText(UINT64 flowId, UINT32 calloutId, UINT16 layerId, UINT32 dirFlag,
			   const char *text)
{
	SIZE_T len = strlen(text);
	void *buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, len, DECISIONS_TAG);
	MDL *mdl;
	NET_BUFFER_LIST *nbl = NULL;
	NTSTATUS status;

	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(buf, text, len);
	mdl = IoAllocateMdl(buf, (ULONG)len, FALSE, FALSE, NULL);
	if (!mdl) {
		ExFreePoolWithTag(buf, DECISIONS_TAG);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	MmBuildMdlForNonPagedPool(mdl);
	status = FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, mdl, 0, len, &nbl);
	if (NT_SUCCESS(status))
		status = FwpsStreamInjectAsync0(gInjection, NULL, 0, flowId, calloutId, layerId,
						dirFlag, nbl, len, InjectComplete, NULL);
	if (!NT_SUCCESS(status)) {
		if (nbl)
			FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(mdl);
		ExFreePoolWithTag(buf, DECISIONS_TAG);
	}
	return status;
}

static void Answer(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out,
		   FWPS_STREAM_ACTION_TYPE streamAction, FWP_ACTION_TYPE action, SIZE_T enforced)
{
	io->streamAction = streamAction;
	io->countBytesRequired = 0;
	io->countBytesEnforced = enforced;
	out->actionType = action;
}

static const UINT8 *Find(const UINT8 *buf, SIZE_T len, const char *word)
{
	return memmem(buf, len, word, strlen(word));
}

static void NTAPI DecisionsClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
				    const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
				    void *layerData, const void *classifyContext,
				    const FWPS_FILTER3 *filter, UINT64 flowContext,
				    FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	SIZE_T len = sd->dataLength, copied = 0;
	UINT32 dirFlag = sd->flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	UINT64 flowId = inMetaValues->flowHandle;
	UINT32 calloutId = filter->action.calloutId;
	UINT16 layerId = inFixedValues->layerId;
	const UINT8 *hit;
	UINT8 *buf;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(flowContext);
	if (len == 0) {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0);
		return;
	}
	buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, len, DECISIONS_TAG);
	if (!buf) {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_DROP_CONNECTION, FWP_ACTION_NONE, 0);
		return;
	}
	FwpsCopyStreamDataToBuffer0(sd, buf, len, &copied);

	if (Find(buf, copied, "ALLOWME")) {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_ALLOW_CONNECTION, FWP_ACTION_NONE, 0);
	} else if (Find(buf, copied, "DROPME")) {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_DROP_CONNECTION, FWP_ACTION_NONE, 0);
	} else if (dirFlag == FWPS_STREAM_FLAG_RECEIVE && Find(buf, copied, "DEFERME") &&
		   !(classifyOut->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA) &&
		   DeferOnce(flowId, calloutId, layerId, sd->flags)) {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_DEFER, FWP_ACTION_NONE, 0);
	} else if ((hit = Find(buf, copied, "BLOCKME"))) {
		/* S33: permit the bytes before the word; they come back without it. */
		if (hit > buf)
			Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT,
			       (SIZE_T)(hit - buf));
		else
			Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 7);
	} else if ((hit = Find(buf, copied, "INJECTME"))) {
		if (hit > buf) {
			Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT,
			       (SIZE_T)(hit - buf));
		} else if (NT_SUCCESS(InjectText(flowId, calloutId, layerId, dirFlag, "[injected]"))) {
			/* S53: injected inline, then BLOCK: the new bytes replace the word. */
			Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 8);
		} else {
			Answer(io, classifyOut, FWPS_STREAM_ACTION_DROP_CONNECTION, FWP_ACTION_NONE,
			       0);
		}
	} else {
		Answer(io, classifyOut, FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, len);
	}
	ExFreePoolWithTag(buf, DECISIONS_TAG);
}

/* The worker goes first at unload: it may still continue queued flows. */
static void DecisionsQuiesce(void)
{
	if (gWorkerStarted) {
		pthread_mutex_lock(&gLock);
		gStop = TRUE;
		pthread_cond_signal(&gCond);
		pthread_mutex_unlock(&gLock);
		pthread_join(gWorker, NULL);
		gWorkerStarted = FALSE;
	}
}

static void DecisionsUnload(void)
{
	if (gInjection) {
		FwpsInjectionHandleDestroy0(gInjection);
		gInjection = NULL;
	}
}

static NTSTATUS DecisionsLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	const char *delay = getenv("OWFP_DECISIONS_DELAY_MS");
	NTSTATUS status;

	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	if (delay)
		gDelayMs = (unsigned)strtoul(delay, NULL, 10);
	status = FwpsInjectionHandleCreate0(AF_UNSPEC, FWPS_INJECTION_TYPE_STREAM, &gInjection);
	if (!NT_SUCCESS(status))
		return status;
	if (pthread_create(&gWorker, NULL, DecisionsWorker, NULL) != 0)
		return STATUS_INSUFFICIENT_RESOURCES;
	gWorkerStarted = TRUE;
	return STATUS_SUCCESS;
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &DECISIONS_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = DecisionsClassify},
	{.key = &DECISIONS_CALLOUT_V6, .layer = &FWPM_LAYER_STREAM_V6, .classifyFn = DecisionsClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"decisions",
	.sublayerKey = &DECISIONS_SUBLAYER,
	.sublayerWeight = 0x9000,
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
	.load = DecisionsLoad,
	.quiesce = DecisionsQuiesce,
	.unload = DecisionsUnload,
};
