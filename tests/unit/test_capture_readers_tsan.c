/* Every way the direct reader can get the file's bytes (OWFP_READER=read,
 * fadvise, uring; OWFP_READ_AHEAD=inline, thread, auto (probes both
 * over the first windows, keeps one), and alternate, which switches
 * between the thread and in-line reading at every window)
 * hands out the same records as plain read() in line: identical events
 * and bytes on captures whose records straddle every block and window
 * boundary, the same error on a file cut short, the bytes added to a file
 * that grows while it is read, and a read error (injected EIO) reported
 * with the file and the offset. Also run under ThreadSanitizer (the _tsan
 * name), for the hand-offs when the thread stops and starts again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/internal.h"

#include "capture_recorder.h"
#include "bulk_capture.h"
#include "pcap_writer.h"

#define MAX_RECORD BULK_MAX_RECORD

struct mode {
	const char *io, *ra;
};

static const struct mode modes[] = {
	{"read", "inline"},    {"read", "thread"},       {"read", "alternate"}, {"read", "auto"},
	{"fadvise", "inline"}, {"fadvise", "alternate"}, {"uring", "inline"},
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

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
	static const struct bulk_shape shape = {30000, 6};
	size_t len = bulk_capture_write(path, seed, &shape, stream, cap);
	assert_true(len > 0 || cap == 0);
	return len;
}

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

struct outcome {
	char *log;
	size_t delivered;
	int rc;
	unsigned switches;
	owfp_capture_error err;
	owfp_capture_stats st;
};

/* What a test does to the file once the first bytes arrived. */
struct change {
	const char *path;
	long truncate_to; /* > 0: cut the file there */
	const uint8_t *append;
	size_t append_len;
	bool done;
	unsigned switches;
};

static void on_data(struct recorder *r, struct rec_flow *f, const owfp_capture_data *d)
{
	(void)f, (void)d;
	struct change *c = r->hook_state;
	if (r->cap->rd.ras.switches > c->switches)
		c->switches = r->cap->rd.ras.switches;
	if (c->done || (!c->truncate_to && !c->append_len))
		return;
	c->done = true;
	if (c->truncate_to)
		assert_int_equal(truncate(c->path, c->truncate_to), 0);
	if (c->append_len) {
		FILE *fp = fopen(c->path, "ab");
		assert_non_null(fp);
		assert_int_equal(fwrite(c->append, 1, c->append_len, fp), c->append_len);
		assert_int_equal(fclose(fp), 0);
	}
}

static struct outcome run(const char *path, const struct mode *m, struct change *c,
			  uint64_t fault_at, const uint8_t *stream, size_t len)
{
	setenv("OWFP_READER", m->io, 1);
	setenv("OWFP_READ_AHEAD", m->ra, 1);
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = OWFP_CAPTURE_READER_DIRECT;
	struct recorder rec;
	recorder_init(&rec);
	rec.log_ts = 1;
	struct change none = {0};
	rec.on_data = on_data;
	rec.hook_state = c ? c : &none;
	struct outcome out;
	memset(&out, 0, sizeof(out));
	owfp_capture *cap;
	out.rc = owfp_capture_open(path, &o, &cap, &out.err);
	assert_int_equal(out.rc, 0);
	cap->rd.fault_at = fault_at;
	rec.cap = cap;
	out.rc = owfp_capture_run(cap, &recorder_sink, &rec, &out.err);
	owfp_capture_get_stats(cap, &out.st);
	owfp_capture_close(cap);
	out.switches = (c ? c : &none)->switches;
	out.log = strdup(rec.log ? rec.log : "");
	if (rec.nflows) {
		struct rec_flow *f = &rec.flows[0];
		out.delivered = f->len[0];
		assert_true(f->len[0] <= len);
		assert_memory_equal(f->bytes[0], stream, f->len[0]);
	}
	recorder_free(&rec);
	unsetenv("OWFP_READER");
	unsetenv("OWFP_READ_AHEAD");
	return out;
}

static void assert_same(const struct outcome *a, const struct outcome *b, const struct mode *m)
{
	if (a->rc != b->rc || strcmp(a->log, b->log) != 0 || a->delivered != b->delivered)
		fail_msg("%s/%s differs from read/inline: rc %d vs %d, delivered %zu vs %zu", m->io,
			 m->ra, a->rc, b->rc, a->delivered, b->delivered);
	assert_int_equal(a->err.record, b->err.record);
	assert_int_equal(a->err.offset, b->err.offset);
	assert_string_equal(a->err.reason, b->err.reason);
	assert_int_equal(a->st.records, b->st.records);
	assert_int_equal(a->st.bytes_read, b->st.bytes_read);
}

static const struct mode base = {"read", "inline"};

static void test_every_reader_hands_out_the_same_records(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers");
	size_t cap = 5u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	/* Windows of 300,000 bytes: the alternating mode switches ~25 times,
	 * at places no block boundary lines up with. */
	setenv("OWFP_READ_AHEAD_WINDOW", "300000", 1);
	for (uint64_t seed = 1; seed <= 2; seed++) {
		size_t len = write_capture(path, seed * 0x9e3779b97f4a7c15ull, stream, cap);
		struct outcome want = run(path, &base, NULL, UINT64_MAX, stream, len);
		assert_int_equal(want.rc, 0);
		assert_int_equal(want.delivered, len);
		assert_true(want.st.non_tcp > 50);
		for (size_t i = 0; i < NMODES; i++) {
			struct change c = {0};
			struct outcome got = run(path, &modes[i], &c, UINT64_MAX, stream, len);
			assert_same(&got, &want, &modes[i]);
			if (strcmp(modes[i].ra, "alternate") == 0)
				assert_true(got.switches >= 10);
			if (strcmp(modes[i].ra, "auto") == 0) /* probed both, then kept one */
				assert_true(got.switches >= 1 && got.switches <= 4);
			free(got.log);
		}
		free(want.log);
	}
	unsetenv("OWFP_READ_AHEAD_WINDOW");
	free(stream);
	unlink(path);
	free(path);
}

/* Cut anywhere (mid-record, mid-header): the same record, offset and
 * reason from every reader, after the same bytes. */
static void test_every_reader_reports_a_cut_capture_alike(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers-cut");
	size_t cap = 2u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	size_t len = write_capture(path, 99, stream, cap);
	long size = file_size(path);
	setenv("OWFP_READ_AHEAD_WINDOW", "200000", 1);
	uint64_t s = 4242;
	for (int i = 0; i < 6; i++) {
		long at = 24 + (long)(next_rand(&s) % (uint64_t)(size - 24));
		assert_int_equal(truncate(path, at), 0);
		struct outcome want = run(path, &base, NULL, UINT64_MAX, stream, len);
		for (size_t k = 0; k < NMODES; k++) {
			struct outcome got = run(path, &modes[k], NULL, UINT64_MAX, stream, len);
			assert_same(&got, &want, &modes[k]);
			free(got.log);
		}
		free(want.log);
		size = at;
	}
	unsetenv("OWFP_READ_AHEAD_WINDOW");
	free(stream);
	unlink(path);
	free(path);
}

/* The file grows while it is read (a capture still being written): every
 * reader goes on to the new end, as read() does. */
static void test_every_reader_reads_a_growing_file_to_its_new_end(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers-grow");
	size_t cap = 6u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	size_t len = write_capture(path, 7, stream, cap);
	long size = file_size(path);
	uint8_t *whole = malloc((size_t)size);
	assert_non_null(whole);
	FILE *fp = fopen(path, "rb");
	assert_int_equal(fread(whole, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	long first = (long)4 << 20; /* beyond what any reader has read at the first data */
	struct outcome want = run(path, &base, NULL, UINT64_MAX, stream, len);
	assert_int_equal(want.delivered, len);
	for (size_t k = 0; k < NMODES; k++) {
		assert_int_equal(truncate(path, first), 0);
		struct change c = {
			.path = path, .append = whole + first, .append_len = (size_t)(size - first)};
		struct outcome got = run(path, &modes[k], &c, UINT64_MAX, stream, len);
		assert_true(c.done);
		assert_same(&got, &want, &modes[k]);
		free(got.log);
	}
	free(want.log);
	free(whole);
	free(stream);
	unlink(path);
	free(path);
}

/* The file is cut while it is read: every reader ends where the file now
 * ends, as if it had been that short from the start. */
static void test_readers_stop_where_a_file_cut_while_read_ends(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers-shrink");
	size_t cap = 6u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	long cut = (long)3 << 20;
	size_t len = write_capture(path, 11, stream, cap);
	assert_int_equal(truncate(path, cut), 0);
	struct outcome want = run(path, &base, NULL, UINT64_MAX, stream, len);
	assert_true(want.delivered < len);
	for (size_t k = 0; k < NMODES; k++) {
		write_capture(path, 11, stream, cap);
		struct change c = {.path = path, .truncate_to = cut};
		struct outcome got = run(path, &modes[k], &c, UINT64_MAX, stream, len);
		assert_true(c.done);
		assert_same(&got, &want, &modes[k]);
		free(got.log);
	}
	free(want.log);
	free(stream);
	unlink(path);
	free(path);
}

/* A read that fails (EIO, injected at a file offset, as at a bad page:
 * the bytes before it read, then the error) ends the run with an error
 * naming the file and the offset, after every record before it, the same
 * from every reader (so the policy's choice cannot change what a failing
 * disk lets through). */
static void test_every_reader_reports_a_read_error_with_file_and_offset(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers-eio");
	size_t cap = 4u << 20;
	uint8_t *stream = malloc(cap);
	assert_non_null(stream);
	size_t len = write_capture(path, 5, stream, cap);
	setenv("OWFP_READ_AHEAD_WINDOW", "300000", 1);
	uint64_t ats[] = {((uint64_t)2 << 20) + 7, (uint64_t)3 << 20, 100};
	for (size_t a = 0; a < sizeof(ats) / sizeof(ats[0]); a++) {
		char want_reason[64];
		snprintf(want_reason, sizeof(want_reason), "read failed at file offset %llu",
			 (unsigned long long)ats[a]);
		struct outcome want = run(path, &base, NULL, ats[a], stream, len);
		assert_int_equal(want.rc, -EIO);
		assert_true(want.delivered < len);
		assert_non_null(strstr(want.err.message, path));
		assert_non_null(strstr(want.err.message, want_reason));
		assert_non_null(strstr(want.err.message, "Input/output error"));
		/* every record that ends before the fault was handed out */
		assert_true(want.st.bytes_read <= ats[a]);
		assert_true(want.st.bytes_read + 16 + MAX_RECORD > ats[a] || ats[a] < 24 + 16 + 100);
		for (size_t k = 0; k < NMODES; k++) {
			struct outcome got = run(path, &modes[k], NULL, ats[a], stream, len);
			assert_same(&got, &want, &modes[k]);
			assert_string_equal(got.err.message, want.err.message);
			free(got.log);
		}
		free(want.log);
	}
	unsetenv("OWFP_READ_AHEAD_WINDOW");
	free(stream);
	unlink(path);
	free(path);
}

static void test_unknown_reader_name_fails_open_clearly(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers-env");
	tw_file *w = tw_open(path, TW_PCAP_US, TW_ETH);
	tw_close(w);
	setenv("OWFP_READER", "mmmap", 1);
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	owfp_capture *cap = NULL;
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open(path, &o, &cap, &err), -EINVAL);
	assert_null(cap);
	assert_non_null(strstr(err.message, "OWFP_READER=mmmap"));
	unsetenv("OWFP_READER");
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_reader_hands_out_the_same_records),
		cmocka_unit_test(test_every_reader_reports_a_cut_capture_alike),
		cmocka_unit_test(test_every_reader_reads_a_growing_file_to_its_new_end),
		cmocka_unit_test(test_readers_stop_where_a_file_cut_while_read_ends),
		cmocka_unit_test(test_every_reader_reports_a_read_error_with_file_and_offset),
		cmocka_unit_test(test_unknown_reader_name_fails_open_clearly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
