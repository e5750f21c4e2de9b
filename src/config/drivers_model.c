/* The drivers: section of a parsed configuration: free, deep copy, compare. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "util/alloc.h"

static void value_free(owfp_cfg_regvalue *v)
{
	for (size_t i = 0; i < v->nitems; i++)
		free(v->items[i]);
	free(v->items);
	free(v->bin);
	free(v->name);
}

void owfp_cfg_drivers_free(owfp_cfg_driver *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		for (size_t j = 0; j < d[i].nparams; j++)
			value_free(&d[i].params[j]);
		for (size_t j = 0; j < d[i].nioctls; j++) {
			free(d[i].ioctls[j].device);
			free(d[i].ioctls[j].in);
		}
		free(d[i].params);
		free(d[i].ioctls);
		free(d[i].path);
		free(d[i].name);
	}
	free(d);
}

static void *dup_mem(const void *p, size_t n, bool *oom)
{
	void *d;

	if (!p)
		return NULL;
	d = owfp_malloc(n ? n : 1);
	if (!d) {
		*oom = true;
		return NULL;
	}
	memcpy(d, p, n);
	return d;
}

static char *dup_str(const char *s, bool *oom)
{
	return s ? dup_mem(s, strlen(s) + 1, oom) : NULL;
}

/* Copies into zeroed storage, so a partial copy frees cleanly. */
static void copy_driver(owfp_cfg_driver *d, const owfp_cfg_driver *s, bool *oom)
{
	d->mark = s->mark;
	d->path = dup_str(s->path, oom);
	d->name = dup_str(s->name, oom);
	d->params = owfp_calloc(s->nparams + 1, sizeof(*d->params));
	d->ioctls = owfp_calloc(s->nioctls + 1, sizeof(*d->ioctls));
	if (!d->params || !d->ioctls) {
		*oom = true;
		return;
	}
	for (size_t j = 0; j < s->nparams; j++, d->nparams++) {
		owfp_cfg_regvalue *dv = &d->params[j];
		const owfp_cfg_regvalue *sv = &s->params[j];

		*dv = *sv;
		dv->name = dup_str(sv->name, oom);
		dv->bin = dup_mem(sv->bin, sv->binlen, oom);
		dv->items = sv->nitems ? owfp_calloc(sv->nitems, sizeof(char *)) : NULL;
		dv->nitems = 0;
		if (sv->nitems && !dv->items) {
			*oom = true;
			continue;
		}
		for (size_t k = 0; k < sv->nitems; k++, dv->nitems++)
			dv->items[k] = dup_str(sv->items[k], oom);
	}
	for (size_t j = 0; j < s->nioctls; j++, d->nioctls++) {
		d->ioctls[j] = s->ioctls[j];
		d->ioctls[j].device = dup_str(s->ioctls[j].device, oom);
		d->ioctls[j].in = dup_mem(s->ioctls[j].in, s->ioctls[j].inlen, oom);
	}
}

int owfp_cfg_drivers_copy(owfp_cfg_driver **dst, const owfp_cfg_driver *src, size_t n)
{
	bool oom = false;
	owfp_cfg_driver *d = owfp_calloc(n + 1, sizeof(*d));

	*dst = NULL;
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		copy_driver(&d[i], &src[i], &oom);
	if (oom) {
		owfp_cfg_drivers_free(d, n);
		return -ENOMEM;
	}
	*dst = d;
	return 0;
}

bool owfp_cfg_str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool mem_eq(const void *a, size_t alen, const void *b, size_t blen)
{
	return alen == blen && (alen == 0 || !memcmp(a, b, alen));
}

static bool value_eq(const owfp_cfg_regvalue *a, const owfp_cfg_regvalue *b)
{
	if (!owfp_cfg_str_eq(a->name, b->name) || a->type != b->type || a->dword != b->dword ||
	    a->nitems != b->nitems || !mem_eq(a->bin, a->binlen, b->bin, b->binlen))
		return false;
	for (size_t i = 0; i < a->nitems; i++)
		if (!owfp_cfg_str_eq(a->items[i], b->items[i]))
			return false;
	return true;
}

static bool ioctl_eq(const owfp_cfg_ioctl *a, const owfp_cfg_ioctl *b)
{
	return owfp_cfg_str_eq(a->device, b->device) && a->code == b->code &&
	       mem_eq(a->in, a->inlen, b->in, b->inlen) && a->out_size == b->out_size &&
	       a->has_expect == b->has_expect && a->expect == b->expect;
}

bool owfp_cfg_drivers_equal(const owfp_config *a, const owfp_config *b)
{
	if (a->ndrivers != b->ndrivers)
		return false;
	for (size_t i = 0; i < a->ndrivers; i++) {
		const owfp_cfg_driver *x = &a->drivers[i], *y = &b->drivers[i];

		if (!owfp_cfg_str_eq(x->path, y->path) || !owfp_cfg_str_eq(x->name, y->name) ||
		    x->nparams != y->nparams || x->nioctls != y->nioctls)
			return false;
		for (size_t j = 0; j < x->nparams; j++)
			if (!value_eq(&x->params[j], &y->params[j]))
				return false;
		for (size_t j = 0; j < x->nioctls; j++)
			if (!ioctl_eq(&x->ioctls[j], &y->ioctls[j]))
				return false;
	}
	return true;
}
