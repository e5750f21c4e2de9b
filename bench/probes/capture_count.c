/* Probe for the replay benchmark: openwfp's capture reader and TCP
 * reassembler alone (src/capture), with a sink that only counts, as libnids'
 * nids_count does. Set beside `openwfp replay -q` it splits replay's cost
 * into "reading and reassembling" and "the WFP model on top".
 * usage: capture_count [--libpcap] CAPTURE
 * Prints one line: reader=R flows=N c2s_bytes=B s2c_bytes=B missed=B */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capture/capture.h"

struct totals {
	uint64_t flows, bytes[2], missed;
};

static void *on_flow_start(void *user, const owfp_capture_flow *flow)
{
	struct totals *t = user;

	(void)flow;
	t->flows++;
	return t;
}

static void on_data(void *user, void *flow_user, const owfp_capture_data *d)
{
	struct totals *t = user;

	(void)flow_user;
	t->bytes[d->dir & 1] += d->len;
	t->missed += d->missed_before;
}

int main(int argc, char **argv)
{
	owfp_capture_sink sink = {.flow_start = on_flow_start, .data = on_data};
	struct totals t = {0};
	owfp_capture_opts opts;
	owfp_capture_error err;
	owfp_capture *cap;
	const char *path;
	int rc;

	owfp_capture_opts_init(&opts);
	if (argc == 3 && strcmp(argv[1], "--libpcap") == 0) {
		opts.reader = OWFP_CAPTURE_READER_LIBPCAP;
		path = argv[2];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: %s [--libpcap] CAPTURE\n", argv[0]);
		return 2;
	}
	rc = owfp_capture_open(path, &opts, &cap, &err);
	if (rc < 0) {
		fprintf(stderr, "capture_count: %s\n", err.message);
		return 1;
	}
	rc = owfp_capture_run(cap, &sink, &t, &err);
	if (rc < 0)
		fprintf(stderr, "capture_count: %s\n", err.message);
	printf("reader=%s flows=%" PRIu64 " c2s_bytes=%" PRIu64 " s2c_bytes=%" PRIu64
	       " missed=%" PRIu64 "\n",
	       owfp_capture_reader_name(cap), t.flows, t.bytes[0], t.bytes[1], t.missed);
	owfp_capture_close(cap);
	return rc < 0 ? 1 : 0;
}
