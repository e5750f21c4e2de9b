/* The flow table: one chained hash on the canonical 5-tuple, an id index
 * for the consumer's calls, an LRU list for idle timeouts and a work list of
 * flows the consumer resumed or ignored. Allocation happens per flow, never
 * per packet. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* One multiply per word, independent of each other so they overlap, then
 * a final mix that brings the high bits down to the bucket bits. A chain of
 * dependent multiplies here stood out in profiles of short connections. */
static uint64_t lane(uint64_t v, uint64_t k, uint64_t m)
{
	return (v + k) * m;
}

uint64_t owfp_capture_key_hash(const struct cap_key *key)
{
	uint64_t ports = (uint64_t)key->family << 32 | (uint64_t)key->pa << 16 | key->pb;
	uint64_t h = lane(ports, 0x9e3779b97f4a7c15ull, 0xff51afd7ed558ccdull) ^
		     lane(key->a[0], 0x243f6a8885a308d3ull, 0xc4ceb9fe1a85ec53ull) ^
		     lane(key->a[1], 0x13198a2e03707344ull, 0x9fb21c651e98df25ull) ^
		     lane(key->b[0], 0xa4093822299f31d0ull, 0xd6e8feb86659fd93ull) ^
		     lane(key->b[1], 0x082efa98ec4e6c89ull, 0xa0761d6478bd642full);
	h ^= h >> 32;
	h *= 0xe7037ed1a0b428dbull;
	return h ^ (h >> 29);
}

/* Any total order on endpoints makes a canonical key; comparing native
 * words is cheaper than memcmp's byte order. */
uint64_t owfp_capture_key_make(const struct cap_seg *seg, struct cap_key *key, bool *src_is_a)
{
	uint64_t s[2], d[2];
	if (seg->family == AF_INET) {
		/* Read what decode wrote, 4 bytes: wider loads over its separate
         * stores cannot be forwarded and stalled on every packet. Any
         * injective mapping works, the key never leaves this module. */
		uint32_t s4, d4;
		memcpy(&s4, seg->src, 4);
		memcpy(&d4, seg->dst, 4);
		s[0] = s4;
		d[0] = d4;
		s[1] = d[1] = 0;
	} else {
		memcpy(s, seg->src, 16);
		memcpy(d, seg->dst, 16);
	}
	bool a = s[0] != d[0] ? s[0] < d[0] : s[1] != d[1] ? s[1] < d[1] : seg->sport <= seg->dport;
	key->a[0] = a ? s[0] : d[0];
	key->a[1] = a ? s[1] : d[1];
	key->b[0] = a ? d[0] : s[0];
	key->b[1] = a ? d[1] : s[1];
	key->pa = a ? seg->sport : seg->dport;
	key->pb = a ? seg->dport : seg->sport;
	key->family = (uint8_t)seg->family;
	*src_is_a = a;
	return owfp_capture_key_hash(key);
}

int owfp_capture_flowtab_init(owfp_capture *cap)
{
	cap->nbuckets = 1024;
	cap->nidb = 1024;
	cap->buckets = owfp_calloc(cap->nbuckets, sizeof(struct cap_flow *));
	cap->idb = owfp_calloc(cap->nidb, sizeof(struct cap_flow *));
	return cap->buckets && cap->idb ? 0 : -1;
}

static void grow(owfp_capture *cap)
{
	size_t n = cap->nbuckets * 2;
	struct cap_flow **b = owfp_calloc(n, sizeof(struct cap_flow *));
	if (!b)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < cap->nbuckets; i++) {
		for (struct cap_flow *f = cap->buckets[i], *next; f; f = next) {
			next = f->hnext;
			f->hnext = b[f->hash & (n - 1)];
			b[f->hash & (n - 1)] = f;
		}
	}
	free(cap->buckets);
	cap->buckets = b;
	cap->nbuckets = n;
}

struct cap_flow *owfp_capture_flowtab_find(owfp_capture *cap, const struct cap_key *key, uint64_t hash)
{
	for (struct cap_flow *f = cap->buckets[hash & (cap->nbuckets - 1)]; f; f = f->hnext)
		if (f->hash == hash && cap_key_eq(&f->key, key))
			return f;
	return NULL;
}

struct cap_flow *owfp_capture_flowtab_insert(owfp_capture *cap, const struct cap_key *key,
					     uint64_t hash)
{
	if (cap->nflows >= cap->nbuckets)
		grow(cap);
	struct cap_flow *f = cap->spare;
	if (f) {
		cap->spare = f->hnext;
		cap->nspare--;
		memset(f, 0, sizeof(*f));
	} else if (!(f = owfp_calloc(1, sizeof(*f)))) {
		cap->nomem = true;
		return NULL;
	}
	f->key = *key;
	f->hash = hash;
	struct cap_flow **b = &cap->buckets[hash & (cap->nbuckets - 1)];
	f->hnext = *b;
	*b = f;
	f->lru_prev = cap->lru_tail;
	if (cap->lru_tail)
		cap->lru_tail->lru_next = f;
	else
		cap->lru_head = f;
	cap->lru_tail = f;
	cap->nflows++;
	if (cap->nflows > cap->st.flow_records_peak)
		cap->st.flow_records_peak = cap->nflows;
	return f;
}

void owfp_capture_flowtab_touch(owfp_capture *cap, struct cap_flow *f, uint64_t ts)
{
	f->last_ns = ts;
	if (cap->lru_tail == f)
		return;
	if (f->lru_prev)
		f->lru_prev->lru_next = f->lru_next;
	else
		cap->lru_head = f->lru_next;
	f->lru_next->lru_prev = f->lru_prev;
	f->lru_prev = cap->lru_tail;
	f->lru_next = NULL;
	cap->lru_tail->lru_next = f;
	cap->lru_tail = f;
}

void owfp_capture_flowtab_id_add(owfp_capture *cap, struct cap_flow *f)
{
	if (cap->nlive >= cap->nidb) {
		size_t n = cap->nidb * 2;
		struct cap_flow **b = owfp_calloc(n, sizeof(struct cap_flow *));
		if (b) {
			for (size_t i = 0; i < cap->nidb; i++) {
				for (struct cap_flow *g = cap->idb[i], *next; g; g = next) {
					next = g->idnext;
					g->idnext = b[g->pub.id & (n - 1)];
					b[g->pub.id & (n - 1)] = g;
				}
			}
			free(cap->idb);
			cap->idb = b;
			cap->nidb = n;
		}
	}
	struct cap_flow **b = &cap->idb[f->pub.id & (cap->nidb - 1)];
	f->idnext = *b;
	*b = f;
	f->in_id = true;
	cap->nlive++;
}

void owfp_capture_flowtab_id_del(owfp_capture *cap, struct cap_flow *f)
{
	if (!f->in_id)
		return;
	for (struct cap_flow **p = &cap->idb[f->pub.id & (cap->nidb - 1)]; *p; p = &(*p)->idnext) {
		if (*p == f) {
			*p = f->idnext;
			break;
		}
	}
	f->in_id = false;
	cap->nlive--;
}

struct cap_flow *owfp_capture_flowtab_by_id(owfp_capture *cap, uint64_t id)
{
	if (!cap->idb)
		return NULL;
	for (struct cap_flow *f = cap->idb[id & (cap->nidb - 1)]; f; f = f->idnext)
		if (f->pub.id == id)
			return f;
	return NULL;
}

void owfp_capture_work_add(owfp_capture *cap, struct cap_flow *f)
{
	if (f->in_work)
		return;
	f->in_work = true;
	f->work_prev = NULL;
	f->work_next = cap->work_head;
	if (cap->work_head)
		cap->work_head->work_prev = f;
	cap->work_head = f;
}

void owfp_capture_work_del(owfp_capture *cap, struct cap_flow *f)
{
	if (!f->in_work)
		return;
	if (f->work_prev)
		f->work_prev->work_next = f->work_next;
	else
		cap->work_head = f->work_next;
	if (f->work_next)
		f->work_next->work_prev = f->work_prev;
	f->in_work = false;
}

/* Short captures of many connections create and end a flow every few
 * packets: recycling records saves a malloc/free pair per flow. */
#define CAP_MAX_SPARE 64

static void unlink_flow(owfp_capture *cap, struct cap_flow *f)
{
	for (struct cap_flow **p = &cap->buckets[f->hash & (cap->nbuckets - 1)]; *p;
	     p = &(*p)->hnext) {
		if (*p == f) {
			*p = f->hnext;
			break;
		}
	}
	if (f->lru_prev)
		f->lru_prev->lru_next = f->lru_next;
	else
		cap->lru_head = f->lru_next;
	if (f->lru_next)
		f->lru_next->lru_prev = f->lru_prev;
	else
		cap->lru_tail = f->lru_prev;
	owfp_capture_flowtab_id_del(cap, f);
	owfp_capture_work_del(cap, f);
	cap->nflows--;
}

static void release_flow(owfp_capture *cap, struct cap_flow *f)
{
	if (cap->nspare < CAP_MAX_SPARE) {
		f->hnext = cap->spare;
		cap->spare = f;
		cap->nspare++;
	} else {
		free(f);
	}
}

void owfp_capture_flowtab_remove(owfp_capture *cap, struct cap_flow *f)
{
	unlink_flow(cap, f);
	release_flow(cap, f);
}

void owfp_capture_flowtab_retire(owfp_capture *cap, struct cap_flow *f)
{
	unlink_flow(cap, f);
	f->hnext = cap->reap;
	cap->reap = f;
}

void owfp_capture_flowtab_reap(owfp_capture *cap)
{
	for (struct cap_flow *f = cap->reap, *next; f; f = next) {
		next = f->hnext;
		release_flow(cap, f);
	}
	cap->reap = NULL;
}

void owfp_capture_flowtab_free(owfp_capture *cap)
{
	owfp_capture_flowtab_reap(cap);
	for (struct cap_flow *f = cap->spare, *next; f; f = next) {
		next = f->hnext;
		free(f);
	}
	cap->spare = NULL;
	cap->nspare = 0;
	owfp_capture_tomb_free(cap);
	free(cap->buckets);
	free(cap->idb);
	cap->buckets = NULL;
	cap->idb = NULL;
}
