/* Journal-friendly stderr lines (host/logprio.h). */
#include "host/logprio.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool journal;
static pthread_once_t journal_once = PTHREAD_ONCE_INIT;

/* $JOURNAL_STREAM is inherited by children whose stderr may be elsewhere:
 * only a match with our own stderr's device and inode counts. */
static void journal_check(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0)
		journal = (unsigned long long)st.st_dev == dev &&
			  (unsigned long long)st.st_ino == ino;
}

bool owfp_log_to_journal(void)
{
	pthread_once(&journal_once, journal_check);
	return journal;
}

int owfp_log_prio_of(enum owfp_log_level lvl)
{
	switch (lvl) {
	case OWFP_LOG_ERROR:
		return OWFP_LOG_PRIO_ERR;
	case OWFP_LOG_WARN:
		return OWFP_LOG_PRIO_WARNING;
	case OWFP_LOG_INFO:
		return OWFP_LOG_PRIO_INFO;
	default:
		return OWFP_LOG_PRIO_DEBUG;
	}
}

void owfp_log_line(int prio, const char *who, const char *msg)
{
	char line[2048];

	if (!owfp_log_to_journal()) {
		fprintf(stderr, "%s: %s\n", who, msg);
		return;
	}
	snprintf(line, sizeof(line), "<%d>%s: %s", prio, who, msg);
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s\n", line);
}
