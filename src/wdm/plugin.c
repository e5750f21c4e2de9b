/* The callout plugin loader: checks, dlopen, DriverEntry, DriverUnload. */
#include "wdm/plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <libgen.h>
#include <link.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err_printf.h"
#include "wdm/contain.h"
#include "wdm/deferred.h"
#include "wdm/objdir.h"
#include "wdm/plugin_trust.h"
#include "wdm/pool.h"
#include "wdm/regparams.h"
#include "wdm/wtext.h"
#include "util/alloc.h"

#define IO_TYPE_DRIVER 4

struct owfp_plugin {
	char *path; /* realpath of the plugin */
	void *dl;
	int fd; /* the checked file, open while loaded (see open_checked) */
	PDRIVER_OBJECT driver;
	char *name;           /* the driver (service) name */
	WCHAR *wide_registry; /* backs the registry path given to DriverEntry */
	WCHAR *wide_driver;   /* backs DriverObject->DriverName */
	UNICODE_STRING registry_path;
	owfp_regparams *params;                  /* the Parameters key: the loader's own copy */
	bool named;                              /* \Driver\NAME is reserved in the namespace */
	void (*teardown)(PDRIVER_OBJECT driver); /* a framework's (KMDF) own cleanup */
};

/*
 * Decodes one UTF-8 sequence at s (n bytes left) into *cp; returns its
 * length. A byte that does not start a valid sequence stands for itself,
 * so any path (Linux paths are bytes) converts.
 */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 1;
	uint32_t c = s[0] & (0x7f >> len);

	if (s[0] >= 0x80 && (len == 1 || s[0] > 0xf4 || len > n))
		goto raw;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto raw;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not text. */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		goto raw;
	*cp = len == 1 ? s[0] : c;
	return len;
raw:
	*cp = s[0];
	return 1;
}

#define SERVICES_KEY L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\"
#define DRIVER_DIR L"\\Driver\\"

/* prefix + name decoded from UTF-8 (bytes that are not UTF-8 stand for themselves). */
static WCHAR *widen_name(const WCHAR *prefix, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t n = strlen(name), k = wcslen(prefix);
	WCHAR *w;

	if (k + n >= MAXUSHORT / sizeof(WCHAR))
		return NULL;
	w = owfp_calloc(k + n + 1, sizeof(WCHAR));
	if (!w)
		return NULL;
	memcpy(w, prefix, k * sizeof(WCHAR));
	for (size_t i = 0; i < n;) {
		uint32_t cp;

		i += utf8_next(s + i, n - i, &cp);
		w[k++] = (WCHAR)cp;
	}
	return w;
}

/*
 * The driver's name: the one given, or the file's basename without ".so",
 * as Windows names a service after its .sys file by convention. It becomes
 * the registry path handed to DriverEntry (...\Services\NAME) and
 * DriverObject->DriverName (\Driver\NAME).
 */
static int name_driver(owfp_plugin *p, const char *given, const char *shown, char *err, size_t errlen)
{
	const char *base = strrchr(p->path, '/') ? strrchr(p->path, '/') + 1 : p->path;
	size_t n = strlen(base);

	if (given) {
		WCHAR *check;
		size_t k;

		if (!*given || strpbrk(given, "\\/") || owfp_wtext_from_utf8(given, &check, &k)) {
			owfp_err_printf(
				err, errlen,
				"plugin %s: driver name \"%s\" is not a valid service name (UTF-8, not empty, no '\\' or '/')",
				shown, given);
			return -EINVAL;
		}
		free(check);
		p->name = owfp_strdup(given);
	} else {
		if (n > 3 && !strcmp(base + n - 3, ".so"))
			n -= 3;
		p->name = owfp_strndup(base, n);
	}
	if (!p->name) {
		owfp_err_printf(err, errlen, "plugin %s: out of memory", shown);
		return -ENOMEM;
	}
	p->wide_registry = widen_name(SERVICES_KEY, p->name);
	p->wide_driver = widen_name(DRIVER_DIR, p->name);
	if (!p->wide_registry || !p->wide_driver) {
		owfp_err_printf(err, errlen, "plugin %s: driver name too long or out of memory",
				shown);
		return -ENOMEM;
	}
	RtlInitUnicodeString(&p->registry_path, p->wide_registry);
	return 0;
}

/*
 * Refuses what another local user could have replaced: the file must be a
 * regular file, and neither it nor its directory may be world-writable.
 * The file is checked through the descriptor that will be loaded, so it
 * cannot be swapped between check and load.
 */
static int check_file(const char *shown, const char *real, int *fd_out, char *err, size_t errlen)
{
	struct stat st, dst;
	char *dircopy;
	int fd, rc = 0;

	fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		owfp_err_printf(err, errlen, "plugin %s: cannot open: %s", shown, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		owfp_err_printf(err, errlen, "plugin %s: cannot stat: %s", shown, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		owfp_err_printf(err, errlen, "plugin %s: refused (fail closed): not a regular file",
				shown);
		rc = -EPERM;
		goto fail;
	}
	if (st.st_mode & S_IWOTH) {
		owfp_err_printf(
			err, errlen,
			"plugin %s: refused (fail closed): the file is world-writable (mode %04o)",
			shown, (unsigned)(st.st_mode & 07777));
		rc = -EPERM;
		goto fail;
	}
	dircopy = owfp_strdup(real);
	if (!dircopy) {
		rc = -ENOMEM;
		owfp_err_printf(err, errlen, "plugin %s: out of memory", shown);
		goto fail;
	}
	if (stat(dirname(dircopy), &dst) != 0) {
		rc = -errno;
		owfp_err_printf(err, errlen, "plugin %s: cannot stat its directory: %s", shown,
				strerror(errno));
	} else if (dst.st_mode & S_IWOTH) {
		owfp_err_printf(
			err, errlen,
			"plugin %s: refused (fail closed): its directory %s is world-writable (mode %04o)",
			shown, dircopy, (unsigned)(dst.st_mode & 07777));
		rc = -EPERM;
	}
	free(dircopy);
	if (rc)
		goto fail;
	*fd_out = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

static int same_name_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	return info->dlpi_name && strcmp(info->dlpi_name, data) == 0;
}

/*
 * dlclose does not always unmap (a C++ plugin with unique symbols stays,
 * for one). Such an object keeps its /proc/self/fd/N name, so N must never
 * be reused for another plugin: its descriptor is then kept open for good.
 */
static bool still_mapped(int fd)
{
	char fdpath[64];

	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	return dl_iterate_phdr(same_name_cb, fdpath) != 0;
}

static void delete_devices(PDRIVER_OBJECT driver)
{
	while (driver->DeviceObject)
		IoDeleteDevice(driver->DeviceObject);
}

static void plugin_free(owfp_plugin *p)
{
	if (p->driver) {
		if (p->teardown)
			p->teardown(p->driver);
		/* No deferred routine of the driver may run once it is unmapped. */
		size_t left = owfp_deferred_quiesce(p->driver);

		if (left)
			fprintf(stderr,
				"openwfp: plugin %s: %zu timer(s) or DPC(s) still set at unload; "
				"cancelled\n",
				p->path, left);
		owfp_objdir_drop_links_of(p->driver);
		delete_devices(p->driver);
		if (p->named)
			owfp_objdir_delete_driver(p->driver);
		owfp_pool_free(p->driver, OWFP_TAG_DRIVER, true);
	}
	if (p->dl)
		dlclose(p->dl);
	if (p->fd >= 0 && !still_mapped(p->fd))
		close(p->fd);
	owfp_regparams_free(p->params);
	free(p->wide_registry);
	free(p->wide_driver);
	free(p->name);
	free(p->path);
	free(p);
}

/*
 * dlerror() names the object as /proc/self/fd/N: drop that, since the
 * message already names the plugin, and explain the common case.
 */
static void describe_dlerror(const char *shown, char *err, size_t errlen)
{
	const char *why = dlerror();
	const char *colon;

	if (!why)
		why = "unknown error";
	if (!strncmp(why, "/proc/self/fd/", 14) && (colon = strstr(why, ": ")))
		why = colon + 2;
	if (strstr(why, "undefined symbol"))
		owfp_err_printf(
			err, errlen,
			"plugin %s: cannot load: %s (a function the plugin calls is not provided by openwfp)",
			shown, why);
	else
		owfp_err_printf(err, errlen, "plugin %s: cannot load: %s", shown, why);
}

/* dl_iterate_phdr callback: is this loaded object the file `data` describes? */
static int same_file_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	const struct stat *want = data;
	struct stat st;

	(void)size;
	if (!info->dlpi_name || !info->dlpi_name[0] || stat(info->dlpi_name, &st) != 0)
		return 0;
	return st.st_dev == want->st_dev && st.st_ino == want->st_ino;
}

/*
 * Loads through the checked descriptor when /proc allows it.
 *
 * A file that is loaded already (the same file, by any path) is refused:
 * its DriverEntry would run a second time over the first instance's
 * globals, and Windows never loads one driver twice either. This is
 * decided by comparing files, not with dlopen(RTLD_NOLOAD): the dynamic
 * loader remembers every name an object was opened under, and a
 * /proc/self/fd/N name is reused as soon as N is. For the same reason the
 * descriptor stays open while the plugin is loaded.
 */
static void *open_checked(int fd, const char *real, bool *already)
{
	char fdpath[64];
	struct stat st;

	*already = false;
	if (fstat(fd, &st) == 0 && dl_iterate_phdr(same_file_cb, &st)) {
		*already = true;
		return NULL;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (access(fdpath, R_OK) == 0)
		return dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
	return dlopen(real, RTLD_NOW | RTLD_LOCAL);
}

typedef struct entry_call {
	owfp_plugin *p;
	PDRIVER_INITIALIZE entry;
	NTSTATUS status;
} entry_call;

static void entry_fn(void *arg)
{
	entry_call *c = arg;

	c->status = c->entry(c->p->driver, &c->p->registry_path);
}

static const owfp_contain_site entry_site = {"DriverEntry", NULL};

/* DriverEntry, contained (src/wdm/contain.h). */
static int run_entry(owfp_plugin *p, PDRIVER_INITIALIZE entry, NTSTATUS *status)
{
	entry_call c = {p, entry, STATUS_UNSUCCESSFUL};
	int rc = owfp_contain_call(p->driver, NULL, &entry_site, entry_fn, &c);

	*status = c.status;
	return rc;
}

static void unload_fn(void *arg)
{
	PDRIVER_OBJECT driver = arg;

	driver->DriverUnload(driver);
}

static const owfp_contain_site unload_site = {"DriverUnload", NULL};

int owfp_plugin_load(const char *path, owfp_plugin **out, char *err, size_t errlen)
{
	return owfp_plugin_load_opts(path, NULL, out, err, errlen);
}

int owfp_plugin_load_opts(const char *path, const owfp_plugin_opts *opts, owfp_plugin **out,
			  char *err, size_t errlen)
{
	owfp_plugin *p;
	PDRIVER_INITIALIZE entry;
	char shown[PATH_MAX + 64];
	NTSTATUS status;
	Dl_info image;
	bool already;
	int fd = -1, rc;

	if (out)
		*out = NULL;
	if (!path || !out) {
		owfp_err_printf(err, errlen, "plugin: no path given");
		return -EINVAL;
	}
	p = owfp_calloc(1, sizeof(*p));
	if (!p) {
		owfp_err_printf(err, errlen, "plugin %s: out of memory", path);
		return -ENOMEM;
	}
	p->fd = -1;
	p->path = realpath(path, NULL);
	if (!p->path) {
		rc = -errno;
		owfp_err_printf(err, errlen, "plugin %s: cannot resolve path: %s", path,
				strerror(errno));
		plugin_free(p);
		return rc;
	}
	/* Name the plugin as the user wrote it, and where that resolved to. */
	if (strcmp(path, p->path) != 0)
		snprintf(shown, sizeof(shown), "%s (resolved to %s)", path, p->path);
	else
		snprintf(shown, sizeof(shown), "%s", p->path);

	rc = check_file(shown, p->path, &fd, err, errlen);
	if (rc) {
		plugin_free(p);
		return rc;
	}
	p->fd = fd;
	rc = owfp_plugin_trust_check(shown, p->path, fd, err, errlen);
	if (rc) {
		plugin_free(p);
		return rc;
	}
	p->dl = open_checked(fd, p->path, &already);
	if (already) {
		owfp_err_printf(err, errlen, "plugin %s: refused: this file is loaded already",
				shown);
		plugin_free(p);
		return -EEXIST;
	}
	if (!p->dl) {
		describe_dlerror(shown, err, errlen);
		plugin_free(p);
		return -ENOEXEC;
	}
	*(void **)&entry = dlsym(p->dl, "DriverEntry");
	if (!entry) {
		owfp_err_printf(err, errlen, "plugin %s: does not export DriverEntry", shown);
		plugin_free(p);
		return -ENOEXEC;
	}
	rc = name_driver(p, opts ? opts->driver_name : NULL, shown, err, errlen);
	if (rc) {
		plugin_free(p);
		return rc;
	}
	p->params = owfp_regparams_copy(opts ? opts->params : NULL);
	p->driver = owfp_pool_alloc(sizeof(*p->driver), OWFP_TAG_DRIVER, true);
	if (!p->params || !p->driver) {
		owfp_err_printf(err, errlen, "plugin %s: out of memory", shown);
		plugin_free(p);
		return -ENOMEM;
	}
	status = owfp_objdir_add_driver(p->driver, p->wide_driver + wcslen(DRIVER_DIR));
	if (!NT_SUCCESS(status)) {
		rc = status == STATUS_OBJECT_NAME_COLLISION ? -EEXIST : -ENOMEM;
		if (rc == -EEXIST)
			owfp_err_printf(
				err, errlen,
				"plugin %s: refused: a driver named \"%s\" is loaded already (give this one another name)",
				shown, p->name);
		else
			owfp_err_printf(err, errlen, "plugin %s: out of memory", shown);
		plugin_free(p);
		return rc;
	}
	p->named = true;
	p->driver->Type = IO_TYPE_DRIVER;
	p->driver->Size = (SHORT)sizeof(*p->driver);
	p->driver->DriverInit = entry;
	/* DriverStart is the image base, as on Windows: it tells whose code an address is. */
	if (dladdr(*(void **)&entry, &image))
		p->driver->DriverStart = image.dli_fbase;
	p->driver->OwfpHost = p;
	RtlInitUnicodeString(&p->driver->DriverName, p->wide_driver);

	if (run_entry(p, entry, &status) != 0) {
		/* A failed assertion or bug check: a load error naming it. */
		owfp_err_printf(err, errlen, "plugin %s: DriverEntry failed: %s", shown,
				owfp_contain_last_report());
		plugin_free(p);
		return -EIO;
	}
	if (!NT_SUCCESS(status)) {
		/* As on Windows, DriverUnload is not called after a failed DriverEntry. */
		owfp_err_printf(err, errlen, "plugin %s: DriverEntry failed with NTSTATUS 0x%08X",
				shown, (unsigned)status);
		plugin_free(p);
		return -EIO;
	}
	/* As the I/O manager does once DriverEntry returns. */
	for (PDEVICE_OBJECT dev = p->driver->DeviceObject; dev; dev = dev->NextDevice)
		dev->Flags &= ~(ULONG)DO_DEVICE_INITIALIZING;
	*out = p;
	return 0;
}

/*
 * DriverUnload on a thread of its own, waited for at most UNLOAD_WAIT_S.
 * A driver whose unload waits for its own state to drain (a flow count,
 * a reference count) waits for ever when a contained failure abandoned a
 * call that held a reference; Windows would hang the same way (sc stop
 * never returns). openwfp must not: such a driver is reported, left
 * waiting, and its code stays mapped (no plugin_free) until the process
 * exits.
 */
#define UNLOAD_WAIT_S 10

static void *unload_thread(void *driver)
{
	(void)owfp_contain_call(driver, NULL, &unload_site, unload_fn, driver);
	return NULL;
}

/* True when DriverUnload returned (or could only be run in line). */
static bool run_unload(owfp_plugin *plugin)
{
	struct timespec deadline;
	pthread_t tid;

	if (pthread_create(&tid, NULL, unload_thread, plugin->driver) != 0) {
		(void)owfp_contain_call(plugin->driver, NULL, &unload_site, unload_fn,
					plugin->driver);
		return true;
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += UNLOAD_WAIT_S;
	if (pthread_timedjoin_np(tid, NULL, &deadline) != 0) {
		/* The thread may still finish; nobody waits for it. */
		pthread_detach(tid);
		fprintf(stderr,
			"openwfp: driver '%s': DriverUnload has not returned after %d s; it is left "
			"waiting and its code stays loaded until the process exits (a failure "
			"contained earlier may have left it waiting for something that cannot "
			"happen, such as a reference the abandoned call held)\n",
			plugin->name, UNLOAD_WAIT_S);
		return false;
	}
	return true;
}

void owfp_plugin_unload(owfp_plugin *plugin)
{
	if (!plugin)
		return;
	/* As Windows unloads a driver only once its devices are closed. */
	if (plugin->driver)
		owfp_objdir_quiesce_driver(plugin->driver);
	if (plugin->driver && plugin->driver->DriverUnload && !run_unload(plugin))
		return;
	plugin_free(plugin);
}

const char *owfp_plugin_driver_name(const owfp_plugin *plugin)
{
	return plugin->name;
}

void owfp_plugin_set_teardown(PDRIVER_OBJECT driver, void (*teardown)(PDRIVER_OBJECT driver))
{
	owfp_plugin *p = driver ? driver->OwfpHost : NULL;

	if (p)
		p->teardown = teardown;
}

const owfp_regparams *owfp_plugin_params_of(PDRIVER_OBJECT driver)
{
	const owfp_plugin *p = driver ? driver->OwfpHost : NULL;

	return p ? p->params : NULL;
}

const char *owfp_plugin_path(const owfp_plugin *plugin)
{
	return plugin->path;
}

PDRIVER_OBJECT owfp_plugin_driver_object(const owfp_plugin *plugin)
{
	return plugin->driver;
}
