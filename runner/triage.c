/* See triage.h. This file: the record's skeleton, unpacking, the session
 * and the work dir, then the ecosystem's phases (phases_py.c,
 * phases_npm.c), then what is derived from all phases together (command
 * hijacks, stats). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "profile.h"
#include "pt_json.h"
#include "pt_util.h"
#include "pt_tmpdir.h"
#include "triage_int.h"

/* "mounts": files or directories of profiles/ecosystems/ bound read-only
 * into every phase's jail, [{"src": NAME, "dst": "/abs/path"}]. src stays
 * inside the ecosystem directory. */
static int check_mounts(const json_t *mounts, const char *path,
                        pt_err **err) {
  if (mounts == NULL)
    return 0;
  if (!json_is_array(mounts) ||
      json_array_size(mounts) > PT_TRIAGE_MAX_PROFILE_MOUNTS)
    return pt_err_make(err, 0, "%s: \"mounts\" must be a list of at most %d",
                       path, PT_TRIAGE_MAX_PROFILE_MOUNTS);
  size_t i;
  const json_t *m;
  json_array_foreach(mounts, i, m) {
    const char *src = json_string_value(json_object_get(m, "src"));
    const char *dst = json_string_value(json_object_get(m, "dst"));
    if (src == NULL || dst == NULL || src[0] == '/' || strstr(src, "..") ||
        dst[0] != '/' || strlen(src) > 200 || strlen(dst) > 400)
      return pt_err_make(err, 0,
                         "%s: mounts[%zu] wants \"src\" (a file or "
                         "directory of the profile's directory) and "
                         "\"dst\" (an absolute path in the jail)",
                         path, i);
  }
  return 0;
}

static json_t *load_profile(const char *name, pt_err **err) {
  char path[4096], rel[256];
  snprintf(rel, sizeof(rel), "ecosystems/%s", name);
  pt_profile_path(rel, path, sizeof(path));
  json_t *j = pt_json_load_path(path, err);
  if (j != NULL && !json_is_object(j)) {
    pt_err_make(err, 0, "%s: must be an object", path);
    json_decref(j);
    j = NULL;
  }
  if (j != NULL && check_mounts(json_object_get(j, "mounts"), path, err) < 0) {
    json_decref(j);
    j = NULL;
  }
  return j;
}

static uint64_t profile_u64(const json_t *p, const char *key, uint64_t def) {
  json_t *v = json_object_get(p, key);
  return json_is_integer(v) && json_integer_value(v) > 0
             ? (uint64_t)json_integer_value(v)
             : def;
}

static json_t *record_skeleton(const char *artifact) {
  json_t *r = json_object();
  const char *base = strrchr(artifact, '/');
  base = base ? base + 1 : artifact;
  json_t *pkg = json_object();
  json_object_set_new(pkg, "ecosystem", json_string("unknown"));
  json_object_set_new(pkg, "kind", json_string("unknown"));
  json_object_set_new(pkg, "name", json_null());
  json_object_set_new(pkg, "version", json_null());
  json_object_set_new(pkg, "artifact", pt_json_bytes(base, strlen(base), 1024));
  json_object_set_new(pkg, "sha256", json_null());
  json_object_set_new(r, "package", pkg);
  json_object_set_new(r, "error", json_null());
  json_object_set_new(r, "problems", json_array());
  json_object_set_new(r, "identity", json_null());
  json_object_set_new(r, "honeytokens", json_array());
  json_object_set_new(r, "phases", json_array());
  json_object_set_new(r, "events", json_array());
  json_object_set_new(r, "entry_points", json_array());
  json_object_set_new(r, "bins", json_array());
  json_object_set_new(r, "hijacks", json_array());
  json_t *d = json_object();
  json_object_set_new(d, "declared", json_array());
  json_object_set_new(d, "resolved", json_array());
  json_object_set_new(d, "unresolved", json_array());
  json_object_set_new(d, "stubbed", json_array()); /* npm: see phases_npm.c */
  /* npm: a range no version in --deps meets, and what it got instead */
  json_object_set_new(d, "unsatisfied", json_array());
  json_object_set_new(r, "dependencies", d);
  json_object_set_new(r, "notes", json_array());
  json_object_set_new(r, "stats", json_object());
  return r;
}

static void note(struct pt_triage *t, const char *s) {
  json_array_append_new(json_object_get(t->record, "notes"), json_string(s));
}

/* Copy the artifact into the jail's HOME (~/Downloads/<name>) as a user
 * would have it. The name keeps what pip and npm read from it (a wheel's
 * tags) but nothing a shell or a path could misread. */
static int place_artifact(struct pt_triage *t, const char *artifact,
                          const char *home_host, pt_err **err) {
  const char *base = strrchr(artifact, '/');
  base = base ? base + 1 : artifact;
  char name[256];
  size_t k = 0;
  for (const char *p = base; *p && k + 1 < sizeof(name); p++)
    name[k++] = (strchr("+-._", *p) || (*p >= 'a' && *p <= 'z') ||
                 (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
                    ? *p
                    : '_';
  name[k] = '\0';
  if (k == 0 || name[0] == '.')
    snprintf(name, sizeof(name), "artifact%s",
             t->info.ecosystem == PT_ECO_WHEEL ? ".whl" : ".tar.gz");
  char dir[4400], dst[4700];
  snprintf(dir, sizeof(dir), "%s/Downloads", home_host);
  if (mkdir(dir, 0755) < 0 && errno != EEXIST)
    return pt_err_make(err, errno, "mkdir `%s`", dir);
  snprintf(dst, sizeof(dst), "%s/%s", dir, name);
  cleanup_close int in = open(artifact, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return pt_err_make(err, errno, "open `%s`", artifact);
  cleanup_close int out =
      open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (out < 0)
    return pt_err_make(err, errno, "create `%s`", dst);
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof(buf))) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return pt_err_make(err, errno, "read `%s`", artifact);
    if (pt_write_all(out, buf, (size_t)n) < 0)
      return pt_err_make(err, errno, "write `%s`", dst);
  }
  snprintf(t->artifact_jail, sizeof(t->artifact_jail), "%s/Downloads/%s",
           t->home_jail, name);
  return 0;
}

static int make_workdir(struct pt_triage *t, const char *artifact,
                        pt_err **err) {
  const pt_honey *h = pt_session_honey(t->sess);
  const char *home_host = pt_session_rundir(t->sess)->home;
  snprintf(t->home_jail, sizeof(t->home_jail), "%s", h->home);
  snprintf(t->project_jail, sizeof(t->project_jail), "%s/project", h->home);
  snprintf(t->project_host, sizeof(t->project_host), "%s/project", home_host);
  /* The honeytoken HOME may have made it already: the project's .env
   * (profiles/honeytokens/manifest.json), as a developer's has one. */
  if (mkdir(t->project_host, 0755) < 0 && errno != EEXIST)
    return pt_err_make(err, errno, "mkdir `%s`", t->project_host);
  if (place_artifact(t, artifact, home_host, err) < 0)
    return -1;
  if (pt_session_chown(t->sess, home_host, err) < 0)
    return -1;
  t->home_fd = open(home_host, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (t->home_fd < 0)
    return pt_err_make(err, errno, "open `%s`", home_host);
  /* PATH: the package's bin dir first, as in an activated venv or under
   * `npm run`: that is where a hijacking entry point bites. */
  char venv[700];
  snprintf(venv, sizeof(venv), "%s/.venv", t->project_jail);
  struct pt_tvar vars[] = {{"venv", venv, NULL},
                           {"project", t->project_jail, NULL}};
  const char *pre = json_string_value(json_object_get(t->profile,
                                                      "path_prepend"));
  cleanup_free char *prep = pre ? pt_triage_expand(pre, vars, 2) : NULL;
  const char *base = pt_session_getenv(t->sess, "PATH");
  /* Then ~/.local/bin, as Debian's ~/.profile puts it when it exists: the
   * honeytoken HOME's desktop tools are there (a clipboard, see
   * profiles/honeytokens/README.md), where pip --user puts scripts. */
  snprintf(t->path_env, sizeof(t->path_env), "PATH=%s%s%s/.local/bin%s%s",
           prep ? prep : "", prep ? ":" : "", h->home, base ? ":" : "",
           base ? base : "");
  return 0;
}

/* ---- command hijacking ------------------------------------------------ */

static const char *shadowed(const struct pt_triage *t, const char *name,
                            char *buf, size_t cap) {
  size_t i;
  json_t *d;
  json_array_foreach(json_object_get(t->commands, "shadow_dirs"), i, d) {
    if (!json_is_string(d))
      continue;
    snprintf(buf, cap, "%s/%s", json_string_value(d), name);
    struct stat st;
    /* The jail binds the host's toolchain at the same paths, so the
     * host's view is the jail's. */
    if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
      return buf;
  }
  return NULL;
}

/* Whether the shadowed command is the same program as the package's: a
 * Python entry point's module named, as a whole dotted word, in the host's
 * script (Debian's /usr/bin/pip3 says `from pip._internal.cli.main import
 * main`), or the distribution itself (`load_entry_point('Pygments==...`),
 * or an npm bin the host has from a package of the same name
 * (/usr/lib/node_modules/<name>/...). A squatter's command runs its own
 * module, which the host's copy does not name. */
static bool same_program(const struct pt_triage *t, const char *shadow,
                         const char *module) {
  if (module == NULL) {
    char real[PATH_MAX], want[PT_TRIAGE_MAX_NAME + 64];
    if (t->info.name == NULL || realpath(shadow, real) == NULL)
      return false;
    for (int k = 0; k < 2; k++) {
      snprintf(want, sizeof(want), "%s/lib/node_modules/%s/",
               k ? "/usr/local" : "/usr", t->info.name);
      if (strncmp(real, want, strlen(want)) == 0)
        return true;
    }
    return false;
  }
  size_t ml = strlen(module);
  if (ml == 0)
    return false;
  char *text = NULL;
  size_t len = 0;
  pt_err *e = NULL;
  bool same = false;
  /* Console-script wrappers are a few hundred bytes; a binary is no
   * Python script (the read fails past the cap, or the text lacks it). */
  if (pt_read_file_at(AT_FDCWD, shadow, 64 << 10, &text, &len, &e) == 0 &&
      len > 2 && text[0] == '#' && text[1] == '!') {
    const char *p = text;
    while (!same &&
           (p = memmem(p, len - (size_t)(p - text), module, ml)) != NULL) {
      char before = p > text ? p[-1] : ' ', after = p[ml];
      same = !(isalnum((unsigned char)before) || before == '_' ||
               before == '.') &&
             !(isalnum((unsigned char)after) || after == '_' || after == '.');
      p++;
    }
    /* An easy_install-style wrapper names the distribution instead:
     * load_entry_point('Pygments==2.14.0', 'console_scripts', ...). */
    for (int q = 0; !same && t->info.name && q < 2; q++) {
      char needle[PT_TRIAGE_MAX_NAME + 8];
      snprintf(needle, sizeof(needle), "%c%s==", q ? '"' : '\'',
               t->info.name);
      same = strcasestr(text, needle) != NULL;
    }
  }
  pt_err_free(e);
  free(text);
  return same;
}

static bool phase_matches(const char *phase, const char *prefix) {
  size_t pl = strlen(prefix);
  return phase && strncmp(phase, prefix, pl) == 0 &&
         (phase[pl] == '\0' || phase[pl] == ' ');
}

void pt_triage_check_hijack(struct pt_triage *t, const char *name,
                            const char *phase_prefix, const char *module) {
  bool common = false;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(t->commands, "common"), i, c) {
    if (json_is_string(c) && strcmp(json_string_value(c), name) == 0)
      common = true;
  }
  char buf[1024];
  const char *sh = shadowed(t, name, buf, sizeof(buf));
  if (!common && sh == NULL)
    return;
  /* Wrapping: the entry point execs a program of its own name from
   * elsewhere (the real one, later on PATH): not from its bin dir, nor
   * from anywhere in the project (its own package's files: yarn's bin
   * runs its own bin/yarn). */
  bool wraps = false;
  size_t pl = strlen(t->project_jail);
  json_t *ev;
  json_array_foreach(pt_events_all(pt_session_events(t->sess)), i, ev) {
    if (wraps)
      break;
    const char *kind = json_string_value(json_object_get(ev, "kind"));
    const char *ph = json_string_value(json_object_get(ev, "phase"));
    const char *path = json_string_value(json_object_get(ev, "path"));
    if (!kind || strcmp(kind, "exec") != 0 || !path ||
        !phase_matches(ph, phase_prefix))
      continue;
    const char *b = strrchr(path, '/');
    /* ...and that exists: an exec's event comes at its stop, before the
     * kernel looks, so a PATH search's misses (execvp trying
     * /usr/local/bin/yarn where there is none) are events too. The host
     * binds its toolchain at the same paths, so its view is the jail's. */
    struct stat st;
    if (b && strcmp(b + 1, name) == 0 &&
        !(strncmp(path, t->project_jail, pl) == 0 && path[pl] == '/') &&
        stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
      wraps = true;
  }
  json_t *o = json_object();
  json_object_set_new(o, "name", pt_json_bytes(name, strlen(name), 256));
  json_object_set_new(o, "phase",
                      pt_json_bytes(phase_prefix, strlen(phase_prefix), 512));
  json_object_set_new(o, "reason",
                      json_string(common ? "common-command" : "shadows-path"));
  json_object_set_new(o, "shadows", sh ? json_string(sh) : json_null());
  json_object_set_new(o, "wraps", json_boolean(wraps));
  json_object_set_new(o, "same_program",
                      json_boolean(sh && same_program(t, sh, module)));
  json_array_append_new(json_object_get(t->record, "hijacks"), o);
}

/* ---- the whole triage --------------------------------------------------- */

static void fill_package(struct pt_triage *t) {
  json_t *pkg = json_object_get(t->record, "package");
  const pt_artifact_info *in = &t->info;
  json_object_set_new(pkg, "ecosystem",
                      json_string(pt_artifact_ecosystem_registry(in->ecosystem)));
  json_object_set_new(pkg, "kind",
                      json_string(pt_artifact_ecosystem_name(in->ecosystem)));
  if (in->name)
    json_object_set_new(pkg, "name", json_string(in->name));
  if (in->version)
    json_object_set_new(pkg, "version", json_string(in->version));
  if (in->sha256[0])
    json_object_set_new(pkg, "sha256", json_string(in->sha256));
}

static void fill_identity(struct pt_triage *t) {
  const pt_honey *h = pt_session_honey(t->sess);
  json_t *id = json_object();
  json_object_set_new(id, "user", json_string(h->user));
  json_object_set_new(id, "hostname", json_string(h->hostname));
  json_object_set_new(id, "home", json_string(h->home));
  const char *canary = pt_session_canary(t->sess);
  if (canary)
    json_object_set_new(id, "canary", json_string(canary));
  json_object_set_new(t->record, "identity", id);
  json_t *toks = json_object_get(t->record, "honeytokens");
  for (size_t i = 0; i < h->n_tokens; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(h->tokens[i].id));
    json_object_set_new(o, "value", json_string(h->tokens[i].value));
    json_object_set_new(o, "where", json_string(h->tokens[i].where));
    json_array_append_new(toks, o);
  }
}

static void fill_problems(struct pt_triage *t, const pt_artifact_problems *p) {
  json_t *a = json_object_get(t->record, "problems");
  for (size_t i = 0; i < p->len; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(p->items[i].rule));
    json_object_set_new(o, "summary", json_string(p->items[i].summary));
    json_object_set_new(o, "entry", json_string(p->items[i].entry));
    json_array_append_new(a, o);
  }
}

static void fill_stats(struct pt_triage *t, uint64_t start_ns) {
  json_t *s = json_object_get(t->record, "stats");
  json_object_set_new(s, "duration_ms",
                      json_integer((json_int_t)((pt_now_ns() - start_ns) /
                                                1000000)));
  if (t->sess == NULL)
    return;
  struct pt_session_stats st;
  pt_session_stats(t->sess, &st);
  json_object_set_new(s, "runs", json_integer((json_int_t)st.runs));
  json_object_set_new(s, "notifications",
                      json_integer((json_int_t)st.notifications));
  json_object_set_new(s, "processes", json_integer((json_int_t)st.processes));
  json_object_set_new(s, "refused", json_integer((json_int_t)st.refused));
  json_object_set_new(s, "sleeps_shortened",
                      json_integer((json_int_t)st.sleeps_shortened));
  json_object_set_new(s, "sleep_ms_skipped",
                      json_integer((json_int_t)st.sleep_ms_skipped));
  json_object_set_new(s, "dns_queries",
                      json_integer((json_int_t)st.dns_queries));
  json_object_set_new(s, "tcp_conns", json_integer((json_int_t)st.tcp_conns));
  json_object_set_new(s, "udp_datagrams",
                      json_integer((json_int_t)st.udp_datagrams));
  json_object_set_new(s, "events", json_integer((json_int_t)st.events));
  json_object_set_new(s, "events_dropped",
                      json_integer((json_int_t)st.events_dropped));
  json_object_set_new(s, "phase_timeout_ms",
                      json_integer((json_int_t)t->phase_timeout_ms));
  if (t->command_timeout_ms && t->command_timeout_ms < t->phase_timeout_ms)
    json_object_set_new(s, "command_timeout_ms",
                        json_integer((json_int_t)t->command_timeout_ms));
}

int pt_triage_record(const char *artifact, const struct pt_triage_opts *o,
                     json_t **record_out, pt_err **err) {
  uint64_t start = pt_now_ns();
  struct pt_triage t = {.opts = o, .home_fd = -1};
  t.record = record_skeleton(artifact);
  int rc = -1;
  char unpack_dir[4200] = "", tree[4300];
  int unpack_lock = -1;
  pt_err *e = NULL;
  if ((unpack_lock = pt_tmpdir_make(NULL, "pkgtrap-unpack-", unpack_dir,
                                    sizeof(unpack_dir), err)) < 0) {
    unpack_dir[0] = '\0';
    goto out;
  }
  snprintf(tree, sizeof(tree), "%s/tree", unpack_dir);
  t.unpacked = tree;
  if (o->deps_dir && (o->deps_dir[0] != '/' || access(o->deps_dir, R_OK | X_OK) < 0)) {
    pt_err_make(err, errno ? errno : EINVAL,
                "--deps `%s`: must be a readable absolute directory",
                o->deps_dir);
    goto out;
  }
  pt_artifact_problems probs = {0};
  if (pt_artifact_unpack(artifact, tree, NULL, &t.info, &probs, &e) < 0) {
    fill_problems(&t, &probs);
    pt_triage_set_error(&t, "%s", e ? e->msg : "unpacking failed");
    pt_err_free(e);
    e = NULL;
    fill_package(&t);
    rc = 0;
    goto out;
  }
  fill_package(&t);
  const char *eco = t.info.ecosystem == PT_ECO_NPM ? "npm.json"
                    : t.info.ecosystem == PT_ECO_UNKNOWN ? NULL
                                                          : "pypi.json";
  if (eco == NULL) {
    pt_triage_set_error(&t, "not a wheel, an sdist or an npm package");
    rc = 0;
    goto out;
  }
  if ((t.profile = load_profile(eco, err)) == NULL ||
      (t.commands = load_profile("commands.json", err)) == NULL)
    goto out;
  t.phase_timeout_ms = o->phase_timeout_ms
                           ? o->phase_timeout_ms
                           : profile_u64(t.profile, "phase_timeout_ms", 60000);
  t.command_timeout_ms = profile_u64(t.profile, "command_timeout_ms", 0);
  uint64_t budget = o->total_budget_ms
                        ? o->total_budget_ms
                        : profile_u64(t.profile, "total_budget_ms", 600000);
  t.sess = pt_session_new(
      &(struct pt_session_opts){
          .trace_path = o->trace_path,
          .max_sleep_ms = profile_u64(t.profile, "max_sleep_ms", 2000),
          .tls_intercept = true,
          .identity_workdir = "project",
          .workspace = true,
          .long_uptime = true,
          .fetch_canary = true},
      err);
  if (t.sess == NULL)
    goto out;
  fill_identity(&t);
  if (make_workdir(&t, artifact, err) < 0)
    goto out;
  t.deadline_ns = pt_now_ns() + budget * 1000000;
  if (t.info.ecosystem == PT_ECO_NPM)
    pt_phases_npm(&t);
  else
    pt_phases_python(&t);
  if (t.interrupted) {
    *err = steal_pointer(&t.fatal);
    goto out;
  }
  if (t.fatal) {
    pt_triage_set_error(&t, "%s", t.fatal->msg);
    pt_err_free(steal_pointer(&t.fatal));
  }
  {
    uint64_t shortened = 0;
    struct pt_session_stats st;
    pt_session_stats(t.sess, &st);
    shortened = st.sleeps_shortened;
    if (shortened)
      note(&t, "long sleeps and timers were answered at once (see stats): "
               "code that waits to outlast a sandbox acted within the "
               "budget");
    if (t.info.ecosystem == PT_ECO_NPM)
      note(&t, "Node timers are shortened by a preload (NODE_OPTIONS); "
               "a busy-wait on Date.now(), or a process that clears "
               "NODE_OPTIONS for its children, still waits in real time, "
               "up to the phase timeout");
    else
      note(&t, "time.sleep is shortened by the recorder, threading.Timer, "
               "Event.wait and asyncio.sleep by a sitecustomize on "
               "PYTHONPATH; other timeouts (select, Condition.wait, "
               "queue.get) and busy-waits still wait in real time, up to "
               "the phase timeout");
  }
  json_object_set(t.record, "events",
                  pt_events_all(pt_session_events(t.sess)));
  rc = 0;
out:
  fill_stats(&t, start);
  if (t.home_fd >= 0)
    close(t.home_fd);
  pt_session_free(t.sess, false);
  pt_artifact_info_free(&t.info);
  json_decref(t.profile);
  pt_triage_configs_free(&t);
  json_decref(t.commands);
  pt_err_free(t.fatal);
  if (unpack_dir[0])
    pt_tmpdir_remove(unpack_dir, unpack_lock);
  if (rc == 0)
    *record_out = t.record;
  else
    json_decref(t.record);
  return rc;
}
