/*
 * Callout plugins: shared objects written like a Windows callout driver,
 * exporting DriverEntry. Loading one is the user-space counterpart of
 * loading a driver: the loader builds a DRIVER_OBJECT and calls
 * DriverEntry(driverObject, registryPath) with registryPath
 * \Registry\Machine\System\CurrentControlSet\Services\NAME, as Windows
 * does, and DriverObject->DriverName \Driver\NAME. NAME is the driver
 * (service) name: given in the load options, or the file's basename
 * without ".so". The values under that key's Parameters subkey come from
 * the load options (see regparams.h); there is no other registry.
 * Unloading waits for DeviceIoControl calls in progress on the driver's
 * devices, calls DriverUnload, then removes what the driver left behind.
 *
 * Fail closed: a path that is not a regular file, a world-writable file, or
 * a file in a world-writable directory is refused before anything from it
 * runs; a privileged process refuses more (wdm/plugin_trust.h).
 */
#ifndef OWFP_WDM_PLUGIN_H
#define OWFP_WDM_PLUGIN_H

#include <stddef.h>

#include "openwfp/wdm.h"
#include "wdm/regparams.h"

typedef struct owfp_plugin owfp_plugin;

typedef struct owfp_plugin_opts {
	const char *driver_name;      /* NULL: the file's basename without ".so" */
	const owfp_regparams *params; /* NULL: an empty Parameters key; copied, caller keeps ownership */
} owfp_plugin_opts;

/*
 * Loads the plugin at `path` (relative paths are resolved with realpath)
 * and runs its DriverEntry. On failure *out is NULL and `err` (if given)
 * holds a message naming the plugin. Returns 0, or:
 *   -ENOENT etc.  the path cannot be resolved or opened (errno of the call)
 *   -EPERM        refused: not a regular file, world-writable file/directory, or
 *                 (privileged) a plugin_trust.h rule
 *   -EEXIST       the same file (by any path), or a driver of the same
 *                 name (case-insensitive), is loaded already
 *   -EINVAL       the driver name given is not a valid service name
 *   -ENOEXEC      not a loadable shared object, or no DriverEntry export
 *   -EIO          DriverEntry returned a failure NTSTATUS (shown in hex)
 *   -ENOMEM       out of memory
 */
int owfp_plugin_load_opts(const char *path, const owfp_plugin_opts *opts, owfp_plugin **out,
			  char *err, size_t errlen);
/* owfp_plugin_load_opts(path, NULL, ...). */
int owfp_plugin_load(const char *path, owfp_plugin **out, char *err, size_t errlen);

/*
 * Calls DriverUnload (if the driver set one), deletes any device the driver
 * left behind, and unloads the shared object. NULL is ignored. DriverUnload
 * runs on a thread of its own and is waited for 10 s: one that has not
 * returned by then is reported on stderr and left running, and the plugin
 * stays loaded (its memory is not freed) until the process exits.
 */
void owfp_plugin_unload(owfp_plugin *plugin);

/* The resolved absolute path of the plugin. */
const char *owfp_plugin_path(const owfp_plugin *plugin);

/* The driver (service) name: NAME in ...\Services\NAME. */
const char *owfp_plugin_driver_name(const owfp_plugin *plugin);

/*
 * The Parameters key of a driver the loader loaded, or NULL for a driver
 * object the loader did not make (NULL reads as an empty key).
 */
const owfp_regparams *owfp_plugin_params_of(PDRIVER_OBJECT driver);

/*
 * For a driver framework (KMDF) layered on a loaded driver: teardown runs
 * when the plugin goes, after DriverUnload or after a failed DriverEntry,
 * before leftover devices are deleted. Ignored for a driver object the
 * loader did not make.
 */
void owfp_plugin_set_teardown(PDRIVER_OBJECT driver, void (*teardown)(PDRIVER_OBJECT driver));

/* The plugin's DRIVER_OBJECT (valid until owfp_plugin_unload). */
PDRIVER_OBJECT owfp_plugin_driver_object(const owfp_plugin *plugin);

#endif /* OWFP_WDM_PLUGIN_H */
