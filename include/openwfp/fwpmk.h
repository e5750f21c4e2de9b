/*
 * The WFP management API, kernel side (fwpmk.h): engine sessions,
 * transactions, sublayers, callouts and filters, and the GUIDs that name
 * layers, condition fields and built-in sublayers.
 *
 * Implemented by libopenwfp (src/engine). The FWPM_* GUIDs are defined once
 * in the library (src/wdm/guids.c); a file that defines INITGUID before
 * including this header gets its own weak copies, as on Windows.
 */
#ifndef OPENWFP_FWPMK_H
#define OPENWFP_FWPMK_H

#include "fwpmtypes.h"

OWFP_EXTERN_C_BEGIN

/* --------------------------------------------------------------- weights */

#define FWPM_AUTO_WEIGHT_BITS 60
#define FWPM_AUTO_WEIGHT_MAX (UINT64_MAX >> 4)
#define FWPM_WEIGHT_RANGE_MAX (UINT64_MAX >> 60)
#define FWPM_WEIGHT_RANGE_IPSEC 0x0
#define FWPM_WEIGHT_RANGE_IKE_EXEMPTIONS 0xc

/* ------------------------------------------------------------- sessions */

#define RPC_C_AUTHN_NONE 0
#define RPC_C_AUTHN_WINNT 10
#define RPC_C_AUTHN_DEFAULT (-1L)

#define FWPM_TXN_READ_ONLY 0x00000001

OWFP_EXTERN_C_END

/* ---------------------------------------------------------------- GUIDs */

DEFINE_GUID(FWPM_LAYER_STREAM_V4, 0x3b89653c, 0xc170, 0x49e4, 0xb1, 0xcd, 0xe0, 0xee, 0xee, 0xe1,
	    0x9a, 0x3e);
DEFINE_GUID(FWPM_LAYER_STREAM_V4_DISCARD, 0x25c4c2c2, 0x25ff, 0x4352, 0x82, 0xf9, 0xc5, 0x4a, 0x4a,
	    0x47, 0x26, 0xdc);
DEFINE_GUID(FWPM_LAYER_STREAM_V6, 0x47c9137a, 0x7ec4, 0x46b3, 0xb6, 0xe4, 0x48, 0xe9, 0x26, 0xb1,
	    0xed, 0xa4);
DEFINE_GUID(FWPM_LAYER_STREAM_V6_DISCARD, 0x10a59fc7, 0xb628, 0x4c41, 0x9e, 0xb8, 0xcf, 0x37, 0xd5,
	    0x51, 0x03, 0xcf);
DEFINE_GUID(FWPM_LAYER_STREAM_PACKET_V4, 0xaf52d8ec, 0xcb2d, 0x44e5, 0xad, 0x92, 0xf8, 0xdc, 0x38,
	    0xd2, 0xeb, 0x29);
DEFINE_GUID(FWPM_LAYER_STREAM_PACKET_V6, 0x779a8ca3, 0xf099, 0x468f, 0xb5, 0xd4, 0x83, 0x53, 0x5c,
	    0x46, 0x1c, 0x02);
DEFINE_GUID(FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, 0xaf80470a, 0x5596, 0x4c13, 0x99, 0x92, 0x53, 0x9e,
	    0x6f, 0xe5, 0x79, 0x67);
DEFINE_GUID(FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6, 0x7021d2b3, 0xdfa4, 0x406e, 0xaf, 0xeb, 0x6a, 0xfa,
	    0xf7, 0xe7, 0x0e, 0xfd);
DEFINE_GUID(FWPM_CONDITION_IP_LOCAL_ADDRESS, 0xd9ee00de, 0xc1ef, 0x4617, 0xbf, 0xe3, 0xff, 0xd8,
	    0xf5, 0xa0, 0x89, 0x57);
DEFINE_GUID(FWPM_CONDITION_IP_REMOTE_ADDRESS, 0xb235ae9a, 0x1d64, 0x49b8, 0xa4, 0x4c, 0x5f, 0xf3,
	    0xd9, 0x09, 0x50, 0x45);
DEFINE_GUID(FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE, 0x6ec7f6c4, 0x376b, 0x45d7, 0x9e, 0x9c, 0xd3,
	    0x37, 0xce, 0xdc, 0xd2, 0x37);
DEFINE_GUID(FWPM_CONDITION_IP_LOCAL_PORT, 0x0c1ba1af, 0x5765, 0x453f, 0xaf, 0x22, 0xa8, 0xf7, 0x91,
	    0xac, 0x77, 0x5b);
DEFINE_GUID(FWPM_CONDITION_IP_REMOTE_PORT, 0xc35a604d, 0xd22b, 0x4e1a, 0x91, 0xb4, 0x68, 0xf6, 0x74,
	    0xee, 0x67, 0x4b);
DEFINE_GUID(FWPM_CONDITION_DIRECTION, 0x8784c146, 0xca97, 0x44d6, 0x9f, 0xd1, 0x19, 0xfb, 0x18,
	    0x40, 0xcb, 0xf7);
DEFINE_GUID(FWPM_CONDITION_FLAGS, 0x632ce23b, 0x5167, 0x435c, 0x86, 0xd7, 0xe9, 0x03, 0x68, 0x4a,
	    0xa8, 0x0c);
DEFINE_GUID(FWPM_CONDITION_COMPARTMENT_ID, 0x35a791ab, 0x04ac, 0x4ff2, 0xa6, 0xbb, 0xda, 0x6c, 0xfa,
	    0xc7, 0x18, 0x06);
DEFINE_GUID(FWPM_CONDITION_IP_PROTOCOL, 0x3971ef2b, 0x623e, 0x4f9a, 0x8c, 0xb1, 0x6e, 0x79, 0xb8,
	    0x06, 0xb9, 0xa7);
DEFINE_GUID(FWPM_CONDITION_ALE_APP_ID, 0xd78e1e87, 0x8644, 0x4ea5, 0x94, 0x37, 0xd8, 0x09, 0xec,
	    0xef, 0xc9, 0x71);
DEFINE_GUID(FWPM_SUBLAYER_UNIVERSAL, 0xeebecc03, 0xced4, 0x4380, 0x81, 0x9a, 0x27, 0x34, 0x39, 0x7b,
	    0x2b, 0x74);
DEFINE_GUID(FWPM_SUBLAYER_INSPECTION, 0x877519e1, 0xe6a9, 0x41a5, 0x81, 0xb4, 0x8c, 0x4f, 0x11,
	    0x8e, 0x4a, 0x60);

OWFP_EXTERN_C_BEGIN

/*
 * serverName must be NULL and authIdentity is ignored (there is only the
 * local engine). authnService is RPC_C_AUTHN_WINNT or RPC_C_AUTHN_DEFAULT.
 */
NTSTATUS NTAPI FwpmEngineOpen0(const wchar_t *serverName, UINT32 authnService, void *authIdentity,
			       const FWPM_SESSION0 *session, HANDLE *engineHandle);
NTSTATUS NTAPI FwpmEngineClose0(HANDLE engineHandle);

NTSTATUS NTAPI FwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags);
NTSTATUS NTAPI FwpmTransactionCommit0(HANDLE engineHandle);
NTSTATUS NTAPI FwpmTransactionAbort0(HANDLE engineHandle);

NTSTATUS NTAPI FwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0 *subLayer, void *sd);
NTSTATUS NTAPI FwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID *key);

NTSTATUS NTAPI FwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0 *callout, void *sd,
			       UINT32 *id);
NTSTATUS NTAPI FwpmCalloutDeleteByKey0(HANDLE engineHandle, const GUID *key);
NTSTATUS NTAPI FwpmCalloutDeleteById0(HANDLE engineHandle, UINT32 id);

NTSTATUS NTAPI FwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0 *filter, void *sd, UINT64 *id);
NTSTATUS NTAPI FwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id);
NTSTATUS NTAPI FwpmFilterDeleteByKey0(HANDLE engineHandle, const GUID *key);

/*
 * User-mode helpers (fwpmu.h on Windows), for provisioning code. The app id
 * of a Linux path: see docs/porting.md "## Flow metadata" (the file must
 * exist; symbolic links are resolved). Returns a Win32 error code:
 * 0, 2 (file not found), 5 (access denied), 8 (no memory) or 87 (not an
 * absolute path). Free *appId with FwpmFreeMemory0.
 */
DWORD NTAPI FwpmGetAppIdFromFileName0(PCWSTR fileName, FWP_BYTE_BLOB **appId);
void NTAPI FwpmFreeMemory0(void **p);

#define FwpmGetAppIdFromFileName FwpmGetAppIdFromFileName0
#define FwpmFreeMemory FwpmFreeMemory0
#define FwpmEngineOpen FwpmEngineOpen0
#define FwpmEngineClose FwpmEngineClose0
#define FwpmTransactionBegin FwpmTransactionBegin0
#define FwpmTransactionCommit FwpmTransactionCommit0
#define FwpmTransactionAbort FwpmTransactionAbort0
#define FwpmSubLayerAdd FwpmSubLayerAdd0
#define FwpmSubLayerDeleteByKey FwpmSubLayerDeleteByKey0
#define FwpmCalloutAdd FwpmCalloutAdd0
#define FwpmCalloutDeleteByKey FwpmCalloutDeleteByKey0
#define FwpmCalloutDeleteById FwpmCalloutDeleteById0
#define FwpmFilterAdd FwpmFilterAdd0
#define FwpmFilterDeleteById FwpmFilterDeleteById0
#define FwpmFilterDeleteByKey FwpmFilterDeleteByKey0

OWFP_EXTERN_C_END

#endif /* OPENWFP_FWPMK_H */
