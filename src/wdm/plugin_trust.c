/*
 * Plugin trust (see plugin_trust.h): ownership and write permission of the
 * plugin, its directories, and what the dynamic loader will load with it.
 *
 * Why dependencies are found by reading the ELF dynamic section, and not
 * with an audit module (la_objsearch) or dlopen(RTLD_NOLOAD): an audit
 * module must be named in LD_AUDIT when the process starts, which a
 * command run by an administrator cannot rely on; RTLD_NOLOAD only says
 * what is loaded already; and dl_iterate_phdr after the load is too late,
 * since constructors have run. So the loader's search is repeated here,
 * conservatively: every directory it may search for a library (DT_RPATH
 * chain, the executable's DT_RPATH, LD_LIBRARY_PATH unless secure-execution,
 * DT_RUNPATH) must be trusted, and so must every candidate file found in
 * them, whichever of them the loader would take.
 */
#include "wdm/plugin_trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wdm/plugin_elf.h"
#include "util/alloc.h"

#define DEPTH_MAX 16
#define SEEN_MAX 256
#define DIRS_MAX 64

typedef struct trust {
	const char *shown;
	char *err;
	size_t errlen;
	uid_t euid;
	size_t nseen;
	struct {
		dev_t dev;
		ino_t ino;
	} seen[SEEN_MAX];
} trust;

/* A search path split into absolute directories. */
typedef struct dirs {
	size_t n;
	char *d[DIRS_MAX];
} dirs;

static int refuse(trust *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(trust *t, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (t->err && t->errlen) {
		n = snprintf(t->err, t->errlen, "plugin %s: refused (fail closed): ", t->shown);
		if (n >= 0 && (size_t)n < t->errlen) {
			va_start(ap, fmt);
			vsnprintf(t->err + n, t->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -EPERM;
}

static int failed(trust *t, int rc, const char *what, const char *path)
{
	if (t->err && t->errlen)
		snprintf(t->err, t->errlen, "plugin %s: cannot examine %s %s: %s", t->shown, what,
			 path, strerror(-rc));
	return rc;
}

bool owfp_plugin_trust_privileged(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (geteuid() == 0 || geteuid() != getuid() || getegid() != getgid())
		return true;
	if (syscall(SYS_capget, &hdr, data) != 0)
		return true; /* cannot tell: assume the worst */
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective)
			return true;
	return false;
}

static const char *user_name(uid_t uid, char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, n, "%s", pw.pw_name);
	else
		snprintf(buf, n, "no such user");
	return buf;
}

/* The rule for one file or directory: its owner and its write bits. */
static int check_node(trust *t, const char *ctx, const char *what, const char *path,
		      const struct stat *st)
{
	unsigned mode = (unsigned)(st->st_mode & 07777);
	char name[256];

	if (st->st_uid != 0 && st->st_uid != t->euid)
		return refuse(
			t,
			"%s%s %s is owned by uid %u (%s), not by root or the running user (uid %u)",
			ctx, what, path, (unsigned)st->st_uid,
			user_name(st->st_uid, name, sizeof(name)), (unsigned)t->euid);
	if (st->st_mode & S_IWOTH)
		return refuse(t, "%s%s %s is world-writable (mode %04o)%s", ctx, what, path, mode,
			      (st->st_mode & S_ISVTX)
				      ? "; the sticky bit does not make it safe for plugins"
				      : "");
	if (st->st_mode & S_IWGRP)
		return refuse(t, "%s%s %s is group-writable (mode %04o)", ctx, what, path, mode);
	return 0;
}

/*
 * A root-owned, world-writable directory with the sticky bit (/tmp) is
 * accepted as an ANCESTOR only: there, only an entry's owner may rename or
 * remove it, so a child directory that itself passes the rule cannot be
 * swapped by another user (this keeps a root-owned checkout under /tmp
 * loadable). It is never accepted as the directory that holds the plugin or
 * a library (anyone could add files beside it), nor when the child does not
 * exist yet (anyone could create it).
 */
static bool sticky_ancestor(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 && (st->st_mode & S_ISVTX);
}

/*
 * Every directory from "/" down to `path` (itself included when it is a
 * directory). A component that does not exist ends the walk: it can only be
 * created by whoever may write the last one that does, checked already
 * (unless that one is a sticky ancestor: refused). A symbolic link is
 * checked where it points, too.
 */
static int check_chain(trust *t, const char *ctx, const char *path, int depth)
{
	char prefix[PATH_MAX], sticky[PATH_MAX] = "";
	size_t len = strlen(path);
	struct stat st, sticky_st;
	int rc;

	if (len == 0 || path[0] != '/' || len >= sizeof(prefix))
		return refuse(t, "%spath '%s' is not absolute", ctx, path);
	if (lstat("/", &st) != 0)
		return failed(t, -errno, "directory", "/");
	if ((rc = check_node(t, ctx, "directory", "/", &st)))
		return rc;
	for (size_t i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (path[i - 1] == '/')
			continue; /* "//" or a trailing '/' */
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if (lstat(prefix, &st) != 0) {
			if ((errno == ENOENT || errno == ENOTDIR) && sticky[0])
				return refuse(t,
					      "%s%s does not exist, and any user may create it in the "
					      "world-writable directory %s",
					      ctx, prefix, sticky);
			if (errno == ENOENT || errno == ENOTDIR)
				return 0;
			return failed(t, -errno, "directory", prefix);
		}
		if (S_ISLNK(st.st_mode)) {
			char real[PATH_MAX];
			if (sticky[0])
				return refuse(
					t,
					"%s%s is a symbolic link in the world-writable directory %s",
					ctx, prefix, sticky);
			if (depth >= DEPTH_MAX)
				return refuse(t, "%stoo many symbolic links under %s", ctx, prefix);
			if (!realpath(prefix, real))
				return errno == ENOENT ? 0 : failed(t, -errno, "link", prefix);
			if ((rc = check_chain(t, ctx, real, depth + 1)))
				return rc;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (sticky[0]) /* the file's own directory is world-writable */
				return check_node(t, ctx, "directory", sticky, &sticky_st);
			return 0; /* the file at the end: checked by its caller */
		}
		if ((st.st_mode & S_IWOTH) && i < len && sticky_ancestor(&st)) {
			snprintf(sticky, sizeof(sticky), "%s", prefix);
			sticky_st = st;
			continue;
		}
		sticky[0] = '\0';
		if ((rc = check_node(t, ctx, "directory", prefix, &st)))
			return rc;
	}
	if (sticky[0])
		return check_node(t, ctx, "directory", sticky, &sticky_st);
	return 0;
}

static void dirs_free(dirs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->d[i]);
	ds->n = 0;
}

/* Appends the entries of a search path; $ORIGIN is `origin`. */
static int dirs_add(trust *t, dirs *ds, const char *list, const char *what, const char *obj,
		    const char *origin)
{
	const char *p = list;
	for (;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char entry[PATH_MAX], dir[PATH_MAX];
		if (n >= sizeof(entry))
			return refuse(t, "%s entry of %s is too long", what, obj);
		memcpy(entry, p, n);
		entry[n] = '\0';
		size_t o = 0;
		for (size_t i = 0; i < n;) {
			const char *tok = NULL;
			size_t skip = 0;
			if (!strncmp(entry + i, "$ORIGIN", 7) &&
			    !(entry[i + 7] == '_' || (entry[i + 7] >= 'A' && entry[i + 7] <= 'Z') ||
			      (entry[i + 7] >= 'a' && entry[i + 7] <= 'z') ||
			      (entry[i + 7] >= '0' && entry[i + 7] <= '9')))
				tok = origin, skip = 7;
			else if (!strncmp(entry + i, "${ORIGIN}", 9))
				tok = origin, skip = 9;
			else if (entry[i] == '$')
				return refuse(t,
					      "%s entry '%s' of %s: only $ORIGIN is understood here",
					      what, entry, obj);
			if (tok) {
				size_t tl = strlen(tok);
				if (o + tl >= sizeof(dir))
					return refuse(t, "%s entry of %s is too long", what, obj);
				memcpy(dir + o, tok, tl);
				o += tl;
				i += skip;
			} else {
				if (o + 1 >= sizeof(dir))
					return refuse(t, "%s entry of %s is too long", what, obj);
				dir[o++] = entry[i++];
			}
		}
		dir[o] = '\0';
		if (dir[0] != '/')
			return refuse(t,
				      "%s entry '%s' of %s is not absolute (it would be searched from "
				      "the current directory)",
				      what, entry, obj);
		if (ds->n == DIRS_MAX)
			return refuse(t, "%s of %s has too many entries", what, obj);
		if (!(ds->d[ds->n] = owfp_strdup(dir)))
			return -ENOMEM;
		ds->n++;
		if (!colon)
			return 0;
		p = colon + 1;
	}
}

static int loaded_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	const char *name = data, *base;

	(void)size;
	if (!info->dlpi_name || !info->dlpi_name[0])
		return 0;
	base = strrchr(info->dlpi_name, '/');
	base = base ? base + 1 : info->dlpi_name;
	return strcmp(base, name) == 0;
}

/* The loader reuses an object of that name that is loaded already. */
static bool loaded_already(const char *name)
{
	return dl_iterate_phdr(loaded_cb, (void *)name) != 0;
}

static int check_object(trust *t, int fd, const char *path, const char *what, const dirs *parents,
			int depth);

/* A library file the loader may open: the rule for it, then its own deps. */
static int check_library(trust *t, const char *ctx, const char *path, const dirs *parents, int depth)
{
	char real[PATH_MAX];
	struct stat st;
	int fd, rc;

	if (!realpath(path, real))
		return errno == ENOENT ? 0 : failed(t, -errno, "library", path);
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return failed(t, -errno, "library", real);
	if (fstat(fd, &st) != 0) {
		rc = failed(t, -errno, "library", real);
	} else if ((rc = check_node(t, ctx, "library", real, &st)) == 0 &&
		   (rc = check_chain(t, ctx, real, 0)) == 0) {
		/* named as the loader opens it: $ORIGIN is that name's directory */
		rc = check_object(t, fd, path, "library", parents, depth + 1);
	}
	close(fd);
	return rc;
}

static bool seen_before(trust *t, int fd, int *rc)
{
	struct stat st;

	*rc = 0;
	if (fstat(fd, &st) != 0) {
		*rc = -errno;
		return true;
	}
	for (size_t i = 0; i < t->nseen; i++)
		if (t->seen[i].dev == st.st_dev && t->seen[i].ino == st.st_ino)
			return true;
	if (t->nseen == SEEN_MAX) {
		*rc = refuse(t, "more than %d libraries to check", SEEN_MAX);
		return true;
	}
	t->seen[t->nseen].dev = st.st_dev;
	t->seen[t->nseen].ino = st.st_ino;
	t->nseen++;
	return false;
}

/* One directory the loader may take `name` from: the directory's rule, and
 * the candidate file's if there is one. */
static int check_in_dir(trust *t, const char *ctx, const char *dir, const char *name,
			const dirs *chain, int depth)
{
	char cand[PATH_MAX];
	int rc = check_chain(t, ctx, dir, 0);

	if (rc || snprintf(cand, sizeof(cand), "%s/%s", dir, name) >= (int)sizeof(cand))
		return rc;
	return access(cand, F_OK) == 0 ? check_library(t, ctx, cand, chain, depth) : 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Legacy hardware-capability subdirectory names (glibc before 2.37: tls,
 * the x86 platform and hwcap names, and this machine's AT_PLATFORM),
 * nested up to tls/PLATFORM/HWCAP. */
#define HWCAP_DEPTH 3

static int check_legacy(trust *t, const char *ctx, const char *dir, const char *name,
			const dirs *chain, int depth, int level)
{
	const char *names[] = {"tls",
			       "x86_64",
			       "haswell",
			       "xeon_phi",
			       "avx512_1",
			       "i686",
			       (const char *)getauxval(AT_PLATFORM)};
	char sub[PATH_MAX];
	int rc = 0;

	for (size_t i = 0; !rc && i < sizeof(names) / sizeof(names[0]); i++) {
		if (!names[i]) /* no AT_PLATFORM */
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]) >= (int)sizeof(sub) ||
		    !is_dir(sub))
			continue;
		if (!(rc = check_in_dir(t, ctx, sub, name, chain, depth)) && level + 1 < HWCAP_DEPTH)
			rc = check_legacy(t, ctx, sub, name, chain, depth, level + 1);
	}
	return rc;
}

/*
 * The subdirectories of a search directory that the loader tries before
 * the directory itself (LD_DEBUG=libs lists them): glibc-hwcaps/NAME for
 * every NAME there, and the legacy tls/PLATFORM/HWCAP nesting. A user's
 * directory there would give the loader that user's library, however
 * trusted the search directory is. Checked whether this glibc searches
 * them or not: extra refusals are the safe side.
 */
static int check_hwcaps(trust *t, const char *ctx, const char *dir, const char *name,
			const dirs *chain, int depth)
{
	char hw[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *dh;
	int rc = 0;

	if (snprintf(hw, sizeof(hw), "%s/glibc-hwcaps", dir) < (int)sizeof(hw) && is_dir(hw)) {
		/* its entries are fixed once it passes: read them after the check */
		if ((rc = check_chain(t, ctx, hw, 0)))
			return rc;
		if (!(dh = opendir(hw)))
			return failed(t, -errno, "directory", hw);
		while (!rc && (e = readdir(dh))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", hw, e->d_name) < (int)sizeof(sub) &&
			    is_dir(sub))
				rc = check_in_dir(t, ctx, sub, name, chain, depth);
		}
		closedir(dh);
	}
	return rc ? rc : check_legacy(t, ctx, dir, name, chain, depth, 0);
}

/* The executable's DT_RPATH: the loader searches it for every object's
 * dependencies when the executable has no DT_RUNPATH. */
static int exe_rpath(trust *t, dirs *ds)
{
	owfp_elf_deps d;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return 0; /* no /proc: the loader's view of it cannot be read either */
	rc = owfp_elf_deps_read(fd, &d);
	close(fd);
	if (rc)
		return 0;
	if (d.rpath && !d.runpath)
		rc = dirs_add(t, ds, d.rpath, "DT_RPATH", "the executable", "/");
	owfp_elf_deps_free(&d);
	return rc;
}

static int dirs_append(dirs *to, const dirs *from)
{
	for (size_t i = 0; from && i < from->n && to->n < DIRS_MAX; i++) {
		if (!(to->d[to->n] = owfp_strdup(from->d[i])))
			return -ENOMEM;
		to->n++;
	}
	return 0;
}

/* The directory of `path` (absolute), for $ORIGIN. */
static void origin_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash && slash != path ? (size_t)(slash - path) : 1;

	if (len >= n)
		len = n - 1;
	memcpy(out, path, len);
	out[len] = '\0';
}

/*
 * The rules for what the object at `path` (open at fd) makes the loader
 * load. `inherited` is the DT_RPATH of the objects that loaded it, up to
 * the executable's.
 */
static int check_object(trust *t, int fd, const char *path, const char *what, const dirs *inherited,
			int depth)
{
	owfp_elf_deps d;
	dirs rpath = {0}, runpath = {0}, env = {0}, chain = {0}, search = {0};
	char origin[PATH_MAX], ctx[2 * PATH_MAX + 128];
	const char *llp;
	int rc;

	if (depth > DEPTH_MAX)
		return refuse(t, "dependencies nested more than %d deep", DEPTH_MAX);
	if (seen_before(t, fd, &rc))
		return rc;
	rc = owfp_elf_deps_read(fd, &d);
	if (rc == -ENOEXEC)
		return 0; /* not an object for this process: the loader refuses it unrun */
	if (rc == -EBADMSG)
		return refuse(t, "%s %s: its ELF dynamic section cannot be read", what, path);
	if (rc)
		return failed(t, rc, what, path);
	origin_of(path, origin, sizeof(origin));

	if (d.rpath && !d.runpath)
		rc = dirs_add(t, &rpath, d.rpath, "DT_RPATH", path, origin);
	if (!rc && d.runpath)
		rc = dirs_add(t, &runpath, d.runpath, "DT_RUNPATH", path, origin);
	/* every entry, used or not: a library may be put there later */
	for (size_t i = 0; !rc && i < rpath.n + runpath.n; i++) {
		const char *dir = i < rpath.n ? rpath.d[i] : runpath.d[i - rpath.n];
		snprintf(ctx, sizeof(ctx),
			 "%s entry %s of %s: ", i < rpath.n ? "DT_RPATH" : "DT_RUNPATH", dir, path);
		rc = check_chain(t, ctx, dir, 0);
	}

	/* where the loader looks, in its order (ld.so(8)): an object with
	 * DT_RUNPATH uses no DT_RPATH at all, else its own and its loaders' */
	if (!rc)
		rc = dirs_append(&chain, &rpath);
	if (!rc)
		rc = dirs_append(&chain, inherited);
	if (!rc && !d.runpath)
		rc = dirs_append(&search, &chain);
	llp = getauxval(AT_SECURE) ? NULL : getenv("LD_LIBRARY_PATH");
	if (!rc && llp && *llp && d.n_needed)
		rc = dirs_add(t, &env, llp, "LD_LIBRARY_PATH", "the environment", "/");
	if (!rc)
		rc = dirs_append(&search, &env);
	if (!rc)
		rc = dirs_append(&search, &runpath);

	for (size_t k = 0; !rc && k < d.n_needed; k++) {
		const char *name = d.needed[k];
		if (strchr(name, '/')) {
			snprintf(ctx, sizeof(ctx), "%s %s needs %s: ", what, path, name);
			rc = name[0] == '/' ? check_library(t, ctx, name, &chain, depth)
					    : refuse(t,
						     "%sa relative path, opened from the current "
						     "directory",
						     ctx);
			continue;
		}
		if (loaded_already(name))
			continue;
		/* every directory it may be looked for in, and every candidate
		 * there, whichever the loader would take; not found in any, it
		 * comes from the loader's cache or default directories */
		for (size_t i = 0; !rc && i < search.n; i++) {
			snprintf(ctx, sizeof(ctx), "%s %s needs %s, searched in %s: ", what, path,
				 name, search.d[i]);
			if ((rc = check_in_dir(t, ctx, search.d[i], name, &chain, depth)))
				break;
			rc = check_hwcaps(t, ctx, search.d[i], name, &chain, depth);
		}
	}
	dirs_free(&rpath);
	dirs_free(&runpath);
	dirs_free(&env);
	dirs_free(&chain);
	dirs_free(&search);
	owfp_elf_deps_free(&d);
	return rc;
}

int owfp_plugin_trust_check(const char *shown, const char *real, int fd, char *err, size_t errlen)
{
	trust *t;
	struct stat st;
	dirs exe = {0};
	int rc;

	if (!owfp_plugin_trust_privileged())
		return 0;
	t = owfp_calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->shown = shown;
	t->err = err;
	t->errlen = errlen;
	t->euid = geteuid();
	if (fstat(fd, &st) != 0)
		rc = failed(t, -errno, "file", real);
	else if ((rc = check_node(t, "", "the plugin file", real, &st)) == 0 &&
		 (rc = check_chain(t, "", real, 0)) == 0 && (rc = exe_rpath(t, &exe)) == 0)
		rc = check_object(t, fd, real, "the plugin", &exe, 0);
	dirs_free(&exe);
	free(t);
	return rc;
}
