/*
 * The WDM subset a WFP callout driver uses, on top of pthreads and malloc.
 *
 * IRQL: user space has no interrupt levels. Everything runs at
 * PASSIVE_LEVEL: KeGetCurrentIrql() always answers PASSIVE_LEVEL, and the
 * spin-lock calls report PASSIVE_LEVEL as the old level. A spin lock is a
 * pthread mutex (not recursive, as on Windows).
 *
 * Pools: every pool type is malloc. Allocations carry their tag; the
 * runtime counts outstanding allocations per tag so that tests can check a
 * callout for leaks, and can make any allocation fail. Freeing with the
 * wrong tag is counted, not a bug check.
 *
 * Pool tags are written 'gaTx' in Windows code, a multi-character
 * constant. GCC warns about those by default, so this header switches that
 * one warning off for the rest of the translation unit.
 */
#ifndef OPENWFP_WDM_H
#define OPENWFP_WDM_H

#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <wctype.h>

#include "ntdef.h"
#include "devioctl.h"
#include "wdm_interlocked.h"
#include "wdm_assert.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wmultichar"
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#endif

OWFP_EXTERN_C_BEGIN

/* ------------------------------------------------------------------ IRQL */

typedef UCHAR KIRQL, *PKIRQL;
#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

static inline KIRQL KeGetCurrentIrql(void)
{
	return PASSIVE_LEVEL;
}
#define KeRaiseIrql(NewIrql, OldIrql) ((void)(NewIrql), *(OldIrql) = PASSIVE_LEVEL)
#define KeLowerIrql(NewIrql) ((void)(NewIrql))
#define KeRaiseIrqlToDpcLevel() ((KIRQL)PASSIVE_LEVEL)
#define PAGED_CODE() ((void)0)

/* ------------------------------------------------------------- spin locks */

typedef struct _KSPIN_LOCK {
	pthread_mutex_t OwfpMutex;
} KSPIN_LOCK, *PKSPIN_LOCK;

typedef struct _KLOCK_QUEUE_HANDLE {
	PKSPIN_LOCK OwfpLock;
	KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

void KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
void KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql);
void KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
void KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
void KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);

/* ------------------------------------------------------- interlocked ops */

/* In wdm_interlocked.h (included at the top of this file). */

/* ------------------------------------------------------------ fast mutexes */

/* A FAST_MUTEX is a pthread mutex too (a zero-filled one is unlocked). */
typedef struct _FAST_MUTEX {
	pthread_mutex_t OwfpMutex;
} FAST_MUTEX, *PFAST_MUTEX;

static inline void ExInitializeFastMutex(PFAST_MUTEX FastMutex)
{
	pthread_mutex_init(&FastMutex->OwfpMutex, NULL);
}
static inline void ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
	pthread_mutex_lock(&FastMutex->OwfpMutex);
}
static inline void ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
	pthread_mutex_unlock(&FastMutex->OwfpMutex);
}
static inline BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
	return (BOOLEAN)(pthread_mutex_trylock(&FastMutex->OwfpMutex) == 0);
}

/* Guarded mutexes are fast mutexes (APCs do not exist here). */
typedef FAST_MUTEX KGUARDED_MUTEX, *PKGUARDED_MUTEX;
#define KeInitializeGuardedMutex ExInitializeFastMutex
#define KeAcquireGuardedMutex ExAcquireFastMutex
#define KeAcquireGuardedMutexUnsafe ExAcquireFastMutex
#define KeReleaseGuardedMutex ExReleaseFastMutex
#define KeReleaseGuardedMutexUnsafe ExReleaseFastMutex
#define KeTryToAcquireGuardedMutex ExTryToAcquireFastMutex
#define ExAcquireFastMutexUnsafe ExAcquireFastMutex
#define ExReleaseFastMutexUnsafe ExReleaseFastMutex
/* Critical and guarded regions only hold off APCs: nothing to do. */
#define KeEnterCriticalRegion() ((void)0)
#define KeLeaveCriticalRegion() ((void)0)
#define KeEnterGuardedRegion() ((void)0)
#define KeLeaveGuardedRegion() ((void)0)

/* ---------------------------------------------------------- doubly linked */

static inline void InitializeListHead(PLIST_ENTRY ListHead)
{
	ListHead->Flink = ListHead->Blink = ListHead;
}
static inline BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
	return (BOOLEAN)(ListHead->Flink == ListHead);
}
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
	PLIST_ENTRY prev = Entry->Blink;
	PLIST_ENTRY next = Entry->Flink;

	prev->Flink = next;
	next->Blink = prev;
	return (BOOLEAN)(prev == next);
}
static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY entry = ListHead->Flink;

	RemoveEntryList(entry);
	return entry;
}
static inline PLIST_ENTRY RemoveTailList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY entry = ListHead->Blink;

	RemoveEntryList(entry);
	return entry;
}
static inline void InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY last = ListHead->Blink;

	Entry->Flink = ListHead;
	Entry->Blink = last;
	last->Flink = Entry;
	ListHead->Blink = Entry;
}
static inline void InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY first = ListHead->Flink;

	Entry->Flink = first;
	Entry->Blink = ListHead;
	first->Blink = Entry;
	ListHead->Flink = Entry;
}
static inline void AppendTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListToAppend)
{
	PLIST_ENTRY last = ListHead->Blink;

	ListHead->Blink->Flink = ListToAppend;
	ListHead->Blink = ListToAppend->Blink;
	ListToAppend->Blink->Flink = ListHead;
	ListToAppend->Blink = last;
}
static inline void PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry)
{
	Entry->Next = ListHead->Next;
	ListHead->Next = Entry;
}
static inline PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead)
{
	PSINGLE_LIST_ENTRY first = ListHead->Next;

	if (first)
		ListHead->Next = first->Next;
	return first;
}

/* List operations under a spin lock (the ExInterlocked* forms). */
static inline PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
						      PKSPIN_LOCK Lock)
{
	PLIST_ENTRY first;
	KIRQL irql;

	KeAcquireSpinLock(Lock, &irql);
	first = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
	InsertHeadList(ListHead, ListEntry);
	KeReleaseSpinLock(Lock, irql);
	return first;
}
static inline PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry,
						      PKSPIN_LOCK Lock)
{
	PLIST_ENTRY last;
	KIRQL irql;

	KeAcquireSpinLock(Lock, &irql);
	last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
	InsertTailList(ListHead, ListEntry);
	KeReleaseSpinLock(Lock, irql);
	return last;
}
static inline PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock)
{
	PLIST_ENTRY entry = NULL;
	KIRQL irql;

	KeAcquireSpinLock(Lock, &irql);
	if (!IsListEmpty(ListHead))
		entry = RemoveHeadList(ListHead);
	KeReleaseSpinLock(Lock, irql);
	return entry;
}
static inline PSINGLE_LIST_ENTRY ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
							    PSINGLE_LIST_ENTRY ListEntry,
							    PKSPIN_LOCK Lock)
{
	PSINGLE_LIST_ENTRY first;
	KIRQL irql;

	KeAcquireSpinLock(Lock, &irql);
	first = ListHead->Next;
	PushEntryList(ListHead, ListEntry);
	KeReleaseSpinLock(Lock, irql);
	return first;
}
static inline PSINGLE_LIST_ENTRY ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
							   PKSPIN_LOCK Lock)
{
	PSINGLE_LIST_ENTRY entry;
	KIRQL irql;

	KeAcquireSpinLock(Lock, &irql);
	entry = PopEntryList(ListHead);
	KeReleaseSpinLock(Lock, irql);
	return entry;
}

/* ----------------------------------------------------------- Rtl memory */

#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlEqualMemory(Source1, Source2, Length) (!memcmp((Source1), (Source2), (Length)))
/* Zeroes through volatile stores, so the compiler cannot drop it. */
static inline PVOID RtlSecureZeroMemory(PVOID Destination, SIZE_T Length)
{
	volatile UCHAR *p = (volatile UCHAR *)Destination;

	while (Length--)
		*p++ = 0;
	return Destination;
}
#define RtlUshortByteSwap(Source) ((USHORT)__builtin_bswap16((USHORT)(Source)))
#define RtlUlongByteSwap(Source) ((ULONG)__builtin_bswap32((ULONG)(Source)))
#define RtlUlonglongByteSwap(Source) ((ULONGLONG)__builtin_bswap64((ULONGLONG)(Source)))

/* Number of leading bytes that match. */
SIZE_T RtlCompareMemory(const void *Source1, const void *Source2, SIZE_T Length);

/* Points DestinationString at SourceString (no copy); NULL gives an empty string. */
void RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
/* An empty string over the caller's buffer of BufferSize bytes (WDK's macro). */
#define RtlInitEmptyUnicodeString(UnicodeString, Buffer_, BufferSize)      \
	((UnicodeString)->Buffer = (Buffer_), (UnicodeString)->Length = 0, \
	 (UnicodeString)->MaximumLength = (USHORT)(BufferSize))
void RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString);
BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
			      BOOLEAN CaseInSensitive);

/*
 * Conversions between WCHAR strings and the multi-byte code page, which is
 * UTF-8 here (Windows uses the system ANSI/OEM code page; ASCII text gives
 * the same bytes either way). Sizes are in bytes; nothing is
 * NUL-terminated unless the source counts a NUL. A destination too small
 * takes what fits, with STATUS_BUFFER_OVERFLOW (the N forms on Windows
 * truncate silently and return STATUS_SUCCESS; a truncated conversion is
 * reported here instead, fail closed, and the written count still tells
 * what was converted). A character that cannot be converted becomes '?'
 * (to multi-byte) or U+FFFD (to WCHAR).
 */
NTSTATUS RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
				PULONG BytesInMultiByteString, PCWCH UnicodeString,
				ULONG BytesInUnicodeString);
NTSTATUS RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, PCWCH UnicodeString,
				   ULONG BytesInUnicodeString);
NTSTATUS RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
				PULONG BytesInUnicodeString, const CHAR *MultiByteString,
				ULONG BytesInMultiByteString);
NTSTATUS RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
				   ULONG BytesInMultiByteString);
#define RtlUnicodeToUTF8N(d, dmax, dlen, s, slen) \
	RtlUnicodeToMultiByteN((d), (dmax), (dlen), (s), (slen))
#define RtlUTF8ToUnicodeN(d, dmax, dlen, s, slen) \
	RtlMultiByteToUnicodeN((d), (dmax), (dlen), (s), (slen))
/* UNICODE_STRING <-> ANSI_STRING; Allocate takes the buffer from the pool
 * (free it with RtlFreeAnsiString / RtlFreeUnicodeString). */
NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
				      BOOLEAN AllocateDestinationString);
NTSTATUS RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
				      const ANSI_STRING *SourceString,
				      BOOLEAN AllocateDestinationString);
void RtlFreeAnsiString(PANSI_STRING AnsiString);
void RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
void RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
			     BOOLEAN CaseInSensitive);

/* -------------------------------------------------- kernel C runtime */

/* The case-insensitive compares ntoskrnl exports (ASCII / towlower). */
static inline int _strnicmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = tolower((unsigned char)a[i]), y = tolower((unsigned char)b[i]);

		if (x != y || !x)
			return x - y;
	}
	return 0;
}
static inline int _stricmp(const char *a, const char *b)
{
	return _strnicmp(a, b, (size_t)-1);
}
static inline int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		wint_t x = towlower((wint_t)a[i]), y = towlower((wint_t)b[i]);

		if (x != y || !x)
			return x < y ? -1 : x > y ? 1 : 0;
	}
	return 0;
}
static inline int _wcsicmp(const wchar_t *a, const wchar_t *b)
{
	return _wcsnicmp(a, b, (size_t)-1);
}

/* ---------------------------------------------------------------- pools */

typedef enum _POOL_TYPE {
	NonPagedPool = 0,
	NonPagedPoolExecute = 0,
	PagedPool = 1,
	NonPagedPoolMustSucceed = 2,
	DontUseThisType = 3,
	NonPagedPoolCacheAligned = 4,
	PagedPoolCacheAligned = 5,
	NonPagedPoolCacheAlignedMustS = 6,
	MaxPoolType = 7,
	NonPagedPoolBase = 0,
	NonPagedPoolNx = 512,
	NonPagedPoolNxCacheAligned = 516,
	NonPagedPoolSessionNx = 544,
} POOL_TYPE;

typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RESERVED1 0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL

/* Zeroed unless POOL_FLAG_UNINITIALIZED. NULL when no pool type is named. */
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
/* Not zeroed. */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
/* Zeroed. */
PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
void ExFreePoolWithTag(PVOID P, ULONG Tag);
void ExFreePool(PVOID P);
#define ExAllocatePool(PoolType, NumberOfBytes) \
	ExAllocatePoolWithTag((PoolType), (NumberOfBytes), 'enoN')

/* Opts a driver in to non-executable pools (POOL_NX_OPTIN): sets
 * ExDefaultNonPagedPoolType and ExDefaultMdlProtection as Windows does;
 * every pool is the same memory here. */
#define DrvRtPoolNxOptIn 0x00000001
void ExInitializeDriverRuntime(ULONG RuntimeFlags);
extern POOL_TYPE ExDefaultNonPagedPoolType;
extern ULONG ExDefaultMdlProtection;

/* ----------------------------------------------------------- debug output */

/* DbgPrintEx component ids and levels (only the ones drivers commonly use). */
#define DPFLTR_IHVDRIVER_ID 77
#define DPFLTR_IHVVIDEO_ID 78
#define DPFLTR_IHVAUDIO_ID 79
#define DPFLTR_IHVNETWORK_ID 80
#define DPFLTR_IHVSTREAMING_ID 81
#define DPFLTR_IHVBUS_ID 82
#define DPFLTR_DEFAULT_ID 101
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000u

/*
 * Write to stderr. The Windows-only conversions %wZ, %Z, %ws, %S and the
 * %I64/%I32 size prefixes are understood, and the l prefix means 32 bits
 * as on Windows. Setting OWFP_DBGPRINT=0 in the environment silences them.
 * (No printf format attribute: it would reject those Windows conversions.)
 */
ULONG DbgPrint(PCSTR Format, ...);
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
#define KdPrint(args) ((void)DbgPrint args)
#define KdPrintEx(args) ((void)DbgPrintEx args)
#define DbgBreakPoint() ((void)0)
#define KdBreakPoint() ((void)0)

/* ASSERT, NT_ASSERT, NT_VERIFY, KeBugCheckEx: wdm_assert.h. */

/* ------------------------------------------------------------------ time */

/* 100-nanosecond intervals since 1601-01-01 UTC. */
void KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
/* Monotonic counter; *PerformanceFrequency (if given) is its tick rate. */
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);

/* ------------------------------------------------ events, waits and threads */

/*
 * Dispatcher objects a driver can wait on: events and system threads.
 * Events are a mutex and a condition variable (monotonic clock). A thread
 * object becomes signalled when its thread ends, so waiting on it joins.
 * Handles from PsCreateSystemThread are the thread object itself, counted:
 * ZwClose and ObDereferenceObject each drop one reference.
 */
typedef LONG KPRIORITY;
typedef CHAR KPROCESSOR_MODE;
#define KernelMode 0
#define UserMode 1
typedef enum _KWAIT_REASON { Executive = 0, UserRequest = 6 } KWAIT_REASON;
typedef enum _EVENT_TYPE { NotificationEvent = 0, SynchronizationEvent = 1 } EVENT_TYPE;
#define IO_NO_INCREMENT 0
#define EVENT_INCREMENT 1
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000L)

typedef struct _DISPATCHER_HEADER {
	UCHAR Type; /* EVENT_TYPE for events; 6 for a thread */
	UCHAR OwfpReserved[3];
	LONG SignalState;
} DISPATCHER_HEADER;

typedef struct _KEVENT {
	DISPATCHER_HEADER Header;
	pthread_mutex_t OwfpMutex;
	pthread_cond_t OwfpCond;
} KEVENT, *PKEVENT, *PRKEVENT;

void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
/* Returns the previous state. Increment and Wait are ignored. */
LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG KeResetEvent(PRKEVENT Event);
void KeClearEvent(PRKEVENT Event);
LONG KeReadStateEvent(PRKEVENT Event);

/*
 * Waits for an event or a thread object. Timeout NULL waits forever; a
 * negative value is relative, in 100 ns units; a positive one is an
 * absolute KeQuerySystemTime value; zero only tests. Returns STATUS_SUCCESS
 * or STATUS_TIMEOUT. A satisfied wait resets a SynchronizationEvent.
 */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
			       BOOLEAN Alertable, PLARGE_INTEGER Timeout);
/* Sleeps for Interval (relative if negative, as above). */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);

typedef ULONG ACCESS_MASK;
#define THREAD_ALL_ACCESS 0x001fffff
#define SYNCHRONIZE 0x00100000
#define OBJ_KERNEL_HANDLE 0x00000200

typedef struct _OBJECT_ATTRIBUTES {
	ULONG Length;
	HANDLE RootDirectory;
	PUNICODE_STRING ObjectName;
	ULONG Attributes;
	PVOID SecurityDescriptor;
	PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
#define InitializeObjectAttributes(p, n, a, r, s)        \
	do {                                             \
		(p)->Length = sizeof(OBJECT_ATTRIBUTES); \
		(p)->RootDirectory = (r);                \
		(p)->Attributes = (a);                   \
		(p)->ObjectName = (n);                   \
		(p)->SecurityDescriptor = (s);           \
		(p)->SecurityQualityOfService = NULL;    \
	} while (0)

typedef struct _CLIENT_ID {
	HANDLE UniqueProcess;
	HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

typedef struct _OBJECT_TYPE *POBJECT_TYPE;
typedef struct _OBJECT_HANDLE_INFORMATION *POBJECT_HANDLE_INFORMATION;
extern POBJECT_TYPE *PsThreadType;
typedef struct _KTHREAD *PKTHREAD, *PRKTHREAD, *PETHREAD;

typedef void KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;

/* Starts StartRoutine(StartContext) on a new thread (a pthread). */
NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
			      POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle,
			      PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext);
/* Ends the calling system thread; STATUS_INVALID_PARAMETER from any other. */
NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus);
/* The thread object behind a handle from PsCreateSystemThread, referenced. */
NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess,
				   POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
				   PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation);
void ObReferenceObject(PVOID Object);
void ObDereferenceObject(PVOID Object);
#define ObfReferenceObject ObReferenceObject
#define ObfDereferenceObject ObDereferenceObject
NTSTATUS ZwClose(HANDLE Handle);

/* ------------------------------------------------- driver and device objects */

typedef ULONG DEVICE_TYPE;
#define DO_BUFFERED_IO 0x00000004
#define DO_DIRECT_IO 0x00000010
#define DO_DEVICE_INITIALIZING 0x00000080

#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b

/* IRPs are never sent here: the type exists so dispatch routines compile. */
typedef struct _IRP IRP, *PIRP;

struct _DRIVER_OBJECT;

typedef struct _DEVICE_OBJECT {
	SHORT Type;
	USHORT Size;
	LONG ReferenceCount;
	struct _DRIVER_OBJECT *DriverObject;
	struct _DEVICE_OBJECT *NextDevice;
	struct _DEVICE_OBJECT *AttachedDevice;
	PIRP CurrentIrp;
	ULONG Flags;
	ULONG Characteristics;
	PVOID DeviceExtension;
	DEVICE_TYPE DeviceType;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject, PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef void DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef NTSTATUS DRIVER_DISPATCH(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef void DRIVER_STARTIO(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_STARTIO *PDRIVER_STARTIO;

typedef struct _DRIVER_OBJECT {
	SHORT Type;
	SHORT Size;
	PDEVICE_OBJECT DeviceObject; /* devices created by IoCreateDevice, newest first */
	ULONG Flags;
	PVOID DriverStart;
	ULONG DriverSize;
	PVOID DriverSection;
	PVOID DriverExtension;
	UNICODE_STRING DriverName;
	PUNICODE_STRING HardwareDatabase;
	PVOID FastIoDispatch;
	PDRIVER_INITIALIZE DriverInit;
	PDRIVER_STARTIO DriverStartIo;
	PDRIVER_UNLOAD DriverUnload;
	PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
	void *OwfpHost; /* openwfp private: the loader's bookkeeping; never touch */
} DRIVER_OBJECT, *PDRIVER_OBJECT;

/*
 * Creates a device object owned by DriverObject, with a zeroed extension of
 * DeviceExtensionSize bytes. The name is not registered anywhere (no object
 * namespace here). Devices still present at unload are deleted for the
 * driver.
 */
NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
			PUNICODE_STRING DeviceName, DEVICE_TYPE DeviceType,
			ULONG DeviceCharacteristics, BOOLEAN Exclusive, PDEVICE_OBJECT *DeviceObject);
void IoDeleteDevice(PDEVICE_OBJECT DeviceObject);

OWFP_EXTERN_C_END

#include "wdm_deferred.h"
#include "wdm_lookaside.h"
#include "wdm_io.h"

#endif /* OPENWFP_WDM_H */
