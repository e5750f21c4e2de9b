/* owfp_err_printf: one formatter for the char-buffer error convention. */
#include "util/err_printf.h"

#include <stdarg.h>
#include <stdio.h>

void owfp_err_printf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
