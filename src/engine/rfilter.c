/* A filter's lifetime (reference counts) and its place in arbitration order. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"

void owfp_rfilter_ref(owfp_rfilter *f)
{
	atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void owfp_rfilter_unref(owfp_rfilter *f)
{
	if (!f || atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (UINT32 i = 0; i < f->fps.numFilterConditions; i++)
		owfp_cond_free(&f->fps.filterCondition[i]);
	free(f->fps.filterCondition);
	free(f->fps.weight.uint64);
	free(f->ivals);
	free(f);
}

/* S86 with the Q21 tie-breaks: a strict total order (ids are unique). */
int owfp_rfilter_cmp(const owfp_rfilter *a, const owfp_rfilter *b)
{
	int r;

	if (a->sublayer_weight != b->sublayer_weight)
		return a->sublayer_weight > b->sublayer_weight ? -1 : 1;
	r = memcmp(&a->sublayer_key, &b->sublayer_key, sizeof(GUID));
	if (r)
		return r;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}
