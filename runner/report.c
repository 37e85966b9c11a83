/* Report v1 from a triage record and the rules engine's findings. The
 * record is the raw material (phases, every event of every phase); the
 * report is what a reader needs: the verdict, the findings with their
 * evidence, and the events folded into processes, files, network attempts
 * and honeytokens. The contract (design.md § Contracts, docs/report-v1.md)
 * lets fields be added, never renamed or removed, so every contract field
 * is always present (null when unknown) and additions sit next to them. */
#define _GNU_SOURCE
#include "report_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Caps on the folded sections: a fork bomb or a sample writing 100k files
 * must not make a report nobody can open. What is left out is counted in
 * "omitted"; findings keep their own evidence regardless. */
#define MAX_PROCESSES 5000
#define MAX_FILES 5000
#define MAX_NETWORK 2000
#define MAX_HONEYTOKENS 500
#define MAX_EVIDENCE 50

static const char *const severities[] = {"info", "low", "medium", "high",
                                         "critical"};
static const char *const verdicts[] = {"clean", "suspicious", "malicious",
                                       "error"};

int pt_report_severity_rank(const char *sev) {
  for (size_t i = 0; sev && i < PT_ARRAY_LEN(severities); i++)
    if (strcmp(sev, severities[i]) == 0)
      return (int)i;
  return -1;
}

const char *pt_report_str(const json_t *o, const char *key) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  return json_is_string(v) ? json_string_value(v) : NULL;
}

long long pt_report_int(const json_t *o, const char *key, long long def) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  if (json_is_integer(v))
    return (long long)json_integer_value(v);
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (d > -9e18 && d < 9e18)
      return (long long)d;
  }
  return def;
}

/* ---- typed copies: each contract field gets its type or null ---------- */

static json_t *str_or_null(const json_t *o, const char *key) {
  const char *s = pt_report_str(o, key);
  return s ? json_string(s) : json_null();
}

static json_t *int_or_null(const json_t *o, const char *key) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  if (json_is_integer(v) || json_is_real(v))
    return json_integer((json_int_t)pt_report_int(o, key, 0));
  return json_null();
}

static json_t *num_or_null(const json_t *o, const char *key) {
  json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
  return json_is_number(v) ? json_deep_copy(v) : json_null();
}

/* An argv as an array of strings (anything else in it dropped). */
static json_t *argv_copy(const json_t *v) {
  if (!json_is_array(v))
    return json_null();
  json_t *a = json_array();
  size_t i;
  json_t *s;
  json_array_foreach(v, i, s) if (json_is_string(s))
      json_array_append(a, s);
  return a;
}

/* Copies o[key] when present (any type), for pass-through additions. */
static void copy_if(json_t *dst, const json_t *src, const char *key) {
  json_t *v = json_is_object(src) ? json_object_get(src, key) : NULL;
  if (v != NULL && !json_is_null(v))
    json_object_set_new(dst, key, json_deep_copy(v));
}

/* ---- the builder's state ---------------------------------------------- */

struct build {
  json_t *rep;                                         /* the report */
  json_t *processes, *files, *network, *honeytokens;   /* its arrays */
  json_t *proc_index;  /* "phase\x1fpid" -> index in processes */
  json_t *seen;        /* dedup keys of files and honeytokens */
  json_t *phase_first; /* phase -> t of its first event */
  json_t *phase_count; /* phase -> number of events */
  json_t *tokens;      /* record.honeytokens */
  const char *home;    /* identity.home, for absolute token paths */
  size_t omitted_proc, omitted_files, omitted_net, omitted_tok;
};

/* A key made of parts joined by \x1f (not in any JSON string a recorder
 * emits unescaped), for the dedup and index objects. */
static char *key_of(const char *a, const char *b, const char *c,
                    const char *d) {
  char *k = NULL;
  if (asprintf(&k, "%s\x1f%s\x1f%s\x1f%s", a ? a : "", b ? b : "",
               c ? c : "", d ? d : "") < 0)
    return NULL;
  return k;
}

/* True the first time key is seen. */
static bool first_time(struct build *B, char *key) {
  if (key == NULL)
    return true;
  bool first = json_object_get(B->seen, key) == NULL;
  if (first)
    json_object_set_new_nocheck(B->seen, key, json_true());
  free(key);
  return first;
}

static json_t *phase_of(const json_t *ev) { return str_or_null(ev, "phase"); }

static void set_common(json_t *o, const json_t *ev) {
  json_object_set_new(o, "phase", phase_of(ev));
  json_object_set_new(o, "pid", int_or_null(ev, "pid"));
  json_object_set_new(o, "t", num_or_null(ev, "t"));
}

/* ---- processes ---------------------------------------------------------- */

static json_t *proc_get(struct build *B, const json_t *ev, bool create) {
  char pid[32];
  snprintf(pid, sizeof(pid), "%lld", pt_report_int(ev, "pid", 0));
  char *k = key_of(pt_report_str(ev, "phase"), pid, NULL, NULL);
  if (k == NULL)
    return NULL;
  json_t *ix = json_object_get(B->proc_index, k);
  if (ix != NULL || !create) {
    free(k);
    return ix ? json_array_get(B->processes, (size_t)json_integer_value(ix))
              : NULL;
  }
  if (json_array_size(B->processes) >= MAX_PROCESSES) {
    B->omitted_proc++;
    free(k);
    return NULL;
  }
  json_t *p = json_object();
  json_object_set_new(p, "pid", json_integer(pt_report_int(ev, "pid", 0)));
  json_object_set_new(p, "ppid", json_integer(pt_report_int(ev, "ppid", 0)));
  json_object_set_new(p, "argv", json_array());
  json_object_set_new(p, "phase", phase_of(ev));
  json_object_set_new(p, "t", num_or_null(ev, "t"));
  json_object_set_new(p, "exe", json_null());
  json_object_set_new(p, "exit_code", json_null());
  json_object_set_new_nocheck(
      B->proc_index, k, json_integer((json_int_t)json_array_size(B->processes)));
  free(k);
  json_array_append_new(B->processes, p);
  return p;
}

static void on_process(struct build *B, const json_t *ev) {
  json_t *p = proc_get(B, ev, true);
  if (p == NULL)
    return;
  json_object_set_new(p, "ppid", json_integer(pt_report_int(ev, "ppid", 0)));
  /* The command line at first sight; an exec seen earlier (the events of
   * one pid may interleave) already knows better. */
  json_t *argv = argv_copy(json_object_get(ev, "argv"));
  if (json_array_size(argv) > 0 && pt_report_int(p, "execs", 0) == 0)
    json_object_set_new(p, "argv", argv);
  else
    json_decref(argv);
  copy_if(p, ev, "jpid");
  if (pt_report_int(p, "execs", 0) == 0)
    copy_if(p, ev, "exe");
}

/* ---- files ---------------------------------------------------------------- */

static void add_file(struct build *B, const json_t *ev, const char *op,
                     const char *path, const char *detail) {
  char pid[32];
  snprintf(pid, sizeof(pid), "%lld", pt_report_int(ev, "pid", 0));
  char *k = key_of(pt_report_str(ev, "phase"), pid, op, path);
  /* Dedup before the cap: a loop rewriting one file is one entry. */
  if (!first_time(B, k))
    return;
  if (json_array_size(B->files) >= MAX_FILES) {
    B->omitted_files++;
    return;
  }
  json_t *f = json_object();
  json_object_set_new(f, "path", json_string(path));
  json_object_set_new(f, "op", json_string(op));
  set_common(f, ev);
  if (detail)
    json_object_set_new(f, "detail", json_string(detail));
  copy_if(f, ev, "to");
  copy_if(f, ev, "target");
  copy_if(f, ev, "mode");
  copy_if(f, ev, "token_file");
  copy_if(f, ev, "seen_by");
  copy_if(f, ev, "truncated");
  copy_if(f, ev, "in_place");
  copy_if(f, ev, "length");
  json_array_append_new(B->files, f);
}

static void add_honeytoken(struct build *B, const json_t *ev, const char *token,
                           const char *how, const char *where, bool leak);

/* Credential-file reads become honeytoken entries too: one per token the
 * file holds (record.honeytokens "where"/"locations" say which), or the
 * file itself when it holds none (a wallet kept as bait). */
static void token_file_read(struct build *B, const json_t *ev) {
  const char *tf = pt_report_str(ev, "token_file");
  if (tf == NULL)
    return;
  char *tilde = NULL, *abs = NULL;
  if (asprintf(&tilde, "~/%s", tf) < 0)
    return;
  if (B->home && asprintf(&abs, "%s/%s", B->home, tf) < 0)
    abs = NULL;
  bool any = false;
  size_t i;
  json_t *t;
  json_array_foreach(B->tokens, i, t) {
    const char *id = pt_report_str(t, "id");
    if (id == NULL)
      continue;
    bool match = false;
    const char *w = pt_report_str(t, "where");
    if (w && (strcmp(w, tilde) == 0 || strcmp(w, tf) == 0 ||
              (abs && strcmp(w, abs) == 0)))
      match = true;
    size_t j;
    json_t *l;
    json_t *locs = json_object_get(t, "locations");
    if (json_is_array(locs))
      json_array_foreach(locs, j, l) {
        const char *ls = json_string_value(l);
        if (ls && (strcmp(ls, tilde) == 0 || strcmp(ls, tf) == 0 ||
                   (abs && strcmp(ls, abs) == 0)))
          match = true;
      }
    if (match) {
      add_honeytoken(B, ev, id, "read", tilde, false);
      any = true;
    }
  }
  if (!any)
    add_honeytoken(B, ev, tilde, "read", tilde, false);
  free(tilde);
  free(abs);
}

/* The recorder's file ops folded onto the contract's seven; the exact
 * operation stays in "detail". */
static void on_file(struct build *B, const json_t *ev) {
  const char *op = pt_report_str(ev, "op");
  const char *path = pt_report_str(ev, "path");
  if (op == NULL || path == NULL)
    return;
  static const struct {
    const char *from, *to;
  } map[] = {
      {"read", "read"},     {"write", "write"},   {"create", "create"},
      {"delete", "delete"}, {"unlink", "delete"}, {"rename", "rename"},
      {"chmod", "chmod"},   {"exec", "exec"},     {"symlink", "create"},
      {"link", "create"},   {"chown", "chmod"},   {"mkdir", "create"},
      {"rmdir", "delete"},  {"truncate", "write"},
  };
  const char *to = NULL;
  for (size_t i = 0; i < PT_ARRAY_LEN(map) && to == NULL; i++)
    if (strcmp(op, map[i].from) == 0)
      to = map[i].to;
  if (to == NULL) /* an op newer than this file: still shown, as a write */
    to = "write";
  add_file(B, ev, to, path, strcmp(op, to) != 0 ? op : NULL);
  if (strcmp(op, "read") == 0)
    token_file_read(B, ev);
}

static void on_exec(struct build *B, const json_t *ev) {
  const char *path = pt_report_str(ev, "path");
  if (path)
    add_file(B, ev, "exec", path, NULL);
  json_t *p = proc_get(B, ev, true);
  if (p == NULL)
    return;
  json_t *argv = argv_copy(json_object_get(ev, "argv"));
  if (json_is_array(argv))
    json_object_set_new(p, "argv", argv);
  else
    json_decref(argv);
  if (path)
    json_object_set_new(p, "exe", json_string(path));
  json_object_set_new(p, "execs",
                      json_integer(pt_report_int(p, "execs", 0) + 1));
}

/* A watched config's change (triage_configs.c): a write of that file,
 * with what was added. */
static void on_config_change(struct build *B, const json_t *ev) {
  const char *path = pt_report_str(ev, "path");
  if (path == NULL)
    return;
  size_t before = json_array_size(B->files);
  add_file(B, ev, "write", path, "config-change");
  json_t *f = json_array_get(B->files, json_array_size(B->files) - 1);
  if (json_array_size(B->files) > before && f) {
    copy_if(f, ev, "added");
    copy_if(f, ev, "keys");
  }
}

static void on_memfd(struct build *B, const json_t *ev) {
  const char *name = pt_report_str(ev, "name");
  char *path = NULL;
  if (asprintf(&path, "memfd:%s", name ? name : "") < 0)
    return;
  add_file(B, ev, "create", path, "memfd");
  free(path);
}

/* ---- network ------------------------------------------------------------ */

static void on_network(struct build *B, const json_t *ev, const char *kind) {
  if (json_array_size(B->network) >= MAX_NETWORK) {
    B->omitted_net++;
    return;
  }
  json_t *n = json_object();
  bool dns = strcmp(kind, "dns") == 0;
  bool net = strcmp(kind, "net") == 0;
  const char *proto = pt_report_str(ev, "proto");
  /* "net" is what the fake network saw on a connection: its kind is the
   * protocol, so the table reads dns / tcp / udp / connect / send. */
  bool tcp_udp = proto && (strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0);
  json_object_set_new(n, "kind",
                      json_string(net ? (tcp_udp ? proto : "net") : kind));
  const char *fam = pt_report_str(ev, "family");
  json_object_set_new(n, "proto",
                      proto ? json_string(proto)
                      : dns ? json_string("udp")
                      : fam && strcmp(fam, "unix") == 0 ? json_string("unix")
                                                        : json_null());
  json_object_set_new(n, "address", dns ? str_or_null(ev, "server")
                                        : str_or_null(ev, "address"));
  json_object_set_new(n, "port", dns ? json_integer(53) : int_or_null(ev, "port"));
  json_object_set_new(n, "hostname", dns ? str_or_null(ev, "name")
                                         : str_or_null(ev, "hostname"));
  json_object_set_new(n, "sni", str_or_null(ev, "sni"));
  json_object_set_new(n, "bytes", int_or_null(ev, "bytes"));
  json_object_set_new(n, "excerpt", str_or_null(ev, "excerpt"));
  set_common(n, ev);
  static const char *const extra[] = {"family", "syscall", "qtype", "answer",
                                      "error",  "http",    "alpn",  "tls_version",
                                      "truncated", "closed", "duration_ms"};
  for (size_t i = 0; i < PT_ARRAY_LEN(extra); i++)
    copy_if(n, ev, extra[i]);
  json_array_append_new(B->network, n);
}

/* ---- honeytokens -------------------------------------------------------- */

/* Values are never copied into a report: they are fake, but a report
 * uploaded to CI would set off every secret scanner on the way. */
static void add_honeytoken(struct build *B, const json_t *ev, const char *token,
                           const char *how, const char *where, bool leak) {
  char *k = key_of(pt_report_str(ev, "phase"), token, how, where);
  if (!first_time(B, k))
    return;
  if (json_array_size(B->honeytokens) >= MAX_HONEYTOKENS) {
    B->omitted_tok++;
    return;
  }
  json_t *h = json_object();
  json_object_set_new(h, "token", json_string(token));
  json_object_set_new(h, "how", json_string(how));
  json_object_set_new(h, "where", where ? json_string(where) : json_null());
  json_object_set_new(h, "leak", json_boolean(leak));
  set_common(h, ev);
  static const char *const extra[] = {"name", "proto", "address", "port",
                                      "hostname"};
  for (size_t i = 0; leak && i < PT_ARRAY_LEN(extra); i++)
    copy_if(h, ev, extra[i]);
  json_array_append_new(B->honeytokens, h);
}

static void on_honeytoken(struct build *B, const json_t *ev) {
  const char *tok = pt_report_str(ev, "token");
  if (tok == NULL)
    return;
  const char *enc = pt_report_str(ev, "encoding");
  add_honeytoken(B, ev, tok, enc ? enc : "raw", pt_report_str(ev, "where"),
                 true);
}

/* ---- phases, findings ---------------------------------------------------- */

static json_t *build_phases(struct build *B, const json_t *phases) {
  json_t *out = json_array();
  size_t i;
  json_t *ph;
  json_array_foreach(phases, i, ph) {
    if (!json_is_object(ph))
      continue;
    json_t *o = json_object();
    const char *name = pt_report_str(ph, "name");
    json_object_set_new(o, "name", json_string(name ? name : "?"));
    json_object_set_new(o, "kind", str_or_null(ph, "kind"));
    json_object_set_new(o, "argv", argv_copy(json_object_get(ph, "argv")));
    json_object_set_new(o, "exit_code", int_or_null(ph, "exit_code"));
    json_object_set_new(o, "duration_ms", num_or_null(ph, "duration_ms"));
    json_object_set_new(o, "timed_out",
                        json_boolean(json_is_true(json_object_get(ph, "timed_out"))));
    copy_if(o, ph, "status");
    copy_if(o, ph, "note");
    copy_if(o, ph, "repeats");
    copy_if(o, ph, "env");
    json_t *first = name ? json_object_get(B->phase_first, name) : NULL;
    json_object_set_new(o, "start_ms", first ? json_deep_copy(first) : json_null());
    json_t *cnt = name ? json_object_get(B->phase_count, name) : NULL;
    json_object_set_new(o, "events", cnt ? json_deep_copy(cnt) : json_integer(0));
    json_array_append_new(out, o);
  }
  return out;
}

static int cmp_findings(const void *a, const void *b) {
  json_t *fa = *(json_t *const *)a, *fb = *(json_t *const *)b;
  int ra = pt_report_severity_rank(pt_report_str(fa, "severity"));
  int rb = pt_report_severity_rank(pt_report_str(fb, "severity"));
  if (ra != rb)
    return rb - ra;
  /* stable: the original position, stashed while sorting */
  return (int)(pt_report_int(fa, "\x1fpos", 0) - pt_report_int(fb, "\x1fpos", 0));
}

/* Findings keep every field the rules engine gave them; the contract's
 * five are typed, and the list is ordered most severe first (stable) so
 * every output reads the same way. */
static json_t *build_findings(const json_t *findings) {
  size_t n = json_array_size(findings);
  json_t **v = calloc(n ? n : 1, sizeof(*v));
  size_t m = 0;
  if (v == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    json_t *f = json_array_get(findings, i);
    if (!json_is_object(f))
      continue;
    json_t *o = json_object();
    const char *rule = pt_report_str(f, "rule");
    json_object_set_new(o, "rule", json_string(rule ? rule : "unknown"));
    const char *sev = pt_report_str(f, "severity");
    json_object_set_new(o, "severity", json_string(
        pt_report_severity_rank(sev) >= 0 ? sev : "info"));
    json_object_set_new(o, "phase", str_or_null(f, "phase"));
    const char *sum = pt_report_str(f, "summary");
    json_object_set_new(o, "summary", json_string(sum ? sum : rule ? rule : ""));
    json_t *ev = json_object_get(f, "evidence");
    json_t *evs = json_array();
    size_t k, omitted = 0;
    json_t *e;
    if (json_is_array(ev))
      json_array_foreach(ev, k, e) {
        if (!json_is_object(e))
          continue;
        if (json_array_size(evs) < MAX_EVIDENCE)
          json_array_append_new(evs, json_deep_copy(e));
        else
          omitted++;
      }
    json_object_set_new(o, "evidence", evs);
    if (omitted)
      json_object_set_new(o, "evidence_omitted", json_integer((json_int_t)omitted));
    /* The contract's five first, then whatever else the engine said. */
    const char *key;
    json_t *val;
    json_object_foreach(f, key, val) {
      if (json_object_get(o, key) == NULL && key[0] != '\x1f')
        json_object_set_new(o, key, json_deep_copy(val));
    }
    json_object_set_new_nocheck(o, "\x1fpos", json_integer((json_int_t)m));
    v[m++] = o;
  }
  qsort(v, m, sizeof(*v), cmp_findings);
  json_t *out = json_array();
  for (size_t i = 0; i < m; i++) {
    json_object_del(v[i], "\x1fpos");
    json_array_append_new(out, v[i]);
  }
  free(v);
  return out;
}

/* ---- the report ---------------------------------------------------------- */

static json_t *build_package(const json_t *record) {
  json_t *pkg = json_object_get(record, "package");
  json_t *o = json_object();
  static const char *const keys[] = {"ecosystem", "name", "version", "artifact",
                                     "sha256"};
  for (size_t i = 0; i < PT_ARRAY_LEN(keys); i++)
    json_object_set_new(o, keys[i], str_or_null(pkg, keys[i]));
  copy_if(o, pkg, "kind");
  return o;
}

static void fold_events(struct build *B, const json_t *events) {
  size_t i;
  json_t *ev;
  json_array_foreach(events, i, ev) {
    const char *kind = pt_report_str(ev, "kind");
    if (kind == NULL)
      continue;
    const char *phase = pt_report_str(ev, "phase");
    if (phase) {
      json_t *t = json_object_get(ev, "t");
      if (json_is_number(t) && json_object_get(B->phase_first, phase) == NULL)
        json_object_set_new_nocheck(B->phase_first, phase, json_deep_copy(t));
      json_object_set_new_nocheck(
          B->phase_count, phase,
          json_integer(pt_report_int(B->phase_count, phase, 0) + 1));
    }
    if (strcmp(kind, "process") == 0)
      on_process(B, ev);
    else if (strcmp(kind, "exec") == 0)
      on_exec(B, ev);
    else if (strcmp(kind, "exit") == 0) {
      json_t *p = proc_get(B, ev, false);
      if (p)
        json_object_set_new(p, "exit_code", int_or_null(ev, "code"));
    } else if (strcmp(kind, "file") == 0)
      on_file(B, ev);
    else if (strcmp(kind, "memfd") == 0)
      on_memfd(B, ev);
    else if (strcmp(kind, "config-change") == 0)
      on_config_change(B, ev);
    else if (strcmp(kind, "dns") == 0 || strcmp(kind, "net") == 0 ||
             strcmp(kind, "connect") == 0 || strcmp(kind, "send") == 0 ||
             strcmp(kind, "bind") == 0 || strcmp(kind, "listen") == 0)
      on_network(B, ev, kind);
    else if (strcmp(kind, "honeytoken") == 0)
      on_honeytoken(B, ev);
  }
}

json_t *pt_report_build(json_t *record, json_t *findings, int score,
                        const char *verdict, pt_err **err) {
  bool ok_verdict = false;
  for (size_t i = 0; verdict && i < PT_ARRAY_LEN(verdicts); i++)
    ok_verdict |= strcmp(verdict, verdicts[i]) == 0;
  if (!ok_verdict) {
    pt_err_make(err, EINVAL, "report: verdict `%s` is not one of clean, "
                "suspicious, malicious, error", verdict ? verdict : "(null)");
    return NULL;
  }
  if (score < 0 || score > 100) {
    pt_err_make(err, EINVAL, "report: score %d is outside 0..100", score);
    return NULL;
  }
  if (record != NULL && !json_is_object(record)) {
    pt_err_make(err, EINVAL, "report: the record is not a JSON object");
    return NULL;
  }
  if (findings != NULL && !json_is_array(findings)) {
    pt_err_make(err, EINVAL, "report: findings are not a JSON array");
    return NULL;
  }
  struct build B = {0};
  B.rep = json_object();
  B.processes = json_array();
  B.files = json_array();
  B.network = json_array();
  B.honeytokens = json_array();
  B.proc_index = json_object();
  B.seen = json_object();
  B.phase_first = json_object();
  B.phase_count = json_object();
  B.tokens = json_object_get(record, "honeytokens");
  B.home = pt_report_str(json_object_get(record, "identity"), "home");
  json_t *rep = B.rep;

  json_object_set_new(rep, "schema", json_string(PT_REPORT_SCHEMA));
  json_object_set_new(rep, "package", build_package(record));
  json_object_set_new(rep, "verdict", json_string(verdict));
  json_object_set_new(rep, "score", json_integer(score));
  json_object_set_new(rep, "error", str_or_null(record, "error"));

  json_t *events = json_object_get(record, "events");
  if (json_is_array(events))
    fold_events(&B, events);

  json_object_set_new(rep, "phases",
                      build_phases(&B, json_object_get(record, "phases")));
  json_t *fs = build_findings(findings);
  json_object_set_new(rep, "findings", fs ? fs : json_array());
  json_object_set_new(rep, "processes", B.processes);
  json_object_set_new(rep, "files", B.files);
  json_object_set_new(rep, "network", B.network);
  json_object_set_new(rep, "honeytokens", B.honeytokens);

  /* Additions (allowed by the contract). */
  json_object_set_new(rep, "tool", json_pack("{s:s,s:s}", "name", "pkgtrap",
                                             "version", PKGTRAP_REPORT_VERSION));
  json_object_set_new(
      rep, "omitted",
      json_pack("{s:I,s:I,s:I,s:I}", "processes", (json_int_t)B.omitted_proc,
                "files", (json_int_t)B.omitted_files, "network",
                (json_int_t)B.omitted_net, "honeytokens",
                (json_int_t)B.omitted_tok));
  json_object_set_new(rep, "events_total",
                      json_integer((json_int_t)json_array_size(events)));
  static const char *const passthrough[] = {"problems", "identity", "hijacks",
                                            "dependencies", "stats"};
  for (size_t i = 0; i < PT_ARRAY_LEN(passthrough); i++)
    copy_if(rep, record, passthrough[i]);

  json_decref(B.proc_index);
  json_decref(B.seen);
  json_decref(B.phase_first);
  json_decref(B.phase_count);
  if (fs == NULL) {
    json_decref(rep);
    pt_err_make(err, ENOMEM, "report");
    return NULL;
  }
  return rep;
}
