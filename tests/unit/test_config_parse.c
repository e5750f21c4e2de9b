/*
 * The configuration parser: what a valid file becomes, and that every
 * error names FILE:LINE:COLUMN and what was expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/model.h"
#include "fake_builtin.h"

static owfp_config *parse_ok(const char *text)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	int rc = owfp_config_parse_string("t.yaml", text, strlen(text), &cfg, &err);
	if (rc)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return cfg;
}

/* The message must start with "t.yaml:LINE:COL: " and contain `what`. */
static void parse_fails(const char *text, const char *where, const char *what)
{
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	int rc = owfp_config_parse_string("t.yaml", text, strlen(text), &cfg, &err);
	assert_int_not_equal(rc, 0);
	assert_null(cfg);
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "t.yaml:%s: ", where);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, what))
		print_error("got '%s'\nwant prefix '%s' and '%s'\n", err.msg, prefix, what);
	assert_true(strncmp(err.msg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(err.msg, what));
}

static const char full[] =
	"sublayers:\n"
	"  - {name: mine, weight: 4096}\n"
	"  - name: keyed\n"
	"    key: 11111111-2222-3333-4444-555555555555\n"
	"    weight: 10\n"
	"callouts:\n"
	"  - name: c1\n"
	"    type: fake\n"
	"    params: {threshold: 5, ratio: 0.5, label: \"007\", on: true, list: [1, two]}\n"
	"filters:\n"
	"  - name: web\n"
	"    layer: stream\n"
	"    sublayer: mine\n"
	"    weight: 10\n"
	"    conditions:\n"
	"      - {field: remote_port, match: equal, value: 80}\n"
	"      - {field: remote_address, value: \"10.0.0.0/8\"}\n"
	"      - {field: local_port, value: [1024, 65535]}\n"
	"      - {field: flags, match: flags_all_set, value: [loopback, is_reassembled]}\n"
	"      - {field: direction, value: outbound}\n"
	"    action: callout_terminating\n"
	"    callout: c1\n"
	"    flags: [clear_action_right, permit_if_callout_unregistered]\n"
	"    context: 0x10\n"
	"  - {name: v6, layer: stream, weight: {range: 3}, action: block,\n"
	"     conditions: [{field: local_address, match: not_equal, value: \"2001:db8::/32\"}]}\n"
	"  - {layer: flow_established, action: permit, sublayer: inspection, weight: auto}\n";

static void test_valid_config_becomes_the_model(void **state)
{
	(void)state;
	owfp_config *cfg = parse_ok(full);
	assert_int_equal(owfp_config_nsublayers(cfg), 2);
	assert_int_equal(owfp_config_ncallouts(cfg), 1);
	assert_int_equal(owfp_config_nfilters(cfg), 3);

	assert_int_equal(cfg->sublayers[0].weight, 4096);
	assert_int_equal(cfg->sublayers[1].key.d1, 0x11111111u);
	assert_int_equal(cfg->sublayers[1].key.d4[7], 0x55);

	json_t *p = cfg->callouts[0].params;
	assert_int_equal(json_integer_value(json_object_get(p, "threshold")), 5);
	assert_true(json_is_real(json_object_get(p, "ratio")));
	assert_string_equal(json_string_value(json_object_get(p, "label")), "007");
	assert_true(json_is_true(json_object_get(p, "on")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "list"), 1)), "two");

	const owfp_cfg_filter *f = &cfg->filters[0];
	/* An IPv4 condition narrows `stream` to the IPv4 layer. */
	assert_int_equal(f->layers, OWFP_CFG_LAYER_STREAM_V4);
	assert_int_equal(f->weight_kind, OWFP_CFG_W_UINT64);
	assert_int_equal(f->weight, 10);
	assert_int_equal(f->nconds, 5);
	assert_int_equal(f->conds[0].kind, OWFP_CFG_V_UINT);
	assert_int_equal(f->conds[0].u, 80);
	assert_int_equal(f->conds[1].kind, OWFP_CFG_V_V4_MASK);
	assert_int_equal(f->conds[1].v4, 0x0a000000u);
	assert_int_equal(f->conds[1].v4_mask, 0xff000000u);
	assert_int_equal(f->conds[2].match, OWFP_CFG_M_RANGE);
	assert_int_equal(f->conds[2].u, 1024);
	assert_int_equal(f->conds[2].u_hi, 65535);
	assert_int_equal(f->conds[3].u, 0x401);
	assert_int_equal(f->conds[4].u, 0);
	assert_int_equal(f->action, 0x5003);
	assert_string_equal(f->callout, "c1");
	assert_int_equal(f->flags, 0x18);
	assert_int_equal(f->context, 16);

	f = &cfg->filters[1];
	assert_int_equal(f->layers, OWFP_CFG_LAYER_STREAM_V6);
	assert_int_equal(f->weight_kind, OWFP_CFG_W_RANGE);
	assert_int_equal(f->weight, 3);
	assert_int_equal(f->conds[0].kind, OWFP_CFG_V_V6_MASK);
	assert_int_equal(f->conds[0].prefix, 32);

	f = &cfg->filters[2];
	assert_string_equal(f->name, "filter#3");
	assert_int_equal(f->layers, OWFP_CFG_LAYER_FLOW_V4 | OWFP_CFG_LAYER_FLOW_V6);
	assert_int_equal(f->weight_kind, OWFP_CFG_W_AUTO);
	owfp_config_free(cfg);
}

static void test_json_is_accepted(void **state)
{
	(void)state;
	owfp_config *cfg = parse_ok(
		"{\"callouts\": [{\"name\": \"c\", \"type\": \"fake\", \"params\": {\"n\": 1}}],\n"
		" \"filters\": [{\"name\": \"f\", \"layer\": \"stream_v6\", \"action\": \"callout_inspection\",\n"
		"   \"callout\": \"c\", \"conditions\": [{\"field\": \"remote_address\", \"value\": \"::1\"}]}]}\n");
	assert_int_equal(cfg->filters[0].conds[0].kind, OWFP_CFG_V_V6);
	assert_int_equal(cfg->filters[0].conds[0].v6[15], 1);
	owfp_config_free(cfg);
}

static void test_sublayer_key_is_derived_from_the_name(void **state)
{
	(void)state;
	owfp_config *a = parse_ok("sublayers: [{name: alpha, weight: 1}, {name: beta, weight: 2}]\n");
	owfp_config *b = parse_ok("sublayers: [{name: alpha, weight: 9}]\n");
	assert_memory_equal(&a->sublayers[0].key, &b->sublayers[0].key, 16);
	assert_memory_not_equal(&a->sublayers[0].key, &a->sublayers[1].key, 16);
	assert_int_equal(a->sublayers[0].key.d3 >> 12, 8); /* RFC 9562 version 8 */
	owfp_config_free(a);
	owfp_config_free(b);
}

static void test_empty_sections_are_allowed(void **state)
{
	(void)state;
	owfp_config *cfg = parse_ok("sublayers:\nfilters: []\n");
	assert_int_equal(owfp_config_nfilters(cfg), 0);
	owfp_config_free(cfg);
}

static void test_document_errors(void **state)
{
	(void)state;
	parse_fails("filters: [\n  {name: a\n", "3:1", "YAML syntax error");
	parse_fails("", "1:1", "the configuration is empty");
	parse_fails("- a\n- b\n", "1:1", "expected a mapping");
	parse_fails("filters: []\nfilterz: []\n", "2:1", "unknown top-level key 'filterz'");
	parse_fails("filters: []\nfilters: []\n", "2:1", "given twice");
	parse_fails("filters: []\n---\nfilters: []\n", "3:1", "a second YAML document");
	parse_fails("filters: 3\n", "1:10", "filters is a scalar; expected a list");
}

static void test_sublayer_errors(void **state)
{
	(void)state;
	parse_fails("sublayers: [{weight: 1}]\n", "1:13", "sublayer has no 'name'");
	parse_fails("sublayers:\n  - {name: s}\n", "2:5", "has no 'weight'");
	parse_fails("sublayers:\n  - {name: s, weight: 70000}\n", "2:23",
		    "expected an integer 0..65535");
	parse_fails("sublayers:\n  - {name: s, weight: -1}\n", "2:23",
		    "expected an integer 0..65535");
	parse_fails("sublayers:\n  - {name: s, weight: 1, key: nope}\n", "2:31", "is not a GUID");
	parse_fails("sublayers:\n  - {name: s, weight: 1}\n  - {name: s, weight: 2}\n", "3:12",
		    "defined twice");
	parse_fails("sublayers: [{name: universal, weight: 1}]\n", "1:20", "is built in");
	parse_fails("sublayers: [{name: s, weight: 1, colour: red}]\n", "1:34",
		    "unknown sublayer key 'colour'");
	parse_fails("sublayers:\n  - {name: a, weight: 1, key: 11111111-2222-3333-4444-555555555555}\n"
		    "  - {name: b, weight: 1, key: 11111111-2222-3333-4444-555555555555}\n",
		    "3:5", "same key as 'a'");
}

static void test_callout_errors(void **state)
{
	(void)state;
	parse_fails("callouts: [{name: c}]\n", "1:12",
		    "has no 'type'; expected a built-in callout: fake");
	parse_fails("callouts: [{name: c, type: nosuch}]\n", "1:28",
		    "unknown callout type 'nosuch'; expected one of: fake");
	parse_fails("callouts: [{name: c, type: fake}, {name: c, type: fake}]\n", "1:42",
		    "defined twice");
	parse_fails("callouts: [{name: c, type: fake, params: [1]}]\n", "1:42",
		    "callout params is a list; expected a mapping");
	parse_fails("callouts: [{name: c, type: fake, params: {a: 1, a: 2}}]\n", "1:49",
		    "parameter 'a' given twice");
	parse_fails("callouts: [{type: fake}]\n", "1:12", "callout has no 'name'");
}

static void test_filter_errors(void **state)
{
	(void)state;
	parse_fails("filters: [{action: permit}]\n", "1:11", "has no 'layer'");
	parse_fails("filters: [{layer: stream_v5, action: permit}]\n", "1:19",
		    "unknown layer 'stream_v5'");
	parse_fails("filters: [{layer: stream}]\n", "1:11", "has no 'action'");
	parse_fails("filters: [{layer: stream, action: allow}]\n", "1:35", "unknown action 'allow'");
	parse_fails("filters: [{layer: stream, action: callout_inspection}]\n", "1:35",
		    "needs a 'callout'");
	parse_fails("filters: [{layer: stream, action: permit, callout: x}]\n", "1:52",
		    "takes no 'callout'");
	parse_fails("filters: [{layer: stream, action: callout_unknown, callout: nope}]\n", "1:61",
		    "unknown callout 'nope'");
	parse_fails("filters: [{layer: stream, action: block, sublayer: nope}]\n", "1:52",
		    "unknown sublayer 'nope'");
	parse_fails("filters: [{layer: stream, action: block, weight: heavy}]\n", "1:50",
		    "weight 'heavy' is not valid");
	parse_fails("filters: [{layer: stream, action: block, weight: {range: 16}}]\n", "1:58",
		    "expected an integer 0..15");
	parse_fails("filters: [{layer: stream, action: block, weight: {ranje: 1}}]\n", "1:51",
		    "unknown weight key");
	parse_fails("filters: [{layer: stream, action: block, flags: [sticky]}]\n", "1:50",
		    "unknown filter flag 'sticky'");
	parse_fails(
		"filters: [{layer: stream, action: block, flags: [permit_if_callout_unregistered]}]\n",
		"1:49", "needs action callout_terminating or callout_unknown");
	parse_fails("filters: [{layer: stream, action: block, context: -3}]\n", "1:51",
		    "filter context '-3'");
	parse_fails(
		"callouts: [{name: c, type: fake}]\n"
		"filters: [{layer: flow_established_v4, action: callout_terminating, callout: c}]\n",
		"2:78", "built-in stream callout");
	parse_fails("filters: [{layer: stream, action: block, name: \"\"}]\n", "1:48",
		    "expected a non-empty string");
}

static void test_condition_errors(void **state)
{
	(void)state;
#define F(conds) "filters: [{layer: stream, action: block, conditions: [" conds "]}]\n"
	/* column of the first condition: 54 */
	parse_fails(F("{field: port, value: 1}"), "1:63", "unknown condition field 'port'");
	parse_fails(F("{value: 1}"), "1:55", "has no 'field'");
	parse_fails(F("{field: local_port}"), "1:55", "has no 'value'");
	parse_fails(F("{field: local_port, match: like, value: 1}"), "1:82", "unknown match 'like'");
	parse_fails(F("{field: local_port, match: range, value: 1}"), "1:96",
		    "match range needs a value [low, high]");
	parse_fails(F("{field: local_port, match: equal, value: [1, 2]}"), "1:96",
		    "needs match range");
	parse_fails(F("{field: local_port, value: [1, 2, 3]}"), "1:82", "range has 3 values");
	parse_fails(F("{field: local_port, value: [9, 2]}"), "1:82", "range low 9 is above high 2");
	parse_fails(F("{field: local_port, value: 65536}"), "1:82", "expected an integer 0..65535");
	parse_fails(F("{field: remote_address, value: 10.0.0.300}"), "1:86",
		    "is not valid; expected an IPv4 or IPv6");
	parse_fails(F("{field: remote_address, value: \"10.0.0.0/33\"}"), "1:86", "is not valid");
	parse_fails(F("{field: remote_address, match: greater, value: \"10.0.0.0/8\"}"), "1:86",
		    "only works with equal or not_equal");
	parse_fails(F("{field: remote_address, match: flags_any_set, value: 1.2.3.4}"), "1:86",
		    "does not apply to remote_address");
	parse_fails(F("{field: remote_address, value: [1.2.3.4, \"::1\"]}"), "1:86",
		    "mixes IPv4 and IPv6");
	parse_fails(F("{field: remote_address, value: [1.2.3.9, 1.2.3.4]}"), "1:86",
		    "range low is above high");
	parse_fails(F("{field: direction, value: sideways}"), "1:81", "expected outbound or inbound");
	parse_fails(F("{field: flags, value: [loopback, shiny]}"), "1:88",
		    "unknown condition flag 'shiny'");
	parse_fails(F("{field: local_address_type, value: weird}"), "1:90", "address type 'weird'");
	parse_fails(F("{field: local_port, value: 1, extra: 2}"), "1:85",
		    "unknown condition key 'extra'");
	parse_fails("filters: [{layer: stream_v6, action: block,\n"
		    "  conditions: [{field: remote_address, value: 10.1.2.3}]}]\n",
		    "2:16", "condition value is IPv4 but the filter's layer is IPv6");
#undef F
}

static void test_filter_add_text_parses_one_filter(void **state)
{
	(void)state;
	uint64_t ids[2];
	size_t n = 9;
	owfp_error err = {{0}};
	/* Without an engine the parse still runs first: errors name <filter>. */
	const char *bad = "{layer: stream, action: nope}";
	assert_int_not_equal(owfp_config_filter_add(NULL, bad, strlen(bad), ids, &n, &err), 0);
	assert_string_equal(err.msg, "<filter>:1:25: unknown action 'nope'; expected permit, block, "
				     "callout_terminating, callout_inspection or callout_unknown");
	assert_int_equal(n, 0);
}

static void test_file_errors(void **state)
{
	(void)state;
	owfp_config *cfg = NULL;
	owfp_error err = {{0}};
	assert_int_equal(owfp_config_parse_file("/nonexistent/owfp.yaml", &cfg, &err), -ENOENT);
	assert_string_equal(err.msg,
			    "/nonexistent/owfp.yaml: cannot open: No such file or directory");
	char path[] = "/tmp/owfp-cfg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "filters:\n  - {layer: stream, action: bloc}\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_not_equal(owfp_config_parse_file(path, &cfg, &err), 0);
	char want[128];
	snprintf(want, sizeof(want), "%s:2:29: unknown action 'bloc'", path);
	assert_true(strncmp(err.msg, want, strlen(want)) == 0);
	unlink(path);
}

static void test_value_errors_beyond_the_grammar(void **state)
{
	(void)state;
	/* A quoted NUL byte cannot hide the rest of a name. */
	static const char nul[] = "sublayers: [{name: \"a\\0b\", weight: 1}]\n";
	parse_fails(nul, "1:20", "contains a NUL byte");
	/* Parameters cannot nest without bound (aliases could make them explode). */
	char deep[4096] = "callouts: [{name: c, type: fake, params: {a: ";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "}}]\n");
	parse_fails(deep, "1:78", "parameters nest too deep");
	parse_fails("callouts: [{name: c, type: [fake]}]\n", "1:28",
		    "callout type is a list; expected a non-empty string");
	parse_fails("filters: [{layer: stream, action: block, conditions: {field: local_port}}]\n",
		    "1:54", "conditions is a mapping; expected a list");
	parse_fails("filters: [{layer: stream, action: block, flags: clear_action_right}]\n",
		    "1:49", "filter flags is a scalar; expected a list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_config_becomes_the_model),
		cmocka_unit_test(test_json_is_accepted),
		cmocka_unit_test(test_sublayer_key_is_derived_from_the_name),
		cmocka_unit_test(test_empty_sections_are_allowed),
		cmocka_unit_test(test_document_errors),
		cmocka_unit_test(test_sublayer_errors),
		cmocka_unit_test(test_callout_errors),
		cmocka_unit_test(test_filter_errors),
		cmocka_unit_test(test_condition_errors),
		cmocka_unit_test(test_filter_add_text_parses_one_filter),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_value_errors_beyond_the_grammar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
