/* A session: what every jailed run of pkgtrap needs, made once and reused
 * by any number of runs so state carries over between them:
 *
 *   - a run directory ($TMPDIR/pkgtrap-XXXXXX) with a fresh honeytoken HOME
 *     (random identity, credentials in their real formats), owned by the
 *     host ids the jail maps to;
 *   - the jail profile (host toolchain, base environment, default limits);
 *   - one event sink (so event times and the trace span every run) and one
 *     honeytoken scanner.
 *
 * Each pt_session_run() builds a fresh recorder and fake network (a run's
 * inotify watches, process table and listeners die with its jail) on the
 * shared sink, runs the jail, and adds the recorder's counters to the
 * session's. `pkgtrap run` is one session with one run; `pkgtrap triage`
 * is one session with a run per phase.
 *
 *   pt_session *s = pt_session_new(&(struct pt_session_opts){...}, &err);
 *   struct pt_session_run r = {.argv = ..., .limits = *pt_session_limits(s)};
 *   pt_session_run(s, &r, &res, &err);   (any number of times)
 *   pt_session_free(s, keep);
 */
#ifndef PT_SESSION_H
#define PT_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"
#include "honey.h"
#include "jail.h"
#include "pt_err.h"
#include "rundir.h"

typedef struct pt_session pt_session;

struct pt_session_opts {
  const char *trace_path; /* stream every event as JSON lines; NULL: none */
  uint64_t max_sleep_ms;  /* sleeps longer are answered at once; 0: never */
  size_t max_events;      /* kept in memory; 0: 50000 */
  /* Each run's HOME is a tmpfs private to its jail, filled afresh (with
   * the session's tokens) and gone with it; otherwise it is the run
   * directory's home/, shared by the session's runs and kept on disk. */
  bool home_in_memory;
  /* The honeytokens are made by the first run, while its jail is built
   * (~1 ms off its start-up), not by pt_session_new: pt_session_honey,
   * pt_session_getenv and the HOME on disk are then empty until that run
   * has started. For a caller that needs nothing of them before. */
  bool honey_at_first_run;
  /* The caller's jail.json, already loaded: taken over (left zeroed)
   * rather than read and parsed again. NULL: the session loads it. */
  struct pt_jail_profile *profile;
  /* TLS interception (tlsmitm.h): an authority made for the session, a
   * copy of the host's CA bundle with its certificate added bound over
   * the jail's SYSTEM_CA_BUNDLE, and the fake network completing TLS
   * handshakes with it. Loads libssl (~1 ms, once). Skipped, with a note
   * on stderr, when the host has no such bundle. */
  bool tls_intercept;
  /* The fake network also looks for the jail's identity in what leaves,
   * as "identity" events (ids IDENTITY_*): HOME/identity_workdir (the
   * directory the caller runs things in: every cwd below it, ~15 bytes
   * at least) and the hostname (only when 12 bytes or more: shorter
   * strings match by chance). NULL: not. */
  const char *identity_workdir;
  /* The honeytoken HOME's "workspace" entries too (PT_HONEY_WORKSPACE),
   * and its "watched" ones: for a caller that installs into HOME/project.
   * Otherwise the "watched" ones are made only with a trace_path. */
  bool workspace;
  /* The jail's boot time lies 2 to 30 days back (one draw for the
   * session's runs; jail_spec.uptime_offset_s): a workstation's uptime,
   * not a VM's started for the analysis. */
  bool long_uptime;
  /* The fake network's HTTP answers carry code that creates a file of the
   * session's (pt_session_canary) when run (fakenet.h: canary): a second
   * stage fetched and executed shows as a file event on that path. */
  bool fetch_canary;
};
/* The bundle OpenSSL, Python (Debian's certifi) and curl read, and Node
 * with NODE_EXTRA_CA_CERTS (profiles/ecosystems/npm.json). */
#define PT_SESSION_MAX_MOUNTS 16
#define PT_SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
/* max_events for a caller that only streams (pkgtrap run): a run may stop
 * millions of times, and the supervisor's memory must stay bounded
 * whatever the sample does. */
#define PT_SESSION_KEEP_NONE ((size_t)-1)

pt_session *pt_session_new(const struct pt_session_opts *o, pt_err **err);
/* Removes the run directory unless keep (then its path is the caller's to
 * print: pt_session_rundir()). NULL is fine. */
void pt_session_free(pt_session *s, bool keep);

const pt_honey *pt_session_honey(const pt_session *s);
/* The path fetched code creates when run (fetch_canary), else NULL. */
const char *pt_session_canary(const pt_session *s);
const struct pt_rundir *pt_session_rundir(const pt_session *s);
pt_events *pt_session_events(pt_session *s);
/* The honeytoken scanner (every token; not the identity strings). */
const struct pt_tok_scanner *pt_session_tokens(const pt_session *s);
/* The profile's default limits (jail.json), for the caller to adjust. */
const struct jail_limits *pt_session_limits(const pt_session *s);
/* The value of NAME in the base environment every run gets, or NULL. */
const char *pt_session_getenv(const pt_session *s, const char *name);
/* Give a host path the caller created under the run directory to the
 * jail's ids (no-op rootless), so the jail can write it. */
int pt_session_chown(const pt_session *s, const char *path, pt_err **err);

struct pt_session_run {
  char *const *argv;     /* argv[0] looked up on the jail's PATH */
  const char *cwd;       /* inside the jail; NULL: HOME */
  char *const *env;      /* "NAME=VALUE" added last; a NAME already in the
                            base environment is replaced, not repeated */
  size_t n_env;
  const struct jail_mount *mounts;
  size_t n_mounts; /* at most PT_SESSION_MAX_MOUNTS */
  struct jail_limits limits;
  int out_fd, err_fd; /* pass-through of CMD's stdout/stderr; -1: drop */
  bool last; /* the process exits after it: jail_spec.detach_exiting_init */
};

/* One jailed run, recorded. -1 with *err when the supervisor failed (an
 * interrupting signal N gives err->errnum == -N, as jail_run does); a
 * failure inside the jail is a result. *res is the caller's to free. */
int pt_session_run(pt_session *s, const struct pt_session_run *r,
                   struct jail_result *res, pt_err **err);

/* Counters summed over every run of the session. */
struct pt_session_stats {
  uint64_t runs, notifications, processes, refused;
  uint64_t sleeps_shortened, sleep_ms_skipped;
  uint64_t dns_queries, tcp_conns, udp_datagrams;
  uint64_t events, events_dropped;
};
void pt_session_stats(const pt_session *s, struct pt_session_stats *out);

#endif
