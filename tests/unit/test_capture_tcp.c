/* TCP reassembly edge cases, each asserting the exact event sequence a
 * receiver-side consumer gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "capture_script.h"

#define START "start 1 10.0.0.1:40000 > 10.0.0.2:80\n"

static owfp_capture_opts defaults(void)
{
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	return o;
}

static void close_both(struct cscript *s, uint32_t crel, uint32_t srel)
{
	cs_send(s, 0, crel, TW_FIN, NULL);
	cs_send(s, 1, srel, TW_FIN, NULL);
}

static void test_out_of_order_segments_delivered_in_stream_order(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 5, 0, "world");
	cs_send(&s, 0, 0, 0, "hello");
	close_both(&s, 10, 0);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=5 M missed=0 'hello'\n"
						    "data 1 0 off=5 len=5 missed=0 'world'\n"
						    "fin 1 0\n"
						    "fin 1 1\n"
						    "end 1 closed\n");
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.stats.bytes_delivered, 10);
	cs_free(&s);
}

static void test_retransmission_not_delivered_twice(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "abc");
	cs_send(&s, 0, 0, 0, "abc");
	cs_send(&s, 0, 0, 0, "abcdef");
	close_both(&s, 6, 0);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 missed=0 'abc'\n"
						    "data 1 0 off=3 len=3 missed=0 'def'\n"
						    "fin 1 0\nfin 1 1\nend 1 closed\n");
	assert_int_equal(s.stats.retransmitted_bytes, 6);
	assert_int_equal(s.stats.overlaps_differing, 0);
	cs_free(&s);
}

static void overlap_case(enum owfp_capture_overlap policy, const char *expect)
{
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 2, 0, "XXXX");   /* out of order, buffered */
	cs_send(&s, 0, 0, 0, "abcdef"); /* overlaps it with other bytes */
	close_both(&s, 6, 0);
	owfp_capture_opts o = defaults();
	o.overlap = policy;
	cs_run(&s, &o);
	struct rec_flow *f = recorder_flow(&s.rec, 1);
	assert_int_equal(f->len[0], 6);
	assert_memory_equal(f->bytes[0], expect, 6);
	assert_int_equal(s.stats.overlaps_differing, 1);
	assert_int_equal(s.stats.overlap_bytes_differing, 4);
	cs_free(&s);
}

static void test_overlap_with_different_data_first_copy_wins(void **state)
{
	(void)state;
	overlap_case(OWFP_CAPTURE_OVERLAP_FIRST, "abXXXX");
}

static void test_overlap_with_different_data_last_copy_wins(void **state)
{
	(void)state;
	overlap_case(OWFP_CAPTURE_OVERLAP_LAST, "abcdef");
}

static void test_overlap_never_changes_delivered_bytes_even_with_last_policy(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "abc");
	cs_send(&s, 0, 0, 0, "XYZdef");
	close_both(&s, 6, 0);
	owfp_capture_opts o = defaults();
	o.overlap = OWFP_CAPTURE_OVERLAP_LAST;
	cs_run(&s, &o);
	struct rec_flow *f = recorder_flow(&s.rec, 1);
	assert_int_equal(f->len[0], 6);
	assert_memory_equal(f->bytes[0], "abcdef", 6);
	cs_free(&s);
}

static void test_hole_skipped_after_bytes_threshold_reports_missed(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "aaaa");
	cs_send(&s, 0, 10, 0, "bbbbbb");  /* 6 bytes past a 6-byte hole: wait */
	cs_send(&s, 0, 16, 0, "cccccc");  /* 12 buffered: give up on the hole */
	cs_send(&s, 0, 22, TW_PSH, "dd"); /* in order again */
	close_both(&s, 24, 0);
	owfp_capture_opts o = defaults();
	o.hole_skip_bytes = 10;
	assert_string_equal(cs_run(&s, &o), START "data 1 0 off=0 len=4 missed=0 'aaaa'\n"
						  "data 1 0 off=10 len=6 M missed=6 'bbbbbb'\n"
						  "data 1 0 off=16 len=6 missed=0 'cccccc'\n"
						  "data 1 0 off=22 len=2 P missed=0 'dd'\n"
						  "fin 1 0\nfin 1 1\nend 1 closed\n");
	assert_int_equal(s.stats.holes_skipped, 1);
	assert_int_equal(s.stats.bytes_missed, 6);
	cs_free(&s);
}

static void test_hole_skipped_after_capture_time(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 3, 0, "late");
	s.ts += 3ull * 1000000000ull;
	cs_send(&s, 1, 0, 0, "pong"); /* 3 s: hole still awaited */
	s.ts += 3ull * 1000000000ull;
	cs_send(&s, 1, 4, 0, "pong"); /* 6 s: past the 5 s wait */
	owfp_capture_opts o = defaults();
	o.hole_skip_ns = 5ull * 1000000000ull;
	assert_string_equal(cs_run(&s, &o), START "data 1 1 off=0 len=4 missed=0 'pong'\n"
						  "data 1 1 off=4 len=4 missed=0 'pong'\n"
						  "data 1 0 off=3 len=4 missed=3 'late'\n"
						  "end 1 open\n");
	cs_free(&s);
}

static void test_hole_acknowledged_by_the_peer_is_skipped_at_once(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 4, 0, "efgh"); /* bytes 0-3 never captured */
	struct tw_seg t = cs_seg(&s, 1, 0, TW_ACK, (const uint8_t *)"part", 4);
	t.ack = s.isn[0] + 1 + 2; /* acknowledges half the hole: wait */
	tw_seg(s.w, s.ts++, &t);
	t = cs_seg(&s, 1, 4, TW_ACK, (const uint8_t *)"resp", 4);
	t.ack = s.isn[0] + 1 + 8; /* the server had all 8 bytes */
	tw_seg(s.w, s.ts++, &t);
	assert_string_equal(cs_run(&s, NULL), START "data 1 1 off=0 len=4 missed=0 'part'\n"
						    "data 1 0 off=4 len=4 missed=4 'efgh'\n"
						    "data 1 1 off=4 len=4 missed=0 'resp'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_ack_rule_can_be_turned_off(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 4, 0, "efgh");
	struct tw_seg t = cs_seg(&s, 1, 0, TW_ACK, (const uint8_t *)"resp", 4);
	t.ack = s.isn[0] + 1 + 8;
	tw_seg(s.w, s.ts++, &t);
	owfp_capture_opts o = defaults();
	o.ack_hole_skip = false;
	assert_string_equal(cs_run(&s, &o), START "data 1 1 off=0 len=4 missed=0 'resp'\n"
						  "data 1 0 off=4 len=4 missed=4 'efgh'\n"
						  "end 1 open\n");
	cs_free(&s);
}

static void test_syn_carrying_data_is_delivered(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_SYN, (const uint8_t *)"early", 5);
	t.seq = s.isn[0];
	tw_seg(s.w, s.ts++, &t);
	t = cs_seg(&s, 1, 0, TW_SYN | TW_ACK, NULL, 0);
	t.seq = s.isn[1];
	t.ack = s.isn[0] + 6;
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, 5, 0, "later");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=5 missed=0 'early'\n"
						    "data 1 0 off=5 len=5 missed=0 'later'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_fin_carrying_data_delivers_data_then_fin(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 1, 0, TW_FIN | TW_PSH, "bye");
	cs_send(&s, 1, 4, 0, "ignored after fin");
	assert_string_equal(cs_run(&s, NULL), START "data 1 1 off=0 len=3 P missed=0 'bye'\n"
						    "fin 1 1\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_fin_before_missing_data_waits_for_it(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 3, TW_FIN, "def");
	cs_send(&s, 0, 0, 0, "abc");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 M missed=0 'abc'\n"
						    "data 1 0 off=3 len=3 missed=0 'def'\n"
						    "fin 1 0\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_rst_mid_stream_ends_both_directions(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "GET");
	cs_send(&s, 0, 10, 0, "buffered"); /* out of order: discarded by the reset */
	cs_send(&s, 1, 0, TW_RST, NULL);
	cs_send(&s, 0, 3, 0, "more"); /* after the reset: ignored */
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 missed=0 'GET'\n"
						    "rst 1 1\n"
						    "end 1 reset\n");
	assert_int_equal(s.stats.bytes_discarded, 8);
	assert_int_equal(s.stats.flows, 1);
	cs_free(&s);
}

static void test_rst_far_outside_the_window_is_ignored(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 1, 0x40000000u, TW_RST, NULL);
	cs_send(&s, 0, 0, 0, "still here");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=10 missed=0 'still here'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_sequence_numbers_wrap_around_32_bits(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	s.isn[0] = 0xfffffff0u; /* first data byte at 0xfffffff1 */
	cs_handshake(&s);
	cs_send(&s, 0, 20, 0, "CCCCCCCCCC");     /* seq 5 after the wrap */
	cs_send(&s, 0, 0, 0, "AAAAAAAAAAAAAAA"); /* ends exactly at the wrap */
	cs_send(&s, 0, 15, 0, "BBBBB");
	close_both(&s, 30, 0);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=15 missed=0 'AAAAAAAAAAAAAAA'\n"
						    "data 1 0 off=15 len=5 M missed=0 'BBBBB'\n"
						    "data 1 0 off=20 len=10 missed=0 'CCCCCCCCCC'\n"
						    "fin 1 0\nfin 1 1\nend 1 closed\n");
	cs_free(&s);
}

static void test_urgent_byte_delivered_as_its_own_chunk(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	/* urg_ptr 4 points past the urgent byte: offset 3, 'X' */
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK | TW_URG | TW_PSH, (const uint8_t *)"abcXdef", 7);
	t.urp = 4;
	tw_seg(s.w, s.ts++, &t);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 M missed=0 'abc'\n"
						    "data 1 0 off=3 len=1 U M missed=0 'X'\n"
						    "data 1 0 off=4 len=3 P missed=0 'def'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_urgent_pointer_into_a_later_segment(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK | TW_URG, (const uint8_t *)"abc", 3);
	t.urp = 5; /* urgent byte at offset 4, in the next segment */
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, 3, 0, "defg");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 missed=0 'abc'\n"
						    "data 1 0 off=3 len=1 M missed=0 'd'\n"
						    "data 1 0 off=4 len=1 U M missed=0 'e'\n"
						    "data 1 0 off=5 len=2 missed=0 'fg'\n"
						    "end 1 open\n");
	cs_free(&s);
}

/* The server speaks first in the capture (its byte 100 on, having got 50
 * client bytes), then the client (its byte 50 on). */
static void midstream_pair(struct cscript *s)
{
	struct tw_seg t = cs_seg(s, 1, 100, TW_ACK, (const uint8_t *)"response", 8);
	t.ack = s->isn[0] + 1 + 50;
	tw_seg(s->w, s->ts++, &t);
	t = cs_seg(s, 0, 50, TW_ACK, (const uint8_t *)"request", 7);
	t.ack = s->isn[1] + 1 + 108;
	tw_seg(s->w, s->ts++, &t);
}

static void test_midstream_pickup_lower_port_is_server(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	midstream_pair(&s);
	cs_send(&s, 0, 0, 0, "before the first seen byte: not delivered");
	assert_string_equal(cs_run(&s, NULL), "start 1 10.0.0.1:40000 > 10.0.0.2:80 midstream\n"
					      "data 1 1 off=0 len=8 missed=0 'response'\n"
					      "data 1 0 off=0 len=7 missed=0 'request'\n"
					      "end 1 open\n");
	assert_int_equal(s.stats.flows_midstream, 1);
	cs_free(&s);
}

static void test_midstream_pickup_first_sender_is_client_when_asked(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	midstream_pair(&s);
	owfp_capture_opts o = defaults();
	o.midstream_client = OWFP_CAPTURE_MIDSTREAM_FIRST_SENDER;
	assert_string_equal(cs_run(&s, &o), "start 1 10.0.0.2:80 > 10.0.0.1:40000 midstream\n"
					    "data 1 0 off=0 len=8 missed=0 'response'\n"
					    "data 1 1 off=0 len=7 missed=0 'request'\n"
					    "end 1 open\n");
	cs_free(&s);
}

static void test_midstream_direction_starts_at_the_peer_ack(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	struct tw_seg t = cs_seg(&s, 1, 100, TW_ACK, (const uint8_t *)"response", 8);
	t.ack = s.isn[0] + 1 + 50; /* the client's stream stands at 50 */
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, 54, 0, "ndXY"); /* overtook the segment before it */
	cs_send(&s, 0, 50, 0, "seco");
	assert_string_equal(cs_run(&s, NULL), "start 1 10.0.0.1:40000 > 10.0.0.2:80 midstream\n"
					      "data 1 1 off=0 len=8 missed=0 'response'\n"
					      "data 1 0 off=0 len=4 M missed=0 'seco'\n"
					      "data 1 0 off=4 len=4 missed=0 'ndXY'\n"
					      "end 1 open\n");
	cs_free(&s);
}

static void test_syn_ack_without_syn_still_names_the_client(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	struct tw_seg t = cs_seg(&s, 1, 0, TW_SYN | TW_ACK, NULL, 0);
	t.seq = s.isn[1];
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, 4, 0, "tail");
	cs_send(&s, 0, 0, 0, "head");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=4 M missed=0 'head'\n"
						    "data 1 0 off=4 len=4 missed=0 'tail'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_connection_reuse_on_same_tuple_starts_new_flow(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "one");
	close_both(&s, 3, 0);
	cs_send(&s, 0, 4, 0, NULL); /* last ACK: soaked up, no new flow */
	s.isn[0] = 90000;
	s.isn[1] = 70000;
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "two");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 missed=0 'one'\n"
						    "fin 1 0\nfin 1 1\nend 1 closed\n"
						    "start 2 10.0.0.1:40000 > 10.0.0.2:80\n"
						    "data 2 0 off=0 len=3 missed=0 'two'\n"
						    "end 2 open\n");
	cs_free(&s);
}

static void test_new_syn_on_open_flow_ends_it_as_reused(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "one");
	cs_send(&s, 0, 0, 0, NULL);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_SYN, NULL, 0);
	t.seq = s.isn[0]; /* the same SYN again: a retransmission, not a new flow */
	tw_seg(s.w, s.ts++, &t);
	s.isn[0] = 777;
	cs_handshake(&s);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=3 missed=0 'one'\n"
						    "end 1 reused\n"
						    "start 2 10.0.0.1:40000 > 10.0.0.2:80\n"
						    "end 2 open\n");
	cs_free(&s);
}

static void test_simultaneous_open_is_one_flow(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_SYN, NULL, 0);
	t.seq = s.isn[0];
	t.ack = 0;
	tw_seg(s.w, s.ts++, &t);
	t = cs_seg(&s, 1, 0, TW_SYN, NULL, 0); /* the other side's SYN crosses ours */
	t.seq = s.isn[1];
	t.ack = 0;
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 1, 0, 0, "hi");
	cs_send(&s, 0, 0, 0, "yo");
	assert_string_equal(cs_run(&s, NULL), START "data 1 1 off=0 len=2 missed=0 'hi'\n"
						    "data 1 0 off=0 len=2 missed=0 'yo'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_idle_flow_times_out_on_capture_time(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "one");
	s.ts += 11ull * 1000000000ull;
	cs_send(&s, 0, 3, 0, "two");
	owfp_capture_opts o = defaults();
	o.idle_timeout_ns = 10ull * 1000000000ull;
	assert_string_equal(cs_run(&s, &o), START "data 1 0 off=0 len=3 missed=0 'one'\n"
						  "end 1 timeout\n"
						  "start 2 10.0.0.1:40000 > 10.0.0.2:80 midstream\n"
						  "data 2 0 off=0 len=3 missed=0 'two'\n"
						  "end 2 open\n");
	assert_int_equal(s.stats.flows_timed_out, 1);
	cs_free(&s);
}

static void test_flow_table_full_evicts_the_idlest_flow(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "first");
	s.port[0] = 40001;
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "second");
	owfp_capture_opts o = defaults();
	o.max_flows = 1;
	assert_string_equal(cs_run(&s, &o), START "data 1 0 off=0 len=5 missed=0 'first'\n"
						  "end 1 evicted\n"
						  "start 2 10.0.0.1:40001 > 10.0.0.2:80\n"
						  "data 2 0 off=0 len=6 missed=0 'second'\n"
						  "end 2 open\n");
	assert_int_equal(s.stats.flows_evicted, 1);
	cs_free(&s);
}

static void test_memory_bound_forces_hole_skip(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	char big[101];
	memset(big, 'x', 100);
	big[100] = 0;
	cs_send(&s, 0, 10, 0, big);  /* 100 (+128 per segment) behind a 10-byte hole */
	cs_send(&s, 0, 110, 0, big); /* 456 > 400: the hole is given up */
	owfp_capture_opts o = defaults();
	o.max_direction_bytes = 400;
	o.hole_skip_bytes = 0;
	o.hole_skip_ns = 0;
	assert_string_equal(cs_run(&s, &o),
			    START "data 1 0 off=10 len=100 missed=10 'xxxxxxxxxxxxxxxx'\n"
				  "data 1 0 off=110 len=100 missed=0 'xxxxxxxxxxxxxxxx'\n"
				  "end 1 open\n");
	assert_int_equal(s.stats.holes_skipped, 1);
	assert_true(s.stats.buffered_bytes_peak <= 400);
	cs_free(&s);
}

static void test_tiny_segments_are_charged_per_segment(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	/* 1-byte segments in reverse order behind a hole: 10 of them would be
     * 10 bytes, but each costs 129 against the 1000-byte bound */
	for (uint32_t i = 20; i > 10; i--)
		cs_send(&s, 0, i, 0, "z");
	owfp_capture_opts o = defaults();
	o.max_direction_bytes = 1000;
	o.hole_skip_bytes = 0;
	o.hole_skip_ns = 0;
	cs_run(&s, &o);
	/* 7 fit; the 8th forces the hole before them to be skipped, and the
     * last three then lie behind the delivered bytes */
	assert_int_equal(s.stats.holes_skipped, 1);
	assert_int_equal(s.stats.bytes_missed, 14);
	assert_int_equal(recorder_flow(&s.rec, 1)->len[0], 7);
	assert_true(s.stats.buffered_bytes_peak <= 1000);
	cs_free(&s);
}

static void test_total_memory_bound_skips_holes_of_other_flows(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	char big[101];
	memset(big, 'y', 100);
	big[100] = 0;
	cs_send(&s, 0, 5, 0, big); /* flow 1 holds 228 behind a hole */
	s.port[0] = 40001;
	cs_handshake(&s);
	cs_send(&s, 0, 5, 0, big); /* flow 2 needs 228 more: 456 > 400 total */
	owfp_capture_opts o = defaults();
	o.max_total_bytes = 400;
	o.hole_skip_bytes = 0;
	o.hole_skip_ns = 0;
	assert_string_equal(cs_run(&s, &o),
			    START "start 2 10.0.0.1:40001 > 10.0.0.2:80\n"
				  "data 1 0 off=5 len=100 missed=5 'yyyyyyyyyyyyyyyy'\n"
				  "end 1 open\n"
				  "data 2 0 off=5 len=100 missed=5 'yyyyyyyyyyyyyyyy'\n"
				  "end 2 open\n");
	assert_true(s.stats.buffered_bytes_peak <= 400);
	cs_free(&s);
}

static void test_open_flows_flush_buffered_data_at_end_of_capture(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "ab");
	cs_send(&s, 0, 4, TW_FIN, "ef");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=2 missed=0 'ab'\n"
						    "data 1 0 off=4 len=2 missed=2 'ef'\n"
						    "fin 1 0\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_hole_right_before_fin_reported_as_empty_chunk(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "ab");
	cs_send(&s, 0, 5, TW_FIN, NULL);
	cs_send(&s, 1, 0, TW_FIN, NULL);
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=2 missed=0 'ab'\n"
						    "fin 1 1\n"
						    "data 1 0 off=5 len=0 missed=3 ''\n"
						    "fin 1 0\n"
						    "end 1 closed\n");
	cs_free(&s);
}

static void test_payload_cut_by_snaplen_is_reported_missed_at_once(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_RAW, AF_INET);
	cs_handshake(&s);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK, (const uint8_t *)"abcd", 4);
	t.wire_extra = 6; /* the packet had 10 payload bytes, 4 captured */
	tw_seg(s.w, s.ts++, &t);
	cs_send(&s, 0, 10, 0, "next");
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=4 missed=0 'abcd'\n"
						    "data 1 0 off=10 len=4 missed=6 'next'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void test_checksums_verified_only_when_asked(void **state)
{
	(void)state;
	for (int verify = 0; verify < 2; verify++) {
		struct cscript s;
		cs_open(&s, TW_PCAP_US, TW_RAW, AF_INET);
		cs_handshake(&s);
		uint8_t ip[200];
		struct tw_seg t = cs_seg(&s, 0, 0, TW_ACK, (const uint8_t *)"good", 4);
		size_t n = tw_build(&t, ip, sizeof(ip));
		ip[n - 1] ^= 0x20; /* "gooD": TCP checksum now wrong */
		tw_write_ip(s.w, s.ts++, ip, n);
		t = cs_seg(&s, 0, 0, TW_ACK, (const uint8_t *)"good", 4);
		n = tw_build(&t, ip, sizeof(ip));
		ip[8] ^= 1; /* TTL changed: IPv4 header checksum wrong */
		tw_write_ip(s.w, s.ts++, ip, n);
		cs_send(&s, 0, 0, 0, "fine");
		owfp_capture_opts o = defaults();
		o.verify_checksums = verify;
		cs_run(&s, &o);
		struct rec_flow *f = recorder_flow(&s.rec, 1);
		assert_int_equal(f->len[0], 4);
		assert_memory_equal(f->bytes[0], verify ? "fine" : "gooD", 4);
		assert_int_equal(s.stats.bad_checksums, verify ? 2 : 0);
		cs_free(&s);
	}
}

struct pause_state {
	int step;
};

static void pause_hook(struct recorder *r, struct rec_flow *f, const owfp_capture_data *d)
{
	struct pause_state *ps = r->hook_state;
	if (ps->step == 0 && d->dir == 0) {
		/* the consumer defers: no more client data until it says so */
		assert_int_equal(owfp_capture_pause(r->cap, f->info.id, 0), 0);
		ps->step = 1;
	} else if (ps->step == 1 && d->dir == 1) {
		assert_int_equal(owfp_capture_resume(r->cap, f->info.id, 0), 0);
		ps->step = 2;
	}
}

static void test_paused_direction_is_buffered_until_resumed(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "c1");
	cs_send(&s, 0, 2, 0, "c2");
	cs_send(&s, 0, 4, TW_FIN, "c3");
	cs_send(&s, 1, 0, 0, "s1");
	cs_send(&s, 1, 2, 0, "s2");
	struct pause_state ps = {0};
	s.rec.on_data = pause_hook;
	s.rec.hook_state = &ps;
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=2 missed=0 'c1'\n"
						    "data 1 1 off=0 len=2 missed=0 's1'\n"
						    "data 1 0 off=2 len=2 M missed=0 'c2'\n"
						    "data 1 0 off=4 len=2 missed=0 'c3'\n"
						    "fin 1 0\n"
						    "data 1 1 off=2 len=2 missed=0 's2'\n"
						    "end 1 open\n");
	cs_free(&s);
}

static void pause_forever_hook(struct recorder *r, struct rec_flow *f, const owfp_capture_data *d)
{
	struct pause_state *ps = r->hook_state;
	if (d->dir == 0 && ps->step == 0) {
		owfp_capture_pause(r->cap, f->info.id, 0);
		ps->step = 1;
	} else if (d->dir == 1 && ps->step == 1) {
		owfp_capture_resume(r->cap, f->info.id, 0);
		ps->step = 2;
	}
}

static void test_paused_data_beyond_the_bound_is_dropped_and_reported_missed(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "go");
	cs_send(&s, 0, 2, 0, "0123456789");  /* paused: buffered */
	cs_send(&s, 0, 12, 0, "abcdefghij"); /* over the bound: dropped */
	cs_send(&s, 1, 0, 0, "resume");
	cs_send(&s, 0, 22, 0, "tail");
	struct pause_state ps = {0};
	s.rec.on_data = pause_forever_hook;
	s.rec.hook_state = &ps;
	owfp_capture_opts o = defaults();
	o.max_direction_bytes = 200; /* 10 bytes cost 138: one fits, two do not */
	assert_string_equal(cs_run(&s, &o), START "data 1 0 off=0 len=2 missed=0 'go'\n"
						  "data 1 1 off=0 len=6 missed=0 'resume'\n"
						  "data 1 0 off=2 len=10 missed=0 '0123456789'\n"
						  "data 1 0 off=22 len=4 missed=10 'tail'\n"
						  "end 1 open\n");
	assert_int_equal(s.stats.bytes_dropped_paused, 10);
	cs_free(&s);
}

static void ignore_hook(struct recorder *r, struct rec_flow *f, const owfp_capture_data *d)
{
	(void)d;
	assert_int_equal(owfp_capture_ignore(r->cap, f->info.id), 0);
}

static void test_ignored_flow_gets_no_more_events_but_still_ends(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 4, 0, "efgh");
	cs_send(&s, 0, 0, 0, "abcd"); /* both deliverable: the first ignores the flow */
	cs_send(&s, 1, 0, TW_FIN, "xyz");
	cs_send(&s, 0, 8, TW_FIN, NULL);
	s.rec.on_data = ignore_hook;
	assert_string_equal(cs_run(&s, NULL), START "data 1 0 off=0 len=4 M missed=0 'abcd'\n"
						    "end 1 open\n");
	assert_int_equal(s.stats.ignored_segments, 2);
	cs_free(&s);
}

static void test_pause_of_unknown_flow_is_an_error(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	tw_close(s.w);
	s.w = NULL;
	owfp_capture *cap;
	assert_int_equal(owfp_capture_open(s.path, NULL, &cap, NULL), 0);
	assert_int_equal(owfp_capture_pause(cap, 1, 0), -ENOENT);
	assert_int_equal(owfp_capture_ignore(cap, 1), -ENOENT);
	assert_int_equal(owfp_capture_run(cap, NULL, NULL, NULL), 0);
	assert_int_equal(owfp_capture_resume(cap, 1, 0), -ENOENT);
	assert_int_equal(owfp_capture_pause(cap, 1, 2), -EINVAL);
	owfp_capture_close(cap);
	cs_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order_segments_delivered_in_stream_order),
		cmocka_unit_test(test_retransmission_not_delivered_twice),
		cmocka_unit_test(test_overlap_with_different_data_first_copy_wins),
		cmocka_unit_test(test_overlap_with_different_data_last_copy_wins),
		cmocka_unit_test(test_overlap_never_changes_delivered_bytes_even_with_last_policy),
		cmocka_unit_test(test_hole_skipped_after_bytes_threshold_reports_missed),
		cmocka_unit_test(test_hole_skipped_after_capture_time),
		cmocka_unit_test(test_hole_acknowledged_by_the_peer_is_skipped_at_once),
		cmocka_unit_test(test_ack_rule_can_be_turned_off),
		cmocka_unit_test(test_syn_carrying_data_is_delivered),
		cmocka_unit_test(test_fin_carrying_data_delivers_data_then_fin),
		cmocka_unit_test(test_fin_before_missing_data_waits_for_it),
		cmocka_unit_test(test_rst_mid_stream_ends_both_directions),
		cmocka_unit_test(test_rst_far_outside_the_window_is_ignored),
		cmocka_unit_test(test_sequence_numbers_wrap_around_32_bits),
		cmocka_unit_test(test_urgent_byte_delivered_as_its_own_chunk),
		cmocka_unit_test(test_urgent_pointer_into_a_later_segment),
		cmocka_unit_test(test_midstream_pickup_lower_port_is_server),
		cmocka_unit_test(test_midstream_pickup_first_sender_is_client_when_asked),
		cmocka_unit_test(test_midstream_direction_starts_at_the_peer_ack),
		cmocka_unit_test(test_syn_ack_without_syn_still_names_the_client),
		cmocka_unit_test(test_connection_reuse_on_same_tuple_starts_new_flow),
		cmocka_unit_test(test_new_syn_on_open_flow_ends_it_as_reused),
		cmocka_unit_test(test_simultaneous_open_is_one_flow),
		cmocka_unit_test(test_idle_flow_times_out_on_capture_time),
		cmocka_unit_test(test_flow_table_full_evicts_the_idlest_flow),
		cmocka_unit_test(test_memory_bound_forces_hole_skip),
		cmocka_unit_test(test_tiny_segments_are_charged_per_segment),
		cmocka_unit_test(test_total_memory_bound_skips_holes_of_other_flows),
		cmocka_unit_test(test_open_flows_flush_buffered_data_at_end_of_capture),
		cmocka_unit_test(test_hole_right_before_fin_reported_as_empty_chunk),
		cmocka_unit_test(test_payload_cut_by_snaplen_is_reported_missed_at_once),
		cmocka_unit_test(test_checksums_verified_only_when_asked),
		cmocka_unit_test(test_paused_direction_is_buffered_until_resumed),
		cmocka_unit_test(test_paused_data_beyond_the_bound_is_dropped_and_reported_missed),
		cmocka_unit_test(test_ignored_flow_gets_no_more_events_but_still_ends),
		cmocka_unit_test(test_pause_of_unknown_flow_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
