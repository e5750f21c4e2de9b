/* Read-ahead: a thread of its own read()s a regular file into a small ring
 * of blocks while the caller decodes the previous ones, so that the copy out
 * of the page cache (about half the CPU time of a bulk replay, all of it in
 * the kernel) runs on the second core instead of in line with reassembly
 * and the callouts. Used by the direct reader (reader_direct.c).
 *
 * Every block has headroom in front of its data, large enough for the
 * largest pcap record, so the caller can move the unfinished end of one
 * block in front of the next and see a record that straddled the two in one
 * piece. The ring is small (a few hundred KiB) so that blocks are still in
 * the shared cache when the caller reads them.
 *
 * Handoffs take a mutex and, only when the other side sleeps, a condition
 * variable. The reader waits on a full ring until half of it is free
 * again, napping at first, so a caller slower than the disk (the usual
 * case) seldom has to wake it. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Naps of a full ring before sleeping on the condition variable: 10 ms. */
#define RA_NAP_NS 100000
#define RA_NAPS 100

struct ra_block {
	uint8_t *data; /* headroom bytes writable in front */
	size_t len;    /* 0: end of file */
	int err;       /* 0 or a positive errno from read() */
};

struct cap_readahead {
	pthread_mutex_t mu;
	pthread_cond_t filled, freed;
	pthread_t thread;
	int fd;
	size_t block_bytes, headroom;
	unsigned nblocks;
	uint64_t produced, taken, released; /* counts of blocks, only ever growing */
	uint64_t pos;                       /* file offset of the next read */
	uint64_t err_off, fault_at;
	bool reader_waits, caller_waits, done, quit;
	bool paused, reading; /* reading: a read() is under way, without the lock */
	uint8_t *mem;
	struct ra_block b[];
};

static size_t read_block(int fd, uint8_t *p, size_t n, uint64_t pos, uint64_t fault_at, int *err)
{
	size_t got = 0;
	bool fault = fault_at >= pos && fault_at < pos + n;
	if (fault) /* tests: the bytes before the fault read, then EIO, as at a bad page */
		n = (size_t)(fault_at - pos);
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno;
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (fault && got == n && !*err)
		*err = EIO;
	return got;
}

static void *reader_main(void *arg)
{
	struct cap_readahead *ra = arg;
	pthread_mutex_lock(&ra->mu);
	while (!ra->done && !ra->quit) {
		if (ra->paused) {
			pthread_cond_wait(&ra->freed, &ra->mu);
			continue;
		}
		if (ra->produced - ra->released == ra->nblocks) {
			/* Full: wait until half the ring is free, first by napping
             * (the caller is usually a few hundred microseconds from it,
             * and waking us would cost it a futex call and, on a VM, an
             * interrupt to this core), then, for a caller that has stopped
             * (a slow callout, a paused replay), on the condition variable. */
			for (int nap = 0; nap < RA_NAPS && !ra->quit && !ra->paused &&
					  ra->produced - ra->released > ra->nblocks / 2;
			     nap++) {
				pthread_mutex_unlock(&ra->mu);
				nanosleep(&(struct timespec){0, RA_NAP_NS}, NULL);
				pthread_mutex_lock(&ra->mu);
			}
			ra->reader_waits = true;
			while (!ra->quit && !ra->paused &&
			       ra->produced - ra->released > ra->nblocks / 2)
				pthread_cond_wait(&ra->freed, &ra->mu);
			ra->reader_waits = false;
			continue;
		}
		struct ra_block *blk = &ra->b[ra->produced % ra->nblocks];
		uint64_t pos = ra->pos;
		ra->reading = true;
		pthread_mutex_unlock(&ra->mu);
		/* The block is ours: the caller released it and cannot take it
         * before `produced` moves past it. The fd is ours too: the caller
         * reads from it only while we are paused and not reading. */
		int err = 0;
		size_t len = read_block(ra->fd, blk->data, ra->block_bytes, pos, ra->fault_at, &err);
		pthread_mutex_lock(&ra->mu);
		ra->reading = false;
		blk->len = len;
		blk->err = err;
		if (err)
			ra->err_off = pos + len;
		ra->pos = pos + len;
		ra->produced++;
		if (len < ra->block_bytes || err)
			ra->done = true; /* a regular file reads short only at its end */
		if (ra->caller_waits)
			pthread_cond_broadcast(&ra->filled);
	}
	ra->reading = false;
	if (ra->caller_waits)
		pthread_cond_broadcast(&ra->filled);
	pthread_mutex_unlock(&ra->mu);
	return NULL;
}

int owfp_capture_readahead_start(struct cap_readahead **out, int fd, size_t block_bytes,
				 size_t headroom, unsigned nblocks)
{
	return owfp_capture_readahead_start_at(out, fd, block_bytes, headroom, nblocks, UINT64_MAX);
}

int owfp_capture_readahead_start_at(struct cap_readahead **out, int fd, size_t block_bytes,
				    size_t headroom, unsigned nblocks, uint64_t fault_at)
{
	*out = NULL;
	struct cap_readahead *ra = owfp_calloc(1, sizeof(*ra) + nblocks * sizeof(ra->b[0]));
	if (!ra)
		return -ENOMEM;
	size_t stride = headroom + block_bytes;
	ra->mem = owfp_malloc(stride * nblocks);
	if (!ra->mem) {
		free(ra);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nblocks; i++)
		ra->b[i].data = ra->mem + i * stride + headroom;
	ra->fd = fd;
	off_t at = lseek(fd, 0, SEEK_CUR);
	ra->pos = at > 0 ? (uint64_t)at : 0;
	ra->fault_at = fault_at;
	ra->block_bytes = block_bytes;
	ra->headroom = headroom;
	ra->nblocks = nblocks;
	pthread_mutex_init(&ra->mu, NULL);
	pthread_cond_init(&ra->filled, NULL);
	pthread_cond_init(&ra->freed, NULL);
	/* Signals stay with the caller's threads (replay's SIGINT handling). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&ra->thread, NULL, reader_main, ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&ra->freed);
		pthread_cond_destroy(&ra->filled);
		pthread_mutex_destroy(&ra->mu);
		free(ra->mem);
		free(ra);
		return -rc;
	}
	*out = ra;
	return 0;
}

int owfp_capture_readahead_take(struct cap_readahead *ra, uint8_t **data, size_t *len)
{
	pthread_mutex_lock(&ra->mu);
	while (ra->taken == ra->produced) {
		if (ra->done) {
			/* Past the last block: the end of file, again. */
			pthread_mutex_unlock(&ra->mu);
			*data = ra->b[0].data;
			*len = 0;
			return 0;
		}
		if (ra->paused && !ra->reading) {
			pthread_mutex_unlock(&ra->mu);
			return -EAGAIN;
		}
		ra->caller_waits = true;
		pthread_cond_wait(&ra->filled, &ra->mu);
		ra->caller_waits = false;
	}
	struct ra_block *blk = &ra->b[ra->taken % ra->nblocks];
	ra->taken++;
	pthread_mutex_unlock(&ra->mu);
	*data = blk->data;
	*len = blk->len;
	return blk->err ? -blk->err : 0;
}

void owfp_capture_readahead_release(struct cap_readahead *ra)
{
	pthread_mutex_lock(&ra->mu);
	if (ra->released < ra->taken)
		ra->released++;
	if (ra->reader_waits && ra->produced - ra->released <= ra->nblocks / 2)
		pthread_cond_signal(&ra->freed);
	pthread_mutex_unlock(&ra->mu);
}

uint8_t *owfp_capture_readahead_mem(const struct cap_readahead *ra, size_t *bytes)
{
	*bytes = (ra->headroom + ra->block_bytes) * ra->nblocks;
	return ra->mem;
}

void owfp_capture_readahead_pause(struct cap_readahead *ra)
{
	pthread_mutex_lock(&ra->mu);
	ra->paused = true;
	pthread_cond_signal(&ra->freed);
	while (ra->reading) {
		ra->caller_waits = true;
		pthread_cond_wait(&ra->filled, &ra->mu);
		ra->caller_waits = false;
	}
	pthread_mutex_unlock(&ra->mu);
}

void owfp_capture_readahead_resume(struct cap_readahead *ra)
{
	off_t at = lseek(ra->fd, 0, SEEK_CUR);
	pthread_mutex_lock(&ra->mu);
	ra->pos = at > 0 ? (uint64_t)at : 0;
	ra->paused = false;
	pthread_cond_signal(&ra->freed);
	pthread_mutex_unlock(&ra->mu);
}

uint64_t owfp_capture_readahead_err_off(struct cap_readahead *ra)
{
	pthread_mutex_lock(&ra->mu);
	uint64_t at = ra->err_off;
	pthread_mutex_unlock(&ra->mu);
	return at;
}

void owfp_capture_readahead_stop(struct cap_readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->quit = true;
	pthread_cond_signal(&ra->freed);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->freed);
	pthread_cond_destroy(&ra->filled);
	pthread_mutex_destroy(&ra->mu);
	free(ra->mem);
	free(ra);
}
