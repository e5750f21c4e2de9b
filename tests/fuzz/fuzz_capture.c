/*
 * Fuzzes the capture decoder and TCP reassembler with whole capture files.
 *
 * Invariants checked besides "no crash, no sanitizer report":
 *  - per flow: flow_start first, flow_end exactly once and last, no data or
 *    fin in a direction after its fin, nothing after rst but flow_end;
 *  - data offsets advance exactly by missed_before + len (no byte delivered
 *    twice, none skipped silently);
 *  - the direct reader and the libpcap reader give the same callback sequence
 *    for every classic pcap file both accept.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capture.h"

#define MAX_FLOWS 4096

struct flow_state {
	int started, ended, reset;
	int fin[2];
	uint64_t next_offset[2];
};

struct run {
	uint64_t hash;
	struct flow_state flows[MAX_FLOWS];
};

static void mix(struct run *r, uint64_t v)
{
	r->hash = (r->hash ^ v) * 0x100000001b3ull;
}

static void mix_bytes(struct run *r, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mix(r, p[i]);
}

static struct flow_state *state_of(struct run *r, void *flow_user)
{
	uintptr_t id = (uintptr_t)flow_user;
	if (id == 0 || id >= MAX_FLOWS)
		return NULL;
	return &r->flows[id];
}

static void *on_start(void *user, const owfp_capture_flow *f)
{
	struct run *r = user;
	mix(r, 1);
	mix(r, f->id);
	mix_bytes(r, f->client.addr, 16);
	mix_bytes(r, f->server.addr, 16);
	mix(r, f->client.port);
	mix(r, f->server.port);
	mix(r, f->midstream);
	if (f->id < MAX_FLOWS) {
		if (r->flows[f->id].started)
			abort(); /* ids are unique */
		r->flows[f->id].started = 1;
	}
	return (void *)(uintptr_t)f->id;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	struct run *r = user;
	struct flow_state *s = state_of(r, fu);
	mix(r, 2);
	mix(r, d->dir);
	mix(r, d->missed_before);
	mix(r, d->offset);
	mix(r, d->flags & (OWFP_CAPTURE_DATA_PSH | OWFP_CAPTURE_DATA_URG));
	mix_bytes(r, d->bytes, d->len);
	if (d->dir > 1 || (d->len == 0 && d->missed_before == 0))
		abort();
	if (s) {
		if (!s->started || s->ended || s->reset || s->fin[d->dir])
			abort();
		if (d->offset != s->next_offset[d->dir] + d->missed_before)
			abort();
		s->next_offset[d->dir] = d->offset + d->len;
	}
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct run *r = user;
	struct flow_state *s = state_of(r, fu);
	(void)ts;
	mix(r, 3);
	mix(r, dir);
	if (dir > 1)
		abort();
	if (s) {
		if (!s->started || s->ended || s->reset || s->fin[dir])
			abort();
		s->fin[dir] = 1;
	}
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct run *r = user;
	struct flow_state *s = state_of(r, fu);
	(void)ts;
	mix(r, 4);
	mix(r, dir);
	if (s) {
		if (!s->started || s->ended || s->reset)
			abort();
		s->reset = 1;
	}
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason why, uint64_t ts)
{
	struct run *r = user;
	struct flow_state *s = state_of(r, fu);
	(void)ts;
	mix(r, 5);
	mix(r, (uint64_t)why);
	if (s) {
		if (!s->started || s->ended)
			abort();
		s->ended = 1;
	}
}

static const owfp_capture_sink sink = {
	.flow_start = on_start,
	.data = on_data,
	.fin = on_fin,
	.rst = on_rst,
	.flow_end = on_end,
};

/* Runs one reader over the file; returns 0 if it could not open it. */
static int run_reader(const char *path, enum owfp_capture_reader reader, struct run *r, int *rc_out)
{
	owfp_capture_opts opts;
	owfp_capture_opts_init(&opts);
	opts.reader = reader;
	/* Small bounds so the limits and hole skipping are reached by small inputs. */
	opts.max_direction_bytes = 64 * 1024;
	opts.max_total_bytes = 1024 * 1024;
	opts.max_flows = 64;
	opts.hole_skip_bytes = 8 * 1024;
	owfp_capture *cap = NULL;
	owfp_capture_error err;
	if (owfp_capture_open(path, &opts, &cap, &err) != 0)
		return 0;
	memset(r, 0, sizeof(*r));
	r->hash = 0xcbf29ce484222325ull;
	*rc_out = owfp_capture_run(cap, &sink, r, &err);
	owfp_capture_close(cap);
	for (size_t i = 1; i < MAX_FLOWS; i++)
		if (r->flows[i].started && !r->flows[i].ended)
			abort(); /* every flow ends */
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_capture", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	static struct run a, b;
	int rca = 0, rcb = 0;
	int have_direct = run_reader(path, OWFP_CAPTURE_READER_DIRECT, &a, &rca);
	int have_pcap = run_reader(path, OWFP_CAPTURE_READER_LIBPCAP, &b, &rcb);
	/* Both readers accepted a complete file: same streams, same events. */
	if (have_direct && have_pcap && rca == 0 && rcb == 0 && a.hash != b.hash)
		abort();
	close(fd);
	return 0;
}
