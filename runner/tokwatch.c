/* See tokwatch.h. */
#define _GNU_SOURCE
#include "tokwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pt_util.h"

#define TOKWATCH_MAX 64

struct watched {
  char *file;
  int fd;           /* O_PATH, on the armed inode */
  struct stat base; /* after arming */
  int wd;           /* inotify mode */
  bool reported;
};

struct pt_tokwatch {
  int dirfd;
  int ino_fd; /* -1 in atime mode */
  struct watched w[TOKWATCH_MAX];
  size_t n;
};

static int64_t ts_ns(const struct timespec *t) {
  return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static bool ts_eq(const struct timespec *a, const struct timespec *b) {
  return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* The file under dir, as an O_PATH fd, resolved without following any
 * symlink and never above dir: HOME is the sample's to change between
 * phases, and the supervisor (maybe root) must not be led to set times on
 * or read a host file by a planted ~/.aws -> /etc. */
static int open_beneath(int dirfd, const char *file) {
  struct open_how how = {.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
                         .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                    RESOLVE_NO_MAGICLINKS};
  return (int)syscall(SYS_openat2, dirfd, file, &how, sizeof(how));
}

static void proc_fd_path(char *buf, size_t len, int fd) {
  snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* atime := mtime, so that relatime updates it at the next read (it does
 * when atime is not newer than mtime); then the baseline. A file that was
 * written once and never read looks exactly like this. */
static int arm_one(struct watched *f) {
  struct stat st;
  if (fstat(f->fd, &st) < 0)
    return -1;
  /* A HOME we wrote has atime == mtime already (one fstat, not two, for
   * each of ~30 files on the path of every run's start). */
  if (ts_eq(&st.st_atim, &st.st_mtim)) {
    f->base = st;
    return 0;
  }
  char path[64];
  proc_fd_path(path, sizeof(path), f->fd);
  struct timespec ts[2] = {st.st_mtim, {.tv_nsec = UTIME_OMIT}};
  if (utimensat(AT_FDCWD, path, ts, 0) < 0)
    return -1;
  return fstat(f->fd, &f->base);
}

/* Does a read move atime here, in nanoseconds? One read of one of the
 * files themselves says, whatever the mount options or the file system;
 * the file is armed again afterwards. */
static bool atime_works(struct watched *f) {
  char path[64];
  proc_fd_path(path, sizeof(path), f->fd);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char c;
  ssize_t r = read(fd, &c, 1);
  close(fd);
  struct stat st;
  if (r < 0 || fstat(f->fd, &st) < 0)
    return false;
  /* Whole-second timestamps would let a read and a utimensat that puts
   * atime back fall in the ctime's second, unseen. */
  bool fine = st.st_atim.tv_nsec != 0 || f->base.st_ctim.tv_nsec != 0;
  return !ts_eq(&st.st_atim, &f->base.st_atim) && fine && arm_one(f) == 0;
}

static int start_inotify(pt_tokwatch *w, pt_err **err) {
  w->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->ino_fd < 0)
    return pt_err_make(err, errno, "inotify_init1");
  for (size_t i = 0; i < w->n; i++) {
    /* inotify takes a path: the armed inode's, through /proc/self/fd. */
    char path[64];
    proc_fd_path(path, sizeof(path), w->w[i].fd);
    w->w[i].wd = inotify_add_watch(w->ino_fd, path, IN_OPEN | IN_ONESHOT);
    if (w->w[i].wd < 0)
      return pt_err_make(err, errno, "inotify_add_watch `%s`", w->w[i].file);
  }
  return 0;
}

pt_tokwatch *pt_tokwatch_arm(int dirfd, char *const *files, size_t n,
                             pt_err **err) {
  pt_tokwatch *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    pt_err_make(err, ENOMEM, "token-file watch");
    return NULL;
  }
  w->ino_fd = -1;
  w->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
  if (w->dirfd < 0) {
    pt_err_make(err, errno, "token-file watch: dup");
    goto fail;
  }
  for (size_t i = 0; i < n && w->n < TOKWATCH_MAX; i++) {
    struct watched *f = &w->w[w->n];
    f->file = strdup(files[i]);
    if (f->file == NULL) {
      pt_err_make(err, ENOMEM, "token-file watch");
      goto fail;
    }
    f->fd = open_beneath(w->dirfd, f->file);
    if (f->fd < 0 || arm_one(f) < 0 || !S_ISREG(f->base.st_mode)) {
      /* A file the profile did not write (or the sample replaced by
       * something else): nothing to watch. */
      if (f->fd >= 0)
        close(f->fd);
      free(f->file);
      f->file = NULL;
      continue;
    }
    w->n++;
  }
  if (w->n > 0 && !atime_works(&w->w[0]) && start_inotify(w, err) < 0)
    goto fail;
  return w;
fail:
  pt_tokwatch_free(w);
  return NULL;
}

const char *pt_tokwatch_mode(const pt_tokwatch *w) {
  return w->ino_fd >= 0 ? "inotify" : "atime";
}

int pt_tokwatch_fd(const pt_tokwatch *w) { return w->ino_fd; }

void pt_tokwatch_poll(pt_tokwatch *w, pt_tokwatch_cb cb, void *ctx) {
  if (w->ino_fd < 0)
    return;
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  ssize_t n;
  while ((n = read(w->ino_fd, buf, sizeof(buf))) > 0)
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *ie = (struct inotify_event *)p;
      for (size_t i = 0; i < w->n; i++)
        if (w->w[i].wd == ie->wd && (ie->mask & IN_OPEN) &&
            !w->w[i].reported) {
          w->w[i].reported = true;
          cb(ctx, w->w[i].file, "inotify", 0);
        }
      p += sizeof(*ie) + ie->len;
    }
}

void pt_tokwatch_finish(pt_tokwatch *w, pt_tokwatch_cb cb, void *ctx) {
  if (w->ino_fd >= 0) {
    pt_tokwatch_poll(w, cb, ctx);
    /* Removing the watches now lets the kernel destroy them in the
     * background; close() would wait for that. */
    for (size_t i = 0; i < w->n; i++)
      if (w->w[i].wd >= 0)
        (void)inotify_rm_watch(w->ino_fd, w->w[i].wd);
    return;
  }
  for (size_t i = 0; i < w->n; i++) {
    struct watched *f = &w->w[i];
    if (f->reported)
      continue;
    /* The armed inode first: a read shows there even if the file was
     * then deleted or replaced. */
    struct stat st, now;
    if (fstat(f->fd, &st) < 0)
      st = (struct stat){0};
    if (!ts_eq(&st.st_atim, &f->base.st_atim) && st.st_atim.tv_sec != 0) {
      f->reported = true;
      cb(ctx, f->file, "atime", ts_ns(&st.st_atim));
      continue;
    }
    int cur = open_beneath(w->dirfd, f->file);
    bool same = cur >= 0 && fstat(cur, &now) == 0 &&
                now.st_ino == f->base.st_ino && now.st_dev == f->base.st_dev;
    if (cur >= 0)
      close(cur);
    if (!same || !ts_eq(&st.st_ctim, &f->base.st_ctim)) {
      f->reported = true;
      cb(ctx, f->file, "changed", same ? ts_ns(&st.st_ctim) : 0);
    }
  }
}

void pt_tokwatch_free(pt_tokwatch *w) {
  if (w == NULL)
    return;
  for (size_t i = 0; i < w->n; i++) {
    free(w->w[i].file);
    close(w->w[i].fd);
  }
  if (w->ino_fd >= 0)
    close(w->ino_fd);
  if (w->dirfd >= 0)
    close(w->dirfd);
  free(w);
}
