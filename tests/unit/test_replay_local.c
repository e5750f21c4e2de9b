/*
 * --local (spec Q28): which capture endpoint is the local host, from
 * "client", "server" or ADDR[/PREFIX].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "replay/local.h"

static owfp_capture_flow flow(int family, const char *client, const char *server)
{
	owfp_capture_flow f;
	memset(&f, 0, sizeof(f));
	f.family = family;
	inet_pton(family, client, f.client.addr);
	inet_pton(family, server, f.server.addr);
	return f;
}

static bool local_is_client(const char *opt, const owfp_capture_flow *f)
{
	owfp_replay_opts o;
	owfp_replay_opts_init(&o);
	assert_int_equal(owfp_replay_parse_local(opt, &o), 0);
	return owfp_replay_local_is_client(&o, f);
}

static void test_client_is_local_by_default(void **state)
{
	(void)state;
	owfp_replay_opts o;
	owfp_capture_flow f = flow(AF_INET, "10.0.0.1", "10.0.0.2");
	owfp_replay_opts_init(&o);
	assert_true(owfp_replay_local_is_client(&o, &f));
	assert_int_equal(o.drain_timeout_ms, 5000);
	assert_true(local_is_client("client", &f));
	assert_false(local_is_client("server", &f));
}

static void test_prefix_picks_the_endpoint_inside(void **state)
{
	(void)state;
	owfp_capture_flow f = flow(AF_INET, "192.168.1.10", "10.1.2.3");
	assert_true(local_is_client("192.168.0.0/16", &f));
	assert_false(local_is_client("10.0.0.0/8", &f));
	assert_false(local_is_client("10.1.2.3", &f));
	/* Neither inside: the client, as by default. */
	assert_true(local_is_client("172.16.0.0/12", &f));
	/* Both inside (loopback): the client. */
	owfp_capture_flow lo = flow(AF_INET, "127.0.0.1", "127.0.0.2");
	assert_true(local_is_client("127.0.0.0/8", &lo));
	/* A prefix that is not a byte multiple. */
	owfp_capture_flow g = flow(AF_INET, "10.0.0.1", "10.0.0.200");
	assert_false(local_is_client("10.0.0.192/26", &g));
	/* An IPv4 prefix never matches IPv6 flows. */
	owfp_capture_flow v6 = flow(AF_INET6, "2001:db8::1", "2001:db8:1::2");
	assert_true(local_is_client("10.0.0.0/8", &v6));
	assert_false(local_is_client("2001:db8:1::/48", &v6));
}

static void test_bad_values_are_refused(void **state)
{
	(void)state;
	owfp_replay_opts o;
	owfp_replay_opts_init(&o);
	static const char *const bad[] = {"",          "clients",   "10.0.0.1/33",
					  "::1/129",   "10.0.0.1/", "10.0.0.1/-1",
					  "300.1.1.1", "/8",        NULL};
	for (size_t i = 0; bad[i]; i++)
		assert_int_not_equal(owfp_replay_parse_local(bad[i], &o), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_is_local_by_default),
		cmocka_unit_test(test_prefix_picks_the_endpoint_inside),
		cmocka_unit_test(test_bad_values_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
