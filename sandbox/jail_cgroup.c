/* Memory, pids and CPU limits through cgroups, detected at run time:
 * v2 where its controllers are available to us, else the v1 hierarchies
 * (these machines are hybrid: v1 controllers, an empty v2), else none and
 * the rlimit fallbacks apply. Each run gets its own group, removed after.
 *
 * Order (jail.c, jail_init.c): the supervisor clones init first and makes
 * the groups (prepare, then attach for v2) while init sets up its network
 * and root filesystem; init then joins its v1 groups itself, with fds the
 * supervisor sends it (JAIL_MSG_CGROUP), before anything untrusted runs. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static int write_str(const char *dir, const char *file, const char *val) {
  char path[800];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = pt_write_all(fd, val, strlen(val));
  close(fd);
  return rc;
}

static bool read_small(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0)
    return false;
  buf[n] = '\0';
  return true;
}

static bool has_word(const char *list, const char *word) {
  size_t wl = strlen(word);
  for (const char *p = list; (p = strstr(p, word)) != NULL; p += wl) {
    bool start = p == list || p[-1] == ' ' || p[-1] == '\n';
    bool end = p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n';
    if (start && end)
      return true;
  }
  return false;
}

/* Our own cgroup v2 path from /proc/self/cgroup ("0::/path"). */
static bool own_v2_path(char *out, size_t cap) {
  char buf[4096];
  if (!read_small("/proc/self/cgroup", buf, sizeof(buf)))
    return false;
  char *p = strstr(buf, "0::");
  if (p == NULL)
    return false;
  p += 3;
  char *nl = strchr(p, '\n');
  if (nl)
    *nl = '\0';
  snprintf(out, cap, "%s", p);
  return true;
}

static unsigned run_serial;

/* A supervisor killed with SIGKILL cannot remove its groups; the next run
 * removes groups whose supervisor (run-<pid>-<n>) is gone. Part of prepare,
 * so it runs while init builds the jail. A cgroup directory's link count
 * is 2 + its child groups (kernfs), so with none (the usual case: no
 * other run at the same time, no stale group) the readdir of the parent's
 * ~30 control files is skipped. */
static void gc_stale(const char *parent) {
  struct stat st;
  if (stat(parent, &st) == 0 && st.st_nlink == 2)
    return;
  DIR *d = opendir(parent);
  if (d == NULL)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    int pid;
    unsigned n;
    if (sscanf(e->d_name, "run-%d-%u", &pid, &n) != 2 || pid <= 0)
      continue;
    if (kill(pid, 0) == 0 || errno != ESRCH)
      continue;
    char path[800];
    snprintf(path, sizeof(path), "%s/%s", parent, e->d_name);
    (void)rmdir(path); /* fails harmlessly while processes remain */
  }
  closedir(d);
}

/* v2: as root a group under <mount>/pkgtrap; rootless, a sibling group
 * under our own group's parent when it is delegated to us. Created with
 * its limits here; attach_v2 then moves init in. */
static bool prepare_v2(struct jail_cgroup *cg, const struct jail_limits *l,
                       struct jail_limits_applied *ap) {
  const char *mnt = "/sys/fs/cgroup";
  struct statfs sf;
  if (statfs(mnt, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
    return false; /* v2 is not the main hierarchy */
  char base[512], ctl[4096];
  if (geteuid() == 0) {
    snprintf(base, sizeof(base), "%s/pkgtrap", mnt);
    if (mkdir(base, 0755) < 0 && errno != EEXIST)
      return false;
    gc_stale(base);
    snprintf(ctl, sizeof(ctl), "%s/cgroup.subtree_control", mnt);
    (void)write_str(mnt, "cgroup.subtree_control", "+memory +pids +cpu");
  } else {
    char own[400];
    if (!own_v2_path(own, sizeof(own)))
      return false;
    char *slash = strrchr(own, '/');
    if (slash == NULL)
      return false;
    *slash = '\0';
    snprintf(base, sizeof(base), "%s%s", mnt, own);
  }
  (void)write_str(base, "cgroup.subtree_control", "+memory +pids +cpu");
  char path[600];
  snprintf(ctl, sizeof(ctl), "%s/cgroup.controllers", base);
  char have[512] = "";
  if (!read_small(ctl, have, sizeof(have)))
    return false;
  snprintf(path, sizeof(path), "%s/run-%d-%u", base, (int)getpid(),
           run_serial);
  if (mkdir(path, 0755) < 0)
    return false;
  snprintf(cg->path_v2, sizeof(cg->path_v2), "%s", path);
  char val[64];
  char sub[512] = "";
  snprintf(ctl, sizeof(ctl), "%s/cgroup.subtree_control", base);
  (void)read_small(ctl, sub, sizeof(sub));
  if (has_word(sub, "memory") && l->memory_bytes) {
    snprintf(val, sizeof(val), "%llu", (unsigned long long)l->memory_bytes);
    ap->memory_cgroup = write_str(path, "memory.max", val) == 0;
    (void)write_str(path, "memory.swap.max", "0");
    (void)write_str(path, "memory.oom.group", "0");
  }
  if (has_word(sub, "pids") && l->pids) {
    snprintf(val, sizeof(val), "%u", l->pids);
    ap->pids_cgroup = write_str(path, "pids.max", val) == 0;
  }
  if (has_word(sub, "cpu") && l->cpu_percent) {
    snprintf(val, sizeof(val), "%u 100000", l->cpu_percent * 1000);
    ap->cpu_cgroup = write_str(path, "cpu.max", val) == 0;
  }
  return true;
}

static void attach_v2(struct jail_cgroup *cg, pid_t pid,
                      struct jail_limits_applied *ap) {
  char val[64];
  snprintf(val, sizeof(val), "%d", (int)pid);
  if (write_str(cg->path_v2, "cgroup.procs", val) < 0) {
    rmdir(cg->path_v2);
    cg->path_v2[0] = '\0';
    ap->memory_cgroup = ap->pids_cgroup = ap->cpu_cgroup = false;
    return;
  }
  cg->version = 2;
  ap->cgroup = "v2";
}

static bool v1_group(const char *controller, char *out, size_t cap) {
  char base[256];
  snprintf(base, sizeof(base), "/sys/fs/cgroup/%s", controller);
  struct statfs sf;
  if (statfs(base, &sf) < 0)
    return false;
  char parent[300];
  snprintf(parent, sizeof(parent), "%s/pkgtrap", base);
  if (mkdir(parent, 0755) < 0 && errno != EEXIST)
    return false;
  gc_stale(parent);
  snprintf(out, cap, "%s/run-%d-%u", parent, (int)getpid(), run_serial);
  if (mkdir(out, 0755) < 0) {
    out[0] = '\0';
    return false;
  }
  return true;
}

/* Moving a process into a group (a write to cgroup.procs) write-locks
 * cgroup_threadgroup_rwsem, which waits for an RCU grace period: 5-25 ms
 * on these VMs, on the critical path of every run. A single thread moving
 * itself (`0` written to v1's `tasks`) skips that lock, so init joins by
 * itself, through fds the supervisor opened and sent it (SCM_RIGHTS: init
 * exists before the groups do): v1 checks the opener's credentials, so a
 * root-opened fd lets the jail's uid join. init is single-threaded, so
 * its thread is the whole process. */
static void open_join(struct jail_cgroup *cg, int slot, const char *path,
                      int bit) {
  char p[800];
  snprintf(p, sizeof(p), "%s/tasks", path);
  cg->join_fd[slot] = open(p, O_WRONLY | O_CLOEXEC);
  if (cg->join_fd[slot] < 0)
    return;
  cg->ready |= bit;
  /* The way out, for init once CMD has started: then no group holds init
   * and they can be removed as soon as the jail is empty, while init's
   * own exit (the teardown of its mount namespace: 0.2 to 2 ms on these
   * VMs, most of it an expedited RCU grace period) goes on. */
  snprintf(p, sizeof(p), "%s/../tasks", path);
  cg->leave_fd[slot] = open(p, O_WRONLY | O_CLOEXEC);
}

static void prepare_v1(struct jail_cgroup *cg, const struct jail_limits *l) {
  char val[64];
  if (l->memory_bytes &&
      v1_group("memory", cg->path_mem, sizeof(cg->path_mem))) {
    snprintf(val, sizeof(val), "%llu", (unsigned long long)l->memory_bytes);
    bool ok = write_str(cg->path_mem, "memory.limit_in_bytes", val) == 0;
    (void)write_str(cg->path_mem, "memory.memsw.limit_in_bytes", val);
    if (ok)
      open_join(cg, 0, cg->path_mem, JAIL_CG_MEMORY);
  }
  if (l->pids && v1_group("pids", cg->path_pids, sizeof(cg->path_pids))) {
    snprintf(val, sizeof(val), "%u", l->pids);
    if (write_str(cg->path_pids, "pids.max", val) == 0)
      open_join(cg, 1, cg->path_pids, JAIL_CG_PIDS);
  }
  if (l->cpu_percent &&
      v1_group("cpu", cg->path_cpu, sizeof(cg->path_cpu))) {
    (void)write_str(cg->path_cpu, "cpu.cfs_period_us", "100000");
    snprintf(val, sizeof(val), "%u", l->cpu_percent * 1000);
    if (write_str(cg->path_cpu, "cpu.cfs_quota_us", val) == 0)
      open_join(cg, 2, cg->path_cpu, JAIL_CG_CPU);
  }
}

/* A slot's fds (join_fd or leave_fd), closed. */
static void close_slots(int fd[3]) {
  for (int i = 0; i < 3; i++) {
    if (fd[i] >= 0)
      close(fd[i]);
    fd[i] = -1;
  }
}

void jail_cgroup_prepare(struct jail_cgroup *cg, const struct jail_limits *l,
                         struct jail_limits_applied *ap) {
  *cg = JAIL_CGROUP_NONE;
  ap->cgroup = "none";
  run_serial++;
  if (prepare_v2(cg, l, ap))
    return;
  if (cg->path_v2[0] == '\0' && geteuid() == 0)
    prepare_v1(cg, l);
}

void jail_cgroup_attach(struct jail_cgroup *cg, pid_t pid,
                        struct jail_limits_applied *ap) {
  if (cg->path_v2[0])
    attach_v2(cg, pid, ap);
}

int jail_cgroup_join_self(struct jail_cgroup *cg) {
  int joined = 0;
  for (int i = 0; i < 3; i++)
    if (cg->join_fd[i] >= 0 && write(cg->join_fd[i], "0", 1) == 1)
      joined |= JAIL_CG_SLOT_BIT(i);
  close_slots(cg->join_fd);
  return joined;
}

int jail_cgroup_leave_self(struct jail_cgroup *cg, int offered, int joined) {
  int out = offered & ~joined;
  for (int i = 0; i < 3; i++)
    if ((joined & JAIL_CG_SLOT_BIT(i)) && cg->leave_fd[i] >= 0 &&
        write(cg->leave_fd[i], "0", 1) == 1)
      out |= JAIL_CG_SLOT_BIT(i);
  close_slots(cg->leave_fd);
  return out;
}

bool jail_cgroup_holds_init(const struct jail_cgroup *cg) {
  return cg->path_v2[0] != '\0' || (cg->ready & ~cg->left) != 0;
}

int jail_cgroup_joined(struct jail_cgroup *cg, int joined,
                       struct jail_limits_applied *ap) {
  if (cg->path_v2[0] == '\0') {
    joined &= cg->ready;
    ap->memory_cgroup = (joined & JAIL_CG_MEMORY) != 0;
    ap->pids_cgroup = (joined & JAIL_CG_PIDS) != 0;
    ap->cpu_cgroup = (joined & JAIL_CG_CPU) != 0;
    if (joined) {
      cg->version = 1;
      ap->cgroup = "v1";
    }
  }
  return (ap->memory_cgroup ? JAIL_CG_MEMORY : 0) |
         (ap->pids_cgroup ? JAIL_CG_PIDS : 0) |
         (ap->cpu_cgroup ? JAIL_CG_CPU : 0);
}

/* The number after key in a flat-keyed control file (memory.events,
 * pids.events), or the file's first number when key is NULL; 0 when the
 * file or the key is missing. */
static unsigned long long counter(const char *dir, const char *file,
                                  const char *key) {
  char path[800], buf[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  if (!read_small(path, buf, sizeof(buf)))
    return 0;
  if (key == NULL)
    return strtoull(buf, NULL, 10);
  char *p = strstr(buf, key);
  return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

bool jail_cgroup_oom_killed(const struct jail_cgroup *cg) {
  if (cg->version == 2 && cg->path_v2[0])
    return counter(cg->path_v2, "memory.events", "oom_kill ") > 0;
  if (cg->version == 1 && cg->path_mem[0])
    return counter(cg->path_mem, "memory.oom_control", "oom_kill ") > 0;
  return false;
}

/* pids.events counts the forks the limit refused (v1 and v2 alike); the
 * rlimit fallback keeps no such count. */
unsigned long long jail_cgroup_forks_refused(const struct jail_cgroup *cg) {
  if (cg->version == 2 && cg->path_v2[0])
    return counter(cg->path_v2, "pids.events", "max ");
  if (cg->version == 1 && cg->path_pids[0])
    return counter(cg->path_pids, "pids.events", "max ");
  return 0;
}

static void kill_procs(const char *dir) {
  char path[800], buf[8192];
  snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
  if (!read_small(path, buf, sizeof(buf)))
    return;
  for (char *p = buf; *p;) {
    long pid = strtol(p, &p, 10);
    if (pid > 0)
      kill((pid_t)pid, SIGKILL);
    while (*p == '\n')
      p++;
  }
}

void jail_cgroup_kill(const struct jail_cgroup *cg) {
  if (cg->version == 2 && cg->path_v2[0]) {
    if (write_str(cg->path_v2, "cgroup.kill", "1") < 0)
      kill_procs(cg->path_v2);
  }
  if (cg->path_pids[0])
    kill_procs(cg->path_pids);
  if (cg->path_mem[0])
    kill_procs(cg->path_mem);
}

static void remove_dir(char *path) {
  if (path[0] == '\0')
    return;
  /* The group empties when the last process is reaped; the kernel may
   * lag a moment behind wait(), so retry briefly. */
  for (int i = 0; i < 200 && rmdir(path) < 0 && errno == EBUSY; i++)
    usleep(1000);
  path[0] = '\0';
}

void jail_cgroup_destroy(struct jail_cgroup *cg) {
  close_slots(cg->join_fd);
  close_slots(cg->leave_fd);
  remove_dir(cg->path_v2);
  remove_dir(cg->path_mem);
  remove_dir(cg->path_pids);
  remove_dir(cg->path_cpu);
}
