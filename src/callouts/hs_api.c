/* The lazily bound Hyperscan table (hs_api.h). Written once, by
 * the first caller (owfp_lazylib_open), then only read. */
#ifdef OWFP_HAVE_HYPERSCAN
#include "callouts/hs_api.h"

#ifndef OWFP_HS_SONAME
#define OWFP_HS_SONAME "libhs.so.5"
#endif

static struct owfp_hs_fns fns;
static const owfp_lazysym syms[] = {
	OWFP_LAZYSYM(fns, hs_compile_multi), OWFP_LAZYSYM(fns, hs_free_compile_error),
	OWFP_LAZYSYM(fns, hs_free_database), OWFP_LAZYSYM(fns, hs_alloc_scratch),
	OWFP_LAZYSYM(fns, hs_clone_scratch), OWFP_LAZYSYM(fns, hs_free_scratch),
	OWFP_LAZYSYM(fns, hs_open_stream),   OWFP_LAZYSYM(fns, hs_scan_stream),
	OWFP_LAZYSYM(fns, hs_close_stream),
};
static owfp_lazylib lib = OWFP_LAZYLIB(OWFP_HS_SONAME, "libhyperscan5", syms);

const struct owfp_hs_fns *owfp_hs_load(char *err, size_t errlen)
{
	return owfp_lazylib_open(&lib, err, errlen) ? NULL : &fns;
}
#endif
