/* Network-layer definitions WFP metadata refers to (nldef.h, ws2ipdef.h). */
#ifndef OPENWFP_NLDEF_H
#define OPENWFP_NLDEF_H

#include <netinet/in.h>
#include <sys/socket.h>

#include "ntdef.h"

OWFP_EXTERN_C_BEGIN

typedef enum _NL_ADDRESS_TYPE {
	NlatUnspecified = 0,
	NlatUnicast = 1,
	NlatAnycast = 2,
	NlatMulticast = 3,
	NlatBroadcast = 4,
	NlatInvalid = 5,
} NL_ADDRESS_TYPE,
	*PNL_ADDRESS_TYPE;

typedef struct sockaddr SOCKADDR, *PSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE;

typedef union _SOCKADDR_INET {
	SOCKADDR_IN Ipv4;
	SOCKADDR_IN6 Ipv6;
	ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

typedef struct _IP_ADDRESS_PREFIX {
	SOCKADDR_INET Prefix;
	UINT8 PrefixLength;
} IP_ADDRESS_PREFIX, *PIP_ADDRESS_PREFIX;

/* Zone/Level as an anonymous struct, as on Windows (an extension in C++). */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnested-anon-types"
#endif
typedef struct _SCOPE_ID {
	union {
		__extension__ struct {
			ULONG Zone : 28;
			ULONG Level : 4;
		};
		ULONG Value;
	};
} SCOPE_ID, *PSCOPE_ID;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/* Same shape as the Windows control-message header. */
typedef struct cmsghdr WSACMSGHDR, *PWSACMSGHDR;

typedef UINT32 COMPARTMENT_ID, *PCOMPARTMENT_ID;
#define UNSPECIFIED_COMPARTMENT_ID 0
#define DEFAULT_COMPARTMENT_ID 1

OWFP_EXTERN_C_END

#endif /* OPENWFP_NLDEF_H */
