/*
 * Allocation-failure sweep over capture decoding and TCP reassembly
 * (SQLite-style, issue 18): open and read small bundled captures (classic
 * pcap through the direct reader with read-ahead, pcapng, IPv4 fragments,
 * VLAN/IPv6) to their end. For N = 1.. until a run has no failure,
 * allocation N fails (src/util/alloc.h). Every outcome must be a clean
 * error (open or run returning a negative errno with a message), or a run
 * that delivered exactly what the run without failures delivered; every
 * flow_start has its flow_end; nothing leaks (checked during the sweep in
 * ASan builds).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alloc_sweep.h"
#include "capture/capture.h"
#include "util/alloc.h"

/* What the sink saw: counts and an FNV-1a hash over (flow, dir, bytes). */
typedef struct seen {
	uint64_t starts, ends, fins, rsts, bytes, missed, hash;
} seen;

static void mix(seen *s, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		s->hash = (s->hash ^ b[i]) * 1099511628211ull;
}

static void *on_start(void *user, const owfp_capture_flow *f)
{
	seen *s = user;
	s->starts++;
	mix(s, &f->id, sizeof(f->id));
	return (void *)(uintptr_t)f->id;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	seen *s = user;
	uint64_t id = (uintptr_t)fu;
	mix(s, &id, sizeof(id));
	mix(s, &d->dir, sizeof(d->dir));
	mix(s, d->bytes, d->len);
	s->bytes += d->len;
	s->missed += d->missed_before;
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)fu, (void)dir, (void)ts;
	((seen *)user)->fins++;
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)fu, (void)dir, (void)ts;
	((seen *)user)->rsts++;
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason r, uint64_t ts)
{
	(void)fu, (void)r, (void)ts;
	((seen *)user)->ends++;
}

static const owfp_capture_sink sink = {
	.flow_start = on_start,
	.data = on_data,
	.fin = on_fin,
	.rst = on_rst,
	.flow_end = on_end,
};

static char path[4096];

/* One run over `path` with allocation `nth` failing (0: none). Returns the
 * number of attempts made to fail; *rc and *s what came out. */
static uint64_t scenario(uint64_t nth, int sticky, int *rc, seen *s, owfp_capture_error *err)
{
	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	if (nth)
		owfp_alloc_fail_nth(nth, sticky);
	else
		owfp_alloc_count_start();
	owfp_capture *cap = NULL;
	*rc = owfp_capture_open(path, NULL, &cap, err);
	if (*rc == 0) {
		*rc = owfp_capture_run(cap, &sink, s, err);
		owfp_capture_close(cap);
	} else {
		assert_null(cap);
	}
	uint64_t failed = nth ? owfp_alloc_failed() : 0;
	if (!nth)
		print_message("%s: %llu allocations\n", path,
			      (unsigned long long)owfp_alloc_attempts());
	owfp_alloc_disarm();
	return failed;
}

static void sweep(const char *rel, int sticky)
{
	const char *src = getenv("OWFP_SOURCE_DIR");
	snprintf(path, sizeof(path), "%s/%s", src ? src : "..", rel);
	seen ref, got;
	owfp_capture_error err;
	int rc;
	scenario(0, 0, &rc, &ref, &err);
	if (rc)
		fail_msg("%s: %s", path, err.message);
	assert_true(ref.starts > 0 && ref.bytes > 0);
	assert_int_equal(ref.starts, ref.ends);
	uint64_t n;
	for (n = 1; n < 100000; n++) {
		if (!scenario(n, sticky, &rc, &got, &err))
			break;
		if (got.starts != got.ends)
			fail_msg("allocation %llu failed: %llu flows started, %llu ended",
				 (unsigned long long)n, (unsigned long long)got.starts,
				 (unsigned long long)got.ends);
		if (rc) {
			if (rc > 0 || !err.message[0])
				fail_msg("allocation %llu failed: error %d without a message",
					 (unsigned long long)n, rc);
		} else if (memcmp(&got, &ref, sizeof(ref))) {
			fail_msg("allocation %llu failed, the run succeeded, and it delivered "
				 "other bytes: %llu (%llu missed) of %llu, %llu flows of %llu",
				 (unsigned long long)n, (unsigned long long)got.bytes,
				 (unsigned long long)got.missed, (unsigned long long)ref.bytes,
				 (unsigned long long)got.starts, (unsigned long long)ref.starts);
		}
		owfp_sweep_leak_check(n, 0);
	}
	owfp_sweep_leak_check(n, 1);
	print_message("%s sweep%s: %llu runs\n", rel, sticky ? " (sticky)" : "",
		      (unsigned long long)n);
	assert_true(n > 1);
}

static void test_pcap_direct_read_ahead(void **state)
{
	(void)state;
	sweep("examples/demo.pcap", 0);
	sweep("examples/demo.pcap", 1);
}

static void test_pcapng(void **state)
{
	(void)state;
	sweep("tests/fuzz/corpus/fuzz_capture/eth_v4.pcapng", 0);
	sweep("tests/fuzz/corpus/fuzz_capture/eth_v4.pcapng", 1);
}

static void test_ip_fragments(void **state)
{
	(void)state;
	sweep("tests/fuzz/corpus/fuzz_capture/frag_v4.pcap", 0);
	sweep("tests/fuzz/corpus/fuzz_capture/frag_v4.pcap", 1);
}

static void test_vlan_ipv6(void **state)
{
	(void)state;
	sweep("tests/fuzz/corpus/fuzz_capture/vlan_v6.pcap", 0);
	sweep("tests/fuzz/corpus/fuzz_capture/vlan_v6.pcap", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_direct_read_ahead),
		cmocka_unit_test(test_pcapng),
		cmocka_unit_test(test_ip_fragments),
		cmocka_unit_test(test_vlan_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
