/* pkgtrap run: any command in the jail, with a fresh honeytoken HOME, the
 * recorder always on. Exit status follows timeout(1)/env(1). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "events.h"
#include "fakenet.h"
#include "recorder.h"
#include "tokscan.h"
#include "honey.h"
#include "jail.h"
#include "profile.h"
#include "rundir.h"

static const char run_usage[] =
    "Usage: pkgtrap run [OPTION]... -- CMD [ARG]...\n"
    "Run CMD isolated in the jail: new user, mount, pid, net, uts, ipc and\n"
    "cgroup namespaces; read-only host toolchain; fresh /proc, minimal /dev;\n"
    "size-capped /tmp; a fresh HOME full of honeytoken credentials; no\n"
    "capabilities; seccomp policy from profiles/seccomp.json; a network with\n"
    "only loopback. The run ends when the last process in the jail exits, or\n"
    "at the timeout, which kills the whole tree.\n"
    "\n"
    "  --ro-bind PATH     expose host PATH read-only at the same path\n"
    "  --bind PATH        expose host PATH read-write at the same path\n"
    "  --cwd DIR          working directory inside the jail (default: HOME)\n"
    "  --env NAME=VALUE   add to the jail's environment (repeatable)\n"
    "  --timeout S        wall-clock limit in seconds (default 300)\n"
    "  --memory MB        memory limit (default 2048)\n"
    "  --pids N           process limit (default 512)\n"
    "  --tmp-size MB      size of /tmp and /dev/shm (default 512)\n"
    "  --output-cap KB    stdout/stderr passed through, each (default 1024)\n"
    "  --trace FILE       write every recorded event as JSON lines\n"
    "  --max-sleep MS     answer sleeps longer than MS at once (default: off)\n"
    "  --keep             keep the run directory (HOME, ...) and print it\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: CMD's own; 128+N if it was killed by signal N; 124 on\n"
    "timeout; 125 if pkgtrap itself failed; 126 if CMD cannot be executed;\n"
    "127 if it is not found.\n";

bool pt_parse_u64(const char *opt, const char *s, unsigned long long max,
                  unsigned long long *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end != '\0' || v == 0 || v > max || s[0] == '-') {
    fprintf(stderr, "pkgtrap: %s: `%s` is not a number from 1 to %llu\n", opt,
            s, max);
    return false;
  }
  *out = v;
  return true;
}

enum { OPT_RO = 256, OPT_BIND, OPT_CWD, OPT_ENV, OPT_TIMEOUT, OPT_MEMORY,
       OPT_PIDS, OPT_TMP, OPT_OUTCAP, OPT_TRACE, OPT_KEEP, OPT_SLEEP };

static const struct option run_opts[] = {
    {"ro-bind", required_argument, NULL, OPT_RO},
    {"bind", required_argument, NULL, OPT_BIND},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"env", required_argument, NULL, OPT_ENV},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"pids", required_argument, NULL, OPT_PIDS},
    {"tmp-size", required_argument, NULL, OPT_TMP},
    {"output-cap", required_argument, NULL, OPT_OUTCAP},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"keep", no_argument, NULL, OPT_KEEP},
    {"max-sleep", required_argument, NULL, OPT_SLEEP},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

#define MAX_MOUNTS 64
#define MAX_EXTRA_ENV 64

static void report_outcome(const struct jail_result *r, const char *cmd,
                           const struct jail_limits *l) {
  switch (r->outcome) {
  case JAIL_SETUP_FAILED:
    fprintf(stderr, "pkgtrap: jail setup failed: %s\n",
            r->setup_error[0] ? r->setup_error : "unknown");
    break;
  case JAIL_EXEC_FAILED:
    if (r->exec_errno == ENOENT)
      fprintf(stderr, "pkgtrap: %s: command not found in the jail\n", cmd);
    else
      fprintf(stderr, "pkgtrap: %s: cannot execute: %s\n", cmd,
              strerror(r->exec_errno));
    break;
  case JAIL_TIMED_OUT:
    fprintf(stderr,
            "pkgtrap: timed out after %llu s; every process of the jail was "
            "killed\n",
            (unsigned long long)(l->timeout_ms / 1000));
    break;
  case JAIL_SIGNALED:
    fprintf(stderr, "pkgtrap: %s was killed by signal %d (%s)%s\n", cmd,
            r->term_signal, strsignal(r->term_signal),
            r->oom_killed ? " at the memory limit" : "");
    break;
  case JAIL_EXITED:
    break;
  }
}

/* Everything that records one run: events, the honeytoken scanner, the
 * recorder and the fake network. */
struct recording {
  pt_events *events;
  pt_tok_scanner *tokens;
  pt_recorder *rec;
  pt_fakenet *net;
};

static void recording_free(struct recording *r) {
  pt_fakenet_free(r->net);
  pt_recorder_free(r->rec);
  pt_tok_free(r->tokens);
  pt_events_free(r->events);
  memset(r, 0, sizeof(*r));
}

static int recording_start(struct recording *r, const pt_honey *h,
                           const char *home_host, const char *trace,
                           uint64_t max_sleep_ms, char **cmd, pt_err **err) {
  r->events = pt_events_new(200000, err);
  if (r->events == NULL)
    return -1;
  if (trace && pt_events_trace_to(r->events, trace, err) < 0)
    return -1;
  r->tokens = pt_tok_new();
  if (r->tokens == NULL)
    return pt_err_make(err, ENOMEM, "token scanner");
  for (size_t i = 0; i < h->n_tokens; i++) {
    const char *v = h->tokens[i].value;
    size_t vl = strlen(v);
    /* The scanner takes values up to 512 bytes; a longer token (a JWT) is
     * looked for by its last 128 characters, its signature, which is as
     * unique and survives any prefix being cut. */
    if (vl > 512)
      v += vl - 128;
    if (pt_tok_add(r->tokens, h->tokens[i].id, v) < 0)
      return pt_err_make(err, errno, "honeytoken `%s`", h->tokens[i].id);
  }
  struct pt_recorder_config rc = {.events = r->events,
                                  .tokens = r->tokens,
                                  .home_host = home_host,
                                  .home_jail = h->home,
                                  .token_files = h->files,
                                  .n_token_files = h->n_files,
                                  .max_sleep_ms = max_sleep_ms};
  r->rec = pt_recorder_new(&rc, err);
  if (r->rec == NULL)
    return -1;
  struct pt_fakenet_config nc = {.events = r->events,
                                 .tokens = r->tokens,
                                 .who = pt_recorder_who,
                                 .who_ctx = r->rec};
  r->net = pt_fakenet_new(&nc, err);
  if (r->net == NULL)
    return -1;
  pt_recorder_set_net(r->rec, r->net);
  /* The first event says what ran and as whom, so a trace stands alone. */
  json_t *o = json_object();
  json_t *a = json_array();
  for (char **c = cmd; *c; c++)
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
  pt_events_emit(r->events, 0, "run", o);
  return 0;
}

int pt_cmd_run(int argc, char **argv) {
  struct jail_mount mounts[MAX_MOUNTS];
  size_t n_mounts = 0;
  char *extra_env[MAX_EXTRA_ENV];
  size_t n_extra = 0;
  const char *cwd = NULL, *trace = NULL;
  bool keep = false;
  unsigned long long v, max_sleep_ms = 0;

  struct pt_jail_profile prof;
  pt_err *err = NULL;
  if (pt_jail_profile_load(&prof, &err) < 0) {
    pt_err_print(err);
    return PT_EXIT_RUN_FAILED;
  }
  struct jail_limits lim = prof.limits;
  int status = PT_EXIT_RUN_FAILED;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "+h", run_opts, NULL)) != -1) {
    switch (c) {
    case OPT_RO:
    case OPT_BIND:
      if (n_mounts == MAX_MOUNTS) {
        fprintf(stderr, "pkgtrap: at most %d --bind/--ro-bind\n", MAX_MOUNTS);
        goto out;
      }
      if (optarg[0] != '/') {
        fprintf(stderr, "pkgtrap: %s: `%s` must be an absolute path\n",
                c == OPT_RO ? "--ro-bind" : "--bind", optarg);
        goto out;
      }
      if (access(optarg, F_OK) < 0) {
        fprintf(stderr, "pkgtrap: %s `%s`: %s\n",
                c == OPT_RO ? "--ro-bind" : "--bind", optarg, strerror(errno));
        goto out;
      }
      mounts[n_mounts++] = (struct jail_mount){
          .src = optarg,
          .dst = optarg,
          .kind = c == OPT_RO ? JAIL_BIND_RO : JAIL_BIND_RW};
      break;
    case OPT_CWD:
      cwd = optarg;
      break;
    case OPT_ENV:
      if (strchr(optarg, '=') == NULL || optarg[0] == '=' ||
          n_extra == MAX_EXTRA_ENV) {
        fprintf(stderr, "pkgtrap: --env wants NAME=VALUE (at most %d)\n",
                MAX_EXTRA_ENV);
        goto out;
      }
      extra_env[n_extra++] = optarg;
      break;
    case OPT_TIMEOUT:
      if (!pt_parse_u64("--timeout", optarg, 86400, &v))
        goto out;
      lim.timeout_ms = v * 1000;
      break;
    case OPT_MEMORY:
      if (!pt_parse_u64("--memory", optarg, 1 << 20, &v))
        goto out;
      lim.memory_bytes = v << 20;
      break;
    case OPT_PIDS:
      if (!pt_parse_u64("--pids", optarg, 1 << 22, &v))
        goto out;
      lim.pids = (uint32_t)v;
      break;
    case OPT_TMP:
      if (!pt_parse_u64("--tmp-size", optarg, 1 << 20, &v))
        goto out;
      lim.tmp_bytes = v << 20;
      break;
    case OPT_OUTCAP:
      if (!pt_parse_u64("--output-cap", optarg, 1 << 30, &v))
        goto out;
      lim.output_cap = v << 10;
      break;
    case OPT_TRACE:
      trace = optarg;
      break;
    case OPT_KEEP:
      keep = true;
      break;
    case OPT_SLEEP:
      if (!pt_parse_u64("--max-sleep", optarg, 86400000, &v))
        goto out;
      max_sleep_ms = v;
      break;
    case 'h':
      fputs(run_usage, stdout);
      status = 0;
      goto out;
    default:
      fputs("Try 'pkgtrap run --help'.\n", stderr);
      goto out;
    }
  }
  if (optind >= argc) {
    fputs("pkgtrap run: no command given\nTry 'pkgtrap run --help'.\n",
          stderr);
    goto out;
  }
  char **cmd = argv + optind;

  struct pt_rundir rd = {0};
  pt_honey honey = {0};
  char **envp = NULL;
  struct recording rec = {0};
  if (pt_rundir_create(&rd, &err) < 0)
    goto fail;
  if (pt_honey_generate(pt_profiles_dir(), &honey, &err) < 0)
    goto fail;
  int hfd = open(rd.home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (hfd < 0) {
    pt_err_make(&err, errno, "open `%s`", rd.home);
    goto fail;
  }
  int wrc = pt_honey_write_home(&honey, hfd, &err);
  close(hfd);
  if (wrc < 0)
    goto fail;

  struct jail_spec spec = {0};
  jail_pick_host_ids(&spec.host_uid, &spec.host_gid);
  if (pt_chown_tree(rd.home, spec.host_uid, spec.host_gid, &err) < 0)
    goto fail;
  /* The environment: the profile's base, the identity, the honeytoken
   * variables, then --env (last wins for the program's getenv). */
  size_t n_env = prof.n_env + honey.n_env + n_extra + 8;
  envp = calloc(n_env, sizeof(char *));
  if (envp == NULL)
    goto fail;
  size_t k = 0;
  char *home_e = NULL, *user_e = NULL, *logname_e = NULL, *host_e = NULL;
  for (size_t i = 0; i < prof.n_env; i++)
    envp[k++] = prof.env[i];
  if (asprintf(&home_e, "HOME=%s", honey.home) < 0 ||
      asprintf(&user_e, "USER=%s", honey.user) < 0 ||
      asprintf(&logname_e, "LOGNAME=%s", honey.user) < 0 ||
      asprintf(&host_e, "HOSTNAME=%s", honey.hostname) < 0)
    goto fail;
  envp[k++] = home_e;
  envp[k++] = user_e;
  envp[k++] = logname_e;
  envp[k++] = host_e;
  for (size_t i = 0; i < honey.n_env; i++)
    envp[k++] = honey.env[i];
  for (size_t i = 0; i < n_extra; i++)
    envp[k++] = extra_env[i];
  envp[k] = NULL;

  spec.argv = cmd;
  spec.envp = envp;
  spec.cwd = cwd;
  spec.id = (struct jail_identity){.user = honey.user,
                                   .hostname = honey.hostname,
                                   .home = honey.home,
                                   .uid = 1000,
                                   .gid = 1000};
  spec.home_src = rd.home;
  spec.mounts = mounts;
  spec.n_mounts = n_mounts;
  spec.host_ro = (const char *const *)prof.host_ro;
  char policy[4096];
  spec.seccomp_policy = pt_profile_path("seccomp.json", policy, sizeof(policy));
  spec.limits = lim;
  spec.out_fd = STDOUT_FILENO;
  spec.err_fd = STDERR_FILENO;
  spec.state_dir = rd.path;

  if (recording_start(&rec, &honey, rd.home, trace, max_sleep_ms, cmd,
                      &err) < 0)
    goto fail;
  spec.notify = pt_recorder_rules(&spec.n_notify);
  spec.hooks = pt_recorder_hooks();
  spec.hooks_ctx = rec.rec;

  struct jail_result res;
  int rc = jail_run(&spec, &res, &err);
  if (rc == 0 && pt_events_flush(rec.events, &err) < 0) {
    jail_result_free(&res);
    goto fail;
  }
  free(home_e);
  free(user_e);
  free(logname_e);
  free(host_e);
  if (rc < 0) {
    int sig = err && err->errnum < 0 ? -err->errnum : 0;
    jail_result_free(&res);
    if (sig) {
      /* Interrupted: clean up, then die of the same signal, as a shell
       * expects of a command it interrupted. */
      pt_err_free(err);
      err = NULL;
      pt_rundir_remove(&rd, NULL);
      pt_honey_free(&honey);
      free(envp);
      recording_free(&rec);
      pt_jail_profile_free(&prof);
      signal(sig, SIG_DFL);
      raise(sig);
      return 128 + sig;
    }
    goto fail;
  }
  report_outcome(&res, cmd[0], &lim);
  status = jail_result_status(&res);
  jail_result_free(&res);
  if (keep)
    fprintf(stderr, "pkgtrap: run directory kept: %s\n", rd.path);
  else if (pt_rundir_remove(&rd, &err) < 0)
    pt_err_print(steal_pointer(&err));
  pt_honey_free(&honey);
  free(envp);
  recording_free(&rec);
  goto out;

fail:
  pt_err_print(err);
  pt_rundir_remove(&rd, NULL);
  pt_honey_free(&honey);
  free(envp);
  recording_free(&rec);
  status = PT_EXIT_RUN_FAILED;
out:
  pt_jail_profile_free(&prof);
  return status;
}
