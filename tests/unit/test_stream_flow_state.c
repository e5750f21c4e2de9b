/*
 * The flow lifecycle (src/stream/flow_state.c): every transition the table
 * allows is made and leaves the flow consistent, every other one is refused
 * (an assertion in a Debug build, fail closed otherwise), and real flows
 * walk the documented paths.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "stream/flow.h"
#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

#define O OWFP_FLOW_OPEN
#define P OWFP_FLOW_DROP_PENDING
#define AB OWFP_FLOW_ABORTED
#define DR OWFP_FLOW_DROPPED
#define EN OWFP_FLOW_ENDED
#define CL OWFP_FLOW_CLOSED

/* docs/architecture.md's table, written out again. */
static const bool want[OWFP_FLOW_NSTATES][OWFP_FLOW_NSTATES] = {
	/*         O  P  AB DR EN CL */
	[O] = {0, 1, 1, 1, 1, 1},  [P] = {0, 1, 0, 1, 0, 1},  [AB] = {0, 0, 0, 1, 1, 1},
	[DR] = {0, 0, 0, 0, 1, 1}, [EN] = {0, 0, 0, 0, 0, 1}, [CL] = {0, 0, 0, 0, 0, 0},
};

static bool is_drop_state(int s)
{
	return s == P || s == DR;
}

/* A bare flow put in state `s` as the transition function would leave it. */
static owfp_flow *bare_flow(sh *h, int s)
{
	owfp_flow *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->engine = h->engine;
	pthread_mutex_init(&f->mu, NULL);
	f->state = (enum owfp_flow_state)s;
	atomic_store(&f->gone, s >= AB);
	f->drop_why = is_drop_state(s) ? OWFP_DROP_LIMIT : 0;
	f->dir[0].ended = f->dir[1].ended = true;
	return f;
}

static void bare_free(owfp_flow *f)
{
	pthread_mutex_destroy(&f->mu);
	free(f);
}

static void test_table_is_the_documented_one(void **state)
{
	(void)state;
	for (int a = 0; a < OWFP_FLOW_NSTATES; a++)
		for (int b = 0; b < OWFP_FLOW_NSTATES; b++)
			if (owfp_flow_state_allowed(a, b) != want[a][b])
				fail_msg("%s -> %s: allowed=%d, documented %d",
					 owfp_flow_state_name(a), owfp_flow_state_name(b),
					 owfp_flow_state_allowed(a, b), want[a][b]);
	assert_false(owfp_flow_state_allowed(O, OWFP_FLOW_NSTATES));
	assert_false(owfp_flow_state_allowed(OWFP_FLOW_NSTATES, O));
}

static void test_every_allowed_transition(void **state)
{
	sh *h = *state;
	int n = 0;
	for (int a = 0; a < OWFP_FLOW_NSTATES; a++)
		for (int b = 0; b < OWFP_FLOW_NSTATES; b++) {
			if (!want[a][b])
				continue;
			owfp_flow *f = bare_flow(h, a);
			enum owfp_drop_reason why = is_drop_state(b) ? OWFP_DROP_ABORT : 0;
			if (!owfp_flow_transition(f, b, why))
				fail_msg("%s -> %s refused", owfp_flow_state_name(a),
					 owfp_flow_state_name(b));
			assert_int_equal(f->state, b);
			assert_int_equal(atomic_load(&f->gone), b >= AB);
			if (why)
				assert_int_equal(f->drop_why, why);
			else
				assert_int_equal(f->drop_why, is_drop_state(a) ? OWFP_DROP_LIMIT : 0);
			bare_free(f);
			n++;
		}
	assert_int_equal(n, 14);
}

/* Runs the refused transition in a child: it must die of the assertion
 * (Debug) or return false and fail closed (NDEBUG). */
static void expect_refused(sh *h, int from, int to, enum owfp_drop_reason why, bool dir_ended)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The expected assertion message is noise here. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		owfp_flow *f = bare_flow(h, from);
		f->dir[0].ended = dir_ended;
		bool ok = owfp_flow_transition(f, to, why);
		bool closed = from <= P ? f->state == P && f->drop_why == OWFP_DROP_VIOLATION &&
						  f->repump
					: (int)f->state == from;
		_exit(!ok && closed ? 0 : 1);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	bool died = WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
	bool failed_closed = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!died && !failed_closed)
		fail_msg("%s -> %s (why %d) was not refused", owfp_flow_state_name(from),
			 owfp_flow_state_name(to), why);
}

static void test_every_forbidden_transition_refused(void **state)
{
	sh *h = *state;
	int n = 0;
	for (int a = 0; a < OWFP_FLOW_NSTATES; a++)
		for (int b = 0; b < OWFP_FLOW_NSTATES; b++)
			if (!want[a][b]) {
				expect_refused(h, a, b, is_drop_state(b) ? OWFP_DROP_ABORT : 0, true);
				n++;
			}
	assert_int_equal(n, 22);
}

static void test_entry_invariants_refused(void **state)
{
	sh *h = *state;
	/* A drop names its reason. */
	expect_refused(h, O, DR, 0, true);
	expect_refused(h, O, P, 0, true);
	/* ENDED only once neither direction can move bytes. */
	expect_refused(h, O, EN, 0, false);
}

/* OPEN -> ENDED -> CLOSED: both FINs through. */
static void test_flow_settles_then_closes(void **state)
{
	sh *h = *state;
	sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	assert_int_equal(f->state, O);
	sh_send(f, DIN, "x");
	assert_int_equal(owfp_flow_indicate_fin(f, DIN), 0);
	assert_int_equal(f->state, O);
	assert_int_equal(owfp_flow_indicate_fin(f, DOUT), 0);
	assert_int_equal(f->state, EN);
	assert_true(owfp_flow_finished(f));
	assert_false(owfp_flow_dropped(f));
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"y", 1, 0, 0), -EPIPE);
	owfp_flow_close(f);
}

/* OPEN -> ABORTED -> ENDED: the RST. */
static void test_flow_aborted_ends(void **state)
{
	sh *h = *state;
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "x");
	assert_int_equal(owfp_flow_indicate_abort(f, DIN), 0);
	assert_int_equal(f->state, EN);
	assert_false(owfp_flow_dropped(f));
	assert_int_equal(owfp_flow_indicate_abort(f, DOUT), -EPIPE);
	owfp_flow_close(f);
}

/* OPEN -> DROP_PENDING -> DROPPED -> ENDED: FwpsFlowAbort0 inside classifyFn. */
static void test_flow_abort_in_callback_drops_on_return(void **state)
{
	sh *h = *state;
	sh_terminating(h, sh_fn_abort);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "x");
	assert_int_equal(h->drops, 1);
	assert_int_equal(h->drop_why, OWFP_DROP_ABORT);
	assert_int_equal(f->state, EN);
	assert_true(owfp_flow_dropped(f));
	sh_expect(h, DIN, "");
	owfp_flow_close(f);
	assert_int_equal(h->drops, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_the_documented_one),
		cmocka_unit_test_setup_teardown(test_every_allowed_transition, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_every_forbidden_transition_refused,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_entry_invariants_refused, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flow_settles_then_closes, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flow_aborted_ends, sh_fixture_setup,
						sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flow_abort_in_callback_drops_on_return,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
