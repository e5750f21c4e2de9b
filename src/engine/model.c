/*
 * The management model: sublayers, callouts and filters as Fwpm* calls left
 * them (including changes of an open transaction). Guarded by e->mu.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

int owfp_vec_insert(owfp_vec *v, size_t at, void *p)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void **nv = owfp_realloc(v->v, sizeof(*nv) * cap);

		if (!nv)
			return -ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	memmove(v->v + at + 1, v->v + at, sizeof(*v->v) * (v->n - at));
	v->v[at] = p;
	v->n++;
	return 0;
}

void owfp_vec_remove(owfp_vec *v, size_t at)
{
	memmove(v->v + at, v->v + at + 1, sizeof(*v->v) * (v->n - at - 1));
	v->n--;
}

void owfp_vec_free(owfp_vec *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}

static int add_builtin(owfp_model *m, const GUID *key, UINT16 weight, const char *name)
{
	owfp_sublayer *s = owfp_calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->key = *key;
	s->weight = weight;
	s->builtin = true;
	strncpy(s->name, name, sizeof(s->name) - 1);
	if (owfp_vec_insert(&m->sublayers, m->sublayers.n, s)) {
		free(s);
		return -ENOMEM;
	}
	return 0;
}

int owfp_model_init(owfp_model *m)
{
	memset(m, 0, sizeof(*m));
	/* S84 with the Q21 weights. */
	if (add_builtin(m, &FWPM_SUBLAYER_UNIVERSAL, 0x8000, "FWPM_SUBLAYER_UNIVERSAL") ||
	    add_builtin(m, &FWPM_SUBLAYER_INSPECTION, 0x0000, "FWPM_SUBLAYER_INSPECTION")) {
		owfp_model_fini(m);
		return -ENOMEM;
	}
	return 0;
}

void owfp_model_fini(owfp_model *m)
{
	for (size_t i = 0; i < m->sublayers.n; i++)
		free(m->sublayers.v[i]);
	for (size_t i = 0; i < m->callouts.n; i++)
		free(m->callouts.v[i]);
	for (size_t i = 0; i < m->filters.n; i++)
		owfp_rfilter_unref(m->filters.v[i]);
	owfp_vec_free(&m->sublayers);
	owfp_vec_free(&m->callouts);
	owfp_vec_free(&m->filters);
	for (int i = 0; i < OWFP_NSLOTS; i++)
		owfp_vec_free(&m->order[i]);
}

owfp_sublayer *owfp_model_sublayer(owfp_model *m, const GUID *key, size_t *at)
{
	for (size_t i = 0; i < m->sublayers.n; i++) {
		owfp_sublayer *s = m->sublayers.v[i];

		if (IsEqualGUID(&s->key, key)) {
			if (at)
				*at = i;
			return s;
		}
	}
	return NULL;
}

owfp_mcallout *owfp_model_callout(owfp_model *m, const GUID *key, size_t *at)
{
	for (size_t i = 0; i < m->callouts.n; i++) {
		owfp_mcallout *c = m->callouts.v[i];

		if (IsEqualGUID(&c->key, key)) {
			if (at)
				*at = i;
			return c;
		}
	}
	return NULL;
}

owfp_mcallout *owfp_model_callout_by_id(owfp_model *m, UINT32 id, size_t *at)
{
	for (size_t i = 0; i < m->callouts.n; i++) {
		owfp_mcallout *c = m->callouts.v[i];

		if (c->id == id) {
			if (at)
				*at = i;
			return c;
		}
	}
	return NULL;
}

/* First position whose filter id is >= id. */
static size_t id_lower_bound(const owfp_vec *v, UINT64 id)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (((owfp_rfilter *)v->v[mid])->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t order_lower_bound(const owfp_vec *v, const owfp_rfilter *f)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (owfp_rfilter_cmp(v->v[mid], f) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

owfp_rfilter *owfp_model_filter(owfp_model *m, UINT64 id, size_t *at)
{
	size_t i = id_lower_bound(&m->filters, id);

	if (i < m->filters.n && ((owfp_rfilter *)m->filters.v[i])->id == id) {
		if (at)
			*at = i;
		return m->filters.v[i];
	}
	return NULL;
}

owfp_rfilter *owfp_model_filter_by_key(owfp_model *m, const GUID *key)
{
	for (size_t i = 0; i < m->filters.n; i++) {
		owfp_rfilter *f = m->filters.v[i];

		if (IsEqualGUID(&f->key, key))
			return f;
	}
	return NULL;
}

int owfp_model_filter_insert(owfp_model *m, owfp_rfilter *f)
{
	owfp_vec *o = &m->order[f->slot];
	size_t at = order_lower_bound(o, f);

	if (owfp_vec_insert(o, at, f))
		return -ENOMEM;
	if (owfp_vec_insert(&m->filters, id_lower_bound(&m->filters, f->id), f)) {
		owfp_vec_remove(o, at);
		return -ENOMEM;
	}
	return 0;
}

void owfp_model_filter_remove(owfp_model *m, owfp_rfilter *f)
{
	owfp_vec *o = &m->order[f->slot];
	size_t at = order_lower_bound(o, f);

	if (at < o->n && o->v[at] == f)
		owfp_vec_remove(o, at);
	at = id_lower_bound(&m->filters, f->id);
	if (at < m->filters.n && m->filters.v[at] == f)
		owfp_vec_remove(&m->filters, at);
}

bool owfp_model_sublayer_used(owfp_model *m, const GUID *key)
{
	for (size_t i = 0; i < m->filters.n; i++)
		if (IsEqualGUID(&((owfp_rfilter *)m->filters.v[i])->sublayer_key, key))
			return true;
	return false;
}

bool owfp_model_callout_used(owfp_model *m, const GUID *key)
{
	for (size_t i = 0; i < m->filters.n; i++) {
		owfp_rfilter *f = m->filters.v[i];

		if ((f->fps.action.type & FWP_ACTION_FLAG_CALLOUT) &&
		    IsEqualGUID(&f->callout_key, key))
			return true;
	}
	return false;
}
