/* pkgtrap report: what one or several stores hold — counts by verdict, the
 * flagged packages with their worst finding, counts per rule, errors, and
 * the sweep's failures. Several --db (one per shard) are merged first. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan_cli.h"
#include "store.h"

static const char report_usage[] =
    "Usage: pkgtrap report --db FILE [--db FILE]... [--json] [--merge-into OUT]\n"
    "Summarise stores: counts by verdict, flagged packages with their worst\n"
    "finding, counts per rule, errors, sweep failures. Several stores (the\n"
    "shards of one sweep) are merged: in memory, or into OUT (created if\n"
    "missing, kept) with --merge-into; where two stores hold the same\n"
    "artifact, the later scan wins.\n"
    "\n"
    "  --db FILE          a store (repeatable; default ./pkgtrap.db)\n"
    "  --json             the summary as one JSON object\n"
    "  --merge-into OUT   merge every --db into the store OUT and report it\n"
    "  --flagged-limit N  flagged packages listed in text (default 100)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status (as clamscan's): 0 when no package is flagged, 1 when one\n"
    "is (suspicious or malicious), 2 when a store cannot be read.\n";

enum { OPT_DB = 256, OPT_JSON, OPT_MERGE, OPT_LIMIT };
static const struct option report_opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"json", no_argument, NULL, OPT_JSON},
    {"merge-into", required_argument, NULL, OPT_MERGE},
    {"flagged-limit", required_argument, NULL, OPT_LIMIT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *js(json_t *o, const char *k, const char *dflt) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : dflt;
}
static long long ji(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Text from packages is untrusted: no control characters to the terminal. */
static void put_clean(FILE *f, const char *s) {
  for (; s && *s; s++)
    fputc(((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s, f);
}

static void print_text(json_t *s, unsigned nstores, unsigned long long limit) {
  json_t *by = json_object_get(s, "by_verdict");
  printf("%lld packages in %u store%s: clean %lld, suspicious %lld, "
         "malicious %lld, error %lld\n",
         ji(s, "packages"), nstores, nstores == 1 ? "" : "s", ji(by, "clean"),
         ji(by, "suspicious"), ji(by, "malicious"), ji(by, "error"));
  json_t *flagged = json_object_get(s, "flagged"), *r;
  size_t i;
  if (json_array_size(flagged)) {
    printf("\nflagged (%zu):\n", json_array_size(flagged));
    json_array_foreach(flagged, i, r) {
      if (i >= limit) {
        printf("  ... %zu more (--json for all)\n",
               json_array_size(flagged) - i);
        break;
      }
      printf("  %-10s ", js(r, "verdict", "?"));
      put_clean(stdout, js(r, "name", "?"));
      fputc(' ', stdout);
      put_clean(stdout, js(r, "version", "?"));
      printf(" (%s) score %lld", js(r, "ecosystem", "?"), ji(r, "score"));
      json_t *tf = json_object_get(r, "top_finding");
      if (json_is_object(tf)) {
        printf("  %s [%s] ", js(tf, "rule", "?"), js(tf, "severity", "?"));
        put_clean(stdout, js(tf, "summary", ""));
      }
      fputc('\n', stdout);
    }
  }
  json_t *rules = json_object_get(s, "rules");
  if (json_array_size(rules)) {
    printf("\nrules:\n");
    json_array_foreach(rules, i, r) {
      printf("  %-32s %lld package%s, %lld finding%s\n", js(r, "rule", "?"),
             ji(r, "packages"), ji(r, "packages") == 1 ? "" : "s",
             ji(r, "findings"), ji(r, "findings") == 1 ? "" : "s");
    }
  }
  json_t *errors = json_object_get(s, "errors");
  if (json_array_size(errors)) {
    printf("\nerrors (%zu):\n", json_array_size(errors));
    json_array_foreach(errors, i, r) {
      if (i >= limit) {
        printf("  ... %zu more\n", json_array_size(errors) - i);
        break;
      }
      printf("  ");
      put_clean(stdout, js(r, "name", "?"));
      fputc(' ', stdout);
      put_clean(stdout, js(r, "version", "?"));
      fputs(": ", stdout);
      put_clean(stdout, js(r, "error", "?"));
      fputc('\n', stdout);
    }
  }
  json_t *sw = json_object_get(s, "sweep");
  if (ji(sw, "done") || ji(sw, "failed")) {
    printf("\nsweep: %lld registry files scanned, %lld failing (retried by "
           "the next sweep)\n",
           ji(sw, "done"), ji(sw, "failed"));
    json_array_foreach(json_object_get(sw, "failures"), i, r) {
      if (i >= limit) {
        printf("  ... more (--json for all)\n");
        break;
      }
      printf("  %s ", js(r, "ecosystem", "?"));
      put_clean(stdout, js(r, "name", "?"));
      fputc(' ', stdout);
      put_clean(stdout, js(r, "version", "?"));
      fputc(' ', stdout);
      put_clean(stdout, js(r, "filename", "?"));
      fputs(": ", stdout);
      put_clean(stdout, js(r, "error", "?"));
      fputc('\n', stdout);
    }
  }
}

int pt_cmd_report(int argc, char **argv) {
  const char **dbs = calloc((size_t)argc + 1, sizeof(*dbs));
  if (dbs == NULL)
    return 2;
  unsigned ndb = 0;
  bool as_json = false;
  const char *merge_into = NULL;
  unsigned long long limit = 100;
  int c, rc = 2;
  optind = 1;
  while ((c = getopt_long(argc, argv, "+h", report_opts, NULL)) != -1) {
    switch (c) {
    case OPT_DB:
      dbs[ndb++] = optarg;
      break;
    case OPT_JSON:
      as_json = true;
      break;
    case OPT_MERGE:
      merge_into = optarg;
      break;
    case OPT_LIMIT:
      if (!pt_scan_parse_num("--flagged-limit", optarg, 1000000, &limit))
        goto out_args;
      break;
    case 'h':
      fputs(report_usage, stdout);
      rc = 0;
      goto out_args;
    default:
      fputs(report_usage, stderr);
      goto out_args;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "pkgtrap report: unexpected `%s`\n%s", argv[optind],
            report_usage);
    goto out_args;
  }
  if (ndb == 0)
    dbs[ndb++] = PT_STORE_DEFAULT_PATH;
  /* Reporting never creates a store: a mistyped path is an error, not an
   * empty report. */
  for (unsigned i = 0; i < ndb; i++)
    if (access(dbs[i], R_OK) != 0) {
      fprintf(stderr, "pkgtrap report: `%s`: %s\n", dbs[i], strerror(errno));
      goto out_args;
    }
  pt_err *err = NULL;
  pt_store *s = NULL;
  const char *target = merge_into ? merge_into
                       : ndb == 1 ? dbs[0]
                                  : ":memory:";
  if (pt_store_open(target, &s, &err) < 0)
    goto fail;
  if (merge_into || ndb > 1)
    for (unsigned i = 0; i < ndb; i++)
      if (pt_store_merge(s, dbs[i], &err) < 0)
        goto fail;
  json_t *sum = NULL;
  if (pt_store_summary(s, &sum, &err) < 0)
    goto fail;
  /* design.md's CLI contract: a nightly job tells a flagged sweep from a
   * clean one by the status alone, as with clamscan. */
  json_t *by = json_object_get(sum, "by_verdict");
  bool flagged = ji(by, "suspicious") > 0 || ji(by, "malicious") > 0;
  if (as_json) {
    json_object_set_new(sum, "stores", json_integer(ndb));
    json_dumpf(sum, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
    fputc('\n', stdout);
  } else {
    print_text(sum, ndb, limit);
  }
  json_decref(sum);
  rc = fflush(stdout) != 0 ? 2 : flagged ? 1 : 0;
  pt_store_close(s);
  free(dbs);
  return rc;
fail:
  pt_err_print(err);
  pt_store_close(s);
out_args:
  free(dbs);
  return rc;
}
