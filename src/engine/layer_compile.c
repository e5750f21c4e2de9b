/*
 * Compiles one layer's filters (already in arbitration order) into the
 * immutable form classification reads: ranks, sublayer ordinals and the
 * per-dimension interval indexes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

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
	free(l->unindexed);
	free(l);
}

static int push_item(owfp_ivx_item **v, size_t *n, size_t *cap, owfp_ivx_item it)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		owfp_ivx_item *p = realloc(*v, sizeof(*p) * c);

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
	owfp_clayer *l = calloc(1, sizeof(*l));
	owfp_ivx_item *items[OWFP_NDIMS] = { 0 };
	size_t nitems[OWFP_NDIMS] = { 0 }, cap[OWFP_NDIMS] = { 0 };
	size_t k = 0;
	uint32_t sub = 0;

	if (!l)
		return NULL;
	atomic_init(&l->refs, 1);
	l->f = malloc(sizeof(*l->f) * (n ? n : 1));
	l->sublayer = malloc(sizeof(*l->sublayer) * (n ? n : 1));
	l->unindexed = malloc(sizeof(*l->unindexed) * (n ? n : 1));
	if (!l->f || !l->sublayer || !l->unindexed)
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
		k++;
		l->n = k;
		if (f->index_dim == OWFP_DIM_NONE) {
			l->unindexed[l->nunindexed++] = rank;
			continue;
		}
		for (size_t j = 0; j < f->nivals; j++) {
			owfp_ivx_item it = { f->ivals[j].lo, f->ivals[j].hi, rank };

			if (push_item(&items[f->index_dim], &nitems[f->index_dim],
				      &cap[f->index_dim], it))
				goto fail;
		}
	}
	for (int d = 0; d < OWFP_NDIMS; d++) {
		if (owfp_ivx_build(&l->dims[d], items[d], nitems[d]))
			goto fail;
		free(items[d]);
		items[d] = NULL;
	}
	return l;
fail:
	for (int d = 0; d < OWFP_NDIMS; d++)
		free(items[d]);
	owfp_clayer_unref(l);
	return NULL;
}

int owfp_clayer_candidates(const owfp_clayer *l, const owfp_layer_desc *ld,
			   const FWPS_INCOMING_VALUES0 *in, owfp_ranks *out)
{
	if (owfp_ranks_append(out, l->unindexed, l->nunindexed))
		return -ENOMEM;
	for (int d = 0; d < OWFP_NDIMS; d++) {
		const FWP_VALUE0 *v;

		if (l->dims[d].nb == 0)
			continue;
		v = &in->incomingValue[owfp_layer_dim_index(ld, d)].value;
		/* An empty value matches no condition, so nothing indexed here can match. */
		if (v->type == FWP_EMPTY)
			continue;
		if (owfp_ivx_query(&l->dims[d], owfp_value_key(v), out))
			return -ENOMEM;
	}
	owfp_ranks_normalize(out);
	return 0;
}
