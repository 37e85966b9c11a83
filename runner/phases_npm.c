/* npm phases, argv from profiles/ecosystems/npm.json:
 *
 *   install                    a fresh project dir; `npm install --offline
 *                              --ignore-scripts` of the dependency tarballs
 *                              (from --deps) and the artifact, so that no
 *                              package code runs yet
 *   lifecycle:EVENT:DEP        each lifecycle script of each dependency,
 *                              deepest first (npm's order)
 *   lifecycle:EVENT            each of the package's own (preinstall,
 *                              install, postinstall, prepare), each run as
 *                              npm runs it: `npm run-script` in the
 *                              package's dir (npm_lifecycle_event, ...)
 *   import                     require() of the package
 *   import (again)             the same in a new process: a payload that
 *                              waits for its second run shows there
 *   bin:NAME [--help]          each bin through node_modules/.bin on PATH
 *
 * Dependencies come only from --deps: every *.tgz there is identified by
 * its content (name, version); each dependency a package declares gets,
 * of the tarballs of its name, the highest version its range allows, as
 * npm picks one, transitively. What is missing is recorded.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "artifact.h"
#include "npmmeta.h"
#include "pt_util.h"
#include "semver.h"
#include "triage_int.h"

/* Below the project: the stand-ins for dependencies --deps lacks. */
#define NPM_STUB_DIR ".offline-stubs"

struct dep_file {
  char *name, *version, *path;
  pt_semver sv; /* version, when it is one (sv_ok) */
  bool sv_ok;
  pt_npmmeta meta; /* read when needed */
  bool meta_read, walked;
};

/* What the project's overrides say (write_project): a dependency named
 * `edge` (the name its dependent gives it: an npm: alias's own) whose
 * range the version of f meets gets f; with `fallback`, one whose range
 * no rule of the name meets (or that is no range) gets f. */
struct dep_rule {
  const char *edge;
  const struct dep_file *f;
  bool fallback;
};

struct npm_state {
  struct dep_file *deps;
  size_t n_deps;
  char bin_jail[700];
  char **unresolved; /* names, each once, PT_TRIAGE_MAX_PACKAGES at most */
  size_t n_unresolved;
  struct dep_rule *rules; /* PT_TRIAGE_MAX_PACKAGES at most */
  size_t n_rules;
  size_t n_unsatisfied;
};

static void npm_state_free(struct npm_state *s) {
  for (size_t i = 0; i < s->n_deps; i++) {
    free(s->deps[i].name);
    free(s->deps[i].version);
    free(s->deps[i].path);
    pt_npmmeta_free(&s->deps[i].meta);
  }
  free(s->deps);
  for (size_t i = 0; i < s->n_unresolved; i++)
    free(s->unresolved[i]);
  free(s->unresolved);
  free(s->rules);
}

static int read_pkg_json(const char *path, pt_npmmeta *m) {
  char *buf = NULL;
  size_t len = 0;
  pt_err *e = NULL;
  int rc = pt_read_file_at(AT_FDCWD, path, PT_NPMMETA_MAX_INPUT, &buf, &len,
                           &e);
  if (rc == 0)
    rc = pt_npmmeta_parse(buf, len, m, &e);
  pt_err_free(e);
  free(buf);
  return rc;
}

int pt_npm_deps_index(const char *dir, struct pt_npm_dep **out, size_t *n) {
  *out = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (d == NULL)
    return -1;
  size_t cap = 256;
  struct pt_npm_dep *v = calloc(cap, sizeof(*v));
  struct dirent *de;
  size_t seen = 0, k = 0;
  while (v && (de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len < 5 || strcmp(de->d_name + len - 4, ".tgz") != 0)
      continue;
    if (seen++ >= 4 * PT_TRIAGE_MAX_DEPS_FILES ||
        k >= PT_TRIAGE_MAX_DEPS_FILES) {
      /* A whole registry mirror is no --deps; say so rather than leave
       * the rest silently unresolved. */
      fprintf(stderr,
              "pkgtrap: %s: more than %d npm tarballs, the rest are not "
              "offered as dependencies\n",
              dir, PT_TRIAGE_MAX_DEPS_FILES);
      break;
    }
    if (k == cap) {
      struct pt_npm_dep *g = realloc(v, 2 * cap * sizeof(*v));
      if (g == NULL)
        break;
      memset(g + cap, 0, cap * sizeof(*v));
      v = g;
      cap *= 2;
    }
    char path[4400];
    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
    pt_artifact_info info = {0};
    pt_err *e = NULL;
    if (pt_artifact_inspect(path, NULL, &info, NULL, &e) == 0 &&
        info.ecosystem == PT_ECO_NPM && info.name) {
      v[k].name = strdup(info.name);
      v[k].version = info.version ? strdup(info.version) : NULL;
      v[k].path = strdup(path);
      k++;
    }
    pt_err_free(e);
    pt_artifact_info_free(&info);
  }
  closedir(d);
  *out = v;
  *n = k;
  return v ? 0 : -1;
}

void pt_npm_deps_free(struct pt_npm_dep *d, size_t n) {
  for (size_t i = 0; d && i < n; i++) {
    free(d[i].name);
    free(d[i].version);
    free(d[i].path);
  }
  free(d);
}

/* Every *.tgz in --deps that is an npm package, by content: the caller's
 * index, else made now. */
static void scan_deps_dir(struct pt_triage *t, struct npm_state *s) {
  if (t->opts->deps_dir == NULL)
    return;
  struct pt_npm_dep *own = NULL;
  const struct pt_npm_dep *v = t->opts->npm_deps;
  size_t n = t->opts->n_npm_deps;
  if (v == NULL) {
    if (pt_npm_deps_index(t->opts->deps_dir, &own, &n) < 0)
      return;
    v = own;
  }
  s->deps = calloc(n ? n : 1, sizeof(*s->deps));
  for (size_t i = 0; s->deps && i < n; i++) {
    struct dep_file *f = &s->deps[s->n_deps++];
    f->name = v[i].name ? strdup(v[i].name) : NULL;
    f->version = v[i].version ? strdup(v[i].version) : NULL;
    f->path = strdup(v[i].path);
    /* The version of the tarball's own package.json (the index read it),
     * not its file name: a renamed or hand-made tarball says otherwise. */
    f->sv_ok = f->version && pt_semver_parse(f->version, &f->sv);
  }
  pt_npm_deps_free(own, own ? n : 0);
}

/* Of a and b (either NULL), the higher version; one that is no semver
 * below any that is, then the first path, so that a choice does not
 * depend on readdir's order. */
static struct dep_file *higher(struct dep_file *a, struct dep_file *b) {
  if (a == NULL || b == NULL)
    return a ? a : b;
  if (a->sv_ok != b->sv_ok)
    return a->sv_ok ? a : b;
  int c = a->sv_ok ? pt_semver_cmp(&a->sv, &b->sv) : 0;
  if (c == 0)
    c = strcmp(b->path, a->path);
  return c >= 0 ? a : b;
}

/* How a dependency's spec was met. */
enum dep_fit {
  FIT_RANGE,      /* the highest version the range allows */
  FIT_NONE,       /* a range no version meets: the highest */
  FIT_NOT_SEMVER, /* a dist-tag, git, file: or a URL: the highest */
};

/* The tarball for dependency `name` declared with spec: of the tarballs
 * of that name, the highest version the range allows, as npm picks from
 * a registry (`latest` and the empty range: the highest release). An
 * `npm:other@range` alias is other's. NULL when --deps has none. */
static struct dep_file *dep_pick(struct npm_state *s, const char *name,
                                 const char *spec, enum dep_fit *fit,
                                 struct dep_file **highest) {
  char target[PT_TRIAGE_MAX_NAME + 1];
  const char *range = spec;
  snprintf(target, sizeof(target), "%s", name);
  if (strncmp(spec, "npm:", 4) == 0) {
    /* The last `@` past the first character: a scope's is the first. */
    const char *body = spec + 4;
    const char *at = body[0] ? strrchr(body + 1, '@') : NULL;
    size_t tl = at ? (size_t)(at - body) : strlen(body);
    if (tl < sizeof(target)) {
      memcpy(target, body, tl);
      target[tl] = '\0';
    }
    range = at ? at + 1 : "";
  }
  if (strcmp(range, "latest") == 0)
    range = "";
  const pt_semver zero = {{0, 0, 0}, ""};
  bool is_range = pt_semver_satisfies(&zero, range) >= 0;
  struct dep_file *best = NULL, *any = NULL;
  for (size_t i = 0; i < s->n_deps; i++) {
    struct dep_file *f = &s->deps[i];
    if (f->name == NULL || strcmp(f->name, target) != 0)
      continue;
    any = higher(any, f);
    if (is_range && f->sv_ok && pt_semver_satisfies(&f->sv, range) == 1)
      best = higher(best, f);
  }
  *fit = best ? FIT_RANGE : is_range ? FIT_NONE : FIT_NOT_SEMVER;
  *highest = any;
  return best ? best : any;
}

/* A dependency's own package.json, from a scratch unpack (host side, the
 * hardened unpacker; no code runs). */
static pt_npmmeta *dep_meta(struct pt_triage *t, struct dep_file *f,
                            size_t idx) {
  if (f->meta_read)
    return &f->meta;
  f->meta_read = true;
  char dest[4400], pj[4600];
  snprintf(dest, sizeof(dest), "%s.dep%zu", t->unpacked, idx);
  pt_artifact_info info = {0};
  pt_err *e = NULL;
  if (pt_artifact_unpack(f->path, dest, NULL, &info, NULL, &e) == 0 &&
      info.root) {
    snprintf(pj, sizeof(pj), "%s/%s/package.json", dest, info.root);
    read_pkg_json(pj, &f->meta);
  }
  pt_err_free(e);
  pt_artifact_info_free(&info);
  return &f->meta;
}

/* In the package's own tarball (bundleDependencies): npm takes it from
 * there, nothing to resolve. */
static bool bundled(const pt_npmmeta *top, const char *name) {
  for (size_t i = 0; i < top->n_bundle_dependencies; i++)
    if (strcmp(top->bundle_dependencies[i], name) == 0)
      return true;
  return false;
}

/* Dependencies queued once each by name and spec (a tree names the same
 * package with the same range hundreds of times; with another range it
 * may need another version): an open-addressing set of the queue's
 * indices. The queue's bound counts those, not mentions. */
#define DEP_SET_SLOTS (2 * PT_TRIAGE_MAX_PACKAGES)
/* How a queued dependency was declared. A dependency's own optional ones
 * are walked only when --deps has them: npm skips an optional one it
 * cannot get (esbuild's and swc's two dozen platform packages), so they
 * are neither stubbed nor reported unresolved. */
enum dep_how { DEP_REQUIRED, DEP_OPTIONAL, DEP_OPTIONAL_OF_DEP };
struct dep_queue {
  const char *name[PT_TRIAGE_MAX_PACKAGES];
  const char *spec[PT_TRIAGE_MAX_PACKAGES];
  unsigned char how[PT_TRIAGE_MAX_PACKAGES];
  uint32_t slot[DEP_SET_SLOTS]; /* index + 1, 0 = empty */
  size_t head, tail;
};

static void dep_enqueue(struct dep_queue *q, const char *name, const char *spec,
                        enum dep_how how) {
  uint32_t h = pt_fnv1a32(name, strlen(name)) ^
               (pt_fnv1a32(spec, strlen(spec)) * 16777619u);
  size_t k = h % DEP_SET_SLOTS;
  for (; q->slot[k] != 0; k = (k + 1) % DEP_SET_SLOTS) {
    size_t i = q->slot[k] - 1;
    if (strcmp(q->name[i], name) == 0 && strcmp(q->spec[i], spec) == 0)
      return;
  }
  if (q->tail >= PT_TRIAGE_MAX_PACKAGES)
    return;
  /* The probe ended on an empty slot: the pair goes there. */
  q->slot[k] = (uint32_t)q->tail + 1;
  q->how[q->tail] = (unsigned char)how;
  q->spec[q->tail] = spec;
  q->name[q->tail++] = name;
}

static void dep_unresolved(struct pt_triage *t, struct npm_state *s,
                           const pt_npmmeta *top, const char *name, bool opt) {
  char u[300];
  snprintf(u, sizeof(u), "%s%s", name, opt ? " (optional)" : "");
  pt_triage_dep(t, "unresolved", u);
  if (s->unresolved == NULL)
    s->unresolved = calloc(PT_TRIAGE_MAX_PACKAGES, sizeof(char *));
  for (size_t i = 0; s->unresolved && i < s->n_unresolved; i++)
    if (strcmp(s->unresolved[i], name) == 0)
      return;
  if (s->unresolved && s->n_unresolved < PT_TRIAGE_MAX_PACKAGES &&
      pt_npmmeta_valid_name(name) && !bundled(top, name) &&
      (s->unresolved[s->n_unresolved] = strdup(name)) != NULL)
    s->n_unresolved++;
}

/* A rule once; a name's fallback once (the first). */
static void dep_rule_add(struct npm_state *s, const char *edge,
                         const struct dep_file *f, bool fallback) {
  if (s->rules == NULL)
    s->rules = calloc(PT_TRIAGE_MAX_PACKAGES, sizeof(*s->rules));
  for (size_t i = 0; s->rules && i < s->n_rules; i++)
    if (s->rules[i].fallback == fallback &&
        strcmp(s->rules[i].edge, edge) == 0 && (fallback || s->rules[i].f == f))
      return;
  if (s->rules && s->n_rules < PT_TRIAGE_MAX_PACKAGES)
    s->rules[s->n_rules++] = (struct dep_rule){edge, f, fallback};
}

/* Breadth-first over dependencies from the package's own: each name and
 * spec is looked up once, and each tarball picked has its own
 * dependencies (required, peer, and optional ones --deps has) walked
 * once. */
static void resolve_deps(struct pt_triage *t, struct npm_state *s,
                         const pt_npmmeta *top) {
  struct dep_queue *q = calloc(1, sizeof(*q));
  if (q == NULL)
    return;
  for (int pass = 0; pass < 4; pass++) {
    const pt_npmmeta_map *m = pass == 0   ? &top->dependencies
                              : pass == 1 ? &top->optional_dependencies
                              : pass == 2 ? &top->peer_dependencies
                                          : &top->peer_optional_dependencies;
    for (size_t i = 0; i < m->len; i++) {
      char decl[600];
      snprintf(decl, sizeof(decl), "%s@%s", m->items[i].key,
               m->items[i].value);
      pt_triage_dep(t, "declared", decl);
      /* An optional peer is installed only when --deps has a version
       * it allows (never stubbed: npm crashes on an override of an
       * optional peer that is not in the tree). */
      dep_enqueue(q, m->items[i].key, m->items[i].value,
                  pass == 1   ? DEP_OPTIONAL
                  : pass == 3 ? DEP_OPTIONAL_OF_DEP
                              : DEP_REQUIRED);
    }
  }
  while (q->head < q->tail) {
    const char *name = q->name[q->head], *spec = q->spec[q->head];
    enum dep_how how = q->how[q->head++];
    enum dep_fit fit;
    struct dep_file *highest = NULL;
    struct dep_file *f = dep_pick(s, name, spec, &fit, &highest);
    if (f == NULL) {
      if (how != DEP_OPTIONAL_OF_DEP)
        dep_unresolved(t, s, top, name, how == DEP_OPTIONAL);
      continue;
    }
    if (how == DEP_OPTIONAL_OF_DEP && fit != FIT_RANGE)
      continue; /* npm would skip it too */
    if (fit == FIT_RANGE)
      dep_rule_add(s, name, f, false);
    dep_rule_add(s, name, highest, true);
    char r[600];
    snprintf(r, sizeof(r), "%s@%s", f->name, f->version ? f->version : "?");
    pt_triage_dep(t, "resolved", r);
    if (fit != FIT_RANGE) {
      /* npm would fail the offline install here; the highest version is
       * closer to what the dependent was written for than a stub. */
      char u[1000];
      snprintf(u, sizeof(u), "%s@%.300s: %s; used %s", name, spec,
               fit == FIT_NONE ? "no version in --deps satisfies"
                               : "not a version range",
               f->version ? f->version : "?");
      pt_triage_dep(t, "unsatisfied", u);
      s->n_unsatisfied++;
    }
    if (f->walked)
      continue;
    f->walked = true;
    pt_npmmeta *m = dep_meta(t, f, (size_t)(f - s->deps));
    for (size_t i = 0; i < m->dependencies.len; i++)
      dep_enqueue(q, m->dependencies.items[i].key,
                  m->dependencies.items[i].value, DEP_REQUIRED);
    for (size_t i = 0; i < m->peer_dependencies.len; i++)
      dep_enqueue(q, m->peer_dependencies.items[i].key,
                  m->peer_dependencies.items[i].value, DEP_REQUIRED);
    for (size_t i = 0; i < m->peer_optional_dependencies.len; i++)
      dep_enqueue(q, m->peer_optional_dependencies.items[i].key,
                  m->peer_optional_dependencies.items[i].value,
                  DEP_OPTIONAL_OF_DEP);
    /* A payload may hide one level down, in a dependency's optional one
     * (installed whenever it can be, its scripts run). */
    for (size_t i = 0; i < m->optional_dependencies.len; i++)
      dep_enqueue(q, m->optional_dependencies.items[i].key,
                  m->optional_dependencies.items[i].value,
                  DEP_OPTIONAL_OF_DEP);
  }
  free(q);
}

/* ---- after the install -------------------------------------------------- */

struct installed {
  /* Below project/node_modules: "x", "@scope/x", or one npm nested
   * below its dependent ("a/node_modules/x": another version of x than
   * the top one, for a that needs it). */
  char *name;
  pt_npmmeta meta;
  bool done;
};

/* How deep list_installed looks for nested packages (npm nests one level
 * for each conflict on a path; real trees seldom go past 3). */
#define NPM_MAX_NESTING 8

/* The entries list_installed filled (not the array). */
static void installed_free(struct installed *all, size_t n) {
  for (size_t i = 0; all && i < n; i++) {
    free(all[i].name);
    pt_npmmeta_free(&all[i].meta);
    all[i].name = NULL;
  }
}

/* The packages of one node_modules, prefix its path below
 * project/node_modules ("" for the top, "a/node_modules/"), appended to
 * out from n on. */
static size_t list_node_modules(struct pt_triage *t, const char *prefix,
                                struct installed *out, size_t n, size_t cap) {
  char dir[2400];
  if ((size_t)snprintf(dir, sizeof(dir), "project/node_modules/%s", prefix) >=
      sizeof(dir))
    return n;
  char **top = pt_triage_list(t, dir, NULL);
  for (char **p = top; p && *p && n < cap; p++) {
    if ((*p)[0] == '.')
      continue;
    char **names = NULL;
    char *one[2] = {*p, NULL};
    char rel[3200];
    if ((*p)[0] == '@') {
      snprintf(rel, sizeof(rel), "%s/%s", dir, *p);
      names = pt_triage_list(t, rel, NULL);
    }
    for (char **q = names ? names : one; *q && n < cap; q++) {
      char full[600];
      if (names)
        snprintf(full, sizeof(full), "%s/%s", *p, *q);
      else
        snprintf(full, sizeof(full), "%s", *q);
      if ((size_t)snprintf(rel, sizeof(rel), "%s/%s/package.json", dir, full) >=
          sizeof(rel))
        continue;
      char *buf = NULL;
      size_t len = 0;
      pt_err *e = NULL;
      struct installed *in = &out[n];
      memset(in, 0, sizeof(*in));
      if (pt_triage_read(t, rel, PT_NPMMETA_MAX_INPUT, &buf, &len, &e) == 0 &&
          pt_npmmeta_parse(buf, len, &in->meta, &e) == 0 &&
          pt_npmmeta_valid_name(full) &&
          asprintf(&in->name, "%s%s", prefix, full) > 0) {
        n++;
      } else {
        in->name = NULL;
        pt_npmmeta_free(&in->meta);
      }
      pt_err_free(e);
      free(buf);
    }
    pt_strv_free(names);
  }
  pt_strv_free(top);
  return n;
}

static int nesting(const char *name) {
  int d = 0;
  for (const char *p = name; (p = strstr(p, "/node_modules/")) != NULL; p++)
    d++;
  return d;
}

/* Every installed package, top ones first, then those npm nested below
 * them, breadth first. */
static size_t list_installed(struct pt_triage *t, struct installed *out,
                             size_t cap) {
  size_t n = list_node_modules(t, "", out, 0, cap);
  for (size_t i = 0; i < n && n < cap; i++) {
    char prefix[2400];
    if (nesting(out[i].name) < NPM_MAX_NESTING &&
        (size_t)snprintf(prefix, sizeof(prefix), "%s/node_modules/",
                         out[i].name) < sizeof(prefix))
      n = list_node_modules(t, prefix, out, n, cap);
  }
  return n;
}

/* The package that `in` gets when it requires dep: Node's lookup, from
 * in's own node_modules up through each enclosing one. */
static struct installed *required(struct installed *all, size_t n,
                                  const struct installed *in, const char *dep) {
  char path[2400];
  size_t len = strlen(in->name);
  for (;;) {
    snprintf(path, sizeof(path), "%.*s%s%s", (int)len, in->name,
             len ? "/node_modules/" : "", dep);
    for (size_t k = 0; k < n; k++)
      if (strcmp(all[k].name, path) == 0)
        return &all[k];
    if (len == 0)
      return NULL;
    /* "a/node_modules/b" -> "a"; "a" -> "" (the top). */
    const char *up = NULL;
    for (const char *p = in->name;
         p < in->name + len && (p = strstr(p, "/node_modules/")) != NULL &&
         p < in->name + len;
         p++)
      up = p;
    len = up ? (size_t)(up - in->name) : 0;
  }
}

/* npm's default install script: a package with a binding.gyp and
 * neither an install nor a preinstall script is built with `node-gyp
 * rebuild` when installed. That runs code of the package: gyp's `<!(...)`
 * command expansions at configure time, then the Makefile's actions. (npm
 * also honours `"gypfile": false`, which is not read here: such a package
 * is built anyway, one phase more than npm would run.) */
static bool default_gyp(struct pt_triage *t, const struct installed *in) {
  if (pt_npmmeta_script(&in->meta, "preinstall") != NULL)
    return false;
  char rel[600];
  snprintf(rel, sizeof(rel), "project/node_modules/%s/binding.gyp", in->name);
  return pt_triage_exists(t, rel) == 1;
}

static void run_lifecycle(struct pt_triage *t, struct installed *in,
                          bool root) {
  const json_t *events = json_object_get(
      t->profile, root ? "root_lifecycle_events" : "lifecycle_events");
  size_t i;
  json_t *ev;
  json_array_foreach(events, i, ev) {
    const char *event = json_string_value(ev);
    if (event == NULL || pt_triage_stopped(t))
      continue;
    char name[800];
    if (root)
      snprintf(name, sizeof(name), "lifecycle:%s", event);
    else
      snprintf(name, sizeof(name), "lifecycle:%s:%s", event, in->name);
    bool scripted = pt_npmmeta_script(&in->meta, event) != NULL;
    bool gyp = !scripted && strcmp(event, "install") == 0 &&
               default_gyp(t, in);
    if (!scripted && !gyp)
      continue;
    char pkgdir[700], cwd[1400];
    snprintf(pkgdir, sizeof(pkgdir), "node_modules/%s", in->name);
    snprintf(cwd, sizeof(cwd), "%s/%s", t->project_jail, pkgdir);
    struct pt_tvar vars[] = {{"pkgdir", pkgdir, NULL},
                             {"event", event, NULL},
                             {"project", t->project_jail, NULL}};
    pt_err *e = NULL;
    char **argv = pt_triage_argv(
        json_object_get(t->profile, gyp ? "gyp_install" : "lifecycle"), vars,
        3, &e);
    if (argv)
      pt_triage_phase(t, name, "lifecycle", argv, gyp ? cwd : NULL, NULL);
    pt_err_free(e);
    pt_triage_argv_free(argv);
  }
}

/* Dependencies before their dependents, as npm runs install scripts. */
static void lifecycle_order(struct pt_triage *t, struct installed *all,
                            size_t n, struct installed *in, int depth) {
  if (in->done || depth > 64 || pt_triage_stopped(t))
    return;
  in->done = true;
  for (size_t i = 0; i < in->meta.dependencies.len; i++) {
    struct installed *d =
        required(all, n, in, in->meta.dependencies.items[i].key);
    if (d != NULL)
      lifecycle_order(t, all, n, d, depth + 1);
  }
  if (depth > 0)
    run_lifecycle(t, in, false);
}

static bool valid_bin(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 128 || s[0] == '-' || s[0] == '.')
    return false;
  for (const char *p = s; *p; p++)
    if (!(isalnum((unsigned char)*p) || strchr("._+-@", *p)))
      return false;
  return true;
}

/* npm's other way to declare commands: with no "bin", every file of
 * "directories": {"bin": DIR} is one, named after the file (npm links
 * them in node_modules/.bin). Files directly in DIR only (npm also walks
 * its subdirectories), at most PT_TRIAGE_MAX_ENTRY_POINTS. DIR is read
 * below the package's installed dir; `..` or an absolute path is not
 * followed. */
static void expand_directories_bin(struct pt_triage *t,
                                   const struct installed *pkg,
                                   pt_npmmeta_map *out) {
  const char *dir = pkg->meta.directories_bin;
  memset(out, 0, sizeof(*out));
  if (dir == NULL || pkg->meta.bin.len || dir[0] == '/' || strstr(dir, ".."))
    return;
  while (dir[0] == '.' && dir[1] == '/')
    dir += 2;
  char rel[1200];
  snprintf(rel, sizeof(rel), "project/node_modules/%s/%s", pkg->name, dir);
  pt_err *e = NULL;
  char **names = pt_triage_list(t, rel, &e);
  pt_err_free(e);
  size_t n = 0;
  for (char **q = names; q && *q; q++)
    n++;
  out->items = n ? calloc(n, sizeof(*out->items)) : NULL;
  for (char **q = names; out->items && q && *q &&
                         out->len < PT_TRIAGE_MAX_ENTRY_POINTS;
       q++) {
    char file[1400];
    snprintf(file, sizeof(file), "%s/%s", rel, *q);
    struct stat st;
    if (fstatat(t->home_fd, file, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
        !S_ISREG(st.st_mode))
      continue;
    char path[1400];
    snprintf(path, sizeof(path), "%s/%s", dir, *q);
    out->items[out->len].key = strdup(*q);
    out->items[out->len].value = strdup(path);
    if (out->items[out->len].key && out->items[out->len].value)
      out->len++;
    else {
      free(out->items[out->len].key);
      free(out->items[out->len].value);
    }
  }
  pt_strv_free(names);
}

static void run_bins(struct pt_triage *t, struct npm_state *s,
                     const struct installed *pkg) {
  pt_npmmeta_map from_dir;
  expand_directories_bin(t, pkg, &from_dir);
  const pt_npmmeta_map *bin = from_dir.len ? &from_dir : &pkg->meta.bin;
  for (size_t i = 0; i < bin->len && !pt_triage_stopped(t); i++) {
    const char *b = bin->items[i].key;
    char name[300];
    snprintf(name, sizeof(name), "bin:%s", b);
    pt_triage_add_bin(t, b, bin->items[i].value);
    char rel[600];
    snprintf(rel, sizeof(rel), "project/node_modules/.bin/%s", b);
    if (i >= PT_TRIAGE_MAX_ENTRY_POINTS || !valid_bin(b) ||
        !pt_triage_exists(t, rel)) {
      pt_triage_phase_skipped(t, name, "bin", NULL,
                              i >= PT_TRIAGE_MAX_ENTRY_POINTS
                                  ? "too many bins"
                                  : "npm did not link it in node_modules/.bin");
      continue;
    }
    pt_triage_phase_variants(t, "bin_runs", name, "bin", (char *)b);
    pt_triage_check_hijack(t, b, name, NULL);
  }
  if (from_dir.len)
    json_array_append_new(
        json_object_get(t->record, "notes"),
        json_string("bins from directories.bin (the files directly in it)"));
  for (size_t i = 0; i < from_dir.len; i++) {
    free(from_dir.items[i].key);
    free(from_dir.items[i].value);
  }
  free(from_dir.items);
}

/* npm's overrides for one dependency name: `NAME@VERSION` -> file:
 * tarball for each version picked for it, highest first, then `NAME` ->
 * file: its fallback. npm (arborist's OverrideSet.getEdgeRule) gives a
 * dependency the first rule of its name whose key version its range
 * allows (semver.intersects), else the one without a version: so each
 * dependent gets the highest picked version its range allows, as
 * resolve_deps picked it, and npm nests a second version below the
 * dependent that needs it. Keys with a version are only written for
 * versions that are semver (npm would throw on another), normalised. */
static void name_overrides(json_t *over, const struct npm_state *s,
                           const char *edge) {
  const struct dep_file *done = NULL; /* last one written, by version */
  for (;;) {
    const struct dep_file *next = NULL;
    for (size_t i = 0; i < s->n_rules; i++) {
      const struct dep_file *f = s->rules[i].f;
      if (s->rules[i].fallback || strcmp(s->rules[i].edge, edge) != 0)
        continue;
      if ((done == NULL || pt_semver_cmp(&f->sv, &done->sv) < 0) &&
          (next == NULL || pt_semver_cmp(&f->sv, &next->sv) > 0))
        next = f;
    }
    if (next == NULL)
      break;
    char key[PT_TRIAGE_MAX_NAME + 128], spec[4500];
    snprintf(key, sizeof(key), "%s@%llu.%llu.%llu%s%s", edge,
             (unsigned long long)next->sv.num[0],
             (unsigned long long)next->sv.num[1],
             (unsigned long long)next->sv.num[2], next->sv.pre[0] ? "-" : "",
             next->sv.pre);
    snprintf(spec, sizeof(spec), "file:%s", next->path);
    /* Two tarballs of one version (an alias beside its target): one. */
    if (json_object_get(over, key) == NULL)
      json_object_set_new(over, key, json_string(spec));
    done = next;
  }
  for (size_t i = 0; i < s->n_rules; i++)
    if (s->rules[i].fallback && strcmp(s->rules[i].edge, edge) == 0) {
      char spec[4500];
      snprintf(spec, sizeof(spec), "file:%s", s->rules[i].f->path);
      json_object_set_new(over, edge, json_string(spec));
    }
}

/* The project's package.json, with npm's "overrides" (every occurrence
 * of a name in the tree) pointing
 *  - each dependency found in --deps at a tarball (name_overrides): the
 *    highest version its range allows, or, when none does, the highest
 *    there is, even where a range asks for another (a batch of real
 *    packages holds one `negotiator`, 0.6.4, for `accepts`' exact
 *    0.6.3): an offline install would fail on the mismatch, and none of
 *    the package's scripts would run;
 *  - each dependency missing from --deps at an empty package: without it
 *    the install fails on the first missing dependency, which a payload
 *    with one declared dependency would get for free. Code that requires
 *    a stub fails as it would without the dependency. Names are valid npm
 *    names (no `..`, one `/` after a scope), so each stub stays below the
 *    project.
 * The install then names only the artifact: npm refuses an override of a
 * dependency also named on its command line (EOVERRIDE). */
static int write_project(struct pt_triage *t, const struct npm_state *s,
                         const char *own_name, pt_err **err) {
  json_t *proj = json_pack("{s:s, s:s, s:b, s:s}", "name", "project",
                           "version", "1.0.0", "private", 1, "license", "ISC");
  json_t *over = json_object();
  for (size_t i = 0; proj && over && i < s->n_rules; i++) {
    const char *edge = s->rules[i].edge;
    /* A dependency back on the package itself gets the one installed;
     * each name once (its first rule). */
    bool seen = own_name && strcmp(edge, own_name) == 0;
    for (size_t k = 0; k < i && !seen; k++)
      seen = strcmp(s->rules[k].edge, edge) == 0;
    if (!seen)
      name_overrides(over, s, edge);
  }
  for (size_t i = 0; proj && over && i < s->n_unresolved; i++) {
    const char *name = s->unresolved[i];
    char dir[5200], spec[300];
    snprintf(dir, sizeof(dir), "%s/%s/%s", t->project_host, NPM_STUB_DIR,
             name);
    snprintf(spec, sizeof(spec), "file:%s/%s", NPM_STUB_DIR, name);
    json_t *stub = json_pack("{s:s, s:s, s:s}", "name", name, "version",
                             "0.0.0", "description",
                             "offline stand-in (pkgtrap triage)");
    char *text = stub ? json_dumps(stub, JSON_INDENT(2)) : NULL;
    json_decref(stub);
    char pj[5300];
    snprintf(pj, sizeof(pj), "%s/package.json", dir);
    int rc = text ? pt_mkdir_p_at(AT_FDCWD, dir, 0755, err)
                  : pt_err_make(err, ENOMEM, "stub `%s`", name);
    if (rc == 0)
      rc = pt_write_file_at(AT_FDCWD, pj, text, strlen(text), 0644, err);
    free(text);
    if (rc < 0)
      goto fail;
    json_object_set_new(over, name, json_string(spec));
    pt_triage_dep(t, "stubbed", name);
  }
  if (proj && over && json_object_size(over))
    json_object_set(proj, "overrides", over);
  char *text = proj ? json_dumps(proj, JSON_INDENT(2)) : NULL;
  json_decref(proj);
  json_decref(over);
  over = proj = NULL;
  char path[4700], stubs[4700];
  snprintf(path, sizeof(path), "%s/package.json", t->project_host);
  snprintf(stubs, sizeof(stubs), "%s/%s", t->project_host, NPM_STUB_DIR);
  int rc = text ? pt_write_file_at(AT_FDCWD, path, text, strlen(text), 0644,
                                   err)
                : pt_err_make(err, ENOMEM, "project package.json");
  free(text);
  if (rc == 0)
    rc = pt_session_chown(t->sess, path, err);
  if (rc == 0 && s->n_unresolved)
    rc = pt_session_chown(t->sess, stubs, err);
  if (rc == 0 && s->n_unsatisfied) {
    char note[300];
    snprintf(note, sizeof(note),
             "%zu dependenc%s got a version from --deps that %s range "
             "does not allow, the highest there (dependencies.unsatisfied)",
             s->n_unsatisfied, s->n_unsatisfied == 1 ? "y" : "ies",
             s->n_unsatisfied == 1 ? "its" : "their");
    json_array_append_new(json_object_get(t->record, "notes"),
                          json_string(note));
  }
  if (rc == 0 && s->n_unresolved) {
    char note[200];
    snprintf(note, sizeof(note),
             "%zu dependenc%s missing from --deps stubbed by empty packages "
             "(package.json overrides) so that the install and the "
             "package's scripts run; requiring one fails",
             s->n_unresolved, s->n_unresolved == 1 ? "y" : "ies");
    json_array_append_new(json_object_get(t->record, "notes"),
                          json_string(note));
  }
  return rc;
fail:
  json_decref(proj);
  json_decref(over);
  return -1;
}

int pt_phases_npm(struct pt_triage *t) {
  struct npm_state s = {0};
  snprintf(s.bin_jail, sizeof(s.bin_jail), "%s/node_modules/.bin",
           t->project_jail);
  /* The artifact's own package.json (hardened unpack, host side). */
  char pj[4600];
  snprintf(pj, sizeof(pj), "%s/%s/package.json", t->unpacked,
           t->info.root ? t->info.root : "package");
  pt_npmmeta top = {0};
  if (read_pkg_json(pj, &top) < 0) {
    pt_triage_set_error(t, "package.json unreadable");
    return 0;
  }
  if (top.duplicate_keys)
    json_array_append_new(
        json_object_get(t->record, "notes"),
        json_string("package.json holds a key twice: the last value counts, "
                    "as in npm"));
  scan_deps_dir(t, &s);
  resolve_deps(t, &s, &top);
  /* A project of the user's own into which the package is installed; its
   * dependencies come through overrides (write_project). */
  pt_err *e = NULL;
  int wrote = write_project(t, &s, top.name, &e);
  pt_npmmeta_free(&top);
  if (wrote < 0) {
    pt_triage_set_error(t, "%s", e->msg);
    pt_err_free(e);
    npm_state_free(&s);
    return 0;
  }
  char **tarballs = calloc(2, sizeof(char *));
  size_t nt = 0;
  if (tarballs)
    tarballs[nt++] = t->artifact_jail;
  struct pt_tvar vars[] = {{"tarballs", NULL, tarballs},
                           {"project", t->project_jail, NULL}};
  bool ok = tarballs && pt_triage_run_profile(t, "install", "install",
                                              "install", vars, 2, NULL);
  struct installed *all = calloc(PT_TRIAGE_MAX_PACKAGES, sizeof(*all));
  size_t n = 0;
  struct installed *pkg = NULL;
  for (int attempt = 0; attempt < 2 && !pt_triage_stopped(t); attempt++) {
    pkg = NULL; /* an entry of the list made again below */
    n = all ? list_installed(t, all, PT_TRIAGE_MAX_PACKAGES) : 0;
    for (size_t i = 0; i < n; i++)
      if (t->info.name && strcmp(all[i].name, t->info.name) == 0)
        pkg = &all[i];
    if ((ok && pkg != NULL) || attempt == 1 || tarballs == NULL)
      break;
    /* npm refused it: a package for another os or cpu (EBADPLATFORM), a
     * payload that says it is one, or anything else --force overrides.
     * What npm would not install here is still run: --force. */
    installed_free(all, n);
    n = 0;
    ok = pt_triage_run_profile(t, "install_force", "install --force",
                               "install", vars, 2, NULL);
    if (ok)
      json_array_append_new(
          json_object_get(t->record, "notes"),
          json_string("npm refused the install (another os or cpu, say); "
                      "installed with --force"));
  }
  free(tarballs);
  if (pt_triage_stopped(t)) {
    installed_free(all, n);
    free(all);
    npm_state_free(&s);
    return -1;
  }
  if (!ok || pkg == NULL) {
    pt_triage_set_error(t, "the package did not install (see the install "
                           "phase)");
    goto out;
  }
  /* Dependencies (deepest first), then the package's own scripts. */
  lifecycle_order(t, all, n, pkg, 0);
  for (size_t i = 0; i < n; i++)
    lifecycle_order(t, all, n, &all[i], 1);
  run_lifecycle(t, pkg, true);
  if (!pt_triage_stopped(t)) {
    struct pt_tvar iv[] = {{"name", pkg->name, NULL},
                           {"project", t->project_jail, NULL}};
    pt_triage_run_profile(t, "import", "import", "import", iv, 2, NULL);
    if (!pt_triage_stopped(t)) {
      pt_triage_run_profile(t, "import_again", "import (again)", "import", iv,
                            2, NULL);
      pt_triage_mark_repeat(t, "import");
    }
    /* Called code, as a program using the package calls it (phase kind
     * bin, as its commands): a profile without the key skips it. */
    if (!pt_triage_stopped(t) && json_object_get(t->profile, "exercise"))
      pt_triage_run_profile(t, "exercise", "exercise", "bin", iv, 2, NULL);
  }
  run_bins(t, &s, pkg);
  /* One module, the package: any failure is all of it, unless one of its
   * commands ran. */
  if (!pt_triage_stopped(t))
    pt_triage_check_imports(t, -1);
out:
  installed_free(all, n);
  free(all);
  npm_state_free(&s);
  return pt_triage_stopped(t) ? -1 : 0;
}
