/*
 * Applying a configuration to a real engine: the conditions reach the
 * filter engine with the meaning the file gives them, a configuration that
 * fails anywhere changes nothing (one FwpmTransaction), reload replaces a
 * configuration atomically, and single filters can be added from text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine.h"
#include "fake_builtin.h"

static owfp_engine *engine;

static int setup(void **state)
{
	(void)state;
	owfp_engine_opts o;
	memset(&o, 0, sizeof(o));
	return owfp_engine_create(&o, &engine);
}

static int teardown(void **state)
{
	(void)state;
	owfp_engine_destroy(engine);
	engine = NULL;
	return 0;
}

static owfp_config *parse(const char *text)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	if (owfp_config_parse_string("a.yaml", text, strlen(text), &cfg, &err))
		print_error("parse: %s\n", err.msg);
	assert_non_null(cfg);
	return cfg;
}

static owfp_config_applied *apply(const char *text, owfp_config_applied *prev)
{
	owfp_config *cfg = parse(text);
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};
	int rc = owfp_config_apply(cfg, prev, &a, &err);
	if (rc)
		print_error("apply: %s\n", err.msg);
	assert_int_equal(rc, 0);
	owfp_config_free(cfg);
	return a;
}

static void apply_fails(const char *text, const char *msg_prefix)
{
	owfp_config *cfg = parse(text);
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};
	assert_int_not_equal(owfp_config_apply(cfg, NULL, &a, &err), 0);
	assert_null(a);
	if (strncmp(err.msg, msg_prefix, strlen(msg_prefix)))
		print_error("got '%s'\nwant '%s...'\n", err.msg, msg_prefix);
	assert_true(strncmp(err.msg, msg_prefix, strlen(msg_prefix)) == 0);
	owfp_config_free(cfg);
}

/* Number of stream stages a v4 flow with this remote end would get. */
static size_t stages_v4(const char *remote, uint16_t rport, bool outbound)
{
	owfp_flow_key k;
	owfp_match *m = NULL;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	inet_pton(AF_INET, "192.168.1.1", k.local_addr);
	inet_pton(AF_INET, remote, k.remote_addr);
	k.local_port = 40000;
	k.remote_port = rport;
	k.outbound = outbound;
	assert_int_equal(owfp_engine_match_stream(engine, &k, UINT64_MAX, &m), 0);
	size_t n = m->nstages;
	owfp_match_release(m);
	return n;
}

static const char web_config[] = "sublayers: [{name: mine, weight: 4096}]\n"
				 "callouts: [{name: c1, type: fake}]\n"
				 "filters:\n"
				 "  - name: web\n"
				 "    layer: stream\n"
				 "    sublayer: mine\n"
				 "    conditions:\n"
				 "      - {field: remote_port, value: 80}\n"
				 "      - {field: remote_address, value: \"10.0.0.0/8\"}\n"
				 "      - {field: direction, value: outbound}\n"
				 "    action: callout_inspection\n"
				 "    callout: c1\n";

static void test_conditions_reach_the_engine_with_their_meaning(void **state)
{
	(void)state;
	owfp_config_applied *a = apply(web_config, NULL);
	const uint64_t *ids;
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 1); /* v4 only */
	assert_int_equal(stages_v4("10.1.2.3", 80, true), 1);
	assert_int_equal(stages_v4("11.1.2.3", 80, true), 0);
	assert_int_equal(stages_v4("10.1.2.3", 81, true), 0);
	assert_int_equal(stages_v4("10.1.2.3", 80, false), 0);
	owfp_config_unapply(a);
	assert_int_equal(stages_v4("10.1.2.3", 80, true), 0);
	assert_int_equal(fake_instances_live, 0);
}

static void test_ranges_and_both_families(void **state)
{
	(void)state;
	owfp_config_applied *a = apply(
		"filters:\n"
		"  - {name: r, layer: stream, action: block,\n"
		"     conditions: [{field: remote_port, match: range, value: [8000, 8999]}]}\n",
		NULL);
	const uint64_t *ids;
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 2);
	assert_int_equal(stages_v4("1.2.3.4", 8000, true), 1);
	assert_int_equal(stages_v4("1.2.3.4", 8999, true), 1);
	assert_int_equal(stages_v4("1.2.3.4", 9000, true), 0);
	owfp_config_unapply(a);
}

static void test_failing_callout_create_changes_nothing(void **state)
{
	(void)state;
	apply_fails("sublayers: [{name: mine, weight: 1}]\n"
		    "callouts:\n"
		    "  - {name: ok, type: fake}\n"
		    "  - {name: bad, type: fake, params: {fail: true}}\n"
		    "filters: [{layer: stream, action: block}]\n",
		    "a.yaml:4:37: callout 'bad' (fake): parameter fail: asked to fail");
	assert_int_equal(fake_instances_live, 0);
	assert_int_equal(stages_v4("1.2.3.4", 80, true), 0);
	/* The sublayer was not left behind: the same key can be added again. */
	owfp_config_unapply(apply("sublayers: [{name: mine, weight: 1}]\n", NULL));
}

static void test_engine_rejection_rolls_back_the_transaction(void **state)
{
	(void)state;
	/* The second filter names a callout GUID no one added: the engine
	 * refuses it after the first filter went in, inside the transaction. */
	apply_fails("sublayers: [{name: mine, weight: 1}]\n"
		    "filters:\n"
		    "  - {name: first, layer: stream_v4, action: block}\n"
		    "  - {name: second, layer: stream_v4, action: callout_terminating,\n"
		    "     callout: 01234567-89ab-cdef-0123-456789abcdef}\n",
		    "a.yaml:4:5: adding filter 'second' failed: ");
	assert_int_equal(stages_v4("1.2.3.4", 80, true), 0);
	owfp_config_unapply(apply("sublayers: [{name: mine, weight: 1}]\n", NULL));
}

static void test_reload_replaces_the_previous_configuration(void **state)
{
	(void)state;
	owfp_config_applied *a = apply(web_config, NULL);
	assert_int_equal(stages_v4("10.1.2.3", 80, true), 1);
	owfp_config_applied *b = apply("sublayers: [{name: mine, weight: 4096}]\n"
				       "filters: [{layer: stream_v4, sublayer: mine, action: block,\n"
				       "           conditions: [{field: remote_port, value: 443}]}]\n",
				       a);
	/* a is consumed: its filter is gone, its instance destroyed. */
	assert_int_equal(stages_v4("10.1.2.3", 80, true), 0);
	assert_int_equal(stages_v4("10.1.2.3", 443, true), 1);
	assert_int_equal(fake_instances_live, 0);
	owfp_config_unapply(b);
	assert_int_equal(stages_v4("10.1.2.3", 443, true), 0);
}

static void test_failed_reload_keeps_the_old_configuration(void **state)
{
	(void)state;
	owfp_config_applied *a = apply(web_config, NULL);
	owfp_config *cfg = parse("callouts: [{name: c2, type: fake, params: {fail: true}}]\n");
	owfp_config_applied *b = NULL;
	owfp_error err = {{0}};
	assert_int_not_equal(owfp_config_apply(cfg, a, &b, &err), 0);
	assert_null(b);
	assert_int_equal(stages_v4("10.1.2.3", 80, true), 1);
	owfp_config_free(cfg);
	owfp_config_unapply(a);
}

static void test_filter_add_resolves_names_of_the_applied_config(void **state)
{
	(void)state;
	owfp_config_applied *a = apply(web_config, NULL);
	uint64_t ids[2];
	size_t n = 0;
	owfp_error err = {{0}};
	const char *f =
		"{name: extra, layer: stream, sublayer: mine, action: callout_unknown, callout: c1}";
	assert_int_equal(owfp_config_filter_add(a, f, strlen(f), ids, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(stages_v4("99.1.2.3", 80, true), 1);
	const char *g = "{name: bad, layer: stream, sublayer: theirs, action: block}";
	assert_int_not_equal(owfp_config_filter_add(a, g, strlen(g), ids, &n, &err), 0);
	assert_string_equal(err.msg, "<filter>:1:38: unknown sublayer 'theirs'; expected a name from "
				     "'sublayers', universal, inspection or a GUID");
	owfp_config_unapply(a);
	assert_int_equal(stages_v4("99.1.2.3", 80, true), 0);
}

static void test_check_refuses_while_an_engine_is_bound(void **state)
{
	(void)state;
	owfp_config *cfg = parse("filters: [{layer: stream, action: block}]\n");
	owfp_error err = {{0}};
	assert_int_not_equal(owfp_config_check(cfg, &err), 0);
	assert_non_null(strstr(err.msg, "cannot create a scratch engine"));
	owfp_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conditions_reach_the_engine_with_their_meaning,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranges_and_both_families, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_callout_create_changes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_engine_rejection_rolls_back_the_transaction,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_replaces_the_previous_configuration,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reload_keeps_the_old_configuration,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_add_resolves_names_of_the_applied_config,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_refuses_while_an_engine_is_bound, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
