/*
 * Log lines on stderr in a form the systemd journal keeps well: one line
 * per event and, when stderr is the journal (systemd sets $JOURNAL_STREAM
 * to stderr's "device:inode"), a "<N>" syslog priority prefix that
 * journald turns into the entry's PRIORITY (sd-daemon(3)). On a terminal
 * or a file the line is written as before, without the prefix.
 */
#ifndef OWFP_HOST_LOGPRIO_H
#define OWFP_HOST_LOGPRIO_H

#include <stdbool.h>

#include "openwfp/openwfp.h"

/* syslog(3) priorities, as the journal reads them. */
enum {
	OWFP_LOG_PRIO_ERR = 3,
	OWFP_LOG_PRIO_WARNING = 4,
	OWFP_LOG_PRIO_NOTICE = 5,
	OWFP_LOG_PRIO_INFO = 6,
	OWFP_LOG_PRIO_DEBUG = 7
};

/* True when stderr is the journal's stream (checked once per process). */
bool owfp_log_to_journal(void);

/* The priority of an engine log level. */
int owfp_log_prio_of(enum owfp_log_level lvl);

/* Writes "[<prio>]who: msg\n" to stderr in one write; toward the journal,
 * newlines inside msg become spaces so one event stays one entry. */
void owfp_log_line(int prio, const char *who, const char *msg);

#endif /* OWFP_HOST_LOGPRIO_H */
