/* The proxy's output queue: bytes leave in order however they were appended and flushed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/outq.h"

static void test_outq_keeps_order_across_chunks_and_partial_writes(void **state)
{
	enum { N = 700 * 1024 };
	uint8_t *src = malloc(N), *dst = malloc(N);
	owfp_outq q = {0};
	int sv[2];
	size_t in = 0, got = 0;

	(void)state;
	for (size_t i = 0; i < N; i++)
		src[i] = (uint8_t)(i * 31 + (i >> 11));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	/* Appends of every size, from 1 byte to several chunks at once. */
	for (size_t step = 1; in < N; step = step * 3 + 1) {
		size_t n = step > N - in ? N - in : step;
		assert_int_equal(owfp_outq_append(&q, src + in, n), 0);
		in += n;
		assert_int_equal(q.bytes + got, in);
		ssize_t w = owfp_outq_flush(&q, sv[0]);
		assert_true(w >= 0);
		for (;;) {
			ssize_t r = recv(sv[1], dst + got, N - got, MSG_DONTWAIT);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
	}
	while (q.bytes) {
		assert_true(owfp_outq_flush(&q, sv[0]) >= 0);
		ssize_t r = recv(sv[1], dst + got, N - got, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
	while (got < N) {
		ssize_t r = recv(sv[1], dst + got, N - got, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_memory_equal(src, dst, N);
	assert_null(q.head);
	close(sv[0]);
	close(sv[1]);
	free(src);
	free(dst);
}

static void test_outq_flush_reports_a_dead_peer(void **state)
{
	owfp_outq q = {0};
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	assert_int_equal(owfp_outq_append(&q, (const uint8_t *)"abc", 3), 0);
	assert_int_equal(owfp_outq_flush(&q, sv[0]), -EPIPE);
	assert_int_equal(q.bytes, 3);
	owfp_outq_clear(&q);
	assert_int_equal(q.bytes, 0);
	close(sv[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outq_keeps_order_across_chunks_and_partial_writes),
		cmocka_unit_test(test_outq_flush_reports_a_dead_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
