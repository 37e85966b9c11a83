/* See session.h. Factored out of `pkgtrap run` so that triage's phases
 * share one HOME, one identity and one event sink. */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakenet.h"
#include "profile.h"
#include "recorder.h"
#include "tlsmitm.h"
#include "tokscan.h"

/* The bundled policy compiled at build time (the generated
 * seccomp_image.c; sandbox/jail_filter_image.c). */
extern const struct jail_filter_image pt_seccomp_image;

struct pt_session {
  struct pt_rundir rd;
  pt_honey honey;
  struct pt_jail_profile prof;
  uid_t host_uid;
  gid_t host_gid;
  char **base_env; /* profile env, identity, honeytoken variables */
  size_t n_base_env;
  char *owned_env[4]; /* HOME=, USER=, LOGNAME=, HOSTNAME= */
  pt_events *events;
  pt_tok_scanner *tokens;
  uint64_t max_sleep_ms;
  bool home_written, home_in_memory;
  unsigned honey_flags; /* PT_HONEY_WATCHED, PT_HONEY_WORKSPACE */
  char policy[4096];
  struct jail_filter *filter; /* compiled once, for every run */
  bool honey_made;            /* honey and base_env */
  struct pt_tls_mitm *mitm;   /* tls_intercept, else NULL */
  /* identity_workdir: the fake network's scanner, the honeytokens and
   * the identity (else the fake network uses tokens). */
  pt_tok_scanner *net_tokens;
  char id_workdir[4300];
  const char *identity_workdir;
  uint64_t uptime_offset_s; /* long_uptime's draw, else 0 */
  char canary[32];          /* fetch_canary's path, else "" */
  char ca_bundle[4200];       /* its bundle, in the run directory */
  bool tokens_made;           /* the scanner is given every token */
  /* Events are kept or traced. Without (`run` without --trace), what
   * only makes events is not armed: the watch on the honeytoken files
   * (an inotify watch each, set and removed on every run's path, ~0.2 ms
   * in all), the run event. */
  bool recording;
  struct pt_session_stats st;
};

/* What the scanner looks for of a token: values up to 512 bytes whole; a
 * longer one (a JWT) by its last 128 characters, its signature, which is
 * as unique and survives any prefix being cut. */
static const char *scanned_value(const char *v) {
  size_t vl = strlen(v);
  return vl > 512 ? v + vl - 128 : v;
}

/* pt_tok_defer's fill: every honeytoken into the scanner. */
static int fill_tokens(void *ctx, pt_tok_scanner *t) {
  const pt_honey *h = ctx;
  for (size_t i = 0; i < h->n_tokens; i++)
    if (pt_tok_add(t, h->tokens[i].id, scanned_value(h->tokens[i].value)) <
            0 ||
        pt_tok_add_derived(t, h->tokens[i].id, h->tokens[i].value) < 0)
      return -1;
  return 0;
}

/* pt_tok_defer's fill of the fake network's scanner: the honeytokens, then
 * the identity strings long enough to be told from chance. */
static int fill_net_tokens(void *ctx, pt_tok_scanner *t) {
  pt_session *s = ctx;
  if (fill_tokens(&s->honey, t) < 0)
    return -1;
  const char *ids[][2] = {{PT_TOK_IDENTITY_PREFIX "WORKDIR", s->id_workdir},
                          {PT_TOK_IDENTITY_PREFIX "HOSTNAME",
                           s->honey.hostname}};
  for (size_t i = 0; i < PT_ARRAY_LEN(ids); i++)
    if (ids[i][1] && pt_tok_acceptable(ids[i][0], ids[i][1]) &&
        pt_tok_add(t, ids[i][0], ids[i][1]) < 0)
      return -1;
  return 0;
}

static int make_base_env(pt_session *s, pt_err **err) {
  const pt_honey *h = &s->honey;
  s->base_env = calloc(s->prof.n_env + h->n_env + 8, sizeof(char *));
  if (s->base_env == NULL)
    return pt_err_make(err, ENOMEM, "environment");
  if (asprintf(&s->owned_env[0], "HOME=%s", h->home) < 0 ||
      asprintf(&s->owned_env[1], "USER=%s", h->user) < 0 ||
      asprintf(&s->owned_env[2], "LOGNAME=%s", h->user) < 0 ||
      asprintf(&s->owned_env[3], "HOSTNAME=%s", h->hostname) < 0)
    return pt_err_make(err, ENOMEM, "environment");
  /* The profile's base, the identity, then the honeytoken variables. */
  size_t k = 0;
  for (size_t i = 0; i < s->prof.n_env; i++)
    s->base_env[k++] = s->prof.env[i];
  for (size_t i = 0; i < 4; i++)
    s->base_env[k++] = s->owned_env[i];
  for (size_t i = 0; i < h->n_env; i++)
    s->base_env[k++] = h->env[i];
  s->n_base_env = k;
  return 0;
}

/* An in-memory HOME is written by us (write_home) through the fd init
 * hands over once it has mounted it, while init goes on pivoting into the
 * jail's root and loading its filter: init is the longer path of a run's
 * start. When the fd comes before the run's groups are made (it usually
 * does), the jail runs write_home on a thread of its own meanwhile
 * (jail.c, spawn_start). Of what run_building uses, it changes nothing:
 * both read the honeytokens; it adds only their databases (which it
 * renders, run_building never looks at) and home_written. The SQLite
 * databases come from the build's images (honey_sqlite_image.h); one
 * without an image (a template changed since the build) is rendered with
 * SQLite (~0.8 ms) there. */

/* What a run's hooks share. */
struct run_ctx {
  pt_session *s;
  const struct pt_session_run *r;
  pt_recorder *rec;
  char **envp;  /* CMD's environment */
  mode_t mask;  /* our umask, read by run_late (write_home: on a thread) */
};

/* The honeytoken HOME, called by a run while init builds the jail's root
 * (the HOME exists already; its files only have to be there before CMD
 * runs): on disk once per session, in memory for every run. */
static int write_home(void *ctx, int hfd, pt_err **err) {
  const struct run_ctx *c = ctx;
  pt_session *s = c->s;
  if (s->home_written && !s->home_in_memory)
    return 0;
  if (hfd < 0)
    return pt_err_make(err, EINVAL, "no HOME to fill");
  /* In memory, the tmpfs belongs to the jail's user namespace, where host
   * root has no uid (creating files as root fails with EOVERFLOW): write
   * as the jail's user, which also makes the files its own. On disk,
   * write and then chown. */
  bool as_jail_user = s->home_in_memory && geteuid() == 0;
  if (as_jail_user) {
    setfsgid(s->host_gid);
    setfsuid(s->host_uid);
  }
  int rendered = pt_honey_render_databases(&s->honey, err);
  if (rendered > 0)
    pt_mark("session: databases rendered");
  int rc = rendered < 0 ? -1
                        : pt_honey_write_home(&s->honey, hfd, c->mask, err);
  if (as_jail_user) {
    setfsuid(0);
    setfsgid(0);
  }
  if (rc < 0)
    return -1;
  if (!s->home_in_memory) {
    char path[64];
    /* "/." so that nftw (FTW_PHYS) starts in the directory, not at the
     * magic link. */
    snprintf(path, sizeof(path), "/proc/self/fd/%d/.", hfd);
    if (pt_chown_tree(path, s->host_uid, s->host_gid, err) < 0)
      return -1;
  }
  s->home_written = true;
  pt_mark("session: home written");
  return 0;
}

/* The honeytokens and the environment that plants some of them: ~1 ms
 * of work that needs nothing of the jail, made by the first run's late
 * hook (run_late) while init builds the jail, or by pt_session_new for a
 * caller that needs them before any run. Generated once, even when what
 * follows fails and a later run comes back here. */
static int make_honey(pt_session *s, pt_err **err) {
  if (s->honey_made)
    return 0;
  if (s->honey.priv == NULL) {
    if (pt_honey_generate_flags(pt_profiles_dir(), s->honey_flags,
                                &s->honey, err) < 0)
      return -1;
    pt_mark("session: honey generated");
  }
  if (make_base_env(s, err) < 0)
    return -1;
  s->honey_made = true;
  return 0;
}

/* Their scanner: the tokens are checked now, so that one it cannot take
 * fails the run here, and added at the scanner's first use
 * (pt_tok_defer), after CMD's exec stop is answered for a run: making
 * every encoding of every token (~0.15 ms) is then off the path of the
 * jail's start, where the supervisor is the longer side. */
static int make_scanner(pt_session *s, pt_err **err) {
  if (s->tokens_made)
    return 0;
  const pt_honey *h = &s->honey;
  if (h->n_tokens > PT_TOK_MAX_TOKENS)
    return pt_err_make(err, ENOSPC,
                       "%zu honeytokens: the token scanner takes %d at most",
                       h->n_tokens, PT_TOK_MAX_TOKENS);
  for (size_t i = 0; i < h->n_tokens; i++)
    if (!pt_tok_acceptable(h->tokens[i].id,
                           scanned_value(h->tokens[i].value)))
      return pt_err_make(err, EINVAL,
                         "honeytoken `%s`: the token scanner takes ids of "
                         "at most %d bytes and values of %d to %d",
                         h->tokens[i].id, PT_TOK_ID_MAX, PT_TOK_MIN_VALUE,
                         PT_TOK_MAX_VALUE);
  pt_tok_defer(s->tokens, fill_tokens, &s->honey);
  if (s->net_tokens != NULL) {
    snprintf(s->id_workdir, sizeof(s->id_workdir), "%s/%s", h->home,
             s->identity_workdir);
    pt_tok_defer(s->net_tokens, fill_net_tokens, s);
  }
  s->tokens_made = true;
  return 0;
}

/* tls_intercept: the authority, and the host's bundle with its
 * certificate appended, in the run directory (bound read-only over the
 * jail's copy by each run). */
static int make_mitm(pt_session *s, pt_err **err) {
  cleanup_close int in = open(PT_SYSTEM_CA_BUNDLE, O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    fprintf(stderr,
            "pkgtrap: note: no %s on this host: HTTPS is not intercepted "
            "(install ca-certificates)\n",
            PT_SYSTEM_CA_BUNDLE);
    return 0;
  }
  s->mitm = pt_tls_mitm_new(err);
  if (s->mitm == NULL)
    return -1;
  snprintf(s->ca_bundle, sizeof(s->ca_bundle), "%s/ca-bundle.crt",
           s->rd.path);
  cleanup_close int out =
      open(s->ca_bundle, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0)
    return pt_err_make(err, errno, "create %s", s->ca_bundle);
  char buf[65536];
  ssize_t n;
  bool nl = true;
  while ((n = read(in, buf, sizeof(buf))) > 0) {
    if (pt_write_all(out, buf, (size_t)n) < 0)
      return pt_err_make(err, errno, "write %s", s->ca_bundle);
    nl = buf[n - 1] == '\n';
  }
  if (n < 0)
    return pt_err_make(err, errno, "read %s", PT_SYSTEM_CA_BUNDLE);
  const char *pem = pt_tls_mitm_ca_pem(s->mitm);
  if ((!nl && pt_write_all(out, "\n", 1) < 0) ||
      pt_write_all(out, pem, strlen(pem)) < 0)
    return pt_err_make(err, errno, "write %s", s->ca_bundle);
  return 0;
}

pt_session *pt_session_new(const struct pt_session_opts *o, pt_err **err) {
  pt_session *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    pt_err_make(err, ENOMEM, "session");
    return NULL;
  }
  s->max_sleep_ms = o->max_sleep_ms;
  s->home_in_memory = o->home_in_memory;
  /* The lived-in HOME's baits where the run is watched: recorded (a
   * trace), or judged (triage). An unwatched `pkgtrap run` plants the
   * credential files only (honey.h). */
  s->honey_flags = o->workspace    ? PT_HONEY_WORKSPACE
                   : o->trace_path ? PT_HONEY_WATCHED
                                   : 0;
  if (o->profile) {
    s->prof = *o->profile;
    memset(o->profile, 0, sizeof(*o->profile));
  } else if (pt_jail_profile_load(&s->prof, err) < 0) {
    goto fail;
  }
  pt_mark("session: profile loaded");
  s->tokens = pt_tok_new(); /* filled with the honeytokens */
  if (o->long_uptime)
    s->uptime_offset_s = 2 * 86400 + pt_random_u32() % (28 * 86400);
  /* An X server's lock file by its shape (/tmp/.X0-lock), with a display
   * number no sample guesses. */
  if (o->fetch_canary)
    snprintf(s->canary, sizeof(s->canary), "/tmp/.X%u-lock",
             100 + pt_random_u32() % 900000);
  if (o->identity_workdir != NULL) {
    s->identity_workdir = o->identity_workdir;
    if ((s->net_tokens = pt_tok_new()) == NULL) {
      pt_err_make(err, ENOMEM, "token scanner");
      goto fail;
    }
  }
  if (s->tokens == NULL) {
    pt_err_make(err, ENOMEM, "token scanner");
    goto fail;
  }
  if (pt_rundir_create(&s->rd, s->home_in_memory, err) < 0)
    goto fail;
  pt_mark("session: rundir");
  pt_profile_path("seccomp.json", s->policy, sizeof(s->policy));
  size_t n_rules;
  const struct jail_notify_rule *rules = pt_recorder_rules(&n_rules);
  s->filter =
      jail_filter_from_image(&pt_seccomp_image, s->policy, rules, n_rules);
  if (s->filter != NULL) {
    pt_mark("session: filter from the build's image");
  } else { /* a policy of the caller's own, or edited since the build */
    s->filter = jail_filter_new(s->policy, rules, n_rules, err);
    pt_mark("session: filter compiled");
    if (s->filter == NULL)
      goto fail;
  }
  if (!o->honey_at_first_run &&
      (make_honey(s, err) < 0 || make_scanner(s, err) < 0))
    goto fail;
  if (o->tls_intercept && make_mitm(s, err) < 0)
    goto fail;
  /* The HOME's files are written by the first run, in parallel with
   * its jail being built (write_home). */
  jail_pick_host_ids(&s->host_uid, &s->host_gid);
  /* 50,000 kept events cost ~70 MB of jansson objects; beyond, events are
   * still traced and counted as dropped in the record, but for a reserve
   * per phase (events.h): 75,000 and ~105 MB at most. */
  size_t keep = o->max_events == PT_SESSION_KEEP_NONE ? 0
                : o->max_events                       ? o->max_events
                                                      : 50000;
  s->events = pt_events_new(keep, err);
  if (s->events == NULL)
    goto fail;
  s->recording = keep > 0 || o->trace_path != NULL;
  if (o->trace_path && pt_events_trace_to(s->events, o->trace_path, err) < 0)
    goto fail;
  pt_mark("session: ready");
  return s;
fail:
  pt_session_free(s, false);
  return NULL;
}

void pt_session_free(pt_session *s, bool keep) {
  if (s == NULL)
    return;
  if (!keep)
    pt_rundir_remove(&s->rd, NULL);
  else
    pt_rundir_keep(&s->rd);
  pt_mark("session: rundir removed");
  pt_events_free(s->events);
  pt_tls_mitm_free(s->mitm);
  pt_tok_free(s->tokens);
  pt_tok_free(s->net_tokens);
  free(s->base_env);
  for (size_t i = 0; i < 4; i++)
    free(s->owned_env[i]);
  pt_honey_free(&s->honey);
  pt_jail_profile_free(&s->prof);
  jail_filter_free(s->filter);
  free(s);
}

const char *pt_session_canary(const pt_session *s) {
  return s->canary[0] ? s->canary : NULL;
}

const pt_honey *pt_session_honey(const pt_session *s) { return &s->honey; }
const struct pt_rundir *pt_session_rundir(const pt_session *s) {
  return &s->rd;
}
pt_events *pt_session_events(pt_session *s) { return s->events; }
const pt_tok_scanner *pt_session_tokens(const pt_session *s) {
  return s->tokens;
}
const struct jail_limits *pt_session_limits(const pt_session *s) {
  return &s->prof.limits;
}

const char *pt_session_getenv(const pt_session *s, const char *name) {
  size_t nl = strlen(name);
  for (size_t i = 0; i < s->n_base_env; i++)
    if (strncmp(s->base_env[i], name, nl) == 0 && s->base_env[i][nl] == '=')
      return s->base_env[i] + nl + 1;
  return NULL;
}

int pt_session_chown(const pt_session *s, const char *path, pt_err **err) {
  return pt_chown_tree(path, s->host_uid, s->host_gid, err);
}

/* base + extra, an extra NAME= replacing the base's: glibc's getenv takes
 * the first match and Python's os.environ the last, so a repeated name
 * would mean different things to different programs. */
static char **merge_env(const pt_session *s, char *const *extra, size_t n) {
  char **e = calloc(s->n_base_env + n + 1, sizeof(char *));
  if (e == NULL)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < s->n_base_env; i++) {
    const char *b = s->base_env[i];
    size_t nl = strcspn(b, "=");
    bool replaced = false;
    for (size_t j = 0; j < n && !replaced; j++)
      replaced = strncmp(extra[j], b, nl) == 0 && extra[j][nl] == '=';
    if (!replaced)
      e[k++] = (char *)b;
  }
  for (size_t j = 0; j < n; j++) {
    /* A name given twice in extra: the last one. */
    size_t nl = strcspn(extra[j], "=");
    bool later = false;
    for (size_t m = j + 1; m < n && !later; m++)
      later = strncmp(extra[m], extra[j], nl) == 0 && extra[m][nl] == '=';
    if (!later)
      e[k++] = extra[j];
  }
  e[k] = NULL;
  return e;
}

/* The first event of each run says what ran and as whom, so a trace (or
 * one run's slice of it) stands alone. */
static void emit_run_event(pt_session *s, char *const *argv) {
  const pt_honey *h = &s->honey;
  json_t *o = json_object();
  json_t *a = json_array();
  for (char *const *c = argv; *c; c++)
    json_array_append_new(a, pt_json_bytes(*c, strlen(*c), 4096));
  json_object_set_new(o, "argv", a);
  json_object_set_new(o, "user", json_string(h->user));
  json_object_set_new(o, "hostname", json_string(h->hostname));
  json_object_set_new(o, "home", json_string(h->home));
  json_t *toks = json_array();
  for (size_t i = 0; i < h->n_tokens; i++) {
    json_t *t = json_object();
    json_object_set_new(t, "id", json_string(h->tokens[i].id));
    json_object_set_new(t, "where", json_string(h->tokens[i].where));
    json_array_append_new(toks, t);
  }
  json_object_set_new(o, "honeytokens", toks);
  pt_events_emit(s->events, 0, "run", o);
}

/* jail_hooks.late: called once init is cloned, so the honeytokens of a
 * session's first run are made while init builds the jail (~1 ms that
 * used to come before the clone). The run event comes first of the run's
 * events: nothing is recorded before this. */
static int run_late(void *ctx, struct jail_late *out, pt_err **err) {
  struct run_ctx *c = ctx;
  pt_session *s = c->s;
  if (make_honey(s, err) < 0)
    return -1;
  /* Read here, on the main thread: umask() sets as it reads. */
  c->mask = umask(0);
  umask(c->mask);
  const pt_honey *h = &s->honey;
  pt_recorder_set_honey(c->rec, h, h->home, h->files, h->n_files);
  if (s->recording)
    emit_run_event(s, c->r->argv);
  c->envp = merge_env(s, c->r->env, c->r->n_env);
  if (c->envp == NULL)
    return pt_err_make(err, ENOMEM, "environment");
  *out = (struct jail_late){.user = h->user,
                            .hostname = h->hostname,
                            .home = h->home,
                            .envp = c->envp};
  return 0;
}

/* jail_hooks.on_building: the late spec is sent and the groups are made. */
static int run_building(void *ctx, pt_err **err) {
  struct run_ctx *c = ctx;
  if (make_scanner(c->s, err) < 0)
    return -1;
  pt_mark("session: tokens checked");
  return 0;
}

int pt_session_run(pt_session *s, const struct pt_session_run *r,
                   struct jail_result *res, pt_err **err) {
  memset(res, 0, sizeof(*res));
  struct run_ctx ctx = {.s = s, .r = r};
  struct pt_recorder_config rc = {.events = s->events,
                                  .tokens = s->tokens,
                                  .max_sleep_ms = s->max_sleep_ms,
                                  .no_events = !s->recording,
                                  .prepare = write_home,
                                  .building = run_building,
                                  .late = run_late,
                                  .prepare_ctx = &ctx};
  pt_recorder *rec = pt_recorder_new(&rc, err);
  pt_mark("run: recorder new");
  if (rec == NULL)
    return -1;
  ctx.rec = rec;
  struct pt_fakenet_config nc = {.events = s->events,
                                 .tokens = s->net_tokens ? s->net_tokens
                                                         : s->tokens,
                                 .who = pt_recorder_who,
                                 .who_ctx = rec,
                                 .tls = s->mitm,
                                 .canary = s->canary[0] ? s->canary : NULL};
  pt_fakenet *net = pt_fakenet_new(&nc, err);
  if (net == NULL) {
    pt_recorder_free(rec);
    return -1;
  }
  pt_recorder_set_net(rec, net);
  pt_mark("run: fakenet new");

  struct jail_spec spec = {0};
  spec.host_uid = s->host_uid;
  spec.host_gid = s->host_gid;
  spec.argv = r->argv;
  spec.cwd = r->cwd;
  /* The identity's strings and the environment come from run_late. */
  spec.id = (struct jail_identity){.uid = 1000, .gid = 1000};
  spec.home_src = s->home_in_memory ? NULL : s->rd.home;
  spec.home_tmpfs_bytes = r->limits.tmp_bytes;
  spec.mounts = r->mounts;
  spec.n_mounts = r->n_mounts;
  /* The bundle that trusts the session's authority, over the system's. */
  struct jail_mount with_ca[PT_SESSION_MAX_MOUNTS + 1];
  if (s->mitm != NULL && r->n_mounts <= PT_SESSION_MAX_MOUNTS) {
    for (size_t i = 0; i < r->n_mounts; i++)
      with_ca[i] = r->mounts[i];
    with_ca[r->n_mounts] = (struct jail_mount){
        .src = s->ca_bundle, .dst = PT_SYSTEM_CA_BUNDLE, .kind = JAIL_BIND_RO};
    spec.mounts = with_ca;
    spec.n_mounts = r->n_mounts + 1;
  }
  spec.host_ro = (const char *const *)s->prof.host_ro;
  spec.filter = s->filter;
  spec.seccomp_policy = s->policy;
  spec.limits = r->limits;
  spec.out_fd = r->out_fd;
  spec.err_fd = r->err_fd;
  spec.state_dir = s->rd.path;
  spec.notify = pt_recorder_rules(&spec.n_notify);
  spec.hooks = pt_recorder_hooks();
  spec.hooks_ctx = rec;
  spec.socket_pool = 2; /* DNS (TCP, UDP; v4, v6) and a first port */
  spec.uptime_offset_s = s->uptime_offset_s;
  spec.detach_exiting_init = r->last;

  int rc_run = jail_run(&spec, res, err);
  free(ctx.envp);
  pt_mark("run: jail_run returned");
  struct pt_recorder_stats rs;
  pt_recorder_stats(rec, &rs);
  struct pt_fakenet_stats ns;
  pt_fakenet_stats(net, &ns);
  s->st.runs++;
  s->st.notifications += rs.notifications;
  s->st.processes += rs.processes;
  s->st.refused += rs.refused;
  s->st.sleeps_shortened += rs.sleeps_shortened;
  s->st.sleep_ms_skipped += rs.sleep_ms_skipped;
  s->st.dns_queries += ns.dns_queries;
  s->st.tcp_conns += ns.tcp_conns;
  s->st.udp_datagrams += ns.udp_datagrams;
  pt_fakenet_free(net);
  pt_mark("run: fakenet freed");
  pt_recorder_free(rec);
  if (rc_run == 0 && pt_events_flush(s->events, err) < 0) {
    jail_result_free(res);
    return -1;
  }
  /* The above went on while init's exit tore the jail's mounts down. */
  jail_finish(res);
  return rc_run;
}

void pt_session_stats(const pt_session *s, struct pt_session_stats *out) {
  *out = s->st;
  out->events = pt_events_count(s->events);
  out->events_dropped = pt_events_dropped(s->events);
}
