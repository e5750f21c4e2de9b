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

static const char *rules = "{\"deny\":[\".evil.example\",{\"method\":\"DELETE\"},{\"path\":\"/admin/*\"}],"
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
	assert_false(exchange(
		h, "POST /v1/items HTTP/1.1\r\nHost: api.example\r\nContent-Length: 0\r\n\r\n", 5));
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
	const char *ok3 = "POST /a HTTP/1.1\r\nHost: ok\r\nContent-Length: 40\r\n\r\n"
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
	assert_false(exchange(h, big, 50));                             /* head over max_head */
	assert_false(exchange(h, "GET / HTTP/1.1\r\nHost: ok\r\n", 4)); /* ends mid-head */
	assert_false(exchange(h, "\x16\x03\x01\x00\x05hello", 3));      /* not HTTP */
	assert_false(exchange(h,
			      "POST / HTTP/1.1\r\nHost: ok\r\nContent-Length: 3\r\n"
			      "Transfer-Encoding: chunked\r\n\r\nabc",
			      100)); /* smuggling shape */
	assert_false(exchange(h,
			      "POST / HTTP/1.1\r\nHost: ok\r\nTransfer-Encoding: chunked\r\n\r\n"
			      "zz\r\n",
			      100)); /* bad chunk size */
	owfp_harness_close(h);
	h = open_with("{\"non_http\":\"allow\"}");
	assert_true(exchange(h, "\x16\x03\x01\x00\x05hello", 3));
	owfp_harness_close(h);
}

/* ------------------------------------------------ leaving HTTP (Upgrade, CONNECT) */

#define WS "Upgrade: websocket\r\nConnection: Upgrade\r\n"

static void say(owfp_harness *h, int dir, const char *s)
{
	if (!h->dropped)
		owfp_harness_send(h, dir, s, strlen(s));
}

static bool delivered_has(owfp_harness *h, int dir, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= h->outlen[dir]; i++)
		if (memcmp(h->out[dir] + i, needle, n) == 0)
			return true;
	return false;
}

static owfp_harness *flow_with(const char *params)
{
	owfp_harness *h = open_with(params);
	assert_int_equal(owfp_harness_flow(h), 0);
	return h;
}

static void end_flow(owfp_harness *h)
{
	if (!h->dropped) {
		owfp_harness_fin(h, OWFP_DIR_OUTBOUND);
		owfp_harness_fin(h, OWFP_DIR_INBOUND);
	}
	owfp_harness_flow_close(h);
	owfp_harness_close(h);
}

/* The review's bypass: the server ignores Upgrade (200), so the pipelined
 * request is HTTP and must be judged. */
static void test_upgrade_answered_200_keeps_judging_pipelined_requests(void **st)
{
	(void)st;
	owfp_harness *h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "GET / HTTP/1.1\r\nHost: ok\r\n" WS "\r\nGET /admin/x HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	assert_false(delivered_has(h, OWFP_DIR_OUTBOUND, "/admin/"));
	end_flow(h);

	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, "GET / HTTP/1.1\r\nHost: ok\r\n" WS "\r\n");
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	say(h, OWFP_DIR_OUTBOUND, "GET /admin/x HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	assert_false(delivered_has(h, OWFP_DIR_OUTBOUND, "/admin/"));
	end_flow(h);
}

static void test_101_to_the_upgrade_request_ends_inspection(void **st)
{
	(void)st;
	owfp_harness *h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, "GET /chat HTTP/1.1\r\nHost: ok\r\n" WS "\r\n");
	/* an interim 100 first, cut in pieces: still waiting */
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 100 Cont");
	say(h, OWFP_DIR_INBOUND,
	    "inue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n" WS "\r\n\x81\x02hi");
	assert_false(h->dropped);
	assert_true(h->events[OWFP_EV_ALLOW] > 0);
	say(h, OWFP_DIR_OUTBOUND, "\x82\x05hello GET /admin/ HTTP/1.1\r\n");
	assert_false(h->dropped);
	assert_true(delivered_has(h, OWFP_DIR_OUTBOUND, "\x82\x05hello"));
	assert_true(delivered_has(h, OWFP_DIR_INBOUND, "\x81\x02hi"));
	end_flow(h);
}

static void test_connect_switches_only_on_2xx(void **st)
{
	(void)st;
	const char *connect = "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n";
	owfp_harness *h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, connect);
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno");
	say(h, OWFP_DIR_OUTBOUND, "GET /admin/ HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	end_flow(h);

	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, connect);
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 200 Connection Established\r\n\r\n");
	say(h, OWFP_DIR_OUTBOUND, "\x16\x03\x01\x00\x01x");
	assert_false(h->dropped);
	assert_true(delivered_has(h, OWFP_DIR_OUTBOUND, "\x16\x03\x01\x00\x01x"));
	end_flow(h);

	/* A CONNECT "body" would be read by the server as the next request. */
	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\nContent-Length: 36\r\n\r\n"
	    "GET /admin/ HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	end_flow(h);
}

/* Tunnel bytes sent before the answer are held, not judged as HTTP and not
 * passed: a 2xx releases them, a refusal lets them be dropped as not HTTP. */
static void test_optimistic_tunnel_bytes_wait_for_the_answer(void **st)
{
	(void)st;
	const char *connect = "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n";
	owfp_harness *h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, connect);
	say(h, OWFP_DIR_OUTBOUND, "\x16\x03\x01 hello");
	assert_false(h->dropped);
	assert_int_equal(h->outlen[OWFP_DIR_OUTBOUND], strlen(connect));
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 200 OK\r\n\r\n");
	assert_true(owfp_harness_wait_delivered(h, OWFP_DIR_OUTBOUND, strlen(connect) + 9));
	assert_true(delivered_has(h, OWFP_DIR_OUTBOUND, "\x16\x03\x01 hello"));
	end_flow(h);

	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, connect);
	say(h, OWFP_DIR_OUTBOUND, "\x16\x03\x01 hello");
	say(h, OWFP_DIR_INBOUND,
	    "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
	say(h, OWFP_DIR_OUTBOUND, "more");
	assert_true(h->dropped);
	assert_false(delivered_has(h, OWFP_DIR_OUTBOUND, "hello"));
	end_flow(h);
}

/* Responses are followed by their framing: a body that looks like a 101,
 * a HEAD response's Content-Length, a 204, a chunked body. */
static void test_response_framing_is_followed_exactly(void **st)
{
	(void)st;
	owfp_harness *h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "POST /echo HTTP/1.1\r\nHost: ok\r\n" WS "Content-Length: 2\r\n\r\nhi");
	say(h, OWFP_DIR_INBOUND,
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "26\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n\r\n\r\n0\r\n\r\n");
	say(h, OWFP_DIR_OUTBOUND, "GET /admin/ HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	end_flow(h);

	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "HEAD / HTTP/1.1\r\nHost: ok\r\n\r\nGET /ws HTTP/1.1\r\nHost: ok\r\n" WS "\r\n");
	say(h, OWFP_DIR_INBOUND,
	    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
	    "HTTP/1.1 101 Switching Protocols\r\n\r\n");
	assert_true(h->events[OWFP_EV_ALLOW] > 0); /* the 101 answers the second request */
	end_flow(h);

	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "GET /a HTTP/1.1\r\nHost: ok\r\n\r\nGET /ws HTTP/1.1\r\nHost: ok\r\n" WS "\r\n");
	say(h, OWFP_DIR_INBOUND,
	    "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n");
	assert_true(h->events[OWFP_EV_ALLOW] > 0);
	end_flow(h);

	/* a 101 to a request that did not ask for it: not a switch */
	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND, "GET /a HTTP/1.1\r\nHost: ok\r\n\r\n");
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 101 Switching Protocols\r\n\r\n");
	say(h, OWFP_DIR_OUTBOUND, "GET /admin/ HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	end_flow(h);

	/* a body delimited by the close: never followed again, never a switch */
	h = flow_with(rules);
	say(h, OWFP_DIR_OUTBOUND,
	    "GET /a HTTP/1.1\r\nHost: ok\r\n\r\nGET /ws HTTP/1.1\r\nHost: ok\r\n" WS "\r\n");
	say(h, OWFP_DIR_INBOUND, "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n");
	assert_int_equal(h->events[OWFP_EV_ALLOW], 0);
	say(h, OWFP_DIR_OUTBOUND, "GET /admin/ HTTP/1.1\r\nHost: ok\r\n\r\n");
	assert_true(h->dropped);
	end_flow(h);
}

/* docs/callouts.md, "Paths": every reading a server may make is judged,
 * ambiguous spellings are refused; deny ignores case, allow does not. */
static void test_paths_are_judged_in_every_reading(void **st)
{
	(void)st;
	owfp_harness *h = open_with(rules);
	static const char *const refused[] = {
		"/ADMIN/x",       "/Admin/x",    "/x/..;/admin/x", "/admin;p=1/x",
		"/\\admin/x",     "/%5Cadmin/x", "/%2561dmin/x",   "/admin%3bx/y",
		"/%c0%afadmin/x", "/a%01",       "/%ff",
	};
	char req[256];
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: ok\r\n\r\n", refused[i]);
		if (exchange(h, req, 100))
			fail_msg("%s was passed", refused[i]);
	}
	static const char *const passed[] = {"/page;jsessionid=1", "/100%25", "/caf%C3%A9", "/x;/y"};
	for (size_t i = 0; i < sizeof(passed) / sizeof(passed[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: ok\r\n\r\n", passed[i]);
		if (!exchange(h, req, 100))
			fail_msg("%s was dropped", passed[i]);
	}
	owfp_harness_close(h);
	h = open_with("{\"allow\":[{\"path\":\"/v1/*\",\"method\":\"GET\"}]}");
	assert_true(exchange(h, "GET /v1/a;x=1 HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_false(exchange(h, "GET /V1/a HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	assert_false(exchange(h, "get /v1/a HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
	/* allowed literally, but "/v1/..;/admin" is "/admin" to Tomcat */
	assert_false(exchange(h, "GET /v1/..;/admin HTTP/1.1\r\nHost: ok\r\n\r\n", 100));
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
		cmocka_unit_test(test_upgrade_answered_200_keeps_judging_pipelined_requests),
		cmocka_unit_test(test_101_to_the_upgrade_request_ends_inspection),
		cmocka_unit_test(test_connect_switches_only_on_2xx),
		cmocka_unit_test(test_optimistic_tunnel_bytes_wait_for_the_answer),
		cmocka_unit_test(test_response_framing_is_followed_exactly),
		cmocka_unit_test(test_paths_are_judged_in_every_reading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
