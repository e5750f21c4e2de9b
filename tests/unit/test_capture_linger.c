/* Closed and reset flows: their record is freed at once, a compact
 * tombstone absorbs late segments for opts.closed_linger_ns of capture
 * time, and no longer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "capture_script.h"

#define SEC 1000000000ull
#define START "start 1 10.0.0.1:40000 > 10.0.0.2:80\n"
#define ONE_CLOSED START "data 1 0 off=0 len=3 missed=0 'one'\nfin 1 0\nfin 1 1\nend 1 closed\n"

static owfp_capture_opts linger(uint64_t ns)
{
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.closed_linger_ns = ns;
	return o;
}

static void one_closed_flow(struct cscript *s)
{
	cs_open(s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(s);
	cs_send(s, 0, 0, 0, "one");
	cs_send(s, 0, 3, TW_FIN, NULL);
	cs_send(s, 1, 0, TW_FIN, NULL);
}

static void test_retransmission_after_fin_within_linger_is_not_a_new_flow(void **state)
{
	(void)state;
	struct cscript s;
	one_closed_flow(&s);
	s.ts += 2 * SEC;
	cs_send(&s, 0, 0, 0, "one");     /* data retransmitted after both FINs */
	cs_send(&s, 1, 0, TW_FIN, NULL); /* the server's FIN again */
	cs_send(&s, 0, 4, 0, NULL);      /* the last ACK */
	owfp_capture_opts o = linger(5 * SEC);
	assert_string_equal(cs_run(&s, &o), ONE_CLOSED);
	assert_int_equal(s.stats.flows, 1);
	assert_int_equal(s.stats.ignored_segments, 3);
	assert_int_equal(s.stats.closed_lingering_peak, 1);
	cs_free(&s);
}

static void test_retransmission_after_the_linger_opens_a_midstream_flow(void **state)
{
	(void)state;
	struct cscript s;
	one_closed_flow(&s);
	s.ts += 6 * SEC;
	cs_send(&s, 0, 0, 0, "one");
	owfp_capture_opts o = linger(5 * SEC);
	assert_string_equal(cs_run(&s, &o),
			    ONE_CLOSED "start 2 10.0.0.1:40000 > 10.0.0.2:80 midstream\n"
				       "data 2 0 off=0 len=3 missed=0 'one'\n"
				       "end 2 open\n");
	cs_free(&s);
}

static void test_no_linger_when_turned_off(void **state)
{
	(void)state;
	struct cscript s;
	one_closed_flow(&s);
	cs_send(&s, 0, 0, 0, "one");
	owfp_capture_opts o = linger(0);
	assert_string_equal(cs_run(&s, &o),
			    ONE_CLOSED "start 2 10.0.0.1:40000 > 10.0.0.2:80 midstream\n"
				       "data 2 0 off=0 len=3 missed=0 'one'\n"
				       "end 2 open\n");
	assert_int_equal(s.stats.closed_lingering_peak, 0);
	cs_free(&s);
}

static void test_reset_flow_lingers_too(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "GET");
	cs_send(&s, 1, 0, TW_RST, NULL);
	s.ts += SEC;
	cs_send(&s, 0, 3, 0, "more"); /* the client had not seen the reset yet */
	owfp_capture_opts o = linger(5 * SEC);
	assert_string_equal(cs_run(&s, &o),
			    START "data 1 0 off=0 len=3 missed=0 'GET'\nrst 1 1\nend 1 reset\n");
	cs_free(&s);
}

static void test_new_syn_within_linger_reopens_the_tuple(void **state)
{
	(void)state;
	struct cscript s;
	one_closed_flow(&s);
	struct tw_seg t = cs_seg(&s, 0, 0, TW_SYN, NULL, 0);
	t.seq = s.isn[0]; /* the old SYN again: still the old flow */
	t.ack = 0;
	tw_seg(s.w, s.ts++, &t);
	s.isn[0] = 90000;
	s.isn[1] = 70000;
	cs_handshake(&s);
	cs_send(&s, 0, 0, 0, "two");
	owfp_capture_opts o = linger(5 * SEC);
	assert_string_equal(cs_run(&s, &o), ONE_CLOSED "start 2 10.0.0.1:40000 > 10.0.0.2:80\n"
						       "data 2 0 off=0 len=3 missed=0 'two'\n"
						       "end 2 open\n");
	cs_free(&s);
}

/* Many short connections one after the other: one full record at a time,
 * however many closed flows linger. */
static void test_closed_flows_release_their_record_at_once(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	for (int i = 0; i < 200; i++) {
		s.port[0] = (uint16_t)(40000 + i);
		cs_handshake(&s);
		cs_send(&s, 0, 0, 0, "one");
		cs_send(&s, 0, 3, TW_FIN, NULL);
		cs_send(&s, 1, 0, TW_FIN, NULL);
		cs_send(&s, 0, 4, 0, NULL);
	}
	owfp_capture_opts o = linger(5 * SEC);
	cs_run(&s, &o);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.stats.flows, 200);
	assert_int_equal(s.stats.flow_records_peak, 1);
	assert_int_equal(s.stats.closed_lingering_peak, 200);
	assert_int_equal(s.stats.ignored_segments, 200);
	cs_free(&s);
}

/* More closed flows than the first, small slab holds (tomb.c): the rest
 * live in a 2 MiB slab, and every tombstone still absorbs its flow's late
 * segments. */
static void test_thousands_of_lingering_flows_all_absorb_late_segments(void **state)
{
	(void)state;
	enum { N = 3000 };
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	s.step = 1000; /* 1 us: all N closes fall within one linger */
	for (int i = 0; i < N; i++) {
		s.port[0] = (uint16_t)(10000 + i);
		cs_handshake(&s);
		cs_send(&s, 0, 0, 0, "one");
		cs_send(&s, 0, 3, TW_FIN, NULL);
		cs_send(&s, 1, 0, TW_FIN, NULL);
	}
	for (int i = 0; i < N; i += 97) { /* late ACKs, oldest flows first */
		s.port[0] = (uint16_t)(10000 + i);
		cs_send(&s, 0, 4, 0, NULL);
	}
	s.port[0] = (uint16_t)(10000 + N - 1);
	cs_send(&s, 0, 4, 0, NULL);
	owfp_capture_opts o = linger(5 * SEC);
	cs_run(&s, &o);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.stats.flows, N);
	assert_int_equal(s.stats.flows_midstream, 0);
	assert_int_equal(s.stats.closed_lingering_peak, N);
	assert_int_equal(s.stats.ignored_segments, (N + 96) / 97 + 1);
	cs_free(&s);
}

/* Lingering flows are bounded by max_flows: the oldest goes first. */
static void test_lingering_flows_are_bounded_oldest_first(void **state)
{
	(void)state;
	struct cscript s;
	cs_open(&s, TW_PCAP_US, TW_ETH, AF_INET);
	for (int i = 0; i < 3; i++) {
		s.port[0] = (uint16_t)(40000 + i);
		cs_handshake(&s);
		cs_send(&s, 0, 0, 0, "one");
		cs_send(&s, 0, 3, TW_FIN, NULL);
		cs_send(&s, 1, 0, TW_FIN, NULL);
	}
	cs_send(&s, 0, 0, 0, "one"); /* late data of the third: absorbed */
	s.port[0] = 40000;
	cs_send(&s, 0, 0, 0, "one"); /* of the first: forgotten, a new flow */
	owfp_capture_opts o = linger(5 * SEC);
	o.max_flows = 2;
	cs_run(&s, &o);
	assert_int_equal(s.rc, 0);
	assert_int_equal(s.stats.flows, 4);
	assert_int_equal(s.stats.flows_midstream, 1);
	assert_int_equal(s.stats.closed_lingering_peak, 2);
	cs_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retransmission_after_fin_within_linger_is_not_a_new_flow),
		cmocka_unit_test(test_retransmission_after_the_linger_opens_a_midstream_flow),
		cmocka_unit_test(test_no_linger_when_turned_off),
		cmocka_unit_test(test_reset_flow_lingers_too),
		cmocka_unit_test(test_new_syn_within_linger_reopens_the_tuple),
		cmocka_unit_test(test_closed_flows_release_their_record_at_once),
		cmocka_unit_test(test_thousands_of_lingering_flows_all_absorb_late_segments),
		cmocka_unit_test(test_lingering_flows_are_bounded_oldest_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
