/*
 * Management-object types (fwpmtypes.h): what FwpmFilterAdd0,
 * FwpmCalloutAdd0 and FwpmSubLayerAdd0 take. Field order follows the
 * public headers; see docs/wfp-api.md.
 */
#ifndef OPENWFP_FWPMTYPES_H
#define OPENWFP_FWPMTYPES_H

#include "fwptypes.h"

OWFP_EXTERN_C_BEGIN

typedef struct FWPM_DISPLAY_DATA0_ {
	wchar_t *name;
	wchar_t *description;
} FWPM_DISPLAY_DATA0;

typedef struct FWPM_ACTION0_ {
	FWP_ACTION_TYPE type;
	union {
		GUID filterType;
		GUID calloutKey;
	};
} FWPM_ACTION0;

typedef struct FWPM_FILTER_CONDITION0_ {
	GUID fieldKey;
	FWP_MATCH_TYPE matchType;
	FWP_CONDITION_VALUE0 conditionValue;
} FWPM_FILTER_CONDITION0;

#define FWPM_FILTER_FLAG_NONE 0x00000000
#define FWPM_FILTER_FLAG_PERSISTENT 0x00000001
#define FWPM_FILTER_FLAG_BOOTTIME 0x00000002
#define FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT 0x00000004
#define FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000008
#define FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000010
#define FWPM_FILTER_FLAG_DISABLED 0x00000020
#define FWPM_FILTER_FLAG_INDEXED 0x00000040
#define FWPM_FILTER_FLAG_HAS_SECURITY_REALM_PROVIDER_CONTEXT 0x00000080
#define FWPM_FILTER_FLAG_SYSTEMOS_ONLY 0x00000100
#define FWPM_FILTER_FLAG_GAMEOS_ONLY 0x00000200
#define FWPM_FILTER_FLAG_SILENT_MODE 0x00000400
#define FWPM_FILTER_FLAG_IPSEC_NO_ACQUIRE_INITIATE 0x00000800
#define FWPM_FILTER_FLAG_RESERVED0 0x00001000
#define FWPM_FILTER_FLAG_RESERVED1 0x00002000

typedef struct FWPM_FILTER0_ {
	GUID filterKey;
	FWPM_DISPLAY_DATA0 displayData;
	UINT32 flags;
	GUID *providerKey;
	FWP_BYTE_BLOB providerData;
	GUID layerKey;
	GUID subLayerKey;
	FWP_VALUE0 weight;
	UINT32 numFilterConditions;
	FWPM_FILTER_CONDITION0 *filterCondition;
	FWPM_ACTION0 action;
	union {
		UINT64 rawContext;
		GUID providerContextKey;
	};
	GUID *reserved;
	UINT64 filterId;
	FWP_VALUE0 effectiveWeight;
} FWPM_FILTER0;

#define FWPM_SUBLAYER_FLAG_PERSISTENT 0x00000001

typedef struct FWPM_SUBLAYER0_ {
	GUID subLayerKey;
	FWPM_DISPLAY_DATA0 displayData;
	UINT32 flags;
	GUID *providerKey;
	FWP_BYTE_BLOB providerData;
	UINT16 weight;
} FWPM_SUBLAYER0;

#define FWPM_CALLOUT_FLAG_PERSISTENT 0x00010000
#define FWPM_CALLOUT_FLAG_USES_PROVIDER_CONTEXT 0x00020000
#define FWPM_CALLOUT_FLAG_REGISTERED 0x00040000

typedef struct FWPM_CALLOUT0_ {
	GUID calloutKey;
	FWPM_DISPLAY_DATA0 displayData;
	UINT32 flags;
	GUID *providerKey;
	FWP_BYTE_BLOB providerData;
	GUID applicableLayer;
	UINT32 calloutId;
} FWPM_CALLOUT0;

typedef enum FWPM_FIELD_TYPE_ {
	FWPM_FIELD_RAW_DATA = 0,
	FWPM_FIELD_IP_ADDRESS = 1,
	FWPM_FIELD_FLAGS = 2,
	FWPM_FIELD_TYPE_MAX = 3,
} FWPM_FIELD_TYPE;

typedef struct FWPM_FIELD0_ {
	GUID *fieldKey;
	FWPM_FIELD_TYPE type;
	FWP_DATA_TYPE dataType;
} FWPM_FIELD0;

#define FWPM_LAYER_FLAG_KERNEL 0x00000001
#define FWPM_LAYER_FLAG_BUILTIN 0x00000002
#define FWPM_LAYER_FLAG_CLASSIFY_MOSTLY 0x00000004
#define FWPM_LAYER_FLAG_BUFFERED 0x00000008

typedef struct FWPM_LAYER0_ {
	GUID layerKey;
	FWPM_DISPLAY_DATA0 displayData;
	UINT32 flags;
	UINT32 numFields;
	FWPM_FIELD0 *field;
	GUID defaultSubLayerKey;
	UINT16 layerId;
} FWPM_LAYER0;

#define FWPM_SESSION_FLAG_DYNAMIC 0x00000001

/* Only what FwpmEngineOpen0 callers fill in; the rest is ignored here. */
typedef struct FWPM_SESSION0_ {
	GUID sessionKey;
	FWPM_DISPLAY_DATA0 displayData;
	UINT32 flags;
	UINT32 txnWaitTimeoutInMSec;
	DWORD processId;
	SID *sid;
	wchar_t *username;
	BOOL kernelMode;
} FWPM_SESSION0;

/*
 * Provider contexts: only carried through (FWPS_FILTERn.providerContext);
 * openwfp never interprets one. `type` is an FWPM_PROVIDER_CONTEXT_TYPE.
 */
#define OWFP_FWPM_PROVIDER_CONTEXT_BODY    \
	GUID providerContextKey;           \
	FWPM_DISPLAY_DATA0 displayData;    \
	UINT32 flags;                      \
	GUID *providerKey;                 \
	FWP_BYTE_BLOB providerData;        \
	UINT32 type;                       \
	union {                            \
		FWP_BYTE_BLOB *dataBuffer; \
		void *other;               \
	};                                 \
	UINT64 providerContextId;
typedef struct FWPM_PROVIDER_CONTEXT0_ {
	OWFP_FWPM_PROVIDER_CONTEXT_BODY
} FWPM_PROVIDER_CONTEXT0;
typedef struct FWPM_PROVIDER_CONTEXT1_ {
	OWFP_FWPM_PROVIDER_CONTEXT_BODY
} FWPM_PROVIDER_CONTEXT1;
typedef struct FWPM_PROVIDER_CONTEXT2_ {
	OWFP_FWPM_PROVIDER_CONTEXT_BODY
} FWPM_PROVIDER_CONTEXT2;
typedef struct FWPM_PROVIDER_CONTEXT3_ {
	OWFP_FWPM_PROVIDER_CONTEXT_BODY
} FWPM_PROVIDER_CONTEXT3;
#undef OWFP_FWPM_PROVIDER_CONTEXT_BODY

#define FWPM_DISPLAY_DATA FWPM_DISPLAY_DATA0
#define FWPM_ACTION FWPM_ACTION0
#define FWPM_FILTER_CONDITION FWPM_FILTER_CONDITION0
#define FWPM_FILTER FWPM_FILTER0
#define FWPM_SUBLAYER FWPM_SUBLAYER0
#define FWPM_CALLOUT FWPM_CALLOUT0
#define FWPM_FIELD FWPM_FIELD0
#define FWPM_LAYER FWPM_LAYER0
#define FWPM_SESSION FWPM_SESSION0
#define FWPM_PROVIDER_CONTEXT FWPM_PROVIDER_CONTEXT3

OWFP_EXTERN_C_END

#endif /* OPENWFP_FWPMTYPES_H */
