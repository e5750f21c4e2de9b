/*
 * The Parameters key in memory: a short array of named, typed values.
 * A driver has a handful of parameters, so lookups scan.
 */
#include "wdm/regparams.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wdm/wtext.h"
#include "util/alloc.h"

struct value {
	WCHAR *name;     /* NUL-terminated */
	size_t name_len; /* characters */
	ULONG type;
	void *data;
	ULONG len; /* bytes */
};

struct owfp_regparams {
	struct value *v;
	size_t n, cap;
};

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

owfp_regparams *owfp_regparams_new(void)
{
	return owfp_calloc(1, sizeof(owfp_regparams));
}

void owfp_regparams_free(owfp_regparams *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].data);
	}
	free(p->v);
	free(p);
}

static struct value *find(const owfp_regparams *p, const WCHAR *name, size_t name_len)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (owfp_wtext_equal_ci(p->v[i].name, p->v[i].name_len, name, name_len))
			return &p->v[i];
	return NULL;
}

/* Decodes and checks a value name; the message names it as given. */
static int check_name(const char *name, WCHAR **wname, size_t *wlen, char *err, size_t errlen)
{
	int rc;

	if (!name || !*name)
		return fail(err, errlen, -EINVAL, "registry value: the name is empty");
	rc = owfp_wtext_from_utf8(name, wname, wlen);
	if (rc == -ENOMEM)
		return fail(err, errlen, rc, "registry value %s: out of memory", name);
	if (rc)
		return fail(err, errlen, rc, "registry value name is not valid UTF-8");
	for (size_t i = 0; i < *wlen; i++) {
		if ((*wname)[i] < 0x20 || (*wname)[i] == 0x7f) {
			free(*wname);
			return fail(err, errlen, -EINVAL,
				    "registry value name contains a control character");
		}
	}
	if (*wlen > OWFP_REGPARAMS_MAX_NAME) {
		free(*wname);
		return fail(err, errlen, -EINVAL, "registry value name is longer than %d characters",
			    OWFP_REGPARAMS_MAX_NAME);
	}
	return 0;
}

/* Stores (name, type, data): takes ownership of data, which was malloc'ed. */
static int store(owfp_regparams *p, const char *name, ULONG type, void *data, size_t len, char *err,
		 size_t errlen)
{
	struct value *v;
	WCHAR *wname;
	size_t wlen;
	int rc;

	if (!p) {
		free(data);
		return fail(err, errlen, -EINVAL, "registry value: no parameter set");
	}
	if (len > OWFP_REGPARAMS_MAX_DATA) {
		free(data);
		return fail(err, errlen, -EINVAL, "registry value %s: %zu bytes is more than %u",
			    name ? name : "", len, OWFP_REGPARAMS_MAX_DATA);
	}
	rc = check_name(name, &wname, &wlen, err, errlen);
	if (rc) {
		free(data);
		return rc;
	}
	v = find(p, wname, wlen);
	if (v) {
		/* Replaced, keeping the name as first written (the registry does too). */
		free(wname);
		free(v->data);
	} else {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 8;
			struct value *nv = owfp_realloc(p->v, cap * sizeof(*nv));

			if (!nv) {
				free(wname);
				free(data);
				return fail(err, errlen, -ENOMEM,
					    "registry value %s: out of memory", name);
			}
			p->v = nv;
			p->cap = cap;
		}
		v = &p->v[p->n++];
		v->name = wname;
		v->name_len = wlen;
	}
	v->type = type;
	v->data = data;
	v->len = (ULONG)len;
	return 0;
}

int owfp_regparams_set_dword(owfp_regparams *p, const char *name, uint32_t value, char *err,
			     size_t errlen)
{
	ULONG *d = owfp_malloc(sizeof(*d));

	if (!d)
		return fail(err, errlen, -ENOMEM, "registry value %s: out of memory", name);
	*d = value;
	return store(p, name, REG_DWORD, d, sizeof(*d), err, errlen);
}

int owfp_regparams_set_sz(owfp_regparams *p, const char *name, const char *utf8, char *err,
			  size_t errlen)
{
	WCHAR *w;
	size_t n;
	int rc;

	if (!utf8)
		return fail(err, errlen, -EINVAL, "registry value %s: no string given",
			    name ? name : "");
	rc = owfp_wtext_from_utf8(utf8, &w, &n);
	if (rc == -EINVAL)
		return fail(err, errlen, rc, "registry value %s: the string is not valid UTF-8",
			    name ? name : "");
	if (rc)
		return fail(err, errlen, rc, "registry value %s: out of memory", name ? name : "");
	return store(p, name, REG_SZ, w, (n + 1) * sizeof(WCHAR), err, errlen);
}

int owfp_regparams_set_multi_sz(owfp_regparams *p, const char *name, const char *const *items,
				size_t n, char *err, size_t errlen)
{
	const char *shown = name ? name : "";
	WCHAR *all = NULL, *grown;
	size_t used = 0;

	if (n && !items)
		return fail(err, errlen, -EINVAL, "registry value %s: no strings given", shown);
	for (size_t i = 0; i < n; i++) {
		WCHAR *w;
		size_t k;
		int rc;

		if (!items[i] || !*items[i]) {
			free(all);
			return fail(
				err, errlen, -EINVAL,
				"registry value %s: string %zu of REG_MULTI_SZ is empty (an empty string would end the list)",
				shown, i + 1);
		}
		rc = owfp_wtext_from_utf8(items[i], &w, &k);
		if (rc) {
			free(all);
			return fail(err, errlen, rc,
				    rc == -EINVAL ? "registry value %s: string %zu is not valid UTF-8"
						  : "registry value %s: out of memory (string %zu)",
				    shown, i + 1);
		}
		grown = owfp_realloc(all, (used + k + 2) * sizeof(WCHAR));
		if (!grown) {
			free(w);
			free(all);
			return fail(err, errlen, -ENOMEM, "registry value %s: out of memory", shown);
		}
		all = grown;
		memcpy(all + used, w, (k + 1) * sizeof(WCHAR));
		used += k + 1;
		free(w);
	}
	/* The list ends with one more NUL; an empty list is that NUL alone. */
	grown = owfp_realloc(all, (used + 1) * sizeof(WCHAR));
	if (!grown) {
		free(all);
		return fail(err, errlen, -ENOMEM, "registry value %s: out of memory", shown);
	}
	all = grown;
	all[used++] = 0;
	return store(p, name, REG_MULTI_SZ, all, used * sizeof(WCHAR), err, errlen);
}

int owfp_regparams_set_binary(owfp_regparams *p, const char *name, const void *data, size_t len,
			      char *err, size_t errlen)
{
	void *copy;

	if (len && !data)
		return fail(err, errlen, -EINVAL, "registry value %s: no data given",
			    name ? name : "");
	if (len > OWFP_REGPARAMS_MAX_DATA)
		return fail(err, errlen, -EINVAL, "registry value %s: %zu bytes is more than %u",
			    name ? name : "", len, OWFP_REGPARAMS_MAX_DATA);
	copy = owfp_malloc(len ? len : 1);
	if (!copy)
		return fail(err, errlen, -ENOMEM, "registry value %s: out of memory", name);
	if (len)
		memcpy(copy, data, len);
	return store(p, name, REG_BINARY, copy, len, err, errlen);
}

owfp_regparams *owfp_regparams_copy(const owfp_regparams *p)
{
	owfp_regparams *c = owfp_regparams_new();

	if (!c || !p || !p->n)
		return c;
	c->v = owfp_calloc(p->n, sizeof(*c->v));
	if (!c->v)
		goto oom;
	c->cap = p->n;
	for (size_t i = 0; i < p->n; i++) {
		struct value *d = &c->v[i];
		const struct value *s = &p->v[i];

		d->name = owfp_malloc((s->name_len + 1) * sizeof(WCHAR));
		d->data = owfp_malloc(s->len ? s->len : 1);
		if (!d->name || !d->data) {
			free(d->name);
			free(d->data);
			goto oom;
		}
		memcpy(d->name, s->name, (s->name_len + 1) * sizeof(WCHAR));
		memcpy(d->data, s->data, s->len);
		d->name_len = s->name_len;
		d->type = s->type;
		d->len = s->len;
		c->n++;
	}
	return c;
oom:
	owfp_regparams_free(c);
	return NULL;
}

size_t owfp_regparams_count(const owfp_regparams *p)
{
	return p ? p->n : 0;
}

int owfp_regparams_query(const owfp_regparams *p, const WCHAR *name, size_t name_len, ULONG *type,
			 const void **data, ULONG *len)
{
	const struct value *v;

	if (!name)
		return -ENOENT;
	v = find(p, name, name_len / sizeof(WCHAR));
	if (!v)
		return -ENOENT;
	*type = v->type;
	*data = v->data;
	*len = v->len;
	return 0;
}
