/* SHA-256 through a lazily bound libcrypto (sha256.h). The table is written
 * once, under pthread_once, then only read. */
#include "replay/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/lazylib.h"

#ifndef OWFP_CRYPTO_SONAME
#define OWFP_CRYPTO_SONAME "libcrypto.so.3"
#endif

static struct {
	OWFP_LAZYFN(EVP_MD_CTX_new);
	OWFP_LAZYFN(EVP_MD_CTX_free);
	OWFP_LAZYFN(EVP_sha256);
	OWFP_LAZYFN(EVP_DigestInit_ex);
	OWFP_LAZYFN(EVP_DigestUpdate);
	OWFP_LAZYFN(EVP_DigestFinal_ex);
} evp;
static int load_rc = -ELIBACC;
static char load_err[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const owfp_lazysym syms[] = {
		OWFP_LAZYSYM(evp, EVP_MD_CTX_new),   OWFP_LAZYSYM(evp, EVP_MD_CTX_free),
		OWFP_LAZYSYM(evp, EVP_sha256),       OWFP_LAZYSYM(evp, EVP_DigestInit_ex),
		OWFP_LAZYSYM(evp, EVP_DigestUpdate), OWFP_LAZYSYM(evp, EVP_DigestFinal_ex),
	};
	load_rc = owfp_lazylib_load(OWFP_CRYPTO_SONAME, "libssl3", syms,
				    sizeof(syms) / sizeof(syms[0]), load_err, sizeof(load_err));
}

int owfp_sha256_load(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (load_rc)
		snprintf(err, errlen, "%s", load_err);
	return load_rc;
}

owfp_sha256 *owfp_sha256_new(void)
{
	EVP_MD_CTX *c = evp.EVP_MD_CTX_new();
	if (c && !evp.EVP_DigestInit_ex(c, evp.EVP_sha256(), NULL)) {
		evp.EVP_MD_CTX_free(c);
		c = NULL;
	}
	return (owfp_sha256 *)c;
}

void owfp_sha256_update(owfp_sha256 *h, const void *data, size_t len)
{
	evp.EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void owfp_sha256_hex(owfp_sha256 *h, char hex[OWFP_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned got = 0;
	if (!evp.EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &got) || got * 2 > OWFP_SHA256_HEX_LEN)
		got = 0;
	size_t len = got;
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * len] = '\0';
}

void owfp_sha256_free(owfp_sha256 *h)
{
	if (h)
		evp.EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
