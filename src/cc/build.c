/*
 * One openwfp-cc run: rewrite the sources into the private tree, read the
 * WPP configuration, generate each source's .tmh, compile, link. Messages
 * are printed here, once, naming the file and what to do.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc/driver.h"
#include "cc/tree.h"
#include "cc/wpp.h"

typedef struct run {
	const cc_opts *o;
	const cc_paths *p;
	cc_tree tree;
	cc_tree_source *srcs;
	const cc_input **src_in;
	size_t nsrcs;
	cc_wpp_config cfg;
	char **enum_texts; /* openwfp's own headers, for ItemEnum types */
	size_t *enum_lens;
	size_t nenum;
} run;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("openwfp-cc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
}

static const char *compiler(enum cc_lang lang)
{
	const char *env = getenv(lang == CC_LANG_CXX ? "OWFP_CC_CXX" : "OWFP_CC_CC");

	return env && *env ? env : lang == CC_LANG_CXX ? "c++" : "cc";
}

static int read_config(run *r)
{
	char err[512];
	int rc = cc_wpp_config_defaults(&r->cfg);

	for (size_t k = 0; !rc && k < r->o->wpp_funcs.n; k++) {
		rc = cc_wpp_config_add_func(&r->cfg, r->o->wpp_funcs.v[k], err, sizeof(err));
		if (rc == -EINVAL)
			say("--wpp-func=%s: %s", r->o->wpp_funcs.v[k], err);
	}
	for (size_t k = 0; !rc && k < r->o->wpp_scans.n; k++) {
		char *text;
		size_t len;

		rc = cc_read_file(r->o->wpp_scans.v[k], &text, &len);
		if (rc) {
			say("--wpp-scan=%s: %s", r->o->wpp_scans.v[k], strerror(-rc));
			return rc;
		}
		rc = cc_wpp_config_scan(&r->cfg, text, len, r->o->wpp_scans.v[k], err, sizeof(err));
		free(text);
		if (rc == -EINVAL)
			say("%s", err);
	}
	for (size_t k = 0; !rc && k < r->tree.real.n; k++) {
		rc = cc_wpp_config_scan(&r->cfg, r->tree.texts[k], r->tree.lens[k],
					r->tree.shown.v[k], err, sizeof(err));
		if (rc == -EINVAL)
			say("%s", err);
	}
	return rc;
}

/* openwfp's headers: where ItemEnum(FWPS_...) types are defined. */
static void read_own_headers(run *r)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/openwfp", r->p->include);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), len;
		char *text, **tv;
		size_t *lv;

		if (n < 3 || strcmp(de->d_name + n - 2, ".h"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (cc_read_file(path, &text, &len))
			continue;
		tv = realloc(r->enum_texts, (r->nenum + 1) * sizeof(*tv));
		lv = tv ? realloc(r->enum_lens, (r->nenum + 1) * sizeof(*lv)) : NULL;
		if (tv)
			r->enum_texts = tv;
		if (!tv || !lv) {
			free(text);
			break;
		}
		r->enum_lens = lv;
		r->enum_texts[r->nenum] = text;
		r->enum_lens[r->nenum++] = len;
	}
	closedir(d);
}

static int make_tmh(run *r, size_t i)
{
	cc_tree_source *s = &r->srcs[i];
	const char **texts;
	size_t *lens, n = 0;
	cc_tmh_input in;
	cc_buf out = {0};
	cc_strv notes = {0};
	char err[1024] = "";
	int rc;

	if (!s->tmh.n)
		return 0;
	texts = calloc(r->tree.real.n + r->nenum + 1, sizeof(*texts));
	lens = calloc(r->tree.real.n + r->nenum + 1, sizeof(*lens));
	if (!texts || !lens) {
		free(texts);
		free(lens);
		return -ENOMEM;
	}
	for (size_t k = 0; k < r->tree.real.n; k++, n++) {
		texts[n] = r->tree.texts[k];
		lens[n] = r->tree.lens[k];
	}
	for (size_t k = 0; k < r->nenum; k++, n++) {
		texts[n] = r->enum_texts[k];
		lens[n] = r->enum_lens[k];
	}
	in = (cc_tmh_input){r->tree.texts[s->index],
			    r->tree.lens[s->index],
			    r->src_in[i]->path,
			    &r->cfg,
			    texts,
			    lens,
			    n};
	rc = cc_tmh_generate(&in, &out, &notes, err, sizeof(err));
	free(texts);
	free(lens);
	if (rc == -EINVAL)
		say("%s", err);
	for (size_t k = 0; !rc && k < s->tmh.n; k++) {
		char path[PATH_MAX + 256];

		snprintf(path, sizeof(path), "%s/%s", s->dir, s->tmh.v[k]);
		if (strchr(s->tmh.v[k], '/')) {
			say("%s: #include \"%s\": openwfp-cc generates .tmh headers by plain name only",
			    r->src_in[i]->path, s->tmh.v[k]);
			rc = -EINVAL;
			break;
		}
		rc = cc_write_file(path, out.s, out.len);
		if (rc)
			say("cannot write %s: %s", path, strerror(-rc));
	}
	for (size_t k = 0; k < notes.n; k++)
		say("warning: %s", notes.v[k]);
	cc_buf_free(&out);
	cc_strv_free(&notes);
	return rc;
}

static bool has_text(const char *text, const char *what)
{
	return text && strstr(text, what);
}

static void compile_hints(const char *src, const char *errtext)
{
	if (has_text(errtext, "WPP_CALL_"))
		say("%s: a trace call reaches its WPP function through a macro or from a header; like "
		    "tracewpp, openwfp-cc gives .tmh code only to calls written out in the source that "
		    "includes the .tmh (docs/porting.md, \"WPP tracing\")",
		    src);
}

static void link_hints(const char *errtext)
{
	cc_strv names = {0};
	const char *p = errtext;
	cc_buf list = {0};

	while (p && (p = strstr(p, "undefined reference to `"))) {
		const char *s = p + 24, *e = strchr(s, '\'');

		if (!e)
			break;
		{
			char nm[256];

			snprintf(nm, sizeof(nm), "%.*s", (int)(e - s), s);
			if (!cc_strv_has(&names, nm))
				cc_strv_add(&names, nm);
		}
		p = e;
	}
	for (size_t k = 0; k < names.n && k < 12; k++)
		cc_buf_printf(&list, "%s%s", k ? ", " : "", names.v[k]);
	if (names.n)
		say("not found when linking: %s%s. openwfp does not provide these (docs/porting.md "
		    "lists the kernel surface it has); if they are the driver's own, add the sources "
		    "that define them to the command line",
		    list.s ? list.s : "", names.n > 12 ? ", ..." : "");
	cc_buf_free(&list);
	cc_strv_free(&names);
}

/* The depfile names the rewritten copies: point it back at the author's files. */
static void fix_depfile(run *r, const char *path)
{
	char *text;
	size_t len;
	cc_buf out = {0};
	size_t dl = strlen(r->tree.dir);

	if (cc_read_file(path, &text, &len))
		return;
	for (size_t i = 0; i < len;) {
		bool done = false;

		if (!strncmp(text + i, r->tree.dir, dl)) {
			for (size_t k = 0; k < r->tree.copy.n; k++) {
				size_t cl = strlen(r->tree.copy.v[k]);

				if (!strncmp(text + i, r->tree.copy.v[k], cl) &&
				    (!text[i + cl] || strchr(" \t\n\\:", text[i + cl]))) {
					cc_buf_puts(&out, r->tree.shown.v[k]);
					i += cl;
					done = true;
					break;
				}
			}
			if (!done) { /* a generated .tmh: not the author's */
				while (i < len && !strchr(" \t\n", text[i]))
					i++;
				done = true;
			}
		}
		if (!done)
			cc_buf_add(&out, text + i++, 1);
	}
	if (!out.failed)
		cc_write_file(path, out.s ? out.s : "", out.len);
	cc_buf_free(&out);
	free(text);
}

static char *default_output(const char *src, const char *ext)
{
	const char *base = strrchr(src, '/'), *dot;
	char *o;

	base = base ? base + 1 : src;
	dot = strrchr(base, '.');
	if (asprintf(&o, "%.*s%s", (int)(dot ? (size_t)(dot - base) : strlen(base)), base, ext) < 0)
		return NULL;
	return o;
}

static int compile_one(run *r, size_t i, const char *obj)
{
	const cc_opts *o = r->o;
	const cc_input *in = r->src_in[i];
	cc_strv argv = {0};
	char *errtext = NULL, *depfile = NULL;
	int rc;

	cc_strv_add(&argv, compiler(in->lang));
	cc_strv_extend(&argv, &o->compile);
	cc_flags_cflags(r->p, &argv);
	cc_flags_compile_extra(o, in->lang, &argv);
	cc_strv_add(&argv, "-iquote");
	cc_strv_add(&argv, r->srcs[i].dir);
	for (size_t k = 0; k < r->tree.orig_dirs.n; k++) {
		cc_strv_add(&argv, "-iquote");
		cc_strv_add(&argv, r->tree.orig_dirs.v[k]);
	}
	if (o->depfile) {
		cc_strv_add(&argv, "-MF");
		cc_strv_add(&argv, o->depfile);
	}
	cc_strv_add(&argv, o->mode == CC_MODE_PREPROCESS ? "-E"
			   : o->mode == CC_MODE_ASM      ? "-S"
							 : "-c");
	cc_strv_add(&argv, r->srcs[i].copy);
	if (obj) {
		cc_strv_add(&argv, "-o");
		cc_strv_add(&argv, obj);
	}
	if (argv.failed) {
		cc_strv_free(&argv);
		return -ENOMEM;
	}
	rc = cc_spawn(argv.v, o->verbose, &errtext);
	if (rc < 0)
		say("cannot run %s: %s (install a C/C++ compiler, or name one with OWFP_CC_CC / "
		    "OWFP_CC_CXX)",
		    argv.v[0], strerror(-rc));
	else if (rc > 0) {
		compile_hints(in->path, errtext);
		say("%s: %s failed (exit status %d); the messages above name your file and line",
		    in->path, argv.v[0], rc);
	} else if (o->depfile || (o->depfile_wanted && obj && o->mode == CC_MODE_COMPILE)) {
		depfile = o->depfile ? strdup(o->depfile) : NULL;
		if (!depfile &&
		    asprintf(&depfile, "%.*s.d",
			     (int)(strrchr(obj, '.') > strrchr(obj, '/') && strrchr(obj, '.')
					   ? (size_t)(strrchr(obj, '.') - obj)
					   : strlen(obj)),
			     obj) < 0)
			depfile = NULL;
		if (depfile)
			fix_depfile(r, depfile);
		free(depfile);
	}
	free(errtext);
	cc_strv_free(&argv);
	return rc < 0 ? 1 : rc;
}

static int link_all(run *r, const cc_strv *objs)
{
	const cc_opts *o = r->o;
	cc_strv argv = {0};
	bool cxx = false;
	char *errtext = NULL;
	int rc;

	for (size_t k = 0; k < o->ninputs; k++)
		cxx = cxx || o->inputs[k].lang == CC_LANG_CXX;
	cc_strv_add(&argv, compiler(cxx ? CC_LANG_CXX : CC_LANG_C));
	cc_strv_add(&argv, "-shared");
	cc_strv_add(&argv, "-o");
	cc_strv_add(&argv, o->output ? o->output : "a.out");
	cc_strv_extend(&argv, objs);
	for (size_t k = 0; k < o->ninputs; k++)
		if (o->inputs[k].lang == CC_LANG_OTHER)
			cc_strv_add(&argv, o->inputs[k].path);
	cc_strv_extend(&argv, &o->link);
	cc_flags_libs(r->p, &argv);
	/* every symbol resolved now, so a missing kernel function is named at
	 * build time, not when openwfp loads the plugin */
	cc_strv_add(&argv, "-Wl,-z,defs");
	if (argv.failed) {
		cc_strv_free(&argv);
		return 1;
	}
	rc = cc_spawn(argv.v, o->verbose, &errtext);
	if (rc < 0)
		say("cannot run %s: %s", argv.v[0], strerror(-rc));
	else if (rc > 0) {
		link_hints(errtext);
		say("linking %s failed (exit status %d)", o->output ? o->output : "a.out", rc);
	}
	free(errtext);
	cc_strv_free(&argv);
	return rc < 0 ? 1 : rc;
}

int cc_build(const cc_opts *o, const cc_paths *p)
{
	run r = {.o = o, .p = p};
	cc_strv objs = {0};
	char err[1024] = "";
	int status = 0, rc;

	if (cc_tree_open(&r.tree, err, sizeof(err))) {
		say("%s", err);
		return 1;
	}
	if (o->verbose)
		say("temporary directory %s", r.tree.dir);
	r.srcs = calloc(o->ninputs, sizeof(*r.srcs));
	r.src_in = calloc(o->ninputs, sizeof(*r.src_in));
	if (!r.srcs || !r.src_in) {
		say("out of memory");
		status = 1;
		goto out;
	}
	for (size_t k = 0; k < o->ninputs; k++) {
		if (o->inputs[k].lang == CC_LANG_OTHER)
			continue;
		rc = cc_tree_add_source(&r.tree, o, p, &o->inputs[k], &r.srcs[r.nsrcs], err,
					sizeof(err));
		r.src_in[r.nsrcs] = &o->inputs[k];
		if (rc) {
			say("%s", rc == -ENOMEM ? "out of memory" : err);
			r.nsrcs++;
			status = 1;
			goto out;
		}
		r.nsrcs++;
	}
	for (size_t k = 0; k < r.tree.notes.n; k++)
		say("note: %s", r.tree.notes.v[k]);
	rc = read_config(&r);
	for (size_t k = 0; !rc && k < r.cfg.ntypes; k++)
		if (r.cfg.types[k].kind == CC_WPP_ENUM && !r.nenum)
			read_own_headers(&r);
	for (size_t k = 0; !rc && k < r.nsrcs; k++)
		rc = make_tmh(&r, k);
	if (rc) {
		if (rc == -ENOMEM)
			say("out of memory");
		status = 1;
		goto out;
	}
	for (size_t k = 0; k < r.nsrcs && !status; k++) {
		char *obj = NULL;

		if (o->mode == CC_MODE_LINK) {
			if (asprintf(&obj, "%s/%zu.o", r.tree.dir, k) < 0)
				obj = NULL;
			cc_strv_add(&objs, obj ? obj : "");
		} else if (o->output) {
			obj = strdup(o->output);
		} else if (o->mode != CC_MODE_PREPROCESS) {
			obj = default_output(r.src_in[k]->path, o->mode == CC_MODE_ASM ? ".s" : ".o");
		}
		status = compile_one(&r, k, obj);
		free(obj);
	}
	if (!status && o->mode == CC_MODE_LINK)
		status = objs.failed ? 1 : link_all(&r, &objs);
out:
	if (o->keep_temps)
		say("kept the temporary directory %s", r.tree.dir);
	for (size_t k = 0; k < r.nsrcs; k++)
		cc_tree_source_free(&r.srcs[k]);
	free(r.srcs);
	free(r.src_in);
	for (size_t k = 0; k < r.nenum; k++)
		free(r.enum_texts[k]);
	free(r.enum_texts);
	free(r.enum_lens);
	cc_wpp_config_free(&r.cfg);
	cc_strv_free(&objs);
	cc_tree_close(&r.tree, o->keep_temps);
	return status;
}
