/* The enforcing seccomp policy: read from JSON (profiles/seccomp.json),
 * compiled with libseccomp together with the recorder's notify rules.
 *
 * Why refusals go through the supervisor instead of SECCOMP_RET_ERRNO:
 * the kernel runs every filter and keeps the highest-precedence action,
 * and ERRNO outranks USER_NOTIF, so a refused call would never be seen.
 * A refused attempt is evidence, so it must be recorded; the filter stops
 * it (USER_NOTIF) and the supervisor answers EPERM, deciding on the syscall
 * number and register arguments only (the kernel's copy, no TOCTOU). If the
 * supervisor is gone the kernel answers ENOSYS: refused all the same. */
#define _GNU_SOURCE
#include "jail_internal.h"
#include "pt_json.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct flag_name {
  const char *name;
  uint64_t value;
};

static const struct flag_name clone_flag_names[] = {
    {"CLONE_NEWNS", CLONE_NEWNS},         {"CLONE_NEWUSER", CLONE_NEWUSER},
    {"CLONE_NEWPID", CLONE_NEWPID},       {"CLONE_NEWNET", CLONE_NEWNET},
    {"CLONE_NEWUTS", CLONE_NEWUTS},       {"CLONE_NEWIPC", CLONE_NEWIPC},
    {"CLONE_NEWCGROUP", CLONE_NEWCGROUP}, {"CLONE_NEWTIME", CLONE_NEWTIME},
};

/* Open flags a process may be refused, e.g. O_NOATIME: the one way to
 * read a file without moving its atime, which a caller may watch. */
static const struct flag_name open_flag_names[] = {
    {"O_NOATIME", O_NOATIME},
};

static const struct {
  const char *name;
  unsigned long value;
} ioctl_names[] = {
    {"TIOCSTI", TIOCSTI},
    {"TIOCLINUX", TIOCLINUX},
};

static int syscall_nr(const char *name, const char *path, pt_err **err) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR)
    return pt_err_make(err, 0, "%s: unknown syscall `%s`", path, name);
  return nr;
}

static int str_array(json_t *root, const char *key, const char *path,
                     json_t **out, pt_err **err) {
  json_t *a = json_object_get(root, key);
  if (a == NULL) {
    *out = NULL;
    return 0;
  }
  if (!json_is_array(a))
    return pt_err_make(err, 0, "%s: `%s` must be an array of strings", path,
                       key);
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) {
    if (!json_is_string(v))
      return pt_err_make(err, 0, "%s: `%s` must be an array of strings", path,
                         key);
  }
  *out = a;
  return 0;
}

/* root[key], an array of flag names from names[], ORed into *mask. */
static int flag_mask(json_t *root, const char *key, const struct flag_name *names,
                     size_t n_names, const char *what, const char *path,
                     uint64_t *mask, pt_err **err) {
  json_t *a, *v;
  size_t i;
  if (str_array(root, key, path, &a, err) < 0)
    return -1;
  json_array_foreach(a, i, v) {
    size_t k;
    for (k = 0; k < n_names; k++)
      if (strcmp(names[k].name, json_string_value(v)) == 0)
        break;
    if (k == n_names)
      return pt_err_make(err, 0, "%s: unknown %s `%s`", path, what,
                         json_string_value(v));
    *mask |= names[k].value;
  }
  return 0;
}

int jail_policy_load(const char *path, struct jail_policy *p, pt_err **err) {
  memset(p, 0, sizeof(*p));
  p->bad_arch_action = SCMP_ACT_ERRNO(EPERM);
  json_t *root = pt_json_load_path(path, err);
  if (root == NULL)
    return pt_err_wrap(err, "seccomp policy");
  int rc = -1;
  json_t *a;
  size_t i;
  json_t *v;

  if (str_array(root, "refuse", path, &a, err) < 0)
    goto out;
  json_array_foreach(a, i, v) {
    int nr = seccomp_syscall_resolve_name(json_string_value(v));
    if (nr == __NR_SCMP_ERROR)
      continue; /* not on this architecture/kernel: nothing to refuse */
    if (p->n_refuse == JAIL_POLICY_MAX) {
      pt_err_make(err, 0, "%s: too many refused syscalls", path);
      goto out;
    }
    p->refuse[p->n_refuse++] = nr;
  }
  if (flag_mask(root, "refuse_clone_flags", clone_flag_names,
                PT_ARRAY_LEN(clone_flag_names), "clone flag", path,
                &p->clone_flags, err) < 0 ||
      flag_mask(root, "refuse_open_flags", open_flag_names,
                PT_ARRAY_LEN(open_flag_names), "open flag", path,
                &p->open_flags, err) < 0)
    goto out;
  if (str_array(root, "refuse_ioctls", path, &a, err) < 0)
    goto out;
  json_array_foreach(a, i, v) {
    size_t k;
    for (k = 0; k < PT_ARRAY_LEN(ioctl_names); k++)
      if (strcmp(ioctl_names[k].name, json_string_value(v)) == 0)
        break;
    if (k == PT_ARRAY_LEN(ioctl_names) || p->n_ioctls == PT_ARRAY_LEN(p->ioctls)) {
      pt_err_make(err, 0, "%s: unknown ioctl `%s`", path, json_string_value(v));
      goto out;
    }
    p->ioctls[p->n_ioctls++] = ioctl_names[k].value;
  }
  if (str_array(root, "enosys", path, &a, err) < 0)
    goto out;
  json_array_foreach(a, i, v) {
    int nr = syscall_nr(json_string_value(v), path, err);
    if (nr < 0)
      goto out;
    if (p->n_enosys == PT_ARRAY_LEN(p->enosys)) {
      pt_err_make(err, 0, "%s: too many enosys entries", path);
      goto out;
    }
    p->enosys[p->n_enosys++] = nr;
  }
  json_t *pt = json_object_get(root, "ptrace");
  if (pt != NULL) {
    if (!json_is_string(pt) ||
        (strcmp(json_string_value(pt), "own-children") != 0 &&
         strcmp(json_string_value(pt), "allow") != 0)) {
      pt_err_make(err, 0, "%s: `ptrace` must be \"own-children\" or \"allow\"",
                  path);
      goto out;
    }
    p->ptrace_own_children = strcmp(json_string_value(pt), "own-children") == 0;
  }
  json_t *ba = json_object_get(root, "bad_arch");
  if (ba != NULL) {
    const char *s = json_is_string(ba) ? json_string_value(ba) : "";
    if (strcmp(s, "EPERM") == 0)
      p->bad_arch_action = SCMP_ACT_ERRNO(EPERM);
    else if (strcmp(s, "kill") == 0)
      p->bad_arch_action = SCMP_ACT_KILL_PROCESS;
    else {
      pt_err_make(err, 0, "%s: `bad_arch` must be \"EPERM\" or \"kill\"", path);
      goto out;
    }
  }
  rc = 0;
out:
  json_decref(root);
  return rc;
}

static bool is_refused_nr(const struct jail_policy *p, int nr) {
  for (size_t i = 0; i < p->n_refuse; i++)
    if (p->refuse[i] == nr)
      return true;
  return false;
}

bool jail_policy_refuses(const struct jail_policy *p,
                         const struct seccomp_notif *req) {
  int nr = req->data.nr;
  if (is_refused_nr(p, nr))
    return true;
  if (nr == __NR_clone && (req->data.args[0] & p->clone_flags) != 0)
    return true;
  if (p->open_flags &&
      ((nr == __NR_open && (req->data.args[1] & p->open_flags)) ||
       (nr == __NR_openat && (req->data.args[2] & p->open_flags)) ||
       (nr == __NR_fcntl && (req->data.args[1] & 0xffffffffu) == F_SETFL &&
        (req->data.args[2] & p->open_flags))))
    return true;
  if (nr == __NR_ioctl)
    for (size_t i = 0; i < p->n_ioctls; i++)
      if ((req->data.args[1] & 0xffffffffu) == p->ioctls[i])
        return true;
  /* ptrace: own children only. /proc/<target>/status is read by the
   * supervisor; a pid is the kernel's copy of the argument, so the only
   * race is pid reuse, which needs the target to die first. */
  if (nr == __NR_ptrace && p->ptrace_own_children) {
    long rq = (long)req->data.args[0];
    if (rq == PTRACE_ATTACH || rq == PTRACE_SEIZE) {
      /* The target pid is in the caller's pid namespace: resolve it in
       * the jail's own /proc, reached through the caller's root. */
      char path[96], buf[4096];
      FILE *f;
      size_t n;
      snprintf(path, sizeof(path), "/proc/%u/root/proc/%d/status",
               req->pid, (int)req->data.args[1]);
      f = fopen(path, "re");
      if (f == NULL)
        return true;
      n = fread(buf, 1, sizeof(buf) - 1, f);
      fclose(f);
      buf[n] = '\0';
      const char *pp = strstr(buf, "\nPPid:");
      if (pp == NULL)
        return true;
      int ppid = atoi(pp + 6);
      /* The caller's own pid inside the jail. */
      snprintf(path, sizeof(path), "/proc/%u/status", req->pid);
      f = fopen(path, "re");
      if (f == NULL)
        return true;
      n = fread(buf, 1, sizeof(buf) - 1, f);
      fclose(f);
      buf[n] = '\0';
      const char *ns = strstr(buf, "\nNSpid:");
      const char *tg = strstr(buf, "\nNStgid:");
      const char *use = tg ? tg + 8 : (ns ? ns + 7 : NULL);
      if (use == NULL)
        return true;
      /* NStgid lists the tgid in each namespace, outermost first; the
       * last is the jail's. */
      const char *eol = strchr(use, '\n');
      const char *last = use;
      for (const char *c = use; *c && (eol == NULL || c < eol); c++)
        if (*c == '\t' || *c == ' ')
          last = c + 1;
      return atoi(last) != ppid;
    }
  }
  return false;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
                    const struct jail_arg_cond *cond, unsigned n_cond,
                    pt_err **err) {
  struct scmp_arg_cmp cmp[3] = {{0}};
  if (n_cond > PT_ARRAY_LEN(cmp))
    return pt_err_make(err, EINVAL, "seccomp rule for syscall %d", nr);
  unsigned n = 0;
  for (unsigned i = 0; i < n_cond; i++) {
    if (cond[i].op == 0)
      continue;
    cmp[n++] = (struct scmp_arg_cmp){.arg = cond[i].arg,
                                     .op = (enum scmp_compare)cond[i].op,
                                     .datum_a = cond[i].a,
                                     .datum_b = cond[i].b};
  }
  int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
  if (rc < 0 && rc != -EEXIST)
    return pt_err_make(err, -rc, "seccomp rule for syscall %d", nr);
  return 0;
}

/* The policy's refusals and the caller's notify rules in one libseccomp
 * context (every rule NOTIFY: see the top of this file). */
static scmp_filter_ctx build_ctx(const struct jail_policy *p,
                                 const struct jail_notify_rule *rules,
                                 size_t n_rules, pt_err **err) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) {
    pt_err_make(err, ENOMEM, "seccomp_init");
    return NULL;
  }
  /* A binary tree of syscall numbers, not libseccomp's default list: the
   * kernel runs the filter for every syscall number when it is attached
   * (seccomp_cache_prepare finds those it may always allow) and at each
   * call of the rest, each walk now ~log2 of the list: attaching it went
   * from ~0.23 to ~0.12 ms. runc does the same; libseccomp < 2.5.4 got an
   * empty tree wrong (its issue #370), which ours never is. */
  if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
    pt_err_make(err, EINVAL, "seccomp binary-tree optimisation");
    goto fail;
  }
  if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, p->bad_arch_action) < 0) {
    pt_err_make(err, EINVAL, "seccomp bad-arch action");
    goto fail;
  }
  for (size_t i = 0; i < p->n_refuse; i++)
    if (add_rule(ctx, SCMP_ACT_NOTIFY, p->refuse[i], NULL, 0, err) < 0)
      goto fail;
  for (size_t i = 0; i < p->n_enosys; i++)
    if (add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), p->enosys[i], NULL, 0, err) < 0)
      goto fail;
  /* clone: one rule per refused flag, since BPF can test "these bits all
   * set" (masked equality) but not "any of them". */
  for (size_t k = 0; k < PT_ARRAY_LEN(clone_flag_names); k++) {
    if (!(p->clone_flags & clone_flag_names[k].value))
      continue;
    struct jail_arg_cond c = {0, SCMP_CMP_MASKED_EQ, clone_flag_names[k].value,
                              clone_flag_names[k].value};
    if (add_rule(ctx, SCMP_ACT_NOTIFY, __NR_clone, &c, 1, err) < 0)
      goto fail;
  }
  for (size_t k = 0; k < PT_ARRAY_LEN(open_flag_names); k++) {
    uint64_t f = open_flag_names[k].value;
    if (!(p->open_flags & f))
      continue;
    struct jail_arg_cond o1 = {1, SCMP_CMP_MASKED_EQ, f, f};
    struct jail_arg_cond o2 = {2, SCMP_CMP_MASKED_EQ, f, f};
    struct jail_arg_cond fc[2] = {{1, SCMP_CMP_MASKED_EQ, 0xffffffffu, F_SETFL},
                                  {2, SCMP_CMP_MASKED_EQ, f, f}};
    if (add_rule(ctx, SCMP_ACT_NOTIFY, __NR_open, &o1, 1, err) < 0 ||
        add_rule(ctx, SCMP_ACT_NOTIFY, __NR_openat, &o2, 1, err) < 0 ||
        add_rule(ctx, SCMP_ACT_NOTIFY, __NR_fcntl, fc, 2, err) < 0)
      goto fail;
  }
  for (size_t k = 0; k < p->n_ioctls; k++) {
    struct jail_arg_cond c = {1, SCMP_CMP_MASKED_EQ, 0xffffffffu, p->ioctls[k]};
    if (add_rule(ctx, SCMP_ACT_NOTIFY, __NR_ioctl, &c, 1, err) < 0)
      goto fail;
  }
  if (p->ptrace_own_children) {
    struct jail_arg_cond a = {0, SCMP_CMP_EQ, PTRACE_ATTACH, 0};
    struct jail_arg_cond s = {0, SCMP_CMP_EQ, PTRACE_SEIZE, 0};
    if (add_rule(ctx, SCMP_ACT_NOTIFY, __NR_ptrace, &a, 1, err) < 0 ||
        add_rule(ctx, SCMP_ACT_NOTIFY, __NR_ptrace, &s, 1, err) < 0)
      goto fail;
  }
  for (size_t i = 0; i < n_rules; i++) {
    int nr = seccomp_syscall_resolve_name(rules[i].syscall);
    if (nr == __NR_SCMP_ERROR)
      continue;
    if (is_refused_nr(p, nr))
      continue; /* already stops, unconditionally */
    bool enosys = false;
    for (size_t k = 0; k < p->n_enosys; k++)
      enosys |= p->enosys[k] == nr;
    if (enosys)
      continue; /* never runs */
    /* CMD's launch goes through with the run's key (jail_internal.h). */
    struct jail_arg_cond c[3] = {rules[i].cond[0], rules[i].cond[1], {0}};
    int key_arg = -1;
    if (nr == __NR_execve)
      key_arg = JAIL_EXECVE_KEY_ARG;
#ifdef JAIL_CLONE_KEY_ARG
    if (nr == __NR_clone)
      key_arg = JAIL_CLONE_KEY_ARG;
#endif
    if (key_arg >= 0)
      c[2] = (struct jail_arg_cond){(unsigned)key_arg, SCMP_CMP_NE,
                                    JAIL_LAUNCH_KEY_PLACEHOLDER, 0};
    if (add_rule(ctx, SCMP_ACT_NOTIFY, nr, c, 3, err) < 0)
      goto fail;
  }
  return ctx;
fail:
  seccomp_release(ctx);
  return NULL;
}

/* libseccomp 2.5 exports BPF only to an fd (seccomp_export_bpf_mem came
 * in 2.6): a memfd, read back. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *out,
                      pt_err **err) {
  int fd = memfd_create("pkgtrap-bpf", MFD_CLOEXEC);
  if (fd < 0)
    return pt_err_make(err, errno, "memfd for the seccomp filter");
  int rc = seccomp_export_bpf(ctx, fd);
  struct stat st;
  if (rc < 0) {
    pt_err_make(err, -rc, "seccomp_export_bpf");
    goto out;
  }
  rc = -1;
  if (fstat(fd, &st) < 0) {
    pt_err_make(err, errno, "seccomp filter size");
    goto out;
  }
  size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
  if (n == 0 || n > BPF_MAXINSNS ||
      (size_t)st.st_size % sizeof(struct sock_filter) != 0) {
    pt_err_make(err, EINVAL, "seccomp filter of %lld bytes",
                (long long)st.st_size);
    goto out;
  }
  struct sock_filter *insns = malloc((size_t)st.st_size);
  if (insns == NULL) {
    pt_err_make(err, ENOMEM, "seccomp filter");
    goto out;
  }
  if (pread(fd, insns, (size_t)st.st_size, 0) != st.st_size) {
    pt_err_make(err, errno ? errno : EIO, "read the seccomp filter back");
    free(insns);
    goto out;
  }
  out->filter = insns;
  out->len = (unsigned short)n;
  rc = 0;
out:
  close(fd);
  return rc;
}

struct jail_filter *jail_filter_new(const char *policy_path,
                                    const struct jail_notify_rule *rules,
                                    size_t n_rules, pt_err **err) {
  struct jail_filter *f = calloc(1, sizeof(*f));
  if (f == NULL) {
    pt_err_make(err, ENOMEM, "seccomp filter");
    return NULL;
  }
  if (jail_policy_load(policy_path, &f->policy, err) < 0)
    goto fail;
  scmp_filter_ctx ctx = build_ctx(&f->policy, rules, n_rules, err);
  if (ctx == NULL)
    goto fail;
  int rc = export_bpf(ctx, &f->prog, err);
  seccomp_release(ctx);
  if (rc < 0)
    goto fail;
  jail_launch_key_slots(f);
  return f;
fail:
  free(f);
  return NULL;
}

void jail_filter_free(struct jail_filter *f) {
  if (f == NULL)
    return;
  free(f->prog.filter);
  free(f);
}

static bool key_compare(const struct sock_filter *s) {
  return BPF_CLASS(s->code) == BPF_JMP && BPF_SRC(s->code) == BPF_K &&
         (s->k == (uint32_t)JAIL_LAUNCH_KEY_PLACEHOLDER ||
          s->k == (uint32_t)(JAIL_LAUNCH_KEY_PLACEHOLDER >> 32));
}

void jail_launch_key_slots(struct jail_filter *f) {
  unsigned lo = 0, hi = 0;
  f->n_key = 0;
  f->launch_exempt = false;
  for (unsigned i = 0; i < f->prog.len; i++) {
    const struct sock_filter *s = &f->prog.filter[i];
    if (!key_compare(s))
      continue;
    if (f->n_key == JAIL_LAUNCH_SLOTS_MAX)
      return; /* not whole: every launch stops, as any exec */
    f->key_at[f->n_key++] = (unsigned short)i;
    if (s->k == (uint32_t)JAIL_LAUNCH_KEY_PLACEHOLDER)
      lo++;
    else
      hi++;
  }
  /* execve's pair, and clone's where the arch has its key argument. */
  f->launch_exempt = lo == hi && lo >= 1;
}

int jail_filter_install(const struct jail_filter *f, uint64_t key,
                        pt_err **err) {
  /* What seccomp_load does for a context with notify rules (and the
   * default SCMP_FLTATR_CTL_NNP): no_new_privs, then the filter with a
   * listener. The placeholder's compares get the run's key; every one,
   * whole or not, so the placeholder (public, in this source) lets
   * nothing through. The copy is init's own (malloc'd, ~3 KB). */
  struct sock_filter *insns = malloc(f->prog.len * sizeof(*insns));
  if (insns == NULL)
    return pt_err_make(err, ENOMEM, "seccomp filter");
  memcpy(insns, f->prog.filter, f->prog.len * sizeof(*insns));
  for (unsigned i = 0; i < f->prog.len; i++) {
    if (!key_compare(&insns[i]))
      continue;
    insns[i].k = insns[i].k == (uint32_t)JAIL_LAUNCH_KEY_PLACEHOLDER
                     ? (uint32_t)key
                     : (uint32_t)(key >> 32);
  }
  struct sock_fprog prog = {.len = f->prog.len, .filter = insns};
  int fd = -1;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    pt_err_make(err, errno, "no_new_privs");
  else if ((fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                              SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog)) < 0)
    pt_err_make(err, errno, "load the seccomp filter");
  free(insns);
  return fd;
}
