/*
 * Stream-layer matching for a flow (S103): the filters of STREAM_V4/V6 whose
 * conditions hold for the flow, in arbitration order, as pipeline stages;
 * the full walk, and the entry through the match cache (match_cache.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

long owfp_clayer_match(const owfp_clayer *l, const owfp_layer_desc *ld,
		       const FWPS_INCOMING_VALUES0 *in, owfp_ranks *r)
{
	owfp_dim_keys keys;
	size_t k = 0;

	owfp_dim_keys_get(l, ld, in, &keys);
	if (owfp_clayer_candidates(l, &keys, r))
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		if (owfp_clayer_quick_ok(l, r->v[i], &keys) &&
		    owfp_filter_match(&l->f[r->v[i]]->fps, in))
			r->v[k++] = r->v[i];
	r->n = k;
	return (long)k;
}

long owfp_engine_match_layer(owfp_engine *e, int slot, uint64_t gen,
			     const FWPS_INCOMING_VALUES0 *in, owfp_clayer **layer, owfp_ranks *r)
{
	owfp_mhit hit;

	return owfp_mcache_match(e, slot, gen, in, layer, r, &hit);
}

void owfp_engine_match_cache_set(owfp_engine *e, bool on)
{
	atomic_store(&e->mcache_on, on);
}

int owfp_engine_match_stream_values(owfp_engine *e, const FWPS_INCOMING_VALUES0 *in,
				    uint64_t flow_last_filter_id, owfp_match **out)
{
	int slot = in->layerId == FWPS_LAYER_STREAM_V6 ? OWFP_SLOT_STREAM_V6 : OWFP_SLOT_STREAM_V4;
	owfp_clayer *l;
	owfp_ranks r;
	owfp_match *m;
	owfp_mhit hit;
	uint64_t gen, max_id = 0;
	bool newer = false;
	long n;

	/* Read before the snapshot: a change after this makes the result stale, never missed. */
	gen = owfp_engine_generation(e);
	owfp_ranks_init(&r);
	n = owfp_mcache_match(e, slot, gen, in, &l, &r, &hit);
	if (n < 0) {
		owfp_ranks_fini(&r);
		return -ENOMEM;
	}
	m = owfp_mcache_match_get(&hit, flow_last_filter_id);
	if (m) {
		owfp_ranks_fini(&r);
		owfp_clayer_unref(l);
		*out = m;
		return 0;
	}
	m = owfp_malloc(sizeof(*m) + sizeof(m->stages[0]) * (size_t)n);
	if (!m) {
		owfp_ranks_fini(&r);
		owfp_clayer_unref(l);
		return -ENOMEM;
	}
	atomic_init(&m->refs, 1);
	m->generation = gen;
	m->nstages = (size_t)n;
	m->nsublayers = 0;
	m->priv = l;
	/* Callout objects are loaded from the id table and held inside a read
	 * section: an unregister that frees one waits this out (callout_register.c). */
	unsigned ep = owfp_snapshot_read_begin(e);
	for (size_t i = 0; i < (size_t)n; i++) {
		const owfp_rfilter *f = l->f[r.v[i]];
		owfp_stage_desc *st = &m->stages[i];

		if (i == 0 || l->sublayer[r.v[i]] != l->sublayer[r.v[i - 1]])
			m->nsublayers++;
		st->filter = f->fps;
		st->layer_id = in->layerId;
		st->sublayer_index = m->nsublayers - 1;
		st->callout = (f->fps.action.type & FWP_ACTION_FLAG_CALLOUT)
				      ? owfp_engine_callout_by_id(e, f->fps.action.calloutId)
				      : NULL;
		if (st->callout)
			owfp_callout_hold(st->callout);
		st->added_after_flow = f->id > flow_last_filter_id;
		newer |= st->added_after_flow;
		if (f->id > max_id)
			max_id = f->id;
	}
	owfp_snapshot_read_end(e, ep);
	owfp_ranks_fini(&r);
	/* Flows that agree on the values share it: it is never written after this. */
	if (!newer)
		owfp_mcache_match_put(&hit, m, max_id);
	*out = m;
	return 0;
}

int owfp_engine_match_stream(owfp_engine *e, const owfp_flow_key *key, uint64_t flow_last_filter_id,
			     owfp_match **out)
{
	FWPS_INCOMING_VALUE0 vals[FWPS_FIELD_STREAM_V4_MAX];
	FWP_BYTE_ARRAY16 v6l, v6r;
	FWPS_INCOMING_VALUES0 in;

	if (key->family != AF_INET && key->family != AF_INET6)
		return -EAFNOSUPPORT;
	owfp_engine_stream_values(key, vals, &v6l, &v6r, &in);
	return owfp_engine_match_stream_values(e, &in, flow_last_filter_id, out);
}

void owfp_match_release(owfp_match *m)
{
	if (!m || atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (size_t i = 0; i < m->nstages; i++)
		if (m->stages[i].callout)
			owfp_callout_release(m->stages[i].callout);
	owfp_clayer_unref(m->priv);
	free(m);
}
