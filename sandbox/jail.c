/* The supervisor side of a jail: clone init into new namespaces, write its
 * uid/gid maps, make the run's cgroups while init builds the jail (init
 * joins them itself), take its seccomp listener, then run the event loop
 * (notifications, CMD's output, init's messages, timeout, signals) until
 * the last process of the jail is gone. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <semaphore.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

struct jail {
  const struct jail_spec *spec;
  struct jail_policy policy;
  struct jail_filter *own_filter; /* compiled here when spec->filter is NULL */
  struct jail_result *res;
  pt_loop *loop;
  pid_t init_pid;
  int init_pidfd;
  int chan;
  int out_r, err_r;
  int notify_fd;
  int sigfd;
  int home_fd;
  bool prestarted; /* prestart() done */
  /* on_spawn for a tmpfs HOME whose message came before on_building:
   * run on a thread of its own (spawn_start), joined by spawn_join. */
  bool early;    /* between the late spec and on_building's end */
  bool spawning; /* the spawner runs, or ran and is not joined */
  pthread_t spawner;
  int spawn_rc;
  pt_err *spawn_err;
  struct jail_cgroup cg;
  struct jail_cpus cpus;
  struct jail_broker broker;
  int pool[JAIL_SOCKET_KINDS][JAIL_SOCKET_POOL_MAX]; /* init's sockets, */
  unsigned n_pool[JAIL_SOCKET_KINDS];                /* not handed out yet */
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;
  size_t req_size, resp_size;
  bool init_exited, cmd_done, listener_ok, killed, chan_eof, timed_out;
  bool empty; /* JAIL_MSG_EMPTY: only init is left, and exiting */
  struct jail_rest *rest; /* made once CMD is about to start */
  bool setup_failed, exec_failed;
  uint64_t launch_key; /* CMD's launch (jail_internal.h) */
  char *cmd_path_env;  /* PATH of CMD's environment (NULL: none) */
  char *cmd_cwd;       /* CMD's working directory */
  bool launch_drain;   /* CMD started: drain its exec messages first */
  int cmd_status;
  int interrupted_by;
  uint64_t out_passed, err_passed;
  pt_err *fatal;
};

static struct jail_rest *rest_new(void);
static void drain_chan(struct jail *j);

void jail_limits_default(struct jail_limits *l) {
  memset(l, 0, sizeof(*l));
  l->memory_bytes = 2ull << 30;
  l->pids = 512;
  l->cpu_percent = 100;
  l->tmp_bytes = 512ull << 20;
  l->fsize_bytes = 512ull << 20;
  l->nofile = 1024;
  l->timeout_ms = 300000;
  l->output_cap = 1 << 20;
  l->capture_cap = 64 << 10;
}

pt_loop *jail_loop(struct jail *j) { return j->loop; }
pid_t jail_init_pid(struct jail *j) { return j->init_pid; }
int jail_notify_fd(struct jail *j) { return j->notify_fd; }
int jail_home_fd(struct jail *j) { return j->home_fd; }

static int spawned(struct jail *j, pt_err **err) {
  const struct jail_hooks *h = j->spec->hooks;
  return h && h->on_spawn ? h->on_spawn(j->spec->hooks_ctx, j, err) : 0;
}

/* A thread of ours with every signal blocked: signals are the main
 * thread's (its signalfd during a run, the caller's after). true when it
 * was made. */
static bool start_thread(pthread_t *t, void *(*fn)(void *), void *arg) {
  sigset_t all, prev;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &prev);
  bool made = pthread_create(t, NULL, fn, arg) == 0;
  pthread_sigmask(SIG_SETMASK, &prev, NULL);
  return made;
}

static void *spawner_main(void *arg) {
  struct jail *j = arg;
  j->spawn_rc = spawned(j, &j->spawn_err);
  return NULL;
}

/* Filling a tmpfs HOME (on_spawn, ~0.9 ms for the honeytoken HOME) is the
 * longest piece of our side of a start. When init sends the HOME before
 * we have made the run's groups and run on_building (it usually does:
 * its network comes first and takes less than the honeytokens), on_spawn
 * runs on a thread of its own meanwhile, instead of after them; jail.h
 * tells the hooks what may then run side by side. Nothing forks until it
 * is joined (spawn_join, before prestart). Inline when no thread can be
 * made. */
static void spawn_start(struct jail *j) {
  j->spawning = start_thread(&j->spawner, spawner_main, j);
  if (!j->spawning)
    spawner_main(j);
}

/* Waits for the spawner, if any; its error, if it failed. */
static int spawn_join(struct jail *j, pt_err **err) {
  if (j->spawning)
    pthread_join(j->spawner, NULL);
  j->spawning = false;
  if (j->spawn_rc == 0)
    return 0;
  j->spawn_rc = 0;
  *err = j->spawn_err;
  j->spawn_err = NULL;
  return -1;
}

int jail_socket(struct jail *j, int domain, int type, int protocol,
                pt_err **err) {
  int kind = protocol == 0 ? jail_socket_kind(domain, type) : -1;
  if (kind >= 0 && j->n_pool[kind] > 0) {
    /* pidfd_getfd made it close-on-exec already. */
    int fd = j->pool[kind][--j->n_pool[kind]];
    if ((type & SOCK_NONBLOCK) &&
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
      pt_err_make(err, errno, "socket O_NONBLOCK");
      close(fd);
      return -1;
    }
    return fd;
  }
  if (j->broker.pid <= 0 &&
      jail_broker_start(&j->broker, err) < 0)
    return -1;
  return jail_broker_socket(&j->broker, domain, type, protocol, err);
}

static void kill_jail(struct jail *j) {
  if (j->init_pidfd >= 0 && !j->init_exited)
    syscall(SYS_pidfd_send_signal, j->init_pidfd, SIGKILL, NULL, 0);
  jail_cgroup_kill(&j->cg);
  j->killed = true;
}

void jail_abort(struct jail *j, const char *why) {
  if (j->fatal == NULL)
    pt_err_make(&j->fatal, 0, "%s", why);
  kill_jail(j);
}

static int write_proc(pid_t pid, const char *file, const char *val,
                      pt_err **err) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return pt_err_make(err, errno, "open %s", path);
  int rc = pt_write_all(fd, val, strlen(val));
  int e = errno;
  close(fd);
  if (rc < 0)
    return pt_err_make(err, e, "write %s", path);
  return 0;
}

static void on_output(void *ctx, int fd, uint32_t ev) {
  struct jail *j = ctx;
  bool is_out = fd == j->out_r;
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    (void)ev;
    pt_loop_del(j->loop, fd);
    close(fd);
    if (is_out)
      j->out_r = -1;
    else
      j->err_r = -1;
    return;
  }
  pt_buf *cap = is_out ? &j->res->out : &j->res->err;
  uint64_t *total = is_out ? &j->res->out_total : &j->res->err_total;
  uint64_t *passed = is_out ? &j->out_passed : &j->err_passed;
  bool *trunc = is_out ? &j->res->out_truncated : &j->res->err_truncated;
  int dest = is_out ? j->spec->out_fd : j->spec->err_fd;
  *total += (uint64_t)n;
  (void)pt_buf_append(cap, buf, (size_t)n);
  uint64_t room = j->spec->limits.output_cap > *passed
                      ? j->spec->limits.output_cap - *passed
                      : 0;
  size_t take = (uint64_t)n < room ? (size_t)n : (size_t)room;
  if (dest >= 0 && take > 0)
    (void)pt_write_all(dest, buf, take);
  *passed += take;
  if (take < (size_t)n && !*trunc) {
    *trunc = true;
    if (j->spec->err_fd >= 0) {
      char note[160];
      int len = snprintf(note, sizeof(note),
                         "\npkgtrap: %s of the jailed command cut at %llu "
                         "bytes (--output-cap)\n",
                         is_out ? "stdout" : "stderr",
                         (unsigned long long)j->spec->limits.output_cap);
      (void)pt_write_all(j->spec->err_fd, note, (size_t)len);
    }
  }
}

static void on_notify(void *ctx, int fd, uint32_t ev) {
  struct jail *j = ctx;
  if (ev & (EPOLLHUP | EPOLLERR)) {
    /* Every process under the filter is gone. */
    pt_loop_del(j->loop, fd);
    return;
  }
  if (j->launch_drain) {
    j->launch_drain = false;
    drain_chan(j);
  }
  memset(j->req, 0, j->req_size);
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, j->req) < 0)
    return; /* ENOENT: the caller died meanwhile; EINTR: try again */
  memset(j->resp, 0, j->resp_size);
  j->resp->id = j->req->id;
  bool refused = jail_policy_refuses(&j->policy, j->req);
  if (refused) {
    j->resp->error = -EPERM;
  } else {
    /* CONTINUE lets the kernel run the call as the caller made it. What
     * a hook recorded from the caller's memory may differ from what the
     * kernel then uses if another thread rewrote it in between (the
     * documented TOCTOU of user notification): recording only, never a
     * basis for allowing or refusing. */
    j->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  }
  if (j->spec->hooks && j->spec->hooks->on_notify)
    j->spec->hooks->on_notify(j->spec->hooks_ctx, j, j->req, j->resp,
                              refused);
  if (refused) { /* a hook may add refusals, never lift one */
    j->resp->flags = 0;
    if (j->resp->error == 0)
      j->resp->error = -EPERM;
  }
  (void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, j->resp);
  if (j->spec->hooks && j->spec->hooks->on_answered)
    j->spec->hooks->on_answered(j->spec->hooks_ctx, j);
}

/* What CMD's start needs of us but not the listener: done as soon as the
 * tmpfs HOME is filled (init sends it once its network and socket pool
 * are made, and goes on building its root), else once init has joined its
 * groups; at the latest with the listener. The listener's hand-over,
 * which CMD waits for, then only takes the fd. */
static int prestart(struct jail *j, pt_err **err) {
  if (j->prestarted)
    return 0;
  j->prestarted = true;
  if (spawn_join(j, err) < 0) /* it fills what CMD needs; none may fork */
    return -1;
  /* init has its network namespace by now and is still dumpable until we
   * answer the listener: the broker's way in (jail_netns.c). */
  if (jail_broker_open_ns(&j->broker, j->init_pid, err) < 0)
    return -1;
  if (j->spec->hooks && j->spec->hooks->on_start &&
      j->spec->hooks->on_start(j->spec->hooks_ctx, j, err) < 0)
    return pt_err_wrap(err, "recorder start");
  pt_mark("jail: recorder started");
  return 0;
}

static int take_listener(struct jail *j, int remote_fd, pt_err **err) {
  pt_mark("jail: listener message");
  if (prestart(j, err) < 0)
    return -1;
  int fd = (int)syscall(SYS_pidfd_getfd, j->init_pidfd, remote_fd, 0);
  if (fd < 0)
    return pt_err_make(err, errno, "pidfd_getfd(seccomp listener)");
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  /* Since 6.6: wake the supervisor on the caller's CPU when a call stops,
   * which roughly halves the cost of each notification. Older kernels
   * answer EINVAL; that only costs speed. */
  (void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
              SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
  j->notify_fd = fd;
  if (pt_loop_add(j->loop, fd, EPOLLIN, on_notify, j, err) < 0)
    return -1;
  return 0;
}

/* JAIL_MSG_CMD_EXEC: CMD, whose pid the kernel put in the message, is
 * about to try the idx-th file along PATH. */
static void cmd_exec(struct jail *j, pid_t pid, int32_t idx) {
  const struct jail_hooks *h = j->spec->hooks;
  if (pid <= 0 || idx < 0 || h == NULL || h->on_cmd_exec == NULL)
    return;
  char file[4096], path[8192];
  if (jail_exec_candidate(j->spec->argv[0], j->cmd_path_env, (unsigned)idx,
                          file, sizeof(file)) <= 0)
    return;
  if (file[0] == '/' || j->cmd_cwd == NULL)
    snprintf(path, sizeof(path), "%s", file);
  else
    snprintf(path, sizeof(path), "%s%s%s", j->cmd_cwd,
             j->cmd_cwd[strlen(j->cmd_cwd) - 1] == '/' ? "" : "/",
             file[0] == '.' && file[1] == '/' ? file + 2 : file);
  h->on_cmd_exec(j->spec->hooks_ctx, j, pid, path, j->spec->argv);
}

/* One message from init (or CMD) if one is there: false when none was
 * (the channel is non-blocking) or the channel is done. */
static bool chan_read(struct jail *j) {
  int fd = j->chan;
  struct jail_msg m;
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(struct ucred))];
  } ctl;
  struct iovec iov = {.iov_base = &m, .iov_len = sizeof(m)};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
                      .msg_control = ctl.buf,
                      .msg_controllen = sizeof(ctl.buf)};
  ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  /* ECONNRESET: init exited with a message of ours unread (it failed
   * before reading JAIL_MSG_CGROUP). The error comes once, before what it
   * sent last (its SETUP_FAILED): read on. */
  if (n < 0 && (errno == EINTR || errno == ECONNRESET))
    return true;
  if (n < 0 && errno == EAGAIN)
    return false;
  if (n != (ssize_t)sizeof(m)) {
    pt_loop_del(j->loop, fd);
    j->chan_eof = true;
    return false;
  }
  pid_t sender = 0; /* as the kernel saw it, in our pid namespace */
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
      struct ucred uc;
      memcpy(&uc, CMSG_DATA(c), sizeof(uc));
      sender = uc.pid;
    }
  switch (m.type) {
  case JAIL_MSG_LISTENER: {
    pt_err *e = NULL;
    if (take_listener(j, m.value, &e) < 0) {
      j->fatal = e;
      kill_jail(j);
      return true;
    }
    struct jail_msg ok = {.type = JAIL_MSG_LISTENER_OK};
    (void)pt_write_all(j->chan, &ok, sizeof(ok));
    j->listener_ok = true;
    /* CMD's exec messages must be read before any stop of its own. */
    j->launch_drain = true;
    j->rest = rest_new(); /* its thread starts while CMD does */
    break;
  }
  case JAIL_MSG_EXEC_FAILED:
    j->exec_failed = true;
    j->res->exec_errno = m.value;
    break;
  case JAIL_MSG_CMD_STATUS:
    pt_mark("jail: cmd status");
    j->cmd_done = true;
    j->cmd_status = m.value;
    break;
  case JAIL_MSG_CGROUP_JOINED: {
    pt_mark("jail: init joined cgroups");
    /* init joined the v1 groups whose fds came with JAIL_MSG_CGROUP (the
     * v2 one it was moved into before): record which limits a cgroup
     * holds. init worked out the same from that message and applies the
     * rlimit fallbacks for the rest itself, so nothing is answered; this
     * arrives before JAIL_MSG_LISTENER, so before CMD exists. */
    struct jail_limits_applied *ap = &j->res->applied;
    (void)jail_cgroup_joined(&j->cg, m.value, ap);
    ap->memory_rlimit = !ap->memory_cgroup;
    ap->pids_rlimit = !ap->pids_cgroup;
    pt_err *e = NULL;
    if (prestart(j, &e) < 0) {
      j->fatal = e;
      kill_jail(j);
    }
    break;
  }
  case JAIL_MSG_SOCKET: {
    unsigned kind = (unsigned)(m.text[0] - '0');
    if (kind >= JAIL_SOCKET_KINDS || j->n_pool[kind] >= JAIL_SOCKET_POOL_MAX)
      break;
    int sfd = (int)syscall(SYS_pidfd_getfd, j->init_pidfd, m.value, 0);
    if (sfd >= 0)
      j->pool[kind][j->n_pool[kind]++] = sfd;
    break; /* none: jail_socket falls back to the broker */
  }
  case JAIL_MSG_HOME: {
    /* The tmpfs HOME exists (detached until init mounts it at its path):
     * fill it (on_spawn) and start the hooks (prestart) while init builds
     * the root. The socket pool's messages came before this one. */
    if (j->home_fd >= 0)
      break;
    pt_err *e = NULL;
    j->home_fd = (int)syscall(SYS_pidfd_getfd, j->init_pidfd, m.value, 0);
    if (j->home_fd < 0 && errno == ESRCH)
      break; /* init is exiting (it failed meanwhile): its report follows */
    if (j->home_fd < 0)
      pt_err_make(&e, errno, "pidfd_getfd(HOME)");
    if (e == NULL && j->early) {
      spawn_start(j); /* prestart follows on_building */
      break;
    }
    if (e || spawned(j, &e) < 0 || prestart(j, &e) < 0) {
      j->fatal = e;
      kill_jail(j);
    }
    break;
  }
  case JAIL_MSG_EMPTY:
    j->empty = true;
    j->cg.left = m.value & (JAIL_CG_MEMORY | JAIL_CG_PIDS | JAIL_CG_CPU);
    break;
  case JAIL_MSG_CMD_EXEC:
    cmd_exec(j, sender, m.value);
    break;
  case JAIL_MSG_SETUP_FAILED:
    j->setup_failed = true;
    m.text[sizeof(m.text) - 1] = '\0';
    snprintf(j->res->setup_error, sizeof(j->res->setup_error), "%s", m.text);
    break;
  default:
    break;
  }
  return true;
}

static void on_chan(void *ctx, int fd, uint32_t ev) {
  (void)fd;
  (void)ev;
  (void)chan_read(ctx);
}

/* Every message on the channel now. Before the loop: init's HOME, to
 * fill it early. In the loop: before the first stop after CMD's start,
 * which follows all of CMD's exec messages (CMD sends each before its
 * try, and nothing of its own stops before its exec), so the exec is
 * recorded before anything CMD's program does. */
static void drain_chan(struct jail *j) {
  while (j->chan >= 0 && !j->chan_eof && chan_read(j))
    ;
}

/* What outlives jail_run on success, for jail_finish: init still
 * exiting, and what can only go after it. */
struct jail_rest {
  int init_pidfd; /* -1: reaped already */
  bool init_out;  /* init said the jail is empty and is in none of the
                     groups: they and the root's mount point may go now */
  bool detach;    /* spec->detach_exiting_init, and init_out */
  struct jail_result *res; /* its groups' counters, read before they go */
  struct jail_cgroup cg;
  char newroot[4096];
  pthread_t finisher;
  bool finishing; /* finisher started: joined, not run, by rest_finish */
  bool filled;    /* by rest_fill */
  sem_t go;       /* the finisher's start, once the above is filled in */
};

static void reap_init(struct jail_rest *r) {
  if (r->init_pidfd < 0)
    return;
  waitid((idtype_t)P_PIDFD, (id_t)r->init_pidfd, NULL, WEXITED);
  close(r->init_pidfd);
  r->init_pidfd = -1;
  pt_mark("jail: init reaped");
}

static void finish_rest(struct jail_rest *r) {
  /* A group with a task left cannot be removed, nor the root's mount
   * point before init's root is pivoted away from it: unless init said it
   * is out of both, wait for its exit first. */
  if (!r->init_out)
    reap_init(r);
  /* Off the caller's path too, when on the finisher: a file of each. */
  if (r->res != NULL) {
    r->res->oom_killed = jail_cgroup_oom_killed(&r->cg);
    r->res->forks_refused = jail_cgroup_forks_refused(&r->cg);
  }
  jail_cgroup_destroy(&r->cg);
  if (r->newroot[0])
    rmdir(r->newroot);
  /* What is left of init then is its exit in the kernel: the teardown of
   * the jail's mount namespace (an expedited RCU grace period, then its
   * mounts: 0.2 to 2 ms on these VMs). A caller that exits right after
   * (`run`) does not wait for it, as bwrap does not wait for its pid 1:
   * no code of the jail's runs any more, and the system's reaper reaps
   * init. Every other caller reaps it here. */
  if (r->detach && r->init_pidfd >= 0) {
    close(r->init_pidfd);
    r->init_pidfd = -1;
  }
  reap_init(r);
  pt_mark("jail: rest finished");
}

static void *finisher_main(void *arg) {
  struct jail_rest *r = arg;
  while (sem_wait(&r->go) < 0)
    ; /* EINTR: every signal is blocked here, but a stop may interrupt */
  finish_rest(r);
  return NULL;
}

/* The rest is finished on a thread of its own from the moment the run is
 * over: waiting out init's exit (~0.2 ms, the teardown of the jail's
 * mounts) and removing the groups (~0.08 ms) then go on on another CPU
 * while the hooks and the caller read and tear down what the run left,
 * instead of after them. The thread is started once CMD is about to
 * start (the listener answered), when we wait anyway, and sleeps until
 * rest_fill, after the loop: a broker forked from the loop copies no
 * thread that could hold a lock. Every signal blocked: they are the main
 * thread's (a signalfd during the run, the caller's after). Without a
 * thread, rest_finish does it all itself; NULL without memory. */
static struct jail_rest *rest_new(void) {
  struct jail_rest *r = calloc(1, sizeof(*r));
  if (r == NULL)
    return NULL;
  r->init_pidfd = -1;
  r->cg = JAIL_CGROUP_NONE;
  if (sem_init(&r->go, 0, 0) < 0)
    return r;
  r->finishing = start_thread(&r->finisher, finisher_main, r);
  return r;
}

/* Moves init's pidfd (unless reaped), the groups and the root's mount
 * point from j into r, and lets the finisher go. */
static void rest_fill(struct jail *j, struct jail_rest *r,
                      const char *newroot) {
  r->res = j->res;
  r->cg = j->cg;
  j->cg = JAIL_CGROUP_NONE;
  snprintf(r->newroot, sizeof(r->newroot), "%s", newroot);
  if (!j->init_exited) {
    r->init_pidfd = j->init_pidfd;
    j->init_pidfd = -1;
  }
  r->init_out = j->empty && !jail_cgroup_holds_init(&r->cg);
  r->detach = j->spec->detach_exiting_init && r->init_out;
  r->filled = true;
  if (r->finishing)
    sem_post(&r->go);
}

static void rest_finish(struct jail_rest *r) {
  if (r->finishing)
    pthread_join(r->finisher, NULL);
  else
    finish_rest(r);
  sem_destroy(&r->go);
  free(r);
}

static void on_init_exit(void *ctx, int fd, uint32_t ev) {
  struct jail *j = ctx;
  pt_mark("jail: init exited");
  (void)ev;
  siginfo_t si;
  memset(&si, 0, sizeof(si));
  if (waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED) == 0 ||
      errno == ECHILD) {
    j->init_exited = true;
    pt_loop_del(j->loop, fd);
  }
}

static void on_signal(void *ctx, int fd, uint32_t ev) {
  struct jail *j = ctx;
  (void)ev;
  struct signalfd_siginfo si;
  if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
    return;
  if (si.ssi_signo == SIGCHLD)
    return;
  j->interrupted_by = (int)si.ssi_signo;
  kill_jail(j);
}

/* Classify the run once everything is over. */
static void finish_result(struct jail *j) {
  struct jail_result *r = j->res;
  if (j->setup_failed) {
    r->outcome = JAIL_SETUP_FAILED;
    return;
  }
  if (j->exec_failed) {
    r->outcome = JAIL_EXEC_FAILED;
    return;
  }
  if (!j->cmd_done) {
    if (j->timed_out) {
      r->outcome = JAIL_TIMED_OUT;
      return;
    }
    r->outcome = JAIL_SETUP_FAILED;
    if (r->setup_error[0] == '\0')
      snprintf(r->setup_error, sizeof(r->setup_error),
               "the jail's init ended before the command started");
    return;
  }
  if (WIFSIGNALED(j->cmd_status)) {
    r->outcome = JAIL_SIGNALED;
    r->term_signal = WTERMSIG(j->cmd_status);
  } else {
    r->outcome = JAIL_EXITED;
    r->exit_code = WEXITSTATUS(j->cmd_status);
  }
}

/* JAIL_MSG_CGROUP: the run's groups exist. value: the JAIL_CG_* limits of
 * the group init is already in (v2, attached by us); text[0]: '0' + the
 * JAIL_CG_* v1 groups whose `tasks` fds ride along (SCM_RIGHTS, in
 * memory, pids, cpu order) for init to join by itself; text[1]: '0' + those
 * whose parent's `tasks` follows (same order), for init to leave them at
 * its end. Our copies are closed once sent. */
static int send_cgroup(struct jail *j, pt_err **err) {
  const struct jail_limits_applied *ap = &j->res->applied;
  struct jail_msg m;
  memset(&m, 0, sizeof(m));
  m.type = JAIL_MSG_CGROUP;
  m.value = (ap->memory_cgroup ? JAIL_CG_MEMORY : 0) |
            (ap->pids_cgroup ? JAIL_CG_PIDS : 0) |
            (ap->cpu_cgroup ? JAIL_CG_CPU : 0);
  int fds[6], n = 0, v1 = 0, out = 0;
  for (int i = 0; i < 3; i++)
    if (j->cg.join_fd[i] >= 0) {
      fds[n++] = j->cg.join_fd[i];
      v1 |= JAIL_CG_SLOT_BIT(i);
    }
  for (int i = 0; i < 3; i++)
    if (j->cg.join_fd[i] >= 0 && j->cg.leave_fd[i] >= 0) {
      fds[n++] = j->cg.leave_fd[i];
      out |= JAIL_CG_SLOT_BIT(i);
    }
  m.text[0] = (char)('0' + v1);
  m.text[1] = (char)('0' + out);
  int w = jail_msg_send_fds(j->chan, &m, fds, n);
  int e = errno;
  for (int i = 0; i < 3; i++) {
    if (j->cg.join_fd[i] >= 0)
      close(j->cg.join_fd[i]);
    if (j->cg.leave_fd[i] >= 0)
      close(j->cg.leave_fd[i]);
    j->cg.join_fd[i] = j->cg.leave_fd[i] = -1;
  }
  /* EPIPE: init (the only holder of the other end) failed and exited
   * before this; the loop collects its report. */
  if (w < 0 && e != EPIPE)
    return pt_err_make(err, e, "start init (cgroups)");
  return 0;
}

void jail_pick_host_ids(uid_t *uid, gid_t *gid) {
  if (geteuid() != 0) {
    /* Rootless: the only id we may map is our own. */
    *uid = geteuid();
    *gid = getegid();
    return;
  }
  /* Root: a random id far above any real account (and distinct per run,
   * so parallel jails cannot touch each other's files), never 0. */
  uint32_t r = pt_random_u32() % 100000000u;
  *uid = (uid_t)(1000000000u + r);
  *gid = (gid_t)(1000000000u + r);
}

int jail_run(const struct jail_spec *spec, struct jail_result *res,
             pt_err **err) {
  memset(res, 0, sizeof(*res));
  pt_buf_init(&res->out, spec->limits.capture_cap);
  pt_buf_init(&res->err, spec->limits.capture_cap);
  res->outcome = JAIL_SETUP_FAILED;
  res->applied.cgroup = "none"; /* until the groups are made, after clone3 */

  struct jail jj = {.spec = spec,
                    .res = res,
                    .init_pidfd = -1,
                    .chan = -1,
                    .out_r = -1,
                    .err_r = -1,
                    .notify_fd = -1,
                    .sigfd = -1,
                    .home_fd = -1,
                    .cg = JAIL_CGROUP_NONE,
                    .broker = {.pid = 0, .sock = -1, .ns_user = -1,
                               .ns_net = -1}};
  struct jail *j = &jj;
  int rc = -1;
  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, ch[2] = {-1, -1};
  sigset_t blocked, old;
  bool masked = false;
  char newroot[4096] = ""; /* until made: a failure may come first */

  if (spec->argv == NULL || spec->argv[0] == NULL)
    return pt_err_make(err, EINVAL, "no command to run");
  const struct jail_filter *filter = spec->filter;
  if (filter == NULL) {
    j->own_filter = jail_filter_new(spec->seccomp_policy, spec->notify,
                                    spec->n_notify, err);
    if (j->own_filter == NULL)
      return -1;
    filter = j->own_filter;
  }
  j->policy = filter->policy;
  pt_mark("jail: filter ready");
  if (seccomp_notify_alloc(&j->req, &j->resp) < 0) {
    jail_filter_free(j->own_filter);
    return pt_err_make(err, ENOMEM, "seccomp notification buffers");
  }
  struct seccomp_notif_sizes sz;
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0) {
    pt_err_make(err, errno, "seccomp notification sizes");
    goto out;
  }
  j->req_size = sz.seccomp_notif;
  j->resp_size = sz.seccomp_notif_resp;

  snprintf(newroot, sizeof(newroot), "%s/root", spec->state_dir);
  if (mkdir(newroot, 0755) < 0 && errno != EEXIST) {
    pt_err_make(err, errno, "mkdir `%s`", newroot);
    goto out;
  }
  if (pipe2(out_p, O_CLOEXEC) < 0 || pipe2(err_p, O_CLOEXEC) < 0 ||
      socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ch) < 0) {
    pt_err_make(err, errno, "pipes");
    goto out;
  }
  j->loop = pt_loop_new(err);
  if (j->loop == NULL)
    goto out;

  /* Signals that end a run arrive through a signalfd, so the jail is torn
   * down and cleaned up like any other end. */
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGHUP);
  sigaddset(&blocked, SIGQUIT);
  sigprocmask(SIG_BLOCK, &blocked, &old);
  masked = true;
  j->sigfd = signalfd(-1, &blocked, SFD_CLOEXEC | SFD_NONBLOCK);
  if (j->sigfd < 0) {
    pt_err_make(err, errno, "signalfd");
    goto out;
  }

  /* CMD may start in init's memory (jail_init.c: spawn_cmd) when we read
   * nothing of it before its exec, or may read it anyway (as root). */
  bool cmd_shares_memory =
      filter->launch_exempt || jail_caps_may_read_any_memory();
  if (pt_random(&j->launch_key, sizeof(j->launch_key)) < 0) {
    pt_err_make(err, errno, "random launch key");
    goto out;
  }
  /* CMD's exec messages carry its pid (JAIL_MSG_CMD_EXEC). */
  int one = 1;
  if (setsockopt(ch[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
    pt_err_make(err, errno, "SO_PASSCRED");
    goto out;
  }
  jail_cpus_read(&j->cpus);
  uint64_t t0 = pt_now_ns();
  /* clone3 with CLONE_PIDFD: the pidfd refers to init for sure (no pid
   * reuse race) and lets us take its seccomp listener and wait on it. */
  struct clone_args ca;
  memset(&ca, 0, sizeof(ca));
  int pidfd = -1;
  ca.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
             CLONE_NEWIPC | CLONE_PIDFD;
  /* No CLONE_NEWNET: a network namespace costs ~0.4 ms to create, of
   * ~0.7 ms for the whole clone3 (measured on these VMs), a time we and
   * init would both wait; init makes its own instead, on its CPU. */
  ca.pidfd = (uint64_t)(uintptr_t)&pidfd;
  ca.exit_signal = SIGCHLD;
  pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
  if (pid < 0) {
    pt_err_make(err, errno,
                "create namespaces (user namespaces must be enabled: "
                "sysctl kernel.unprivileged_userns_clone / "
                "user.max_user_namespaces)");
    goto out;
  }
  if (pid == 0) {
    close(out_p[0]);
    close(err_p[0]);
    close(ch[0]);
    struct jail_init_args ia = {.spec = spec, .filter = filter,
                                .cg = &j->cg, .newroot = newroot,
                                .chan = ch[1], .out_w = out_p[1],
                                .err_w = err_p[1],
                                .cmd_shares_memory = cmd_shares_memory,
                                .launch_key = j->launch_key,
                                .cpus = &j->cpus};
    jail_init_main(&ia);
  }
  j->init_pid = pid;
  jail_cpus_spread(&j->cpus, pid);
  pt_mark("jail: cloned");
  j->init_pidfd = pidfd;
  res->init_pid = pid;
  close(out_p[1]);
  close(err_p[1]);
  close(ch[1]);
  out_p[1] = err_p[1] = ch[1] = -1;
  j->out_r = out_p[0];
  j->err_r = err_p[0];
  j->chan = ch[0];
  out_p[0] = err_p[0] = ch[0] = -1;

  /* Map the jail's user to the host ids chosen by the caller. setgroups
   * is denied first: required for an unprivileged gid_map, and the jail
   * has no business changing its groups anyway. */
  char map[64];
  if (write_proc(pid, "setgroups", "deny", err) < 0)
    goto fail_kill;
  snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)spec->id.uid,
           (unsigned)spec->host_uid);
  if (write_proc(pid, "uid_map", map, err) < 0)
    goto fail_kill;
  snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)spec->id.gid,
           (unsigned)spec->host_gid);
  if (write_proc(pid, "gid_map", map, err) < 0)
    goto fail_kill;
  pt_mark("jail: maps written");

  if (pt_loop_add(j->loop, j->chan, EPOLLIN, on_chan, j, err) < 0 ||
      pt_loop_add(j->loop, j->out_r, EPOLLIN, on_output, j, err) < 0 ||
      pt_loop_add(j->loop, j->err_r, EPOLLIN, on_output, j, err) < 0 ||
      pt_loop_add(j->loop, j->init_pidfd, EPOLLIN, on_init_exit, j, err) < 0 ||
      pt_loop_add(j->loop, j->sigfd, EPOLLIN, on_signal, j, err) < 0)
    goto fail_kill;

  struct jail_msg go = {.type = JAIL_MSG_GO};
  if (pt_write_all(j->chan, &go, sizeof(go)) < 0) {
    pt_err_make(err, errno, "start init");
    goto fail_kill;
  }
  /* The rest of the spec: made by the caller now, while init sets up its
   * network and the root's base on the other CPU. */
  struct jail_late late = {.user = spec->id.user,
                           .hostname = spec->id.hostname,
                           .home = spec->id.home,
                           .envp = spec->envp};
  if (spec->hooks && spec->hooks->late &&
      spec->hooks->late(spec->hooks_ctx, j, &late, err) < 0)
    goto fail_kill;
  if (jail_late_send(j->chan, &late, err) < 0)
    goto fail_kill;
  /* What names the file CMD execs (cmd_exec), as init will see it. */
  const char *path_env = jail_env_path(late.envp);
  j->cmd_path_env = path_env ? strdup(path_env) : NULL;
  j->cmd_cwd = strdup(jail_cmd_cwd(spec, &late));
  pt_mark("jail: late spec sent");
  /* init's messages so far: its HOME, usually (spawn_start). */
  j->early = true;
  drain_chan(j);
  /* The run's groups are made now, off the serial path: init sets up its
   * network and builds its root meanwhile (on the other CPU), and only
   * then waits for JAIL_MSG_CGROUP, joins the v1 groups itself (the v2
   * one we move it into here) and enters its cgroup namespace, before
   * anything untrusted runs; CMD is forked after that. What is charged
   * where meanwhile: init's work until it joins (netlink set-up, socket
   * pool, mounts, the /etc files it writes, page tables and the pages it
   * dirties, its CPU time) is charged to our own groups, the jail's only
   * from the join on; charges do not move with a task (v1's
   * move_charge_at_immigrate is left off). That is bounded: a fixed
   * piece of our own code, nothing of the package's (~0.2 MiB: the
   * jail's peak memory.max_usage_in_bytes for `run -- /bin/true` went
   * from ~0.88 to ~0.68 MiB on top of 131fa2a). The stale-group sweep is
   * part of this window too (jail_cgroup.c). */
  jail_cgroup_prepare(&j->cg, &spec->limits, &res->applied);
  jail_cgroup_attach(&j->cg, pid, &res->applied);
  pt_mark("jail: cgroup prepared");
  if (spec->home_src) {
    j->home_fd = open(spec->home_src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j->home_fd < 0) {
      pt_err_make(err, errno, "open `%s`", spec->home_src);
      goto fail_kill;
    }
  }
  /* With a tmpfs HOME, on_spawn waits for init to mount it (on_chan),
   * and runs on the spawner if that came already (spawn_start). With a
   * host HOME it runs now, before JAIL_MSG_CGROUP is sent. Either
   * way it is done before we answer init's listener, after which init
   * enters HOME (or a cwd below it, which on_spawn may be the one to
   * create or hand to the jail's uid). */
  if ((spec->home_src || !spec->home_tmpfs_bytes) && spawned(j, err) < 0)
    goto fail_kill;
  if (send_cgroup(j, err) < 0)
    goto fail_kill;
  if (spec->hooks && spec->hooks->on_building &&
      spec->hooks->on_building(spec->hooks_ctx, j, err) < 0)
    goto fail_kill;
  /* A tmpfs HOME that came early: filled meanwhile, or soon. Its message
   * follows init's network, which prestart needs. */
  j->early = false;
  if (!spec->home_src && j->home_fd >= 0 && prestart(j, err) < 0)
    goto fail_kill;

  uint64_t deadline =
      spec->limits.timeout_ms ? t0 + spec->limits.timeout_ms * 1000000ull : 0;
  /* Run until init is gone (and with it every process of the jail), or
   * says it is the last and exiting (JAIL_MSG_EMPTY), and the output is
   * drained. The rest of init's exit (the teardown of the mount namespace
   * above all) then goes on while the hooks read what the run left; it
   * is waited for before the groups are removed. */
  while (!(j->init_exited || j->empty) || j->out_r >= 0 || j->err_r >= 0) {
    int wait_ms = -1;
    if (deadline && !j->killed) {
      uint64_t now = pt_now_ns();
      if (now >= deadline) {
        j->timed_out = true;
        kill_jail(j);
        continue;
      }
      wait_ms = (int)((deadline - now + 999999) / 1000000);
    }
    if (pt_loop_run_once(j->loop, wait_ms, err) < 0)
      goto fail_kill;
  }
  /* Messages init sent just before it exited. */
  drain_chan(j);
  res->wall_ns = pt_now_ns() - t0;
  pt_mark("jail: loop done");
  /* A HOME of its own tmpfs goes down (~0.2 ms: its 80-odd files and
   * directories evicted) where its last reference goes: let that be the
   * jail's mount namespace, in init's exit, when nobody waits for it. */
  if (spec->detach_exiting_init && spec->home_src == NULL &&
      j->home_fd >= 0) {
    close(j->home_fd);
    j->home_fd = -1;
  }
  finish_result(j);
  if (j->rest == NULL)
    j->rest = rest_new();
  if (j->rest != NULL)
    rest_fill(j, j->rest, newroot);
  if (spec->hooks && spec->hooks->on_exit)
    spec->hooks->on_exit(spec->hooks_ctx, j);
  pt_mark("jail: on_exit hook done");
  /* init's own report of a failed set-up names the cause; an error of
   * ours that followed (a file of its /proc gone, say, because it had
   * just exited) is only its consequence. */
  if (j->fatal && j->setup_failed) {
    pt_err_free(j->fatal);
    j->fatal = NULL;
  }
  if (j->fatal) {
    *err = j->fatal;
    j->fatal = NULL;
    goto out;
  }
  if (j->interrupted_by) {
    pt_err_make(err, EINTR, "interrupted by signal %d", j->interrupted_by);
    (*err)->errnum = -j->interrupted_by; /* the caller re-raises it */
    goto out;
  }
  rc = 0;
  goto out;

fail_kill:
  kill_jail(j);
out:;
  /* init (killed, or exiting by itself) and what must wait for its end:
   * taken already if the run got to its end. Without a rest made before
   * (a failure before CMD's start, or no memory), one without a thread,
   * finished below. */
  pt_err *spawn_e = NULL; /* a failure ends the run already */
  if (spawn_join(j, &spawn_e) < 0)
    pt_err_free(spawn_e);
  struct jail_rest *rest = j->rest, here = {.init_pidfd = -1};
  if (rest != NULL && !rest->filled)
    rest_fill(j, rest, newroot);
  else if (rest == NULL)
    rest_fill(j, &here, newroot);
  jail_broker_stop(&j->broker);
  pt_mark("jail: broker stopped");
  int fds[] = {out_p[0], out_p[1], err_p[0], err_p[1], ch[0], ch[1],
               j->out_r, j->err_r, j->chan, j->notify_fd, j->sigfd,
               j->init_pidfd, j->home_fd};
  for (size_t i = 0; i < PT_ARRAY_LEN(fds); i++)
    if (fds[i] >= 0)
      close(fds[i]);
  for (size_t k = 0; k < JAIL_SOCKET_KINDS; k++)
    for (size_t i = 0; i < j->n_pool[k]; i++)
      close(j->pool[k][i]);
  pt_loop_free(j->loop);
  seccomp_notify_free(j->req, j->resp);
  jail_filter_free(j->own_filter);
  free(j->cmd_path_env);
  free(j->cmd_cwd);
  if (masked) {
    /* Drop what arrived meanwhile (already acted on via the signalfd). */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&blocked, NULL, &zero) > 0)
      ;
    sigprocmask(SIG_SETMASK, &old, NULL);
  }
  /* On success the rest is the caller's to finish, after its own
   * teardown; on failure it is done now. */
  if (rest == NULL)
    finish_rest(&here);
  else if (rc == 0)
    res->rest = rest;
  else
    rest_finish(rest);
  pt_mark("jail: done");
  pt_err_free(j->fatal);
  return rc;
}

void jail_finish(struct jail_result *r) {
  if (r->rest == NULL)
    return;
  rest_finish(r->rest);
  r->rest = NULL;
  pt_mark("jail: finished");
}

void jail_result_free(struct jail_result *r) {
  jail_finish(r);
  pt_buf_free(&r->out);
  pt_buf_free(&r->err);
}

int jail_result_status(const struct jail_result *r) {
  switch (r->outcome) {
  case JAIL_EXITED:
    return r->exit_code;
  case JAIL_SIGNALED:
    return 128 + r->term_signal;
  case JAIL_TIMED_OUT:
    return 124;
  case JAIL_EXEC_FAILED:
    return r->exec_errno == ENOENT ? 127 : 126;
  case JAIL_SETUP_FAILED:
  default:
    return 125;
  }
}
