/*
 * Zero-copy chains of byte slices.
 *
 * A node is one slice: bytes in a slab (owned) or in the caller's memory
 * (borrowed, valid only during the current owfp_flow_* call; the flow owns
 * them before it returns). Each node embeds the MDL that describes it and
 * the nodes of a chain are linked through MDL.Next, so the MDL chain a
 * callout walks is the chain itself: presenting held bytes again costs
 * nothing, however many pieces they arrived in.
 *
 * Nodes are only ever trimmed at the front (`skip`); the MDL keeps
 * describing the whole slice and the trim shows up as the NET_BUFFER data
 * offset, which callouts must honour (S13).
 *
 * Every node carries a label: the stream offset of its first live byte in
 * the numbering of the sublayer it is in. Labels let bytes that took
 * different paths through a sublayer leave it in stream order (S38).
 */
#ifndef OWFP_BUFFER_CHAIN_H
#define OWFP_BUFFER_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/ndis.h"
#include "buffer/slab.h"

#define OWFP_BN_URGENT 0x1u    /* TCP urgent data (S20) */
#define OWFP_BN_PUSH 0x2u      /* a contributing segment had PSH (Q18) */
#define OWFP_BN_EMPTY 0x4u     /* a zero-length indication marker (S19) */
#define OWFP_BN_HOLE 0x8u      /* bytes decided away (BLOCK): only the label range remains */
#define OWFP_BN_BORROWED 0x10u /* bytes in the data path's memory (tracked by the pool) */

typedef struct owfp_bnode {
	MDL mdl;         /* must stay first: MDL* and node* convert */
	owfp_slab *slab; /* NULL: borrowed (or a hole) */
	uint64_t label;
	uint32_t skip; /* bytes of the MDL already consumed */
	uint32_t flags;
} owfp_bnode;

static inline owfp_bnode *owfp_bnode_of(MDL *m)
{
	return (owfp_bnode *)m;
}

static inline owfp_bnode *owfp_bnode_next(const owfp_bnode *n)
{
	return (owfp_bnode *)n->mdl.Next;
}

static inline size_t owfp_bnode_len(const owfp_bnode *n)
{
	return (size_t)n->mdl.ByteCount - n->skip;
}

static inline const uint8_t *owfp_bnode_data(const owfp_bnode *n)
{
	return (const uint8_t *)n->mdl.MappedSystemVa + n->skip;
}

/*
 * A freelist of nodes (one per flow: nodes are allocated on the flow's
 * thread). It also remembers the borrowed nodes made during the current
 * call so that the flow can own the ones still alive before it returns
 * without walking everything it holds (which would make holding data
 * quadratic).
 */
#define OWFP_POOL_TRACK 64
typedef struct owfp_bnode_pool {
	owfp_bnode *free;
	size_t nfree;
	long live; /* nodes handed out and not returned, for leak checks */
	owfp_bnode *track[OWFP_POOL_TRACK];
	size_t ntrack;
	bool track_overflow; /* too many to remember: the owner must walk */
} owfp_bnode_pool;

owfp_bnode *owfp_bnode_alloc(owfp_bnode_pool *p);
/* Drops the slab reference and returns the node to the pool. */
void owfp_bnode_free(owfp_bnode_pool *p, owfp_bnode *n);
void owfp_bnode_pool_destroy(owfp_bnode_pool *p);

/* A node over `len` bytes at `data`: borrowed (slab NULL) or in `slab` (the
 * caller's reference moves to the node). */
owfp_bnode *owfp_bnode_make(owfp_bnode_pool *p, owfp_slab *slab, const uint8_t *data, size_t len,
			    uint64_t label, uint32_t flags);

typedef struct owfp_chain {
	owfp_bnode *head, *tail;
	size_t len; /* live bytes */
	size_t nodes;
} owfp_chain;

static inline void owfp_chain_init(owfp_chain *c)
{
	c->head = c->tail = NULL;
	c->len = c->nodes = 0;
}

static inline bool owfp_chain_empty(const owfp_chain *c)
{
	return c->head == NULL;
}

void owfp_chain_push(owfp_chain *c, owfp_bnode *n);
owfp_bnode *owfp_chain_pop(owfp_chain *c);
/* Moves every node of src to the end of dst; src becomes empty. */
void owfp_chain_concat(owfp_chain *dst, owfp_chain *src);

/*
 * Moves the first n bytes of c to the end of out, splitting a node when n
 * ends inside it (zero-length nodes among them move too). -ENOMEM when a
 * split fails (nothing moved then).
 */
int owfp_chain_take(owfp_chain *c, size_t n, owfp_chain *out, owfp_bnode_pool *p);
/* Splits node n of c so that it ends `at` bytes into its live range. */
int owfp_chain_split(owfp_chain *c, owfp_bnode *n, size_t at, owfp_bnode_pool *p);
void owfp_chain_clear(owfp_chain *c, owfp_bnode_pool *p);

/* Copies up to n bytes from byte offset off; returns the count copied. */
size_t owfp_chain_copy_out(const owfp_chain *c, size_t off, void *buf, size_t n);

/*
 * Gives every borrowed node storage of its own (copy into `w`'s slabs).
 * Returns the number of bytes copied or -ENOMEM (nodes done so far stay
 * owned, the rest stay borrowed).
 */
long owfp_chain_own(owfp_chain *c, owfp_slab_writer *w);
/* Same for one node. */
int owfp_bnode_own(owfp_bnode *n, owfp_slab_writer *w);
/*
 * Owns every tracked borrowed node still alive; returns 0, -ENOMEM, or 1
 * when the track overflowed and the caller must own by walking its chains.
 * The track is emptied either way.
 */
int owfp_bnode_pool_own_tracked(owfp_bnode_pool *p, owfp_slab_writer *w);

#endif
