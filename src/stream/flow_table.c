/*
 * The flows of an engine, by flow id, for the WFP calls that name a flow
 * (FwpsStreamInjectAsync0, FwpsStreamContinue0, FwpsFlowAbort0, the flow
 * context calls) from any thread. Lookups take a reference, so a flow
 * closed meanwhile stays valid until the caller lets go.
 */
#include <stdlib.h>

#include "stream/flow.h"
#include "util/alloc.h"

#define NBUCKETS 1024u

struct owfp_flow_table {
	owfp_engine *engine;
	pthread_mutex_t mu;
	owfp_flow *buckets[NBUCKETS];
	size_t count;
};

static struct owfp_flow_table *table_create(owfp_engine *engine)
{
	struct owfp_flow_table *t = owfp_calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->engine = engine;
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

static void table_destroy(void *obj)
{
	struct owfp_flow_table *t = obj;
	for (;;) {
		owfp_flow *f = NULL;
		pthread_mutex_lock(&t->mu);
		for (unsigned i = 0; i < NBUCKETS && !f; i++)
			f = t->buckets[i];
		pthread_mutex_unlock(&t->mu);
		if (!f)
			break;
		owfp_flow_close(f);
	}
	pthread_mutex_destroy(&t->mu);
	free(t);
}

struct owfp_flow_table *owfp_flow_table_of(owfp_engine *engine)
{
	struct owfp_flow_table *t = owfp_engine_upper(engine);
	if (t)
		return t;
	if (!(t = table_create(engine)))
		return NULL;
	struct owfp_flow_table *kept = owfp_engine_upper_attach(engine, t, table_destroy);
	if (kept != t) /* another thread's first flow attached its table first */
		table_destroy(t);
	return kept;
}

int owfp_flow_table_insert(struct owfp_flow_table *t, owfp_flow *f)
{
	unsigned b = (unsigned)(f->id % NBUCKETS);
	pthread_mutex_lock(&t->mu);
	f->hnext = t->buckets[b];
	t->buckets[b] = f;
	t->count++;
	owfp_flow_ref(f);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

void owfp_flow_table_remove(struct owfp_flow_table *t, owfp_flow *f)
{
	unsigned b = (unsigned)(f->id % NBUCKETS);
	bool found = false;
	pthread_mutex_lock(&t->mu);
	for (owfp_flow **pp = &t->buckets[b]; *pp; pp = &(*pp)->hnext) {
		if (*pp == f) {
			*pp = f->hnext;
			t->count--;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&t->mu);
	if (found)
		owfp_flow_unref(f);
}

owfp_flow *owfp_flow_table_find(owfp_engine *engine, UINT64 id)
{
	struct owfp_flow_table *t = owfp_engine_upper(engine);
	if (!t)
		return NULL;
	owfp_flow *f;
	pthread_mutex_lock(&t->mu);
	for (f = t->buckets[id % NBUCKETS]; f; f = f->hnext)
		if (f->id == id)
			break;
	if (f)
		owfp_flow_ref(f);
	pthread_mutex_unlock(&t->mu);
	return f;
}

void owfp_flow_queue(owfp_flow *f, owfp_work *w)
{
	w->next = NULL;
	pthread_mutex_lock(&f->mu);
	if (f->work_tail)
		f->work_tail->next = w;
	else
		f->work_head = w;
	f->work_tail = w;
	atomic_store(&f->has_work, true);
	/* Woken under the lock, and never once the flow is gone (owfp_flow_close
	 * sets `gone` under it): when close returns, no wake is running or will
	 * run, so the data path may free what dp points at. */
	if (f->ops->wake && !atomic_load(&f->gone))
		f->ops->wake(f->dp, f);
	pthread_mutex_unlock(&f->mu);
}

owfp_work *owfp_flow_take_work(owfp_flow *f)
{
	pthread_mutex_lock(&f->mu);
	owfp_work *w = f->work_head;
	f->work_head = f->work_tail = NULL;
	atomic_store(&f->has_work, false);
	pthread_mutex_unlock(&f->mu);
	return w;
}

/* The flow whose owfp_flow_* call this thread is inside (callbacks run there). */
static __attribute__((tls_model("initial-exec"))) _Thread_local owfp_flow *current_flow;

bool owfp_flow_on_thread(owfp_flow *f)
{
	return current_flow == f;
}

owfp_flow *owfp_flow_enter(owfp_flow *f)
{
	owfp_flow *prev = current_flow;
	current_flow = f;
	return prev;
}

void owfp_flow_leave(owfp_flow *prev)
{
	current_flow = prev;
}
