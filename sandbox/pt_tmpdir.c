/* See pt_tmpdir.h. */
#define _GNU_SOURCE
#include "pt_tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pt_util.h"

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

/* Our directories <parent>/<prefix>XXXXXX whose lock is free: their
 * maker is gone. Best effort; one without a lock file is never touched. */
static void sweep_stale(const char *parent, const char *prefix,
                        const char *self) {
  DIR *dp = opendir(parent);
  if (dp == NULL)
    return;
  size_t pl = strlen(prefix);
  struct dirent *e;
  while ((e = readdir(dp)) != NULL) {
    char path[4200], lock[4300];
    if (strncmp(e->d_name, prefix, pl) != 0 || strlen(e->d_name) != pl + 6)
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

int pt_tmpdir_make(const char *parent, const char *prefix, char *out,
                   size_t cap, pt_err **err) {
  if (parent == NULL) {
    parent = getenv("TMPDIR");
    if (parent == NULL || *parent == '\0')
      parent = "/tmp";
  }
  if ((size_t)snprintf(out, cap, "%s/%sXXXXXX", parent, prefix) >= cap) {
    out[0] = '\0';
    return pt_err_make(err, ENAMETOOLONG, "directory in `%s`", parent);
  }
  if (mkdtemp(out) == NULL)
    return pt_err_make(err, errno, "create `%s`", out);
  int fd = lock_dir(out);
  if (fd < 0) {
    pt_err_make(err, errno, "lock `%s`", out);
    pt_rmtree(out, NULL);
    return -1;
  }
  sweep_stale(parent, prefix, out);
  return fd;
}

void pt_tmpdir_remove(const char *path, int lock_fd) {
  if (path && *path)
    pt_rmtree(path, NULL);
  if (lock_fd >= 0)
    close(lock_fd);
}
