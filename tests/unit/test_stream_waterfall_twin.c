/*
 * Random pipelines against a naive twin (S35–S38, S104): every stage gives
 * each byte a verdict from its value alone, deciding the longest run of
 * equal verdicts at the start of each indication, and some stages hold
 * short indications back. Bytes take different paths through a sublayer
 * and are held at different places, yet the output must equal what the
 * obvious per-byte walk through the sublayers gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stream_harness.h"

#define DIN OWFP_DIR_INBOUND

typedef struct twin_stage {
	unsigned mul, block_mod, permit_mod; /* verdict of byte b from (b * mul) */
	bool holds;
	unsigned sublayer;
} twin_stage;

static twin_stage stages[8];
static size_t nstages;

static enum { T_PERMIT, T_BLOCK, T_CONTINUE } verdict(const twin_stage *s, uint8_t b)
{
	unsigned v = (b * s->mul) % 97;
	if (v % s->block_mod == 0)
		return T_BLOCK;
	if (v % s->permit_mod == 0)
		return T_PERMIT;
	return T_CONTINUE;
}

static void twin_classify(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			  UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)filter, (void)ctx;
	const twin_stage *s = &stages[(size_t)(intptr_t)c->user];
	FWPS_STREAM_DATA0 *sd = io->streamData;
	size_t n = sd->dataLength;
	if (!n) {
		out->actionType = FWP_ACTION_CONTINUE;
		return;
	}
	if (s->holds && n < 4 && !(out->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA)) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = 1;
		return;
	}
	uint8_t *b = malloc(n);
	SIZE_T got;
	FwpsCopyStreamDataToBuffer0(sd, b, n, &got);
	int v = verdict(s, b[0]);
	size_t run = 1;
	while (run < n && (int)verdict(s, b[run]) == v)
		run++;
	free(b);
	out->actionType = v == T_BLOCK    ? FWP_ACTION_BLOCK
			  : v == T_PERMIT ? FWP_ACTION_PERMIT
					  : FWP_ACTION_CONTINUE;
	io->countBytesEnforced = run;
}

static size_t naive(const uint8_t *in, size_t n, unsigned nsub, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		bool alive = true;
		for (unsigned sl = 0; sl < nsub && alive; sl++) {
			for (size_t k = 0; k < nstages; k++) {
				if (stages[k].sublayer != sl)
					continue;
				int v = verdict(&stages[k], in[i]);
				if (v == T_BLOCK)
					alive = false;
				if (v != T_CONTINUE)
					break;
			}
		}
		if (alive)
			out[o++] = in[i];
	}
	return o;
}

static void test_s38_random_pipelines_match_naive_twin(void **state)
{
	(void)state;
	srand(424242);
	enum { N = 2000 };
	uint8_t *in = malloc(N), *want = malloc(N);
	for (int trial = 0; trial < 40; trial++) {
		sh h;
		sh_up(&h, NULL);
		unsigned nsub = 1 + (unsigned)rand() % 3;
		GUID subs[3];
		for (unsigned s = 0; s < nsub; s++)
			subs[s] = sh_sublayer(&h, (UINT16)(0x100 - s * 0x10));
		nstages = 1 + (size_t)rand() % 6;
		for (size_t k = 0; k < nstages; k++) {
			twin_stage *s = &stages[k];
			s->mul = 1 + (unsigned)rand() % 96;
			s->block_mod = 2 + (unsigned)rand() % 6;
			s->permit_mod = 2 + (unsigned)rand() % 6;
			s->holds = rand() % 2;
			s->sublayer = (unsigned)rand() % nsub;
			sh_callout *c = sh_callout_new(&h, 0, twin_classify);
			c->user = (void *)(intptr_t)k;
			/* Filter weight descending with k keeps the twin's order. */
			sh_filter(&h, &subs[s->sublayer], FWP_ACTION_CALLOUT_UNKNOWN, c, 1000 - k, 0);
		}
		for (size_t i = 0; i < N; i++)
			in[i] = (uint8_t)rand();
		size_t nwant = naive(in, N, nsub, want);
		owfp_flow *f = sh_flow(&h);
		for (size_t off = 0; off < N;) {
			size_t k = 1 + (size_t)rand() % 40;
			if (k > N - off)
				k = N - off;
			assert_int_equal(owfp_flow_indicate(f, DIN, in + off, k, 0, 0), 0);
			off += k;
		}
		assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
		sh_expect_bytes(&h, DIN, want, nwant);
		assert_int_equal(h.side[DIN].fins, 1);
		assert_int_equal(sh_count_events(&h, OWFP_EV_VIOLATION, NULL), 0);
		owfp_flow_close(f);
		sh_down(&h);
	}
	free(in);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s38_random_pipelines_match_naive_twin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
