/* Some drivers include <ntifs.h> instead of <ntddk.h>. */
#ifndef OPENWFP_NTIFS_H
#define OPENWFP_NTIFS_H
#include "ntddk.h"
#endif
