/* One direction of a TCP flow as its receiver sees it: in-order bytes go to
 * the consumer straight from packet memory; anything else is copied into a
 * sorted list of non-overlapping nodes until the gap before it fills, is
 * given up on (hole skip), or the flow ends. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

static void node_free(owfp_capture *cap, struct cap_dir *D, struct cap_node *n)
{
	/* Test the head by identity: the list's head has no prev. */
	if (n == D->head)
		D->head = n->next;
	else
		n->prev->next = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		D->tail = n->prev;
	D->buffered -= n->len;
	D->mem -= n->len + CAP_NODE_COST;
	cap->buffered_total -= n->len + CAP_NODE_COST;
	free(n);
}

static void node_consume(owfp_capture *cap, struct cap_dir *D, struct cap_node *n, uint64_t k)
{
	n->b += k;
	n->off += k;
	n->len -= (uint32_t)k;
	D->buffered -= k;
	D->mem -= k;
	cap->buffered_total -= k;
}

/* Links a copy of [off, off + len) before `before` (NULL: at the tail). */
static void node_add(owfp_capture *cap, struct cap_dir *D, struct cap_node *before, uint64_t off,
		     const uint8_t *b, uint64_t len, uint8_t flags)
{
	struct cap_node *n = owfp_malloc(sizeof(*n) + len);
	if (!n) {
		/* Out of memory is capture loss from the consumer's point of
         * view, and the run ends with -ENOMEM: never a silent loss. */
		cap->nomem = true;
		if (D->lost_end <= D->next_off || off + len < D->lost_start || off > D->lost_end) {
			D->lost_start = off;
			D->lost_end = off + len;
		}
		return;
	}
	n->off = off;
	n->len = (uint32_t)len;
	n->flags = flags;
	n->b = n->buf;
	memcpy(n->buf, b, len);
	n->next = before;
	n->prev = before ? before->prev : D->tail;
	if (n->prev)
		n->prev->next = n;
	else
		D->head = n;
	if (before)
		before->prev = n;
	else
		D->tail = n;
	D->buffered += len;
	D->mem += len + CAP_NODE_COST;
	cap->buffered_total += len + CAP_NODE_COST;
	if (cap->buffered_total > cap->st.buffered_bytes_peak)
		cap->st.buffered_bytes_peak = cap->buffered_total;
}

void owfp_capture_reasm_release(owfp_capture *cap, struct cap_flow *f, unsigned d)
{
	struct cap_dir *D = &f->dir[d];
	while (D->head) {
		cap->st.bytes_discarded += D->head->len;
		node_free(cap, D, D->head);
	}
	D->hole_open = false;
}

static bool has_hole(const struct cap_dir *D)
{
	return !D->paused && !D->fin_done && (D->head || (D->fin_seen && D->next_off < D->fin_off));
}

static void add_urgent(struct cap_dir *D, uint64_t u)
{
	if (u < D->next_off || D->nurg == CAP_MAX_URG)
		return;
	unsigned i = 0;
	while (i < D->nurg && D->urg[i] < u)
		i++;
	if (i < D->nurg && D->urg[i] == u)
		return;
	memmove(&D->urg[i + 1], &D->urg[i], (D->nurg - i) * sizeof(D->urg[0]));
	D->urg[i] = u;
	D->nurg++;
}

static void emit(owfp_capture *cap, struct cap_flow *f, unsigned d, const uint8_t *b, uint64_t len,
		 unsigned flags, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	owfp_capture_data c = {
		.dir = d,
		.bytes = b,
		.len = len,
		.flags = flags,
		.missed_before = D->missed_pending,
		.offset = D->next_off,
		.ts_ns = ts,
	};
	D->missed_pending = 0;
	D->next_off += len;
	D->next_seq += (uint32_t)len;
	cap->st.bytes_delivered += len;
	if (cap->sink->data)
		cap->sink->data(cap->user, f->user, &c);
}

static bool stopped(const struct cap_flow *f, const struct cap_dir *D)
{
	return D->paused || f->ignored || f->state != CAP_FLOW_LIVE;
}

/* Hands [next_off, next_off + len) to the consumer, cutting urgent bytes out
 * into chunks of their own. Returns how much went before a pause/ignore. */
static uint64_t deliver(owfp_capture *cap, struct cap_flow *f, unsigned d, const uint8_t *b,
			uint64_t len, unsigned flags, bool more, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	uint64_t done = 0;
	while (done < len && !stopped(f, D)) {
		while (D->nurg && D->urg[0] < D->next_off)
			memmove(&D->urg[0], &D->urg[1], --D->nurg * sizeof(D->urg[0]));
		uint64_t piece = len - done;
		unsigned fl = 0;
		if (D->nurg && D->urg[0] < D->next_off + piece) {
			if (D->urg[0] > D->next_off) {
				piece = D->urg[0] - D->next_off;
			} else {
				piece = 1;
				fl = OWFP_CAPTURE_DATA_URG;
				memmove(&D->urg[0], &D->urg[1], --D->nurg * sizeof(D->urg[0]));
			}
		}
		if (done + piece == len)
			fl |= (flags & OWFP_CAPTURE_DATA_PSH) | (more ? OWFP_CAPTURE_DATA_MORE : 0);
		else
			fl |= OWFP_CAPTURE_DATA_MORE;
		emit(cap, f, d, b + done, piece, fl, ts);
		done += piece;
	}
	return done;
}

static void skip_to(owfp_capture *cap, struct cap_dir *D, uint64_t target)
{
	uint64_t miss = target - D->next_off;
	D->missed_pending += miss;
	D->next_off = target;
	D->next_seq += (uint32_t)miss;
	D->hole_open = false;
	cap->st.holes_skipped++;
	cap->st.bytes_missed += miss;
}

static void deliver_fin(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	if (D->missed_pending) {
		emit(cap, f, d, NULL, 0, 0, ts);
		if (stopped(f, D))
			return;
	}
	D->fin_done = true;
	D->hole_open = false;
	owfp_capture_reasm_release(cap, f, d);
	if (cap->sink->fin)
		cap->sink->fin(cap->user, f->user, d, ts);
	if (f->dir[!d].fin_done && !f->ending)
		owfp_capture_tcp_end(cap, f, OWFP_CAPTURE_END_CLOSED, ts);
}

void owfp_capture_reasm_drain(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	while (!stopped(f, D) && !D->fin_done) {
		struct cap_node *n = D->head;
		if (n && n->off <= D->next_off) {
			if (n->off + n->len <= D->next_off) {
				node_free(cap, D, n);
				continue;
			}
			node_consume(cap, D, n, D->next_off - n->off);
			if (D->fin_seen && n->off + n->len > D->fin_off) {
				uint64_t keep = D->fin_off > n->off ? D->fin_off - n->off : 0;
				cap->st.bytes_discarded += n->len - keep;
				D->buffered -= n->len - keep;
				D->mem -= n->len - keep;
				cap->buffered_total -= n->len - keep;
				n->len = (uint32_t)keep;
				if (!keep) {
					node_free(cap, D, n);
					continue;
				}
			}
			bool more = n->next && n->next->off == n->off + n->len;
			uint64_t len = n->len;
			uint64_t done = deliver(cap, f, d, n->b, len, n->flags, more, ts);
			if (f->ignored || f->state != CAP_FLOW_LIVE)
				return;
			node_consume(cap, D, n, done);
			if (!n->len)
				node_free(cap, D, n);
			if (done < len)
				break;
			continue;
		}
		if (D->lost_start <= D->next_off && D->next_off < D->lost_end) {
			uint64_t target = D->lost_end;
			if (n && n->off < target)
				target = n->off;
			if (D->fin_seen && D->fin_off < target)
				target = D->fin_off;
			if (target > D->next_off) {
				skip_to(cap, D, target);
				continue;
			}
		}
		if (D->fin_seen && D->next_off >= D->fin_off) {
			deliver_fin(cap, f, d, ts);
			return;
		}
		break;
	}
	if (f->state != CAP_FLOW_LIVE || f->ignored)
		return;
	if (!has_hole(D)) {
		D->hole_open = false;
	} else if (!D->hole_open) {
		D->hole_open = true;
		D->hole_since = cap->now;
	}
}

/* Gives up on the hole at next_off: what follows is delivered with the
 * hole's size as missed_before. */
static void skip_hole(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	uint64_t target;
	if (D->head)
		target = D->head->off;
	else if (D->fin_seen && D->fin_off > D->next_off)
		target = D->fin_off;
	else
		return;
	if (target > D->next_off)
		skip_to(cap, D, target);
	owfp_capture_reasm_drain(cap, f, d, ts);
}

void owfp_capture_reasm_acked(owfp_capture *cap, struct cap_flow *f, unsigned d, uint32_t ack,
			      uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	if (!D->init || stopped(f, D) || D->fin_done)
		return;
	int32_t diff = (int32_t)(ack - D->next_seq);
	if (diff <= 0)
		return;
	/* The receiver holds everything below `acked` (a FIN counts one). */
	uint64_t acked = D->next_off + (uint64_t)diff;
	uint64_t target;
	if (D->head)
		target = D->head->off;
	else if (D->fin_seen)
		target = D->fin_off;
	else
		return; /* nothing behind the hole yet: the bytes may still come */
	if (target > D->next_off && acked >= target)
		skip_hole(cap, f, d, ts);
}

static void check_holes(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	const owfp_capture_opts *o = &cap->opts;
	while (f->state == CAP_FLOW_LIVE && !f->ignored && has_hole(D)) {
		bool by_bytes = o->hole_skip_bytes && D->buffered >= o->hole_skip_bytes;
		bool by_time = o->hole_skip_ns && D->hole_open &&
			       cap->now - D->hole_since >= o->hole_skip_ns;
		if (!by_bytes && !by_time)
			return;
		uint64_t before = D->next_off;
		skip_hole(cap, f, d, ts);
		if (D->next_off == before)
			return;
	}
}

void owfp_capture_reasm_timers(owfp_capture *cap, struct cap_flow *f, uint64_t ts)
{
	check_holes(cap, f, 0, ts);
	check_holes(cap, f, 1, ts);
}

/* Frees buffered data of any flow, idlest first, by skipping holes, until
 * `need` more bytes fit with a quarter of the bound to spare. */
void owfp_capture_reasm_reclaim(owfp_capture *cap, size_t need, uint64_t ts)
{
	size_t max = cap->opts.max_total_bytes;
	size_t goal = max / 4 * 3;
	if (need > max)
		goal = 0;
	else if (max - need < goal)
		goal = max - need;
	for (struct cap_flow *g = cap->lru_head; g && cap->buffered_total > goal; g = g->lru_next) {
		for (unsigned d = 0; d < 2; d++) {
			struct cap_dir *D = &g->dir[d];
			while (D->head && g->state == CAP_FLOW_LIVE && !g->ignored && !D->paused &&
			       cap->buffered_total > goal) {
				uint64_t before = D->next_off;
				size_t had = D->buffered;
				skip_hole(cap, g, d, ts);
				if (D->next_off == before && D->buffered == had)
					break;
			}
		}
	}
}

static void mark_lost(struct cap_dir *D, uint64_t a, uint64_t b)
{
	if (b <= D->next_off)
		return; /* already behind us: must not replace a range still ahead */
	if (D->lost_end <= D->next_off || b < D->lost_start || a > D->lost_end) {
		D->lost_start = a;
		D->lost_end = b;
		return;
	}
	if (a < D->lost_start)
		D->lost_start = a;
	if (b > D->lost_end)
		D->lost_end = b;
}

/* Copies [off, off + len) into the buffer; bytes already buffered are
 * compared and resolved by the overlap policy. */
static void buffer_insert(owfp_capture *cap, struct cap_dir *D, uint64_t off, const uint8_t *b,
			  uint64_t len, uint8_t flags)
{
	uint64_t cur = off, end = off + len;
	struct cap_node *n = D->tail;
	if (!n || n->off + n->len <= cur) {
		n = NULL;
	} else if (end <= D->head->off) {
		n = D->head; /* reverse order is as cheap as forward order */
	} else {
		while (n->prev && n->prev->off + n->prev->len > cur)
			n = n->prev;
	}
	bool counted = false;
	while (cur < end) {
		if (!n || n->off >= end) {
			node_add(cap, D, n, cur, b + (cur - off), end - cur, flags);
			break;
		}
		if (n->off > cur) {
			node_add(cap, D, n, cur, b + (cur - off), n->off - cur, flags);
			cur = n->off;
		}
		uint64_t oe = end < n->off + n->len ? end : n->off + n->len;
		const uint8_t *mine = b + (cur - off);
		uint8_t *theirs = n->b + (cur - n->off);
		uint64_t k = oe - cur;
		cap->st.retransmitted_bytes += k;
		if (memcmp(mine, theirs, k) != 0) {
			uint64_t diff = 0;
			for (uint64_t i = 0; i < k; i++)
				diff += mine[i] != theirs[i];
			cap->st.overlap_bytes_differing += diff;
			if (!counted)
				cap->st.overlaps_differing++;
			counted = true;
			if (cap->opts.overlap == OWFP_CAPTURE_OVERLAP_LAST)
				memcpy(theirs, mine, k);
		}
		cur = oe;
		n = n->next;
	}
}

static void buffer_add(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t off,
		       const uint8_t *b, uint64_t len, uint8_t flags, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	const owfp_capture_opts *o = &cap->opts;
	size_t cost = len + CAP_NODE_COST;
	while (D->mem + cost > o->max_direction_bytes && D->head && !stopped(f, D)) {
		uint64_t before = D->next_off;
		skip_hole(cap, f, d, ts);
		if (D->next_off == before)
			break;
	}
	if (cap->buffered_total + cost > o->max_total_bytes)
		owfp_capture_reasm_reclaim(cap, cost, ts);
	if (f->ignored || f->state != CAP_FLOW_LIVE)
		return;
	/* The skips may have moved next_off past part of this segment. */
	if (off < D->next_off) {
		uint64_t k = D->next_off - off;
		if (k >= len)
			return;
		off += k;
		b += k;
		len -= k;
		cost = len + CAP_NODE_COST;
	}
	if (D->mem + cost > o->max_direction_bytes ||
	    cap->buffered_total + cost > o->max_total_bytes) {
		cap->st.bytes_dropped_paused += len;
		mark_lost(D, off, off + len);
		return;
	}
	if (off == D->next_off && !stopped(f, D) && (!D->head || D->head->off >= off + len)) {
		/* A skip made this in order: no need to copy it. */
		uint64_t done = deliver(cap, f, d, b, len, flags,
					D->head && D->head->off == off + len, ts);
		if (done == len || f->ignored || f->state != CAP_FLOW_LIVE)
			return;
		off += done;
		b += done;
		len -= done;
	}
	buffer_insert(cap, D, off, b, len, flags);
}

void owfp_capture_reasm_segment(owfp_capture *cap, struct cap_flow *f, unsigned d,
				const struct cap_seg *seg, uint32_t seq_data, uint64_t ts)
{
	struct cap_dir *D = &f->dir[d];
	if (D->fin_done) {
		/* ACKs from a side that already closed are normal; data is not */
		if (seg->len)
			cap->st.ignored_segments++;
		return;
	}
	int64_t soff = (int64_t)D->next_off + (int32_t)(seq_data - D->next_seq);
	const uint8_t *b = seg->payload;
	uint64_t len = seg->len, wire = seg->wire_len;
	if ((seg->flags & CAP_TH_URG) && seg->urp && soff + seg->urp - 1 >= 0)
		add_urgent(D, (uint64_t)(soff + seg->urp - 1));
	if (soff < 0) {
		/* Bytes before the start of the stream (before the SYN, or before
         * the first segment seen mid-stream): nothing to deliver. */
		uint64_t cut = (uint64_t)-soff;
		if (cut >= wire) {
			cap->st.retransmitted_bytes += len;
			return;
		}
		uint64_t c = cut < len ? cut : len;
		cap->st.retransmitted_bytes += c;
		b += c;
		len -= c;
		wire -= cut;
		soff = 0;
	}
	uint64_t off = (uint64_t)soff;
	if (wire > len)
		mark_lost(D, off + len, off + wire);
	if ((seg->flags & CAP_TH_FIN) && !D->fin_seen) {
		D->fin_seen = true;
		D->fin_off = off + wire;
	}
	if (D->fin_seen && off + len > D->fin_off) {
		uint64_t keep = D->fin_off > off ? D->fin_off - off : 0;
		cap->st.bytes_discarded += len - keep;
		len = keep;
	}
	if (off < D->next_off) {
		uint64_t k = D->next_off - off < len ? D->next_off - off : len;
		cap->st.retransmitted_bytes += k;
		b += k;
		len -= k;
		off += k;
	}
	uint8_t fl = (seg->flags & CAP_TH_PSH) ? OWFP_CAPTURE_DATA_PSH : 0;
	if (len) {
		if (off == D->next_off && !stopped(f, D) && (!D->head || D->head->off >= off + len)) {
			uint64_t done = deliver(cap, f, d, b, len, fl,
						D->head && D->head->off == off + len, ts);
			if (f->ignored || f->state != CAP_FLOW_LIVE)
				return;
			if (done < len)
				buffer_add(cap, f, d, off + done, b + done, len - done, fl, ts);
		} else {
			buffer_add(cap, f, d, off, b, len, fl, ts);
		}
	}
	if (f->ignored || f->state != CAP_FLOW_LIVE)
		return;
	owfp_capture_reasm_drain(cap, f, d, ts);
}

/* End of a flow that did not close by itself: deliver what can be delivered,
 * skipping holes; a paused direction keeps its bytes to itself. */
void owfp_capture_reasm_flush(owfp_capture *cap, struct cap_flow *f, uint64_t ts)
{
	f->ending = true;
	for (unsigned d = 0; d < 2; d++) {
		struct cap_dir *D = &f->dir[d];
		owfp_capture_reasm_drain(cap, f, d, ts);
		while (has_hole(D) && !f->ignored && f->state == CAP_FLOW_LIVE) {
			uint64_t before = D->next_off;
			bool fin = D->fin_done;
			skip_hole(cap, f, d, ts);
			if (D->next_off == before && D->fin_done == fin)
				break;
		}
		owfp_capture_reasm_release(cap, f, d);
	}
}
