/* init: pid 1 of the jail. Builds the jail from the inside, drops every
 * privilege, installs the seccomp filter and hands its listener to the
 * supervisor, starts CMD, then only reaps until no process is left (so
 * detached and double-forked descendants are waited for, up to the
 * supervisor's timeout). Errors go to the supervisor as one message and
 * init exits 125: nothing here may print to the caller's terminal. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef PKGTRAP_SANITIZE
#include <sanitizer/lsan_interface.h>
#endif

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

static int chan_fd = -1;
static char *title_start;
static size_t title_len;

void jail_set_title_area(char *start, size_t len) {
  title_start = start;
  title_len = len;
}

/* What a process inside sees of pid 1: an ordinary init. */
static void retitle(void) {
  if (title_start && title_len >= 5) {
    memset(title_start, 0, title_len);
    memcpy(title_start, "init", 4);
  }
  prctl(PR_SET_NAME, "init", 0, 0, 0);
}

static void send_msg(enum jail_msg_type t, int value, const char *text) {
  struct jail_msg m;
  memset(&m, 0, sizeof(m));
  m.type = t;
  m.value = value;
  if (text)
    snprintf(m.text, sizeof(m.text), "%s", text);
  /* write(2), not sendmsg(2): the recorder may stop on sendmsg, and the
   * listener may not have reached the supervisor yet. */
  ssize_t w = write(chan_fd, &m, sizeof(m));
  (void)w;
}

__attribute__((noreturn)) static void fail(pt_err *e) {
  send_msg(JAIL_MSG_SETUP_FAILED, e ? e->errnum : 0,
           e && e->msg ? e->msg : "jail setup failed");
  _exit(125);
}

static void recv_msg(struct jail_msg *m, enum jail_msg_type want) {
  ssize_t n;
  do
    n = read(chan_fd, m, sizeof(*m));
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)sizeof(*m) || m->type != (uint32_t)want)
    _exit(125); /* supervisor gone or confused: nothing to report to */
}

/* The v1 groups offered to us (JAIL_MSG_CGROUP) and those joined, for
 * jail_cgroup_leave_self at the end. */
static int cg_offered, cg_joined;

/* JAIL_MSG_CGROUP (see send_cgroup in jail.c): join the v1 groups whose
 * `tasks` fds came with it (keeping their parents' for the end),
 * tell the supervisor which, and return the JAIL_CG_* limits the groups
 * we are now in hold: those of the v2 group the supervisor moved us into,
 * and of the v1 groups joined. The rest fall back to rlimits in CMD. Fds
 * missing or unexpected (the message cut short): join none of them, the
 * rlimits apply. */
static int join_cgroups(struct jail_cgroup *cg) {
  struct jail_msg m;
  int fds[6], nfd = 0;
  bool bad = false;
  if (jail_msg_recv_fds(chan_fd, &m, fds, 6, &nfd, &bad) < 0 ||
      m.type != JAIL_MSG_CGROUP)
    _exit(125); /* supervisor gone or confused: nothing to report to */
  int v1 = m.text[0] - '0', out = m.text[1] - '0';
  int want = 0;
  for (int i = 0; i < 3; i++) {
    cg->join_fd[i] = cg->leave_fd[i] = -1;
    want += (v1 & JAIL_CG_SLOT_BIT(i)) != 0;
    want += (out & JAIL_CG_SLOT_BIT(i)) != 0;
  }
  if (bad || v1 < 0 || v1 > 7 || out < 0 || (out & ~v1) || want != nfd) {
    for (int i = 0; i < nfd; i++)
      close(fds[i]);
    nfd = 0;
    v1 = out = 0;
  }
  int k = 0;
  for (int i = 0; i < 3; i++)
    if (v1 & JAIL_CG_SLOT_BIT(i))
      cg->join_fd[i] = fds[k++];
  for (int i = 0; i < 3; i++)
    if (out & JAIL_CG_SLOT_BIT(i))
      cg->leave_fd[i] = fds[k++];
  int joined = jail_cgroup_join_self(cg); /* closes the join fds */
  cg_offered = v1;
  cg_joined = joined;
  send_msg(JAIL_MSG_CGROUP_JOINED, joined, NULL);
  return (m.value & (JAIL_CG_MEMORY | JAIL_CG_PIDS | JAIL_CG_CPU)) | joined;
}

/* JAIL_MSG_LATE: the rest of the spec (jail_late.c), mapped for good. */
static void recv_late(struct jail_late *late) {
  struct jail_msg m;
  int fd = -1, n = 0;
  bool bad = false;
  if (jail_msg_recv_fds(chan_fd, &m, &fd, 1, &n, &bad) < 0 ||
      m.type != JAIL_MSG_LATE)
    _exit(125); /* supervisor gone or confused: nothing to report to */
  pt_err *e = NULL;
  if (n != 1 || bad) {
    if (n == 1)
      close(fd);
    pt_err_make(&e, EPROTO, "the late spec came without its memfd"), fail(e);
  }
  int rc = jail_late_map(fd, late);
  close(fd);
  if (rc < 0)
    pt_err_make(&e, -rc, "read the late spec"), fail(e);
}

/* Every signal's disposition back to the default, for CMD to inherit:
 * one the supervisor ignores (SIGPIPE; what its own caller ignored) would
 * survive CMD's exec. Done in init while the supervisor writes its id
 * maps, a wait anyway, rather than in CMD: ~64 calls off the path to
 * CMD's exec, where each also runs the seccomp filter. init itself loses
 * nothing: it handles no signal, and keeps the supervisor's blocked ones
 * blocked (a terminal's ^C is the supervisor's to act on). */
static void reset_signals(void) {
  for (int s = 1; s < NSIG; s++)
    signal(s, SIG_DFL);
}

/* Keep exactly the fds init needs, at known numbers 3, 4, 5: init was
 * cloned from the supervisor and holds everything it had open. */
static void keep_only(int *a, int *b, int *c) {
  int *fds[3] = {a, b, c};
  for (int i = 0; i < 3; i++) {
    int hi = fcntl(*fds[i], F_DUPFD_CLOEXEC, 100);
    if (hi < 0)
      _exit(125);
    *fds[i] = hi;
  }
  for (int i = 0; i < 3; i++) {
    if (dup3(*fds[i], 3 + i, O_CLOEXEC) < 0)
      _exit(125);
    *fds[i] = 3 + i;
  }
  if (syscall(SYS_close_range, 6, ~0U, 0) < 0) {
    for (int fd = 6; fd < 4096; fd++)
      close(fd);
  }
}

/* What CMD starts from: its argv and environment copied by init (spec's
 * strings live in the argv area retitle() wipes), and init's fds it keeps.
 * shared: CMD runs in init's memory until it execs (spawn_cmd). announce:
 * CMD's launch stops nowhere (the filter's launch_exempt), so CMD tells
 * the supervisor on chan what it execs. */
struct cmd_start {
  const struct jail_spec *spec;
  const struct jail_limits_applied *ap;
  char **argv, **envp;
  int out_w, err_w, exec_w, exec_r, chan;
  bool shared, announce;
  uint64_t key;
};

/* execve along the jail's PATH (jail_exec.c), each try carrying the run's
 * launch key (jail_internal.h) and, when it stops nowhere, told to the
 * supervisor first on chan (-1: not). Returns the errno that decides 126
 * vs 127. */
static int exec_path(const struct cmd_start *c, int chan) {
  const char *file = c->argv[0];
  const char *path = jail_env_path(c->envp);
  bool direct = strchr(file, '/') != NULL;
  int seen_eacces = 0;
  char buf[4096];
  for (unsigned i = 0;; i++) {
    int r = jail_exec_candidate(file, path, i, buf, sizeof(buf));
    if (r == 0)
      break;
    if (r < 0) {
      if (direct)
        return ENAMETOOLONG;
      continue;
    }
    if (chan >= 0) {
      /* write(2): sendmsg would stop in the recorder. The kernel adds
       * our pid, as the supervisor sees it. */
      struct jail_msg m = {.type = JAIL_MSG_CMD_EXEC, .value = (int32_t)i};
      if (write(chan, &m, sizeof(m)) != (ssize_t)sizeof(m))
        _exit(125); /* an exec nobody would record: none */
    }
    syscall(SYS_execve, buf, c->argv, c->envp, c->key);
    if (direct)
      return errno;
    if (errno == EACCES)
      seen_eacces = 1;
    else if (errno != ENOENT && errno != ENOTDIR)
      return errno;
  }
  return seen_eacces ? EACCES : ENOENT;
}

static char **dup_strv(char *const *v) {
  size_t n = 0;
  while (v && v[n])
    n++;
  char **out = calloc(n + 1, sizeof(char *));
  for (size_t i = 0; out && i < n; i++)
    if ((out[i] = strdup(v[i])) == NULL)
      return NULL;
  return out;
}

/* What CMD reports on the exec pipe: an errno of execve, or this plus
 * the errno of a failed setrlimit. */
#define RLIMIT_FAILED 0x10000

__attribute__((noreturn)) static void cmd_main(const struct cmd_start *c) {
  const struct jail_spec *spec = c->spec;
  const struct jail_limits_applied *ap = c->ap;
  int out_w = c->out_w, err_w = c->err_w, exec_w = c->exec_w;
  close(c->exec_r);
  /* chan, when kept, goes to fd 4 below: out of the way until then. */
  int chan = c->announce ? fcntl(c->chan, F_DUPFD_CLOEXEC, 10) : -1;
  if (c->announce && chan < 0)
    _exit(125); /* an exec nobody would record: none */
  close(c->chan);
  /* A session of its own: no controlling terminal, so no TIOCSTI into
   * the caller's shell even if a terminal fd leaked. */
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL); /* dispositions: reset_signals */
  int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (nul < 0 || dup2(nul, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
    _exit(125);
  if (exec_w != 3) {
    if (dup3(exec_w, 3, O_CLOEXEC) < 0)
      _exit(125);
    exec_w = 3;
  }
  fcntl(3, F_SETFD, FD_CLOEXEC);
  if (chan >= 0) {
    if (dup3(chan, 4, O_CLOEXEC) < 0)
      _exit(125);
    chan = 4;
  }
  int first = chan >= 0 ? 5 : 4;
  if (syscall(SYS_close_range, first, ~0U, 0) < 0)
    for (int fd = first; fd < 4096; fd++)
      close(fd);
  /* CMD is a copy of the supervisor until it execs: give the recorder
   * access to it (init made itself non-dumpable, which CMD inherited, and
   * a rootless supervisor may only read a dumpable process's memory). Not
   * when CMD runs in init's own memory: the flag belongs to the memory,
   * and init stays closed to the jail (a supervisor that may share it
   * reads it anyway). And show "init"'s neighbours nothing of the host's
   * command line. */
  if (!c->shared)
    prctl(PR_SET_DUMPABLE, 1);
  retitle();
  pt_err *le = NULL;
  if (jail_rlimits_apply(&spec->limits, ap, &le) < 0) {
    int v = RLIMIT_FAILED | (le ? le->errnum : 0);
    ssize_t w = write(exec_w, &v, sizeof(v));
    (void)w;
    _exit(125);
  }
  int e = exec_path(c, chan);
  ssize_t w = write(exec_w, &e, sizeof(e));
  (void)w;
  _exit(e == ENOENT ? 127 : 126);
}

static int cmd_child(void *arg) {
  pt_mark("cmd: started");
  cmd_main(arg);
}

/* CMD, started as a copy of init (a fork); or, when it may share init's
 * memory, by clone(CLONE_VM | CLONE_VFORK) the way posix_spawn(3) does:
 * init (a copy of the whole supervisor) then waits until CMD has exec'ed
 * instead of having all its memory marked copy-on-write for a child that
 * replaces it at once; on a run's serial path that is ~0.2 ms of page-table copy and
 * ~0.1 ms of copy-on-write faults before the exec. On its way to the
 * exec CMD's code allocates nothing (only a failed rlimit does, before
 * _exit) and changes only what is its own (fds, signals, session,
 * rlimits, the comm name) or init's too anyway (the retitled argv area). */
static pid_t spawn_cmd(struct cmd_start *cs) {
  size_t sz = 256 * 1024;
  void *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED)
    return -1;
  /* The launch key in tls, which the kernel ignores without CLONE_SETTLS:
   * this clone then stops nowhere (jail_internal.h). Without CLONE_VM the
   * child runs on its own copy of the stack. */
  int flags = SIGCHLD | (cs->shared ? CLONE_VM | CLONE_VFORK : 0);
  pid_t pid = clone(cmd_child, (char *)stack + sz, flags, cs, NULL,
                    (void *)(uintptr_t)cs->key, NULL);
  int e = errno;
  munmap(stack, sz); /* shared: CMD has exec'ed or exited, off this stack */
  errno = e;
  return pid;
}

/* The socket pool (jail_spec.socket_pool): made here, in the jail's
 * network namespace, and taken by the supervisor with pidfd_getfd(2) as
 * the messages arrive, before init closes its copies. A kind the kernel
 * refuses (IPv6 disabled) is left to the broker. */
static int pool_fds[JAIL_SOCKET_KINDS * JAIL_SOCKET_POOL_MAX];
static size_t n_pool_fds;

static int home_fd = -1;
/* A time namespace whose boot time lies uptime_offset_s earlier (see
 * jail_spec). Its offsets can only be written before a process enters it,
 * so init makes it for its children, writes them, and then enters it
 * itself: CMD starts in init's memory as root (CLONE_VM), which the
 * kernel refuses across time namespaces. A kernel without them
 * (EINVAL) keeps the host's boot time. */
static int older_boot(uint64_t offset_s, pt_err **err) {
#ifdef CLONE_NEWTIME
  if (unshare(CLONE_NEWTIME) < 0)
    return errno == EINVAL
               ? 0
               : pt_err_make(err, errno, "unshare time namespace");
  char buf[64];
  int n = snprintf(buf, sizeof(buf), "boottime %llu 0\n",
                   (unsigned long long)offset_s);
  /* Our change of uid made us non-dumpable, and a non-dumpable task's
   * /proc files belong to a root this user namespace does not map: be
   * dumpable for the open (nothing of the jail runs yet). */
  int dumpable = prctl(PR_GET_DUMPABLE);
  prctl(PR_SET_DUMPABLE, 1);
  int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
  prctl(PR_SET_DUMPABLE, dumpable > 0 ? dumpable : 0);
  if (fd < 0 || write(fd, buf, (size_t)n) != n) {
    int saved = errno;
    if (fd >= 0)
      close(fd);
    return pt_err_make(err, saved, "write timens_offsets");
  }
  close(fd);
  fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0) {
    int saved = errno;
    if (fd >= 0)
      close(fd);
    return pt_err_make(err, saved, "enter the time namespace");
  }
  close(fd);
#else
  (void)offset_s;
  (void)err;
#endif
  return 0;
}

static void home_ready(int fd) {
  home_fd = fd;
  send_msg(JAIL_MSG_HOME, fd, NULL);
}

static void make_socket_pool(unsigned per_kind) {
  static const int kinds[JAIL_SOCKET_KINDS][2] = {
      {AF_INET, SOCK_STREAM}, {AF_INET, SOCK_DGRAM},
      {AF_INET6, SOCK_STREAM}, {AF_INET6, SOCK_DGRAM}};
  if (per_kind > JAIL_SOCKET_POOL_MAX)
    per_kind = JAIL_SOCKET_POOL_MAX;
  for (int k = 0; k < JAIL_SOCKET_KINDS; k++)
    for (unsigned i = 0; i < per_kind; i++) {
      int fd = socket(kinds[k][0], kinds[k][1] | SOCK_CLOEXEC, 0);
      if (fd < 0)
        break;
      pool_fds[n_pool_fds++] = fd;
      char kind[2] = {(char)('0' + jail_socket_kind(kinds[k][0], kinds[k][1])),
                      0};
      send_msg(JAIL_MSG_SOCKET, fd, kind);
    }
}

void jail_init_main(const struct jail_init_args *a) {
  const struct jail_spec *spec = a->spec;
  struct jail_cgroup *cg = a->cg;
  const char *newroot = a->newroot;
  int chan = a->chan, out_w = a->out_w, err_w = a->err_w;
  /* If the supervisor dies, so does the jail (and with init, every
   * process in its pid namespace). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#ifdef PKGTRAP_SANITIZE
  /* LeakSanitizer's exit check needs ptrace, which the jail refuses; init
   * and CMD end with _exit and own nothing worth checking. */
  __lsan_disable();
#endif
  keep_only(&chan, &out_w, &err_w);
  chan_fd = chan;
  reset_signals();
  struct jail_msg m;
  recv_msg(&m, JAIL_MSG_GO); /* uid/gid maps are in place */
  pt_mark("init: go");

  pt_err *e = NULL;
  /* Become the jail's user now, keeping our capabilities in the new user
   * namespace: we never were uid 0 in it, so no capability is cleared.
   * glibc's set*id signal every thread glibc knows of and wait for each:
   * init, a clone3 copy of the supervisor, would wait forever for one the
   * supervisor had at the clone. None may run then (jail.c starts the
   * finisher after it; bench/README.md, twenty-second session). */
  if (setresgid(spec->id.gid, spec->id.gid, spec->id.gid) < 0)
    pt_err_make(&e, errno, "setresgid %u", (unsigned)spec->id.gid), fail(e);
  if (setresuid(spec->id.uid, spec->id.uid, spec->id.uid) < 0)
    pt_err_make(&e, errno, "setresuid %u", (unsigned)spec->id.uid), fail(e);
  /* A change of euid or egid (as root: host 0 -> the jail's high uid)
   * clears the parent-death signal (commit_creds): set it again, or a
   * supervisor killed from now on leaves the jail running, untimed. If
   * the supervisor died in between, its end of the channel is closed
   * already (a process's files close before its children are told). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  struct pollfd hup = {.fd = chan_fd, .events = POLLIN};
  if (poll(&hup, 1, 0) > 0 && (hup.revents & (POLLHUP | POLLERR)))
    _exit(125);
  /* What needs nothing of the late spec first: the network, then the
   * root's host binds, /proc and /dev, while the supervisor makes the
   * rest of the spec (jail_hooks.late). */
  if (unshare(CLONE_NEWNET) < 0)
    pt_err_make(&e, errno, "unshare network namespace"), fail(e);
  if (jail_net_setup(&e) < 0)
    pt_err_wrap(&e, "network namespace"), fail(e);
  make_socket_pool(spec->socket_pool);
  pt_mark("init: net");
  if (jail_rootfs_base(spec, newroot, home_ready, &e) < 0)
    pt_err_wrap(&e, "root filesystem"), fail(e);
  pt_mark("init: root's base built");
  struct jail_late late;
  recv_late(&late);
  pt_mark("init: late spec");
  if (sethostname(late.hostname, strlen(late.hostname)) < 0)
    pt_err_make(&e, errno, "sethostname"), fail(e);
  if (setdomainname("(none)", 6) < 0)
    pt_err_make(&e, errno, "setdomainname"), fail(e);
  if (jail_rootfs_enter(spec, &late, home_ready, &e) < 0)
    pt_err_wrap(&e, "root filesystem"), fail(e);
  pt_mark("init: rootfs built");
  if (jail_rootfs_finish(spec, &late, &e) < 0)
    pt_err_wrap(&e, "root filesystem"), fail(e);
  pt_mark("init: rootfs finished");
  /* The supervisor made the run's groups while we set up the network and
   * built the root (and moved us into a v2 one): usually its message is
   * already here. Join the v1 groups ourselves (see jail_cgroup.c: no RCU
   * grace period), before anything untrusted runs; until now what we did
   * was charged to the supervisor's groups (jail.c says what). Then a
   * cgroup namespace rooted at the run's group hides the host's hierarchy
   * (/proc/self/cgroup reads "/"). */
  int held = join_cgroups(cg);
  pt_mark("init: cgroups joined");
  if (unshare(CLONE_NEWCGROUP) < 0)
    pt_err_make(&e, errno, "unshare cgroup namespace"), fail(e);
  if (spec->uptime_offset_s && older_boot(spec->uptime_offset_s, &e) < 0)
    fail(e);
  /* Limits no cgroup holds fall back to rlimits, applied in CMD only
   * (init is not the workload). */
  struct jail_limits_applied ap = {
      .memory_cgroup = (held & JAIL_CG_MEMORY) != 0,
      .pids_cgroup = (held & JAIL_CG_PIDS) != 0};
  if (jail_caps_drop_all(&e) < 0)
    fail(e);
  int listener = jail_filter_install(a->filter, a->launch_key, &e);
  if (listener < 0)
    pt_err_wrap(&e, "seccomp"), fail(e);
  pt_mark("init: filter loaded");
  /* The supervisor takes the listener with pidfd_getfd(2): a sendmsg
   * could itself stop in the filter we just installed, before anyone
   * listens. */
  send_msg(JAIL_MSG_LISTENER, listener, NULL);
  recv_msg(&m, JAIL_MSG_LISTENER_OK);
  /* The supervisor took the pool before it answered (messages are read in
   * order). */
  for (size_t i = 0; i < n_pool_fds; i++)
    close(pool_fds[i]);
  if (home_fd >= 0)
    close(home_fd);
  /* Into the working directory only now: the supervisor answered after
   * it had handled every message before ours, so a tmpfs HOME it writes
   * through the fd we sent (and a cwd below it, `~/.aws` say) is whole. */
  const char *cwd = jail_cmd_cwd(spec, &late);
  if (chdir(cwd) < 0)
    pt_err_make(&e, errno, "chdir `%s`", cwd), fail(e);
  pt_mark("init: listener ok");
  close(listener);
  /* Nobody in the jail may ptrace or read init from now on. */
  prctl(PR_SET_DUMPABLE, 0);

  int ep[2];
  if (pipe2(ep, O_CLOEXEC) < 0)
    pt_err_make(&e, errno, "pipe"), fail(e);
  /* Copied before the rlimits (RLIMIT_DATA may leave a sanitizer runtime
   * no room) and before retitle() wipes the originals. */
  struct cmd_start cs = {.spec = spec, .ap = &ap,
                         .argv = dup_strv(spec->argv),
                         .envp = dup_strv(late.envp),
                         .out_w = out_w, .err_w = err_w, .exec_w = ep[1],
                         .exec_r = ep[0], .chan = chan,
                         .shared = a->cmd_shares_memory,
                         .announce = a->filter->launch_exempt,
                         .key = a->launch_key};
  if (cs.argv == NULL || cs.envp == NULL)
    pt_err_make(&e, ENOMEM, "CMD's arguments"), fail(e);
  /* CMD gets the caller's CPUs (jail_cpus.c kept init off one). */
  jail_cpus_restore(a->cpus);
  pid_t cmd = spawn_cmd(&cs);
  if (cmd < 0)
    pt_err_make(&e, errno, "start CMD"), fail(e);
  retitle();
  close(ep[1]);
  close(out_w);
  close(err_w);
  int exec_errno = 0;
  ssize_t n;
  do
    n = read(ep[0], &exec_errno, sizeof(exec_errno));
  while (n < 0 && errno == EINTR);
  close(ep[0]);
  if (n == (ssize_t)sizeof(exec_errno) && (exec_errno & RLIMIT_FAILED)) {
    char what[128];
    snprintf(what, sizeof(what), "apply resource limits: %s",
             strerror(exec_errno & ~RLIMIT_FAILED));
    send_msg(JAIL_MSG_SETUP_FAILED, exec_errno & ~RLIMIT_FAILED, what);
  } else if (n == (ssize_t)sizeof(exec_errno)) {
    send_msg(JAIL_MSG_EXEC_FAILED, exec_errno, NULL);
  }

  /* Reap everything: CMD and whatever got reparented to us. */
  for (;;) {
    int st;
    pid_t p = wait(&st);
    if (p < 0) {
      if (errno == EINTR)
        continue;
      break; /* ECHILD: the jail is empty */
    }
    if (p == cmd)
      send_msg(JAIL_MSG_CMD_STATUS, st, NULL);
  }
  /* Every process of the jail descends from us (orphans are reparented
   * to us, or to a subreaper that is itself our descendant): with no
   * child left, we are the last. Say so before exiting: our exit then
   * tears down the jail's mount namespace (its mounts, an RCU grace
   * period: ~0.2 ms) on this CPU while the supervisor, told, already
   * reads what the run left. */
  if (errno == ECHILD) {
    /* Out of the run's v1 groups first (~0.035 ms): the supervisor can
     * then remove them at once, not after our exit's teardown (0.2 to 2
     * ms on these VMs, most of it an RCU grace period). Only now, when no
     * process of the jail is left to see it: from the groups' parents our
     * /proc/1/cgroup would read "/..", a sandbox's mark. */
    int out = jail_cgroup_leave_self(cg, cg_offered, cg_joined);
    send_msg(JAIL_MSG_EMPTY, out, NULL);
  }
  /* exit(2), not exit_group(2): init is single-threaded, so they do the
   * same, but exit_group stops in the recorder (one round trip through
   * the supervisor, on the path of every run's end) for an event about
   * our own process. */
  syscall(SYS_exit, 0);
  _exit(0); /* not reached */
}
