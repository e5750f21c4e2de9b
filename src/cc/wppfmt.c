/* Reads a trace message's format (one string literal, escapes as written)
 * into its conversions: printf ones with the C type their argument has
 * under DbgPrint's rules (ULONG is 32 bits, I64 is 64, I is pointer-sized),
 * and WPP's %!NAME! extensions. */
#include "cc/wpp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/dbg_spec.h"

/* The C type of a conversion's argument under DbgPrint's rules. */
static const char *ctype_of(char conv, enum owfp_dbg_size sz)
{
	bool is64 = sz == OWFP_DBG_SZ_64, isptr = sz == OWFP_DBG_SZ_PTR, is32 = sz == OWFP_DBG_SZ_32;

	switch (owfp_dbg_spec_class(conv)) {
	case OWFP_DBG_SIGNED:
		return is64 ? "int64_t" : isptr ? "intptr_t" : is32 ? "int32_t" : "int";
	case OWFP_DBG_UNSIGNED:
		return is64 ? "uint64_t" : isptr ? "uintptr_t" : is32 ? "uint32_t" : "unsigned int";
	case OWFP_DBG_CHAR:
		return "int";
	case OWFP_DBG_STRING:
		return conv == 'S' || sz == OWFP_DBG_SZ_WIDE || is32 ? "const wchar_t *"
								     : "const char *";
	case OWFP_DBG_COUNTED: /* %wZ: PUNICODE_STRING, %Z: PANSI_STRING */
	case OWFP_DBG_POINTER:
		return "const void *";
	case OWFP_DBG_FLOAT:
		return sz == OWFP_DBG_SZ_LONGDOUBLE ? "long double" : "double";
	default:
		return NULL;
	}
}

/* WPP's %!NAME! at s (just past the first '!'): its name into sp. Returns
 * the characters read after the first '!', or -EINVAL. */
static int read_ext(const char *s, size_t len, cc_wpp_spec *sp, char *err, size_t errlen)
{
	const char *e = memchr(s, '!', len);
	size_t nl;

	if (!e) {
		cc_err(err, errlen, "unterminated %%!...! in the message");
		return -EINVAL;
	}
	nl = (size_t)(e - s);
	if (nl == 0 || nl >= sizeof(sp->name)) {
		cc_err(err, errlen, "%%!%.*s! is not a WPP type name", (int)nl, s);
		return -EINVAL;
	}
	sp->conv = CC_WPP_EXT;
	memcpy(sp->name, s, nl);
	return (int)nl + 1;
}

/* The conversion after a '%' at s into sp. Returns the characters read, or -EINVAL. */
static int read_conv(const char *s, size_t len, cc_wpp_spec *sp, char *err, size_t errlen)
{
	owfp_dbg_spec d;
	size_t n = owfp_dbg_spec_parse(s, len, &d);
	const char *ct;
	int k;

	if (d.conv == '!' && d.size == OWFP_DBG_SZ_DEFAULT) {
		k = read_ext(s + n, len - n, sp, err, errlen);
		return k < 0 ? k : (int)n + k;
	}
	if (!d.conv) {
		cc_err(err, errlen, "the message ends inside a %% conversion");
		return -EINVAL;
	}
	if (d.conv == 'n') {
		cc_err(err, errlen, "%%n is not supported in trace messages");
		return -EINVAL;
	}
	ct = ctype_of(d.conv, d.size);
	if (!ct) {
		cc_err(err, errlen, "unknown conversion %%%.*s in the message", (int)n, s);
		return -EINVAL;
	}
	snprintf(sp->ctype, sizeof(sp->ctype), "%s", ct);
	sp->conv = CC_WPP_PRINTF;
	sp->stars = (d.width == OWFP_DBG_STAR) + (d.prec == OWFP_DBG_STAR);
	return (int)n;
}

int cc_wpp_format_parse(const char *lit, size_t len, cc_wpp_spec *specs, size_t max, char *err,
			size_t errlen)
{
	size_t i = 0, n = 0;

	while (i < len) {
		cc_wpp_spec sp;
		size_t start = i;
		int k;

		if (lit[i] == '\\') {
			i += i + 1 < len ? 2 : 1;
			continue;
		}
		if (lit[i] != '%') {
			i++;
			continue;
		}
		i++;
		if (i < len && lit[i] == '%') {
			i++;
			continue;
		}
		memset(&sp, 0, sizeof(sp));
		sp.off = start;
		k = read_conv(lit + i, len - i, &sp, err, errlen);
		if (k < 0)
			return k;
		i += (size_t)k;
		sp.len = i - start;
		if (n == max) {
			cc_err(err, errlen, "more than %zu conversions in one message", max);
			return -EINVAL;
		}
		specs[n++] = sp;
	}
	return (int)n;
}
