/*
 * Property: the same stream cut into random segments gives the same
 * delivered bytes and the same byte decisions, and matches a naive twin
 * (a whole-buffer reference of what the pipeline's callouts mean).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "editors.h"
#include "stream_harness.h"

#define DIN OWFP_DIR_INBOUND

static bool vowel(uint8_t c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Blocks runs of vowels and permits the rest; a run must be complete
 * (followed by another byte or the end) before it is decided. */
static void vowel_blocker(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			  UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	size_t n = sd->dataLength;
	if (!n) {
		out->actionType = FWP_ACTION_PERMIT;
		return;
	}
	uint8_t *b = malloc(n);
	SIZE_T got;
	FwpsCopyStreamDataToBuffer0(sd, b, n, &got);
	bool v = vowel(b[0]);
	size_t run = 1;
	while (run < n && vowel(b[run]) == v)
		run++;
	free(b);
	if (run == n && !(out->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
					FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED))) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = 1;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = v ? FWP_ACTION_BLOCK : FWP_ACTION_CONTINUE;
	io->countBytesEnforced = run;
}

static size_t twin(const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t *tmp = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!vowel(in[i]))
			tmp[k++] = in[i];
	size_t r = ed_reference(tmp, k, "cldy", "sunny", out);
	free(tmp);
	return r;
}

static void test_same_stream_any_segmentation_same_bytes_and_decisions(void **state)
{
	(void)state;
	enum { N = 3000 };
	static const char alphabet[] = "clodyuaei xz";
	uint8_t *in = malloc(N), *want = malloc(N * 2);
	srand(20261125);
	for (size_t i = 0; i < N; i++)
		in[i] = (uint8_t)alphabet[rand() % (sizeof(alphabet) - 1)];
	size_t nwant = twin(in, N, want);
	uint64_t ref_perm = 0, ref_block = 0;
	for (int trial = 0; trial < 25; trial++) {
		sh h;
		sh_up(&h, NULL);
		GUID s1 = sh_sublayer(&h, 0x40);
		sh_callout *vb = sh_callout_new(&h, 0, vowel_blocker);
		sh_filter(&h, &s1, FWP_ACTION_CALLOUT_UNKNOWN, vb, 0, 0);
		ed_set ed = {0};
		ed_install(&h, &ed, ED_INLINE, 0x20, "cldy", "sunny");
		owfp_flow *f = sh_flow(&h);
		size_t off = 0;
		while (off < N) {
			size_t k = trial == 0 ? N : 1 + (size_t)rand() % (trial < 10 ? 7 : 300);
			if (k > N - off)
				k = N - off;
			assert_int_equal(owfp_flow_indicate(f, DIN, in + off, k, 0, 0), 0);
			off += k;
		}
		assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
		sh_expect_bytes(&h, DIN, want, nwant);
		assert_int_equal(h.side[DIN].fins, 1);
		owfp_engine_stats st;
		owfp_engine_stats_get(h.engine, &st);
		uint64_t perm = 0, block = 0;
		for (size_t i = 0; i < st.ncallouts; i++) {
			if (st.callouts[i].callout_id != vb->id)
				continue;
			perm = st.callouts[i].bytes_continued;
			block = st.callouts[i].bytes_blocked;
		}
		if (trial == 0) {
			ref_perm = perm;
			ref_block = block;
		}
		assert_int_equal(perm, ref_perm);
		assert_int_equal(block, ref_block);
		assert_int_equal(perm + block, N);
		owfp_flow_close(f);
		ed_stop(&ed);
		sh_down(&h);
	}
	free(in);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_stream_any_segmentation_same_bytes_and_decisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
