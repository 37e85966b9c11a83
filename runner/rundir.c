#define _GNU_SOURCE
#include "rundir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pt_util.h"

/* /dev/shm if it is a tmpfs where we may make a directory. */
static bool shm_usable(void) {
  struct statfs sf;
  return statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
         access("/dev/shm", W_OK | X_OK) == 0;
}

int pt_rundir_create(struct pt_rundir *d, bool bare, pt_err **err) {
  const char *tmp = getenv("TMPDIR");
  if (tmp == NULL || *tmp == '\0')
    tmp = "/tmp";
  d->home[0] = '\0';
  bool made = false;
  if (bare && shm_usable()) {
    snprintf(d->path, sizeof(d->path), "/dev/shm/pkgtrap-XXXXXX");
    made = mkdtemp(d->path) != NULL; /* else (full, a policy): TMPDIR */
  }
  if (!made) {
    snprintf(d->path, sizeof(d->path), "%s/pkgtrap-XXXXXX", tmp);
    if (mkdtemp(d->path) == NULL)
      return pt_err_make(err, errno, "create run directory in `%s`", tmp);
  }
  /* 0711: the jail's user (another uid when we are root) must traverse to
   * its HOME and root mount point, but may list nothing. */
  if (chmod(d->path, 0711) < 0)
    return pt_err_make(err, errno, "chmod `%s`", d->path);
  if (bare)
    return 0;
  snprintf(d->home, sizeof(d->home), "%s/home", d->path);
  if (mkdir(d->home, 0700) < 0)
    return pt_err_make(err, errno, "mkdir `%s`", d->home);
  return 0;
}

static uid_t ct_uid;
static gid_t ct_gid;
static int chown_entry(const char *p, const struct stat *st, int type,
                       struct FTW *f) {
  (void)st;
  (void)type;
  (void)f;
  return lchown(p, ct_uid, ct_gid) < 0 ? -1 : 0;
}

int pt_chown_tree(const char *path, uid_t uid, gid_t gid, pt_err **err) {
  if (geteuid() != 0)
    return 0; /* rootless: everything is already ours, and so the jail's */
  ct_uid = uid;
  ct_gid = gid;
  if (nftw(path, chown_entry, 32, FTW_PHYS | FTW_MOUNT) < 0)
    return pt_err_make(err, errno, "chown `%s`", path);
  return 0;
}

int pt_rundir_remove(struct pt_rundir *d, pt_err **err) {
  if (d->path[0] == '\0')
    return 0;
  int rc = pt_rmtree(d->path, err);
  d->path[0] = '\0';
  return rc;
}
