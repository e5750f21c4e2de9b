/*
 * Reads a shared object's dependencies from its dynamic section (see
 * plugin_elf.h). Written against glibc's <elf.h> rather than with libelf:
 * it needs four tag types from one section, and a new library in the
 * loader path of a privileged process is more to trust, not less. Every
 * offset and size read from the file is bounds-checked; the file is the
 * untrusted input here.
 */
#include "wdm/plugin_elf.h"
#include "util/alloc.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHNUM_MAX 4096
#define DYN_MAX (1u << 20) /* bytes of dynamic section read */
#define NEEDED_MAX 1024

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OWN_DATA ELFDATA2LSB
#else
#define OWN_DATA ELFDATA2MSB
#endif
#if defined(__x86_64__)
#define OWN_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define OWN_MACHINE EM_AARCH64
#elif defined(__i386__)
#define OWN_MACHINE EM_386
#elif defined(__arm__)
#define OWN_MACHINE EM_ARM
#elif defined(__riscv)
#define OWN_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define OWN_MACHINE EM_PPC64
#elif defined(__s390x__)
#define OWN_MACHINE EM_S390
#endif
#if __SIZEOF_POINTER__ == 8
#define OWN_CLASS ELFCLASS64
#else
#define OWN_CLASS ELFCLASS32
#endif

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG;
		got += (size_t)n;
	}
	return 0;
}

/* The file offset of virtual address `addr`, from the PT_LOAD segments. */
static int vaddr_to_off(const ElfW(Phdr) * ph, size_t n, uint64_t addr, uint64_t *off, uint64_t *room)
{
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || addr < ph[i].p_vaddr ||
		    addr - ph[i].p_vaddr >= ph[i].p_filesz)
			continue;
		*off = ph[i].p_offset + (addr - ph[i].p_vaddr);
		*room = ph[i].p_filesz - (addr - ph[i].p_vaddr);
		return 0;
	}
	return -EBADMSG;
}

/* A NUL-terminated string of the string table, at most PATH_MAX bytes. */
static int read_string(int fd, uint64_t tab, uint64_t tabsz, uint64_t at, uint64_t fsize, char **out)
{
	if (at >= tabsz)
		return -EBADMSG;
	uint64_t max = tabsz - at;
	if (max > PATH_MAX)
		max = PATH_MAX;
	if (tab + at >= fsize)
		return -EBADMSG;
	if (max > fsize - (tab + at))
		max = fsize - (tab + at);
	char *s = owfp_malloc((size_t)max + 1);
	if (!s)
		return -ENOMEM;
	int rc = read_at(fd, s, (size_t)max, tab + at);
	if (rc || !memchr(s, '\0', (size_t)max)) {
		free(s);
		return rc ? rc : -EBADMSG;
	}
	*out = s;
	return 0;
}

void owfp_elf_deps_free(owfp_elf_deps *d)
{
	for (size_t i = 0; i < d->n_needed; i++)
		free(d->needed[i]);
	free(d->needed);
	free(d->rpath);
	free(d->runpath);
	memset(d, 0, sizeof(*d));
}

static int add_needed(owfp_elf_deps *d, char *name)
{
	if (d->n_needed == NEEDED_MAX) {
		free(name);
		return -EBADMSG;
	}
	char **grown = owfp_realloc(d->needed, (d->n_needed + 1) * sizeof(*grown));
	if (!grown) {
		free(name);
		return -ENOMEM;
	}
	d->needed = grown;
	d->needed[d->n_needed++] = name;
	return 0;
}

/* Reads the strings the dynamic entries point at into *out. */
static int collect(int fd, uint64_t fsize, const ElfW(Phdr) * ph, size_t phn, const ElfW(Dyn) * dyn,
		   size_t n, owfp_elf_deps *out)
{
	uint64_t strtab = 0, strsz = 0, tab_off, room;
	bool have_tab = false;
	int rc;

	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag == DT_STRTAB) {
			strtab = dyn[i].d_un.d_ptr;
			have_tab = true;
		} else if (dyn[i].d_tag == DT_STRSZ) {
			strsz = dyn[i].d_un.d_val;
		}
	}
	if (!have_tab)
		return 0; /* no strings: nothing is needed */
	if ((rc = vaddr_to_off(ph, phn, strtab, &tab_off, &room)))
		return rc;
	if (strsz > room)
		return -EBADMSG;
	for (size_t i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
		ElfW(Sxword) tag = dyn[i].d_tag;
		char *str = NULL;
		if (tag != DT_NEEDED && tag != DT_AUXILIARY && tag != DT_FILTER &&
		    tag != DT_RPATH && tag != DT_RUNPATH)
			continue;
		if ((rc = read_string(fd, tab_off, strsz, dyn[i].d_un.d_val, fsize, &str)))
			return rc;
		if (tag == DT_RPATH || tag == DT_RUNPATH) {
			char **slot = tag == DT_RPATH ? &out->rpath : &out->runpath;
			if (*slot) { /* the loader reads one; two is not a file to guess about */
				free(str);
				return -EBADMSG;
			}
			*slot = str;
		} else if ((rc = add_needed(out, str))) {
			return rc;
		}
	}
	return 0;
}

int owfp_elf_deps_read(int fd, owfp_elf_deps *out)
{
	ElfW(Ehdr) eh;
	ElfW(Phdr) *ph = NULL;
	ElfW(Dyn) *dyn = NULL;
	struct stat st;
	uint64_t fsize;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (fstat(fd, &st) != 0)
		return -errno;
	fsize = (uint64_t)st.st_size;
	if (fsize < sizeof(eh) || read_at(fd, &eh, sizeof(eh), 0) != 0 ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != OWN_CLASS ||
	    eh.e_ident[EI_DATA] != OWN_DATA)
		return -ENOEXEC;
#ifdef OWN_MACHINE
	if (eh.e_machine != OWN_MACHINE)
		return -ENOEXEC;
#endif
	if (eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 || eh.e_phnum > PHNUM_MAX ||
	    eh.e_phoff >= fsize || fsize - eh.e_phoff < (uint64_t)eh.e_phnum * sizeof(ElfW(Phdr)))
		return -EBADMSG;
	ph = owfp_malloc(eh.e_phnum * sizeof(*ph));
	if (!ph)
		return -ENOMEM;
	if ((rc = read_at(fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff)))
		goto out;
	const ElfW(Phdr) *pd = NULL;
	for (size_t i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_DYNAMIC)
			continue;
		if (pd) { /* the loader uses one; which one is not ours to guess */
			rc = -EBADMSG;
			goto out;
		}
		pd = &ph[i];
	}
	if (!pd)
		goto out; /* no dynamic section: no dependencies */
	if (pd->p_filesz > DYN_MAX || pd->p_offset >= fsize || fsize - pd->p_offset < pd->p_filesz) {
		rc = -EBADMSG;
		goto out;
	}
	size_t n = pd->p_filesz / sizeof(ElfW(Dyn));
	dyn = owfp_malloc(n ? n * sizeof(*dyn) : 1);
	if (!dyn) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = read_at(fd, dyn, n * sizeof(*dyn), pd->p_offset)))
		goto out;
	rc = collect(fd, fsize, ph, eh.e_phnum, dyn, n, out);
out:
	free(ph);
	free(dyn);
	if (rc)
		owfp_elf_deps_free(out);
	return rc;
}
