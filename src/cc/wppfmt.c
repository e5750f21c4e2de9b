/* Reads a trace message's format (one string literal, escapes as written)
 * into its conversions: printf ones with the C type their argument has
 * under DbgPrint's rules (ULONG is 32 bits, I64 is 64, I is pointer-sized),
 * and WPP's %!NAME! extensions. */
#include "cc/wpp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum size { S_NONE, S_H, S_32, S_64, S_PTR, S_LONGDOUBLE, S_WIDE };

static const char *ctype_of(char conv, enum size sz)
{
	switch (conv) {
	case 'd':
	case 'i':
		return sz == S_64 ? "int64_t" : sz == S_PTR ? "intptr_t" : sz == S_32 ? "int32_t" : "int";
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		return sz == S_64 ? "uint64_t" : sz == S_PTR ? "uintptr_t" : sz == S_32 ? "uint32_t"
										: "unsigned int";
	case 'c':
	case 'C':
		return "int";
	case 's':
		return sz == S_WIDE || sz == S_32 ? "const wchar_t *" : "const char *";
	case 'S':
		return "const wchar_t *";
	case 'Z': /* %wZ: PUNICODE_STRING, %Z: PANSI_STRING */
	case 'p':
		return "const void *";
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		return sz == S_LONGDOUBLE ? "long double" : "double";
	default:
		return NULL;
	}
}

int cc_wpp_format_parse(const char *lit, size_t len, cc_wpp_spec *specs, size_t max, char *err,
			size_t errlen)
{
	size_t i = 0, n = 0;

	while (i < len) {
		cc_wpp_spec sp;
		enum size sz = S_NONE;
		size_t start = i;
		const char *ct;

		if (lit[i] == '\\') {
			i += i + 1 < len ? 2 : 1;
			continue;
		}
		if (lit[i] != '%') {
			i++;
			continue;
		}
		memset(&sp, 0, sizeof(sp));
		sp.off = start;
		i++;
		if (i < len && lit[i] == '%') {
			i++;
			continue;
		}
		while (i < len && strchr("-+ #0", lit[i]))
			i++;
		if (i < len && lit[i] == '*') {
			sp.stars++;
			i++;
		}
		while (i < len && lit[i] >= '0' && lit[i] <= '9')
			i++;
		if (i < len && lit[i] == '.') {
			i++;
			if (i < len && lit[i] == '*') {
				sp.stars++;
				i++;
			}
			while (i < len && lit[i] >= '0' && lit[i] <= '9')
				i++;
		}
		if (i < len && lit[i] == '!') {
			const char *e = memchr(lit + i + 1, '!', len - i - 1);
			size_t nl;

			if (!e) {
				cc_err(err, errlen, "unterminated %%!...! in the message");
				return -EINVAL;
			}
			nl = (size_t)(e - lit) - i - 1;
			if (nl == 0 || nl >= sizeof(sp.name)) {
				cc_err(err, errlen, "%%!%.*s! is not a WPP type name", (int)nl, lit + i + 1);
				return -EINVAL;
			}
			sp.conv = CC_WPP_EXT;
			memcpy(sp.name, lit + i + 1, nl);
			i += nl + 2;
			sp.stars = 0;
		} else {
			if (i + 3 <= len && !strncmp(lit + i, "I64", 3)) {
				sz = S_64;
				i += 3;
			} else if (i + 3 <= len && !strncmp(lit + i, "I32", 3)) {
				sz = S_32;
				i += 3;
			} else if (i < len && strchr("Iztj", lit[i])) {
				sz = lit[i] == 'j' ? S_64 : S_PTR;
				i++;
			} else if (i + 2 <= len && !strncmp(lit + i, "ll", 2)) {
				sz = S_64;
				i += 2;
			} else if (i + 2 <= len && !strncmp(lit + i, "hh", 2)) {
				sz = S_H;
				i += 2;
			} else if (i < len && lit[i] == 'h') {
				sz = S_H;
				i++;
			} else if (i < len && lit[i] == 'l') {
				sz = S_32;
				i++;
			} else if (i < len && lit[i] == 'w') {
				sz = S_WIDE;
				i++;
			} else if (i < len && lit[i] == 'L') {
				sz = S_LONGDOUBLE;
				i++;
			}
			if (i >= len) {
				cc_err(err, errlen, "the message ends inside a %% conversion");
				return -EINVAL;
			}
			if (lit[i] == 'n') {
				cc_err(err, errlen, "%%n is not supported in trace messages");
				return -EINVAL;
			}
			ct = ctype_of(lit[i], sz);
			if (!ct) {
				cc_err(err, errlen, "unknown conversion %%%.*s in the message",
				       (int)(i + 1 - start - 1), lit + start + 1);
				return -EINVAL;
			}
			snprintf(sp.ctype, sizeof(sp.ctype), "%s", ct);
			sp.conv = CC_WPP_PRINTF;
			i++;
		}
		sp.len = i - start;
		if (n == max) {
			cc_err(err, errlen, "more than %zu conversions in one message", max);
			return -EINVAL;
		}
		specs[n++] = sp;
	}
	return (int)n;
}
