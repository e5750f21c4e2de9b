/*
 * One event-loop thread: its own SO_REUSEPORT listener, its own epoll set
 * and its own connections. Other threads reach it only through the eventfd
 * (FwpsStreamContinue0/InjectAsync wakes, stop requests).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "proxy/proxy_int.h"
#include "proxy/sock.h"
#include "util/alloc.h"

#define MAX_EVENTS 256
#define ACCEPT_BATCH 64

/*
 * How often open connections are looked at for the idle and half-closed
 * timeouts: a quarter of the shorter one, between 50 ms and 1 s, so a
 * connection is reset at most a quarter late (a second for the defaults).
 */
static unsigned sweep_interval(const owfp_proxy_opts *o)
{
	unsigned t = o->idle_timeout_ms < o->half_closed_timeout_ms ? o->idle_timeout_ms
								    : o->half_closed_timeout_ms;
	if (t == OWFP_PROXY_NO_TIMEOUT)
		return 0;
	t /= 4;
	return t < 50 ? 50 : t > 1000 ? 1000 : t;
}

int owfp_worker_init(struct owfp_worker *w, struct owfp_proxy *p, int index, owfp_error *err)
{
	struct epoll_event ev = {.events = EPOLLIN};

	memset(w, 0, sizeof(*w));
	w->proxy = p;
	w->index = index;
	w->listener.kind = OWFP_EP_LISTENER;
	w->wake.kind = OWFP_EP_WAKE;
	w->listener.fd = w->wake.fd = w->epfd = -1;
	w->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pthread_mutex_init(&w->wake_lock, NULL);
	w->rbuf_size = p->o.read_size;
	w->rbuf = owfp_malloc(w->rbuf_size);
	if (!w->rbuf) {
		snprintf(err->msg, sizeof(err->msg), "worker %d: out of memory", index);
		return -ENOMEM;
	}
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->wake.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->epfd < 0 || w->wake.fd < 0) {
		int e = errno;
		snprintf(err->msg, sizeof(err->msg), "worker %d: epoll/eventfd: %s", index,
			 strerror(e));
		return -e;
	}
	int fd = owfp_sock_listen(&p->o.listen, p->o.transparent, err);
	if (fd < 0)
		return fd;
	w->listener.fd = fd;
	/* accepted sockets inherit it: no system call per connection */
	if (p->o.keepalive_s != OWFP_PROXY_NO_TIMEOUT && owfp_sock_keepalive(fd, p->o.keepalive_s)) {
		snprintf(err->msg, sizeof(err->msg), "worker %d: TCP keepalive on the listener: %s",
			 index, strerror(errno));
		return -errno;
	}
	w->sweep_ms = sweep_interval(&p->o);
	ev.data.ptr = &w->wake;
	epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->wake.fd, &ev);
	ev.data.ptr = &w->listener;
	epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->listener.fd, &ev);
	return 0;
}

void owfp_worker_kick(struct owfp_worker *w)
{
	uint64_t one = 1;
	ssize_t n = write(w->wake.fd, &one, sizeof(one));
	(void)n; /* EAGAIN: the counter is already non-zero, the worker will wake */
}

/* How long accepting pauses when no connection can be taken at all. */
#define ACCEPT_PAUSE_MS 100

static void accept_pause(struct owfp_worker *w)
{
	struct epoll_event ev = {.events = 0, .data.ptr = &w->listener};

	epoll_ctl(w->epfd, EPOLL_CTL_MOD, w->listener.fd, &ev);
	w->accept_paused = true;
	w->accept_resume_ms = owfp_clock_ms() + ACCEPT_PAUSE_MS;
}

static void accept_resume(struct owfp_worker *w)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &w->listener};

	if (owfp_clock_ms() < w->accept_resume_ms)
		return;
	w->accept_paused = false;
	if (w->listener.fd >= 0)
		epoll_ctl(w->epfd, EPOLL_CTL_MOD, w->listener.fd, &ev);
}

/*
 * The process is out of descriptors (EMFILE) or the system is (ENFILE).
 * The connection waiting in the backlog is taken with the spare descriptor
 * and reset at once: the client learns now, not after its own timeout, and
 * the listener stops reporting it. Returns false when none could be taken.
 */
static bool refuse_over_fd_limit(struct owfp_worker *w, int err)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd = -1;

	if (w->spare_fd >= 0) {
		close(w->spare_fd);
		fd = accept4(w->listener.fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd >= 0)
			owfp_sock_reset(fd);
		w->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return false;
	atomic_fetch_add_explicit(&w->c.limits_hit, 1, memory_order_relaxed);
	const owfp_proxy_opts *o = &w->proxy->o;
	owfp_proxy_event ev = {
		.type = OWFP_PEV_LIMIT,
		.client = (const struct sockaddr *)&peer,
		.err = err,
		.detail = OWFP_PROXY_FD_LIMIT_DETAIL,
	};
	if (o->event)
		o->event(o->user, &ev);
	return true;
}

static void worker_accept(struct owfp_worker *w)
{
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(w->listener.fd, (struct sockaddr *)&peer, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			owfp_conn_accept(w, fd, (struct sockaddr *)&peer, len);
			continue;
		}
		switch (errno) {
		case EAGAIN:
			return;
		case EINTR:
		case ECONNABORTED: /* the client gave up while waiting */
		case EPROTO:
		case EPERM: /* a firewall rule refused it */
			continue;
		case EMFILE:
		case ENFILE:
			if (refuse_over_fd_limit(w, errno))
				continue;
			accept_pause(w);
			return;
		default: /* ENOBUFS, ENOMEM: the kernel is short */
			accept_pause(w);
			return;
		}
	}
}

static void worker_wake(struct owfp_worker *w)
{
	uint64_t v;
	ssize_t n = read(w->wake.fd, &v, sizeof(v));
	(void)n;
	for (;;) {
		pthread_mutex_lock(&w->wake_lock);
		struct owfp_conn *c = w->wake_head;
		if (c) {
			w->wake_head = c->wake_next;
			c->wake_queued = false;
		}
		pthread_mutex_unlock(&w->wake_lock);
		if (!c)
			return;
		owfp_conn_run_pending(c);
	}
}

static void worker_bury(struct owfp_worker *w)
{
	while (w->graveyard) {
		struct owfp_conn *c = w->graveyard;
		w->graveyard = c->grave_next;
		free(c);
	}
}

/* Connecting deadlines every 250 ms; idle and half-closed timeouts every sweep_ms. */
static void worker_check_timeouts(struct owfp_worker *w)
{
	uint64_t now = w->now_ms;

	if (now < w->next_timeout_check)
		return;
	w->next_timeout_check = now + (w->nconnecting ? 250 : w->sweep_ms);
	for (struct owfp_conn *c = w->conns, *next; c; c = next) {
		next = c->next;
		owfp_conn_check_timeout(c, now);
	}
}

/*
 * A callout that defers and never continues must not stall a connection
 * forever: while any connection is deferred the worker wakes at least
 * every DEFER_SWEEP_MS and lets the engine expire overdue flows.
 */
#define DEFER_SWEEP_MS 500

static void worker_check_deferred(struct owfp_worker *w)
{
	uint64_t now = owfp_clock_ms();

	if (now < w->next_defer_check)
		return;
	w->next_defer_check = now + DEFER_SWEEP_MS;
	for (struct owfp_conn *c = w->conns, *next; c; c = next) {
		next = c->next;
		owfp_conn_check_defer(c, now);
	}
}

/* A FIN waits for bytes the kernel still moves (sockmap.c): look again. */
static void worker_check_sockmap(struct owfp_worker *w)
{
	for (struct owfp_conn *c = w->conns, *next; c && w->nsm_wait; c = next) {
		next = c->next;
		if (c->sm_wait)
			owfp_conn_settle_now(c);
	}
}

static int worker_wait_ms(const struct owfp_worker *w)
{
	if (w->nsm_wait)
		return 1;
	if (w->accept_paused)
		return ACCEPT_PAUSE_MS;
	int ms = w->nconnecting ? 250 : w->nconns && w->sweep_ms ? (int)w->sweep_ms : -1;
	if (w->ndeferred && (ms < 0 || ms > DEFER_SWEEP_MS))
		ms = DEFER_SWEEP_MS;
	return ms;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A sleep shorter than this marks the worker busy. */
#define SHORT_SLEEP_US 200

/*
 * Waits for events. A worker whose last sleep was short is busy: the next
 * event is most likely microseconds away, and sleeping costs more than the
 * wait (the thread that wakes us pays for the wake-up, an inter-processor
 * interrupt on a VM). So it first yields the CPU a few times, polling
 * between yields, and sleeps only if nothing came; an idle worker sleeps at
 * once. sched_yield() lets the peers on this core run meanwhile.
 * --poll-spin 0 turns this off (docs/proxy.md, "Waiting for events").
 */
static int worker_poll(struct owfp_worker *w, struct epoll_event *evs)
{
	int n;

	if (w->ready_head) /* sides to read again: look for events, do not wait */
		return epoll_wait(w->epfd, evs, MAX_EVENTS, 0);
	if (w->busy) {
		for (int k = 0; k < w->proxy->o.poll_spin; k++) {
			n = epoll_wait(w->epfd, evs, MAX_EVENTS, 0);
			if (n != 0)
				return n;
			sched_yield();
		}
	}
	uint64_t t0 = now_us();
	n = epoll_wait(w->epfd, evs, MAX_EVENTS, worker_wait_ms(w));
	w->busy = now_us() - t0 < SHORT_SLEEP_US;
	return n;
}

static void *worker_main(void *arg)
{
	struct owfp_worker *w = arg;
	struct epoll_event evs[MAX_EVENTS];

	while (!atomic_load(&w->stop)) {
		if (atomic_load(&w->stop_accepting) && w->listener.fd >= 0) {
			epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->listener.fd, NULL);
			close(w->listener.fd);
			w->listener.fd = -1;
		}
		int n = worker_poll(w, evs);
		w->now_ms = owfp_clock_ms();
		for (int i = 0; i < n; i++) {
			enum owfp_ep_kind *kind = evs[i].data.ptr;
			switch (*kind) {
			case OWFP_EP_LISTENER:
				worker_accept(w);
				break;
			case OWFP_EP_WAKE:
				worker_wake(w);
				break;
			case OWFP_EP_SIDE:
				owfp_conn_event((struct owfp_side *)kind, evs[i].events);
				break;
			}
		}
		if (w->ready_head)
			owfp_conn_run_ready(w);
		if (w->accept_paused)
			accept_resume(w);
		if (w->nconnecting || (w->nconns && w->sweep_ms))
			worker_check_timeouts(w);
		if (w->ndeferred)
			worker_check_deferred(w);
		if (w->nsm_wait)
			worker_check_sockmap(w);
		worker_bury(w);
	}
	while (w->conns)
		owfp_conn_destroy(w->conns, true);
	worker_bury(w);
	return NULL;
}

int owfp_worker_start(struct owfp_worker *w, owfp_error *err)
{
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "worker %d: pthread_create: %s", w->index,
			 strerror(rc));
		return -rc;
	}
	w->started = true;
	return 0;
}

void owfp_worker_join(struct owfp_worker *w)
{
	if (!w->started)
		return;
	atomic_store(&w->stop, true);
	owfp_worker_kick(w);
	pthread_join(w->thread, NULL);
	w->started = false;
}

void owfp_worker_fini(struct owfp_worker *w)
{
	if (w->listener.fd >= 0)
		close(w->listener.fd);
	if (w->wake.fd >= 0)
		close(w->wake.fd);
	if (w->epfd >= 0)
		close(w->epfd);
	if (w->spare_fd >= 0)
		close(w->spare_fd);
	w->spare_fd = -1;
	free(w->rbuf);
	pthread_mutex_destroy(&w->wake_lock);
	w->listener.fd = w->wake.fd = w->epfd = -1;
	w->rbuf = NULL;
}
