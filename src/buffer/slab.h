/*
 * Refcounted byte slabs: the storage behind every byte the engine keeps.
 * Slices of a slab are referenced by chain nodes and by cloned NBLs, so
 * bytes are copied at most once (when they must outlive the caller's
 * memory) and never again while they move through the pipeline.
 */
#ifndef OWFP_BUFFER_SLAB_H
#define OWFP_BUFFER_SLAB_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct owfp_slab {
	atomic_uint refs;
	size_t cap;
	size_t used; /* bytes handed out; only the slab's writer moves it */
	uint8_t data[];
} owfp_slab;

/* A new slab with one reference, or NULL (out of memory, or the test hook). */
owfp_slab *owfp_slab_alloc(size_t cap);
void owfp_slab_ref(owfp_slab *s);
void owfp_slab_unref(owfp_slab *s);

/*
 * Test hook (allocation-failure injection): the nth buffer allocation made
 * by the calling thread from now on fails (1 = the next one); 0 turns it
 * off. Covers slabs and chain nodes. Thread-local, so parallel tests do not
 * disturb each other.
 */
void owfp_buffer_fail_nth(long n);
/* Allocations made by this thread since the process started (for tests). */
unsigned long owfp_buffer_alloc_count(void);
/* True when the hook says this allocation must fail (counts it). */
int owfp_buffer_alloc_should_fail(void);

/*
 * Appends bytes by copy, packing small pieces into a shared slab so that
 * many small segments do not cost one allocation each.
 */
typedef struct owfp_slab_writer {
	owfp_slab *cur;
} owfp_slab_writer;

/* Copies len bytes into a slab; returns the slab (with a new reference for
 * the caller) and the address of the copy, or NULL on allocation failure. */
owfp_slab *owfp_slab_writer_copy(owfp_slab_writer *w, const void *src, size_t len, uint8_t **where);
void owfp_slab_writer_release(owfp_slab_writer *w);
/* Pieces up to this size are packed into a shared slab; larger ones get a
 * slab of their own. */
#define OWFP_SLAB_PACK_MAX ((size_t)16 * 1024)
/* Starts packing into a new slab of exactly cap bytes (instead of the usual
 * 64 KiB), for a caller that knows how much it will pack: a few small bytes
 * kept long then do not hold a mostly empty slab. -ENOMEM on failure. */
int owfp_slab_writer_reserve(owfp_slab_writer *w, size_t cap);

#endif
