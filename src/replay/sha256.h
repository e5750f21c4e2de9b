/* SHA-256 for --extract's flows.tsv, through libcrypto loaded on first use
 * (util/lazylib.h): a replay without --extract never maps it. */
#ifndef OWFP_REPLAY_SHA256_H
#define OWFP_REPLAY_SHA256_H

#include <stddef.h>

#define OWFP_SHA256_HEX_LEN 64

typedef struct owfp_sha256 owfp_sha256;

/* Loads libcrypto if not yet loaded (thread-safe). 0, or -ELIBACC/-ELIBBAD
 * with a message naming the library and its Debian package in err. */
int owfp_sha256_load(char *err, size_t errlen);

/* After a successful owfp_sha256_load only. NULL: out of memory. */
owfp_sha256 *owfp_sha256_new(void);
void owfp_sha256_update(owfp_sha256 *h, const void *data, size_t len);
/* The digest of everything updated so far, as lowercase hex. */
void owfp_sha256_hex(owfp_sha256 *h, char hex[OWFP_SHA256_HEX_LEN + 1]);
void owfp_sha256_free(owfp_sha256 *h);

#endif
