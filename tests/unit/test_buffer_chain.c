/* Buffer chains, the NBL view, copy/clone, and allocation-failure injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buffer/chain.h"
#include "buffer/clone.h"
#include "buffer/nbl_view.h"
#include "stream_harness.h"

static const char text[] = "the quick brown fox jumps over the lazy dog";

/* A chain of borrowed pieces of `text` cut at the given lengths. */
static void build(owfp_chain *c, owfp_bnode_pool *p, const size_t *cuts, size_t ncuts)
{
	owfp_chain_init(c);
	size_t off = 0;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t k = i < ncuts ? cuts[i] : strlen(text) - off;
		owfp_bnode *n = owfp_bnode_make(p, NULL, (const uint8_t *)text + off, k, off, 0);
		assert_non_null(n);
		owfp_chain_push(c, n);
		off += k;
	}
}

static void test_chain_take_every_split_point_keeps_bytes_and_labels(void **state)
{
	(void)state;
	static const size_t cuts[] = {3, 1, 10, 7};
	size_t n = strlen(text);
	for (size_t at = 0; at <= n; at++) {
		owfp_bnode_pool p = {0};
		owfp_chain c, head;
		build(&c, &p, cuts, 4);
		owfp_chain_init(&head);
		assert_int_equal(owfp_chain_take(&c, at, &head, &p), 0);
		assert_int_equal(head.len, at);
		assert_int_equal(c.len, n - at);
		char buf[64] = {0};
		assert_int_equal(owfp_chain_copy_out(&head, 0, buf, sizeof(buf)), at);
		assert_memory_equal(buf, text, at);
		assert_int_equal(owfp_chain_copy_out(&c, 0, buf, sizeof(buf)), n - at);
		assert_memory_equal(buf, text + at, n - at);
		if (c.head)
			assert_int_equal(c.head->label, at);
		/* Put it back together: the MDL chain reads the text again. */
		owfp_chain_concat(&head, &c);
		owfp_nbl_view v;
		owfp_nbl_view_build(&v, &head, head.len, FWPS_STREAM_FLAG_SEND);
		char flat[64] = {0};
		SIZE_T got = 0;
		FwpsCopyStreamDataToBuffer0(&v.sd, flat, sizeof(flat), &got);
		assert_int_equal(got, n);
		assert_memory_equal(flat, text, n);
		owfp_chain_clear(&head, &p);
		assert_int_equal(p.live, 0);
		p.ntrack = 0;
		owfp_bnode_pool_destroy(&p);
	}
}

static void test_s13_view_data_offset_inside_first_mdl(void **state)
{
	(void)state;
	owfp_bnode_pool p = {0};
	owfp_chain c, drop;
	static const size_t cuts[] = {10};
	build(&c, &p, cuts, 1);
	owfp_chain_init(&drop);
	assert_int_equal(owfp_chain_take(&c, 4, &drop, &p), 0);
	owfp_nbl_view v;
	owfp_nbl_view_build(&v, &c, c.len, FWPS_STREAM_FLAG_RECEIVE);
	/* The first MDL still starts at "the "; the offset says where data begins. */
	assert_int_equal(v.sd.dataOffset.mdlOffset, 4);
	assert_ptr_equal(v.sd.dataOffset.mdl->MappedSystemVa, text);
	char flat[64] = {0};
	SIZE_T got = 0;
	FwpsCopyStreamDataToBuffer0(&v.sd, flat, 5, &got);
	assert_int_equal(got, 5);
	assert_memory_equal(flat, "quick", 5);
	owfp_chain_clear(&c, &p);
	owfp_chain_clear(&drop, &p);
	p.ntrack = 0;
	owfp_bnode_pool_destroy(&p);
}

static void test_chain_own_copies_borrowed_bytes_once(void **state)
{
	(void)state;
	owfp_bnode_pool p = {0};
	owfp_slab_writer w = {0};
	char mem[] = "borrowed";
	owfp_chain c;
	owfp_chain_init(&c);
	owfp_chain_push(&c, owfp_bnode_make(&p, NULL, (uint8_t *)mem, 8, 0, 0));
	assert_int_equal(owfp_bnode_pool_own_tracked(&p, &w), 0);
	memset(mem, 'X', 8);
	char out[8];
	owfp_chain_copy_out(&c, 0, out, 8);
	assert_memory_equal(out, "borrowed", 8);
	assert_non_null(c.head->slab);
	assert_int_equal(owfp_chain_own(&c, &w), 0); /* nothing left to copy */
	owfp_chain_clear(&c, &p);
	owfp_slab_writer_release(&w);
	owfp_bnode_pool_destroy(&p);
}

static void test_s66_clone_references_the_slab(void **state)
{
	(void)state;
	owfp_bnode_pool p = {0};
	owfp_slab_writer w = {0};
	uint8_t *where;
	owfp_slab *s = owfp_slab_writer_copy(&w, "slabbytes", 9, &where);
	assert_non_null(s);
	owfp_chain c;
	owfp_chain_init(&c);
	owfp_chain_push(&c, owfp_bnode_make(&p, s, where, 9, 0, 0));
	owfp_nbl_view v;
	owfp_nbl_view_build(&v, &c, 9, FWPS_STREAM_FLAG_SEND);
	unsigned refs = atomic_load(&s->refs);
	NET_BUFFER_LIST *clone = NULL;
	assert_int_equal(FwpsCloneStreamData0(&v.sd, NULL, NULL, 0, &clone), STATUS_SUCCESS);
	assert_true(owfp_nbl_is_clone(clone));
	assert_int_equal(atomic_load(&s->refs), refs + 1);
	assert_ptr_equal(clone->FirstNetBuffer->MdlChain->MappedSystemVa, where); /* no copy */
	FwpsFreeCloneNetBufferList0(clone, 0);
	assert_int_equal(atomic_load(&s->refs), refs);
	owfp_chain_clear(&c, &p);
	owfp_slab_writer_release(&w);
	owfp_bnode_pool_destroy(&p);
}

/* ----------------------------------------- allocation-failure injection */

static void holder_cloner(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			  UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)filter, (void)ctx, (void)c;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	if (sd->dataLength < 6 && !(out->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA)) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = 1;
		return;
	}
	NET_BUFFER_LIST *clone = NULL;
	if (!NT_SUCCESS(FwpsCloneStreamData0(sd, NULL, NULL, 0, &clone))) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		return;
	}
	FwpsFreeCloneNetBufferList0(clone, 0);
	UINT32 dirf = sd->flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	if (sd->dataLength &&
	    !NT_SUCCESS(sh_inject(sh_current(), c, meta->flowHandle, dirf, "<>", 2))) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
	io->countBytesEnforced = sd->dataLength > 3 ? 3 : 0;
}

static void test_slab_allocation_failure_fails_closed_never_leaks(void **state)
{
	(void)state;
	int completed = 0;
	for (long nth = 1; nth < 200 && completed < 3; nth++) {
		sh h;
		sh_up(&h, NULL);
		sh_callout *c = sh_callout_new(&h, 0, holder_cloner);
		sh_filter(&h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
		owfp_flow *f = sh_flow(&h);
		unsigned long before = owfp_buffer_alloc_count();
		owfp_buffer_fail_nth(nth);
		static const char *segs[] = {"ab", "cd", "efgh", "ij", "klmnopqrstuvwxyz"};
		for (size_t i = 0; i < 5; i++)
			owfp_flow_indicate(f, OWFP_DIR_INBOUND, (const uint8_t *)segs[i],
					   strlen(segs[i]), 0, 0);
		owfp_flow_indicate_fin(f, OWFP_DIR_INBOUND);
		owfp_flow_run_pending(f);
		bool failed_somewhere = owfp_buffer_alloc_count() - before >= (unsigned long)nth;
		owfp_buffer_fail_nth(0);
		/* Every failed allocation ends the flow (fail closed). */
		assert_true(!failed_somewhere || h.drops == 1);
		if (h.drops) {
			assert_true(h.drop_why == OWFP_DROP_LIMIT || h.drop_why == OWFP_DROP_CALLOUT);
			assert_true(owfp_flow_dropped(f));
			assert_int_equal(h.side[OWFP_DIR_INBOUND].fins, 0);
		} else if (!failed_somewhere) {
			/* No failure happened: the full, correct output. */
			assert_int_equal(h.side[OWFP_DIR_INBOUND].fins, 1);
			completed++;
		}
		owfp_flow_close(f);
		sh_down(&h);
	}
	assert_true(completed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_take_every_split_point_keeps_bytes_and_labels),
		cmocka_unit_test(test_s13_view_data_offset_inside_first_mdl),
		cmocka_unit_test(test_chain_own_copies_borrowed_bytes_once),
		cmocka_unit_test(test_s66_clone_references_the_slab),
		cmocka_unit_test(test_slab_allocation_failure_fails_closed_never_leaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
