/*
 * The control socket: owner-only permissions, bounded and validated
 * requests, and a stats/filters round trip through a real unix socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "proxy/serve.h"

struct fixture {
	char dir[64];
	char path[128];
	owfp_proxy *proxy;
	owfp_control *ctl;
	pthread_t thread;
	atomic_bool stop;
	json_t *added;
};

static int fake_filter_add(void *user, const char *text, json_t **ids, owfp_error *err)
{
	struct fixture *f = user;
	if (strstr(text, "bad")) {
		snprintf(err->msg, sizeof(err->msg), "<control>:1:1: bad filter");
		return -EINVAL;
	}
	json_array_append_new(f->added, json_string(text));
	*ids = json_pack("[i]", (int)json_array_size(f->added));
	return 0;
}

static int fake_filters_list(void *user, json_t **out, owfp_error *err)
{
	struct fixture *f = user;
	(void)err;
	*out = json_deep_copy(f->added);
	return 0;
}

static void *serve_thread(void *arg)
{
	struct fixture *f = arg;
	while (!atomic_load(&f->stop)) {
		struct pollfd p = {.fd = owfp_control_fd(f->ctl), .events = POLLIN};
		if (poll(&p, 1, 20) > 0)
			owfp_control_run(f->ctl);
	}
	return NULL;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	owfp_proxy_opts o = {.workers = 1};
	owfp_error err;
	struct sockaddr_in l = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	strcpy(f->dir, "/tmp/owfp-ctl-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/control", f->dir);
	memcpy(&o.listen.ss, &l, sizeof(l));
	o.listen.len = sizeof(l);
	o.upstream = o.listen;
	assert_int_equal(owfp_proxy_start(NULL, &o, &f->proxy, &err), 0);
	f->added = json_array();
	owfp_proxy_manage m = {
		.filter_add = fake_filter_add, .filters_list = fake_filters_list, .user = f};
	assert_int_equal(owfp_control_open(f->path, f->proxy, &m, &f->ctl, &err), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, serve_thread, f), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
	owfp_control_close(f->ctl);
	owfp_proxy_destroy(f->proxy);
	json_decref(f->added);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_control_socket_is_owner_only(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_uid, geteuid());
}

static void test_control_rejects_malformed_requests(void **state)
{
	struct fixture *f = *state;
	owfp_proxy_manage m = {0};
	const char *bad[] = {"not json",
			     "[1,2]",
			     "{\"cmd\":5}",
			     "{\"cmd\":\"rm -rf\"}",
			     "{\"cmd\":\"stats\",\"cmd\":\"stats\"}",
			     "{\"cmd\":\"filters.delete\",\"id\":-3}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *r = owfp_control_handle(f->proxy, &m, bad[i], strlen(bad[i]));
		assert_true(json_is_false(json_object_get(r, "ok")));
		assert_non_null(json_string_value(json_object_get(r, "error")));
		json_decref(r);
	}
}

static void test_control_stats_and_filters_round_trip(void **state)
{
	struct fixture *f = *state;
	owfp_error err;
	json_t *reply;

	json_t *req = json_pack("{s:s}", "cmd", "stats");
	assert_int_equal(owfp_control_request(f->path, req, &reply, &err), 0);
	json_decref(req);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(reply, "proxy"), "workers")), 1);
	json_decref(reply);

	req = json_pack("{s:s, s:s}", "cmd", "filters.add", "filter", "{name: web}");
	assert_int_equal(owfp_control_request(f->path, req, &reply, &err), 0);
	json_decref(req);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(reply, "ids"), 0)), 1);
	json_decref(reply);

	req = json_pack("{s:s, s:s}", "cmd", "filters.add", "filter", "bad");
	assert_int_equal(owfp_control_request(f->path, req, &reply, &err), 0);
	json_decref(req);
	assert_true(json_is_false(json_object_get(reply, "ok")));
	assert_string_equal(json_string_value(json_object_get(reply, "error")),
			    "<control>:1:1: bad filter");
	json_decref(reply);

	req = json_pack("{s:s}", "cmd", "filters.list");
	assert_int_equal(owfp_control_request(f->path, req, &reply, &err), 0);
	json_decref(req);
	assert_int_equal(json_array_size(json_object_get(reply, "filters")), 1);
	json_decref(reply);
}

static void test_control_oversized_request_is_refused(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char *big = malloc(70000);
	char reply[256] = {0};

	strcpy(sa.sun_path, f->path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	memset(big, 'x', 70000);
	size_t off = 0;
	while (off < 70000) {
		ssize_t n = send(fd, big + off, 70000 - off, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the proxy closed: fine */
		off += (size_t)n;
	}
	struct pollfd p = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 5000), 1);
	ssize_t n = recv(fd, reply, sizeof(reply) - 1, 0);
	assert_true(n > 0);
	assert_non_null(strstr(reply, "\"ok\":false"));
	assert_non_null(strstr(reply, "longer than"));
	close(fd);
	free(big);
}

static void test_control_refuses_path_that_is_not_a_socket(void **state)
{
	struct fixture *f = *state;
	char path[160];
	owfp_control *c = NULL;
	owfp_error err;
	owfp_proxy_manage m = {0};

	snprintf(path, sizeof(path), "%s/plain", f->dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(owfp_control_open(path, f->proxy, &m, &c, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "not a socket"));
	/* A live control socket is not stolen either. */
	assert_int_equal(owfp_control_open(f->path, f->proxy, &m, &c, &err), -EADDRINUSE);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_control_socket_is_owner_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_rejects_malformed_requests, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_control_stats_and_filters_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_control_oversized_request_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_control_refuses_path_that_is_not_a_socket,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
