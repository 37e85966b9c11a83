/* Tests for runner/store.c: reports in and out, findings replaced on a
 * rescan (never duplicated), sweep state, merge of shard stores (newer
 * wins, sweep 'done' wins), the summary, and the promise that matters:
 * a writer killed with SIGKILL at random moments loses no committed
 * report, leaves no half-written one, and a resumed writer stores none
 * twice. */
#define _GNU_SOURCE
#include "store.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static char tmpdir[256];

static void sha_of(unsigned i, char out[65]) {
  /* Distinct, valid hex keys. */
  snprintf(out, 65, "%064x", i * 2654435761u + 7);
}

static json_t *make_report(const char *name, const char *ver,
                           const char *verdict, int nfind, const char *rule) {
  json_t *f = json_array();
  for (int i = 0; i < nfind; i++)
    json_array_append_new(
        f, json_pack("{s:s,s:s,s:s,s:s,s:{}}", "rule", rule, "severity",
                     i == 1 ? "critical" : "low", "phase", "install",
                     "summary", i == 1 ? "worst" : "minor", "evidence"));
  return json_pack("{s:s,s:{s:s,s:s,s:s,s:s},s:s,s:i,s:n,s:[],s:o}", "schema",
                   "pkgtrap/report/v1", "package", "ecosystem", "pypi", "name",
                   name, "version", ver, "artifact", "/x", "verdict", verdict,
                   "score", nfind * 10, "error", "phases", "findings", f);
}

static pt_store *open_or_die(const char *path) {
  pt_store *s = NULL;
  pt_err *err = NULL;
  if (pt_store_open(path, &s, &err) < 0) {
    fprintf(stderr, "open %s: %s\n", path, err->msg);
    exit(1);
  }
  return s;
}

static long long q_int(const char *path, const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *st;
  long long v = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return -2;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

static bool integrity_ok(const char *path) {
  sqlite3 *db;
  sqlite3_stmt *st;
  bool ok = false;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return false;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
          SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

static void test_basic(void) {
  char path[300];
  snprintf(path, sizeof(path), "%s/basic.db", tmpdir);
  pt_store *s = open_or_die(path);
  pt_err *err = NULL;
  char sha[65];
  sha_of(1, sha);
  bool has = true;
  CHECK(pt_store_has(s, sha, &has, &err) == 0 && !has, "empty store has");
  json_t *r = make_report("evilpkg", "1.0", "malicious", 3, "exfil");
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "put: %s",
        err ? err->msg : "");
  CHECK(pt_store_has(s, sha, &has, &err) == 0 && has, "has after put");
  /* The key was filled in. */
  CHECK(json_is_string(json_object_get(json_object_get(r, "package"), "sha256")),
        "sha256 set");
  /* Rescan: replaced, findings not duplicated. */
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "put again");
  json_decref(r);
  CHECK(q_int(path, "SELECT count(*) FROM findings") == 3, "findings %lld",
        q_int(path, "SELECT count(*) FROM findings"));
  CHECK(q_int(path, "SELECT count(*) FROM packages") == 1, "packages");
  /* Bad keys and reports are refused. */
  json_t *empty = json_object();
  CHECK(pt_store_put(s, "abc", empty, NULL, &err) < 0, "short sha");
  pt_err_free(err);
  err = NULL;
  CHECK(pt_store_put(s, "G000000000000000000000000000000000000000000000000000000000000000", empty, NULL, &err) < 0, "non-hex sha");
  json_decref(empty);
  pt_err_free(err);
  err = NULL;

  sha_of(2, sha);
  r = make_report("fine", "2.0", "clean", 0, "none");
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "put clean");
  json_decref(r);
  sha_of(3, sha);
  r = make_report("meh", "0.1", "suspicious", 1, "install-network");
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "put sus");
  json_decref(r);

  json_t *sum = NULL;
  CHECK(pt_store_summary(s, &sum, &err) == 0, "summary");
  json_t *by = json_object_get(sum, "by_verdict");
  CHECK(json_integer_value(json_object_get(by, "malicious")) == 1 &&
            json_integer_value(json_object_get(by, "clean")) == 1 &&
            json_integer_value(json_object_get(by, "suspicious")) == 1 &&
            json_integer_value(json_object_get(by, "error")) == 0,
        "by_verdict");
  json_t *fl = json_object_get(sum, "flagged");
  CHECK(json_array_size(fl) == 2, "flagged %zu", json_array_size(fl));
  json_t *first = json_array_get(fl, 0);
  CHECK(strcmp(json_string_value(json_object_get(first, "name")), "evilpkg") == 0,
        "malicious first");
  json_t *tf = json_object_get(first, "top_finding");
  CHECK(json_is_object(tf) &&
            strcmp(json_string_value(json_object_get(tf, "severity")),
                   "critical") == 0,
        "top finding is the critical one");
  json_t *rules = json_object_get(sum, "rules");
  CHECK(json_array_size(rules) == 2, "rules");
  json_decref(sum);

  /* Sweep state. */
  struct pt_store_sweep_key k = {"npm", "http://127.0.0.1:1/", "a", "1.0.0",
                                 "a-1.0.0.tgz", "http://x/a.tgz", 1000};
  bool done = true;
  CHECK(pt_store_sweep_done(s, &k, &done, &err) == 0 && !done, "not done");
  CHECK(pt_store_sweep_error(s, &k, "sha512 mismatch", &err) == 0, "error");
  CHECK(pt_store_sweep_done(s, &k, &done, &err) == 0 && !done,
        "error is not done");
  sha_of(4, sha);
  r = make_report("a", "1.0.0", "clean", 0, "none");
  CHECK(pt_store_put(s, sha, r, &k, &err) == 0, "put with sweep key");
  json_decref(r);
  CHECK(pt_store_sweep_done(s, &k, &done, &err) == 0 && done, "done");
  CHECK(pt_store_sweep_error(s, &k, "later failure", &err) == 0, "error2");
  CHECK(pt_store_sweep_done(s, &k, &done, &err) == 0 && done,
        "done stays done");
  int64_t last = 0;
  CHECK(pt_store_sweep_last(s, "npm", "http://127.0.0.1:1/", &last, &err) == 0 &&
            last == 1000,
        "last %lld", (long long)last);
  pt_store_close(s);

  /* Merge: a second store with one overlapping (newer) and one new. */
  char p2[300], p3[300];
  snprintf(p2, sizeof(p2), "%s/shard2.db", tmpdir);
  snprintf(p3, sizeof(p3), "%s/merged.db", tmpdir);
  s = open_or_die(p2);
  sha_of(3, sha);
  sleep(1); /* scanned_at has a resolution of seconds */
  r = make_report("meh", "0.1", "malicious", 2, "rescanned");
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "shard put");
  json_decref(r);
  sha_of(5, sha);
  r = make_report("other", "9", "clean", 0, "none");
  CHECK(pt_store_put(s, sha, r, NULL, &err) == 0, "shard put 2");
  json_decref(r);
  pt_store_close(s);
  s = open_or_die(p3);
  CHECK(pt_store_merge(s, path, &err) == 0, "merge 1: %s", err ? err->msg : "");
  CHECK(pt_store_merge(s, p2, &err) == 0, "merge 2: %s", err ? err->msg : "");
  CHECK(pt_store_merge(s, p2, &err) == 0, "merge 2 again (idempotent)");
  char missing[300];
  snprintf(missing, sizeof(missing), "%s/nope.db", tmpdir);
  CHECK(pt_store_merge(s, missing, &err) < 0, "merge missing fails");
  pt_err_free(err);
  err = NULL;
  int64_t n = 0;
  CHECK(pt_store_count(s, &n, &err) == 0 && n == 5, "merged count %lld",
        (long long)n);
  pt_store_close(s);
  CHECK(access(missing, F_OK) != 0, "merge created the source");
  CHECK(q_int(p3, "SELECT count(*) FROM findings WHERE rule='rescanned'") == 2,
        "newer shard won");
  CHECK(q_int(p3, "SELECT count(*) FROM findings WHERE rule='install-network'") == 0,
        "older findings replaced");
  CHECK(q_int(p3, "SELECT count(*) FROM findings") == 5, "findings total %lld",
        q_int(p3, "SELECT count(*) FROM findings"));
  CHECK(q_int(p3, "SELECT count(*) FROM sweep_state WHERE status='done'") == 1,
        "sweep state merged");
}

/* ---- SIGKILL --------------------------------------------------------------- */

#define KILL_TOTAL 600u
#define KILL_FINDINGS 4

/* Child: store reports 0..KILL_TOTAL-1 that the store lacks (resume), and
 * after each commit tell the parent its number. */
static void writer(const char *path, int fd) {
  pt_store *s = open_or_die(path);
  pt_err *err = NULL;
  for (unsigned i = 0; i < KILL_TOTAL; i++) {
    char sha[65];
    sha_of(i, sha);
    bool has;
    if (pt_store_has(s, sha, &has, &err) < 0)
      _exit(3);
    if (has)
      continue;
    char name[32];
    snprintf(name, sizeof(name), "p%u", i);
    json_t *r = make_report(name, "1", i % 3 ? "clean" : "malicious",
                            KILL_FINDINGS, "r");
    if (pt_store_put(s, sha, r, NULL, &err) < 0)
      _exit(4);
    json_decref(r);
    if (write(fd, &i, sizeof(i)) != sizeof(i))
      _exit(5);
  }
  _exit(0);
}

static void test_sigkill(void) {
  char path[300];
  snprintf(path, sizeof(path), "%s/kill.db", tmpdir);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  bool acked[KILL_TOTAL] = {false};
  int rounds = 0, finished = 0;
  /* 80 rounds killed at random, then one left to finish (resume). */
  while (!finished && rounds <= 80) {
    rounds++;
    int p[2];
    if (pipe(p) < 0)
      abort();
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      writer(path, p[1]);
    }
    close(p[1]);
    /* 0..10 ms: lands inside opens, transactions and commits alike. */
    struct timespec ts = {0, (rand() % 10000) * 1000L};
    if (rounds <= 80) {
      nanosleep(&ts, NULL);
      kill(pid, SIGKILL);
    }
    int status;
    waitpid(pid, &status, 0);
    unsigned i;
    while (read(p[0], &i, sizeof(i)) == sizeof(i))
      if (i < KILL_TOTAL)
        acked[i] = true;
    close(p[0]);
    if (WIFEXITED(status)) {
      CHECK(WEXITSTATUS(status) == 0, "writer failed with %d",
            WEXITSTATUS(status));
      finished = 1;
    }
    /* Killed before the schema's first commit: nothing to check yet (and
     * nothing may have been acknowledged). */
    if (access(path, F_OK) != 0 ||
        q_int(path, "SELECT count(*) FROM sqlite_master WHERE name = "
                    "'findings'") != 1) {
      for (unsigned k = 0; k < KILL_TOTAL; k++)
        CHECK(!acked[k], "report %u acknowledged without a schema", k);
      continue;
    }
    CHECK(integrity_ok(path), "integrity after round %d", rounds);
    /* Every acknowledged report is there, whole. */
    for (unsigned k = 0; k < KILL_TOTAL; k++) {
      if (!acked[k])
        continue;
      char sql[400], sha[65];
      sha_of(k, sha);
      snprintf(sql, sizeof(sql),
               "SELECT (SELECT count(*) FROM packages WHERE sha256='%s') * 100 "
               "+ (SELECT count(*) FROM findings WHERE sha256='%s')",
               sha, sha);
      long long v = q_int(path, sql);
      if (v != 100 + KILL_FINDINGS) {
        CHECK(false, "report %u after round %d: %lld", k, rounds, v);
        return;
      }
    }
    /* No half-written report: every stored package has all findings. */
    CHECK(q_int(path, "SELECT count(*) FROM packages p WHERE (SELECT count(*) "
                      "FROM findings f WHERE f.sha256 = p.sha256) <> 4") == 0,
          "partial report after round %d", rounds);
  }
  CHECK(finished, "writer never finished in %d rounds", rounds);
  CHECK(q_int(path, "SELECT count(*) FROM packages") == KILL_TOTAL,
        "count %lld", q_int(path, "SELECT count(*) FROM packages"));
  CHECK(q_int(path, "SELECT count(*) FROM findings") ==
            KILL_TOTAL * KILL_FINDINGS,
        "findings");
  fprintf(stderr, "sigkill: %d rounds\n", rounds);
}

int main(void) {
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof(tmpdir), "%s/test_store.XXXXXX", t && *t ? t : "/tmp");
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_basic();
  test_sigkill();
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  if (failures == 0 && system(cmd) != 0)
    fprintf(stderr, "cleanup failed\n");
  if (failures)
    fprintf(stderr, "%d failures (files kept in %s)\n", failures, tmpdir);
  return failures ? 1 : 0;
}
