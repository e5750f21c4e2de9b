/*
 * A driver's ...\Services\NAME\Parameters registry key, held in memory.
 *
 * There is no registry on Linux; the values a Windows driver would find
 * under its Parameters key come from the configuration or the command line
 * (helper code there fills one of these) and are handed to the plugin
 * loader, which keeps its own copy for the driver's lifetime. The KMDF
 * registry calls (WdfDriverOpenParametersRegistryKey, WdfRegistryQuery*)
 * read it.
 *
 * Value names compare case-insensitively, as in the registry. Strings are
 * given as UTF-8 and stored as the WCHAR text the driver reads (WCHAR is
 * wchar_t here, so one element per code point; see include/openwfp/ntdef.h),
 * NUL-terminated, with data lengths in bytes as the registry reports them:
 * REG_SZ "ab" is 3 * sizeof(WCHAR) bytes. REG_MULTI_SZ is each string with
 * its NUL, then one more NUL.
 *
 * Not thread-safe while being filled; once handed to a loaded driver it is
 * only read.
 */
#ifndef OWFP_WDM_REGPARAMS_H
#define OWFP_WDM_REGPARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "openwfp/wdm.h"

typedef struct owfp_regparams owfp_regparams;

/* Longest value name (in characters) and largest value (in bytes) accepted. */
#define OWFP_REGPARAMS_MAX_NAME 16383
#define OWFP_REGPARAMS_MAX_DATA (1u << 20)

owfp_regparams *owfp_regparams_new(void);
void owfp_regparams_free(owfp_regparams *p);

/*
 * Each returns 0, -EINVAL (bad name or value; a message naming the value is
 * in err) or -ENOMEM. A value of the same name (case-insensitive) is
 * replaced, type and all. A name is 1..OWFP_REGPARAMS_MAX_NAME characters
 * of valid UTF-8 without control characters; strings must be valid UTF-8;
 * REG_MULTI_SZ items must be non-empty (an empty item would end the list).
 */
int owfp_regparams_set_dword(owfp_regparams *p, const char *name, uint32_t v, char *err,
			     size_t errlen);
int owfp_regparams_set_sz(owfp_regparams *p, const char *name, const char *utf8, char *err,
			  size_t errlen);
int owfp_regparams_set_multi_sz(owfp_regparams *p, const char *name, const char *const *items,
				size_t n, char *err, size_t errlen);
int owfp_regparams_set_binary(owfp_regparams *p, const char *name, const void *data, size_t len,
			      char *err, size_t errlen);

/* A deep copy (NULL gives an empty set); NULL when out of memory. */
owfp_regparams *owfp_regparams_copy(const owfp_regparams *p);

/* Number of values. */
size_t owfp_regparams_count(const owfp_regparams *p);

/*
 * Looks a value up by a counted WCHAR name (as in a UNICODE_STRING,
 * name_len in bytes). Returns 0 and sets *type (REG_*), *data and *len
 * (bytes; valid while p lives and the value is not replaced), or -ENOENT.
 */
int owfp_regparams_query(const owfp_regparams *p, const WCHAR *name, size_t name_len, ULONG *type,
			 const void **data, ULONG *len);

#endif /* OWFP_WDM_REGPARAMS_H */
