/* tls_sni_filter through the real engine, on ClientHellos recorded at test
 * time from `openssl s_client`, split over segments and over records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "callout_harness.h"
#include "clienthello_capture.h"

static uint8_t hello[8192], hello_nosni[8192];
static long hlen, hlen_nosni;

static int record(void **st)
{
	(void)st;
	hlen = owfp_test_record_clienthello("shop.allowed.example", "h2,http/1.1", NULL, hello,
					    sizeof(hello));
	hlen_nosni = owfp_test_record_clienthello(NULL, NULL, NULL, hello_nosni, sizeof(hello_nosni));
	return hlen > 0 && hlen_nosni > 0 ? 0 : -1;
}

/* Client sends `b` cut every `seg` bytes, then application data both ways. */
static bool connect_with(owfp_harness *h, const uint8_t *b, size_t n, size_t seg)
{
	assert_int_equal(owfp_harness_flow(h), 0);
	owfp_harness_reset_output(h);
	for (size_t o = 0; o < n && !h->dropped; o += seg)
		owfp_harness_send(h, OWFP_DIR_OUTBOUND, b + o, n - o < seg ? n - o : seg);
	if (!h->dropped) {
		owfp_harness_send(h, OWFP_DIR_INBOUND, "\x16\x03\x03server", 9);
		owfp_harness_send(h, OWFP_DIR_OUTBOUND, "\x17\x03\x03more", 7);
	}
	owfp_harness_fin(h, OWFP_DIR_OUTBOUND);
	owfp_harness_fin(h, OWFP_DIR_INBOUND);
	bool ok = !h->dropped;
	owfp_harness_flow_close(h);
	return ok;
}

static owfp_harness *open_with(const char *params)
{
	static owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, "tls_sni_filter", params, FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	return &h;
}

static void test_allowed_sni_passes_intact_split_over_segments(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"allow\":[\".allowed.example\"]}");
	for (size_t seg = 1; seg <= (size_t)hlen; seg += (seg < 16 ? 1 : 97)) {
		assert_true(connect_with(h, hello, (size_t)hlen, seg));
		assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], (size_t)hlen + 7);
		assert_memory_equal(h->out[OWFP_DIR_OUTBOUND], hello, (size_t)hlen);
		assert_true(h->events[OWFP_EV_ALLOW] > 0);
	}
	owfp_harness_close(h);
}

static void test_hello_split_over_records_and_segments(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"deny\":[\"*.allowed.*\"]}");
	static uint8_t re[65536];
	for (size_t rec = 1; rec < 400; rec += 41) {
		long n = owfp_test_reframe_records(hello, (size_t)hlen, rec, re, sizeof(re));
		assert_true(n > 0);
		assert_false(connect_with(h, re, (size_t)n, 13));
		assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], 0);
	}
	owfp_harness_close(h);
}

static void test_deny_alpn_and_allow_lists(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"allow\":[\"other.example\"]}");
	assert_false(connect_with(h, hello, (size_t)hlen, 100));
	owfp_harness_close(h);
	h = open_with("{\"alpn_deny\":[\"h2\"]}");
	assert_false(connect_with(h, hello, (size_t)hlen, 100));
	owfp_harness_close(h);
	h = open_with("{\"alpn_allow\":[\"http/1.1\"]}");
	assert_true(connect_with(h, hello, (size_t)hlen, 100));
	owfp_harness_close(h);
}

static void test_no_sni_policy(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"allow\":[\".allowed.example\"]}");
	assert_false(connect_with(h, hello_nosni, (size_t)hlen_nosni, 50));
	owfp_harness_close(h);
	h = open_with("{\"deny\":[\"x.example\"]}");
	assert_true(connect_with(h, hello_nosni, (size_t)hlen_nosni, 50));
	owfp_harness_close(h);
}

static void test_non_tls_policy_and_truncated_hello(void **st)
{
	(void)st;
	const char *http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	owfp_harness *h = open_with(NULL);
	assert_false(connect_with(h, (const uint8_t *)http, strlen(http), 3));
	/* a hello cut short by the end of the stream fails closed */
	assert_false(connect_with(h, hello, (size_t)hlen / 2, 64));
	owfp_harness_close(h);
	h = open_with("{\"non_tls\":\"allow\"}");
	assert_true(connect_with(h, (const uint8_t *)http, strlen(http), 3));
	assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen(http) + 7);
	owfp_harness_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_sni_passes_intact_split_over_segments),
		cmocka_unit_test(test_hello_split_over_records_and_segments),
		cmocka_unit_test(test_deny_alpn_and_allow_lists),
		cmocka_unit_test(test_no_sni_policy),
		cmocka_unit_test(test_non_tls_policy_and_truncated_hello),
	};
	return cmocka_run_group_tests(tests, record, NULL);
}
