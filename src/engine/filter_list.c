/* owfp_engine_filters_list (openwfp.h): the committed filters, from the
 * published snapshot. */
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

int owfp_engine_filters_list(owfp_engine *engine, owfp_filter_info **out, size_t *n)
{
	owfp_clayer *layers[OWFP_NSLOTS];
	size_t total = 0, k = 0;

	*out = NULL;
	*n = 0;
	for (int s = 0; s < OWFP_NSLOTS; s++) {
		layers[s] = owfp_snapshot_layer(engine, s);
		total += layers[s] ? layers[s]->n : 0;
	}
	owfp_filter_info *v = owfp_calloc(total ? total : 1, sizeof(*v));
	if (!v) {
		for (int s = 0; s < OWFP_NSLOTS; s++)
			if (layers[s])
				owfp_clayer_unref(layers[s]);
		return -ENOMEM;
	}
	for (int s = 0; s < OWFP_NSLOTS; s++) {
		for (size_t i = 0; layers[s] && i < layers[s]->n; i++) {
			const owfp_rfilter *f = layers[s]->f[i];
			owfp_filter_info *fi = &v[k++];
			fi->id = f->id;
			memcpy(fi->name, f->name, sizeof(fi->name));
			fi->name[sizeof(fi->name) - 1] = '\0';
			fi->layer = slot_names[s];
			fi->sublayer_weight = f->sublayer_weight;
			fi->weight = f->weight;
			fi->action_type = f->fps.action.type;
			fi->nconditions = f->fps.numFilterConditions;
			if (f->fps.action.type & FWP_ACTION_FLAG_CALLOUT) {
				fi->callout_id = f->fps.action.calloutId;
				/* In a read section: an unregister frees a gone callout
				 * after waiting readers out (callout_register.c). */
				unsigned ep = owfp_snapshot_read_begin(engine);
				owfp_callout *c = owfp_engine_callout_by_id(engine, fi->callout_id);
				if (c) {
					memcpy(fi->callout, c->name, sizeof(fi->callout));
					fi->callout[sizeof(fi->callout) - 1] = '\0';
				}
				owfp_snapshot_read_end(engine, ep);
			}
		}
		if (layers[s])
			owfp_clayer_unref(layers[s]);
	}
	*out = v;
	*n = k;
	return 0;
}
