/* Runs the compiler and the linker: prints the command with -v, passes
 * their messages through and keeps a copy for openwfp-cc's hints. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc/driver.h"

extern char **environ;

/*
 * SIGINT/SIGTERM/SIGHUP must not kill openwfp-cc between two steps: its
 * private temporary directory would stay behind. The handler only records
 * the signal and passes it to the compiler running now; the build then
 * fails as that step does, removes its directory, and main re-raises the
 * signal so the caller (make) sees what killed it.
 */
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t running_pid;

static void on_signal(int sig)
{
	got_signal = sig;
	if (running_pid > 0)
		kill((pid_t)running_pid, sig);
}

void cc_signals_install(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int cc_signal_pending(void)
{
	return got_signal;
}

static void print_command(char *const *argv)
{
	fputs("openwfp-cc:", stderr);
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];

		if (a[0] && !a[strcspn(a, " \t\n'\"\\$`*?;&|<>()[]{}")])
			fprintf(stderr, " %s", a);
		else {
			fputs(" '", stderr);
			for (; *a; a++)
				fputs(*a == '\'' ? "'\\''" : (char[2]){*a, 0}, stderr);
			fputs("'", stderr);
		}
	}
	fputs("\n", stderr);
}

int cc_spawn(char *const *argv, bool verbose, char **errtext)
{
	posix_spawn_file_actions_t fa;
	cc_buf text = {0};
	int fds[2], status, rc;
	pid_t pid;
	char chunk[4096];
	ssize_t r;

	if (errtext)
		*errtext = NULL;
	if (got_signal)
		return 128 + got_signal; /* interrupted before this step */
	if (verbose)
		print_command(argv);
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (!rc) {
		running_pid = pid;
		if (got_signal) /* arrived while spawning: the handler saw no child */
			kill(pid, got_signal);
	}
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return -rc;
	}
	while ((r = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		fwrite(chunk, 1, (size_t)r, stderr);
		cc_buf_add(&text, chunk, (size_t)r);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			running_pid = 0;
			cc_buf_free(&text);
			return -errno;
		}
	running_pid = 0;
	if (errtext)
		*errtext = cc_buf_take(&text);
	else
		cc_buf_free(&text);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
