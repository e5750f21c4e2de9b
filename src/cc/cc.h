/*
 * openwfp-cc internals: shared text buffers and string lists.
 *
 * openwfp-cc builds Windows driver sources as the WDK would (see
 * docs/porting.md, "Building a driver: openwfp-cc"). Each file in src/cc/
 * does one job; this header holds the small plumbing they share. Errors are
 * negative errno values; messages go to the caller's error buffer and are
 * printed once, by main.c.
 */
#ifndef OWFP_CC_CC_H
#define OWFP_CC_CC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err_printf.h"

/* A growable NUL-terminated text. A failed allocation sets `failed` and
 * makes every later append a no-op, so callers check once at the end. */
typedef struct cc_buf {
	char *s;
	size_t len;
	size_t cap;
	bool failed;
} cc_buf;

void cc_buf_add(cc_buf *b, const char *s, size_t n);
void cc_buf_puts(cc_buf *b, const char *s);
void cc_buf_printf(cc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a C string literal: quoted, '"' and '\\' escaped. */
void cc_buf_put_c_string(cc_buf *b, const char *s);
void cc_buf_free(cc_buf *b);
/* Hands the text to the caller (NULL after a failed allocation). */
char *cc_buf_take(cc_buf *b);

/* A list of owned strings; argv-style NULL after the last. */
typedef struct cc_strv {
	char **v;
	size_t n;
	size_t cap;
	bool failed;
} cc_strv;

void cc_strv_add(cc_strv *l, const char *s);
void cc_strv_addn(cc_strv *l, const char *s, size_t n);
void cc_strv_addf(cc_strv *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cc_strv_extend(cc_strv *l, const cc_strv *other);
bool cc_strv_has(const cc_strv *l, const char *s);
void cc_strv_free(cc_strv *l);

/* Whole file into a NUL-terminated buffer: 0, or -errno. */
int cc_read_file(const char *path, char **out, size_t *len);
int cc_write_file(const char *path, const char *data, size_t len);

/* A message into the caller's err[errlen] (nothing when err is NULL). */
#define cc_err owfp_err_printf

#endif /* OWFP_CC_CC_H */
