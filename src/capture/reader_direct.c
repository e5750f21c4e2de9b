/* Classic pcap read directly, in large read() blocks into one reused buffer:
 * the fast path. It must behave exactly like libpcap's reader on every file
 * both accept.
 *
 * Why read() and not a memory map: a map costs page-table work for every
 * 4 KiB page on the way in and again on the way out, and the first touch of
 * each page misses the TLB. Measured on the 283 MB bulk capture of
 * bench/replay_bench.sh (2-core VM, 2026-12-06), walking every record
 * header: 150-180 ms through a map populated ahead (MADV_POPULATE_READ) and
 * released behind (MADV_DONTNEED), 23-27 ms with 256 KiB read()s into a
 * buffer that stays in the CPU cache, against 37 ms for `cat`. Records are
 * still handed out without a user-space copy: they point into the buffer,
 * valid until the next call, as libpcap's are.
 *
 * With opts.read_ahead (the default) the read()s happen on a thread of
 * their own (readahead.c), into a ring of blocks instead of the one
 * buffer; records are handed out of those blocks the same way. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
/* libpcap refuses records longer than this for every link type we decode. */
#define PCAP_MAX_SNAPLEN 262144u
/* Bytes per read(): 64 KiB reads cost about 40% more CPU on the file above;
 * bigger ones fall out of the L2 cache. */
#define READ_STEP ((size_t)256 << 10)
/* A whole record of the largest size fits after a partial one is moved
 * to the front, with a full read step to spare. */
#define BUF_CAP (READ_STEP + 16 + PCAP_MAX_SNAPLEN)
/* Read-ahead ring: 8 blocks of 128 KiB stay inside the shared cache, and
 * the reader, woken when half the ring is free, is woken once per 512 KiB
 * (a wake-up costs the caller a futex call and, on a VM, an interrupt to the
 * other core). The headroom in front of each block holds the largest record. */
#define RA_BLOCK ((size_t)128 << 10)
#define RA_BLOCKS 8u
#define RA_HEADROOM (16 + PCAP_MAX_SNAPLEN)

/* Under AddressSanitizer the bytes of records already handed out are
 * poisoned at the next call, so a consumer that keeps a pointer into a
 * record past its loan is caught by the tests instead of reading whatever
 * the buffer holds by then. */
#if defined(__SANITIZE_ADDRESS__)
#define OWFP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OWFP_ASAN 1
#endif
#endif
#ifdef OWFP_ASAN
#include <sanitizer/asan_interface.h>
#define LOAN_END(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define LOAN_RESET(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define LOAN_END(p, n) ((void)(p), (void)(n))
#define LOAN_RESET(p, n) ((void)(p), (void)(n))
#endif

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static bool read_all(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

int owfp_capture_direct_open(struct cap_reader *rd, const char *path, bool read_ahead,
			     owfp_capture_error *err)
{
	if (strcmp(path, "-") == 0)
		return -ENOTSUP;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		owfp_capture_error_set(err, path, -e, 0, 0, "open: %s", strerror(e));
		return -e;
	}
	struct stat st;
	uint8_t hdr[24];
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
	    !read_all(fd, hdr, sizeof(hdr))) {
		close(fd);
		return -ENOTSUP;
	}
	uint32_t magic;
	memcpy(&magic, hdr, 4);
	bool swap = false, nano = false;
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
		nano = magic == PCAP_MAGIC_NS;
	} else if (__builtin_bswap32(magic) == PCAP_MAGIC_US ||
		   __builtin_bswap32(magic) == PCAP_MAGIC_NS) {
		swap = true;
		nano = __builtin_bswap32(magic) == PCAP_MAGIC_NS;
	} else {
		close(fd);
		return -ENOTSUP;
	}
	uint16_t major;
	memcpy(&major, hdr + 4, 2);
	if (swap)
		major = __builtin_bswap16(major);
	if (major != 2) {
		/* libpcap words these errors its own way; let it. */
		close(fd);
		return -ENOTSUP;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	/* No thread to be had (a limit on threads, say): read in line. */
	struct cap_readahead *ra = NULL;
	uint8_t *buf = NULL;
	if (!read_ahead ||
	    owfp_capture_readahead_start(&ra, fd, RA_BLOCK, RA_HEADROOM, RA_BLOCKS) != 0) {
		buf = owfp_malloc(BUF_CAP);
		if (!buf) {
			close(fd);
			owfp_capture_error_set(err, path, -ENOMEM, 0, 0, "out of memory");
			return -ENOMEM;
		}
	}
	rd->kind = CAP_READER_DIRECT;
	rd->fd = fd;
	rd->buf = buf;
	rd->ra = ra;
	rd->held = NULL;
	rd->have = rd->off = 0;
	rd->buf_pos = 24;
	rd->eof = false;
	rd->swap = swap;
	rd->nano = nano;
	uint32_t snaplen = rd32(hdr + 16, swap);
	rd->snapshot = (snaplen == 0 || snaplen > PCAP_MAX_SNAPLEN) ? PCAP_MAX_SNAPLEN : snaplen;
	/* The upper 16 bits may carry FCS information; the link type is below. */
	rd->linktype = (int)(rd32(hdr + 20, swap) & 0x03ffffffu);
	rd->total = (uint64_t)st.st_size;
	return 0;
}

/* fill() from the read-ahead ring: the unconsumed tail moves into the
 * headroom in front of the next block, which then hands the old block
 * back to the reader thread. A record longer than a block takes several. */
static int fill_ahead(struct cap_reader *rd, size_t need)
{
	while (rd->have - rd->off < need && !rd->eof) {
		uint8_t *d;
		size_t n;
		int rc = owfp_capture_readahead_take(rd->ra, &d, &n);
		if (rc)
			return rc;
		if (n == 0) {
			rd->eof = true;
			break;
		}
		size_t tail = rd->have - rd->off;
		if (tail)
			memcpy(d - tail, rd->buf + rd->off, tail);
		if (rd->held) {
			LOAN_RESET(rd->held - RA_HEADROOM, RA_HEADROOM + RA_BLOCK);
			owfp_capture_readahead_release(rd->ra);
		}
		rd->held = d;
		rd->buf_pos += rd->off;
		rd->buf = d - tail;
		rd->have = tail + n;
		rd->off = 0;
	}
	return 0;
}

/* Makes `need` unconsumed bytes available unless the file ends first. The
 * unconsumed tail moves to the front, which ends the previous record's
 * loan. Returns 0 or a negative errno. */
static int fill(struct cap_reader *rd, size_t need)
{
	if (rd->have - rd->off >= need || rd->eof)
		return 0;
	if (rd->ra)
		return fill_ahead(rd, need);
	LOAN_RESET(rd->buf, BUF_CAP);
	memmove(rd->buf, rd->buf + rd->off, rd->have - rd->off);
	rd->buf_pos += rd->off;
	rd->have -= rd->off;
	rd->off = 0;
	while (rd->have < need && !rd->eof) {
		ssize_t n = read(rd->fd, rd->buf + rd->have, BUF_CAP - rd->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			rd->eof = true;
		rd->have += (size_t)n;
	}
	return 0;
}

static int read_failed(struct cap_reader *rd, int rc, const char *path, owfp_capture_error *err)
{
	owfp_capture_error_set(err, path, rc, rd->record + 1, rd->buf_pos + rd->off, "read: %s",
			       strerror(-rc));
	return rc;
}

/* How far past the next record a second prefetch reaches (bytes). */
#define PREFETCH_AHEAD 1024

int owfp_capture_direct_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			     owfp_capture_error *err)
{
	LOAN_END(rd->buf, rd->off);
	int rc = fill(rd, 16);
	if (rc)
		return read_failed(rd, rc, path, err);
	size_t left = rd->have - rd->off;
	if (left == 0)
		return 0;
	uint64_t recno = rd->record + 1;
	uint64_t at = rd->buf_pos + rd->off;
	if (left < 16) {
		owfp_capture_error_set(err, path, -EBADMSG, recno, at,
				       "record header truncated: %zu of 16 bytes", left);
		return -EBADMSG;
	}
	const uint8_t *h = rd->buf + rd->off;
	uint32_t sec = rd32(h, rd->swap), frac = rd32(h + 4, rd->swap);
	uint32_t caplen = rd32(h + 8, rd->swap), origlen = rd32(h + 12, rd->swap);
	if (caplen > PCAP_MAX_SNAPLEN) {
		owfp_capture_error_set(err, path, -EBADMSG, recno, at,
				       "captured length %u exceeds the maximum of %u", caplen,
				       PCAP_MAX_SNAPLEN);
		return -EBADMSG;
	}
	rc = fill(rd, 16 + (size_t)caplen);
	if (rc)
		return read_failed(rd, rc, path, err);
	left = rd->have - rd->off;
	if (left - 16 < caplen) {
		owfp_capture_error_set(err, path, -EBADMSG, recno, at,
				       "record truncated: %zu of %u captured bytes", left - 16,
				       caplen);
		return -EBADMSG;
	}
	h = rd->buf + rd->off; /* fill() may have moved it */
	rec->data = h + 16;
	/* As libpcap: bytes beyond the file's snapshot length are skipped. */
	rec->caplen = caplen > rd->snapshot ? rd->snapshot : caplen;
	rec->origlen = origlen;
	/* libpcap reads both fields as signed 32-bit values and scales the
     * fraction without range checks; do the same so that both readers give
     * the same timestamps (and so the same timeouts) even for records whose
     * fraction is out of range (found by fuzz_capture). */
	uint64_t frac_ns = (uint64_t)(int64_t)(int32_t)frac * (rd->nano ? 1u : 1000u);
	rec->ts_ns = (uint64_t)(int64_t)(int32_t)sec * CAP_NS_PER_SEC + frac_ns;
	rd->rec_offset = at;
	rd->off += 16 + (size_t)caplen;
	rd->record = recno;
	/* The next records' headers, while the caller works on this one: with
     * the read-ahead thread they were written on another core, and loading
     * each one when it is needed stalls (on small packets, most of a
     * record's reading time). */
	if (rd->off + PREFETCH_AHEAD + 128 <= rd->have) {
		const uint8_t *n = rd->buf + rd->off;
		__builtin_prefetch(n);
		__builtin_prefetch(n + 64);
		__builtin_prefetch(n + PREFETCH_AHEAD);
		__builtin_prefetch(n + PREFETCH_AHEAD + 64);
	}
	return 1;
}

uint64_t owfp_capture_direct_pos(const struct cap_reader *rd)
{
	return rd->buf_pos + rd->off;
}

void owfp_capture_direct_close(struct cap_reader *rd)
{
	if (rd->ra) {
		size_t bytes;
		uint8_t *mem = owfp_capture_readahead_mem(rd->ra, &bytes);
		LOAN_RESET(mem, bytes);
		(void)mem;
		owfp_capture_readahead_stop(rd->ra); /* before the fd it reads from closes */
	} else if (rd->buf) {
		LOAN_RESET(rd->buf, BUF_CAP);
		free(rd->buf);
	}
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
	rd->buf = NULL;
	rd->ra = NULL;
	rd->held = NULL;
}
