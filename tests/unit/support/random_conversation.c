#include "random_conversation.h"
#include "naive_reassembly.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void push(struct gen_case *c, unsigned dir, uint32_t seq, uint8_t flags, const uint8_t *d,
		 size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->p = realloc(c->p, c->cap * sizeof(*c->p));
	}
	struct pkt *p = &c->p[c->n++];
	p->dir = dir;
	p->seq = seq;
	p->ack = c->isn[!dir] + 1;
	p->flags = flags;
	p->len = len;
	p->data = len ? malloc(len) : NULL;
	if (len)
		memcpy(p->data, d, len);
}

void gen(struct gen_case *c, struct rng *r, bool differ)
{
	memset(c, 0, sizeof(*c));
	c->family = below(r, 2) ? AF_INET : AF_INET6;
	c->link = (enum tw_link)below(r, TW_RAW_IPV6 + 1);
	if (c->link == TW_RAW_IPV4 && c->family == AF_INET6)
		c->link = TW_RAW_IPV6;
	if (c->link == TW_RAW_IPV6 && c->family == AF_INET)
		c->link = TW_RAW_IPV4;
	for (unsigned d = 0; d < 2; d++) {
		/* a quarter of the streams wrap the 32-bit sequence space */
		c->isn[d] = below(r, 4) == 0 ? 0xffffffffu - below(r, 6000) : (uint32_t)rnd(r);
		c->slen[d] = below(r, 4) == 0 ? below(r, 40) : below(r, 12000);
		c->stream[d] = malloc(c->slen[d] + 1);
		for (size_t i = 0; i < c->slen[d]; i++)
			c->stream[d][i] = (uint8_t)rnd(r);
	}
	push(c, 0, c->isn[0], TW_SYN, NULL, 0);
	push(c, 1, c->isn[1], TW_SYN | TW_ACK, NULL, 0);
	push(c, 0, c->isn[0] + 1, TW_ACK, NULL, 0);
	size_t hs = c->n;
	for (unsigned d = 0; d < 2; d++) {
		size_t off = 0;
		bool fin_in_data = below(r, 2);
		while (off < c->slen[d]) {
			size_t len = 1 + below(r, below(r, 3) ? 1460 : 100);
			if (off + len > c->slen[d])
				len = c->slen[d] - off;
			bool last = off + len == c->slen[d];
			uint8_t fl = TW_ACK | (below(r, 3) == 0 ? TW_PSH : 0) |
				     (last && fin_in_data ? TW_FIN : 0);
			push(c, d, c->isn[d] + 1 + (uint32_t)off, fl, c->stream[d] + off, len);
			if (below(r, 10) == 0) /* retransmission */
				push(c, d, c->isn[d] + 1 + (uint32_t)off, fl, c->stream[d] + off,
				     len);
			if (below(r, 7) == 0) { /* overlapping copy of a random range nearby */
				size_t a = off > 200 ? off - below(r, 200) : 0;
				size_t b = a + 1 + below(r, 3000);
				if (b > c->slen[d])
					b = c->slen[d];
				uint8_t *tmp = malloc(b - a + 1);
				memcpy(tmp, c->stream[d] + a, b - a);
				if (differ)
					for (size_t i = 0; i < b - a; i++)
						if (below(r, 3) == 0)
							tmp[i] = (uint8_t)rnd(r);
				push(c, d, c->isn[d] + 1 + (uint32_t)a, TW_ACK, tmp, b - a);
				free(tmp);
			}
			off += len;
		}
		if (!fin_in_data || c->slen[d] == 0)
			push(c, d, c->isn[d] + 1 + (uint32_t)c->slen[d], TW_ACK | TW_FIN, NULL, 0);
	}
	/* Interleave the two directions at random (each keeps its order), then
     * reorder locally. */
	size_t n = c->n - hs;
	struct pkt *body = c->p + hs;
	struct pkt *merged = malloc((n + 1) * sizeof(*merged));
	size_t i0 = 0, i1 = 0, nc = 0;
	for (size_t i = 0; i < n; i++)
		nc += body[i].dir == 0;
	struct pkt *cl = body, *sv = body + nc;
	for (size_t k = 0; k < n; k++) {
		bool take_client = i1 == n - nc || (i0 < nc && below(r, 2));
		merged[k] = take_client ? cl[i0++] : sv[i1++];
	}
	memcpy(body, merged, n * sizeof(*merged));
	free(merged);
	for (size_t i = 0; i + 1 < n; i++) {
		if (below(r, 5) == 0) {
			size_t j = i + 1 + below(r, 8);
			if (j >= n)
				j = n - 1;
			struct pkt t = body[i];
			body[i] = body[j];
			body[j] = t;
		}
	}
	/* Acknowledgements as the hosts would send them: each packet acks what
     * its sender had received of the other direction so far (the naive
     * receiver over every packet before it). */
	struct naive_dir nd[2];
	for (unsigned d = 0; d < 2; d++)
		naive_init(&nd[d], c->slen[d] + 4096, false);
	for (size_t i = 3; i < c->n; i++) {
		struct pkt *p = &c->p[i];
		const struct naive_dir *peer = &nd[!p->dir];
		p->ack = c->isn[!p->dir] + 1 + (uint32_t)peer->delivered +
			 (peer->fin_delivered ? 1 : 0);
		naive_segment(&nd[p->dir], p->seq - (c->isn[p->dir] + 1), p->data, p->len,
			      p->flags & TW_FIN);
	}
	naive_free(&nd[0]);
	naive_free(&nd[1]);
}

void gen_free(struct gen_case *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->p[i].data);
	free(c->p);
	free(c->stream[0]);
	free(c->stream[1]);
}

static const char *addr(int family, unsigned side)
{
	if (family == AF_INET)
		return side ? "192.0.2.80" : "198.51.100.7";
	return side ? "2001:db8::80" : "2001:db8:1::7";
}

void write_case_filtered(const struct gen_case *c, const char *path, enum tw_format fmt,
			 const bool *keep)
{
	tw_file *w = tw_open(path, fmt, c->link);
	for (size_t i = 0; i < c->n; i++) {
		const struct pkt *p = &c->p[i];
		if (keep && !keep[i])
			continue;
		struct tw_seg s = {
			.family = c->family,
			.src = addr(c->family, p->dir),
			.dst = addr(c->family, !p->dir),
			.sport = p->dir ? 80 : 40000,
			.dport = p->dir ? 40000 : 80,
			.seq = p->seq,
			.ack = p->ack,
			.flags = p->flags,
			.payload = p->data,
			.len = p->len,
		};
		/* microsecond-exact times, so every format can carry them */
		tw_seg(w, 1700000000ull * 1000000000ull + i * 1000ull * 1000ull + 7000, &s);
	}
	tw_close(w);
}

void write_case(const struct gen_case *c, const char *path, enum tw_format fmt)
{
	write_case_filtered(c, path, fmt, NULL);
}
