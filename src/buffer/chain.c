/* Chains of slices: append, split, take a prefix, copy out, own. */
#include "buffer/chain.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

owfp_bnode *owfp_bnode_alloc(owfp_bnode_pool *p)
{
	owfp_bnode *n = p->free;
	if (n) {
		p->free = owfp_bnode_next(n);
		p->nfree--;
	} else {
		if (owfp_buffer_alloc_should_fail())
			return NULL;
		n = owfp_malloc(sizeof(*n));
		if (!n)
			return NULL;
	}
	p->live++;
	return n;
}

static void pool_track(owfp_bnode_pool *p, owfp_bnode *n)
{
	if (p->ntrack < OWFP_POOL_TRACK)
		p->track[p->ntrack++] = n;
	else
		p->track_overflow = true;
}

void owfp_bnode_free(owfp_bnode_pool *p, owfp_bnode *n)
{
	owfp_slab_unref(n->slab);
	n->slab = NULL;
	n->flags = 0;
	p->live--;
	/* A small cache is enough: steady-state flows recycle a handful of nodes.
	 * Nodes stay cached while the track may still point at them. */
	if (p->nfree >= 256 && p->ntrack == 0 && !p->track_overflow) {
		free(n);
		return;
	}
	n->mdl.Next = p->free ? &p->free->mdl : NULL;
	p->free = n;
	p->nfree++;
}

void owfp_bnode_pool_destroy(owfp_bnode_pool *p)
{
	owfp_bnode *n = p->free;
	while (n) {
		owfp_bnode *next = owfp_bnode_next(n);
		free(n);
		n = next;
	}
	p->free = NULL;
	p->nfree = 0;
}

static void bnode_set(owfp_bnode *n, owfp_slab *slab, const uint8_t *data, size_t len)
{
	MmInitializeMdl(&n->mdl, (PVOID)data, len);
	n->mdl.OwfpBacking = slab;
	n->slab = slab;
	n->skip = 0;
}

owfp_bnode *owfp_bnode_make(owfp_bnode_pool *p, owfp_slab *slab, const uint8_t *data, size_t len,
			    uint64_t label, uint32_t flags)
{
	owfp_bnode *n = owfp_bnode_alloc(p);
	if (!n) {
		owfp_slab_unref(slab);
		return NULL;
	}
	bnode_set(n, slab, data, len);
	n->label = label;
	n->flags = flags & ~OWFP_BN_BORROWED;
	if (!slab && !(flags & (OWFP_BN_HOLE | OWFP_BN_EMPTY)) && len) {
		n->flags |= OWFP_BN_BORROWED;
		pool_track(p, n);
	}
	return n;
}

/*
 * Only the first MDL of a chain may start at an offset (the NET_BUFFER data
 * offset covers it); a trimmed node that goes behind another one gets an
 * MDL of exactly its live bytes.
 */
static void bnode_normalize(owfp_bnode *n)
{
	if (!n->skip)
		return;
	n->mdl.MappedSystemVa = (PUCHAR)n->mdl.MappedSystemVa + n->skip;
	n->mdl.StartVa = n->mdl.MappedSystemVa;
	n->mdl.ByteOffset = 0;
	n->mdl.ByteCount -= n->skip;
	n->skip = 0;
}

void owfp_chain_push(owfp_chain *c, owfp_bnode *n)
{
	n->mdl.Next = NULL;
	if (c->tail)
		bnode_normalize(n);
	if (c->tail)
		c->tail->mdl.Next = &n->mdl;
	else
		c->head = n;
	c->tail = n;
	c->len += owfp_bnode_len(n);
	c->nodes++;
}

owfp_bnode *owfp_chain_pop(owfp_chain *c)
{
	owfp_bnode *n = c->head;
	if (!n)
		return NULL;
	c->head = owfp_bnode_next(n);
	if (!c->head)
		c->tail = NULL;
	n->mdl.Next = NULL;
	c->len -= owfp_bnode_len(n);
	c->nodes--;
	return n;
}

void owfp_chain_concat(owfp_chain *dst, owfp_chain *src)
{
	if (!src->head)
		return;
	if (dst->tail)
		bnode_normalize(src->head);
	if (dst->tail)
		dst->tail->mdl.Next = &src->head->mdl;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->len += src->len;
	dst->nodes += src->nodes;
	owfp_chain_init(src);
}

int owfp_chain_split(owfp_chain *c, owfp_bnode *n, size_t at, owfp_bnode_pool *p)
{
	size_t len = owfp_bnode_len(n);
	if (at == 0 || at >= len)
		return 0;
	owfp_bnode *rest = owfp_bnode_alloc(p);
	if (!rest)
		return -ENOMEM;
	/* The head keeps the start of the MDL (ending at the split); the rest
	 * keeps the whole slice and a larger skip, which is honoured as long as
	 * it is at the front of a chain and normalized when it goes behind. */
	*rest = *n;
	rest->mdl.Next = NULL;
	if (n->slab)
		owfp_slab_ref(n->slab);
	rest->skip = n->skip + (uint32_t)at;
	rest->label = n->label + at;
	if (rest->flags & OWFP_BN_BORROWED)
		pool_track(p, rest);
	n->mdl.ByteCount = n->skip + (ULONG)at;
	rest->mdl.Next = n->mdl.Next;
	n->mdl.Next = &rest->mdl;
	if (c->tail == n)
		c->tail = rest;
	c->nodes++;
	return 0;
}

int owfp_chain_take(owfp_chain *c, size_t n, owfp_chain *out, owfp_bnode_pool *p)
{
	size_t seen = 0;
	for (owfp_bnode *x = c->head; x && seen < n; x = owfp_bnode_next(x)) {
		size_t len = owfp_bnode_len(x);
		if (seen + len > n) {
			if (owfp_chain_split(c, x, n - seen, p))
				return -ENOMEM;
			break;
		}
		seen += len;
	}
	size_t moved = 0;
	while (c->head && moved < n) {
		moved += owfp_bnode_len(c->head);
		owfp_chain_push(out, owfp_chain_pop(c));
	}
	return 0;
}

void owfp_chain_clear(owfp_chain *c, owfp_bnode_pool *p)
{
	owfp_bnode *n;
	while ((n = owfp_chain_pop(c)))
		owfp_bnode_free(p, n);
}

size_t owfp_chain_copy_out(const owfp_chain *c, size_t off, void *buf, size_t n)
{
	uint8_t *dst = buf;
	size_t done = 0;
	for (const owfp_bnode *x = c->head; x && done < n; x = owfp_bnode_next(x)) {
		size_t len = owfp_bnode_len(x);
		if (off >= len) {
			off -= len;
			continue;
		}
		size_t k = len - off;
		if (k > n - done)
			k = n - done;
		memcpy(dst + done, owfp_bnode_data(x) + off, k);
		done += k;
		off = 0;
	}
	return done;
}

int owfp_bnode_own(owfp_bnode *n, owfp_slab_writer *w)
{
	if (!(n->flags & OWFP_BN_BORROWED))
		return 0;
	/* The whole MDL range is copied and the skip kept, so an MDL a callout
	 * is looking at keeps its geometry (only its address changes). */
	size_t len = n->mdl.ByteCount;
	uint8_t *where = NULL;
	owfp_slab *s = owfp_slab_writer_copy(w, n->mdl.MappedSystemVa, len, &where);
	if (!s)
		return -ENOMEM;
	uint32_t skip = n->skip;
	MDL *next = n->mdl.Next;
	bnode_set(n, s, where, len);
	n->mdl.Next = next;
	n->skip = skip;
	n->flags &= ~OWFP_BN_BORROWED;
	return 0;
}

int owfp_bnode_pool_own_tracked(owfp_bnode_pool *p, owfp_slab_writer *w)
{
	int rc = p->track_overflow ? 1 : 0;
	for (size_t i = 0; i < p->ntrack; i++) {
		owfp_bnode *n = p->track[i];
		if (!(n->flags & OWFP_BN_BORROWED))
			continue;
		/* No callout is looking now: copy only the live bytes. */
		bnode_normalize(n);
		if (owfp_bnode_own(n, w))
			rc = -ENOMEM;
	}
	p->ntrack = 0;
	p->track_overflow = false;
	return rc;
}

long owfp_chain_own(owfp_chain *c, owfp_slab_writer *w)
{
	long copied = 0;
	for (owfp_bnode *x = c->head; x; x = owfp_bnode_next(x)) {
		if (!(x->flags & OWFP_BN_BORROWED))
			continue;
		if (owfp_bnode_own(x, w))
			return -ENOMEM;
		copied += (long)x->mdl.ByteCount;
	}
	return copied;
}
