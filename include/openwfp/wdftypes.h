/*
 * KMDF basic types: object handles, tri-state, the "no ..." constants.
 *
 * Handles are opaque pointers, as in the WDK: each WDFXXX is a pointer to
 * its own incomplete struct, so handles of different kinds do not mix,
 * and WDFOBJECT (a HANDLE) takes any of them. The KMDF calls are ordinary
 * functions exported by libopenwfp (no WdfFunctions table, no
 * WdfDriverGlobals); see src/wdf/ for what each does.
 */
#ifndef OPENWFP_WDFTYPES_H
#define OPENWFP_WDFTYPES_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

#define KMDF_VERSION_MAJOR 1
#define KMDF_VERSION_MINOR 15

#ifndef DECLARE_HANDLE
#define DECLARE_HANDLE(name) \
	struct name##__ {    \
		int unused;  \
	};                   \
	typedef struct name##__ *name
#endif

typedef HANDLE WDFOBJECT, *PWDFOBJECT;
DECLARE_HANDLE(WDFDRIVER);
DECLARE_HANDLE(WDFDEVICE);
DECLARE_HANDLE(WDFQUEUE);
DECLARE_HANDLE(WDFREQUEST);
DECLARE_HANDLE(WDFMEMORY);
DECLARE_HANDLE(WDFKEY);
DECLARE_HANDLE(WDFSPINLOCK);
DECLARE_HANDLE(WDFWAITLOCK);
DECLARE_HANDLE(WDFFILEOBJECT);
DECLARE_HANDLE(WDFSTRING);
DECLARE_HANDLE(WDFCOLLECTION);

typedef enum _WDF_TRI_STATE {
	WdfFalse = FALSE,
	WdfTrue = TRUE,
	WdfUseDefault = 2,
} WDF_TRI_STATE,
	*PWDF_TRI_STATE;

#define WDF_NO_OBJECT_ATTRIBUTES NULL
#define WDF_NO_EVENT_CALLBACK NULL
#define WDF_NO_HANDLE NULL
#define WDF_NO_CONTEXT NULL
#define WDF_NO_SEND_OPTIONS NULL

#define WDFAPI
#define WDF_EXTERN_C EXTERN_C

/* Alignment annotations of the WDK structures: nothing to do on LP64. */
#ifndef POINTER_ALIGNMENT
#define POINTER_ALIGNMENT
#endif

/* WDF_ALIGN_SIZE_UP: length rounded up to a multiple of AlignTo (a power of two). */
#define WDF_ALIGN_SIZE_UP(Length, AlignTo) (((Length) + (AlignTo)-1) & ~((size_t)(AlignTo)-1))
#define WDF_ALIGN_SIZE_DOWN(Length, AlignTo) ((Length) & ~((size_t)(AlignTo)-1))

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFTYPES_H */
