/* Ownership of the parsed configuration: copy, free, lookups. */
#include "config/config.h"
#include "config/model.h"
#include "util/alloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int owfp_cfg_fail(owfp_error *err, const char *file, owfp_cfg_mark m, const char *fmt, ...)
{
	if (!err)
		return -EINVAL;
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: %s", file ? file : "<config>", m.line,
		 m.column, what);
	return -EINVAL;
}

static char *dup_or_null(const char *s, bool *oom)
{
	if (!s)
		return NULL;
	char *d = owfp_strdup(s);
	if (!d)
		*oom = true;
	return d;
}

void owfp_cfg_filter_clear(owfp_cfg_filter *f)
{
	for (size_t i = 0; f->conds && i < f->nconds; i++)
		free(f->conds[i].text);
	free(f->name);
	free(f->sublayer);
	free(f->callout);
	free(f->conds);
	memset(f, 0, sizeof(*f));
}

int owfp_cfg_filter_copy(owfp_cfg_filter *dst, const owfp_cfg_filter *src)
{
	bool oom = false;
	*dst = *src;
	dst->name = dup_or_null(src->name, &oom);
	dst->sublayer = dup_or_null(src->sublayer, &oom);
	dst->callout = dup_or_null(src->callout, &oom);
	dst->conds = NULL;
	if (src->nconds) {
		dst->conds = owfp_malloc(src->nconds * sizeof(*dst->conds));
		if (dst->conds) {
			memcpy(dst->conds, src->conds, src->nconds * sizeof(*dst->conds));
			for (size_t i = 0; i < src->nconds; i++)
				dst->conds[i].text = dup_or_null(src->conds[i].text, &oom);
		} else {
			oom = true;
		}
	}
	if (oom) {
		owfp_cfg_filter_clear(dst);
		return -ENOMEM;
	}
	return 0;
}

void owfp_config_free(owfp_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nsublayers; i++)
		free(cfg->sublayers[i].name);
	for (size_t i = 0; i < cfg->ncallouts; i++) {
		free(cfg->callouts[i].name);
		free(cfg->callouts[i].type);
		json_decref(cfg->callouts[i].params);
	}
	for (size_t i = 0; i < cfg->nfilters; i++)
		owfp_cfg_filter_clear(&cfg->filters[i]);
	owfp_cfg_drivers_free(cfg->drivers, cfg->ndrivers);
	free(cfg->sublayers);
	free(cfg->callouts);
	free(cfg->filters);
	free(cfg->file);
	free(cfg);
}

int owfp_config_copy(const owfp_config *src, owfp_config **out)
{
	bool oom = false;
	owfp_config *c = owfp_calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->file = dup_or_null(src->file, &oom);
	c->sublayers = owfp_calloc(src->nsublayers + 1, sizeof(*c->sublayers));
	c->callouts = owfp_calloc(src->ncallouts + 1, sizeof(*c->callouts));
	c->filters = owfp_calloc(src->nfilters + 1, sizeof(*c->filters));
	if (oom || !c->sublayers || !c->callouts || !c->filters) {
		owfp_config_free(c);
		return -ENOMEM;
	}
	for (size_t i = 0; i < src->nsublayers; i++, c->nsublayers++) {
		c->sublayers[i] = src->sublayers[i];
		c->sublayers[i].name = dup_or_null(src->sublayers[i].name, &oom);
	}
	for (size_t i = 0; i < src->ncallouts; i++, c->ncallouts++) {
		c->callouts[i] = src->callouts[i];
		c->callouts[i].name = dup_or_null(src->callouts[i].name, &oom);
		c->callouts[i].type = dup_or_null(src->callouts[i].type, &oom);
		json_incref(c->callouts[i].params);
	}
	for (size_t i = 0; i < src->nfilters && !oom; i++, c->nfilters++)
		if (owfp_cfg_filter_copy(&c->filters[i], &src->filters[i]))
			oom = true;
	if (!oom && src->ndrivers) {
		if (owfp_cfg_drivers_copy(&c->drivers, src->drivers, src->ndrivers))
			oom = true;
		else
			c->ndrivers = src->ndrivers;
	}
	if (oom) {
		owfp_config_free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

const owfp_cfg_sublayer *owfp_cfg_find_sublayer(const owfp_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && i < cfg->nsublayers; i++)
		if (strcmp(cfg->sublayers[i].name, name) == 0)
			return &cfg->sublayers[i];
	return NULL;
}

const owfp_cfg_callout *owfp_cfg_find_callout(const owfp_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && i < cfg->ncallouts; i++)
		if (strcmp(cfg->callouts[i].name, name) == 0)
			return &cfg->callouts[i];
	return NULL;
}

size_t owfp_config_ndrivers(const owfp_config *cfg)
{
	return cfg->ndrivers;
}
size_t owfp_config_nsublayers(const owfp_config *cfg)
{
	return cfg->nsublayers;
}
size_t owfp_config_ncallouts(const owfp_config *cfg)
{
	return cfg->ncallouts;
}
size_t owfp_config_nfilters(const owfp_config *cfg)
{
	return cfg->nfilters;
}
