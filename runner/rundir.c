#define _GNU_SOURCE
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pt_tmpdir.h"
#include "pt_util.h"

/* /dev/shm if it is a tmpfs where we may make a directory. */
static bool shm_usable(void) {
  struct statfs sf;
  return statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
         access("/dev/shm", W_OK | X_OK) == 0;
}

int pt_rundir_create(struct pt_rundir *d, bool bare, pt_err **err) {
  d->home[0] = '\0';
  d->lock_fd = 0;
  int fd = -1;
  if (bare && shm_usable()) {
    pt_err *e = NULL; /* else (full, a policy): TMPDIR */
    fd = pt_tmpdir_make("/dev/shm", "pkgtrap-", d->path, sizeof(d->path), &e);
    pt_err_free(e);
  }
  if (fd < 0 &&
      (fd = pt_tmpdir_make(NULL, "pkgtrap-", d->path, sizeof(d->path), err)) <
          0) {
    d->path[0] = '\0';
    return pt_err_wrap(err, "run directory");
  }
  d->lock_fd = fd + 1;
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

void pt_rundir_keep(struct pt_rundir *d) {
  char lock[4200];
  if (d->lock_fd > 0 &&
      (size_t)snprintf(lock, sizeof(lock), "%s/.lock", d->path) < sizeof(lock))
    unlink(lock);
  if (d->lock_fd > 0)
    close(d->lock_fd - 1);
  d->lock_fd = 0;
}

int pt_rundir_remove(struct pt_rundir *d, pt_err **err) {
  if (d->path[0] == '\0')
    return 0;
  /* A bare directory holds its lock file and, until the jail removed it,
   * the root's mount point: two calls instead of pt_rmtree's two walks
   * (~0.1 ms at the end of every run). Anything else left there (the
   * removal failed: not empty) goes the long way. */
  char lock[4200];
  bool quick = d->lock_fd > 0 && d->home[0] == '\0' &&
               (size_t)snprintf(lock, sizeof(lock), "%s/.lock", d->path) <
                   sizeof(lock) &&
               unlink(lock) == 0 && rmdir(d->path) == 0;
  int rc = quick ? 0 : pt_rmtree(d->path, err);
  d->path[0] = '\0';
  if (d->lock_fd > 0)
    close(d->lock_fd - 1);
  d->lock_fd = 0;
  return rc;
}
