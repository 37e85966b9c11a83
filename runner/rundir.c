#define _GNU_SOURCE
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
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

/* <dir>/.lock, locked before it appears (an O_TMPFILE linked in after the
 * flock): a sweeper never sees it unlocked while we live. */
static int lock_dir(const char *dir) {
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  char proc[64], lock[4200];
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
  snprintf(lock, sizeof(lock), "%s/.lock", dir);
  if (flock(fd, LOCK_EX) < 0 ||
      linkat(AT_FDCWD, proc, AT_FDCWD, lock, AT_SYMLINK_FOLLOW) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Our bare run directories in parent whose lock is free: their run is
 * gone. Best effort; one without a lock file is never touched. */
static void sweep_stale(const char *parent, const char *self) {
  DIR *dp = opendir(parent);
  if (dp == NULL)
    return;
  struct dirent *e;
  while ((e = readdir(dp)) != NULL) {
    char path[4200], lock[4300];
    if (strncmp(e->d_name, "pkgtrap-", 8) != 0 || strlen(e->d_name) != 14)
      continue;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", parent, e->d_name) >=
        sizeof(path))
      continue; /* cannot be ours: we make ours under a shorter parent */
    struct stat st;
    if (strcmp(path, self) == 0 || lstat(path, &st) < 0 ||
        !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
      continue;
    (void)snprintf(lock, sizeof(lock), "%s/.lock", path); /* fits: 4300 */
    int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      pt_rmtree(path, NULL);
    close(fd);
  }
  closedir(dp);
}

int pt_rundir_create(struct pt_rundir *d, bool bare, pt_err **err) {
  const char *tmp = getenv("TMPDIR");
  if (tmp == NULL || *tmp == '\0')
    tmp = "/tmp";
  d->home[0] = '\0';
  d->lock_fd = 0;
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
  if (bare) {
    int fd = lock_dir(d->path);
    if (fd < 0)
      return pt_err_make(err, errno, "lock `%s`", d->path);
    d->lock_fd = fd + 1;
    char parent[4096];
    snprintf(parent, sizeof(parent), "%s", d->path);
    *strrchr(parent, '/') = '\0';
    sweep_stale(parent, d->path);
    return 0;
  }
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
  /* A bare directory holds its lock file and, until the jail removed it,
   * the root's mount point: two calls instead of pt_rmtree's two walks
   * (~0.1 ms at the end of every run). Anything else left there (the
   * removal failed: not empty) goes the long way. */
  char lock[4200];
  bool quick = d->lock_fd > 0 &&
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
