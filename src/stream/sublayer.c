/*
 * Sublayer exits: bytes leave a sublayer in stream order (S38) whatever
 * stage decided them and whenever, injected bytes take their place at
 * their positions (S53, S56, Q14), and the FIN leaves after every byte.
 *
 * Every byte entering a sublayer gets a label (its offset in that
 * sublayer's input). Decided bytes wait in `out`, sorted by label, until
 * everything before them has left; blocked bytes wait as holes so the
 * order can advance past them. Injections sit in their own list sorted by
 * (position, call order) and leave just before the byte at their position.
 */
#include "stream/flow.h"

static void chain_insert_sorted(owfp_chain *c, owfp_bnode *n)
{
	size_t len = owfp_bnode_len(n);
	if (!c->tail || c->tail->label < n->label) {
		owfp_chain_push(c, n);
		return;
	}
	/* Out-of-order arrivals are rare (a later stage releasing earlier
	 * bytes); a scan from the head is fine for them. */
	owfp_bnode *prev = NULL, *x = c->head;
	while (x && x->label < n->label) {
		prev = x;
		x = owfp_bnode_next(x);
	}
	if (n->skip) { /* it is going behind or in front of others: normalise */
		n->mdl.MappedSystemVa = (PUCHAR)n->mdl.MappedSystemVa + n->skip;
		n->mdl.StartVa = n->mdl.MappedSystemVa;
		n->mdl.ByteCount -= n->skip;
		n->skip = 0;
	}
	n->mdl.Next = x ? &x->mdl : NULL;
	if (prev)
		prev->mdl.Next = &n->mdl;
	else
		c->head = n;
	c->len += len;
	c->nodes++;
}

static void inj_insert(owfp_sublayer *s, owfp_injection *inj)
{
	inj->next = NULL;
	if (!s->inj_tail || s->inj_tail->pos <= inj->pos) {
		if (s->inj_tail)
			s->inj_tail->next = inj;
		else
			s->inj_head = inj;
		s->inj_tail = inj;
		return;
	}
	owfp_injection **pp = &s->inj_head;
	while (*pp && (*pp)->pos <= inj->pos)
		pp = &(*pp)->next;
	inj->next = *pp;
	*pp = inj;
}

void owfp_sublayer_add_injection(owfp_flow *f, int dir, unsigned sl, owfp_injection *inj)
{
	inj_insert(&f->dir[dir].sls[sl], inj);
}

void owfp_sublayer_enter(owfp_flow *f, int dir, unsigned sl, owfp_chain *c)
{
	owfp_dirstate *d = &f->dir[dir];
	if (sl >= d->nsl) {
		owfp_deliver(f, dir, c);
		return;
	}
	owfp_sublayer *s = &d->sls[sl];
	for (owfp_bnode *n = c->head; n; n = owfp_bnode_next(n)) {
		n->label = s->in_count;
		s->in_count += owfp_bnode_len(n);
	}
	owfp_stage_in_push(f, &d->stages[s->first], c);
}

void owfp_sublayer_accept(owfp_flow *f, int dir, unsigned sl, owfp_chain *c, bool hole)
{
	owfp_dirstate *d = &f->dir[dir];
	owfp_sublayer *s = &d->sls[sl];
	owfp_bnode *n;
	while ((n = owfp_chain_pop(c))) {
		size_t len = owfp_bnode_len(n);
		if (len == 0) {
			/* An empty-indication marker: it goes on only if nothing is
			 * waiting in front of it, else it is absorbed (S19). */
			if (!s->out.head && !s->inj_head && !hole) {
				owfp_chain one;
				owfp_chain_init(&one);
				owfp_chain_push(&one, n);
				if (sl + 1 < d->nsl)
					owfp_sublayer_enter(f, dir, sl + 1, &one);
				else
					owfp_chain_clear(&one, &f->pool);
			} else {
				owfp_bnode_free(&f->pool, n);
			}
			continue;
		}
		if (hole) {
			owfp_slab_unref(n->slab);
			n->slab = NULL;
			n->flags = OWFP_BN_HOLE;
			d->held -= len;
		}
		if (hole && n->label == s->next && !s->out.head) {
			/* An in-order hole: just advance (injections inside it
			 * leave at the same point either way). */
			s->next += len;
			owfp_bnode_free(&f->pool, n);
			continue;
		}
		chain_insert_sorted(&s->out, n);
	}
	owfp_sublayer_flush(f, dir, sl);
}

void owfp_sublayer_release_fin(owfp_flow *f, int dir, unsigned sl)
{
	f->dir[dir].sls[sl].fin_released = true;
	owfp_sublayer_flush(f, dir, sl);
}

static void hand_on(owfp_flow *f, int dir, unsigned sl, owfp_chain *c)
{
	if (owfp_chain_empty(c))
		return;
	if (sl + 1 < f->dir[dir].nsl)
		owfp_sublayer_enter(f, dir, sl + 1, c);
	else
		owfp_deliver(f, dir, c);
}

void owfp_sublayer_flush(owfp_flow *f, int dir, unsigned sl)
{
	owfp_dirstate *d = &f->dir[dir];
	owfp_sublayer *s = &d->sls[sl];
	owfp_chain emit;
	owfp_chain_init(&emit);
	for (;;) {
		owfp_injection *inj = s->inj_head;
		if (inj && inj->pos <= s->next) {
			s->inj_head = inj->next;
			if (!s->inj_head)
				s->inj_tail = NULL;
			d->inj_bytes -= inj->data.len;
			owfp_chain_concat(&emit, &inj->data);
			if (inj->fin)
				s->fin_released = true;
			owfp_inject_done(f, inj);
			continue;
		}
		owfp_bnode *n = s->out.head;
		if (!n || n->label != s->next)
			break;
		size_t len = owfp_bnode_len(n);
		if (inj && n->label + len > inj->pos) {
			if (owfp_chain_split(&s->out, n, inj->pos - n->label, &f->pool)) {
				owfp_flow_do_drop(f, OWFP_DROP_LIMIT,
						  "out of memory splitting a run");
				owfp_chain_clear(&emit, &f->pool);
				return;
			}
			len = owfp_bnode_len(n);
		}
		owfp_chain_pop(&s->out);
		s->next += len;
		if (n->flags & OWFP_BN_HOLE)
			owfp_bnode_free(&f->pool, n);
		else
			owfp_chain_push(&emit, n);
	}
	hand_on(f, dir, sl, &emit);
	if (s->fin_released && !s->fin_sent && !s->out.head && !s->inj_head &&
	    s->next == s->in_count) {
		s->fin_sent = true;
		if (sl + 1 < d->nsl) {
			unsigned first = d->sls[sl + 1].first;
			owfp_stage_set_eof(f, dir, first, first, true);
		} else {
			owfp_deliver_fin(f, dir);
		}
	}
}

void owfp_sublayer_clear(owfp_flow *f, owfp_sublayer *s)
{
	owfp_chain_clear(&s->out, &f->pool);
	while (s->inj_head) {
		owfp_injection *inj = s->inj_head;
		s->inj_head = inj->next;
		owfp_inject_fail(f, inj, STATUS_CANCELLED);
	}
	s->inj_tail = NULL;
}

void owfp_deliver(owfp_flow *f, int dir, owfp_chain *c)
{
	owfp_dirstate *d = &f->dir[dir];
	owfp_bnode *n;
	while ((n = owfp_chain_pop(c))) {
		size_t len = owfp_bnode_len(n);
		bool hole = (n->flags & OWFP_BN_HOLE) != 0;
		if (!hole) {
			/* Released before the data path queues them: one count. */
			d->held -= len;
			owfp_flow_mem_charge(f);
		}
		if (len && !hole && !owfp_flow_is_dropped(f)) {
			if (f->ops->deliver)
				f->ops->deliver(f->dp, f, dir, owfp_bnode_data(n), len);
			owfp_engine_count(f->engine, OWFP_COUNT_BYTES_DELIVERED, dir, len);
		}
		owfp_bnode_free(&f->pool, n);
	}
}

void owfp_deliver_fin(owfp_flow *f, int dir)
{
	owfp_dirstate *d = &f->dir[dir];
	if (d->ended)
		return;
	d->ended = true;
	if (f->ops->deliver_fin && !owfp_flow_is_dropped(f))
		f->ops->deliver_fin(f->dp, f, dir);
}
