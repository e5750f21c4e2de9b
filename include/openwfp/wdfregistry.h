/*
 * KMDF registry access: the driver's Parameters key only.
 *
 * WdfDriverOpenParametersRegistryKey opens ...\Services\NAME\Parameters,
 * whose values the loader was given (src/wdm/regparams.h; from the
 * configuration and the command line). The key always exists (empty when
 * nothing was configured) and is read-only: there is nowhere a written
 * value would persist, so the WdfRegistryAssign* calls are absent. A key
 * opened without KEY_QUERY_VALUE (KEY_READ and GENERIC_READ include it)
 * refuses queries with STATUS_ACCESS_DENIED, as KMDF does.
 *
 * Query results follow the registry's: STATUS_OBJECT_NAME_NOT_FOUND for
 * an absent value, STATUS_OBJECT_TYPE_MISMATCH for another type,
 * STATUS_BUFFER_OVERFLOW for a buffer too small (with the length needed).
 * String lengths are in bytes of WCHAR (4 bytes here), terminator included
 * where the WDK says so.
 */
#ifndef OPENWFP_WDFREGISTRY_H
#define OPENWFP_WDFREGISTRY_H

#include "wdfobject.h"

OWFP_EXTERN_C_BEGIN

NTSTATUS WdfDriverOpenParametersRegistryKey(WDFDRIVER Driver, ACCESS_MASK DesiredAccess,
					    PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key);
void WdfRegistryClose(WDFKEY Key);

NTSTATUS WdfRegistryQueryULong(WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value);
/*
 * *ValueByteLength (optional) = the string's bytes including the
 * terminator; Value->Length excludes the terminator. Value NULL asks for
 * the length only.
 */
NTSTATUS WdfRegistryQueryUnicodeString(WDFKEY Key, PCUNICODE_STRING ValueName,
				       PUSHORT ValueByteLength, PUNICODE_STRING Value);
NTSTATUS WdfRegistryQueryValue(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueLength,
			       PVOID Value, PULONG ValueLengthQueried, PULONG ValueType);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFREGISTRY_H */
