/* Test support: write a small TCP conversation into a capture with one
 * call per segment, run the capture module over it and get the event log. */
#ifndef OWFP_TEST_CAPTURE_SCRIPT_H
#define OWFP_TEST_CAPTURE_SCRIPT_H

#include "capture_recorder.h"
#include "pcap_writer.h"

struct cscript {
	tw_file *w;
	char *path;
	int family;
	const char *addr[2]; /* [0] client, [1] server */
	uint16_t port[2];
	uint32_t isn[2];
	uint64_t ts;   /* time of the next segment (ns) */
	uint64_t step; /* added after each segment */
	struct recorder rec;
	owfp_capture_stats stats;
	owfp_capture_error err;
	int rc;
};

void cs_open(struct cscript *s, enum tw_format fmt, enum tw_link link, int family);
void cs_handshake(struct cscript *s);
/* Segment from side `dir` (0 client, 1 server) at `rel` bytes after its
 * ISN + 1; TW_ACK is always added. */
void cs_send(struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags, const char *data);
void cs_sendn(struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags, const uint8_t *data,
	      size_t len);
/* Fills a tw_seg for side dir (for tests that tweak it further). */
struct tw_seg cs_seg(const struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags,
		     const uint8_t *data, size_t len);
/* Closes the file, runs the module (opts may be NULL) and returns the log. */
const char *cs_run(struct cscript *s, const owfp_capture_opts *opts);
void cs_free(struct cscript *s);

#endif
