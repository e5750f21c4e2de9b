/* Rtl string and memory helpers. */
#include <wctype.h>

#include "openwfp/wdm.h"

SIZE_T RtlCompareMemory(const void *Source1, const void *Source2, SIZE_T Length)
{
	const UCHAR *a = Source1, *b = Source2;
	SIZE_T i = 0;

	while (i < Length && a[i] == b[i])
		i++;
	return i;
}

void RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
	/* Longest length that still fits a USHORT with room for the terminator. */
	const size_t max_chars = (MAXUSHORT / sizeof(WCHAR)) - 1;
	size_t n = SourceString ? wcslen(SourceString) : 0;

	if (n > max_chars)
		n = max_chars;
	DestinationString->Buffer = (PWCH)SourceString;
	DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
	DestinationString->MaximumLength = SourceString ? (USHORT)((n + 1) * sizeof(WCHAR)) : 0;
}

void RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
	size_t n = SourceString ? strlen(SourceString) : 0;

	if (n > MAXUSHORT - 1)
		n = MAXUSHORT - 1;
	DestinationString->Buffer = (PCHAR)SourceString;
	DestinationString->Length = (USHORT)n;
	DestinationString->MaximumLength = SourceString ? (USHORT)(n + 1) : 0;
}

BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
			      BOOLEAN CaseInSensitive)
{
	return String1->Length == String2->Length &&
	       RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}
