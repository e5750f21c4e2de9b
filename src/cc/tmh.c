/*
 * Generates a source's X.tmh, as tracewpp does on Windows: every trace call
 * written in the source (a FUNC of the configuration followed by '(')
 * becomes a macro WPP_CALL_<file>_<ext><line>, and the FUNC name itself a
 * macro that pastes __LINE__ onto WPP_CALL_<file>_<ext>, so each call site
 * reaches its own macro. That macro checks the ENABLED macro named after
 * the FUNC's conditions (WPP_LEVEL_FLAGS_ENABLED(...) for
 * DoTraceLevelMessage) and calls a static function typed from the message
 * format, which turns %!NAME! arguments into text and hands everything to
 * owfp_wpp_emit (src/wdm/wpp.c), where DbgPrint's formatter does the rest.
 * The flag names come from the source's own WPP_CONTROL_GUIDS, expanded by
 * the compiler.
 */
#include "cc/wpp.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc/lex.h"

#define MAX_ARGS 64
#define MAX_SPECS 64

/*
 * The built-in %!NAME! types. Those that take an argument pass it as
 * `param` (a C type), print it with the DbgPrint conversion `fmt`, and hand
 * owfp_wpp_emit `value`, a format where %1$s is the argument's name and
 * %2$d its number (wpp_x<number> is its text buffer). FUNC, COMPNAME,
 * LEVEL and FLAGS take none: `value` is what the call site already has.
 * LINE and FILE are written into the message itself (fmt NULL).
 */
typedef struct builtin_type {
	const char *name;
	const char *param;
	const char *fmt;
	const char *value;
} builtin_type;

#define FMT_X(fn) "%s", "owfp_wpp_fmt_" fn "(wpp_x%2$d, sizeof(wpp_x%2$d), %1$s)"
#define STATUS_T "int32_t", FMT_X("status")
#define BOOL_T "int", "%s", "%1$s ? \"TRUE\" : \"FALSE\""
#define GUID_T "const void *", FMT_X("guid")
#define TIME_T "int64_t", "%I64d", "%1$s"

static const builtin_type builtin_types[] = {
	{"FUNC", NULL, "%s", "wpp_func"},
	{"LINE", NULL, NULL, NULL},
	{"FILE", NULL, NULL, NULL},
	{"COMPNAME", NULL, "%s", "owfp_wpp_control_name(WPP_NAMES_, wpp_bit)"},
	{"LEVEL", NULL, "%s", "owfp_wpp_level_name(wpp_level)"},
	{"FLAGS", NULL, "%s", "owfp_wpp_flag_name(WPP_NAMES_, wpp_bit)"},
	{"STATUS", STATUS_T},
	{"NTSTATUS", STATUS_T},
	{"NDIS_STATUS", STATUS_T},
	{"HRESULT", "int32_t", "0x%08X", "(unsigned)%1$s"},
	{"WINERROR", "uint32_t", "%u", "(unsigned)%1$s"},
	{"bool", BOOL_T},
	{"BOOL", BOOL_T},
	{"BOOLEAN", BOOL_T},
	{"IPADDR", "uint32_t", FMT_X("ipaddr")},
	{"PORT", "unsigned int", "%u", "(unsigned)((%1$s >> 8 & 0xffu) | (%1$s & 0xffu) << 8)"},
	{"IPV6ADDR", "const void *", FMT_X("ipv6")},
	{"GUID", GUID_T},
	{"CLSID", GUID_T},
	{"IID", GUID_T},
	{"TIMESTAMP", TIME_T},
	{"TIME", TIME_T},
	{"DATE", TIME_T},
	{"datetime", TIME_T},
	{"WAITTIME", TIME_T},
	{"due", TIME_T},
	{"delta", TIME_T},
	{"ASTR", "const char *", "%s", "%1$s"},
	{"WSTR", "const wchar_t *", "%ws", "%1$s"},
	{"USTR", "const void *", "%wZ", "%1$s"},
	{NULL, NULL, NULL, NULL},
};

typedef struct gen {
	const cc_tmh_input *in;
	cc_tokens t;
	char stem[128];   /* the source's name as an identifier */
	const char *base; /* the source's base name */
	cc_buf *out;
	cc_strv *notes;
	char *err;
	size_t errlen;
	bool used_func[256];
	bool used_type[256];
	cc_strv lines_done; /* "LINE" keys of sites emitted, with their code */
	cc_strv codes;
} gen;

static bool punct(const cc_tokens *t, size_t i, const char *p)
{
	return i < t->n && t->t[i].kind == CC_T_PUNCT && cc_tok_is(t, i, p);
}

/* The condition list for ENABLED/LOGGER/PRE/POST: fixed values and parameter names. */
static void cond_args(cc_buf *b, const cc_wpp_func *f)
{
	for (size_t k = 0; k < f->conds.n; k++) {
		if (k)
			cc_buf_puts(b, ", ");
		cc_buf_puts(b, k < f->fixed.n ? f->fixed.v[k] : f->conds.v[k]);
	}
}

static void cond_macro(cc_buf *b, const cc_wpp_func *f, const char *what)
{
	cc_buf_puts(b, "WPP_");
	for (size_t k = 0; k < f->conds.n; k++)
		cc_buf_printf(b, "%s_", f->conds.v[k]);
	cc_buf_printf(b, "%s(", what);
	cond_args(b, f);
	cc_buf_puts(b, ")");
}

static int cond_index(const cc_wpp_func *f, const char *a, const char *b)
{
	for (size_t k = 0; k < f->conds.n; k++)
		if (!strcmp(f->conds.v[k], a) || (b && !strcmp(f->conds.v[k], b)))
			return (int)k;
	return -1;
}

static void site_err(gen *g, int line, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b);
	cc_err(g->err, g->errlen, "%s:%d: %s", g->in->source_name, line, msg);
}

/* FILE: the source's base name, as text of the message. */
static void put_file_name(cc_buf *fmt, const char *base)
{
	for (const char *s = base; *s; s++)
		cc_buf_puts(fmt, *s == '%'    ? "%%"
				 : *s == '"'  ? "\\\""
				 : *s == '\\' ? "\\\\"
					      : (char[2]){*s, 0});
}

/* A type of the configuration (CUSTOM_TYPE, DEFINE_CPLX_TYPE): its
 * parameter into params, its format piece into fmt, its value into args. */
static void custom_conv(const cc_wpp_type *ty, const char *a, int argno, cc_buf *fmt,
			cc_buf *params, cc_buf *args, cc_buf *locals)
{
	const char *table = ty->kind == CC_WPP_LIST ? "list" : "set";

	switch (ty->kind) {
	case CC_WPP_LIST:
	case CC_WPP_SET:
		cc_buf_printf(params, ", %s %s", ty->kind == CC_WPP_LIST ? "int64_t" : "uint64_t", a);
		cc_buf_puts(fmt, "%s");
		cc_buf_printf(args,
			      ", owfp_wpp_fmt_%s(wpp_x%d, sizeof(wpp_x%d), %s, WPP_ITEMS_%s, "
			      "sizeof(WPP_ITEMS_%s) / sizeof(WPP_ITEMS_%s[0]))",
			      table, argno, argno, a, ty->name, ty->name, ty->name);
		break;
	case CC_WPP_ENUM:
		cc_buf_printf(params, ", int64_t %s", a);
		if (ty->resolved && ty->items.n) {
			cc_buf_puts(fmt, "%s");
			cc_buf_printf(args,
				      ", owfp_wpp_fmt_enum(wpp_x%d, sizeof(wpp_x%d), %s, WPP_ENUM_%s, "
				      "sizeof(WPP_ENUM_%s) / sizeof(WPP_ENUM_%s[0]))",
				      argno, argno, a, ty->name, ty->name, ty->name);
		} else {
			cc_buf_puts(fmt, "%I64d");
			cc_buf_printf(args, ", %s", a);
		}
		break;
	case CC_WPP_NUMBER:
		cc_buf_printf(params, ", %s %s", ty->is_unsigned ? "uint64_t" : "int64_t", a);
		cc_buf_puts(fmt, ty->is_unsigned ? "%I64u" : "%I64d");
		cc_buf_printf(args, ", %s", a);
		break;
	case CC_WPP_CPLX:
		cc_buf_printf(params, ", %s %s", ty->arg, a);
		cc_buf_printf(locals, "\tconst owfp_wpp_pair wpp_p%d[] = { %s(%s) };\n", argno,
			      ty->macro, a);
		cc_buf_puts(fmt, "%s");
		cc_buf_printf(args,
			      ", owfp_wpp_fmt_cplx(wpp_x%d, sizeof(wpp_x%d), \"%s\", wpp_p%d, "
			      "sizeof(wpp_p%d) / sizeof(wpp_p%d[0]))",
			      argno, argno, ty->item, argno, argno, argno);
		break;
	}
}

/* Emits the code for one ext conversion: its format piece into fmt, its
 * parameter (if it takes one) into params, the value passed into args. */
static int ext_conv(gen *g, int line, const cc_wpp_spec *sp, int argno, cc_buf *fmt, cc_buf *params,
		    cc_buf *args, cc_buf *locals, int *takes)
{
	const builtin_type *bt = NULL;
	cc_wpp_type *ty = NULL;
	char a[16];

	snprintf(a, sizeof(a), "wpp_a%d", argno);
	for (int k = 0; builtin_types[k].name && !bt; k++)
		if (!strcmp(builtin_types[k].name, sp->name))
			bt = &builtin_types[k];
	if (!bt) {
		ty = cc_wpp_config_type(g->in->config, sp->name, strlen(sp->name));
		if (!ty) {
			site_err(g, line,
				 "%%!%s! is not a WPP type openwfp-cc knows; declare it in a "
				 "'begin_wpp config' block (CUSTOM_TYPE or DEFINE_CPLX_TYPE)%s",
				 sp->name, "");
			return -EINVAL;
		}
		g->used_type[ty - g->in->config->types] = true;
	}
	*takes = !bt || bt->param;
	if (bt && !bt->fmt) {
		if (!strcmp(bt->name, "LINE"))
			cc_buf_printf(fmt, "%d", line);
		else
			put_file_name(fmt, g->base);
		return 0;
	}
	if (*takes)
		cc_buf_printf(locals, "\tchar wpp_x%d[OWFP_WPP_XLEN];\n", argno);
	if (!bt) {
		custom_conv(ty, a, argno, fmt, params, args, locals);
		return 0;
	}
	if (bt->param)
		cc_buf_printf(params, ", %s %s", bt->param, a);
	cc_buf_puts(fmt, bt->fmt);
	cc_buf_puts(args, ", ");
	cc_buf_printf(args, bt->value, a, argno);
	return 0;
}

/* Top-level arguments of the call whose '(' is at lp: first/last tokens. */
static size_t call_args(const cc_tokens *t, size_t lp, size_t rp, size_t *first, size_t *last,
			size_t max)
{
	size_t n = 0, f = SIZE_MAX, l = SIZE_MAX;

	for (size_t j = cc_tok_next(t, lp); j <= rp && j < t->n; j = cc_tok_next(t, j)) {
		if (j == rp || punct(t, j, ",")) {
			if (f != SIZE_MAX || j != rp || n) {
				if (n == max)
					return SIZE_MAX;
				first[n] = f;
				last[n++] = l;
			}
			if (j == rp)
				break;
			f = l = SIZE_MAX;
			continue;
		}
		if (f == SIZE_MAX)
			f = j;
		if (punct(t, j, "(") || punct(t, j, "[") || punct(t, j, "{"))
			j = cc_tok_match(t, j);
		l = j;
	}
	return n;
}

/* The parts the message's literals (tokens first..last) make: the format
 * into fmt, one parameter per argument into params, what is passed into
 * args, the text buffers into locals; *argno counts the arguments. */
static int site_message(gen *g, int line, const cc_wpp_func *f, size_t first, size_t last,
			cc_buf *fmt, cc_buf *params, cc_buf *args, cc_buf *locals, int *argno)
{
	const cc_tokens *t = &g->t;
	int rc = 0;

	for (size_t j = first; j <= last && !rc; j = cc_tok_next(t, j)) {
		const char *lit = t->src + t->t[j].off;
		cc_wpp_spec specs[MAX_SPECS];
		char ferr[200];
		size_t litlen = t->t[j].len, pos = 1;
		int ns;

		if (t->t[j].kind != CC_T_STRING || lit[0] != '"') {
			site_err(g, line,
				 "the message of %s must be written as string literals (tracewpp reads it "
				 "at build time)%s",
				 f->name, "");
			rc = -EINVAL;
			break;
		}
		ns = cc_wpp_format_parse(lit + 1, litlen - 2, specs, MAX_SPECS, ferr, sizeof(ferr));
		if (ns < 0) {
			site_err(g, line, "%s%s", ferr, "");
			rc = -EINVAL;
			break;
		}
		cc_buf_puts(fmt, " \"");
		for (int k = 0; k < ns && !rc; k++) {
			const cc_wpp_spec *sp = &specs[k];
			int takes = 0;

			cc_buf_add(fmt, lit + pos, sp->off + 1 - pos);
			pos = sp->off + 1 + sp->len;
			if (sp->conv == CC_WPP_PRINTF) {
				for (int s = 0; s < sp->stars; s++) {
					(*argno)++;
					cc_buf_printf(params, ", int wpp_a%d", *argno);
					cc_buf_printf(args, ", wpp_a%d", *argno);
				}
				(*argno)++;
				cc_buf_printf(params, ", %s wpp_a%d", sp->ctype, *argno);
				cc_buf_printf(args, ", wpp_a%d", *argno);
				cc_buf_add(fmt, lit + 1 + sp->off, sp->len);
				continue;
			}
			rc = ext_conv(g, line, sp, *argno + 1, fmt, params, args, locals, &takes);
			*argno += takes;
		}
		cc_buf_add(fmt, lit + pos, litlen - 1 - pos);
		cc_buf_puts(fmt, "\"");
	}
	return rc;
}

/* The call's macro WPP_CALL_<stem><line> and the function it calls. */
static void site_code(gen *g, int line, const cc_wpp_func *f, int nuser, const cc_buf *fmt,
		      const cc_buf *params, const cc_buf *args, const cc_buf *locals, cc_buf *code)
{
	int lvl = cond_index(f, "LEVEL", NULL), flg = cond_index(f, "FLAGS", "FLAG");

	cc_buf_printf(code, "#define WPP_CALL_%s%d(", g->stem, line);
	for (size_t k = f->fixed.n; k < f->conds.n; k++)
		cc_buf_printf(code, "%s, ", f->conds.v[k]);
	cc_buf_puts(code, "MSG");
	for (int k = 1; k <= nuser; k++)
		cc_buf_printf(code, ", wpp_a%d", k);
	cc_buf_puts(code, ") \\\n\t");
	cond_macro(code, f, "PRE");
	cc_buf_puts(code, " \\\n\t((");
	cond_macro(code, f, "ENABLED");
	cc_buf_printf(code, ") ? WPP_SF_%s%d(", g->stem, line);
	cond_macro(code, f, "LOGGER");
	if (lvl >= 0)
		cc_buf_printf(code, " (int)(%s)",
			      (size_t)lvl < f->fixed.n ? f->fixed.v[lvl] : f->conds.v[lvl]);
	else
		cc_buf_puts(code, " -1");
	if (flg >= 0 && (size_t)flg < f->fixed.n)
		cc_buf_printf(code, ", WPP_BIT_%s", f->fixed.v[flg]);
	else if (flg >= 0)
		cc_buf_printf(code, ", WPP_BIT_ ## %s", f->conds.v[flg]);
	else
		cc_buf_puts(code, ", -1");
	cc_buf_puts(code, ", __func__");
	for (int k = 1; k <= nuser; k++)
		cc_buf_printf(code, ", (wpp_a%d)", k);
	cc_buf_puts(code, ") : (void)0) \\\n\t");
	cond_macro(code, f, "POST");
	cc_buf_printf(code,
		      "\nstatic __attribute__((__unused__)) void WPP_SF_%s%d(const void *wpp_logger, "
		      "int wpp_level, int wpp_bit, const char *wpp_func%s)\n{\n",
		      g->stem, line, params->s ? params->s : "");
	cc_buf_puts(code, locals->s ? locals->s : "");
	cc_buf_puts(code, "\t(void)wpp_logger;\n\t(void)wpp_func;\n");
	cc_buf_printf(code,
		      "\towfp_wpp_emit(WPP_NAMES_, WPP_FILE_, %d, wpp_level, wpp_bit,%s%s);\n}\n",
		      line, fmt->s, args->s ? args->s : "");
}

/* One trace call: the FUNC name at i. Appends its code to g->codes keyed by line. */
static int site(gen *g, size_t i, const cc_wpp_func *f)
{
	const cc_tokens *t = &g->t;
	size_t lp = cc_tok_next(t, i), rp, first[MAX_ARGS], last[MAX_ARGS], nargs, msg = f->nparams;
	int line = t->t[i].line, argno = 0;
	cc_buf fmt = {0}, params = {0}, args = {0}, locals = {0}, code = {0};
	int rc = 0, nuser;

	rp = cc_tok_match(t, lp);
	if (rp >= t->n) {
		site_err(g, line, "%s( has no closing parenthesis%s", f->name, "");
		return -EINVAL;
	}
	nargs = call_args(t, lp, rp, first, last, MAX_ARGS);
	if (nargs == SIZE_MAX || nargs <= msg || first[msg] == SIZE_MAX) {
		site_err(g, line,
			 "%s: the call does not reach its MSG argument (FUNC %s takes the "
			 "conditions first, then the message)",
			 f->name, f->name);
		return -EINVAL;
	}
	nuser = (int)(nargs - msg - 1);
	if (nuser > 0 && !f->variadic) {
		site_err(g, line, "%s takes no arguments after the message%s", f->name, "");
		return -EINVAL;
	}
	rc = site_message(g, line, f, first[msg], last[msg], &fmt, &params, &args, &locals, &argno);
	if (!rc && argno != nuser) {
		char a[32], b[32];

		snprintf(a, sizeof(a), "%d", argno);
		snprintf(b, sizeof(b), "%d", nuser);
		site_err(g, line, "the message takes %s argument(s) but the call passes %s", a, b);
		rc = -EINVAL;
	}
	if (rc)
		goto out;
	site_code(g, line, f, nuser, &fmt, &params, &args, &locals, &code);
	if (code.failed) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < g->lines_done.n; k++) {
		if (strtol(g->lines_done.v[k], NULL, 10) != line)
			continue;
		if (strcmp(g->codes.v[k], code.s) != 0) {
			site_err(g, line,
				 "two different trace calls on one line; tracewpp tells calls "
				 "apart by their line%s%s",
				 "", "");
			rc = -EINVAL;
		}
		goto out; /* the same call twice on a line: one macro serves both */
	}
	cc_strv_addf(&g->lines_done, "%d", line);
	cc_strv_add(&g->codes, code.s);
	g->used_func[f - g->in->config->funcs] = true;
out:
	cc_buf_free(&fmt);
	cc_buf_free(&params);
	cc_buf_free(&args);
	cc_buf_free(&locals);
	cc_buf_free(&code);
	return rc;
}

static void defaults_for(gen *g, const cc_wpp_func *f)
{
	cc_buf *o = g->out;
	static const char *const what[] = {"ENABLED", "LOGGER", "PRE", "POST"};

	for (int w = 0; w < 4; w++) {
		cc_buf name = {0};
		bool any = false;

		cc_buf_puts(&name, "WPP_");
		for (size_t k = 0; k < f->conds.n; k++)
			cc_buf_printf(&name, "%s_", f->conds.v[k]);
		cc_buf_puts(&name, what[w]);
		cc_buf_printf(o, "#ifndef %s\n#define %s(", name.s, name.s);
		for (size_t k = 0; k < f->conds.n; k++)
			cc_buf_printf(o, "%s%s", k ? ", " : "", f->conds.v[k]);
		cc_buf_puts(o, ")");
		if (w == 0) {
			cc_buf_puts(o, " (1");
			for (size_t k = 0; k < f->conds.n; k++) {
				const char *c = f->conds.v[k];

				if (!strcmp(c, "FLAG") || !strcmp(c, "FLAGS")) {
					cc_buf_printf(o, " && WPP_FLAG_ENABLED(%s)", c);
					any = true;
				} else if (!strcmp(c, "LEVEL")) {
					cc_buf_printf(o, " && owfp_wpp_control.Level >= (%s)", c);
					any = true;
				}
			}
			cc_buf_puts(o, any ? ")" : " && owfp_wpp_control.Level != 0)");
		} else if (w == 1) {
			cc_buf_puts(o, " (owfp_wpp_control.Logger),");
		}
		cc_buf_puts(o, "\n#endif\n");
		cc_buf_free(&name);
	}
}

static void tables(gen *g)
{
	const cc_wpp_config *c = g->in->config;

	for (size_t k = 0; k < c->ntypes && k < 256; k++) {
		const cc_wpp_type *ty = &c->types[k];

		if (!g->used_type[k])
			continue;
		if (ty->kind == CC_WPP_LIST || ty->kind == CC_WPP_SET) {
			cc_buf_printf(
				g->out,
				"static const char *const WPP_ITEMS_%s[] __attribute__((__unused__)) = {",
				ty->name);
			for (size_t i = 0; i < ty->items.n; i++) {
				cc_buf_puts(g->out, i ? ", " : " ");
				cc_buf_put_c_string(g->out, ty->items.v[i]);
			}
			cc_buf_puts(g->out, ty->items.n ? " };\n" : " 0 };\n");
		} else if (ty->kind == CC_WPP_ENUM && ty->resolved && ty->items.n) {
			cc_buf_printf(
				g->out,
				"static const owfp_wpp_enum_item WPP_ENUM_%s[] __attribute__((__unused__)) = {\n",
				ty->name);
			for (size_t i = 0; i < ty->items.n; i++)
				cc_buf_printf(g->out, "\t{ (int64_t)(%s), \"%s\" },\n",
					      ty->items.v[i], ty->items.v[i]);
			cc_buf_puts(g->out, "};\n");
		}
	}
}

static void resolve_enums(gen *g)
{
	const cc_wpp_config *c = g->in->config;

	for (size_t k = 0; k < c->ntypes && k < 256; k++) {
		cc_wpp_type *ty = &c->types[k];

		if (ty->kind != CC_WPP_ENUM || ty->resolved)
			continue;
		for (size_t i = 0; i < g->in->nenum_texts && !ty->resolved; i++)
			cc_wpp_enum_resolve(ty, g->in->enum_texts[i], g->in->enum_lens[i]);
	}
}

int cc_tmh_generate(const cc_tmh_input *in, cc_buf *out, cc_strv *notes, char *err, size_t errlen)
{
	gen g = {.in = in, .out = out, .notes = notes, .err = err, .errlen = errlen};
	const char *slash = strrchr(in->source_name, '/');
	size_t n = 0;
	int rc = 0;

	if (in->config->nfuncs > 256 || in->config->ntypes > 256) {
		cc_err(err, errlen, "%s: more than 256 WPP functions or types", in->source_name);
		return -EINVAL;
	}
	g.base = slash ? slash + 1 : in->source_name;
	for (const char *s = g.base; *s && n + 2 < sizeof(g.stem); s++)
		g.stem[n++] = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
					      (*s >= '0' && *s <= '9')
				      ? *s
				      : '_';
	g.stem[n++] = '_';
	g.stem[n] = '\0';
	if (cc_lex(in->source_text, in->source_len, &g.t))
		return -ENOMEM;
	resolve_enums(&g);
	for (size_t i = 0; i < g.t.n && !rc; i++) {
		const cc_wpp_func *f;

		if (g.t.t[i].kind != CC_T_IDENT || g.t.t[i].directive)
			continue;
		f = cc_wpp_config_func(in->config, g.t.src + g.t.t[i].off, g.t.t[i].len);
		if (f && punct(&g.t, cc_tok_next(&g.t, i), "("))
			rc = site(&g, i, f);
	}
	if (rc)
		goto out;
	cc_buf_printf(out, "/* Generated by openwfp-cc from %s (tracewpp's part); do not edit. */\n",
		      in->source_name);
	cc_buf_puts(out, "#include <openwfp/openwfp_wpp.h>\n"
			 "#ifndef WPP_CONTROL_GUIDS\n"
			 "#define WPP_CONTROL_GUIDS WPP_DEFINE_CONTROL_GUID(Default, (0,0,0,0,0), "
			 "WPP_DEFINE_BIT(Error) WPP_DEFINE_BIT(Unusual) WPP_DEFINE_BIT(Noise))\n"
			 "#endif\n"
			 "#undef WPP_DEFINE_CONTROL_GUID\n#undef WPP_DEFINE_BIT\n"
			 "#define WPP_DEFINE_CONTROL_GUID(Name, Guid, Bits) WPP_CTL_ ## Name, Bits\n"
			 "#define WPP_DEFINE_BIT(Name) WPP_BIT_ ## Name,\n"
			 "enum { WPP_CONTROL_GUIDS WPP_BIT_END_ };\n"
			 "#undef WPP_DEFINE_CONTROL_GUID\n#undef WPP_DEFINE_BIT\n"
			 "#define WPP_DEFINE_CONTROL_GUID(Name, Guid, Bits) \"\\001\" #Name, Bits\n"
			 "#define WPP_DEFINE_BIT(Name) #Name,\n"
			 "static const char *const WPP_NAMES_[] __attribute__((__unused__)) = "
			 "{ WPP_CONTROL_GUIDS 0 };\n"
			 "#undef WPP_DEFINE_CONTROL_GUID\n#undef WPP_DEFINE_BIT\n"
			 "#define WPP_DEFINE_CONTROL_GUID(Name, Guid, Bits)\n"
			 "#define WPP_DEFINE_BIT(Name)\n");
	cc_buf_puts(out, "#define WPP_FILE_ ");
	cc_buf_put_c_string(out, g.base);
	cc_buf_printf(out, "\n#define WPP_THIS_FILE %s\n", g.stem);
	cc_buf_puts(out, "#define WPP_GLUE3_(a, b, c) a ## b ## c\n"
			 "#define WPP_XGLUE3_(a, b, c) WPP_GLUE3_(a, b, c)\n");
	tables(&g);
	for (size_t k = 0; k < in->config->nfuncs; k++) {
		if (!g.used_func[k])
			continue;
		defaults_for(&g, &in->config->funcs[k]);
		cc_buf_printf(out,
			      "#undef %s\n#define %s WPP_XGLUE3_(WPP_CALL_, WPP_THIS_FILE, __LINE__)\n",
			      in->config->funcs[k].name, in->config->funcs[k].name);
	}
	for (size_t k = 0; k < g.codes.n; k++)
		cc_buf_puts(out, g.codes.v[k]);
	if (out->failed || g.codes.failed || g.lines_done.failed)
		rc = -ENOMEM;
out:
	cc_tokens_free(&g.t);
	cc_strv_free(&g.lines_done);
	cc_strv_free(&g.codes);
	return rc;
}
