/*
 * The one flow-key builder (src/host/flow_key.c): addresses, ports,
 * direction and the IS_LOOPBACK rule (docs/semantics.md), whichever data
 * path calls it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "host/flow_key.h"
#include "openwfp/fwptypes.h"

static owfp_host_endpoint ep(const char *text, uint16_t port)
{
	owfp_host_endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	e.port = port;
	assert_int_equal(inet_pton(e.family, text, e.addr), 1);
	return e;
}

static owfp_flow_key key(const char *client, const char *server, bool local_is_client)
{
	owfp_host_conn c = {.client = ep(client, 40000),
			    .server = ep(server, 80),
			    .local_is_client = local_is_client};
	owfp_flow_key k;

	owfp_host_flow_key(&c, &k);
	return k;
}

static bool loopback(const char *client, const char *server)
{
	return key(client, server, true).condition_flags & FWP_CONDITION_FLAG_IS_LOOPBACK;
}

static void local_end_follows_q28(void **state)
{
	(void)state;
	owfp_flow_key k = key("10.0.0.1", "10.0.0.2", true);
	assert_int_equal(k.family, AF_INET);
	assert_memory_equal(k.local_addr, "\x0a\x00\x00\x01", 4);
	assert_memory_equal(k.remote_addr, "\x0a\x00\x00\x02", 4);
	assert_int_equal(k.local_port, 40000);
	assert_int_equal(k.remote_port, 80);
	assert_true(k.outbound);

	k = key("10.0.0.1", "10.0.0.2", false);
	assert_memory_equal(k.local_addr, "\x0a\x00\x00\x02", 4);
	assert_int_equal(k.local_port, 80);
	assert_int_equal(k.remote_port, 40000);
	assert_false(k.outbound);
	assert_int_equal(k.condition_flags, 0);
}

/* A v4 end meets a v6 end (a dual-stack proxy): both are written as IPv6. */
static void mixed_families_are_v4_mapped(void **state)
{
	(void)state;
	owfp_flow_key k = key("192.0.2.1", "2001:db8::1", true);
	static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, 192, 0, 2, 1};
	assert_int_equal(k.family, AF_INET6);
	assert_memory_equal(k.local_addr, mapped, 16);
}

static void loopback_when_both_ends_are_this_host(void **state)
{
	(void)state;
	assert_true(loopback("127.0.0.1", "127.0.0.1"));
	assert_true(loopback("127.0.0.3", "127.0.0.2"));
	assert_true(loopback("::1", "::1"));
	assert_true(loopback("::ffff:127.0.0.1", "::1"));
	assert_true(loopback("192.0.2.7", "192.0.2.7")); /* its own address */
	assert_true(loopback("2001:db8::5", "2001:db8::5"));
}

/* One loopback end is not enough: the old replay rule looked only at the
 * local address (a crafted capture could mark remote traffic loopback). */
static void not_loopback_when_one_end_is_elsewhere(void **state)
{
	(void)state;
	assert_false(loopback("127.0.0.1", "10.0.0.2"));
	assert_false(loopback("10.0.0.2", "127.0.0.1"));
	assert_false(loopback("::1", "::2"));
	assert_false(loopback("10.0.0.1", "10.0.0.2"));
	assert_false(loopback("128.0.0.1", "128.0.0.2"));
	assert_false(key("127.0.0.1", "10.0.0.2", false).condition_flags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_end_follows_q28),
		cmocka_unit_test(mixed_families_are_v4_mapped),
		cmocka_unit_test(loopback_when_both_ends_are_this_host),
		cmocka_unit_test(not_loopback_when_one_end_is_elsewhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
