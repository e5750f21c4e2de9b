/* --extract: per-direction files, flows.tsv and sha256 of what was delivered. */
#include "replay/extract.h"
#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXTRACT_BUF ((size_t)64 * 1024)

struct owfp_extract {
	/* Replay's workers share the names and the first error; each stream
	 * is written by the thread of its flow only. */
	pthread_mutex_t mu;
	char *dir;
	FILE *tsv;
	int error; /* first write error (negative errno) */
	char error_path[512];
	/* Names in use: open addressing, so a long capture stays O(1) per flow. */
	char **names;
	size_t nnames, cap;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static bool name_used(const owfp_extract *x, const char *name)
{
	if (!x->cap)
		return false;
	for (size_t i = hash_str(name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		if (!x->names[i])
			return false;
		if (!strcmp(x->names[i], name))
			return true;
	}
}

static int name_add(owfp_extract *x, char *name)
{
	if ((x->nnames + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;
		char **n = owfp_calloc(cap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < x->cap; i++) {
			if (!x->names[i])
				continue;
			size_t j = hash_str(x->names[i]) & (cap - 1);
			while (n[j])
				j = (j + 1) & (cap - 1);
			n[j] = x->names[i];
		}
		free(x->names);
		x->names = n;
		x->cap = cap;
	}
	size_t i = hash_str(name) & (x->cap - 1);
	while (x->names[i])
		i = (i + 1) & (x->cap - 1);
	x->names[i] = name;
	x->nnames++;
	return 0;
}

static void note_error(owfp_extract *x, const char *path, int e)
{
	pthread_mutex_lock(&x->mu);
	if (!x->error) {
		x->error = -e;
		snprintf(x->error_path, sizeof(x->error_path), "%.*s",
			 (int)sizeof(x->error_path) - 1, path);
	}
	pthread_mutex_unlock(&x->mu);
}

/* mkdir -p: an --extract path may name a directory several levels deep. */
static int mkdir_p(const char *dir)
{
	char tmp[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof(tmp))
		return ENAMETOOLONG;
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0777) && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		return errno;
	return 0;
}

int owfp_extract_open(const char *dir, owfp_extract **out, owfp_error *err)
{
	char why[256];
	int e = owfp_sha256_load(why, sizeof(why));
	if (e) {
		snprintf(err->msg, sizeof(err->msg), "--extract needs libcrypto for sha256: %s", why);
		return e;
	}
	owfp_extract *x = owfp_calloc(1, sizeof(*x));
	char path[4096];
	if (!x || !(x->dir = owfp_strdup(dir))) {
		free(x);
		return -ENOMEM;
	}
	pthread_mutex_init(&x->mu, NULL);
	e = mkdir_p(dir);
	if (e) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot create directory: %s", dir,
			 strerror(e));
		free(x->dir);
		free(x);
		return -e;
	}
	snprintf(path, sizeof(path), "%s/flows.tsv", dir);
	if (!(x->tsv = fopen(path, "w"))) {
		e = errno;
		snprintf(err->msg, sizeof(err->msg), "%.400s: cannot create: %s", path, strerror(e));
		free(x->dir);
		free(x);
		return -e;
	}
	fputs("flow_id\tsrc\tsport\tdst\tdport\tbytes\tsha256\tend\n", x->tsv);
	*out = x;
	return 0;
}

static int stream_init(owfp_extract_stream *s, char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->sha = owfp_sha256_new();
	return s->sha ? 0 : -ENOMEM;
}

static int flow_begin(owfp_extract *x, const char *c2s_base, const char *s2c_base,
		      owfp_extract_stream *c2s, owfp_extract_stream *s2c);

/* Workers keep the names of one 5-tuple (both ways) on one thread, in
 * capture order, so the suffixes are the same whatever their number. */
int owfp_extract_flow_begin(owfp_extract *x, const char *c2s_base, const char *s2c_base,
			    owfp_extract_stream *c2s, owfp_extract_stream *s2c)
{
	pthread_mutex_lock(&x->mu);
	int rc = flow_begin(x, c2s_base, s2c_base, c2s, s2c);
	pthread_mutex_unlock(&x->mu);
	return rc;
}

static int flow_begin(owfp_extract *x, const char *c2s_base, const char *s2c_base,
		      owfp_extract_stream *c2s, owfp_extract_stream *s2c)
{
	char *a = NULL, *b = NULL;
	for (unsigned k = 1;; k++) {
		free(a);
		free(b);
		a = b = NULL;
		if (k == 1) {
			a = owfp_strdup(c2s_base);
			b = owfp_strdup(s2c_base);
		} else if (asprintf(&a, "%s~%u", c2s_base, k) < 0 ||
			   asprintf(&b, "%s~%u", s2c_base, k) < 0) {
			a = b = NULL;
		}
		if (!a || !b) {
			free(a);
			free(b);
			return -ENOMEM;
		}
		if (!name_used(x, a) && !name_used(x, b) && strcmp(a, b) != 0)
			break;
	}
	if (name_add(x, a)) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	if (name_add(x, b)) {
		free(b);
		return -ENOMEM;
	}
	/* The set owns the names; streams keep their own copies. */
	char *ca = owfp_strdup(a), *cb = owfp_strdup(b);
	if (!ca || !cb || stream_init(c2s, ca)) {
		free(ca);
		free(cb);
		return -ENOMEM;
	}
	if (stream_init(s2c, cb)) {
		owfp_extract_stream_discard(c2s);
		free(cb);
		return -ENOMEM;
	}
	return 0;
}

static void flush(owfp_extract *x, owfp_extract_stream *s)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", x->dir, s->name);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (s->created ? O_APPEND : O_TRUNC), 0666);
	if (fd < 0) {
		note_error(x, path, errno);
		s->used = 0;
		return;
	}
	s->created = true;
	size_t off = 0;
	while (off < s->used) {
		ssize_t w = write(fd, s->buf + off, s->used - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			note_error(x, path, errno);
			break;
		}
		off += (size_t)w;
	}
	if (close(fd))
		note_error(x, path, errno);
	s->used = 0;
}

void owfp_extract_write(owfp_extract *x, owfp_extract_stream *s, const uint8_t *data, size_t len)
{
	if (!len)
		return;
	owfp_sha256_update(s->sha, data, len);
	s->bytes += len;
	/* The buffer grows with the stream instead of starting at 64 KiB: a
	 * short flow's few bytes then take a small block, and 300k concurrent
	 * flows no longer hold 600k 64 KiB blocks whose churn made glibc's
	 * large-bin search (and the page faults) grow with the flow count. */
	if (s->used + len > s->cap && s->cap < EXTRACT_BUF) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->used + len && cap < EXTRACT_BUF)
			cap *= 2;
		unsigned char *nb = owfp_realloc(s->buf, cap);
		if (!nb) {
			note_error(x, s->name, ENOMEM);
			return;
		}
		s->buf = nb;
		s->cap = cap;
	}
	while (len) {
		size_t n = s->cap - s->used < len ? s->cap - s->used : len;
		memcpy(s->buf + s->used, data, n);
		s->used += n;
		data += n;
		len -= n;
		if (s->used == s->cap)
			flush(x, s);
	}
}

void owfp_extract_stream_discard(owfp_extract_stream *s)
{
	owfp_sha256_free(s->sha);
	free(s->buf);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

void owfp_extract_stream_end(owfp_extract *x, owfp_extract_stream *s, uint64_t flow_id,
			     const char *src, unsigned sport, const char *dst, unsigned dport,
			     const char *end)
{
	owfp_extract_stream_end_to(x, s, NULL, flow_id, src, sport, dst, dport, end);
}

void owfp_extract_stream_end_to(owfp_extract *x, owfp_extract_stream *s, FILE *rows,
				uint64_t flow_id, const char *src, unsigned sport, const char *dst,
				unsigned dport, const char *end)
{
	char hex[OWFP_SHA256_HEX_LEN + 1];
	if (s->used || !s->created)
		flush(x, s);
	owfp_sha256_hex(s->sha, hex);
	if (fprintf(rows ? rows : x->tsv, "%llu\t%s\t%u\t%s\t%u\t%llu\t%s\t%s\n",
		    (unsigned long long)flow_id, src, sport, dst, dport,
		    (unsigned long long)s->bytes, hex, end) < 0)
		note_error(x, "flows.tsv", errno ? errno : EIO);
	owfp_extract_stream_discard(s);
}

void owfp_extract_rows_write(owfp_extract *x, const void *rows, size_t len)
{
	if (fwrite(rows, 1, len, x->tsv) != len)
		note_error(x, "flows.tsv", errno ? errno : EIO);
}

int owfp_extract_close(owfp_extract *x, owfp_error *err)
{
	if (!x)
		return 0;
	if (fclose(x->tsv))
		note_error(x, "flows.tsv", errno);
	int rc = x->error;
	if (rc && err)
		snprintf(err->msg, sizeof(err->msg), "%.400s: write failed: %s", x->error_path,
			 strerror(-rc));
	for (size_t i = 0; i < x->cap; i++)
		free(x->names[i]);
	free(x->names);
	free(x->dir);
	pthread_mutex_destroy(&x->mu);
	free(x);
	return rc;
}
