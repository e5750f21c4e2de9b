/* DbgPrint's format interpreter: Windows conversions on top of snprintf. */
#include "wdm/dbgformat.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "openwfp/wdm.h"
#include "wdm/utf8.h"

typedef struct outbuf {
	char *p;
	size_t cap;
	size_t len;
	size_t want; /* the full length, as if nothing were truncated */
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
	size_t room = o->cap ? o->cap - 1 - o->len : 0;

	o->want += n;
	if (n > room)
		n = room;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static size_t utf8_encode(uint32_t c, char *b)
{
	return owfp_utf8_encode(c, b);
}

static void pad(outbuf *o, int n)
{
	while (n-- > 0)
		put(o, " ", 1);
}

/* A string conversion of any length (no intermediate buffer). */
static void put_str(outbuf *o, const char *s, size_t n, int width, bool left)
{
	int fill = width > 0 && (size_t)width > n ? width - (int)n : 0;

	if (!left)
		pad(o, fill);
	put(o, s, n);
	if (left)
		pad(o, fill);
}

/* Wide characters as UTF-8, at most n of them, stopping at a NUL. */
static size_t wide_utf8_len(const wchar_t *w, size_t n)
{
	char b[4];
	size_t len = 0;

	for (size_t i = 0; i < n && w[i]; i++)
		len += utf8_encode((uint32_t)w[i], b);
	return len;
}

static void put_wide(outbuf *o, const wchar_t *w, size_t n, int width, bool left)
{
	size_t len = wide_utf8_len(w, n);
	int fill = width > 0 && (size_t)width > len ? width - (int)len : 0;
	char b[4];

	if (!left)
		pad(o, fill);
	for (size_t i = 0; i < n && w[i]; i++)
		put(o, b, utf8_encode((uint32_t)w[i], b));
	if (left)
		pad(o, fill);
}

enum size_mod { SZ_DEFAULT, SZ_HH, SZ_H, SZ_32, SZ_64, SZ_PTR, SZ_LONGDOUBLE, SZ_WIDE };

size_t owfp_dbg_vformat(char *out, size_t outlen, const char *format, va_list ap)
{
	size_t len;

	owfp_dbg_vformat_len(out, outlen, format, ap, &len);
	return len;
}

size_t owfp_dbg_vformat_len(char *out, size_t outlen, const char *format, va_list ap,
			    size_t *written)
{
	outbuf o = { out, outlen, 0, 0 };
	const char *f = format;

	if (outlen)
		out[0] = '\0';
	while (*f) {
		char spec[32], piece[512], tmp[512];
		size_t sl = 0;
		enum size_mod sz = SZ_DEFAULT;
		const char *start;
		int width = -1, prec = -1, n = 0;
		bool left = false;
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
		while (*f && strchr("-+ #0", *f) && sl < 8) {
			left |= *f == '-';
			spec[sl++] = *f++;
		}
		if (*f == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
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
					put_wide(&o, w, prec >= 0 ? (size_t)prec : SIZE_MAX, width, left);
				else
					put_str(&o, "(null)", 6, width, left);
			} else {
				const char *s = va_arg(ap, const char *);
				size_t k;

				if (!s)
					s = "(null)";
				k = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
				put_str(&o, s, k, width, left);
			}
			continue;
		case 'Z':
			if (sz == SZ_WIDE) {
				const UNICODE_STRING *u = va_arg(ap, const UNICODE_STRING *);

				if (u && u->Buffer)
					put_wide(&o, u->Buffer, u->Length / sizeof(WCHAR), width, left);
				else
					put_str(&o, "(null)", 6, width, left);
			} else {
				const ANSI_STRING *a = va_arg(ap, const ANSI_STRING *);

				if (a && a->Buffer)
					put_str(&o, a->Buffer, a->Length, width, left);
				else
					put_str(&o, "(null)", 6, width, left);
			}
			continue;
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
		/* A conversion wider than piece: only its length can be told. */
		if (n > 0 && (size_t)n >= sizeof(piece))
			o.want += (size_t)n - (sizeof(piece) - 1);
	}
	if (written)
		*written = o.len;
	return o.want;
}
