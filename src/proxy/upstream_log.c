/* Rate-limited stderr line for upstream connect failures (see upstream_log.h). */
#include "proxy/upstream_log.h"
#include "host/logprio.h"

#include <errno.h>
#include <string.h>

void owfp_upstream_log_init(owfp_upstream_log *l, FILE *out)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	l->out = out;
}

static const char *hint(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return ": nothing listens there; check --upstream and that the server runs";
	case ETIMEDOUT:
		return ": no answer within --connect-timeout";
	case EHOSTUNREACH:
	case ENETUNREACH:
		return ": no route to it";
	}
	return "";
}

void owfp_upstream_log_event(owfp_upstream_log *l, const owfp_proxy_event *ev, uint64_t now_ms)
{
	char up[80] = "(unknown)", cl[80] = "(unknown)";

	pthread_mutex_lock(&l->lock);
	if (l->last_ms && now_ms - l->last_ms < OWFP_UPSTREAM_LOG_INTERVAL_MS) {
		l->suppressed++;
		pthread_mutex_unlock(&l->lock);
		return;
	}
	if (ev->upstream)
		owfp_proxy_addr_str(ev->upstream, up, sizeof(up));
	if (ev->client)
		owfp_proxy_addr_str(ev->client, cl, sizeof(cl));
	fprintf(l->out, "%sopenwfp proxy: upstream %s: %s%s (client %s reset)",
		l->out == stderr && owfp_log_to_journal() ? "<4>" : "", up,
		ev->err ? strerror(ev->err) : (ev->detail ? ev->detail : "connect failed"),
		hint(ev->err), cl);
	if (l->suppressed)
		fprintf(l->out, "; %llu more upstream failure%s not shown",
			(unsigned long long)l->suppressed, l->suppressed == 1 ? "" : "s");
	fputc('\n', l->out);
	fflush(l->out);
	l->suppressed = 0;
	l->last_ms = now_ms ? now_ms : 1;
	pthread_mutex_unlock(&l->lock);
}

void owfp_upstream_log_flush(owfp_upstream_log *l)
{
	if (l->suppressed) {
		fprintf(l->out, "openwfp proxy: %llu more upstream failure%s not shown\n",
			(unsigned long long)l->suppressed, l->suppressed == 1 ? "" : "s");
		fflush(l->out);
	}
	pthread_mutex_destroy(&l->lock);
}
