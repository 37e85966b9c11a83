/* Shared between the jail's own files; not part of the sandbox API. */
#ifndef JAIL_INTERNAL_H
#define JAIL_INTERNAL_H

#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/socket.h>

#include "jail.h"

/* ---- CMD's launch: init's clone of CMD and CMD's exec ----
 * Both would stop in the recorder (clone and execve are notify rules),
 * two round trips through the supervisor (~0.1 ms each) on the path of
 * every run, for calls whose every argument is ours and already known
 * to the supervisor. They carry instead, in an argument the kernel
 * ignores, a key drawn at random for the run, and the filter's notify
 * rules for clone and execve let a call with exactly that key through
 * (jail_policy.c adds `arg != key` to them). Nothing in the jail can
 * learn the key: it lives in the supervisor and in init (non-dumpable,
 * unreachable by ptrace: seccomp.json), never in CMD after its exec
 * (registers and memory are new), and the filter cannot be read back
 * without CAP_SYS_ADMIN. CMD says what it execs on the channel instead
 * (JAIL_MSG_CMD_EXEC), and the supervisor records it (jail_hooks.
 * on_cmd_exec). The filter is compiled with a fixed placeholder (also
 * at build time: jail_filter_image.c) whose compare instructions
 * jail_filter_install rewrites with the run's key. */
#define JAIL_LAUNCH_KEY_PLACEHOLDER 0x6b1d93f2c74e0a58ULL
#define JAIL_LAUNCH_SLOTS_MAX 16
/* The argument the key rides in: execve(path, argv, envp) reads three;
 * clone's tls (its 5th argument on x86-64, its 4th on arm64) is read
 * only with CLONE_SETTLS, which init's clone of CMD never sets. */
#define JAIL_EXECVE_KEY_ARG 3
#if defined(__x86_64__)
#define JAIL_CLONE_KEY_ARG 4
#elif defined(__aarch64__)
#define JAIL_CLONE_KEY_ARG 3
#endif
/* jail_launch_key_slots: finds the placeholder's compares in f's BPF
 * (both halves of each, as libseccomp splits a 64-bit compare) and says
 * whether they are whole (f->launch_exempt). */
void jail_launch_key_slots(struct jail_filter *f);

/* ---- jail_exec.c: CMD's exec along PATH ----
 * The idx-th file an exec of `file` tries (execvp(3)'s order: `file`
 * itself when it holds a '/', else each entry of path_env, "" meaning
 * "."), written to buf: 1, 0 when there is none, -1 when it does not fit
 * (skipped). init tries them; the supervisor names the one CMD says it
 * tries by its index (JAIL_MSG_CMD_EXEC). */
#define JAIL_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
/* The value of PATH in envp (NULL: none, JAIL_DEFAULT_PATH applies). */
const char *jail_env_path(char *const *envp);
/* CMD's working directory: spec->cwd, else the home, else "/". */
const char *jail_cmd_cwd(const struct jail_spec *spec,
                         const struct jail_late *late);
int jail_exec_candidate(const char *file, const char *path_env, unsigned idx,
                        char *buf, size_t cap);

/* ---- jail_policy.c: the enforcing policy (profiles/seccomp.json) ---- */
#define JAIL_POLICY_MAX 128
struct jail_policy {
  int refuse[JAIL_POLICY_MAX]; /* syscall numbers (native arch) */
  size_t n_refuse;
  uint64_t clone_flags; /* clone(2) with any of these bits is refused */
  uint64_t open_flags; /* open/openat/fcntl(F_SETFL) with these: refused */
  unsigned long ioctls[8]; /* refused ioctl requests */
  size_t n_ioctls;
  int enosys[16];
  size_t n_enosys;
  bool ptrace_own_children; /* attach/seize only to the caller's children */
  uint32_t bad_arch_action;
};
int jail_policy_load(const char *path, struct jail_policy *p, pt_err **err);
/* jail_filter_new() (jail.h): the policy, and the BPF that libseccomp
 * compiled from it and the caller's notify rules (the policy's refusals
 * and those rules both stop in the supervisor). */
struct jail_filter {
  struct jail_policy policy;
  struct sock_fprog prog;
  /* The launch key's slots (jail_launch_key_slots): the comparisons of
   * CMD's launch exemption, compiled with JAIL_LAUNCH_KEY_PLACEHOLDER
   * and given the run's key by jail_filter_install. */
  unsigned short key_at[JAIL_LAUNCH_SLOTS_MAX];
  unsigned n_key;
  bool launch_exempt; /* the slots are whole: CMD's launch stops nowhere */
};
/* A filter compiled at build time (jail_filter_image.c): the policy file's
 * exact bytes and the rules' digest it was made from, and the result. */
struct jail_filter_image {
  const unsigned char *policy_text;
  size_t policy_len;
  uint64_t rules_digest; /* jail_rules_digest() */
  const struct sock_filter *insns;
  unsigned short n_insns;
  struct jail_policy policy;
};
/* In the calling (jailed) process: no_new_privs, then the filter, its
 * launch key slots set to key. Returns the listener fd. */
int jail_filter_install(const struct jail_filter *f, uint64_t key,
                        pt_err **err);
/* Does the policy refuse this call? Decided on the syscall number and
 * register arguments only (never on memory the caller could change). */
bool jail_policy_refuses(const struct jail_policy *p,
                         const struct seccomp_notif *req);

/* ---- jail_rootfs.c (runs in init, in the new mount namespace) ---- */
/* In two steps: first what needs nothing of the late spec (the new root's
 * tmpfs, the tmpfs HOME detached, the host's binds, /proc, /dev, /tmp);
 * then, with it, HOME at its path and the caller's mounts, and
 * pivot_root. home_ready is called once with an fd of the tmpfs HOME
 * (home_tmpfs_bytes), by base where the kernel has fsopen(2), else by
 * enter once it is mounted, so the supervisor can fill it meanwhile. */
int jail_rootfs_base(const struct jail_spec *spec, const char *newroot,
                     void (*home_ready)(int fd), pt_err **err);
int jail_rootfs_enter(const struct jail_spec *spec,
                      const struct jail_late *late,
                      void (*home_ready)(int fd), pt_err **err);
/* After pivot_root: generated /etc files, then /etc and / read-only. */
int jail_rootfs_finish(const struct jail_spec *spec,
                       const struct jail_late *late, pt_err **err);

/* ---- jail_net.c (runs in init, in its new network namespace) ---- */
int jail_net_setup(pt_err **err);

/* ---- jail_caps.c (runs in init) ---- */
int jail_caps_drop_all(pt_err **err);
/* In the supervisor: CAP_SYS_PTRACE (root), so it may read the memory of
 * any process of its own user namespace, dumpable or not. */
bool jail_caps_may_read_any_memory(void);
int jail_rlimits_apply(const struct jail_limits *l,
                       const struct jail_limits_applied *applied,
                       pt_err **err);

/* ---- jail_cgroup.c (supervisor) ---- */
struct jail_cgroup {
  int version; /* 0 none, 1, 2 */
  char path_v2[640];
  char path_mem[640], path_pids[640], path_cpu[640]; /* v1 */
  /* v1: each group's `tasks` file, opened by the supervisor and sent to
   * init (JAIL_MSG_CGROUP) to join by itself (-1: none); which groups
   * hold their limit. */
  int join_fd[3];
  /* v1: the `tasks` file of each group's parent (<controller>/pkgtrap),
   * sent along for init to leave by itself once CMD has started (-1:
   * none); the groups init is out of at its end (JAIL_MSG_EMPTY). */
  int leave_fd[3];
  int ready, left;
};
#define JAIL_CGROUP_NONE                                                 \
  ((struct jail_cgroup){.join_fd = {-1, -1, -1}, .leave_fd = {-1, -1, -1}})
/* Bits of the limits a joined group holds (JAIL_MSG_CGROUP and
 * JAIL_MSG_CGROUP_JOINED values). */
#define JAIL_CG_MEMORY 1
#define JAIL_CG_PIDS 2
#define JAIL_CG_CPU 4
/* The bit of join_fd[slot]'s group: slots are memory, pids, cpu. */
#define JAIL_CG_SLOT_BIT(slot) (1 << (slot))
/* Supervisor, after clone3 and GO, while init builds the jail: creates
 * the run's cgroup(s) with the limits (and sweeps stale ones). A v2 group
 * is then joined by jail_cgroup_attach (supervisor), v1 groups by
 * jail_cgroup_join_self (init, with the join fds sent in JAIL_MSG_CGROUP)
 * and reported with jail_cgroup_joined. Never fails the run: what could
 * not be applied is reported in applied (and rlimits take over). */
void jail_cgroup_prepare(struct jail_cgroup *cg, const struct jail_limits *l,
                         struct jail_limits_applied *applied);
/* Supervisor, right after prepare: moves pid into the v2 group. The v1
 * join fds stay open for the supervisor to send (then close). */
void jail_cgroup_attach(struct jail_cgroup *cg, pid_t pid,
                        struct jail_limits_applied *applied);
/* init, once its root is built and before anything untrusted runs: joins
 * the v1 groups whose fds it received (cg->join_fd), closes the fds,
 * returns JAIL_CG_* of those joined. */
int jail_cgroup_join_self(struct jail_cgroup *cg);
/* init, once CMD has started (it inherited the groups): moves itself to
 * the parent of each group it joined (cg->leave_fd), closes the fds,
 * returns the JAIL_CG_SLOT_BITs of the groups offered (JAIL_MSG_CGROUP)
 * that it is now out of. A thread moving itself into a v1 group takes no
 * global lock (no RCU grace period), as when it joined. */
int jail_cgroup_leave_self(struct jail_cgroup *cg, int offered, int joined);
/* Supervisor: whether a group may still hold init, so that removing the
 * groups must wait for init's exit: a v2 group (init was moved in by us;
 * leaving it would take the global lock), or a v1 group init was offered
 * and did not say it is out of (JAIL_MSG_EMPTY). */
bool jail_cgroup_holds_init(const struct jail_cgroup *cg);
/* Supervisor: init's report (JAIL_MSG_CGROUP_JOINED); records and returns
 * JAIL_CG_* of the limits held. Nothing is answered: init works the same
 * out from JAIL_MSG_CGROUP. */
int jail_cgroup_joined(struct jail_cgroup *cg, int joined,
                       struct jail_limits_applied *applied);
bool jail_cgroup_oom_killed(const struct jail_cgroup *cg);
unsigned long long jail_cgroup_forks_refused(const struct jail_cgroup *cg);
void jail_cgroup_kill(const struct jail_cgroup *cg);
void jail_cgroup_destroy(struct jail_cgroup *cg);

/* ---- jail_netns.c (supervisor): sockets inside the jail's netns ---- */
struct jail_broker {
  pid_t pid;
  int sock;
  int ns_user, ns_net; /* the jail's namespaces, opened while we may */
};
/* Right after the clone, while init is still dumpable. */
int jail_broker_open_ns(struct jail_broker *b, pid_t init_pid, pt_err **err);
int jail_broker_start(struct jail_broker *b, pt_err **err);
int jail_broker_socket(struct jail_broker *b, int domain, int type,
                       int protocol, pt_err **err);
void jail_broker_stop(struct jail_broker *b);

/* The kinds of pool sockets (jail_spec.socket_pool), in this order. */
#define JAIL_SOCKET_KINDS 4
static inline int jail_socket_kind(int domain, int type) {
  int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if ((domain != AF_INET && domain != AF_INET6) ||
      (base != SOCK_STREAM && base != SOCK_DGRAM))
    return -1;
  return (domain == AF_INET6 ? 2 : 0) + (base == SOCK_DGRAM ? 1 : 0);
}

/* ---- init <-> supervisor messages (SOCK_SEQPACKET) ---- */
enum jail_msg_type {
  JAIL_MSG_GO = 1,     /* supervisor -> init: the uid/gid maps are written */
  JAIL_MSG_CGROUP,     /* supervisor -> init: the run's groups exist.
                          value = JAIL_CG_* limits of the (v2) group init
                          was moved into; text[0] = '0' + JAIL_CG_* of
                          the v1 groups whose `tasks` fds come along
                          (SCM_RIGHTS, memory, pids, cpu order) */
  JAIL_MSG_LISTENER,   /* init -> supervisor: value = listener fd number */
  JAIL_MSG_LISTENER_OK,/* supervisor -> init: got it, start CMD */
  JAIL_MSG_EXEC_FAILED,/* init -> supervisor: value = errno of execve */
  JAIL_MSG_CMD_STATUS, /* init -> supervisor: value = wait status of CMD */
  JAIL_MSG_SETUP_FAILED,/* init -> supervisor: value = errno, text = what */
  JAIL_MSG_CGROUP_JOINED,/* init -> supervisor: value = v1 groups joined
                            (no answer) */
  JAIL_MSG_SOCKET,     /* init -> supervisor: value = fd of a pool socket,
                          text[0] = '0' + its kind (jail_socket_kind) */
  JAIL_MSG_HOME,       /* init -> supervisor: value = fd of the tmpfs HOME */
  JAIL_MSG_LATE,       /* supervisor -> init: the late spec (struct
                          jail_late) in a memfd that comes along
                          (SCM_RIGHTS; jail_late.c) */
  JAIL_MSG_EMPTY,      /* init -> supervisor: init has no child left, so
                          no other process is left in the jail; init
                          exits next. value: the JAIL_CG_SLOT_BITs of the
                          v1 groups init left (jail_cgroup_leave_self) */
  JAIL_MSG_CMD_EXEC    /* CMD -> supervisor, before each exec it tries:
                          value = the try's index (jail_exec_candidate);
                          CMD's pid comes in the message's credentials
                          (SO_PASSCRED), put there by the kernel */
};
struct jail_msg {
  uint32_t type;
  int32_t value;
  char text[PT_ERR_WIRE_MAX];
};

/* ---- jail_msg.c: a message with fds (SCM_RIGHTS) ---- */
#define JAIL_MSG_FDS_MAX 6
/* 0, or -1 with errno (EPIPE: init is gone). */
int jail_msg_send_fds(int chan, const struct jail_msg *m, const int *fds,
                      int n);
int jail_msg_send_fd(int chan, const struct jail_msg *m, int fd);
/* One message and up to max fds (*n of them); *bad: fds were cut short or
 * beyond max (closed). -1: no whole message (the peer is gone). */
int jail_msg_recv_fds(int chan, struct jail_msg *m, int *fds, int max,
                      int *n, bool *bad);

/* ---- jail_late.c: struct jail_late from the supervisor to init ---- */
/* Supervisor: JAIL_MSG_LATE with l in a memfd. EPIPE (init gone) is not
 * an error: the loop collects init's report. */
int jail_late_send(int chan, const struct jail_late *l, pt_err **err);
/* init: maps the memfd (left mapped) and points *out into it. 0 or
 * -errno. */
int jail_late_map(int fd, struct jail_late *out);

/* ---- CPUs (jail_cpus.c) ----
 * init kept off the supervisor's CPU from its clone until it starts CMD,
 * which gets the caller's CPUs back. */
struct jail_cpus {
  cpu_set_t caller; /* the supervisor's affinity before the clone */
  bool valid;
};
void jail_cpus_read(struct jail_cpus *c);                  /* before clone */
void jail_cpus_spread(const struct jail_cpus *c, pid_t init); /* after it */
void jail_cpus_restore(const struct jail_cpus *c);         /* init, at CMD */

/* init's main (jail_init.c). Never returns. */
struct jail_init_args {
  const struct jail_spec *spec;
  const struct jail_filter *filter;
  struct jail_cgroup *cg;
  const char *newroot;
  int chan, out_w, err_w;
  /* CMD may run in init's memory until its exec: the supervisor reads
   * nothing of CMD before its exec (filter->launch_exempt), or may read
   * a non-dumpable init's memory (CAP_SYS_PTRACE where it was made). */
  bool cmd_shares_memory;
  uint64_t launch_key; /* the run's (see "CMD's launch" above) */
  const struct jail_cpus *cpus;
};
__attribute__((noreturn)) void jail_init_main(const struct jail_init_args *a);

#endif
