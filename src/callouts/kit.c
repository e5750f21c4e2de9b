/* The built-ins' "driver" plumbing: objects, registration, bytes, injection. */
#include "callouts/kit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <wchar.h>

/* A fresh key per instance and layer: a reloaded configuration creates the
 * new instance before the old one is gone, so keys derived from names alone
 * would collide (STATUS_FWP_ALREADY_EXISTS). RFC 9562 version 4. */
static int new_key(GUID *g)
{
	uint8_t r[16];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -EIO;
	r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
	r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
	g->Data1 = (UINT32)r[0] << 24 | (UINT32)r[1] << 16 | (UINT32)r[2] << 8 | r[3];
	g->Data2 = (UINT16)(r[4] << 8 | r[5]);
	g->Data3 = (UINT16)(r[6] << 8 | r[7]);
	memcpy(g->Data4, r + 8, 8);
	return 0;
}

static int fail(char *err, size_t errlen, const char *what, const char *inst, NTSTATUS st)
{
	snprintf(err, errlen, "callout '%s': %s failed (NTSTATUS 0x%08X)", inst, what, (unsigned)st);
	return -EIO;
}

int owfp_bi_init(owfp_bi *bi, const char *type, const char *instance, bool injects, char *err,
		 size_t errlen)
{
	memset(bi, 0, sizeof(*bi));
	bi->type = type;
	snprintf(bi->instance, sizeof(bi->instance), "%s", instance ? instance : type);
	bi->driver.Type = 4; /* IO_TYPE_DRIVER */
	bi->driver.Size = (SHORT)sizeof(bi->driver);
	NTSTATUS st = IoCreateDevice(&bi->driver, 0, NULL, FILE_DEVICE_NETWORK,
				     FILE_DEVICE_SECURE_OPEN, FALSE, &bi->device);
	if (!NT_SUCCESS(st))
		return fail(err, errlen, "IoCreateDevice", bi->instance, st);
	if (injects) {
		st = FwpsInjectionHandleCreate0(AF_UNSPEC, FWPS_INJECTION_TYPE_STREAM,
						&bi->injection);
		if (!NT_SUCCESS(st)) {
			IoDeleteDevice(bi->device);
			bi->device = NULL;
			return fail(err, errlen, "FwpsInjectionHandleCreate0", bi->instance, st);
		}
	}
	return 0;
}

static int registered(owfp_bi *bi, int v6, NTSTATUS st, void *owner, char *err, size_t errlen)
{
	if (!NT_SUCCESS(st))
		return fail(err, errlen, "FwpsCalloutRegister", bi->instance, st);
	bi->registered[v6] = true;
	if (owfp_bi_bind(bi->id[v6], owner)) {
		snprintf(err, errlen, "callout '%s': out of memory", bi->instance);
		return -ENOMEM;
	}
	return 0;
}

int owfp_bi_register0(owfp_bi *bi, const FWPS_CALLOUT0 *tmpl, void *owner, char *err, size_t errlen)
{
	for (int v6 = 0; v6 < 2; v6++) {
		FWPS_CALLOUT0 c = *tmpl;
		if (new_key(&bi->key[v6])) {
			snprintf(err, errlen, "callout '%s': no randomness for a callout key",
				 bi->instance);
			return -EIO;
		}
		c.calloutKey = bi->key[v6];
		NTSTATUS st = FwpsCalloutRegister0(bi->device, &c, &bi->id[v6]);
		int rc = registered(bi, v6, st, owner, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int owfp_bi_register3(owfp_bi *bi, const FWPS_CALLOUT3 *tmpl, void *owner, char *err, size_t errlen)
{
	for (int v6 = 0; v6 < 2; v6++) {
		FWPS_CALLOUT3 c = *tmpl;
		if (new_key(&bi->key[v6])) {
			snprintf(err, errlen, "callout '%s': no randomness for a callout key",
				 bi->instance);
			return -EIO;
		}
		c.calloutKey = bi->key[v6];
		NTSTATUS st = FwpsCalloutRegister3(bi->device, &c, &bi->id[v6]);
		int rc = registered(bi, v6, st, owner, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

const GUID *owfp_bi_key(const owfp_bi *bi, int family)
{
	return &bi->key[family == AF_INET6 ? 1 : 0];
}

bool owfp_bi_fini(owfp_bi *bi)
{
	bool clean;
	/* When flows still hold contexts the engine's drain hook calls the
	 * type's destroy, and so this, again after the last one (instances.c). */
	if (!owfp_bi_retire_begin(bi))
		return false;
	do {
		clean = true;
		for (int v6 = 0; v6 < 2; v6++) {
			if (!bi->registered[v6])
				continue;
			NTSTATUS st = FwpsCalloutUnregisterById0(bi->id[v6]);
			if (st == STATUS_DEVICE_BUSY) {
				/* Flows still hold our contexts: their flowDeleteFn
				 * will need our state, so it must outlive this call. */
				clean = false;
				continue;
			}
			owfp_bi_unbind(bi->id[v6]);
			bi->registered[v6] = false;
		}
	} while (!clean && owfp_bi_retire_again(bi));
	if (!clean)
		return false;
	if (bi->injection)
		FwpsInjectionHandleDestroy0(bi->injection);
	bi->injection = NULL;
	if (bi->device)
		IoDeleteDevice(bi->device);
	bi->device = NULL;
	return true;
}

static int create(void *instance, const owfp_bi_class *cls, const FWPS_CALLOUT0 *c0,
		  const FWPS_CALLOUT3 *c3, const char *name, void **out, char *err, size_t errlen)
{
	owfp_bi *bi = instance;
	int rc = owfp_bi_init(bi, cls->type, name, cls->injects, err, errlen);
	if (rc) {
		cls->free(instance);
		return rc;
	}
	bi->cls = cls;
	rc = c0 ? owfp_bi_register0(bi, c0, instance, err, errlen)
		: owfp_bi_register3(bi, c3, instance, err, errlen);
	if (!rc && cls->start)
		rc = cls->start(instance);
	if (rc) {
		owfp_bi_fini(bi);
		cls->free(instance);
		return rc;
	}
	*out = instance;
	return 0;
}

int owfp_bi_create0(void *instance, const owfp_bi_class *cls, const FWPS_CALLOUT0 *c,
		    const char *name, void **out, char *err, size_t errlen)
{
	return create(instance, cls, c, NULL, name, out, err, errlen);
}

int owfp_bi_create3(void *instance, const owfp_bi_class *cls, const FWPS_CALLOUT3 *c,
		    const char *name, void **out, char *err, size_t errlen)
{
	return create(instance, cls, NULL, c, name, out, err, errlen);
}

const void *owfp_bi_callout_key(void *instance, int family)
{
	return owfp_bi_key(instance, family);
}

void owfp_bi_destroy(void *instance)
{
	owfp_bi *bi = instance;
	if (!bi)
		return;
	if (bi->cls->stop)
		bi->cls->stop(instance);
	if (owfp_bi_fini(bi))
		bi->cls->free(instance);
}

NTSTATUS NTAPI owfp_bi_notify0(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *filterKey,
			       FWPS_FILTER0 *filter)
{
	(void)type;
	(void)filterKey;
	(void)filter;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI owfp_bi_notify3(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *filterKey,
			       FWPS_FILTER3 *filter)
{
	(void)type;
	(void)filterKey;
	(void)filter;
	return STATUS_SUCCESS;
}

void *owfp_bi_classify_begin(const FWPS_FILTER3 *filter, FWPS_STREAM_CALLOUT_IO_PACKET0 *io,
			     FWPS_CLASSIFY_OUT0 *classifyOut)
{
	void *owner = owfp_bi_owner(filter->action.calloutId);
	if (!owner || !io || !io->streamData) {
		classifyOut->actionType = FWP_ACTION_BLOCK;
		return NULL;
	}
	io->countBytesEnforced = 0;
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	return owner;
}

UINT32 owfp_bi_initiator_flag(const FWPS_INCOMING_VALUES0 *in)
{
	/* The DIRECTION field has the same index at STREAM_V4 and _V6 (S7). */
	if (in && in->valueCount > FWPS_FIELD_STREAM_V4_DIRECTION &&
	    in->incomingValue[FWPS_FIELD_STREAM_V4_DIRECTION].value.uint32 == FWP_DIRECTION_INBOUND)
		return FWPS_STREAM_FLAG_RECEIVE;
	return FWPS_STREAM_FLAG_SEND;
}

int owfp_bi_bytes_get_max(const FWPS_STREAM_DATA0 *sd, size_t max, owfp_bi_bytes *out)
{
	size_t len = sd->dataLength < max ? sd->dataLength : max;
	out->owned = NULL;
	out->len = len;
	out->p = NULL;
	if (len == 0) {
		out->p = (const uint8_t *)"";
		return 0;
	}
	const MDL *mdl = sd->dataOffset.mdl;
	if (mdl && mdl->ByteCount >= sd->dataOffset.mdlOffset &&
	    mdl->ByteCount - sd->dataOffset.mdlOffset >= len) {
		const uint8_t *base = MmGetSystemAddressForMdlSafe((MDL *)mdl, NormalPagePriority);
		if (base) {
			out->p = base + sd->dataOffset.mdlOffset;
			return 0;
		}
	}
	out->owned = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, len, OWFP_BI_TAG);
	if (!out->owned)
		return -ENOMEM;
	SIZE_T copied = 0;
	FwpsCopyStreamDataToBuffer0(sd, out->owned, len, &copied);
	out->p = out->owned;
	out->len = copied;
	return 0;
}

int owfp_bi_bytes_get(const FWPS_STREAM_DATA0 *sd, owfp_bi_bytes *out)
{
	return owfp_bi_bytes_get_max(sd, SIZE_MAX, out);
}

/* Starts at nb's data: its current MDL, or located from the chain head. */
static void pieces_load_nb(owfp_bi_pieces *r, NET_BUFFER *nb)
{
	r->nb = nb;
	r->mdl = NULL;
	r->off = 0;
	r->left = 0;
	if (!nb)
		return;
	r->left = NET_BUFFER_DATA_LENGTH(nb);
	r->mdl = NET_BUFFER_CURRENT_MDL(nb);
	r->off = NET_BUFFER_CURRENT_MDL_OFFSET(nb);
	if (!r->mdl) {
		r->mdl = NET_BUFFER_FIRST_MDL(nb);
		r->off = NET_BUFFER_DATA_OFFSET(nb);
	}
}

void owfp_bi_pieces_chain(owfp_bi_pieces *r, NET_BUFFER_LIST *chain)
{
	r->nbl = chain;
	r->total = SIZE_MAX;
	pieces_load_nb(r, chain ? NET_BUFFER_LIST_FIRST_NB(chain) : NULL);
}

void owfp_bi_pieces_stream(owfp_bi_pieces *r, const FWPS_STREAM_DATA0 *sd)
{
	const FWPS_STREAM_DATA_OFFSET0 *o = &sd->dataOffset;
	owfp_bi_pieces_chain(r, o->netBufferList ? o->netBufferList : sd->netBufferListChain);
	r->total = sd->dataLength;
	if (o->mdl && r->nbl) {
		if (o->netBuffer)
			r->nb = o->netBuffer;
		r->mdl = o->mdl;
		r->off = o->mdlOffset;
		size_t nb_len = r->nb ? NET_BUFFER_DATA_LENGTH(r->nb) : 0;
		r->left = nb_len > o->netBufferOffset ? nb_len - o->netBufferOffset : 0;
	}
}

size_t owfp_bi_pieces_next(owfp_bi_pieces *r, size_t max, const uint8_t **p)
{
	while (r->total && r->nbl) {
		if (!r->nb || r->left == 0 || !r->mdl) {
			/* this NET_BUFFER is done (or claims more than its MDLs hold) */
			if (r->nb && NET_BUFFER_NEXT_NB(r->nb)) {
				pieces_load_nb(r, NET_BUFFER_NEXT_NB(r->nb));
			} else {
				r->nbl = NET_BUFFER_LIST_NEXT_NBL(r->nbl);
				pieces_load_nb(r, r->nbl ? NET_BUFFER_LIST_FIRST_NB(r->nbl) : NULL);
			}
			continue;
		}
		size_t count = MmGetMdlByteCount(r->mdl);
		if (r->off >= count) {
			r->off -= count;
			r->mdl = NDIS_MDL_LINKAGE(r->mdl);
			continue;
		}
		size_t k = count - r->off;
		if (k > r->left)
			k = r->left;
		if (k > r->total)
			k = r->total;
		if (k > max)
			k = max;
		const uint8_t *base = MmGetSystemAddressForMdlSafe(r->mdl, NormalPagePriority);
		if (!base)
			return 0;
		*p = base + r->off;
		r->off += k;
		r->left -= k;
		r->total -= k;
		return k;
	}
	return 0;
}

size_t owfp_bi_pieces_copy(owfp_bi_pieces *r, uint8_t *buf, size_t want)
{
	size_t got = 0, k;
	const uint8_t *p;
	while (got < want && (k = owfp_bi_pieces_next(r, want - got, &p)) > 0) {
		memcpy(buf + got, p, k);
		got += k;
	}
	return got;
}

void owfp_bi_bytes_put(owfp_bi_bytes *b)
{
	if (b->owned)
		ExFreePoolWithTag(b->owned, OWFP_BI_TAG);
	b->owned = NULL;
	b->p = NULL;
}

void owfp_bi_inject_free(NET_BUFFER_LIST *nbl)
{
	NET_BUFFER *nb = NET_BUFFER_LIST_FIRST_NB(nbl);
	MDL *mdl = nb ? NET_BUFFER_FIRST_MDL(nb) : NULL;
	void *data = mdl ? MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority) : NULL;
	FwpsFreeNetBufferList0(nbl);
	if (mdl)
		IoFreeMdl(mdl);
	if (data)
		ExFreePoolWithTag(data, OWFP_BI_TAG);
}

static void NTAPI inject_complete(void *context, NET_BUFFER_LIST *nbl, BOOLEAN dispatchLevel)
{
	(void)context;
	(void)dispatchLevel;
	if (nbl)
		owfp_bi_inject_free(nbl);
}

NTSTATUS owfp_bi_inject_cb(const owfp_bi *bi, UINT64 flowId, UINT32 calloutId, UINT16 layerId,
			   UINT32 streamFlags, const void *data, size_t len,
			   FWPS_INJECT_COMPLETE0 completionFn, void *completionContext)
{
	if (len == 0)
		return FwpsStreamInjectAsync0(bi->injection, NULL, 0, flowId, calloutId, layerId,
					      streamFlags, NULL, 0, completionFn, completionContext);
	if (len > 0xffffffffu)
		return STATUS_INVALID_PARAMETER;
	void *buf = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, len, OWFP_BI_TAG);
	if (!buf)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(buf, data, len);
	MDL *mdl = IoAllocateMdl(buf, (ULONG)len, FALSE, FALSE, NULL);
	if (!mdl) {
		ExFreePoolWithTag(buf, OWFP_BI_TAG);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	MmBuildMdlForNonPagedPool(mdl);
	NET_BUFFER_LIST *nbl = NULL;
	NTSTATUS st = FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, mdl, 0, len, &nbl);
	if (NT_SUCCESS(st))
		st = FwpsStreamInjectAsync0(bi->injection, NULL, 0, flowId, calloutId, layerId,
					    streamFlags, nbl, len, completionFn, completionContext);
	if (!NT_SUCCESS(st)) {
		/* on failure no completion runs: the NBL is still ours (S61) */
		if (nbl)
			FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(mdl);
		ExFreePoolWithTag(buf, OWFP_BI_TAG);
	}
	return st;
}

NTSTATUS owfp_bi_inject(const owfp_bi *bi, UINT64 flowId, UINT32 calloutId, UINT16 layerId,
			UINT32 streamFlags, const void *data, size_t len)
{
	return owfp_bi_inject_cb(bi, flowId, calloutId, layerId, streamFlags, data, len,
				 inject_complete, NULL);
}

void owfp_bi_hex(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}
