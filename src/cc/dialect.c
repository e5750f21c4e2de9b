/* The MSVC dialect pass over one file's tokens (dialect.h). */
#include "cc/dialect.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc/lex.h"

typedef struct pass {
	const cc_tokens *t;
	const cc_dialect_opts *o;
	cc_buf *out;
	cc_strv *notes;
} pass;

static bool punct(const cc_tokens *t, size_t i, const char *p)
{
	return i < t->n && t->t[i].kind == CC_T_PUNCT && cc_tok_is(t, i, p);
}

static bool ident(const cc_tokens *t, size_t i)
{
	return i < t->n && t->t[i].kind == CC_T_IDENT;
}

static void emit_tokens(pass *p, size_t a, size_t b)
{
	if (a <= b && b < p->t->n)
		cc_buf_add(p->out, p->t->src + p->t->t[a].off,
			   p->t->t[b].off + p->t->t[b].len - p->t->t[a].off);
}

/* The line ends of tokens [a, b] again, so later lines keep their numbers. */
static void emit_newlines(pass *p, size_t a, size_t b)
{
	int n = cc_tok_lines(p->t, a, b + 1);
	bool dir = p->t->t[a].directive;

	while (n-- > 0)
		cc_buf_puts(p->out, dir ? " \\\n" : "\n");
}

static void note(pass *p, size_t i, const char *fmt, const char *what, size_t n)
{
	char text[256];

	snprintf(text, sizeof(text), fmt, (int)n, what);
	cc_strv_addf(p->notes, "%d: %s", p->t->t[i].line, text);
}

static const char *const unary_keywords[] = {"return", "case",      "sizeof", "else",
					     "do",     "co_return", "throw",  NULL};

static bool is_word(const cc_tokens *t, size_t i, const char *const *words)
{
	for (int k = 0; words[k]; k++)
		if (cc_tok_is(t, i, words[k]))
			return true;
	return false;
}

/* Whether '&' at i takes an address (rather than being a binary and). */
static bool unary_position(const cc_tokens *t, size_t i)
{
	size_t p = cc_tok_prev(t, i);

	if (p == SIZE_MAX)
		return true;
	switch (t->t[p].kind) {
	case CC_T_PUNCT:
		return !punct(t, p, ")") && !punct(t, p, "]");
	case CC_T_IDENT:
		return is_word(t, p, unary_keywords);
	default:
		return false;
	}
}

static const char *const not_types[] = {"sizeof",   "return", "case",   "alignof",
					"_Alignof", "new",    "delete", NULL};

/* Tokens strictly between '(' at a and ')' at b name a type: identifiers and '*' only. */
static bool type_name(const cc_tokens *t, size_t a, size_t b)
{
	bool any = false;

	for (size_t j = cc_tok_next(t, a); j < b; j = cc_tok_next(t, j)) {
		if (ident(t, j) && !is_word(t, j, not_types))
			any = true;
		else if (!punct(t, j, "*") || !any)
			return false;
	}
	return any;
}

/* The last token of the unary expression that starts at j, or SIZE_MAX. */
static size_t operand_end(const cc_tokens *t, size_t j)
{
	size_t e;

	for (;;) {
		while (punct(t, j, "*") || punct(t, j, "&"))
			j = cc_tok_next(t, j);
		if (ident(t, j) && !is_word(t, j, not_types)) {
			e = j;
			break;
		}
		if (!punct(t, j, "("))
			return SIZE_MAX;
		e = cc_tok_match(t, j);
		if (e >= t->n)
			return SIZE_MAX;
		/* (T)(U)x: another cast; go on to what it casts */
		if (type_name(t, j, e) &&
		    (ident(t, cc_tok_next(t, e)) || punct(t, cc_tok_next(t, e), "("))) {
			j = cc_tok_next(t, e);
			continue;
		}
		break;
	}
	for (;;) {
		size_t k = cc_tok_next(t, e);

		if ((punct(t, k, "->") || punct(t, k, ".")) && ident(t, cc_tok_next(t, k)))
			e = cc_tok_next(t, k);
		else if (punct(t, k, "[") || punct(t, k, "("))
			e = cc_tok_match(t, k);
		else
			break;
		if (e >= t->n)
			return SIZE_MAX;
	}
	return e;
}

/* &(TYPE)operand at i: emits ((TYPE *)&(operand)) and returns the last
 * token consumed, or 0 when i is not that construct. */
static size_t address_of_cast(pass *p, size_t i)
{
	const cc_tokens *t = p->t;
	size_t lp = cc_tok_next(t, i), rp, op, end;

	if (!punct(t, lp, "(") || !unary_position(t, i))
		return 0;
	rp = cc_tok_match(t, lp);
	if (rp >= t->n || !type_name(t, lp, rp))
		return 0;
	op = cc_tok_next(t, rp);
	if (!ident(t, op) && !punct(t, op, "(") && !punct(t, op, "*"))
		return 0;
	end = operand_end(t, op);
	if (end == SIZE_MAX)
		return 0;
	cc_buf_puts(p->out, "((");
	emit_tokens(p, cc_tok_next(t, lp), cc_tok_prev(t, rp));
	cc_buf_puts(p->out, " *)&(");
	emit_tokens(p, op, end);
	cc_buf_puts(p->out, "))");
	/* the operand was copied with its own line ends; only the gap counts */
	if (cc_tok_lines(t, i, op) > 0)
		emit_newlines(p, i, op - 1);
	return end;
}

/* Whether the declaration around token i says `word` (scanning back to the
 * previous ; { } and forward to the declarator's ( = ; {). */
static bool decl_has(const cc_tokens *t, size_t i, const char *word)
{
	for (size_t j = cc_tok_prev(t, i); j != SIZE_MAX; j = cc_tok_prev(t, j)) {
		if (punct(t, j, ";") || punct(t, j, "{") || punct(t, j, "}"))
			break;
		if (cc_tok_is(t, j, word))
			return true;
	}
	for (size_t j = cc_tok_next(t, i); j < t->n; j = cc_tok_next(t, j)) {
		if (punct(t, j, ";") || punct(t, j, "{") || punct(t, j, "(") || punct(t, j, "="))
			break;
		if (cc_tok_is(t, j, word))
			return true;
	}
	return false;
}

typedef struct declspec_map {
	const char *name;
	const char *attr; /* "" to drop; "%s" receives the (argument) text when there is one */
} declspec_map;

static const declspec_map declspecs[] = {
	{"align", "__attribute__((__aligned__%s))"},
	{"noinline", "__attribute__((__noinline__))"},
	{"noreturn", "__attribute__((__noreturn__))"},
	{"nothrow", "__attribute__((__nothrow__))"},
	{"naked", "__attribute__((__naked__))"},
	{"dllexport", "__attribute__((__visibility__(\"default\")))"},
	{"deprecated", "__attribute__((__deprecated__%s))"},
	{"thread", "__thread"},
	{"no_sanitize_address", "__attribute__((__no_sanitize_address__))"},
	{"dllimport", ""},
	{"restrict", ""},
	{"noalias", ""},
	{"novtable", ""},
	{"uuid", ""},
	{"property", ""},
	{"allocate", ""},
	{"code_seg", ""},
	{"safebuffers", ""},
	{"empty_bases", ""},
	{"allocator", ""},
	{"spectre", ""},
	{"guard", ""},
	{"process", ""},
	{"appdomain", ""},
	{"jitintrinsic", ""},
	{NULL, NULL},
};

/* __declspec( ... ) at i. Returns the ')' consumed, or 0. */
static size_t declspec(pass *p, size_t i)
{
	const cc_tokens *t = p->t;
	size_t lp = cc_tok_next(t, i), rp;

	if (!punct(t, lp, "("))
		return 0;
	rp = cc_tok_match(t, lp);
	if (rp >= t->n)
		return 0;
	for (size_t j = cc_tok_next(t, lp); j < rp; j = cc_tok_next(t, j)) {
		size_t args = cc_tok_next(t, j), argsend = 0;
		const char *name = t->src + t->t[j].off;
		size_t nlen = t->t[j].len;
		const declspec_map *m = NULL;

		if (punct(t, j, ","))
			continue;
		if (t->t[j].kind == CC_T_STRING) /* SAL annotations: __declspec("_Annotation_") */
			continue;
		if (punct(t, args, "(")) {
			argsend = cc_tok_match(t, args);
			if (argsend > rp)
				return 0;
		}
		for (int k = 0; ident(t, j) && declspecs[k].name; k++)
			if (strlen(declspecs[k].name) == nlen &&
			    !memcmp(declspecs[k].name, name, nlen))
				m = &declspecs[k];
		if (cc_tok_is(t, j, "selectany")) {
			if (p->o->cplusplus && !decl_has(t, i, "extern") && !decl_has(t, i, "static"))
				cc_buf_puts(p->out, "extern ");
			cc_buf_puts(p->out, "__attribute__((__weak__)) ");
		} else if (m && m->attr[0]) {
			cc_buf argtext = {0};

			if (argsend) {
				cc_buf *save = p->out;

				p->out = &argtext;
				emit_tokens(p, args, argsend);
				p->out = save;
			}
			cc_buf_printf(p->out, m->attr, argtext.s ? argtext.s : "");
			cc_buf_puts(p->out, " ");
			cc_buf_free(&argtext);
		} else if (!m) {
			note(p, j, "__declspec(%.*s) is not known to openwfp-cc; dropped", name,
			     nlen);
		}
		if (argsend)
			j = argsend;
	}
	emit_newlines(p, i, rp);
	return rp;
}

/* C: MSVC's __inline / __forceinline at i. */
static void inline_keyword(pass *p, size_t i)
{
	const cc_tokens *t = p->t;
	bool force = cc_tok_is(t, i, "__forceinline");

	if (t->t[i].directive || decl_has(t, i, "static"))
		cc_buf_puts(p->out,
			    force ? "__inline__ __attribute__((__always_inline__))" : "__inline__");
	else
		cc_buf_puts(p->out, "__attribute__((__weak__))");
}

/* The name token of #include at i ('#'); rewrites it when map_include says so. */
static size_t include_directive(pass *p, size_t i)
{
	const cc_tokens *t = p->t;
	size_t kw = cc_tok_next(t, i), name = cc_tok_next(t, kw);
	char *inc, *to;
	bool angled;

	if (!p->o->map_include || !(cc_tok_is(t, kw, "include") || cc_tok_is(t, kw, "include_next")) ||
	    name >= t->n || (t->t[name].kind != CC_T_STRING && t->t[name].kind != CC_T_HEADER))
		return 0;
	angled = t->t[name].kind == CC_T_HEADER;
	if (t->t[name].len < 2 || t->src[t->t[name].off] != (angled ? '<' : '"'))
		return 0;
	inc = strndup(t->src + t->t[name].off + 1, t->t[name].len - 2);
	if (!inc)
		return 0;
	to = p->o->map_include(p->o->user, inc, angled);
	free(inc);
	if (!to)
		return 0;
	emit_tokens(p, i, kw);
	cc_buf_puts(p->out, " ");
	cc_buf_put_c_string(p->out, to);
	free(to);
	return name;
}

int cc_dialect_run(const char *src, size_t len, const cc_dialect_opts *o, cc_buf *out, cc_strv *notes)
{
	cc_tokens toks;
	pass p = {&toks, o, out, notes};

	if (cc_lex(src, len, &toks))
		return -ENOMEM;
	if (o->line_name) {
		cc_buf_puts(out, "#line 1 ");
		cc_buf_put_c_string(out, o->line_name);
		cc_buf_puts(out, "\n");
	}
	for (size_t i = 0; i < toks.n; i++) {
		const cc_token *k = &toks.t[i];
		size_t last = 0;

		if (k->kind == CC_T_PUNCT && k->bol && k->directive && cc_tok_is(&toks, i, "#"))
			last = include_directive(&p, i);
		else if (k->kind == CC_T_PUNCT && cc_tok_is(&toks, i, "&"))
			last = address_of_cast(&p, i);
		else if (k->kind == CC_T_IDENT && cc_tok_is(&toks, i, "__declspec"))
			last = declspec(&p, i);
		else if (k->kind == CC_T_IDENT && !o->cplusplus &&
			 (cc_tok_is(&toks, i, "__inline") || cc_tok_is(&toks, i, "__forceinline"))) {
			inline_keyword(&p, i);
			continue;
		}
		if (last > i) {
			i = last;
			continue;
		}
		emit_tokens(&p, i, i);
	}
	cc_tokens_free(&toks);
	return out->failed || (notes && notes->failed) ? -ENOMEM : 0;
}
