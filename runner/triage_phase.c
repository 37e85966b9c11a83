/* Running one triage phase in the session, argv templates from the
 * ecosystem profiles, and reading the installed tree back from the host
 * side (see triage_int.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "events.h"
#include "profile.h"
#include "pt_util.h"
#include "tokscan.h"
#include "triage_int.h"

/* Output of a phase kept in the record, per stream. The jail keeps 64 KiB;
 * the record only needs enough to explain a failure: the first
 * PHASE_OUTPUT_HEAD bytes and the last, up to PHASE_OUTPUT_MAX in all,
 * since a traceback's cause (pip's, node's) is at its end. */
#define PHASE_OUTPUT_MAX 4096
#define PHASE_OUTPUT_HEAD 1024
#define ARGV_MAX 512

/* ---- argv templates ---------------------------------------------------- */

static const struct pt_tvar *find_var(const struct pt_tvar *vars, size_t n,
                                      const char *key, size_t kl) {
  for (size_t i = 0; i < n; i++)
    if (strlen(vars[i].key) == kl && memcmp(vars[i].key, key, kl) == 0)
      return &vars[i];
  return NULL;
}

char *pt_triage_expand(const char *s, const struct pt_tvar *vars,
                       size_t n_vars) {
  pt_buf b;
  pt_buf_init(&b, 1 << 20);
  for (const char *p = s; *p;) {
    const char *o = strchr(p, '{');
    const char *c = o ? strchr(o, '}') : NULL;
    const struct pt_tvar *v =
        o && c ? find_var(vars, n_vars, o + 1, (size_t)(c - o - 1)) : NULL;
    if (v == NULL || v->list) {
      /* Not a placeholder we know (Python source is full of braces):
       * copied as written. */
      size_t l = o ? (size_t)(o - p) + 1 : strlen(p);
      pt_buf_append(&b, p, l);
      p += l;
      continue;
    }
    pt_buf_append(&b, p, (size_t)(o - p));
    if (v->value)
      pt_buf_append(&b, v->value, strlen(v->value));
    p = c + 1;
  }
  pt_buf_append(&b, "", 1);
  if (b.data == NULL || b.dropped)
    return pt_buf_free(&b), NULL;
  return b.data;
}

char **pt_triage_argv(const json_t *tmpl, const struct pt_tvar *vars,
                      size_t n_vars, pt_err **err) {
  if (!json_is_array(tmpl) || json_array_size(tmpl) == 0) {
    pt_err_make(err, 0, "argv template must be a non-empty array");
    return NULL;
  }
  char **argv = calloc(ARGV_MAX + 1, sizeof(char *));
  if (argv == NULL) {
    pt_err_make(err, ENOMEM, "argv");
    return NULL;
  }
  size_t k = 0;
  size_t i;
  json_t *e;
  json_array_foreach(tmpl, i, e) {
    const char *s = json_string_value(e);
    if (s == NULL) {
      pt_err_make(err, 0, "argv template: element %zu is not a string", i);
      goto fail;
    }
    size_t sl = strlen(s);
    const struct pt_tvar *v =
        sl > 2 && s[0] == '{' && s[sl - 1] == '}'
            ? find_var(vars, n_vars, s + 1, sl - 2)
            : NULL;
    if (v && (v->list || v->value == NULL)) {
      for (char *const *l = v->list; l && *l; l++) {
        if (k == ARGV_MAX) {
          pt_err_make(err, E2BIG, "argv longer than %d", ARGV_MAX);
          goto fail;
        }
        if ((argv[k++] = strdup(*l)) == NULL)
          goto nomem;
      }
      continue;
    }
    if (k == ARGV_MAX) {
      pt_err_make(err, E2BIG, "argv longer than %d", ARGV_MAX);
      goto fail;
    }
    if ((argv[k++] = pt_triage_expand(s, vars, n_vars)) == NULL)
      goto nomem;
  }
  return argv;
nomem:
  pt_err_make(err, ENOMEM, "argv");
fail:
  pt_triage_argv_free(argv);
  return NULL;
}

void pt_triage_argv_free(char **argv) { pt_strv_free(argv); }

void pt_strv_free(char **v) {
  for (char **p = v; p && *p; p++)
    free(*p);
  free(v);
}

/* ---- phases ------------------------------------------------------------ */

bool pt_triage_stopped(const struct pt_triage *t) {
  return t->interrupted || t->fatal != NULL;
}

static const char *status_name(enum pt_phase_status s) {
  switch (s) {
  case PT_PHASE_OK:
    return "ok";
  case PT_PHASE_FAILED:
    return "failed";
  case PT_PHASE_TIMED_OUT:
    return "timed_out";
  case PT_PHASE_SKIPPED:
    break;
  }
  return "skipped";
}

struct output_scan {
  pt_events *ev;
  const char *where;
};

static void output_token(void *ctx, const pt_tok_match *m, const char *enc) {
  struct output_scan *os = ctx;
  pt_events_emit_token(os->ev, 0, "honeytoken", m->id, enc, os->where, NULL);
}

/* Honeytokens in what the phase printed (all the jail captured, not only
 * what the record keeps): CI logs are often public, and a secret printed
 * there encoded, past the CI's masking of its plain value, is how the
 * tj-actions/changed-files compromise leaked (base64 twice). No pid: the
 * capture does not say which process wrote. */
static void scan_output(struct pt_triage *t, const struct jail_result *res) {
  const pt_tok_scanner *toks = pt_session_tokens(t->sess);
  const struct {
    const pt_buf *b;
    const char *where;
  } streams[] = {{&res->out, "stdout"}, {&res->err, "stderr"}};
  for (size_t i = 0; toks && i < PT_ARRAY_LEN(streams); i++) {
    struct output_scan os = {pt_session_events(t->sess), streams[i].where};
    if (streams[i].b->data)
      pt_tok_scan_nested(toks, streams[i].b->data, streams[i].b->len, 16, 0,
                         output_token, &os);
  }
}

/* A stream's head and tail, escaped as pt_json_bytes does, with what was
 * left out between them said in the middle (and what the jail's capture
 * dropped after what it kept: then the tail is not the stream's end). */
static json_t *output_json(const pt_buf *b) {
  const char *d = b->data ? b->data : "";
  if (b->len <= PHASE_OUTPUT_MAX && b->dropped == 0)
    return pt_json_bytes(d, b->len, PHASE_OUTPUT_MAX);
  size_t head = b->len <= PHASE_OUTPUT_MAX ? b->len : PHASE_OUTPUT_HEAD;
  size_t tail = b->len <= PHASE_OUTPUT_MAX ? 0 : PHASE_OUTPUT_MAX - head;
  json_t *h = pt_json_bytes(d, head, head);
  json_t *t = pt_json_bytes(d + b->len - tail, tail, tail);
  char mid[128] = "";
  if (tail > 0)
    snprintf(mid, sizeof(mid), "\n[... %zu bytes left out ...]\n",
             b->len - head - tail);
  char end[96] = "";
  if (b->dropped > 0)
    snprintf(end, sizeof(end), "\n[... %llu more bytes not captured]",
             (unsigned long long)b->dropped);
  json_t *o = h && t ? json_pack("s+++", json_string_value(h), mid,
                                 json_string_value(t), end)
                     : NULL;
  json_decref(h);
  json_decref(t);
  return o;
}

static json_t *phase_json(const char *name, const char *kind,
                          char *const *argv) {
  json_t *p = json_object();
  json_object_set_new(p, "name", pt_json_bytes(name, strlen(name), 1024));
  json_object_set_new(p, "kind", json_string(kind));
  json_t *a = json_array();
  for (char *const *c = argv; c && *c; c++)
    json_array_append_new(a, pt_json_bytes(*c, strlen(*c), 4096));
  json_object_set_new(p, "argv", a);
  return p;
}

json_t *pt_triage_phase_skipped(struct pt_triage *t, const char *name,
                                const char *kind, char *const *argv,
                                const char *note) {
  json_t *p = phase_json(name, kind, argv);
  json_object_set_new(p, "exit_code", json_null());
  json_object_set_new(p, "duration_ms", json_integer(0));
  json_object_set_new(p, "timed_out", json_false());
  json_object_set_new(p, "status", json_string("skipped"));
  json_object_set_new(p, "note", json_string(note));
  json_array_append_new(json_object_get(t->record, "phases"), p);
  return p;
}

void pt_phase_result_free(struct pt_phase_result *r) {
  if (r->ran)
    jail_result_free(&r->res);
  memset(r, 0, sizeof(*r));
}

/* Appends the expanded entries of a list of NAME=VALUE templates, keeping
 * a slot for the terminating NULL. */
static void add_env(char **env, size_t *n, size_t cap, const json_t *list,
                    const struct pt_tvar *vars, size_t n_vars) {
  size_t i;
  json_t *e;
  json_array_foreach(list, i, e) {
    if (*n + 1 >= cap || !json_is_string(e))
      break;
    env[(*n)++] = pt_triage_expand(json_string_value(e), vars, n_vars);
  }
}

json_t *pt_triage_phase(struct pt_triage *t, const char *name,
                        const char *kind, char *const *argv, const char *cwd,
                        struct pt_phase_result *out) {
  struct pt_phase_result local = {0};
  struct pt_phase_result *r = out ? out : &local;
  memset(r, 0, sizeof(*r));
  r->status = PT_PHASE_SKIPPED;
  if (pt_triage_stopped(t))
    return NULL;
  uint64_t now = pt_now_ns();
  uint64_t left_ms = now < t->deadline_ns ? (t->deadline_ns - now) / 1000000 : 0;
  if (left_ms < 1000)
    return pt_triage_phase_skipped(t, name, kind, argv,
                                   "total budget exhausted");
  /* Environment: the profile's, with PATH led by the package's bin dir
   * (a developer's activated venv / npm run's PATH). */
  const json_t *envt = json_object_get(t->profile, "env");
  char *env[40];
  size_t n_env = 0;
  struct pt_tvar vars[] = {{"venv", NULL, NULL}, {"project", NULL, NULL}};
  char venv[700];
  snprintf(venv, sizeof(venv), "%s/.venv", t->project_jail);
  vars[0].value = venv;
  vars[1].value = t->project_jail;
  size_t i;
  json_t *e;
  env[n_env++] = t->path_env;
  add_env(env, &n_env, PT_ARRAY_LEN(env), envt, vars, 2);
  size_t own_env = n_env; /* the phase's own (phase_env) from here on */
  add_env(env, &n_env, PT_ARRAY_LEN(env), t->phase_env, vars, 2);
  struct pt_session_run run = {.argv = argv,
                               .cwd = cwd ? cwd : t->project_jail,
                               .env = env,
                               .n_env = n_env,
                               .limits = *pt_session_limits(t->sess),
                               .out_fd = -1,
                               .err_fd = -1};
  struct jail_mount m[1 + PT_TRIAGE_MAX_PROFILE_MOUNTS];
  char srcs[PT_TRIAGE_MAX_PROFILE_MOUNTS][4096];
  size_t n_m = 0, n_src = 0;
  if (t->opts->deps_dir)
    m[n_m++] = (struct jail_mount){.src = t->opts->deps_dir,
                                   .dst = t->opts->deps_dir,
                                   .kind = JAIL_BIND_RO};
  /* The profile's own files (node-timers.cjs, python-site/), read-only;
   * checked when the profile was loaded (triage.c). */
  json_array_foreach(json_object_get(t->profile, "mounts"), i, e) {
    if (n_src == PT_TRIAGE_MAX_PROFILE_MOUNTS)
      break;
    char rel[600];
    snprintf(rel, sizeof(rel), "ecosystems/%s",
             json_string_value(json_object_get(e, "src")));
    pt_profile_path(rel, srcs[n_src], sizeof(srcs[n_src]));
    m[n_m++] = (struct jail_mount){
        .src = srcs[n_src++],
        .dst = json_string_value(json_object_get(e, "dst")),
        .kind = JAIL_BIND_RO};
  }
  run.mounts = n_m ? m : NULL;
  run.n_mounts = n_m;
  uint64_t timeout = t->phase_timeout_ms;
  if ((strcmp(kind, "bin") == 0 || strcmp(kind, "entry_point") == 0) &&
      t->command_timeout_ms && t->command_timeout_ms < timeout)
    timeout = t->command_timeout_ms;
  if (left_ms < timeout)
    timeout = left_ms;
  run.limits.timeout_ms = timeout;
  pt_events_set_phase(pt_session_events(t->sess), name);
  pt_err *err = NULL;
  int rc = pt_session_run(t->sess, &run, &r->res, &err);
  if (rc == 0)
    scan_output(t, &r->res);
  if (rc == 0 && t->configs == NULL)
    pt_triage_configs_snapshot(t);
  else if (rc == 0)
    pt_triage_configs_diff(t);
  pt_events_set_phase(pt_session_events(t->sess), NULL);
  json_t *own_env_json = NULL;
  for (size_t k = own_env; rc == 0 && k < n_env; k++) {
    if (own_env_json == NULL)
      own_env_json = json_array();
    if (env[k])
      json_array_append_new(own_env_json,
                            pt_json_bytes(env[k], strlen(env[k]), 512));
  }
  for (size_t k = 1; k < n_env; k++)
    free(env[k]);
  if (rc < 0) {
    jail_result_free(&r->res);
    if (err && err->errnum < 0)
      t->interrupted = true;
    t->fatal = err ? err : NULL;
    if (t->fatal == NULL)
      pt_err_make(&t->fatal, 0, "phase `%s`: supervisor failed", name);
    else
      pt_err_wrap(&t->fatal, "phase `%s`", name);
    return NULL;
  }
  r->ran = true;
  json_t *p = phase_json(name, kind, argv);
  if (own_env_json) /* what this phase ran with beyond the profile's */
    json_object_set_new(p, "env", own_env_json);
  const struct jail_result *res = &r->res;
  r->exit_code = jail_result_status(res);
  const char *note = NULL;
  char buf[PT_ERR_WIRE_MAX + 64];
  switch (res->outcome) {
  case JAIL_EXITED:
    r->status = res->exit_code == 0 ? PT_PHASE_OK : PT_PHASE_FAILED;
    break;
  case JAIL_SIGNALED:
    r->status = PT_PHASE_FAILED;
    snprintf(buf, sizeof(buf), "killed by signal %d%s", res->term_signal,
             res->oom_killed ? " at the memory limit" : "");
    note = buf;
    break;
  case JAIL_TIMED_OUT:
    r->status = PT_PHASE_TIMED_OUT;
    snprintf(buf, sizeof(buf), "timed out after %llu ms",
             (unsigned long long)timeout);
    note = buf;
    break;
  case JAIL_EXEC_FAILED:
    r->status = PT_PHASE_FAILED;
    snprintf(buf, sizeof(buf), "cannot execute `%s`: %s", argv[0],
             strerror(res->exec_errno));
    note = buf;
    break;
  case JAIL_SETUP_FAILED:
    r->status = PT_PHASE_FAILED;
    snprintf(buf, sizeof(buf), "jail setup failed: %s", res->setup_error);
    note = buf;
    break;
  }
  char more[PT_ERR_WIRE_MAX + 128];
  if (res->forks_refused) {
    snprintf(more, sizeof(more), "%s%s%llu fork%s refused at the pids limit",
             note ? note : "", note ? "; " : "",
             (unsigned long long)res->forks_refused,
             res->forks_refused == 1 ? "" : "s");
    note = more;
  }
  json_object_set_new(p, "exit_code", json_integer(r->exit_code));
  json_object_set_new(p, "duration_ms",
                      json_integer((json_int_t)(res->wall_ns / 1000000)));
  json_object_set_new(p, "timed_out",
                      json_boolean(res->outcome == JAIL_TIMED_OUT));
  json_object_set_new(p, "status", json_string(status_name(r->status)));
  json_object_set_new(p, "note", note ? json_string(note) : json_null());
  json_object_set_new(p, "stdout", output_json(&res->out));
  json_object_set_new(p, "stderr", output_json(&res->err));
  json_array_append_new(json_object_get(t->record, "phases"), p);
  if (out == NULL)
    pt_phase_result_free(&local);
  return p;
}

/* ---- reading the installed tree ---------------------------------------- */

/* Everything below HOME was written by the package: a path component may
 * be a symlink to a host file, a FIFO that blocks, a device. openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS refuses to leave HOME or follow any
 * link, O_NONBLOCK keeps a FIFO from blocking, and only regular files are
 * read. */
static int open_beneath(const struct pt_triage *t, const char *rel,
                        int flags) {
  /* openat2 refuses O_PATH with any flag beyond O_DIRECTORY/O_CLOEXEC. */
  if (!(flags & O_PATH))
    flags |= O_NOCTTY | O_NONBLOCK;
  struct open_how how = {
      .flags = (uint64_t)(flags | O_CLOEXEC),
      .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                 RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
  return (int)syscall(SYS_openat2, t->home_fd, rel, &how, sizeof(how));
}

int pt_triage_read(const struct pt_triage *t, const char *rel, size_t cap,
                   char **out, size_t *len, pt_err **err) {
  cleanup_close int fd = open_beneath(t, rel, O_RDONLY);
  if (fd < 0)
    return pt_err_make(err, errno, "open `~/%s`", rel);
  struct stat st;
  if (fstat(fd, &st) < 0)
    return pt_err_make(err, errno, "stat `~/%s`", rel);
  if (!S_ISREG(st.st_mode))
    return pt_err_make(err, EINVAL, "`~/%s` is not a regular file", rel);
  if ((uint64_t)st.st_size > cap)
    return pt_err_make(err, EFBIG, "`~/%s` is larger than %zu bytes", rel,
                       cap);
  char *buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL)
    return pt_err_make(err, ENOMEM, "read `~/%s`", rel);
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      free(buf);
      return pt_err_make(err, errno, "read `~/%s`", rel);
    }
    if (n == 0)
      break; /* shrank while we read: what was there */
    got += (size_t)n;
  }
  buf[got] = '\0';
  *out = buf;
  *len = got;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **pt_triage_list(const struct pt_triage *t, const char *rel,
                      pt_err **err) {
  int fd = open_beneath(t, rel, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    pt_err_make(err, errno, "open `~/%s`", rel);
    return NULL;
  }
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    pt_err_make(err, errno, "fdopendir `~/%s`", rel);
    close(fd);
    return NULL;
  }
  size_t n = 0, cap = 16;
  char **v = calloc(cap + 1, sizeof(char *));
  struct dirent *de;
  while (v && (de = readdir(d)) != NULL && n < PT_TRIAGE_MAX_DIR_ENTRIES) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (n == cap) {
      char **nv = realloc(v, (cap * 2 + 1) * sizeof(char *));
      if (nv == NULL)
        break;
      v = nv;
      cap *= 2;
    }
    v[n] = strdup(de->d_name);
    if (v[n] == NULL)
      break;
    v[++n] = NULL;
  }
  closedir(d);
  if (v == NULL) {
    pt_err_make(err, ENOMEM, "list `~/%s`", rel);
    return NULL;
  }
  qsort(v, n, sizeof(char *), cmp_str);
  return v;
}

int pt_triage_exists(const struct pt_triage *t, const char *rel) {
  /* O_PATH opens a symlink itself only with O_NOFOLLOW; RESOLVE_NO_SYMLINKS
   * refuses it as the last component, so a link counts through its lstat
   * from the parent. */
  const char *slash = strrchr(rel, '/');
  cleanup_free char *dir = slash ? strndup(rel, (size_t)(slash - rel)) : NULL;
  cleanup_close int dfd =
      slash ? open_beneath(t, dir, O_PATH | O_DIRECTORY) : dup(t->home_fd);
  if (dfd < 0)
    return 0;
  struct stat st;
  return fstatat(dfd, slash ? slash + 1 : rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* ---- record helpers ---------------------------------------------------- */

bool pt_triage_run_profile(struct pt_triage *t, const char *key,
                           const char *name, const char *kind,
                           const struct pt_tvar *vars, size_t nvars,
                           struct pt_phase_result *res) {
  struct pt_phase_result local = {0};
  struct pt_phase_result *r = res ? res : &local;
  memset(r, 0, sizeof(*r));
  r->status = PT_PHASE_SKIPPED;
  pt_err *e = NULL;
  char **argv =
      pt_triage_argv(json_object_get(t->profile, key), vars, nvars, &e);
  if (argv == NULL) {
    pt_triage_set_error(t, "profile %s: %s: %s",
                        t->info.ecosystem == PT_ECO_NPM ? "npm.json"
                                                        : "pypi.json",
                        key, e ? e->msg : "bad template");
    pt_err_free(e);
    return false;
  }
  t->phase_env = json_object_get(json_object_get(t->profile, "phase_env"), key);
  pt_triage_phase(t, name, kind, argv, NULL, r);
  t->phase_env = NULL;
  pt_triage_argv_free(argv);
  bool ok = r->status == PT_PHASE_OK;
  if (res == NULL)
    pt_phase_result_free(&local);
  return ok;
}

void pt_triage_mark_repeat(struct pt_triage *t, const char *of) {
  json_t *ps = json_object_get(t->record, "phases");
  json_t *last = json_array_get(ps, json_array_size(ps) - 1);
  if (last != NULL)
    json_object_set_new(last, "repeats", json_string(of));
}

void pt_triage_set_error(struct pt_triage *t, const char *fmt, ...) {
  if (!json_is_null(json_object_get(t->record, "error")))
    return; /* the first error is the cause; later ones follow from it */
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  json_object_set_new(t->record, "error", pt_json_bytes(buf, strlen(buf), 1024));
}

void pt_triage_dep(struct pt_triage *t, const char *list, const char *v) {
  json_t *a = json_object_get(json_object_get(t->record, "dependencies"), list);
  size_t i;
  json_t *e;
  json_array_foreach(a, i, e) if (strcmp(json_string_value(e), v) == 0) return;
  if (json_array_size(a) < 10000)
    json_array_append_new(a, pt_json_bytes(v, strlen(v), 512));
}

/* The line of a phase's output as the record keeps it (pt_json_bytes:
 * a newline is `\n`, a backslash `\\`) that names the error (`Error:
 * ...`, `TypeError [ERR_X]: ...`, Python's `ModuleNotFoundError: ...`),
 * else its last non-empty one; at most cap - 1 bytes into buf. */
static void error_line(const char *out, char *buf, size_t cap) {
  const char *last = NULL, *pick = NULL;
  size_t last_len = 0, pick_len = 0;
  for (const char *l = out; *l && pick == NULL;) {
    size_t len = 0;
    while (l[len] && !(l[len] == '\\' && l[len + 1] == 'n'))
      len += l[len] == '\\' && l[len + 1] ? 2 : 1;
    size_t w = 0;
    while (w < len && (isalnum((unsigned char)l[w]) || strchr("_.$", l[w])))
      w++;
    bool named = (w >= 5 && memcmp(l + w - 5, "Error", 5) == 0) ||
                 (w >= 9 && memcmp(l + w - 9, "Exception", 9) == 0);
    if (named && (w == len || l[w] == ':' || l[w] == ' '))
      pick = l, pick_len = len;
    if (len > 0 && l[0] != ' ' && l[0] != '\\')
      last = l, last_len = len;
    l += len + (l[len] ? 2 : 0);
  }
  if (pick == NULL)
    pick = last, pick_len = last_len;
  if (pick_len >= cap)
    pick_len = cap - 1;
  memcpy(buf, pick ? pick : "", pick ? pick_len : 0);
  buf[pick ? pick_len : 0] = '\0';
}

void pt_triage_check_imports(struct pt_triage *t, int all_failed) {
  const json_t *first = NULL;
  size_t i, ran = 0;
  json_t *p;
  json_array_foreach(json_object_get(t->record, "phases"), i, p) {
    const char *kind = json_string_value(json_object_get(p, "kind"));
    const char *status = json_string_value(json_object_get(p, "status"));
    if (kind == NULL || status == NULL)
      continue;
    /* A command or entry point of the package's that ran to success ran
     * its code: a CLI-only npm package (bin, no main) has nothing to
     * require, a console script imports its module itself. Not the
     * exercise phase (of those kinds): our harness, whose exit says
     * nothing of whether the package loaded. */
    const char *name = json_string_value(json_object_get(p, "name"));
    if ((strcmp(kind, "bin") == 0 || strcmp(kind, "entry_point") == 0) &&
        strcmp(status, "ok") == 0 && name && strcmp(name, "exercise") != 0)
      return;
    if (strcmp(kind, "import") != 0 || strcmp(status, "skipped") == 0)
      continue;
    json_int_t code = json_integer_value(json_object_get(p, "exit_code"));
    if (strcmp(status, "failed") != 0 ||
        (all_failed >= 0 && code != all_failed))
      return; /* loaded somewhere */
    ran++;
    if (first == NULL)
      first = p;
  }
  if (ran == 0)
    return;
  const char *err = json_string_value(json_object_get(first, "stderr"));
  char line[240], summary[400];
  error_line(err ? err : "", line, sizeof(line));
  if (line[0] == '\0')
    snprintf(
        line, sizeof(line), "exit status %lld",
        (long long)json_integer_value(json_object_get(first, "exit_code")));
  snprintf(summary, sizeof(summary),
           "the package's code never loaded: every import phase failed "
           "(%s)",
           line);
  json_t *o = json_object();
  json_object_set_new(o, "rule", json_string("code-never-loaded"));
  /* ASCII: the record's output is pt_json_bytes' escaped text. */
  json_object_set_new(o, "summary", json_string(summary));
  json_object_set_new(o, "entry", json_null());
  json_array_append_new(json_object_get(t->record, "problems"), o);
}

void pt_triage_add_entry_point(struct pt_triage *t, const char *group,
                               const char *name, const char *value) {
  json_t *o = json_object();
  json_object_set_new(o, "group", pt_json_bytes(group, strlen(group), 256));
  json_object_set_new(o, "name", pt_json_bytes(name, strlen(name), 256));
  json_object_set_new(o, "value", pt_json_bytes(value, strlen(value), 1024));
  json_array_append_new(json_object_get(t->record, "entry_points"), o);
}

void pt_triage_add_bin(struct pt_triage *t, const char *name,
                       const char *path) {
  json_t *o = json_object();
  json_object_set_new(o, "name", pt_json_bytes(name, strlen(name), 256));
  json_object_set_new(o, "path", pt_json_bytes(path, strlen(path), 1024));
  json_array_append_new(json_object_get(t->record, "bins"), o);
}

void pt_triage_phase_variants(struct pt_triage *t, const char *runs_key,
                              const char *name, const char *kind, char *cmd) {
  size_t j;
  json_t *extra;
  json_array_foreach(json_object_get(t->profile, runs_key), j, extra) {
    char *argv[8] = {cmd};
    size_t k = 1;
    char pname[700];
    snprintf(pname, sizeof(pname), "%s", name);
    size_t x;
    json_t *a;
    json_array_foreach(extra, x, a) {
      if (k + 1 < PT_ARRAY_LEN(argv) && json_is_string(a)) {
        argv[k++] = (char *)json_string_value(a);
        size_t pl = strlen(pname);
        snprintf(pname + pl, sizeof(pname) - pl, " %s", argv[k - 1]);
      }
    }
    argv[k] = NULL;
    pt_triage_phase(t, pname, kind, argv, NULL, NULL);
  }
}
