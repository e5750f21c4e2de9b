/* Private structures shared by the capture module's files. */
#ifndef OWFP_CAPTURE_INTERNAL_H
#define OWFP_CAPTURE_INTERNAL_H

#include "capture/capture.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#define CAP_NS_PER_SEC 1000000000ull

/* One capture record as a reader hands it over; data stays valid until the
 * next call to the reader. */
struct cap_record {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t origlen;
	uint64_t ts_ns;
};

enum cap_reader_kind { CAP_READER_DIRECT, CAP_READER_LIBPCAP, CAP_READER_PCAPNG, CAP_READER_LIVE };

/* How the direct reader gets file bytes in line (reader_direct.c; the
 * OWFP_READER environment variable picks one, for benchmarks). Pipes and
 * other non-regular files never reach it: they go to libpcap. */
enum cap_io {
	CAP_IO_READ,    /* read() of `step` bytes into one reused buffer */
	CAP_IO_FADVISE, /* the same, larger steps, readahead() of the next window */
	CAP_IO_URING,   /* io_uring reads into registered buffers, queued ahead */
};

/* Read-ahead policy (ra_policy.c): whether the read-ahead thread reads, or
 * the caller in line. Only speed depends on it: the bytes, their order and
 * every record are the same either way. */
enum cap_ra_mode {
	CAP_RA_INLINE,    /* never the thread (--no-read-ahead) */
	CAP_RA_THREAD,    /* always the thread */
	CAP_RA_AUTO,      /* measure both over the first windows, keep the faster */
	CAP_RA_ALTERNATE, /* tests: switch at every window, forever */
	CAP_RA_COLD,      /* the thread only for a file not in the page cache */
};

/* What the policy has seen: [0] in line, [1] with the thread. */
struct cap_ra_probe {
	uint64_t ns[2], bytes[2];
	unsigned windows[2];
};

enum cap_ra_choice {
	CAP_RA_PROBE_INLINE, /* measure another window in line */
	CAP_RA_PROBE_THREAD, /* measure another window with the thread */
	CAP_RA_USE_INLINE,   /* decided: in line to the end */
	CAP_RA_USE_THREAD,   /* decided: the thread to the end */
};

/* Probing: windows of CAP_RA_WINDOW bytes, CAP_RA_ROUNDS of each mode,
 * alternating, in line first, unless one window of each already differs
 * by more than CAP_RA_CLEAR_PCT. The thread must be CAP_RA_MARGIN_PCT
 * faster to be kept (it costs the second core). Files smaller than
 * CAP_RA_SMALL_WINDOWS windows are read in line without probing; files not
 * in the page cache with the thread (its reads then overlap the disk's
 * latency). decide() is pure: what to read with next, from `p`. */
#define CAP_RA_WINDOW ((uint64_t)16 << 20)
#define CAP_RA_ROUNDS 2u
#define CAP_RA_MARGIN_PCT 5u
#define CAP_RA_CLEAR_PCT 20u
#define CAP_RA_SMALL_WINDOWS 6u

enum cap_ra_choice owfp_capture_ra_decide(enum cap_ra_mode mode, const struct cap_ra_probe *p,
					  uint64_t window, uint64_t file_size, bool cached);

/* The reader's side of the policy: where the current window started. */
struct cap_ra_state {
	enum cap_ra_mode mode;
	enum cap_ra_choice now; /* what runs now */
	struct cap_ra_probe probe;
	uint64_t window;   /* bytes per probe window */
	uint64_t win_pos;  /* file offset where the current window began */
	uint64_t win_ns;   /* CLOCK_MONOTONIC then */
	unsigned switches; /* mode changes so far (tests) */
};

struct cap_pcapng;
struct cap_live;

struct cap_reader {
	enum cap_reader_kind kind;
	int linktype;        /* LINKTYPE_* value (libpcap's DLT mapped back); pcapng:
                                of the last record's interface */
	uint64_t total;      /* file size, 0 if unknown */
	uint64_t record;     /* records handed out so far */
	uint64_t rec_offset; /* offset of the last record's header */
	/* direct reader (classic pcap, read() into one buffer, into a window
     * of a map, or into the blocks of a ring: then buf points into the
     * block `held`) */
	int fd;
	uint8_t *buf;
	uint8_t *plain; /* the in-line buffer (plain_cap bytes), or NULL */
	size_t plain_cap, step;
	struct cap_readahead *ra;
	struct cap_uring *uring;
	uint8_t *held;     /* data of the ring block buf is in, or NULL */
	size_t have;       /* bytes in buf */
	size_t off;        /* bytes of buf handed out */
	uint64_t buf_pos;  /* file offset of buf[0] */
	uint64_t read_pos; /* file offset of the next in-line read */
	uint64_t hint_pos; /* CAP_IO_FADVISE: where the next readahead() starts */
	uint64_t err_off;  /* file offset of a failed read */
	int ring_err;      /* a ring block failed after its bytes: returned next */
	uint64_t fault_at; /* tests: a read covering this offset fails with EIO */
	enum cap_io io;
	struct cap_ra_state ras;
	bool ra_paused; /* the thread reads no more: the caller reads in line */
	bool eof, swap, nano;
	uint32_t snapshot;
	/* libpcap reader */
	void *pcap; /* pcap_t */
	FILE *fp;
	uint64_t est_pos; /* offset of the next record */
	bool classic;     /* classic pcap (not pcapng) */
	/* pcapng reader (reader_pcapng.c) */
	struct cap_pcapng *ng;
	/* live capture (reader_live.c) */
	struct cap_live *live;
};

/* A decoded TCP segment. Addresses are 16 bytes, IPv4 in the first 4. */
struct cap_seg {
	int family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t urp;
	const uint8_t *payload;
	uint32_t len;      /* captured payload bytes */
	uint32_t wire_len; /* payload bytes on the wire (> len: cut by snaplen) */
};

#define CAP_TH_FIN 0x01
#define CAP_TH_SYN 0x02
#define CAP_TH_RST 0x04
#define CAP_TH_PSH 0x08
#define CAP_TH_ACK 0x10
#define CAP_TH_URG 0x20

/* Out-of-order or paused bytes [off, off + len), sorted, never overlapping. */
struct cap_node {
	struct cap_node *prev, *next;
	uint64_t off;
	uint32_t len;
	uint8_t flags; /* OWFP_CAPTURE_DATA_PSH */
	uint8_t *b;    /* first undelivered byte inside buf */
	uint8_t buf[];
};

#define CAP_MAX_URG 4
/* Every buffered segment is charged this much on top of its payload, as a
 * receiver charges socket-buffer overhead per segment: a capture of tiny
 * segments cannot smuggle unbounded node counts under the byte limits. */
#define CAP_NODE_COST 128u

/* One direction of a flow, seen from its receiver. */
struct cap_dir {
	bool init, fin_seen, fin_done, paused, hole_open;
	uint32_t next_seq; /* sequence number of the next byte to deliver */
	uint64_t next_off; /* its stream offset */
	uint64_t fin_off;
	struct cap_node *head, *tail;
	size_t buffered;               /* payload bytes in the nodes */
	size_t mem;                    /* the same plus CAP_NODE_COST per node: what limits see */
	uint64_t hole_since;           /* capture time the current hole was first seen */
	uint64_t missed_pending;       /* reported with the next chunk */
	uint64_t lost_start, lost_end; /* bytes known lost (snaplen cut, memory bound) */
	uint64_t urg[CAP_MAX_URG];
	unsigned nurg;
};

/* Addresses as two 64-bit words each: equality is four compares. */
struct cap_key {
	uint64_t a[2], b[2]; /* canonical order: (a, pa) < (b, pb) */
	uint16_t pa, pb;
	uint8_t family;
};

static inline bool cap_key_eq(const struct cap_key *x, const struct cap_key *y)
{
	return ((x->a[0] ^ y->a[0]) | (x->a[1] ^ y->a[1]) | (x->b[0] ^ y->b[0]) |
		(x->b[1] ^ y->b[1])) == 0 &&
	       x->pa == y->pa && x->pb == y->pb && x->family == y->family;
}

enum cap_flow_state { CAP_FLOW_LIVE, CAP_FLOW_ENDED };

struct cap_flow {
	struct cap_flow *hnext;  /* hash chain */
	struct cap_flow *idnext; /* id chain */
	struct cap_flow *lru_prev, *lru_next;
	struct cap_flow *work_prev, *work_next;
	struct cap_key key;
	uint64_t hash;
	uint64_t last_ns;
	uint32_t client_isn;
	uint8_t state;
	bool client_is_a, syn_seen, ignored, in_work, in_id;
	bool ending; /* being flushed: FINs do not close it */
	owfp_capture_flow pub;
	void *user;
	struct cap_dir dir[2]; /* indexed by sender: OWFP_CAPTURE_DIR_* */
};

/* What is left of a closed or reset flow during its linger: enough to
 * recognise its late segments (and a SYN that reopens the 5-tuple). */
struct cap_tomb {
	struct cap_tomb *hnext; /* hash chain */
	struct cap_tomb *next;  /* FIFO by end time; free list */
	uint64_t end_ns;
	struct cap_key key;
	uint32_t client_isn;
	bool client_is_a, syn_seen, dead; /* dead: reopened, waits in the FIFO */
};
/* No stored hash: comparing keys is as fast, and 72 bytes instead of 80 is
 * 10% less memory for the tens of thousands a busy capture keeps. */
_Static_assert(sizeof(struct cap_tomb) <= 72, "tombstones stay compact");

struct cap_tomb_slab;

struct cap_frag_table;

struct owfp_capture {
	owfp_capture_opts opts;
	char path[256];
	struct cap_reader rd;
	owfp_capture_stats st;
	_Atomic uint64_t done;
	atomic_int stop;
	bool ran;
	bool nomem; /* an allocation failed: run() stops and returns -ENOMEM */

	const owfp_capture_sink *sink;
	void *user;

	struct cap_flow **buckets;
	size_t nbuckets, nflows, nlive;
	struct cap_flow **idb;
	size_t nidb;
	struct cap_flow *lru_head, *lru_tail;
	struct cap_flow *work_head;
	struct cap_flow *reap;  /* ended flows freed at the next safe point */
	struct cap_flow *spare; /* freed records kept for reuse */
	size_t nspare;
	struct cap_tomb **tbuckets;
	size_t ntbuckets, ntombs; /* ntombs: in the FIFO, dead or not */
	struct cap_tomb *tomb_head, *tomb_tail, *tomb_free;
	struct cap_tomb_slab *slabs; /* newest first */
	size_t slab_used;            /* tombstones handed out of the newest */
	uint64_t next_id;
	size_t buffered_total;
	uint64_t now;

	struct cap_frag_table *frag;
	uint8_t *fragbuf; /* rebuilt datagram of the last reassembly */
	unsigned notices; /* bit set of notices already given */
};

/* error.c */
void owfp_capture_error_set(owfp_capture_error *err, const char *file, int code, uint64_t record,
			    uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* reader_direct.c / reader_pcap.c: open returns 0, -ENOTSUP (direct: not a
 * classic pcap regular file) or a negative errno with err set. next returns
 * 1 with a record, 0 at the clean end, or a negative errno with err set; the
 * record's bytes stay valid until the next call. */
int owfp_capture_direct_open(struct cap_reader *rd, const char *path, bool read_ahead,
			     owfp_capture_error *err);
int owfp_capture_direct_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			     owfp_capture_error *err);
void owfp_capture_direct_close(struct cap_reader *rd);
uint64_t owfp_capture_direct_pos(const struct cap_reader *rd);
int owfp_capture_pcap_open(struct cap_reader *rd, const char *path, owfp_capture_error *err);
int owfp_capture_pcap_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			   owfp_capture_error *err);
void owfp_capture_pcap_close(struct cap_reader *rd);
uint64_t owfp_capture_pcap_pos(struct cap_reader *rd);
/* reader_pcapng.c: pcapng regular files, per-packet link types. open
 * returns -ENOTSUP for anything else. */
int owfp_capture_pcapng_open(struct cap_reader *rd, const char *path, owfp_capture_error *err);
int owfp_capture_pcapng_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			     owfp_capture_error *err);
void owfp_capture_pcapng_close(struct cap_reader *rd);
uint64_t owfp_capture_pcapng_pos(const struct cap_reader *rd);

/* reader_live.c: an interface through libpcap. next returns 1 with a
 * record; -EAGAIN when nothing came for a tick (100 ms) or the wait was
 * woken (a stop, a signal); 0 once `stopping` and the packets the kernel
 * had already captured are read (at most 250 ms more); or a negative errno
 * with err set (the interface went away). wake is async-signal-safe. */
int owfp_capture_live_open(struct cap_reader *rd, const char *iface, const char *bpf,
			   owfp_capture_error *err);
int owfp_capture_live_next(struct cap_reader *rd, struct cap_record *rec, bool stopping,
			   const char *path, owfp_capture_error *err);
void owfp_capture_live_wake(struct cap_reader *rd);
void owfp_capture_live_close(struct cap_reader *rd);
uint64_t owfp_capture_live_pos(const struct cap_reader *rd);
void owfp_capture_live_describe(const struct cap_reader *rd, char *out, size_t len);
/* Packets the kernel dropped (buffer full) and the interface dropped, so far. */
void owfp_capture_live_drops(struct cap_reader *rd, uint64_t *dropped, uint64_t *if_dropped);

/* decode.c */
enum cap_decode {
	CAP_DEC_TCP,      /* seg filled */
	CAP_DEC_FRAGMENT, /* handed to the fragment table (maybe completed into seg) */
	CAP_DEC_NON_TCP,
	CAP_DEC_BAD,
	CAP_DEC_BAD_CSUM,
	CAP_DEC_UNSUPPORTED_LINK,
};
enum cap_decode owfp_capture_decode(owfp_capture *cap, const struct cap_record *rec,
				    struct cap_seg *seg);
enum cap_decode owfp_capture_decode_ip(owfp_capture *cap, const uint8_t *p, uint32_t len,
				       int family, struct cap_seg *seg, bool reassembled);
uint16_t owfp_capture_csum_fold(uint64_t sum);
uint64_t owfp_capture_csum_add(uint64_t sum, const uint8_t *p, size_t len);

/* ipfrag.c: returns a rebuilt datagram (valid until the next call) or NULL. */
struct cap_frag_info {
	int family;
	const uint8_t *src, *dst;
	uint32_t id;
	uint8_t proto;
	uint32_t offset; /* in bytes */
	bool more;
	const uint8_t *hdr; /* IPv4 header / IPv6 fixed header of this fragment */
	uint32_t hdrlen;
	const uint8_t *data;
	uint32_t len;
};
const uint8_t *owfp_capture_frag_add(owfp_capture *cap, const struct cap_frag_info *fi,
				     uint32_t *out_len);
void owfp_capture_frag_free(owfp_capture *cap);

/* flowtab.c */
int owfp_capture_flowtab_init(owfp_capture *cap);
void owfp_capture_flowtab_free(owfp_capture *cap);
struct cap_flow *owfp_capture_flowtab_find(owfp_capture *cap, const struct cap_key *key,
					   uint64_t hash);
struct cap_flow *owfp_capture_flowtab_insert(owfp_capture *cap, const struct cap_key *key,
					     uint64_t hash);
void owfp_capture_flowtab_remove(owfp_capture *cap, struct cap_flow *f);
/* Unlinks f like remove but frees it only at the next reap: callers up the
 * stack may still look at f->state. */
void owfp_capture_flowtab_retire(owfp_capture *cap, struct cap_flow *f);
void owfp_capture_flowtab_reap(owfp_capture *cap);
void owfp_capture_flowtab_touch(owfp_capture *cap, struct cap_flow *f, uint64_t ts);
void owfp_capture_flowtab_id_add(owfp_capture *cap, struct cap_flow *f);
void owfp_capture_flowtab_id_del(owfp_capture *cap, struct cap_flow *f);
struct cap_flow *owfp_capture_flowtab_by_id(owfp_capture *cap, uint64_t id);
void owfp_capture_work_add(owfp_capture *cap, struct cap_flow *f);
void owfp_capture_work_del(owfp_capture *cap, struct cap_flow *f);
uint64_t owfp_capture_key_make(const struct cap_seg *seg, struct cap_key *key, bool *src_is_a);
uint64_t owfp_capture_key_hash(const struct cap_key *key);

/* readahead.c: read() on a thread of its own into a ring of blocks, each
 * with `headroom` writable bytes in front of its data. take() returns the
 * next block (len 0: end of file; a negative errno: read failed);
 * release() gives back the oldest block taken. */
struct cap_readahead;
int owfp_capture_readahead_start(struct cap_readahead **out, int fd, size_t block_bytes,
				 size_t headroom, unsigned nblocks);
int owfp_capture_readahead_take(struct cap_readahead *ra, uint8_t **data, size_t *len);
void owfp_capture_readahead_release(struct cap_readahead *ra);
uint8_t *owfp_capture_readahead_mem(const struct cap_readahead *ra, size_t *bytes);
void owfp_capture_readahead_stop(struct cap_readahead *ra);
/* pause() returns once the thread reads no more (it finishes the read it
 * is in); take() then hands out what was read before and returns -EAGAIN
 * once nothing is left, and the fd's offset is where the thread stopped.
 * resume() lets it read on from the fd's offset. err_off: the file offset
 * where a read failed. start_at: tests make the read covering file offset
 * `fault_at` fail with EIO (UINT64_MAX: none). */
int owfp_capture_readahead_start_at(struct cap_readahead **out, int fd, size_t block_bytes,
				    size_t headroom, unsigned nblocks, uint64_t fault_at);
void owfp_capture_readahead_pause(struct cap_readahead *ra);
void owfp_capture_readahead_resume(struct cap_readahead *ra);
uint64_t owfp_capture_readahead_err_off(struct cap_readahead *ra);

/* reader_uring.c: the same ring contract (take, release) with io_uring
 * reads at explicit offsets into registered buffers, `nblocks` in flight,
 * from file offset `pos` on. start returns -ENOSYS where io_uring is not
 * built in or the kernel refuses it (the caller then reads with read()). */
struct cap_uring;
int owfp_capture_uring_start(struct cap_uring **out, int fd, uint64_t pos, size_t block_bytes,
			     size_t headroom, unsigned nblocks, uint64_t fault_at);
int owfp_capture_uring_take(struct cap_uring *u, uint8_t **data, size_t *len);
void owfp_capture_uring_release(struct cap_uring *u);
uint8_t *owfp_capture_uring_mem(const struct cap_uring *u, size_t *bytes);
uint64_t owfp_capture_uring_err_off(const struct cap_uring *u);
void owfp_capture_uring_stop(struct cap_uring *u);

/* tomb.c: compact records of closed and reset flows for opts.closed_linger_ns */
void owfp_capture_tomb_add(owfp_capture *cap, const struct cap_flow *f, uint64_t ts);
struct cap_tomb *owfp_capture_tomb_find(owfp_capture *cap, const struct cap_key *key, uint64_t hash);
void owfp_capture_tomb_del(owfp_capture *cap, struct cap_tomb *t);
void owfp_capture_tomb_expire(owfp_capture *cap, uint64_t now);
void owfp_capture_tomb_free(owfp_capture *cap);

/* reasm.c: one direction's receiver */
void owfp_capture_reasm_segment(owfp_capture *cap, struct cap_flow *f, unsigned d,
				const struct cap_seg *seg, uint32_t seq_data, uint64_t ts);
void owfp_capture_reasm_drain(owfp_capture *cap, struct cap_flow *f, unsigned d, uint64_t ts);
void owfp_capture_reasm_timers(owfp_capture *cap, struct cap_flow *f, uint64_t ts);
/* The peer acknowledged `ack` of direction d: a hole it covers was received
 * by the host, so the capture lost it. */
void owfp_capture_reasm_acked(owfp_capture *cap, struct cap_flow *f, unsigned d, uint32_t ack,
			      uint64_t ts);
void owfp_capture_reasm_flush(owfp_capture *cap, struct cap_flow *f, uint64_t ts);
void owfp_capture_reasm_release(owfp_capture *cap, struct cap_flow *f, unsigned d);
void owfp_capture_reasm_reclaim(owfp_capture *cap, size_t need, uint64_t ts);

/* tcp.c: flows, handshake, FIN/RST, reuse, timeouts */
void owfp_capture_tcp_segment(owfp_capture *cap, const struct cap_seg *seg, uint64_t ts);
void owfp_capture_tcp_expire(owfp_capture *cap, uint64_t now);
void owfp_capture_tcp_end(owfp_capture *cap, struct cap_flow *f,
			  enum owfp_capture_end_reason reason, uint64_t ts);
void owfp_capture_tcp_end_all(owfp_capture *cap);
void owfp_capture_tcp_work(owfp_capture *cap);
void owfp_capture_notice(owfp_capture *cap, unsigned bit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
