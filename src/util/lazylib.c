/* dlopen + dlsym for the libraries openwfp loads on first use (lazylib.h). */
#include "util/lazylib.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

int owfp_lazylib_load(const char *soname, const char *pkg, const owfp_lazysym *syms, size_t n,
		      char *err, size_t errlen)
{
	/* RTLD_LOCAL: the symbols serve only the caller's table and must not
	 * satisfy lookups of libraries loaded later. */
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		snprintf(err, errlen, "cannot load %s (%s); install the Debian package %s", soname,
			 why ? why : "not found", pkg);
		return -ELIBACC;
	}
	for (size_t i = 0; i < n; i++) {
		*syms[i].slot = dlsym(h, syms[i].name);
		if (!*syms[i].slot) {
			snprintf(err, errlen,
				 "%s has no %s (wrong version?); install the Debian "
				 "package %s",
				 soname, syms[i].name, pkg);
			dlclose(h);
			return -ELIBBAD;
		}
	}
	return 0;
}

int owfp_lazylib_open(owfp_lazylib *lib, char *err, size_t errlen)
{
	/* acquire pairs with the release below: a caller that sees the result
	 * also sees the slots it covers */
	int rc = atomic_load_explicit(&lib->rc, memory_order_acquire);
	if (rc == 1) {
		pthread_mutex_lock(&lib->mu);
		rc = atomic_load_explicit(&lib->rc, memory_order_relaxed);
		if (rc == 1) {
			rc = owfp_lazylib_load(lib->soname, lib->pkg, lib->syms, lib->n, lib->err,
					       sizeof(lib->err));
			atomic_store_explicit(&lib->rc, rc, memory_order_release);
		}
		pthread_mutex_unlock(&lib->mu);
	}
	if (rc && err)
		snprintf(err, errlen, "%s", lib->err);
	return rc;
}
