/*
 * Allocation failure at every pool allocation of a scenario (the SQLite /
 * usersim way): each built-in either fails closed (the flow is dropped) or
 * delivers exactly the right bytes, and frees everything it allocated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "callout_harness.h"
#include "callouts/kit.h"
#include "wdm/pool.h"

typedef struct scenario {
	const char *type, *params;
	FWP_ACTION_TYPE action;
	const char *segs[4]; /* outbound segments */
	const char *want;    /* what must be delivered outbound, unless dropped */
	bool may_drop;
} scenario;

static void run(owfp_harness *h, const scenario *s)
{
	assert_int_equal(owfp_harness_flow(h), 0);
	owfp_harness_reset_output(h);
	for (int i = 0; i < 4 && s->segs[i] && !h->dropped; i++)
		owfp_harness_send(h, OWFP_DIR_OUTBOUND, s->segs[i], strlen(s->segs[i]));
	owfp_harness_send(h, OWFP_DIR_INBOUND, "reply", 5);
	owfp_harness_fin(h, OWFP_DIR_OUTBOUND);
	owfp_harness_fin(h, OWFP_DIR_INBOUND);
	owfp_harness_flow_close(h);
}

static void every_failure(const scenario *s)
{
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, s->type, s->params, s->action))
		fail_msg("%s", h.err);
	uint64_t before = owfp_pool_attempts();
	run(&h, s);
	uint64_t n = owfp_pool_attempts() - before;
	assert_false(h.dropped);
	assert_true(n > 0);
	for (uint64_t k = 1; k <= n + 2; k++) {
		owfp_pool_fail_nth(k);
		run(&h, s);
		owfp_pool_fail_nth(0);
		if (!h.dropped) {
			size_t wl = strlen(s->want);
			if (h.outlen[OWFP_DIR_OUTBOUND] != wl ||
			    memcmp(h.out[OWFP_DIR_OUTBOUND], s->want, wl) != 0)
				fail_msg("%s: allocation %llu failed and the output is '%.*s'",
					 s->type, (unsigned long long)k,
					 (int)h.outlen[OWFP_DIR_OUTBOUND],
					 (const char *)h.out[OWFP_DIR_OUTBOUND]);
		} else if (!s->may_drop) {
			fail_msg("%s: allocation %llu failed and the flow was dropped", s->type,
				 (unsigned long long)k);
		}
		if (owfp_pool_outstanding(OWFP_BI_TAG) != 0)
			fail_msg("%s: allocation %llu failed and %zu built-in allocations leaked",
				 s->type, (unsigned long long)k, owfp_pool_outstanding(OWFP_BI_TAG));
	}
	owfp_harness_close(&h);
}

static void test_stream_edit_inline_fails_closed(void **st)
{
	(void)st;
	const scenario s = {"stream_edit",
			    "{\"find\":\"rainy\",\"replace\":\"sunny!\"}",
			    FWP_ACTION_CALLOUT_TERMINATING,
			    {"it is rai", "ny and rainy", "!"},
			    "it is sunny! and sunny!!",
			    true};
	every_failure(&s);
}

static void test_stream_edit_oob_fails_closed(void **st)
{
	(void)st;
	const scenario s = {"stream_edit",
			    "{\"find\":\"rainy\",\"replace\":\"sun\",\"mode\":\"oob\"}",
			    FWP_ACTION_CALLOUT_TERMINATING,
			    {"it is rai", "ny and rainy", "!"},
			    "it is sun and sun!",
			    true};
	every_failure(&s);
}

static void test_http_filter_fails_closed(void **st)
{
	(void)st;
	const scenario s = {"http_filter",
			    "{\"deny\":[\".evil.example\"]}",
			    FWP_ACTION_CALLOUT_TERMINATING,
			    {"GET / HTTP/1.1\r\nHo", "st: ok\r\n\r\nPOST /x HTTP/1.1\r\nHost: ok\r\n",
			     "Content-Length: 2\r\n\r\nhi"},
			    "GET / HTTP/1.1\r\nHost: ok\r\n\r\nPOST /x HTTP/1.1\r\nHost: ok\r\n"
			    "Content-Length: 2\r\n\r\nhi",
			    true};
	every_failure(&s);
}

static void test_pattern_match_fails_closed(void **st)
{
	(void)st;
	const scenario s = {"pattern_match",
			    "{\"patterns\":[{\"pattern\":\"nomatch\",\"action\":\"drop\"}]}",
			    FWP_ACTION_CALLOUT_TERMINATING,
			    {"hello ", "world"},
			    "hello world",
			    true};
	every_failure(&s);
}

/* Logging is best effort: an allocation failure never harms the stream. */
static void test_flow_log_never_drops(void **st)
{
	(void)st;
	const scenario s = {"flow_log",
			    "{\"path\":\"/dev/null\"}",
			    FWP_ACTION_CALLOUT_INSPECTION,
			    {"hello ", "world"},
			    "hello world",
			    false};
	every_failure(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_edit_inline_fails_closed),
		cmocka_unit_test(test_stream_edit_oob_fails_closed),
		cmocka_unit_test(test_http_filter_fails_closed),
		cmocka_unit_test(test_pattern_match_fails_closed),
		cmocka_unit_test(test_flow_log_never_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
