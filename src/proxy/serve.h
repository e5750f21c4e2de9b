/*
 * The proxy's management thread (the caller of owfp_proxy_serve): signals
 * and the control socket. SIGTERM/SIGINT drain (stop accepting, wait for
 * open connections up to a deadline, then return 0); SIGHUP reloads.
 */
#ifndef OWFP_PROXY_SERVE_H
#define OWFP_PROXY_SERVE_H

#include <jansson.h>
#include <signal.h>

#include "proxy/proxy.h"

/* What the control socket and SIGHUP act on; every call runs on the serve thread. */
typedef struct owfp_proxy_manage {
	/* SIGHUP / {"cmd":"reload"}: 0, or negative errno with err set (old config kept). */
	int (*reload)(void *user, owfp_error *err);
	/* {"cmd":"filters.list"}: a JSON array of filter objects (new reference). */
	int (*filters_list)(void *user, json_t **out, owfp_error *err);
	/* {"cmd":"filters.add","filter":TEXT}: the new filter ids (a JSON array). */
	int (*filter_add)(void *user, const char *text, json_t **ids, owfp_error *err);
	/* {"cmd":"filters.delete","id":N}. */
	int (*filter_delete)(void *user, uint64_t id, owfp_error *err);
	/* {"cmd":"stats"}: extra members merged into the reply (engine counters). */
	int (*stats)(void *user, json_t *reply);
	/* One line of news for the operator (drain, reload result). */
	void (*log)(void *user, const char *msg);
	void *user;
} owfp_proxy_manage;

typedef struct owfp_proxy_serve_opts {
	const char *control_path;  /* NULL: no control socket */
	unsigned drain_timeout_ms; /* 0 = 10000 */
	owfp_proxy_manage m;
} owfp_proxy_serve_opts;

/* Blocks the signals serve handles; call before owfp_proxy_start so the
 * workers inherit the mask. */
void owfp_proxy_signals_block(void);

/* Runs until drained (0) or a fatal error (negative errno, err set). */
int owfp_proxy_serve(owfp_proxy *p, const owfp_proxy_serve_opts *o, owfp_error *err);

/* ---- control.c: the control socket (unix, mode 0600, peer uid checked) */

typedef struct owfp_control owfp_control;
int owfp_control_open(const char *path, owfp_proxy *p, const owfp_proxy_manage *m,
		      owfp_control **out, owfp_error *err);
/* The fd to poll for readability. Call owfp_control_run when it is
 * readable and at least once a second: it also drops clients that did not
 * send a request in time. */
int owfp_control_fd(const owfp_control *c);
void owfp_control_run(owfp_control *c);
void owfp_control_close(owfp_control *c);
/* Answers one request line (exposed for tests). Returns a new JSON object. */
json_t *owfp_control_handle(owfp_proxy *p, const owfp_proxy_manage *m, const char *line, size_t len);

/* Client side: sends one request, returns the reply object (new reference). */
int owfp_control_request(const char *path, json_t *req, json_t **reply, owfp_error *err);

#endif /* OWFP_PROXY_SERVE_H */
