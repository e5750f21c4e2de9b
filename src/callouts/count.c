/*
 * count: the smallest useful stream callout, and the replay default.
 *
 * An inspection callout (its filter uses FWP_ACTION_CALLOUT_INSPECTION): it
 * looks at every indication, adds its length to a per-direction total and
 * answers CONTINUE, so it never changes the stream. Written against the
 * oldest interface (FWPS_CALLOUT0, classifyFn0) on purpose: it is the one
 * every WFP version accepts.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/params.h"
#include "util/thread_slot.h"
#include "util/alloc.h"

/* Bytes per direction, one cell per thread slot (util/thread_slot.h): a
 * shared atomic here was a locked add on every classify. */
typedef struct count_cell {
	atomic_ullong bytes[2];
	char pad_[64 - 2 * sizeof(atomic_ullong)];
} count_cell;
_Static_assert(sizeof(count_cell) == 64, "a cell per cache line");

typedef struct count_instance {
	owfp_bi bi;
	count_cell cells[OWFP_THREAD_SLOTS + 1];
} count_instance;
OWFP_BI_FIRST(count_instance);

static void NTAPI count_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
				 const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
				 void *layerData, const FWPS_FILTER0 *filter, UINT64 flowContext,
				 FWPS_CLASSIFY_OUT0 *classifyOut)
{
	(void)inFixedValues;
	(void)inMetaValues;
	(void)flowContext;
	count_instance *ci = owfp_bi_owner(filter->action.calloutId);
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	if (ci && io && io->streamData) {
		int dir = owfp_bi_dir(io->streamData->flags);
		OWFP_SLOT_ADD(ci->cells, bytes[dir], io->streamData->dataLength);
	}
	/* CONTINUE is the answer for INSPECTION (and UNKNOWN) filters; a
	 * TERMINATING filter would read it as BLOCK (S30), so permit there. */
	classifyOut->actionType = filter->action.type == FWP_ACTION_CALLOUT_TERMINATING
					  ? FWP_ACTION_PERMIT
					  : FWP_ACTION_CONTINUE;
}

static int count_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	count_instance *ci = owfp_calloc(1, sizeof(*ci));
	if (!ci)
		return -ENOMEM;
	static const owfp_bi_class cls = {.type = "count", .free = free};
	const FWPS_CALLOUT0 c = {
		.classifyFn = count_classify,
		.notifyFn = owfp_bi_notify0,
	};
	return owfp_bi_create0(ci, &cls, &c, name, out, err, errlen);
}

void owfp_count_totals(void *instance, uint64_t out[2])
{
	count_instance *ci = instance;
	out[0] = OWFP_SLOT_SUM(ci->cells, bytes[0]);
	out[1] = OWFP_SLOT_SUM(ci->cells, bytes[1]);
}

const owfp_builtin owfp_builtin_count = {
	.name = "count",
	.summary = "inspection only: counts bytes per direction and changes nothing",
	.params_help = "(none)\n",
	.create = count_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
	.filter_action = "callout_inspection",
};
