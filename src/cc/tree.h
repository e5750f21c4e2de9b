/*
 * The private temporary tree of one openwfp-cc run: a rewritten copy of
 * each source in its own directory (with the .tmh headers generated for it,
 * never next to the author's files), and a rewritten copy of every header
 * of the driver's own tree those sources include (found as the compiler
 * would: the includer's directory, then -iquote, then -I). openwfp's and
 * the system's headers are used in place.
 */
#ifndef OWFP_CC_TREE_H
#define OWFP_CC_TREE_H

#include <limits.h>

#include "cc/driver.h"

typedef struct cc_tree {
	char dir[PATH_MAX]; /* mode 0700, made with mkdtemp */
	cc_strv real;       /* '-' (C) or '+' (C++) and the realpath of every file rewritten ... */
	cc_strv copy;       /* ... and where its copy is */
	cc_strv shown;      /* ... and the name messages use for it */
	char **texts;       /* ... and its original text */
	size_t *lens;
	cc_strv orig_dirs; /* the directories those files are in (for -iquote) */
	cc_strv notes;     /* "FILE:LINE: note" from the dialect pass */
	size_t counter;
} cc_tree;

typedef struct cc_tree_source {
	char *copy;   /* the rewritten source */
	char *dir;    /* its private directory: the .tmh headers go here */
	cc_strv tmh;  /* the .tmh names it includes */
	size_t index; /* its entry in cc_tree */
} cc_tree_source;

int cc_tree_open(cc_tree *t, char *err, size_t errlen);
/* Rewrites a source and the driver headers it reaches. 0, -ENOENT (message
 * names the file) or -ENOMEM. */
int cc_tree_add_source(cc_tree *t, const cc_opts *o, const cc_paths *p, const cc_input *in,
		       cc_tree_source *out, char *err, size_t errlen);
void cc_tree_source_free(cc_tree_source *s);
/* Removes the directory unless keep. */
void cc_tree_close(cc_tree *t, bool keep);

#endif /* OWFP_CC_TREE_H */
