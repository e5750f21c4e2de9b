/* The direct reader with its read-ahead thread against the same reader in
 * line: identical events, bytes and errors on captures much larger than
 * the read-ahead ring, whose records (up to the 256 KiB maximum) straddle
 * its blocks at every possible place, whole or cut short. Also run under
 * ThreadSanitizer (the _tsan name), for the handoffs with the thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture/internal.h"

#include "capture_recorder.h"
#include "bulk_capture.h"
#include "pcap_writer.h"

#define MAX_RECORD BULK_MAX_RECORD

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The shape of this test's captures (bulk_capture.h). */
static size_t write_capture(const char *path, uint64_t seed, uint8_t *stream, size_t cap)
{
	static const struct bulk_shape shape = {60000, 4};
	size_t len = bulk_capture_write(path, seed, &shape, stream, cap);
	assert_true(len > 0 || cap == 0);
	return len;
}

struct outcome {
	char *log;
	size_t delivered;
	int rc;
	owfp_capture_error err;
	owfp_capture_stats st;
};

static struct outcome run(const char *path, bool read_ahead, const uint8_t *stream, size_t len)
{
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = OWFP_CAPTURE_READER_DIRECT;
	o.read_ahead = read_ahead;
	struct recorder rec;
	recorder_init(&rec);
	rec.log_ts = 1;
	struct outcome out;
	memset(&out, 0, sizeof(out));
	out.rc = recorder_run(&rec, path, &o, &out.st, &out.err);
	out.log = strdup(rec.log ? rec.log : "");
	if (rec.nflows) {
		struct rec_flow *f = &rec.flows[0];
		out.delivered = f->len[0];
		assert_true(f->len[0] <= len);
		assert_memory_equal(f->bytes[0], stream, f->len[0]);
	}
	recorder_free(&rec);
	return out;
}

static void assert_same(const struct outcome *a, const struct outcome *b)
{
	assert_int_equal(a->rc, b->rc);
	assert_string_equal(a->log, b->log);
	assert_int_equal(a->delivered, b->delivered);
	assert_int_equal(a->err.record, b->err.record);
	assert_int_equal(a->err.offset, b->err.offset);
	assert_string_equal(a->err.reason, b->err.reason);
	assert_int_equal(a->st.non_tcp, b->st.non_tcp);
	assert_int_equal(a->st.tcp_segments, b->st.tcp_segments);
}

static void test_read_ahead_matches_in_line_reader_on_large_capture(void **state)
{
	(void)state;
	char *path = tw_tmpname("readahead");
	size_t cap = 6u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		size_t len = write_capture(path, seed * 0x9e3779b97f4a7c15ull, stream, cap);
		struct outcome a = run(path, true, stream, len);
		struct outcome b = run(path, false, stream, len);
		assert_int_equal(a.rc, 0);
		assert_int_equal(a.delivered, len);
		assert_true(a.st.non_tcp > 100);
		assert_same(&a, &b);
		free(a.log);
		free(b.log);
	}
	free(stream);
	unlink(path);
	free(path);
}

/* Cut anywhere, both report the same record, offset and reason, after
 * delivering the same bytes. */
static void test_read_ahead_truncated_capture_reports_same_record_and_offset(void **state)
{
	(void)state;
	char *path = tw_tmpname("readahead-cut");
	size_t cap = 3u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	size_t len = write_capture(path, 77, stream, cap);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	uint64_t s = 12345;
	for (int i = 0; i < 12; i++) {
		long at = 24 + (long)(next_rand(&s) % (uint64_t)(size - 24));
		assert_int_equal(truncate(path, at), 0);
		struct outcome a = run(path, true, stream, len);
		struct outcome b = run(path, false, stream, len);
		assert_same(&a, &b);
		free(a.log);
		free(b.log);
		size = at;
	}
	free(stream);
	unlink(path);
	free(path);
}

static void test_read_ahead_empty_capture_ends_cleanly(void **state)
{
	(void)state;
	char *path = tw_tmpname("readahead-empty");
	tw_file *w = tw_open(path, TW_PCAP_US, TW_ETH);
	tw_close(w);
	struct outcome a = run(path, true, NULL, 0);
	assert_int_equal(a.rc, 0);
	assert_int_equal(a.st.tcp_segments, 0);
	free(a.log);
	unlink(path);
	free(path);
}

/* The ring itself, with a caller that stops for longer than the reader
 * naps on a full ring (so the reader goes on to sleep on the condition
 * variable and must be woken): every byte of the file arrives once, in
 * order, and stopping the thread mid-file ends it cleanly. */
static void test_read_ahead_ring_survives_a_caller_that_stops(void **state)
{
	(void)state;
	char *path = tw_tmpname("readahead-ring");
	size_t n = (size_t)3 << 20;
	uint8_t *want = malloc(n);
	assert_non_null(want);
	uint64_t s = 42;
	for (size_t i = 0; i < n; i++)
		want[i] = (uint8_t)next_rand(&s);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(want, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	for (int stop_early = 0; stop_early < 2; stop_early++) {
		int fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		struct cap_readahead *ra;
		assert_int_equal(owfp_capture_readahead_start(&ra, fd, 64 << 10, 0, 4), 0);
		size_t got = 0;
		for (int blk = 0;; blk++) {
			/* Twice the reader's 10 ms of naps, so that it is all but
             * certainly asleep on the condition variable when the caller
             * comes back (without the wake-up the test then hangs). The
             * assertions below hold however long the pause really is. */
			if (blk == 1 || blk == 20)
				nanosleep(&(struct timespec){0, 25 * 1000 * 1000}, NULL);
			uint8_t *data;
			size_t len;
			assert_int_equal(owfp_capture_readahead_take(ra, &data, &len), 0);
			if (len == 0)
				break;
			assert_true(got + len <= n);
			assert_memory_equal(data, want + got, len);
			got += len;
			owfp_capture_readahead_release(ra);
			if (stop_early && blk == 25)
				break;
		}
		assert_int_equal(got, stop_early ? (size_t)26 * (64 << 10) : n);
		owfp_capture_readahead_stop(ra);
		close(fd);
	}
	free(want);
	unlink(path);
	free(path);
}

int main(void)
{
	/* The thread always (by default it reads only where it pays). */
	setenv("OWFP_READ_AHEAD", "thread", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_ahead_matches_in_line_reader_on_large_capture),
		cmocka_unit_test(test_read_ahead_truncated_capture_reports_same_record_and_offset),
		cmocka_unit_test(test_read_ahead_empty_capture_ends_cleanly),
		cmocka_unit_test(test_read_ahead_ring_survives_a_caller_that_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
