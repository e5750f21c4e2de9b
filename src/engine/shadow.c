/*
 * Shadowed filters (shadow.h): per layer and sublayer, a pairwise walk in
 * arbitration order. "Decides" and "covers" are the rules of
 * docs/semantics.md, "Shadowed filters"; each test below names the rule it
 * keeps conservative.
 */
#include "engine/shadow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static const char *const slot_names[OWFP_NSLOTS] = {
	[OWFP_SLOT_STREAM_V4] = "stream_v4",
	[OWFP_SLOT_STREAM_V6] = "stream_v6",
	[OWFP_SLOT_ALE_V4] = "ale_flow_established_v4",
	[OWFP_SLOT_ALE_V6] = "ale_flow_established_v6",
};

static int k_cmp(owfp_k128 a, owfp_k128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static owfp_k128 k_next(owfp_k128 k)
{
	if (++k.lo == 0)
		k.hi++;
	return k;
}

static bool is_flags(FWP_MATCH_TYPE m)
{
	return m == FWP_MATCH_FLAGS_ALL_SET || m == FWP_MATCH_FLAGS_ANY_SET ||
	       m == FWP_MATCH_FLAGS_NONE_SET;
}

/* The one value a condition accepts, when it accepts exactly one. */
static bool single_value(const FWPS_FILTER_CONDITION0 *c, FWP_VALUE0 *v)
{
	const FWP_CONDITION_VALUE0 *cv = &c->conditionValue;

	switch (cv->type) {
	case FWP_UINT8:
	case FWP_UINT16:
	case FWP_UINT32:
	case FWP_BYTE_ARRAY16_TYPE:
		if (c->matchType != FWP_MATCH_EQUAL)
			return false;
		*v = *(const FWP_VALUE0 *)cv;
		return true;
	case FWP_RANGE_TYPE:
		if (k_cmp(owfp_value_key(&cv->rangeValue->valueLow),
			  owfp_value_key(&cv->rangeValue->valueHigh)) != 0)
			return false;
		*v = cv->rangeValue->valueLow;
		return true;
	default:
		return false;
	}
}

static bool same_condition(const FWPS_FILTER_CONDITION0 *a, const FWPS_FILTER_CONDITION0 *b)
{
	const FWP_CONDITION_VALUE0 *x = &a->conditionValue, *y = &b->conditionValue;

	if (a->matchType != b->matchType || x->type != y->type)
		return false;
	switch (x->type) {
	case FWP_V4_ADDR_MASK:
		return x->v4AddrMask->mask == y->v4AddrMask->mask &&
		       (x->v4AddrMask->addr & x->v4AddrMask->mask) ==
			       (y->v4AddrMask->addr & y->v4AddrMask->mask);
	case FWP_V6_ADDR_MASK:
		return x->v6AddrMask->prefixLength == y->v6AddrMask->prefixLength &&
		       !memcmp(x->v6AddrMask->addr, y->v6AddrMask->addr, 16);
	case FWP_RANGE_TYPE:
		return !k_cmp(owfp_value_key(&x->rangeValue->valueLow),
			      owfp_value_key(&y->rangeValue->valueLow)) &&
		       !k_cmp(owfp_value_key(&x->rangeValue->valueHigh),
			      owfp_value_key(&y->rangeValue->valueHigh));
	case FWP_UINT8:
	case FWP_UINT16:
	case FWP_UINT32:
	case FWP_BYTE_ARRAY16_TYPE:
		return !k_cmp(owfp_value_key((const FWP_VALUE0 *)x),
			      owfp_value_key((const FWP_VALUE0 *)y));
	default:
		return false;
	}
}

/* Flag tests that imply one another: every value `l` accepts, `h` accepts. */
static bool flags_imply(const FWPS_FILTER_CONDITION0 *l, const FWPS_FILTER_CONDITION0 *h)
{
	if (!is_flags(l->matchType) || !is_flags(h->matchType))
		return false;
	uint64_t ml = owfp_value_key((const FWP_VALUE0 *)&l->conditionValue).lo;
	uint64_t mh = owfp_value_key((const FWP_VALUE0 *)&h->conditionValue).lo;

	switch (l->matchType) {
	case FWP_MATCH_FLAGS_ALL_SET:
		if (h->matchType == FWP_MATCH_FLAGS_ALL_SET)
			return (mh & ~ml) == 0;
		return h->matchType == FWP_MATCH_FLAGS_ANY_SET && (ml & mh) != 0;
	case FWP_MATCH_FLAGS_ANY_SET:
		return h->matchType == FWP_MATCH_FLAGS_ANY_SET && ml && (ml & ~mh) == 0;
	default: /* NONE_SET */
		return h->matchType == FWP_MATCH_FLAGS_NONE_SET && (mh & ~ml) == 0;
	}
}

static int ival_cmp(const void *a, const void *b)
{
	return k_cmp(((const owfp_ival *)a)->lo, ((const owfp_ival *)b)->lo);
}

/*
 * Whether every value condition `c` accepts is accepted by one of the
 * conditions of the OR group h[0..nh). Intervals first (merged, so [1,5]
 * and [6,9] together hold [2,8]); then a single value tried against each;
 * then conditions that are the same or flag tests that imply one another.
 * A condition that accepts nothing is never called covered: that filter
 * has a different problem than this check reports.
 */
static bool cond_within(const FWPS_FILTER_CONDITION0 *c, const FWPS_FILTER_CONDITION0 *h, size_t nh)
{
	owfp_k128 lo[2], hi[2];
	int n = owfp_cond_intervals(c, lo, hi);

	if (n == 0)
		return false;
	if (n > 0) {
		owfp_ival stack[16], *iv = nh * 2 <= 16 ? stack : owfp_malloc(nh * 2 * sizeof(*iv));
		size_t m = 0;
		bool all = true;

		if (!iv)
			return false;
		for (size_t i = 0; i < nh; i++) {
			owfp_k128 l2[2], h2[2];
			int k = owfp_cond_intervals(&h[i], l2, h2);
			for (int j = 0; j < k; j++)
				iv[m++] = (owfp_ival){l2[j], h2[j]};
		}
		qsort(iv, m, sizeof(*iv), ival_cmp);
		size_t w = 0;
		for (size_t i = 1; i < m; i++) {
			/* Overlapping or adjacent: one interval. */
			bool top = iv[w].hi.hi == UINT64_MAX && iv[w].hi.lo == UINT64_MAX;
			if (top || k_cmp(iv[i].lo, k_next(iv[w].hi)) <= 0) {
				if (k_cmp(iv[i].hi, iv[w].hi) > 0)
					iv[w].hi = iv[i].hi;
			} else {
				iv[++w] = iv[i];
			}
		}
		size_t merged = m ? w + 1 : 0;
		for (int j = 0; j < n && all; j++) {
			bool in = false;
			for (size_t i = 0; i < merged && !in; i++)
				in = k_cmp(iv[i].lo, lo[j]) <= 0 && k_cmp(hi[j], iv[i].hi) <= 0;
			all = in;
		}
		if (iv != stack)
			free(iv);
		if (all)
			return true;
	}
	FWP_VALUE0 v;
	if (single_value(c, &v)) {
		for (size_t i = 0; i < nh; i++)
			if (owfp_cond_match(&h[i], &v))
				return true;
		return false;
	}
	for (size_t i = 0; i < nh; i++)
		if (same_condition(c, &h[i]) || flags_imply(c, &h[i]))
			return true;
	return false;
}

/* The OR group starting at condition i: its length. */
static size_t group_len(const FWPS_FILTER3 *f, size_t i)
{
	size_t j = i + 1;
	while (j < f->numFilterConditions &&
	       f->filterCondition[j].fieldId == f->filterCondition[i].fieldId)
		j++;
	return j - i;
}

/*
 * `h` matches every connection `l` matches: each OR group of h has, in l,
 * a group on the same field whose every condition lies inside h's group.
 * (l matching means that group of l holds, so the field's value is one h's
 * group accepts.) A filter without conditions covers everything.
 */
static bool covers(const FWPS_FILTER3 *h, const FWPS_FILTER3 *l)
{
	owfp_k128 lo[2], hi[2];

	/* A filter that matches nothing never runs, but not because of h. */
	for (size_t j = 0; j < l->numFilterConditions; j++)
		if (owfp_cond_intervals(&l->filterCondition[j], lo, hi) == 0 && group_len(l, j) == 1 &&
		    (j == 0 || l->filterCondition[j - 1].fieldId != l->filterCondition[j].fieldId))
			return false;
	for (size_t i = 0; i < h->numFilterConditions;) {
		size_t hn = group_len(h, i);
		bool found = false;

		for (size_t j = 0; j < l->numFilterConditions && !found;) {
			size_t ln = group_len(l, j);
			if (l->filterCondition[j].fieldId == h->filterCondition[i].fieldId) {
				found = true;
				for (size_t k = 0; k < ln && found; k++)
					found = cond_within(&l->filterCondition[j + k],
							    &h->filterCondition[i], hn);
			}
			j += ln;
		}
		if (!found)
			return false;
		i += hn;
	}
	return true;
}

/* A callout filter's stage is skipped on flows picked up mid-stream unless
 * its callout allows it (S81); NULL or unregistered callouts still act. */
static bool runs_midstream(owfp_engine *e, const owfp_rfilter *f)
{
	if (!(f->fps.action.type & FWP_ACTION_FLAG_CALLOUT))
		return true;
	/* A read section: an unregister frees a gone callout only after it. */
	unsigned ep = owfp_snapshot_read_begin(e);
	const owfp_callout *c = owfp_engine_callout_by_id(e, f->fps.action.calloutId);
	bool runs = !c || !atomic_load(&c->registered) ||
		    (c->flags & FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION) != 0;
	owfp_snapshot_read_end(e, ep);
	return runs;
}

/*
 * `h` decides every time arbitration reaches it, on every flow where `l`
 * could run: static PERMIT / BLOCK; CALLOUT_TERMINATING whose callout is
 * registered now (an unregistered one may come back with flags that make it
 * step aside) and is not CONDITIONAL_ON_FLOW (S79: skipped without a
 * context). At the stream layers, a callout without
 * ALLOW_MID_STREAM_INSPECTION steps aside on mid-stream flows (S81), so it
 * shadows only filters that step aside there too. At ALE_FLOW_ESTABLISHED,
 * after a hard block in a higher sublayer only INSPECTION filters run
 * (S91), so those are never called shadowed there.
 */
static bool decides_before(owfp_engine *e, const owfp_layer_desc *ld, const owfp_rfilter *h,
			   const owfp_rfilter *l)
{
	FWP_ACTION_TYPE a = h->fps.action.type;

	if (!ld->stream && l->fps.action.type == FWP_ACTION_CALLOUT_INSPECTION)
		return false;
	if (a == FWP_ACTION_BLOCK || a == FWP_ACTION_PERMIT)
		return true;
	if (a != FWP_ACTION_CALLOUT_TERMINATING)
		return false;
	unsigned ep = owfp_snapshot_read_begin(e);
	const owfp_callout *c = owfp_engine_callout_by_id(e, h->fps.action.calloutId);
	UINT32 flags = c && atomic_load(&c->registered) ? c->flags : 0;
	bool registered = c && atomic_load(&c->registered);
	owfp_snapshot_read_end(e, ep);
	if (!registered || (flags & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW))
		return false;
	if (ld->stream && !(flags & FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION) &&
	    runs_midstream(e, l))
		return false;
	return true;
}

static int push(owfp_shadow **v, size_t *n, size_t *cap, owfp_shadow s)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		owfp_shadow *p = owfp_realloc(*v, c * sizeof(*p));
		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = s;
	return 0;
}

static int scan_layer(owfp_engine *e, int slot, const owfp_clayer *l, owfp_shadow **v, size_t *n,
		      size_t *cap, bool *truncated)
{
	const owfp_layer_desc *ld = owfp_layer_by_slot(slot);
	uint64_t pairs = 0;
	size_t first = 0; /* first rank of the current sublayer */

	for (size_t j = 0; j < l->n; j++) {
		if (j > 0 && l->sublayer[j] != l->sublayer[j - 1])
			first = j;
		for (size_t i = first; i < j; i++) {
			if (++pairs > OWFP_SHADOW_MAX_PAIRS) {
				*truncated = true;
				return 0;
			}
			const owfp_rfilter *h = l->f[i], *f = l->f[j];
			if (!decides_before(e, ld, h, f) || !covers(&h->fps, &f->fps))
				continue;
			owfp_shadow s = {slot_names[slot], f->id, h->id, h->fps.action.type};
			if (push(v, n, cap, s))
				return -ENOMEM;
			break;
		}
	}
	return 0;
}

int owfp_engine_shadowed(owfp_engine *engine, owfp_shadow **out, size_t *n, bool *truncated)
{
	owfp_shadow *v = NULL;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	*truncated = false;
	for (int s = 0; s < OWFP_NSLOTS && !rc; s++) {
		owfp_clayer *l = owfp_snapshot_layer(engine, s);
		if (!l)
			continue;
		rc = scan_layer(engine, s, l, &v, n, &cap, truncated);
		owfp_clayer_unref(l);
	}
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}
