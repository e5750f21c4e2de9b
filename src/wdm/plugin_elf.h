/*
 * What a shared object asks the dynamic loader to load with it: its
 * DT_NEEDED (and DT_AUXILIARY / DT_FILTER) names and its DT_RPATH and
 * DT_RUNPATH search paths, read from the file before it is loaded, so that
 * plugin_trust.c can check them before any code of theirs runs.
 */
#ifndef OWFP_WDM_PLUGIN_ELF_H
#define OWFP_WDM_PLUGIN_ELF_H

#include <stddef.h>

typedef struct owfp_elf_deps {
	char **needed; /* DT_NEEDED, DT_AUXILIARY, DT_FILTER names, in order */
	size_t n_needed;
	char *rpath;   /* DT_RPATH as written, or NULL */
	char *runpath; /* DT_RUNPATH as written, or NULL */
} owfp_elf_deps;

/*
 * Reads the dynamic section of the ELF object open at fd (pread: the file
 * offset is not moved). Returns 0, or:
 *   -ENOEXEC  not an ELF object of this process's class, byte order and
 *             machine (the loader refuses it too, before running anything)
 *   -EBADMSG  it claims to be one, but its dynamic section cannot be read
 *   -ENOMEM, or -errno of a failed read
 * On failure *out is empty (owfp_elf_deps_free is still safe).
 */
int owfp_elf_deps_read(int fd, owfp_elf_deps *out);
void owfp_elf_deps_free(owfp_elf_deps *d);

#endif
