/*
 * The user-mode interface of drv_kmdf_ctl.c, as a driver's ioctl.h shares
 * it with its service: device names and I/O control codes.
 */
#ifndef DRV_KMDF_CTL_IOCTL_H
#define DRV_KMDF_CTL_IOCTL_H

#define KMDF_CTL_DEVICE_NAME L"\\Device\\OwfpKmdfCtl"
#define KMDF_CTL_SYMBOLIC_NAME L"\\DosDevices\\Global\\OwfpKmdfCtl"

#define KMDF_CTL_DEVICE_TYPE 0x8421 /* FILE_DEVICE_* range left to vendors */

/* Out: KMDF_CTL_STATE. */
#define IOCTL_KMDF_CTL_GET_STATE \
	CTL_CODE(KMDF_CTL_DEVICE_TYPE, 0x901, METHOD_BUFFERED, FILE_READ_ACCESS)
/* In: 1..63 bytes of text, the word the driver watches for. */
#define IOCTL_KMDF_CTL_SET_WORD \
	CTL_CODE(KMDF_CTL_DEVICE_TYPE, 0x902, METHOD_BUFFERED, FILE_WRITE_ACCESS)
/* Held by the driver until cancelled (the caller gives up). */
#define IOCTL_KMDF_CTL_WAIT CTL_CODE(KMDF_CTL_DEVICE_TYPE, 0x903, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef struct KMDF_CTL_STATE {
	UINT32 Port;       /* Parameters\InspectionPort (REG_DWORD), default 8888 */
	UINT32 CalloutId;  /* from FwpsCalloutRegister */
	UINT32 Requests;   /* IOCTLs the queue has seen, this one included */
	UINT32 WordLength; /* characters */
	char Word[64];     /* Parameters\Word (REG_SZ), default "rainy", or the last SET_WORD */
} KMDF_CTL_STATE;

#endif /* DRV_KMDF_CTL_IOCTL_H */
