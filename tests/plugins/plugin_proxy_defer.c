/*
 * A test callout for the proxy's DEFER path. Every inbound (RECEIVE)
 * indication is answered with FWPS_STREAM_ACTION_DEFER until the test sends
 * the datagram "continue" to the unix socket named by $OWFP_DEFER_CONTROL.
 * A thread of this driver then calls FwpsStreamContinue0 for every deferred
 * flow (from outside classifyFn, as S50 requires) and from then on every
 * indication is permitted. Outbound data is always permitted.
 *
 * Filters: one CALLOUT_TERMINATING filter at STREAM_V4 and STREAM_V6,
 * added by DriverEntry (test_driver.h) through a management session, as a
 * driver would.
 */
#include <ntddk.h>
#include <initguid.h>
#include <fwpsk.h>
#include <fwpmk.h>

#include "test_driver.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

DEFINE_GUID(DEFER_CALLOUT_V4, 0x6d1f3c2a, 0x51b0, 0x4f7e, 0x9a, 0x11, 0x2b, 0x7c, 0x40, 0x01, 0xde,
	    0xf4);
DEFINE_GUID(DEFER_CALLOUT_V6, 0x6d1f3c2a, 0x51b0, 0x4f7e, 0x9a, 0x11, 0x2b, 0x7c, 0x40, 0x01, 0xde,
	    0xf6);

#define MAX_DEFERRED 256

typedef struct DEFERRED {
	UINT64 flowId;
	UINT32 calloutId;
	UINT16 layerId;
	UINT32 streamFlags;
} DEFERRED;

static pthread_mutex_t gLock = PTHREAD_MUTEX_INITIALIZER;
static DEFERRED gDeferred[MAX_DEFERRED];
static size_t gNumDeferred;
static BOOLEAN gReleased;
static int gControlFd = -1;
static pthread_t gThread;
static BOOLEAN gThreadStarted;
static char gControlPath[108];

static void NTAPI DeferClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
				const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
				const void *classifyContext, const FWPS_FILTER3 *filter,
				UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	BOOLEAN defer = FALSE;

	UNREFERENCED_PARAMETER(classifyContext);
	UNREFERENCED_PARAMETER(flowContext);
	pthread_mutex_lock(&gLock);
	if (!gReleased && (sd->flags & FWPS_STREAM_FLAG_RECEIVE) && sd->dataLength > 0 &&
	    !(sd->flags & (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_RECEIVE_ABORT))) {
		defer = TRUE;
		size_t i;
		for (i = 0; i < gNumDeferred; i++)
			if (gDeferred[i].flowId == inMetaValues->flowHandle)
				break;
		if (i == gNumDeferred && gNumDeferred < MAX_DEFERRED) {
			gDeferred[i].flowId = inMetaValues->flowHandle;
			gDeferred[i].calloutId = filter->action.calloutId;
			gDeferred[i].layerId = inFixedValues->layerId;
			gDeferred[i].streamFlags = sd->flags & (FWPS_STREAM_FLAG_RECEIVE |
								FWPS_STREAM_FLAG_SEND);
			gNumDeferred++;
		}
	}
	pthread_mutex_unlock(&gLock);
	if (defer) {
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		io->countBytesEnforced = 0;
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	io->countBytesEnforced = sd->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
}

static void *DeferControlThread(void *arg)
{
	char msg[64];

	UNREFERENCED_PARAMETER(arg);
	for (;;) {
		ssize_t n = recv(gControlFd, msg, sizeof(msg) - 1, 0);
		if (n < 0)
			return NULL;
		msg[n] = '\0';
		if (strncmp(msg, "stop", 4) == 0)
			return NULL;
		if (strncmp(msg, "continue", 8) != 0)
			continue;
		DEFERRED todo[MAX_DEFERRED];
		size_t count;
		pthread_mutex_lock(&gLock);
		gReleased = TRUE;
		count = gNumDeferred;
		memcpy(todo, gDeferred, count * sizeof(todo[0]));
		gNumDeferred = 0;
		pthread_mutex_unlock(&gLock);
		for (size_t i = 0; i < count; i++)
			FwpsStreamContinue0(todo[i].flowId, todo[i].calloutId, todo[i].layerId,
					    todo[i].streamFlags);
	}
}

/* The control thread goes first at unload: it may still continue flows. */
static void DeferQuiesce(void)
{
	if (gThreadStarted) {
		int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		strcpy(sa.sun_path, gControlPath);
		sendto(fd, "stop", 4, 0, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
		pthread_join(gThread, NULL);
		gThreadStarted = FALSE;
	}
	if (gControlFd >= 0) {
		close(gControlFd);
		unlink(gControlPath);
		gControlFd = -1;
	}
}

static NTSTATUS DeferLoad(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	const char *path = getenv("OWFP_DEFER_CONTROL");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	UNREFERENCED_PARAMETER(DriverObject);
	UNREFERENCED_PARAMETER(RegistryPath);
	if (!path || strlen(path) >= sizeof(gControlPath))
		return STATUS_INVALID_PARAMETER;
	strcpy(gControlPath, path);
	gControlFd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, gControlPath);
	unlink(gControlPath);
	if (gControlFd < 0 || bind(gControlFd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    pthread_create(&gThread, NULL, DeferControlThread, NULL))
		return STATUS_INSUFFICIENT_RESOURCES;
	gThreadStarted = TRUE;
	return STATUS_SUCCESS;
}

static const TEST_DRIVER_CALLOUT gCallouts[] = {
	{.key = &DEFER_CALLOUT_V4, .layer = &FWPM_LAYER_STREAM_V4, .classifyFn = DeferClassify},
	{.key = &DEFER_CALLOUT_V6, .layer = &FWPM_LAYER_STREAM_V6, .classifyFn = DeferClassify},
};

static const TEST_DRIVER TestDriver = {
	.name = L"proxy_defer",
	.callouts = gCallouts,
	.calloutCount = RTL_NUMBER_OF(gCallouts),
	.load = DeferLoad,
	.quiesce = DeferQuiesce,
};
