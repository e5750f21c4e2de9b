/*
 * Framework objects: the tree of parents and children, contexts, cleanup
 * and destroy callbacks, references, deletion.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wdf/wdf_int.h"
#include "wdm/contain.h"
#include "util/alloc.h"

/* Guards parent/children links, states and reference counts of all objects. */
static pthread_mutex_t tree = PTHREAD_MUTEX_INITIALIZER;

void owfp_wdf_report(struct wdf_driver *driver, const char *caller, const char *what)
{
	PCUNICODE_STRING name = driver && driver->wdm ? &driver->wdm->DriverName : NULL;

	fprintf(stderr, "openwfp: driver %.*ls: %s: %s\n",
		name && name->Buffer ? (int)(name->Length / sizeof(WCHAR)) : 1,
		name && name->Buffer ? name->Buffer : L"?", caller, what);
}

bool owfp_wdf_call(struct wdf_driver *driver, void (*fn)(void *arg), void *arg)
{
	return owfp_contain_run(driver ? driver->wdm : NULL, fn, arg) == 0;
}

static struct wdf_ctx *ctx_new(PCWDF_OBJECT_CONTEXT_TYPE_INFO info, size_t override,
			       PWDF_OBJECT_ATTRIBUTES a, struct wdf_obj *owner)
{
	size_t size = info->ContextSize > override ? info->ContextSize : override;
	struct wdf_ctx *c = owfp_calloc(1, sizeof(*c) + (size ? size : 1));

	if (!c)
		return NULL;
	c->type = info->UniqueType ? info->UniqueType : info;
	c->owner = owner;
	if (a) {
		c->cleanup = a->EvtCleanupCallback;
		c->destroy = a->EvtDestroyCallback;
	}
	return c;
}

struct wdf_obj *owfp_wdf_obj_new(size_t size, enum wdf_kind kind, const struct wdf_ops *ops,
				 PWDF_OBJECT_ATTRIBUTES a, struct wdf_obj *default_parent,
				 struct wdf_driver *driver, NTSTATUS *status)
{
	struct wdf_obj *o, *parent = default_parent;

	if (a && a->Size < sizeof(WDF_OBJECT_ATTRIBUTES)) {
		*status = STATUS_INFO_LENGTH_MISMATCH;
		return NULL;
	}
	if (a && a->ParentObject) {
		parent = owfp_wdf_obj_get(a->ParentObject, 0, "ParentObject");
		if (!parent) {
			*status = STATUS_INVALID_PARAMETER;
			return NULL;
		}
	}
	o = owfp_calloc(1, size);
	if (!o) {
		*status = STATUS_INSUFFICIENT_RESOURCES;
		return NULL;
	}
	o->magic = WDF_OBJ_MAGIC;
	o->kind = kind;
	o->state = WDF_ALIVE;
	o->refs = 1;
	o->ops = ops;
	o->driver = driver;
	InitializeListHead(&o->children);
	InitializeListHead(&o->sibling);
	if (a) {
		o->cleanup = a->EvtCleanupCallback;
		o->destroy = a->EvtDestroyCallback;
		if (a->ContextTypeInfo) {
			/* The attributes' callbacks belong to the object, not twice to its context. */
			o->ctxs = ctx_new(a->ContextTypeInfo, a->ContextSizeOverride, NULL, o);
			if (!o->ctxs) {
				free(o);
				*status = STATUS_INSUFFICIENT_RESOURCES;
				return NULL;
			}
		}
	}
	if (parent) {
		pthread_mutex_lock(&tree);
		if (parent->state != WDF_ALIVE) {
			pthread_mutex_unlock(&tree);
			free(o->ctxs);
			free(o);
			*status = STATUS_DELETE_PENDING;
			return NULL;
		}
		InsertTailList(&parent->children, &o->sibling);
		parent->refs++;
		o->parent = parent;
		pthread_mutex_unlock(&tree);
	}
	*status = STATUS_SUCCESS;
	return o;
}

struct wdf_obj *owfp_wdf_obj_get(WDFOBJECT handle, enum wdf_kind kind, const char *caller)
{
	struct wdf_obj *o = handle;

	if (!o) {
		owfp_wdf_report(NULL, caller, "NULL handle (KMDF would bug-check); ignored");
		return NULL;
	}
	if (o->magic != WDF_OBJ_MAGIC) {
		owfp_wdf_report(NULL, caller,
				"not a framework handle (KMDF would bug-check); ignored");
		return NULL;
	}
	if (kind && o->kind != kind) {
		owfp_wdf_report(o->driver, caller,
				"handle of the wrong kind (KMDF would bug-check); ignored");
		return NULL;
	}
	if (__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == WDF_DELETED) {
		owfp_wdf_report(o->driver, caller, "object already deleted; ignored");
		return NULL;
	}
	return o;
}

void owfp_wdf_obj_ref(struct wdf_obj *o)
{
	pthread_mutex_lock(&tree);
	o->refs++;
	pthread_mutex_unlock(&tree);
}

/* A cleanup or destroy callback (both take the object's handle) and its argument. */
struct destroy_call {
	PFN_WDF_OBJECT_CONTEXT_DESTROY fn;
	WDFOBJECT handle;
};

static void run_destroy(void *arg)
{
	struct destroy_call *d = arg;

	d->fn(d->handle);
}

void owfp_wdf_obj_unref(struct wdf_obj *o)
{
	struct wdf_obj *parent;
	struct destroy_call d = {.handle = o};
	bool last;

	pthread_mutex_lock(&tree);
	last = --o->refs == 0;
	pthread_mutex_unlock(&tree);
	if (!last)
		return;
	if (o->destroy) {
		d.fn = o->destroy;
		owfp_wdf_call(o->driver, run_destroy, &d);
	}
	for (struct wdf_ctx *c = o->ctxs; c; c = c->next) {
		if (c->destroy) {
			d.fn = c->destroy;
			owfp_wdf_call(o->driver, run_destroy, &d);
		}
	}
	if (o->ops && o->ops->release)
		o->ops->release(o);
	for (struct wdf_ctx *c = o->ctxs, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	parent = o->parent;
	o->magic = 0;
	free(o);
	/* A child keeps its parent's memory until it is gone itself. */
	if (parent)
		owfp_wdf_obj_unref(parent);
}

/* The first child still alive, referenced; NULL when none is left. */
static struct wdf_obj *next_child(struct wdf_obj *o)
{
	struct wdf_obj *child = NULL;

	pthread_mutex_lock(&tree);
	for (PLIST_ENTRY e = o->children.Flink; e != &o->children; e = e->Flink) {
		struct wdf_obj *c = CONTAINING_RECORD(e, struct wdf_obj, sibling);

		if (c->state == WDF_ALIVE) {
			child = c;
			child->refs++;
			break;
		}
	}
	pthread_mutex_unlock(&tree);
	return child;
}

void owfp_wdf_obj_delete(struct wdf_obj *o)
{
	struct destroy_call d = {.handle = o};
	struct wdf_obj *child;

	pthread_mutex_lock(&tree);
	if (o->state != WDF_ALIVE) {
		pthread_mutex_unlock(&tree);
		return;
	}
	o->state = WDF_DELETING;
	pthread_mutex_unlock(&tree);

	/* Children first, so their cleanup sees their parent still whole. */
	while ((child = next_child(o))) {
		owfp_wdf_obj_delete(child);
		owfp_wdf_obj_unref(child);
	}
	if (o->cleanup) {
		d.fn = o->cleanup; /* the same signature as a destroy callback */
		owfp_wdf_call(o->driver, run_destroy, &d);
	}
	for (struct wdf_ctx *c = o->ctxs; c; c = c->next) {
		if (c->cleanup) {
			d.fn = c->cleanup;
			owfp_wdf_call(o->driver, run_destroy, &d);
		}
	}
	if (o->ops && o->ops->teardown)
		o->ops->teardown(o);
	pthread_mutex_lock(&tree);
	if (o->parent)
		RemoveEntryList(&o->sibling);
	InitializeListHead(&o->sibling);
	__atomic_store_n(&o->state, WDF_DELETED, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&tree);
	owfp_wdf_obj_unref(o);
}

void owfp_wdf_obj_discard(struct wdf_obj *o)
{
	o->cleanup = NULL;
	o->destroy = NULL;
	for (struct wdf_ctx *c = o->ctxs; c; c = c->next)
		c->cleanup = c->destroy = NULL;
	owfp_wdf_obj_delete(o);
}

PVOID WdfObjectGetTypedContextWorker(WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo)
{
	struct wdf_obj *o = Handle;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO want;

	/* Contexts stay readable after deletion, up to the destroy callback, as in KMDF. */
	if (!o || o->magic != WDF_OBJ_MAGIC) {
		owfp_wdf_report(NULL, "WdfObjectGetTypedContext",
				"not a framework handle (KMDF would bug-check); ignored");
		return NULL;
	}
	if (!TypeInfo)
		return NULL;
	want = TypeInfo->UniqueType ? TypeInfo->UniqueType : TypeInfo;
	for (struct wdf_ctx *c = __atomic_load_n(&o->ctxs, __ATOMIC_ACQUIRE); c;
	     c = __atomic_load_n(&c->next, __ATOMIC_ACQUIRE))
		if (c->type == want)
			return c + 1;
	return NULL;
}

NTSTATUS WdfObjectAllocateContext(WDFOBJECT Handle, PWDF_OBJECT_ATTRIBUTES ContextAttributes,
				  PVOID *Context)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Handle, 0, "WdfObjectAllocateContext");
	PCWDF_OBJECT_CONTEXT_TYPE_INFO want;
	struct wdf_ctx *c, **tail;

	if (Context)
		*Context = NULL;
	if (!o || !ContextAttributes || !ContextAttributes->ContextTypeInfo || !Context)
		return STATUS_INVALID_PARAMETER;
	if (ContextAttributes->ParentObject)
		return STATUS_INVALID_PARAMETER;
	want = ContextAttributes->ContextTypeInfo->UniqueType
		       ? ContextAttributes->ContextTypeInfo->UniqueType
		       : ContextAttributes->ContextTypeInfo;
	c = ctx_new(ContextAttributes->ContextTypeInfo, ContextAttributes->ContextSizeOverride,
		    ContextAttributes, o);
	if (!c)
		return STATUS_INSUFFICIENT_RESOURCES;
	pthread_mutex_lock(&tree);
	if (o->state != WDF_ALIVE) {
		pthread_mutex_unlock(&tree);
		free(c);
		return STATUS_DELETE_PENDING;
	}
	for (tail = &o->ctxs; *tail; tail = &(*tail)->next) {
		if ((*tail)->type == want) {
			*Context = *tail + 1;
			pthread_mutex_unlock(&tree);
			free(c);
			return STATUS_OBJECT_NAME_EXISTS;
		}
	}
	__atomic_store_n(tail, c, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&tree);
	*Context = c + 1;
	return STATUS_SUCCESS;
}

WDFOBJECT WdfObjectContextGetObject(PVOID ContextPointer)
{
	return ContextPointer ? ((struct wdf_ctx *)ContextPointer - 1)->owner : NULL;
}

NTSTATUS WdfObjectCreate(PWDF_OBJECT_ATTRIBUTES Attributes, WDFOBJECT *Object)
{
	struct wdf_driver *drv = owfp_wdf_driver_at(__builtin_return_address(0));
	struct wdf_obj *o;
	NTSTATUS st;

	if (!Object)
		return STATUS_INVALID_PARAMETER;
	*Object = NULL;
	o = owfp_wdf_obj_new(sizeof(*o), WDF_KIND_OBJECT, NULL, Attributes, drv ? &drv->obj : NULL,
			     drv, &st);
	if (o)
		*Object = o;
	return st;
}

void WdfObjectDelete(WDFOBJECT Object)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Object, 0, "WdfObjectDelete");

	if (!o)
		return;
	if (o->framework_owned) {
		owfp_wdf_report(
			o->driver, "WdfObjectDelete",
			"this object is the framework's to delete (KMDF would bug-check); ignored");
		return;
	}
	owfp_wdf_obj_delete(o);
}

void WdfObjectReferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCHAR File)
{
	struct wdf_obj *o = owfp_wdf_obj_get(Handle, 0, "WdfObjectReference");

	(void)Tag;
	(void)Line;
	(void)File;
	if (o)
		owfp_wdf_obj_ref(o);
}

void WdfObjectDereferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCHAR File)
{
	struct wdf_obj *o = Handle;

	(void)Tag;
	(void)Line;
	(void)File;
	/* A deleted object may be dereferenced: that is what frees it. */
	if (!o || o->magic != WDF_OBJ_MAGIC) {
		owfp_wdf_report(NULL, "WdfObjectDereference", "not a framework handle; ignored");
		return;
	}
	owfp_wdf_obj_unref(o);
}
