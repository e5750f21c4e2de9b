/* Link layers, IP versions, options, extension headers and fragments: every
 * encapsulation must yield the same streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture_script.h"

static const char request[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
static const char response[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/* A short conversation; returns the log after checking both streams. */
static void conversation(enum tw_link link, int family, int ext, enum tw_format fmt)
{
	struct cscript s;
	cs_open(&s, fmt, link, family);
	cs_handshake(&s);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK | TW_PSH, (const uint8_t *)request,
				 strlen(request));
	t.ipv6_ext = ext;
	t.ipv4_options = ext;
	tw_seg(s.w, s.ts++, &t);
	t = cs_seg(&s, 1, 0, TW_ACK | TW_PSH | TW_FIN, (const uint8_t *)response, strlen(response));
	t.ipv6_ext = ext;
	t.ipv4_options = ext;
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, (uint32_t)strlen(request), TW_FIN, NULL);
	cs_run(&s, NULL);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.rec.nflows, 1);
	struct rec_flow *f = recorder_flow(&s.rec, 1);
	assert_string_equal(f->info.client.text, family == AF_INET ? "10.0.0.1" : "fd00::1");
	assert_string_equal(f->info.server.text, family == AF_INET ? "10.0.0.2" : "fd00::2");
	assert_int_equal(f->info.client.port, 40000);
	assert_int_equal(f->info.server.port, 80);
	assert_int_equal(f->info.family, family);
	assert_false(f->info.midstream);
	assert_int_equal(f->len[0], strlen(request));
	assert_memory_equal(f->bytes[0], request, strlen(request));
	assert_int_equal(f->len[1], strlen(response));
	assert_memory_equal(f->bytes[1], response, strlen(response));
	assert_int_equal(f->end_reason, OWFP_CAPTURE_END_CLOSED);
	assert_int_equal(s.stats.bad_packets, 0);
	assert_int_equal(s.stats.non_tcp, 0);
	cs_free(&s);
}

static void both_families(enum tw_link link)
{
	conversation(link, AF_INET, 0, TW_PCAP_US);
	conversation(link, AF_INET6, 0, TW_PCAP_US);
}

static void test_ethernet(void **state)
{
	(void)state;
	both_families(TW_ETH);
}

static void test_vlan_and_qinq_tags(void **state)
{
	(void)state;
	both_families(TW_ETH_VLAN);
	both_families(TW_ETH_QINQ);
}

static void test_linux_cooked_v1_and_v2(void **state)
{
	(void)state;
	both_families(TW_SLL);
	both_families(TW_SLL2);
}

static void test_raw_ip_link_types(void **state)
{
	(void)state;
	both_families(TW_RAW);
	conversation(TW_RAW_IPV4, AF_INET, 0, TW_PCAP_US);
	conversation(TW_RAW_IPV6, AF_INET6, 0, TW_PCAP_US);
}

static void test_bsd_loopback_null_both_byte_orders_and_loop(void **state)
{
	(void)state;
	both_families(TW_NULL_LE);
	both_families(TW_NULL_BE);
	both_families(TW_LOOP);
}

static void test_ipv6_extension_headers_are_walked(void **state)
{
	(void)state;
	conversation(TW_ETH, AF_INET6, 1, TW_PCAP_US);
	conversation(TW_SLL2, AF_INET6, 1, TW_PCAPNG);
}

static void test_ipv4_options_are_skipped(void **state)
{
	(void)state;
	conversation(TW_ETH, AF_INET, 1, TW_PCAP_NS);
}

static void fragments_case(int family, int ext)
{
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, family);
	cs_handshake(&s);
	size_t len = 5000;
	uint8_t *data = malloc(len);
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK, data, len);
	t.ipv6_ext = ext;
	uint8_t *ip = malloc(70000);
	size_t n = tw_build(&t, ip, 70000);
	uint8_t *frags[16];
	size_t lens[16];
	size_t nf = tw_fragment(ip, n, 1480, 0x4242, frags, lens, 16);
	assert_true(nf >= 4);
	/* last first, then the rest backwards, with one duplicate */
	for (size_t i = nf; i-- > 0;) {
		tw_write_ip(s.w, s.ts++, frags[i], lens[i]);
		if (i == 2)
			tw_write_ip(s.w, s.ts++, frags[i], lens[i]);
	}
	cs_send(&s, 0, (uint32_t)len, 0, "after");
	for (size_t i = 0; i < nf; i++)
		free(frags[i]);
	cs_run(&s, NULL);
	struct rec_flow *f = recorder_flow(&s.rec, 1);
	assert_int_equal(f->len[0], len + 5);
	assert_memory_equal(f->bytes[0], data, len);
	assert_memory_equal(f->bytes[0] + len, "after", 5);
	assert_int_equal(s.stats.fragments, nf + 1);
	assert_int_equal(s.stats.fragments_reassembled, 1);
	free(data);
	free(ip);
	cs_free(&s);
}

static void test_ipv4_fragments_reassembled_out_of_order(void **state)
{
	(void)state;
	fragments_case(AF_INET, 0);
}

static void test_ipv6_fragments_reassembled_out_of_order(void **state)
{
	(void)state;
	fragments_case(AF_INET6, 0);
	fragments_case(AF_INET6, 1);
}

static void test_incomplete_fragments_time_out(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_RAW, AF_INET);
	cs_handshake(&s);
	uint8_t data[3000] = {0};
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK, data, sizeof(data));
	uint8_t ip[4000];
	size_t n = tw_build(&t, ip, sizeof(ip));
	uint8_t *frags[8];
	size_t lens[8];
	size_t nf = tw_fragment(ip, n, 1480, 7, frags, lens, 8);
	tw_write_ip(s.w, s.ts++, frags[0], lens[0]); /* the rest never comes */
	s.ts += 40ull * 1000000000ull;
	cs_send(&s, 1, 0, 0, "x");
	tw_write_ip(s.w, s.ts++, frags[1], lens[1]); /* too late to complete anything */
	tw_write_ip(s.w, s.ts++, frags[2], lens[2]);
	for (size_t i = 0; i < nf; i++)
		free(frags[i]);
	cs_run(&s, NULL);
	assert_int_equal(recorder_flow(&s.rec, 1)->len[0], 0);
	assert_int_equal(s.stats.fragments_reassembled, 0);
	assert_int_equal(s.stats.fragments_dropped, 1);
	cs_free(&s);
}

static void test_non_tcp_and_malformed_packets_counted_and_skipped(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK, (const uint8_t *)"udp!", 4);
	uint8_t ip[200];
	size_t n = tw_build(&t, ip, sizeof(ip));
	ip[9] = 17; /* UDP now */
	tw_write_ip(s.w, s.ts++, ip, n);
	uint8_t arp[42] = {0};
	arp[12] = 0x08;
	arp[13] = 0x06;
	tw_write_raw(s.w, s.ts++, arp, sizeof(arp), sizeof(arp));
	uint8_t shortframe[20] = {0};
	shortframe[12] = 0x08; /* IPv4 ethertype, then 6 bytes of IP */
	shortframe[14] = 0x45;
	tw_write_raw(s.w, s.ts++, shortframe, sizeof(shortframe), sizeof(shortframe));
	n = tw_build(&t, ip, sizeof(ip));
	ip[32] = 0x10; /* TCP data offset 1: impossible */
	tw_write_ip(s.w, s.ts++, ip, n);
	cs_send(&s, 0, 0, 0, "tcp!");
	cs_run(&s, NULL);
	assert_int_equal(s.stats.non_tcp, 2);
	assert_int_equal(s.stats.bad_packets, 2);
	assert_int_equal(recorder_flow(&s.rec, 1)->len[0], 4);
	cs_free(&s);
}

static int notices;
static void count_notice(void *user, const char *msg)
{
	(void)user;
	assert_non_null(strstr(msg, "unsupported link type 147"));
	notices++;
}

static void test_unsupported_link_type_reported_once_and_skipped(void **state)
{
	(void)state;
	char *path = tw_tmpname("link147");
	FILE *fp = fopen(path, "wb");
	uint32_t hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 147};
	fwrite(hdr, sizeof(hdr), 1, fp);
	for (int i = 0; i < 3; i++) {
		uint32_t rec[4] = {1, 0, 8, 8};
		fwrite(rec, sizeof(rec), 1, fp);
		fwrite("abcdefgh", 8, 1, fp);
	}
	fclose(fp);
	owfp_capture *cap;
	assert_int_equal(owfp_capture_open(path, NULL, &cap, NULL), 0);
	assert_int_equal(owfp_capture_linktype(cap), 147);
	owfp_capture_sink sink = {.notice = count_notice};
	notices = 0;
	assert_int_equal(owfp_capture_run(cap, &sink, NULL, NULL), 0);
	owfp_capture_stats st;
	owfp_capture_get_stats(cap, &st);
	assert_int_equal(st.unsupported_link, 3);
	assert_int_equal(st.records, 3);
	assert_int_equal(notices, 1);
	owfp_capture_close(cap);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_vlan_and_qinq_tags),
		cmocka_unit_test(test_linux_cooked_v1_and_v2),
		cmocka_unit_test(test_raw_ip_link_types),
		cmocka_unit_test(test_bsd_loopback_null_both_byte_orders_and_loop),
		cmocka_unit_test(test_ipv6_extension_headers_are_walked),
		cmocka_unit_test(test_ipv4_options_are_skipped),
		cmocka_unit_test(test_ipv4_fragments_reassembled_out_of_order),
		cmocka_unit_test(test_ipv6_fragments_reassembled_out_of_order),
		cmocka_unit_test(test_incomplete_fragments_time_out),
		cmocka_unit_test(test_non_tcp_and_malformed_packets_counted_and_skipped),
		cmocka_unit_test(test_unsupported_link_type_reported_once_and_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
