/* Clone NBLs (FwpsCloneStreamData0): recognised on injection so that their
 * bytes are referenced, not copied. */
#ifndef OWFP_BUFFER_CLONE_H
#define OWFP_BUFFER_CLONE_H

#include <stdbool.h>

#include "openwfp/fwpsk.h"
#include "buffer/slab.h"

bool owfp_nbl_is_clone(const NET_BUFFER_LIST *nbl);

#endif
