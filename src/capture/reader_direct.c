/* Classic pcap read directly, without libpcap: the fast path. It must
 * behave exactly like libpcap's reader on every file both accept. Records
 * are handed out without a user-space copy: they point into the buffer,
 * valid until the next call, as libpcap's are.
 *
 * How the file's bytes get into that buffer (enum cap_io; OWFP_READER=
 * read|fadvise|uring picks one, for benchmarks):
 *  - read: 256 KiB read()s into one reused buffer that stays in the CPU
 *    cache (the default);
 *  - fadvise: the same with 1 MiB read()s and readahead() of the next 8 MiB;
 *  - (a map of 2 MiB MAP_POPULATE windows was measured too, and removed:
 *    slowest of all, and a file cut while mapped raises SIGBUS);
 *  - uring: io_uring reads into registered buffers, 4 blocks in flight.
 * Measured on the 283 MB bulk capture of bench/replay_bench.sh (2-core VM,
 * 2026-12-06), walking every record header: 150-180 ms through a map
 * populated ahead (MADV_POPULATE_READ) and released behind, 23-27 ms with
 * 256 KiB read()s, against 37 ms for `cat`: a map pays page-table work for
 * every 4 KiB page on the way in and out, and a TLB miss at first touch.
 * docs/PERFORMANCE.md has the candidates' numbers on this machine kind
 * (bench/capture_bench.sh --readers).
 *
 * With opts.read_ahead (the default) the read()s may happen on a thread of
 * their own (readahead.c), into a ring of blocks; records are handed out
 * of those blocks the same way. Whether the thread reads is decided by
 * ra_policy.c from what this run measures, and may change at a window's
 * end: in line, the caller reads from where the thread stopped. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
/* libpcap refuses records longer than this for every link type we decode. */
#define PCAP_MAX_SNAPLEN 262144u
/* Bytes per read(): 64 KiB reads cost about 40% more CPU on the file above;
 * bigger ones fall out of the L2 cache. */
#define READ_STEP ((size_t)256 << 10)
#define FADVISE_STEP ((size_t)1 << 20)
#define FADVISE_AHEAD ((uint64_t)8 << 20)
#define URING_BLOCK ((size_t)256 << 10)
#define URING_BLOCKS 4u
/* A whole record of the largest size fits after a partial one is moved
 * to the front, with a full read step to spare. */
#define PLAIN_CAP(step) ((step) + 16 + PCAP_MAX_SNAPLEN)
/* Read-ahead ring: 8 blocks of 128 KiB stay inside the shared cache, and
 * the reader, woken when half the ring is free, is woken once per 512 KiB
 * (a wake-up costs the caller a futex call and, on a VM, an interrupt to the
 * other core). The headroom in front of each block holds the largest record. */
#define RA_BLOCK ((size_t)128 << 10)
#define RA_BLOCKS 8u
#define RA_HEADROOM (16 + PCAP_MAX_SNAPLEN)

/* The defaults, each one constant to flip after measuring
 * (bench/capture_bench.sh --readers / --read-ahead, docs/PERFORMANCE.md):
 * how bytes are read unless OWFP_READER=read|fadvise|uring says
 * otherwise, and what opts.read_ahead means unless OWFP_READ_AHEAD=
 * cold|auto|thread|inline does. Measured 2026-12-08 on a quiet 2-core
 * machine, Release, 7 rounds (docs/PERFORMANCE.md "Reading the capture"):
 * against read() in line, the capture module alone ran at 0.80/0.92 with
 * fadvise+readahead, 0.26/0.51 with the map, 0.82/0.89 with io_uring and
 * 0.73/0.95 with the read-ahead thread on captures (a)/(b); replay with
 * the thread always 0.69/0.94, with probing (auto) 0.80/0.95. So read()
 * in line, and the thread only where reads wait for the disk. */
#define IO_DEFAULT CAP_IO_READ
#define RA_DEFAULT CAP_RA_COLD

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

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * CAP_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The benchmarks' switches (environment): -EINVAL with err set on a value
 * that names nothing, so a typo cannot measure the wrong reader. */
static int env_choice(const char *var, const char *const *names, int n, int dflt, const char *path,
		      owfp_capture_error *err)
{
	const char *v = getenv(var);
	if (!v || !*v)
		return dflt;
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(v, names[i]) == 0)
			return i;
	owfp_capture_error_set(err, path, -EINVAL, 0, 0, "%s=%s names no reading mode", var, v);
	return -EINVAL;
}

static uint64_t env_bytes(const char *var, uint64_t dflt)
{
	const char *v = getenv(var);
	char *end;
	unsigned long long n = v ? strtoull(v, &end, 10) : 0;
	return v && *v && !*end && n >= 4096 ? (uint64_t)n : dflt;
}

/* Whether the file's bytes are in the page cache, from a byte at each of
 * 16 places (a read that would wait for the disk fails with EAGAIN). */
static bool file_cached(int fd, uint64_t size)
{
#ifdef RWF_NOWAIT
	for (unsigned i = 0; i < 16; i++) {
		uint8_t b;
		struct iovec iov = {&b, 1};
		ssize_t n = preadv2(fd, &iov, 1, (off_t)(size / 16 * i), RWF_NOWAIT);
		if (n < 0 && errno == EAGAIN)
			return false;
		if (n < 0)
			return true; /* cannot tell: measure */
	}
#else
	(void)fd, (void)size;
#endif
	return true;
}

int owfp_capture_direct_open(struct cap_reader *rd, const char *path, bool read_ahead,
			     owfp_capture_error *err)
{
	if (strcmp(path, "-") == 0)
		return -ENOTSUP;
	static const char *const io_names[] = {"read", "fadvise", "uring"};
	static const char *const ra_names[] = {"inline", "thread", "auto", "alternate", "cold"};
	int io = env_choice("OWFP_READER", io_names, (int)(sizeof(io_names) / sizeof(io_names[0])),
			    IO_DEFAULT, path, err);
	int ra = env_choice("OWFP_READ_AHEAD", ra_names,
			    (int)(sizeof(ra_names) / sizeof(ra_names[0])), RA_DEFAULT, path, err);
	if (io < 0 || ra < 0)
		return -EINVAL;
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
	memset(rd, 0, sizeof(*rd));
	rd->kind = CAP_READER_DIRECT;
	rd->fd = fd;
	rd->io = (enum cap_io)io;
	rd->step = (size_t)env_bytes("OWFP_READ_STEP",
				     io == CAP_IO_FADVISE ? FADVISE_STEP : READ_STEP);
	if (rd->step > ((size_t)64 << 20))
		rd->step = (size_t)64 << 20;
	rd->fault_at = UINT64_MAX;
	rd->buf_pos = rd->read_pos = rd->hint_pos = 24;
	rd->swap = swap;
	rd->nano = nano;
	uint32_t snaplen = rd32(hdr + 16, swap);
	rd->snapshot = (snaplen == 0 || snaplen > PCAP_MAX_SNAPLEN) ? PCAP_MAX_SNAPLEN : snaplen;
	/* The upper 16 bits may carry FCS information; the link type is below. */
	rd->linktype = (int)(rd32(hdr + 20, swap) & 0x03ffffffu);
	rd->total = (uint64_t)st.st_size;
	/* io_uring replaces the read()s the thread would take over. */
	rd->ras.mode = !read_ahead || io == CAP_IO_URING ? CAP_RA_INLINE : (enum cap_ra_mode)ra;
	rd->ras.window = env_bytes("OWFP_READ_AHEAD_WINDOW", CAP_RA_WINDOW);
	bool cached = (rd->ras.mode != CAP_RA_AUTO && rd->ras.mode != CAP_RA_COLD) ||
		      rd->total < rd->ras.window * CAP_RA_SMALL_WINDOWS ||
		      file_cached(fd, rd->total);
	rd->ras.now = owfp_capture_ra_decide(rd->ras.mode, &rd->ras.probe, rd->ras.window,
					     rd->total, cached);
	rd->ras.win_pos = 24;
	if (io != CAP_IO_URING) {
		rd->plain_cap = PLAIN_CAP(rd->step);
		rd->plain = owfp_malloc(rd->plain_cap);
		if (!rd->plain) {
			close(fd);
			owfp_capture_error_set(err, path, -ENOMEM, 0, 0, "out of memory");
			return -ENOMEM;
		}
		rd->buf = rd->plain;
	}
	if (rd->ras.now == CAP_RA_PROBE_INLINE || rd->ras.now == CAP_RA_PROBE_THREAD)
		rd->ras.win_ns = mono_ns();
	return 0;
}

/* Ring blocks (read-ahead thread or io_uring): the unconsumed tail moves
 * into the headroom in front of the next block, which then hands the old
 * block back. A record longer than a block takes several. Returns 1 when
 * a paused thread's blocks are all handed out (the caller reads on). */
static int fill_ring(struct cap_reader *rd, size_t need)
{
	while (rd->have - rd->off < need && !rd->eof) {
		uint8_t *d;
		size_t n;
		if (rd->ring_err)
			return rd->ring_err;
		int rc = rd->uring ? owfp_capture_uring_take(rd->uring, &d, &n)
				   : owfp_capture_readahead_take(rd->ra, &d, &n);
		if (rc == -EAGAIN && !rd->uring)
			return 1;
		if (rc) {
			rd->err_off = rd->uring ? owfp_capture_uring_err_off(rd->uring)
						: owfp_capture_readahead_err_off(rd->ra);
			/* What was read before the failure is handed out first,
			 * as read() hands it out before failing at the bad spot. */
			rd->ring_err = rc;
			if (n == 0)
				return rc;
		}
		if (n == 0) {
			rd->eof = true;
			break;
		}
		size_t tail = rd->have - rd->off;
		if (tail)
			memcpy(d - tail, rd->buf + rd->off, tail);
		size_t blk = rd->uring ? URING_BLOCK : RA_BLOCK;
		if (rd->held) {
			LOAN_RESET(rd->held - RA_HEADROOM, RA_HEADROOM + blk);
			if (rd->uring)
				owfp_capture_uring_release(rd->uring);
			else
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

/* The in-line buffer: the unconsumed tail moves to the front (ending the
 * previous record's loan), then read()s fill it. */
static int fill_plain(struct cap_reader *rd, size_t need)
{
	size_t tail = rd->have - rd->off;
	LOAN_RESET(rd->plain, rd->plain_cap);
	memmove(rd->plain, rd->buf + rd->off, tail);
	if (rd->held) { /* leaving a paused thread's last block */
		LOAN_RESET(rd->held - RA_HEADROOM, RA_HEADROOM + RA_BLOCK);
		owfp_capture_readahead_release(rd->ra);
		rd->held = NULL;
	}
	rd->buf = rd->plain;
	rd->buf_pos += rd->off;
	rd->have = tail;
	rd->off = 0;
	rd->read_pos = rd->buf_pos + rd->have;
	while (rd->have < need && !rd->eof) {
		if (rd->io == CAP_IO_FADVISE && rd->read_pos >= rd->hint_pos) {
			(void)readahead(rd->fd, (off_t)rd->read_pos, FADVISE_AHEAD);
			rd->hint_pos = rd->read_pos + FADVISE_AHEAD / 2;
		}
		size_t want = rd->plain_cap - rd->have;
		/* tests: the bytes before the fault read, then EIO, as at a bad page */
		if (rd->fault_at == rd->read_pos) {
			rd->err_off = rd->fault_at;
			return -EIO;
		}
		if (rd->fault_at > rd->read_pos && rd->fault_at < rd->read_pos + want)
			want = (size_t)(rd->fault_at - rd->read_pos);
		ssize_t n = read(rd->fd, rd->buf + rd->have, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rd->err_off = rd->read_pos;
			return -errno;
		}
		if (n == 0)
			rd->eof = true;
		rd->have += (size_t)n;
		rd->read_pos += (uint64_t)n;
	}
	return 0;
}

static void stop_thread(struct cap_reader *rd)
{
	size_t bytes;
	uint8_t *mem = owfp_capture_readahead_mem(rd->ra, &bytes);
	LOAN_RESET(mem, bytes);
	(void)mem;
	owfp_capture_readahead_stop(rd->ra);
	rd->ra = NULL;
	rd->ra_paused = false;
}

/* The policy's window ended: account for it and read on as it decides. */
static void policy_step(struct cap_reader *rd)
{
	struct cap_ra_state *s = &rd->ras;
	uint64_t pos = rd->buf_pos + rd->off;
	if (pos - s->win_pos < s->window)
		return;
	unsigned m = s->now == CAP_RA_PROBE_THREAD;
	uint64_t now = mono_ns();
	s->probe.ns[m] += now - s->win_ns;
	s->probe.bytes[m] += pos - s->win_pos;
	s->probe.windows[m]++;
	enum cap_ra_choice next = owfp_capture_ra_decide(s->mode, &s->probe, s->window, rd->total,
							 true);
	bool thread_now = s->now == CAP_RA_PROBE_THREAD || s->now == CAP_RA_USE_THREAD;
	bool thread_next = next == CAP_RA_PROBE_THREAD || next == CAP_RA_USE_THREAD;
	s->now = next;
	s->win_pos = pos;
	s->win_ns = now;
	if (thread_now == thread_next)
		return;
	s->switches++;
	if (!rd->ra)
		return; /* fill() starts it */
	if (thread_next)
		owfp_capture_readahead_resume(rd->ra);
	else
		owfp_capture_readahead_pause(rd->ra);
	rd->ra_paused = !thread_next;
}

/* Makes `need` unconsumed bytes available unless the file ends first.
 * Returns 0 or a negative errno (rd->err_off: where the read failed). */
static int fill(struct cap_reader *rd, size_t need)
{
	if (rd->have - rd->off >= need || rd->eof)
		return 0;
	if (rd->ras.now == CAP_RA_PROBE_INLINE || rd->ras.now == CAP_RA_PROBE_THREAD)
		policy_step(rd);
	if (rd->io == CAP_IO_URING && !rd->uring) {
		int rc = owfp_capture_uring_start(&rd->uring, rd->fd, rd->read_pos, URING_BLOCK,
						  RA_HEADROOM, URING_BLOCKS, rd->fault_at);
		if (rc) { /* no io_uring here: read() */
			rd->io = CAP_IO_READ;
			rd->plain_cap = PLAIN_CAP(rd->step);
			rd->plain = owfp_malloc(rd->plain_cap);
			if (!rd->plain)
				return -ENOMEM;
			rd->buf = rd->plain;
		}
	}
	if (rd->uring)
		return fill_ring(rd, need);
	bool thread = rd->ras.now == CAP_RA_PROBE_THREAD || rd->ras.now == CAP_RA_USE_THREAD;
	if (thread && !rd->ra) {
		/* No thread to be had (a limit on threads, say): read in line. */
		if (owfp_capture_readahead_start_at(&rd->ra, rd->fd, RA_BLOCK, RA_HEADROOM,
						    RA_BLOCKS, rd->fault_at) != 0) {
			rd->ra = NULL;
			rd->ras.now = CAP_RA_USE_INLINE;
		}
	}
	bool drained = false;
	if (rd->ra) {
		/* In line after the thread: first what it had read. */
		int rc = fill_ring(rd, need);
		if (rc != 1)
			return rc;
		drained = true;
	}
	int rc = fill_plain(rd, need);
	if (drained && rd->ras.now == CAP_RA_USE_INLINE)
		stop_thread(rd); /* decided: in line to the end */
	return rc;
}

static int read_failed(struct cap_reader *rd, int rc, const char *path, owfp_capture_error *err)
{
	owfp_capture_error_set(err, path, rc, rd->record + 1, rd->buf_pos + rd->off,
			       "read failed at file offset %llu: %s",
			       (unsigned long long)rd->err_off, strerror(-rc));
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
	size_t bytes;
	if (rd->ra)
		stop_thread(rd); /* before the fd it reads from closes */
	if (rd->uring) {
		uint8_t *mem = owfp_capture_uring_mem(rd->uring, &bytes);
		LOAN_RESET(mem, bytes);
		(void)mem;
		owfp_capture_uring_stop(rd->uring);
	}
	if (rd->plain) {
		LOAN_RESET(rd->plain, rd->plain_cap);
		free(rd->plain);
	}
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
	rd->buf = rd->plain = NULL;
	rd->ra = NULL;
	rd->uring = NULL;
	rd->held = NULL;
}
