/* DbgPrint's format interpreter: Windows conversions on top of snprintf. */
#include "wdm/dbgformat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "openwfp/wdm.h"

typedef struct outbuf {
	char *p;
	size_t cap;
	size_t len;
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
	size_t room = o->cap ? o->cap - 1 - o->len : 0;

	if (n > room)
		n = room;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static size_t utf8_encode(uint32_t c, char *b)
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		c = 0xfffd;
	if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | c >> 18);
	b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	b[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Wide characters to UTF-8 into tmp; stops at n characters or a NUL. */
static void wide_to_utf8(const wchar_t *w, size_t n, char *tmp, size_t tmplen)
{
	size_t len = 0;
	char b[4];

	for (size_t i = 0; i < n && w[i]; i++) {
		size_t k = utf8_encode((uint32_t)w[i], b);

		if (len + k >= tmplen)
			break;
		memcpy(tmp + len, b, k);
		len += k;
	}
	tmp[len] = '\0';
}

enum size_mod { SZ_DEFAULT, SZ_HH, SZ_H, SZ_32, SZ_64, SZ_PTR, SZ_LONGDOUBLE, SZ_WIDE };

size_t owfp_dbg_vformat(char *out, size_t outlen, const char *format, va_list ap)
{
	outbuf o = { out, outlen, 0 };
	const char *f = format;

	if (outlen)
		out[0] = '\0';
	while (*f) {
		char spec[32], piece[512], tmp[512];
		size_t sl = 0;
		enum size_mod sz = SZ_DEFAULT;
		const char *start;
		int width = -1, prec = -1, n = 0;
		char conv;

		if (*f != '%') {
			const char *next = strchr(f, '%');
			size_t k = next ? (size_t)(next - f) : strlen(f);

			put(&o, f, k);
			f += k;
			continue;
		}
		start = f++;
		spec[sl++] = '%';
		while (*f && strchr("-+ #0", *f) && sl < 8)
			spec[sl++] = *f++;
		if (*f == '*') {
			width = va_arg(ap, int);
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				width = (width < 0 ? 0 : width * 10) + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			prec = 0;
			if (*f == '*') {
				prec = va_arg(ap, int);
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (*f++ - '0');
			}
		}
		if (!strncmp(f, "I64", 3)) {
			sz = SZ_64;
			f += 3;
		} else if (!strncmp(f, "I32", 3)) {
			sz = SZ_32;
			f += 3;
		} else if (*f == 'I' || *f == 'z' || *f == 't' || *f == 'j') {
			sz = *f == 'j' ? SZ_64 : SZ_PTR;
			f++;
		} else if (!strncmp(f, "ll", 2)) {
			sz = SZ_64;
			f += 2;
		} else if (!strncmp(f, "hh", 2)) {
			sz = SZ_HH;
			f += 2;
		} else if (*f == 'h') {
			sz = SZ_H;
			f++;
		} else if (*f == 'l' || *f == 'w') {
			sz = *f == 'w' ? SZ_WIDE : SZ_32;
			f++;
		} else if (*f == 'L') {
			sz = SZ_LONGDOUBLE;
			f++;
		}
		conv = *f;
		if (!conv) {
			put(&o, start, strlen(start));
			break;
		}
		f++;
		if (width >= 0)
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, "%d", width);
		if (prec >= 0 && conv != 'Z')
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, ".%d", prec);
		spec[sl] = '\0';

		switch (conv) {
		case 'd':
		case 'i':
			if (sz == SZ_64 || sz == SZ_PTR) {
				strcat(spec, "lld");
				n = snprintf(piece, sizeof(piece), spec,
					     sz == SZ_64 ? va_arg(ap, long long)
							 : (long long)va_arg(ap, intptr_t));
			} else {
				int v = va_arg(ap, int);

				if (sz == SZ_H)
					v = (short)v;
				else if (sz == SZ_HH)
					v = (int8_t)v;
				strcat(spec, "d");
				n = snprintf(piece, sizeof(piece), spec, v);
			}
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			char c[4] = { 'l', 'l', conv, '\0' };

			if (sz == SZ_64 || sz == SZ_PTR) {
				strcat(spec, c);
				n = snprintf(piece, sizeof(piece), spec,
					     sz == SZ_64 ? va_arg(ap, unsigned long long)
							 : (unsigned long long)va_arg(ap, uintptr_t));
			} else {
				unsigned v = va_arg(ap, unsigned);

				if (sz == SZ_H)
					v = (unsigned short)v;
				else if (sz == SZ_HH)
					v = (unsigned char)v;
				strcat(spec, c + 2);
				n = snprintf(piece, sizeof(piece), spec, v);
			}
			break;
		}
		case 'p':
			strcat(spec, "p");
			n = snprintf(piece, sizeof(piece), spec, va_arg(ap, void *));
			break;
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A': {
			char c[3] = { 'L', conv, '\0' };

			if (sz == SZ_LONGDOUBLE) {
				strcat(spec, c);
				n = snprintf(piece, sizeof(piece), spec, va_arg(ap, long double));
			} else {
				strcat(spec, c + 1);
				n = snprintf(piece, sizeof(piece), spec, va_arg(ap, double));
			}
			break;
		}
		case 'c':
		case 'C': {
			int ch = va_arg(ap, int);

			if (conv == 'C' || sz == SZ_WIDE || sz == SZ_32)
				tmp[utf8_encode((uint32_t)ch, tmp)] = '\0';
			else
				tmp[0] = (char)ch, tmp[1] = '\0';
			strcat(spec, "s");
			n = snprintf(piece, sizeof(piece), spec, tmp);
			break;
		}
		case 's':
		case 'S':
			if (conv == 'S' || sz == SZ_WIDE || sz == SZ_32) {
				const wchar_t *w = va_arg(ap, const wchar_t *);

				if (w)
					wide_to_utf8(w, prec >= 0 ? (size_t)prec : SIZE_MAX, tmp,
						     sizeof(tmp));
				else
					strcpy(tmp, "(null)");
				n = snprintf(piece, sizeof(piece), "%*s", width < 0 ? 0 : width, tmp);
			} else {
				const char *s = va_arg(ap, const char *);

				strcat(spec, "s");
				n = snprintf(piece, sizeof(piece), spec, s ? s : "(null)");
			}
			break;
		case 'Z':
			if (sz == SZ_WIDE) {
				const UNICODE_STRING *u = va_arg(ap, const UNICODE_STRING *);

				if (u && u->Buffer)
					wide_to_utf8(u->Buffer, u->Length / sizeof(WCHAR), tmp,
						     sizeof(tmp));
				else
					strcpy(tmp, "(null)");
			} else {
				const ANSI_STRING *a = va_arg(ap, const ANSI_STRING *);
				size_t k = a && a->Buffer ? a->Length : 0;

				if (k >= sizeof(tmp))
					k = sizeof(tmp) - 1;
				if (a && a->Buffer)
					memcpy(tmp, a->Buffer, k);
				tmp[k] = '\0';
			}
			n = snprintf(piece, sizeof(piece), "%*s", width < 0 ? 0 : width, tmp);
			break;
		case 'n':
			(void)va_arg(ap, void *);
			break;
		case '%':
			piece[0] = '%';
			n = 1;
			break;
		default:
			/* Unknown conversion: print it as written, consume nothing. */
			put(&o, start, (size_t)(f - start));
			continue;
		}
		if (n > 0)
			put(&o, piece, (size_t)n < sizeof(piece) ? (size_t)n : sizeof(piece) - 1);
	}
	return o.len;
}
