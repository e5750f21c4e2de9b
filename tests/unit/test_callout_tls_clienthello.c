/*
 * The TLS ClientHello parser used by tls_sni_filter, on real ClientHellos
 * recorded at test time from `openssl s_client`, re-framed and truncated,
 * and on malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "callouts/tls_clienthello.h"
#include "clienthello_capture.h"

static uint8_t hello13[8192], hello12[8192], hello_nosni[8192];
static long len13, len12, len_nosni;

static int record_all(void **st)
{
	(void)st;
	len13 = owfp_test_record_clienthello("www.example.com", "h2,http/1.1", NULL, hello13,
					     sizeof(hello13));
	len12 = owfp_test_record_clienthello("legacy.test", NULL, "-tls1_2", hello12,
					     sizeof(hello12));
	len_nosni = owfp_test_record_clienthello(NULL, NULL, NULL, hello_nosni, sizeof(hello_nosni));
	if (len13 <= 0 || len12 <= 0 || len_nosni <= 0) {
		fprintf(stderr, "recording a ClientHello with openssl s_client failed: %ld %ld %ld\n",
			len13, len12, len_nosni);
		return -1;
	}
	return 0;
}

static enum owfp_tls_result parse(const uint8_t *b, size_t n, owfp_tls_hello *h)
{
	static uint8_t scratch[16384];
	return owfp_tls_clienthello_parse(b, n, scratch, sizeof(scratch), h);
}

static bool sni_is(const owfp_tls_hello *h, const char *name)
{
	return h->sni && h->sni_len == strlen(name) && memcmp(h->sni, name, h->sni_len) == 0;
}

static void test_real_hello_gives_sni_and_alpn(void **st)
{
	(void)st;
	owfp_tls_hello h;
	assert_int_equal(parse(hello13, (size_t)len13, &h), OWFP_TLS_OK);
	assert_true(sni_is(&h, "www.example.com"));
	assert_int_equal(h.alpn_count, 2);
	assert_memory_equal(h.alpn[0], "h2", 2);
	assert_memory_equal(h.alpn[1], "http/1.1", 8);
	assert_int_equal(h.consumed, (size_t)len13);

	assert_int_equal(parse(hello12, (size_t)len12, &h), OWFP_TLS_OK);
	assert_true(sni_is(&h, "legacy.test"));
	assert_int_equal(h.alpn_count, 0);

	assert_int_equal(parse(hello_nosni, (size_t)len_nosni, &h), OWFP_TLS_OK);
	assert_null(h.sni);
}

/* Every strict prefix is INCOMPLETE: the callout can keep asking for more. */
static void test_every_prefix_is_incomplete(void **st)
{
	(void)st;
	owfp_tls_hello h;
	for (long i = 0; i < len13; i++)
		assert_int_equal(parse(hello13, (size_t)i, &h), OWFP_TLS_INCOMPLETE);
}

/* The hello split across many records parses the same, for every record size. */
static void test_hello_split_across_records(void **st)
{
	(void)st;
	static uint8_t re[65536];
	for (size_t k = 1; k <= 600; k += (k < 40 ? 1 : 37)) {
		long n = owfp_test_reframe_records(hello13, (size_t)len13, k, re, sizeof(re));
		assert_true(n > 0);
		owfp_tls_hello h;
		assert_int_equal(parse(re, (size_t)n, &h), OWFP_TLS_OK);
		assert_true(sni_is(&h, "www.example.com"));
		assert_int_equal(h.alpn_count, 2);
		/* and truncated anywhere it is incomplete */
		assert_int_equal(parse(re, (size_t)n - 1, &h), OWFP_TLS_INCOMPLETE);
	}
}

static void test_non_tls_is_recognised_from_the_first_bytes(void **st)
{
	(void)st;
	owfp_tls_hello h;
	assert_int_equal(parse((const uint8_t *)"G", 1, &h), OWFP_TLS_NOT_TLS);
	assert_int_equal(parse((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &h), OWFP_TLS_NOT_TLS);
	const uint8_t v2[] = {0x16, 0x02};
	assert_int_equal(parse(v2, 2, &h), OWFP_TLS_NOT_TLS);
	const uint8_t alert[] = {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28};
	assert_int_equal(parse(alert, sizeof(alert), &h), OWFP_TLS_NOT_TLS);
}

/* Corrupt one length field at a time: never OK with a wrong answer, never a crash. */
static void test_malformed_lengths_are_rejected(void **st)
{
	(void)st;
	owfp_tls_hello h;
	uint8_t b[8192];
	/* record length 0 */
	memcpy(b, hello13, (size_t)len13);
	b[3] = 0;
	b[4] = 0;
	assert_int_equal(parse(b, (size_t)len13, &h), OWFP_TLS_MALFORMED);
	/* not a ClientHello handshake */
	memcpy(b, hello13, (size_t)len13);
	b[5] = 2;
	assert_int_equal(parse(b, (size_t)len13, &h), OWFP_TLS_MALFORMED);
	/* handshake length beyond the scratch limit */
	memcpy(b, hello13, (size_t)len13);
	b[6] = 0x7f;
	assert_int_equal(parse(b, (size_t)len13, &h), OWFP_TLS_MALFORMED);
	/* a different record type after the first record */
	long n = owfp_test_reframe_records(hello13, (size_t)len13, 100, b, sizeof(b));
	b[105] = 23;
	assert_int_equal(parse(b, (size_t)n, &h), OWFP_TLS_MALFORMED);
	/* flip every byte of the hello body in turn: any result, no crash (ASan watches) */
	for (long i = 5; i < len13; i++) {
		memcpy(b, hello13, (size_t)len13);
		b[i] ^= 0xff;
		enum owfp_tls_result r = parse(b, (size_t)len13, &h);
		if (r == OWFP_TLS_OK && h.sni)
			assert_true(h.sni_len > 0 && h.sni_len <= 255);
	}
	/* random garbage after a valid record header */
	srand(7);
	for (int t = 0; t < 2000; t++) {
		size_t len = 5 + (size_t)(rand() % 600);
		b[0] = 22;
		b[1] = 3;
		b[2] = 1;
		b[3] = (uint8_t)((len - 5) >> 8);
		b[4] = (uint8_t)(len - 5);
		for (size_t i = 5; i < len; i++)
			b[i] = (uint8_t)rand();
		b[5] = 1;
		(void)parse(b, len, &h);
	}
}

static void test_duplicate_server_name_is_malformed(void **st)
{
	(void)st;
	/* A minimal hand-built ClientHello with two server_name extensions. */
	uint8_t hs[] = {
		1,
		0,
		0,
		0, /* handshake header, length patched below */
		3,
		3, /* legacy_version */
		/* random */ 0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0, /* session id */
		0,
		2,
		0x13,
		0x01, /* cipher suites */
		1,
		0, /* compression */
		0,
		26, /* extensions length */
		0,
		0,
		0,
		9,
		0,
		7,
		0,
		0,
		4,
		'a',
		'.',
		'c',
		'o',
		0,
		0,
		0,
		9,
		0,
		7,
		0,
		0,
		4,
		'b',
		'.',
		'c',
		'o',
	};
	size_t hl = sizeof(hs) - 4;
	hs[3] = (uint8_t)hl;
	uint8_t rec[256] = {22, 3, 1, 0, (uint8_t)sizeof(hs)};
	memcpy(rec + 5, hs, sizeof(hs));
	owfp_tls_hello h;
	assert_int_equal(parse(rec, 5 + sizeof(hs), &h), OWFP_TLS_MALFORMED);
	/* with the second one renamed to another type it is fine */
	rec[5 + sizeof(hs) - 13 + 1] = 0x33;
	assert_int_equal(parse(rec, 5 + sizeof(hs), &h), OWFP_TLS_OK);
	assert_true(sni_is(&h, "a.co"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_hello_gives_sni_and_alpn),
		cmocka_unit_test(test_every_prefix_is_incomplete),
		cmocka_unit_test(test_hello_split_across_records),
		cmocka_unit_test(test_non_tls_is_recognised_from_the_first_bytes),
		cmocka_unit_test(test_malformed_lengths_are_rejected),
		cmocka_unit_test(test_duplicate_server_name_is_malformed),
	};
	return cmocka_run_group_tests(tests, record_all, NULL);
}
