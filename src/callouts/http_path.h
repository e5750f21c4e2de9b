/*
 * Request paths as a server will act on them, for http_filter's path rules.
 *
 * Servers disagree about what a path means: nginx takes ';' literally,
 * Tomcat and Spring cut ";params" off each segment (so "/x/..;/admin" is
 * "/admin" to them); IIS reads '\' as '/' and is case-insensitive; some
 * frameworks decode twice. A filter that picks one reading is bypassed on a
 * server that picks another. So: every reading we know is produced (the
 * caller asks for the literal one and, when the path has a ';', the one
 * without path parameters), and whatever cannot be read one way is refused
 * (fail closed): a backslash, raw or encoded; an encoded '/', ';' or NUL;
 * a control byte; a double-encoded escape ("%2561"); invalid or overlong
 * UTF-8 after decoding. Case is left to the matcher (deny rules ignore it,
 * allow rules do not). The full rule set is in docs/callouts.md.
 */
#ifndef OWFP_CALLOUTS_HTTP_PATH_H
#define OWFP_CALLOUTS_HTTP_PATH_H

#include <stddef.h>

/* Remove ";..." from each segment before decoding (Tomcat/Spring reading). */
#define OWFP_HTTP_PATH_STRIP_PARAMS 1u

/*
 * Percent-decodes `path`, drops repeated slashes and removes dot segments
 * ("/a/./b/../c" -> "/a/c"), writing a NUL-terminated result to out.
 * Returns its length, or -1 when the path is refused; *why (when why is not
 * NULL) then names the rule, as static text. A path not starting with '/'
 * ("*", CONNECT's empty path) is copied as it is.
 */
long owfp_http_path_normalize(const char *path, size_t len, unsigned flags, char *out, size_t outsz,
			      const char **why);

#endif
