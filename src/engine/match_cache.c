/*
 * The filter-match cache (docs/semantics.md "Match cache"): which filters of
 * a layer match depends only on the incoming values their conditions (and
 * the index built from them) read, so flows that agree on those values get
 * the same answer. Short connections from many clients to one service all
 * agree on everything a typical filter set tests, and the default filters
 * test nothing at all.
 *
 * One cache per engine and thread slot (util/thread_slot.h), so the proxy's
 * workers never share or lock one; the shared slot (threads beyond the
 * 32nd, and threads already exiting) does not cache. Each layer's part of a
 * cache is valid for one engine generation: the first lookup at a newer
 * generation drops it and loads the layer again. The generation is read
 * before the layer is loaded and writers publish a layer before they bump
 * the generation, so a cache never answers with a layer older than the one
 * the same lookup would have found uncached once a change has returned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"
#include "util/thread_slot.h"

#define KEY_MAX 64 /* all fields of a V6 layer but a blob fit */
#define ENTRIES 32 /* per layer, direct-mapped by hash */
#define INLINE_RANKS 6
#define NO_FIELD 0xff /* a tested field the values do not have */

typedef struct owfp_mentry {
	bool used;
	uint8_t klen;
	uint32_t n;
	uint64_t hash;
	uint32_t *heap; /* the ranks when n > INLINE_RANKS */
	uint32_t inl[INLINE_RANKS];
	owfp_match *match; /* stream slots: the shared result, referenced */
	uint64_t max_id;   /* highest filter id in `match` */
	uint8_t key[KEY_MAX];
} mentry;

typedef struct mlayer {
	uint64_t gen;
	owfp_clayer *layer; /* referenced; NULL until the first lookup */
	mentry e[ENTRIES];
} mlayer;

/* Layers are made on first use: most runs use only one of the four. */
struct owfp_mcache {
	mlayer *l[OWFP_NSLOTS];
};

/* The bytes a condition or the index can read of one value, type first. */
static bool key_put(uint8_t *k, size_t *len, const FWPS_INCOMING_VALUES0 *in, unsigned field)
{
	const FWP_VALUE0 *v;
	size_t size;
	const void *src;

	if (*len + 1 + 16 > KEY_MAX)
		return false;
	if (field >= in->valueCount) {
		k[(*len)++] = NO_FIELD;
		return true;
	}
	v = &in->incomingValue[field].value;
	switch (v->type) {
	case FWP_EMPTY:
		size = 0, src = NULL;
		break;
	case FWP_UINT8:
	case FWP_INT8:
		size = 1, src = &v->uint8;
		break;
	case FWP_UINT16:
	case FWP_INT16:
		size = 2, src = &v->uint16;
		break;
	case FWP_UINT32:
	case FWP_INT32:
		size = 4, src = &v->uint32;
		break;
	case FWP_BYTE_ARRAY16_TYPE:
		if (!v->byteArray16)
			return false;
		size = 16, src = v->byteArray16->byteArray16;
		break;
	default:
		/* Blobs (ALE_APP_ID) and pointer types: not cached. */
		return false;
	}
	k[(*len)++] = (uint8_t)v->type;
	if (size)
		memcpy(k + *len, src, size);
	*len += size;
	return true;
}

/* FNV-1a: keys are a few dozen bytes, and most are empty. */
static uint64_t key_hash(const uint8_t *k, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ k[i]) * 0x100000001b3ull;
	return h;
}

static const uint32_t *entry_ranks(const mentry *en)
{
	return en->n > INLINE_RANKS ? en->heap : en->inl;
}

static void entry_clear(mentry *en)
{
	free(en->heap);
	owfp_match_release(en->match);
	en->heap = NULL;
	en->match = NULL;
	en->used = false;
}

static void layer_clear(mlayer *ml)
{
	for (size_t i = 0; i < ENTRIES; i++)
		if (ml->e[i].used)
			entry_clear(&ml->e[i]);
	owfp_clayer_unref(ml->layer);
	ml->layer = NULL;
}

void owfp_mcache_free(owfp_mcache *c)
{
	if (!c)
		return;
	for (int s = 0; s < OWFP_NSLOTS; s++) {
		if (c->l[s])
			layer_clear(c->l[s]);
		free(c->l[s]);
	}
	free(c);
}

/* This thread's cache for `e`, made on first use; NULL: do not cache. */
static owfp_mcache *my_cache(owfp_engine *e)
{
	int slot;
	owfp_mcache *c;

	if (!atomic_load_explicit(&e->mcache_on, memory_order_relaxed))
		return NULL;
	slot = owfp_thread_slot();
	if (slot == OWFP_THREAD_SLOT_SHARED)
		return NULL;
	/* Only the slot's owner touches it; a later owner acquired the slot
	 * after this one released it (thread_slot.c). */
	c = e->mcache[slot];
	if (c)
		return c;
	c = owfp_calloc(1, sizeof(*c));
	if (c)
		e->mcache[slot] = c;
	return c;
}

/* The layer part of this thread's cache at `gen`, reloaded if older. */
static mlayer *my_layer(owfp_engine *e, int slot, uint64_t gen)
{
	owfp_mcache *c = my_cache(e);
	mlayer *ml;

	if (!c)
		return NULL;
	ml = c->l[slot];
	if (ml && ml->layer && ml->gen == gen)
		return ml;
	if (!ml) {
		ml = owfp_calloc(1, sizeof(*ml));
		if (!ml)
			return NULL;
		c->l[slot] = ml;
	}
	layer_clear(ml);
	ml->layer = owfp_snapshot_layer(e, slot);
	ml->gen = gen;
	return ml;
}

/* Keys on every field the layer's filters test; false when one cannot be. */
static bool make_key(const owfp_clayer *l, const FWPS_INCOMING_VALUES0 *in, uint8_t *k, size_t *len)
{
	uint64_t t = l->tested;

	*len = 0;
	if (l->untestable)
		return false;
	while (t) {
		unsigned field = (unsigned)__builtin_ctzll(t);

		t &= t - 1;
		if (!key_put(k, len, in, field))
			return false;
	}
	return true;
}

/* Matches uncached against `l` into `r` (count, or -ENOMEM). */
static long walk(const owfp_clayer *l, int slot, const FWPS_INCOMING_VALUES0 *in, owfp_ranks *r)
{
	return owfp_clayer_match(l, owfp_layer_by_slot(slot), in, r);
}

static mentry *store(mentry *en, uint64_t h, const uint8_t *k, size_t klen, const owfp_ranks *r)
{
	uint32_t *ranks = en->inl;

	if (en->used)
		entry_clear(en);
	if (r->n > INLINE_RANKS) {
		ranks = owfp_malloc(sizeof(*ranks) * r->n);
		if (!ranks)
			return NULL;
		en->heap = ranks;
	}
	memcpy(ranks, r->v, sizeof(*ranks) * r->n);
	memcpy(en->key, k, klen);
	en->klen = (uint8_t)klen;
	en->hash = h;
	en->n = (uint32_t)r->n;
	en->used = true;
	return en;
}

long owfp_mcache_match(owfp_engine *e, int slot, uint64_t gen, const FWPS_INCOMING_VALUES0 *in,
		       owfp_clayer **layer, owfp_ranks *r, owfp_mhit *hit)
{
	mlayer *ml = my_layer(e, slot, gen);
	uint8_t k[KEY_MAX];
	size_t klen;
	uint64_t h;
	mentry *en;
	long n;

	hit->entry = NULL;
	if (!ml || !make_key(ml->layer, in, k, &klen)) {
		*layer = ml ? ml->layer : owfp_snapshot_layer(e, slot);
		if (ml)
			owfp_clayer_ref(*layer);
		n = walk(*layer, slot, in, r);
		goto out;
	}
	*layer = ml->layer;
	owfp_clayer_ref(*layer);
	h = key_hash(k, klen);
	en = &ml->e[h % ENTRIES];
	if (en->used && en->hash == h && en->klen == klen && memcmp(en->key, k, klen) == 0) {
		if (owfp_ranks_append(r, entry_ranks(en), en->n)) {
			n = -ENOMEM;
			goto out;
		}
		hit->entry = en;
		return (long)en->n;
	}
	n = walk(*layer, slot, in, r);
	if (n >= 0)
		hit->entry = store(en, h, k, klen, r);
out:
	if (n < 0) {
		owfp_clayer_unref(*layer);
		*layer = NULL;
	}
	return n;
}

owfp_match *owfp_mcache_match_get(owfp_mhit *hit, uint64_t flow_last_filter_id)
{
	mentry *en = hit->entry;

	/* Shared only where no stage is newer than the flow (S81). */
	if (!en || !en->match || en->max_id > flow_last_filter_id)
		return NULL;
	atomic_fetch_add_explicit(&en->match->refs, 1, memory_order_relaxed);
	return en->match;
}

void owfp_mcache_match_put(owfp_mhit *hit, owfp_match *m, uint64_t max_id)
{
	mentry *en = hit->entry;

	if (!en || en->match)
		return;
	atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
	en->match = m;
	en->max_id = max_id;
}

bool owfp_mcache_layer_empty(owfp_engine *e, int slot, uint64_t gen)
{
	mlayer *ml = my_layer(e, slot, gen);
	owfp_clayer *l;
	bool empty;

	if (ml)
		return ml->layer->n == 0;
	l = owfp_snapshot_layer(e, slot);
	empty = l->n == 0;
	owfp_clayer_unref(l);
	return empty;
}
