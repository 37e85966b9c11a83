/* The result store: one SQLite file (WAL) holding every report, keyed by the
 * artifact's sha256, the findings in their own table for queries, and the
 * sweep's memory of which registry files it has already scanned.
 *
 * One writer per process (the scan parent); readers and other processes
 * (shards on one machine) wait on the busy timeout. Every report goes in
 * one transaction together with its findings and, for a sweep, the
 * sweep_state row that marks its file done: a SIGKILL at any moment leaves
 * either all of it or none of it, so a rerun neither loses a finished
 * result nor stores one twice. */
#ifndef PT_STORE_H
#define PT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "pt_err.h"

typedef struct pt_store pt_store;

/* Default path of --db. */
#define PT_STORE_DEFAULT_PATH "./pkgtrap.db"

/* Open or create path (":memory:" works) and bring the schema up to date. */
int pt_store_open(const char *path, pt_store **out, pt_err **err);
void pt_store_close(pt_store *s);

/* Whether a report for this artifact (64 lowercase hex digits) is stored. */
int pt_store_has(pt_store *s, const char *sha256, bool *has, pt_err **err);

/* A file of a registry the sweep scanned (the key of sweep_state). */
struct pt_store_sweep_key {
  const char *ecosystem; /* "npm" | "pypi" */
  const char *registry;  /* base URL as given */
  const char *name, *version, *filename;
  const char *url;
  int64_t published; /* seconds since the epoch, 0 unknown */
};

/* Store report (schema pkgtrap/report/v1) under sha256, replacing an older
 * one, with its findings; when sk is not NULL also mark that registry file
 * done. All in one transaction. The report's package.sha256 is set to
 * sha256 if missing. */
int pt_store_put(pt_store *s, const char *sha256, json_t *report,
                 const struct pt_store_sweep_key *sk, pt_err **err);

/* Whether the sweep has already scanned this registry file. */
int pt_store_sweep_done(pt_store *s, const struct pt_store_sweep_key *sk,
                        bool *done, pt_err **err);
/* Mark a registry file done whose artifact (sha256) the store already has
 * a report for (the same file seen under another name or registry). */
int pt_store_sweep_mark(pt_store *s, const struct pt_store_sweep_key *sk,
                        const char *sha256, pt_err **err);
/* Record a failure for a registry file (fetch, hash, ...): kept for the
 * report, and the file is retried by the next sweep. */
int pt_store_sweep_error(pt_store *s, const struct pt_store_sweep_key *sk,
                         const char *msg, pt_err **err);
/* Latest publish time among files this sweep scanned (for --since last). */
int pt_store_sweep_last(pt_store *s, const char *ecosystem,
                        const char *registry, int64_t *t, pt_err **err);

/* Copy every report, finding and sweep row of the store at src_path that
 * dst lacks (the newer scan wins on a sha256 both have). One transaction. */
int pt_store_merge(pt_store *dst, const char *src_path, pt_err **err);

/* Summary for `pkgtrap report`: {"packages", "by_verdict":{verdict:n},
 * "flagged":[{"sha256","ecosystem","name","version","verdict","score",
 * "artifact","top_finding":{rule,severity,phase,summary}|null}] (worst
 * first), "rules":[{"rule","packages","findings"}] (most packages first),
 * "errors":[{"sha256","name","version","artifact","error"}],
 * "sweep":{"done","failed","failures":[{ecosystem,registry,name,version,
 * filename,error}]}}. */
int pt_store_summary(pt_store *s, json_t **out, pt_err **err);

/* Rank of a severity word, higher is worse (critical 5 ... info 1, other
 * 0), and the worst finding of a report (borrowed, or NULL). */
int pt_store_severity_rank(const char *sev);
json_t *pt_store_top_finding(json_t *report);

/* Number of stored reports (tests). */
int pt_store_count(pt_store *s, int64_t *n, pt_err **err);

#endif
