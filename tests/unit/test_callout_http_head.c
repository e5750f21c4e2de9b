/* The HTTP/1.x request-head and chunked-body parsers used by http_filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callouts/http_head.h"
#include "callouts/http_path.h"

static long parse(const char *s, owfp_http_head *h)
{
	return owfp_http_head_parse((const uint8_t *)s, strlen(s), h);
}

static bool str_is(owfp_http_str s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* The contract a reader of picohttpparser expects: -1 error, -2 incomplete. */
static void test_return_values_are_picohttpparser_s(void **st)
{
	(void)st;
	owfp_http_head h;
	owfp_http_response r;
	owfp_http_chunked c;
	bool done = false;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n", &h), -2);
	assert_int_equal(parse("GET / HTTP/1.1\nHost: a\r\n\r\n", &h), -1);
	assert_int_equal(owfp_http_response_parse((const uint8_t *)"HTTP/1.1 200", 12, &r), -2);
	assert_int_equal(owfp_http_response_parse((const uint8_t *)"\x82", 1, &r), -1);
	owfp_http_chunked_init(&c);
	assert_int_equal(owfp_http_chunked_feed(&c, (const uint8_t *)"zz\r\n", 4, &done), -1);
}

static void test_complete_head_reports_fields_and_length(void **st)
{
	(void)st;
	const char *req = "GET /a/b?x=1 HTTP/1.1\r\nHost: Example.COM:8080\r\n"
			  "Content-Length: 5\r\nConnection: keep-alive, close\r\n\r\nhello";
	owfp_http_head h;
	long n = parse(req, &h);
	assert_int_equal(n, (long)(strlen(req) - 5));
	assert_true(str_is(h.method, "GET"));
	assert_true(str_is(h.path, "/a/b"));
	assert_true(str_is(h.target, "/a/b?x=1"));
	assert_true(str_is(h.host, "Example.COM"));
	assert_int_equal(h.minor_version, 1);
	assert_int_equal(h.content_length, 5);
	assert_false(h.chunked);
	assert_true(h.connection_close);
}

/* picohttpparser's shape: every prefix is INCOMPLETE, the whole is complete. */
static void test_every_prefix_is_incomplete(void **st)
{
	(void)st;
	const char *req = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
	owfp_http_head h;
	size_t len = strlen(req);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(owfp_http_head_parse((const uint8_t *)req, i, &h),
				 OWFP_HTTP_INCOMPLETE);
	assert_int_equal(owfp_http_head_parse((const uint8_t *)req, len, &h), (long)len);
	assert_true(h.chunked);
}

static void test_absolute_form_and_connect_give_the_host(void **st)
{
	(void)st;
	owfp_http_head h;
	assert_true(parse("GET http://u.example:81/p/q?z HTTP/1.1\r\nHost: other\r\n\r\n", &h) > 0);
	assert_true(str_is(h.host, "u.example"));
	assert_true(str_is(h.path, "/p/q"));
	assert_true(parse("CONNECT tunnel.example:443 HTTP/1.1\r\nHost: tunnel.example:443\r\n\r\n",
			  &h) > 0);
	assert_true(str_is(h.host, "tunnel.example"));
	assert_int_equal(h.path.len, 0);
	assert_true(parse("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", &h) > 0);
	assert_true(str_is(h.host, "::1"));
	assert_true(parse("GET / HTTP/1.0\r\n\r\n", &h) > 0);
	assert_int_equal(h.host.len, 0);
}

static void test_malformed_heads_are_errors(void **st)
{
	(void)st;
	static const char *const bad[] = {
		"\x16\x03\x01\x02\x00",                         /* TLS, not HTTP */
		"GET / HTTP/2.0\r\n",                           /* not 1.x */
		"GET  / HTTP/1.1\r\n",                          /* empty target */
		"GET / HTTP/1.1\nHost: a\r\n\r\n",              /* bare LF */
		"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", /* obs-fold */
		"GET / HTTP/1.1\r\nHost : a\r\n\r\n",           /* space before colon */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", /* two Host */
		"GET / HTTP/1.1\r\n\r\n",                       /* 1.1 without Host */
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",     /* control byte */
		"GET / HTTP/1.1\r\nHost: user@evil\r\n\r\n", /* userinfo */
		"GET http://user@evil/ HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET relative HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n",
		"GET / HTTP/1.1\r\r\n",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ / HTTP/1.1\r\n", /* method too long */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		owfp_http_head h;
		long r = parse(bad[i], &h);
		if (r != OWFP_HTTP_ERROR)
			fail_msg("case %zu (%s) gave %ld", i, bad[i], r);
		assert_non_null(h.error);
	}
}

/* Non-HTTP bytes are rejected at once, not held until a size cap. */
static void test_binary_prefix_is_an_error_before_the_head_ends(void **st)
{
	(void)st;
	owfp_http_head h;
	const uint8_t bin[] = {0x16, 0x03};
	assert_int_equal(owfp_http_head_parse(bin, 1, &h), OWFP_HTTP_ERROR);
	assert_int_equal(owfp_http_head_parse(bin, 2, &h), OWFP_HTTP_ERROR);
	assert_int_equal(parse("SSH-2.0-OpenSSH_9.2\r\n", &h), OWFP_HTTP_ERROR);
}

static void check_norm_flags(const char *in, unsigned flags, const char *want, const char *rule)
{
	char out[256];
	const char *why = NULL;
	long n = owfp_http_path_normalize(in, strlen(in), flags, out, sizeof(out), &why);
	if (!want) {
		if (n != -1 || !why || strcmp(why, rule) != 0)
			fail_msg("normalize(%s): want refusal '%s', got %ld (%s)", in, rule, n,
				 why ? why : "no reason");
		return;
	}
	if (n < 0 || strcmp(out, want) != 0)
		fail_msg("normalize(%s) = %s, want %s", in, n < 0 ? why : out, want);
}

static void check_norm(const char *in, const char *want)
{
	check_norm_flags(in, 0, want, NULL);
}

static void test_path_normalization_decodes_and_removes_dot_segments(void **st)
{
	(void)st;
	check_norm("/", "/");
	check_norm("/a/b", "/a/b");
	check_norm("/a/b/", "/a/b/");
	check_norm("/a/./b/../c", "/a/c");
	check_norm("/a/b/..", "/a/");
	check_norm("/../../etc", "/etc");
	check_norm("//admin///x", "/admin/x");
	check_norm("/%61dmin", "/admin");
	check_norm("/a%2e%2e/x", "/a../x");
	check_norm("/a/%2e%2e/x", "/x");
	check_norm("/caf%C3%A9", "/caf\xc3\xa9");
	check_norm("/100%25", "/100%");
	check_norm("/x/..;/admin", "/x/..;/admin");
	check_norm("*", "*");
}

/* The spellings servers read differently are refused, each naming its rule. */
static void test_path_normalization_refuses_ambiguous_paths(void **st)
{
	(void)st;
	check_norm_flags("/a%2fb", 0, NULL, "encoded '/'");
	check_norm_flags("/a%00", 0, NULL, "NUL byte");
	check_norm_flags("/a%0a", 0, NULL, "control byte");
	check_norm_flags("/a%zz", 0, NULL, "bad percent-escape");
	check_norm_flags("/a%4", 0, NULL, "bad percent-escape");
	check_norm_flags("/a\\b", 0, NULL, "backslash");
	check_norm_flags("/a%5cb", 0, NULL, "backslash");
	check_norm_flags("/a%3bb", 0, NULL, "encoded ';'");
	check_norm_flags("/%2561dmin", 0, NULL, "double percent-encoding");
	check_norm_flags("/%25%34%31", 0, NULL, "double percent-encoding");
	check_norm_flags("/%c0%af", 0, NULL, "invalid UTF-8");
	check_norm_flags("/%e0%80%af", 0, NULL, "invalid UTF-8");
	check_norm_flags("/%ed%a0%80", 0, NULL, "invalid UTF-8");
	check_norm_flags("/%ff", 0, NULL, "invalid UTF-8");
	check_norm_flags("/%c3", 0, NULL, "invalid UTF-8");
}

/* The Tomcat/Spring reading: ";params" cut from each segment before decoding. */
static void test_path_normalization_without_path_parameters(void **st)
{
	(void)st;
	unsigned f = OWFP_HTTP_PATH_STRIP_PARAMS;
	check_norm_flags("/x/..;/admin", f, "/admin", NULL);
	check_norm_flags("/admin;a=1/x;b", f, "/admin/x", NULL);
	check_norm_flags("/page;jsessionid=1", f, "/page", NULL);
	check_norm_flags("/;x/%2e%2e;y/a", f, "/a", NULL);
	check_norm_flags("/a;%2f", f, "/a", NULL);
}

static long resp(const char *s, owfp_http_response *r)
{
	return owfp_http_response_parse((const uint8_t *)s, strlen(s), r);
}

static void test_response_heads_give_status_and_framing(void **st)
{
	(void)st;
	owfp_http_response r;
	const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbody";
	assert_int_equal(resp(ok, &r), (long)strlen(ok) - 4);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.content_length, 12);
	assert_true(r.connection_close);
	for (size_t i = 0; i < strlen(ok) - 4; i++)
		assert_int_equal(owfp_http_response_parse((const uint8_t *)ok, i, &r),
				 OWFP_HTTP_INCOMPLETE);
	assert_true(resp("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", &r) > 0);
	assert_int_equal(r.status, 101);
	assert_true(resp("HTTP/1.1 204\r\n\r\n", &r) > 0); /* no reason phrase */
	assert_true(resp("HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &r) > 0);
	assert_true(r.chunked && r.transfer_encoding);
	assert_true(resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", &r) > 0);
	assert_true(!r.chunked && r.transfer_encoding);
	static const char *const bad[] = {
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 200 OK\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\nb\r\n\r\n",
		"HTTP/2 200\r\n\r\n",
		"SSH-2.0-x\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (resp(bad[i], &r) != OWFP_HTTP_ERROR)
			fail_msg("response %zu accepted", i);
	/* not HTTP: said at the first byte that cannot be */
	assert_int_equal(owfp_http_response_parse((const uint8_t *)"\x82", 1, &r), OWFP_HTTP_ERROR);
}

static long feed_all(owfp_http_chunked *c, const char *s, size_t len, bool *done)
{
	return owfp_http_chunked_feed(c, (const uint8_t *)s, len, done);
}

static void test_chunked_body_ends_exactly_after_trailers(void **st)
{
	(void)st;
	const char *body = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\nNEXT";
	size_t blen = strlen(body) - 4;
	/* whole, and one byte at a time: the same end */
	owfp_http_chunked c;
	bool done;
	owfp_http_chunked_init(&c);
	assert_int_equal(feed_all(&c, body, strlen(body), &done), (long)blen);
	assert_true(done);
	owfp_http_chunked_init(&c);
	size_t total = 0;
	done = false;
	for (size_t i = 0; i < strlen(body) && !done; i++) {
		long r = feed_all(&c, body + i, 1, &done);
		assert_true(r >= 0);
		total += (size_t)r;
	}
	assert_true(done);
	assert_int_equal(total, blen);
}

static void test_malformed_chunked_bodies_are_errors(void **st)
{
	(void)st;
	static const char *const bad[] = {
		"x\r\n", "5\r\nhelloX", "5\nhello", "1234567890123456\r\n", "0\r\n\x01", "-1\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		owfp_http_chunked c;
		bool done;
		owfp_http_chunked_init(&c);
		assert_int_equal(feed_all(&c, bad[i], strlen(bad[i]), &done), OWFP_HTTP_ERROR);
	}
}

/* Random mixtures of HTTP-ish pieces: never a crash (ASan watches), and a
 * complete head always reports a length within the input and a method. */
static void test_random_input_is_handled(void **st)
{
	(void)st;
	static const char *const pieces[] = {
		"GET ",
		"POST ",
		"/",
		"a",
		"%",
		"%2",
		"%41",
		"..",
		"?",
		" ",
		"HTTP/1.1",
		"HTTP/1.0",
		"\r\n",
		"\n",
		"\r",
		"Host: ",
		"h.example",
		":80",
		"[",
		"]",
		"Content-Length: ",
		"12",
		"-",
		"Transfer-Encoding: ",
		"chunked",
		", ",
		"\t",
		"\x00",
		"\xff",
		":",
		"Upgrade: x",
		"Connection: close",
		"@",
		"http://",
	};
	char buf[512], norm[256];
	srand(99);
	for (int t = 0; t < 20000; t++) {
		size_t n = 0;
		int k = rand() % 24;
		for (int i = 0; i < k; i++) {
			const char *p = pieces[rand() % (int)(sizeof(pieces) / sizeof(pieces[0]))];
			size_t l = strlen(p) ? strlen(p) : 1; /* "\x00" is one NUL byte */
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		owfp_http_head h;
		long r = owfp_http_head_parse((const uint8_t *)buf, n, &h);
		if (r > 0) {
			assert_true((size_t)r <= n);
			assert_true(h.method.len > 0);
			(void)owfp_http_path_normalize(h.path.p, h.path.len, 0, norm, sizeof(norm),
						       NULL);
		}
		owfp_http_chunked c;
		bool done;
		owfp_http_chunked_init(&c);
		long used = owfp_http_chunked_feed(&c, (const uint8_t *)buf, n, &done);
		assert_true(used == OWFP_HTTP_ERROR || (used >= 0 && (size_t)used <= n));
		(void)owfp_http_path_normalize(buf, n, OWFP_HTTP_PATH_STRIP_PARAMS, norm,
					       sizeof(norm), NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_return_values_are_picohttpparser_s),
		cmocka_unit_test(test_complete_head_reports_fields_and_length),
		cmocka_unit_test(test_every_prefix_is_incomplete),
		cmocka_unit_test(test_absolute_form_and_connect_give_the_host),
		cmocka_unit_test(test_malformed_heads_are_errors),
		cmocka_unit_test(test_binary_prefix_is_an_error_before_the_head_ends),
		cmocka_unit_test(test_path_normalization_decodes_and_removes_dot_segments),
		cmocka_unit_test(test_path_normalization_refuses_ambiguous_paths),
		cmocka_unit_test(test_path_normalization_without_path_parameters),
		cmocka_unit_test(test_response_heads_give_status_and_framing),
		cmocka_unit_test(test_chunked_body_ends_exactly_after_trailers),
		cmocka_unit_test(test_malformed_chunked_bodies_are_errors),
		cmocka_unit_test(test_random_input_is_handled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
