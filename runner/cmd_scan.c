/* pkgtrap scan: triage every artifact under PATH... in parallel, results
 * in the SQLite store (resumable) and optionally as JSON lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_cli.h"
#include "scan.h"
#include "store.h"

static const char scan_usage[] =
    "Usage: pkgtrap scan [OPTION]... PATH...\n"
    "Triage every artifact (*.whl, *.tar.gz, *.tgz, *.zip) under each PATH\n"
    "(directories are walked), several at a time, each in its own jail. The\n"
    "batch's artifacts serve as dependencies of one another. Results go to\n"
    "the store; what it already holds (same sha256) is skipped.\n"
    "\n"
    "  -j, --jobs N          parallel triages (default: number of CPUs)\n"
    "  --db FILE             SQLite store (default ./pkgtrap.db)\n"
    "  --jsonl FILE          also write each report as a JSON line (- stdout)\n"
    "  --deps DIR            dependencies directory (default: the batch)\n"
    "  --rescan              scan again what the store already has\n"
    "  --phase-timeout S     per-phase time limit passed to triage\n"
    "  --budget S            per-package time budget passed to triage\n"
    "  --progress MODE       bar, lines or none (default: bar on a terminal)\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit status: 0 all clean, 1 any suspicious or malicious, 2 any error.\n";

enum { OPT_DB = 256, OPT_JSONL, OPT_DEPS, OPT_RESCAN, OPT_PHASE, OPT_BUDGET,
       OPT_PROGRESS };

static const struct option scan_opts[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"db", required_argument, NULL, OPT_DB},
    {"jsonl", required_argument, NULL, OPT_JSONL},
    {"deps", required_argument, NULL, OPT_DEPS},
    {"rescan", no_argument, NULL, OPT_RESCAN},
    {"phase-timeout", required_argument, NULL, OPT_PHASE},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

bool pt_scan_parse_num(const char *opt, const char *s, unsigned long long max,
                        unsigned long long *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end != '\0' || v == 0 || v > max || s[0] == '-') {
    fprintf(stderr, "pkgtrap: %s: `%s` is not a number from 1 to %llu\n", opt,
            s, max);
    return false;
  }
  *out = v;
  return true;
}

int pt_scan_parse_progress(const char *s) {
  if (strcmp(s, "bar") == 0)
    return 1;
  if (strcmp(s, "lines") == 0)
    return 0;
  if (strcmp(s, "none") == 0)
    return 2;
  if (strcmp(s, "auto") == 0)
    return -1;
  fprintf(stderr, "pkgtrap: --progress: `%s` is not bar, lines, none or auto\n",
          s);
  return -2;
}

FILE *pt_scan_open_jsonl(const char *path) {
  if (path == NULL)
    return NULL;
  if (strcmp(path, "-") == 0)
    return stdout;
  /* Append: a resumed scan adds to the stream of the killed one. */
  FILE *f = fopen(path, "ae");
  if (f == NULL)
    fprintf(stderr, "pkgtrap: --jsonl `%s`: %s\n", path, strerror(errno));
  return f;
}

int pt_cmd_scan_with(int argc, char **argv, pt_scan_triage_fn triage) {
  struct pt_scan_opts o = {.triage = triage, .progress = -1};
  const char *db = PT_STORE_DEFAULT_PATH, *jsonl = NULL;
  unsigned long long v;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "+j:h", scan_opts, NULL)) != -1) {
    switch (c) {
    case 'j':
      if (!pt_scan_parse_num("--jobs", optarg, 1024, &v))
        return 2;
      o.jobs = (unsigned)v;
      break;
    case OPT_DB:
      db = optarg;
      break;
    case OPT_JSONL:
      jsonl = optarg;
      break;
    case OPT_DEPS:
      o.deps_dir = optarg;
      break;
    case OPT_RESCAN:
      o.rescan = true;
      break;
    case OPT_PHASE:
      if (!pt_scan_parse_num("--phase-timeout", optarg, 86400, &v))
        return 2;
      o.phase_timeout_ms = v * 1000;
      break;
    case OPT_BUDGET:
      if (!pt_scan_parse_num("--budget", optarg, 7 * 86400, &v))
        return 2;
      o.total_budget_ms = v * 1000;
      break;
    case OPT_PROGRESS:
      if ((o.progress = pt_scan_parse_progress(optarg)) == -2)
        return 2;
      break;
    case 'h':
      fputs(scan_usage, stdout);
      return 0;
    default:
      fputs(scan_usage, stderr);
      return 2;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "pkgtrap scan: no PATH\n%s", scan_usage);
    return 2;
  }
  if (triage == NULL) {
    fprintf(stderr, "pkgtrap scan: this build has no triage\n");
    return 2;
  }
  pt_err *err = NULL;
  struct pt_scan_item *items = NULL;
  size_t n = 0;
  for (int i = optind; i < argc; i++)
    if (pt_scan_collect(argv[i], &items, &n, &err) < 0) {
      pt_err_print(err);
      pt_scan_items_free(items, n);
      return 2;
    }
  if (n == 0)
    fprintf(stderr, "pkgtrap scan: no artifacts found\n");
  pt_store *store = NULL;
  if (pt_store_open(db, &store, &err) < 0) {
    pt_err_print(err);
    pt_scan_items_free(items, n);
    return 2;
  }
  o.store = store;
  o.jsonl = pt_scan_open_jsonl(jsonl);
  int rc = 2;
  if (jsonl && o.jsonl == NULL)
    goto out;
  struct pt_scan_stats st;
  if (pt_scan_run(&o, items, n, &st, &err) < 0) {
    pt_err_print(err);
    goto out;
  }
  rc = pt_scan_exit_status(&st);
out:
  if (o.jsonl && o.jsonl != stdout)
    fclose(o.jsonl);
  pt_store_close(store);
  pt_scan_items_free(items, n);
  return rc;
}

int pt_cmd_scan(int argc, char **argv) {
  return pt_cmd_scan_with(argc, argv, pt_scan_triage);
}
