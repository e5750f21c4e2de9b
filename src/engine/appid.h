/*
 * Application ids (the ALE_APP_ID field and condition, the PROCESS_PATH
 * metadata) for Linux paths. See docs/porting.md "## Flow metadata".
 *
 * An app id is an FWP_BYTE_BLOB holding the path as WCHARs (the width
 * this build gives WCHAR), NUL-terminated, its size in bytes counting the
 * NUL, as Windows hands a driver processPath. Case is kept: Linux file
 * names are case-sensitive, and folding them would let a filter written
 * for one program match another. Bytes that are not UTF-8 become U+DC80 +
 * byte (lone surrogates), so two different paths never give one id.
 */
#ifndef OWFP_ENGINE_APPID_H
#define OWFP_ENGINE_APPID_H

#include "openwfp/fwpmk.h"

/* Fills *out (data malloc'ed, free with free(out->data)). -ENOMEM,
 * -EINVAL for an empty path or one too long for a blob. */
int owfp_appid_from_path(const char *path, FWP_BYTE_BLOB *out);

/*
 * The id of `path` as a configuration names it: a path that exists here is
 * resolved first (symbolic links, "..") the way /proc/PID/exe shows a
 * running program; one that does not is taken as written (a capture from
 * another machine). `path` must be absolute (-EINVAL otherwise).
 */
int owfp_appid_from_config_path(const char *path, FWP_BYTE_BLOB *out);

#endif /* OWFP_ENGINE_APPID_H */
