/*
 * Allocation-failure sweep over configuration (SQLite-style, issue 18):
 * parse a representative YAML configuration (sublayers, filters with
 * conditions, built-in callouts with parameters) and apply it as a reload
 * over a configuration already in force. For N = 1.. until it runs without
 * a failure, allocation N fails (src/util/alloc.h). A failure must come
 * back as an error with a message and leave the engine as it was (the old
 * configuration in force, nothing of the new one left behind: one
 * transaction); nothing may leak (checked during the sweep in ASan builds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alloc_sweep.h"
#include "config/config.h"
#include "engine/engine.h"
#include "util/alloc.h"

static const char old_config[] =
	"sublayers: [{name: policy, weight: 40000}]\n"
	"callouts: [{name: count, type: count}]\n"
	"filters:\n"
	"  - {name: count-all, layer: stream, sublayer: policy, action: callout_inspection,\n"
	"     callout: count}\n";

static const char new_config[] =
	"sublayers:\n"
	"  - {name: policy, weight: 40000}\n"
	"  - {name: edit, weight: 30000}\n"
	"callouts:\n"
	"  - name: secrets\n"
	"    type: pattern_match\n"
	"    params:\n"
	"      patterns:\n"
	"        - {name: marker, pattern: \"TOP-SECRET\", action: drop}\n"
	"      direction: inbound\n"
	"  - name: weather\n"
	"    type: stream_edit\n"
	"    params: {find: rainy, replace: sunny}\n"
	"  - name: web\n"
	"    type: http_filter\n"
	"    params: {deny: [\".evil.example\"]}\n"
	"  - {name: count, type: count}\n"
	"filters:\n"
	"  - name: drop-secrets\n"
	"    layer: stream\n"
	"    sublayer: policy\n"
	"    conditions:\n"
	"      - {field: direction, match: equal, value: outbound}\n"
	"      - {field: remote_address, value: \"10.0.0.0/8\"}\n"
	"    action: callout_terminating\n"
	"    callout: secrets\n"
	"  - name: edit-weather\n"
	"    layer: stream_v4\n"
	"    sublayer: edit\n"
	"    conditions:\n"
	"      - {field: remote_port, match: range, value: [8000, 8999]}\n"
	"    action: callout_terminating\n"
	"    callout: weather\n"
	"  - name: http\n"
	"    layer: stream\n"
	"    sublayer: edit\n"
	"    conditions: [{field: remote_port, value: 80}]\n"
	"    action: callout_terminating\n"
	"    callout: web\n"
	"  - {name: count-all, layer: stream, sublayer: policy, action: callout_inspection,\n"
	"     callout: count}\n"
	"  - {name: no-telnet, layer: stream, action: block,\n"
	"     conditions: [{field: remote_port, value: 23}]}\n";

/* The committed filters, one line each, without their ids and callout
 * keys (a reapplied filter and built-in instance get new ones) and without
 * the low 52 bits of the automatic weight, the filter's ordinal: ids a
 * failed transaction used are not given out again (as in WFP), so a later
 * apply ranks the same filters in the same order with other ordinals. */
static char *filters_now(owfp_engine *e)
{
	owfp_filter_info *v = NULL;
	size_t n = 0;
	assert_int_equal(owfp_engine_filters_list(e, &v, &n), 0);
	size_t cap = 256 * (n + 1), len = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	s[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s %s %u %llu %u %d %u\n", v[i].name,
					v[i].layer, v[i].sublayer_weight,
					(unsigned long long)(v[i].weight >> 52), v[i].action_type,
					v[i].callout[0] != 0, v[i].nconditions);
	free(v);
	return s;
}

static owfp_config_applied *apply_text(const char *text, owfp_config_applied *prev)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	if (owfp_config_parse_string("sweep.yaml", text, strlen(text), &cfg, &err))
		fail_msg("parse: %s", err.msg);
	owfp_config_applied *a = NULL;
	if (owfp_config_apply(cfg, prev, &a, &err))
		fail_msg("apply: %s", err.msg);
	owfp_config_free(cfg);
	return a;
}

static char *want_old, *want_new;

/* One run with allocation `nth` failing (0: none); returns the number of
 * attempts made to fail. */
static uint64_t scenario(uint64_t nth, int sticky)
{
	owfp_engine *e = NULL;
	owfp_engine_opts o;
	memset(&o, 0, sizeof(o));
	assert_int_equal(owfp_engine_create(&o, &e), 0);
	owfp_config_applied *old = apply_text(old_config, NULL);
	char *before = filters_now(e);

	if (nth)
		owfp_alloc_fail_nth(nth, sticky);
	else
		owfp_alloc_count_start();
	owfp_config *cfg = NULL;
	owfp_config_applied *now = NULL;
	owfp_error err = {{0}};
	int rc = owfp_config_parse_string("sweep.yaml", new_config, strlen(new_config), &cfg, &err);
	if (rc == 0) {
		rc = owfp_config_apply(cfg, old, &now, &err);
		owfp_config_free(cfg);
	} else {
		assert_null(cfg);
	}
	uint64_t failed = nth ? owfp_alloc_failed() : 0;
	if (!nth)
		print_message("config scenario: %llu allocations\n",
			      (unsigned long long)owfp_alloc_attempts());
	owfp_alloc_disarm();

	char *after = filters_now(e);
	if (rc) {
		if (!failed)
			fail_msg("no allocation failed, yet: %s", err.msg);
		if (!err.msg[0])
			fail_msg("allocation %llu failed: error %d without a message",
				 (unsigned long long)nth, rc);
		assert_null(now);
		if (strcmp(before, after))
			fail_msg("allocation %llu failed ('%s') and the engine changed:\n%s-- was --\n%s",
				 (unsigned long long)nth, err.msg, after, before);
		/* Nothing of the new configuration was left behind: it
		 * applies whole now, over the old one still in force. */
		now = apply_text(new_config, old);
		free(after);
		after = filters_now(e);
	}
	assert_non_null(now);
	if (want_new && strcmp(after, want_new))
		fail_msg("allocation %llu failed and the new configuration is\n%s-- want --\n%s",
			 (unsigned long long)nth, after, want_new);
	if (!want_new) {
		want_old = before;
		want_new = after;
	} else {
		assert_string_equal(before, want_old);
		free(before);
		free(after);
	}
	owfp_config_unapply(now);
	owfp_engine_destroy(e);
	return failed;
}

static void sweep(int sticky)
{
	scenario(0, 0);
	uint64_t n;
	for (n = 1; n < 100000; n++) {
		if (!scenario(n, sticky))
			break;
		owfp_sweep_leak_check(n, 0);
	}
	owfp_sweep_leak_check(n, 1);
	print_message("config sweep%s: %llu runs\n", sticky ? " (sticky)" : "",
		      (unsigned long long)n);
	assert_true(n > 1);
}

static void test_config_sweep(void **state)
{
	(void)state;
	sweep(0);
}

static void test_config_sweep_sticky(void **state)
{
	(void)state;
	sweep(1);
}

static int done(void **state)
{
	(void)state;
	free(want_old);
	free(want_new);
	want_old = want_new = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_config_sweep, done),
		cmocka_unit_test_teardown(test_config_sweep_sticky, done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
