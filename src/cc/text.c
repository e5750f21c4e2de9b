/* Text buffers, string lists and whole-file I/O for openwfp-cc. */
#include "cc/cc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool buf_grow(cc_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *s;

	if (b->failed)
		return false;
	if (b->len + need + 1 <= b->cap)
		return true;
	while (cap < b->len + need + 1)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->failed = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void cc_buf_add(cc_buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void cc_buf_puts(cc_buf *b, const char *s)
{
	cc_buf_add(b, s, strlen(s));
}

void cc_buf_put_c_string(cc_buf *b, const char *s)
{
	cc_buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			cc_buf_add(b, "\\", 1);
		cc_buf_add(b, s, 1);
	}
	cc_buf_puts(b, "\"");
}

void cc_buf_printf(cc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void cc_buf_free(cc_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

char *cc_buf_take(cc_buf *b)
{
	char *s;

	if (!b->failed && !b->s)
		cc_buf_add(b, "", 0);
	if (b->failed) {
		cc_buf_free(b);
		return NULL;
	}
	s = b->s;
	memset(b, 0, sizeof(*b));
	return s;
}

void cc_strv_addn(cc_strv *l, const char *s, size_t n)
{
	char *c;

	if (l->failed)
		return;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->failed = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	c = strndup(s, n);
	if (!c) {
		l->failed = true;
		return;
	}
	l->v[l->n++] = c;
	l->v[l->n] = NULL;
}

void cc_strv_add(cc_strv *l, const char *s)
{
	cc_strv_addn(l, s, strlen(s));
}

void cc_strv_addf(cc_strv *l, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		l->failed = true;
		return;
	}
	cc_strv_addn(l, tmp, (size_t)n);
}

void cc_strv_extend(cc_strv *l, const cc_strv *other)
{
	for (size_t i = 0; i < other->n; i++)
		cc_strv_add(l, other->v[i]);
}

bool cc_strv_has(const cc_strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

void cc_strv_free(cc_strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int cc_read_file(const char *path, char **out, size_t *len)
{
	cc_buf b = {0};
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		cc_buf_add(&b, chunk, (size_t)r);
	if (r < 0) {
		int e = errno;

		close(fd);
		cc_buf_free(&b);
		return -e;
	}
	close(fd);
	*len = b.len;
	*out = cc_buf_take(&b);
	return *out ? 0 : -ENOMEM;
}

int cc_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);

		if (w < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		done += (size_t)w;
	}
	return close(fd) ? -errno : 0;
}
