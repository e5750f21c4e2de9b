/* Hyperscan, loaded when the first pattern_match instance is created: it
 * brings libstdc++ and ~1.4 MB of mappings that no other run needs. */
#ifndef OWFP_CALLOUTS_HS_API_H
#define OWFP_CALLOUTS_HS_API_H

#include <hs.h>

#include "util/lazylib.h"

struct owfp_hs_fns {
	OWFP_LAZYFN(hs_compile_multi);
	OWFP_LAZYFN(hs_free_compile_error);
	OWFP_LAZYFN(hs_free_database);
	OWFP_LAZYFN(hs_alloc_scratch);
	OWFP_LAZYFN(hs_clone_scratch);
	OWFP_LAZYFN(hs_free_scratch);
	OWFP_LAZYFN(hs_open_stream);
	OWFP_LAZYFN(hs_scan_stream);
	OWFP_LAZYFN(hs_close_stream);
};

/* The table, loading libhs the first time (thread-safe). NULL if it cannot
 * be loaded, with the reason (naming the library and package) in err, which
 * may be NULL where an earlier call has succeeded. */
const struct owfp_hs_fns *owfp_hs_load(char *err, size_t errlen);

#endif
