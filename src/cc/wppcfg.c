/* WPP configuration: FUNC, CUSTOM_TYPE and DEFINE_CPLX_TYPE from the
 * "begin_wpp config ... end_wpp" comment blocks of a driver's sources and
 * headers, plus the trace functions tracewpp knows by default. */
#include "cc/wpp.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc/lex.h"

static bool punct(const cc_tokens *t, size_t i, const char *p)
{
	return i < t->n && t->t[i].kind == CC_T_PUNCT && cc_tok_is(t, i, p);
}

static bool ident(const cc_tokens *t, size_t i)
{
	return i < t->n && t->t[i].kind == CC_T_IDENT;
}

/* The text of tokens [a, b], trimmed. */
static void text_of(const cc_tokens *t, size_t a, size_t b, cc_strv *out)
{
	if (a > b || b >= t->n) {
		cc_strv_add(out, "");
		return;
	}
	cc_strv_addn(out, t->src + t->t[a].off, t->t[b].off + t->t[b].len - t->t[a].off);
}

/* The top-level comma-separated arguments between '(' lp and ')' rp;
 * "()" gives none, "(a,)" gives "a" and "". */
static void split_args(const cc_tokens *t, size_t lp, size_t rp, cc_strv *out)
{
	size_t first = SIZE_MAX, last = SIZE_MAX;
	bool any = false;

	for (size_t j = cc_tok_next(t, lp); j < t->n; j = cc_tok_next(t, j)) {
		if (j == rp || punct(t, j, ",")) {
			if (first != SIZE_MAX)
				text_of(t, first, last, out);
			else if (any || j != rp)
				cc_strv_add(out, "");
			if (j >= rp)
				break;
			any = true;
			first = last = SIZE_MAX;
			continue;
		}
		if (first == SIZE_MAX)
			first = j;
		if (punct(t, j, "(") || punct(t, j, "{") || punct(t, j, "[")) {
			j = cc_tok_match(t, j);
			if (j >= rp)
				break;
		}
		last = j;
	}
}

static void func_free(cc_wpp_func *f)
{
	free(f->name);
	cc_strv_free(&f->conds);
	cc_strv_free(&f->fixed);
}

static int func_parse(const char *decl, size_t len, cc_wpp_func *f, char *err, size_t errlen)
{
	cc_tokens t;
	size_t i, lp, rp;
	cc_strv params = {0};
	bool msg = false;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	if (cc_lex(decl, len, &t))
		return -ENOMEM;
	i = ident(&t, 0) ? 0 : cc_tok_next(&t, 0);
	if (!ident(&t, i)) {
		cc_err(err, errlen, "FUNC %.*s: expected a function name", (int)len, decl);
		rc = -EINVAL;
		goto out;
	}
	f->name = strndup(t.src + t.t[i].off, t.t[i].len);
	lp = cc_tok_next(&t, i);
	if (punct(&t, lp, "{")) {
		size_t rb = cc_tok_match(&t, lp);
		cc_strv pairs = {0};

		split_args(&t, lp, rb, &pairs);
		for (size_t k = 0; k < pairs.n; k++) {
			char *eq = strchr(pairs.v[k], '=');

			if (!eq) {
				cc_err(err, errlen, "FUNC %s: '{%s}' is not COND=VALUE", f->name,
				       pairs.v[k]);
				rc = -EINVAL;
				break;
			}
			cc_strv_addn(&f->conds, pairs.v[k], strcspn(pairs.v[k], " \t="));
			eq++;
			eq += strspn(eq, " \t");
			cc_strv_add(&f->fixed, eq);
		}
		cc_strv_free(&pairs);
		if (rc)
			goto out;
		lp = cc_tok_next(&t, rb);
	}
	rp = punct(&t, lp, "(") ? cc_tok_match(&t, lp) : t.n;
	if (rp >= t.n) {
		cc_err(err, errlen, "FUNC %s: expected (CONDITIONS..., MSG, ...)", f->name);
		rc = -EINVAL;
		goto out;
	}
	split_args(&t, lp, rp, &params);
	for (size_t k = 0; k < params.n; k++) {
		if (!strcmp(params.v[k], "MSG")) {
			msg = true;
		} else if (!strcmp(params.v[k], "...") && msg && k + 1 == params.n) {
			f->variadic = true;
		} else if (!msg) {
			cc_strv_add(&f->conds, params.v[k]);
			f->nparams++;
		} else {
			cc_err(err, errlen,
			       "FUNC %s: '%s' after MSG: openwfp-cc takes only '...' there",
			       f->name, params.v[k]);
			rc = -EINVAL;
			break;
		}
	}
	if (!rc && !msg) {
		cc_err(err, errlen, "FUNC %s: no MSG parameter", f->name);
		rc = -EINVAL;
	}
	cc_strv_free(&params);
	if (!rc && (!f->name || f->conds.failed || f->fixed.failed))
		rc = -ENOMEM;
out:
	cc_tokens_free(&t);
	if (rc)
		func_free(f);
	return rc;
}

static int add_func(cc_wpp_config *c, const char *decl, size_t len, char *err, size_t errlen)
{
	cc_wpp_func f, *v;
	int rc = func_parse(decl, len, &f, err, errlen);

	if (rc)
		return rc;
	for (size_t k = 0; k < c->nfuncs; k++)
		if (!strcmp(c->funcs[k].name, f.name)) { /* a later declaration wins */
			func_free(&c->funcs[k]);
			c->funcs[k] = f;
			return 0;
		}
	v = realloc(c->funcs, (c->nfuncs + 1) * sizeof(*v));
	if (!v) {
		func_free(&f);
		return -ENOMEM;
	}
	c->funcs = v;
	c->funcs[c->nfuncs++] = f;
	return 0;
}

int cc_wpp_config_add_func(cc_wpp_config *c, const char *decl, char *err, size_t errlen)
{
	return add_func(c, decl, strlen(decl), err, errlen);
}

int cc_wpp_config_defaults(cc_wpp_config *c)
{
	char err[128];

	if (add_func(c, "DoTraceMessage(FLAG,MSG,...)", 28, err, sizeof(err)))
		return -ENOMEM;
	return add_func(c, "DoTraceLevelMessage(LEVEL,FLAGS,MSG,...)", 40, err, sizeof(err)) ? -ENOMEM
											     : 0;
}

static const struct {
	const char *item;
	enum cc_wpp_type_kind kind;
	bool is_unsigned;
} items[] = {
	{"ItemListLong", CC_WPP_LIST, false},
	{"ItemListShort", CC_WPP_LIST, false},
	{"ItemListByte", CC_WPP_LIST, false},
	{"ItemSetLong", CC_WPP_SET, true},
	{"ItemSetShort", CC_WPP_SET, true},
	{"ItemSetByte", CC_WPP_SET, true},
	{"ItemEnum", CC_WPP_ENUM, false},
	{"ItemLong", CC_WPP_NUMBER, false},
	{"ItemShort", CC_WPP_NUMBER, false},
	{"ItemChar", CC_WPP_NUMBER, false},
	{"ItemLongLong", CC_WPP_NUMBER, false},
	{"ItemULong", CC_WPP_NUMBER, true},
	{"ItemUShort", CC_WPP_NUMBER, true},
	{"ItemUChar", CC_WPP_NUMBER, true},
	{"ItemULongLong", CC_WPP_NUMBER, true},
	{"ItemPtr", CC_WPP_NUMBER, true},
	{NULL, 0, false},
};

static cc_wpp_type *new_type(cc_wpp_config *c, const char *name)
{
	cc_wpp_type *v, *t;

	for (size_t k = 0; k < c->ntypes; k++)
		if (!strcmp(c->types[k].name, name)) {
			t = &c->types[k];
			cc_strv_free(&t->items);
			free(t->arg);
			free(t->macro);
			free(t->item);
			free(t->name);
			memset(t, 0, sizeof(*t));
			t->name = strdup(name);
			return t->name ? t : NULL;
		}
	v = realloc(c->types, (c->ntypes + 1) * sizeof(*v));
	if (!v)
		return NULL;
	c->types = v;
	t = &c->types[c->ntypes];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	if (!t->name)
		return NULL;
	c->ntypes++;
	return t;
}

/* CUSTOM_TYPE(name, ItemX(args)) with '(' at lp. */
static int custom_type(cc_wpp_config *c, const cc_tokens *t, size_t lp, const char *file, char *err,
		       size_t errlen)
{
	size_t rp = cc_tok_match(t, lp), name = cc_tok_next(t, lp), comma, item, ilp;
	cc_wpp_type *ty;
	int k;

	comma = cc_tok_next(t, name);
	item = cc_tok_next(t, comma);
	if (rp >= t->n || !ident(t, name) || !punct(t, comma, ",") || !ident(t, item)) {
		cc_err(err, errlen, "%s: CUSTOM_TYPE: expected (NAME, ItemKind(...))", file);
		return -EINVAL;
	}
	for (k = 0; items[k].item; k++)
		if (cc_tok_is(t, item, items[k].item))
			break;
	{
		char nm[128];

		snprintf(nm, sizeof(nm), "%.*s", (int)t->t[name].len, t->src + t->t[name].off);
		ty = new_type(c, nm);
	}
	if (!ty)
		return -ENOMEM;
	if (!items[k].item) { /* an Item openwfp does not interpret: shown as a number */
		ty->kind = CC_WPP_NUMBER;
		ty->item = strndup(t->src + t->t[item].off, t->t[item].len);
		return 0;
	}
	ty->kind = items[k].kind;
	ty->is_unsigned = items[k].is_unsigned;
	ty->item = strdup(items[k].item);
	ilp = cc_tok_next(t, item);
	if (punct(t, ilp, "(")) {
		size_t irp = cc_tok_match(t, ilp);
		cc_strv args = {0};

		if (irp < rp)
			split_args(t, ilp, irp, &args);
		if (ty->kind == CC_WPP_ENUM) {
			ty->arg = args.n ? strdup(args.v[0]) : NULL;
			cc_strv_free(&args);
			if (!ty->arg) {
				cc_err(err, errlen,
				       "%s: CUSTOM_TYPE(%s, ItemEnum(TYPE)) names no type", file,
				       ty->name);
				return -EINVAL;
			}
		} else {
			ty->items = args;
		}
	}
	return 0;
}

/* DEFINE_CPLX_TYPE(NAME, MACRO, ARGTYPE, ITEM, ...) with '(' at lp. */
static int cplx_type(cc_wpp_config *c, const cc_tokens *t, size_t lp, const char *file, char *err,
		     size_t errlen)
{
	size_t rp = cc_tok_match(t, lp);
	cc_strv args = {0};
	cc_wpp_type *ty;

	if (rp < t->n)
		split_args(t, lp, rp, &args);
	if (args.n < 4) {
		cc_strv_free(&args);
		cc_err(err, errlen,
		       "%s: DEFINE_CPLX_TYPE: expected (NAME, MACRO, ARGTYPE, ITEM, ...)", file);
		return -EINVAL;
	}
	ty = new_type(c, args.v[0]);
	if (!ty) {
		cc_strv_free(&args);
		return -ENOMEM;
	}
	ty->kind = CC_WPP_CPLX;
	ty->macro = strdup(args.v[1]);
	ty->arg = strdup(args.v[2]);
	ty->item = strdup(args.v[3]);
	cc_strv_free(&args);
	return ty->macro && ty->arg && ty->item ? 0 : -ENOMEM;
}

static int parse_block(cc_wpp_config *c, const char *text, size_t len, const char *file, char *err,
		       size_t errlen)
{
	cc_tokens t;
	int rc = 0;

	if (cc_lex(text, len, &t))
		return -ENOMEM;
	for (size_t i = 0; i < t.n && !rc; i++) {
		size_t lp;

		if (!ident(&t, i))
			continue;
		lp = cc_tok_next(&t, i);
		if (cc_tok_is(&t, i, "FUNC")) {
			size_t name = lp, end;

			lp = cc_tok_next(&t, name);
			if (punct(&t, lp, "{"))
				lp = cc_tok_next(&t, cc_tok_match(&t, lp));
			end = punct(&t, lp, "(") ? cc_tok_match(&t, lp) : t.n;
			if (end >= t.n) {
				cc_err(err, errlen, "%s: FUNC: expected NAME(...)", file);
				rc = -EINVAL;
				break;
			}
			rc = add_func(c, text + t.t[name].off, t.t[end].off + 1 - t.t[name].off,
				      err, errlen);
			i = end;
			continue;
		}
		if (!punct(&t, lp, "("))
			continue;
		if (cc_tok_is(&t, i, "CUSTOM_TYPE"))
			rc = custom_type(c, &t, lp, file, err, errlen);
		else if (cc_tok_is(&t, i, "DEFINE_CPLX_TYPE"))
			rc = cplx_type(c, &t, lp, file, err, errlen);
		/* USEPREFIX, USESUFFIX, DEFINE_SIMPLE_TYPE, ...: not interpreted */
		if (cc_tok_match(&t, lp) < t.n)
			i = cc_tok_match(&t, lp);
	}
	cc_tokens_free(&t);
	return rc;
}

/* One line of a config block without its comment markers. */
static void strip_line(const char *l, size_t n, cc_buf *out)
{
	while (n && (*l == ' ' || *l == '\t')) {
		l++;
		n--;
	}
	if (n >= 2 && (!strncmp(l, "//", 2) || !strncmp(l, "/*", 2))) {
		l += 2;
		n -= 2;
	} else if (n >= 1 && *l == '*' && !(n >= 2 && l[1] == '/')) {
		l++;
		n--;
	}
	while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (n >= 2 && !strncmp(l + n - 2, "*/", 2))
		n -= 2;
	cc_buf_add(out, l, n);
	cc_buf_puts(out, "\n");
}

int cc_wpp_config_scan(cc_wpp_config *c, const char *text, size_t len, const char *file, char *err,
		       size_t errlen)
{
	const char *p = text, *end = text + len;
	cc_buf block = {0};
	bool in = false;
	int rc = 0;

	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!in && memmem(p, n, "begin_wpp config", 16)) {
			in = true;
			block.len = 0;
		} else if (in && memmem(p, n, "end_wpp", 7)) {
			in = false;
			if (block.failed)
				rc = -ENOMEM;
			else if (block.len)
				rc = parse_block(c, block.s, block.len, file, err, errlen);
		} else if (in) {
			strip_line(p, n, &block);
		}
		p += n + 1;
	}
	cc_buf_free(&block);
	return rc;
}

const cc_wpp_func *cc_wpp_config_func(const cc_wpp_config *c, const char *name, size_t n)
{
	for (size_t k = 0; k < c->nfuncs; k++)
		if (strlen(c->funcs[k].name) == n && !memcmp(c->funcs[k].name, name, n))
			return &c->funcs[k];
	return NULL;
}

cc_wpp_type *cc_wpp_config_type(const cc_wpp_config *c, const char *name, size_t n)
{
	for (size_t k = 0; k < c->ntypes; k++)
		if (strlen(c->types[k].name) == n && !memcmp(c->types[k].name, name, n))
			return &c->types[k];
	return NULL;
}

/* tag or typedef name `have` names TYPE: also with a leading or trailing '_'. */
static bool names_type(const char *type, const char *have, size_t n)
{
	size_t tl = strlen(type);

	if (n == tl && !memcmp(have, type, n))
		return true;
	if (n == tl + 1 && have[0] == '_' && !memcmp(have + 1, type, tl))
		return true;
	return n == tl + 1 && have[n - 1] == '_' && !memcmp(have, type, tl);
}

bool cc_wpp_enum_resolve(cc_wpp_type *ty, const char *text, size_t len)
{
	cc_tokens t;
	bool found = false;

	if (ty->kind != CC_WPP_ENUM || !ty->arg || cc_lex(text, len, &t))
		return false;
	for (size_t i = 0; i < t.n && !found; i++) {
		size_t j, lb, rb;
		bool match = false;

		if (!cc_tok_is(&t, i, "enum") || t.t[i].directive)
			continue;
		j = cc_tok_next(&t, i);
		if (ident(&t, j)) {
			match = names_type(ty->arg, t.src + t.t[j].off, t.t[j].len);
			j = cc_tok_next(&t, j);
		}
		if (!punct(&t, j, "{"))
			continue;
		lb = j;
		rb = cc_tok_match(&t, lb);
		if (rb >= t.n)
			break;
		for (size_t k = cc_tok_next(&t, rb); !match && k < t.n && !punct(&t, k, ";");
		     k = cc_tok_next(&t, k))
			if (ident(&t, k))
				match = names_type(ty->arg, t.src + t.t[k].off, t.t[k].len);
		if (!match)
			continue;
		cc_strv_free(&ty->items);
		for (size_t k = cc_tok_next(&t, lb); k < rb; k = cc_tok_next(&t, k)) {
			if (ident(&t, k))
				cc_strv_addn(&ty->items, t.src + t.t[k].off, t.t[k].len);
			while (k < rb && !punct(&t, k, ",")) { /* skip "= value" */
				if (punct(&t, k, "("))
					k = cc_tok_match(&t, k);
				k = cc_tok_next(&t, k);
			}
		}
		found = !ty->items.failed;
	}
	cc_tokens_free(&t);
	ty->resolved = ty->resolved || found;
	return found;
}

void cc_wpp_config_free(cc_wpp_config *c)
{
	for (size_t k = 0; k < c->nfuncs; k++)
		func_free(&c->funcs[k]);
	for (size_t k = 0; k < c->ntypes; k++) {
		free(c->types[k].name);
		cc_strv_free(&c->types[k].items);
		free(c->types[k].arg);
		free(c->types[k].macro);
		free(c->types[k].item);
	}
	free(c->funcs);
	free(c->types);
	memset(c, 0, sizeof(*c));
}
