/* Broken input: everything readable is processed, then the error says
 * exactly where and why reading stopped; nothing crashes or hangs. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "capture_script.h"

/* Five data segments after the handshake: records 1-3 handshake, 4-8 data. */
static char *five_segments(enum tw_format fmt, long *rec_offsets)
{
	struct cscript s;
	cs_open(&s, fmt, TW_ETH, AF_INET);
	cs_handshake(&s);
	for (int i = 0; i < 5; i++) {
		fflush(NULL);
		cs_send(&s, 0, (uint32_t)i * 10, 0, "0123456789");
	}
	tw_close(s.w);
	s.w = NULL;
	char *path = strdup(s.path);
	s.path[0] = 0;
	recorder_free(&s.rec);
	free(s.path);
	if (rec_offsets) {
		/* classic pcap: 24-byte header, 16-byte record headers, 14+20+20 bytes of
         * headers plus 10 of data (3 handshake records are 54 + 6 padding) */
		long off = 24;
		for (int i = 0; i < 8; i++) {
			rec_offsets[i] = off;
			off += 16 + (i < 3 ? 60 : 64);
		}
	}
	return path;
}

static void truncate_at(const char *path, long size)
{
	assert_int_equal(truncate(path, size), 0);
}

static void truncated_case(enum owfp_capture_reader reader)
{
	long offs[8];
	char *path = five_segments(TW_PCAP_US, offs);
	truncate_at(path, offs[6] + 16 + 20); /* record 7 keeps 20 of its 64 bytes */
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = reader;
	struct recorder rec;
	recorder_init(&rec);
	owfp_capture_error err;
	int rc = recorder_run(&rec, path, &o, NULL, &err);
	assert_int_equal(rc, -EBADMSG);
	assert_int_equal(err.code, -EBADMSG);
	assert_int_equal(err.record, 7);
	assert_int_equal(err.offset, offs[6]);
	assert_string_equal(err.file, path);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "record 7"));
	/* records 4-6 were processed and the open flow was ended */
	assert_int_equal(recorder_flow(&rec, 1)->len[0], 30);
	assert_int_equal(recorder_flow(&rec, 1)->end_reason, OWFP_CAPTURE_END_OPEN);
	recorder_free(&rec);
	unlink(path);
	free(path);
}

static void test_truncated_record_names_record_and_offset_direct(void **state)
{
	(void)state;
	truncated_case(OWFP_CAPTURE_READER_DIRECT);
}

static void test_truncated_record_names_record_and_offset_libpcap(void **state)
{
	(void)state;
	truncated_case(OWFP_CAPTURE_READER_LIBPCAP);
}

static void test_truncated_record_header_reported(void **state)
{
	(void)state;
	long offs[8];
	char *path = five_segments(TW_PCAP_NS_SWAPPED, offs);
	truncate_at(path, offs[5] + 7);
	owfp_capture *cap;
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open(path, NULL, &cap, &err), 0);
	assert_int_equal(owfp_capture_run(cap, NULL, NULL, &err), -EBADMSG);
	assert_int_equal(err.record, 6);
	assert_int_equal(err.offset, offs[5]);
	assert_non_null(strstr(err.reason, "header truncated"));
	owfp_capture_stats st;
	owfp_capture_get_stats(cap, &st);
	assert_int_equal(st.records, 5);
	owfp_capture_close(cap);
	unlink(path);
	free(path);
}

static void test_garbage_file_fails_to_open_with_clear_error(void **state)
{
	(void)state;
	char *path = tw_tmpname("garbage");
	FILE *fp = fopen(path, "wb");
	for (int i = 0; i < 1000; i++)
		fputc((i * 37) & 0xff, fp);
	fclose(fp);
	owfp_capture *cap = (owfp_capture *)1;
	owfp_capture_error err;
	int rc = owfp_capture_open(path, NULL, &cap, &err);
	assert_true(rc < 0);
	assert_null(cap);
	assert_int_equal(err.code, rc);
	assert_int_equal(err.record, 0);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "not a capture: expected pcap or pcapng"));
	assert_non_null(strstr(err.message, "its first bytes are 00 25 4a 6f"));
	unlink(path);
	free(path);
}

/* A file that is not a capture: one sentence, what was expected and what
 * the file looks like, from owfp_capture_probe and owfp_capture_open alike. */
static void test_not_a_capture_says_what_it_looks_like(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
		const char *says;
	} cases[] = {
		{"", 0, "and the file is empty"},
		{"hello world\nsecond line\n", (size_t)-1, "it looks like text (\"hello world\")"},
		{"12:34:56.789012 IP 10.0.0.1.80 > 10.0.0.2.5555: Flags [S]\n", (size_t)-1,
		 "tcpdump's printed output; record with `tcpdump -w FILE` instead"},
		{"\x1f\x8b\x08\x00\x00\x00\x00\x00", 8, "gzip-compressed: decompress it first"},
		{"\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8,
		 "cut short: 8 bytes, fewer than the 24 of a pcap file header"},
		{"\x7f"
		 "ELF\x02\x01\x01",
		 7, "a program (ELF)"},
		{"\x28\xb5\x2f\xfd\x00\x00", 6, "zstd-compressed: decompress it first (unzstd)"},
		{"\xfd"
		 "7zXZ\x00\x00",
		 7, "xz-compressed: decompress it first (unxz)"},
		{"BZh91AY", 7, "bzip2-compressed: decompress it first (bunzip2)"},
		{"PK\x03\x04\x14\x00", 6, "a zip archive: unpack the capture from it first"},
		{"XCP\x00"
		 "2.00",
		 8, "Wireshark/NetXRay file: convert it with `editcap -F pcap IN OUT`"},
		{"\x58\x50\x43\x50\x00\x00", 6, "Wireshark/NetXRay file"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = tw_tmpname("notcap");
		FILE *fp = fopen(path, "wb");
		fwrite(cases[i].bytes, 1,
		       cases[i].len == (size_t)-1 ? strlen(cases[i].bytes) : cases[i].len, fp);
		fclose(fp);
		owfp_capture_error err;
		assert_int_equal(owfp_capture_probe(path, &err), -EBADMSG);
		if (!strstr(err.message, cases[i].says) ||
		    !strstr(err.message, "not a capture: expected pcap or pcapng"))
			fail_msg("case %zu: '%s' does not say '%s'", i, err.message, cases[i].says);
		assert_null(strstr(err.message, "file header:"));
		owfp_capture *cap = (owfp_capture *)1;
		assert_int_equal(owfp_capture_open(path, NULL, &cap, &err), -EBADMSG);
		assert_null(cap);
		assert_non_null(strstr(err.message, cases[i].says));
		unlink(path);
		free(path);
	}
	owfp_capture_error err;
	assert_int_equal(owfp_capture_probe("-", &err), 0);
}

static void test_missing_file_is_enoent(void **state)
{
	(void)state;
	owfp_capture *cap;
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open("/nonexistent/capture.pcap", NULL, &cap, &err), -ENOENT);
	assert_non_null(strstr(err.message, "/nonexistent/capture.pcap"));
}

static void test_forcing_direct_on_pcapng_is_refused(void **state)
{
	(void)state;
	char *path = five_segments(TW_PCAPNG, NULL);
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = OWFP_CAPTURE_READER_DIRECT;
	owfp_capture *cap;
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open(path, &o, &cap, &err), -ENOTSUP);
	o.reader = OWFP_CAPTURE_READER_AUTO;
	assert_int_equal(owfp_capture_open(path, &o, &cap, &err), 0);
	assert_string_equal(owfp_capture_reader_name(cap), "pcapng");
	owfp_capture_close(cap);
	o.reader = OWFP_CAPTURE_READER_LIBPCAP;
	assert_int_equal(owfp_capture_open(path, &o, &cap, &err), 0);
	assert_string_equal(owfp_capture_reader_name(cap), "libpcap");
	owfp_capture_close(cap);
	unlink(path);
	free(path);
}

static void test_absurd_captured_length_is_corruption(void **state)
{
	(void)state;
	long offs[8];
	char *path = five_segments(TW_PCAP_US, offs);
	FILE *fp = fopen(path, "r+b");
	fseek(fp, offs[4] + 8, SEEK_SET);
	uint32_t huge = 0x7fffffff;
	fwrite(&huge, 4, 1, fp);
	fclose(fp);
	for (int r = OWFP_CAPTURE_READER_DIRECT; r <= OWFP_CAPTURE_READER_LIBPCAP; r++) {
		owfp_capture_opts o;
		owfp_capture_opts_init(&o);
		o.reader = (enum owfp_capture_reader)r;
		struct recorder rec;
		recorder_init(&rec);
		owfp_capture_error err;
		assert_int_equal(recorder_run(&rec, path, &o, NULL, &err), -EBADMSG);
		assert_int_equal(err.record, 5);
		assert_int_equal(err.offset, offs[4]);
		recorder_free(&rec);
	}
	unlink(path);
	free(path);
}

static void test_stdin_dash_is_read_through_libpcap(void **state)
{
	(void)state;
	char *path = five_segments(TW_PCAP_US, NULL);
	int saved = dup(0);
	assert_non_null(freopen(path, "rb", stdin));
	struct recorder rec;
	recorder_init(&rec);
	owfp_capture_error err;
	assert_int_equal(recorder_run(&rec, "-", NULL, NULL, &err), 0);
	assert_int_equal(recorder_flow(&rec, 1)->len[0], 50);
	recorder_free(&rec);
	dup2(saved, 0);
	close(saved);
	unlink(path);
	free(path);
}

struct progress {
	int calls;
	uint64_t last, total;
};

static void on_progress(void *user, uint64_t done, uint64_t total)
{
	struct progress *p = user;
	assert_true(done > p->last);
	p->last = done;
	p->total = total;
	p->calls++;
}

static void test_progress_reports_bytes_of_file_size(void **state)
{
	(void)state;
	char *path = five_segments(TW_PCAP_US, NULL);
	struct stat st;
	stat(path, &st);
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.progress_step = 100;
	owfp_capture *cap;
	assert_int_equal(owfp_capture_open(path, &o, &cap, NULL), 0);
	owfp_capture_sink sink = {.progress = on_progress};
	struct progress p = {0};
	assert_int_equal(owfp_capture_run(cap, &sink, &p, NULL), 0);
	assert_true(p.calls >= 4);
	assert_int_equal(p.total, st.st_size);
	uint64_t done, total;
	owfp_capture_progress(cap, &done, &total);
	assert_int_equal(done, st.st_size);
	assert_int_equal(total, st.st_size);
	owfp_capture_close(cap);
	unlink(path);
	free(path);
}

static void *stop_at_start(void *user, const owfp_capture_flow *f)
{
	(void)f;
	owfp_capture_stop(user);
	return NULL;
}

static void test_stop_cancels_the_run_after_the_current_packet(void **state)
{
	(void)state;
	char *path = five_segments(TW_PCAP_US, NULL);
	owfp_capture *cap;
	assert_int_equal(owfp_capture_open(path, NULL, &cap, NULL), 0);
	owfp_capture_sink sink = {.flow_start = stop_at_start};
	owfp_capture_error err;
	assert_int_equal(owfp_capture_run(cap, &sink, cap, &err), -ECANCELED);
	owfp_capture_stats st;
	owfp_capture_get_stats(cap, &st);
	assert_int_equal(st.records, 1);
	assert_int_equal(owfp_capture_run(cap, &sink, cap, &err), -EALREADY);
	owfp_capture_close(cap);
	unlink(path);
	free(path);
}

/* Bit flips and cuts in a valid capture: under ASan this proves there is no
 * out-of-bounds read; everywhere it proves there is no crash or hang. */
static void test_mutated_captures_never_crash(void **state)
{
	(void)state;
	char *path = five_segments(TW_PCAP_US, NULL);
	FILE *fp = fopen(path, "rb");
	uint8_t orig[2048];
	size_t n = fread(orig, 1, sizeof(orig), fp);
	fclose(fp);
	uint64_t x = 88172645463325252ull;
	for (int iter = 0; iter < 400; iter++) {
		uint8_t buf[2048];
		memcpy(buf, orig, n);
		size_t len = n;
		int flips = 1 + iter % 8;
		for (int k = 0; k < flips; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t pos = 24 + x % (n - 24);
			buf[pos] ^= (uint8_t)(1u << (x >> 40) % 8);
		}
		if (iter % 5 == 0)
			len = 24 + x % (n - 24);
		fp = fopen(path, "wb");
		fwrite(buf, 1, len, fp);
		fclose(fp);
		for (int r = OWFP_CAPTURE_READER_DIRECT; r <= OWFP_CAPTURE_READER_LIBPCAP; r++) {
			owfp_capture_opts o;
			owfp_capture_opts_init(&o);
			o.reader = (enum owfp_capture_reader)r;
			o.verify_checksums = iter % 2;
			struct recorder rec;
			recorder_init(&rec);
			owfp_capture_error err;
			int rc = recorder_run(&rec, path, &o, NULL, &err);
			assert_true(rc == 0 || rc == -EBADMSG);
			recorder_free(&rec);
		}
	}
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_record_names_record_and_offset_direct),
		cmocka_unit_test(test_truncated_record_names_record_and_offset_libpcap),
		cmocka_unit_test(test_truncated_record_header_reported),
		cmocka_unit_test(test_garbage_file_fails_to_open_with_clear_error),
		cmocka_unit_test(test_not_a_capture_says_what_it_looks_like),
		cmocka_unit_test(test_missing_file_is_enoent),
		cmocka_unit_test(test_forcing_direct_on_pcapng_is_refused),
		cmocka_unit_test(test_absurd_captured_length_is_corruption),
		cmocka_unit_test(test_stdin_dash_is_read_through_libpcap),
		cmocka_unit_test(test_progress_reports_bytes_of_file_size),
		cmocka_unit_test(test_stop_cancels_the_run_after_the_current_packet),
		cmocka_unit_test(test_mutated_captures_never_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
