/* The jail: runs one command in new user/mount/pid/net/uts/ipc/cgroup
 * namespaces on a fresh tmpfs root, with capabilities dropped,
 * no_new_privs, resource limits and a seccomp filter whose user-notification
 * listener is owned by the supervisor (the calling process).
 *
 * It knows nothing about packages: the caller says what to run, what to
 * mount and which syscalls it wants to hear about (jail_notify_rule), and
 * gets called back for every notification (jail_hooks).
 *
 * Process layout while a jail runs:
 *
 *   supervisor (caller, host namespaces) --- event loop: notifications,
 *     |                                      output pipes, timeout, hooks
 *     +-- init (pid 1 of the jail): builds the root, drops privileges,
 *           |   installs the filter, then only reaps
 *           +-- CMD (and everything it starts)
 *
 * When init exits the kernel kills every process left in the jail's pid
 * namespace; the timeout kills init. Nothing outlives jail_finish(),
 * which jail_run() leaves to its caller (init may still be exiting),
 * but with jail_spec.detach_exiting_init the end of init's own exit, in
 * the kernel, after every other process and every group is gone. */
#ifndef JAIL_H
#define JAIL_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "pt_err.h"
#include "pt_loop.h"
#include "pt_util.h"

enum jail_mount_kind {
  JAIL_BIND_RO, /* host src bound read-only at dst */
  JAIL_BIND_RW, /* host src bound read-write at dst */
  JAIL_TMPFS,   /* fresh tmpfs at dst, size tmpfs_size */
};

struct jail_mount {
  const char *src; /* host path (ignored for JAIL_TMPFS) */
  const char *dst; /* path inside the jail */
  enum jail_mount_kind kind;
  bool optional; /* a missing src is skipped instead of an error */
  uint64_t tmpfs_size;
};

struct jail_limits {
  uint64_t memory_bytes; /* cgroup memory limit; RLIMIT_DATA as fallback */
  uint32_t pids;         /* cgroup pids limit; RLIMIT_NPROC as fallback */
  uint32_t cpu_percent;  /* 100 = one core; 0 = no cpu limit */
  uint64_t tmp_bytes;    /* size of /tmp and /dev/shm tmpfs */
  uint64_t fsize_bytes;  /* RLIMIT_FSIZE: largest file a process may write */
  uint32_t nofile;       /* RLIMIT_NOFILE (lowered only) */
  uint64_t timeout_ms;   /* wall clock for the whole tree; 0 = none */
  uint64_t output_cap;   /* bytes of stdout and of stderr passed through */
  size_t capture_cap;    /* bytes of each stream kept for the caller */
};

/* Fills limits with the defaults documented in README (Limits). */
void jail_limits_default(struct jail_limits *l);

struct jail_identity {
  const char *user;     /* user name inside (passwd entry) */
  const char *hostname; /* uts hostname */
  const char *home;     /* HOME path inside, e.g. /home/<user> */
  uid_t uid;            /* uid and gid inside the jail (never 0) */
  gid_t gid;
};

/* A syscall the supervisor wants to hear about. Up to two argument
 * conditions (all must hold) are checked in BPF so uninteresting calls never
 * stop. Arg ops follow libseccomp's scmp_compare. */
struct jail_arg_cond {
  unsigned arg;  /* 0..5 */
  int op;        /* enum scmp_compare; 0 = unused slot */
  uint64_t a, b; /* SCMP_A*(op, a, b) */
};
struct jail_notify_rule {
  const char *syscall; /* name as libseccomp knows it */
  struct jail_arg_cond cond[2];
};

struct jail;

/* The enforcing policy (JSON, see profiles/seccomp.json) and the notify
 * rules, compiled to BPF once: libseccomp's compile costs ~0.5 ms, which a
 * caller may spend before it needs the jail, and share across runs.
 * Read-only once made. */
struct jail_filter;
struct jail_filter *jail_filter_new(const char *policy_path,
                                    const struct jail_notify_rule *rules,
                                    size_t n_rules, pt_err **err);
void jail_filter_free(struct jail_filter *f);

/* The same, compiled when pkgtrap is built (the generated source that
 * jail_filter_write_image() writes defines one): a copy of the image's
 * filter if the file at policy_path holds exactly the bytes it was made
 * from and rules are the ones it was made with (jail_rules_digest), else
 * NULL (unreadable file included): then compile with jail_filter_new,
 * which reports any error. Saves libseccomp's ~0.4 ms. */
struct jail_filter_image;
struct jail_filter *jail_filter_from_image(const struct jail_filter_image *img,
                                           const char *policy_path,
                                           const struct jail_notify_rule *rules,
                                           size_t n_rules);
/* C source defining `const struct jail_filter_image <symbol>` for f, which
 * was compiled from policy_path and rules (the build's generator). */
int jail_filter_write_image(const struct jail_filter *f,
                            const char *policy_path,
                            const struct jail_notify_rule *rules,
                            size_t n_rules, const char *symbol, FILE *out,
                            pt_err **err);
/* A digest of the rules (names and conditions), which the image keeps. */
uint64_t jail_rules_digest(const struct jail_notify_rule *rules, size_t n);

/* What the caller may still be computing when init is cloned
 * (jail_hooks.late): handed to init in one message once ready, while init
 * builds what needs none of it (its network, the host's binds, /proc,
 * /dev). Copied: the caller may free it once the hook returned. */
struct jail_late {
  const char *user, *hostname, *home; /* jail_identity's strings */
  char *const *envp;                  /* CMD's whole environment */
};

struct jail_hooks {
  /* Called once init is cloned and started, first of all hooks: fills
   * *out (see struct jail_late). A run's start-up then overlaps the
   * caller's work (its honeytokens, say) with init's. Optional: without
   * it, init gets spec->id's strings, spec->envp and no home data. -1
   * fails the run. */
  int (*late)(void *ctx, struct jail *j, struct jail_late *out,
              pt_err **err);
  /* Called once init is building the jail's root and the run's groups are
   * made: the caller's own work for the run, which needs nothing of the
   * jail, done here while init works on another CPU. -1 fails the run.
   * Optional. */
  int (*on_building)(void *ctx, struct jail *j, pt_err **err);
  /* Called once init exists, while it builds the jail's root: work CMD
   * needs but init does not (filling the HOME, see jail_home_fd()) runs
   * here in parallel with it. With a tmpfs HOME that init hands over
   * before on_building is done (the usual case), on_spawn runs on a
   * thread of its own, side by side with the run's groups being made and
   * with on_building: the two must not write what the other reads. It is
   * over before on_start. Optional. */
  int (*on_spawn)(void *ctx, struct jail *j, pt_err **err);
  /* Called once, before CMD is started: right after on_spawn with a tmpfs
   * HOME (init is still building the root then), else once init has
   * joined its groups; at the latest when it hands over the listener.
   * The jail's network exists: register fds with jail_loop(), open
   * sockets with jail_socket(). */
  int (*on_start)(void *ctx, struct jail *j, pt_err **err);
  /* Called for every notification. resp comes prefilled: CONTINUE, or an
   * EPERM refusal when refused is true (the enforcing policy's decision,
   * taken on the syscall number alone; the hook must not turn a refusal
   * into CONTINUE). The hook may refuse more (set resp->error and clear
   * resp->flags). Return quickly: the calling thread is stopped. */
  void (*on_notify)(void *ctx, struct jail *j, const struct seccomp_notif *req,
                    struct seccomp_notif_resp *resp, bool refused);
  /* Called when CMD is about to try an exec (once per file it tries
   * along PATH): CMD's launch, init's clone of it and its exec, stops
   * nowhere (the filter lets exactly those calls through: see "CMD's
   * launch" in jail_internal.h), so this stands for the exec's
   * notification. pid: CMD's, in the caller's pid namespace, from the
   * kernel; path: the file, absolute (a relative one joined to CMD's
   * working directory); argv: spec->argv. CMD may have exec'ed or even
   * exited meanwhile; nothing of its own stops before the call. Optional
   * (the launch then goes unrecorded). */
  void (*on_cmd_exec)(void *ctx, struct jail *j, pid_t pid, const char *path,
                      char *const *argv);
  /* Called right after each notification's answer is sent: recording
   * that the answer need not wait for (the caller runs meanwhile).
   * Optional. */
  void (*on_answered)(void *ctx, struct jail *j);
  /* Called when the last process of the jail is gone, before the result
   * is returned. */
  void (*on_exit)(void *ctx, struct jail *j);
};

struct jail_spec {
  char *const *argv; /* argv[0] is looked up on the jail's PATH */
  char *const *envp; /* the complete environment (nothing is inherited) */
  const char *cwd;   /* inside the jail; default: the home */
  struct jail_identity id; /* its strings: see jail_hooks.late */
  uid_t host_uid; /* host ids the jail's uid/gid map to: see */
  gid_t host_gid; /* jail_pick_host_ids() */
  const char *home_src; /* host dir bound read-write at id.home, or: */
  /* with home_src NULL, HOME is a fresh tmpfs of this size, private to the
   * jail and gone with it (no disk I/O, a cap on what a sample writes
   * there, and the pages count against the jail's memory cgroup). Hooks
   * reach it through jail_home_fd() from on_spawn on. */
  uint64_t home_tmpfs_bytes;
  const struct jail_mount *mounts;
  size_t n_mounts;
  /* Host paths exposed read-only at the same path (toolchain, a few /etc
   * files). NULL-terminated. Missing ones are skipped. */
  const char *const *host_ro;
  /* The seccomp filter: a compiled one (jail_filter_new), shared by as
   * many runs as like, or else the policy file and rules to compile it
   * from for this run alone. */
  const struct jail_filter *filter;
  const char *seccomp_policy; /* JSON file, see profiles/seccomp.json */
  const struct jail_notify_rule *notify;
  size_t n_notify;
  struct jail_limits limits;
  int out_fd, err_fd; /* pass-through targets for CMD's stdout/stderr, -1 = drop */
  const char *state_dir; /* host dir private to this run (mount point) */
  const struct jail_hooks *hooks;
  void *hooks_ctx;
  /* init makes this many sockets of each kind (TCP and UDP, IPv4 and
   * IPv6) in the jail's network namespace before it locks itself down;
   * jail_socket() hands them out first, so the first sockets a hook needs
   * cost no broker process (a fork and two setns: ~1 ms). At most
   * JAIL_SOCKET_POOL_MAX. */
  unsigned socket_pool;
  /* Seconds added to the boot time CMD and its descendants see
   * (/proc/uptime, sysinfo(2), CLOCK_BOOTTIME) through a time namespace
   * (Linux 5.6; skipped where there is none): "up for 4 minutes" is how
   * evasive samples tell a freshly started analysis VM from a
   * workstation. CLOCK_MONOTONIC is left alone (the recorder compares
   * sleep deadlines with its own). 0: none. */
  uint64_t uptime_offset_s;
  /* For a caller that exits right after jail_finish (`pkgtrap run`):
   * once init has said the jail is empty and left the run's groups, the
   * groups and the root's mount point are removed at once and init's own
   * exit is not waited for. What is left of it is the kernel's teardown
   * of the jail's namespaces (0.2 to 2 ms here, an RCU grace period
   * above all), no code of the jail's; the system's reaper reaps it, as
   * it reaps bwrap's pid 1. false: jail_finish reaps init. */
  bool detach_exiting_init;
};
#define JAIL_SOCKET_POOL_MAX 4

enum jail_outcome {
  JAIL_EXITED,      /* CMD exited: exit_code */
  JAIL_SIGNALED,    /* CMD killed by signal: term_signal */
  JAIL_TIMED_OUT,   /* the timeout killed the tree */
  JAIL_EXEC_FAILED, /* CMD could not be executed: exec_errno */
  JAIL_SETUP_FAILED /* the jail could not be built: see the error */
};

/* Which limit mechanisms were actually applied. */
struct jail_limits_applied {
  const char *cgroup; /* "v2", "v1" or "none" */
  bool memory_cgroup, pids_cgroup, cpu_cgroup;
  bool memory_rlimit, pids_rlimit;
};

struct jail_result {
  enum jail_outcome outcome;
  int exit_code;
  int term_signal;
  int exec_errno;
  /* Read from the groups just before they go, so set once jail_finish
   * (or a failed jail_run) returns. */
  bool oom_killed;
  uint64_t forks_refused; /* by the pids cgroup (0 under the rlimit) */
  uint64_t wall_ns;
  pid_t init_pid; /* host pid of the jail's init */
  pt_buf out, err; /* captured output, capped at limits.capture_cap */
  uint64_t out_total, err_total; /* bytes CMD wrote to each stream */
  bool out_truncated, err_truncated; /* pass-through hit output_cap */
  struct jail_limits_applied applied;
  char setup_error[PT_ERR_WIRE_MAX]; /* init's message on JAIL_SETUP_FAILED */
  struct jail_rest *rest; /* what jail_finish has left to do, or NULL */
};

/* Runs the jail until every process in it is gone, init included or
 * exiting. -1 with *err when the supervisor itself failed (the jail is
 * torn down). A failure inside the jail (mount, exec, ...) is a result,
 * not an error: see result->outcome.
 *
 * On success the end of init's exit (the teardown of the jail's mounts,
 * ~0.2 ms) may still be going on, on another CPU: the caller does its own
 * teardown meanwhile and then calls jail_finish. */
int jail_run(const struct jail_spec *spec, struct jail_result *result,
             pt_err **err);
/* Waits until init is gone (or, with spec->detach_exiting_init, only
 * exiting, out of every group) and the run's groups and the root's mount
 * point (in spec->state_dir: before that is removed) are removed, which
 * a thread of jail_run's does from the run's end on, while the caller
 * tears its own part down. After it nothing of the run is left, that
 * thread included. Done once; jail_result_free calls it. */
void jail_finish(struct jail_result *r);
void jail_result_free(struct jail_result *r);

/* The status timeout(1) would give: CMD's code, 128+N for a signal, 124
 * timeout, 126 not executable, 127 not found, 125 setup failure. */
int jail_result_status(const struct jail_result *r);

/* Host ids for a run: as root a random high id (never 0, never an
 * account's), rootless the caller's own. The caller chowns the HOME and
 * writable dirs it binds to them. */
void jail_pick_host_ids(uid_t *uid, gid_t *gid);

/* The memory of the caller's argv strings (argv[0] to the end of the
 * last), which init overwrites with "init": init is a clone of the
 * supervisor, and the jail can read /proc/1/cmdline (a sandbox
 * fingerprint, and the host paths in it are none of its business). */
void jail_set_title_area(char *start, size_t len);

/* For hooks. */
pt_loop *jail_loop(struct jail *j);
pid_t jail_init_pid(struct jail *j);
int jail_notify_fd(struct jail *j);
/* The jail's HOME directory (home_src or the tmpfs), open in the
 * supervisor from on_spawn until jail_run returns; -1 without one. The fd
 * outlives the jail's mount namespace, so hooks can still read the HOME in
 * on_exit, except a tmpfs HOME's with spec->detach_exiting_init, closed
 * when the run ends, before on_exit. Owned by the jail: do not close. */
int jail_home_fd(struct jail *j);
/* A socket created inside the jail's network namespace (for the fake
 * network). Works rootless too: see jail_netns.c. */
int jail_socket(struct jail *j, int domain, int type, int protocol,
                pt_err **err);
/* Ask the loop to stop waiting and kill the jail (e.g. a fatal hook error).*/
void jail_abort(struct jail *j, const char *why);

#endif
