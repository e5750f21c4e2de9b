/* pcapng whose interfaces have different link types (`tshark -i eth0 -i
 * lo`, Ethernet plus raw IP): every packet is decoded by its own
 * interface's link type and timestamped in its own interface's resolution
 * and offset; a second section (other byte order) starts its interfaces
 * afresh. libpcap refuses such files; the pcapng reader must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture_recorder.h"
#include "pcap_writer.h"

/* A pcapng writer for this test: blocks in either byte order. */
struct ng {
	FILE *fp;
	bool swap;
};

static void n32(struct ng *g, uint32_t v)
{
	if (g->swap)
		v = __builtin_bswap32(v);
	fwrite(&v, 4, 1, g->fp);
}

static void n16(struct ng *g, uint16_t v)
{
	if (g->swap)
		v = __builtin_bswap16(v);
	fwrite(&v, 2, 1, g->fp);
}

static void shb(struct ng *g)
{
	n32(g, 0x0a0d0d0a);
	n32(g, 28);
	n32(g, 0x1a2b3c4d);
	n16(g, 1);
	n16(g, 0);
	n32(g, 0xffffffff);
	n32(g, 0xffffffff);
	n32(g, 28);
}

/* tsresol < 0: no option (microseconds); offset: if_tsoffset seconds. */
static void idb(struct ng *g, uint16_t linktype, int tsresol, int64_t offset)
{
	uint32_t len = 20 + (tsresol >= 0 ? 8 : 0) + (offset ? 12 : 0) + 4;
	n32(g, 1);
	n32(g, len);
	n16(g, linktype);
	n16(g, 0);
	n32(g, 262144);
	if (tsresol >= 0) {
		n16(g, 9);
		n16(g, 1);
		uint8_t v[4] = {(uint8_t)tsresol, 0, 0, 0};
		fwrite(v, 4, 1, g->fp);
	}
	if (offset) {
		n16(g, 14);
		n16(g, 8);
		uint64_t o = (uint64_t)offset;
		if (g->swap)
			o = __builtin_bswap64(o);
		fwrite(&o, 8, 1, g->fp);
	}
	n32(g, 0); /* opt_endofopt */
	n32(g, len);
}

static void pad(struct ng *g, size_t n)
{
	static const uint8_t zero[4];
	fwrite(zero, 1, (4 - n % 4) % 4, g->fp);
}

static void epb(struct ng *g, uint32_t ifid, uint64_t ts, const uint8_t *frame, size_t n)
{
	uint32_t len = 32 + (uint32_t)((n + 3) & ~(size_t)3);
	n32(g, 6);
	n32(g, len);
	n32(g, ifid);
	n32(g, (uint32_t)(ts >> 32));
	n32(g, (uint32_t)ts);
	n32(g, (uint32_t)n);
	n32(g, (uint32_t)n);
	fwrite(frame, 1, n, g->fp);
	pad(g, n);
	n32(g, len);
}

static void spb(struct ng *g, const uint8_t *frame, size_t n)
{
	uint32_t len = 16 + (uint32_t)((n + 3) & ~(size_t)3);
	n32(g, 3);
	n32(g, len);
	n32(g, (uint32_t)n);
	fwrite(frame, 1, n, g->fp);
	pad(g, n);
	n32(g, len);
}

/* A name resolution block: to be skipped. */
static void nrb(struct ng *g)
{
	n32(g, 4);
	n32(g, 16);
	n32(g, 0); /* nrb_record_end */
	n32(g, 16);
}

enum link { ETH = 1, RAW = 101, SLL = 113 };

/* The IP packet of `s` framed for `link`. */
static size_t frame(enum link link, const struct tw_seg *s, uint8_t *f)
{
	size_t h = link == ETH ? 14 : link == SLL ? 16 : 0;
	size_t n = tw_build(s, f + h, 4000);
	uint16_t et = s->family == AF_INET ? 0x0800 : 0x86dd;
	memset(f, 0, h);
	if (link == ETH) {
		f[12] = (uint8_t)(et >> 8);
		f[13] = (uint8_t)et;
	} else if (link == SLL) {
		f[14] = (uint8_t)(et >> 8);
		f[15] = (uint8_t)et;
	}
	return h + n;
}

struct conv {
	int family;
	const char *c, *s;
	uint16_t cport;
	const char *req, *resp;
};

/* The packets of one short conversation, in order. */
static size_t packets(const struct conv *v, struct tw_seg *out)
{
	uint32_t ci = 1000, si = 5000;
	uint32_t rq = (uint32_t)strlen(v->req), rp = (uint32_t)strlen(v->resp);
	struct tw_seg base = {.family = v->family};
	size_t n = 0;
#define SEG(dir, seqv, ackv, fl, data, dlen)              \
	do {                                              \
		out[n] = base;                            \
		out[n].src = (dir) ? v->s : v->c;         \
		out[n].dst = (dir) ? v->c : v->s;         \
		out[n].sport = (dir) ? 80 : v->cport;     \
		out[n].dport = (dir) ? v->cport : 80;     \
		out[n].seq = (seqv);                      \
		out[n].ack = (ackv);                      \
		out[n].flags = (fl);                      \
		out[n].payload = (const uint8_t *)(data); \
		out[n].len = (dlen);                      \
		n++;                                      \
	} while (0)
	SEG(0, ci, 0, TW_SYN, NULL, 0);
	SEG(1, si, ci + 1, TW_SYN | TW_ACK, NULL, 0);
	SEG(0, ci + 1, si + 1, TW_ACK, NULL, 0);
	SEG(0, ci + 1, si + 1, TW_ACK | TW_PSH, v->req, rq);
	SEG(1, si + 1, ci + 1 + rq, TW_ACK | TW_PSH, v->resp, rp);
	SEG(0, ci + 1 + rq, si + 1 + rp, TW_ACK | TW_FIN, NULL, 0);
	SEG(1, si + 1 + rp, ci + 2 + rq, TW_ACK | TW_FIN, NULL, 0);
	SEG(0, ci + 2 + rq, si + 2 + rp, TW_ACK, NULL, 0);
#undef SEG
	return n;
}

static const struct conv convs[] = {
	{AF_INET, "10.0.0.1", "10.0.0.2", 40001, "GET /eth HTTP/1.1\r\n\r\n", "ethernet reply"},
	{AF_INET, "10.0.1.1", "10.0.1.2", 40002, "GET /raw HTTP/1.1\r\n\r\n", "raw IP reply"},
	{AF_INET6, "fd00::1", "fd00::2", 40003, "GET /sll HTTP/1.1\r\n\r\n", "cooked reply"},
	{AF_INET, "10.0.3.1", "10.0.3.2", 40004, "GET /second HTTP/1.1\r\n\r\n", "second section"},
};

static void write_capture(const char *path)
{
	struct ng g = {.fp = fopen(path, "wb")};
	assert_non_null(g.fp);
	shb(&g);
	idb(&g, ETH, -1, 0); /* 0: Ethernet, microseconds */
	idb(&g, RAW, 9, 0);  /* 1: raw IP, nanoseconds */
	nrb(&g);
	idb(&g, SLL, 3, 1000); /* 2: Linux cooked, milliseconds, +1000 s */
	struct tw_seg p[3][8];
	size_t n = 0;
	for (int i = 0; i < 3; i++)
		n = packets(&convs[i], p[i]);
	uint8_t f[4100];
	/* Interleaved, the three flows' packets at the same instant, 1.5 s apart:
     * each interface says it in its own unit. */
	for (size_t k = 0; k < n; k++) {
		uint64_t sec = 1700000000 + k;
		epb(&g, 0, sec * 1000000 + 500000, f, frame(ETH, &p[0][k], f));
		epb(&g, 1, sec * 1000000000ull + 500000000, f, frame(RAW, &p[1][k], f));
		epb(&g, 2, (sec - 1000) * 1000 + 500, f, frame(SLL, &p[2][k], f));
	}
	/* A second section, big-endian, whose only interface is raw IP: the
     * interfaces of the first section are gone; simple packet blocks. */
	g.swap = true;
	shb(&g);
	idb(&g, RAW, -1, 0);
	struct tw_seg q[8];
	n = packets(&convs[3], q);
	for (size_t k = 0; k < n; k++)
		spb(&g, f, frame(RAW, &q[k], f));
	fclose(g.fp);
}

static void test_each_packet_is_decoded_by_its_interface(void **state)
{
	(void)state;
	char *path = tw_tmpname("multilink");
	write_capture(path);
	struct recorder r;
	recorder_init(&r);
	owfp_capture_stats st;
	owfp_capture_error err;
	int rc = recorder_run(&r, path, NULL, &st, &err);
	if (rc)
		fail_msg("%s", err.message);
	assert_int_equal(st.bad_packets, 0);
	assert_int_equal(st.unsupported_link, 0);
	assert_int_equal(r.nflows, 4);
	for (size_t i = 0; i < 4; i++) {
		struct rec_flow *f = NULL;
		for (uint64_t id = 1; id <= r.nflows && !f; id++)
			if (recorder_flow(&r, id)->info.client.port == convs[i].cport)
				f = recorder_flow(&r, id);
		if (!f)
			fail_msg("the flow of %s is missing", convs[i].req);
		assert_string_equal(f->info.client.text, convs[i].c);
		assert_int_equal(f->len[0], strlen(convs[i].req));
		assert_memory_equal(f->bytes[0], convs[i].req, f->len[0]);
		assert_int_equal(f->len[1], strlen(convs[i].resp));
		assert_memory_equal(f->bytes[1], convs[i].resp, f->len[1]);
		assert_int_equal(f->end_reason, OWFP_CAPTURE_END_CLOSED);
		/* The first three began at the same instant, each said in its
         * interface's unit (and offset). */
		if (i < 3)
			assert_int_equal(f->info.start_ns, 1700000000500000000ull);
	}
	recorder_free(&r);

	/* What libpcap does with the same file: the reason for this reader. */
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = OWFP_CAPTURE_READER_LIBPCAP;
	recorder_init(&r);
	rc = recorder_run(&r, path, &o, NULL, &err);
	assert_int_not_equal(rc, 0);
	recorder_free(&r);
	unlink(path);
	free(path);
}

/* A packet naming an interface that no block described is corruption,
 * reported with its record number and offset. */
static void test_undescribed_interface_is_corruption(void **state)
{
	(void)state;
	char *path = tw_tmpname("multilink-bad");
	struct ng g = {.fp = fopen(path, "wb")};
	shb(&g);
	idb(&g, ETH, -1, 0);
	struct tw_seg p[8];
	packets(&convs[0], p);
	uint8_t f[4100];
	epb(&g, 0, 1, f, frame(ETH, &p[0], f));
	long at = ftell(g.fp);
	epb(&g, 1, 2, f, frame(ETH, &p[1], f));
	fclose(g.fp);
	struct recorder r;
	recorder_init(&r);
	owfp_capture_error err;
	assert_int_equal(recorder_run(&r, path, NULL, NULL, &err), -EBADMSG);
	assert_int_equal(err.record, 2);
	assert_int_equal(err.offset, (uint64_t)at);
	assert_non_null(strstr(err.reason, "interface"));
	recorder_free(&r);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_packet_is_decoded_by_its_interface),
		cmocka_unit_test(test_undescribed_interface_is_corruption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
