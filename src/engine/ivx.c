/*
 * Interval index: which filters accept a key, for keys up to 128 bits
 * (ports, IPv4 and IPv6 addresses). The distinct interval ends cut the key
 * space into elementary intervals; a segment tree over those stores each
 * filter interval at O(log n) nodes. A lookup is one binary search plus one
 * root-ward walk, and returns ranks in ascending order per node, so the
 * cost grows with log n and the number of candidates, never with n.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static int kcmp_q(const void *a, const void *b)
{
	return owfp_k128_cmp(*(const owfp_k128 *)a, *(const owfp_k128 *)b);
}

static bool is_max(owfp_k128 k)
{
	return k.hi == UINT64_MAX && k.lo == UINT64_MAX;
}

static owfp_k128 next(owfp_k128 k)
{
	k.lo++;
	if (k.lo == 0)
		k.hi++;
	return k;
}

/* Largest i in [lo, hi) with bounds[i] <= k (bounds[lo] <= k holds). */
static size_t search(const owfp_ivx *x, owfp_k128 k, size_t lo, size_t hi)
{
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (owfp_k128_cmp(x->bounds[mid], k) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the elementary interval holding k. */
static size_t segment_of(const owfp_ivx *x, owfp_k128 k)
{
	size_t lo = 0, hi = x->nb; /* bounds[0] is the zero key */

	if (x->tab) {
		uint64_t b;

		if (k.hi != 0 || k.lo >= x->bounds[x->nb - 1].lo)
			return x->nb - 1;
		if (k.lo < x->tab_base)
			return 0;
		b = (k.lo - x->tab_base) >> x->tab_shift;
		lo = x->tab[b];
		hi = (size_t)x->tab[b + 1] + 1;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (x->b64[mid] <= k.lo)
				lo = mid;
			else
				hi = mid;
		}
		return lo;
	}

	return search(x, k, lo, hi);
}

#define TAB_BUCKETS_MAX 65536

/*
 * For keys of up to 64 bits (ports, IPv4), cuts [bounds[1], last bound) into
 * equal buckets and records, per bucket start, the elementary interval
 * holding it: a lookup then searches only between two neighbouring entries.
 */
static int build_table(owfp_ivx *x)
{
	uint64_t base, span;
	unsigned shift = 0;
	size_t buckets = x->nb < TAB_BUCKETS_MAX ? x->nb : TAB_BUCKETS_MAX;

	if (x->nb < 64 || x->bounds[x->nb - 1].hi != 0)
		return 0;
	base = x->bounds[1].lo;
	span = x->bounds[x->nb - 1].lo - base;
	/* About one interval end per bucket. */
	while ((span >> shift) >= buckets)
		shift++;
	x->ntab = (size_t)(span >> shift) + 2;
	x->tab = owfp_malloc(sizeof(*x->tab) * x->ntab);
	x->b64 = owfp_malloc(sizeof(*x->b64) * x->nb);
	if (!x->tab || !x->b64)
		return -ENOMEM;
	for (size_t i = 0; i < x->nb; i++)
		x->b64[i] = x->bounds[i].lo;
	x->tab_base = base;
	x->tab_shift = shift;
	for (size_t b = 0, i = 0; b < x->ntab; b++) {
		uint64_t start = base + ((uint64_t)b << shift);

		if (b > 0 && start <= base)
			start = UINT64_MAX; /* past the end of the key space */
		while (i + 1 < x->nb && x->bounds[i + 1].lo <= start)
			i++;
		x->tab[b] = (uint32_t)i;
	}
	return 0;
}

/* Counts (or with `fill`, stores) an entry at the canonical nodes of [s, e]. */
static void cover(const owfp_ivx *x, size_t s, size_t e, uint32_t *count, uint32_t *fill,
		  const owfp_ivx_entry *rank)
{
	size_t l = s + x->leaves, r = e + x->leaves + 1;

	for (; l < r; l >>= 1, r >>= 1) {
		if (l & 1) {
			if (fill)
				x->pool[fill[l]++] = *rank;
			else
				count[l]++;
			l++;
		}
		if (r & 1) {
			r--;
			if (fill)
				x->pool[fill[r]++] = *rank;
			else
				count[r]++;
		}
	}
}

/*
 * For each elementary interval, the pool ranges of the tree nodes on its
 * root-ward path that hold entries: a lookup reads that short list instead
 * of walking every level of the tree.
 */
static int build_ancestors(owfp_ivx *x)
{
	size_t n = 0;

	x->anc_off = owfp_malloc(sizeof(*x->anc_off) * (x->nb + 1));
	if (!x->anc_off)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (size_t seg = 0; seg < x->nb; seg++) {
			if (pass)
				x->anc_off[seg] = (uint32_t)n;
			for (size_t node = seg + x->leaves; node; node >>= 1) {
				if (x->off[node + 1] == x->off[node])
					continue;
				if (pass) {
					x->anc[2 * n] = x->off[node];
					x->anc[2 * n + 1] = x->off[node + 1];
				}
				n++;
			}
		}
		if (!pass) {
			x->anc = owfp_malloc(sizeof(*x->anc) * 2 * (n ? n : 1));
			if (!x->anc)
				return -ENOMEM;
		}
	}
	x->anc_off[x->nb] = (uint32_t)n;
	return 0;
}

int owfp_ivx_build(owfp_ivx *x, const owfp_ivx_item *items, size_t n)
{
	uint32_t *fill = NULL;
	size_t nb = 0, total = 0;

	memset(x, 0, sizeof(*x));
	if (n == 0)
		return 0;
	x->bounds = owfp_malloc(sizeof(*x->bounds) * (2 * n + 1));
	if (!x->bounds)
		return -ENOMEM;
	x->bounds[nb++] = (owfp_k128){0, 0};
	for (size_t i = 0; i < n; i++) {
		x->bounds[nb++] = items[i].lo;
		if (!is_max(items[i].hi))
			x->bounds[nb++] = next(items[i].hi);
	}
	qsort(x->bounds, nb, sizeof(*x->bounds), kcmp_q);
	x->nb = 1;
	for (size_t i = 1; i < nb; i++)
		if (owfp_k128_cmp(x->bounds[i], x->bounds[x->nb - 1]) != 0)
			x->bounds[x->nb++] = x->bounds[i];
	for (x->leaves = 1; x->leaves < x->nb; x->leaves <<= 1)
		;
	x->off = owfp_calloc(2 * x->leaves + 1, sizeof(*x->off));
	fill = owfp_malloc(sizeof(*fill) * 2 * x->leaves);
	if (!x->off || !fill)
		goto fail;

	/* Two passes (count, then fill in rank order) keep node lists sorted. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			size_t s = segment_of(x, items[i].lo);
			size_t e = is_max(items[i].hi) ? x->nb - 1
						       : segment_of(x, next(items[i].hi)) - 1;

			cover(x, s, e, pass ? NULL : x->off + 1, pass ? fill : NULL, &items[i].entry);
		}
		if (pass == 0) {
			for (size_t i = 1; i <= 2 * x->leaves; i++)
				x->off[i] += x->off[i - 1];
			total = x->off[2 * x->leaves];
			x->pool = owfp_malloc(sizeof(*x->pool) * (total ? total : 1));
			if (!x->pool)
				goto fail;
			memcpy(fill, x->off, sizeof(*fill) * 2 * x->leaves);
		}
	}
	free(fill);
	if (build_table(x) || build_ancestors(x))
		goto fail_nofill;
	return 0;
fail:
	free(fill);
fail_nofill:
	owfp_ivx_free(x);
	return -ENOMEM;
}

void owfp_ivx_free(owfp_ivx *x)
{
	free(x->bounds);
	free(x->off);
	free(x->pool);
	free(x->tab);
	free(x->b64);
	free(x->anc_off);
	free(x->anc);
	memset(x, 0, sizeof(*x));
}

int owfp_ivx_query(const owfp_ivx *x, owfp_k128 k, const owfp_dim_keys *keys, owfp_ranks *out)
{
	if (x->nb == 0)
		return 0;
	size_t seg = segment_of(x, k);

	for (uint32_t a = x->anc_off[seg]; a < x->anc_off[seg + 1]; a++) {
		for (uint32_t i = x->anc[2 * (size_t)a]; i < x->anc[2 * (size_t)a + 1]; i++) {
			const owfp_ivx_entry *en = &x->pool[i];

			if (en->qdim != OWFP_DIM_NONE) {
				const owfp_k128 *v = &keys->key[(int)en->qdim];

				if (!keys->present[(int)en->qdim] || v->hi != 0 ||
				    v->lo < en->qlo || v->lo > en->qhi)
					continue;
			}
			if (owfp_ranks_append(out, &en->rank, 1))
				return -ENOMEM;
		}
	}
	return 0;
}

void owfp_ranks_init(owfp_ranks *r)
{
	r->v = r->inl;
	r->n = 0;
	r->cap = sizeof(r->inl) / sizeof(r->inl[0]);
}

void owfp_ranks_fini(owfp_ranks *r)
{
	if (r->v != r->inl)
		free(r->v);
	owfp_ranks_init(r);
}

int owfp_ranks_append(owfp_ranks *r, const uint32_t *src, size_t n)
{
	if (r->n + n > r->cap) {
		size_t cap = r->cap * 2;
		uint32_t *v;

		while (cap < r->n + n)
			cap *= 2;
		v = owfp_malloc(sizeof(*v) * cap);
		if (!v)
			return -ENOMEM;
		memcpy(v, r->v, sizeof(*v) * r->n);
		if (r->v != r->inl)
			free(r->v);
		r->v = v;
		r->cap = cap;
	}
	memcpy(r->v + r->n, src, sizeof(*src) * n);
	r->n += n;
	return 0;
}

static int u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void owfp_ranks_normalize(owfp_ranks *r)
{
	size_t k = 0;

	if (r->n < 2)
		return;
	if (r->n <= 32) {
		for (size_t i = 1; i < r->n; i++) {
			uint32_t v = r->v[i];
			size_t j = i;

			for (; j > 0 && r->v[j - 1] > v; j--)
				r->v[j] = r->v[j - 1];
			r->v[j] = v;
		}
	} else {
		qsort(r->v, r->n, sizeof(*r->v), u32cmp);
	}
	for (size_t i = 0; i < r->n; i++)
		if (k == 0 || r->v[i] != r->v[k - 1])
			r->v[k++] = r->v[i];
	r->n = k;
}
