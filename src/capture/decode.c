/* Link, IP and TCP header decoding: one capture record in, one TCP segment
 * (or a reason to skip it) out. Every read is bounds-checked against the
 * captured length; the wire length only positions a FIN or a cut payload. */
#include "capture/internal.h"

#include <string.h>
#include <sys/socket.h>

enum {
	LT_NULL = 0,
	LT_ETHERNET = 1,
	LT_RAW_BSD = 12,
	LT_RAW_OPENBSD = 14,
	LT_RAW = 101,
	LT_LOOP = 108,
	LT_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_SLL2 = 276,
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t owfp_capture_csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	for (; len >= 2; p += 2, len -= 2)
		sum += be16(p);
	if (len)
		sum += (uint64_t)p[0] << 8;
	return sum;
}

uint16_t owfp_capture_csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int ethertype_family(uint16_t et)
{
	return et == 0x0800 ? AF_INET : et == 0x86dd ? AF_INET6 : 0;
}

/* BSD loopback stores the address family in the capturing host's byte
 * order, and IPv6 has a different value on each BSD. */
static int loopback_family(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	if (v > 0xffff)
		v = __builtin_bswap32(v);
	if (v == 2)
		return AF_INET;
	if (v == 10 || v == 24 || v == 28 || v == 30)
		return AF_INET6;
	return 0;
}

/* `addrs` are the source and destination addresses, back to back as both IP
 * headers hold them: the pseudo-header is summed only when checksums are
 * verified (the default does not, and it was 2% of a replay's instructions). */
static enum cap_decode decode_tcp(owfp_capture *cap, const uint8_t *l4, uint32_t caplen,
				  uint32_t wirelen, const uint8_t *addrs, size_t addrs_len,
				  struct cap_seg *seg)
{
	if (caplen < 20)
		return CAP_DEC_BAD;
	uint32_t doff = (uint32_t)(l4[12] >> 4) * 4;
	if (doff < 20 || doff > caplen || doff > wirelen)
		return CAP_DEC_BAD;
	if (cap->opts.verify_checksums && caplen == wirelen) {
		uint64_t pseudo = owfp_capture_csum_add(0, addrs, addrs_len) + 6;
		uint64_t sum = owfp_capture_csum_add(pseudo + wirelen, l4, wirelen);
		if (owfp_capture_csum_fold(sum) != 0)
			return CAP_DEC_BAD_CSUM;
	}
	seg->sport = be16(l4);
	seg->dport = be16(l4 + 2);
	seg->seq = be32(l4 + 4);
	seg->ack = be32(l4 + 8);
	seg->flags = l4[13];
	seg->urp = be16(l4 + 18);
	seg->payload = l4 + doff;
	seg->len = caplen - doff;
	seg->wire_len = wirelen - doff;
	return CAP_DEC_TCP;
}

static enum cap_decode fragment(owfp_capture *cap, struct cap_frag_info *fi, bool cut,
				struct cap_seg *seg)
{
	cap->st.fragments++;
	if (cut) {
		cap->st.fragments_dropped++;
		return CAP_DEC_FRAGMENT;
	}
	uint32_t len;
	const uint8_t *dgram = owfp_capture_frag_add(cap, fi, &len);
	if (!dgram)
		return CAP_DEC_FRAGMENT;
	cap->st.fragments_reassembled++;
	enum cap_decode r = owfp_capture_decode_ip(cap, dgram, len, fi->family, seg, true);
	return r;
}

static enum cap_decode decode_ipv4(owfp_capture *cap, const uint8_t *p, uint32_t len,
				   struct cap_seg *seg, bool reassembled)
{
	if (len < 20 || p[0] >> 4 != 4)
		return CAP_DEC_BAD;
	uint32_t ihl = (uint32_t)(p[0] & 15) * 4;
	uint32_t tot = be16(p + 2);
	if (ihl < 20 || len < ihl || tot < ihl)
		return CAP_DEC_BAD;
	uint32_t captot = tot < len ? tot : len;
	if (cap->opts.verify_checksums && !reassembled &&
	    owfp_capture_csum_fold(owfp_capture_csum_add(0, p, ihl)) != 0)
		return CAP_DEC_BAD_CSUM;
	seg->family = AF_INET;
	memset(seg->src, 0, 16);
	memset(seg->dst, 0, 16);
	memcpy(seg->src, p + 12, 4);
	memcpy(seg->dst, p + 16, 4);
	uint16_t fo = be16(p + 6);
	if (!reassembled && (fo & 0x3fff)) {
		struct cap_frag_info fi = {
			.family = AF_INET,
			.src = p + 12,
			.dst = p + 16,
			.id = be16(p + 4),
			.proto = p[9],
			.offset = (uint32_t)(fo & 0x1fff) * 8,
			.more = (fo & 0x2000) != 0,
			.hdr = p,
			.hdrlen = ihl,
			.data = p + ihl,
			.len = captot - ihl,
		};
		return fragment(cap, &fi, captot < tot, seg);
	}
	if (p[9] != 6)
		return CAP_DEC_NON_TCP;
	return decode_tcp(cap, p + ihl, captot - ihl, tot - ihl, p + 12, 8, seg);
}

static enum cap_decode decode_ipv6(owfp_capture *cap, const uint8_t *p, uint32_t len,
				   struct cap_seg *seg, bool reassembled)
{
	if (len < 40 || p[0] >> 4 != 6)
		return CAP_DEC_BAD;
	uint32_t tot = 40u + be16(p + 4);
	if (tot == 40 && p[6] == 0) /* jumbogram: not decoded */
		return CAP_DEC_BAD;
	uint32_t captot = tot < len ? tot : len;
	seg->family = AF_INET6;
	memcpy(seg->src, p + 8, 16);
	memcpy(seg->dst, p + 24, 16);
	uint8_t nh = p[6];
	uint32_t off = 40;
	for (int hops = 0; hops < 16; hops++) {
		switch (nh) {
		case 0:  /* hop-by-hop */
		case 43: /* routing */
		case 60: /* destination options */
		case 51: /* authentication header */
			if (off + 2 > captot)
				return CAP_DEC_BAD;
			{
				uint32_t hl = nh == 51 ? ((uint32_t)p[off + 1] + 2) * 4
						       : ((uint32_t)p[off + 1] + 1) * 8;
				nh = p[off];
				off += hl;
			}
			if (off > captot)
				return CAP_DEC_BAD;
			continue;
		case 44: { /* fragment */
			if (off + 8 > captot)
				return CAP_DEC_BAD;
			uint16_t fo = be16(p + off + 2);
			uint8_t next = p[off];
			if ((fo & 0xfff9) == 0 || reassembled) {
				/* An atomic fragment is a whole datagram. */
				nh = next;
				off += 8;
				continue;
			}
			struct cap_frag_info fi = {
				.family = AF_INET6,
				.src = p + 8,
				.dst = p + 24,
				.id = be32(p + off + 4),
				.proto = next,
				.offset = fo & 0xfff8u,
				.more = (fo & 1) != 0,
				.hdr = p,
				.hdrlen = 40,
				.data = p + off + 8,
				.len = captot - off - 8,
			};
			return fragment(cap, &fi, captot < tot, seg);
		}
		case 6:
			return decode_tcp(cap, p + off, captot - off, tot - off, p + 8, 32, seg);
		default:
			return CAP_DEC_NON_TCP;
		}
	}
	return CAP_DEC_BAD;
}

enum cap_decode owfp_capture_decode_ip(owfp_capture *cap, const uint8_t *p, uint32_t len,
				       int family, struct cap_seg *seg, bool reassembled)
{
	if (family == AF_INET)
		return decode_ipv4(cap, p, len, seg, reassembled);
	if (family == AF_INET6)
		return decode_ipv6(cap, p, len, seg, reassembled);
	return CAP_DEC_NON_TCP;
}

enum cap_decode owfp_capture_decode(owfp_capture *cap, const struct cap_record *rec,
				    struct cap_seg *seg)
{
	const uint8_t *p = rec->data;
	uint32_t n = rec->caplen, off;
	int family;
	switch (cap->rd.linktype) {
	case LT_ETHERNET: {
		if (n < 14)
			return CAP_DEC_BAD;
		uint16_t et = be16(p + 12);
		off = 14;
		/* 802.1Q, 802.1ad (QinQ) and the old 0x9100 tag, stacked any depth */
		while (et == 0x8100 || et == 0x88a8 || et == 0x9100) {
			if (n < off + 4)
				return CAP_DEC_BAD;
			et = be16(p + off + 2);
			off += 4;
		}
		family = ethertype_family(et);
		break;
	}
	case LT_SLL:
		if (n < 16)
			return CAP_DEC_BAD;
		family = ethertype_family(be16(p + 14));
		off = 16;
		break;
	case LT_SLL2:
		if (n < 20)
			return CAP_DEC_BAD;
		family = ethertype_family(be16(p));
		off = 20;
		break;
	case LT_NULL:
	case LT_LOOP:
		if (n < 4)
			return CAP_DEC_BAD;
		family = loopback_family(p);
		off = 4;
		break;
	case LT_RAW:
	case LT_RAW_BSD:
	case LT_RAW_OPENBSD:
		if (n < 1)
			return CAP_DEC_BAD;
		family = p[0] >> 4 == 4 ? AF_INET : p[0] >> 4 == 6 ? AF_INET6 : -1;
		if (family < 0)
			return CAP_DEC_BAD;
		off = 0;
		break;
	case LT_IPV4:
		family = AF_INET;
		off = 0;
		break;
	case LT_IPV6:
		family = AF_INET6;
		off = 0;
		break;
	default:
		return CAP_DEC_UNSUPPORTED_LINK;
	}
	if (!family)
		return CAP_DEC_NON_TCP;
	return owfp_capture_decode_ip(cap, p + off, n - off, family, seg, false);
}
