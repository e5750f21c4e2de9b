/*
 * The engine object: creation binds it as the process's WFP engine,
 * destruction ends its flows first (through the stream layer's destroy
 * callback, owfp_engine_upper_attach) and then frees everything. Also the
 * small services the stream module uses (options, events, log, counters).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "wdm/contain.h"
#include "util/alloc.h"

static void free_session(void *obj)
{
	free(obj);
}

static void engine_free(owfp_engine *e)
{
	/* Before the snapshot and the callout table: cached matches hold both. */
	for (size_t i = 0; i < OWFP_THREAD_SLOTS; i++)
		owfp_mcache_free(e->mcache[i]);
	owfp_snapshot_free(atomic_load(&e->snap));
	/* An open transaction's undo records own deleted objects. */
	for (size_t i = 0; i < e->nundo; i++) {
		owfp_undo *u = &e->undo[i];

		if (u->op == OWFP_UNDO_DEL_FILTER)
			owfp_rfilter_unref(u->obj);
		else if (u->op == OWFP_UNDO_DEL_SUBLAYER || u->op == OWFP_UNDO_DEL_CALLOUT)
			free(u->obj);
	}
	free(e->undo);
	owfp_model_fini(&e->model);
	for (size_t i = 0; i < e->bindings.n; i++)
		free(e->bindings.v[i]);
	owfp_vec_free(&e->bindings);
	/* The table's references; a callout a match still names (none once
	 * the flows are gone) lives until that match is released. */
	for (size_t i = 0; i < OWFP_CALLOUT_CHUNKS; i++) {
		owfp_callout_chunk *c = atomic_load(&e->callout_chunks[i]);

		for (size_t j = 0; c && j < OWFP_CALLOUT_CHUNK; j++) {
			owfp_callout_obj *o = atomic_load(&c->slot[j]);

			if (o)
				owfp_callout_release(&o->pub);
		}
		free(c);
	}
	pthread_cond_destroy(&e->txn_cv);
	pthread_mutex_destroy(&e->mu);
	owfp_memacct_fini(&e->mem);
	free(e);
}

int owfp_engine_create(const owfp_engine_opts *opts, owfp_engine **out)
{
	owfp_engine *e = owfp_calloc(1, sizeof(*e));
	owfp_snapshot *s;
	int rc;

	if (!e)
		return -ENOMEM;
	if (opts)
		e->opts = *opts;
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->txn_cv, NULL);
	owfp_memacct_init(&e->mem, e->opts.memory_limit);
	e->next_filter_id = 1;
	e->next_callout_id = 1;
	atomic_init(&e->next_flow_id, 1);
	atomic_init(&e->mcache_on, true);
	s = owfp_calloc(1, sizeof(*s));
	if (!s || owfp_model_init(&e->model)) {
		free(s);
		engine_free(e);
		return -ENOMEM;
	}
	atomic_init(&e->snap, s);
	for (int i = 0; i < OWFP_NSLOTS; i++) {
		s->layers[i] = owfp_clayer_build(NULL, 0);
		if (!s->layers[i]) {
			engine_free(e);
			return -ENOMEM;
		}
	}
	rc = owfp_registry_bind(e);
	if (rc) {
		engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void owfp_engine_destroy(owfp_engine *e)
{
	if (!e)
		return;
	/* Flows go first: their flowDeleteFn calls may still use WFP calls,
	 * which find the flows through the object while it is destroyed. */
	void *upper = atomic_load(&e->upper);
	if (upper)
		e->upper_destroy(upper);
	atomic_store(&e->upper, NULL);
	owfp_registry_handles_drop(e, OWFP_HANDLE_SESSION, free_session);
	owfp_registry_unbind(e);
	engine_free(e);
}

void *owfp_engine_upper(owfp_engine *e)
{
	return atomic_load_explicit(&e->upper, memory_order_acquire);
}

void *owfp_engine_upper_attach(owfp_engine *e, void *obj, void (*destroy)(void *obj))
{
	void *cur = NULL;

	if (atomic_compare_exchange_strong(&e->upper, &cur, obj)) {
		e->upper_destroy = destroy;
		return obj;
	}
	return cur;
}

const owfp_engine_opts *owfp_engine_options(owfp_engine *e)
{
	return &e->opts;
}

owfp_memacct *owfp_engine_memacct(owfp_engine *e)
{
	return &e->mem;
}

void owfp_engine_mem_limit_set(owfp_engine *e, size_t limit)
{
	owfp_memacct_set_limit(&e->mem, limit);
}

void owfp_engine_mem_charge(owfp_engine *e, size_t bytes)
{
	owfp_memacct_charge(&e->mem, bytes);
}

void owfp_engine_mem_release(owfp_engine *e, size_t bytes)
{
	owfp_memacct_release(&e->mem, bytes);
}

size_t owfp_engine_mem_used(owfp_engine *e)
{
	return owfp_memacct_used(&e->mem);
}

size_t owfp_engine_mem_peak(owfp_engine *e)
{
	return owfp_memacct_peak(&e->mem);
}

void owfp_engine_emit(owfp_engine *e, const owfp_event *ev)
{
	if (e->opts.event)
		e->opts.event(e->opts.user, ev);
}

void owfp_engine_log(owfp_engine *e, enum owfp_log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!e || !e->opts.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->opts.log(e->opts.user, lvl, msg);
}

uint64_t owfp_engine_generation(owfp_engine *e)
{
	return atomic_load(&e->generation);
}

void owfp_engine_bump_generation(owfp_engine *e)
{
	atomic_fetch_add(&e->generation, 1);
}

uint64_t owfp_engine_last_filter_id(owfp_engine *e)
{
	return atomic_load(&e->last_filter_id);
}

uint64_t owfp_engine_next_flow_id(owfp_engine *e)
{
	return atomic_fetch_add(&e->next_flow_id, 1);
}

void owfp_engine_count(owfp_engine *e, int what, int dir, uint64_t n)
{
	int d = dir == OWFP_DIR_OUTBOUND ? 1 : 0;
	owfp_engine_counts *k = e->counts;

	switch (what) {
	case OWFP_COUNT_FLOW_CREATED:
		OWFP_SLOT_ADD(k, flows_created, n);
		break;
	case OWFP_COUNT_FLOW_ENDED:
		OWFP_SLOT_ADD(k, flows_ended, n);
		break;
	case OWFP_COUNT_FLOW_DROPPED:
		OWFP_SLOT_ADD(k, flows_dropped, n);
		break;
	case OWFP_COUNT_BYTES_INDICATED:
		OWFP_SLOT_ADD(k, bytes_indicated[d], n);
		break;
	case OWFP_COUNT_BYTES_DELIVERED:
		OWFP_SLOT_ADD(k, bytes_delivered[d], n);
		break;
	case OWFP_COUNT_VIOLATION:
		OWFP_SLOT_ADD(k, violations, n);
		break;
	case OWFP_COUNT_LIMIT:
		OWFP_SLOT_ADD(k, limits_hit, n);
		break;
	default:
		break;
	}
}

void owfp_engine_stats_get(owfp_engine *e, owfp_engine_stats *out)
{
	uint64_t created = OWFP_SLOT_SUM(e->counts, flows_created);
	uint64_t ended = OWFP_SLOT_SUM(e->counts, flows_ended);

	memset(out, 0, sizeof(*out));
	out->flows_created = created;
	out->flows_active = created > ended ? created - ended : 0;
	out->flows_dropped = OWFP_SLOT_SUM(e->counts, flows_dropped);
	for (int d = 0; d < 2; d++) {
		out->bytes_indicated[d] = OWFP_SLOT_SUM(e->counts, bytes_indicated[d]);
		out->bytes_delivered[d] = OWFP_SLOT_SUM(e->counts, bytes_delivered[d]);
	}
	out->violations = OWFP_SLOT_SUM(e->counts, violations);
	out->limits_hit = OWFP_SLOT_SUM(e->counts, limits_hit);
	out->driver_failures = owfp_contain_failures();

	pthread_mutex_lock(&e->mu);
	for (UINT32 id = 1; id < e->next_callout_id && out->ncallouts < 64; id++) {
		owfp_callout_obj *o = owfp_callout_table_get(e, id);
		owfp_callout_stats *cs;
		owfp_mcallout *mc;

		if (!o)
			continue;
		cs = &out->callouts[out->ncallouts++];
		cs->callout_id = id;
		mc = owfp_model_callout_by_id(&e->model, id, NULL);
		memcpy(cs->name, mc && mc->name[0] ? mc->name : o->pub.name, sizeof(cs->name));
		cs->classify_calls = OWFP_SLOT_SUM(o->pub.counts, classify_calls);
		cs->bytes_indicated = OWFP_SLOT_SUM(o->pub.counts, bytes_indicated);
		cs->bytes_permitted = OWFP_SLOT_SUM(o->pub.counts, bytes_permitted);
		cs->bytes_blocked = OWFP_SLOT_SUM(o->pub.counts, bytes_blocked);
		cs->bytes_continued = OWFP_SLOT_SUM(o->pub.counts, bytes_continued);
		cs->bytes_injected = OWFP_SLOT_SUM(o->pub.counts, bytes_injected);
		cs->violations = OWFP_SLOT_SUM(o->pub.counts, violations);
		for (int i = 0; i < OWFP_STREAM_ACTIONS; i++)
			cs->stream_actions[i] = OWFP_SLOT_SUM(o->pub.counts, stream_actions[i]);
	}
	pthread_mutex_unlock(&e->mu);
}
