/*
 * The WFP handle registry: the only process-wide mutable state. It holds
 * the engine the WFP-named calls act on (one at a time, as a process has
 * one filter engine) and the opaque HANDLE values handed out for engine
 * sessions (and injection handles, if the stream module wants them).
 *
 * Handles are numbers, not pointers, so a stale or forged handle is
 * rejected instead of dereferenced.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

typedef struct handle_entry {
	uintptr_t value;
	int kind;
	void *obj;
	owfp_engine *engine;
} handle_entry;

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(owfp_engine *) bound_engine;
static handle_entry *handles;
static size_t nhandles, caphandles;
static uintptr_t next_handle = 0x1000;

int owfp_registry_bind(owfp_engine *e)
{
	owfp_engine *expected = NULL;

	return atomic_compare_exchange_strong(&bound_engine, &expected, e) ? 0 : -EBUSY;
}

void owfp_registry_unbind(owfp_engine *e)
{
	owfp_engine *expected = e;

	atomic_compare_exchange_strong(&bound_engine, &expected, NULL);
}

owfp_engine *owfp_registry_engine(void)
{
	return atomic_load(&bound_engine);
}

HANDLE owfp_registry_handle_new(owfp_engine *engine, int kind, void *obj)
{
	HANDLE h = NULL;

	pthread_mutex_lock(&registry_mu);
	if (nhandles == caphandles) {
		size_t cap = caphandles ? caphandles * 2 : 16;
		handle_entry *v = owfp_realloc(handles, sizeof(*v) * cap);

		if (!v)
			goto out;
		handles = v;
		caphandles = cap;
	}
	handles[nhandles++] = (handle_entry){next_handle, kind, obj, engine};
	h = (HANDLE)next_handle;
	next_handle += 4;
out:
	pthread_mutex_unlock(&registry_mu);
	return h;
}

static long find(HANDLE h, int kind)
{
	for (size_t i = 0; i < nhandles; i++)
		if (handles[i].value == (uintptr_t)h && handles[i].kind == kind)
			return (long)i;
	return -1;
}

void *owfp_registry_handle_get(HANDLE h, int kind)
{
	void *obj = NULL;
	long i;

	pthread_mutex_lock(&registry_mu);
	i = find(h, kind);
	if (i >= 0)
		obj = handles[i].obj;
	pthread_mutex_unlock(&registry_mu);
	return obj;
}

void *owfp_registry_handle_remove(HANDLE h, int kind)
{
	void *obj = NULL;
	long i;

	pthread_mutex_lock(&registry_mu);
	i = find(h, kind);
	if (i >= 0) {
		obj = handles[i].obj;
		handles[i] = handles[--nhandles];
	}
	pthread_mutex_unlock(&registry_mu);
	return obj;
}

void owfp_registry_handles_drop(owfp_engine *engine, int kind, void (*fn)(void *obj))
{
	pthread_mutex_lock(&registry_mu);
	for (size_t i = 0; i < nhandles;) {
		if (handles[i].engine == engine && handles[i].kind == kind) {
			if (fn)
				fn(handles[i].obj);
			handles[i] = handles[--nhandles];
		} else {
			i++;
		}
	}
	if (nhandles == 0) {
		free(handles);
		handles = NULL;
		caphandles = 0;
	}
	pthread_mutex_unlock(&registry_mu);
}
