/* Where openwfp's headers and library are, seen from this executable: in
 * the build tree (build/openwfp-cc, headers in the source tree) or in an
 * installed prefix (PREFIX/bin/openwfp-cc, PREFIX/include, PREFIX/lib...).
 * The directories come from CMake (src/cc/CMakeLists.txt). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc/driver.h"

static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static bool has_headers(const char *inc)
{
	char probe[4200];

	snprintf(probe, sizeof(probe), "%s/openwfp/fwpsk.h", inc);
	return access(probe, R_OK) == 0;
}

int cc_paths_find(cc_paths *p, char *err, size_t errlen)
{
	char exe[2048], *slash; /* a shorter path than cc_paths holds */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		cc_err(err, errlen, "cannot read /proc/self/exe to find openwfp's headers: %s",
		       strerror(errno));
		return -ENOENT;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0'; /* exe is now the executable's directory */
	if (same_dir(exe, OWFP_CC_BUILD_DIR)) {
		snprintf(p->include, sizeof(p->include), "%s", OWFP_CC_SOURCE_DIR "/include");
		snprintf(p->libdir, sizeof(p->libdir), "%s", OWFP_CC_BUILD_LIBDIR);
	} else {
		slash = strrchr(exe, '/'); /* PREFIX/bin -> PREFIX */
		if (slash)
			*slash = '\0';
		snprintf(p->include, sizeof(p->include), "%s/%s", exe, OWFP_CC_INSTALL_INCLUDEDIR);
		snprintf(p->libdir, sizeof(p->libdir), "%s/%s", exe, OWFP_CC_INSTALL_LIBDIR);
	}
	if (!has_headers(p->include)) {
		cc_err(err, errlen,
		       "openwfp's headers are not where this openwfp-cc expects them (%s/openwfp); "
		       "run the openwfp-cc of a build tree (build/openwfp-cc) or of a complete "
		       "`make install`",
		       p->include);
		return -ENOENT;
	}
	return 0;
}
