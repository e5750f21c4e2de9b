/* The reassembler against its naive twin on thousands of random streams:
 * cut into random segments, duplicated, overlapped, reordered and
 * interleaved, written to a capture, and read back. Also: both readers and
 * every file format give the very same event sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture_recorder.h"
#include "naive_reassembly.h"
#include "pcap_writer.h"
#include "random_conversation.h"

static void check_against_twin(const struct gen_case *c, const struct recorder *r, bool last,
			       unsigned seed)
{
	struct naive_dir nd[2];
	for (unsigned d = 0; d < 2; d++)
		naive_init(&nd[d], c->slen[d] + 4096, last);
	for (size_t i = 3; i < c->n; i++) {
		const struct pkt *p = &c->p[i];
		uint32_t rel = p->seq - (c->isn[p->dir] + 1);
		naive_segment(&nd[p->dir], rel, p->data, p->len, p->flags & TW_FIN);
	}
	if (r->nflows != 1)
		fail_msg("seed %u: %zu flows", seed, r->nflows);
	const struct rec_flow *f = &r->flows[0];
	for (unsigned d = 0; d < 2; d++) {
		if (f->len[d] != nd[d].delivered ||
		    (f->len[d] && memcmp(f->bytes[d], nd[d].bytes, f->len[d]) != 0))
			fail_msg("seed %u dir %u: delivered %zu bytes, twin %zu (or content differs)",
				 seed, d, f->len[d], nd[d].delivered);
		assert_int_equal(f->missed[d], 0);
		assert_int_equal(f->fin[d], nd[d].fin_delivered ? 1 : 0);
		naive_free(&nd[d]);
	}
	assert_int_equal(f->end_reason, OWFP_CAPTURE_END_CLOSED);
}

static void run_twin_cases(unsigned first_seed, unsigned count, bool differ, bool last)
{
	char *path = tw_tmpname("random");
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.overlap = last ? OWFP_CAPTURE_OVERLAP_LAST : OWFP_CAPTURE_OVERLAP_FIRST;
	for (unsigned seed = first_seed; seed < first_seed + count; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, differ);
		write_case(&c, path, TW_PCAP_US);
		struct recorder rec;
		recorder_init(&rec);
		owfp_capture_error err;
		int rc = recorder_run(&rec, path, &o, NULL, &err);
		if (rc)
			fail_msg("seed %u: %s", seed, err.message);
		check_against_twin(&c, &rec, last, seed);
		recorder_free(&rec);
		gen_free(&c);
	}
	unlink(path);
	free(path);
}

static void test_random_streams_match_naive_twin(void **state)
{
	(void)state;
	run_twin_cases(1, 2000, false, false);
}

static void test_random_differing_overlaps_match_twin_first_copy_wins(void **state)
{
	(void)state;
	run_twin_cases(10001, 600, true, false);
}

static void test_random_differing_overlaps_match_twin_last_copy_wins(void **state)
{
	(void)state;
	run_twin_cases(20001, 600, true, true);
}

static char *run_log(const char *path, enum owfp_capture_reader reader)
{
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	o.reader = reader;
	struct recorder rec;
	recorder_init(&rec);
	rec.log_ts = 1;
	owfp_capture_error err;
	int rc = recorder_run(&rec, path, &o, NULL, &err);
	if (rc)
		fail_msg("%s: %s", path, err.message);
	char *log = strdup(rec.log);
	recorder_free(&rec);
	return log;
}

static void test_direct_and_libpcap_readers_identical_on_random_corpus(void **state)
{
	(void)state;
	char *path = tw_tmpname("readers");
	for (unsigned seed = 30001; seed < 30301; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, seed % 2);
		enum tw_format fmt = (enum tw_format)(seed % 4); /* both byte orders, us and ns */
		write_case(&c, path, fmt);
		owfp_capture *cap;
		owfp_capture_opts o;
		owfp_capture_opts_init(&o);
		assert_int_equal(owfp_capture_open(path, &o, &cap, NULL), 0);
		assert_string_equal(owfp_capture_reader_name(cap), "direct");
		owfp_capture_close(cap);
		char *a = run_log(path, OWFP_CAPTURE_READER_DIRECT);
		char *b = run_log(path, OWFP_CAPTURE_READER_LIBPCAP);
		if (strcmp(a, b) != 0)
			fail_msg("seed %u: direct and libpcap logs differ", seed);
		assert_true(strlen(a) > 0);
		free(a);
		free(b);
		gen_free(&c);
	}
	unlink(path);
	free(path);
}

static void test_pcapng_and_nanosecond_pcap_match_microsecond_pcap(void **state)
{
	(void)state;
	char *path = tw_tmpname("formats");
	for (unsigned seed = 40001; seed < 40101; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, false);
		write_case(&c, path, TW_PCAP_US);
		char *ref = run_log(path, OWFP_CAPTURE_READER_AUTO);
		const enum tw_format others[] = {TW_PCAP_NS, TW_PCAP_NS_SWAPPED, TW_PCAP_US_SWAPPED,
						 TW_PCAPNG};
		for (size_t i = 0; i < 4; i++) {
			write_case(&c, path, others[i]);
			char *got = run_log(path, OWFP_CAPTURE_READER_AUTO);
			if (strcmp(ref, got) != 0)
				fail_msg("seed %u format %d differs from microsecond pcap", seed,
					 (int)others[i]);
			free(got);
		}
		free(ref);
		gen_free(&c);
	}
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_streams_match_naive_twin),
		cmocka_unit_test(test_random_differing_overlaps_match_twin_first_copy_wins),
		cmocka_unit_test(test_random_differing_overlaps_match_twin_last_copy_wins),
		cmocka_unit_test(test_direct_and_libpcap_readers_identical_on_random_corpus),
		cmocka_unit_test(test_pcapng_and_nanosecond_pcap_match_microsecond_pcap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
