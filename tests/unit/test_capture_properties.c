/* Properties that must hold on random conversations where no twin can say
 * exactly what comes out: capture loss, mid-stream starts, and a consumer
 * that pauses and resumes at random. Whatever is delivered must be the
 * true bytes at their true offsets, with every gap reported as missed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "random_conversation.h"

struct check {
	const struct gen_case *c;
	owfp_capture *cap;
	struct rng *r;
	int pauses;       /* pause/resume at random */
	uint64_t base[2]; /* stream offset of the first byte seen (mid-stream) */
	uint64_t end[2];  /* next offset expected */
	uint64_t delivered[2], missed[2];
	int fin[2], ends, starts;
	uint64_t flow_id;
	unsigned seed;
	bool input_done;
	unsigned early_gaps; /* gaps reported before the end of the input */
};

static void *on_start(void *user, const owfp_capture_flow *f)
{
	struct check *k = user;
	k->starts++;
	k->flow_id = f->id;
	return k;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	struct check *k = user;
	(void)fu;
	unsigned dir = d->dir;
	if (d->offset - d->missed_before != k->end[dir])
		fail_msg("seed %u dir %u: chunk at %llu (missed %llu) after end %llu", k->seed, dir,
			 (unsigned long long)d->offset, (unsigned long long)d->missed_before,
			 (unsigned long long)k->end[dir]);
	uint64_t at = k->base[dir] + d->offset;
	if (at + d->len > k->c->slen[dir])
		fail_msg("seed %u dir %u: bytes past the end of the stream", k->seed, dir);
	if (d->len && memcmp(d->bytes, k->c->stream[dir] + at, d->len) != 0)
		fail_msg("seed %u dir %u: wrong bytes at offset %llu", k->seed, dir,
			 (unsigned long long)d->offset);
	k->end[dir] = d->offset + d->len;
	if (d->missed_before && !k->input_done)
		k->early_gaps++;
	k->delivered[dir] += d->len;
	k->missed[dir] += d->missed_before;
	if (k->pauses) {
		unsigned a = below(k->r, 10);
		if (a == 0)
			owfp_capture_pause(k->cap, k->flow_id, dir);
		else if (a == 1)
			owfp_capture_pause(k->cap, k->flow_id, !dir);
		else if (a < 5)
			owfp_capture_resume(k->cap, k->flow_id, !dir);
	}
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct check *k = user;
	(void)fu;
	(void)ts;
	k->fin[dir]++;
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason reason, uint64_t ts)
{
	struct check *k = user;
	(void)fu;
	(void)reason;
	(void)ts;
	k->ends++;
}

static void on_eoi(void *user)
{
	struct check *k = user;
	k->input_done = true;
	k->pauses = 0; /* the consumer settles down: everything may now flow */
	owfp_capture_resume(k->cap, k->flow_id, 0);
	owfp_capture_resume(k->cap, k->flow_id, 1);
}

static const owfp_capture_sink sink = {
	.flow_start = on_start,
	.data = on_data,
	.fin = on_fin,
	.flow_end = on_end,
	.end_of_input = on_eoi,
};

static void run_check(struct check *k, const char *path, const owfp_capture_opts *o)
{
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open(path, o, &k->cap, &err), 0);
	int rc = owfp_capture_run(k->cap, &sink, k, &err);
	if (rc)
		fail_msg("seed %u: %s", k->seed, err.message);
	owfp_capture_close(k->cap);
	k->cap = NULL;
	assert_int_equal(k->starts, k->ends);
	for (unsigned d = 0; d < 2; d++) {
		assert_int_equal(k->delivered[d] + k->missed[d], k->end[d]);
		if (k->fin[d])
			assert_int_equal(k->base[d] + k->end[d], k->c->slen[d]);
	}
}

static void test_capture_loss_delivers_true_bytes_and_reports_every_gap(void **state)
{
	(void)state;
	char *path = tw_tmpname("loss");
	unsigned early = 0;
	for (unsigned seed = 50001; seed < 50801; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, false);
		bool *keep = malloc(c.n);
		bool lost = false;
		for (size_t i = 0; i < c.n; i++) {
			keep[i] = i < 3 || below(&r, 20) != 0;
			lost |= !keep[i] && c.p[i].len;
		}
		write_case_filtered(&c, path, TW_PCAP_US, keep);
		owfp_capture_opts o;
		owfp_capture_opts_init(&o);
		/* Aggressive settings treat mere reordering as loss; defaults do not. */
		bool defaults = below(&r, 4) == 0;
		if (!defaults) {
			const uint64_t skips[] = {0, 1, 700, 5000};
			o.hole_skip_bytes = skips[below(&r, 4)];
			o.hole_skip_ns = below(&r, 2) ? 3000000 : 0; /* 3 packets' time */
			o.max_direction_bytes = below(&r, 3) == 0 ? 2000 : o.max_direction_bytes;
		}
		struct check k = {.c = &c, .r = &r, .seed = seed};
		run_check(&k, path, &o);
		if (defaults)
			early += k.early_gaps;
		if (!lost && defaults) {
			assert_int_equal(k.missed[0] + k.missed[1], 0);
			assert_int_equal(k.delivered[0], c.slen[0]);
			assert_int_equal(k.delivered[1], c.slen[1]);
		}
		free(keep);
		gen_free(&c);
	}
	/* With default limits nothing but the peer's ACKs can give up on a hole
     * before the end of these short captures. */
	assert_true(early > 20);
	unlink(path);
	free(path);
}

static void test_midstream_start_delivers_true_bytes(void **state)
{
	(void)state;
	char *path = tw_tmpname("midstream");
	for (unsigned seed = 60001; seed < 60401; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, false);
		size_t skip = 3 + below(&r, (unsigned)(c.n - 3));
		bool *keep = malloc(c.n);
		struct check k = {.c = &c, .r = &r, .seed = seed};
		for (size_t i = 0; i < c.n; i++)
			keep[i] = i >= skip;
		/* The flow starts at the first segment with payload; from then on a
         * direction starts at its first segment, or at the first ACK the
         * other side sends, whichever comes first. */
		bool flow = false;
		bool fixed[2] = {false, false};
		for (size_t i = skip; i < c.n; i++) {
			const struct pkt *p = &c.p[i];
			if (!flow && !p->len)
				continue;
			flow = true;
			if (!fixed[p->dir]) {
				fixed[p->dir] = true;
				k.base[p->dir] = p->seq - (c.isn[p->dir] + 1);
			}
			if (!fixed[!p->dir] && (p->flags & TW_ACK)) {
				fixed[!p->dir] = true;
				k.base[!p->dir] = p->ack - (c.isn[!p->dir] + 1);
			}
		}
		write_case_filtered(&c, path, TW_PCAP_NS, keep);
		owfp_capture_opts o;
		owfp_capture_opts_init(&o);
		/* the generator's client port is the high one: the port rule agrees */
		o.midstream_client = OWFP_CAPTURE_MIDSTREAM_PORT;
		run_check(&k, path, &o);
		assert_true(k.starts <= 1);
		free(keep);
		gen_free(&c);
	}
	unlink(path);
	free(path);
}

static void test_random_pause_and_resume_lose_nothing(void **state)
{
	(void)state;
	char *path = tw_tmpname("pause");
	for (unsigned seed = 70001; seed < 70801; seed++) {
		struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
		struct gen_case c;
		gen(&c, &r, false);
		write_case(&c, path, TW_PCAP_US);
		struct check k = {.c = &c, .r = &r, .seed = seed, .pauses = 1};
		run_check(&k, path, NULL);
		if (k.missed[0] + k.missed[1] || k.delivered[0] != c.slen[0] ||
		    k.delivered[1] != c.slen[1])
			fail_msg("seed %u: delivered %llu/%zu %llu/%zu missed %llu %llu fin %d %d",
				 seed, (unsigned long long)k.delivered[0], c.slen[0],
				 (unsigned long long)k.delivered[1], c.slen[1],
				 (unsigned long long)k.missed[0], (unsigned long long)k.missed[1],
				 k.fin[0], k.fin[1]);
		assert_int_equal(k.delivered[0], c.slen[0]);
		assert_int_equal(k.delivered[1], c.slen[1]);
		assert_int_equal(k.fin[0], 1);
		assert_int_equal(k.fin[1], 1);
		gen_free(&c);
	}
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_loss_delivers_true_bytes_and_reports_every_gap),
		cmocka_unit_test(test_midstream_start_delivers_true_bytes),
		cmocka_unit_test(test_random_pause_and_resume_lose_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
