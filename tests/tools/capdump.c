/* owfp-capdump: reassemble a capture with src/capture and write each
 * direction of each flow to a file named like tcpflow's default output
 * (SRC.IP.ADDR.SPORT-DST.IP.ADDR.DPORT, zero-padded), so the two can be
 * compared byte for byte. Also prints the event log (-l) and the counters
 * (-s); with -n it writes nothing and only times the run.
 *
 *   owfp-capdump [-r auto|direct|libpcap] [-o DIR] [-l] [-s] [-n] [-L] FILE|-
 */
#include "capture/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct dump {
	const char *dir;
	bool log;
	uint64_t bytes;
};

struct flow_out {
	uint64_t id;
	FILE *fp[2];
	char name[2][128];
};

static void tcpflow_name(char *out, size_t n, const owfp_capture_endpoint *a,
			 const owfp_capture_endpoint *b, int family)
{
	char x[64], y[64];
	if (family == AF_INET) {
		snprintf(x, sizeof(x), "%03u.%03u.%03u.%03u.%05u", a->addr[0], a->addr[1],
			 a->addr[2], a->addr[3], a->port);
		snprintf(y, sizeof(y), "%03u.%03u.%03u.%03u.%05u", b->addr[0], b->addr[1],
			 b->addr[2], b->addr[3], b->port);
	} else {
		snprintf(x, sizeof(x), "%s.%05u", a->text, a->port);
		snprintf(y, sizeof(y), "%s.%05u", b->text, b->port);
	}
	snprintf(out, n, "%s-%s", x, y);
}

static void *on_start(void *user, const owfp_capture_flow *f)
{
	struct dump *d = user;
	struct flow_out *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->id = f->id;
	tcpflow_name(o->name[0], sizeof(o->name[0]), &f->client, &f->server, f->family);
	tcpflow_name(o->name[1], sizeof(o->name[1]), &f->server, &f->client, f->family);
	if (d->log)
		printf("start %" PRIu64 " %s:%u > %s:%u%s\n", f->id, f->client.text, f->client.port,
		       f->server.text, f->server.port, f->midstream ? " midstream" : "");
	return o;
}

static void on_data(void *user, void *fu, const owfp_capture_data *c)
{
	struct dump *d = user;
	struct flow_out *o = fu;
	d->bytes += c->len;
	if (d->log)
		printf("data %" PRIu64 " %u off=%" PRIu64 " len=%zu flags=%u missed=%" PRIu64 "\n",
		       o->id, c->dir, c->offset, c->len, c->flags, c->missed_before);
	if (!d->dir || (!c->len && !c->missed_before))
		return;
	if (!o->fp[c->dir]) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", d->dir, o->name[c->dir]);
		o->fp[c->dir] = fopen(path, "wb");
		if (!o->fp[c->dir]) {
			fprintf(stderr, "owfp-capdump: %s: %s\n", path, strerror(errno));
			exit(1);
		}
	}
	/* Like tcpflow, bytes missing from the capture leave zeros in the file. */
	if (c->missed_before && fseeko(o->fp[c->dir], (off_t)c->missed_before, SEEK_CUR) != 0)
		exit(1);
	fwrite(c->bytes, 1, c->len, o->fp[c->dir]);
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct dump *d = user;
	(void)ts;
	if (d->log)
		printf("fin %" PRIu64 " %u\n", ((struct flow_out *)fu)->id, dir);
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct dump *d = user;
	(void)ts;
	if (d->log)
		printf("rst %" PRIu64 " %u\n", ((struct flow_out *)fu)->id, dir);
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason r, uint64_t ts)
{
	struct dump *d = user;
	struct flow_out *o = fu;
	(void)ts;
	if (d->log)
		printf("end %" PRIu64 " %s\n", o->id, owfp_capture_end_reason_name(r));
	for (int i = 0; i < 2; i++)
		if (o->fp[i])
			fclose(o->fp[i]);
	free(o);
}

static void on_notice(void *user, const char *msg)
{
	(void)user;
	fprintf(stderr, "owfp-capdump: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct dump d = {0};
	bool stats = false, nodata = false;
	owfp_capture_opts o;
	owfp_capture_opts_init(&o);
	int c;
	while ((c = getopt(argc, argv, "r:o:lsnL")) != -1) {
		switch (c) {
		case 'r':
			o.reader = strcmp(optarg, "direct") == 0    ? OWFP_CAPTURE_READER_DIRECT
				   : strcmp(optarg, "libpcap") == 0 ? OWFP_CAPTURE_READER_LIBPCAP
								    : OWFP_CAPTURE_READER_AUTO;
			break;
		case 'o':
			d.dir = optarg;
			break;
		case 'l':
			d.log = true;
			break;
		case 's':
			stats = true;
			break;
		case 'n':
			nodata = true;
			break;
		case 'L':
			o.overlap = OWFP_CAPTURE_OVERLAP_LAST;
			break;
		default:
			fprintf(stderr,
				"usage: owfp-capdump [-r auto|direct|libpcap] [-o DIR] [-l] [-s] [-n] "
				"[-L] FILE|-\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: owfp-capdump [options] FILE|-\n");
		return 2;
	}
	(void)nodata;
	owfp_capture *cap;
	owfp_capture_error err;
	if (owfp_capture_open(argv[optind], &o, &cap, &err) != 0) {
		fprintf(stderr, "owfp-capdump: %s\n", err.message);
		return 1;
	}
	owfp_capture_sink sink = {.flow_start = on_start,
				  .data = on_data,
				  .fin = on_fin,
				  .rst = on_rst,
				  .flow_end = on_end,
				  .notice = on_notice};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = owfp_capture_run(cap, &sink, &d, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	owfp_capture_stats st;
	owfp_capture_get_stats(cap, &st);
	if (stats) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr,
			"reader=%s records=%" PRIu64 " bytes_read=%" PRIu64 " seconds=%.3f MBps=%.1f\n"
			"tcp=%" PRIu64 " non_tcp=%" PRIu64 " bad=%" PRIu64 " bad_csum=%" PRIu64
			" fragments=%" PRIu64 " flows=%" PRIu64 " midstream=%" PRIu64
			" delivered=%" PRIu64 " retransmitted=%" PRIu64 " overlaps_differing=%" PRIu64
			" holes=%" PRIu64 " missed=%" PRIu64 " peak_buffered=%" PRIu64 "\n",
			owfp_capture_reader_name(cap), st.records, st.bytes_read, secs,
			secs > 0 ? (double)st.bytes_read / secs / 1e6 : 0.0, st.tcp_segments,
			st.non_tcp, st.bad_packets, st.bad_checksums, st.fragments, st.flows,
			st.flows_midstream, st.bytes_delivered, st.retransmitted_bytes,
			st.overlaps_differing, st.holes_skipped, st.bytes_missed,
			st.buffered_bytes_peak);
	}
	owfp_capture_close(cap);
	if (rc != 0) {
		fprintf(stderr, "owfp-capdump: %s\n", err.message);
		return 1;
	}
	return 0;
}
