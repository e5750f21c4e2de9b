/*
 * TEMPORARY COPY (helper ctlplane) of the seam declared in SEAMS.md and
 * owned by helper kmdf; the coordinator drops this file at merge in favour
 * of kmdf's. Implementation: src/wdm/kmdf_seam_stub.c (also dropped).
 *
 * A driver's ...\Services\NAME\Parameters key, in memory.
 */
#ifndef OWFP_WDM_REGPARAMS_H
#define OWFP_WDM_REGPARAMS_H

#include <stddef.h>
#include <stdint.h>

typedef struct owfp_regparams owfp_regparams;
owfp_regparams *owfp_regparams_new(void);
void owfp_regparams_free(owfp_regparams *p);
/* Each returns 0 or -EINVAL (bad name/value, message in err) / -ENOMEM. A value of the same name
 * (case-insensitive, like the registry) is replaced. REG_SZ/REG_MULTI_SZ take UTF-8 and are stored as
 * the UTF-16 the driver reads. */
int owfp_regparams_set_dword(owfp_regparams *p, const char *name, uint32_t v, char *err, size_t errlen);
int owfp_regparams_set_sz(owfp_regparams *p, const char *name, const char *utf8, char *err, size_t errlen);
int owfp_regparams_set_multi_sz(owfp_regparams *p, const char *name, const char *const *items, size_t n,
				char *err, size_t errlen);
int owfp_regparams_set_binary(owfp_regparams *p, const char *name, const void *data, size_t len,
			      char *err, size_t errlen);

#endif /* OWFP_WDM_REGPARAMS_H */
