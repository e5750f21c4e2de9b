/* Tombstones: a closed or reset flow lingers as a compact record (72 bytes
 * instead of the ~0.5 KiB flow) so that its late segments, an ACK of the
 * last FIN or a retransmission, are absorbed rather than opening a new
 * mid-stream flow. The linger counts from the end of the flow in capture
 * time (opts.closed_linger_ns) and the records are bounded by
 * opts.max_flows; the oldest goes first when either is exceeded. They come
 * from slabs, recycled through a free list: no malloc per flow.
 *
 * A slab is handed out front to back (a bump index), so only the pages of
 * tombstones actually made become resident: a capture with tens of
 * thousands of short connections keeps that many tombstones at once, and
 * peak memory is one of replay's targets. Slabs used to be 2 MiB huge
 * pages, which saved page faults on a VM where one cost ~10 us but made
 * http.pcap of bench/replay_bench.sh (55,397 connections) peak at 2.2x
 * libnids' memory; measured in docs/PERFORMANCE.md. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define CAP_TOMBS_FIRST_SLAB 256
#define CAP_BIG_SLAB_BYTES ((size_t)2 << 20)

struct cap_tomb_slab {
	struct cap_tomb_slab *next;
	size_t bytes; /* 0: from malloc; otherwise the mapping's length */
	size_t ntombs;
	struct cap_tomb t[];
};

/* The first slab is small, so a capture with few connections stays small;
 * later ones are anonymous maps, whose pages stay unbacked until touched. */
static struct cap_tomb_slab *slab_new(owfp_capture *cap)
{
	struct cap_tomb_slab *s;
	if (!cap->slabs) {
		s = owfp_malloc(sizeof(*s) + CAP_TOMBS_FIRST_SLAB * sizeof(struct cap_tomb));
		if (!s) {
			cap->nomem = true;
			return NULL;
		}
		s->bytes = 0;
		s->ntombs = CAP_TOMBS_FIRST_SLAB;
		return s;
	}
	void *m = mmap(NULL, CAP_BIG_SLAB_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	s = m;
	s->bytes = CAP_BIG_SLAB_BYTES;
	s->ntombs = (CAP_BIG_SLAB_BYTES - sizeof(*s)) / sizeof(struct cap_tomb);
	return s;
}

static struct cap_tomb *tomb_alloc(owfp_capture *cap)
{
	struct cap_tomb *t = cap->tomb_free;
	if (t) {
		cap->tomb_free = t->next;
		return t;
	}
	if (!cap->slabs || cap->slab_used == cap->slabs->ntombs) {
		struct cap_tomb_slab *s = slab_new(cap);
		if (!s)
			return NULL;
		s->next = cap->slabs;
		cap->slabs = s;
		cap->slab_used = 0;
	}
	return &cap->slabs->t[cap->slab_used++];
}

static size_t bucket_of(const owfp_capture *cap, const struct cap_tomb *t)
{
	return owfp_capture_key_hash(&t->key) & (cap->ntbuckets - 1);
}

static void unhash(owfp_capture *cap, struct cap_tomb *t)
{
	for (struct cap_tomb **p = &cap->tbuckets[bucket_of(cap, t)]; *p; p = &(*p)->hnext) {
		if (*p == t) {
			*p = t->hnext;
			return;
		}
	}
}

static void pop_oldest(owfp_capture *cap)
{
	struct cap_tomb *t = cap->tomb_head;
	cap->tomb_head = t->next;
	if (!cap->tomb_head)
		cap->tomb_tail = NULL;
	if (!t->dead)
		unhash(cap, t);
	t->next = cap->tomb_free;
	cap->tomb_free = t;
	cap->ntombs--;
}

static void grow(owfp_capture *cap)
{
	size_t n = cap->ntbuckets ? cap->ntbuckets * 2 : 1024;
	struct cap_tomb **b = owfp_calloc(n, sizeof(struct cap_tomb *));
	if (!b)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < cap->ntbuckets; i++) {
		for (struct cap_tomb *t = cap->tbuckets[i], *next; t; t = next) {
			next = t->hnext;
			size_t i = owfp_capture_key_hash(&t->key) & (n - 1);
			t->hnext = b[i];
			b[i] = t;
		}
	}
	free(cap->tbuckets);
	cap->tbuckets = b;
	cap->ntbuckets = n;
}

void owfp_capture_tomb_add(owfp_capture *cap, const struct cap_flow *f, uint64_t ts)
{
	if (!cap->opts.closed_linger_ns)
		return;
	size_t bound = cap->opts.max_flows ? cap->opts.max_flows : 1;
	while (cap->ntombs >= bound)
		pop_oldest(cap);
	if (cap->ntombs >= cap->ntbuckets)
		grow(cap);
	if (!cap->ntbuckets)
		return; /* out of memory: late segments may open a mid-stream flow */
	/* The bucket is usually a cache miss, and so is the tombstone: let
     * them load together. */
	struct cap_tomb **b = &cap->tbuckets[f->hash & (cap->ntbuckets - 1)];
	__builtin_prefetch(b, 1);
	struct cap_tomb *t = tomb_alloc(cap);
	if (!t)
		return;
	t->key = f->key;
	t->end_ns = ts > cap->now ? ts : cap->now;
	t->client_isn = f->client_isn;
	t->client_is_a = f->client_is_a;
	t->syn_seen = f->syn_seen;
	t->dead = false;
	t->hnext = *b;
	*b = t;
	t->next = NULL;
	if (cap->tomb_tail)
		cap->tomb_tail->next = t;
	else
		cap->tomb_head = t;
	cap->tomb_tail = t;
	cap->ntombs++;
	if (cap->ntombs > cap->st.closed_lingering_peak)
		cap->st.closed_lingering_peak = cap->ntombs;
}

struct cap_tomb *owfp_capture_tomb_find(owfp_capture *cap, const struct cap_key *key, uint64_t hash)
{
	if (!cap->ntombs)
		return NULL;
	for (struct cap_tomb *t = cap->tbuckets[hash & (cap->ntbuckets - 1)]; t; t = t->hnext)
		if (cap_key_eq(&t->key, key))
			return t;
	return NULL;
}

/* The 5-tuple was reopened. The record leaves the hash now and the FIFO
 * when its time comes (a singly linked FIFO cannot unlink from the middle). */
void owfp_capture_tomb_del(owfp_capture *cap, struct cap_tomb *t)
{
	unhash(cap, t);
	t->dead = true;
}

void owfp_capture_tomb_expire(owfp_capture *cap, uint64_t now)
{
	while (cap->tomb_head && now - cap->tomb_head->end_ns > cap->opts.closed_linger_ns)
		pop_oldest(cap);
}

void owfp_capture_tomb_free(owfp_capture *cap)
{
	for (struct cap_tomb_slab *s = cap->slabs, *next; s; s = next) {
		next = s->next;
		if (s->bytes)
			munmap(s, s->bytes);
		else
			free(s);
	}
	free(cap->tbuckets);
	cap->slabs = NULL;
	cap->tbuckets = NULL;
	cap->ntbuckets = cap->ntombs = cap->slab_used = 0;
	cap->tomb_head = cap->tomb_tail = cap->tomb_free = NULL;
}
