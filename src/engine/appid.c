/* Application ids from Linux paths; FwpmGetAppIdFromFileName0, FwpmFreeMemory0. */
#include "engine/appid.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

#define ERROR_SUCCESS 0u
#define ERROR_FILE_NOT_FOUND 2u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_INVALID_PARAMETER 87u

/* One code point from UTF-8, or the surrogate escape of a stray byte. */
static size_t next_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 1;
	uint32_t c = s[0] & (0x7f >> len);

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (len == 1 || s[0] > 0xf4 || len > n)
		goto escape;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto escape;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		goto escape;
	*cp = c;
	return len;
escape:
	*cp = 0xdc00 + s[0];
	return 1;
}

int owfp_appid_from_path(const char *path, FWP_BYTE_BLOB *out)
{
	const unsigned char *s = (const unsigned char *)path;
	size_t n = path ? strlen(path) : 0, k = 0;
	WCHAR *w;

	memset(out, 0, sizeof(*out));
	/* At most two WCHARs per byte (a surrogate pair), plus the NUL. */
	if (n == 0 || n > PATH_MAX)
		return -EINVAL;
	w = owfp_calloc(2 * n + 1, sizeof(WCHAR));
	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n;) {
		uint32_t cp;

		i += next_cp(s + i, n - i, &cp);
		if (sizeof(WCHAR) == 2 && cp >= 0x10000) {
			w[k++] = (WCHAR)(0xd800 + ((cp - 0x10000) >> 10));
			w[k++] = (WCHAR)(0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else {
			w[k++] = (WCHAR)cp;
		}
	}
	w[k++] = 0;
	out->size = (UINT32)(k * sizeof(WCHAR));
	out->data = (UINT8 *)w;
	return 0;
}

int owfp_appid_from_config_path(const char *path, FWP_BYTE_BLOB *out)
{
	char *real;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!path || path[0] != '/')
		return -EINVAL;
	real = realpath(path, NULL);
	rc = owfp_appid_from_path(real ? real : path, out);
	free(real);
	return rc;
}

/* Windows returns Win32 error codes from this user-mode call; so do we. */
DWORD NTAPI FwpmGetAppIdFromFileName0(PCWSTR fileName, FWP_BYTE_BLOB **appId)
{
	char utf8[PATH_MAX * 4];
	FWP_BYTE_BLOB *b, tmp;
	char *real;
	int rc;

	if (!fileName || !appId)
		return ERROR_INVALID_PARAMETER;
	*appId = NULL;
	owfp_wstr_to_utf8(fileName, utf8, sizeof(utf8));
	if (utf8[0] != '/')
		return ERROR_INVALID_PARAMETER;
	real = realpath(utf8, NULL);
	if (!real)
		return errno == ENOENT || errno == ENOTDIR ? ERROR_FILE_NOT_FOUND
		       : errno == ENOMEM                   ? ERROR_NOT_ENOUGH_MEMORY
							   : ERROR_ACCESS_DENIED;
	rc = owfp_appid_from_path(real, &tmp);
	free(real);
	if (rc)
		return rc == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
	/* One block, so FwpmFreeMemory0 frees it with one free(). */
	b = owfp_malloc(sizeof(*b) + tmp.size);
	if (b) {
		b->size = tmp.size;
		b->data = (UINT8 *)(b + 1);
		memcpy(b->data, tmp.data, tmp.size);
	}
	free(tmp.data);
	if (!b)
		return ERROR_NOT_ENOUGH_MEMORY;
	*appId = b;
	return ERROR_SUCCESS;
}

/* Every Fwpm* call that hands out memory allocates it as one block. */
void NTAPI FwpmFreeMemory0(void **p)
{
	if (!p)
		return;
	free(*p);
	*p = NULL;
}

bool owfp_engine_wants_process(owfp_engine *e)
{
	bool any = false;

	for (int slot = OWFP_SLOT_ALE_V4; e && slot <= OWFP_SLOT_ALE_V6 && !any; slot++) {
		owfp_clayer *l = owfp_snapshot_layer(e, slot);
		any = l && l->n > 0;
		owfp_clayer_unref(l);
	}
	return any;
}
