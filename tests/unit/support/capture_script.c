#include "capture_script.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void cs_open(struct cscript *s, enum tw_format fmt, enum tw_link link, int family)
{
	memset(s, 0, sizeof(*s));
	s->path = tw_tmpname("script");
	s->w = tw_open(s->path, fmt, link);
	s->family = family;
	s->addr[0] = family == AF_INET ? "10.0.0.1" : "fd00::1";
	s->addr[1] = family == AF_INET ? "10.0.0.2" : "fd00::2";
	s->port[0] = 40000;
	s->port[1] = 80;
	s->isn[0] = 1000;
	s->isn[1] = 5000;
	s->ts = 1000ull * 1000000000ull;
	s->step = 1000000; /* 1 ms */
	recorder_init(&s->rec);
}

struct tw_seg cs_seg(const struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags,
		     const uint8_t *data, size_t len)
{
	struct tw_seg t = {
		.family = s->family,
		.src = s->addr[dir],
		.dst = s->addr[!dir],
		.sport = s->port[dir],
		.dport = s->port[!dir],
		.seq = s->isn[dir] + 1 + rel,
		.ack = s->isn[!dir] + 1,
		.flags = flags,
		.payload = data,
		.len = len,
	};
	return t;
}

void cs_sendn(struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags, const uint8_t *data,
	      size_t len)
{
	struct tw_seg t = cs_seg(s, dir, rel, flags | TW_ACK, data, len);
	tw_seg(s->w, s->ts, &t);
	s->ts += s->step;
}

void cs_send(struct cscript *s, unsigned dir, uint32_t rel, uint8_t flags, const char *data)
{
	cs_sendn(s, dir, rel, flags, (const uint8_t *)data, data ? strlen(data) : 0);
}

void cs_handshake(struct cscript *s)
{
	struct tw_seg t = cs_seg(s, 0, 0, TW_SYN, NULL, 0);
	t.seq = s->isn[0];
	t.ack = 0;
	tw_seg(s->w, s->ts, &t);
	s->ts += s->step;
	t = cs_seg(s, 1, 0, TW_SYN | TW_ACK, NULL, 0);
	t.seq = s->isn[1];
	tw_seg(s->w, s->ts, &t);
	s->ts += s->step;
	cs_send(s, 0, 0, 0, NULL);
}

const char *cs_run(struct cscript *s, const owfp_capture_opts *opts)
{
	if (s->w) {
		tw_close(s->w);
		s->w = NULL;
	}
	s->rc = recorder_run(&s->rec, s->path, opts, &s->stats, &s->err);
	return s->rec.log;
}

void cs_free(struct cscript *s)
{
	if (s->w)
		tw_close(s->w);
	unlink(s->path);
	free(s->path);
	recorder_free(&s->rec);
}
