/*
 * Deferred work: I/O work items, DPCs and kernel timers, and the processor
 * queries drivers use to size per-processor state. Included by wdm.h.
 *
 * Threads: work items run on a pool of worker threads (it grows while every
 * worker is busy, so a routine may block on another one); DPCs run one at a
 * time, in queue order, on one DPC thread; timers are kept by one timer
 * thread, which signals them and queues their DPC (never running driver
 * code itself). There is no IRQL: a DPC runs at PASSIVE_LEVEL on its
 * thread, so driver code that only assumes DISPATCH_LEVEL's exclusion
 * rules still holds, and code that waits in a DPC (illegal on Windows)
 * works.
 *
 * Every driver routine started here runs inside assertion containment
 * (docs/porting.md, "Assertions and bug checks"): a failed NT_ASSERT ends
 * that routine, is reported and counted, and the thread goes on.
 *
 * Unloading a plugin first cancels the timers and queued DPCs its driver
 * left behind and waits for its queued and running work items, so no code
 * of an unloaded driver ever runs (Windows would bug-check instead).
 */
#ifndef OPENWFP_WDM_DEFERRED_H
#define OPENWFP_WDM_DEFERRED_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

/* ------------------------------------------------------------ processors */

typedef ULONG_PTR KAFFINITY, *PKAFFINITY;
typedef struct _PROCESSOR_NUMBER {
	USHORT Group;
	UCHAR Number;
	UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;
#define ALL_PROCESSOR_GROUPS 0xffff
#define MAXIMUM_PROCESSORS 64

/*
 * One processor group. The count is every configured CPU (at least 1, at
 * most 64), and the current index is always below it, so an array sized
 * by the count may be indexed by KeGetCurrentProcessorIndex(). The index
 * is the CPU the thread runs on at the moment of the call, as on Windows
 * (it may change right after unless the caller holds a spin lock, and
 * here even then: user threads can always migrate).
 */
ULONG KeGetCurrentProcessorIndex(void);
ULONG KeGetCurrentProcessorNumber(void);
ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);
ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber);
ULONG KeQueryMaximumProcessorCount(void);
ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber);
KAFFINITY KeQueryActiveProcessors(void);
USHORT KeQueryActiveGroupCount(void);
USHORT KeQueryMaximumGroupCount(void);
NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber);
ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber);

/* Interrupt time: 100 ns units since an arbitrary start (monotonic). */
ULONGLONG KeQueryInterruptTime(void);
ULONGLONG KeQueryUnbiasedInterruptTime(void);
/* Clock ticks since start; a tick is KeQueryTimeIncrement() 100 ns units. */
void KeQueryTickCount(PLARGE_INTEGER CurrentCount);
ULONG KeQueryTimeIncrement(void);

/* ------------------------------------------------------------ work items */

typedef struct _IO_WORKITEM IO_WORKITEM, *PIO_WORKITEM;

typedef void IO_WORKITEM_ROUTINE(PDEVICE_OBJECT DeviceObject, PVOID Context);
typedef IO_WORKITEM_ROUTINE *PIO_WORKITEM_ROUTINE;
typedef void IO_WORKITEM_ROUTINE_EX(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem);
typedef IO_WORKITEM_ROUTINE_EX *PIO_WORKITEM_ROUTINE_EX;

/* Every queue type is the same pool here. */
typedef enum _WORK_QUEUE_TYPE {
	CriticalWorkQueue,
	DelayedWorkQueue,
	HyperCriticalWorkQueue,
	NormalWorkQueue,
	BackgroundWorkQueue,
	RealTimeWorkQueue,
	SuperCriticalWorkQueue,
	MaximumWorkQueue,
	CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

/*
 * A work item belongs to a device object (IoAllocateWorkItem) or to the
 * driver or device object given to IoInitializeWorkItem (storage of
 * IoSizeofWorkItem() bytes owned by the driver). It may be queued again
 * once its routine has started, and freed or uninitialized from inside its
 * own routine. Queuing it while it is still queued, or freeing it while
 * queued, is a driver bug and handled as a bug check (contained).
 */
PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject);
void IoFreeWorkItem(PIO_WORKITEM IoWorkItem);
ULONG IoSizeofWorkItem(void);
void IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem);
void IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem);
void IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
		     WORK_QUEUE_TYPE QueueType, PVOID Context);
void IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
		       WORK_QUEUE_TYPE QueueType, PVOID Context);
/* FALSE (nothing queued) when the item is still queued from before. */
BOOLEAN IoTryQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
			   WORK_QUEUE_TYPE QueueType, PVOID Context);

/* The older executive work items, on the same pool. */
typedef void WORKER_THREAD_ROUTINE(PVOID Parameter);
typedef WORKER_THREAD_ROUTINE *PWORKER_THREAD_ROUTINE;
typedef struct _WORK_QUEUE_ITEM {
	LIST_ENTRY List;
	PWORKER_THREAD_ROUTINE WorkerRoutine;
	volatile PVOID Parameter;
} WORK_QUEUE_ITEM, *PWORK_QUEUE_ITEM;
#define ExInitializeWorkItem(Item, Routine, Context) \
	do {                                         \
		(Item)->WorkerRoutine = (Routine);   \
		(Item)->Parameter = (Context);       \
		(Item)->List.Flink = NULL;           \
	} while (0)
void ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType);

/* ------------------------------------------------------------------ DPCs */

typedef char CCHAR;
struct _KDPC;
typedef void KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			       PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef enum _KDPC_IMPORTANCE {
	LowImportance,
	MediumImportance,
	HighImportance,
	MediumHighImportance
} KDPC_IMPORTANCE;

#define DPC_NORMAL 0
#define DPC_THREADED 1

typedef struct _KDPC {
	UCHAR Type;
	UCHAR Importance;
	volatile USHORT Number;
	SINGLE_LIST_ENTRY DpcListEntry;
	KAFFINITY ProcessorHistory;
	PKDEFERRED_ROUTINE DeferredRoutine;
	PVOID DeferredContext;
	PVOID SystemArgument1;
	PVOID SystemArgument2;
	volatile PVOID DpcData;    /* not NULL while queued */
	PDRIVER_OBJECT OwfpDriver; /* openwfp private: whose code the routine is */
	ULONGLONG OwfpSeq;         /* openwfp private: queue order */
} KDPC, *PKDPC, *PRKDPC;

void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
void KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
/* TRUE if queued now; FALSE if it was queued already (the arguments of
 * the first insertion are kept). */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
/* TRUE if it was queued (it will not run for that insertion). */
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);
/* Returns once every DPC queued before the call has run or been removed. */
void KeFlushQueuedDpcs(void);
/* Accepted; one DPC thread serves every processor here. */
void KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);
void KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number);
NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber);

/* ---------------------------------------------------------------- timers */

typedef enum _TIMER_TYPE { NotificationTimer, SynchronizationTimer } TIMER_TYPE;
#define TimerNotificationObject 8
#define TimerSynchronizationObject 9

/*
 * A timer is also a dispatcher object: KeWaitForSingleObject waits until it
 * expires (a synchronization timer is reset by the satisfied wait). The
 * first three members match KEVENT's for that reason.
 */
typedef struct _KTIMER {
	DISPATCHER_HEADER Header;
	pthread_mutex_t OwfpMutex;
	pthread_cond_t OwfpCond;
	ULARGE_INTEGER DueTime; /* monotonic 100 ns deadline while set */
	LIST_ENTRY TimerListEntry;
	struct _KDPC *Dpc;
	ULONG Processor;
	LONG Period;               /* milliseconds; 0 = one-shot */
	BOOLEAN OwfpInserted;      /* openwfp private */
	PDRIVER_OBJECT OwfpDriver; /* openwfp private */
} KTIMER, *PKTIMER, *PRKTIMER;

void KeInitializeTimer(PKTIMER Timer);
void KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
/*
 * DueTime: negative = relative, positive = absolute system time, in 100 ns
 * units (as KeWaitForSingleObject). At expiry the timer is signalled and
 * Dpc (if given) queued with the due time's low and high parts as
 * SystemArgument1/2. Period (ms) re-arms it. Return TRUE if the timer was
 * set already (it is re-set, not set twice).
 */
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc);
/* TRUE if the timer was set. A DPC already queued by it is not removed. */
BOOLEAN KeCancelTimer(PKTIMER Timer);
BOOLEAN KeReadStateTimer(PKTIMER Timer);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDM_DEFERRED_H */
