/*
 * Filters that can never run (owfp_config_warn_shadowed over
 * src/engine/shadow.c): a warning exactly when, in the same layer and
 * sublayer, a filter ordered before one always decides and its conditions
 * cover the later one's; never when the later filter can still run. Every
 * case below is one line of the rule in docs/semantics.md ("Shadowed
 * filters").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine.h"
#include "fake_builtin.h"

typedef struct warnings {
	char text[8][1024];
	size_t n;
} warnings;

static void collect(void *ctx, const char *msg)
{
	warnings *w = ctx;
	if (w->n < 8)
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", msg);
	w->n++;
}

/* Checks `yaml` on a scratch engine, as check-config does. */
static warnings check(const char *yaml)
{
	warnings w;
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	size_t n = 99;

	memset(&w, 0, sizeof(w));
	if (owfp_config_parse_string("s.yaml", yaml, strlen(yaml), &cfg, &err))
		print_error("parse: %s\n", err.msg);
	assert_non_null(cfg);
	int rc = owfp_config_check_warn(cfg, collect, &w, &n, &err);
	if (rc)
		print_error("check: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(n, w.n);
	owfp_config_free(cfg);
	return w;
}

/* Two filters, by default in sublayer 'p', H first (weight 100), then L
 * (weight 10); H may name its own weight or sublayer. */
static warnings pair(const char *h, const char *l)
{
	char yaml[4096];
	const char *hw = strstr(h, "weight:") ? "" : "weight: 100, ";
	const char *hs = strstr(h, "sublayer:") ? "" : "sublayer: p, ";
	snprintf(yaml, sizeof(yaml),
		 "sublayers: [{name: p, weight: 1000}]\n"
		 "callouts:\n"
		 "  - {name: plain, type: fake}\n"
		 "  - {name: onflow, type: fake, params: {flags: %d}}\n"
		 "  - {name: mid, type: fake, params: {flags: %d}}\n"
		 "filters:\n"
		 "  - {name: H, %s%s%s}\n"
		 "  - {name: L, sublayer: p, weight: 10, %s}\n",
		 FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW, FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION,
		 hs, hw, h, l);
	return check(yaml);
}

static void shadowed(const char *h, const char *l)
{
	warnings w = pair(h, l);
	if (w.n != 1)
		print_error("want L shadowed by H:\n  H: %s\n  L: %s\n  got %zu warnings\n", h, l,
			    w.n);
	assert_int_equal(w.n, 1);
}

static void runs(const char *h, const char *l)
{
	warnings w = pair(h, l);
	if (w.n != 0)
		print_error("want L to run after H:\n  H: %s\n  L: %s\n  got: %s\n", h, l, w.text[0]);
	assert_int_equal(w.n, 0);
}

#define V4 "layer: stream_v4"
#define BOTH "layer: stream"
#define INSPECT "action: callout_inspection, callout: plain"

static void test_the_warning_names_both_filters_where_they_are(void **state)
{
	(void)state;
	warnings w = check("sublayers: [{name: policy, weight: 40000}]\n"
			   "callouts: [{name: scan, type: fake}]\n"
			   "filters:\n"
			   "  - name: block-low-ports\n"
			   "    layer: stream\n"
			   "    sublayer: policy\n"
			   "    weight: 1000\n"
			   "    conditions: [{field: remote_port, value: [1, 1024]}]\n"
			   "    action: block\n"
			   "  - name: secrets\n"
			   "    layer: stream\n"
			   "    sublayer: policy\n"
			   "    weight: 10\n"
			   "    conditions: [{field: remote_port, value: 80}]\n"
			   "    action: callout_inspection\n"
			   "    callout: scan\n");
	assert_int_equal(w.n, 1);
	/* One warning for both layers, naming both filters and their places. */
	assert_string_equal(
		w.text[0],
		"s.yaml:10:5: warning: filter 'secrets' never runs (stream_v4, stream_v6): filter "
		"'block-low-ports' (s.yaml:4:5) comes first in sublayer 'policy', matches every "
		"connection 'secrets' matches, and always decides (block); give 'secrets' a higher "
		"weight, or put it in another sublayer");
}

static void test_static_decisions_shadow_what_they_cover(void **state)
{
	(void)state;
	/* No conditions: covers everything after it in the sublayer. */
	shadowed(V4 ", action: permit", V4 ", action: block");
	shadowed(V4 ", action: block",
		 V4 ", " INSPECT ", conditions: [{field: local_port, value: 8}]");
	/* Equal-or-wider ranges, prefixes and comparisons. */
	shadowed(V4 ", action: block, conditions: [{field: remote_port, value: [80, 90]}]",
		 V4 ", " INSPECT ", conditions: [{field: remote_port, value: [81, 90]}]");
	shadowed(V4 ", action: block, conditions: [{field: remote_address, value: \"10.0.0.0/8\"}]",
		 V4 ", action: permit, conditions: [{field: remote_address, value: \"10.1.2.0/24\"}, "
		    "{field: remote_port, value: 443}]");
	shadowed(BOTH
		 ", action: block, conditions: [{field: remote_address, value: \"2001:db8::/32\"}]",
		 BOTH ", " INSPECT
		      ", conditions: [{field: remote_address, value: \"2001:db8:1::/48\"}]");
	shadowed(V4
		 ", action: block, conditions: [{field: remote_port, match: greater, value: 1023}]",
		 V4 ", " INSPECT ", conditions: [{field: remote_port, value: 8080}]");
	shadowed(V4
		 ", action: block, conditions: [{field: remote_port, match: not_equal, value: 23}]",
		 V4 ", " INSPECT ", conditions: [{field: remote_port, value: [24, 100]}]");
	/* An OR group of H holds L's value; two of H's intervals together hold L's. */
	shadowed(V4 ", action: block, conditions: [{field: remote_port, value: 80}, "
		    "{field: remote_port, value: 443}]",
		 V4 ", " INSPECT ", conditions: [{field: remote_port, value: 443}]");
	shadowed(V4 ", action: block, conditions: [{field: remote_port, value: [1, 100]}, "
		    "{field: remote_port, value: [101, 200]}]",
		 V4 ", " INSPECT ", conditions: [{field: remote_port, value: [50, 150]}]");
	/* Flag tests that imply one another; a single value H's flag test accepts. */
	shadowed(V4
		 ", action: block, conditions: [{field: flags, match: flags_all_set, value: loopback}]",
		 V4 ", " INSPECT ", conditions: [{field: flags, match: flags_all_set, "
		    "value: [loopback, fragment]}]");
	shadowed(V4
		 ", action: block, conditions: [{field: flags, match: flags_any_set, value: [loopback, fragment]}]",
		 V4 ", " INSPECT ", conditions: [{field: flags, match: equal, value: loopback}]");
	/* At flow-established too (static filters). */
	shadowed("layer: flow_established_v4, action: permit",
		 "layer: flow_established_v4, action: block, conditions: [{field: remote_port, value: 1}]");
}

static void test_filters_that_still_run_are_not_reported(void **state)
{
	(void)state;
	/* H narrower than L, on another field only, or L's value outside H's. */
	runs(V4 ", action: block, conditions: [{field: remote_port, value: 80}]", V4 ", " INSPECT);
	runs(V4 ", action: block, conditions: [{field: remote_port, value: 80}]",
	     V4 ", " INSPECT ", conditions: [{field: local_port, value: 80}]");
	runs(V4 ", action: block, conditions: [{field: remote_port, value: [80, 90]}]",
	     V4 ", " INSPECT ", conditions: [{field: remote_port, value: [85, 91]}]");
	/* L matches 80 or 8080; H takes only 80. */
	runs(V4 ", action: block, conditions: [{field: remote_port, value: 80}]",
	     V4 ", " INSPECT ", conditions: [{field: remote_port, value: 80}, "
		"{field: remote_port, value: 8080}]");
	/* Gaps between H's intervals. */
	runs(V4 ", action: block, conditions: [{field: remote_port, value: [1, 100]}, "
		"{field: remote_port, value: [102, 200]}]",
	     V4 ", " INSPECT ", conditions: [{field: remote_port, value: [50, 150]}]");
	runs(V4
	     ", action: block, conditions: [{field: flags, match: flags_all_set, value: [loopback, fragment]}]",
	     V4 ", " INSPECT ", conditions: [{field: flags, match: flags_all_set, value: loopback}]");
	/* H may not decide: inspection and unknown callouts continue. */
	runs(V4 ", " INSPECT, V4 ", action: block");
	runs(V4 ", action: callout_unknown, callout: plain", V4 ", " INSPECT);
	/* CONDITIONAL_ON_FLOW steps aside without a flow context (S79). */
	runs(V4 ", action: callout_terminating, callout: onflow", V4 ", " INSPECT);
	/* Mid-stream flows skip callouts without ALLOW_MID_STREAM_INSPECTION
	 * (S81), where a static filter or an allowing callout still runs. */
	runs(V4 ", action: callout_terminating, callout: plain", V4 ", action: block");
	runs(V4 ", action: callout_terminating, callout: plain",
	     V4 ", action: callout_inspection, callout: mid");
	/* L first by weight; another sublayer; another layer. */
	runs(V4 ", action: block, weight: 1", V4 ", " INSPECT);
	runs(V4 ", action: block, sublayer: universal", V4 ", " INSPECT);
	runs("layer: stream_v6, action: block", V4 ", " INSPECT);
	/* L accepts nothing: a different problem, not this one. */
	runs(V4 ", action: block",
	     V4 ", " INSPECT ", conditions: [{field: remote_port, match: less, value: 0}]");
}

static void test_terminating_callouts_that_always_decide_shadow(void **state)
{
	(void)state;
	/* Both step aside mid-stream, so on every flow where L runs, H decides. */
	shadowed(V4 ", action: callout_terminating, callout: plain", V4 ", " INSPECT);
	/* H classifies mid-stream flows too: it shadows even a static filter. */
	shadowed(V4 ", action: callout_terminating, callout: mid", V4 ", action: block");
	shadowed(BOTH ", action: callout_terminating, callout: mid",
		 V4 ", action: callout_inspection, callout: mid");
}

static void test_proxy_style_reload_warns_about_the_new_filters(void **state)
{
	(void)state;
	owfp_engine *e;
	owfp_engine_opts o;
	memset(&o, 0, sizeof(o));
	assert_int_equal(owfp_engine_create(&o, &e), 0);
	const char *one = "filters: [{name: a, layer: stream_v4, action: block}]\n";
	const char *two = "filters:\n"
			  "  - {name: a, layer: stream_v4, action: block}\n"
			  "  - {name: b, layer: stream_v4, action: permit, conditions: "
			  "[{field: remote_port, value: 80}]}\n";
	owfp_config *c1 = NULL, *c2 = NULL;
	owfp_config_applied *a1 = NULL, *a2 = NULL;
	owfp_error err = {{0}};
	warnings w;
	memset(&w, 0, sizeof(w));
	assert_int_equal(owfp_config_parse_string("r.yaml", one, strlen(one), &c1, &err), 0);
	assert_int_equal(owfp_config_parse_string("r.yaml", two, strlen(two), &c2, &err), 0);
	assert_int_equal(owfp_config_apply(c1, NULL, &a1, &err), 0);
	assert_int_equal(owfp_config_warn_shadowed(a1, collect, &w), 0);
	assert_int_equal(owfp_config_apply(c2, a1, &a2, &err), 0);
	/* 'b' has more conditions, so auto weights put it first: nothing shadowed. */
	assert_int_equal(owfp_config_warn_shadowed(a2, collect, &w), 0);
	/* A filter added at run time that shadows a configured one is named by id. */
	uint64_t ids[2];
	size_t nids = 0;
	const char *f = "{name: all, layer: stream_v4, weight: {range: 15}, action: block}";
	assert_int_equal(owfp_config_filter_add(a2, f, strlen(f), ids, &nids, &err), 0);
	assert_int_equal(owfp_config_warn_shadowed(a2, collect, &w), 2);
	assert_non_null(strstr(w.text[0], "filter 'b' never runs"));
	assert_non_null(strstr(w.text[0], "filter 'all' (id "));
	assert_non_null(strstr(w.text[1], "filter 'a' never runs"));
	owfp_config_unapply(a2);
	owfp_config_free(c1);
	owfp_config_free(c2);
	owfp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_warning_names_both_filters_where_they_are),
		cmocka_unit_test(test_static_decisions_shadow_what_they_cover),
		cmocka_unit_test(test_filters_that_still_run_are_not_reported),
		cmocka_unit_test(test_terminating_callouts_that_always_decide_shadow),
		cmocka_unit_test(test_proxy_style_reload_warns_about_the_new_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
