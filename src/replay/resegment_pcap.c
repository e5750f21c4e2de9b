/*
 * Rewrites a capture with new TCP segmentation (see resegment.h): the
 * reassembled streams of src/capture go out again as synthetic packets.
 * Only segment boundaries change: the bytes, their order within each
 * direction and the order in which the two directions (and different
 * flows) speak stay as captured. Flows picked up mid-stream get a
 * handshake; holes keep their size (a gap in the sequence numbers).
 */
#include "replay/resegment.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/pcap_api.h"
#include "util/alloc.h"

#define SEG_MAX 65000u /* fits an IPv4 or IPv6 packet with headers */
#define CUTS_TEXT 1000

typedef struct rw_flow {
	owfp_capture_flow info;
	uint32_t seq[2];  /* next sequence number per capture direction */
	uint8_t *pend[2]; /* bytes not yet written, per direction */
	size_t npend[2], cappend[2];
	uint64_t rng;
	size_t log_index;
} rw_flow;

typedef struct rw {
	const struct owfp_pcap_fns *pc;
	pcap_dumper_t *d;
	bool recut;
	uint64_t seed;
	uint64_t last_ts;
	owfp_reseg_log *log;
	uint8_t pkt[14 + 40 + 20 + SEG_MAX];
	int error;
} rw;

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 1 .. 64 KiB, log-uniform: every size class is as likely as the next. */
static size_t cut_size(rw_flow *f)
{
	double u = (double)(splitmix(&f->rng) >> 11) / 9007199254740992.0;
	size_t n = (size_t)exp(u * log(65536.0));
	return n < 1 ? 1 : n > SEG_MAX ? SEG_MAX : n;
}

static uint16_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* One TCP packet from capture direction `dir` of the flow. */
static void emit(rw *w, rw_flow *f, unsigned dir, uint8_t flags, const uint8_t *data, size_t n,
		 uint64_t ts)
{
	const owfp_capture_endpoint *src = dir ? &f->info.server : &f->info.client;
	const owfp_capture_endpoint *dst = dir ? &f->info.client : &f->info.server;
	bool v6 = f->info.family == AF_INET6;
	uint8_t *p = w->pkt;
	size_t iph = v6 ? 40 : 20, l4 = 20 + n;
	memset(p, 0, 14 + iph + 20);
	put16(p + 12, v6 ? 0x86dd : 0x0800);
	uint8_t *ip = p + 14, *tcp = ip + iph;
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)l4);
		ip[6] = 6;
		ip[7] = 64;
		memcpy(ip + 8, src->addr, 16);
		memcpy(ip + 24, dst->addr, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4));
		put16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, src->addr, 4);
		memcpy(ip + 16, dst->addr, 4);
		put16(ip + 10, (uint16_t)~csum_add(0, ip, 20));
	}
	put16(tcp, src->port);
	put16(tcp + 2, dst->port);
	put32(tcp + 4, f->seq[dir]);
	put32(tcp + 8, (flags & 0x02) && !(flags & 0x10) ? 0 : f->seq[!dir]);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	if (n)
		memcpy(tcp + 20, data, n);
	/* pseudo-header, then the segment */
	uint8_t ph[40];
	size_t phn;
	if (v6) {
		memcpy(ph, src->addr, 16);
		memcpy(ph + 16, dst->addr, 16);
		put32(ph + 32, (uint32_t)l4);
		memset(ph + 36, 0, 3);
		ph[39] = 6;
		phn = 40;
	} else {
		memcpy(ph, src->addr, 4);
		memcpy(ph + 4, dst->addr, 4);
		ph[8] = 0;
		ph[9] = 6;
		put16(ph + 10, (uint16_t)l4);
		phn = 12;
	}
	uint32_t sum = csum_add(0, ph, phn);
	put16(tcp + 16, (uint16_t)~csum_add(sum, tcp, l4));

	if (ts <= w->last_ts)
		ts = w->last_ts + 1000;
	w->last_ts = ts;
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)(14 + iph + l4),
				.len = (bpf_u_int32)(14 + iph + l4)};
	h.ts.tv_sec = (time_t)(ts / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(ts % 1000000000ull / 1000);
	w->pc->pcap_dump((u_char *)w->d, &h, w->pkt);
	f->seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1 : 0); /* SYN and FIN take one */
}

static void log_cut(rw *w, rw_flow *f, unsigned dir, size_t n)
{
	owfp_reseg_flow *lf = &w->log->flows[f->log_index];
	lf->ncuts[dir]++;
	size_t have = lf->cuts[dir] ? strlen(lf->cuts[dir]) : 0;
	if (have >= CUTS_TEXT)
		return;
	char *s = owfp_realloc(lf->cuts[dir], have + 32);
	if (!s)
		return;
	lf->cuts[dir] = s;
	snprintf(s + have, 32, "%s%zu%s", have ? " " : "", n, have + 16 >= CUTS_TEXT ? " ..." : "");
}

/* Writes what is pending in `dir`: as it came, or re-cut. Re-cut
 * segments all carry PSH; as-it-came ones carry it where the original did,
 * so a replay that merges segments (Q19) merges them as in the original. */
static void flush_flags(rw *w, rw_flow *f, unsigned dir, uint64_t ts, uint8_t flags)
{
	size_t off = 0;
	while (off < f->npend[dir]) {
		size_t n = w->recut ? cut_size(f) : SEG_MAX;
		if (n > f->npend[dir] - off)
			n = f->npend[dir] - off;
		log_cut(w, f, dir, n);
		emit(w, f, dir, flags, f->pend[dir] + off, n, ts);
		off += n;
	}
	f->npend[dir] = 0;
}

static void flush(rw *w, rw_flow *f, unsigned dir, uint64_t ts)
{
	flush_flags(w, f, dir, ts, 0x18); /* PSH|ACK */
}

static void *on_start(void *user, const owfp_capture_flow *flow)
{
	rw *w = user;
	rw_flow *f = owfp_calloc(1, sizeof(*f));
	owfp_reseg_log *log = w->log;
	if (!f || (log->n == log->cap &&
		   !(log->flows = owfp_realloc(log->flows, (log->cap = log->cap ? 2 * log->cap : 64) *
								   sizeof(*log->flows))))) {
		w->error = -ENOMEM;
		free(f);
		return NULL;
	}
	f->info = *flow;
	f->rng = w->seed ^ (flow->id * 0x9e3779b97f4a7c15ull);
	f->log_index = log->n;
	log->flows[log->n++] = (owfp_reseg_flow){.id = flow->id};
	f->seq[0] = (uint32_t)splitmix(&f->rng);
	f->seq[1] = (uint32_t)splitmix(&f->rng);
	uint64_t ts = flow->start_ns;
	emit(w, f, 0, 0x02, NULL, 0, ts); /* SYN */
	emit(w, f, 1, 0x12, NULL, 0, ts); /* SYN+ACK */
	emit(w, f, 0, 0x10, NULL, 0, ts); /* ACK */
	return f;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	rw *w = user;
	rw_flow *f = fu;
	if (!f)
		return;
	unsigned dir = d->dir, other = !dir;
	if (f->npend[other])
		flush(w, f, other, d->ts_ns);
	/* the first run keeps the original boundaries; holes keep their size */
	if (!w->recut || d->missed_before)
		flush(w, f, dir, d->ts_ns);
	f->seq[dir] += (uint32_t)d->missed_before;
	if (f->npend[dir] + d->len > f->cappend[dir]) {
		size_t cap = (f->npend[dir] + d->len) * 2;
		uint8_t *p = owfp_realloc(f->pend[dir], cap);
		if (!p) {
			w->error = -ENOMEM;
			return;
		}
		f->pend[dir] = p;
		f->cappend[dir] = cap;
	}
	memcpy(f->pend[dir] + f->npend[dir], d->bytes, d->len);
	f->npend[dir] += d->len;
	if (!w->recut)
		flush_flags(w, f, dir, d->ts_ns, (d->flags & OWFP_CAPTURE_DATA_PSH) ? 0x18 : 0x10);
}

/* What is pending both ways goes out first, then the FIN or RST. */
static void end_stream(rw *w, rw_flow *f, unsigned dir, uint64_t ts, uint8_t tcp_flags)
{
	if (!f)
		return;
	flush(w, f, !dir, ts);
	flush(w, f, dir, ts);
	emit(w, f, dir, tcp_flags, NULL, 0, ts);
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	end_stream(user, fu, dir, ts, 0x11); /* FIN|ACK */
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	end_stream(user, fu, dir, ts, 0x14); /* RST|ACK */
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason reason, uint64_t ts)
{
	(void)reason;
	rw *w = user;
	rw_flow *f = fu;
	if (!f)
		return;
	flush(w, f, 0, ts);
	flush(w, f, 1, ts);
	free(f->pend[0]);
	free(f->pend[1]);
	free(f);
}

void owfp_reseg_log_free(owfp_reseg_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->flows[i].cuts[0]);
		free(log->flows[i].cuts[1]);
	}
	free(log->flows);
	memset(log, 0, sizeof(*log));
}

int owfp_reseg_write(const char *in, const owfp_replay_opts *o, const char *out, bool recut,
		     uint64_t seed, owfp_reseg_log *log, owfp_error *err)
{
	owfp_capture_opts copts;
	owfp_capture_opts_init(&copts);
	copts.overlap = o->overlap;
	copts.verify_checksums = o->verify_checksums;
	copts.read_ahead = !o->no_read_ahead;
	owfp_capture_error cerr;
	owfp_capture *cap = NULL;
	int rc = owfp_capture_open(in, &copts, &cap, &cerr);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "%s", cerr.message);
		return rc;
	}
	char why[256];
	const struct owfp_pcap_fns *pc = owfp_pcap_load(why, sizeof(why));
	if (!pc) {
		snprintf(err->msg, sizeof(err->msg),
			 "--resegment needs libpcap to write captures: %s", why);
		owfp_capture_close(cap);
		return -ELIBACC;
	}
	pcap_t *dead = pc->pcap_open_dead(DLT_EN10MB, 262144);
	rw *w = owfp_calloc(1, sizeof(*w));
	if (!dead || !w) {
		if (dead)
			pc->pcap_close(dead);
		owfp_capture_close(cap);
		free(w);
		return -ENOMEM;
	}
	w->pc = pc;
	w->d = pc->pcap_dump_open(dead, out);
	if (!w->d) {
		snprintf(err->msg, sizeof(err->msg), "%.300s: %.150s", out, pc->pcap_geterr(dead));
		pc->pcap_close(dead);
		owfp_capture_close(cap);
		free(w);
		return -EIO;
	}
	w->recut = recut;
	w->seed = seed;
	w->log = log;
	const owfp_capture_sink sink = {
		.flow_start = on_start,
		.data = on_data,
		.fin = on_fin,
		.rst = on_rst,
		.flow_end = on_end,
	};
	rc = owfp_capture_run(cap, &sink, w, &cerr);
	if (rc && rc != -ECANCELED)
		snprintf(err->msg, sizeof(err->msg), "%s", cerr.message);
	else if (w->error)
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory rewriting it", in);
	if (!rc)
		rc = w->error;
	pc->pcap_dump_close(w->d);
	pc->pcap_close(dead);
	owfp_capture_close(cap);
	free(w);
	return rc;
}
