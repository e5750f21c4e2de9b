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
 * The owner's lifetime is not the lock's business either way: the engine
 * destroys an instance only once no classify can reach it (S70).
 */
#include "callouts/kit.h"
#include "util/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct binding {
	UINT32 id;
	void *owner;
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
	table[ntable++] = (binding){calloutId, owner};
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
