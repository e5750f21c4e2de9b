/* The SDDL strings of wdmsec.h (kept for display; nothing enforces them). */
#include "openwfp/wdmsec.h"

#define SDDL(name, text)                                                                           \
	static const WCHAR name##_text[] = text;                                                   \
	const UNICODE_STRING name = {(USHORT)(sizeof(text) - sizeof(WCHAR)), (USHORT)sizeof(text), \
				     (PWCH)name##_text}

SDDL(SDDL_DEVOBJ_KERNEL_ONLY, L"D:P");
SDDL(SDDL_DEVOBJ_INF_SUPPLIED, L"D:P");
SDDL(SDDL_DEVOBJ_SYS_ALL, L"D:P(A;;GA;;;SY)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_ALL, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RX, L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R_RES_R,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RX_WORLD_RX_RES_RX,
     L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)(A;;GRGX;;;WD)(A;;GRGX;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_WORLD_RWX_RES_RWX, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");
