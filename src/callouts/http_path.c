/* Request-path normalisation for path rules (see http_path.h). Written here
 * rather than taken from a URL library: those normalise one way (RFC 3986)
 * and accept what we must refuse, and the refusals are the point. */
#include "callouts/http_path.h"
#include "callouts/http_head.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SEG_MAX 1024

static long refuse(const char **why, const char *rule)
{
	if (why)
		*why = rule;
	return -1;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF. An overlong "/" (%c0%af) is how old servers were tricked. */
static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		size_t more;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			more = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i - 1 < more)
			return false;
		for (size_t k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += more + 1;
	}
	return true;
}

/* Decodes one raw segment into seg; returns its length or -1 (*why set). */
static long decode_segment(const char *p, size_t n, char *seg, const char **why)
{
	size_t sl = 0;
	for (size_t i = 0; i < n;) {
		char c = p[i++];
		bool escaped = c == '%';
		if (escaped) {
			if (n - i < 2 || owfp_http_hexval(p[i]) < 0 || owfp_http_hexval(p[i + 1]) < 0)
				return refuse(why, "bad percent-escape");
			c = (char)(owfp_http_hexval(p[i]) * 16 + owfp_http_hexval(p[i + 1]));
			i += 2;
			if (c == '/')
				return refuse(why, "encoded '/'");
			if (c == ';')
				return refuse(why, "encoded ';'");
		}
		if (c == '\\')
			return refuse(why, "backslash");
		if ((uint8_t)c < 0x20 || c == 0x7f)
			return refuse(why, c ? "control byte" : "NUL byte");
		if (sl + 1 >= SEG_MAX)
			return refuse(why, "segment over 1 KiB");
		seg[sl++] = c;
	}
	/* a '%' that survived decoding came from "%25": "%2561" read twice is "a" */
	for (size_t k = 0; k + 2 < sl; k++)
		if (seg[k] == '%' && owfp_http_hexval(seg[k + 1]) >= 0 &&
		    owfp_http_hexval(seg[k + 2]) >= 0)
			return refuse(why, "double percent-encoding");
	if (!utf8_valid((const uint8_t *)seg, sl))
		return refuse(why, "invalid UTF-8");
	return (long)sl;
}

long owfp_http_path_normalize(const char *path, size_t len, unsigned flags, char *out, size_t outsz,
			      const char **why)
{
	if (outsz == 0)
		return refuse(why, "path too long");
	if (len == 0 || path[0] != '/') {
		/* "*" and CONNECT's empty path have nothing to normalise */
		if (len >= outsz)
			return refuse(why, "path too long");
		if (len)
			memcpy(out, path, len);
		out[len] = '\0';
		return (long)len;
	}
	size_t o = 0; /* out[0..o) is the normalised path so far, always starting with '/' */
	size_t i = 0;
	while (i < len) {
		/* one segment: skip the '/' (and any repeated ones), decode to the next '/' */
		while (i < len && path[i] == '/')
			i++;
		size_t s0 = i;
		while (i < len && path[i] != '/')
			i++;
		size_t rl = i - s0;
		const char *semi = memchr(path + s0, ';', rl);
		if ((flags & OWFP_HTTP_PATH_STRIP_PARAMS) && semi)
			rl = (size_t)(semi - (path + s0));
		char seg[SEG_MAX];
		long d = decode_segment(path + s0, rl, seg, why);
		if (d < 0)
			return -1;
		size_t sl = (size_t)d;
		bool dot = sl == 1 && seg[0] == '.';
		bool dotdot = sl == 2 && seg[0] == '.' && seg[1] == '.';
		bool trailing = i == len && (sl == 0 || dot || dotdot);
		if (dot) {
			sl = 0;
		} else if (dotdot) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* drop the '/' before the removed segment */
			sl = 0;
		}
		if (sl) {
			if (o + 1 + sl + 1 > outsz)
				return refuse(why, "path too long");
			out[o++] = '/';
			memcpy(out + o, seg, sl);
			o += sl;
		}
		if (trailing && (o == 0 || out[o - 1] != '/')) {
			if (o + 2 > outsz)
				return refuse(why, "path too long");
			out[o++] = '/';
		}
	}
	if (o == 0) {
		if (outsz < 2)
			return refuse(why, "path too long");
		out[o++] = '/';
	}
	out[o] = '\0';
	return (long)o;
}
