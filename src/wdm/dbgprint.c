/* Kernel debug output, to stderr. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "openwfp/wdm.h"
#include "wdm/dbgformat.h"

static bool dbgprint_enabled(void)
{
	const char *v = getenv("OWFP_DBGPRINT");

	return !(v && v[0] == '0' && v[1] == '\0');
}

static ULONG dbgprint_v(PCSTR format, va_list ap)
{
	char line[1024];

	if (!dbgprint_enabled())
		return 0;
	owfp_dbg_vformat(line, sizeof(line), format, ap);
	fputs(line, stderr);
	return 0;
}

ULONG DbgPrint(PCSTR Format, ...)
{
	va_list ap;
	ULONG r;

	va_start(ap, Format);
	r = dbgprint_v(Format, ap);
	va_end(ap);
	return r;
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
	va_list ap;
	ULONG r;

	(void)ComponentId;
	(void)Level;
	va_start(ap, Format);
	r = dbgprint_v(Format, ap);
	va_end(ap);
	return r;
}
