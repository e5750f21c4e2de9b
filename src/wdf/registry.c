/* WDFKEY: the driver's Parameters key, read from the loader's regparams. */
#include <string.h>

#include "wdf/wdf_int.h"
#include "wdm/plugin.h"

#define GENERIC_READ_RIGHT 0x80000000u
#define GENERIC_ALL_RIGHT 0x10000000u
#define MAXIMUM_ALLOWED_RIGHT 0x02000000u

static const struct wdf_ops key_ops = {NULL, NULL};

NTSTATUS WdfDriverOpenParametersRegistryKey(WDFDRIVER Driver, ACCESS_MASK DesiredAccess,
					    PWDF_OBJECT_ATTRIBUTES KeyAttributes, WDFKEY *Key)
{
	struct wdf_driver *d = (struct wdf_driver *)owfp_wdf_obj_get(
		Driver, WDF_KIND_DRIVER, "WdfDriverOpenParametersRegistryKey");
	struct wdf_key *k;
	NTSTATUS st;

	if (Key)
		*Key = NULL;
	if (!d || !Key)
		return STATUS_INVALID_PARAMETER;
	k = (struct wdf_key *)owfp_wdf_obj_new(sizeof(*k), WDF_KIND_KEY, &key_ops, KeyAttributes,
					       &d->obj, d, &st);
	if (!k)
		return st;
	k->params = owfp_plugin_params_of(d->wdm);
	if (DesiredAccess & (GENERIC_READ_RIGHT | GENERIC_ALL_RIGHT | MAXIMUM_ALLOWED_RIGHT))
		DesiredAccess |= KEY_READ;
	k->access = DesiredAccess;
	*Key = (WDFKEY)k;
	return STATUS_SUCCESS;
}

void WdfRegistryClose(WDFKEY Key)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Key, WDF_KIND_KEY, "WdfRegistryClose");

	if (o)
		owfp_wdf_obj_delete(o);
}

/* Finds a value, checking the key and its access first. */
static NTSTATUS lookup(WDFKEY Key, PCUNICODE_STRING ValueName, const char *caller, ULONG *type,
		       const void **data, ULONG *len)
{
	struct wdf_key *k = (struct wdf_key *)owfp_wdf_obj_get(Key, WDF_KIND_KEY, caller);

	if (!k || !ValueName || (ValueName->Length && !ValueName->Buffer))
		return STATUS_INVALID_PARAMETER;
	if (!(k->access & KEY_QUERY_VALUE))
		return STATUS_ACCESS_DENIED;
	if (owfp_regparams_query(k->params, ValueName->Buffer, ValueName->Length, type, data, len))
		return STATUS_OBJECT_NAME_NOT_FOUND;
	return STATUS_SUCCESS;
}

NTSTATUS WdfRegistryQueryULong(WDFKEY Key, PCUNICODE_STRING ValueName, PULONG Value)
{
	const void *data;
	ULONG type, len;
	NTSTATUS st;

	if (!Value)
		return STATUS_INVALID_PARAMETER;
	st = lookup(Key, ValueName, "WdfRegistryQueryULong", &type, &data, &len);
	if (!NT_SUCCESS(st))
		return st;
	if (type != REG_DWORD || len != sizeof(ULONG))
		return STATUS_OBJECT_TYPE_MISMATCH;
	memcpy(Value, data, sizeof(ULONG));
	return STATUS_SUCCESS;
}

NTSTATUS WdfRegistryQueryUnicodeString(WDFKEY Key, PCUNICODE_STRING ValueName,
				       PUSHORT ValueByteLength, PUNICODE_STRING Value)
{
	const void *data;
	ULONG type, len;
	NTSTATUS st;

	if (Value && Value->MaximumLength && !Value->Buffer)
		return STATUS_INVALID_PARAMETER;
	st = lookup(Key, ValueName, "WdfRegistryQueryUnicodeString", &type, &data, &len);
	if (!NT_SUCCESS(st))
		return st;
	if (type != REG_SZ && type != REG_EXPAND_SZ)
		return STATUS_OBJECT_TYPE_MISMATCH;
	if (len > MAXUSHORT)
		return STATUS_INVALID_BUFFER_SIZE;
	if (ValueByteLength)
		*ValueByteLength = (USHORT)len;
	if (!Value || Value->MaximumLength < len)
		return STATUS_BUFFER_OVERFLOW;
	memcpy(Value->Buffer, data, len);
	Value->Length = (USHORT)len;
	/* The terminator is data, not part of the string. */
	if (len >= sizeof(WCHAR) && Value->Buffer[len / sizeof(WCHAR) - 1] == 0)
		Value->Length -= sizeof(WCHAR);
	return STATUS_SUCCESS;
}

NTSTATUS WdfRegistryQueryValue(WDFKEY Key, PCUNICODE_STRING ValueName, ULONG ValueLength,
			       PVOID Value, PULONG ValueLengthQueried, PULONG ValueType)
{
	const void *data;
	ULONG type, len;
	NTSTATUS st;

	if (ValueLength && !Value)
		return STATUS_INVALID_PARAMETER;
	st = lookup(Key, ValueName, "WdfRegistryQueryValue", &type, &data, &len);
	if (!NT_SUCCESS(st))
		return st;
	if (ValueLengthQueried)
		*ValueLengthQueried = len;
	if (ValueType)
		*ValueType = type;
	if (ValueLength < len)
		return STATUS_BUFFER_OVERFLOW;
	if (len)
		memcpy(Value, data, len);
	return STATUS_SUCCESS;
}
