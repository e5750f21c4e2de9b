/*
 * System threads as detached pthreads. A thread object is counted: one
 * reference for the handle PsCreateSystemThread returns, one for the
 * running thread, one per ObReferenceObjectByHandle; it is freed at zero.
 */
#include <pthread.h>
#include <stdint.h>

#include "wdm/contain.h"
#include "wdm/dispatcher.h"
#include "wdm/pool.h"

#define THREAD_MAGIC 0x4f775468u /* "hTwO" */

struct _KTHREAD {
	KEVENT done; /* first: waiting on the object waits for the end */
	uint32_t magic;
	LONG refs;
	NTSTATUS exit_status;
	PKSTART_ROUTINE start;
	PVOID context;
	PDRIVER_OBJECT driver; /* whose code start is, for failure reports */
};

static char thread_type_token;
static POBJECT_TYPE thread_type = (POBJECT_TYPE)&thread_type_token;
POBJECT_TYPE *PsThreadType = &thread_type;

static _Thread_local struct _KTHREAD *current_system_thread;

static void thread_unref(struct _KTHREAD *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		t->magic = 0;
		pthread_mutex_destroy(&t->done.OwfpMutex);
		pthread_cond_destroy(&t->done.OwfpCond);
		owfp_pool_free(t, OWFP_TAG_THREAD, true);
	}
}

static void thread_finished(void *arg)
{
	struct _KTHREAD *t = arg;

	current_system_thread = NULL;
	KeSetEvent(&t->done, IO_NO_INCREMENT, FALSE);
	thread_unref(t);
}

static void run_start(void *arg)
{
	struct _KTHREAD *t = arg;

	t->start(t->context);
}

static const owfp_contain_site thread_site = {"system thread", NULL};

static void *thread_main(void *arg)
{
	struct _KTHREAD *t = arg;

	current_system_thread = t;
	/* Runs on return and on PsTerminateSystemThread (pthread_exit) alike. */
	pthread_cleanup_push(thread_finished, t);
	/* A failed assertion ends the thread, as if it had returned. */
	(void)owfp_contain_call(t->driver, (const void *)t->start, &thread_site, run_start, t);
	pthread_cleanup_pop(1);
	return NULL;
}

NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
			      POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
			      PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext)
{
	struct _KTHREAD *t;
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	(void)DesiredAccess;
	(void)ObjectAttributes;
	(void)ProcessHandle;
	if (!ThreadHandle || !StartRoutine)
		return STATUS_INVALID_PARAMETER;
	*ThreadHandle = NULL;
	t = owfp_pool_alloc(sizeof(*t), OWFP_TAG_THREAD, true);
	if (!t)
		return STATUS_INSUFFICIENT_RESOURCES;
	KeInitializeEvent(&t->done, NotificationEvent, FALSE);
	t->done.Header.Type = OWFP_THREAD_OBJECT_TYPE;
	t->magic = THREAD_MAGIC;
	t->refs = 2; /* the handle and the running thread */
	t->start = StartRoutine;
	t->context = StartContext;
	t->driver = owfp_contain_current_driver();
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, thread_main, t);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		t->refs = 1;
		thread_unref(t);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (ClientId) {
		ClientId->UniqueProcess = NULL;
		ClientId->UniqueThread = t;
	}
	*ThreadHandle = t;
	return STATUS_SUCCESS;
}

NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
{
	struct _KTHREAD *t = current_system_thread;

	if (!t)
		return STATUS_INVALID_PARAMETER;
	t->exit_status = ExitStatus;
	pthread_exit(NULL);
}

static struct _KTHREAD *thread_from(PVOID p)
{
	struct _KTHREAD *t = p;

	return t && t->magic == THREAD_MAGIC ? t : NULL;
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
				   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
				   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
	struct _KTHREAD *t = thread_from(Handle);

	(void)DesiredAccess;
	(void)AccessMode;
	(void)HandleInformation;
	if (!Object)
		return STATUS_INVALID_PARAMETER;
	*Object = NULL;
	if (!t || (ObjectType && ObjectType != thread_type))
		return STATUS_INVALID_HANDLE;
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_ACQ_REL);
	*Object = t;
	return STATUS_SUCCESS;
}

void ObReferenceObject(PVOID Object)
{
	struct _KTHREAD *t = thread_from(Object);

	if (t)
		__atomic_add_fetch(&t->refs, 1, __ATOMIC_ACQ_REL);
}

void ObDereferenceObject(PVOID Object)
{
	struct _KTHREAD *t = thread_from(Object);

	if (t)
		thread_unref(t);
}

NTSTATUS ZwClose(HANDLE Handle)
{
	struct _KTHREAD *t = thread_from(Handle);

	if (!t)
		return STATUS_INVALID_HANDLE;
	thread_unref(t);
	return STATUS_SUCCESS;
}
