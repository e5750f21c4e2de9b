/* Capture decoding and TCP reassembly: reads a capture and rebuilds every
 * TCP stream the way the receiving host would have seen it.
 *
 * Contract in one paragraph: owfp_capture_open() opens a capture file (or
 * "-" for standard input); owfp_capture_run() reads it to the end in one
 * call and drives the sink's callbacks, in capture order, on the calling
 * thread. Nothing is printed; problems come back as return codes plus an
 * owfp_capture_error. The module has no WFP dependency: the replay engine
 * turns the callbacks into stream indications.
 *
 * Per flow, callbacks come strictly in this order and are deterministic
 * (same capture + same options + same consumer answers = same sequence):
 *
 *   flow_start  once, before anything else of that flow
 *   data / fin  any number, per direction in stream order; a direction's
 *               fin comes after all its data and at most once
 *   rst         at most once; it ends both directions (nothing follows
 *               but flow_end)
 *   flow_end    exactly once, last (also for ignored flows)
 *
 * Directions: OWFP_CAPTURE_DIR_C2S (0) is data sent by the client,
 * OWFP_CAPTURE_DIR_S2C (1) data sent by the server. The client is the side
 * that sent the SYN (or that received the SYN+ACK when the SYN itself is
 * missing from the capture). A flow whose handshake is not in the capture
 * is picked up mid-stream (flow->midstream) and the client is chosen by
 * opts.midstream_client (see docs/reassembly.md).
 *
 * Callbacks may call owfp_capture_pause(), owfp_capture_resume(),
 * owfp_capture_ignore() and owfp_capture_stop() (for any flow), but must
 * not call owfp_capture_run() or owfp_capture_close().
 */
#ifndef OWFP_CAPTURE_CAPTURE_H
#define OWFP_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct owfp_capture owfp_capture;

enum owfp_capture_dir {
	OWFP_CAPTURE_DIR_C2S = 0, /* bytes sent by the client */
	OWFP_CAPTURE_DIR_S2C = 1, /* bytes sent by the server */
};

/* Which copy of a byte wins when segments overlap with different data. */
enum owfp_capture_overlap {
	OWFP_CAPTURE_OVERLAP_FIRST = 0, /* default: the first copy captured */
	OWFP_CAPTURE_OVERLAP_LAST = 1,  /* the last copy, for bytes not yet delivered */
};

/* Who is the client of a flow picked up mid-stream. */
enum owfp_capture_midstream {
	/* default: the lower port is the server; equal ports fall back to
     * FIRST_SENDER */
	OWFP_CAPTURE_MIDSTREAM_PORT = 0,
	/* the sender of the first segment seen is the client */
	OWFP_CAPTURE_MIDSTREAM_FIRST_SENDER = 1,
};

enum owfp_capture_reader {
	OWFP_CAPTURE_READER_AUTO = 0,   /* direct for classic pcap files, pcapng for pcapng
                                       files, libpcap otherwise (standard input) */
	OWFP_CAPTURE_READER_DIRECT = 1, /* force direct; open fails with -ENOTSUP if impossible */
	OWFP_CAPTURE_READER_LIBPCAP = 2 /* force libpcap */
};

enum owfp_capture_end_reason {
	OWFP_CAPTURE_END_CLOSED = 0,  /* both directions delivered their FIN */
	OWFP_CAPTURE_END_RESET = 1,   /* an RST was delivered (see the rst callback) */
	OWFP_CAPTURE_END_TIMEOUT = 2, /* idle longer than opts.idle_timeout_ns (capture time) */
	OWFP_CAPTURE_END_OPEN = 3,    /* still open at the end of the capture (or stop) */
	OWFP_CAPTURE_END_REUSED = 4,  /* a new SYN started a new connection on the same tuple */
	OWFP_CAPTURE_END_EVICTED = 5, /* flow table full (opts.max_flows): the idlest flow went */
};

/* Flags of owfp_capture_data.flags. */
#define OWFP_CAPTURE_DATA_PSH 0x1u /* a segment contributing these bytes carried PSH */
#define OWFP_CAPTURE_DATA_URG 0x2u /* these bytes are urgent (always one chunk of their own) */
#define OWFP_CAPTURE_DATA_MORE \
	0x4u /* a coalescing hint: the next chunk of this direction is
                                       ready right behind this one and comes next unless
                                       this callback pauses or ignores; may be missing */

typedef struct owfp_capture_opts {
	enum owfp_capture_overlap overlap;
	enum owfp_capture_midstream midstream_client;
	enum owfp_capture_reader reader;
	bool verify_checksums; /* drop IPv4 header / TCP segments with bad checksums */
	bool read_ahead;       /* direct reader: read() on a thread of its own, ahead of
                                     decoding (default true; false: in line) */

	/* Hole skipping: a hole (bytes never captured) is given up on, and
     * reported as missed bytes, when any of these holds. 0 disables a rule. */
	uint64_t hole_skip_bytes; /* bytes buffered beyond the hole (default 1 MiB) */
	uint64_t hole_skip_ns;    /* capture time the hole stayed open (default 10 s) */
	bool ack_hole_skip;       /* the peer's ACK covers the hole and data waits behind it
                                     (default true) */

	/* Memory bounds for buffered (out-of-order or paused) data. Exceeding
     * them forces hole skips; paused data past the bound is dropped and
     * later reported as missed. */
	size_t max_direction_bytes; /* per direction (default 4 MiB) */
	size_t max_total_bytes;     /* all flows plus IP fragments (default 256 MiB) */
	size_t max_flows;           /* concurrent flows before eviction, and lingering
                                     closed flows (default 1M; about 0.5 KiB of
                                     state per flow, 72 bytes per closed one) */

	uint64_t idle_timeout_ns;  /* capture time without a packet (default 120 s; 0: never) */
	uint64_t closed_linger_ns; /* capture time a closed or reset flow keeps absorbing
                                     its late segments (default 5 s; 0: not at all) */
	uint64_t frag_timeout_ns;  /* IP reassembly timeout (default 30 s; 0: never) */
	size_t max_frag_datagrams; /* datagrams in reassembly at once (default 1024) */

	uint64_t progress_step; /* bytes between progress callbacks (default 16 MiB) */

	/* A flag a signal handler sets (NULL: none): when it becomes non-zero,
     * run() stops as after owfp_capture_stop(). Looked at after every
     * packet and, on a live capture, at least every 100 ms. */
	const volatile int *stop;
} owfp_capture_opts;

/* Fills *opts with the defaults above. Always start from this. */
void owfp_capture_opts_init(owfp_capture_opts *opts);

typedef struct owfp_capture_endpoint {
	uint8_t addr[16]; /* network byte order; IPv4 uses the first 4 bytes, rest zero */
	uint16_t port;    /* host byte order */
	char text[48];    /* printable address, e.g. "10.0.0.1" or "2001:db8::1" */
} owfp_capture_endpoint;

typedef struct owfp_capture_flow {
	uint64_t id; /* 1, 2, 3... in order of flow_start; unique in the run */
	int family;  /* AF_INET or AF_INET6 */
	owfp_capture_endpoint client, server;
	bool midstream;    /* handshake not in the capture */
	uint64_t start_ns; /* capture time of the first packet (ns since the epoch) */
} owfp_capture_flow;

typedef struct owfp_capture_data {
	unsigned dir;           /* enum owfp_capture_dir */
	const uint8_t *bytes;   /* valid only during the callback (may point into the
                               packet or the mapped file): copy what you keep */
	size_t len;             /* may be 0 only when missed_before > 0 (a skipped
                               hole right before a FIN or the end of the flow) */
	unsigned flags;         /* OWFP_CAPTURE_DATA_* */
	uint64_t missed_before; /* bytes lost from the capture right before bytes[0] */
	uint64_t offset;        /* stream offset of bytes[0] in this direction
                               (first byte after the SYN = 0; includes missed bytes) */
	uint64_t ts_ns;         /* capture time at which the bytes became deliverable */
} owfp_capture_data;

/* Any callback may be NULL. `user` is the pointer given to run(); `flow_user`
 * is what flow_start returned for that flow. */
typedef struct owfp_capture_sink {
	void *(*flow_start)(void *user, const owfp_capture_flow *flow);
	void (*data)(void *user, void *flow_user, const owfp_capture_data *data);
	/* The direction's sender closed it; all its data came before. */
	void (*fin)(void *user, void *flow_user, unsigned dir, uint64_t ts_ns);
	/* The flow was reset by `dir_of_sender`; both directions end now and data
     * still buffered (out of order or paused) is discarded. */
	void (*rst)(void *user, void *flow_user, unsigned dir_of_sender, uint64_t ts_ns);
	void (*flow_end)(void *user, void *flow_user, enum owfp_capture_end_reason reason,
			 uint64_t ts_ns);
	/* Called once after the last record was processed and before open flows
     * end: the place to resume paused directions (their data is delivered
     * right after this returns). */
	void (*end_of_input)(void *user);
	/* Called every opts.progress_step bytes read; total is 0 if unknown (stdin). */
	void (*progress)(void *user, uint64_t bytes_done, uint64_t bytes_total);
	/* A condition worth telling the user, reported once per kind (for example
     * "unsupported link type 147: records skipped"). Not an error. */
	void (*notice)(void *user, const char *message);
	/* Live capture only: no packet came for a while (at least every 100 ms
     * while the interface is quiet). The place to run work other threads
     * queued; the capture's idle timeouts advance with the clock here. */
	void (*idle)(void *user);
} owfp_capture_sink;

typedef struct owfp_capture_error {
	int code;          /* negative errno (0: no error) */
	char file[256];    /* capture path as given ("-" for stdin), maybe cut */
	uint64_t record;   /* 1-based record where reading stopped (0: file header) */
	uint64_t offset;   /* byte offset of that record's header in the file
                              (UINT64_MAX if unknown) */
	char reason[192];  /* short cause, e.g. "record truncated: 40 of 1514 bytes" */
	char message[512]; /* "FILE: record N at offset X: reason", ready to print */
} owfp_capture_error;

typedef struct owfp_capture_stats {
	uint64_t records;               /* capture records read */
	uint64_t bytes_read;            /* file bytes consumed */
	uint64_t tcp_segments;          /* TCP segments decoded */
	uint64_t non_tcp;               /* valid records that are not TCP over IP: skipped */
	uint64_t unsupported_link;      /* records of an unsupported link type: skipped */
	uint64_t bad_packets;           /* malformed or truncated headers: skipped */
	uint64_t bad_checksums;         /* dropped by verify_checksums */
	uint64_t fragments;             /* IP fragments seen */
	uint64_t fragments_reassembled; /* datagrams rebuilt from fragments */
	uint64_t fragments_dropped;     /* fragments given up (timeout, limits, bad) */
	uint64_t flows;                 /* flows started */
	uint64_t flows_midstream;       /* of which picked up mid-stream */
	uint64_t bytes_delivered;       /* payload bytes given to the data callback */
	uint64_t retransmitted_bytes;   /* bytes received again, not delivered twice */
	uint64_t overlaps_differing;    /* segments overlapping buffered data with other bytes */
	uint64_t overlap_bytes_differing;
	uint64_t holes_skipped;
	uint64_t bytes_missed;         /* bytes in skipped holes (reported as missed_before) */
	uint64_t bytes_dropped_paused; /* paused data dropped at the memory bound */
	uint64_t bytes_discarded;      /* buffered data thrown away (RST, ignore, after FIN) */
	uint64_t ignored_segments;     /* segments of ignored or ended flows */
	uint64_t flows_timed_out;
	uint64_t flows_evicted;
	uint64_t buffered_bytes_peak;   /* high-water mark of buffered bytes */
	uint64_t flow_records_peak;     /* most full flow records held at once */
	uint64_t closed_lingering_peak; /* most closed flows lingering at once (compact) */
	uint64_t kernel_dropped;        /* live capture: packets the kernel dropped (buffer full) */
	uint64_t interface_dropped;     /* live capture: packets the interface dropped */
} owfp_capture_stats;

/* Opens `path` ("-": standard input). opts may be NULL (defaults).
 * Returns 0 and *out, or a negative errno with *err filled (err may be NULL). */
int owfp_capture_open(const char *path, const owfp_capture_opts *opts, owfp_capture **out,
		      owfp_capture_error *err);

/* Captures live on network interface `iface` ("any" for all) through
 * libpcap: immediate mode, whole packets (snapshot length 262144), not
 * promiscuous, keeping only what the BPF expression `bpf` (NULL or "":
 * everything) accepts. Capturing has begun when this returns 0. run()
 * then goes on until owfp_capture_stop() or opts->stop, reads what the
 * kernel had already captured (at most 250 ms more) and returns
 * -ECANCELED; flows still open end with OWFP_CAPTURE_END_OPEN. Errors:
 * -ENODEV no such interface, -EPERM not allowed to capture, -EINVAL a bad
 * BPF expression, -ELIBACC no libpcap; err says which and what to do. */
int owfp_capture_open_live(const char *iface, const char *bpf, const owfp_capture_opts *opts,
			   owfp_capture **out, owfp_capture_error *err);

/* "IFACE, link-type EN10MB (Ethernet), snapshot length 262144 bytes[,
 * filter 'EXPR']" for a live capture; "" for a file. */
void owfp_capture_describe(const owfp_capture *cap, char *out, size_t len);

/* Reads the whole capture, calling the sink. At the end (or on a read error
 * or stop) open flows are flushed: their buffered data is delivered with
 * holes skipped, then they end with OWFP_CAPTURE_END_OPEN.
 * Returns 0 when the capture was read to its end, -ECANCELED after
 * owfp_capture_stop(), or a negative errno (-EBADMSG corrupt/truncated,
 * -EIO read error, -ENOMEM out of memory: reading stops there) with *err
 * saying where and why; everything readable
 * before that point was processed. Call at most once per capture. */
int owfp_capture_run(owfp_capture *cap, const owfp_capture_sink *sink, void *user,
		     owfp_capture_error *err);

/* Pause: stop delivering `dir` of the flow (as if the receiver's window
 * closed); later data is buffered up to opts.max_direction_bytes, the rest
 * dropped and reported as missed after resume. FIN waits behind the paused
 * data; RST still ends the flow at once. Resume: buffered data is delivered
 * before the next packet is processed (or right after end_of_input).
 * Both return 0 or -ENOENT (unknown or ended flow), -EINVAL (bad dir). */
int owfp_capture_pause(owfp_capture *cap, uint64_t flow_id, unsigned dir);
int owfp_capture_resume(owfp_capture *cap, uint64_t flow_id, unsigned dir);

/* The consumer dropped the connection: no more data/fin/rst callbacks for
 * this flow, its buffers are freed and later segments are discarded cheaply.
 * flow_end still comes once, when the flow ends. Returns 0 or -ENOENT. */
int owfp_capture_ignore(owfp_capture *cap, uint64_t flow_id);

/* Makes run() return -ECANCELED after the current packet (a live capture:
 * after what the kernel already captured). Safe from a signal handler and
 * from another thread; a live capture's wait for packets ends at once. */
void owfp_capture_stop(owfp_capture *cap);

/* Progress, safe to poll from another thread: bytes of the file consumed
 * so far and its total size (0 if unknown). */
void owfp_capture_progress(const owfp_capture *cap, uint64_t *bytes_done, uint64_t *bytes_total);

/* Counters so far (complete once run() returned). */
void owfp_capture_get_stats(const owfp_capture *cap, owfp_capture_stats *stats);

/* "direct", "pcapng", "libpcap" or "live": which reader serves this capture. */
const char *owfp_capture_reader_name(const owfp_capture *cap);

/* Whether `path` is a capture file at all (pcap or pcapng, with a whole
 * file header), without reading it: 0, or a negative errno with err's
 * message saying what was expected and what the file looks like instead
 * ("not a capture: expected pcap or pcapng, and it looks like text ...",
 * "... the file is empty", "... it is gzip-compressed: decompress it
 * first"). Standard input ("-") and FIFOs pass: their reader says. */
int owfp_capture_probe(const char *path, owfp_capture_error *err);

/* Link type (LINKTYPE_* value) of the capture: of its first interface, for
 * a pcapng capture whose interfaces differ (each packet is decoded by its
 * own interface's). */
int owfp_capture_linktype(const owfp_capture *cap);

const char *owfp_capture_end_reason_name(enum owfp_capture_end_reason reason);

/* Frees everything. Does not call the sink (run() already ended all flows;
 * if run() was never called, flows never started). NULL is allowed. */
void owfp_capture_close(owfp_capture *cap);

#ifdef __cplusplus
}
#endif

#endif
