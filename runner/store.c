/* SQLite result store (see store.h). */
#define _GNU_SOURCE
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "pt_util.h"

struct pt_store {
  sqlite3 *db;
  char *path;
};

/* Bumped when the schema changes; older files are migrated in open. */
#define STORE_SCHEMA_VERSION 1

/* Severity order used by SQL (top finding) and C (progress lines) alike. */
#define SEV_RANK_SQL                                                           \
  "CASE lower(severity) WHEN 'critical' THEN 5 WHEN 'high' THEN 4 "           \
  "WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'info' THEN 1 ELSE 0 END"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS packages("
    "  sha256 TEXT PRIMARY KEY CHECK(length(sha256) = 64),"
    "  ecosystem TEXT, name TEXT, version TEXT, artifact TEXT,"
    "  verdict TEXT NOT NULL, score INTEGER, error TEXT,"
    "  report TEXT NOT NULL, scanned_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS packages_verdict ON packages(verdict);"
    "CREATE INDEX IF NOT EXISTS packages_name ON packages(ecosystem, name);"
    /* idx keeps the report's order, so the key stays unique even when a
     * rule fires twice in one phase. */
    "CREATE TABLE IF NOT EXISTS findings("
    "  sha256 TEXT NOT NULL, idx INTEGER NOT NULL,"
    "  rule TEXT, severity TEXT, phase TEXT, summary TEXT,"
    "  PRIMARY KEY(sha256, idx));"
    "CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);"
    /* One row per registry file; status 'done' (scanned, never fetched
     * again) or 'error' (retried by the next sweep). */
    "CREATE TABLE IF NOT EXISTS sweep_state("
    "  ecosystem TEXT NOT NULL, registry TEXT NOT NULL, name TEXT NOT NULL,"
    "  version TEXT NOT NULL, filename TEXT NOT NULL,"
    "  url TEXT, published INTEGER, sha256 TEXT,"
    "  status TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY(ecosystem, registry, name, version, filename));";

static int db_err(pt_store *s, pt_err **err, const char *what) {
  return pt_err_make(err, 0, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec_sql(pt_store *s, const char *sql, pt_err **err) {
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    pt_err_make(err, 0, "%s: %s", s->path, msg ? msg : "sqlite error");
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static int prepare(pt_store *s, const char *sql, sqlite3_stmt **st,
                   pt_err **err) {
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
    return db_err(s, err, "prepare");
  return 0;
}

static void finalizep(sqlite3_stmt **st) {
  if (*st)
    sqlite3_finalize(*st);
}
#define cleanup_stmt __attribute__((cleanup(finalizep)))

int pt_store_open(const char *path, pt_store **out, pt_err **err) {
  pt_store *s = calloc(1, sizeof(*s));
  if (s == NULL || (s->path = strdup(path)) == NULL) {
    free(s);
    return pt_err_make(err, ENOMEM, "open store");
  }
  /* URI filenames so merge can ATTACH another store read-only. */
  int rc = sqlite3_open_v2(path, &s->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                               SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           NULL);
  if (rc != SQLITE_OK) {
    if (s->db)
      db_err(s, err, "open");
    else
      pt_err_make(err, ENOMEM, "%s: open", path);
    pt_store_close(s);
    return -1;
  }
  /* Shards on one machine may share a file: wait rather than fail. */
  sqlite3_busy_timeout(s->db, 30000);
  /* WAL: readers (report) never block the writer. synchronous=NORMAL is
   * durable against a killed process (the case we promise); a power loss
   * may lose the last commits, which a rerun scans again. */
  if (exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err) <
      0)
    goto fail;
  if (exec_sql(s, "BEGIN IMMEDIATE", err) < 0)
    goto fail;
  if (exec_sql(s, schema_sql, err) < 0) {
    exec_sql(s, "ROLLBACK", NULL);
    goto fail;
  }
  char pragma[64];
  snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d; COMMIT",
           STORE_SCHEMA_VERSION);
  if (exec_sql(s, pragma, err) < 0) {
    exec_sql(s, "ROLLBACK", NULL);
    goto fail;
  }
  *out = s;
  return 0;
fail:
  pt_store_close(s);
  return pt_err_wrap(err, "open store");
}

void pt_store_close(pt_store *s) {
  if (s == NULL)
    return;
  sqlite3_close(s->db);
  free(s->path);
  free(s);
}

int pt_store_has(pt_store *s, const char *sha256, bool *has, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s, "SELECT 1 FROM packages WHERE sha256 = ?", &st, err) < 0)
    return -1;
  sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_err(s, err, "lookup");
  *has = rc == SQLITE_ROW;
  return 0;
}

int pt_store_count(pt_store *s, int64_t *n, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s, "SELECT count(*) FROM packages", &st, err) < 0)
    return -1;
  if (sqlite3_step(st) != SQLITE_ROW)
    return db_err(s, err, "count");
  *n = sqlite3_column_int64(st, 0);
  return 0;
}

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Bind a string or NULL. */
static void bind_str(sqlite3_stmt *st, int i, const char *v) {
  if (v)
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static int put_rows(pt_store *s, const char *sha256, json_t *report,
                    const char *text, const struct pt_store_sweep_key *sk,
                    pt_err **err) {
  json_t *pkg = json_object_get(report, "package");
  int64_t now = (int64_t)time(NULL);
  {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(s, "DELETE FROM findings WHERE sha256 = ?", &st, err) < 0)
      return -1;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
      return db_err(s, err, "delete findings");
  }
  {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(s,
                "INSERT OR REPLACE INTO packages(sha256, ecosystem, name, "
                "version, artifact, verdict, score, error, report, scanned_at) "
                "VALUES(?,?,?,?,?,?,?,?,?,?)",
                &st, err) < 0)
      return -1;
    const char *verdict = jstr(report, "verdict");
    json_t *score = json_object_get(report, "score");
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    bind_str(st, 2, jstr(pkg, "ecosystem"));
    bind_str(st, 3, jstr(pkg, "name"));
    bind_str(st, 4, jstr(pkg, "version"));
    bind_str(st, 5, jstr(pkg, "artifact"));
    bind_str(st, 6, verdict ? verdict : "error");
    if (json_is_number(score))
      sqlite3_bind_int64(st, 7, (int64_t)json_number_value(score));
    else
      sqlite3_bind_null(st, 7);
    bind_str(st, 8, jstr(report, "error"));
    sqlite3_bind_text(st, 9, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, now);
    if (sqlite3_step(st) != SQLITE_DONE)
      return db_err(s, err, "insert report");
  }
  json_t *findings = json_object_get(report, "findings");
  if (json_is_array(findings) && json_array_size(findings) > 0) {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(s,
                "INSERT INTO findings(sha256, idx, rule, severity, phase, "
                "summary) VALUES(?,?,?,?,?,?)",
                &st, err) < 0)
      return -1;
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f) {
      sqlite3_reset(st);
      sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_int64(st, 2, (int64_t)i);
      bind_str(st, 3, jstr(f, "rule"));
      bind_str(st, 4, jstr(f, "severity"));
      bind_str(st, 5, jstr(f, "phase"));
      bind_str(st, 6, jstr(f, "summary"));
      if (sqlite3_step(st) != SQLITE_DONE)
        return db_err(s, err, "insert finding");
    }
  }
  if (sk) {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(s,
                "INSERT INTO sweep_state(ecosystem, registry, name, version, "
                "filename, url, published, sha256, status, error, attempts, "
                "updated_at) VALUES(?,?,?,?,?,?,?,?,'done',NULL,1,?) "
                "ON CONFLICT DO UPDATE SET url=excluded.url, "
                "published=excluded.published, sha256=excluded.sha256, "
                "status='done', error=NULL, attempts=attempts+1, "
                "updated_at=excluded.updated_at",
                &st, err) < 0)
      return -1;
    bind_str(st, 1, sk->ecosystem);
    bind_str(st, 2, sk->registry);
    bind_str(st, 3, sk->name);
    bind_str(st, 4, sk->version);
    bind_str(st, 5, sk->filename);
    bind_str(st, 6, sk->url);
    sqlite3_bind_int64(st, 7, sk->published);
    sqlite3_bind_text(st, 8, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, now);
    if (sqlite3_step(st) != SQLITE_DONE)
      return db_err(s, err, "mark sweep state");
  }
  return 0;
}

static bool is_sha256_hex(const char *h) {
  if (h == NULL || strlen(h) != 64)
    return false;
  for (const char *p = h; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

int pt_store_put(pt_store *s, const char *sha256, json_t *report,
                 const struct pt_store_sweep_key *sk, pt_err **err) {
  if (!is_sha256_hex(sha256))
    return pt_err_make(err, EINVAL, "store: `%s` is not a sha256", sha256);
  if (!json_is_object(report))
    return pt_err_make(err, EINVAL, "store %s: report is not an object",
                       sha256);
  json_t *pkg = json_object_get(report, "package");
  if (!json_is_object(pkg)) {
    pkg = json_object();
    json_object_set_new(report, "package", pkg);
  }
  if (!json_is_string(json_object_get(pkg, "sha256")))
    json_object_set_new(pkg, "sha256", json_string(sha256));
  cleanup_free char *text = json_dumps(report, JSON_COMPACT | JSON_SORT_KEYS);
  if (text == NULL)
    return pt_err_make(err, ENOMEM, "store %s: serialise report", sha256);
  if (exec_sql(s, "BEGIN IMMEDIATE", err) < 0)
    return pt_err_wrap(err, "store %s", sha256);
  if (put_rows(s, sha256, report, text, sk, err) < 0) {
    exec_sql(s, "ROLLBACK", NULL);
    return pt_err_wrap(err, "store %s", sha256);
  }
  if (exec_sql(s, "COMMIT", err) < 0) {
    exec_sql(s, "ROLLBACK", NULL);
    return pt_err_wrap(err, "store %s", sha256);
  }
  return 0;
}

static void bind_key(sqlite3_stmt *st, const struct pt_store_sweep_key *sk) {
  bind_str(st, 1, sk->ecosystem);
  bind_str(st, 2, sk->registry);
  bind_str(st, 3, sk->name);
  bind_str(st, 4, sk->version);
  bind_str(st, 5, sk->filename);
}

int pt_store_sweep_done(pt_store *s, const struct pt_store_sweep_key *sk,
                        bool *done, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s,
              "SELECT 1 FROM sweep_state WHERE ecosystem=? AND registry=? AND "
              "name=? AND version=? AND filename=? AND status='done'",
              &st, err) < 0)
    return -1;
  bind_key(st, sk);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_err(s, err, "sweep state lookup");
  *done = rc == SQLITE_ROW;
  return 0;
}

int pt_store_sweep_mark(pt_store *s, const struct pt_store_sweep_key *sk,
                        const char *sha256, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s,
              "INSERT INTO sweep_state(ecosystem, registry, name, version, "
              "filename, url, published, sha256, status, error, attempts, "
              "updated_at) SELECT ?,?,?,?,?,?,?,?,'done',NULL,1,? WHERE "
              "EXISTS (SELECT 1 FROM packages WHERE sha256 = ?8) "
              "ON CONFLICT DO UPDATE SET url=excluded.url, "
              "published=excluded.published, sha256=excluded.sha256, "
              "status='done', error=NULL, updated_at=excluded.updated_at",
              &st, err) < 0)
    return -1;
  bind_key(st, sk);
  bind_str(st, 6, sk->url);
  sqlite3_bind_int64(st, 7, sk->published);
  bind_str(st, 8, sha256);
  sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
  if (sqlite3_step(st) != SQLITE_DONE)
    return db_err(s, err, "mark sweep state");
  return 0;
}

int pt_store_sweep_error(pt_store *s, const struct pt_store_sweep_key *sk,
                         const char *msg, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  /* Never downgrade a file already scanned (a later lookup failing does
   * not undo the scan). */
  if (prepare(s,
              "INSERT INTO sweep_state(ecosystem, registry, name, version, "
              "filename, url, published, status, error, attempts, updated_at) "
              "VALUES(?,?,?,?,?,?,?,'error',?,1,?) ON CONFLICT DO UPDATE SET "
              "error=excluded.error, attempts=attempts+1, "
              "updated_at=excluded.updated_at WHERE status <> 'done'",
              &st, err) < 0)
    return -1;
  bind_key(st, sk);
  bind_str(st, 6, sk->url);
  sqlite3_bind_int64(st, 7, sk->published);
  bind_str(st, 8, msg);
  sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
  if (sqlite3_step(st) != SQLITE_DONE)
    return db_err(s, err, "record sweep error");
  return 0;
}

int pt_store_sweep_last(pt_store *s, const char *ecosystem,
                        const char *registry, int64_t *t, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s,
              "SELECT coalesce(max(published), 0) FROM sweep_state WHERE "
              "ecosystem=? AND registry=? AND status='done'",
              &st, err) < 0)
    return -1;
  bind_str(st, 1, ecosystem);
  bind_str(st, 2, registry);
  if (sqlite3_step(st) != SQLITE_ROW)
    return db_err(s, err, "sweep last");
  *t = sqlite3_column_int64(st, 0);
  return 0;
}

/* ---- merge ---------------------------------------------------------------- */

static const char merge_sql[] =
    /* What to take: reports dst lacks, or has from an older scan. */
    "CREATE TEMP TABLE merge_take AS SELECT s.sha256 FROM src.packages s "
    "  WHERE NOT EXISTS (SELECT 1 FROM main.packages m WHERE "
    "  m.sha256 = s.sha256 AND m.scanned_at >= s.scanned_at);"
    "DELETE FROM main.findings WHERE sha256 IN merge_take;"
    "INSERT OR REPLACE INTO main.packages(sha256, ecosystem, name, version, "
    "  artifact, verdict, score, error, report, scanned_at) "
    "  SELECT sha256, ecosystem, name, version, artifact, verdict, score, "
    "  error, report, scanned_at FROM src.packages WHERE sha256 IN merge_take;"
    "INSERT INTO main.findings(sha256, idx, rule, severity, phase, summary) "
    "  SELECT sha256, idx, rule, severity, phase, summary FROM src.findings "
    "  WHERE sha256 IN merge_take;"
    /* A file done anywhere is done; an error only fills a gap. */
    "INSERT INTO main.sweep_state(ecosystem, registry, name, version, "
    "  filename, url, published, sha256, status, error, attempts, updated_at) "
    "  SELECT ecosystem, registry, name, version, filename, url, published, "
    "  sha256, status, error, attempts, updated_at FROM src.sweep_state "
    "  WHERE true ON CONFLICT DO UPDATE SET url=excluded.url, "
    "  published=excluded.published, sha256=excluded.sha256, "
    "  status=excluded.status, error=excluded.error, "
    "  updated_at=excluded.updated_at "
    "  WHERE sweep_state.status <> 'done' AND excluded.status = 'done';"
    "DROP TABLE temp.merge_take;";

int pt_store_merge(pt_store *dst, const char *src_path, pt_err **err) {
  if (access(src_path, R_OK) != 0)
    return pt_err_make(err, errno, "merge `%s`", src_path);
  /* Read-only URI: merging never writes to (or creates) the source. */
  cleanup_free char *uri = NULL;
  pt_buf b;
  pt_buf_init(&b, 16384);
  pt_buf_printf(&b, "file:");
  for (const char *p = src_path; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f)
      pt_buf_printf(&b, "%%%02X", c);
    else
      pt_buf_append(&b, p, 1);
  }
  pt_buf_printf(&b, "?mode=ro");
  if (b.dropped) {
    pt_buf_free(&b);
    return pt_err_make(err, ENAMETOOLONG, "merge `%s`", src_path);
  }
  uri = b.data;
  {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(dst, "ATTACH DATABASE ? AS src", &st, err) < 0)
      return pt_err_wrap(err, "merge `%s`", src_path);
    sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
      db_err(dst, err, "attach");
      return pt_err_wrap(err, "merge `%s`", src_path);
    }
  }
  int ret = -1;
  {
    cleanup_stmt sqlite3_stmt *st = NULL;
    if (prepare(dst,
                "SELECT count(*) FROM src.sqlite_master WHERE type='table' AND "
                "name IN ('packages','findings','sweep_state')",
                &st, err) < 0)
      goto detach;
    if (sqlite3_step(st) != SQLITE_ROW) {
      db_err(dst, err, "read");
      goto detach;
    }
    if (sqlite3_column_int(st, 0) != 3) {
      pt_err_make(err, EINVAL, "not a pkgtrap store");
      goto detach;
    }
  }
  if (exec_sql(dst, "BEGIN IMMEDIATE", err) < 0)
    goto detach;
  if (exec_sql(dst, merge_sql, err) < 0) {
    exec_sql(dst, "ROLLBACK", NULL);
    goto detach;
  }
  if (exec_sql(dst, "COMMIT", err) < 0) {
    exec_sql(dst, "ROLLBACK", NULL);
    goto detach;
  }
  ret = 0;
detach:
  exec_sql(dst, "DETACH DATABASE src", NULL);
  if (ret < 0)
    pt_err_wrap(err, "merge `%s`", src_path);
  return ret;
}

/* ---- summary -------------------------------------------------------------- */

int pt_store_severity_rank(const char *sev) {
  static const char *const order[] = {"info", "low", "medium", "high",
                                      "critical"};
  if (sev == NULL)
    return 0;
  for (size_t i = 0; i < PT_ARRAY_LEN(order); i++)
    if (strcasecmp(sev, order[i]) == 0)
      return (int)i + 1;
  return 0;
}

json_t *pt_store_top_finding(json_t *report) {
  json_t *findings = json_object_get(report, "findings"), *best = NULL, *f;
  int best_rank = -1;
  size_t i;
  json_array_foreach(findings, i, f) {
    int r = pt_store_severity_rank(jstr(f, "severity"));
    if (r > best_rank) {
      best_rank = r;
      best = f;
    }
  }
  return best;
}

static json_t *col_json(sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_NULL:
    return json_null();
  case SQLITE_INTEGER:
    return json_integer(sqlite3_column_int64(st, i));
  default:
    return json_string((const char *)sqlite3_column_text(st, i));
  }
}

/* Run sql and append one object per row, keys named by the columns. */
static int rows_json(pt_store *s, const char *sql, json_t *arr, pt_err **err) {
  cleanup_stmt sqlite3_stmt *st = NULL;
  if (prepare(s, sql, &st, err) < 0)
    return -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *o = json_object();
    for (int i = 0; i < sqlite3_column_count(st); i++)
      json_object_set_new(o, sqlite3_column_name(st, i), col_json(st, i));
    json_array_append_new(arr, o);
  }
  if (rc != SQLITE_DONE)
    return db_err(s, err, "query");
  return 0;
}

static int summary_fill(pt_store *s, json_t *out, pt_err **err) {
  int64_t n;
  if (pt_store_count(s, &n, err) < 0)
    return -1;
  json_object_set_new(out, "packages", json_integer(n));

  json_t *rows = json_array(), *by = json_object(), *r;
  json_object_set_new(out, "by_verdict", by);
  for (size_t i = 0; i < 4; i++) {
    static const char *const v[] = {"clean", "suspicious", "malicious",
                                    "error"};
    json_object_set_new(by, v[i], json_integer(0));
  }
  if (rows_json(s,
                "SELECT verdict, count(*) AS n FROM packages GROUP BY verdict",
                rows, err) < 0) {
    json_decref(rows);
    return -1;
  }
  size_t i;
  json_array_foreach(rows, i, r)
      json_object_set(by, jstr(r, "verdict"), json_object_get(r, "n"));
  json_decref(rows);

  json_t *flagged = json_array();
  json_object_set_new(out, "flagged", flagged);
  if (rows_json(s,
                "SELECT p.sha256, p.ecosystem, p.name, p.version, p.verdict, "
                "p.score, p.artifact FROM packages p WHERE p.verdict IN "
                "('suspicious','malicious') ORDER BY p.verdict = 'malicious' "
                "DESC, p.score DESC, p.name, p.version",
                flagged, err) < 0)
    return -1;
  cleanup_stmt sqlite3_stmt *top = NULL;
  if (prepare(s,
              "SELECT rule, severity, phase, summary FROM findings WHERE "
              "sha256 = ? ORDER BY " SEV_RANK_SQL " DESC, idx LIMIT 1",
              &top, err) < 0)
    return -1;
  json_array_foreach(flagged, i, r) {
    sqlite3_reset(top);
    sqlite3_bind_text(top, 1, jstr(r, "sha256"), -1, SQLITE_TRANSIENT);
    json_t *tf = json_null();
    if (sqlite3_step(top) == SQLITE_ROW) {
      tf = json_object();
      for (int c = 0; c < 4; c++)
        json_object_set_new(tf, sqlite3_column_name(top, c), col_json(top, c));
    }
    json_object_set_new(r, "top_finding", tf);
  }

  json_t *rules = json_array();
  json_object_set_new(out, "rules", rules);
  if (rows_json(s,
                "SELECT rule, count(DISTINCT sha256) AS packages, count(*) AS "
                "findings FROM findings GROUP BY rule ORDER BY packages DESC, "
                "findings DESC, rule",
                rules, err) < 0)
    return -1;

  json_t *errors = json_array();
  json_object_set_new(out, "errors", errors);
  if (rows_json(s,
                "SELECT sha256, name, version, artifact, error FROM packages "
                "WHERE verdict = 'error' ORDER BY name, version",
                errors, err) < 0)
    return -1;

  json_t *sweep = json_object(), *fails = json_array(), *cnt = json_array();
  json_object_set_new(out, "sweep", sweep);
  json_object_set_new(sweep, "failures", fails);
  if (rows_json(s,
                "SELECT sum(status = 'done') AS done, sum(status = 'error') "
                "AS failed FROM sweep_state",
                cnt, err) < 0) {
    json_decref(cnt);
    return -1;
  }
  json_t *c0 = json_array_get(cnt, 0);
  json_t *d = json_object_get(c0, "done"), *f = json_object_get(c0, "failed");
  json_object_set_new(sweep, "done",
                      json_integer(json_is_integer(d) ? json_integer_value(d) : 0));
  json_object_set_new(sweep, "failed",
                      json_integer(json_is_integer(f) ? json_integer_value(f) : 0));
  json_decref(cnt);
  return rows_json(s,
                   "SELECT ecosystem, registry, name, version, filename, "
                   "error, attempts FROM sweep_state WHERE status = 'error' "
                   "ORDER BY ecosystem, name, version, filename",
                   fails, err);
}

int pt_store_summary(pt_store *s, json_t **out, pt_err **err) {
  json_t *o = json_object();
  if (o == NULL)
    return pt_err_make(err, ENOMEM, "summary");
  /* One read transaction: a consistent snapshot while a scan writes. */
  if (exec_sql(s, "BEGIN", err) < 0) {
    json_decref(o);
    return -1;
  }
  int rc = summary_fill(s, o, err);
  exec_sql(s, "COMMIT", NULL);
  if (rc < 0) {
    json_decref(o);
    return pt_err_wrap(err, "summary");
  }
  *out = o;
  return 0;
}
