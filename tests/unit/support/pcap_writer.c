#include "pcap_writer.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tw_file {
	FILE *fp;
	enum tw_format fmt;
	enum tw_link link;
};

static uint64_t sum16(uint64_t s, const uint8_t *p, size_t n)
{
	for (; n >= 2; p += 2, n -= 2)
		s += (uint64_t)(p[0] << 8 | p[1]);
	if (n)
		s += (uint64_t)p[0] << 8;
	return s;
}

static uint16_t fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

size_t tw_build(const struct tw_seg *s, uint8_t *out, size_t cap)
{
	uint8_t src[16] = {0}, dst[16] = {0};
	inet_pton(s->family, s->src, src);
	inet_pton(s->family, s->dst, dst);
	size_t iph, alen = s->family == AF_INET ? 4 : 16;
	size_t tcplen = 20 + s->len;
	size_t wire_tcp = tcplen + s->wire_extra;
	if (s->family == AF_INET) {
		iph = 20 + (s->ipv4_options ? 8 : 0);
		if (iph + tcplen > cap)
			abort();
		memset(out, 0, iph);
		out[0] = (uint8_t)(0x40 | iph / 4);
		put16(out + 2, (uint16_t)(iph + wire_tcp));
		put16(out + 4, 0x1234);
		out[8] = 64;
		out[9] = 6;
		memcpy(out + 12, src, 4);
		memcpy(out + 16, dst, 4);
		if (s->ipv4_options)
			memset(out + 20, 1, 7); /* NOPs, then EOL */
		put16(out + 10, fold(sum16(0, out, iph)));
	} else {
		size_t ext = s->ipv6_ext ? 8 + 24 + 8 : 0;
		iph = 40 + ext;
		if (iph + tcplen > cap)
			abort();
		memset(out, 0, iph);
		out[0] = 0x60;
		put16(out + 4, (uint16_t)(ext + wire_tcp));
		out[6] = s->ipv6_ext ? 0 : 6;
		out[7] = 64;
		memcpy(out + 8, src, 16);
		memcpy(out + 24, dst, 16);
		if (s->ipv6_ext) {
			uint8_t *h = out + 40;
			h[0] = 43;
			h[1] = 0;
			h[2] = 1;
			h[3] = 4; /* hop-by-hop, PadN */
			h += 8;
			h[0] = 60;
			h[1] = 2;
			h[2] = 0;
			h[3] = 0; /* routing type 0, segments left 0 */
			h += 24;
			h[0] = 6;
			h[1] = 0;
			h[2] = 1;
			h[3] = 4; /* destination options */
		}
	}
	uint8_t *t = out + iph;
	memset(t, 0, 20);
	put16(t, s->sport);
	put16(t + 2, s->dport);
	put32(t + 4, s->seq);
	put32(t + 8, s->ack);
	t[12] = 5 << 4;
	t[13] = s->flags;
	put16(t + 14, 65535);
	put16(t + 18, s->urp);
	if (s->len)
		memcpy(t + 20, s->payload, s->len);
	uint64_t ps = sum16(0, src, alen);
	ps = sum16(ps, dst, alen) + 6 + tcplen;
	put16(t + 16, fold(sum16(ps, t, tcplen)));
	return iph + tcplen;
}

size_t tw_fragment(const uint8_t *ip, size_t len, size_t chunk, uint32_t id, uint8_t **frags,
		   size_t *lens, size_t max)
{
	size_t n = 0;
	if ((ip[0] >> 4) == 4) {
		size_t ihl = (size_t)(ip[0] & 15) * 4, pay = len - ihl;
		for (size_t off = 0; off < pay && n < max; off += chunk, n++) {
			size_t c = pay - off < chunk ? pay - off : chunk;
			uint8_t *f = malloc(ihl + c);
			memcpy(f, ip, ihl);
			memcpy(f + ihl, ip + ihl + off, c);
			put16(f + 2, (uint16_t)(ihl + c));
			put16(f + 4, (uint16_t)id);
			put16(f + 6, (uint16_t)((off / 8) | (off + c < pay ? 0x2000 : 0)));
			f[10] = f[11] = 0;
			put16(f + 10, fold(sum16(0, f, ihl)));
			frags[n] = f;
			lens[n] = ihl + c;
		}
	} else {
		/* Unfragmentable part: the fixed header only (test packets put any
         * extension headers in the fragmentable part). */
		size_t pay = len - 40;
		for (size_t off = 0; off < pay && n < max; off += chunk, n++) {
			size_t c = pay - off < chunk ? pay - off : chunk;
			uint8_t *f = malloc(48 + c);
			memcpy(f, ip, 40);
			f[6] = 44;
			put16(f + 4, (uint16_t)(8 + c));
			uint8_t *h = f + 40;
			h[0] = ip[6];
			h[1] = 0;
			put16(h + 2, (uint16_t)(off | (off + c < pay ? 1 : 0)));
			put32(h + 4, id);
			memcpy(f + 48, ip + 40 + off, c);
			frags[n] = f;
			lens[n] = 48 + c;
		}
	}
	return n;
}

static const int linktypes[] = {
	[TW_ETH] = 1,    [TW_ETH_VLAN] = 1,   [TW_ETH_QINQ] = 1,   [TW_SLL] = 113,
	[TW_SLL2] = 276, [TW_NULL_LE] = 0,    [TW_NULL_BE] = 0,    [TW_LOOP] = 108,
	[TW_RAW] = 101,  [TW_RAW_IPV4] = 228, [TW_RAW_IPV6] = 229,
};

static bool swapped(enum tw_format f)
{
	return f == TW_PCAP_US_SWAPPED || f == TW_PCAP_NS_SWAPPED;
}

static void w32(tw_file *w, uint32_t v)
{
	if (swapped(w->fmt))
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, w->fp);
}

static void w16(tw_file *w, uint16_t v)
{
	if (swapped(w->fmt))
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, w->fp);
}

tw_file *tw_open(const char *path, enum tw_format fmt, enum tw_link link)
{
	tw_file *w = calloc(1, sizeof(*w));
	w->fp = fopen(path, "wb");
	if (!w->fp)
		abort();
	w->fmt = fmt;
	w->link = link;
	if (fmt == TW_PCAPNG) {
		/* Section header block, then one interface description block. */
		uint32_t shb[7] = {0x0a0d0d0a, 28,         0x1a2b3c4d, 0x00000001,
				   0xffffffff, 0xffffffff, 28};
		fwrite(shb, sizeof(shb), 1, w->fp);
		/* if_tsresol option = 9 (nanoseconds) */
		uint32_t idb[8] = {1,
				   32,
				   (uint32_t)linktypes[link],
				   0,
				   0x0001 | (9u << 16) /* placeholder */,
				   0,
				   0,
				   32};
		idb[3] = 262144;
		/* option: code 9 (if_tsresol), length 1, value 9, padded; then opt_endofopt */
		uint8_t opt[8] = {9, 0, 1, 0, 9, 0, 0, 0};
		memcpy(&idb[4], opt, 8);
		idb[6] = 0;
		fwrite(idb, sizeof(idb), 1, w->fp);
		return w;
	}
	bool ns = fmt == TW_PCAP_NS || fmt == TW_PCAP_NS_SWAPPED;
	w32(w, ns ? 0xa1b23c4d : 0xa1b2c3d4);
	w16(w, 2);
	w16(w, 4);
	w32(w, 0);
	w32(w, 0);
	w32(w, 262144);
	w32(w, (uint32_t)linktypes[link]);
	return w;
}

void tw_write_raw(tw_file *w, uint64_t ts_ns, const uint8_t *frame, size_t len, size_t caplen)
{
	if (caplen > len)
		caplen = len;
	if (w->fmt == TW_PCAPNG) {
		uint32_t padded = (uint32_t)((caplen + 3) & ~(size_t)3);
		uint32_t total = 32 + padded;
		uint32_t h[7] = {6,
				 total,
				 0,
				 (uint32_t)(ts_ns >> 32),
				 (uint32_t)ts_ns,
				 (uint32_t)caplen,
				 (uint32_t)len};
		fwrite(h, sizeof(h), 1, w->fp);
		fwrite(frame, 1, caplen, w->fp);
		static const uint8_t zero[4];
		fwrite(zero, 1, padded - caplen, w->fp);
		fwrite(&total, 4, 1, w->fp);
		return;
	}
	bool ns = w->fmt == TW_PCAP_NS || w->fmt == TW_PCAP_NS_SWAPPED;
	w32(w, (uint32_t)(ts_ns / 1000000000u));
	w32(w, (uint32_t)(ns ? ts_ns % 1000000000u : ts_ns % 1000000000u / 1000u));
	w32(w, (uint32_t)caplen);
	w32(w, (uint32_t)len);
	fwrite(frame, 1, caplen, w->fp);
}

void tw_write_ip(tw_file *w, uint64_t ts_ns, const uint8_t *ip, size_t len)
{
	uint8_t f[70000];
	size_t h = 0;
	bool v6 = ip[0] >> 4 == 6;
	uint16_t et = v6 ? 0x86dd : 0x0800;
	switch (w->link) {
	case TW_ETH:
	case TW_ETH_VLAN:
	case TW_ETH_QINQ:
		memset(f, 0, 12);
		f[0] = 2;
		f[6] = 4;
		h = 12;
		if (w->link == TW_ETH_QINQ) {
			put16(f + h, 0x88a8);
			put16(f + h + 2, 100);
			h += 4;
		}
		if (w->link != TW_ETH) {
			put16(f + h, 0x8100);
			put16(f + h + 2, 200);
			h += 4;
		}
		put16(f + h, et);
		h += 2;
		break;
	case TW_SLL:
		memset(f, 0, 16);
		put16(f + 2, 772);
		put16(f + 4, 6);
		put16(f + 14, et);
		h = 16;
		break;
	case TW_SLL2:
		memset(f, 0, 20);
		put16(f, et);
		put32(f + 4, 1);
		put16(f + 8, 772);
		f[11] = 6;
		h = 20;
		break;
	case TW_NULL_LE:
	case TW_NULL_BE:
	case TW_LOOP: {
		uint32_t fam = v6 ? 30 : 2;
		if (w->link == TW_NULL_LE) {
			memcpy(f, &fam, 4);
		} else {
			put32(f, fam);
		}
		h = 4;
		break;
	}
	default:
		break;
	}
	memcpy(f + h, ip, len);
	size_t total = h + len;
	if (w->link == TW_ETH && total < 60) {
		memset(f + total, 0, 60 - total); /* Ethernet padding the decoder must ignore */
		total = 60;
	}
	tw_write_raw(w, ts_ns, f, total, total);
}

void tw_seg(tw_file *w, uint64_t ts_ns, const struct tw_seg *s)
{
	uint8_t ip[70000];
	size_t n = tw_build(s, ip, sizeof(ip));
	tw_write_ip(w, ts_ns, ip, n);
}

void tw_close(tw_file *w)
{
	fclose(w->fp);
	free(w);
}

char *tw_tmpname(const char *tag)
{
	/* tmpfs when there is one: thousands of small captures are written */
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	static unsigned counter;
	char *p = malloc(512);
	snprintf(p, 512, "%s/owfp-%s-%d-%u.pcap", dir, tag, (int)getpid(), counter++);
	return p;
}
