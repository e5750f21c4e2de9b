/* --listen/--upstream ADDR:PORT: IPv4, bracketed IPv6, and the errors users see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "proxy/proxy.h"

static void roundtrip(const char *in, const char *want, int family)
{
	owfp_proxy_addr a;
	owfp_error err;
	char buf[80];

	assert_int_equal(owfp_proxy_addr_parse(in, &a, &err), 0);
	assert_int_equal(a.ss.ss_family, family);
	assert_string_equal(owfp_proxy_addr_str((struct sockaddr *)&a.ss, buf, sizeof(buf)), want);
}

static void test_proxy_addr_parses_v4_and_bracketed_v6(void **state)
{
	(void)state;
	roundtrip("127.0.0.1:8080", "127.0.0.1:8080", AF_INET);
	roundtrip("[::1]:443", "[::1]:443", AF_INET6);
	roundtrip("[2001:db8::5]:0", "[2001:db8::5]:0", AF_INET6);
	roundtrip(":80", "0.0.0.0:80", AF_INET);
}

static void test_proxy_addr_rejects_bad_input_with_a_message(void **state)
{
	const char *bad[] = {"127.0.0.1",    "127.0.0.1:", "127.0.0.1:65536",
			     "::1:80",       "[::1]80",    "[::1:80",
			     "localhost:80", "1.2.3.4:8x", "[1.2.3.4]:80x"};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		owfp_proxy_addr a;
		owfp_error err = {{0}};
		assert_int_not_equal(owfp_proxy_addr_parse(bad[i], &a, &err), 0);
		assert_non_null(strstr(err.msg, bad[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_addr_parses_v4_and_bracketed_v6),
		cmocka_unit_test(test_proxy_addr_rejects_bad_input_with_a_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
