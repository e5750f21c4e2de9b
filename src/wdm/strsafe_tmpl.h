/*
 * The ntstrsafe.h functions for one character type, included twice by
 * strsafe.c: with T = char, S(x) = x##A and with T = WCHAR, S(x) = x##W.
 * SLEN(s, max) is strnlen for that type.
 */

/* Copy (cat = false) or append (cat = true) at most n characters of src. */
static NTSTATUS S(copy_ex)(T *dst, size_t cch, const T *src, size_t n, T **pend, size_t *prem,
			   ULONG flags, bool cat)
{
	static const T empty[1] = {0};
	size_t start = 0, i = 0, end;
	NTSTATUS st = STATUS_SUCCESS;

	if ((flags & ~VALID_FLAGS) || !dst || cch == 0 || cch > NTSTRSAFE_MAX_CCH ||
	    n > NTSTRSAFE_MAX_CCH)
		return STATUS_INVALID_PARAMETER;
	if (!src) {
		if (!(flags & STRSAFE_IGNORE_NULLS))
			return STATUS_INVALID_PARAMETER;
		src = empty;
	}
	if (cat) {
		start = SLEN(dst, cch);
		if (start == cch)
			return STATUS_INVALID_PARAMETER; /* nothing to append to */
	}
	while (i < n && src[i] && start + i < cch - 1) {
		dst[start + i] = src[i];
		i++;
	}
	if (i < n && src[i]) {
		st = STATUS_BUFFER_OVERFLOW;
		if (flags & STRSAFE_NO_TRUNCATION)
			i = 0;
		if ((flags & STRSAFE_NO_TRUNCATION) && !cat)
			start = 0;
	}
	end = start + i;
	dst[end] = 0;
	finish(dst, cch, sizeof(T), &end, st, flags);
	if (pend)
		*pend = dst + end;
	if (prem)
		*prem = cch - end;
	return st;
}

/*
 * The six entry points of Copy (cat = false) and of Cat (cat = true), each
 * written once: Cch and Cb, plain, N and Ex. The Cb forms take and give
 * bytes, the Cch forms characters; Noun names the N form's count as
 * Microsoft does (cchToCopy, cchToAppend).
 */
#define STRSAFE_COPY_FORMS(Op, Noun, cat)                                                           \
	NTSTATUS S(RtlStringCch##Op)(T * pszDest, size_t cchDest, const T *pszSrc)                  \
	{                                                                                           \
		return S(copy_ex)(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_CCH, NULL, NULL, 0, cat); \
	}                                                                                           \
                                                                                                    \
	NTSTATUS S(RtlStringCb##Op)(T * pszDest, size_t cbDest, const T *pszSrc)                    \
	{                                                                                           \
		return S(copy_ex)(pszDest, cbDest / sizeof(T), pszSrc, NTSTRSAFE_MAX_CCH, NULL,     \
				  NULL, 0, cat);                                                    \
	}                                                                                           \
                                                                                                    \
	NTSTATUS S(RtlStringCch##Op##N)(T * pszDest, size_t cchDest, const T *pszSrc,               \
					size_t cchTo##Noun)                                         \
	{                                                                                           \
		return S(copy_ex)(pszDest, cchDest, pszSrc, cchTo##Noun, NULL, NULL, 0, cat);       \
	}                                                                                           \
                                                                                                    \
	NTSTATUS S(RtlStringCb##Op##N)(T * pszDest, size_t cbDest, const T *pszSrc,                 \
				       size_t cbTo##Noun)                                           \
	{                                                                                           \
		return S(copy_ex)(pszDest, cbDest / sizeof(T), pszSrc, cbTo##Noun / sizeof(T),      \
				  NULL, NULL, 0, cat);                                              \
	}                                                                                           \
                                                                                                    \
	NTSTATUS S(RtlStringCch##Op##Ex)(T * pszDest, size_t cchDest, const T *pszSrc,              \
					 T **ppszDestEnd, size_t *pcchRemaining, ULONG dwFlags)     \
	{                                                                                           \
		return S(copy_ex)(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_CCH, ppszDestEnd,         \
				  pcchRemaining, dwFlags, cat);                                     \
	}                                                                                           \
                                                                                                    \
	NTSTATUS S(RtlStringCb##Op##Ex)(T * pszDest, size_t cbDest, const T *pszSrc,                \
					T **ppszDestEnd, size_t *pcbRemaining, ULONG dwFlags)       \
	{                                                                                           \
		size_t rem = 0;                                                                     \
		NTSTATUS st = S(copy_ex)(pszDest, cbDest / sizeof(T), pszSrc, NTSTRSAFE_MAX_CCH,    \
					 ppszDestEnd, &rem, dwFlags, cat);                          \
                                                                                                    \
		if (pcbRemaining)                                                                   \
			*pcbRemaining = rem * sizeof(T);                                            \
		return st;                                                                          \
	}

STRSAFE_COPY_FORMS(Copy, Copy, false)
STRSAFE_COPY_FORMS(Cat, Append, true)
#undef STRSAFE_COPY_FORMS

NTSTATUS S(RtlStringCchLength)(const T *psz, size_t cchMax, size_t *pcchLength)
{
	size_t n;

	if (pcchLength)
		*pcchLength = 0;
	if (!psz || cchMax == 0 || cchMax > NTSTRSAFE_MAX_CCH)
		return STATUS_INVALID_PARAMETER;
	n = SLEN(psz, cchMax);
	if (n == cchMax)
		return STATUS_INVALID_PARAMETER;
	if (pcchLength)
		*pcchLength = n;
	return STATUS_SUCCESS;
}

NTSTATUS S(RtlStringCbLength)(const T *psz, size_t cbMax, size_t *pcbLength)
{
	size_t n = 0;
	NTSTATUS st = S(RtlStringCchLength)(psz, cbMax / sizeof(T), &n);

	if (pcbLength)
		*pcbLength = n * sizeof(T);
	return st;
}

static NTSTATUS S(vprintf_ex)(T *dst, size_t cch, T **pend, size_t *prem, ULONG flags, const T *fmt,
			      va_list ap)
{
	size_t end = 0;
	NTSTATUS st;

	if ((flags & ~VALID_FLAGS) || !dst || cch == 0 || cch > NTSTRSAFE_MAX_CCH)
		return STATUS_INVALID_PARAMETER;
	if (!fmt) {
		if (!(flags & STRSAFE_IGNORE_NULLS))
			return STATUS_INVALID_PARAMETER;
		dst[0] = 0;
		st = STATUS_SUCCESS;
	} else {
		st = S(format)(dst, cch, fmt, ap, &end);
	}
	if (st == STATUS_BUFFER_OVERFLOW && (flags & STRSAFE_NO_TRUNCATION)) {
		end = 0;
		dst[0] = 0;
	}
	if (st == STATUS_SUCCESS || st == STATUS_BUFFER_OVERFLOW)
		finish(dst, cch, sizeof(T), &end, st, flags);
	if (pend)
		*pend = dst + end;
	if (prem)
		*prem = cch - end;
	return st;
}

NTSTATUS S(RtlStringCchVPrintf)(T *pszDest, size_t cchDest, const T *pszFormat, va_list argList)
{
	return S(vprintf_ex)(pszDest, cchDest, NULL, NULL, 0, pszFormat, argList);
}

NTSTATUS S(RtlStringCbVPrintf)(T *pszDest, size_t cbDest, const T *pszFormat, va_list argList)
{
	return S(vprintf_ex)(pszDest, cbDest / sizeof(T), NULL, NULL, 0, pszFormat, argList);
}

NTSTATUS S(RtlStringCchPrintf)(T *pszDest, size_t cchDest, const T *pszFormat, ...)
{
	va_list ap;
	NTSTATUS st;

	va_start(ap, pszFormat);
	st = S(vprintf_ex)(pszDest, cchDest, NULL, NULL, 0, pszFormat, ap);
	va_end(ap);
	return st;
}

NTSTATUS S(RtlStringCbPrintf)(T *pszDest, size_t cbDest, const T *pszFormat, ...)
{
	va_list ap;
	NTSTATUS st;

	va_start(ap, pszFormat);
	st = S(vprintf_ex)(pszDest, cbDest / sizeof(T), NULL, NULL, 0, pszFormat, ap);
	va_end(ap);
	return st;
}

NTSTATUS S(RtlStringCchPrintfEx)(T *pszDest, size_t cchDest, T **ppszDestEnd, size_t *pcchRemaining,
				 ULONG dwFlags, const T *pszFormat, ...)
{
	va_list ap;
	NTSTATUS st;

	va_start(ap, pszFormat);
	st = S(vprintf_ex)(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags, pszFormat, ap);
	va_end(ap);
	return st;
}

NTSTATUS S(RtlStringCbPrintfEx)(T *pszDest, size_t cbDest, T **ppszDestEnd, size_t *pcbRemaining,
				ULONG dwFlags, const T *pszFormat, ...)
{
	va_list ap;
	size_t rem = 0;
	NTSTATUS st;

	va_start(ap, pszFormat);
	st = S(vprintf_ex)(pszDest, cbDest / sizeof(T), ppszDestEnd, &rem, dwFlags, pszFormat, ap);
	va_end(ap);
	if (pcbRemaining)
		*pcbRemaining = rem * sizeof(T);
	return st;
}
