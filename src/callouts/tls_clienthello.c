/* TLS ClientHello parser (see tls_clienthello.h). */
#include "callouts/tls_clienthello.h"

#include <string.h>

#define REC_HDR 5
#define REC_MAX (16384 + 2048) /* TLSPlaintext limit with room for old stacks */
#define HS_CLIENT_HELLO 1
#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_ECH 0xfe0d

static enum owfp_tls_result fail(owfp_tls_hello *h, enum owfp_tls_result r, const char *why)
{
	h->error = why;
	return r;
}

/* A cursor over the reassembled hello; every read is bounds-checked. */
typedef struct cur {
	const uint8_t *p;
	size_t n;
} cur;

static bool take(cur *c, size_t k, const uint8_t **out)
{
	if (c->n < k)
		return false;
	if (out)
		*out = c->p;
	c->p += k;
	c->n -= k;
	return true;
}

static bool u8(cur *c, size_t *v)
{
	const uint8_t *p;
	if (!take(c, 1, &p))
		return false;
	*v = p[0];
	return true;
}

static bool u16(cur *c, size_t *v)
{
	const uint8_t *p;
	if (!take(c, 2, &p))
		return false;
	*v = (size_t)p[0] << 8 | p[1];
	return true;
}

/* Takes a vector with a `width`-byte length prefix as a sub-cursor. */
static bool vec(cur *c, int width, size_t min, cur *sub)
{
	size_t n;
	if (!(width == 1 ? u8(c, &n) : u16(c, &n)) || n < min)
		return false;
	sub->p = c->p;
	sub->n = n;
	return take(c, n, NULL);
}

static bool host_name_ok(const uint8_t *p, size_t n)
{
	if (n == 0 || n > 255)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

static enum owfp_tls_result parse_sni(cur ext, owfp_tls_hello *h)
{
	cur list, name;
	if (!vec(&ext, 2, 1, &list) || ext.n)
		return fail(h, OWFP_TLS_MALFORMED, "bad server_name extension");
	while (list.n) {
		size_t type;
		if (!u8(&list, &type) || !vec(&list, 2, 1, &name))
			return fail(h, OWFP_TLS_MALFORMED, "bad server_name entry");
		if (type != 0)
			continue;
		if (h->sni)
			return fail(h, OWFP_TLS_MALFORMED, "two host_name entries");
		if (!host_name_ok(name.p, name.n))
			return fail(h, OWFP_TLS_MALFORMED, "invalid host_name");
		h->sni = name.p;
		h->sni_len = name.n;
	}
	return OWFP_TLS_OK;
}

static enum owfp_tls_result parse_alpn(cur ext, owfp_tls_hello *h)
{
	cur list, proto;
	if (!vec(&ext, 2, 2, &list) || ext.n)
		return fail(h, OWFP_TLS_MALFORMED, "bad ALPN extension");
	while (list.n) {
		if (!vec(&list, 1, 1, &proto))
			return fail(h, OWFP_TLS_MALFORMED, "bad ALPN protocol name");
		if (h->alpn_count == OWFP_TLS_ALPN_MAX) {
			h->alpn_truncated = true;
			continue;
		}
		h->alpn[h->alpn_count] = proto.p;
		h->alpn_len[h->alpn_count] = proto.n;
		h->alpn_count++;
	}
	return OWFP_TLS_OK;
}

static enum owfp_tls_result parse_hello(cur c, owfp_tls_hello *h)
{
	cur sid, suites, comp, exts;
	size_t ver;
	if (!u16(&c, &ver))
		return fail(h, OWFP_TLS_MALFORMED, "short hello");
	h->legacy_version = (uint16_t)ver;
	if ((h->legacy_version >> 8) != 3)
		return fail(h, OWFP_TLS_MALFORMED, "bad legacy_version");
	if (!take(&c, 32, NULL) || !vec(&c, 1, 0, &sid) || sid.n > 32 || !vec(&c, 2, 2, &suites) ||
	    (suites.n & 1) || !vec(&c, 1, 1, &comp))
		return fail(h, OWFP_TLS_MALFORMED, "bad hello fields");
	if (c.n == 0)
		return OWFP_TLS_OK; /* no extensions at all (old clients) */
	if (!vec(&c, 2, 0, &exts) || c.n)
		return fail(h, OWFP_TLS_MALFORMED, "bad extensions length");

	/* Duplicate extensions are illegal (RFC 8446 4.2); a filter that read
	 * the first server_name while the server read the second would be fooled. */
	uint16_t seen[128];
	size_t nseen = 0;
	while (exts.n) {
		size_t type;
		cur body;
		if (!u16(&exts, &type) || !vec(&exts, 2, 0, &body))
			return fail(h, OWFP_TLS_MALFORMED, "bad extension");
		for (size_t i = 0; i < nseen; i++)
			if (seen[i] == type)
				return fail(h, OWFP_TLS_MALFORMED, "duplicate extension");
		if (nseen == sizeof(seen) / sizeof(seen[0]))
			return fail(h, OWFP_TLS_MALFORMED, "too many extensions");
		seen[nseen++] = (uint16_t)type;
		enum owfp_tls_result r = OWFP_TLS_OK;
		if (type == EXT_SERVER_NAME)
			r = parse_sni(body, h);
		else if (type == EXT_ALPN)
			r = parse_alpn(body, h);
		else if (type == EXT_ECH)
			h->has_ech = true;
		if (r != OWFP_TLS_OK)
			return r;
	}
	return OWFP_TLS_OK;
}

enum owfp_tls_result owfp_tls_clienthello_parse(const uint8_t *buf, size_t len, uint8_t *scratch,
						size_t scratch_len, owfp_tls_hello *h)
{
	memset(h, 0, sizeof(*h));
	size_t have = 0; /* handshake bytes copied into scratch */
	size_t need = 0; /* 4 + hello length, once the header is known */
	size_t off = 0;
	bool first = true;
	if (scratch_len < 4)
		return fail(h, OWFP_TLS_MALFORMED, "no room");

	for (;;) {
		if (len - off < REC_HDR) {
			/* judge what we have of the first record header early */
			if (first && len > 0 && buf[0] != 22)
				return fail(h, OWFP_TLS_NOT_TLS, "not a handshake record");
			if (first && len > 1 && buf[1] != 3)
				return fail(h, OWFP_TLS_NOT_TLS, "not a TLS record version");
			return OWFP_TLS_INCOMPLETE;
		}
		const uint8_t *r = buf + off;
		size_t rlen = (size_t)r[3] << 8 | r[4];
		if (r[0] != 22 || r[1] != 3 || r[2] > 4) {
			if (first)
				return fail(h, OWFP_TLS_NOT_TLS, "not a TLS handshake record");
			return fail(h, OWFP_TLS_MALFORMED, "hello interrupted by another record");
		}
		if (rlen == 0 || rlen > REC_MAX)
			return fail(h, OWFP_TLS_MALFORMED, "bad record length");
		if (first)
			h->record_version = (uint16_t)(r[1] << 8 | r[2]);
		first = false;

		size_t avail = len - off - REC_HDR;
		size_t chunk = avail < rlen ? avail : rlen;
		size_t limit = need ? need : scratch_len;
		size_t copy = chunk < limit - have ? chunk : limit - have;
		memcpy(scratch + have, r + REC_HDR, copy);
		have += copy;
		if (!need && have >= 4) {
			if (scratch[0] != HS_CLIENT_HELLO)
				return fail(h, OWFP_TLS_MALFORMED,
					    "first handshake is not a ClientHello");
			size_t hl = (size_t)scratch[1] << 16 | (size_t)scratch[2] << 8 | scratch[3];
			if (hl < 38 || 4 + hl > scratch_len)
				return fail(h, OWFP_TLS_MALFORMED,
					    "hello larger than the limit or too short");
			need = 4 + hl;
			if (have > need)
				have = need; /* later handshake messages in the same record */
		} else if (!need && copy < chunk) {
			return fail(h, OWFP_TLS_MALFORMED, "hello larger than the limit");
		}
		size_t rec_end = off + REC_HDR + rlen;
		if (need && have >= need) {
			h->consumed = rec_end < len ? rec_end : len;
			break;
		}
		if (chunk < rlen)
			return OWFP_TLS_INCOMPLETE;
		off = rec_end;
	}
	h->hello_len = need - 4;
	return parse_hello((cur){scratch + 4, need - 4}, h);
}
