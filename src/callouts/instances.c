/*
 * calloutId -> built-in instance. The one piece of process-wide state the
 * built-ins keep: a Windows driver would use globals for the same purpose,
 * but built-ins can have many instances of one type. Read on every
 * classify (a read lock), written only at create/destroy.
 */
#include "callouts/builtin.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct binding {
	UINT32 id;
	void *owner;
} binding;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static binding *table;
static size_t ntable, captable;

int owfp_bi_bind(UINT32 calloutId, void *owner)
{
	int rc = 0;
	pthread_rwlock_wrlock(&lock);
	if (ntable == captable) {
		size_t cap = captable ? captable * 2 : 16;
		binding *t = realloc(table, cap * sizeof(*t));
		if (!t) {
			rc = -ENOMEM;
			goto out;
		}
		table = t;
		captable = cap;
	}
	table[ntable++] = (binding){calloutId, owner};
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
	pthread_rwlock_unlock(&lock);
}

void *owfp_bi_owner(UINT32 calloutId)
{
	void *owner = NULL;
	pthread_rwlock_rdlock(&lock);
	for (size_t i = 0; i < ntable; i++) {
		if (table[i].id == calloutId) {
			owner = table[i].owner;
			break;
		}
	}
	pthread_rwlock_unlock(&lock);
	return owner;
}
