/* Per-callout rows of what is configured now (callout_rows.h). */
#include "engine/callout_rows.h"

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

static void add_counts(owfp_callout_stats *s, const owfp_callout *c)
{
	s->classify_calls += OWFP_SLOT_SUM(c->counts, classify_calls);
	s->bytes_indicated += OWFP_SLOT_SUM(c->counts, bytes_indicated);
	s->bytes_permitted += OWFP_SLOT_SUM(c->counts, bytes_permitted);
	s->bytes_blocked += OWFP_SLOT_SUM(c->counts, bytes_blocked);
	s->bytes_continued += OWFP_SLOT_SUM(c->counts, bytes_continued);
	s->bytes_injected += OWFP_SLOT_SUM(c->counts, bytes_injected);
	s->violations += OWFP_SLOT_SUM(c->counts, violations);
	for (int i = 0; i < OWFP_STREAM_ACTIONS; i++)
		s->stream_actions[i] += OWFP_SLOT_SUM(c->counts, stream_actions[i]);
}

/* The row this callout joins: same name, and no callout at its layer yet. */
static owfp_callout_row *row_for(owfp_callout_row *rows, size_t n, const char *name, const char *layer)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].name, name) != 0 || rows[i].nlayers == 4)
			continue;
		bool taken = false;
		for (size_t k = 0; k < rows[i].nlayers; k++)
			taken |= rows[i].layers[k] == layer;
		if (!taken)
			return &rows[i];
	}
	return NULL;
}

static int by_first_id(const void *a, const void *b)
{
	uint32_t x = ((const owfp_callout_row *)a)->ids[0], y = ((const owfp_callout_row *)b)->ids[0];
	return x < y ? -1 : x > y;
}

int owfp_engine_callout_rows(owfp_engine *e, owfp_callout_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&e->mu);
	size_t cap = e->model.callouts.n;
	owfp_callout_row *rows = owfp_calloc(cap ? cap : 1, sizeof(*rows));
	if (!rows) {
		pthread_mutex_unlock(&e->mu);
		return -ENOMEM;
	}
	size_t nrows = 0;
	for (size_t i = 0; i < cap; i++) {
		const owfp_mcallout *mc = e->model.callouts.v[i];
		const owfp_layer_desc *ld = owfp_layer_find(&mc->layer);
		const char *layer = ld ? slot_names[ld->slot] : "?";
		owfp_callout_obj *o = owfp_callout_table_get(e, mc->id);
		char name[96];

		if (mc->name[0])
			memcpy(name, mc->name, sizeof(name));
		else
			owfp_guid_format(&mc->key, name, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		owfp_callout_row *r = row_for(rows, nrows, name, layer);
		if (!r) {
			r = &rows[nrows++];
			memcpy(r->name, name, sizeof(r->name));
			memcpy(r->sum.name, name, sizeof(r->sum.name));
		}
		r->layers[r->nlayers] = layer;
		r->ids[r->nlayers++] = mc->id;
		if (o)
			add_counts(&r->sum, &o->pub);
	}
	pthread_mutex_unlock(&e->mu);
	/* Each row's layers in id order, the rows by their first id. */
	for (size_t i = 0; i < nrows; i++)
		for (size_t k = 1; k < rows[i].nlayers; k++)
			for (size_t j = k; j > 0 && rows[i].ids[j - 1] > rows[i].ids[j]; j--) {
				uint32_t id = rows[i].ids[j];
				const char *l = rows[i].layers[j];
				rows[i].ids[j] = rows[i].ids[j - 1];
				rows[i].layers[j] = rows[i].layers[j - 1];
				rows[i].ids[j - 1] = id;
				rows[i].layers[j - 1] = l;
			}
	for (size_t i = 0; i < nrows; i++)
		rows[i].sum.callout_id = rows[i].ids[0];
	qsort(rows, nrows, sizeof(*rows), by_first_id);
	*out = rows;
	*n = nrows;
	return 0;
}
