/* A cursor over the data bytes of NBL chains (see nb_cursor.h). */
#include "buffer/nb_cursor.h"

static void cursor_load_nb(owfp_nb_cursor *c)
{
	while (c->nbl) {
		while (c->nb) {
			c->nb_left = c->nb->DataLength;
			if (c->nb->CurrentMdl) {
				c->mdl = c->nb->CurrentMdl;
				c->mdl_off = c->nb->CurrentMdlOffset;
			} else {
				/* Locate the data start from the chain head. */
				size_t off = c->nb->DataOffset;
				c->mdl = c->nb->MdlChain;
				while (c->mdl && off >= c->mdl->ByteCount) {
					off -= c->mdl->ByteCount;
					c->mdl = c->mdl->Next;
				}
				c->mdl_off = off;
			}
			if (c->nb_left)
				return;
			c->nb = c->nb->Next;
		}
		c->nbl = c->nbl->Next;
		c->nb = c->nbl ? c->nbl->FirstNetBuffer : NULL;
	}
	c->mdl = NULL;
	c->nb_left = 0;
}

void owfp_nb_cursor_init(owfp_nb_cursor *c, NET_BUFFER_LIST *nbl)
{
	c->nbl = nbl;
	c->nb = nbl ? nbl->FirstNetBuffer : NULL;
	cursor_load_nb(c);
}

void owfp_nb_cursor_at(owfp_nb_cursor *c, NET_BUFFER_LIST *nbl, NET_BUFFER *nb, MDL *mdl,
		       size_t mdl_off, size_t nb_left)
{
	c->nbl = nbl;
	c->nb = nb;
	c->mdl = mdl;
	c->mdl_off = mdl_off;
	c->nb_left = nb_left;
}

size_t owfp_nb_cursor_next(owfp_nb_cursor *c, size_t max, const uint8_t **data, MDL **mdl)
{
	for (;;) {
		if (!c->nbl || !c->nb)
			return 0;
		if (c->nb_left == 0) {
			c->nb = c->nb->Next;
			if (!c->nb) {
				c->nbl = c->nbl->Next;
				c->nb = c->nbl ? c->nbl->FirstNetBuffer : NULL;
			}
			cursor_load_nb(c);
			continue;
		}
		if (!c->mdl) {
			/* DataLength claims more than the MDLs hold: stop here. */
			c->nb_left = 0;
			continue;
		}
		if (c->mdl_off >= c->mdl->ByteCount) {
			c->mdl_off -= c->mdl->ByteCount;
			c->mdl = c->mdl->Next;
			continue;
		}
		size_t k = c->mdl->ByteCount - c->mdl_off;
		if (k > c->nb_left)
			k = c->nb_left;
		if (k > max)
			k = max;
		*data = (const uint8_t *)c->mdl->MappedSystemVa + c->mdl_off;
		if (mdl)
			*mdl = c->mdl;
		c->mdl_off += k;
		c->nb_left -= k;
		return k;
	}
}

size_t owfp_nbl_chain_length(const NET_BUFFER_LIST *nbl)
{
	size_t n = 0;
	for (; nbl; nbl = nbl->Next)
		for (const NET_BUFFER *nb = nbl->FirstNetBuffer; nb; nb = nb->Next)
			n += nb->DataLength;
	return n;
}
