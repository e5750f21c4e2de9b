/* owfp-capgen: writes a large synthetic classic pcap for throughput
 * measurements: FLOWS concurrent HTTP-like flows over Ethernet/IPv4 with
 * full handshakes, 1448-byte segments interleaved across flows, a share of
 * segments swapped with their successor (out of order), then FIN/FIN.
 *
 *   owfp-capgen -o FILE [-m MIB] [-f FLOWS] [-r PERMILLE_REORDERED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSS 1448

struct gflow {
	uint32_t seq[2];
	uint64_t left; /* server bytes still to send */
	uint16_t cport;
	int state; /* 0 handshake pending, 1 data, 2 done */
};

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint8_t payload_pool[MSS + 4096];
static uint64_t ts_us = 1700000000ull * 1000000ull;

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t frame(uint8_t *f, const struct gflow *g, unsigned dir, uint8_t flags, uint32_t seq,
		    uint32_t ack, size_t len)
{
	memset(f, 0, 54);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	uint16_t tot = (uint16_t)(40 + len);
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 6;
	uint8_t c[4] = {10, 1, (uint8_t)(g->cport >> 8), (uint8_t)g->cport}, s[4] = {10, 2, 0, 1};
	memcpy(ip + 12, dir ? s : c, 4);
	memcpy(ip + 16, dir ? c : s, 4);
	uint16_t ck = csum(ip, 20);
	ip[10] = (uint8_t)(ck >> 8);
	ip[11] = (uint8_t)ck;
	uint8_t *t = ip + 20;
	uint16_t sp = dir ? 80 : g->cport, dp = dir ? g->cport : 80;
	t[0] = (uint8_t)(sp >> 8), t[1] = (uint8_t)sp, t[2] = (uint8_t)(dp >> 8), t[3] = (uint8_t)dp;
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 0x50;
	t[13] = flags;
	t[14] = 0xff;
	t[15] = 0xff;
	memcpy(t + 20, payload_pool + next_rand() % 4096, len);
	return 54 + len;
}

static void rec(FILE *fp, const uint8_t *f, size_t n)
{
	uint32_t h[4] = {(uint32_t)(ts_us / 1000000), (uint32_t)(ts_us % 1000000), (uint32_t)n,
			 (uint32_t)n};
	ts_us += 10;
	fwrite(h, sizeof(h), 1, fp);
	fwrite(f, 1, n, fp);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	uint64_t mib = 1024;
	unsigned nflows = 64, reorder = 20;
	int c;
	while ((c = getopt(argc, argv, "o:m:f:r:")) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'm')
			mib = strtoull(optarg, NULL, 10);
		else if (c == 'f')
			nflows = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'r')
			reorder = (unsigned)strtoul(optarg, NULL, 10);
	}
	if (!out || !nflows) {
		fprintf(stderr, "usage: owfp-capgen -o FILE [-m MIB] [-f FLOWS] [-r PERMILLE]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(payload_pool); i++)
		payload_pool[i] = (uint8_t)next_rand();
	FILE *fp = fopen(out, "wb");
	if (!fp) {
		perror(out);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(fp, buf, _IOFBF, sizeof(buf));
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	fwrite(gh, sizeof(gh), 1, fp);
	struct gflow *g = calloc(nflows, sizeof(*g));
	uint64_t per_flow = mib * 1048576 / nflows;
	uint16_t port = 20000;
	uint8_t f[2][MSS + 64];
	unsigned active = nflows;
	for (unsigned i = 0; i < nflows; i++)
		g[i].state = 3; /* needs (re)start */
	uint64_t written = 0, target = mib * 1048576;
	while (active) {
		for (unsigned i = 0; i < nflows; i++) {
			struct gflow *x = &g[i];
			if (x->state == 2)
				continue;
			if (x->state == 3) {
				if (written >= target) {
					x->state = 2;
					active--;
					continue;
				}
				x->cport = port++;
				x->seq[0] = (uint32_t)next_rand();
				x->seq[1] = (uint32_t)next_rand();
				x->left = per_flow / 4 + next_rand() % (per_flow / 2 + 1);
				rec(fp, f[0], frame(f[0], x, 0, 0x02, x->seq[0]++, 0, 0));
				rec(fp, f[0], frame(f[0], x, 1, 0x12, x->seq[1]++, x->seq[0], 0));
				rec(fp, f[0], frame(f[0], x, 0, 0x18, x->seq[0], x->seq[1], 100));
				x->seq[0] += 100;
				x->state = 1;
				continue;
			}
			size_t len = x->left < MSS ? (size_t)x->left : MSS;
			size_t n = frame(f[0], x, 1, 0x10, x->seq[1], x->seq[0], len);
			x->seq[1] += (uint32_t)len;
			x->left -= len;
			written += len;
			if (x->left && next_rand() % 1000 < reorder) {
				/* the next segment of this flow overtakes this one */
				size_t len2 = x->left < MSS ? (size_t)x->left : MSS;
				size_t n2 = frame(f[1], x, 1, 0x10, x->seq[1], x->seq[0], len2);
				x->seq[1] += (uint32_t)len2;
				x->left -= len2;
				written += len2;
				rec(fp, f[1], n2);
			}
			rec(fp, f[0], n);
			/* the client acknowledges what it got, keeping the window open */
			rec(fp, f[1], frame(f[1], x, 0, 0x10, x->seq[0], x->seq[1], 0));
			if (!x->left) {
				rec(fp, f[1], frame(f[1], x, 1, 0x11, x->seq[1]++, x->seq[0], 0));
				rec(fp, f[1], frame(f[1], x, 0, 0x11, x->seq[0]++, x->seq[1], 0));
				x->state = 3;
			}
		}
	}
	free(g);
	return fclose(fp) == 0 ? 0 : 1;
}
