/* Python phases (wheel and sdist), argv from profiles/ecosystems/pypi.json:
 *
 *   setup      a venv in the work dir (system site-packages: Debian's pip,
 *              setuptools and wheel build the sdist without isolation)
 *   build requirements  an sdist with a pyproject.toml, with --deps: its
 *              build-system requirements the host lacks, from --deps into
 *              the venv (installs run without build isolation)
 *   install    pip, no index, dependencies only from --deps (find-links);
 *              a dependency that cannot be resolved is recorded and the
 *              package installed again without dependencies, so its own
 *              code still runs in the later phases
 *   build hooks  an sdist naming a build backend in pyproject.toml: its
 *              PEP 517 hooks pip only calls with build isolation
 *              (get_requires_for_build_*), and build_sdist
 *   startup    an interpreter start that starts another: .pth files, and
 *              what they leave for child interpreters (PYTHONPATH)
 *   import     every top-level module (top_level.txt, else RECORD)
 *   import (again)  the same in a new interpreter: a payload that waits for
 *              its second run shows there
 *   console_scripts:NAME [--help], gui_scripts:NAME [--help]
 *              the generated wrapper in the venv's bin, found on PATH
 *   GROUP:NAME every other entry point, ep.load()
 *   setuptools build  when a setuptools plugin exists (egg_info writers,
 *              file finders, ...): a tiny project built with egg_info and
 *              sdist, inside which those hooks run
 *   pytest     when a pytest11 plugin exists: pytest over a tiny suite with
 *              a failing test (skipped when the jail's Python has none)
 *
 * Entry points, modules and the dependencies that got installed are read
 * back from the installed *.dist-info (host side, never following links).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymeta.h"
#include "pt_util.h"
#include "triage_int.h"

/* PEP 503 normalisation, for comparing a dist-info dir's name with the
 * package name: lowercase, runs of -_. become one '-'. */
static void norm_name(const char *in, size_t n, char *out, size_t cap) {
  size_t k = 0;
  bool sep = false;
  for (size_t i = 0; i < n && in[i] && k + 1 < cap; i++) {
    char c = in[i];
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && k > 0 && k + 1 < cap)
      out[k++] = '-';
    sep = false;
    out[k++] = (char)tolower((unsigned char)c);
  }
  out[k] = '\0';
}

static bool valid_module(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 128 || s[0] == '.' || s[n - 1] == '.')
    return false;
  for (const char *p = s; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
      return false;
  return !isdigit((unsigned char)s[0]);
}

/* A name a user could type as a command. */
static bool valid_command(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 128 || s[0] == '-' || s[0] == '.')
    return false;
  for (const char *p = s; *p; p++)
    if (!(isalnum((unsigned char)*p) || strchr("._+-@", *p)))
      return false;
  return true;
}

struct py_state {
  char site_rel[320];  /* site-packages, relative to HOME */
  char dist_info[512]; /* the package's dist-info dir name */
  char venv_jail[700], bin_jail[720];
};

static int find_site(struct pt_triage *t, struct py_state *ps) {
  const char *rel = "project/.venv/lib";
  char **v = pt_triage_list(t, rel, NULL);
  int rc = -1;
  for (char **p = v; p && *p; p++)
    if (strncmp(*p, "python3", 7) == 0 && strlen(*p) < 32) {
      snprintf(ps->site_rel, sizeof(ps->site_rel), "%s/%s/site-packages", rel,
               *p);
      rc = 0;
      break;
    }
  pt_strv_free(v);
  return rc;
}

/* Find the package's dist-info among what the install produced; every
 * other one is a dependency that was resolved. */
static void find_dist_info(struct pt_triage *t, struct py_state *ps) {
  char **v = pt_triage_list(t, ps->site_rel, NULL);
  char want[300] = "";
  if (t->info.name)
    norm_name(t->info.name, strlen(t->info.name), want, sizeof(want));
  for (char **p = v; p && *p; p++) {
    size_t n = strlen(*p);
    if (n < 11 || strcmp(*p + n - 10, ".dist-info") != 0 || n > 400)
      continue;
    const char *dash = memchr(*p, '-', n - 10);
    char nm[300];
    norm_name(*p, dash ? (size_t)(dash - *p) : n - 10, nm, sizeof(nm));
    if (ps->dist_info[0] == '\0' && (want[0] == '\0' || strcmp(nm, want) == 0))
      snprintf(ps->dist_info, sizeof(ps->dist_info), "%s", *p);
    else {
      char dep[400];
      snprintf(dep, sizeof(dep), "%.*s", (int)(n - 10), *p);
      pt_triage_dep(t, "resolved", dep);
    }
  }
  pt_strv_free(v);
}

static int read_meta(struct pt_triage *t, const struct py_state *ps,
                     const char *file, size_t cap, char **out, size_t *len) {
  char rel[1024];
  snprintf(rel, sizeof(rel), "%s/%s/%s", ps->site_rel, ps->dist_info, file);
  pt_err *e = NULL;
  int rc = pt_triage_read(t, rel, cap, out, len, &e);
  pt_err_free(e);
  return rc;
}

/* Requires-Dist of the installed package, or of the artifact's own
 * metadata when nothing got installed. */
static void declared_deps(struct pt_triage *t, const struct py_state *ps) {
  char *buf = NULL;
  size_t len = 0;
  if (ps->dist_info[0] == '\0' ||
      read_meta(t, ps, "METADATA", PT_PYMETA_MAX_INPUT, &buf, &len) < 0) {
    char path[4600];
    if (t->info.dist_info)
      snprintf(path, sizeof(path), "%s/%s/METADATA", t->unpacked,
               t->info.dist_info);
    else
      snprintf(path, sizeof(path), "%s/%s/PKG-INFO", t->unpacked,
               t->info.root ? t->info.root : ".");
    pt_err *e = NULL;
    if (pt_read_file_at(AT_FDCWD, path, PT_PYMETA_MAX_INPUT, &buf, &len, &e) <
        0) {
      pt_err_free(e);
      return;
    }
  }
  pt_pymeta_metadata md = {0};
  pt_err *e = NULL;
  if (pt_pymeta_parse_metadata(buf, len, &md, &e) == 0)
    for (size_t i = 0; i < md.requires_dist.len; i++)
      pt_triage_dep(t, "declared", md.requires_dist.items[i]);
  pt_err_free(e);
  pt_pymeta_metadata_free(&md);
  free(buf);
}

/* pip says "No matching distribution found for NAME" for each requirement
 * it could not resolve from the find-links dir. */
static void unresolved_from_pip(struct pt_triage *t, const pt_buf *err) {
  static const char key[] = "No matching distribution found for ";
  if (err->data == NULL)
    return;
  cleanup_free char *s = strndup(err->data, err->len);
  for (char *p = s; p && (p = strstr(p, key)) != NULL;) {
    p += sizeof(key) - 1;
    size_t n = strcspn(p, "\r\n");
    char dep[300];
    snprintf(dep, sizeof(dep), "%.*s", (int)(n < 299 ? n : 299), p);
    pt_triage_dep(t, "unresolved", dep);
    p += n;
  }
}

/* Top-level modules: top_level.txt, else the first component of RECORD's
 * top-level packages and modules. */
static char **modules(struct pt_triage *t, const struct py_state *ps) {
  char **mods = calloc(PT_TRIAGE_MAX_MODULES + 1, sizeof(char *));
  size_t n = 0;
  if (mods == NULL)
    return NULL;
  char *buf = NULL;
  size_t len = 0;
  pt_pymeta_strlist l = {0};
  pt_err *e = NULL;
  if (read_meta(t, ps, "top_level.txt", PT_PYMETA_MAX_INPUT, &buf, &len) ==
          0 &&
      pt_pymeta_parse_top_level(buf, len, &l, &e) == 0 && l.len > 0) {
    for (size_t i = 0; i < l.len && n < PT_TRIAGE_MAX_MODULES; i++) {
      for (char *c = l.items[i]; *c; c++)
        if (*c == '/')
          *c = '.';
      if (valid_module(l.items[i]))
        mods[n++] = strdup(l.items[i]);
    }
  } else if (free(buf), buf = NULL,
             read_meta(t, ps, "RECORD", PT_PYMETA_MAX_RECORD_INPUT, &buf,
                       &len) == 0 &&
                 pt_pymeta_parse_record(buf, len, &l, &e) == 0) {
    for (size_t i = 0; i < l.len && n < PT_TRIAGE_MAX_MODULES; i++) {
      char *p = l.items[i];
      char m[160];
      char *slash = strchr(p, '/');
      size_t pl = strlen(p);
      if (slash && strcmp(slash + 1, "__init__.py") == 0)
        snprintf(m, sizeof(m), "%.*s", (int)(slash - p), p);
      else if (!slash && pl > 3 && strcmp(p + pl - 3, ".py") == 0)
        snprintf(m, sizeof(m), "%.*s", (int)(pl - 3), p);
      else
        continue;
      bool dup = false;
      for (size_t k = 0; k < n && !dup; k++)
        dup = strcmp(mods[k], m) == 0;
      if (!dup && valid_module(m))
        mods[n++] = strdup(m);
    }
  }
  pt_err_free(e);
  pt_pymeta_strlist_free(&l);
  free(buf);
  return mods;
}

static void write_pytest_suite(struct pt_triage *t) {
  const char *k;
  json_t *v;
  json_object_foreach(json_object_get(t->profile, "pytest_suite"), k, v) {
    if (!json_is_string(v) || strstr(k, "..") || k[0] == '/')
      continue;
    char path[4700];
    snprintf(path, sizeof(path), "%s/%s", t->project_host, k);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    pt_err *e = NULL;
    /* Made before any package code ran: the project dir is still ours. */
    if (pt_mkdir_p_at(AT_FDCWD, path, 0755, &e) == 0) {
      *slash = '/';
      const char *s = json_string_value(v);
      pt_write_file_at(AT_FDCWD, path, s, strlen(s), 0644, &e);
    }
    pt_err_free(e);
  }
}

static bool is_script_group(const char *g) {
  return strcmp(g, "console_scripts") == 0 || strcmp(g, "gui_scripts") == 0;
}

static bool in_list(const json_t *a, const char *s) {
  size_t i;
  json_t *e;
  json_array_foreach(a, i, e) if (json_is_string(e) &&
                                  strcmp(json_string_value(e), s) == 0) return
      true;
  return false;
}

static void entry_points(struct pt_triage *t, const struct py_state *ps,
                         const struct pt_tvar *base, size_t nb) {
  char *buf = NULL;
  size_t len = 0;
  if (read_meta(t, ps, "entry_points.txt", PT_PYMETA_MAX_INPUT, &buf, &len) <
      0)
    return;
  pt_pymeta_entry_points eps = {0};
  pt_err *e = NULL;
  if (pt_pymeta_parse_entry_points(buf, len, &eps, &e) < 0) {
    json_array_append_new(json_object_get(t->record, "notes"),
                          json_pack("s+", "entry_points.txt unreadable: ",
                                    e ? e->msg : "?"));
    pt_err_free(e);
    free(buf);
    return;
  }
  free(buf);
  bool pytest = false, setuptools = false;
  const char *dist = t->info.name ? t->info.name : ps->dist_info;
  const json_t *pytest_groups = json_object_get(t->profile, "pytest_groups");
  const json_t *setuptools_groups =
      json_object_get(t->profile, "setuptools_groups");
  for (size_t i = 0; i < eps.len; i++)
    pt_triage_add_entry_point(t, eps.items[i].group, eps.items[i].name,
                              eps.items[i].value);
  for (size_t i = 0; i < eps.len && !pt_triage_stopped(t); i++) {
    const pt_pymeta_entry_point *ep = &eps.items[i];
    char name[600];
    snprintf(name, sizeof(name), "%s:%s", ep->group, ep->name);
    if (i >= PT_TRIAGE_MAX_ENTRY_POINTS) {
      pt_triage_phase_skipped(t, name, "entry_point", NULL,
                              "too many entry points");
      continue;
    }
    if (in_list(pytest_groups, ep->group))
      pytest = true;
    if (in_list(setuptools_groups, ep->group))
      setuptools = true;
    if (is_script_group(ep->group)) {
      char rel[1024];
      snprintf(rel, sizeof(rel), "project/.venv/bin/%s", ep->name);
      if (!valid_command(ep->name) || !pt_triage_exists(t, rel)) {
        pt_triage_phase_skipped(t, name, "entry_point", NULL,
                                "no wrapper script was installed for it");
        continue;
      }
      pt_triage_phase_variants(t, "script_runs", name, "entry_point",
                               ep->name);
      pt_triage_check_hijack(t, ep->name, name, ep->module);
      continue;
    }
    struct pt_tvar vars[8];
    size_t nv = 0;
    for (; nv < nb && nv < 5; nv++)
      vars[nv] = base[nv];
    vars[nv++] = (struct pt_tvar){"group", ep->group, NULL};
    vars[nv++] = (struct pt_tvar){"name", ep->name, NULL};
    vars[nv++] = (struct pt_tvar){"dist", dist, NULL};
    pt_triage_run_profile(t, "entry_point_load", name, "hook", vars, nv,
                          NULL);
  }
  pt_pymeta_entry_points_free(&eps);
  /* A setuptools plugin's hooks run inside a later build (egg_info writers,
   * file finders, option finalizers), not when loaded: build one. */
  if (setuptools && !pt_triage_stopped(t))
    pt_triage_run_profile(t, "setuptools_build", "setuptools build", "hook",
                          base, nb, NULL);
  if (pytest && !pt_triage_stopped(t)) {
    struct pt_phase_result r;
    pt_triage_run_profile(t, "pytest", "pytest", "hook", base, nb, &r);
    json_t *ph = json_array_get(json_object_get(t->record, "phases"),
                                json_array_size(json_object_get(
                                    t->record, "phases")) -
                                    1);
    if (r.ran && r.res.err.data &&
        memmem(r.res.err.data, r.res.err.len, "No module named pytest", 22)) {
      json_object_set_new(ph, "status", json_string("skipped"));
      json_object_set_new(ph, "note",
                          json_string("pytest is not installed in the jail's "
                                      "Python; the plugins were still loaded "
                                      "by their entry point phases"));
    } else if (r.ran && r.res.outcome == JAIL_EXITED) {
      /* The suite holds a failing test: exit 0 means a plugin turned the
       * failure into a pass. */
      json_object_set_new(ph, "failing_test_passed",
                          json_boolean(r.res.exit_code == 0));
      if (r.res.exit_code == 0)
        json_object_set_new(ph, "note",
                            json_string("the suite's failing test was "
                                        "reported as passed"));
    }
    pt_phase_result_free(&r);
  }
}

/* An sdist whose pyproject.toml holds key (its [build-system] table's
 * build-backend or requires). Read from the tree triage unpacked on the
 * host (hardened: no link leaves it); the text is only searched for the
 * key (no TOML parser here: the jail's Python reads it with tomllib, and
 * an sdist that names no backend gets setuptools' legacy backend, which
 * pip has run already). */
static bool pyproject_has(const struct pt_triage *t, const char *key) {
  if (t->info.ecosystem != PT_ECO_SDIST || !t->unpacked || !t->info.root)
    return false;
  char path[4600];
  snprintf(path, sizeof(path), "%s/%s/pyproject.toml", t->unpacked,
           t->info.root);
  char *text = NULL;
  size_t len = 0;
  pt_err *e = NULL;
  bool yes = false;
  if (pt_read_file_at(AT_FDCWD, path, 1 << 20, &text, &len, &e) == 0)
    yes = memmem(text, len, key, strlen(key)) != NULL;
  pt_err_free(e);
  free(text);
  return yes;
}

int pt_phases_python(struct pt_triage *t) {
  struct py_state ps = {0};
  snprintf(ps.venv_jail, sizeof(ps.venv_jail), "%s/.venv", t->project_jail);
  snprintf(ps.bin_jail, sizeof(ps.bin_jail), "%s/bin", ps.venv_jail);
  char *fl[3] = {"--find-links", (char *)t->opts->deps_dir, NULL};
  const char *empty[1] = {NULL};
  struct pt_tvar vars[] = {
      {"venv", ps.venv_jail, NULL},
      {"project", t->project_jail, NULL},
      {"artifact", t->artifact_jail, NULL},
      {"find_links", NULL, t->opts->deps_dir ? fl : (char **)empty},
  };
  write_pytest_suite(t);
  struct pt_phase_result r;
  bool ok = pt_triage_run_profile(t, "setup", "setup", "setup", vars, 4, NULL);
  if (!ok) {
    if (!pt_triage_stopped(t))
      pt_triage_set_error(t, "could not create the virtualenv");
    return -1;
  }
  /* Without build isolation, a backend the host lacks (flit_core, say)
   * fails the build: from --deps first, if it is there. */
  if (t->opts->deps_dir && pyproject_has(t, "requires"))
    pt_triage_run_profile(t, "build_requires", "build requirements",
                          "install", vars, 4, NULL);
  if (pt_triage_stopped(t))
    return -1;
  ok = pt_triage_run_profile(t, "install", "install", "install", vars, 4, &r);
  if (!ok && r.ran)
    unresolved_from_pip(t, &r.res.err);
  /* Still run what the package itself holds: a dependency that cannot be
   * resolved, or one pip fails to build (a backend the host lacks), must
   * not keep the package's own code from running. Not after a timeout: a
   * build that long (a C library compiled) would only time out again. */
  bool retry = !ok && r.ran && r.status != PT_PHASE_TIMED_OUT;
  pt_phase_result_free(&r);
  if (retry) {
    ok = pt_triage_run_profile(t, "install_no_deps", "install --no-deps",
                               "install", vars, 4, NULL);
  }
  /* An sdist pip could not build (its backend not on the offline host):
   * what its wheel would hold, installed unbuilt, so that its code still
   * runs (python-site/_pt_source_install.py). */
  bool from_source = false;
  if (!ok && retry && t->info.ecosystem == PT_ECO_SDIST &&
      json_object_get(t->profile, "install_source") && !pt_triage_stopped(t))
    ok = from_source = pt_triage_run_profile(
        t, "install_source", "install from source", "install", vars, 4, NULL);
  if (pt_triage_stopped(t))
    return -1;
  if (find_site(t, &ps) == 0)
    find_dist_info(t, &ps);
  if (from_source && ps.dist_info[0] != '\0')
    json_array_append_new(
        json_object_get(t->record, "notes"),
        json_string("pip could not build the sdist (see the install phases): "
                    "its packages were installed from source, unbuilt, so "
                    "that its code still ran"));
  if (ok && ps.site_rel[0] != '\0' && ps.dist_info[0] == '\0' &&
      !pt_triage_stopped(t)) {
    /* pip found the name and version in the host's site-packages (the venv
     * sees them) and installed nothing: a wheel claiming to be Debian's
     * own setuptools would never run. Into the venv regardless. */
    ok = pt_triage_run_profile(t, "install_ignore_installed",
                               "install --ignore-installed", "install", vars,
                               4, NULL);
    if (ok) {
      find_dist_info(t, &ps);
      json_array_append_new(
          json_object_get(t->record, "notes"),
          json_string("the host's Python has this name and version: pip "
                      "took it as installed, so it was installed again "
                      "into the venv with --ignore-installed"));
    }
  }
  declared_deps(t, &ps);
  /* Before the install's verdict: the hooks need no installed package, and
   * a backend that fails the build on purpose still ran them. */
  if (pyproject_has(t, "build-backend") && !pt_triage_stopped(t))
    pt_triage_run_profile(t, "build_hooks", "build hooks", "install", vars, 4,
                          NULL);
  if (!ok || ps.dist_info[0] == '\0') {
    pt_triage_set_error(t, "the package did not install (see the install "
                           "phase)");
    return 0;
  }
  pt_triage_run_profile(t, "startup", "startup", "startup", vars, 4, NULL);
  char **mods = modules(t, &ps);
  if (mods && mods[0]) {
    struct pt_tvar iv[5] = {vars[0], vars[1], vars[2], vars[3],
                            {"modules", NULL, mods}};
    pt_triage_run_profile(t, "import", "import", "import", iv, 5, NULL);
    if (!pt_triage_stopped(t)) {
      pt_triage_run_profile(t, "import_again", "import (again)", "import", iv,
                            5, NULL);
      pt_triage_mark_repeat(t, "import");
    }
    /* Called code, as a program using the library calls it (phase kind
     * entry_point): a profile without the key skips it. */
    if (!pt_triage_stopped(t) && json_object_get(t->profile, "exercise"))
      pt_triage_run_profile(t, "exercise", "exercise", "entry_point", iv, 5,
                            NULL);
  } else {
    pt_triage_phase_skipped(t, "import", "import", NULL,
                            "no top-level module found");
  }
  pt_strv_free(mods);
  entry_points(t, &ps, vars, 4);
  /* pypi.json's import harnesses exit 2 when no module imported; an entry
   * point that ran loaded its own. */
  if (!pt_triage_stopped(t))
    pt_triage_check_imports(t, 2);
  return pt_triage_stopped(t) ? -1 : 0;
}
