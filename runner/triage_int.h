/* Shared by triage.c (orchestration, record), triage_phase.c (running one
 * phase, reading the installed tree back safely) and phases_{py,npm}.c
 * (what each ecosystem runs). Not a public API. */
#ifndef PT_TRIAGE_INT_H
#define PT_TRIAGE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "artifact.h"
#include "jail.h"
#include "session.h"
#include "triage.h"

/* Hard caps on what is read back from the installed tree (written by the
 * package, so hostile). */
#define PT_TRIAGE_MAX_ENTRY_POINTS 64 /* entry point / bin phases planned */
#define PT_TRIAGE_MAX_MODULES 64      /* top-level modules imported */
#define PT_TRIAGE_MAX_DIR_ENTRIES 4096
#define PT_TRIAGE_MAX_PACKAGES 4096 /* npm packages installed */
#define PT_TRIAGE_MAX_DEPS_FILES 20000 /* npm tarballs indexed in --deps */
#define PT_TRIAGE_MAX_NAME 214
#define PT_TRIAGE_MAX_PROFILE_MOUNTS 4 /* files the ecosystem profile binds */

enum pt_phase_status {
  PT_PHASE_OK,
  PT_PHASE_FAILED,
  PT_PHASE_TIMED_OUT,
  PT_PHASE_SKIPPED
};

struct pt_triage {
  const struct pt_triage_opts *opts;
  pt_session *sess;
  pt_artifact_info info;
  const char *unpacked; /* host dir of the unpacked artifact */
  json_t *record;       /* being built */
  json_t *profile;      /* profiles/ecosystems/<eco>.json */
  json_t *commands;     /* profiles/ecosystems/commands.json */
  uint64_t phase_timeout_ms, deadline_ns;
  /* Bins and entry points run bare or with --help: a CLI answers at once,
   * a server started bare waits for clients until the timeout. Their own
   * (shorter) limit, "command_timeout_ms" of the profile; never above
   * phase_timeout_ms. */
  uint64_t command_timeout_ms;
  /* Paths: *_jail as the jail sees them, *_host on the host. */
  char home_jail[512];
  char project_jail[600], project_host[4400];
  char artifact_jail[1024];
  char path_env[2048]; /* PATH=<prepend>:~/.local/bin:<base> */
  /* Extra environment of the phase being run: the profile's
   * "phase_env".<key> (import_again runs as a CI job would). */
  const json_t *phase_env;
  int home_fd;         /* O_PATH of the HOME on the host */
  bool interrupted;    /* a signal stopped a run: stop everything */
  /* The watched configs as the last phase left them (triage_configs.c). */
  struct pt_config_snap *configs;
  pt_err *fatal;       /* the supervisor failed: stop, record error */
};

/* The user's tool configs (commands.json "watched_configs"): read after
 * the first phase, which writes the honeytoken HOME and runs none of the
 * package's code (the venv; npm install --ignore-scripts); after each
 * later one, what changed is a config-change event of that phase
 * (triage_configs.c). */
void pt_triage_configs_snapshot(struct pt_triage *t);
void pt_triage_configs_diff(struct pt_triage *t);
void pt_triage_configs_free(struct pt_triage *t);

/* One phase, as the record shows it. */
struct pt_phase_result {
  enum pt_phase_status status;
  int exit_code;
  struct jail_result res; /* valid when ran */
  bool ran;
};

/* Run argv (a NULL-terminated, already expanded vector) as phase name of
 * kind, cwd inside the jail (NULL: the project dir), with the profile's
 * env and PATH. Appends the phase to record.phases and returns it
 * (borrowed) or NULL when triage must stop (t->interrupted / t->fatal).
 * out (may be NULL) receives status and captured output; the caller frees
 * it with pt_phase_result_free. */
json_t *pt_triage_phase(struct pt_triage *t, const char *name,
                        const char *kind, char *const *argv, const char *cwd,
                        struct pt_phase_result *out);
/* One phase per entry of the profile's list runs_key (each a list of extra
 * arguments, e.g. [] and ["--help"]): cmd with those arguments, named
 * "NAME ARG...". */
void pt_triage_phase_variants(struct pt_triage *t, const char *runs_key,
                              const char *name, const char *kind, char *cmd);
/* A phase that did not run: status skipped with note. */
json_t *pt_triage_phase_skipped(struct pt_triage *t, const char *name,
                                const char *kind, char *const *argv,
                                const char *note);
void pt_phase_result_free(struct pt_phase_result *r);
bool pt_triage_stopped(const struct pt_triage *t);

/* Expand an argv template from the profile: each string may hold
 * {placeholders}; a string that is exactly "{key}" whose value is a list
 * expands to that many arguments (zero included). vars are pairs
 * key, value (value NULL = empty list), lists are pairs key, char**
 * (NULL-terminated). Returns a NULL-terminated vector (free with
 * pt_triage_argv_free), NULL on a bad template. */
struct pt_tvar {
  const char *key;
  const char *value;     /* scalar, or NULL */
  char *const *list;     /* list, or NULL */
};
char **pt_triage_argv(const json_t *tmpl, const struct pt_tvar *vars,
                      size_t n_vars, pt_err **err);

/* The profile's argv `key`, expanded with vars, run as phase name of kind
 * (pt_triage_phase, project dir); a template that does not expand is the
 * record's error, naming the profile and the key. Returns whether the
 * phase exited 0; res (may be NULL) as for pt_triage_phase. */
bool pt_triage_run_profile(struct pt_triage *t, const char *key,
                           const char *name, const char *kind,
                           const struct pt_tvar *vars, size_t nvars,
                           struct pt_phase_result *res);
void pt_triage_argv_free(char **argv);
/* The phase just recorded runs the phase named `of` again (the second
 * import): its record says "repeats", and a finding it shares with `of`
 * is folded into that one's (verdict.c). */
void pt_triage_mark_repeat(struct pt_triage *t, const char *of);
/* Same expansion for one string (malloc'ed). */
char *pt_triage_expand(const char *s, const struct pt_tvar *vars,
                       size_t n_vars);

/* Read a file below HOME on the host side without following any link or
 * leaving HOME (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS), regular
 * files only, at most cap bytes (EFBIG beyond). rel is relative to HOME. */
int pt_triage_read(const struct pt_triage *t, const char *rel, size_t cap,
                   char **out, size_t *len, pt_err **err);
/* Names in a directory below HOME (same rules), sorted, at most
 * PT_TRIAGE_MAX_DIR_ENTRIES, "." and ".." left out. NULL-terminated. */
char **pt_triage_list(const struct pt_triage *t, const char *rel,
                      pt_err **err);
/* 1 if rel exists below HOME (any type, links not followed), else 0. */
int pt_triage_exists(const struct pt_triage *t, const char *rel);
void pt_strv_free(char **v);

/* Record helpers. */
void pt_triage_add_entry_point(struct pt_triage *t, const char *group,
                               const char *name, const char *value);
void pt_triage_add_bin(struct pt_triage *t, const char *name,
                       const char *path);
/* name is run by a user as a command: check it against the common-command
 * list and the jail's PATH; phase_prefix finds the phases that ran it (for
 * wrapping). module (a Python entry point's "pkg.mod", else NULL): what the
 * command runs, to tell the same program installed twice (the host's
 * Debian pygmentize is Pygments' own) from a squatter. */
void pt_triage_check_hijack(struct pt_triage *t, const char *name,
                            const char *phase_prefix, const char *module);
void pt_triage_dep(struct pt_triage *t, const char *list, const char *v);
/* After the import phases and the package's commands (bins, console
 * scripts, entry points): when each phase of kind import that ran
 * failed, all of the package's modules (exit status all_failed, or any
 * failure when all_failed is -1: one module, npm's require), and no
 * phase of kind bin or entry_point succeeded, a problem
 * (code-never-loaded) says that the package's code never loaded, with
 * the first phase's error line, so that a clean verdict shows what it
 * did not see. A phase that timed out loaded code, and counts as no
 * failure. */
void pt_triage_check_imports(struct pt_triage *t, int all_failed);
void pt_triage_set_error(struct pt_triage *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ecosystems: plan and run every phase after the artifact is unpacked and
 * the session made. 0, or -1 when triage must stop (see t). */
int pt_phases_python(struct pt_triage *t);
int pt_phases_npm(struct pt_triage *t);

#endif
