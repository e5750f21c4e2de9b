/*
 * Conformance tests T1–T3 (S99–S102): the two-sublayer stream editor, the
 * out-of-band editor's DEFER/continue back-pressure on a large inbound
 * transfer, and an identity out-of-band callout that must change nothing.
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
#define DOUT OWFP_DIR_OUTBOUND

/* Runs queued work until cond() holds, sleeping only on wake(). */
static void settle(sh *h, owfp_flow *f, bool (*cond)(sh *h, int dir), int dir)
{
	int seen = atomic_load(&h->wakes);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	while (!cond(h, dir)) {
		seen = sh_wait_wake(h, seen);
		assert_int_equal(owfp_flow_run_pending(f), 0);
	}
}

static bool fin_seen(sh *h, int dir)
{
	return h->side[dir].fins > 0;
}

static bool not_paused(sh *h, int dir)
{
	return !h->paused[dir];
}

static void reset_sides(sh *h)
{
	for (int d = 0; d < 2; d++) {
		free(h->side[d].buf);
		memset(&h->side[d], 0, sizeof(h->side[d]));
	}
}

static void test_t1_s99_s100_two_sublayer_edit_rainy_to_sunny_every_split(void **state)
{
	sh *h = *state;
	ed_set oob = {0}, inl = {0};
	ed_install(h, &oob, ED_OOB, 0x40, "rainy", "cloudy");
	ed_install(h, &inl, ED_INLINE, 0x20, "cloudy", "sunny");
	const char *msg = "it is rainy today";
	size_t n = strlen(msg);
	for (size_t cut = 0; cut <= n; cut++) {
		reset_sides(h);
		owfp_flow *f = sh_flow(h);
		if (cut)
			assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)msg, cut, 0, 0),
					 0);
		if (cut < n)
			assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)msg + cut,
							    n - cut, 0, 0),
					 0);
		assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
		settle(h, f, fin_seen, DIN);
		sh_expect(h, DIN, "it is sunny today");
		assert_int_equal(h->side[DIN].fin_at, strlen("it is sunny today"));
		owfp_flow_close(f);
	}
	/* Three segments across both patterns, and the outbound direction. */
	reset_sides(h);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "cloudy then ra");
	sh_send(f, DOUT, "i");
	sh_send(f, DOUT, "ny, rainy!");
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	settle(h, f, fin_seen, DOUT);
	sh_expect(h, DOUT, "sunny then sunny, sunny!");
	owfp_flow_close(f);
	assert_int_equal(oob.errors + inl.errors, 0);
	ed_stop(&oob);
	ed_stop(&inl);
	assert_int_equal(oob.flow_states + inl.flow_states, 0);
}

static void test_t2_s101_oob_defer_continue_large_inbound_transfer(void **state)
{
	sh *h = *state;
	ed_set oob = {0};
	ed_install(h, &oob, ED_OOB, 0x40, "rainy", "cloudy");
	/* Held until its first DEFER: a worker that keeps up with the data path
	 * would otherwise never push back, and the test would depend on timing. */
	ed_hold(&oob, true);
	enum { N = 600 * 1024, SEG = 1460 };
	uint8_t *in = malloc(N);
	srand(7);
	for (size_t i = 0; i < N; i++)
		in[i] = (uint8_t)('a' + rand() % 26);
	for (size_t i = 100; i + 5 < N; i += 997)
		memcpy(in + i, "rainy", 5);
	uint8_t *want = malloc(N * 2);
	size_t nwant = ed_reference(in, N, "rainy", "cloudy", want);
	owfp_flow *f = sh_flow(h);
	for (size_t off = 0; off < N; off += SEG) {
		size_t k = N - off < SEG ? N - off : SEG;
		assert_int_equal(owfp_flow_indicate(f, DIN, in + off, k, OWFP_SEG_PUSH, 0), 0);
		if (oob.hold && oob.defers)
			ed_hold(&oob, false);
		/* The data path honours pause() like a socket would. */
		if (h->paused[DIN])
			settle(h, f, not_paused, DIN);
	}
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	settle(h, f, fin_seen, DIN);
	sh_expect_bytes(h, DIN, want, nwant);
	assert_true(oob.defers > 0);
	assert_int_equal(oob.continues, oob.defers);
	assert_int_equal(sh_count_events(h, OWFP_EV_DEFER, NULL), (size_t)oob.defers);
	assert_int_equal(sh_count_events(h, OWFP_EV_CONTINUE, NULL), (size_t)oob.defers);
	assert_int_equal(oob.errors, 0);
	owfp_flow_close(f);
	ed_stop(&oob);
	free(in);
	free(want);
}

static void test_t3_s55_s102_identity_oob_changes_nothing_fin_timing_included(void **state)
{
	sh *h = *state;
	ed_set id = {0};
	ed_install(h, &id, ED_IDENTITY, 0x40, "", "");
	srand(3);
	for (int round = 0; round < 20; round++) {
		reset_sides(h);
		owfp_flow *f = sh_flow(h);
		uint8_t buf[2][4096];
		size_t len[2] = {0, 0};
		for (int seg = 0; seg < 30; seg++) {
			int dir = rand() % 2;
			size_t k = (size_t)(rand() % 100);
			if (len[dir] + k > sizeof(buf[dir]))
				continue;
			for (size_t i = 0; i < k; i++)
				buf[dir][len[dir] + i] = (uint8_t)rand();
			assert_int_equal(owfp_flow_indicate(f, dir, buf[dir] + len[dir], k, 0, 0), 0);
			len[dir] += k;
			if (rand() % 3 == 0)
				assert_int_equal(owfp_flow_run_pending(f), 0);
		}
		for (int dir = 0; dir < 2; dir++) {
			assert_int_equal(owfp_flow_indicate_fin(f, dir), 0);
			settle(h, f, fin_seen, dir);
			sh_expect_bytes(h, dir, buf[dir], len[dir]);
			assert_int_equal(h->side[dir].fin_at, len[dir]);
		}
		assert_true(owfp_flow_finished(f));
		owfp_flow_close(f);
	}
	assert_int_equal(id.errors, 0);
	ed_stop(&id);
	assert_int_equal(id.flow_states, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_t1_s99_s100_two_sublayer_edit_rainy_to_sunny_every_split,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_t2_s101_oob_defer_continue_large_inbound_transfer,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_t3_s55_s102_identity_oob_changes_nothing_fin_timing_included,
			sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
