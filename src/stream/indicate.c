/*
 * The data path's entry points: bytes, FIN and RST from the source of a
 * direction, running queued work, and the state queries.
 */
#include <errno.h>
#include <stdlib.h>

#include "stream/flow.h"

static int entry_check(owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return -EINVAL;
	if (f->state >= OWFP_FLOW_ABORTED || f->dir[dir].fin_source)
		return -EPIPE;
	return 0;
}

int owfp_flow_indicate(owfp_flow *f, int dir, const uint8_t *data, size_t len, uint32_t seg_flags,
		       uint64_t missed_before)
{
	int rc = entry_check(f, dir);
	if (rc)
		return rc;
	owfp_dirstate *d = &f->dir[dir];
	if (missed_before)
		for (unsigned i = 0; i < d->nstages; i++)
			d->stages[i].missed += missed_before;
	owfp_engine_count(f->engine, OWFP_COUNT_BYTES_INDICATED, dir, len);
	d->src_bytes += len;
	uint32_t nf = 0;
	if (seg_flags & OWFP_SEG_PUSH)
		nf |= OWFP_BN_PUSH;
	if (seg_flags & OWFP_SEG_URGENT)
		nf |= OWFP_BN_URGENT;
	if (!len && missed_before)
		return 0;
	owfp_chain c;
	owfp_chain_init(&c);
	/* One node per GiB keeps every MDL ByteCount within ULONG. */
	const size_t piece = (size_t)1 << 30;
	size_t off = 0;
	do {
		size_t k = len - off < piece ? len - off : piece;
		owfp_bnode *n = owfp_bnode_make(&f->pool, NULL, data + off, k, 0,
						nf | (len ? 0 : OWFP_BN_EMPTY));
		if (!n) {
			owfp_chain_clear(&c, &f->pool);
			owfp_flow *prev = owfp_flow_enter(f);
			f->depth++;
			owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, dir, 1);
			owfp_flow_emit(f, OWFP_EV_LIMIT, dir, NULL, len,
				       "out of memory taking indicated bytes");
			owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory taking indicated bytes");
			f->depth--;
			owfp_flow_leave(prev);
			owfp_flow_pump(f);
			return -ENOMEM;
		}
		owfp_chain_push(&c, n);
		off += k;
	} while (off < len);
	d->held += len;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	/* An indication boundary: filter changes apply before these bytes
	 * (not when called back from inside this flow's own pump). */
	if (f->depth == 1)
		owfp_flow_check_generation(f);
	owfp_sublayer_enter(f, dir, 0, &c);
	owfp_flow_leave(prev);
	f->depth--;
	owfp_flow_pump(f);
	if (!owfp_flow_is_dropped(f))
		owfp_flow_own_leftovers(f);
	else
		owfp_bnode_pool_own_tracked(&f->pool, &f->writer);
	return 0;
}

int owfp_flow_indicate_fin(owfp_flow *f, int dir)
{
	int rc = entry_check(f, dir);
	if (rc)
		return rc;
	owfp_dirstate *d = &f->dir[dir];
	d->fin_source = true;
	if (d->nsl == 0) {
		f->depth++;
		owfp_flow *prev = owfp_flow_enter(f);
		owfp_deliver_fin(f, dir);
		owfp_flow_leave(prev);
		f->depth--;
	} else {
		owfp_stage_set_eof(f, dir, 0, 0, true);
	}
	owfp_flow_pump(f);
	return 0;
}

/* Q24: the RST ends both directions now; each filter of `dir` sees ABORT. */
int owfp_flow_indicate_abort(owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return -EINVAL;
	if (f->state >= OWFP_FLOW_ABORTED)
		return -EPIPE;
	if (f->state == OWFP_FLOW_DROP_PENDING) {
		/* A callout asked for the drop inside a callback that has not
		 * returned: the drop wins (applied now, or when it returns). */
		owfp_flow_pump(f);
		return -EPIPE;
	}
	if (!owfp_flow_transition(f, OWFP_FLOW_ABORTED, 0))
		return -EPIPE;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	owfp_flow_discard_all(f, STATUS_CANCELLED);
	/* ABORTED refuses injections (inject.c) while ABORT is presented. */
	owfp_dirstate *d = &f->dir[dir];
	bool in = dir == OWFP_DIR_INBOUND;
	for (unsigned i = 0; i < d->nstages && !d->ended; i++) {
		owfp_stage *st = &d->stages[i];
		owfp_abort_present(f, st,
				   in ? FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_ABORT
				      : FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_ABORT);
	}
	/* After a FIN of `dir` the RST still cuts the other direction, and the
	 * data path must hear of it (a proxy resets that side). */
	bool was_ended = f->dir[0].ended && f->dir[1].ended;
	f->dir[0].ended = f->dir[1].ended = true;
	if (!was_ended && f->ops->deliver_abort)
		f->ops->deliver_abort(f->dp, f, dir);
	owfp_flow_leave(prev);
	f->depth--;
	owfp_flow_pump(f);
	return 0;
}

int owfp_flow_run_pending(owfp_flow *f)
{
	owfp_flow_pump(f);
	if (!owfp_flow_is_dropped(f))
		owfp_flow_own_leftovers(f);
	return 0;
}

bool owfp_flow_busy(const owfp_flow *f)
{
	if (owfp_flow_is_dropped(f) || owfp_flow_is_ended(f))
		return false;
	for (int dir = 0; dir < 2; dir++) {
		const owfp_dirstate *d = &f->dir[dir];
		if (d->held || d->inj_bytes)
			return true;
		for (unsigned i = 0; i < d->nstages; i++)
			if (d->stages[i].state == OWFP_ST_DEFERRED || d->stages[i].fin_held)
				return true;
	}
	return f->done_head || atomic_load(&((owfp_flow *)f)->has_work);
}

bool owfp_flow_finished(const owfp_flow *f)
{
	return owfp_flow_is_ended(f);
}

bool owfp_flow_dropped(const owfp_flow *f)
{
	return owfp_flow_is_dropped(f);
}

size_t owfp_flow_held_bytes(const owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return 0;
	return f->dir[dir].held;
}
