/*
 * Compiles one layer's filters (already in arbitration order) into the
 * immutable form classification reads: ranks, sublayer ordinals and the
 * per-dimension interval indexes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

void owfp_clayer_ref(owfp_clayer *l)
{
	atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed);
}

void owfp_clayer_unref(owfp_clayer *l)
{
	if (!l || atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (size_t i = 0; i < l->n; i++)
		owfp_rfilter_unref(l->f[i]);
	for (int d = 0; d < OWFP_NDIMS; d++)
		owfp_ivx_free(&l->dims[d]);
	free(l->f);
	free(l->sublayer);
	free(l->quick);
	free(l->unindexed);
	free(l);
}

static int push_item(owfp_ivx_item **v, size_t *n, size_t *cap, owfp_ivx_item it)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		owfp_ivx_item *p = owfp_realloc(*v, sizeof(*p) * c);

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = it;
	return 0;
}

owfp_clayer *owfp_clayer_build(owfp_rfilter *const *order, size_t n)
{
	owfp_clayer *l = owfp_calloc(1, sizeof(*l));
	owfp_ivx_item *items[OWFP_NDIMS] = {0};
	size_t nitems[OWFP_NDIMS] = {0}, cap[OWFP_NDIMS] = {0};
	size_t k = 0;
	uint32_t sub = 0;

	if (!l)
		return NULL;
	atomic_init(&l->refs, 1);
	l->f = owfp_malloc(sizeof(owfp_rfilter *) * (n ? n : 1));
	l->sublayer = owfp_malloc(sizeof(*l->sublayer) * (n ? n : 1));
	l->unindexed = owfp_malloc(sizeof(*l->unindexed) * (n ? n : 1));
	l->quick = owfp_malloc(sizeof(*l->quick) * (n ? n : 1));
	if (!l->f || !l->sublayer || !l->unindexed || !l->quick)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		owfp_rfilter *f = order[i];
		uint32_t rank;

		if (f->mgmt_flags & FWPM_FILTER_FLAG_DISABLED)
			continue;
		rank = (uint32_t)k;
		if (k > 0 && (l->f[k - 1]->sublayer_weight != f->sublayer_weight ||
			      !IsEqualGUID(&l->f[k - 1]->sublayer_key, &f->sublayer_key)))
			sub++;
		owfp_rfilter_ref(f);
		l->f[k] = f;
		l->sublayer[k] = sub;
		l->quick[k] = f->quick;
		for (UINT32 c = 0; c < f->fps.numFilterConditions; c++) {
			UINT16 field = f->fps.filterCondition[c].fieldId;

			if (field < 64)
				l->tested |= 1ull << field;
			else
				l->untestable = true;
		}
		for (int j = 0; j < 2; j++)
			if (f->quick.dim[j] != OWFP_DIM_NONE)
				l->used_dims |= 1u << f->quick.dim[j];
		k++;
		l->n = k;
		if (f->index_dim == OWFP_DIM_NONE) {
			l->unindexed[l->nunindexed++] = rank;
			continue;
		}
		for (size_t j = 0; j < f->nivals; j++) {
			owfp_ivx_item it = {
				f->ivals[j].lo, f->ivals[j].hi, {rank, OWFP_DIM_NONE, 0, 0}};

			/* The first quick check rides in the index when it fits 64 bits. */
			if (f->quick.dim[0] != OWFP_DIM_NONE && f->quick.lo[0].hi == 0 &&
			    f->quick.hi[0].hi == 0) {
				it.entry.qdim = f->quick.dim[0];
				it.entry.qlo = f->quick.lo[0].lo;
				it.entry.qhi = f->quick.hi[0].lo;
			}

			if (push_item(&items[f->index_dim], &nitems[f->index_dim],
				      &cap[f->index_dim], it))
				goto fail;
		}
	}
	for (int d = 0; d < OWFP_NDIMS; d++) {
		if (owfp_ivx_build(&l->dims[d], items[d], nitems[d]))
			goto fail;
		if (l->dims[d].nb)
			l->used_dims |= 1u << d;
	}
	for (int d = 0; d < OWFP_NDIMS; d++)
		free(items[d]);
	if (n) {
		/* The index reads the dimensions' fields (conditions name them
		 * already; kept explicit for the cache's exactness). */
		const owfp_layer_desc *ld = owfp_layer_by_slot(order[0]->slot);

		for (int d = 0; d < OWFP_NDIMS; d++)
			if (l->used_dims & (1u << d))
				l->tested |= 1ull << owfp_layer_dim_index(ld, d);
	}
	return l;
fail:
	for (int d = 0; d < OWFP_NDIMS; d++)
		free(items[d]);
	owfp_clayer_unref(l);
	return NULL;
}

void owfp_dim_keys_get(const owfp_clayer *l, const owfp_layer_desc *ld,
		       const FWPS_INCOMING_VALUES0 *in, owfp_dim_keys *k)
{
	/* Only what the layer reads: with few or no conditions, turning every
	 * field into a key was a quarter of the instructions of matching a new
	 * flow. */
	for (int d = 0; d < OWFP_NDIMS; d++) {
		k->present[d] = false;
		if (!(l->used_dims & (1u << d)))
			continue;
		const FWP_VALUE0 *v = &in->incomingValue[owfp_layer_dim_index(ld, d)].value;

		/* An empty value matches no condition on it. */
		k->present[d] = v->type != FWP_EMPTY;
		k->key[d] = owfp_value_key(v);
	}
}

static int kcmp(owfp_k128 a, owfp_k128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

bool owfp_clayer_quick_ok(const owfp_clayer *l, uint32_t rank, const owfp_dim_keys *k)
{
	const owfp_quick *q = &l->quick[rank];

	for (int j = 0; j < 2; j++) {
		int d = q->dim[j];

		if (d == OWFP_DIM_NONE)
			break;
		if (!k->present[d] || kcmp(k->key[d], q->lo[j]) < 0 || kcmp(k->key[d], q->hi[j]) > 0)
			return false;
	}
	return true;
}

int owfp_clayer_candidates(const owfp_clayer *l, const owfp_dim_keys *k, owfp_ranks *out)
{
	if (owfp_ranks_append(out, l->unindexed, l->nunindexed))
		return -ENOMEM;
	for (int d = 0; d < OWFP_NDIMS; d++) {
		if (l->dims[d].nb == 0 || !k->present[d])
			continue;
		if (owfp_ivx_query(&l->dims[d], k->key[d], k, out))
			return -ENOMEM;
	}
	owfp_ranks_normalize(out);
	return 0;
}
