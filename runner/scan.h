/* Batch driver shared by `pkgtrap scan` and `pkgtrap sweep`: N artifacts,
 * J workers, one forked child per artifact running triage, the parent the
 * single writer of the store and of --jsonl.
 *
 * Triage is called through a function pointer so the driver does not
 * depend on how triage is built (tests plug in a stub). */
#ifndef PT_SCAN_H
#define PT_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "pt_err.h"
#include "store.h"

/* The triage entry point's options. When the triage module's header is
 * there, its definition is the one; this copy (same layout) only lets the
 * batch code build and be tested on its own. */
#if defined(__has_include)
#if __has_include("triage.h")
#include "triage.h"
#define PT_SCAN_HAVE_TRIAGE_H 1
#endif
#endif
#ifndef PT_SCAN_HAVE_TRIAGE_H
struct pt_npm_dep;
struct pt_triage_opts {
  const char *deps_dir;   /* local dependencies (find-links / registry dir) */
  const struct pt_npm_dep *npm_deps;
  size_t n_npm_deps;
  uint64_t phase_timeout_ms, total_budget_ms;
  const char *trace_path; /* NULL: no trace */
};
#endif

/* Same signature as pt_triage_report(): 0 with *report_out set (also for
 * verdict "error"), or -1 with *err when no report could be made. */
typedef int (*pt_scan_triage_fn)(const char *artifact,
                                 const struct pt_triage_opts *o,
                                 json_t **report_out, pt_err **err);

/* The triage used by the verbs (pkgtrap scan / sweep). NULL until the CLI
 * sets it (main: `pt_scan_triage = pt_triage_report;`). */
extern pt_scan_triage_fn pt_scan_triage;

/* An index of the deps dir's npm tarballs (triage.h: pt_npm_deps_index),
 * made once per scan before the first fork and passed to every triage
 * (opts.npm_deps), instead of each triage inspecting every tarball again;
 * and its free. Set by the CLI with pt_scan_triage; NULL: no index. */
extern int (*pt_scan_deps_index)(const char *dir, struct pt_npm_dep **out,
                                 size_t *n);
extern void (*pt_scan_deps_free)(struct pt_npm_dep *d, size_t n);

struct pt_scan_item {
  char *path;        /* artifact file */
  char sha256[65];   /* filled by pt_scan_run when empty */
  /* Sweep: mark this registry file done in the same transaction as its
   * report. NULL for scan. */
  const struct pt_store_sweep_key *sweep;
};

struct pt_scan_opts {
  pt_scan_triage_fn triage;
  pt_store *store;       /* results go here (required) */
  FILE *jsonl;           /* each report as one line, NULL for none */
  unsigned jobs;         /* parallel children, 0: number of CPUs */
  const char *deps_dir;  /* NULL: a temp dir linking the batch's artifacts */
  bool rescan;           /* scan even what the store already has */
  uint64_t phase_timeout_ms, total_budget_ms; /* 0: triage's defaults */
  /* A child still running this long after total_budget_ms is killed and
   * recorded as an error (0: default 10 minutes, or 1 hour + budget). */
  uint64_t kill_after_ms;
  size_t report_cap;     /* largest report accepted from a child (bytes) */
  int progress;          /* -1 auto (bar on a tty), 0 lines, 1 bar, 2 none */
  const char *label;     /* prefix of progress lines, NULL none */
};

struct pt_scan_stats {
  unsigned total;   /* items given */
  unsigned skipped; /* already stored (resume) */
  unsigned scanned; /* reports stored */
  unsigned clean, suspicious, malicious, errors;
};

/* Scan items. Returns -1 only when the batch itself could not run (store
 * unwritable, no memory); a failing artifact becomes an "error" report. */
int pt_scan_run(const struct pt_scan_opts *o, struct pt_scan_item *items,
                size_t n, struct pt_scan_stats *st, pt_err **err);

/* clamscan-style exit status of a batch: 2 any error, 1 any flagged,
 * else 0. */
int pt_scan_exit_status(const struct pt_scan_stats *st);

/* Artifacts under path (a file, or a directory walked recursively, not
 * following symlinked directories): *.whl, *.tar.gz, *.tgz, *.zip. Appends
 * to *items (*n entries, grows). */
int pt_scan_collect(const char *path, struct pt_scan_item **items, size_t *n,
                    pt_err **err);
void pt_scan_items_free(struct pt_scan_item *items, size_t n);

/* sha256 of a file as lowercase hex. */
int pt_scan_sha256_file(const char *path, char out[65], pt_err **err);

/* A report for an artifact triage could not handle (verdict "error"). */
json_t *pt_scan_error_report(const char *artifact, const char *sha256,
                             const char *msg);

#endif
