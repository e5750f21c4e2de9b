/* Coalesced indications: the rules are in coalesce.h and docs/replay.md (Q19).
 * Written here rather than taken from a library: it is a few list and
 * buffer operations tied to the capture's chunk flags. */
#include "replay/coalesce.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void owfp_coalesce_init(owfp_coalescer *c, owfp_coalesce_flush_fn flush, void *user)
{
	memset(c, 0, sizeof(*c));
	c->pending.next = c->pending.prev = &c->pending;
	c->flush = flush;
	c->user = user;
}

static void unlink_run(owfp_coalescer *c, owfp_coalesce_run *r)
{
	r->prev->next = r->next;
	r->next->prev = r->prev;
	r->next = r->prev = NULL;
	c->npending--;
}

static void release(owfp_coalescer *c, owfp_coalesce_run *r)
{
	if (c->nspare < sizeof(c->spare) / sizeof(c->spare[0]))
		c->spare[c->nspare++] = r->buf;
	else
		free(r->buf);
	r->buf = NULL;
	r->len = 0;
}

void owfp_coalesce_discard(owfp_coalescer *c, owfp_coalesce_run *r)
{
	if (!r->len)
		return;
	unlink_run(c, r);
	release(c, r);
}

void owfp_coalesce_flush(owfp_coalescer *c, owfp_coalesce_run *r)
{
	if (!r->len)
		return;
	unlink_run(c, r);
	/* Taken off the run before the callback: whatever the engine does
	 * from inside it (drop, pause) finds nothing pending here. */
	uint8_t *buf = r->buf;
	size_t len = r->len;
	r->buf = NULL;
	r->len = 0;
	c->indications++;
	c->flush(c->user, r, r->dir, buf, len, r->flags, r->missed);
	r->buf = buf;
	release(c, r);
}

void owfp_coalesce_flush_all(owfp_coalescer *c)
{
	while (c->pending.next != &c->pending)
		owfp_coalesce_flush(c, c->pending.next);
}

void owfp_coalesce_destroy(owfp_coalescer *c)
{
	while (c->pending.next != &c->pending)
		owfp_coalesce_discard(c, c->pending.next);
	for (size_t i = 0; i < c->nspare; i++)
		free(c->spare[i]);
	c->nspare = 0;
}

static void direct(owfp_coalescer *c, owfp_coalesce_run *r, const owfp_capture_data *d)
{
	c->indications++;
	c->flush(c->user, r, d->dir, d->bytes, d->len, d->flags, d->missed_before);
}

int owfp_coalesce_add(owfp_coalescer *c, owfp_coalesce_run *r, const owfp_capture_data *d)
{
	bool urgent = d->flags & OWFP_CAPTURE_DATA_URG;
	c->chunks++;
	/* What may not join the run ends it first. */
	if (r->len &&
	    (r->dir != d->dir || d->missed_before || urgent || !d->len ||
	     d->ts_ns > r->last_ts + OWFP_COALESCE_GAP_NS || r->len + d->len > OWFP_COALESCE_MAX))
		owfp_coalesce_flush(c, r);
	/* Alone, and nothing to merge it with: no copy. */
	if (!r->len && (urgent || !d->len || (d->flags & OWFP_CAPTURE_DATA_PSH) ||
			d->len >= OWFP_COALESCE_MAX)) {
		direct(c, r, d);
		return 0;
	}
	if (!r->len) {
		if (c->npending >= OWFP_COALESCE_PENDING_MAX)
			owfp_coalesce_flush(c, c->pending.next);
		r->buf = c->nspare ? c->spare[--c->nspare] : owfp_malloc(OWFP_COALESCE_MAX);
		if (!r->buf) {
			direct(c, r, d);
			return -ENOMEM;
		}
		r->dir = d->dir;
		r->flags = 0;
		r->missed = d->missed_before;
		r->next = &c->pending;
		r->prev = c->pending.prev;
		c->pending.prev->next = r;
		c->pending.prev = r;
		c->npending++;
	}
	memcpy(r->buf + r->len, d->bytes, d->len);
	r->len += d->len;
	r->flags |= d->flags & OWFP_CAPTURE_DATA_PSH;
	r->last_ts = d->ts_ns;
	if ((d->flags & OWFP_CAPTURE_DATA_PSH) || r->len == OWFP_COALESCE_MAX)
		owfp_coalesce_flush(c, r);
	return 0;
}
