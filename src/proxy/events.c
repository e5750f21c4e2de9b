#include "proxy/events.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host/events.h"
#include "util/alloc.h"

struct owfp_proxy_events {
	FILE *f;
	bool own;
	pthread_mutex_t lock;
};

int owfp_proxy_events_open(const char *path, owfp_proxy_events **out, owfp_error *err)
{
	owfp_proxy_events *e = owfp_calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		e->f = stdout;
	} else {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		e->f = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!e->f) {
			int er = errno;
			if (fd >= 0)
				close(fd);
			snprintf(err->msg, sizeof(err->msg), "events file %s: %s", path,
				 strerror(er));
			free(e);
			return -er;
		}
		e->own = true;
	}
	pthread_mutex_init(&e->lock, NULL);
	*out = e;
	return 0;
}

void owfp_proxy_events_close(owfp_proxy_events *e)
{
	if (!e)
		return;
	if (e->own)
		fclose(e->f);
	else
		fflush(e->f);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

static const char *proxy_event_name(enum owfp_proxy_event_type t)
{
	switch (t) {
	case OWFP_PEV_ACCEPT:
		return "proxy_accept";
	case OWFP_PEV_UPSTREAM_ERROR:
		return "proxy_upstream_error";
	case OWFP_PEV_FLOW_REFUSED:
		return "proxy_flow_refused";
	case OWFP_PEV_OFFLOAD:
		return "proxy_offload";
	case OWFP_PEV_LIMIT:
		return "proxy_limit";
	case OWFP_PEV_CLOSE:
		return "proxy_close";
	case OWFP_PEV_RELOAD:
		return "proxy_reload";
	case OWFP_PEV_DRAIN:
		return "proxy_drain";
	}
	return "proxy_unknown";
}

static void emit(owfp_proxy_events *e, json_t *obj)
{
	struct timespec ts;

	if (!obj)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	json_object_set_new(obj, "ts", json_real((double)ts.tv_sec + ts.tv_nsec / 1e9));
	char *line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!line)
		return;
	pthread_mutex_lock(&e->lock);
	fputs(line, e->f);
	fputc('\n', e->f);
	fflush(e->f);
	pthread_mutex_unlock(&e->lock);
	free(line);
}

void owfp_proxy_events_raw(owfp_proxy_events *e, const char *json_line)
{
	json_error_t jerr;
	emit(e, json_loads(json_line, 0, &jerr));
}

/* The engine's events in the one format (src/host/events.c), so both
 * data paths write the same lines. */
void owfp_proxy_events_engine(void *user, const owfp_event *ev)
{
	owfp_proxy_events *e = user;

	pthread_mutex_lock(&e->lock);
	owfp_host_event_write(e->f, ev);
	fflush(e->f);
	pthread_mutex_unlock(&e->lock);
}

void owfp_proxy_events_proxy(void *user, const owfp_proxy_event *ev)
{
	owfp_proxy_events *e = user;
	json_t *o = json_object();
	char a[80];

	json_object_set_new(o, "event", json_string(proxy_event_name(ev->type)));
	json_object_set_new(o, "conn", json_integer((json_int_t)ev->conn_id));
	if (ev->flow_id)
		json_object_set_new(o, "flow", json_integer((json_int_t)ev->flow_id));
	if (ev->client)
		json_object_set_new(o, "client",
				    json_string(owfp_proxy_addr_str(ev->client, a, sizeof(a))));
	if (ev->upstream)
		json_object_set_new(o, "upstream",
				    json_string(owfp_proxy_addr_str(ev->upstream, a, sizeof(a))));
	if (ev->err)
		json_object_set_new(o, "error", json_string(strerror(ev->err)));
	if (ev->type == OWFP_PEV_CLOSE) {
		json_object_set_new(o, "bytes_to_client", json_integer((json_int_t)ev->bytes[0]));
		json_object_set_new(o, "bytes_to_upstream", json_integer((json_int_t)ev->bytes[1]));
	}
	if (ev->detail)
		json_object_set_new(o, "detail", json_string(ev->detail));
	emit(e, o);
}
