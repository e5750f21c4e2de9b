/*
 * The WDM I/O-manager subset behind DeviceIoControl: IRPs, stack locations,
 * file objects, IoCompleteRequest, symbolic links, I/O control codes, and
 * the registry value types and access rights drivers name.
 *
 * wdm.h includes it at its end; included first, it brings wdm.h in.
 *
 * What the I/O manager does here (src/wdm/ioctl.c): owfp_device_ioctl
 * opens the device (IRP_MJ_CREATE), sends IRP_MJ_DEVICE_CONTROL, then
 * IRP_MJ_CLEANUP and IRP_MJ_CLOSE, each to the driver's MajorFunction
 * entry; a driver without an entry answers STATUS_INVALID_DEVICE_REQUEST,
 * as Windows' default dispatch does. A dispatch routine may complete the
 * IRP before returning or return STATUS_PENDING (after IoMarkIrpPending)
 * and complete it later from any thread.
 *
 * Every IRP has exactly one stack location (no driver stacking), so
 * IoCallDriver and completion routines are not provided.
 */
#ifndef OPENWFP_WDM_IO_H
#define OPENWFP_WDM_IO_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

/* I/O control codes (CTL_CODE, METHOD_*, FILE_*_ACCESS): devioctl.h, via wdm.h. */
#include "devioctl.h"

/* ------------------------------------------------------------- registry */

#ifndef REG_NONE
#define REG_NONE 0
#define REG_SZ 1
#define REG_EXPAND_SZ 2
#define REG_BINARY 3
#define REG_DWORD 4
#define REG_DWORD_LITTLE_ENDIAN 4
#define REG_DWORD_BIG_ENDIAN 5
#define REG_MULTI_SZ 7
#define REG_QWORD 11
#endif
#ifndef KEY_QUERY_VALUE
#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_CREATE_LINK 0x0020
#endif
#ifndef STANDARD_RIGHTS_READ
#define STANDARD_RIGHTS_READ 0x00020000
#define STANDARD_RIGHTS_WRITE 0x00020000
#define STANDARD_RIGHTS_ALL 0x001F0000
#endif
#ifndef KEY_READ
#define KEY_READ                                                                          \
	((STANDARD_RIGHTS_READ | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY) & \
	 ~SYNCHRONIZE)
#define KEY_WRITE ((STANDARD_RIGHTS_WRITE | KEY_SET_VALUE | KEY_CREATE_SUB_KEY) & ~SYNCHRONIZE)
#define KEY_ALL_ACCESS 0x000F003F
#endif

/* ------------------------------------------------------------ IRP types */

#ifndef STATUS_IO_TIMEOUT
#define STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5L)
#endif
#ifndef STATUS_OBJECT_TYPE_MISMATCH
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024L)
#endif
#ifndef STATUS_DELETE_PENDING
#define STATUS_DELETE_PENDING ((NTSTATUS)0xC0000056L)
#endif
#ifndef STATUS_OBJECT_NAME_INVALID
#define STATUS_OBJECT_NAME_INVALID ((NTSTATUS)0xC0000033L)
#endif
#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)
#endif
#ifndef STATUS_NO_SUCH_DEVICE
#define STATUS_NO_SUCH_DEVICE ((NTSTATUS)0xC000000EL)
#endif
#ifndef STATUS_INTERNAL_ERROR
#define STATUS_INTERNAL_ERROR ((NTSTATUS)0xC00000E5L)
#endif
#ifndef STATUS_NO_MORE_ENTRIES
#define STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001AL)
#endif
#ifndef STATUS_INVALID_DEVICE_REQUEST
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010L)
#endif

#ifndef DO_EXCLUSIVE
#define DO_EXCLUSIVE 0x00000008
#endif
#define IO_TYPE_IRP 6
#define IO_TYPE_FILE 5
#define SL_PENDING_RETURNED 0x01

struct _MDL;
struct _IO_STACK_LOCATION;

typedef struct _IO_STATUS_BLOCK {
	__extension__ union {
		NTSTATUS Status;
		PVOID Pointer;
	};
	ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

/* What CreateFile opened: one per owfp_device_ioctl call. */
typedef struct _FILE_OBJECT {
	CSHORT Type;
	CSHORT Size;
	PDEVICE_OBJECT DeviceObject;
	PVOID FsContext;  /* the driver's, per open */
	PVOID FsContext2; /* the driver's, per open */
	UNICODE_STRING FileName;
	ULONG Flags;
} FILE_OBJECT, *PFILE_OBJECT;

typedef void DRIVER_CANCEL(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_CANCEL *PDRIVER_CANCEL;

struct _IRP {
	CSHORT Type;
	USHORT Size;
	struct _MDL *MdlAddress; /* METHOD_IN_DIRECT / METHOD_OUT_DIRECT output buffer */
	ULONG Flags;
	union {
		struct _IRP *MasterIrp;
		LONG IrpCount;
		PVOID SystemBuffer; /* METHOD_BUFFERED in and out; DIRECT input */
	} AssociatedIrp;
	LIST_ENTRY ThreadListEntry;
	IO_STATUS_BLOCK IoStatus;
	KPROCESSOR_MODE RequestorMode;
	BOOLEAN PendingReturned;
	CHAR StackCount;
	CHAR CurrentLocation;
	BOOLEAN Cancel;
	KIRQL CancelIrql;
	PDRIVER_CANCEL CancelRoutine;
	PVOID UserBuffer; /* METHOD_NEITHER output buffer */
	union {
		struct {
			PVOID DriverContext[4];
			PETHREAD Thread;
			LIST_ENTRY ListEntry;
			struct _IO_STACK_LOCATION *CurrentStackLocation;
			PFILE_OBJECT OriginalFileObject;
		} Overlay;
	} Tail;
	void *OwfpHost; /* openwfp private: the I/O manager's bookkeeping; never touch */
};

typedef struct _IO_STACK_LOCATION {
	UCHAR MajorFunction;
	UCHAR MinorFunction;
	UCHAR Flags;
	UCHAR Control;
	union {
		struct {
			PVOID SecurityContext;
			ULONG Options;
			USHORT FileAttributes;
			USHORT ShareAccess;
			ULONG EaLength;
		} Create;
		struct {
			ULONG Length;
			ULONG Key;
			LARGE_INTEGER ByteOffset;
		} Read;
		struct {
			ULONG Length;
			ULONG Key;
			LARGE_INTEGER ByteOffset;
		} Write;
		struct {
			ULONG OutputBufferLength;
			ULONG InputBufferLength;
			ULONG IoControlCode;
			PVOID Type3InputBuffer; /* METHOD_NEITHER input buffer */
		} DeviceIoControl;
		struct {
			PVOID Argument1;
			PVOID Argument2;
			PVOID Argument3;
			PVOID Argument4;
		} Others;
	} Parameters;
	PDEVICE_OBJECT DeviceObject;
	PFILE_OBJECT FileObject;
	PVOID CompletionRoutine;
	PVOID Context;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

static inline PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp)
{
	return Irp->Tail.Overlay.CurrentStackLocation;
}

static inline void IoMarkIrpPending(PIRP Irp)
{
	IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
}

/*
 * Completes the IRP: the status and Information the driver put in
 * Irp->IoStatus go back to the caller of DeviceIoControl (for
 * METHOD_BUFFERED, Information bytes of SystemBuffer are copied to the
 * caller's output buffer unless the status is an error). The IRP must not be
 * touched afterwards. Completing an IRP twice is reported and ignored.
 */
void IoCompleteRequest(PIRP Irp, CHAR PriorityBoost);
#define IofCompleteRequest IoCompleteRequest

/*
 * Cancel routines: a driver that holds an IRP pending may set one. It runs
 * (with Irp->Cancel set) when the caller gives up waiting, and must complete
 * the IRP (usually with STATUS_CANCELLED) after IoReleaseCancelSpinLock.
 * Returns the previous routine.
 */
PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine);
void IoAcquireCancelSpinLock(PKIRQL Irql);
void IoReleaseCancelSpinLock(KIRQL Irql);

/*
 * Symbolic links, as in the object manager's \?? directory: the link name
 * (\??\X or \DosDevices\X) refers to a device name (\Device\Y). Returns
 * STATUS_OBJECT_NAME_COLLISION when the link exists, STATUS_OBJECT_NAME_INVALID
 * for a name outside \?? / \DosDevices / \GLOBAL??.
 */
NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName);
NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDM_IO_H */
