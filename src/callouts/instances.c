/*
 * calloutId -> built-in instance. The one piece of process-wide state the
 * built-ins keep: a Windows driver would use globals for the same purpose,
 * but built-ins can have many instances of one type. Read on every
 * classify, written only at create/destroy.
 *
 * Every classify asking the shared table would take the read lock, an
 * atomic write to one cache line that all worker threads then pass back
 * and forth. So each thread remembers its last answer together with the
 * table's generation, and asks the table only when either differs. The
 * generation is only read on that path, so its cache line stays shared.
 * The owner's lifetime is not the lock's business either way: an instance
 * is destroyed only after its unregister succeeded, and that waits until no
 * classifyFn of it is still running and makes later classifies take S70
 * instead (S72a), so the owner a classify got stays valid until it returns.
 *
 * Retiring (a reload replaced the instance): its destroy finds flows still
 * holding contexts (FwpsCalloutUnregister* answers STATUS_DEVICE_BUSY, S72)
 * and must not free what their flowDeleteFn will use. Windows leaves the
 * retry to the driver; here the engine's drain hook says when the last
 * context of an unregistered callout went, and the type's destroy runs
 * again then, so the instance is freed when its last flow ends (it used to
 * be kept for good, with its files: issue 17 item 5). One thread at a time
 * runs an instance's unregister (the claim); a drain meanwhile makes that
 * thread try once more instead of running a second destroy beside it.
 */
#include "callouts/kit.h"
#include "engine/engine.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct binding {
	UINT32 id;
	void *owner;
	void (*destroy)(void *owner); /* set once its destroy began */
	bool claimed;                 /* a thread is unregistering it */
	bool again;                   /* a drain came meanwhile: try again */
} binding;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static binding *table;
static size_t ntable, captable;
/* Bumped after every change; 0 is never a valid generation. */
static atomic_uint generation = 1;

static _Thread_local struct {
	unsigned generation;
	UINT32 id;
	void *owner;
} last;

/* The instance a drain on this thread is destroying (its claim is ours). */
static _Thread_local void *draining;

int owfp_bi_bind(UINT32 calloutId, void *owner)
{
	int rc = 0;
	pthread_rwlock_wrlock(&lock);
	if (ntable == captable) {
		size_t cap = captable ? captable * 2 : 16;
		binding *t = owfp_realloc(table, cap * sizeof(*t));
		if (!t) {
			rc = -ENOMEM;
			goto out;
		}
		table = t;
		captable = cap;
	}
	table[ntable++] = (binding){calloutId, owner, NULL, false, false};
	atomic_fetch_add_explicit(&generation, 1, memory_order_release);
out:
	pthread_rwlock_unlock(&lock);
	return rc;
}

void owfp_bi_unbind(UINT32 calloutId)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < ntable; i++) {
		if (table[i].id == calloutId) {
			table[i] = table[--ntable];
			break;
		}
	}
	if (ntable == 0) {
		free(table);
		table = NULL;
		captable = 0;
	}
	atomic_fetch_add_explicit(&generation, 1, memory_order_release);
	pthread_rwlock_unlock(&lock);
}

void *owfp_bi_owner(UINT32 calloutId)
{
	unsigned gen = atomic_load_explicit(&generation, memory_order_acquire);
	if (last.generation == gen && last.id == calloutId)
		return last.owner;
	void *owner = NULL;
	pthread_rwlock_rdlock(&lock);
	gen = atomic_load_explicit(&generation, memory_order_relaxed); /* stable under the lock */
	for (size_t i = 0; i < ntable; i++) {
		if (table[i].id == calloutId) {
			owner = table[i].owner;
			break;
		}
	}
	pthread_rwlock_unlock(&lock);
	last.generation = gen;
	last.id = calloutId;
	last.owner = owner;
	return owner;
}

static bool is_of(const binding *b, const owfp_bi *bi)
{
	return (bi->registered[0] && b->id == bi->id[0]) || (bi->registered[1] && b->id == bi->id[1]);
}

static void drained(UINT32 calloutId)
{
	void *owner = NULL;
	void (*destroy)(void *) = NULL;
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < ntable; i++)
		if (table[i].id == calloutId && table[i].destroy) {
			owner = table[i].owner;
			destroy = table[i].destroy;
		}
	bool busy = false;
	for (size_t i = 0; owner && i < ntable; i++)
		busy |= table[i].owner == owner && table[i].claimed;
	for (size_t i = 0; owner && i < ntable; i++)
		if (table[i].owner == owner) {
			table[i].again |= busy;
			table[i].claimed = true;
		}
	pthread_rwlock_unlock(&lock);
	if (!owner || busy)
		return;
	draining = owner;
	destroy(owner); /* its owfp_bi_fini releases the claim or frees it all */
	draining = NULL;
}

bool owfp_bi_retire_begin(const owfp_bi *bi)
{
	const owfp_builtin *b = owfp_builtin_find(bi->type);
	bool busy = false;
	owfp_callout_set_drain_hook(drained);
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < ntable; i++)
		if (is_of(&table[i], bi) && table[i].claimed && table[i].owner != draining)
			busy = true;
	for (size_t i = 0; i < ntable; i++) {
		if (!is_of(&table[i], bi))
			continue;
		if (busy) {
			table[i].again = true;
		} else {
			table[i].claimed = true;
			table[i].destroy = b ? b->destroy : NULL;
		}
	}
	pthread_rwlock_unlock(&lock);
	return !busy;
}

bool owfp_bi_retire_again(const owfp_bi *bi)
{
	bool again = false;
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < ntable; i++)
		if (is_of(&table[i], bi)) {
			again |= table[i].again;
			table[i].again = false;
		}
	for (size_t i = 0; i < ntable; i++)
		if (is_of(&table[i], bi))
			table[i].claimed = again;
	pthread_rwlock_unlock(&lock);
	return again;
}
