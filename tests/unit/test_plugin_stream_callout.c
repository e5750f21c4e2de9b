/*
 * A plugin written like a Windows stream callout driver runs end to end:
 * loaded into a bound engine, its DriverEntry registers a callout and adds
 * its filter through Fwpm*, classifyFn sees and copies every byte of a
 * flow, the bytes are delivered, and unloading leaves nothing behind.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "openwfp/openwfp.h"
#include "wdm/plugin.h"
#include "wdm/pool.h"

#define PERMIT_TAG OWFP_POOL_TAG('O', 'P', 'r', 'm')

typedef struct sink {
	char got[2][64];
	size_t len[2];
	int fins;
	int drops;
} sink;

static void deliver(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len)
{
	sink *s = dp;

	(void)flow;
	assert_true(s->len[dir] + len <= sizeof(s->got[dir]));
	memcpy(s->got[dir] + s->len[dir], data, len);
	s->len[dir] += len;
}

static void deliver_fin(void *dp, owfp_flow *flow, int dir)
{
	(void)flow;
	(void)dir;
	((sink *)dp)->fins++;
}

static void deliver_abort(void *dp, owfp_flow *flow, int dir)
{
	(void)dp;
	(void)flow;
	(void)dir;
}

static void drop(void *dp, owfp_flow *flow, enum owfp_drop_reason why)
{
	(void)flow;
	(void)why;
	((sink *)dp)->drops++;
}

static void pause_dir(void *dp, owfp_flow *flow, int dir, bool paused)
{
	(void)dp;
	(void)flow;
	(void)dir;
	(void)paused;
}

static void offload(void *dp, owfp_flow *flow)
{
	(void)dp;
	(void)flow;
}

static void wake(void *dp, owfp_flow *flow)
{
	(void)dp;
	(void)flow;
}

static const owfp_flow_ops ops = {deliver,   deliver_fin, deliver_abort, drop,
				  pause_dir, offload,     wake};

static const owfp_callout_stats *find_callout(const owfp_engine_stats *st, const char *name)
{
	for (size_t i = 0; i < st->ncallouts && i < 64; i++)
		if (strstr(st->callouts[i].name, name))
			return &st->callouts[i];
	return NULL;
}

static void run_flow(owfp_engine *engine, sink *s)
{
	owfp_flow_key key = {
		.family = AF_INET, .local_port = 40000, .remote_port = 80, .outbound = true};
	owfp_flow *flow = NULL;

	inet_pton(AF_INET, "127.0.0.1", key.local_addr);
	inet_pton(AF_INET, "127.0.0.1", key.remote_addr);
	assert_int_equal(owfp_flow_create(engine, &key, &ops, s, &flow), 0);
	assert_int_equal(owfp_flow_indicate(flow, OWFP_DIR_OUTBOUND,
					    (const uint8_t *)"GET / HTTP/1.0\r\n\r\n", 18,
					    OWFP_SEG_PUSH, 0),
			 0);
	assert_int_equal(owfp_flow_indicate(flow, OWFP_DIR_INBOUND,
					    (const uint8_t *)"HTTP/1.0 200 OK\r\n", 17, 0, 0),
			 0);
	assert_int_equal(
		owfp_flow_indicate(flow, OWFP_DIR_INBOUND, (const uint8_t *)"\r\nbody", 6, 0, 0), 0);
	assert_int_equal(owfp_flow_indicate_fin(flow, OWFP_DIR_OUTBOUND), 0);
	assert_int_equal(owfp_flow_indicate_fin(flow, OWFP_DIR_INBOUND), 0);
	owfp_flow_close(flow);
}

static void test_stream_callout_plugin_runs_end_to_end(void **state)
{
	owfp_engine_opts opts = {0};
	owfp_engine *engine = NULL;
	owfp_engine_stats *st = calloc(1, sizeof(*st));
	const owfp_callout_stats *c;
	owfp_plugin *p = NULL;
	char path[PATH_MAX], err[512] = "";
	const char *build = getenv("OWFP_BUILD_DIR");
	sink s = {.len = {0, 0}};

	(void)state;
	assert_non_null(st);
	assert_true(snprintf(path, sizeof(path), "%s/plugins/plugin_stream_permit.so",
			     build ? build : ".") < PATH_MAX);
	assert_int_equal(owfp_engine_create(&opts, &engine), 0);
	if (owfp_plugin_load(path, &p, err, sizeof(err)) != 0)
		fail_msg("%s", err);

	run_flow(engine, &s);
	assert_int_equal(s.drops, 0);
	assert_int_equal(s.len[OWFP_DIR_OUTBOUND], 18);
	assert_memory_equal(s.got[OWFP_DIR_OUTBOUND], "GET / HTTP/1.0\r\n\r\n", 18);
	assert_int_equal(s.len[OWFP_DIR_INBOUND], 23);
	assert_memory_equal(s.got[OWFP_DIR_INBOUND], "HTTP/1.0 200 OK\r\n\r\nbody", 23);

	owfp_engine_stats_get(engine, st);
	c = find_callout(st, "OpenWFP test permit");
	assert_non_null(c);
	assert_true(c->classify_calls >= 3);
	assert_int_equal(c->bytes_indicated, 41);
	assert_int_equal(c->bytes_permitted, 41);
	assert_int_equal(c->violations, 0);
	/* classifyFn freed each of its copies. */
	assert_int_equal(owfp_pool_outstanding(PERMIT_TAG), 0);

	owfp_plugin_unload(p);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DEVICE), 0);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_DRIVER), 0);

	/* Unloaded: its filter is gone, so a new flow is neither classified
	 * by it nor blocked for want of its callout. */
	memset(&s, 0, sizeof(s));
	run_flow(engine, &s);
	assert_int_equal(s.len[OWFP_DIR_OUTBOUND], 18);
	assert_int_equal(s.len[OWFP_DIR_INBOUND], 23);
	owfp_engine_stats_get(engine, st);
	c = find_callout(st, "OpenWFP test permit");
	if (c)
		assert_int_equal(c->bytes_indicated, 41);
	owfp_engine_destroy(engine);
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_callout_plugin_runs_end_to_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
