/*
 * FwpsCloneStreamData0 and friends (S66). A clone references the slabs
 * behind the indicated bytes: nothing is copied unless the bytes still sit
 * in the data path's memory (borrowed), in which case they are given a
 * slab once and the indication keeps pointing at that copy.
 */
#include "buffer/clone.h"

#include <stdlib.h>
#include <string.h>

#include "buffer/nb_cursor.h"
#include "buffer/nbl_view.h"
#include "util/alloc.h"

void owfp_stream_data_cursor(const FWPS_STREAM_DATA0 *sd, owfp_nb_cursor *c);

typedef struct owfp_clone {
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	size_t nmdl;
	MDL mdls[];
} owfp_clone;

/*
 * Gives every borrowed node under the indication slab memory. The small
 * pieces share one slab sized to fit them: a clone of a few bytes that a
 * callout keeps for a while then holds those bytes, not a 64 KiB slab.
 */
static int own_view_nodes(FWPS_STREAM_DATA0 *sd)
{
	owfp_slab_writer w = {0};
	size_t small = 0, left = sd->dataLength + sd->dataOffset.mdlOffset;
	for (MDL *m = sd->dataOffset.mdl; m && left; m = m->Next) {
		owfp_bnode *n = owfp_bnode_of(m);
		if ((n->flags & OWFP_BN_BORROWED) && m->ByteCount <= OWFP_SLAB_PACK_MAX)
			small += m->ByteCount;
		left = left > m->ByteCount ? left - m->ByteCount : 0;
	}
	if (small && owfp_slab_writer_reserve(&w, small))
		return -1;
	left = sd->dataLength + sd->dataOffset.mdlOffset;
	for (MDL *m = sd->dataOffset.mdl; m && left; m = m->Next) {
		owfp_bnode *n = owfp_bnode_of(m);
		if (owfp_bnode_own(n, &w)) {
			owfp_slab_writer_release(&w);
			return -1;
		}
		left = left > m->ByteCount ? left - m->ByteCount : 0;
	}
	owfp_slab_writer_release(&w);
	return 0;
}

static owfp_clone *clone_alloc(size_t nmdl)
{
	if (owfp_buffer_alloc_should_fail())
		return NULL;
	owfp_clone *c = owfp_calloc(1, sizeof(*c) + nmdl * sizeof(MDL));
	if (!c)
		return NULL;
	c->nmdl = nmdl;
	c->nbl.FirstNetBuffer = &c->nb;
	c->nbl.OwfpFlags = OWFP_NBL_CLONE;
	c->nbl.OwfpBacking = c;
	return c;
}

static void clone_link(owfp_clone *c, size_t len)
{
	for (size_t i = 0; i + 1 < c->nmdl; i++)
		c->mdls[i].Next = &c->mdls[i + 1];
	c->nb.MdlChain = c->nmdl ? &c->mdls[0] : NULL;
	c->nb.CurrentMdl = c->nb.MdlChain;
	c->nb.DataLength = (ULONG)len;
}

static void set_mdl(MDL *m, const uint8_t *p, size_t len, owfp_slab *backing)
{
	MmInitializeMdl(m, (PVOID)p, len);
	m->OwfpBacking = backing;
}

/* A clone of an openwfp view: one MDL per piece, each referencing its slab. */
static owfp_clone *clone_view(FWPS_STREAM_DATA0 *sd)
{
	if (own_view_nodes(sd))
		return NULL;
	owfp_nb_cursor cur;
	const uint8_t *p;
	MDL *m;
	size_t pieces = 0;
	owfp_stream_data_cursor(sd, &cur);
	for (size_t left = sd->dataLength, k; left && (k = owfp_nb_cursor_next(&cur, left, &p, &m));
	     left -= k)
		pieces++;
	owfp_clone *c = clone_alloc(pieces);
	if (!c)
		return NULL;
	owfp_stream_data_cursor(sd, &cur);
	size_t i = 0;
	for (size_t left = sd->dataLength, k; left && (k = owfp_nb_cursor_next(&cur, left, &p, &m));
	     left -= k) {
		owfp_slab *s = owfp_bnode_of(m)->slab;
		owfp_slab_ref(s);
		set_mdl(&c->mdls[i++], p, k, s);
	}
	clone_link(c, sd->dataLength);
	return c;
}

/* Anything else is copied into one slab. */
static owfp_clone *clone_copy(FWPS_STREAM_DATA0 *sd)
{
	owfp_clone *c = clone_alloc(sd->dataLength ? 1 : 0);
	if (!c)
		return NULL;
	if (sd->dataLength) {
		owfp_slab *s = owfp_slab_alloc(sd->dataLength);
		if (!s) {
			free(c);
			return NULL;
		}
		SIZE_T got = 0;
		FwpsCopyStreamDataToBuffer0(sd, s->data, sd->dataLength, &got);
		s->used = got;
		set_mdl(&c->mdls[0], s->data, got, s);
		clone_link(c, got);
	} else {
		clone_link(c, 0);
	}
	return c;
}

NTSTATUS NTAPI FwpsCloneStreamData0(FWPS_STREAM_DATA0 *calloutStreamData,
				    NDIS_HANDLE netBufferListPoolHandle,
				    NDIS_HANDLE netBufferPoolHandle, ULONG allocateCloneFlags,
				    NET_BUFFER_LIST **netBufferListChain)
{
	(void)netBufferPoolHandle;
	if (!calloutStreamData || !netBufferListChain || allocateCloneFlags != 0)
		return STATUS_INVALID_PARAMETER;
	NET_BUFFER_LIST *src = calloutStreamData->dataOffset.netBufferList;
	owfp_clone *c;
	if (src && src->OwfpFlags == OWFP_NBL_VIEW && calloutStreamData->dataOffset.mdl)
		c = clone_view(calloutStreamData);
	else
		c = clone_copy(calloutStreamData);
	if (!c)
		return STATUS_INSUFFICIENT_RESOURCES;
	c->nbl.NdisPoolHandle = netBufferListPoolHandle;
	*netBufferListChain = &c->nbl;
	return STATUS_SUCCESS;
}

bool owfp_nbl_is_clone(const NET_BUFFER_LIST *nbl)
{
	return nbl && nbl->OwfpFlags == OWFP_NBL_CLONE && nbl->OwfpBacking;
}

void NTAPI FwpsFreeCloneNetBufferList0(NET_BUFFER_LIST *netBufferList, ULONG freeCloneFlags)
{
	(void)freeCloneFlags;
	if (!owfp_nbl_is_clone(netBufferList))
		return;
	owfp_clone *c = netBufferList->OwfpBacking;
	for (size_t i = 0; i < c->nmdl; i++)
		owfp_slab_unref(c->mdls[i].OwfpBacking);
	free(c);
}

void NTAPI FwpsDiscardClonedStreamData0(NET_BUFFER_LIST *netBufferListChain,
					UINT32 allocateCloneFlags, BOOLEAN dispatchLevel)
{
	(void)allocateCloneFlags;
	(void)dispatchLevel;
	while (netBufferListChain) {
		NET_BUFFER_LIST *next = netBufferListChain->Next;
		FwpsFreeCloneNetBufferList0(netBufferListChain, 0);
		netBufferListChain = next;
	}
}
