/* pkgtrap triage: one artifact through every phase of its ecosystem, in
 * the jail; then the rules judge the record and the report says why.
 * The verdict comes first on stdout; --json/--html/--sarif write report v1
 * in those forms, --record the raw observation. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pt_util.h"
#include "report.h"
#include "triage.h"
#include "triage_report.h"
#include <unistd.h>

static const char triage_usage[] =
    "Usage: pkgtrap triage [OPTION]... ARTIFACT\n"
    "Unpack and identify ARTIFACT (a wheel, an sdist or an npm tarball),\n"
    "install it in the jail and run every phase: install, interpreter\n"
    "startup, import, every entry point / lifecycle script / bin; each phase\n"
    "is its own jailed run with the same HOME and work dir.\n"
    "\n"
    "  --json FILE        write report v1 (JSON) to FILE (- for stdout)\n"
    "  --html FILE        write the report as one self-contained HTML page\n"
    "  --sarif FILE       write the findings as SARIF 2.1.0 (code scanning)\n"
    "  --record FILE      write the raw record (every phase and event) to FILE\n"
    "  --deps DIR         dependencies (wheels, sdists, npm .tgz) offered to\n"
    "                     the installer; nothing else is ever fetched\n"
    "  --timeout S        per-phase timeout (default: profiles/ecosystems)\n"
    "  --budget S         total budget for all phases (default: profiles)\n"
    "  --trace FILE       every event as JSON lines, as it happens\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status (clamscan's): 0 clean, 1 flagged (suspicious or\n"
    "malicious), 2 error (the artifact was rejected or could not be\n"
    "triaged, or pkgtrap itself failed).\n";

enum { OPT_JSON = 256, OPT_DEPS, OPT_TIMEOUT, OPT_BUDGET, OPT_TRACE, OPT_HTML,
       OPT_SARIF, OPT_RECORD, OPT_SUMMARY };

static const struct option triage_opts[] = {
    {"json", required_argument, NULL, OPT_JSON},
    {"html", required_argument, NULL, OPT_HTML},
    {"sarif", required_argument, NULL, OPT_SARIF},
    {"record", required_argument, NULL, OPT_RECORD},
    {"raw-summary", no_argument, NULL, OPT_SUMMARY},
    {"deps", required_argument, NULL, OPT_DEPS},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

static const char *str(const json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "-";
}

/* Events of a phase, by kind, on one line. */
static void phase_event_counts(const json_t *events, const char *phase) {
  const char *kinds[] = {"exec",      "file",  "net",    "dns",
                         "honeytoken", "memfd", "refused", "sleep-shortened"};
  size_t counts[(sizeof(kinds) / sizeof(kinds[0]))];
  memset(counts, 0, sizeof(counts));
  size_t i;
  json_t *e;
  json_array_foreach(events, i, e) {
    const char *ph = json_string_value(json_object_get(e, "phase"));
    const char *k = json_string_value(json_object_get(e, "kind"));
    if (!ph || !k || strcmp(ph, phase) != 0)
      continue;
    for (size_t j = 0; j < (sizeof(kinds) / sizeof(kinds[0])); j++)
      if (strcmp(k, kinds[j]) == 0)
        counts[j]++;
  }
  for (size_t j = 0; j < (sizeof(kinds) / sizeof(kinds[0])); j++)
    if (counts[j])
      printf(" %s=%zu", kinds[j], counts[j]);
}

static void print_summary(const json_t *r) {
  const json_t *pkg = json_object_get(r, "package");
  printf("package   %s %s %s (%s) %s\n", str(pkg, "kind"), str(pkg, "name"),
         str(pkg, "version"), str(pkg, "artifact"), str(pkg, "sha256"));
  if (json_is_string(json_object_get(r, "error")))
    printf("error     %s\n", str(r, "error"));
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r, "problems"), i, e)
      printf("problem   %s: %s %s\n", str(e, "rule"), str(e, "summary"),
             str(e, "entry"));
  const json_t *id = json_object_get(r, "identity");
  if (json_is_object(id))
    printf("identity  %s@%s %s\n", str(id, "user"), str(id, "hostname"),
           str(id, "home"));
  const json_t *events = json_object_get(r, "events");
  json_array_foreach(json_object_get(r, "phases"), i, e) {
    printf("phase     %-40s %-9s %6lld ms", str(e, "name"), str(e, "status"),
           (long long)json_integer_value(json_object_get(e, "duration_ms")));
    phase_event_counts(events, str(e, "name"));
    if (json_is_string(json_object_get(e, "note")))
      printf("  (%s)", str(e, "note"));
    putchar('\n');
  }
  json_array_foreach(events, i, e) {
    const char *k = str(e, "kind");
    if (strcmp(k, "net") == 0 || strcmp(k, "dns") == 0 ||
        strcmp(k, "honeytoken") == 0) {
      char *s = json_dumps(e, JSON_COMPACT);
      if (s && strlen(s) > 300)
        strcpy(s + 296, "...}");
      printf("%-9s %s\n", k, s ? s : "");
      free(s);
    }
  }
  json_array_foreach(json_object_get(r, "hijacks"), i, e)
      printf("hijack    %s in %s: %s%s%s%s\n", str(e, "name"), str(e, "phase"),
             str(e, "reason"),
             json_is_string(json_object_get(e, "shadows")) ? ", shadows " : "",
             json_is_string(json_object_get(e, "shadows")) ? str(e, "shadows")
                                                           : "",
             json_is_true(json_object_get(e, "wraps")) ? ", wraps it" : "");
  const json_t *d = json_object_get(r, "dependencies");
  json_array_foreach(json_object_get(d, "unresolved"), i, e)
      printf("unresolved dependency %s\n", json_string_value(e));
  char *st = json_dumps(json_object_get(r, "stats"), JSON_COMPACT);
  printf("stats     %s\n", st ? st : "");
  free(st);
}

int pt_cmd_triage(int argc, char **argv) {
  struct pt_triage_opts o = {0};
  const char *json_path = NULL, *html_path = NULL, *sarif_path = NULL,
             *record_path = NULL;
  bool raw_summary = false;
  char *deps_real = NULL;
  unsigned long long v;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "+h", triage_opts, NULL)) != -1) {
    switch (c) {
    case OPT_JSON:
      json_path = optarg;
      break;
    case OPT_HTML:
      html_path = optarg;
      break;
    case OPT_SARIF:
      sarif_path = optarg;
      break;
    case OPT_RECORD:
      record_path = optarg;
      break;
    case OPT_SUMMARY:
      raw_summary = true;
      break;
    case OPT_DEPS:
      /* The jail binds it at the same path: make it absolute here. */
      free(deps_real);
      deps_real = realpath(optarg, NULL);
      if (deps_real == NULL) {
        fprintf(stderr, "pkgtrap: --deps `%s`: %s\n", optarg, strerror(errno));
        return PT_EXIT_ERROR;
      }
      o.deps_dir = deps_real;
      break;
    case OPT_TIMEOUT:
      if (!pt_parse_u64("--timeout", optarg, 86400, &v))
        return PT_EXIT_ERROR;
      o.phase_timeout_ms = v * 1000;
      break;
    case OPT_BUDGET:
      if (!pt_parse_u64("--budget", optarg, 86400, &v))
        return PT_EXIT_ERROR;
      o.total_budget_ms = v * 1000;
      break;
    case OPT_TRACE:
      o.trace_path = optarg;
      break;
    case 'h':
      fputs(triage_usage, stdout);
      return 0;
    default:
      fputs("Try 'pkgtrap triage --help'.\n", stderr);
      return PT_EXIT_ERROR;
    }
  }
  if (optind + 1 != argc) {
    fputs("pkgtrap triage: one ARTIFACT expected\n"
          "Try 'pkgtrap triage --help'.\n",
          stderr);
    return PT_EXIT_ERROR;
  }
  json_t *rec = NULL, *rep = NULL;
  pt_err *err = NULL;
  if (pt_triage_report_ex(argv[optind], &o, &rep, &rec, &err) < 0) {
    int sig = err && err->errnum < 0 ? -err->errnum : 0;
    if (sig) {
      pt_err_free(err);
      signal(sig, SIG_DFL);
      raise(sig);
      return 128 + sig;
    }
    pt_err_print(err);
    return PT_EXIT_ERROR;
  }
  const char *verdict = json_string_value(json_object_get(rep, "verdict"));
  int status = verdict == NULL || strcmp(verdict, "error") == 0
                   ? PT_EXIT_ERROR
               : strcmp(verdict, "clean") == 0 ? PT_EXIT_CLEAN
                                               : PT_EXIT_FLAGGED;
  if (record_path &&
      (strcmp(record_path, "-") == 0
           ? json_dumpf(rec, stdout, JSON_INDENT(1) | JSON_SORT_KEYS)
           : json_dump_file(rec, record_path,
                            JSON_INDENT(1) | JSON_SORT_KEYS)) < 0) {
    fprintf(stderr, "pkgtrap: write `%s`: %s\n", record_path,
            strerror(errno));
    status = PT_EXIT_ERROR;
  }
  if ((json_path && pt_report_write_json(json_path, rep, &err) < 0) ||
      (html_path && pt_report_write_html(html_path, rep, &err) < 0) ||
      (sarif_path && pt_report_write_sarif(sarif_path, rep, &err) < 0)) {
    pt_err_print(steal_pointer(&err));
    status = PT_EXIT_ERROR;
  }
  /* The readable report on stdout, unless stdout carries JSON. */
  bool stdout_taken = (json_path && strcmp(json_path, "-") == 0) ||
                      (record_path && strcmp(record_path, "-") == 0) ||
                      (sarif_path && strcmp(sarif_path, "-") == 0) ||
                      (html_path && strcmp(html_path, "-") == 0);
  if (!stdout_taken) {
    if (raw_summary)
      print_summary(rec);
    else
      pt_report_print_text(stdout, rep, isatty(STDOUT_FILENO));
  }
  json_decref(rec);
  json_decref(rep);
  free(deps_real);
  return status;
}
