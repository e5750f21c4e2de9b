/*
 * Callout plugins: shared objects written like a Windows callout driver,
 * exporting DriverEntry. Loading one is the user-space counterpart of
 * loading a driver: the loader builds a DRIVER_OBJECT and calls
 * DriverEntry(driverObject, registryPath), where registryPath is the
 * plugin's absolute path (there is no registry). Unloading calls
 * DriverUnload.
 *
 * Fail closed: a path that is not a regular file, a world-writable file, or
 * a file in a world-writable directory is refused before anything from it
 * runs.
 */
#ifndef OWFP_WDM_PLUGIN_H
#define OWFP_WDM_PLUGIN_H

#include <stddef.h>

#include "openwfp/wdm.h"

typedef struct owfp_plugin owfp_plugin;

/*
 * Loads the plugin at `path` (relative paths are resolved with realpath)
 * and runs its DriverEntry. On failure *out is NULL and `err` (if given)
 * holds a message naming the plugin. Returns 0, or:
 *   -ENOENT etc.  the path cannot be resolved or opened (errno of the call)
 *   -EPERM        refused: not a regular file, or world-writable file/directory
 *   -EEXIST       the same file (by any path) is loaded already
 *   -ENOEXEC      not a loadable shared object, or no DriverEntry export
 *   -EIO          DriverEntry returned a failure NTSTATUS (shown in hex)
 *   -ENOMEM       out of memory
 */
int owfp_plugin_load(const char *path, owfp_plugin **out, char *err, size_t errlen);

/*
 * Calls DriverUnload (if the driver set one), deletes any device the driver
 * left behind, and unloads the shared object. NULL is ignored.
 */
void owfp_plugin_unload(owfp_plugin *plugin);

/* The resolved absolute path of the plugin. */
const char *owfp_plugin_path(const owfp_plugin *plugin);

/* The plugin's DRIVER_OBJECT (valid until owfp_plugin_unload). */
PDRIVER_OBJECT owfp_plugin_driver_object(const owfp_plugin *plugin);

/* ---- TEMPORARY COPY (helper ctlplane) of kmdf's seam in SEAMS.md; the
 * coordinator keeps kmdf's version of these lines at merge. */
#include "wdm/regparams.h"
typedef struct owfp_plugin_opts {
	const char *driver_name;        /* NULL: the file's basename without ".so" */
	const owfp_regparams *params;   /* NULL: an empty Parameters key; copied, caller keeps ownership */
} owfp_plugin_opts;
int owfp_plugin_load_opts(const char *path, const owfp_plugin_opts *opts, owfp_plugin **out,
			  char *err, size_t errlen);   /* owfp_plugin_load(path,...) == load_opts(path, NULL, ...) */
const char *owfp_plugin_driver_name(const owfp_plugin *plugin);
/* ---- end of the temporary copy */

#endif /* OWFP_WDM_PLUGIN_H */
