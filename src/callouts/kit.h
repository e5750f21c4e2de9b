/*
 * The built-in callouts' kit: what every built-in does the same way, written
 * only with the public WFP-style API (fwpsk.h, fwpmk.h, ndis.h, wdm.h), the
 * way a driver would.
 *
 * A built-in instance is a small "driver": its own DRIVER_OBJECT and
 * DEVICE_OBJECT (IoCreateDevice), one callout registered for STREAM_V4 and
 * one for STREAM_V6 (FwpsCalloutRegister0 or 3) and, if it injects, a
 * stream injection handle. The management side (FwpmCalloutAdd0, filters
 * naming the keys) is the configuration's job, as it would be a user-mode
 * service's on Windows.
 *
 * classifyFn receives no pointer to "its" instance. Windows drivers keep
 * their state in globals; built-ins can have many instances of one type, so
 * each registered calloutId is bound to its instance in a small table
 * (instances.c) that classifyFn consults.
 */
#ifndef OWFP_CALLOUTS_KIT_H
#define OWFP_CALLOUTS_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/fwpsk.h"
#include "openwfp/fwpmk.h"
#include "openwfp/openwfp.h"

#define OWFP_BI_TAG 'ibwO' /* pool tag of the built-ins: "Owbi" */

struct owfp_bi_class;

typedef struct owfp_bi {
	const struct owfp_bi_class *cls;
	const char *type;
	char instance[96];
	DRIVER_OBJECT driver;
	DEVICE_OBJECT *device;
	HANDLE injection; /* stream injection handle, or NULL */
	GUID key[2];      /* [0] STREAM_V4, [1] STREAM_V6 */
	UINT32 id[2];
	bool registered[2];
} owfp_bi;

/*
 * What a built-in type tells the kit once, so that its create ends in
 * owfp_bi_create and its owfp_builtin names owfp_bi_callout_key and
 * owfp_bi_destroy. The instance struct must begin with its owfp_bi
 * (OWFP_BI_FIRST checks that), so the instance pointer is the kit's.
 */
typedef struct owfp_bi_class {
	const char *type; /* the configuration's `type` */
	bool injects;     /* needs a stream injection handle */
	/* Optional: starts what runs beside the callouts (a thread), after
	 * registration; 0, or -errno with nothing left running. stop undoes
	 * it, first thing in owfp_bi_destroy. */
	int (*start)(void *instance);
	void (*stop)(void *instance);
	void (*free)(void *instance); /* the type's own state and the instance */
} owfp_bi_class;

#define OWFP_BI_FIRST(type) \
	_Static_assert(offsetof(type, bi) == 0, #type " must begin with its owfp_bi")

/* The tail every create shares: objects, registration of `c` (FWPS_CALLOUT0
 * or 3; its calloutKey is filled in) for both layers bound to `instance`,
 * then cls->start. On success *out = instance; on failure everything is
 * undone, instance is freed with cls->free and the error returned. */
int owfp_bi_create0(void *instance, const owfp_bi_class *cls, const FWPS_CALLOUT0 *c,
		    const char *name, void **out, char *err, size_t errlen);
int owfp_bi_create3(void *instance, const owfp_bi_class *cls, const FWPS_CALLOUT3 *c,
		    const char *name, void **out, char *err, size_t errlen);
/* owfp_builtin.callout_key and .destroy for any instance made by
 * owfp_bi_create*. destroy stops, unregisters and frees; while flows still
 * hold contexts of its callouts (owfp_bi_fini false) it leaves the state
 * to them rather than free what their flowDeleteFn will read. */
const void *owfp_bi_callout_key(void *instance, int family);
void owfp_bi_destroy(void *instance);

/* Creates the driver/device objects (and an injection handle if asked). */
int owfp_bi_init(owfp_bi *bi, const char *type, const char *instance, bool injects, char *err,
		 size_t errlen);
/* Registers `tmpl` (its calloutKey is filled in) for both layers and binds
 * both callout ids to `owner`. */
int owfp_bi_register0(owfp_bi *bi, const FWPS_CALLOUT0 *tmpl, void *owner, char *err, size_t errlen);
int owfp_bi_register3(owfp_bi *bi, const FWPS_CALLOUT3 *tmpl, void *owner, char *err, size_t errlen);
const GUID *owfp_bi_key(const owfp_bi *bi, int family);
/* Unregisters, deletes the objects. Returns false when flows still hold
 * contexts of these callouts (the caller must then not free its state). */
bool owfp_bi_fini(owfp_bi *bi);

/* ------------------------------------------------------ calloutId -> owner */
int owfp_bi_bind(UINT32 calloutId, void *owner);
void owfp_bi_unbind(UINT32 calloutId);
void *owfp_bi_owner(UINT32 calloutId);
/* owfp_bi_fini's side of retiring (instances.c). Begin claims the
 * instance's unregister and marks it so that the engine's drain hook runs
 * its type's destroy again when the last flow context goes; false when
 * another thread holds the claim (it will try again; leave the instance
 * alone). Again, after an attempt that left contexts: true when a drain
 * came meanwhile (try once more), else it releases the claim. */
bool owfp_bi_retire_begin(const owfp_bi *bi);
bool owfp_bi_retire_again(const owfp_bi *bi);

/* notifyFn for callouts that accept every filter. */
NTSTATUS NTAPI owfp_bi_notify0(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *filterKey,
			       FWPS_FILTER0 *filter);
NTSTATUS NTAPI owfp_bi_notify3(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *filterKey,
			       FWPS_FILTER3 *filter);

/* ------------------------------------------------------------ stream data */

/* The start every deciding stream classifyFn shares: the instance bound to
 * the filter's callout, with io's stream action reset to NONE
 * (countBytesEnforced 0). When either is missing (io or its streamData
 * NULL) the answer is BLOCK (not ours to pass: fail closed) and the result
 * NULL. */
void *owfp_bi_classify_begin(const FWPS_FILTER3 *filter, FWPS_STREAM_CALLOUT_IO_PACKET0 *io,
			     FWPS_CLASSIFY_OUT0 *classifyOut);

/* OWFP_DIR_INBOUND for RECEIVE data, OWFP_DIR_OUTBOUND for SEND data. */
static inline int owfp_bi_dir(UINT32 streamFlags)
{
	return (streamFlags & FWPS_STREAM_FLAG_SEND) ? OWFP_DIR_OUTBOUND : OWFP_DIR_INBOUND;
}

/* The direction flag alone, as injection and continue want it. */
static inline UINT32 owfp_bi_dir_flag(UINT32 streamFlags)
{
	return streamFlags & (FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_RECEIVE);
}

static inline bool owfp_bi_is_end(UINT32 streamFlags)
{
	return (streamFlags & (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT |
			       FWPS_STREAM_FLAG_RECEIVE_ABORT | FWPS_STREAM_FLAG_SEND_ABORT)) != 0;
}

static inline bool owfp_bi_is_abort(UINT32 streamFlags)
{
	return (streamFlags & (FWPS_STREAM_FLAG_RECEIVE_ABORT | FWPS_STREAM_FLAG_SEND_ABORT)) != 0;
}

static inline bool owfp_bi_is_expedited(UINT32 streamFlags)
{
	return (streamFlags &
		(FWPS_STREAM_FLAG_RECEIVE_EXPEDITED | FWPS_STREAM_FLAG_SEND_EXPEDITED)) != 0;
}

/* The direction of the data sent by the side that opened the connection. */
UINT32 owfp_bi_initiator_flag(const FWPS_INCOMING_VALUES0 *inFixedValues);

/* A flat view of an indication's bytes. */
typedef struct owfp_bi_bytes {
	const uint8_t *p;
	size_t len;
	uint8_t *owned; /* non-NULL when the bytes had to be copied */
} owfp_bi_bytes;

/* Points straight into the engine's buffer when the bytes sit in one MDL,
 * else copies them (FwpsCopyStreamDataToBuffer0). -ENOMEM on failure. */
int owfp_bi_bytes_get(const FWPS_STREAM_DATA0 *sd, owfp_bi_bytes *out);
/* The same for the first `max` bytes at most: a callout that can decide on a
 * prefix never copies more than that, however large the indication. */
int owfp_bi_bytes_get_max(const FWPS_STREAM_DATA0 *sd, size_t max, owfp_bi_bytes *out);
void owfp_bi_bytes_put(owfp_bi_bytes *b);

/* Walks the bytes of an indication or of an NBL chain piece by piece, in
 * place (NET_BUFFER / MDL chains), so nothing needs a flat copy of it all. */
typedef struct owfp_bi_pieces {
	NET_BUFFER_LIST *nbl;
	NET_BUFFER *nb;
	MDL *mdl;
	size_t off;   /* into mdl */
	size_t left;  /* bytes of nb still to come */
	size_t total; /* bytes still to come in all */
} owfp_bi_pieces;

void owfp_bi_pieces_stream(owfp_bi_pieces *r, const FWPS_STREAM_DATA0 *sd);
void owfp_bi_pieces_chain(owfp_bi_pieces *r, NET_BUFFER_LIST *chain);
/* The next piece, at most max bytes, at *p; 0 at the end. */
size_t owfp_bi_pieces_next(owfp_bi_pieces *r, size_t max, const uint8_t **p);
/* Copies up to `want` of the next bytes into buf; returns how many. */
size_t owfp_bi_pieces_copy(owfp_bi_pieces *r, uint8_t *buf, size_t want);

/*
 * Injects a copy of `data` into the flow (FwpsStreamInjectAsync0 with a
 * freshly allocated NBL; the completion frees it). len 0 with a DISCONNECT
 * flag injects a FIN. Returns the NTSTATUS of the injection.
 */
NTSTATUS owfp_bi_inject(const owfp_bi *bi, UINT64 flowId, UINT32 calloutId, UINT16 layerId,
			UINT32 streamFlags, const void *data, size_t len);

/* The same with the caller's completion, which must hand each NBL to
 * owfp_bi_inject_free. A FIN injection (len 0) has no NBL and gets no
 * completion at all (S60). */
NTSTATUS owfp_bi_inject_cb(const owfp_bi *bi, UINT64 flowId, UINT32 calloutId, UINT16 layerId,
			   UINT32 streamFlags, const void *data, size_t len,
			   FWPS_INJECT_COMPLETE0 completionFn, void *completionContext);
void owfp_bi_inject_free(NET_BUFFER_LIST *nbl);

/* Lower-case hex of up to `max` bytes into out (2*max+1 bytes). */
void owfp_bi_hex(const uint8_t *p, size_t len, char *out);

#endif
