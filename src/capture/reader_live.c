/*
 * Live capture on an interface through libpcap (loaded on first use,
 * util/pcap_api.h): immediate mode, so each packet is handed over as it
 * arrives rather than when a kernel block fills; snapshot length 262144
 * (libpcap's default for 0, whole packets, GRO super-packets included);
 * not promiscuous; a 32 MiB kernel buffer, since loopback hands over
 * 64 KiB packets and the 2 MiB default holds only a few dozen of them.
 *
 * The handle is non-blocking and we wait ourselves, in poll() on the
 * capture descriptor and an eventfd, with a 100 ms tick: the tick lets
 * the consumer run work other threads queued and notice a stop flag set by
 * a signal handler; the eventfd lets owfp_capture_stop() (any thread, or a
 * signal handler) end the wait at once. pcap_breakloop() is called as
 * well, so a libpcap call in progress returns.
 */
#include "capture/internal.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "util/pcap_api.h"
#include "util/alloc.h"

#define LIVE_SNAPLEN 262144
#define LIVE_BUFFER (32 << 20)
#define LIVE_TICK_MS 100
#define LIVE_FLUSH_NS (250 * 1000000ull)

struct cap_live {
	pcap_t *p;
	int fd;      /* pcap_get_selectable_fd */
	int wake_fd; /* eventfd written by owfp_capture_live_wake */
	bool nano;   /* timestamps in nanoseconds */
	bool flushing;
	uint64_t flush_end; /* CLOCK_MONOTONIC ns */
	uint64_t pos;       /* bytes captured so far */
	char iface[64];
	char bpf[192];
};

static const struct owfp_pcap_fns *pc(void)
{
	return owfp_pcap_load(NULL, 0);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * CAP_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static int dlt_to_linktype(int dlt)
{
	return dlt == DLT_RAW ? 101 : dlt;
}

/* Errors name the interface, not a file header or record. */
__attribute__((format(printf, 4, 5))) static int live_fail(owfp_capture_error *err, const char *iface,
							   int code, const char *fmt, ...)
{
	char reason[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	owfp_capture_error_set(err, iface, code, 0, UINT64_MAX, "%s", reason);
	if (err)
		snprintf(err->message, sizeof(err->message), "interface %s: %s", iface, reason);
	return code;
}

static void live_free(struct cap_live *L)
{
	if (L->p)
		pc()->pcap_close(L->p);
	if (L->wake_fd >= 0)
		close(L->wake_fd);
	free(L);
}

/* pcap_activate's answer in words, with what to do about it. */
static int activate_error(pcap_t *p, int st, const char *iface, owfp_capture_error *err)
{
	const char *detail = pc()->pcap_geterr(p);
	if (st == PCAP_ERROR_NO_SUCH_DEVICE)
		return live_fail(err, iface, -ENODEV,
				 "no such interface (`ip link` lists them; libpcap: %s)", detail);
	if (st == PCAP_ERROR_PERM_DENIED)
		return live_fail(err, iface, -EPERM,
				 "capturing needs root or CAP_NET_RAW (libpcap: %s)", detail);
	return live_fail(err, iface, -EIO, "cannot capture: %s (%s)", pc()->pcap_statustostr(st),
			 detail);
}

int owfp_capture_live_open(struct cap_reader *rd, const char *iface, const char *bpf,
			   owfp_capture_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const struct owfp_pcap_fns *f = owfp_pcap_load(errbuf, sizeof(errbuf));
	if (!f)
		return live_fail(err, iface, -ELIBACC, "live capture needs libpcap: %s", errbuf);
	struct cap_live *L = owfp_calloc(1, sizeof(*L));
	if (!L)
		return live_fail(err, iface, -ENOMEM, "out of memory");
	int rc = 0;
	snprintf(L->iface, sizeof(L->iface), "%s", iface);
	snprintf(L->bpf, sizeof(L->bpf), "%s", bpf ? bpf : "");
	L->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (L->wake_fd < 0) {
		rc = live_fail(err, iface, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if (!(L->p = f->pcap_create(iface, errbuf))) {
		rc = live_fail(err, iface, -ENODEV, "cannot capture: %s", errbuf);
		goto fail;
	}
	f->pcap_set_snaplen(L->p, LIVE_SNAPLEN);
	f->pcap_set_immediate_mode(L->p, 1);
	f->pcap_set_buffer_size(L->p, LIVE_BUFFER);
	/* Nanoseconds where the kernel gives them; microseconds otherwise. */
	f->pcap_set_tstamp_precision(L->p, PCAP_TSTAMP_PRECISION_NANO);
	int st = f->pcap_activate(L->p);
	if (st < 0) {
		rc = activate_error(L->p, st, iface, err);
		goto fail;
	}
	L->nano = f->pcap_get_tstamp_precision(L->p) == PCAP_TSTAMP_PRECISION_NANO;
	if (bpf && *bpf) {
		struct bpf_program prog;
		if (f->pcap_compile(L->p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			rc = live_fail(err, iface, -EINVAL, "--bpf '%s': %s", bpf,
				       f->pcap_geterr(L->p));
			goto fail;
		}
		int frc = f->pcap_setfilter(L->p, &prog);
		f->pcap_freecode(&prog);
		if (frc != 0) {
			rc = live_fail(err, iface, -EINVAL, "--bpf '%s': %s", bpf,
				       f->pcap_geterr(L->p));
			goto fail;
		}
	}
	if (f->pcap_setnonblock(L->p, 1, errbuf) != 0 ||
	    (L->fd = f->pcap_get_selectable_fd(L->p)) < 0) {
		rc = live_fail(err, iface, -EIO, "cannot wait for packets on it: %s",
			       errbuf[0] ? errbuf : "no descriptor");
		goto fail;
	}
	rd->kind = CAP_READER_LIVE;
	rd->live = L;
	rd->linktype = dlt_to_linktype(f->pcap_datalink(L->p));
	rd->total = 0;
	return 0;
fail:
	live_free(L);
	return rc;
}

/* Waits for the capture descriptor, the wake eventfd or a tick: 1 when
 * packets may be there, 0 otherwise (the caller reports idle). */
static int wait_packets(struct cap_live *L)
{
	struct pollfd fds[2] = {{.fd = L->fd, .events = POLLIN},
				{.fd = L->wake_fd, .events = POLLIN}};
	int n = poll(fds, 2, LIVE_TICK_MS);
	if (n <= 0)
		return 0; /* tick, or a signal (EINTR): let the consumer look */
	if (fds[1].revents) {
		uint64_t v;
		ssize_t r = read(L->wake_fd, &v, sizeof(v));
		(void)r;
		return 0;
	}
	return 1;
}

int owfp_capture_live_next(struct cap_reader *rd, struct cap_record *rec, bool stopping,
			   const char *path, owfp_capture_error *err)
{
	struct cap_live *L = rd->live;
	if (stopping && !L->flushing) {
		L->flushing = true;
		L->flush_end = mono_ns() + LIVE_FLUSH_NS;
	}
	for (;;) {
		/* A stop still takes what the kernel already captured: the
         * packets right before Ctrl-C belong to the run. */
		if (L->flushing && mono_ns() > L->flush_end)
			return 0;
		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pc()->pcap_next_ex(L->p, &h, &data);
		if (rc == 1) {
			rec->data = data;
			rec->caplen = h->caplen;
			rec->origlen = h->len;
			rec->ts_ns = (uint64_t)(int64_t)h->ts.tv_sec * CAP_NS_PER_SEC +
				     (uint64_t)(int64_t)h->ts.tv_usec * (L->nano ? 1 : 1000);
			rd->rec_offset = L->pos;
			rd->record++;
			L->pos += h->caplen;
			return 1;
		}
		if (rc == PCAP_ERROR_BREAK) {
			if (L->flushing)
				continue; /* the stop's own breakloop: it is cleared now */
			return -EAGAIN;
		}
		if (rc == 0) {
			if (L->flushing)
				return 0;
			if (!wait_packets(L))
				return -EAGAIN;
			continue;
		}
		return live_fail(err, path, -EIO, "after %llu packets: %s",
				 (unsigned long long)rd->record, pc()->pcap_geterr(L->p));
	}
}

void owfp_capture_live_wake(struct cap_reader *rd)
{
	struct cap_live *L = rd->live;
	uint64_t one = 1;
	if (!L)
		return;
	pc()->pcap_breakloop(L->p);
	ssize_t r = write(L->wake_fd, &one, sizeof(one));
	(void)r;
}

void owfp_capture_live_close(struct cap_reader *rd)
{
	if (rd->live)
		live_free(rd->live);
	rd->live = NULL;
}

uint64_t owfp_capture_live_pos(const struct cap_reader *rd)
{
	return rd->live->pos;
}

void owfp_capture_live_describe(const struct cap_reader *rd, char *out, size_t len)
{
	const struct cap_live *L = rd->live;
	const struct owfp_pcap_fns *f = pc();
	int dlt = f->pcap_datalink(L->p);
	const char *name = f->pcap_datalink_val_to_name(dlt);
	const char *desc = f->pcap_datalink_val_to_description(dlt);
	int n = snprintf(out, len, "%s, link-type %s (%s), snapshot length %d bytes", L->iface,
			 name ? name : "?", desc ? desc : "?", f->pcap_snapshot(L->p));
	if (L->bpf[0] && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", filter '%s'", L->bpf);
}

void owfp_capture_live_drops(struct cap_reader *rd, uint64_t *dropped, uint64_t *if_dropped)
{
	struct pcap_stat ps;
	*dropped = *if_dropped = 0;
	if (rd->live && pc()->pcap_stats(rd->live->p, &ps) == 0) {
		*dropped = ps.ps_drop;
		*if_dropped = ps.ps_ifdrop;
	}
}
