/* IPv4 and IPv6 fragment reassembly. Fragments are rare on TCP, so a small
 * array searched linearly is enough; memory is bounded by the datagram
 * count, the 64 KiB datagram size, and the capture-wide byte budget.
 * Overlapping fragments: the first copy of a byte wins. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_PAYLOAD 65535u
#define UNITS ((MAX_PAYLOAD + 7) / 8)

struct cap_dgram {
	bool used, have_first, have_last;
	int family;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;
	uint64_t first_ns;
	uint8_t hdr[60];
	uint32_t hdrlen;
	uint32_t total; /* payload length, known once the last fragment came */
	uint32_t units_set;
	uint32_t frags;
	uint8_t have[UNITS / 8 + 1];
	uint8_t *buf; /* MAX_PAYLOAD bytes, allocated on first fragment */
};

struct cap_frag_table {
	struct cap_dgram *d;
	size_t n;
};

static void drop(owfp_capture *cap, struct cap_dgram *g, bool count)
{
	if (count)
		cap->st.fragments_dropped += g->frags;
	if (g->buf)
		cap->buffered_total -= MAX_PAYLOAD;
	free(g->buf);
	g->buf = NULL;
	g->used = false;
}

static struct cap_frag_table *table(owfp_capture *cap)
{
	if (!cap->frag) {
		struct cap_frag_table *t = owfp_calloc(1, sizeof(*t));
		size_t n = cap->opts.max_frag_datagrams ? cap->opts.max_frag_datagrams : 1;
		if (!t || !(t->d = owfp_calloc(n, sizeof(*t->d)))) {
			free(t);
			cap->nomem = true;
			return NULL;
		}
		t->n = n;
		cap->frag = t;
	}
	return cap->frag;
}

static struct cap_dgram *lookup(owfp_capture *cap, struct cap_frag_table *t,
				const struct cap_frag_info *fi)
{
	size_t alen = fi->family == AF_INET ? 4 : 16;
	struct cap_dgram *freeslot = NULL, *oldest = NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct cap_dgram *g = &t->d[i];
		if (g->used && cap->opts.frag_timeout_ns &&
		    cap->now - g->first_ns > cap->opts.frag_timeout_ns)
			drop(cap, g, true);
		if (!g->used) {
			if (!freeslot)
				freeslot = g;
			continue;
		}
		if (g->family == fi->family && g->id == fi->id && g->proto == fi->proto &&
		    memcmp(g->src, fi->src, alen) == 0 && memcmp(g->dst, fi->dst, alen) == 0)
			return g;
		if (!oldest || g->first_ns < oldest->first_ns)
			oldest = g;
	}
	if (!freeslot) {
		/* table() makes t->n >= 1, so no free slot means oldest is set. */
		if (!oldest)
			return NULL;
		drop(cap, oldest, true);
		freeslot = oldest;
	}
	struct cap_dgram *g = freeslot;
	memset(g, 0, sizeof(*g));
	g->used = true;
	g->family = fi->family;
	memcpy(g->src, fi->src, alen);
	memcpy(g->dst, fi->dst, alen);
	g->id = fi->id;
	g->proto = fi->proto;
	g->first_ns = cap->now;
	return g;
}

static const uint8_t *rebuild(owfp_capture *cap, struct cap_dgram *g, uint32_t *out_len)
{
	if (!cap->fragbuf && !(cap->fragbuf = owfp_malloc(MAX_PAYLOAD + 60))) {
		cap->nomem = true;
		return NULL;
	}
	uint8_t *o = cap->fragbuf;
	memcpy(o, g->hdr, g->hdrlen);
	memcpy(o + g->hdrlen, g->buf, g->total);
	if (g->family == AF_INET) {
		uint32_t tot = g->hdrlen + g->total;
		o[2] = (uint8_t)(tot >> 8);
		o[3] = (uint8_t)tot;
		o[6] = o[7] = 0;
		o[10] = o[11] = 0;
		uint16_t c = owfp_capture_csum_fold(owfp_capture_csum_add(0, o, g->hdrlen));
		o[10] = (uint8_t)(c >> 8);
		o[11] = (uint8_t)c;
	} else {
		o[4] = (uint8_t)(g->total >> 8);
		o[5] = (uint8_t)g->total;
		o[6] = g->proto;
	}
	*out_len = g->hdrlen + g->total;
	return o;
}

const uint8_t *owfp_capture_frag_add(owfp_capture *cap, const struct cap_frag_info *fi,
				     uint32_t *out_len)
{
	struct cap_frag_table *t = table(cap);
	uint64_t end = (uint64_t)fi->offset + fi->len;
	uint32_t maxpay = fi->family == AF_INET ? MAX_PAYLOAD - fi->hdrlen : MAX_PAYLOAD;
	if (!t || end > maxpay || (fi->more && (fi->len % 8 != 0 || fi->len == 0))) {
		cap->st.fragments_dropped++;
		return NULL;
	}
	struct cap_dgram *g = lookup(cap, t, fi);
	if (!g) {
		cap->st.fragments_dropped++;
		return NULL;
	}
	if (!g->buf) {
		if (cap->buffered_total + MAX_PAYLOAD > cap->opts.max_total_bytes ||
		    !(g->buf = owfp_malloc(MAX_PAYLOAD))) {
			if (!g->buf && cap->buffered_total + MAX_PAYLOAD <= cap->opts.max_total_bytes)
				cap->nomem = true;
			g->used = false;
			cap->st.fragments_dropped++;
			return NULL;
		}
		cap->buffered_total += MAX_PAYLOAD;
	}
	if (!fi->more) {
		if (g->have_last && g->total != end) {
			drop(cap, g, true);
			cap->st.fragments_dropped++;
			return NULL;
		}
		g->have_last = true;
		g->total = (uint32_t)end;
	}
	if (fi->offset == 0 && !g->have_first) {
		g->have_first = true;
		memcpy(g->hdr, fi->hdr, fi->hdrlen);
		g->hdrlen = fi->hdrlen;
	}
	g->frags++;
	for (uint32_t u = fi->offset / 8; (uint64_t)u * 8 < end; u++) {
		if (g->have[u / 8] & (1u << (u % 8)))
			continue;
		g->have[u / 8] |= (uint8_t)(1u << (u % 8));
		g->units_set++;
		uint32_t from = u * 8, to = from + 8 < end ? from + 8 : (uint32_t)end;
		memcpy(g->buf + from, fi->data + (from - fi->offset), to - from);
	}
	if (!g->have_last || !g->have_first || g->units_set != (g->total + 7) / 8)
		return NULL;
	/* Bytes past the end announced by the last fragment would be garbage. */
	for (uint32_t u = (g->total + 7) / 8; u < UNITS; u++)
		if (g->have[u / 8] & (1u << (u % 8))) {
			drop(cap, g, true);
			return NULL;
		}
	const uint8_t *r = rebuild(cap, g, out_len);
	drop(cap, g, false);
	return r;
}

void owfp_capture_frag_free(owfp_capture *cap)
{
	if (cap->frag) {
		for (size_t i = 0; i < cap->frag->n; i++)
			if (cap->frag->d[i].used)
				drop(cap, &cap->frag->d[i], false);
		free(cap->frag->d);
		free(cap->frag);
	}
	cap->frag = NULL;
	free(cap->fragbuf);
	cap->fragbuf = NULL;
}
