/* Shared libraries that only some runs need (Hyperscan for pattern_match,
 * libcrypto for --extract, libpcap for non-classic captures) are opened on
 * first use instead of being linked: a plain replay then neither maps them
 * nor pays the dynamic loader's relocation work for them at start-up. */
#ifndef OWFP_UTIL_LAZYLIB_H
#define OWFP_UTIL_LAZYLIB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* A table member for library function fn, typed from fn's declaration in
 * the library's header, so a call through the table is checked like a
 * direct call: struct { OWFP_LAZYFN(pcap_close); } t; t.pcap_close(p). */
#define OWFP_LAZYFN(fn) __typeof__(fn) *fn

/* One function to bind: its name in the library and the table member that
 * receives its address (stored through void **, the POSIX idiom for
 * dlsym's result). */
typedef struct owfp_lazysym {
	const char *name;
	void **slot;
} owfp_lazysym;

#define OWFP_LAZYSYM(tbl, fn)           \
	{                               \
#fn, (void **)&(tbl).fn \
	}

/* dlopen(soname) and bind every symbol of syms[0..n). The library stays
 * loaded for the life of the process. On failure returns -ELIBACC (library
 * missing) or -ELIBBAD (a symbol missing) and writes to err a message naming
 * the library, the reason and the Debian package that provides it (pkg);
 * the slots are then not to be used. Not thread-safe on its own: callers
 * wrap it in pthread_once, or use owfp_lazylib_open. */
int owfp_lazylib_load(const char *soname, const char *pkg, const owfp_lazysym *syms, size_t n,
		      char *err, size_t errlen);

/* A library loaded once for the whole process, on first use, by whichever
 * thread asks first; later callers get the same answer without a lock.
 * Define one statically per library:
 *   static const owfp_lazysym syms[] = {OWFP_LAZYSYM(fns, pcap_close), ...};
 *   static owfp_lazylib lib = OWFP_LAZYLIB("libpcap.so.0.8", "libpcap0.8", syms);
 */
typedef struct owfp_lazylib {
	const char *soname;
	const char *pkg;
	const owfp_lazysym *syms;
	size_t n;
	pthread_mutex_t mu;
	atomic_int rc; /* 1 until the first attempt, then its result */
	char err[256];
} owfp_lazylib;

#define OWFP_LAZYLIB(soname, pkg, syms)                                    \
	{                                                                  \
		(soname), (pkg), (syms), sizeof(syms) / sizeof((syms)[0]), \
			PTHREAD_MUTEX_INITIALIZER, 1, ""                   \
	}

/* Loads lib on the first call (owfp_lazylib_load) and returns that first
 * result on every call: 0, or -ELIBACC/-ELIBBAD with the message copied to
 * err (may be NULL). Thread-safe. */
int owfp_lazylib_open(owfp_lazylib *lib, char *err, size_t errlen);

#endif
