/* openwfp-cc's private temporary tree (tree.h). */
#define _XOPEN_SOURCE 700
#include "cc/tree.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cc/dialect.h"

typedef struct walk {
	cc_tree *t;
	const cc_opts *o;
	const cc_paths *p;
	bool cplusplus;
	const char *shown_dir; /* the including file's directory as messages show it ("" = .) */
	cc_strv *tmh;
	char *err;
	size_t errlen;
	int rc;
	char include_real[PATH_MAX];
} walk;

int cc_tree_open(cc_tree *t, char *err, size_t errlen)
{
	const char *base = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s/openwfp-cc.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t->dir)) {
		cc_err(err, errlen, "cannot make a temporary directory %s: %s", t->dir,
		       strerror(errno));
		return -errno;
	}
	return 0;
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return n && !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, n, "%s", "");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

static void join(char *out, size_t n, const char *dir, const char *name)
{
	if (!dir[0] || name[0] == '/')
		snprintf(out, n, "%s", name);
	else
		snprintf(out, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

static int rewrite(walk *w, const char *shown, const char *real, char **copy_out, size_t *index);

/* map_include for the dialect pass: a driver header becomes its copy. */
static char *map_include(void *user, const char *name, bool angled)
{
	walk *w = user;
	char cand[PATH_MAX], real[PATH_MAX], *copy = NULL;
	const char *found_dir = NULL;
	size_t n = strlen(name), index;

	if (w->rc)
		return NULL;
	if (!angled && n > 4 && !strcmp(name + n - 4, ".tmh")) {
		if (!cc_strv_has(w->tmh, name))
			cc_strv_add(w->tmh, name);
		return NULL; /* found in the source's own directory, where it is generated */
	}
	if (!angled) {
		join(cand, sizeof(cand), w->shown_dir, name);
		if (is_file(cand))
			found_dir = w->shown_dir;
		for (size_t k = 0; !found_dir && k < w->o->quote_dirs.n; k++) {
			join(cand, sizeof(cand), w->o->quote_dirs.v[k], name);
			if (is_file(cand))
				found_dir = w->o->quote_dirs.v[k];
		}
	}
	for (size_t k = 0; !found_dir && k < w->o->angle_dirs.n; k++) {
		join(cand, sizeof(cand), w->o->angle_dirs.v[k], name);
		if (is_file(cand))
			found_dir = w->o->angle_dirs.v[k];
	}
	if (!found_dir || !realpath(cand, real))
		return NULL; /* openwfp's, the system's, or missing: the compiler says */
	if (under(real, w->include_real) || under(real, "/usr") || under(real, w->t->dir))
		return NULL;
	for (size_t k = 0; k < w->t->real.n; k++)
		if (w->t->real.v[k][0] == (w->cplusplus ? '+' : '-') &&
		    !strcmp(w->t->real.v[k] + 1, real))
			return strdup(w->t->copy.v[k]);
	{
		const char *saved = w->shown_dir;
		char dir[PATH_MAX];

		dir_of(cand, dir, sizeof(dir));
		w->shown_dir = dir;
		w->rc = rewrite(w, cand, real, &copy, &index);
		w->shown_dir = saved;
	}
	return w->rc ? NULL : copy;
}

static int rewrite(walk *w, const char *shown, const char *real, char **copy_out, size_t *index)
{
	cc_tree *t = w->t;
	char *text = NULL, copy[2 * PATH_MAX + 64], sub[PATH_MAX + 32], dir[PATH_MAX];
	const char *base = strrchr(shown, '/');
	size_t len = 0, k;
	cc_buf out = {0};
	cc_strv notes = {0};
	cc_dialect_opts dopts = {w->cplusplus, shown, map_include, w};
	char **tv;
	size_t *lv;
	int rc = cc_read_file(real, &text, &len);

	if (rc) {
		cc_err(w->err, w->errlen, "%s: cannot read: %s", shown, strerror(-rc));
		return rc;
	}
	base = base ? base + 1 : shown;
	snprintf(sub, sizeof(sub), "%s/%zu", t->dir, t->counter++);
	if (mkdir(sub, 0700)) {
		cc_err(w->err, w->errlen, "cannot make %s: %s", sub, strerror(errno));
		free(text);
		return -errno;
	}
	snprintf(copy, sizeof(copy), "%s/%s", sub, base);
	/* registered before rewriting, so an include cycle finds it */
	tv = realloc(t->texts, (t->real.n + 1) * sizeof(*tv));
	if (tv)
		t->texts = tv;
	lv = realloc(t->lens, (t->real.n + 1) * sizeof(*lv));
	if (lv)
		t->lens = lv;
	if (!tv || !lv) {
		free(text);
		return -ENOMEM;
	}
	k = t->real.n;
	t->texts[k] = text;
	t->lens[k] = len;
	cc_strv_addf(&t->real, "%c%s", w->cplusplus ? '+' : '-', real);
	cc_strv_add(&t->copy, copy);
	cc_strv_add(&t->shown, shown);
	dir_of(shown, dir, sizeof(dir));
	if (!cc_strv_has(&t->orig_dirs, dir[0] ? dir : "."))
		cc_strv_add(&t->orig_dirs, dir[0] ? dir : ".");
	if (t->real.failed || t->copy.failed || t->shown.failed)
		return -ENOMEM;
	rc = cc_dialect_run(text, len, &dopts, &out, &notes);
	if (!rc && w->rc)
		rc = w->rc;
	if (!rc && out.failed)
		rc = -ENOMEM;
	if (!rc) {
		rc = cc_write_file(copy, out.s, out.len);
		if (rc)
			cc_err(w->err, w->errlen, "cannot write %s: %s", copy, strerror(-rc));
	}
	for (size_t j = 0; j < notes.n; j++)
		cc_strv_addf(&t->notes, "%s:%s", shown, notes.v[j]);
	cc_strv_free(&notes);
	cc_buf_free(&out);
	if (rc)
		return rc;
	*index = k;
	*copy_out = strdup(copy);
	return *copy_out ? 0 : -ENOMEM;
}

int cc_tree_add_source(cc_tree *t, const cc_opts *o, const cc_paths *p, const cc_input *in,
		       cc_tree_source *out, char *err, size_t errlen)
{
	walk w = {t, o, p, in->lang == CC_LANG_CXX, "", NULL, err, errlen, 0, ""};
	char real[PATH_MAX], dir[PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	w.tmh = &out->tmh;
	if (!realpath(p->include, w.include_real))
		snprintf(w.include_real, sizeof(w.include_real), "%s", p->include);
	if (!realpath(in->path, real)) {
		cc_err(err, errlen, "%s: %s", in->path, strerror(errno));
		return -ENOENT;
	}
	dir_of(in->path, dir, sizeof(dir));
	w.shown_dir = dir;
	rc = rewrite(&w, in->path, real, &out->copy, &out->index);
	if (rc)
		return rc;
	out->dir = strdup(out->copy);
	if (!out->dir || out->tmh.failed)
		return -ENOMEM;
	*strrchr(out->dir, '/') = '\0';
	return 0;
}

void cc_tree_source_free(cc_tree_source *s)
{
	free(s->copy);
	free(s->dir);
	cc_strv_free(&s->tmh);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void cc_tree_close(cc_tree *t, bool keep)
{
	if (t->dir[0] && !keep)
		nftw(t->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t k = 0; k < t->real.n; k++)
		free(t->texts[k]);
	free(t->texts);
	free(t->lens);
	cc_strv_free(&t->real);
	cc_strv_free(&t->copy);
	cc_strv_free(&t->shown);
	cc_strv_free(&t->orig_dirs);
	cc_strv_free(&t->notes);
}
