/*
 * The flows of an engine, by flow id, for the WFP calls that name a flow
 * (FwpsStreamInjectAsync0, FwpsStreamContinue0, FwpsFlowAbort0, the flow
 * context calls) from any thread. Lookups take a reference, so a flow
 * closed meanwhile stays valid until the caller lets go.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/flow.h"
#include "util/alloc.h"

/* Buckets double when flows outnumber them, so a remove or a lookup walks
 * about one flow whatever the count (a fixed 1024 buckets made replay of
 * 300k concurrent flows quadratic: issue 17 item 7). Ids are sequential,
 * so `id & (n - 1)` spreads them evenly. */
#define MIN_BUCKETS 1024u

struct owfp_flow_table {
	owfp_engine *engine;
	pthread_mutex_t mu;
	owfp_flow **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
	uint64_t steps; /* chain links walked by remove and find (tests) */
	/* Flow objects to reuse, per thread slot, linked by hnext (flow.h). */
	owfp_flow *pool[OWFP_THREAD_SLOTS];
	unsigned npool[OWFP_THREAD_SLOTS];
};

/* Under ASan a pooled flow is poisoned, so a use after owfp_flow_close is
 * still reported as it was when the flow was freed. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POOL_MARK(p, n, on) \
	((on) ? ASAN_POISON_MEMORY_REGION((p), (n)) : ASAN_UNPOISON_MEMORY_REGION((p), (n)))
#else
#define POOL_MARK(p, n, on) ((void)(p), (void)(n), (void)(on))
#endif

static size_t block_size(unsigned cap)
{
	return cap * (sizeof(owfp_stage) + sizeof(owfp_sublayer));
}

/* The flow last when poisoning, first when unpoisoning: it holds the
 * pointers to its blocks. */
static void pool_poison(owfp_flow *f, bool on)
{
	if (!on)
		POOL_MARK(f, sizeof(*f), false);
	for (int d = 0; d < 2; d++)
		if (f->spare[d])
			POOL_MARK(f->spare[d], block_size(f->spare_cap[d]), on);
	if (on)
		POOL_MARK(f, sizeof(*f), true);
}

static void flow_release(owfp_flow *f)
{
	free(f->spare[0]);
	free(f->spare[1]);
	free(f);
}

owfp_flow *owfp_flow_pool_get(struct owfp_flow_table *t)
{
	int slot = owfp_thread_slot();
	owfp_flow *f;

	if (slot == OWFP_THREAD_SLOT_SHARED || !t->pool[slot])
		return owfp_calloc(1, sizeof(owfp_flow));
	f = t->pool[slot];
	pool_poison(f, false);
	t->pool[slot] = f->hnext;
	t->npool[slot]--;
	owfp_stage *spare[2] = {f->spare[0], f->spare[1]};
	unsigned cap[2] = {f->spare_cap[0], f->spare_cap[1]};
	memset(f, 0, sizeof(*f));
	for (int d = 0; d < 2; d++) {
		f->spare[d] = spare[d];
		f->spare_cap[d] = cap[d];
	}
	return f;
}

void owfp_flow_pool_put(struct owfp_flow_table *t, owfp_flow *f)
{
	int slot = owfp_thread_slot();

	if (!t || slot == OWFP_THREAD_SLOT_SHARED || t->npool[slot] >= OWFP_FLOW_POOL_MAX) {
		flow_release(f);
		return;
	}
	f->hnext = t->pool[slot];
	t->pool[slot] = f;
	t->npool[slot]++;
	pool_poison(f, true);
}

static struct owfp_flow_table *table_create(owfp_engine *engine)
{
	struct owfp_flow_table *t = owfp_calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (!(t->buckets = owfp_calloc(MIN_BUCKETS, sizeof(owfp_flow *)))) {
		free(t);
		return NULL;
	}
	t->nbuckets = MIN_BUCKETS;
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
		for (size_t i = 0; i < t->nbuckets && !f; i++)
			f = t->buckets[i];
		pthread_mutex_unlock(&t->mu);
		if (!f)
			break;
		owfp_flow_close(f);
	}
	for (size_t s = 0; s < OWFP_THREAD_SLOTS; s++)
		while (t->pool[s]) {
			owfp_flow *f = t->pool[s];
			pool_poison(f, false);
			t->pool[s] = f->hnext;
			flow_release(f);
		}
	pthread_mutex_destroy(&t->mu);
	free(t->buckets);
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

/* Doubles the buckets (under t->mu). A failed allocation keeps the old
 * ones: longer chains, never a lost flow. */
static void table_grow(struct owfp_flow_table *t)
{
	size_t n = t->nbuckets * 2;
	owfp_flow **nb = owfp_calloc(n, sizeof(owfp_flow *));
	if (!nb)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		owfp_flow *f = t->buckets[i], *next;
		for (; f; f = next) {
			next = f->hnext;
			size_t b = (size_t)f->id & (n - 1);
			f->hnext = nb[b];
			nb[b] = f;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
}

int owfp_flow_table_insert(struct owfp_flow_table *t, owfp_flow *f)
{
	pthread_mutex_lock(&t->mu);
	if (t->count >= t->nbuckets)
		table_grow(t);
	size_t b = (size_t)f->id & (t->nbuckets - 1);
	f->hnext = t->buckets[b];
	t->buckets[b] = f;
	t->count++;
	owfp_flow_ref(f);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

void owfp_flow_table_remove(struct owfp_flow_table *t, owfp_flow *f)
{
	bool found = false;
	pthread_mutex_lock(&t->mu);
	size_t b = (size_t)f->id & (t->nbuckets - 1);
	for (owfp_flow **pp = &t->buckets[b]; *pp; pp = &(*pp)->hnext) {
		t->steps++;
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
	for (f = t->buckets[(size_t)id & (t->nbuckets - 1)]; f; f = f->hnext) {
		t->steps++;
		if (f->id == id)
			break;
	}
	if (f)
		owfp_flow_ref(f);
	pthread_mutex_unlock(&t->mu);
	return f;
}

void owfp_flow_table_stats(owfp_engine *engine, size_t *count, size_t *nbuckets, uint64_t *steps)
{
	struct owfp_flow_table *t = owfp_engine_upper(engine);
	*count = *nbuckets = 0;
	*steps = 0;
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	*count = t->count;
	*nbuckets = t->nbuckets;
	*steps = t->steps;
	pthread_mutex_unlock(&t->mu);
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
