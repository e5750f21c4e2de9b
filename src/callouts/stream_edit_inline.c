/*
 * stream_edit, inline mode (spec S100): every decision is made inside
 * classifyFn.
 *
 *  - a match at the start of the indication: inject the replacement, BLOCK
 *    the pattern bytes (S53: the injected bytes take their place);
 *  - a match further in: PERMIT the bytes before it; the engine presents
 *    the rest again at once (S33) and the match is then at the start;
 *  - the indication ends with what may be the start of a match: PERMIT the
 *    bytes before it, and when only that possible start is left, answer
 *    NEED_MORE_DATA for the bytes still missing, so the engine holds it;
 *  - at the end of the stream (NO_MORE_DATA) a held partial match is just
 *    data: PERMIT.
 * Unlike the Windows sample, nothing is kept in the callout between calls:
 * the engine holds the partial match, so no per-flow state is needed.
 *
 * Only the first SE_WINDOW bytes of an indication are looked at (at least
 * one `find`, so a window is never all a possible start of a match): past
 * a match or a possible one the engine presents the rest again anyway, and
 * without either the window's bytes are PERMITted and the rest comes next.
 * So a large indication (a deferred backlog) is never copied whole.
 */
#include <string.h>

#include "callouts/stream_edit.h"

void se_inline_classify(se_instance *si, const FWPS_INCOMING_VALUES0 *in,
			const FWPS_INCOMING_METADATA_VALUES0 *meta,
			FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			FWPS_CLASSIFY_OUT0 *out)
{
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	owfp_bi_bytes b;
	if (owfp_bi_bytes_get_max(sd, SE_WINDOW, &b)) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	long at = se_search(si, b.p, b.len);
	if (at == 0) {
		if (si->repl_len) {
			UINT32 flags = owfp_bi_dir_flag(sd->flags);
			NTSTATUS st = owfp_bi_inject(&si->bi, meta->flowHandle,
						     filter->action.calloutId, in->layerId, flags,
						     si->repl, si->repl_len);
			if (!NT_SUCCESS(st)) {
				owfp_bi_bytes_put(&b);
				io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
				out->actionType = FWP_ACTION_NONE;
				return;
			}
		}
		io->countBytesEnforced = si->find_len;
		out->actionType = FWP_ACTION_BLOCK;
	} else if (at > 0) {
		io->countBytesEnforced = (SIZE_T)at;
		out->actionType = FWP_ACTION_PERMIT;
	} else {
		size_t j = se_partial_start(si, b.p, b.len);
		bool final = (out->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
					    FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0;
		bool cut = b.len < sd->dataLength; /* then j > 0: the window holds a whole find */
		if (j == 0 && !final && !cut) {
			io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
			io->countBytesRequired = (UINT32)(si->find_len - b.len);
			out->actionType = FWP_ACTION_NONE;
		} else {
			/* 0 enforces all of it: a held partial match at the end is just data */
			size_t permit = j == 0 ? sd->dataLength : j;
			io->countBytesEnforced = permit >= sd->dataLength ? 0 : permit;
			out->actionType = FWP_ACTION_PERMIT;
		}
	}
	owfp_bi_bytes_put(&b);
}
