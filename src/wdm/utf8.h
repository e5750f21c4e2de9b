/*
 * UTF-8 <-> code points, for the runtime's multi-byte conversions (the
 * multi-byte code page is UTF-8 here). A few lines each, so no library.
 */
#ifndef OWFP_WDM_UTF8_H
#define OWFP_WDM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define OWFP_UTF8_REPLACEMENT 0xfffdu

/* Writes c (U+FFFD when it is not a scalar value) as 1..4 bytes into b;
 * returns the count. */
size_t owfp_utf8_encode(uint32_t c, char b[4]);
/* Decodes one sequence from s (n > 0 bytes); returns the bytes used. An
 * invalid or cut sequence yields U+FFFD for its first byte. */
size_t owfp_utf8_decode(const unsigned char *s, size_t n, uint32_t *c);

#endif /* OWFP_WDM_UTF8_H */
