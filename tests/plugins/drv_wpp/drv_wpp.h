/*
 * drv_wpp: a small stream callout written like a Windows WFP driver, to
 * test openwfp-cc: WPP tracing through .tmh headers, and MSVC dialect
 * (__declspec(selectany) keys and an __inline helper in a header that
 * several sources include, the address of a cast, MSVC pragmas).
 */
#ifndef _DRV_WPP_H
#define _DRV_WPP_H

#pragma warning(push)
#pragma warning(disable:4201)       // unnamed struct/union
#include <ntddk.h>
#include <fwpsk.h>
#pragma warning(pop)
#include <fwpmk.h>

#include "trace.h"

#define DRV_WPP_PORT 80

// {3C7D4E10-8F2A-4B6C-9D1E-0A5B6C7D8E01}
__declspec(selectany) const GUID DRV_WPP_CALLOUT_V4 =
    { 0x3c7d4e10, 0x8f2a, 0x4b6c, { 0x9d, 0x1e, 0x0a, 0x5b, 0x6c, 0x7d, 0x8e, 0x01 } };
// {3C7D4E10-8F2A-4B6C-9D1E-0A5B6C7D8E02}
__declspec(selectany) const GUID DRV_WPP_SUBLAYER =
    { 0x3c7d4e10, 0x8f2a, 0x4b6c, { 0x9d, 0x1e, 0x0a, 0x5b, 0x6c, 0x7d, 0x8e, 0x02 } };

typedef enum _DW_DIR_STATE { DwIdle, DwSending, DwReceiving } DW_DIR_STATE;

__inline DW_DIR_STATE DrvWppDirState(UINT32 flags)
{
    if (flags & FWPS_STREAM_FLAG_SEND)
        return DwSending;
    return (flags & FWPS_STREAM_FLAG_RECEIVE) ? DwReceiving : DwIdle;
}

extern volatile ULONG gDrvWppClassifies;

#ifdef __cplusplus
extern "C" {
#endif
ULONG DrvWppCountFlow(UINT64 flowId, SIZE_T bytes);
#ifdef __cplusplus
}
#endif

void NTAPI DrvWppClassify(const FWPS_INCOMING_VALUES *inFixedValues,
                          const FWPS_INCOMING_METADATA_VALUES *inMetaValues,
                          void *layerData, const void *classifyContext,
                          const FWPS_FILTER *filter, UINT64 flowContext,
                          FWPS_CLASSIFY_OUT *classifyOut);
NTSTATUS NTAPI DrvWppNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
                            FWPS_FILTER *filter);

#endif // _DRV_WPP_H
