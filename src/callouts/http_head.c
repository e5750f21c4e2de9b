/* HTTP/1.x request-head and chunked-body parsers (see http_head.h). */
#include "callouts/http_head.h"

#include <string.h>
#include <strings.h>

#define METHOD_MAX 32

static bool is_tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_vchar_or_obs(uint8_t c)
{
	return (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

static bool ieq(owfp_http_str s, const char *lit)
{
	return s.len == strlen(lit) && strncasecmp(s.p, lit, s.len) == 0;
}

static long fail(owfp_http_head *h, const char *why)
{
	h->error = why;
	return OWFP_HTTP_ERROR;
}

static long not_http(owfp_http_head *h, const char *why)
{
	h->not_http = true;
	return fail(h, why);
}

static owfp_http_str trim(const char *p, size_t n)
{
	while (n && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (owfp_http_str){p, n};
}

/* Splits "host[:port]" / "[v6]:port" into the host. False when malformed. */
static bool authority_host(const char *p, size_t n, owfp_http_str *host)
{
	if (memchr(p, '@', n))
		return false; /* userinfo: a classic way to confuse host matching */
	if (n && p[0] == '[') {
		const char *end = memchr(p, ']', n);
		if (!end)
			return false;
		size_t rest = n - (size_t)(end - p) - 1;
		if (rest && end[1] != ':')
			return false;
		for (size_t i = 2; i <= rest; i++)
			if (end[i] < '0' || end[i] > '9')
				return false;
		*host = (owfp_http_str){p + 1, (size_t)(end - p) - 1};
		return true;
	}
	size_t hl = n;
	const char *colon = memchr(p, ':', n);
	if (colon) {
		hl = (size_t)(colon - p);
		for (size_t i = hl + 1; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return false;
	}
	for (size_t i = 0; i < hl; i++) {
		uint8_t c = (uint8_t)p[i];
		if (!(is_tchar(c) || c == '(' || c == ')' || c == ',' || c == ';' || c == '=') ||
		    c == '`' || c == '|' || c == '^' || c == '#')
			return false;
	}
	*host = (owfp_http_str){p, hl};
	return true;
}

/* Splits the request-target into path and (for absolute/authority form) host. */
static bool split_target(owfp_http_head *h, bool *host_from_target)
{
	const char *t = h->target.p;
	size_t n = h->target.len;
	*host_from_target = false;
	if (ieq(h->method, "CONNECT")) {
		h->path = (owfp_http_str){t, 0};
		*host_from_target = true;
		return authority_host(t, n, &h->host);
	}
	if (n == 1 && t[0] == '*') {
		h->path = h->target;
		return true;
	}
	if (t[0] != '/') {
		const char *sep = NULL;
		for (size_t i = 0; i + 2 < n; i++) {
			if (t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/') {
				sep = t + i;
				break;
			}
			if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
			      (i > 0 && ((t[i] >= '0' && t[i] <= '9') || t[i] == '+' ||
					 t[i] == '-' || t[i] == '.'))))
				return false;
		}
		if (!sep)
			return false;
		const char *a = sep + 3, *end = t + n;
		const char *ae = a;
		while (ae < end && *ae != '/' && *ae != '?' && *ae != '#')
			ae++;
		if (ae == a || !authority_host(a, (size_t)(ae - a), &h->host))
			return false;
		*host_from_target = true;
		t = ae;
		n = (size_t)(end - ae);
	}
	size_t pl = 0;
	while (pl < n && t[pl] != '?' && t[pl] != '#')
		pl++;
	h->path = (owfp_http_str){t, pl};
	return true;
}

/* What the header fields say about framing, for requests and responses. */
typedef struct fields {
	bool have_host, have_te, te_chunked, te_after_chunked, close, upgrade;
	owfp_http_str host;
	int64_t content_length; /* -1 when absent */
} fields;

/* Processes one Transfer-Encoding value: te_chunked says the last coding so
 * far is chunked, te_after_chunked that a coding followed a chunked one. */
static void transfer_encoding(fields *f, owfp_http_str v)
{
	const char *p = v.p, *end = v.p + v.len;
	f->have_te = true;
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		owfp_http_str c = trim(p, (size_t)(e - p));
		if (c.len) {
			if (f->te_chunked)
				f->te_after_chunked = true;
			f->te_chunked = ieq(c, "chunked");
		}
		if (!comma)
			break;
		p = comma + 1;
	}
}

static bool has_token(owfp_http_str v, const char *tok)
{
	const char *p = v.p, *end = v.p + v.len;
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		if (ieq(trim(p, (size_t)(e - p)), tok))
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

/* Parses header lines from *pi through the blank line. Returns 0 (with *pi
 * after the blank line), OWFP_HTTP_INCOMPLETE, or OWFP_HTTP_ERROR (*why). */
static long parse_fields(const uint8_t *buf, size_t len, size_t *pi, fields *f, const char **why)
{
	const char *s = (const char *)buf;
	size_t i = *pi;
	memset(f, 0, sizeof(*f));
	f->content_length = -1;
	for (;;) {
		if (i == len)
			return OWFP_HTTP_INCOMPLETE;
		if (buf[i] == '\r') {
			if (i + 1 == len)
				return OWFP_HTTP_INCOMPLETE;
			if (buf[i + 1] != '\n')
				return *why = "bare CR", OWFP_HTTP_ERROR;
			*pi = i + 2;
			return 0;
		}
		if (buf[i] == ' ' || buf[i] == '\t')
			return *why = "obsolete line folding", OWFP_HTTP_ERROR;
		size_t n0 = i;
		while (i < len && is_tchar(buf[i]))
			i++;
		if (i == len)
			return OWFP_HTTP_INCOMPLETE;
		if (i == n0 || buf[i] != ':')
			return *why = "bad header name", OWFP_HTTP_ERROR;
		owfp_http_str name = {s + n0, i - n0};
		i++;
		size_t v0 = i;
		while (i < len && (is_vchar_or_obs(buf[i]) || buf[i] == ' ' || buf[i] == '\t'))
			i++;
		if (i == len || (buf[i] == '\r' && i + 1 == len))
			return OWFP_HTTP_INCOMPLETE;
		if (buf[i] != '\r' || buf[i + 1] != '\n')
			return *why = "control byte or bare LF in header", OWFP_HTTP_ERROR;
		owfp_http_str v = trim(s + v0, i - v0);
		i += 2;

		if (ieq(name, "host")) {
			if (f->have_host)
				return *why = "two Host headers", OWFP_HTTP_ERROR;
			f->have_host = true;
			f->host = v;
		} else if (ieq(name, "content-length")) {
			if (f->content_length >= 0)
				return *why = "two Content-Length headers", OWFP_HTTP_ERROR;
			if (v.len == 0 || v.len > 18)
				return *why = "bad Content-Length", OWFP_HTTP_ERROR;
			int64_t cl = 0;
			for (size_t k = 0; k < v.len; k++) {
				if (v.p[k] < '0' || v.p[k] > '9')
					return *why = "bad Content-Length", OWFP_HTTP_ERROR;
				cl = cl * 10 + (v.p[k] - '0');
			}
			f->content_length = cl;
		} else if (ieq(name, "transfer-encoding")) {
			transfer_encoding(f, v);
		} else if (ieq(name, "connection")) {
			if (has_token(v, "close"))
				f->close = true;
		} else if (ieq(name, "upgrade")) {
			f->upgrade = true;
		}
	}
}

/* "HTTP/1.<digit>" at buf[*pi]; *not_http when it cannot be. */
static long parse_version(const uint8_t *buf, size_t len, size_t *pi, int *minor, bool *not_http,
			  const char **why)
{
	static const char ver[] = "HTTP/1.";
	size_t i = *pi;
	for (size_t k = 0; k < sizeof(ver) - 1; k++, i++) {
		if (i == len)
			return OWFP_HTTP_INCOMPLETE;
		if (buf[i] != (uint8_t)ver[k]) {
			*not_http = true;
			return *why = "not HTTP/1.x", OWFP_HTTP_ERROR;
		}
	}
	if (i == len)
		return OWFP_HTTP_INCOMPLETE;
	if (buf[i] < '0' || buf[i] > '9')
		return *why = "bad HTTP version", OWFP_HTTP_ERROR;
	*minor = buf[i] - '0';
	*pi = i + 1;
	return 0;
}

long owfp_http_head_parse(const uint8_t *buf, size_t len, owfp_http_head *h)
{
	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	const char *s = (const char *)buf;
	size_t i = 0;

	/* method SP */
	while (i < len && is_tchar(buf[i])) {
		if (++i > METHOD_MAX)
			return not_http(h, "method too long");
	}
	if (i == len)
		return OWFP_HTTP_INCOMPLETE;
	if (i == 0 || buf[i] != ' ')
		return not_http(h, "not an HTTP request line");
	h->method = (owfp_http_str){s, i};
	i++;

	/* request-target SP */
	size_t t0 = i;
	while (i < len && buf[i] >= 0x21 && buf[i] <= 0x7e)
		i++;
	if (i == len)
		return OWFP_HTTP_INCOMPLETE;
	if (i == t0 || buf[i] != ' ')
		return not_http(h, "bad request-target");
	h->target = (owfp_http_str){s + t0, i - t0};
	i++;

	/* HTTP-version CRLF */
	long r = parse_version(buf, len, &i, &h->minor_version, &h->not_http, &h->error);
	if (r)
		return r;
	if (i == len || (buf[i] == '\r' && i + 1 == len))
		return OWFP_HTTP_INCOMPLETE;
	if (buf[i] != '\r' || buf[i + 1] != '\n')
		return fail(h, "request line must end in CRLF");
	i += 2;

	fields f;
	if ((r = parse_fields(buf, len, &i, &f, &h->error)))
		return r;
	if (f.have_te && (f.te_after_chunked || !f.te_chunked))
		return fail(h, "Transfer-Encoding without a final chunked");
	if (f.have_te && f.content_length >= 0)
		return fail(h, "Content-Length with Transfer-Encoding");
	h->content_length = f.content_length;
	h->chunked = f.te_chunked;
	h->connection_close = f.close;
	h->upgrade = f.upgrade;
	/* RFC 9110 9.3.6: CONNECT has no content, so a server reads what follows
	 * its head as the tunnel or the next request, never as a body */
	if (ieq(h->method, "CONNECT") && (f.have_te || f.content_length > 0))
		return fail(h, "CONNECT with a body");
	bool host_from_target;
	if (!split_target(h, &host_from_target))
		return fail(h, "bad request-target");
	if (!f.have_host && h->minor_version >= 1)
		return fail(h, "HTTP/1.1 request without Host");
	if (f.have_host && !host_from_target && !authority_host(f.host.p, f.host.len, &h->host))
		return fail(h, "bad Host");
	return (long)i;
}

long owfp_http_response_parse(const uint8_t *buf, size_t len, owfp_http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	size_t i = 0;
	bool not_http = false;
	long rc = parse_version(buf, len, &i, &r->minor_version, &not_http, &r->error);
	if (rc)
		return rc;
	/* SP 3DIGIT SP reason CRLF; the reason may be empty, and some servers
	 * leave out the SP before it: accepted, it decides nothing */
	for (size_t k = 0; k < 4; k++, i++) {
		if (i == len)
			return OWFP_HTTP_INCOMPLETE;
		if (k == 0 ? buf[i] != ' ' : (buf[i] < '0' || buf[i] > '9'))
			return r->error = "bad status line", OWFP_HTTP_ERROR;
		if (k)
			r->status = r->status * 10 + (buf[i] - '0');
	}
	while (i < len && buf[i] != '\r' && (buf[i] == '\t' || (buf[i] >= 0x20 && buf[i] != 0x7f)))
		i++;
	if (i == len || (buf[i] == '\r' && i + 1 == len))
		return OWFP_HTTP_INCOMPLETE;
	if (buf[i] != '\r' || buf[i + 1] != '\n')
		return r->error = "status line must end in CRLF", OWFP_HTTP_ERROR;
	i += 2;
	fields f;
	if ((rc = parse_fields(buf, len, &i, &f, &r->error)))
		return rc;
	/* RFC 9112 6.1 lets Transfer-Encoding override Content-Length; a
	 * response with both is how framing is desynchronised, so refuse it */
	if (f.have_te && f.content_length >= 0)
		return r->error = "Content-Length with Transfer-Encoding", OWFP_HTTP_ERROR;
	if (f.te_after_chunked)
		return r->error = "a coding after chunked", OWFP_HTTP_ERROR;
	r->content_length = f.content_length;
	r->transfer_encoding = f.have_te;
	r->chunked = f.te_chunked;
	r->connection_close = f.close;
	return (long)i;
}

enum {
	CH_SIZE,
	CH_SIZE_MORE,
	CH_EXT,
	CH_SIZE_LF,
	CH_DATA,
	CH_DATA_CR,
	CH_DATA_LF,
	CH_TRAILER,
	CH_TRAILER_LINE,
	CH_TRAILER_LF,
	CH_END_LF,
	CH_DONE
};

#define CH_LINE_MAX 8192

void owfp_http_chunked_init(owfp_http_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE;
}

long owfp_http_chunked_feed(owfp_http_chunked *c, const uint8_t *buf, size_t len, bool *done)
{
	size_t i = 0;
	*done = c->state == CH_DONE;
	while (i < len && c->state != CH_DONE) {
		uint8_t b = buf[i];
		switch (c->state) {
		case CH_SIZE:
		case CH_SIZE_MORE: {
			int v = owfp_http_hexval((char)b);
			if (v >= 0) {
				if (++c->digits > 15)
					return OWFP_HTTP_ERROR;
				c->remaining = c->remaining * 16 + (uint64_t)v;
				c->state = CH_SIZE_MORE;
			} else if (c->state != CH_SIZE && (b == ';' || b == ' ' || b == '\t')) {
				c->state = CH_EXT;
			} else if (c->state != CH_SIZE && b == '\r') {
				c->state = CH_SIZE_LF;
			} else {
				/* a size needs a digit; after it only an extension or CR */
				return OWFP_HTTP_ERROR;
			}
			i++;
			break;
		}
		case CH_EXT:
			if (b == '\r')
				c->state = CH_SIZE_LF;
			else if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f ||
				 ++c->line > CH_LINE_MAX)
				return OWFP_HTTP_ERROR;
			i++;
			break;
		case CH_SIZE_LF:
			if (b != '\n')
				return OWFP_HTTP_ERROR;
			i++;
			c->line = 0;
			c->digits = 0;
			c->state = c->remaining ? CH_DATA : CH_TRAILER;
			break;
		case CH_DATA: {
			size_t take = len - i;
			if (take > c->remaining)
				take = (size_t)c->remaining;
			c->remaining -= take;
			i += take;
			if (c->remaining == 0)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (b != '\r')
				return OWFP_HTTP_ERROR;
			i++;
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (b != '\n')
				return OWFP_HTTP_ERROR;
			i++;
			c->state = CH_SIZE;
			break;
		case CH_TRAILER:
			if (b == '\r') {
				c->state = CH_END_LF;
			} else if (is_tchar(b)) {
				c->state = CH_TRAILER_LINE;
				c->line = 1;
			} else {
				return OWFP_HTTP_ERROR;
			}
			i++;
			break;
		case CH_TRAILER_LINE:
			if (b == '\r')
				c->state = CH_TRAILER_LF;
			else if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f ||
				 ++c->line > CH_LINE_MAX)
				return OWFP_HTTP_ERROR;
			i++;
			break;
		case CH_TRAILER_LF:
			if (b != '\n')
				return OWFP_HTTP_ERROR;
			i++;
			c->line = 0;
			c->state = CH_TRAILER;
			break;
		case CH_END_LF:
			if (b != '\n')
				return OWFP_HTTP_ERROR;
			i++;
			c->state = CH_DONE;
			break;
		}
	}
	*done = c->state == CH_DONE;
	return (long)i;
}
