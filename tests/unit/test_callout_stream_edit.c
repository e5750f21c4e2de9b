/*
 * stream_edit through the real engine: output equals a plain replace-all of
 * the whole stream, however the stream is cut into segments (S100 inline,
 * S101 out of band), and out-of-band back-pressure (DEFER/continue).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callout_harness.h"
#include "callouts/stream_edit.h"

/* The naive twin: replace every non-overlapping occurrence, leftmost first. */
static size_t replace_all(const uint8_t *in, size_t n, const char *find, const char *repl,
			  uint8_t *out)
{
	size_t fl = strlen(find), rl = strlen(repl), o = 0;
	for (size_t i = 0; i < n;) {
		if (i + fl <= n && memcmp(in + i, find, fl) == 0) {
			memcpy(out + o, repl, rl);
			o += rl;
			i += fl;
		} else {
			out[o++] = in[i++];
		}
	}
	return o;
}

typedef struct edit_case {
	const char *find, *repl;
	const char *alphabet; /* random text is drawn from these bytes */
} edit_case;

static const edit_case cases[] = {
	{"rainy", "sunny", "rainy tod"},
	{"cloudy", "", "cloudy "},
	{"ab", "xyzxyz", "abc"},
	{"aaa", "b", "ab"}, /* self-overlapping pattern */
	{"abab", "X", "ab"},
	{"q", "QQ", "qr"},
};

static char params[256];

static const char *edit_params(const edit_case *c, const char *mode, const char *dir)
{
	snprintf(params, sizeof(params),
		 "{\"find\":\"%s\",\"replace\":\"%s\",\"mode\":\"%s\",\"direction\":\"%s\"}",
		 c->find, c->repl, mode, dir);
	return params;
}

/* Runs one flow: `in` cut at the given offsets, sent in direction dir. */
static void run_split(owfp_harness *h, int dir, const uint8_t *in, size_t n, const size_t *cuts,
		      size_t ncuts)
{
	assert_int_equal(owfp_harness_flow(h), 0);
	size_t prev = 0;
	for (size_t k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : n;
		if (end > prev)
			assert_int_equal(owfp_harness_send(h, dir, in + prev, end - prev), 0);
		prev = end;
	}
	owfp_harness_fin(h, dir);
	owfp_harness_fin(h, !dir);
	owfp_harness_flow_close(h);
}

static void check_output(owfp_harness *h, int dir, const uint8_t *want, size_t wn, const char *what)
{
	if (h->outlen[dir] != wn || memcmp(h->out[dir], want, wn) != 0)
		fail_msg("%s: delivered %zu bytes '%.*s', want %zu '%.*s'", what, h->outlen[dir],
			 (int)h->outlen[dir], (const char *)h->out[dir], wn, (int)wn,
			 (const char *)want);
	assert_false(h->dropped);
	assert_true(h->fin[dir]);
}

static void random_splits(const char *mode, int dir)
{
	srand(20261125);
	for (size_t ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		const edit_case *c = &cases[ci];
		owfp_harness h;
		assert_int_equal(owfp_harness_open(&h), 0);
		if (!owfp_harness_add(&h, "stream_edit",
				      edit_params(c, mode, dir ? "outbound" : "inbound"),
				      FWP_ACTION_CALLOUT_TERMINATING))
			fail_msg("%s", h.err);
		for (int trial = 0; trial < 40; trial++) {
			uint8_t in[600], want[600 * 6];
			size_t n = 1 + (size_t)(rand() % (int)sizeof(in));
			size_t al = strlen(c->alphabet);
			for (size_t i = 0; i < n; i++)
				in[i] = (uint8_t)c->alphabet[rand() % (int)al];
			size_t wn = replace_all(in, n, c->find, c->repl, want);
			size_t cuts[64], ncuts = (size_t)(rand() % 64);
			for (size_t k = 0; k < ncuts; k++)
				cuts[k] = (size_t)rand() % n;
			/* sort the cuts */
			for (size_t a = 0; a < ncuts; a++)
				for (size_t b = a + 1; b < ncuts; b++)
					if (cuts[b] < cuts[a]) {
						size_t t = cuts[a];
						cuts[a] = cuts[b];
						cuts[b] = t;
					}
			owfp_harness_reset_output(&h);
			run_split(&h, dir, in, n, cuts, ncuts);
			char what[96];
			snprintf(what, sizeof(what), "%s case %zu trial %d", mode, ci, trial);
			check_output(&h, dir, want, wn, what);
		}
		owfp_harness_close(&h);
	}
}

static void test_s100_inline_equals_replace_all_for_random_splits(void **st)
{
	(void)st;
	random_splits("inline", OWFP_DIR_OUTBOUND);
	random_splits("inline", OWFP_DIR_INBOUND);
}

static void test_s101_oob_equals_replace_all_for_random_splits(void **st)
{
	(void)st;
	random_splits("oob", OWFP_DIR_OUTBOUND);
	random_splits("oob", OWFP_DIR_INBOUND);
}

/* T1: the pattern cut at every possible boundary, into two and three segments. */
static void every_boundary(const char *mode)
{
	const char *text = "it is rainy today, rainy";
	const char *want = "it is sunny today, sunny";
	size_t n = strlen(text);
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	const edit_case c = {"rainy", "sunny", NULL};
	if (!owfp_harness_add(&h, "stream_edit", edit_params(&c, mode, "both"),
			      FWP_ACTION_CALLOUT_TERMINATING))
		fail_msg("%s", h.err);
	for (size_t a = 1; a < n; a++) {
		for (size_t b = a; b < n; b++) {
			size_t cuts[2] = {a, b};
			owfp_harness_reset_output(&h);
			run_split(&h, OWFP_DIR_OUTBOUND, (const uint8_t *)text, n, cuts, 2);
			check_output(&h, OWFP_DIR_OUTBOUND, (const uint8_t *)want, n, mode);
		}
	}
	owfp_harness_close(&h);
}

static void test_t1_pattern_split_at_every_boundary_inline(void **st)
{
	(void)st;
	every_boundary("inline");
}

static void test_t1_pattern_split_at_every_boundary_oob(void **st)
{
	(void)st;
	every_boundary("oob");
}

/* The other direction is left alone. */
static void test_direction_param_limits_editing(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	const edit_case c = {"rainy", "sunny", NULL};
	assert_non_null(owfp_harness_add(&h, "stream_edit", edit_params(&c, "inline", "outbound"),
					 FWP_ACTION_CALLOUT_TERMINATING));
	assert_int_equal(owfp_harness_flow(&h), 0);
	owfp_harness_send(&h, OWFP_DIR_OUTBOUND, "rainy", 5);
	owfp_harness_send(&h, OWFP_DIR_INBOUND, "rainy", 5);
	owfp_harness_fin(&h, 0);
	owfp_harness_fin(&h, 1);
	owfp_harness_flow_close(&h);
	assert_int_equal(h.outlen[OWFP_DIR_OUTBOUND], 5);
	assert_memory_equal(h.out[OWFP_DIR_OUTBOUND], "sunny", 5);
	assert_int_equal(h.outlen[OWFP_DIR_INBOUND], 5);
	assert_memory_equal(h.out[OWFP_DIR_INBOUND], "rainy", 5);
	owfp_harness_close(&h);
}

/* T2: an inbound transfer far above the busy threshold completes intact and
 * the engine reports DEFER/continue cycles. */
static void test_t2_oob_large_inbound_transfer_defers_and_completes(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	se_instance *si = owfp_harness_add(&h, "stream_edit",
					   "{\"find\":\"rainy\",\"replace\":\"sunny!\",\"mode\":\"oob\","
					   "\"busy_threshold\":16384}",
					   FWP_ACTION_CALLOUT_TERMINATING);
	assert_non_null(si);
	size_t n = 1 << 20;
	uint8_t *in = malloc(n), *want = malloc(n * 2);
	assert_non_null(in);
	assert_non_null(want);
	for (size_t i = 0; i < n; i++)
		in[i] = (uint8_t) "rainy days "[i % 11];
	size_t wn = replace_all(in, n, "rainy", "sunny!", want);
	assert_int_equal(owfp_harness_flow(&h), 0);
	/* A worker that keeps up never lets a backlog form: hold it for the
	 * first segments, so the threshold is crossed whatever the timing. */
	se_oob_hold(si, true);
	for (size_t off = 0; off < n; off += 8192) {
		assert_int_equal(owfp_harness_send(&h, OWFP_DIR_INBOUND, in + off, 8192), 0);
		if (off == 8 * 8192)
			se_oob_hold(si, false);
	}
	owfp_harness_fin(&h, OWFP_DIR_INBOUND);
	owfp_harness_fin(&h, OWFP_DIR_OUTBOUND);
	owfp_harness_flow_close(&h);
	check_output(&h, OWFP_DIR_INBOUND, want, wn, "large inbound");
	assert_true(h.events[OWFP_EV_DEFER] > 0);
	assert_true(h.events[OWFP_EV_CONTINUE] > 0);
	free(in);
	free(want);
	owfp_harness_close(&h);
}

/*
 * One indication far larger than the window either mode looks at (SE_WINDOW): matches
 * placed across every window boundary, one only past the first window, and a
 * possible match left at the end that the next indication completes.
 */
static void big_indication(const char *mode, const char *find, const char *repl)
{
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	const edit_case c = {find, repl, NULL};
	assert_non_null(owfp_harness_add(&h, "stream_edit", edit_params(&c, mode, "outbound"),
					 FWP_ACTION_CALLOUT_TERMINATING));
	size_t fl = strlen(find), n = 5 * SE_WINDOW + 123;
	uint8_t *in = malloc(n + fl), *want = malloc((n + fl) * 3);
	assert_non_null(in);
	assert_non_null(want);
	/* placements: straddling each window boundary, once past the first
	 * window only, and none at all (the clone is passed on unchanged) */
	for (int layout = 0; layout < 3; layout++) {
		memset(in, 'x', n + fl);
		if (layout == 0) /* cut after 1, 2, ... bytes of the match */
			for (size_t m = 1; m * SE_WINDOW + fl < n; m++)
				memcpy(in + m * SE_WINDOW - (1 + (m - 1) % (fl - 1)), find, fl);
		if (layout == 1)
			memcpy(in + SE_WINDOW + 1000, find, fl);
		/* the last fl-1 bytes of the indication start a match ... */
		memcpy(in + n - (fl - 1), find, fl);
		size_t wn = replace_all(in, n + 1, find, repl, want);
		owfp_harness_reset_output(&h);
		assert_int_equal(owfp_harness_flow(&h), 0);
		assert_int_equal(owfp_harness_send(&h, OWFP_DIR_OUTBOUND, in, n), 0);
		/* ... that the next indication completes */
		assert_int_equal(owfp_harness_send(&h, OWFP_DIR_OUTBOUND, in + n, 1), 0);
		owfp_harness_fin(&h, OWFP_DIR_OUTBOUND);
		owfp_harness_fin(&h, OWFP_DIR_INBOUND);
		owfp_harness_flow_close(&h);
		char what[64];
		snprintf(what, sizeof(what), "%s, layout %d, find '%s'", mode, layout, find);
		check_output(&h, OWFP_DIR_OUTBOUND, want, wn, what);
	}
	free(in);
	free(want);
	owfp_harness_close(&h);
}

static void test_s100_inline_edits_indications_larger_than_its_window(void **st)
{
	(void)st;
	big_indication("inline", "rainy", "sunny!");
	big_indication("inline", "cloudy", "");
	big_indication("inline", "ab", "z");
}

static void test_s101_oob_edits_indications_larger_than_its_window(void **st)
{
	(void)st;
	big_indication("oob", "rainy", "sunny!");
	big_indication("oob", "cloudy", "");
	big_indication("oob", "ab", "z");
}

/*
 * Per-flow state is freed when the flow ends, not when the callout goes
 * away: after flows that end normally (with a possible match carried), by
 * an RST with work still queued, and by a close with work still queued,
 * the instance holds no flow state.
 */
static void test_oob_flow_state_is_freed_when_each_flow_ends(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	se_instance *si = owfp_harness_add(
		&h, "stream_edit", "{\"find\":\"rainy\",\"replace\":\"sunny\",\"mode\":\"oob\"}",
		FWP_ACTION_CALLOUT_TERMINATING);
	assert_non_null(si);
	for (int how = 0; how < 3; how++) {
		for (int k = 0; k < 4; k++) {
			assert_int_equal(owfp_harness_flow(&h), 0);
			if (how > 0)
				se_oob_hold(si, true); /* the worker keeps the tasks queued */
			assert_int_equal(owfp_harness_send(&h, OWFP_DIR_OUTBOUND, "it is rain", 10),
					 0);
			assert_int_equal(owfp_harness_send(&h, OWFP_DIR_INBOUND, "rainy rai", 9), 0);
			assert_int_equal(se_oob_live_flows(si), 1);
			if (how == 0) {
				owfp_harness_fin(&h, OWFP_DIR_OUTBOUND);
				owfp_harness_fin(&h, OWFP_DIR_INBOUND);
			} else if (how == 1) {
				owfp_flow_indicate_abort(h.flow, OWFP_DIR_INBOUND);
			}
			owfp_harness_flow_close(&h);
			se_oob_hold(si, false);
			se_oob_quiesce(si);
			if (se_oob_live_flows(si) != 0)
				fail_msg("ending %d, flow %d: %zu flows still hold state", how, k,
					 se_oob_live_flows(si));
		}
	}
	owfp_harness_close(&h);
}

static void test_bad_params_are_refused(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	assert_null(owfp_harness_add(&h, "stream_edit", "{\"replace\":\"x\"}",
				     FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(strstr(h.err, "find"));
	assert_null(owfp_harness_add(&h, "stream_edit", "{\"find\":\"a\",\"fnid\":\"b\"}",
				     FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(strstr(h.err, "fnid"));
	assert_null(owfp_harness_add(&h, "stream_edit", "{\"find\":\"a\",\"mode\":\"later\"}",
				     FWP_ACTION_CALLOUT_TERMINATING));
	owfp_harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s100_inline_equals_replace_all_for_random_splits),
		cmocka_unit_test(test_s101_oob_equals_replace_all_for_random_splits),
		cmocka_unit_test(test_t1_pattern_split_at_every_boundary_inline),
		cmocka_unit_test(test_t1_pattern_split_at_every_boundary_oob),
		cmocka_unit_test(test_direction_param_limits_editing),
		cmocka_unit_test(test_t2_oob_large_inbound_transfer_defers_and_completes),
		cmocka_unit_test(test_s100_inline_edits_indications_larger_than_its_window),
		cmocka_unit_test(test_s101_oob_edits_indications_larger_than_its_window),
		cmocka_unit_test(test_oob_flow_state_is_freed_when_each_flow_ends),
		cmocka_unit_test(test_bad_params_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
