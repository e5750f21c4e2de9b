/* FwpsCopyStreamDataToBuffer0 (S65): a flat copy that honours dataOffset (S13). */
#include "buffer/nb_cursor.h"
#include "openwfp/fwpsk.h"

#include <string.h>

void owfp_stream_data_cursor(const FWPS_STREAM_DATA0 *sd, owfp_nb_cursor *c);

void owfp_stream_data_cursor(const FWPS_STREAM_DATA0 *sd, owfp_nb_cursor *c)
{
	const FWPS_STREAM_DATA_OFFSET0 *o = &sd->dataOffset;
	NET_BUFFER_LIST *nbl = o->netBufferList ? o->netBufferList : sd->netBufferListChain;
	NET_BUFFER *nb = o->netBuffer ? o->netBuffer : (nbl ? nbl->FirstNetBuffer : NULL);
	if (!o->mdl || !nb) {
		owfp_nb_cursor_init(c, nbl);
		return;
	}
	size_t left = nb->DataLength > o->netBufferOffset ? nb->DataLength - o->netBufferOffset : 0;
	owfp_nb_cursor_at(c, nbl, nb, o->mdl, o->mdlOffset, left);
}

void NTAPI FwpsCopyStreamDataToBuffer0(const FWPS_STREAM_DATA0 *calloutStreamData, PVOID buffer,
				       SIZE_T bytesToCopy, SIZE_T *bytesCopied)
{
	size_t want = bytesToCopy < calloutStreamData->dataLength ? bytesToCopy
								  : calloutStreamData->dataLength;
	size_t done = 0;
	owfp_nb_cursor c;
	owfp_stream_data_cursor(calloutStreamData, &c);
	while (done < want) {
		const uint8_t *p;
		size_t k = owfp_nb_cursor_next(&c, want - done, &p, NULL);
		if (!k)
			break;
		memcpy((uint8_t *)buffer + done, p, k);
		done += k;
	}
	if (bytesCopied)
		*bytesCopied = done;
}
