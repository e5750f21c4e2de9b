/*
 * WCHAR text helpers shared by the registry Parameters store and the device
 * namespace: strict UTF-8 decoding and the case folding the Windows object
 * manager and registry use for names.
 */
#ifndef OWFP_WDM_WTEXT_H
#define OWFP_WDM_WTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "openwfp/wdm.h"

/*
 * Decodes NUL-terminated UTF-8 into a new NUL-terminated WCHAR array
 * (malloc; *nchars excludes the terminator). Returns 0, -EINVAL when s is
 * not valid UTF-8 (overlong forms, surrogates and values past U+10FFFF
 * included), or -ENOMEM.
 */
int owfp_wtext_from_utf8(const char *s, WCHAR **out, size_t *nchars);

/* Upper case of one character, as RtlUpcaseUnicodeChar (full Unicode, not only ASCII). */
WCHAR owfp_wtext_upcase(WCHAR c);

/* Case-insensitive equality of two counted WCHAR strings (lengths in characters). */
bool owfp_wtext_equal_ci(const WCHAR *a, size_t na, const WCHAR *b, size_t nb);

#endif /* OWFP_WDM_WTEXT_H */
