/* Triage: one package artifact in, one record out.
 *
 * The artifact is unpacked and identified (runner/artifact.h, hardened),
 * then every phase of its ecosystem (profiles/ecosystems/) runs in a jail of
 * its own, all of them in one session (runner/session.h): the same HOME,
 * identity and work dir, so what one phase leaves behind the next one
 * finds, and every event is tagged with the phase that caused it.
 *
 * The record is raw observation, no judgement; the verdict rules and the
 * report renderers read it. Its fields are documented in README.md
 * (`pkgtrap triage`); fields may be added, never renamed or removed.
 */
#ifndef PT_TRIAGE_H
#define PT_TRIAGE_H

#include <jansson.h>
#include <stdint.h>

#include "pt_err.h"

/* An npm tarball of deps_dir, identified by its content. */
struct pt_npm_dep {
  char *name, *version, *path;
};

/* Every npm tarball directly in dir (name and version from its
 * package.json, by the hardened unpacker; at most PT_TRIAGE_MAX_DEPS_FILES).
 * A caller that triages many artifacts against one dir (scan) makes it
 * once and passes it in pt_triage_opts: inspecting ~600 tarballs takes
 * seconds, once per triage otherwise. */
int pt_npm_deps_index(const char *dir, struct pt_npm_dep **out, size_t *n);
void pt_npm_deps_free(struct pt_npm_dep *d, size_t n);

struct pt_triage_opts {
  const char *deps_dir;      /* dependencies (wheels/sdists, npm tarballs);
                                NULL: none, no index at all */
  /* deps_dir's npm tarballs, indexed by the caller (pt_npm_deps_index);
   * NULL: triage indexes them itself. */
  const struct pt_npm_dep *npm_deps;
  size_t n_npm_deps;
  uint64_t phase_timeout_ms; /* 0: the ecosystem profile's */
  uint64_t total_budget_ms;  /* 0: the ecosystem profile's */
  const char *trace_path;    /* every event as JSON lines; NULL: none */
};

/* 0 whenever a record was produced, including for a package that failed
 * to install ("error" set) or an archive that was rejected ("error" and
 * "problems"). -1 with *err only when no record could be made at all, or
 * when a signal interrupted the run (err->errnum == -signal: the caller
 * should die of it). */
int pt_triage_record(const char *artifact, const struct pt_triage_opts *o,
                     json_t **record_out, pt_err **err);

#endif
