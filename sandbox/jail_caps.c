/* Dropping every capability (libcap) and applying rlimits, in init. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>

bool jail_caps_may_read_any_memory(void) {
  cap_t c = cap_get_proc();
  cap_flag_value_t v = CAP_CLEAR;
  if (c != NULL) {
    (void)cap_get_flag(c, CAP_SYS_PTRACE, CAP_EFFECTIVE, &v);
    cap_free(c);
  }
  return v == CAP_SET;
}

int jail_caps_drop_all(pt_err **err) {
  /* Lock the securebits first (needs CAP_SETPCAP, which we still have):
   * even a uid 0 inside could then never regain capabilities by exec. */
  unsigned bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
                  SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
                  SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
                  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
  if (cap_set_secbits(bits) < 0)
    return pt_err_make(err, errno, "set securebits");
  /* The bounding set limits what any later exec could ever gain. */
  cap_value_t max = cap_max_bits();
  for (cap_value_t c = 0; c < max; c++)
    if (cap_drop_bound(c) < 0 && errno != EINVAL)
      return pt_err_make(err, errno, "drop bounding capability %d", c);
  if (cap_reset_ambient() < 0)
    return pt_err_make(err, errno, "clear ambient capabilities");
  cap_t none = cap_init(); /* all three sets empty */
  if (none == NULL)
    return pt_err_make(err, errno, "cap_init");
  int rc = cap_set_proc(none);
  int e = errno;
  cap_free(none);
  if (rc < 0)
    return pt_err_make(err, e, "drop capabilities");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return pt_err_make(err, errno, "no_new_privs");
  return 0;
}

/* Lowers a limit (CAP_SYS_RESOURCE is absent here: limits can be lowered,
 * never raised, so a wanted value above the current hard limit is
 * clamped to it). */
static int lower(int res, rlim_t want, const char *name, pt_err **err) {
  struct rlimit cur;
  if (getrlimit(res, &cur) < 0)
    return pt_err_make(err, errno, "getrlimit %s", name);
  if (cur.rlim_max != RLIM_INFINITY && want > cur.rlim_max)
    want = cur.rlim_max;
  struct rlimit nl = {want, want};
  if (setrlimit(res, &nl) < 0)
    return pt_err_make(err, errno, "setrlimit %s", name);
  return 0;
}

int jail_rlimits_apply(const struct jail_limits *l,
                       const struct jail_limits_applied *applied,
                       pt_err **err) {
  if (lower(RLIMIT_CORE, 0, "core", err) < 0)
    return -1;
  if (l->nofile && lower(RLIMIT_NOFILE, l->nofile, "nofile", err) < 0)
    return -1;
  if (l->fsize_bytes && lower(RLIMIT_FSIZE, l->fsize_bytes, "fsize", err) < 0)
    return -1;
  /* Fallbacks where no cgroup could take the limit. RLIMIT_DATA rather
   * than RLIMIT_AS: V8 and the JVM reserve large PROT_NONE ranges that
   * RLIMIT_AS would refuse, while RLIMIT_DATA counts what is writable. */
  if (!applied->memory_cgroup && l->memory_bytes &&
      lower(RLIMIT_DATA, l->memory_bytes, "data", err) < 0)
    return -1;
  /* RLIMIT_NPROC counts the jail uid's processes in its user namespace
   * (per-userns ucounts), so it bounds a fork bomb without cgroups. */
  if (!applied->pids_cgroup && l->pids &&
      lower(RLIMIT_NPROC, l->pids, "nproc", err) < 0)
    return -1;
  return 0;
}
