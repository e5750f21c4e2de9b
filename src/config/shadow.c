/*
 * Warnings about configured filters that can never run (config.h,
 * owfp_config_warn_shadowed): the engine finds the pairs
 * (src/engine/shadow.h); this file maps filter ids back to the entries of
 * the file and says it in the file's terms.
 */
#include "config/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/shadow.h"
#include "util/alloc.h"

/* Warnings past this many are counted, not spelled out. */
#define MAX_WARNINGS 50

/* Who added a filter: an entry of the file, or someone else (a plugin, `filters add`). */
typedef struct origin {
	const owfp_cfg_filter *f; /* NULL: not from the file */
	uint64_t id;
} origin;

/*
 * Apply adds the file's filters in file order, one engine filter per layer
 * bit, and appends filters added later (owfp_config_filter_add): the ids
 * map back by position.
 */
static origin find_origin(const owfp_config *cfg, const uint64_t *ids, size_t nids, uint64_t id)
{
	size_t k = 0;

	for (size_t i = 0; i < cfg->nfilters; i++) {
		unsigned n = (unsigned)__builtin_popcount(cfg->filters[i].layers);
		for (unsigned j = 0; j < n && k < nids; j++, k++)
			if (ids[k] == id)
				return (origin){&cfg->filters[i], id};
	}
	return (origin){NULL, id};
}

static const char *engine_name(const owfp_filter_info *v, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return "?";
}

static void describe_action(char *out, size_t len, uint32_t action, const owfp_cfg_filter *f)
{
	if (action == FWP_ACTION_BLOCK)
		snprintf(out, len, "block");
	else if (action == FWP_ACTION_PERMIT)
		snprintf(out, len, "permit");
	else if (f && f->callout)
		snprintf(out, len, "callout_terminating '%s'", f->callout);
	else
		snprintf(out, len, "callout_terminating");
}

typedef struct pair {
	const owfp_cfg_filter *l;
	origin h;
	uint32_t action;
	char layers[96];
} pair;

static void say(const owfp_config *cfg, const pair *p, const owfp_filter_info *info, size_t ninfo,
		owfp_config_warn_fn warn, void *ctx)
{
	char msg[1024], by[400], act[200];
	const owfp_cfg_filter *l = p->l, *h = p->h.f;

	if (h)
		snprintf(by, sizeof(by), "filter '%s' (%s:%u:%u)", h->name, cfg->file, h->mark.line,
			 h->mark.column);
	else
		snprintf(by, sizeof(by), "filter '%s' (id %llu, not from %s)",
			 engine_name(info, ninfo, p->h.id), (unsigned long long)p->h.id, cfg->file);
	describe_action(act, sizeof(act), p->action, h);
	snprintf(msg, sizeof(msg),
		 "%s:%u:%u: warning: filter '%s' never runs (%s): %s comes first in sublayer "
		 "'%s', matches every connection '%s' matches, and always decides (%s); give "
		 "'%s' a higher weight, or put it in another sublayer",
		 cfg->file, l->mark.line, l->mark.column, l->name, p->layers, by,
		 l->sublayer ? l->sublayer : "universal", l->name, act, l->name);
	warn(ctx, msg);
}

size_t owfp_config_warn_shadowed(const owfp_config_applied *applied, owfp_config_warn_fn warn,
				 void *ctx)
{
	owfp_engine *e = owfp_registry_engine();
	const owfp_config *cfg = owfp_config_applied_config(applied);
	const uint64_t *ids;
	size_t nids = owfp_config_applied_filter_ids(applied, &ids);
	owfp_shadow *sh = NULL;
	owfp_filter_info *info = NULL;
	size_t nsh = 0, ninfo = 0, npairs = 0, given = 0;
	bool truncated = false;
	pair *pairs = NULL;

	if (!e || !warn)
		return 0;
	if (owfp_engine_shadowed(e, &sh, &nsh, &truncated) ||
	    (nsh && owfp_engine_filters_list(e, &info, &ninfo)) ||
	    (nsh && !(pairs = owfp_calloc(nsh, sizeof(*pairs))))) {
		char msg[300];
		snprintf(msg, sizeof(msg),
			 "%s: warning: out of memory looking for filters that "
			 "never run; none reported",
			 cfg->file);
		warn(ctx, msg);
		free(sh);
		free(info);
		return 1;
	}
	/* One warning per (filter, shadowing filter), its layers listed. */
	for (size_t i = 0; i < nsh; i++) {
		origin l = find_origin(cfg, ids, nids, sh[i].id);
		origin h = find_origin(cfg, ids, nids, sh[i].by_id);
		pair *p = NULL;

		if (!l.f)
			continue; /* only the file's own filters are its business */
		for (size_t k = 0; k < npairs && !p; k++)
			if (pairs[k].l == l.f && pairs[k].h.f == h.f && (h.f || pairs[k].h.id == h.id))
				p = &pairs[k];
		if (!p) {
			p = &pairs[npairs++];
			p->l = l.f;
			p->h = h;
			p->action = sh[i].by_action;
		}
		size_t used = strlen(p->layers);
		snprintf(p->layers + used, sizeof(p->layers) - used, "%s%s", used ? ", " : "",
			 sh[i].layer);
	}
	for (size_t k = 0; k < npairs && given < MAX_WARNINGS; k++, given++)
		say(cfg, &pairs[k], info, ninfo, warn, ctx);
	if (npairs > given || truncated) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s: warning: %s%zu more filters that never run not shown",
			 cfg->file, truncated ? "the check stopped early (too many filters); " : "",
			 npairs - given);
		warn(ctx, msg);
		given++;
	}
	free(pairs);
	free(sh);
	free(info);
	return given;
}
