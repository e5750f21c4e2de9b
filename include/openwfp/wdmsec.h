/*
 * Security descriptors for device objects, as SDDL strings (the WDK's
 * wdmsec.h). Drivers pass them to WdfControlDeviceInitAllocate or
 * IoCreateDeviceSecure. There is no access control on devices here: the
 * strings are kept and shown, not enforced (who may send an IOCTL is
 * decided by who can reach the control socket).
 */
#ifndef OPENWFP_WDMSEC_H
#define OPENWFP_WDMSEC_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

extern const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY;
extern const UNICODE_STRING SDDL_DEVOBJ_INF_SUPPLIED;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R_RES_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX_WORLD_RX_RES_RX;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_WORLD_RWX_RES_RWX;

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDMSEC_H */
