/* Flow life: who is the client, when a flow starts and ends, RST, reuse of a
 * 5-tuple, idle timeouts, and the consumer's pause/resume/ignore requests. */
#include "capture/internal.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

void owfp_capture_notice(owfp_capture *cap, unsigned bit, const char *fmt, ...)
{
	if ((cap->notices & bit) || !cap->sink || !cap->sink->notice)
		return;
	cap->notices |= bit;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cap->sink->notice(cap->user, msg);
}

/* inet_ntop formats IPv4 through sprintf: a visible cost per flow. */
static void ipv4_text(char *out, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			*out++ = (char)('0' + v / 100);
		if (v >= 10)
			*out++ = (char)('0' + v / 10 % 10);
		*out++ = (char)('0' + v % 10);
		*out++ = i < 3 ? '.' : '\0';
	}
}

static void endpoint(owfp_capture_endpoint *e, int family, const uint8_t *addr, uint16_t port)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, addr, family == AF_INET ? 4 : 16);
	e->port = port;
	if (family == AF_INET)
		ipv4_text(e->text, addr);
	else
		inet_ntop(family, addr, e->text, sizeof(e->text));
}

void owfp_capture_tcp_end(owfp_capture *cap, struct cap_flow *f,
			  enum owfp_capture_end_reason reason, uint64_t ts)
{
	if (f->state != CAP_FLOW_LIVE)
		return;
	if (reason != OWFP_CAPTURE_END_CLOSED && reason != OWFP_CAPTURE_END_RESET) {
		owfp_capture_reasm_flush(cap, f, ts);
		if (f->dir[0].fin_done && f->dir[1].fin_done)
			reason = OWFP_CAPTURE_END_CLOSED;
	}
	owfp_capture_reasm_release(cap, f, 0);
	owfp_capture_reasm_release(cap, f, 1);
	f->state = CAP_FLOW_ENDED;
	owfp_capture_flowtab_id_del(cap, f);
	owfp_capture_work_del(cap, f);
	if (reason == OWFP_CAPTURE_END_TIMEOUT)
		cap->st.flows_timed_out++;
	if (reason == OWFP_CAPTURE_END_EVICTED)
		cap->st.flows_evicted++;
	if (cap->sink->flow_end)
		cap->sink->flow_end(cap->user, f->user, reason, ts);
	/* Closed and reset flows linger as compact tombstones that soak up late
     * segments (ACKs of the FIN, retransmissions) until a new SYN or
     * opts.closed_linger_ns; the record itself goes at once. */
	if (reason != OWFP_CAPTURE_END_CLOSED && reason != OWFP_CAPTURE_END_RESET) {
		owfp_capture_flowtab_remove(cap, f);
		return;
	}
	owfp_capture_tomb_add(cap, f, ts);
	owfp_capture_flowtab_retire(cap, f);
}

void owfp_capture_tcp_expire(owfp_capture *cap, uint64_t now)
{
	struct cap_flow *g;
	if (!cap->opts.idle_timeout_ns)
		return;
	while ((g = cap->lru_head) && now - g->last_ns > cap->opts.idle_timeout_ns) {
		if (g->state == CAP_FLOW_LIVE)
			owfp_capture_tcp_end(cap, g, OWFP_CAPTURE_END_TIMEOUT, now);
		else
			owfp_capture_flowtab_remove(cap, g);
	}
}

void owfp_capture_tcp_end_all(owfp_capture *cap)
{
	while (cap->lru_head) {
		/* a flow_end callback may have resumed a direction of a later flow */
		if (cap->work_head)
			owfp_capture_tcp_work(cap);
		struct cap_flow *g = cap->lru_head;
		if (!g)
			break;
		if (g->state == CAP_FLOW_LIVE)
			owfp_capture_tcp_end(cap, g, OWFP_CAPTURE_END_OPEN, cap->now);
		else
			owfp_capture_flowtab_remove(cap, g);
	}
}

void owfp_capture_tcp_work(owfp_capture *cap)
{
	/* A consumer that keeps resuming from inside callbacks cannot spin us. */
	size_t budget = 2 * cap->nflows + 16;
	struct cap_flow *g;
	while ((g = cap->work_head) && budget--) {
		owfp_capture_work_del(cap, g);
		if (g->state != CAP_FLOW_LIVE)
			continue;
		if (g->ignored) {
			owfp_capture_reasm_release(cap, g, 0);
			owfp_capture_reasm_release(cap, g, 1);
			continue;
		}
		for (unsigned d = 0; d < 2 && g->state == CAP_FLOW_LIVE; d++)
			owfp_capture_reasm_drain(cap, g, d, cap->now);
		if (g->state == CAP_FLOW_LIVE)
			owfp_capture_reasm_timers(cap, g, cap->now);
	}
}

static void evict_one(owfp_capture *cap)
{
	struct cap_flow *g;
	while ((g = cap->lru_head)) {
		if (g->state == CAP_FLOW_LIVE) {
			owfp_capture_tcp_end(cap, g, OWFP_CAPTURE_END_EVICTED, cap->now);
			return;
		}
		owfp_capture_flowtab_remove(cap, g);
	}
}

static struct cap_flow *start_flow(owfp_capture *cap, const struct cap_seg *seg,
				   const struct cap_key *key, uint64_t hash, bool src_is_a,
				   uint64_t ts)
{
	bool syn = seg->flags & CAP_TH_SYN, ack = seg->flags & CAP_TH_ACK;
	if (!syn && seg->wire_len == 0)
		return NULL; /* a bare ACK or FIN of a flow we never knew: nothing to give */
	while (cap->nlive >= cap->opts.max_flows && cap->nlive)
		evict_one(cap);
	struct cap_flow *f = owfp_capture_flowtab_insert(cap, key, hash);
	if (!f)
		return NULL;
	bool client_is_src, midstream = false;
	if (syn) {
		client_is_src = !ack;
	} else {
		midstream = true;
		if (cap->opts.midstream_client == OWFP_CAPTURE_MIDSTREAM_PORT &&
		    seg->sport != seg->dport)
			client_is_src = seg->sport > seg->dport;
		else
			client_is_src = true;
	}
	f->state = CAP_FLOW_LIVE;
	f->client_is_a = client_is_src == src_is_a;
	f->last_ns = cap->now;
	owfp_capture_flow *p = &f->pub;
	p->id = ++cap->next_id;
	p->family = seg->family;
	p->midstream = midstream;
	p->start_ns = ts;
	endpoint(client_is_src ? &p->client : &p->server, seg->family, seg->src, seg->sport);
	endpoint(client_is_src ? &p->server : &p->client, seg->family, seg->dst, seg->dport);
	cap->st.flows++;
	cap->st.flows_midstream += midstream;
	owfp_capture_flowtab_id_add(cap, f);
	if (cap->sink->flow_start)
		f->user = cap->sink->flow_start(cap->user, p);
	return f;
}

static void reset(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts)
{
	owfp_capture_reasm_release(cap, f, 0);
	owfp_capture_reasm_release(cap, f, 1);
	if (cap->sink->rst && !f->ignored)
		cap->sink->rst(cap->user, f->user, d, ts);
	owfp_capture_tcp_end(cap, f, OWFP_CAPTURE_END_RESET, ts);
}

void owfp_capture_tcp_segment(owfp_capture *cap, const struct cap_seg *seg, uint64_t ts)
{
	struct cap_key key;
	bool src_is_a;
	uint64_t hash = owfp_capture_key_make(seg, &key, &src_is_a);
	/* A SYN usually finds no live flow and goes on to the tombstones: load
     * their bucket while the flow table is searched. */
	if ((seg->flags & (CAP_TH_SYN | CAP_TH_ACK)) == CAP_TH_SYN && cap->ntombs)
		__builtin_prefetch(&cap->tbuckets[hash & (cap->ntbuckets - 1)]);
	struct cap_flow *f = owfp_capture_flowtab_find(cap, &key, hash);
	bool syn = seg->flags & CAP_TH_SYN, ack = seg->flags & CAP_TH_ACK;
	bool rst = seg->flags & CAP_TH_RST;
	bool new_syn = syn && !ack && !rst;
	struct cap_tomb *t;
	if (!f && (t = owfp_capture_tomb_find(cap, &key, hash))) {
		bool same_syn = t->syn_seen && src_is_a == t->client_is_a &&
				seg->seq == t->client_isn;
		if (!new_syn || same_syn) {
			cap->st.ignored_segments++;
			return;
		}
		owfp_capture_tomb_del(cap, t); /* a new connection on this 5-tuple */
	}
	if (f) {
		bool from_client = src_is_a == f->client_is_a;
		bool same_syn = f->syn_seen && from_client && seg->seq == f->client_isn;
		/* Simultaneous open: the other side's SYN before any SYN+ACK. */
		bool simultaneous = f->state == CAP_FLOW_LIVE && !from_client &&
				    !f->dir[OWFP_CAPTURE_DIR_S2C].init;
		if (new_syn && !same_syn && !simultaneous) {
			/* A new connection on this 5-tuple: the old one is over. */
			if (f->state == CAP_FLOW_LIVE)
				owfp_capture_tcp_end(cap, f, OWFP_CAPTURE_END_REUSED,
						     cap->now); /* frees f */
			else
				owfp_capture_flowtab_remove(cap, f);
			f = NULL;
		} else if (f->state != CAP_FLOW_LIVE) {
			owfp_capture_flowtab_touch(cap, f, cap->now);
			cap->st.ignored_segments++;
			return;
		}
	}
	if (!f) {
		if (rst || !(f = start_flow(cap, seg, &key, hash, src_is_a, ts))) {
			cap->st.ignored_segments++;
			return;
		}
	}
	owfp_capture_flowtab_touch(cap, f, cap->now);
	if (f->ignored) {
		if (f->dir[0].head || f->dir[1].head) {
			owfp_capture_reasm_release(cap, f, 0);
			owfp_capture_reasm_release(cap, f, 1);
		}
		cap->st.ignored_segments++;
		return;
	}
	unsigned d = src_is_a == f->client_is_a ? OWFP_CAPTURE_DIR_C2S : OWFP_CAPTURE_DIR_S2C;
	struct cap_dir *D = &f->dir[d];
	uint32_t seq_data = seg->seq;
	if (syn) {
		seq_data = seg->seq + 1;
		if (!D->init) {
			D->init = true;
			D->next_seq = seq_data;
		}
		if (!ack && d == OWFP_CAPTURE_DIR_C2S && !f->syn_seen) {
			f->syn_seen = true;
			f->client_isn = seg->seq;
		}
		/* A SYN+ACK tells where the peer's data starts, even if its SYN is
         * missing from the capture. */
		if (ack && !f->dir[!d].init) {
			f->dir[!d].init = true;
			f->dir[!d].next_seq = seg->ack;
		}
	}
	if (!D->init) {
		D->init = true;
		D->next_seq = seq_data;
	}
	/* Mid-stream, the first ACK says where the peer's stream stands, which
     * beats waiting for the peer's first segment (it may come out of order). */
	if (ack && !rst && !f->dir[!d].init) {
		f->dir[!d].init = true;
		f->dir[!d].next_seq = seg->ack;
	}
	if (rst) {
		/* Like a receiver, accept an RST only near the expected sequence. */
		int64_t diff = (int32_t)(seq_data - D->next_seq);
		int64_t win = cap->opts.max_direction_bytes > (1u << 20)
				      ? (int64_t)cap->opts.max_direction_bytes
				      : (int64_t)(1u << 20);
		if (diff < -65536 || diff > win) {
			cap->st.ignored_segments++;
			return;
		}
		reset(cap, f, d, ts);
		return;
	}
	/* The ACK first: what the sender had received came before what it sends. */
	if (ack && cap->opts.ack_hole_skip)
		owfp_capture_reasm_acked(cap, f, !d, seg->ack, ts);
	if (f->state != CAP_FLOW_LIVE || f->ignored)
		return;
	owfp_capture_reasm_segment(cap, f, d, seg, seq_data, ts);
	if (f->state == CAP_FLOW_LIVE && !f->ignored)
		owfp_capture_reasm_timers(cap, f, ts);
}
