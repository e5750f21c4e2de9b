/* The segmentation check (see resegment.h): runs and comparison. */
#include "replay/resegment.h"
#include "util/alloc.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* One flow direction of one run, from --extract's flows.tsv. */
typedef struct row {
	uint64_t flow;
	char name[160]; /* SRC.SPORT-DST.DPORT */
	char bytes[24], sha[72], end[16];
} row;

/* Where a flow was dropped: the direction whose indication got the first
 * DROP_CONNECTION, and that indication's stream offsets [start, end). */
typedef struct dropinfo {
	int dir; /* 0 client->server, 1 server->client, -1 unknown */
	uint64_t start, end;
	char c2s[160]; /* name of the client->server row (from flow_start) */
} dropinfo;

typedef struct run {
	row *rows;
	size_t nrows;
	char **outcome; /* per flow id (index id-1): "drop:NAME allow:NAME", or NULL */
	dropinfo *drop; /* per flow id (index id-1) */
	size_t noutcome;
	char dir[4200]; /* the --extract directory */
} run;

static void run_free(run *r)
{
	free(r->rows);
	for (size_t i = 0; i < r->noutcome; i++)
		free(r->outcome[i]);
	free(r->outcome);
	free(r->drop);
	memset(r, 0, sizeof(*r));
}

static int read_rows(const char *dir, run *r)
{
	char path[4200], line[1024];
	if ((size_t)snprintf(path, sizeof(path), "%.4000s/flows.tsv", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		row x;
		char id[24], src[64], sport[16], dst[64], dport[16], *idend;
		if (sscanf(line, "%23s %63s %15s %63s %15s %23s %71s %15s", id, src, sport, dst,
			   dport, x.bytes, x.sha, x.end) != 8)
			continue;
		x.flow = strtoull(id, &idend, 10);
		if (idend == id || *idend)
			continue; /* the header */
		snprintf(x.name, sizeof(x.name), "%s.%s-%s.%s", src, sport, dst, dport);
		if (r->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			row *n = owfp_realloc(r->rows, cap * sizeof(row));
			if (!n) {
				fclose(f);
				return -ENOMEM;
			}
			r->rows = n;
		}
		r->rows[r->nrows++] = x;
	}
	fclose(f);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* flow_start: the client->server row's name, and which side is local. */
static void flow_start(json_t *o, dropinfo *d)
{
	json_t *c = json_object_get(o, "client"), *s = json_object_get(o, "server");
	const char *local = json_string_value(json_object_get(o, "local"));

	const char *ca = json_string_value(json_object_get(c, "addr"));
	const char *sa = json_string_value(json_object_get(s, "addr"));

	snprintf(d->c2s, sizeof(d->c2s), "%s.%d-%s.%d", ca ? ca : "?",
		 (int)json_integer_value(json_object_get(c, "port")), sa ? sa : "?",
		 (int)json_integer_value(json_object_get(s, "port")));
	/* dir holds -2 (local = server) until a drop says which way it went. */
	if (local && !strcmp(local, "server"))
		d->dir = -2;
}

/* The first DROP_CONNECTION: its direction (outbound is the local side's
 * data) and the stream offsets of the indication it answered. */
static void first_drop(json_t *o, dropinfo *d)
{
	const char *dir = json_string_value(json_object_get(o, "dir"));
	bool local_is_server = d->dir == -2;

	if (!dir)
		return;
	bool outbound = !strcmp(dir, "outbound");
	d->dir = outbound != local_is_server ? 0 : 1;
	d->start = (uint64_t)json_integer_value(json_object_get(o, "offset"));
	d->end = d->start + (uint64_t)json_integer_value(json_object_get(o, "bytes"));
}

/* Per flow: which callouts answered DROP_CONNECTION or ALLOW_CONNECTION,
 * whether the flow was dropped, and contract violations. */
static int read_outcomes(const char *path, run *r)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	char *line = NULL;
	size_t len = 0;
	char **items = NULL;
	size_t nitems = 0;
	uint64_t *ids = NULL;
	dropinfo *drops = NULL;
	size_t ndrops = 0;
	while (getline(&line, &len, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		const char *ev = json_string_value(json_object_get(o, "event"));
		json_int_t id = json_integer_value(json_object_get(o, "flow"));
		const char *sa = json_string_value(json_object_get(o, "stream_action"));
		const char *who = json_string_value(json_object_get(o, "callout"));
		const char *what = NULL;
		if (ev && id > 0 && (size_t)id > ndrops) {
			dropinfo *nd = owfp_realloc(drops, (size_t)id * 2 * sizeof(*drops));
			if (nd) {
				for (size_t i = ndrops; i < (size_t)id * 2; i++)
					nd[i] = (dropinfo){.dir = -1};
				drops = nd;
				ndrops = (size_t)id * 2;
			}
		}
		dropinfo *d = ev && id > 0 && (size_t)id <= ndrops ? &drops[id - 1] : NULL;
		if (d && !strcmp(ev, "flow_start"))
			flow_start(o, d);
		else if (d && d->dir < 0 && !strcmp(ev, "decision") && sa &&
			 !strcasecmp(sa, "drop_connection"))
			first_drop(o, d);
		if (!ev || id <= 0)
			what = NULL;
		else if (!strcmp(ev, "drop"))
			what = "dropped";
		else if (!strcmp(ev, "violation"))
			what = "violation";
		else if (!strcmp(ev, "decision") && sa && !strcasecmp(sa, "drop_connection"))
			what = "drop";
		else if (!strcmp(ev, "decision") && sa && !strcasecmp(sa, "allow_connection"))
			what = "allow";
		if (what) {
			char buf[256];
			if (!strcmp(what, "dropped") || !who)
				snprintf(buf, sizeof(buf), "%s", what);
			else
				snprintf(buf, sizeof(buf), "%s:%s", what, who);
			char **ni = owfp_realloc(items, (nitems + 1) * sizeof(*items));
			uint64_t *nd = owfp_realloc(ids, (nitems + 1) * sizeof(*ids));
			if (ni)
				items = ni;
			if (nd)
				ids = nd;
			if (ni && nd && (items[nitems] = owfp_strdup(buf)))
				ids[nitems++] = (uint64_t)id;
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	for (size_t i = 0; i < nitems; i++)
		if (ids[i] > r->noutcome)
			r->noutcome = ids[i];
	r->outcome = owfp_calloc(r->noutcome + 1, sizeof(char *));
	r->drop = owfp_calloc(r->noutcome + 1, sizeof(dropinfo));
	for (size_t i = 0; r->drop && i < r->noutcome; i++)
		r->drop[i] = i < ndrops ? drops[i] : (dropinfo){.dir = -1};
	free(drops);
	for (uint64_t id = 1; r->outcome && id <= r->noutcome; id++) {
		char *set[64];
		size_t n = 0;
		for (size_t i = 0; i < nitems && n < 64; i++)
			if (ids[i] == id)
				set[n++] = items[i];
		if (!n)
			continue;
		qsort(set, n, sizeof(set[0]), cmpstr);
		size_t total = 1;
		for (size_t i = 0; i < n; i++)
			total += strlen(set[i]) + 1;
		char *s = owfp_calloc(1, total);
		for (size_t i = 0; s && i < n; i++) {
			if (i && !strcmp(set[i], set[i - 1]))
				continue; /* the same decision again (e.g. both directions) */
			strcat(s, *s ? " " : "");
			strcat(s, set[i]);
		}
		r->outcome[id - 1] = s;
	}
	for (size_t i = 0; i < nitems; i++)
		free(items[i]);
	free(items);
	free(ids);
	return r->outcome && r->drop ? 0 : -ENOMEM;
}

static const char *outcome_of(const run *r, uint64_t id)
{
	const char *s = id && id <= r->noutcome ? r->outcome[id - 1] : NULL;
	return s ? s : "(none)";
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	(void)remove(path); /* best effort: keep going */
	return 0;
}

/* Removes our own mkdtemp directory and what we wrote in it. */
static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes the capture for run k and replays it into dir/run-k. */
static int one_run(const owfp_replay_opts *o, const char *capture, const char *dir, unsigned k,
		   uint64_t seed, run *r, owfp_reseg_log *log, owfp_error *err)
{
	char pcap[4200], ext[4200], ev[4200];
	snprintf(pcap, sizeof(pcap), "%s/run-%u.pcap", dir, k);
	snprintf(ext, sizeof(ext), "%s/run-%u", dir, k);
	snprintf(ev, sizeof(ev), "%s/run-%u.jsonl", dir, k);
	int rc = owfp_reseg_write(capture, o, pcap, k > 0, seed, log, err);
	if (rc)
		return rc;
	owfp_replay_opts o2 = *o;
	const char *caps[1] = {pcap};
	o2.captures = caps;
	o2.ncaptures = 1;
	o2.extract_dir = ext;
	o2.events_path = ev;
	o2.verbosity = -1;
	o2.progress = false;
	/* The reference is replayed as the user asked (segments merged by
	 * default, Q19); random cuts one indication per segment, so the check
	 * compares the merged indications against every cut (docs/replay.md). */
	if (k > 0)
		o2.segments = true;
	owfp_replay_report *rep = NULL;
	rc = owfp_replay_run(&o2, &rep, err);
	owfp_replay_report_free(rep);
	if (rc)
		return -EINVAL;
	snprintf(r->dir, sizeof(r->dir), "%s", ext);
	if ((rc = read_rows(ext, r)) || (rc = read_outcomes(ev, r))) {
		snprintf(err->msg, sizeof(err->msg), "%s: reading the results of run %u failed",
			 capture, k);
		return rc;
	}
	return 0;
}

static const owfp_reseg_flow *cuts_of(const owfp_reseg_log *log, uint64_t id)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->flows[i].id == id)
			return &log->flows[i];
	return NULL;
}

static const row *row_of(const run *r, uint64_t id, const char *name)
{
	for (size_t j = 0; j < r->nrows; j++)
		if (r->rows[j].flow == id && !strcmp(r->rows[j].name, name))
			return &r->rows[j];
	return NULL;
}

/* Whether the bytes both runs delivered in one direction agree as far as
 * the shorter goes. A name that several flows share has extract files
 * named by order of appearance (NAME~2 ...): not known, so false. */
static bool same_prefix(const run *ref, const run *r, const char *name)
{
	size_t uses = 0;
	for (size_t j = 0; j < ref->nrows; j++)
		uses += !strcmp(ref->rows[j].name, name);
	if (uses != 1)
		return false;
	char pa[4400], pb[4400];
	snprintf(pa, sizeof(pa), "%s/%s", ref->dir, name);
	snprintf(pb, sizeof(pb), "%s/%s", r->dir, name);
	enum { CHUNK = 65536 };
	FILE *a = fopen(pa, "rb"), *b = fopen(pb, "rb");
	unsigned char *ba = owfp_malloc(CHUNK), *bb = owfp_malloc(CHUNK);
	bool same = a && b && ba && bb;
	while (same) {
		size_t na = fread(ba, 1, CHUNK, a), nb = fread(bb, 1, CHUNK, b);
		size_t n = na < nb ? na : nb;
		if (memcmp(ba, bb, n))
			same = false;
		if (na != nb || !n)
			break; /* one of them ended: agreed as far as the shorter goes */
	}
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	free(ba);
	free(bb);
	return same;
}

static const dropinfo *drop_of(const run *r, uint64_t id)
{
	return id && id <= r->noutcome && r->drop ? &r->drop[id - 1] : NULL;
}

/*
 * Why flow `id` of run `r` differs from the reference in a way that shows a
 * dependence on segmentation, or NULL when it only let a different number
 * of bytes through before a drop both runs made (docs/semantics.md, "The segmentation
 * check": rules 1-4 there are the returns here in order).
 */
static const char *real_difference(const run *ref, const run *r, uint64_t id)
{
	const char *oa = outcome_of(ref, id), *ob = outcome_of(r, id);

	if (strcmp(oa, ob))
		return "a different decision";
	for (size_t m = 0; m < ref->nrows; m++) {
		const row *x = &ref->rows[m], *y;
		if (x->flow != id)
			continue;
		if (!(y = row_of(r, id, x->name)))
			return "a direction is missing";
		if (!strcmp(x->sha, y->sha) && !strcmp(x->end, y->end))
			continue;
		if (!strstr(oa, "dropped"))
			return "different bytes delivered on a flow that was not dropped";
		if (!same_prefix(ref, r, x->name))
			return "different bytes delivered before the drop";
		/* In the direction the drop was decided on: the reference's callout
		 * had seen up to `end` when it dropped; bytes past that got
		 * through only because this run's callout decided otherwise. */
		const dropinfo *d = drop_of(ref, id);
		int dir = d && d->dir >= 0 ? (strcmp(x->name, d->c2s) ? 1 : 0) : -1;
		if (d && d->dir >= 0 && dir == d->dir && strtoull(y->bytes, NULL, 10) > d->end)
			return "bytes delivered past the offset where the reference dropped";
	}
	return NULL;
}

static void report_rows(const run *ref, const run *r, uint64_t id, FILE *out)
{
	bool dropped = strstr(outcome_of(ref, id), "dropped") != NULL;

	for (size_t m = 0; m < ref->nrows; m++) {
		const row *x = &ref->rows[m], *y;
		if (x->flow != id)
			continue;
		y = row_of(r, id, x->name);
		const char *how = "";
		if (y && strcmp(x->sha, y->sha))
			how = dropped && same_prefix(ref, r, x->name)
				      ? ", the same bytes as far as both go"
				      : ", content differs";
		fprintf(out, "  %s: %s bytes (%s), reference %s bytes (%s)%s\n", x->name,
			y ? y->bytes : "?", y ? y->end : "missing", x->bytes, x->end, how);
	}
}

static void report_drops(const run *ref, const run *r, uint64_t id, FILE *out)
{
	const dropinfo *a = drop_of(ref, id), *b = drop_of(r, id);
	static const char *const dn[2] = {"client->server", "server->client"};

	if (a && a->dir >= 0 && b && b->dir >= 0)
		fprintf(out, "  dropped on %s bytes %llu..%llu, reference on %s bytes %llu..%llu\n",
			dn[b->dir], (unsigned long long)b->start, (unsigned long long)b->end,
			dn[a->dir], (unsigned long long)a->start, (unsigned long long)a->end);
}

/* Reports the flows of `r` that differ from the reference: those that show
 * a dependence (returned) and, once per flow, those that only let a
 * different number of bytes through before the same drop (*before_drop). */
static size_t compare(const run *ref, const run *r, const owfp_reseg_log *log, const char *capture,
		      unsigned k, uint64_t seed, bool *reported, bool *noted, size_t *before_drop,
		      FILE *out)
{
	size_t ndiff = 0;
	for (size_t i = 0; i < ref->nrows; i++) {
		const row *a = &ref->rows[i], *b = row_of(r, a->flow, a->name);
		bool bytes_differ = !b || strcmp(a->sha, b->sha) != 0 || strcmp(a->end, b->end) != 0;
		bool outcome_differs = strcmp(outcome_of(ref, a->flow), outcome_of(r, a->flow)) != 0;
		if (!bytes_differ && !outcome_differs)
			continue;
		uint64_t id = a->flow;
		if (!id || id > ref->nrows || reported[id - 1])
			continue;
		const char *why = real_difference(ref, r, id);
		if (!why) {
			if (noted[id - 1])
				continue;
			noted[id - 1] = true;
			(*before_drop)++;
			fprintf(out,
				"%s: flow %lu let a different number of bytes through before the "
				"same drop in run %u (--resegment 1 --seed %lu); not a dependence:\n",
				capture, (unsigned long)id, k, (unsigned long)seed);
			report_rows(ref, r, id, out);
			report_drops(ref, r, id, out);
			continue;
		}
		reported[id - 1] = true;
		ndiff++;
		fprintf(out, "%s: flow %lu differs in run %u (--resegment 1 --seed %lu): %s\n",
			capture, (unsigned long)id, k, (unsigned long)seed, why);
		report_rows(ref, r, id, out);
		fprintf(out, "  decisions: %s; reference: %s\n", outcome_of(r, id),
			outcome_of(ref, id));
		report_drops(ref, r, id, out);
		const owfp_reseg_flow *c = cuts_of(log, id);
		if (c) {
			fprintf(out, "  segments client->server (%zu): %s\n", c->ncuts[0],
				c->cuts[0] ? c->cuts[0] : "-");
			fprintf(out, "  segments server->client (%zu): %s\n", c->ncuts[1],
				c->cuts[1] ? c->cuts[1] : "-");
		}
	}
	return ndiff;
}

int owfp_replay_resegment(const owfp_replay_opts *o, unsigned runs, uint64_t seed, FILE *out,
			  owfp_error *err)
{
	char dir[] = "/tmp/owfp-resegment-XXXXXX";
	if (!mkdtemp(dir)) {
		snprintf(err->msg, sizeof(err->msg), "cannot create a work directory: %s",
			 strerror(errno));
		return OWFP_REPLAY_BAD_INPUT;
	}
	size_t total_diff = 0, total_flows = 0, total_before_drop = 0;
	int status = 0;
	for (size_t c = 0; c < o->ncaptures && !status; c++) {
		const char *capture = o->captures[c];
		run ref = {0};
		owfp_reseg_log reflog = {0};
		if (one_run(o, capture, dir, 0, 0, &ref, &reflog, err)) {
			status = OWFP_REPLAY_BAD_INPUT;
			run_free(&ref); /* rows may be read before the outcomes fail */
			owfp_reseg_log_free(&reflog);
			break;
		}
		owfp_reseg_log_free(&reflog);
		bool *reported = owfp_calloc(ref.nrows + 1, sizeof(bool));
		bool *noted = owfp_calloc(ref.nrows + 1, sizeof(bool));
		for (unsigned k = 1; k <= runs && reported && noted; k++) {
			run r = {0};
			owfp_reseg_log log = {0};
			uint64_t s = seed + k - 1;
			if (one_run(o, capture, dir, k, s, &r, &log, err)) {
				status = OWFP_REPLAY_BAD_INPUT;
			} else {
				total_diff += compare(&ref, &r, &log, capture, k, s, reported,
						      noted, &total_before_drop, out);
			}
			run_free(&r);
			owfp_reseg_log_free(&log);
			if (status)
				break;
		}
		size_t flows = 0;
		for (size_t i = 0; i < ref.nrows; i++)
			if (ref.rows[i].flow > flows)
				flows = ref.rows[i].flow;
		total_flows += flows;
		free(reported);
		free(noted);
		run_free(&ref);
	}
	rm_tree(dir);
	if (status)
		return status;
	fprintf(out,
		"resegment: %zu flow%s, %u run%s of random segments (seeds %lu..%lu): %zu "
		"flow%s differ%s",
		total_flows, total_flows == 1 ? "" : "s", runs, runs == 1 ? "" : "s",
		(unsigned long)seed, (unsigned long)(seed + runs - 1), total_diff,
		total_diff == 1 ? "" : "s", total_diff == 1 ? "s" : "");
	if (total_before_drop)
		fprintf(out,
			"; %zu only in how many bytes got through before the same drop "
			"(not a dependence)",
			total_before_drop);
	fputc('\n', out);
	return total_diff ? OWFP_RESEGMENT_DIFFERS : 0;
}
