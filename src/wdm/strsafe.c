/*
 * ntstrsafe.h: bounded string copy, append, format and length for drivers.
 * The A and W forms share one body (strsafe_tmpl.h, included once per
 * character type) so they cannot drift apart. Formatting goes through the
 * DbgPrint interpreter (dbgformat.c), which knows the kernel's conversions.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "openwfp/ntstrsafe.h"
#include "wdm/dbgformat.h"
#include "wdm/utf8.h"
#include "util/alloc.h"

#define VALID_FLAGS                                                                          \
	(0xffu | STRSAFE_IGNORE_NULLS | STRSAFE_FILL_BEHIND_NULL | STRSAFE_FILL_ON_FAILURE | \
	 STRSAFE_NULL_ON_FAILURE | STRSAFE_NO_TRUNCATION)

/* The Ex flags' fills, after the main work; *end is the NUL's index. */
static void finish(void *dst, size_t cch, size_t esz, size_t *end, NTSTATUS st, ULONG flags)
{
	char *p = dst;
	int fill = (int)(flags & 0xff);

	if (st == STATUS_SUCCESS) {
		if (flags & STRSAFE_FILL_BEHIND_NULL)
			memset(p + (*end + 1) * esz, fill, (cch - *end - 1) * esz);
		return;
	}
	if (flags & STRSAFE_FILL_ON_FAILURE) {
		memset(p, fill, cch * esz);
		*end = cch - 1;
		memset(p + *end * esz, 0, esz);
	}
	if (flags & STRSAFE_NULL_ON_FAILURE) {
		*end = 0;
		memset(p, 0, esz);
	}
}

static NTSTATUS formatA(char *dst, size_t cch, const char *fmt, va_list ap, size_t *end)
{
	size_t need = owfp_dbg_vformat_len(dst, cch, fmt, ap, end);

	return need >= cch ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

/*
 * A wide format as the narrow one dbgformat.c reads: in the W functions
 * %s and %c are wide and %S and %C narrow (an h or l/w prefix decides
 * when given), the reverse of the narrow functions. NULL when out of
 * memory.
 */
static char *narrow_format(const WCHAR *fmt)
{
	size_t n = wcslen(fmt), len = 0;
	char *out = owfp_malloc(n * 4 + 8), b[4];

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k, spec;
		bool narrow_pref = false, wide_pref = false;
		WCHAR conv;

		if (fmt[i] != L'%') {
			k = owfp_utf8_encode((uint32_t)fmt[i++], b);
			memcpy(out + len, b, k);
			len += k;
			continue;
		}
		out[len++] = fmt[i++];
		spec = len;
		while (i < n && fmt[i] < 0x80 && strchr("-+ #0123456789.*lhwIzjtL", (int)fmt[i]) &&
		       fmt[i]) {
			out[len++] = (char)fmt[i++];
		}
		if (i == n)
			break;
		conv = fmt[i++];
		if (conv == L's' || conv == L'S' || conv == L'c' || conv == L'C') {
			for (size_t j = spec; j < len; j++) {
				narrow_pref |= out[j] == 'h';
				wide_pref |= out[j] == 'l' || out[j] == 'w';
			}
			bool wide = conv == L's' || conv == L'c' ? !narrow_pref : wide_pref;
			/* Keep flags/width/precision, restate the size. */
			size_t w = spec;
			for (size_t j = spec; j < len; j++)
				if (out[j] != 'h' && out[j] != 'l' && out[j] != 'w')
					out[w++] = out[j];
			len = w;
			out[len++] = wide ? 'w' : 'h';
			out[len++] = conv == L's' || conv == L'S' ? 's' : 'c';
		} else {
			k = owfp_utf8_encode((uint32_t)conv, b);
			memcpy(out + len, b, k);
			len += k;
		}
	}
	out[len] = '\0';
	return out;
}

static NTSTATUS formatW(WCHAR *dst, size_t cch, const WCHAR *fmt, va_list ap, size_t *end)
{
	char *nf = narrow_format(fmt), *buf = NULL;
	size_t cap = 256, need, i = 0, k = 0;
	NTSTATUS st = STATUS_SUCCESS;

	*end = 0;
	dst[0] = 0;
	if (!nf)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (;;) {
		va_list aq;
		char *nb = owfp_realloc(buf, cap);

		if (!nb) {
			st = STATUS_INSUFFICIENT_RESOURCES;
			goto out;
		}
		buf = nb;
		va_copy(aq, ap);
		need = owfp_dbg_vformat_len(buf, cap, nf, aq, NULL);
		va_end(aq);
		if (need < cap)
			break;
		cap = need + 1;
	}
	while (i < need) {
		uint32_t c;

		if (k == cch - 1) {
			st = STATUS_BUFFER_OVERFLOW;
			break;
		}
		i += owfp_utf8_decode((const unsigned char *)buf + i, need - i, &c);
		dst[k++] = (WCHAR)c;
	}
	dst[k] = 0;
	*end = k;
out:
	free(buf);
	free(nf);
	return st;
}

#define T char
#define S(x) x##A
#define SLEN(s, max) strnlen((s), (max))
#include "wdm/strsafe_tmpl.h"
#undef T
#undef S
#undef SLEN

#define T WCHAR
#define S(x) x##W
#define SLEN(s, max) wcsnlen((s), (max))
#include "wdm/strsafe_tmpl.h"
#undef T
#undef S
#undef SLEN

/* ------------------------------------------------------- UNICODE_STRING */

#define US_MAX_CCH ((size_t)NTSTRSAFE_UNICODE_STRING_MAX_CCH)

NTSTATUS RtlUnicodeStringValidate(PCUNICODE_STRING SourceString)
{
	const UNICODE_STRING *u = SourceString;

	if (!u || u->Length % sizeof(WCHAR) || u->MaximumLength % sizeof(WCHAR) ||
	    u->Length > u->MaximumLength || u->MaximumLength > US_MAX_CCH * sizeof(WCHAR) ||
	    (!u->Buffer && u->MaximumLength))
		return STATUS_INVALID_PARAMETER;
	return STATUS_SUCCESS;
}

NTSTATUS RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{
	size_t n;

	if (!DestinationString)
		return STATUS_INVALID_PARAMETER;
	DestinationString->Buffer = (PWCH)pszSrc;
	DestinationString->Length = DestinationString->MaximumLength = 0;
	if (!pszSrc)
		return STATUS_SUCCESS;
	/* Room for the NUL in MaximumLength, as RtlInitUnicodeString gives. */
	n = wcsnlen(pszSrc, US_MAX_CCH);
	if (n >= US_MAX_CCH) {
		DestinationString->Buffer = NULL;
		return STATUS_INVALID_PARAMETER;
	}
	DestinationString->Length = (USHORT)(n * sizeof(WCHAR));
	DestinationString->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
	return STATUS_SUCCESS;
}

/* Writes n characters of src at character `at` of dst, as many as fit. */
static NTSTATUS us_put(PUNICODE_STRING dst, size_t at, const WCHAR *src, size_t n)
{
	size_t cap = dst->MaximumLength / sizeof(WCHAR);
	size_t k = n < cap - at ? n : cap - at;

	if (k)
		memmove(dst->Buffer + at, src, k * sizeof(WCHAR));
	dst->Length = (USHORT)((at + k) * sizeof(WCHAR));
	return k < n ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static NTSTATUS us_string(PUNICODE_STRING dst, const WCHAR *src, size_t max, bool cat)
{
	NTSTATUS st = RtlUnicodeStringValidate(dst);

	if (!NT_SUCCESS(st))
		return st;
	if (!src || max > NTSTRSAFE_MAX_CCH)
		return STATUS_INVALID_PARAMETER;
	return us_put(dst, cat ? dst->Length / sizeof(WCHAR) : 0, src, wcsnlen(src, max));
}

static NTSTATUS us_copy(PUNICODE_STRING dst, PCUNICODE_STRING src, bool cat)
{
	NTSTATUS st = RtlUnicodeStringValidate(dst);

	if (NT_SUCCESS(st))
		st = RtlUnicodeStringValidate(src);
	if (!NT_SUCCESS(st))
		return st;
	return us_put(dst, cat ? dst->Length / sizeof(WCHAR) : 0, src->Buffer,
		      src->Length / sizeof(WCHAR));
}

/*
 * The four Copy (cat = false) and four Cat (cat = true) entry points, each
 * written once: from a UNICODE_STRING, from a string, and at most N
 * characters (Cch) or bytes (Cb) of a string.
 */
#define US_COPY_FORMS(Op, Noun, cat)                                                           \
	NTSTATUS RtlUnicodeString##Op(PUNICODE_STRING DestinationString,                       \
				      PCUNICODE_STRING SourceString)                           \
	{                                                                                      \
		return us_copy(DestinationString, SourceString, cat);                          \
	}                                                                                      \
                                                                                               \
	NTSTATUS RtlUnicodeString##Op##String(PUNICODE_STRING DestinationString,               \
					      NTSTRSAFE_PCWSTR pszSrc)                         \
	{                                                                                      \
		return us_string(DestinationString, pszSrc, NTSTRSAFE_MAX_CCH, cat);           \
	}                                                                                      \
                                                                                               \
	NTSTATUS RtlUnicodeStringCch##Op##StringN(PUNICODE_STRING DestinationString,           \
						  NTSTRSAFE_PCWSTR pszSrc, size_t cchTo##Noun) \
	{                                                                                      \
		return us_string(DestinationString, pszSrc, cchTo##Noun, cat);                 \
	}                                                                                      \
                                                                                               \
	NTSTATUS RtlUnicodeStringCb##Op##StringN(PUNICODE_STRING DestinationString,            \
						 NTSTRSAFE_PCWSTR pszSrc, size_t cbTo##Noun)   \
	{                                                                                      \
		return us_string(DestinationString, pszSrc, cbTo##Noun / sizeof(WCHAR), cat);  \
	}

US_COPY_FORMS(Copy, Copy, false)
US_COPY_FORMS(Cat, Append, true)
#undef US_COPY_FORMS

NTSTATUS RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
				 va_list argList)
{
	NTSTATUS st = RtlUnicodeStringValidate(DestinationString);
	size_t cap, end = 0;
	WCHAR *tmp;

	if (!NT_SUCCESS(st))
		return st;
	if (!pszFormat)
		return STATUS_INVALID_PARAMETER;
	/* One character more than fits tells truncation apart. */
	cap = DestinationString->MaximumLength / sizeof(WCHAR);
	tmp = owfp_malloc((cap + 2) * sizeof(WCHAR));
	if (!tmp)
		return STATUS_INSUFFICIENT_RESOURCES;
	st = formatW(tmp, cap + 2, pszFormat, argList, &end);
	if (st == STATUS_SUCCESS || st == STATUS_BUFFER_OVERFLOW) {
		NTSTATUS put = us_put(DestinationString, 0, tmp, end);

		if (st == STATUS_SUCCESS)
			st = put;
	}
	free(tmp);
	return st;
}

NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, ...)
{
	va_list ap;
	NTSTATUS st;

	va_start(ap, pszFormat);
	st = RtlUnicodeStringVPrintf(DestinationString, pszFormat, ap);
	va_end(ap);
	return st;
}
