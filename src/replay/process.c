/*
 * --process PORT=[PID:]PATH: which local program a replayed flow belongs
 * to. A capture records no processes (see docs/porting.md "Flow
 * metadata" for pcapng process blocks), so the user says it: flows whose
 * local port is PORT get PATH (and PID) as their ALE_FLOW_ESTABLISHED
 * PROCESS_PATH / ALE_APP_ID (and PROCESS_ID).
 */
#include "replay/replay.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int owfp_replay_parse_process(const char *text, owfp_replay_process *out)
{
	const char *eq = strchr(text, '='), *p;
	char *end;
	unsigned long port;
	unsigned long long pid = 0;

	memset(out, 0, sizeof(*out));
	if (!eq || eq == text || text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	port = strtoul(text, &end, 10);
	if (errno || end != eq || port == 0 || port > 65535)
		return -EINVAL;
	p = eq + 1;
	if (*p >= '0' && *p <= '9') {
		pid = strtoull(p, &end, 10);
		if (errno || *end != ':' || pid == 0)
			return -EINVAL;
		p = end + 1;
	}
	if (p[0] != '/')
		return -EINVAL;
	out->port = (uint16_t)port;
	out->pid = pid;
	out->path = p;
	if (strlen(p) < sizeof(out->resolved) && realpath(p, out->resolved))
		out->path = out->resolved;
	return 0;
}

/* The last --process for the flow's local port wins, as later options do. */
void owfp_replay_process_apply(const owfp_replay_opts *o, owfp_flow_key *key)
{
	for (size_t i = o->nprocesses; i > 0; i--)
		if (o->processes[i - 1].port == key->local_port) {
			key->process_id = o->processes[i - 1].pid;
			key->process_path = o->processes[i - 1].path;
			return;
		}
}
