/*
 * Host-name patterns shared by http_filter and tls_sni_filter.
 *
 *   "www.example.com"   exact, case-insensitive
 *   ".example.com"      suffix: example.com itself and every name under it
 *   "*.example.*", "a?c" glob (fnmatch, case-insensitive; '*' crosses dots)
 *
 * A trailing dot on the name ("example.com.") is ignored, so the absolute
 * form of a name cannot be used to slip past a rule.
 */
#ifndef OWFP_CALLOUTS_NAME_PATTERN_H
#define OWFP_CALLOUTS_NAME_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

/* Longest name compared; longer names never match (callers fail closed). */
#define OWFP_NAME_MAX 1024

bool owfp_name_match(const char *pattern, const char *name, size_t len);

/* Globs for methods and paths: fnmatch, case-sensitive, '*' crosses '/'. */
bool owfp_glob_match(const char *pattern, const char *s, size_t len);
/* The same, ignoring ASCII case unless case_sensitive. */
bool owfp_glob_match_case(const char *pattern, const char *s, size_t len, bool case_sensitive);

typedef struct owfp_name_list {
	size_t n;
	char **pats;
} owfp_name_list;

/* `array` is a jansson array of strings, or NULL (an empty list). */
int owfp_name_list_init(owfp_name_list *l, const void *array, char *err, size_t errlen);
bool owfp_name_list_match(const owfp_name_list *l, const char *name, size_t len);
void owfp_name_list_free(owfp_name_list *l);

#endif
