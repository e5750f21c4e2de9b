/*
 * Whether a plugin may be loaded by this process: when it runs privileged
 * (effective uid 0, a set-id process, or any effective capability), loading
 * a file another local user could have written is running that user's code
 * with our privileges. So, when privileged:
 *
 *  - the plugin file, and every directory from its own up to "/", must be
 *    owned by root or by the effective user, and be neither group- nor
 *    world-writable (a sticky world-writable directory such as /tmp is not
 *    safe either: its owner-only deletion does not stop anyone from putting
 *    a file there first);
 *  - every DT_RPATH / DT_RUNPATH entry of the plugin (and of each library
 *    it brings in) must be an absolute directory passing the same rule
 *    ($ORIGIN is expanded; other $TOKENs and relative entries are refused);
 *  - every library the loader will open for it is found the way the loader
 *    finds it, and that file, its directories, and every directory searched
 *    before the one holding it must pass the same rule; its own
 *    dependencies are checked in turn. Names the process has loaded
 *    already are not searched (the loader reuses them), nor are those the
 *    loader resolves through its cache and default directories (root's
 *    /etc/ld.so.conf, like the process's own libraries).
 *
 * An unprivileged process is refused only what plugin.c refuses to everyone
 * (world-writable file or directory).
 */
#ifndef OWFP_WDM_PLUGIN_TRUST_H
#define OWFP_WDM_PLUGIN_TRUST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Checks the plugin open at `fd`, whose real path is `real` (`shown` names
 * it in messages). Returns 0 when it may be loaded; -EPERM when refused,
 * with `err` naming the path that failed and the rule it broke (e.g.
 * "plugin p.so: refused (fail closed): directory /tmp is world-writable
 * (mode 1777)"); -ENOMEM, or -errno when a path cannot be examined.
 */
int owfp_plugin_trust_check(const char *shown, const char *real, int fd, char *err, size_t errlen);

/* Effective uid 0, set-id, or any effective capability. */
bool owfp_plugin_trust_privileged(void);

#endif
