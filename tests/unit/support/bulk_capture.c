#include "bulk_capture.h"

#include <string.h>
#include <sys/socket.h>

#include "pcap_writer.h"
#include "test_rng.h"

static void handshake(tw_file *w, uint64_t *ts, struct tw_seg *g, struct tw_seg *h)
{
	g->seq = 1000;
	g->flags = TW_SYN;
	tw_seg(w, (*ts)++, g);
	tw_seg(w, (*ts)++, h);
	g->seq = 1001;
	g->ack = 5001;
	g->flags = TW_ACK;
	tw_seg(w, (*ts)++, g);
}

static void raw_record(tw_file *w, uint64_t ts, struct rng *r, unsigned big_one_in)
{
	static uint8_t junk[14 + BULK_MAX_RECORD];
	size_t j = below(r, big_one_in) == 0 ? 14 + rnd(r) % (BULK_MAX_RECORD - 13) : 60;
	if (j > BULK_MAX_RECORD)
		j = BULK_MAX_RECORD;
	memset(junk, 0x5a, j);
	junk[12] = 0x99; /* an EtherType nobody decodes */
	junk[13] = 0x99;
	tw_write_raw(w, ts, junk, j, j);
}

size_t bulk_capture_write(const char *path, uint64_t seed, const struct bulk_shape *shape,
			  uint8_t *stream, size_t cap)
{
	struct rng r = {seed ? seed : 1};
	tw_file *w = tw_open(path, TW_PCAP_US, TW_ETH);
	if (!w)
		return 0;
	uint64_t ts = 1000000000ull;
	struct tw_seg g = {
		.family = AF_INET, .src = "10.0.0.1", .dst = "10.0.0.2", .sport = 40000, .dport = 80};
	struct tw_seg h = {.family = AF_INET,
			   .src = "10.0.0.2",
			   .dst = "10.0.0.1",
			   .sport = 80,
			   .dport = 40000,
			   .seq = 5000,
			   .ack = 1001,
			   .flags = TW_SYN | TW_ACK};
	handshake(w, &ts, &g, &h);
	size_t len = 0;
	while (len < cap) {
		size_t n = 1 + rnd(&r) % shape->max_segment;
		if (n > cap - len)
			n = cap - len;
		for (size_t i = 0; i < n; i++)
			stream[len + i] = (uint8_t)rnd(&r);
		g.payload = stream + len;
		g.len = n;
		g.flags = TW_ACK | TW_PSH;
		tw_seg(w, ts++, &g);
		g.seq += (uint32_t)n;
		len += n;
		raw_record(w, ts++, &r, shape->big_one_in);
	}
	g.flags = TW_ACK | TW_FIN;
	g.payload = NULL;
	g.len = 0;
	tw_seg(w, ts++, &g);
	h.seq = 5001;
	h.ack = g.seq + 1;
	h.flags = TW_ACK | TW_FIN;
	tw_seg(w, ts++, &h);
	tw_close(w);
	return len;
}
