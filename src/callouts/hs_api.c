/* The lazily bound Hyperscan table (hs_api.h). Written once, under
 * pthread_once, then only read. */
#ifdef OWFP_HAVE_HYPERSCAN
#include "callouts/hs_api.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef OWFP_HS_SONAME
#define OWFP_HS_SONAME "libhs.so.5"
#endif

static struct owfp_hs_fns fns;
static bool loaded;
static char load_err[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const owfp_lazysym syms[] = {
		OWFP_LAZYSYM(fns, hs_compile_multi),
		OWFP_LAZYSYM(fns, hs_free_compile_error),
		OWFP_LAZYSYM(fns, hs_free_database),
		OWFP_LAZYSYM(fns, hs_alloc_scratch),
		OWFP_LAZYSYM(fns, hs_clone_scratch),
		OWFP_LAZYSYM(fns, hs_free_scratch),
		OWFP_LAZYSYM(fns, hs_open_stream),
		OWFP_LAZYSYM(fns, hs_scan_stream),
		OWFP_LAZYSYM(fns, hs_close_stream),
	};
	loaded = owfp_lazylib_load(OWFP_HS_SONAME, "libhyperscan5", syms,
				   sizeof(syms) / sizeof(syms[0]), load_err, sizeof(load_err)) == 0;
}

const struct owfp_hs_fns *owfp_hs_load(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (!loaded) {
		if (err)
			snprintf(err, errlen, "%s", load_err);
		return NULL;
	}
	return &fns;
}
#endif
