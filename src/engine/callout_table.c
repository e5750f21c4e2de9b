/*
 * Callout ids: the key -> id bindings (shared by FwpmCalloutAdd0 and
 * FwpsCalloutRegister*, ids never reused) and the id -> object table that
 * classification reads without locks (atomic pointers; an object leaves
 * the table when fully unregistered and is freed with its last reference).
 */
#include <stdlib.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

void owfp_callout_hold(owfp_callout *c)
{
	atomic_fetch_add_explicit(&((owfp_callout_obj *)c)->refs, 1, memory_order_relaxed);
}

void owfp_callout_release(owfp_callout *c)
{
	owfp_callout_obj *o = (owfp_callout_obj *)c;

	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
		free(o);
}

owfp_callout_obj *owfp_callout_table_get(owfp_engine *e, UINT32 id)
{
	owfp_callout_chunk *c;

	if (id / OWFP_CALLOUT_CHUNK >= OWFP_CALLOUT_CHUNKS)
		return NULL;
	c = atomic_load_explicit(&e->callout_chunks[id / OWFP_CALLOUT_CHUNK], memory_order_acquire);
	if (!c)
		return NULL;
	return atomic_load_explicit(&c->slot[id % OWFP_CALLOUT_CHUNK], memory_order_acquire);
}

int owfp_callout_table_set(owfp_engine *e, UINT32 id, owfp_callout_obj *obj)
{
	owfp_callout_chunk *c;

	if (id / OWFP_CALLOUT_CHUNK >= OWFP_CALLOUT_CHUNKS)
		return -1;
	c = atomic_load_explicit(&e->callout_chunks[id / OWFP_CALLOUT_CHUNK], memory_order_acquire);
	if (!c && !obj)
		return 0;
	if (!c) {
		c = owfp_calloc(1, sizeof(*c));
		if (!c)
			return -1;
		atomic_store_explicit(&e->callout_chunks[id / OWFP_CALLOUT_CHUNK], c,
				      memory_order_release);
	}
	atomic_store_explicit(&c->slot[id % OWFP_CALLOUT_CHUNK], obj, memory_order_release);
	return 0;
}

UINT32 owfp_callout_id_for_key(owfp_engine *e, const GUID *key, bool create)
{
	owfp_binding *b;

	for (size_t i = 0; i < e->bindings.n; i++) {
		b = e->bindings.v[i];
		if (IsEqualGUID(&b->key, key))
			return b->id;
	}
	if (!create || e->next_callout_id / OWFP_CALLOUT_CHUNK >= OWFP_CALLOUT_CHUNKS)
		return 0;
	b = owfp_malloc(sizeof(*b));
	if (!b)
		return 0;
	b->key = *key;
	b->id = e->next_callout_id;
	if (owfp_vec_insert(&e->bindings, e->bindings.n, b)) {
		free(b);
		return 0;
	}
	e->next_callout_id++;
	return b->id;
}

owfp_callout *owfp_engine_callout_by_id(owfp_engine *e, UINT32 id)
{
	owfp_callout_obj *c = owfp_callout_table_get(e, id);

	return c ? &c->pub : NULL;
}

owfp_callout *owfp_callout_registered_hold(owfp_engine *e, UINT32 id)
{
	unsigned ep = owfp_snapshot_read_begin(e);
	owfp_callout *c = owfp_callout_registered(e, id);

	if (c)
		owfp_callout_hold(c);
	owfp_snapshot_read_end(e, ep);
	return c;
}

owfp_callout *owfp_callout_registered(owfp_engine *e, UINT32 id)
{
	owfp_callout_obj *c = owfp_callout_table_get(e, id);

	if (!c || !atomic_load(&c->pub.registered))
		return NULL;
	return &c->pub;
}
