/* io_uring reads for the direct reader: the blocks of a small ring are
 * read at explicit file offsets into buffers registered once with the
 * kernel (no page pinning per read), several in flight, so the caller
 * finds the next block read when it gets there. Same contract as the
 * read-ahead ring (readahead.c): every block has `headroom` writable bytes
 * in front; take() hands out blocks in file order; release() gives back
 * the oldest taken. A block that reads short at 0 bytes is the end of the
 * file (as for read()); one that reads short with bytes is read on. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>

#ifdef OWFP_HAVE_URING
#include <liburing.h>
#include <sys/uio.h>

struct u_block {
	uint8_t *data;
	uint64_t off; /* file offset of data[0] */
	size_t len;   /* bytes read so far */
	int err;      /* positive errno */
	bool ready;   /* read to its end, to the file's end, or failed */
};

struct cap_uring {
	struct io_uring ring;
	int fd;
	size_t block_bytes, headroom;
	unsigned nblocks, inflight;
	uint64_t next_off;
	uint64_t submitted, taken, released; /* block counts, only growing */
	uint64_t end_block;                  /* first block after the end (UINT64_MAX: unknown) */
	uint64_t err_off, fault_at;
	uint8_t *mem;
	struct u_block b[];
};

static void queue_read(struct cap_uring *u, unsigned i)
{
	struct u_block *blk = &u->b[i];
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	/* The queue holds nblocks entries and never more than one per block. */
	io_uring_prep_read_fixed(sqe, u->fd, blk->data + blk->len,
				 (unsigned)(u->block_bytes - blk->len), blk->off + blk->len, (int)i);
	io_uring_sqe_set_data64(sqe, i);
	u->inflight++;
}

static void submit_more(struct cap_uring *u)
{
	bool queued = false;
	while (u->submitted - u->released < u->nblocks && u->submitted < u->end_block) {
		unsigned i = (unsigned)(u->submitted % u->nblocks);
		struct u_block *blk = &u->b[i];
		blk->off = u->next_off;
		blk->len = 0;
		blk->err = 0;
		blk->ready = false;
		u->next_off += u->block_bytes;
		u->submitted++;
		queue_read(u, i);
		queued = true;
	}
	if (queued)
		(void)io_uring_submit(&u->ring);
}

/* One completion: the block is done, or its remainder is read on. */
static int complete_one(struct cap_uring *u)
{
	struct io_uring_cqe *cqe;
	int rc = io_uring_wait_cqe(&u->ring, &cqe);
	if (rc == -EINTR)
		return 0;
	if (rc < 0)
		return rc;
	unsigned i = (unsigned)io_uring_cqe_get_data64(cqe);
	int res = cqe->res;
	io_uring_cqe_seen(&u->ring, cqe);
	u->inflight--;
	struct u_block *blk = &u->b[i];
	/* tests: the bytes before the fault read, then EIO, as at a bad page */
	uint64_t at = blk->off + blk->len;
	if (res > 0 && u->fault_at >= at && u->fault_at < at + (uint64_t)res)
		res = u->fault_at == at ? -EIO : (int)(u->fault_at - at);
	else if (res >= 0 && u->fault_at == at && blk->len < u->block_bytes)
		res = -EIO;
	if (res == -EINTR || res == -EAGAIN) {
		queue_read(u, i);
		(void)io_uring_submit(&u->ring);
		return 0;
	}
	if (res < 0) {
		blk->err = -res;
		blk->ready = true;
		return 0;
	}
	blk->len += (size_t)res;
	if (res > 0 && blk->len < u->block_bytes) {
		queue_read(u, i); /* short, not at the end: read on */
		(void)io_uring_submit(&u->ring);
		return 0;
	}
	blk->ready = true;
	return 0;
}

int owfp_capture_uring_start(struct cap_uring **out, int fd, uint64_t pos, size_t block_bytes,
			     size_t headroom, unsigned nblocks, uint64_t fault_at)
{
	*out = NULL;
	struct cap_uring *u = owfp_calloc(1, sizeof(*u) + nblocks * sizeof(u->b[0]));
	if (!u)
		return -ENOMEM;
	size_t stride = headroom + block_bytes;
	u->mem = owfp_malloc(stride * nblocks);
	struct iovec *iov = owfp_calloc(nblocks, sizeof(*iov));
	int rc = u->mem && iov ? io_uring_queue_init(nblocks, &u->ring, 0) : -ENOMEM;
	if (rc == 0) {
		for (unsigned i = 0; i < nblocks; i++) {
			u->b[i].data = u->mem + i * stride + headroom;
			iov[i].iov_base = u->b[i].data;
			iov[i].iov_len = block_bytes;
		}
		rc = io_uring_register_buffers(&u->ring, iov, nblocks);
		if (rc)
			io_uring_queue_exit(&u->ring);
	}
	free(iov);
	if (rc) {
		free(u->mem);
		free(u);
		return rc == -ENOMEM ? rc : -ENOSYS;
	}
	u->fd = fd;
	u->block_bytes = block_bytes;
	u->headroom = headroom;
	u->nblocks = nblocks;
	u->next_off = pos;
	u->end_block = UINT64_MAX;
	u->fault_at = fault_at;
	submit_more(u);
	*out = u;
	return 0;
}

int owfp_capture_uring_take(struct cap_uring *u, uint8_t **data, size_t *len)
{
	if (u->taken == u->submitted)
		submit_more(u);
	if (u->taken >= u->end_block || u->taken == u->submitted) {
		/* Past the end (or the last block failed): the end, again. */
		*data = u->b[0].data;
		*len = 0;
		return 0;
	}
	struct u_block *blk = &u->b[u->taken % u->nblocks];
	while (!blk->ready) {
		int rc = complete_one(u);
		if (rc < 0) {
			u->err_off = blk->off + blk->len;
			u->end_block = u->taken;
			return rc;
		}
	}
	u->taken++;
	/* Short or failed: the file ends here; what was queued behind it is
	 * not handed out, even if the file grew meanwhile (read() would have
	 * stopped at the same place). */
	if (blk->err || blk->len < u->block_bytes)
		u->end_block = u->taken;
	if (blk->err)
		u->err_off = blk->off + blk->len;
	*data = blk->data;
	*len = blk->len;
	return blk->err ? -blk->err : 0;
}

void owfp_capture_uring_release(struct cap_uring *u)
{
	if (u->released < u->taken)
		u->released++;
	submit_more(u);
}

uint8_t *owfp_capture_uring_mem(const struct cap_uring *u, size_t *bytes)
{
	*bytes = (u->headroom + u->block_bytes) * u->nblocks;
	return u->mem;
}

uint64_t owfp_capture_uring_err_off(const struct cap_uring *u)
{
	return u->err_off;
}

void owfp_capture_uring_stop(struct cap_uring *u)
{
	if (!u)
		return;
	/* The kernel writes into the buffers until every read completed. */
	while (u->inflight && complete_one(u) == 0)
		;
	io_uring_queue_exit(&u->ring);
	free(u->mem);
	free(u);
}

#else /* no liburing at build time */

int owfp_capture_uring_start(struct cap_uring **out, int fd, uint64_t pos, size_t block_bytes,
			     size_t headroom, unsigned nblocks, uint64_t fault_at)
{
	(void)fd, (void)pos, (void)block_bytes, (void)headroom, (void)nblocks, (void)fault_at;
	*out = NULL;
	return -ENOSYS;
}

int owfp_capture_uring_take(struct cap_uring *u, uint8_t **data, size_t *len)
{
	(void)u;
	*data = NULL;
	*len = 0;
	return -ENOSYS;
}

void owfp_capture_uring_release(struct cap_uring *u)
{
	(void)u;
}

uint8_t *owfp_capture_uring_mem(const struct cap_uring *u, size_t *bytes)
{
	(void)u;
	*bytes = 0;
	return NULL;
}

uint64_t owfp_capture_uring_err_off(const struct cap_uring *u)
{
	(void)u;
	return 0;
}

void owfp_capture_uring_stop(struct cap_uring *u)
{
	(void)u;
}

#endif
