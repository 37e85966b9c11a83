/* A stand-in for pt_triage_report() so the batch verbs are tested without
 * jails: the verdict is read from the artifact's file name.
 *   *evil*   malicious, a critical finding      *sus*    suspicious
 *   *broken* triage fails (-1)                  *crash*  the worker aborts
 *   *huge*   a report of 2 MiB (over a small --report-cap)
 * STUB_TRIAGE_SLEEP_MS=N sleeps N ms per artifact (SIGKILL and -j tests).
 * STUB_TRIAGE_TRACE=FILE appends "begin NAME" before the sleep and "end
 * NAME" after it, one O_APPEND write each: their order in FILE is the
 * order they happened in, so a test sees triages overlap without timing
 * them.
 * Each report says whether the artifact was found in deps_dir. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

static void split_name(const char *base, char *name, size_t nl, char *ver,
                       size_t vl, const char **eco) {
  char tmp[512];
  if ((size_t)snprintf(tmp, sizeof(tmp), "%s", base) >= sizeof(tmp))
    tmp[0] = '\0'; /* a test stub: such names never come */
  static const char *const exts[] = {".whl", ".tar.gz", ".tgz", ".zip"};
  *eco = "pypi";
  for (size_t i = 0; i < 4; i++) {
    size_t a = strlen(tmp), b = strlen(exts[i]);
    if (a > b && strcmp(tmp + a - b, exts[i]) == 0) {
      tmp[a - b] = '\0';
      if (i == 2)
        *eco = "npm";
      break;
    }
  }
  char *dash;
  /* wheel: name-version-tags...; others: name-version */
  if (strchr(tmp, '-') && strstr(base, ".whl")) {
    dash = strchr(tmp, '-');
    *dash = '\0';
    char *end = strchr(dash + 1, '-');
    if (end)
      *end = '\0';
  } else {
    dash = strrchr(tmp, '-');
    if (dash)
      *dash = '\0';
  }
  if ((size_t)snprintf(name, nl, "%s", tmp) >= nl ||
      (size_t)snprintf(ver, vl, "%s", dash ? dash + 1 : "0") >= vl)
    name[0] = ver[0] = '\0'; /* too long for a stub's answer: none */
}

static void trace(const char *what, const char *base) {
  const char *path = getenv("STUB_TRIAGE_TRACE");
  if (path == NULL)
    return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  char line[512];
  int n = snprintf(line, sizeof(line), "%s %.400s\n", what, base);
  if (write(fd, line, (size_t)n) != n)
    perror("stub_triage: trace");
  close(fd);
}

int stub_triage(const char *artifact, const struct pt_triage_opts *o,
                json_t **report_out, pt_err **err) {
  const char *base = strrchr(artifact, '/');
  base = base ? base + 1 : artifact;
  trace("begin", base);
  const char *sl = getenv("STUB_TRIAGE_SLEEP_MS");
  if (sl) {
    long ms = atol(sl);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  trace("end", base);
  if (strstr(base, "broken"))
    return pt_err_make(err, EINVAL, "stub: cannot unpack `%s`", base);
  if (strstr(base, "crash"))
    abort();
  char name[256], ver[128], path[4096];
  const char *eco;
  split_name(base, name, sizeof(name), ver, sizeof(ver), &eco);
  snprintf(path, sizeof(path), "%s/%s", o->deps_dir ? o->deps_dir : "/nonexistent", base);
  bool deps_ok = access(path, R_OK) == 0;
  const char *verdict = "clean";
  int score = 0;
  json_t *findings = json_array();
  if (strstr(base, "evil")) {
    verdict = "malicious";
    score = 95;
    json_array_append_new(findings, json_pack("{s:s,s:s,s:s,s:s,s:{}}",
        "rule", "install-reads-credentials", "severity", "high", "phase", "install",
        "summary", "setup.py reads ~/.aws/credentials", "evidence"));
    json_array_append_new(findings, json_pack("{s:s,s:s,s:s,s:s,s:{}}",
        "rule", "honeytoken-exfil", "severity", "critical", "phase", "install",
        "summary", "AWS key sent to exfil.test", "evidence"));
  } else if (strstr(base, "sus")) {
    verdict = "suspicious";
    score = 40;
    json_array_append_new(findings, json_pack("{s:s,s:s,s:s,s:s,s:{}}",
        "rule", "install-network", "severity", "medium", "phase", "install",
        "summary", "connects to 192.0.2.1:443", "evidence"));
  }
  json_t *r = json_pack("{s:s, s:{s:s,s:s,s:s,s:s}, s:s, s:i, s:n, s:[], s:o, "
                        "s:[], s:[], s:[], s:[], s:b}",
                        "schema", "pkgtrap/report/v1", "package", "ecosystem", eco,
                        "name", name, "version", ver, "artifact", artifact,
                        "verdict", verdict, "score", score, "error", "phases",
                        "findings", findings, "processes", "files", "network",
                        "honeytokens", "stub_deps_ok", deps_ok);
  if (strstr(base, "huge")) {
    char *big = malloc(2u << 20);
    memset(big, 'x', (2u << 20) - 1);
    big[(2u << 20) - 1] = '\0';
    json_object_set_new(r, "padding", json_string(big));
    free(big);
  }
  *report_out = r;
  return 0;
}
