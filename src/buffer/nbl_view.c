/* Builds the FWPS_STREAM_DATA0 / NBL / NB view of held bytes. */
#include "buffer/nbl_view.h"

#include <string.h>

void owfp_nbl_view_build(owfp_nbl_view *v, const owfp_chain *c, size_t len, UINT32 flags)
{
	owfp_bnode *head = c->head;
	/* Zero-length markers at the front describe no byte. */
	while (head && owfp_bnode_len(head) == 0 && len)
		head = owfp_bnode_next(head);
	memset(&v->nbl, 0, sizeof(v->nbl));
	memset(&v->nb, 0, sizeof(v->nb));
	v->nbl.FirstNetBuffer = &v->nb;
	v->nbl.OwfpFlags = OWFP_NBL_VIEW;
	if (len && head) {
		v->nb.MdlChain = &head->mdl;
		v->nb.CurrentMdl = &head->mdl;
		v->nb.DataOffset = head->skip;
		v->nb.CurrentMdlOffset = head->skip;
	}
	v->nb.DataLength = (ULONG)len;
	v->sd.flags = flags;
	v->sd.dataOffset.netBufferList = &v->nbl;
	v->sd.dataOffset.netBuffer = &v->nb;
	v->sd.dataOffset.mdl = v->nb.CurrentMdl;
	v->sd.dataOffset.mdlOffset = v->nb.CurrentMdlOffset;
	v->sd.dataOffset.netBufferOffset = 0;
	v->sd.dataOffset.streamDataOffset = 0;
	v->sd.dataLength = len;
	v->sd.netBufferListChain = &v->nbl;
}
