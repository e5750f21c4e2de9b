/*
 * FwpsCalloutRegister0..3 and FwpsCalloutUnregisterById0/ByKey0 (S67–S72,
 * Q22).
 *
 * Each registration makes a fresh callout object and publishes it in the
 * id table; an old object is never changed, it only has `registered`
 * cleared. That is what lets classification read callouts without locks.
 * Once fully unregistered (no flow context left) it leaves the table, and
 * is freed when the last match whose stages name it is released: keeping
 * every object ever registered made each reload cost ~60 kB for good.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "wdm/deferred.h"
#include "util/alloc.h"

typedef struct reg_args {
	const GUID *key;
	UINT32 flags;
	int version;
	void *classify;
	void *notify;
	FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flow_delete;
} reg_args;

static NTSTATUS do_register(void *device, const reg_args *a, UINT32 *callout_id)
{
	owfp_engine *e = owfp_registry_engine();
	owfp_callout_obj *old, *obj;
	owfp_mcallout *mc;
	UINT32 id;

	/* There is no filter engine to register with until one is created. */
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	if (!device || !a->key || !a->classify)
		return STATUS_INVALID_PARAMETER;
	obj = owfp_calloc(1, sizeof(*obj));
	if (!obj)
		return STATUS_NO_MEMORY;

	pthread_mutex_lock(&e->mu);
	id = owfp_callout_id_for_key(e, a->key, false);
	old = id ? owfp_callout_table_get(e, id) : NULL;
	/* Until an unregister call succeeds the key stays taken (Q22). */
	if (old && !old->gone) {
		pthread_mutex_unlock(&e->mu);
		free(obj);
		return STATUS_FWP_ALREADY_EXISTS;
	}
	if (!id)
		id = owfp_callout_id_for_key(e, a->key, true);
	if (!id) {
		pthread_mutex_unlock(&e->mu);
		free(obj);
		return STATUS_FWP_TOO_MANY_CALLOUTS;
	}
	atomic_init(&obj->refs, 1); /* the table's */
	obj->pub.id = id;
	obj->pub.key = *a->key;
	obj->pub.flags = a->flags;
	obj->pub.version = a->version;
	switch (a->version) {
	case 0:
		obj->pub.classify.fn0 = (FWPS_CALLOUT_CLASSIFY_FN0)a->classify;
		obj->pub.notify.fn0 = (FWPS_CALLOUT_NOTIFY_FN0)a->notify;
		break;
	case 1:
		obj->pub.classify.fn1 = (FWPS_CALLOUT_CLASSIFY_FN1)a->classify;
		obj->pub.notify.fn1 = (FWPS_CALLOUT_NOTIFY_FN1)a->notify;
		break;
	case 2:
		obj->pub.classify.fn2 = (FWPS_CALLOUT_CLASSIFY_FN2)a->classify;
		obj->pub.notify.fn2 = (FWPS_CALLOUT_NOTIFY_FN2)a->notify;
		break;
	default:
		obj->pub.classify.fn3 = (FWPS_CALLOUT_CLASSIFY_FN3)a->classify;
		obj->pub.notify.fn3 = (FWPS_CALLOUT_NOTIFY_FN3)a->notify;
		break;
	}
	obj->pub.flow_delete = a->flow_delete;
	/* The driver whose code the callbacks are, for failure reports. */
	obj->pub.driver = owfp_io_object_driver(device);
	/* Only a loaded plugin's code is contained; built-in callouts (and
	 * test code) are called directly, keeping their classify path bare. */
	obj->pub.contained = obj->pub.driver && obj->pub.driver->OwfpHost;
	mc = owfp_model_callout(&e->model, a->key, NULL);
	if (mc && mc->name[0])
		memcpy(obj->pub.name, mc->name, sizeof(obj->pub.name));
	else
		owfp_guid_format(a->key, obj->pub.name, sizeof(obj->pub.name));
	atomic_init(&obj->pub.registered, true);
	if (owfp_callout_table_set(e, id, obj)) {
		pthread_mutex_unlock(&e->mu);
		free(obj);
		return STATUS_NO_MEMORY;
	}
	pthread_mutex_unlock(&e->mu);

	owfp_engine_bump_generation(e);
	if (callout_id)
		*callout_id = id;
	return STATUS_SUCCESS;
}

/* The callout structs differ only in function types, so one body serves all. */
#define REGISTER_FN(n)                                                                      \
	NTSTATUS NTAPI FwpsCalloutRegister##n(void *deviceObject, const FWPS_CALLOUT##n *c, \
					      UINT32 *calloutId)                            \
	{                                                                                   \
		reg_args a;                                                                 \
		if (!c)                                                                     \
			return STATUS_INVALID_PARAMETER;                                    \
		a.key = &c->calloutKey;                                                     \
		a.flags = c->flags;                                                         \
		a.version = n;                                                              \
		a.classify = (void *)c->classifyFn;                                         \
		a.notify = (void *)c->notifyFn;                                             \
		a.flow_delete = c->flowDeleteFn;                                            \
		return do_register(deviceObject, &a, calloutId);                            \
	}

REGISTER_FN(0)
REGISTER_FN(1)
REGISTER_FN(2)
REGISTER_FN(3)

/*
 * S72a: waits until no classifyFn call of `c` is in flight on another
 * thread. Calls on this thread (an unregister from inside the callout's
 * own classifyFn, or from a classify nested in it) are not waited for:
 * they cannot finish before this returns. Pairs with
 * owfp_callout_classify_enter (engine.h): `registered` is already false
 * here, and the fence orders that store before the counts are read. A yield
 * loop, as in owfp_snapshot_wait_readers: unregistering is rare and
 * classifies are short, and a wake-up per classify would cost the hot path.
 */
static void wait_classifies(owfp_callout *c)
{
	const owfp_classify_nest *n = &owfp_classify_stack;
	unsigned listed = n->depth < OWFP_CLASSIFY_NEST ? n->depth : OWFP_CLASSIFY_NEST;
	uint64_t own = 0;

	for (unsigned i = 0; i < listed; i++)
		if (n->at[i].c == c)
			own++;
	atomic_thread_fence(memory_order_seq_cst);
	atomic_fetch_add(&c->unregister_waits, 1);
	for (;;) {
		uint64_t sum = 0;

		for (int s = 0; s <= OWFP_THREAD_SLOTS; s++)
			sum += atomic_load_explicit(&c->counts[s].inflight, memory_order_acquire);
		if (sum == own)
			break;
		sched_yield();
	}
	atomic_fetch_sub(&c->unregister_waits, 1);
}

static NTSTATUS do_unregister(owfp_engine *e, UINT32 id)
{
	owfp_callout_obj *c;
	NTSTATUS st;

	pthread_mutex_lock(&e->mu);
	c = id ? owfp_callout_table_get(e, id) : NULL;
	if (!c || c->gone) {
		pthread_mutex_unlock(&e->mu);
		return STATUS_FWP_CALLOUT_NOT_FOUND;
	}
	/* Q22: from the first call on, classification treats it as unregistered. */
	c->unregister_called = true;
	atomic_store(&c->pub.registered, false);
	/* S72a: no classify may still run when this returns. Waited for
	 * without e->mu, which a classifyFn may need (contexts, Fwpm calls),
	 * holding `c` meanwhile. Flow contexts that those classifies associate
	 * before they return are counted below. */
	owfp_callout_hold(&c->pub);
	pthread_mutex_unlock(&e->mu);
	wait_classifies(&c->pub);
	pthread_mutex_lock(&e->mu);
	if (c->gone) {
		/* A concurrent unregister finished it meanwhile. */
		pthread_mutex_unlock(&e->mu);
		owfp_callout_release(&c->pub);
		return STATUS_FWP_CALLOUT_NOT_FOUND;
	}
	owfp_callout_release(&c->pub);
	if (atomic_load(&c->pub.contexts) > 0) {
		st = STATUS_DEVICE_BUSY;
	} else {
		c->gone = true;
		st = STATUS_SUCCESS;
		/* Out of the table, then no reader can still be loading it
		 * (match.c holds its loads in a read section); matches that
		 * hold it keep it until they are released. */
		owfp_callout_table_set(e, id, NULL);
		owfp_snapshot_wait_readers(e);
	}
	pthread_mutex_unlock(&e->mu);
	owfp_engine_bump_generation(e);
	if (st == STATUS_SUCCESS)
		owfp_callout_release(&c->pub);
	return st;
}

static _Atomic(owfp_callout_drain_fn) drain_hook;

void owfp_callout_set_drain_hook(owfp_callout_drain_fn fn)
{
	atomic_store(&drain_hook, fn);
}

void owfp_callout_context_put(owfp_callout *c)
{
	/* Pairs with do_unregister, which clears `registered` before it reads
	 * `contexts` (both sequentially consistent): either the unregister saw
	 * no context left, or this sees the unregister and reports the drain. */
	owfp_callout_drain_fn fn = NULL;
	UINT32 id = c->id;

	/* Held across the check: once `contexts` is 0 an unregister on
	 * another thread may drop the table's reference. */
	owfp_callout_hold(c);
	if (atomic_fetch_sub(&c->contexts, 1) == 1 && !atomic_load(&c->registered))
		fn = atomic_load(&drain_hook);
	owfp_callout_release(c);
	if (fn)
		fn(id);
}

NTSTATUS NTAPI FwpsCalloutUnregisterById0(const UINT32 calloutId)
{
	owfp_engine *e = owfp_registry_engine();

	if (!e)
		return STATUS_FWP_CALLOUT_NOT_FOUND;
	return do_unregister(e, calloutId);
}

NTSTATUS NTAPI FwpsCalloutUnregisterByKey0(const GUID *calloutKey)
{
	owfp_engine *e = owfp_registry_engine();
	UINT32 id;

	if (!e || !calloutKey)
		return STATUS_FWP_CALLOUT_NOT_FOUND;
	pthread_mutex_lock(&e->mu);
	id = owfp_callout_id_for_key(e, calloutKey, false);
	pthread_mutex_unlock(&e->mu);
	return do_unregister(e, id);
}
