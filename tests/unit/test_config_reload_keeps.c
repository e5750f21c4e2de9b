/*
 * A reload keeps what it does not change (security review finding O2): a
 * filter deleted and added again lets what its flows hold pass unjudged
 * (S80). The same file again keeps every filter id and the callout
 * instance; a changed filter alone is replaced; a callout whose params
 * changed is a new instance, so the filters naming it are new too.
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

static owfp_config_applied *apply(const char *text, owfp_config_applied *prev)
{
	owfp_config *cfg = NULL;
	owfp_config_applied *a = NULL;
	owfp_error err = {{0}};
	if (owfp_config_parse_string("a.yaml", text, strlen(text), &cfg, &err))
		print_error("parse: %s\n", err.msg);
	assert_non_null(cfg);
	int rc = owfp_config_apply(cfg, prev, &a, &err);
	if (rc)
		print_error("apply: %s\n", err.msg);
	assert_int_equal(rc, 0);
	owfp_config_free(cfg);
	return a;
}

/* Number of stream stages an outbound v4 flow to port `rport` would get. */
static size_t stages_v4(uint16_t rport)
{
	owfp_flow_key k;
	owfp_match *m = NULL;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	inet_pton(AF_INET, "192.168.1.1", k.local_addr);
	inet_pton(AF_INET, "10.1.2.3", k.remote_addr);
	k.local_port = 40000;
	k.remote_port = rport;
	k.outbound = true;
	assert_int_equal(owfp_engine_match_stream(engine, &k, UINT64_MAX, &m), 0);
	size_t n = m->nstages;
	owfp_match_release(m);
	return n;
}

static const char two[] = "callouts: [{name: c1, type: fake}]\n"
			  "filters:\n"
			  "  - {name: web, layer: stream_v4, action: callout_terminating, callout: c1,\n"
			  "     conditions: [{field: remote_port, value: 80}]}\n"
			  "  - {name: other, layer: stream_v4, action: block,\n"
			  "     conditions: [{field: remote_port, value: 81}]}\n";

static void test_same_file_keeps_filters_and_instance(void **state)
{
	(void)state;
	const uint64_t *ids;
	owfp_config_applied *a = apply(two, NULL);
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 2);
	uint64_t web = ids[0], other = ids[1];
	uint64_t gen = owfp_engine_generation(engine);
	unsigned created = fake_instances_created;

	owfp_config_applied *b = apply(two, a);
	assert_int_equal(owfp_config_applied_filter_ids(b, &ids), 2);
	assert_true(ids[0] == web && ids[1] == other);
	assert_int_equal(fake_instances_live, 1);
	assert_int_equal(fake_instances_created, created); /* kept, not replaced */
	/* Nothing changed, so open flows are not even re-matched. */
	assert_true(owfp_engine_generation(engine) == gen);
	assert_int_equal(stages_v4(80), 1);
	owfp_config_unapply(b);
	assert_int_equal(fake_instances_live, 0);
	assert_int_equal(stages_v4(80), 0);
}

static void test_changed_filter_alone_is_replaced(void **state)
{
	(void)state;
	const uint64_t *ids;
	owfp_config_applied *a = apply(two, NULL);
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 2);
	uint64_t web = ids[0], other = ids[1];

	owfp_config_applied *b = apply(
		"callouts: [{name: c1, type: fake}]\n"
		"filters:\n"
		"  - {name: web, layer: stream_v4, action: callout_terminating, callout: c1,\n"
		"     conditions: [{field: remote_port, value: 80}]}\n"
		"  - {name: other, layer: stream_v4, action: block,\n"
		"     conditions: [{field: remote_port, value: 82}]}\n",
		a);
	assert_int_equal(owfp_config_applied_filter_ids(b, &ids), 2);
	assert_true(ids[0] == web && ids[1] != other);
	assert_int_equal(stages_v4(81), 0);
	assert_int_equal(stages_v4(82), 1);
	owfp_config_unapply(b);
}

static void test_changed_params_make_a_new_instance_and_filter(void **state)
{
	(void)state;
	const uint64_t *ids;
	owfp_config_applied *a = apply(two, NULL);
	assert_int_equal(owfp_config_applied_filter_ids(a, &ids), 2);
	uint64_t web = ids[0];
	unsigned created = fake_instances_created;

	owfp_config_applied *b = apply(
		"callouts: [{name: c1, type: fake, params: {x: 1}}]\n"
		"filters:\n"
		"  - {name: web, layer: stream_v4, action: callout_terminating, callout: c1,\n"
		"     conditions: [{field: remote_port, value: 80}]}\n",
		a);
	assert_int_equal(owfp_config_applied_filter_ids(b, &ids), 1);
	assert_true(ids[0] != web);
	assert_int_equal(fake_instances_live, 1);
	assert_int_equal(fake_instances_created, created + 1);
	assert_int_equal(stages_v4(81), 0);
	owfp_config_unapply(b);
	assert_int_equal(fake_instances_live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_file_keeps_filters_and_instance, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_changed_filter_alone_is_replaced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_changed_params_make_a_new_instance_and_filter,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
