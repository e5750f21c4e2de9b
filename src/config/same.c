/*
 * Whether a reload changes a callout or a filter. A reload keeps what it
 * does not change (docs/semantics.md "Reloads keep unchanged filters"): a
 * filter deleted and added again would let the bytes its flows hold go
 * unjudged (S80) and restart its callout's state, a rate limiter's full
 * burst included. Marks (file positions) are not part of a definition.
 */
#include "config/same.h"

#include <jansson.h>
#include <string.h>

bool owfp_cfg_callout_same(const owfp_cfg_callout *a, const owfp_cfg_callout *b)
{
	if (!owfp_cfg_str_eq(a->name, b->name) || !owfp_cfg_str_eq(a->type, b->type))
		return false;
	if (!a->type) /* a driver's callout: its management object */
		return !memcmp(&a->key, &b->key, sizeof(a->key)) && a->layer == b->layer;
	if (!a->params || !b->params)
		return !a->params && !b->params;
	return json_equal((json_t *)a->params, (json_t *)b->params);
}

static bool cond_same(const owfp_cfg_condition *a, const owfp_cfg_condition *b)
{
	return a->field == b->field && a->match == b->match && a->kind == b->kind && a->u == b->u &&
	       a->u_hi == b->u_hi && a->v4 == b->v4 && a->v4_hi == b->v4_hi &&
	       a->v4_mask == b->v4_mask && !memcmp(a->v6, b->v6, sizeof(a->v6)) &&
	       !memcmp(a->v6_hi, b->v6_hi, sizeof(a->v6_hi)) && a->prefix == b->prefix &&
	       a->family == b->family && owfp_cfg_str_eq(a->text, b->text);
}

bool owfp_cfg_filter_same(const owfp_cfg_filter *a, const owfp_cfg_filter *b)
{
	if (!owfp_cfg_str_eq(a->name, b->name) || a->layers != b->layers ||
	    !owfp_cfg_str_eq(a->sublayer, b->sublayer) || a->weight_kind != b->weight_kind ||
	    a->weight != b->weight || a->nconds != b->nconds || a->action != b->action ||
	    !owfp_cfg_str_eq(a->callout, b->callout) || a->flags != b->flags ||
	    a->context != b->context)
		return false;
	for (size_t i = 0; i < a->nconds; i++)
		if (!cond_same(&a->conds[i], &b->conds[i]))
			return false;
	return true;
}
