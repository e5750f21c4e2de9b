/*
 * WCHAR <-> multi-byte conversions (RtlUnicodeToMultiByteN and friends).
 * The multi-byte code page is UTF-8; WCHAR holds code points (wchar_t).
 */
#include <stdlib.h>
#include <wctype.h>

#include "openwfp/wdm.h"
#include "wdm/pool.h"
#include "wdm/utf8.h"

#define OWFP_TAG_RTL_STRING OWFP_POOL_TAG('O', 'w', 'S', 't')

static uint32_t wide_cp(WCHAR w)
{
	uint32_t c = (uint32_t)w;

	return c > 0x10ffff || (c >= 0xd800 && c < 0xe000) ? OWFP_UTF8_REPLACEMENT : c;
}

NTSTATUS RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
				PULONG BytesInMultiByteString, PCWCH UnicodeString,
				ULONG BytesInUnicodeString)
{
	ULONG n = BytesInUnicodeString / sizeof(WCHAR), out = 0;
	NTSTATUS st = STATUS_SUCCESS;

	if ((!MultiByteString && MaxBytesInMultiByteString) || (!UnicodeString && n))
		return STATUS_INVALID_PARAMETER;
	for (ULONG i = 0; i < n; i++) {
		char b[4];
		size_t k = owfp_utf8_encode(wide_cp(UnicodeString[i]), b);

		/* A character is written whole or not at all. */
		if (k > MaxBytesInMultiByteString - out) {
			st = STATUS_BUFFER_OVERFLOW;
			break;
		}
		memcpy(MultiByteString + out, b, k);
		out += (ULONG)k;
	}
	if (BytesInMultiByteString)
		*BytesInMultiByteString = out;
	return st;
}

NTSTATUS RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, PCWCH UnicodeString,
				   ULONG BytesInUnicodeString)
{
	ULONG n = BytesInUnicodeString / sizeof(WCHAR), out = 0;

	if (!BytesInMultiByteString || (!UnicodeString && n))
		return STATUS_INVALID_PARAMETER;
	for (ULONG i = 0; i < n; i++) {
		char b[4];

		out += (ULONG)owfp_utf8_encode(wide_cp(UnicodeString[i]), b);
	}
	*BytesInMultiByteString = out;
	return STATUS_SUCCESS;
}

NTSTATUS RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
				PULONG BytesInUnicodeString, const CHAR *MultiByteString,
				ULONG BytesInMultiByteString)
{
	const unsigned char *s = (const unsigned char *)MultiByteString;
	ULONG max = MaxBytesInUnicodeString / sizeof(WCHAR), out = 0, i = 0;
	NTSTATUS st = STATUS_SUCCESS;

	if ((!UnicodeString && max) || (!MultiByteString && BytesInMultiByteString))
		return STATUS_INVALID_PARAMETER;
	while (i < BytesInMultiByteString) {
		uint32_t c;

		if (out == max) {
			st = STATUS_BUFFER_OVERFLOW;
			break;
		}
		i += (ULONG)owfp_utf8_decode(s + i, BytesInMultiByteString - i, &c);
		UnicodeString[out++] = (WCHAR)c;
	}
	if (BytesInUnicodeString)
		*BytesInUnicodeString = out * (ULONG)sizeof(WCHAR);
	return st;
}

NTSTATUS RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
				   ULONG BytesInMultiByteString)
{
	const unsigned char *s = (const unsigned char *)MultiByteString;
	ULONG n = 0, i = 0;

	if (!BytesInUnicodeString || (!MultiByteString && BytesInMultiByteString))
		return STATUS_INVALID_PARAMETER;
	while (i < BytesInMultiByteString) {
		uint32_t c;

		i += (ULONG)owfp_utf8_decode(s + i, BytesInMultiByteString - i, &c);
		n++;
	}
	*BytesInUnicodeString = n * (ULONG)sizeof(WCHAR);
	return STATUS_SUCCESS;
}

NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
				      BOOLEAN AllocateDestinationString)
{
	ULONG need, got;
	NTSTATUS st;

	if (!DestinationString || !SourceString)
		return STATUS_INVALID_PARAMETER;
	st = RtlUnicodeToMultiByteSize(&need, SourceString->Buffer, SourceString->Length);
	if (!NT_SUCCESS(st))
		return st;
	if (need > MAXUSHORT - 1)
		return STATUS_INVALID_PARAMETER;
	if (AllocateDestinationString) {
		DestinationString->Buffer = owfp_pool_alloc(need + 1, OWFP_TAG_RTL_STRING, false);
		if (!DestinationString->Buffer)
			return STATUS_NO_MEMORY;
		DestinationString->MaximumLength = (USHORT)(need + 1);
	} else if (DestinationString->MaximumLength <= need) {
		/* As on Windows: what fits is converted, and the result says so. */
		st = RtlUnicodeToMultiByteN(
			DestinationString->Buffer,
			DestinationString->MaximumLength ? DestinationString->MaximumLength - 1u : 0,
			&got, SourceString->Buffer, SourceString->Length);
		DestinationString->Length = (USHORT)got;
		if (DestinationString->MaximumLength)
			DestinationString->Buffer[got] = '\0';
		return STATUS_BUFFER_OVERFLOW;
	}
	st = RtlUnicodeToMultiByteN(DestinationString->Buffer, need, &got, SourceString->Buffer,
				    SourceString->Length);
	DestinationString->Length = (USHORT)got;
	DestinationString->Buffer[got] = '\0';
	return st;
}

NTSTATUS RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
				      const ANSI_STRING *SourceString,
				      BOOLEAN AllocateDestinationString)
{
	ULONG need, got;
	NTSTATUS st;

	if (!DestinationString || !SourceString)
		return STATUS_INVALID_PARAMETER;
	st = RtlMultiByteToUnicodeSize(&need, SourceString->Buffer, SourceString->Length);
	if (!NT_SUCCESS(st))
		return st;
	if (need > MAXUSHORT - sizeof(WCHAR))
		return STATUS_INVALID_PARAMETER;
	if (AllocateDestinationString) {
		DestinationString->Buffer = owfp_pool_alloc(need + sizeof(WCHAR),
							    OWFP_TAG_RTL_STRING, false);
		if (!DestinationString->Buffer)
			return STATUS_NO_MEMORY;
		DestinationString->MaximumLength = (USHORT)(need + sizeof(WCHAR));
	} else if (DestinationString->MaximumLength < need + sizeof(WCHAR)) {
		return STATUS_BUFFER_OVERFLOW;
	}
	st = RtlMultiByteToUnicodeN(DestinationString->Buffer, need, &got, SourceString->Buffer,
				    SourceString->Length);
	DestinationString->Length = (USHORT)got;
	DestinationString->Buffer[got / sizeof(WCHAR)] = L'\0';
	return st;
}

void RtlFreeAnsiString(PANSI_STRING AnsiString)
{
	if (AnsiString && AnsiString->Buffer) {
		owfp_pool_free(AnsiString->Buffer, OWFP_TAG_RTL_STRING, true);
		AnsiString->Buffer = NULL;
		AnsiString->Length = AnsiString->MaximumLength = 0;
	}
}

void RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
	if (UnicodeString && UnicodeString->Buffer) {
		owfp_pool_free(UnicodeString->Buffer, OWFP_TAG_RTL_STRING, true);
		UnicodeString->Buffer = NULL;
		UnicodeString->Length = UnicodeString->MaximumLength = 0;
	}
}

void RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
	USHORT n;

	if (!SourceString || !SourceString->Buffer) {
		DestinationString->Length = 0;
		return;
	}
	n = SourceString->Length < DestinationString->MaximumLength
		    ? SourceString->Length
		    : DestinationString->MaximumLength;
	n -= n % sizeof(WCHAR);
	memmove(DestinationString->Buffer, SourceString->Buffer, n);
	DestinationString->Length = n;
	/* Terminated when there is room, as on Windows. */
	if (n + sizeof(WCHAR) <= DestinationString->MaximumLength)
		DestinationString->Buffer[n / sizeof(WCHAR)] = L'\0';
}

LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
			     BOOLEAN CaseInSensitive)
{
	size_t n1 = String1->Length / sizeof(WCHAR), n2 = String2->Length / sizeof(WCHAR);
	size_t n = n1 < n2 ? n1 : n2;

	for (size_t i = 0; i < n; i++) {
		wint_t a = (wint_t)String1->Buffer[i], b = (wint_t)String2->Buffer[i];

		if (CaseInSensitive) {
			a = towupper(a);
			b = towupper(b);
		}
		if (a != b)
			return a < b ? -1 : 1;
	}
	return n1 < n2 ? -1 : n1 > n2 ? 1 : 0;
}
