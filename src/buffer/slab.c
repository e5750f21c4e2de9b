/* Refcounted slabs, the copy-packing writer and the allocation-failure hook. */
#include "buffer/slab.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Small pieces share slabs of this size; larger ones get a slab of their own. */
#define SLAB_PACK_SIZE ((size_t)64 * 1024)

static __attribute__((tls_model("initial-exec"))) _Thread_local long fail_countdown;
static __attribute__((tls_model("initial-exec"))) _Thread_local unsigned long alloc_count;

void owfp_buffer_fail_nth(long n)
{
	fail_countdown = n;
}

unsigned long owfp_buffer_alloc_count(void)
{
	return alloc_count;
}

int owfp_buffer_alloc_should_fail(void)
{
	alloc_count++;
	if (fail_countdown > 0 && --fail_countdown == 0)
		return 1;
	return 0;
}

owfp_slab *owfp_slab_alloc(size_t cap)
{
	if (owfp_buffer_alloc_should_fail())
		return NULL;
	owfp_slab *s = owfp_malloc(sizeof(*s) + cap);
	if (!s)
		return NULL;
	atomic_init(&s->refs, 1);
	s->cap = cap;
	s->used = 0;
	return s;
}

void owfp_slab_ref(owfp_slab *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

void owfp_slab_unref(owfp_slab *s)
{
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		free(s);
}

owfp_slab *owfp_slab_writer_copy(owfp_slab_writer *w, const void *src, size_t len, uint8_t **where)
{
	owfp_slab *s = w->cur;
	if (!s || s->cap - s->used < len) {
		size_t cap = len > OWFP_SLAB_PACK_MAX ? len : SLAB_PACK_SIZE;
		owfp_slab *n = owfp_slab_alloc(cap);
		if (!n)
			return NULL;
		/* A piece that fills its own slab does not replace the packing slab. */
		if (cap == len && s) {
			memcpy(n->data, src, len);
			n->used = len;
			*where = n->data;
			return n;
		}
		owfp_slab_unref(s);
		w->cur = s = n;
	}
	*where = s->data + s->used;
	if (len)
		memcpy(*where, src, len);
	s->used += len;
	owfp_slab_ref(s);
	return s;
}

int owfp_slab_writer_reserve(owfp_slab_writer *w, size_t cap)
{
	owfp_slab *n = owfp_slab_alloc(cap);
	if (!n)
		return -ENOMEM;
	owfp_slab_unref(w->cur);
	w->cur = n;
	return 0;
}

void owfp_slab_writer_release(owfp_slab_writer *w)
{
	owfp_slab_unref(w->cur);
	w->cur = NULL;
}
