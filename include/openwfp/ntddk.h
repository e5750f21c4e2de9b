/* Windows drivers include <ntddk.h>; here it is the WDM subset. */
#ifndef OPENWFP_NTDDK_H
#define OPENWFP_NTDDK_H
#include "wdm.h"
#endif
