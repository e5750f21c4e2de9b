/*
 * Allocation-failure sweep over the stream layer (SQLite-style, issue 18):
 * an engine with two sublayers and three callouts (one DEFERs and is
 * continued and then injects out of band, one injects inline, one
 * inspects), three flows indicating data in both directions. For N = 1.. until the scenario runs without a
 * failure, allocation N fails (src/util/alloc.h). Every outcome must be a
 * clean error (owfp_flow_create -ENOMEM, STATUS_INSUFFICIENT_RESOURCES to a
 * callout, which then fails closed) or a fail-closed drop; a flow that was
 * not dropped delivers exactly what the run without failures delivers; and
 * nothing leaks (checked during the sweep in an ASan build).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alloc_sweep.h"
#include "stream_harness.h"
#include "util/alloc.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND
#define NFLOWS 3

typedef struct flow_result {
	bool created, dropped, reset;
	int fins[2];
	size_t len[2];
	char out[2][64];
} flow_result;

static bool defer_next, deferred, inject_next;
static UINT32 defer_flags;

/* DEFERs the first inbound data of a flow; the test continues it. */
static void defer_fn(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		     FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		     FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	if (defer_next && (io->streamData->flags & FWPS_STREAM_FLAG_RECEIVE) &&
	    io->streamData->dataLength) {
		defer_next = false;
		deferred = true;
		defer_flags = io->streamData->flags;
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static void NTAPI inject_done(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN dispatch)
{
	(void)ctx, (void)dispatch;
	MDL *m = nbl->FirstNetBuffer ? nbl->FirstNetBuffer->MdlChain : NULL;
	void *mem = m ? m->MappedSystemVa : NULL;
	FwpsFreeNetBufferList0(nbl);
	if (m)
		IoFreeMdl(m);
	free(mem);
}

/* Injects `text` (3 bytes) for callout `id`: inline from inside its
 * classify, out of band otherwise. Frees what it made when refused. */
static NTSTATUS inject_bytes(UINT64 flow, UINT32 id, UINT32 sflags, const char *text)
{
	NET_BUFFER_LIST *nbl = NULL;
	void *mem = malloc(3);
	assert_non_null(mem);
	memcpy(mem, text, 3);
	MDL *m = IoAllocateMdl(mem, 3, FALSE, FALSE, NULL);
	NTSTATUS st = STATUS_INSUFFICIENT_RESOURCES;
	if (m)
		st = FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, m, 0, 3, &nbl);
	if (NT_SUCCESS(st))
		st = FwpsStreamInjectAsync0(sh_current()->inj, NULL, 0, flow, id,
					    FWPS_LAYER_STREAM_V4, sflags, nbl, 3, inject_done, NULL);
	if (!NT_SUCCESS(st)) {
		if (nbl)
			FwpsFreeNetBufferList0(nbl);
		if (m)
			IoFreeMdl(m);
		free(mem);
	}
	return st;
}

/* Inline-injects "<J>" before the first outbound data; a failed injection
 * drops the connection, as a callout that must edit has to. */
static void inject_fn(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)filter, (void)ctx;
	out->actionType = FWP_ACTION_PERMIT;
	if (!inject_next || !(io->streamData->flags & FWPS_STREAM_FLAG_SEND) ||
	    !io->streamData->dataLength)
		return;
	inject_next = false;
	if (!NT_SUCCESS(inject_bytes(meta->flowHandle, c->id, FWPS_STREAM_FLAG_SEND, "<J>"))) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_BLOCK;
	}
}

static int indicate(owfp_flow *f, int dir, const char *s)
{
	int rc = owfp_flow_indicate(f, dir, (const uint8_t *)s, strlen(s), 0, 0);
	/* An error is only ever a drop (-ENOMEM) or a flow already over. */
	if (rc)
		assert_true(owfp_flow_dropped(f) || owfp_flow_finished(f));
	return rc;
}

static void run_flow(sh *h, int i, UINT32 defer_id, flow_result *r)
{
	memset(r, 0, sizeof(*r));
	size_t base[2] = {h->side[DIN].len, h->side[DOUT].len};
	int fins[2] = {h->side[DIN].fins, h->side[DOUT].fins};
	int drops = h->drops;
	owfp_flow_key k = sh_key();
	k.local_port = (UINT16)(40000 + i);
	owfp_flow *f = NULL;
	int rc = owfp_flow_create(h->engine, &k, &h->ops, h, &f);
	if (rc) {
		assert_int_equal(rc, -ENOMEM);
		assert_null(f);
		return;
	}
	r->created = true;
	defer_next = inject_next = true;
	deferred = false;
	indicate(f, DIN, "hello ");
	indicate(f, DOUT, "GET /");
	indicate(f, DIN, "world");
	if (deferred) {
		NTSTATUS st;
		int tries = 0;
		do /* out of memory is an error the callout may retry */
			st = FwpsStreamContinue0(owfp_flow_id(f), defer_id, FWPS_LAYER_STREAM_V4,
						 defer_flags);
		while (st == STATUS_INSUFFICIENT_RESOURCES && ++tries < 8);
		if (st == STATUS_INSUFFICIENT_RESOURCES && !owfp_flow_dropped(f)) {
			/* Still deferred: the data path's deferred-flow timer
			 * resets it when it fires (fail closed). */
			uint64_t due = owfp_flow_defer_deadline_ms(f);
			assert_true(due != 0);
			assert_int_equal(owfp_flow_expire(f, due), 1);
			assert_true(owfp_flow_dropped(f));
		} else {
			assert_true(st == STATUS_SUCCESS || owfp_flow_dropped(f));
		}
		owfp_flow_run_pending(f);
	}
	if (!owfp_flow_dropped(f) &&
	    !NT_SUCCESS(inject_bytes(owfp_flow_id(f), defer_id, FWPS_STREAM_FLAG_RECEIVE, "<O>"))) {
		/* The callout could not inject out of band: it resets the
		 * connection rather than let it go on unedited. */
		owfp_flow_indicate_abort(f, DIN);
		r->reset = true;
	}
	owfp_flow_run_pending(f);
	indicate(f, DOUT, " HTTP");
	if (!r->reset) {
		owfp_flow_indicate_fin(f, DOUT);
		owfp_flow_indicate_fin(f, DIN);
	}
	owfp_flow_run_pending(f);
	r->dropped = owfp_flow_dropped(f);
	assert_int_equal(h->drops - drops, r->dropped ? 1 : 0);
	owfp_flow_close(f);
	for (int d = 0; d < 2; d++) {
		r->len[d] = h->side[d].len - base[d];
		r->fins[d] = h->side[d].fins - fins[d];
		assert_true(r->len[d] < sizeof(r->out[d]));
		if (r->len[d])
			memcpy(r->out[d], h->side[d].buf + base[d], r->len[d]);
	}
	/* Later flows' FINs are counted per flow: the recorder allows one. */
	h->side[DIN].fins = h->side[DOUT].fins = 0;
}

/* Runs the scenario with allocation `nth` failing (0: none); returns the
 * number of attempts made to fail. */
static uint64_t scenario(uint64_t nth, int sticky, flow_result res[NFLOWS])
{
	sh h;
	sh_up(&h, NULL);
	GUID s1 = sh_sublayer(&h, 200), s2 = sh_sublayer(&h, 100);
	sh_callout *cd = sh_callout_new(&h, 0, defer_fn);
	sh_callout *cc = sh_callout_new(&h, 0, sh_fn_permit);
	sh_callout *ci = sh_callout_new(&h, 0, inject_fn);
	sh_filter(&h, &s1, FWP_ACTION_CALLOUT_INSPECTION, cc, 20, 0);
	sh_filter(&h, &s1, FWP_ACTION_CALLOUT_TERMINATING, cd, 10, 0);
	sh_filter(&h, &s2, FWP_ACTION_CALLOUT_TERMINATING, ci, 10, 0);
	if (nth)
		owfp_alloc_fail_nth(nth, sticky);
	else
		owfp_alloc_count_start();
	for (int i = 0; i < NFLOWS; i++)
		run_flow(&h, i, cd->id, &res[i]);
	uint64_t failed = nth ? owfp_alloc_failed() : 0;
	if (!nth)
		print_message("stream scenario: %llu allocations\n",
			      (unsigned long long)owfp_alloc_attempts());
	owfp_alloc_disarm();
	sh_down(&h);
	return failed;
}

/* sticky: every allocation from N on fails too (a process out of memory). */
static void sweep(int sticky)
{
	flow_result ref[NFLOWS], got[NFLOWS];
	scenario(0, 0, ref);
	for (int i = 0; i < NFLOWS; i++) {
		assert_true(ref[i].created && !ref[i].dropped && !ref[i].reset);
		assert_string_equal(ref[i].out[DOUT], "<J>GET / HTTP");
		assert_string_equal(ref[i].out[DIN], "hello world<O>");
	}
	uint64_t n;
	for (n = 1; n < 100000; n++) {
		if (!scenario(n, sticky, got))
			break;
		for (int i = 0; i < NFLOWS; i++) {
			if (!got[i].created || got[i].dropped || got[i].reset)
				continue;
			for (int d = 0; d < 2; d++)
				if (got[i].len[d] != ref[i].len[d] ||
				    memcmp(got[i].out[d], ref[i].out[d], ref[i].len[d]) ||
				    got[i].fins[d] != 1)
					fail_msg("allocation %llu failed: flow %d, not dropped, "
						 "delivered '%.*s' (%d FIN) in direction %d, want '%s'",
						 (unsigned long long)n, i, (int)got[i].len[d],
						 got[i].out[d], got[i].fins[d], d, ref[i].out[d]);
		}
		owfp_sweep_leak_check(n, 0);
	}
	owfp_sweep_leak_check(n, 1);
	print_message("stream sweep%s: %llu runs\n", sticky ? " (sticky)" : "",
		      (unsigned long long)n);
	assert_true(n > 1);
}

static void test_stream_sweep(void **state)
{
	(void)state;
	sweep(0);
}

static void test_stream_sweep_sticky(void **state)
{
	(void)state;
	sweep(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_sweep),
		cmocka_unit_test(test_stream_sweep_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
