/*
 * GUID and DEFINE_GUID.
 *
 * As on Windows, DEFINE_GUID only declares the GUID unless INITGUID is
 * defined, in which case it also defines it. Like the Windows header, the
 * DEFINE_GUID part below sits outside the include guard, so a file can
 * include this header again after defining INITGUID (or include
 * <initguid.h>) to define its own GUIDs. Definitions are weak (the
 * equivalent of __declspec(selectany)): several objects of one plugin may
 * define the same GUID. libopenwfp defines every FWPM_* GUID itself
 * (src/wdm/guids.c), so callouts need INITGUID only for their own GUIDs.
 */
#ifndef OPENWFP_GUIDDEF_H
#define OPENWFP_GUIDDEF_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _GUID {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID, *PGUID, *LPGUID, UUID, IID, CLSID;
typedef const GUID *PCGUID, *LPCGUID;

static inline int InlineIsEqualGUID(const GUID *a, const GUID *b)
{
	return memcmp(a, b, sizeof(GUID)) == 0;
}

#ifdef __cplusplus
}
/* As on Windows: C++ passes GUIDs by reference, C by pointer. */
typedef const GUID &REFGUID;
static inline int IsEqualGUID(const GUID &a, const GUID &b)
{
	return InlineIsEqualGUID(&a, &b);
}
static inline int IsEqualGUID(const GUID *a, const GUID *b)
{
	return InlineIsEqualGUID(a, b);
}
#define IsEqualIID(a, b) IsEqualGUID((a), (b))
#else
typedef const GUID *REFGUID;
#define IsEqualGUID(a, b) InlineIsEqualGUID((a), (b))
#define IsEqualIID(a, b) InlineIsEqualGUID((a), (b))
#endif

#endif /* OPENWFP_GUIDDEF_H */

#ifdef DEFINE_GUID
#undef DEFINE_GUID
#endif

#ifndef OWFP_GUID_LINKAGE
#ifdef __cplusplus
#define OWFP_GUID_LINKAGE extern "C"
#define OWFP_GUID_DEFINITION extern "C"
#else
#define OWFP_GUID_LINKAGE extern
#define OWFP_GUID_DEFINITION
#endif
#endif

#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
	OWFP_GUID_LINKAGE const GUID name __attribute__((weak));     \
	OWFP_GUID_DEFINITION const GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
	OWFP_GUID_LINKAGE const GUID name
#endif
