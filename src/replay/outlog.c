/* Per-worker ordered output records (outlog.h). */
#include "replay/outlog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* Most messages leave one small record (a top-talker entry, a few event
 * lines): a chunk per message is sized for that, and grows by moving. */
#define CHUNK_MIN ((size_t)1024)

struct owfp_outchunk {
	owfp_outchunk *next;
	size_t used, cap;
	_Alignas(8) uint8_t data[];
};

static size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

void owfp_outlog_init(owfp_outlog *o)
{
	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->mu, NULL);
}

void owfp_outlog_destroy(owfp_outlog *o)
{
	owfp_outchunk *c = o->head;
	while (c) {
		owfp_outchunk *n = c->next;
		free(c);
		c = n;
	}
	free(o->cur);
	pthread_mutex_destroy(&o->mu);
	memset(o, 0, sizeof(*o));
}

void owfp_outlog_key(owfp_outlog *o, uint64_t seq, uint64_t sub)
{
	o->seq = seq;
	o->sub = sub;
	o->last = NULL;
}

static void push(owfp_outlog *o, owfp_outchunk *c)
{
	c->next = NULL;
	pthread_mutex_lock(&o->mu);
	if (o->tail)
		o->tail->next = c;
	else
		o->head = c;
	o->tail = c;
	pthread_mutex_unlock(&o->mu);
}

/* Room for `need` more bytes in cur: a record never spans chunks, so a
 * record that outgrows its chunk moves to a bigger one. */
static bool room(owfp_outlog *o, size_t need)
{
	owfp_outchunk *c = o->cur;
	if (c && c->cap - c->used >= need)
		return true;
	size_t keep = 0;
	bool carry = o->last && c; /* the record being extended moves along */
	if (carry) {
		keep = (size_t)((uint8_t *)o->last - c->data);
		need += c->used - keep;
	}
	size_t cap = CHUNK_MIN;
	while (cap < need)
		cap *= 2;
	owfp_outchunk *n = owfp_malloc(sizeof(*n) + cap);
	if (!n) {
		o->error = -ENOMEM;
		return false;
	}
	n->next = NULL;
	n->cap = cap;
	n->used = 0;
	if (carry) {
		n->used = c->used - keep;
		memcpy(n->data, c->data + keep, n->used);
		c->used = keep;
		o->last = (owfp_outrec *)n->data;
	}
	if (c && c->used)
		push(o, c); /* what came before the moved record */
	else
		free(c);
	o->cur = n;
	return true;
}

void owfp_outlog_append(owfp_outlog *o, enum owfp_outlog_kind kind, const void *data, size_t len)
{
	if (!len)
		return;
	if (o->last && o->last->kind == (uint32_t)kind) {
		size_t old = round8(sizeof(owfp_outrec) + o->last->len);
		size_t grown = round8(sizeof(owfp_outrec) + o->last->len + len);
		if (!room(o, grown - old))
			return;
		memcpy(o->last->data + o->last->len, data, len);
		o->last->len += (uint32_t)len;
		o->cur->used += grown - old;
		return;
	}
	o->last = NULL;
	size_t need = round8(sizeof(owfp_outrec) + len);
	if (!room(o, need))
		return;
	owfp_outrec *r = (owfp_outrec *)(o->cur->data + o->cur->used);
	r->seq = o->seq;
	r->sub = o->sub;
	r->kind = (uint32_t)kind;
	r->len = (uint32_t)len;
	memcpy(r->data, data, len);
	o->cur->used += need;
	o->last = r;
}

void owfp_outlog_publish(owfp_outlog *o)
{
	owfp_outchunk *c = o->cur;
	if (!c || !c->used)
		return;
	o->cur = NULL;
	o->last = NULL;
	push(o, c);
}

const owfp_outrec *owfp_outlog_peek(owfp_outlog *o)
{
	for (;;) {
		if (!o->rd) {
			pthread_mutex_lock(&o->mu);
			o->rd = o->head;
			pthread_mutex_unlock(&o->mu);
			o->rdoff = 0;
			if (!o->rd)
				return NULL;
		}
		if (o->rdoff < o->rd->used)
			return (const owfp_outrec *)(o->rd->data + o->rdoff);
		/* This chunk is read: unlink and free it, go on with the next. */
		pthread_mutex_lock(&o->mu);
		owfp_outchunk *done = o->rd;
		o->head = done->next;
		if (!o->head)
			o->tail = NULL;
		pthread_mutex_unlock(&o->mu);
		free(done);
		o->rd = NULL;
	}
}

void owfp_outlog_next(owfp_outlog *o)
{
	const owfp_outrec *r = (const owfp_outrec *)(o->rd->data + o->rdoff);
	o->rdoff += round8(sizeof(*r) + r->len);
}

struct cookie {
	owfp_outlog *o;
	enum owfp_outlog_kind kind;
};

static ssize_t cookie_write(void *c, const char *buf, size_t len)
{
	struct cookie *k = c;
	owfp_outlog_append(k->o, k->kind, buf, len);
	return (ssize_t)len;
}

static int cookie_close(void *c)
{
	free(c);
	return 0;
}

FILE *owfp_outlog_stream(owfp_outlog *o, enum owfp_outlog_kind kind)
{
	struct cookie *k = owfp_malloc(sizeof(*k));
	if (!k)
		return NULL;
	k->o = o;
	k->kind = kind;
	FILE *f = fopencookie(k, "w",
			      (cookie_io_functions_t){.write = cookie_write, .close = cookie_close});
	if (!f)
		free(k);
	return f;
}
