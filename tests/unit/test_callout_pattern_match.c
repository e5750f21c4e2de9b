/* pattern_match through the real engine: matches across every segment
 * boundary, drop vs log actions, many patterns, regexes, end anchors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "callout_harness.h"

static bool run(owfp_harness *h, const char *text, const size_t *cuts, size_t ncuts)
{
	assert_int_equal(owfp_harness_flow(h), 0);
	owfp_harness_reset_output(h);
	size_t n = strlen(text), prev = 0;
	for (size_t k = 0; k <= ncuts && !h->dropped; k++) {
		size_t end = k < ncuts ? cuts[k] : n;
		if (end > prev)
			owfp_harness_send(h, OWFP_DIR_OUTBOUND, text + prev, end - prev);
		prev = end;
	}
	owfp_harness_fin(h, OWFP_DIR_OUTBOUND);
	owfp_harness_fin(h, OWFP_DIR_INBOUND);
	bool ok = !h->dropped;
	owfp_harness_flow_close(h);
	return ok;
}

static void test_drop_pattern_found_across_every_boundary(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, "pattern_match",
			      "{\"patterns\":[{\"pattern\":\"SECRET-TOKEN\",\"action\":\"drop\"}]}",
			      FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	const char *text = "hello SECRET-TOKEN world";
	size_t n = strlen(text);
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b < n; b++) {
			size_t cuts[2] = {a, b};
			assert_false(run(&h, text, cuts, 2));
			/* the segment that completed the match was not delivered */
			assert_true(h.outlen[OWFP_DIR_OUTBOUND] < 6 + 12);
		}
	assert_true(run(&h, "hello SECRET-TOKE", NULL, 0));
	assert_true(run(&h, "SECRET TOKEN", NULL, 0));
	owfp_harness_close(&h);
}

/*
 * An indication made of several pieces (bytes an earlier sublayer held and
 * then passed on together with new ones): every piece is scanned.
 */
static void test_drop_pattern_found_in_an_indication_of_many_pieces(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	/* first sublayer: holds a possible "SECRET-TOKEN-X" until it is not one */
	if (!owfp_harness_add(&h, "stream_edit", "{\"find\":\"SECRET-TOKEN-X\",\"mode\":\"inline\"}",
			      FWP_ACTION_CALLOUT_TERMINATING) ||
	    !owfp_harness_add(&h, "pattern_match",
			      "{\"patterns\":[{\"pattern\":\"SECRET-TOKEN\",\"action\":\"drop\"}]}",
			      FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	const char *text = "hello SECRET-TOKEN world";
	size_t cuts[3] = {9, 13, 16}; /* "hello SEC" "RET-" "TOK" "EN world" */
	assert_false(run(&h, text, cuts, 3));
	assert_true(h.outlen[OWFP_DIR_OUTBOUND] <= 6);
	owfp_harness_close(&h);
}

static void test_log_action_writes_a_line_and_passes_everything(void **st)
{
	(void)st;
	char path[] = "/tmp/owfp-pm-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char params[512];
	snprintf(params, sizeof(params),
		 "{\"patterns\":[{\"pattern\":\"user=[a-z]+\",\"regex\":true,\"name\":\"user\"},"
		 "\"password\",{\"pattern\":\"END$\",\"regex\":true}],\"log_path\":\"%s\"}",
		 path);
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, "pattern_match", params, FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	const char *text = "login user=alice password=x END";
	size_t cuts[3] = {8, 20, 29};
	assert_true(run(&h, text, cuts, 3));
	assert_int_equal(h.outlen[OWFP_DIR_OUTBOUND], strlen(text));
	owfp_harness_close(&h);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[4096];
	size_t got = fread(buf, 1, sizeof(buf) - 1, f);
	buf[got] = '\0';
	fclose(f);
	unlink(path);
	assert_non_null(strstr(buf, "\"pattern\":\"user\""));
	assert_non_null(strstr(buf, "\"pattern\":\"password\""));
	assert_non_null(strstr(buf, "\"pattern\":\"END$\"")); /* only at the end of the stream */
	assert_non_null(strstr(buf, "\"action\":\"log\""));
}

/* Thousands of patterns: the one that matters is still found across segments. */
static void test_ten_thousand_patterns(void **st)
{
	(void)st;
	size_t cap = 10000 * 64 + 256, o = 0;
	char *params = malloc(cap);
	assert_non_null(params);
	o += (size_t)snprintf(params + o, cap - o, "{\"patterns\":[");
	for (int i = 0; i < 10000; i++)
		o += (size_t)snprintf(params + o, cap - o, "%s{\"pattern\":\"needle-%05d\"%s}",
				      i ? "," : "", i, i == 7777 ? ",\"action\":\"drop\"" : "");
	snprintf(params + o, cap - o, "]}");
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, "pattern_match", params, FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	free(params);
	size_t cuts[1] = {12};
	assert_true(run(&h, "xx needle-00001 needle-12345", cuts, 1));
	assert_false(run(&h, "xx needle-07777 yy", cuts, 1));
	owfp_harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_pattern_found_across_every_boundary),
		cmocka_unit_test(test_drop_pattern_found_in_an_indication_of_many_pieces),
		cmocka_unit_test(test_log_action_writes_a_line_and_passes_everything),
		cmocka_unit_test(test_ten_thousand_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
