/*
 * The object namespace: one list under one lock. A process holds a few
 * drivers with a device or two each, so lookups scan.
 */
#include "wdm/objdir.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wdm/pool.h"
#include "wdm/wtext.h"
#include "util/alloc.h"

enum kind { DEVICE, LINK, DRIVER };

struct entry {
	struct entry *next;
	enum kind kind;
	WCHAR *name;         /* normalised full name, NUL-terminated; NULL for an unnamed device */
	size_t len;          /* characters */
	UNICODE_STRING ustr; /* name as a UNICODE_STRING */
	WCHAR *target;       /* LINK: the name it points to */
	size_t target_len;
	PDEVICE_OBJECT dev; /* DEVICE */
	PDRIVER_OBJECT drv; /* DRIVER; LINK: the driver of its target when it was made */
	unsigned opens;     /* DEVICE: owfp_objdir_open without close */
	bool deleted;       /* DEVICE: IoDeleteDevice ran; free at last close */
	bool closing;       /* DEVICE: its driver is unloading */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closed = PTHREAD_COND_INITIALIZER;
static struct entry *entries;
static unsigned long autoname;

static const WCHAR links_dir[] = L"\\??\\";
#define LINKS_LEN 4

static bool has_prefix(const WCHAR *s, size_t n, const WCHAR *prefix)
{
	size_t k = wcslen(prefix);

	return n >= k && owfp_wtext_equal_ci(s, k, prefix, k);
}

static struct entry *find(enum kind kind, const WCHAR *name, size_t len)
{
	for (struct entry *e = entries; e; e = e->next)
		if (e->kind == kind && e->name && owfp_wtext_equal_ci(e->name, e->len, name, len))
			return e;
	return NULL;
}

static struct entry *find_device(PDEVICE_OBJECT dev)
{
	for (struct entry *e = entries; e; e = e->next)
		if (e->kind == DEVICE && e->dev == dev)
			return e;
	return NULL;
}

static void unlink_entry(struct entry *gone)
{
	for (struct entry **p = &entries; *p; p = &(*p)->next) {
		if (*p == gone) {
			*p = gone->next;
			break;
		}
	}
	free(gone->name);
	free(gone->target);
	free(gone);
}

/* A copy of prefix + s[0..n) as a new entry name. */
static WCHAR *join(const WCHAR *prefix, const WCHAR *s, size_t n, size_t *len)
{
	size_t k = prefix ? wcslen(prefix) : 0;
	WCHAR *w = owfp_malloc((k + n + 1) * sizeof(WCHAR));

	if (!w)
		return NULL;
	if (k)
		memcpy(w, prefix, k * sizeof(WCHAR));
	memcpy(w + k, s, n * sizeof(WCHAR));
	w[k + n] = 0;
	*len = k + n;
	return w;
}

/*
 * \DosDevices\X, \GLOBAL??\X and the Win32 \\.\X are \??\X, and so is
 * \??\Global\X (Global links to the one global directory): returns the X
 * part, or NULL when s names no link.
 */
static const WCHAR *link_tail(const WCHAR *s, size_t n, size_t *tail_len)
{
	static const WCHAR *const dirs[] = {L"\\??\\", L"\\DosDevices\\", L"\\GLOBAL??\\",
					    L"\\\\.\\"};

	for (size_t i = 0; i < RTL_NUMBER_OF(dirs); i++) {
		if (has_prefix(s, n, dirs[i])) {
			size_t k = wcslen(dirs[i]);

			while (has_prefix(s + k, n - k, L"Global\\"))
				k += 7;
			*tail_len = n - k;
			return *tail_len ? s + k : NULL;
		}
	}
	return NULL;
}

static void set_ustr(struct entry *e)
{
	e->ustr.Buffer = e->name;
	e->ustr.Length = (USHORT)(e->len * sizeof(WCHAR));
	e->ustr.MaximumLength = (USHORT)((e->len + 1) * sizeof(WCHAR));
}

NTSTATUS owfp_objdir_add_device(PDEVICE_OBJECT dev, PCUNICODE_STRING name, bool autogenerate)
{
	struct entry *e = owfp_calloc(1, sizeof(*e));
	WCHAR generated[32];
	const WCHAR *src = NULL;
	size_t n = 0;

	if (!e)
		return STATUS_INSUFFICIENT_RESOURCES;
	e->kind = DEVICE;
	e->dev = dev;
	pthread_mutex_lock(&lock);
	if (name && name->Length) {
		src = name->Buffer;
		n = name->Length / sizeof(WCHAR);
	} else if (autogenerate) {
		swprintf(generated, RTL_NUMBER_OF(generated), L"\\Device\\%08lx", ++autoname);
		src = generated;
		n = wcslen(generated);
	}
	if (src) {
		NTSTATUS st = STATUS_SUCCESS;

		if (n >= MAXUSHORT / sizeof(WCHAR) - 1 || src[0] != L'\\')
			st = STATUS_OBJECT_NAME_INVALID;
		else if (find(DEVICE, src, n))
			st = STATUS_OBJECT_NAME_COLLISION;
		else if (!(e->name = join(NULL, src, n, &e->len)))
			st = STATUS_INSUFFICIENT_RESOURCES;
		if (st != STATUS_SUCCESS) {
			pthread_mutex_unlock(&lock);
			free(e);
			return st;
		}
		set_ustr(e);
	}
	e->next = entries;
	entries = e;
	pthread_mutex_unlock(&lock);
	return STATUS_SUCCESS;
}

bool owfp_objdir_delete_device(PDEVICE_OBJECT dev)
{
	struct entry *e;
	bool free_now = true;

	pthread_mutex_lock(&lock);
	e = find_device(dev);
	if (e) {
		if (e->opens) {
			/* Nameless from now on; the last close frees it. */
			free(e->name);
			e->name = NULL;
			e->deleted = true;
			free_now = false;
		} else {
			unlink_entry(e);
		}
	}
	pthread_mutex_unlock(&lock);
	return free_now;
}

PCUNICODE_STRING owfp_objdir_device_name(PDEVICE_OBJECT dev)
{
	PCUNICODE_STRING name = NULL;
	struct entry *e;

	pthread_mutex_lock(&lock);
	e = find_device(dev);
	if (e && e->name)
		name = &e->ustr;
	pthread_mutex_unlock(&lock);
	return name;
}

NTSTATUS owfp_objdir_add_link(PCUNICODE_STRING link, PCUNICODE_STRING target)
{
	const WCHAR *tail;
	size_t tail_len;
	struct entry *e, *target_dev;

	if (!link || !target || !link->Buffer || !target->Buffer || !target->Length)
		return STATUS_INVALID_PARAMETER;
	tail = link_tail(link->Buffer, link->Length / sizeof(WCHAR), &tail_len);
	if (!tail || target->Buffer[0] != L'\\')
		return STATUS_OBJECT_NAME_INVALID;
	e = owfp_calloc(1, sizeof(*e));
	if (!e)
		return STATUS_INSUFFICIENT_RESOURCES;
	e->kind = LINK;
	e->name = join(links_dir, tail, tail_len, &e->len);
	e->target = join(NULL, target->Buffer, target->Length / sizeof(WCHAR), &e->target_len);
	if (!e->name || !e->target) {
		free(e->name);
		free(e->target);
		free(e);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	set_ustr(e);
	pthread_mutex_lock(&lock);
	if (find(LINK, e->name, e->len)) {
		pthread_mutex_unlock(&lock);
		free(e->name);
		free(e->target);
		free(e);
		return STATUS_OBJECT_NAME_COLLISION;
	}
	target_dev = find(DEVICE, e->target, e->target_len);
	e->drv = target_dev ? target_dev->dev->DriverObject : NULL;
	e->next = entries;
	entries = e;
	pthread_mutex_unlock(&lock);
	return STATUS_SUCCESS;
}

NTSTATUS owfp_objdir_delete_link(PCUNICODE_STRING link)
{
	const WCHAR *tail;
	size_t tail_len, len;
	struct entry *e;
	WCHAR *name;

	if (!link || !link->Buffer)
		return STATUS_INVALID_PARAMETER;
	tail = link_tail(link->Buffer, link->Length / sizeof(WCHAR), &tail_len);
	if (!tail)
		return STATUS_OBJECT_NAME_INVALID;
	name = join(links_dir, tail, tail_len, &len);
	if (!name)
		return STATUS_INSUFFICIENT_RESOURCES;
	pthread_mutex_lock(&lock);
	e = find(LINK, name, len);
	if (e)
		unlink_entry(e);
	pthread_mutex_unlock(&lock);
	free(name);
	return e ? STATUS_SUCCESS : STATUS_OBJECT_NAME_NOT_FOUND;
}

NTSTATUS owfp_objdir_add_driver(PDRIVER_OBJECT drv, const WCHAR *name)
{
	struct entry *e = owfp_calloc(1, sizeof(*e));

	if (!e)
		return STATUS_INSUFFICIENT_RESOURCES;
	e->kind = DRIVER;
	e->drv = drv;
	e->name = join(L"\\Driver\\", name, wcslen(name), &e->len);
	if (!e->name) {
		free(e);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	set_ustr(e);
	pthread_mutex_lock(&lock);
	if (find(DRIVER, e->name, e->len)) {
		pthread_mutex_unlock(&lock);
		free(e->name);
		free(e);
		return STATUS_OBJECT_NAME_COLLISION;
	}
	e->next = entries;
	entries = e;
	pthread_mutex_unlock(&lock);
	return STATUS_SUCCESS;
}

void owfp_objdir_delete_driver(PDRIVER_OBJECT drv)
{
	pthread_mutex_lock(&lock);
	for (struct entry *e = entries; e; e = e->next) {
		if (e->kind == DRIVER && e->drv == drv) {
			unlink_entry(e);
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* The device a full name designates (one link level), under the lock. */
static struct entry *resolve(const WCHAR *name, size_t len)
{
	struct entry *link;

	if (has_prefix(name, len, links_dir)) {
		link = find(LINK, name, len);
		if (!link)
			return NULL;
		name = link->target;
		len = link->target_len;
	}
	return find(DEVICE, name, len);
}

static struct entry *lookup(const WCHAR *w, size_t n, NTSTATUS *st)
{
	const WCHAR *tail;
	size_t tail_len, len;
	struct entry *e = NULL;
	WCHAR *full;

	*st = STATUS_INSUFFICIENT_RESOURCES;
	if ((tail = link_tail(w, n, &tail_len))) {
		if (!(full = join(links_dir, tail, tail_len, &len)))
			return NULL;
		e = resolve(full, len);
		free(full);
	} else if (n && w[0] == L'\\') {
		e = resolve(w, n);
	} else if (n) {
		/* A bare name: the link user mode would open, then the device. */
		if (!(full = join(links_dir, w, n, &len)))
			return NULL;
		e = resolve(full, len);
		free(full);
		if (!e) {
			if (!(full = join(L"\\Device\\", w, n, &len)))
				return NULL;
			e = resolve(full, len);
			free(full);
		}
	} else {
		*st = STATUS_OBJECT_NAME_INVALID;
		return NULL;
	}
	*st = e ? STATUS_SUCCESS : STATUS_OBJECT_NAME_NOT_FOUND;
	return e;
}

NTSTATUS owfp_objdir_open(const char *name, PDEVICE_OBJECT *dev)
{
	struct entry *e;
	NTSTATUS st;
	WCHAR *w;
	size_t n;
	int rc;

	*dev = NULL;
	if (!name)
		return STATUS_OBJECT_NAME_INVALID;
	rc = owfp_wtext_from_utf8(name, &w, &n);
	if (rc)
		return rc == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES : STATUS_OBJECT_NAME_INVALID;
	pthread_mutex_lock(&lock);
	e = lookup(w, n, &st);
	if (e && e->closing)
		st = STATUS_DELETE_PENDING;
	else if (e && (e->dev->Flags & DO_DEVICE_INITIALIZING))
		st = STATUS_NO_SUCH_DEVICE; /* as Windows refuses a device still being set up */
	else if (e && (e->dev->Flags & DO_EXCLUSIVE) && e->opens)
		st = STATUS_ACCESS_DENIED;
	if (st == STATUS_SUCCESS) {
		e->opens++;
		*dev = e->dev;
	}
	pthread_mutex_unlock(&lock);
	free(w);
	return st;
}

void owfp_objdir_close(PDEVICE_OBJECT dev)
{
	struct entry *e;
	bool free_dev = false;

	pthread_mutex_lock(&lock);
	e = find_device(dev);
	if (e && e->opens && --e->opens == 0) {
		if (e->deleted) {
			unlink_entry(e);
			free_dev = true;
		}
		pthread_cond_broadcast(&closed);
	}
	pthread_mutex_unlock(&lock);
	if (free_dev)
		owfp_pool_free(dev, OWFP_TAG_DEVICE, true);
}

static bool any_open(PDRIVER_OBJECT drv)
{
	for (struct entry *e = entries; e; e = e->next)
		if (e->kind == DEVICE && e->dev->DriverObject == drv && e->opens)
			return true;
	return false;
}

void owfp_objdir_quiesce_driver(PDRIVER_OBJECT drv)
{
	pthread_mutex_lock(&lock);
	for (struct entry *e = entries; e; e = e->next)
		if (e->kind == DEVICE && !e->deleted && e->dev->DriverObject == drv)
			e->closing = true;
	while (any_open(drv))
		pthread_cond_wait(&closed, &lock);
	pthread_mutex_unlock(&lock);
}

void owfp_objdir_drop_links_of(PDRIVER_OBJECT drv)
{
	pthread_mutex_lock(&lock);
	for (struct entry *e = entries, *next; e; e = next) {
		next = e->next;
		if (e->kind == LINK && e->drv == drv)
			unlink_entry(e);
	}
	pthread_mutex_unlock(&lock);
}
