/* DbgPrint's format interpreter: Windows conversions on top of snprintf. */
#include "wdm/dbgformat.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "openwfp/wdm.h"
#include "util/dbg_spec.h"
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

/* One conversion: what owfp_dbg_spec_parse read, its stars resolved, and
 * the snprintf format it becomes (without length modifier and letter). */
typedef struct conv {
	owfp_dbg_spec d;
	int width, prec; /* -1: none */
	bool left;
	char spec[32];
} conv;

/* Reads the '*' arguments, in order, and writes c->spec. */
static void resolve(conv *c, va_list *ap)
{
	size_t sl;

	c->width = c->d.width == OWFP_DBG_STAR ? va_arg(*ap, int) : c->d.width;
	c->prec = c->d.prec == OWFP_DBG_STAR ? va_arg(*ap, int) : c->d.prec;
	c->left = strchr(c->d.flags, '-') != NULL;
	if (c->d.width == OWFP_DBG_STAR && c->width < 0) {
		c->left = true;
		c->width = -c->width;
	}
	sl = (size_t)snprintf(c->spec, sizeof(c->spec), "%%%s", c->d.flags);
	if (c->width >= 0)
		sl += (size_t)snprintf(c->spec + sl, sizeof(c->spec) - sl, "%d", c->width);
	if (c->prec >= 0 && c->d.conv != 'Z')
		snprintf(c->spec + sl, sizeof(c->spec) - sl, ".%d", c->prec);
}

static bool wide_int(const conv *c)
{
	return c->d.size == OWFP_DBG_SZ_64 || c->d.size == OWFP_DBG_SZ_PTR;
}

static int format_signed(conv *c, va_list *ap, char *piece, size_t len)
{
	int v;

	if (wide_int(c)) {
		strcat(c->spec, "lld");
		return snprintf(piece, len, c->spec,
				c->d.size == OWFP_DBG_SZ_64 ? va_arg(*ap, long long)
							    : (long long)va_arg(*ap, intptr_t));
	}
	v = va_arg(*ap, int);
	if (c->d.size == OWFP_DBG_SZ_H)
		v = (short)v;
	else if (c->d.size == OWFP_DBG_SZ_HH)
		v = (int8_t)v;
	strcat(c->spec, "d");
	return snprintf(piece, len, c->spec, v);
}

static int format_unsigned(conv *c, va_list *ap, char *piece, size_t len)
{
	char letter[4] = {'l', 'l', c->d.conv, '\0'};
	unsigned v;

	if (wide_int(c)) {
		strcat(c->spec, letter);
		return snprintf(piece, len, c->spec,
				c->d.size == OWFP_DBG_SZ_64
					? va_arg(*ap, unsigned long long)
					: (unsigned long long)va_arg(*ap, uintptr_t));
	}
	v = va_arg(*ap, unsigned);
	if (c->d.size == OWFP_DBG_SZ_H)
		v = (unsigned short)v;
	else if (c->d.size == OWFP_DBG_SZ_HH)
		v = (unsigned char)v;
	strcat(c->spec, letter + 2);
	return snprintf(piece, len, c->spec, v);
}

static int format_float(conv *c, va_list *ap, char *piece, size_t len)
{
	char letter[3] = {'L', c->d.conv, '\0'};

	if (c->d.size == OWFP_DBG_SZ_LONGDOUBLE) {
		strcat(c->spec, letter);
		return snprintf(piece, len, c->spec, va_arg(*ap, long double));
	}
	strcat(c->spec, letter + 1);
	return snprintf(piece, len, c->spec, va_arg(*ap, double));
}

/* %c, %C, %lc, %wc: a wide character prints as UTF-8. */
static int format_char(conv *c, va_list *ap, char *piece, size_t len)
{
	int ch = va_arg(*ap, int);
	char tmp[8];

	if (c->d.conv == 'C' || c->d.size == OWFP_DBG_SZ_WIDE || c->d.size == OWFP_DBG_SZ_32)
		tmp[utf8_encode((uint32_t)ch, tmp)] = '\0';
	else
		tmp[0] = (char)ch, tmp[1] = '\0';
	strcat(c->spec, "s");
	return snprintf(piece, len, c->spec, tmp);
}

static int format_pointer(conv *c, va_list *ap, char *piece, size_t len)
{
	strcat(c->spec, "p");
	return snprintf(piece, len, c->spec, va_arg(*ap, void *));
}

/* %s, %S, %ls, %ws. */
static void put_string(outbuf *o, const conv *c, va_list *ap)
{
	if (c->d.conv == 'S' || c->d.size == OWFP_DBG_SZ_WIDE || c->d.size == OWFP_DBG_SZ_32) {
		const wchar_t *w = va_arg(*ap, const wchar_t *);

		if (w)
			put_wide(o, w, c->prec >= 0 ? (size_t)c->prec : SIZE_MAX, c->width, c->left);
		else
			put_str(o, "(null)", 6, c->width, c->left);
	} else {
		const char *s = va_arg(*ap, const char *);

		if (!s)
			s = "(null)";
		put_str(o, s, c->prec >= 0 ? strnlen(s, (size_t)c->prec) : strlen(s), c->width,
			c->left);
	}
}

/* %wZ: PUNICODE_STRING, %Z: PANSI_STRING (counted, not NUL-terminated). */
static void put_counted(outbuf *o, const conv *c, va_list *ap)
{
	if (c->d.size == OWFP_DBG_SZ_WIDE) {
		const UNICODE_STRING *u = va_arg(*ap, const UNICODE_STRING *);

		if (u && u->Buffer)
			put_wide(o, u->Buffer, u->Length / sizeof(WCHAR), c->width, c->left);
		else
			put_str(o, "(null)", 6, c->width, c->left);
	} else {
		const ANSI_STRING *a = va_arg(*ap, const ANSI_STRING *);

		if (a && a->Buffer)
			put_str(o, a->Buffer, a->Length, c->width, c->left);
		else
			put_str(o, "(null)", 6, c->width, c->left);
	}
}

typedef int (*scalar_fn)(conv *c, va_list *ap, char *piece, size_t len);

static scalar_fn scalar_of(enum owfp_dbg_class class)
{
	switch (class) {
	case OWFP_DBG_SIGNED:
		return format_signed;
	case OWFP_DBG_UNSIGNED:
		return format_unsigned;
	case OWFP_DBG_FLOAT:
		return format_float;
	case OWFP_DBG_CHAR:
		return format_char;
	case OWFP_DBG_POINTER:
		return format_pointer;
	default:
		return NULL;
	}
}

/* A number, character or pointer through snprintf. */
static void put_scalar(outbuf *o, conv *c, va_list *ap, scalar_fn fn)
{
	char piece[512];
	int n = fn(c, ap, piece, sizeof(piece));

	if (n > 0)
		put(o, piece, (size_t)n < sizeof(piece) ? (size_t)n : sizeof(piece) - 1);
	/* A conversion wider than piece: only its length can be told. */
	if (n > 0 && (size_t)n >= sizeof(piece))
		o->want += (size_t)n - (sizeof(piece) - 1);
}

/* The conversion at start ('%'): prints it, returns what follows it. */
static const char *conversion(outbuf *o, const char *start, va_list *ap)
{
	conv c;
	const char *f = start + 1 + owfp_dbg_spec_parse(start + 1, SIZE_MAX, &c.d);
	enum owfp_dbg_class class = owfp_dbg_spec_class(c.d.conv);

	resolve(&c, ap);
	if (!c.d.conv) {
		put(o, start, strlen(start)); /* the format ends inside it */
		return f;
	}
	if (scalar_of(class)) {
		put_scalar(o, &c, ap, scalar_of(class));
		return f;
	}
	switch (class) {
	case OWFP_DBG_STRING:
		put_string(o, &c, ap);
		break;
	case OWFP_DBG_COUNTED:
		put_counted(o, &c, ap);
		break;
	case OWFP_DBG_WRITEBACK:
		(void)va_arg(*ap, void *);
		break;
	case OWFP_DBG_PERCENT:
		put(o, "%", 1);
		break;
	default:
		/* Unknown conversion: print it as written, consume nothing. */
		put(o, start, (size_t)(f - start));
		break;
	}
	return f;
}

size_t owfp_dbg_vformat(char *out, size_t outlen, const char *format, va_list ap)
{
	size_t len;

	owfp_dbg_vformat_len(out, outlen, format, ap, &len);
	return len;
}

size_t owfp_dbg_vformat_len(char *out, size_t outlen, const char *format, va_list ap, size_t *written)
{
	outbuf o = {out, outlen, 0, 0};
	const char *f = format;
	va_list args;

	if (outlen)
		out[0] = '\0';
	va_copy(args, ap); /* a va_list the helpers can share by pointer */
	while (*f) {
		const char *next = strchr(f, '%');
		size_t k = next ? (size_t)(next - f) : strlen(f);

		if (k) {
			put(&o, f, k);
			f += k;
		} else {
			f = conversion(&o, f, &args);
		}
	}
	va_end(args);
	if (written)
		*written = o.len;
	return o.want;
}
