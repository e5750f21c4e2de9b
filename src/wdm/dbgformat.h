/*
 * printf with the Windows kernel's conventions, for DbgPrint:
 *  - %wZ prints a PUNICODE_STRING, %Z a PANSI_STRING, %ws and %S a wide
 *    string (wchar_t *), %C a wide character;
 *  - the size prefixes I64 and ll mean 64 bits, I32 and l mean 32 bits
 *    (ULONG is 32 bits here as on Windows), I means pointer-sized, h 16 bits;
 *  - everything else is as in C.
 * Output is truncated to fit, always NUL-terminated. Returns the length
 * written (not counting the NUL).
 */
#ifndef OWFP_WDM_DBGFORMAT_H
#define OWFP_WDM_DBGFORMAT_H

#include <stdarg.h>
#include <stddef.h>

size_t owfp_dbg_vformat(char *out, size_t outlen, const char *format, va_list ap);
/* The same, returning the full length the output needs (as vsnprintf does;
 * truncated when it is >= outlen); *written (if given) = length written. */
size_t owfp_dbg_vformat_len(char *out, size_t outlen, const char *format, va_list ap,
			    size_t *written);

#endif /* OWFP_WDM_DBGFORMAT_H */
