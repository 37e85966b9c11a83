/* pkgtrap run: any command in the jail, with a fresh honeytoken HOME (in
 * memory unless --keep), the recorder always on. Exit status follows
 * timeout(1)/env(1). */
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
#include "jail.h"
#include "profile.h"
#include "session.h"

static const char run_usage[] =
    "Usage: pkgtrap run [OPTION]... -- CMD [ARG]...\n"
    "Run CMD isolated in the jail: new user, mount, pid, net, uts, ipc and\n"
    "cgroup namespaces; read-only host toolchain; fresh /proc, minimal /dev;\n"
    "size-capped /tmp; a fresh HOME full of honeytoken credentials (a\n"
    "size-capped tmpfs, gone with the jail); no\n"
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
    "  --tmp-size MB      size of /tmp, /dev/shm and HOME (default 512)\n"
    "  --output-cap KB    stdout/stderr passed through, each (default 1024)\n"
    "  --trace FILE       write every recorded event as JSON lines; HOME\n"
    "                     then holds a whole lived-in HOME (history,\n"
    "                     documents, more keys), not the credential files\n"
    "                     only\n"
    "  --max-sleep MS     answer sleeps longer than MS at once (default: off)\n"
    "  --keep             HOME on disk, in a run directory that is kept and\n"
    "                     printed (its size is then not capped)\n"
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
  /* Whatever CMD made of a refused fork (a shell's "Cannot fork", a
   * build's odd failure), say which limit refused it. */
  if (r->forks_refused)
    fprintf(stderr, "pkgtrap: %llu fork%s refused at the pids limit (%u)\n",
            (unsigned long long)r->forks_refused,
            r->forks_refused == 1 ? "" : "s", l->pids);
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
  pt_mark("run: profile loaded");
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

  pt_session *sess = pt_session_new(
      &(struct pt_session_opts){.max_events = PT_SESSION_KEEP_NONE,
                                .trace_path = trace,
                                .max_sleep_ms = max_sleep_ms,
                                .home_in_memory = !keep,
                                .honey_at_first_run = true,
                                .profile = &prof},
      &err);
  if (sess == NULL)
    goto fail;
  struct pt_session_run r = {.argv = cmd,
                             .cwd = cwd,
                             .env = extra_env,
                             .n_env = n_extra,
                             .mounts = mounts,
                             .n_mounts = n_mounts,
                             .limits = lim,
                             .out_fd = STDOUT_FILENO,
                             .err_fd = STDERR_FILENO,
                             .last = true};
  struct jail_result res;
  int rc = pt_session_run(sess, &r, &res, &err);
  if (rc < 0) {
    int sig = err && err->errnum < 0 ? -err->errnum : 0;
    jail_result_free(&res);
    if (sig) {
      /* Interrupted: clean up, then die of the same signal, as a shell
       * expects of a command it interrupted. */
      pt_err_free(err);
      pt_session_free(sess, false);
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
    fprintf(stderr, "pkgtrap: run directory kept: %s\n",
            pt_session_rundir(sess)->path);
  pt_session_free(sess, keep);
  goto out;

fail:
  pt_err_print(err);
  pt_session_free(sess, false);
  status = PT_EXIT_RUN_FAILED;
out:
  pt_jail_profile_free(&prof);
  return status;
}
