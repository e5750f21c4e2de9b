/* The capture object: open, the read loop, and the consumer's controls. */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void owfp_capture_opts_init(owfp_capture_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->hole_skip_bytes = 1u << 20;
	opts->hole_skip_ns = 10 * CAP_NS_PER_SEC;
	opts->ack_hole_skip = true;
	opts->max_direction_bytes = 4u << 20;
	opts->max_total_bytes = 256u << 20;
	opts->max_flows = 1u << 20;
	opts->idle_timeout_ns = 120 * CAP_NS_PER_SEC;
	opts->closed_linger_ns = 5 * CAP_NS_PER_SEC;
	opts->frag_timeout_ns = 30 * CAP_NS_PER_SEC;
	opts->max_frag_datagrams = 1024;
	opts->progress_step = 16u << 20;
	opts->read_ahead = true;
}

/* A capture with its flow table and options, before any reader: shared by
 * the file and live openers. NULL (err set) when memory runs out. */
static owfp_capture *cap_new(const char *name, const owfp_capture_opts *opts, owfp_capture_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
	owfp_capture *cap = owfp_calloc(1, sizeof(*cap));
	if (!cap || owfp_capture_flowtab_init(cap) != 0) {
		if (cap)
			owfp_capture_flowtab_free(cap);
		free(cap);
		owfp_capture_error_set(err, name, -ENOMEM, 0, 0, "out of memory");
		return NULL;
	}
	if (opts)
		cap->opts = *opts;
	else
		owfp_capture_opts_init(&cap->opts);
	if (!cap->opts.max_flows)
		cap->opts.max_flows = 1;
	snprintf(cap->path, sizeof(cap->path), "%s", name);
	return cap;
}

/* Hands out `cap` when its reader opened (rc 0), else frees it. */
static int cap_finish(owfp_capture *cap, int rc, owfp_capture **out)
{
	if (rc != 0) {
		owfp_capture_flowtab_free(cap);
		free(cap);
		return rc;
	}
	*out = cap;
	return 0;
}

int owfp_capture_open(const char *path, const owfp_capture_opts *opts, owfp_capture **out,
		      owfp_capture_error *err)
{
	*out = NULL;
	owfp_capture *cap = cap_new(path, opts, err);
	if (!cap)
		return -ENOMEM;
	int rc = owfp_capture_probe(path, err);
	if (rc)
		return cap_finish(cap, rc, out);
	rc = -ENOTSUP;
	if (cap->opts.reader != OWFP_CAPTURE_READER_LIBPCAP) {
		rc = owfp_capture_direct_open(&cap->rd, path, cap->opts.read_ahead, err);
		if (rc == -ENOTSUP && cap->opts.reader == OWFP_CAPTURE_READER_DIRECT)
			owfp_capture_error_set(
				err, path, rc, 0, 0,
				"not a classic pcap regular file (direct reader forced)");
	}
	if (rc == -ENOTSUP && cap->opts.reader == OWFP_CAPTURE_READER_AUTO)
		rc = owfp_capture_pcapng_open(&cap->rd, path, err);
	if (rc == -ENOTSUP && cap->opts.reader != OWFP_CAPTURE_READER_DIRECT)
		rc = owfp_capture_pcap_open(&cap->rd, path, err);
	return cap_finish(cap, rc, out);
}

int owfp_capture_open_live(const char *iface, const char *bpf, const owfp_capture_opts *opts,
			   owfp_capture **out, owfp_capture_error *err)
{
	*out = NULL;
	owfp_capture *cap = cap_new(iface, opts, err);
	if (!cap)
		return -ENOMEM;
	return cap_finish(cap, owfp_capture_live_open(&cap->rd, iface, bpf, err), out);
}

void owfp_capture_describe(const owfp_capture *cap, char *out, size_t len)
{
	if (cap->rd.kind == CAP_READER_LIVE)
		owfp_capture_live_describe(&cap->rd, out, len);
	else if (len)
		out[0] = '\0';
}

static bool stop_requested(const owfp_capture *cap)
{
	return atomic_load_explicit(&((owfp_capture *)cap)->stop, memory_order_relaxed) ||
	       (cap->opts.stop && *cap->opts.stop);
}

/* The clock moved to cap->now: reap, then expire what timed out. */
static void clock_moved(owfp_capture *cap)
{
	if (cap->reap)
		owfp_capture_flowtab_reap(cap);
	if (cap->lru_head)
		owfp_capture_tcp_expire(cap, cap->now);
	if (cap->tomb_head)
		owfp_capture_tomb_expire(cap, cap->now);
}

/* Live capture, nothing arrived: time goes on without packets. */
static void idle(owfp_capture *cap)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * CAP_NS_PER_SEC + (uint64_t)ts.tv_nsec;
	if (now > cap->now && cap->now)
		cap->now = now;
	clock_moved(cap);
	if (cap->sink->idle)
		cap->sink->idle(cap->user);
}

static int next_record(owfp_capture *cap, struct cap_record *rec, owfp_capture_error *err)
{
	if (cap->rd.kind == CAP_READER_LIVE)
		return owfp_capture_live_next(&cap->rd, rec, stop_requested(cap), cap->path, err);
	if (cap->rd.kind == CAP_READER_DIRECT)
		return owfp_capture_direct_next(&cap->rd, rec, cap->path, err);
	if (cap->rd.kind == CAP_READER_PCAPNG)
		return owfp_capture_pcapng_next(&cap->rd, rec, cap->path, err);
	return owfp_capture_pcap_next(&cap->rd, rec, cap->path, err);
}

static uint64_t read_pos(owfp_capture *cap)
{
	if (cap->rd.kind == CAP_READER_LIVE)
		return owfp_capture_live_pos(&cap->rd);
	if (cap->rd.kind == CAP_READER_DIRECT)
		return owfp_capture_direct_pos(&cap->rd);
	if (cap->rd.kind == CAP_READER_PCAPNG)
		return owfp_capture_pcapng_pos(&cap->rd);
	return owfp_capture_pcap_pos(&cap->rd);
}

static void process(owfp_capture *cap, const struct cap_record *rec)
{
	struct cap_seg seg;
	switch (owfp_capture_decode(cap, rec, &seg)) {
	case CAP_DEC_TCP:
		cap->st.tcp_segments++;
		owfp_capture_tcp_segment(cap, &seg, rec->ts_ns);
		break;
	case CAP_DEC_FRAGMENT:
		break;
	case CAP_DEC_NON_TCP:
		cap->st.non_tcp++;
		break;
	case CAP_DEC_BAD:
		cap->st.bad_packets++;
		break;
	case CAP_DEC_BAD_CSUM:
		cap->st.bad_checksums++;
		break;
	case CAP_DEC_UNSUPPORTED_LINK:
		cap->st.unsupported_link++;
		owfp_capture_notice(cap, 1, "%s: unsupported link type %d: records skipped",
				    cap->path, cap->rd.linktype);
		break;
	}
}

int owfp_capture_run(owfp_capture *cap, const owfp_capture_sink *sink, void *user,
		     owfp_capture_error *err)
{
	static const owfp_capture_sink none;
	owfp_capture_error local;
	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (cap->ran)
		return -EALREADY;
	cap->ran = true;
	cap->sink = sink ? sink : &none;
	cap->user = user;
	uint64_t step = cap->opts.progress_step ? cap->opts.progress_step : UINT64_MAX;
	uint64_t next_progress = step;
	int rc = 0;
	bool live = cap->rd.kind == CAP_READER_LIVE;
	for (;;) {
		if (cap->nomem)
			break; /* reported below, once the open flows are ended */
		/* A live capture reads on to what the kernel already holds. */
		if (!live && stop_requested(cap)) {
			rc = -ECANCELED;
			owfp_capture_error_set(err, cap->path, rc, cap->rd.record, UINT64_MAX,
					       "stopped on request");
			break;
		}
		if (cap->work_head)
			owfp_capture_tcp_work(cap);
		struct cap_record rec;
		int r = next_record(cap, &rec, err);
		if (r == -EAGAIN && live) {
			idle(cap);
			continue;
		}
		if (r == 0 && live) {
			r = -ECANCELED;
			owfp_capture_error_set(err, cap->path, r, cap->rd.record, UINT64_MAX,
					       "stopped on request");
		}
		if (r <= 0) {
			rc = r;
			break;
		}
		uint64_t pos = read_pos(cap);
		cap->st.records++;
		cap->st.bytes_read = pos;
		atomic_store_explicit(&cap->done, pos, memory_order_relaxed);
		if (rec.ts_ns > cap->now)
			cap->now = rec.ts_ns;
		clock_moved(cap);
		process(cap, &rec);
		if (pos >= next_progress) {
			if (cap->sink->progress)
				cap->sink->progress(user, pos, cap->rd.total);
			next_progress = pos + step;
		}
	}
	if (live)
		owfp_capture_live_drops(&cap->rd, &cap->st.kernel_dropped,
					&cap->st.interface_dropped);
	if (cap->sink->end_of_input)
		cap->sink->end_of_input(user);
	owfp_capture_tcp_work(cap);
	owfp_capture_tcp_end_all(cap);
	if (cap->nomem && rc >= 0) {
		rc = -ENOMEM;
		owfp_capture_error_set(err, cap->path, rc, cap->rd.record, UINT64_MAX,
				       "out of memory: reading stopped, the flows open then ended "
				       "with what had arrived");
	}
	return rc;
}

/* The flow a pause/resume names, or NULL with *rc the error to return. */
static struct cap_flow *flow_for_dir(owfp_capture *cap, uint64_t flow_id, unsigned dir, int *rc)
{
	struct cap_flow *f = dir > 1 ? NULL : owfp_capture_flowtab_by_id(cap, flow_id);
	*rc = dir > 1 ? -EINVAL : f ? 0 : -ENOENT;
	return f;
}

int owfp_capture_pause(owfp_capture *cap, uint64_t flow_id, unsigned dir)
{
	int rc;
	struct cap_flow *f = flow_for_dir(cap, flow_id, dir, &rc);
	if (!f)
		return rc;
	f->dir[dir].paused = true;
	f->dir[dir].hole_open = false;
	return 0;
}

int owfp_capture_resume(owfp_capture *cap, uint64_t flow_id, unsigned dir)
{
	int rc;
	struct cap_flow *f = flow_for_dir(cap, flow_id, dir, &rc);
	if (!f)
		return rc;
	if (f->dir[dir].paused) {
		f->dir[dir].paused = false;
		owfp_capture_work_add(cap, f);
	}
	return 0;
}

int owfp_capture_ignore(owfp_capture *cap, uint64_t flow_id)
{
	struct cap_flow *f = owfp_capture_flowtab_by_id(cap, flow_id);
	if (!f)
		return -ENOENT;
	f->ignored = true;
	owfp_capture_work_add(cap, f);
	return 0;
}

void owfp_capture_stop(owfp_capture *cap)
{
	atomic_store(&cap->stop, 1);
	if (cap->rd.kind == CAP_READER_LIVE)
		owfp_capture_live_wake(&cap->rd);
}

void owfp_capture_progress(const owfp_capture *cap, uint64_t *bytes_done, uint64_t *bytes_total)
{
	*bytes_done = atomic_load_explicit(&((owfp_capture *)cap)->done, memory_order_relaxed);
	*bytes_total = cap->rd.total;
}

void owfp_capture_get_stats(const owfp_capture *cap, owfp_capture_stats *stats)
{
	*stats = cap->st;
}

const char *owfp_capture_reader_name(const owfp_capture *cap)
{
	return cap->rd.kind == CAP_READER_DIRECT   ? "direct"
	       : cap->rd.kind == CAP_READER_PCAPNG ? "pcapng"
	       : cap->rd.kind == CAP_READER_LIVE   ? "live"
						   : "libpcap";
}

int owfp_capture_linktype(const owfp_capture *cap)
{
	return cap->rd.linktype;
}

const char *owfp_capture_end_reason_name(enum owfp_capture_end_reason reason)
{
	static const char *const names[] = {"closed", "reset",  "timeout",
					    "open",   "reused", "evicted"};
	return (unsigned)reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "unknown";
}

void owfp_capture_close(owfp_capture *cap)
{
	if (!cap)
		return;
	struct cap_flow *g;
	while ((g = cap->lru_head)) {
		owfp_capture_reasm_release(cap, g, 0);
		owfp_capture_reasm_release(cap, g, 1);
		owfp_capture_flowtab_remove(cap, g);
	}
	owfp_capture_frag_free(cap);
	if (cap->rd.kind == CAP_READER_DIRECT)
		owfp_capture_direct_close(&cap->rd);
	else if (cap->rd.kind == CAP_READER_PCAPNG)
		owfp_capture_pcapng_close(&cap->rd);
	else if (cap->rd.kind == CAP_READER_LIVE)
		owfp_capture_live_close(&cap->rd);
	else
		owfp_capture_pcap_close(&cap->rd);
	owfp_capture_flowtab_free(cap);
	free(cap);
}
