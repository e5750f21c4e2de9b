/* Runs a command and writes what it cost: wall time, user and system CPU
 * time (microseconds) and peak resident set size (KB), as one line
 *     wall_us=N user_us=N sys_us=N maxrss_kb=N
 * to FILE. GNU time gives the same figures but only to 10 ms, and a replay
 * of a few hundred MB takes around 100 ms; CPU time matters because on a
 * shared 2-core machine the wall clock also counts other people's work.
 * usage: rusage_run FILE COMMAND [ARG...]   (exit status: the command's) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t tv_us(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: %s FILE COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("rusage_run: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rusage_run: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage_run: wait4");
			return 125;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "rusage_run: %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	fprintf(out, "wall_us=%lld user_us=%lld sys_us=%lld maxrss_kb=%ld\n",
		(long long)((t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000),
		(long long)tv_us(ru.ru_utime), (long long)tv_us(ru.ru_stime), ru.ru_maxrss);
	fclose(out);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
