/* The message of an error into a caller's buffer, as Redis's anet does:
 * the caller decides whether and where to print it. */
#ifndef OWFP_UTIL_ERR_PRINTF_H
#define OWFP_UTIL_ERR_PRINTF_H

#include <stddef.h>

/* vsnprintf into err[errlen]; nothing when err is NULL or errlen 0. */
void owfp_err_printf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* OWFP_UTIL_ERR_PRINTF_H */
