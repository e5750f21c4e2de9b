/*
 * The KMDF runtime's own structures, shared by the files of src/wdf/.
 *
 * Every handle points at a struct whose first member is a wdf_obj. The
 * object tree (parent, children) is guarded by one lock (object.c); no
 * driver callback runs under it.
 */
#ifndef OWFP_WDF_INT_H
#define OWFP_WDF_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "openwfp/ndis.h"
#include "openwfp/wdf.h"
#include "wdm/regparams.h"

enum wdf_kind {
	WDF_KIND_OBJECT = 1,
	WDF_KIND_DRIVER,
	WDF_KIND_DEVICE,
	WDF_KIND_QUEUE,
	WDF_KIND_REQUEST,
	WDF_KIND_MEMORY,
	WDF_KIND_KEY,
	WDF_KIND_SPINLOCK,
	WDF_KIND_WAITLOCK,
};

/* An object's life: deletion runs cleanup once; memory goes with the last reference. */
enum wdf_state { WDF_ALIVE, WDF_DELETING, WDF_DELETED };

struct wdf_obj;

struct wdf_ops {
	/* At deletion, after the cleanup callbacks: release what the object holds. */
	void (*teardown)(struct wdf_obj *o);
	/* At the last reference, after the destroy callbacks: kind-specific frees. */
	void (*release)(struct wdf_obj *o);
};

/* One context, right before its data (aligned for any type). */
struct wdf_ctx {
	struct wdf_ctx *next;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO type; /* the UniqueType */
	PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup;
	PFN_WDF_OBJECT_CONTEXT_DESTROY destroy;
	struct wdf_obj *owner;
} __attribute__((aligned(16)));

struct wdf_obj {
	uint32_t magic;
	enum wdf_kind kind;
	enum wdf_state state;
	LONG refs;              /* existence + WdfObjectReference + children */
	struct wdf_obj *parent; /* holds a reference on it */
	LIST_ENTRY children;
	LIST_ENTRY sibling;
	struct wdf_ctx *ctxs;                   /* contexts, oldest first */
	PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup; /* from the creation attributes */
	PFN_WDF_OBJECT_CONTEXT_DESTROY destroy;
	bool framework_owned;      /* the driver may not WdfObjectDelete it */
	struct wdf_driver *driver; /* whose code the callbacks are (containment) */
	const struct wdf_ops *ops;
};

#define WDF_OBJ_MAGIC 0x4f57444bu /* "KDWO" */

struct wdf_driver {
	struct wdf_obj obj;
	PDRIVER_OBJECT wdm;
	WDF_DRIVER_CONFIG config;
	WCHAR *registry_path; /* NUL-terminated copy */
	LIST_ENTRY link;      /* all drivers (driver.c) */
};

struct WDFDEVICE_INIT {
	struct wdf_driver *driver;
	DEVICE_TYPE type;
	ULONG characteristics;
	BOOLEAN exclusive;
	WDF_DEVICE_IO_TYPE io_type;
	GUID device_class;
	bool has_class;
	UNICODE_STRING name; /* owned copy, or empty */
	bool has_sddl;
};

struct wdf_queue;

struct wdf_device {
	struct wdf_obj obj;
	PDEVICE_OBJECT wdm;
	struct wdf_queue *default_queue;
	UNICODE_STRING link; /* owned copy of the symbolic link, or empty */
	WDF_DEVICE_IO_TYPE io_type;
	LIST_ENTRY all; /* all devices (device.c) */
};

struct wdf_memory {
	struct wdf_obj obj;
	void *buffer;
	size_t length;
	ULONG pool_tag;              /* pool-allocated by WdfMemoryCreate, or 0 */
	struct wdf_request *request; /* a request's buffer: lives and dies with it */
};

enum wdf_request_state {
	REQ_QUEUED,    /* in a queue's list, cancelable by the I/O manager */
	REQ_PRESENTED, /* with the driver */
	REQ_COMPLETED,
};

struct wdf_request {
	struct wdf_obj obj;
	PIRP irp;                     /* NULL once completed */
	struct wdf_queue *queue;      /* the queue it is in or came from (referenced) */
	enum wdf_request_state state; /* under the queue's lock */
	ULONG_PTR information;
	NTSTATUS status;
	bool counted;                  /* counts in its queue's `presented` */
	PFN_WDF_REQUEST_CANCEL cancel; /* WdfRequestMarkCancelable */
	struct wdf_memory in_mem, out_mem;
	LIST_ENTRY entry; /* in the queue's pending list */
};

struct wdf_queue {
	struct wdf_obj obj;
	struct wdf_device *device;
	WDF_IO_QUEUE_CONFIG config;
	pthread_mutex_t mu;
	LIST_ENTRY pending; /* REQ_QUEUED requests, oldest first */
	ULONG presented;    /* REQ_PRESENTED requests from this queue */
	bool dispatching;   /* a thread runs the presentation loop */
	bool deleting;
};

struct wdf_key {
	struct wdf_obj obj;
	const owfp_regparams *params;
	ACCESS_MASK access;
};

struct wdf_lock {
	struct wdf_obj obj;
	pthread_mutex_t mu;
};

/* ---- object.c */

/*
 * Allocates a zeroed object of `size` bytes (first member a wdf_obj) with
 * the contexts and callbacks attributes ask for, its parent (attributes,
 * else default_parent) and its driver. NULL with *status set on failure.
 */
struct wdf_obj *owfp_wdf_obj_new(size_t size, enum wdf_kind kind, const struct wdf_ops *ops,
				 PWDF_OBJECT_ATTRIBUTES attributes, struct wdf_obj *default_parent,
				 struct wdf_driver *driver, NTSTATUS *status);
/* The object behind a handle if it is of that kind (0: any kind) and not deleted; else NULL, reported. */
struct wdf_obj *owfp_wdf_obj_get(WDFOBJECT handle, enum wdf_kind kind, const char *caller);
/* Undoes a creation that failed later on: no driver callback runs. */
void owfp_wdf_obj_discard(struct wdf_obj *o);
/* Deletes (cleanup children first, teardown, unlink) and drops the existence reference. */
void owfp_wdf_obj_delete(struct wdf_obj *o);
void owfp_wdf_obj_ref(struct wdf_obj *o);
void owfp_wdf_obj_unref(struct wdf_obj *o);

/* Reports a driver's misuse of the framework once per call site kind: one line on stderr. */
void owfp_wdf_report(struct wdf_driver *driver, const char *caller, const char *what);

/* Runs driver code (a callback) contained; false when it failed. */
bool owfp_wdf_call(struct wdf_driver *driver, void (*fn)(void *arg), void *arg);

/* ---- driver.c */

struct wdf_driver *owfp_wdf_driver_of(PDRIVER_OBJECT wdm);
/* The driver whose image holds code address `addr`, or the only one; NULL if unknown. */
struct wdf_driver *owfp_wdf_driver_at(const void *addr);

/* ---- device.c */

/* The WDFDEVICE over a DEVICE_OBJECT, referenced (owfp_wdf_obj_unref), or NULL. */
struct wdf_device *owfp_wdf_device_of(PDEVICE_OBJECT wdm);

/* ---- dispatch.c */

DRIVER_DISPATCH owfp_wdf_dispatch;

/* ---- queue.c */

/* Hands a new request (from dispatch) to the queue. */
void owfp_wdf_queue_submit(struct wdf_queue *q, struct wdf_request *req);
/* A presented request left the driver (completed or forwarded). */
void owfp_wdf_queue_done(struct wdf_queue *q);

/* ---- request.c */

/* A request for the IRP, referencing the queue; NULL when out of memory. */
struct wdf_request *owfp_wdf_request_new(struct wdf_queue *q, PIRP irp);
/* Presents the request to its queue's callback for its type (contained). */
void owfp_wdf_request_present(struct wdf_request *req);
/* Completes from the framework (not a driver call). */
void owfp_wdf_request_finish(struct wdf_request *req, NTSTATUS status, ULONG_PTR information);

#endif /* OWFP_WDF_INT_H */
