/* http_filter through the real engine: allow/deny by host, method and path,
 * keep-alive requests each judged, body framing, caps, fail-closed cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "callout_harness.h"

static const char *rules =
	"{\"deny\":[\".evil.example\",{\"method\":\"DELETE\"},{\"path\":\"/admin/*\"}],"
	"\"max_head\":512}";

/* Sends `req` (outbound, from the client) cut every `seg` bytes, then a
 * response; returns whether the flow survived. */
static bool exchange(owfp_harness *h, const char *req, size_t seg)
{
	assert_int_equal(owfp_harness_flow(h), 0);
	owfp_harness_reset_output(h);
	size_t n = strlen(req);
	for (size_t o = 0; o < n && !h->dropped; o += seg)
		owfp_harness_send(h, OWFP_DIR_OUTBOUND, req + o, n - o < seg ? n - o : seg);
	if (!h->dropped)
		owfp_harness_send(h, OWFP_DIR_INBOUND, "HTTP/1.1 200 OK\r\n\r\n", 19);
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
	if (!owfp_harness_add(&h, "http_filter", params, FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	return &h;
}

static void test_allowed_request_passes_intact_at_every_segment_size(void **st)
{
	(void)st;
	owfp_harness *h = open_with(rules);
	const char *req = "GET /index.html HTTP/1.1\r\nHost: www.good.example\r\n\r\n";
	for (size_t seg = 1; seg <= strlen(req); seg++) {
		assert_true(exchange(h, req, seg));
		assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen(req));
		assert_memory_equal(h->out[OWFP_DIR_OUTBOUND], req, strlen(req));
	}
	owfp_harness_close(h);
}

static void test_denied_host_method_and_path_drop_the_connection(void **st)
{
	(void)st;
	owfp_harness *h = open_with(rules);
	assert_false(exchange(h, "GET / HTTP/1.1\r\nHost: a.evil.example\r\n\r\n", 7));
	assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], 0); /* nothing of it was delivered */
	assert_false(exchange(h, "GET / HTTP/1.1\r\nHost: EVIL.example.\r\n\r\n", 100));
	assert_false(exchange(h, "DELETE /x HTTP/1.1\r\nHost: ok\r\n\r\n", 3));
	assert_false(exchange(h, "GET /admin/users HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_false(exchange(h, "GET /public/../admin/users HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_false(exchange(h, "GET /%61dmin/users HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_false(exchange(h, "GET http://x.evil.example/ HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_true(exchange(h, "GET /administrator HTTP/1.1\r\nHost: notevil.example\r\n\r\n", 100));
	assert_true(h->events[OWFP_EV_DROP] == 0);
	owfp_harness_close(h);
}

static void test_allow_list_admits_only_matching_requests(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"allow\":[{\"host\":\"api.example\",\"method\":\"GET\","
				    "\"path\":\"/v1/*\"}]}");
	assert_true(exchange(h, "GET /v1/items?x=1 HTTP/1.1\r\nHost: api.example:8080\r\n\r\n", 5));
	assert_false(exchange(h, "POST /v1/items HTTP/1.1\r\nHost: api.example\r\nContent-Length: 0\r\n\r\n", 5));
	assert_false(exchange(h, "GET /v2/items HTTP/1.1\r\nHost: api.example\r\n\r\n", 5));
	assert_false(exchange(h, "GET /v1/items HTTP/1.1\r\nHost: other.example\r\n\r\n", 5));
	owfp_harness_close(h);
}

/* Keep-alive: each request on the connection is judged; bodies (with text
 * that looks like a request) are skipped by Content-Length and chunked framing. */
static void test_keep_alive_requests_are_each_checked(void **st)
{
	(void)st;
	owfp_harness *h = open_with(rules);
	const char *ok3 =
		"POST /a HTTP/1.1\r\nHost: ok\r\nContent-Length: 40\r\n\r\n"
		"GET /admin/ HTTP/1.1\r\nHost: evil.example"
		"POST /b HTTP/1.1\r\nHost: ok\r\nTransfer-Encoding: chunked\r\n\r\n"
		"1c\r\nDELETE / HTTP/1.1\r\nHost: x\r\n\r\n0\r\n\r\n"
		"GET /c HTTP/1.1\r\nHost: ok\r\n\r\n";
	for (size_t seg = 1; seg < 64; seg += 5) {
		assert_true(exchange(h, ok3, seg));
		assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen(ok3));
		assert_memory_equal(h->out[OWFP_DIR_OUTBOUND], ok3, strlen(ok3));
	}
	const char *bad_second = "GET /a HTTP/1.1\r\nHost: ok\r\n\r\n"
				 "GET /admin/x HTTP/1.1\r\nHost: ok\r\n\r\n";
	assert_false(exchange(h, bad_second, 9));
	/* the first request went through before the second was judged */
	assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen("GET /a HTTP/1.1\r\nHost: ok\r\n\r\n"));
	owfp_harness_close(h);
}

static void test_allow_after_first_stops_inspecting(void **st)
{
	(void)st;
	owfp_harness *h = open_with("{\"deny\":[{\"path\":\"/admin/*\"}],\"allow_after_first\":true}");
	const char *two = "GET /a HTTP/1.1\r\nHost: ok\r\n\r\nGET /admin/x HTTP/1.1\r\nHost: ok\r\n\r\n";
	assert_true(exchange(h, two, 11));
	assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen(two));
	assert_true(h->events[OWFP_EV_ALLOW] > 0);
	owfp_harness_close(h);
}

static void test_fail_closed_cases_drop(void **st)
{
	(void)st;
	owfp_harness *h = open_with(rules);
	char big[700];
	snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: ok\r\nX-Pad: %0600d\r\n\r\n", 0);
	assert_false(exchange(h, big, 50));                            /* head over max_head */
	assert_false(exchange(h, "GET / HTTP/1.1\r\nHost: ok\r\n", 4));  /* ends mid-head */
	assert_false(exchange(h, "\x16\x03\x01\x00\x05hello", 3));        /* not HTTP */
	assert_false(exchange(h, "POST / HTTP/1.1\r\nHost: ok\r\nContent-Length: 3\r\n"
				 "Transfer-Encoding: chunked\r\n\r\nabc", 100)); /* smuggling shape */
	assert_false(exchange(h, "POST / HTTP/1.1\r\nHost: ok\r\nTransfer-Encoding: chunked\r\n\r\n"
				 "zz\r\n", 100));                        /* bad chunk size */
	owfp_harness_close(h);
	h = open_with("{\"non_http\":\"allow\"}");
	assert_true(exchange(h, "\x16\x03\x01\x00\x05hello", 3));
	owfp_harness_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_request_passes_intact_at_every_segment_size),
		cmocka_unit_test(test_denied_host_method_and_path_drop_the_connection),
		cmocka_unit_test(test_allow_list_admits_only_matching_requests),
		cmocka_unit_test(test_keep_alive_requests_are_each_checked),
		cmocka_unit_test(test_allow_after_first_stops_inspecting),
		cmocka_unit_test(test_fail_closed_cases_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
