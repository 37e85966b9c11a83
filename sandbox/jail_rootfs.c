/* The jail's root filesystem, built in init inside its new mount namespace:
 * a fresh tmpfs holding read-only binds of the host toolchain, fresh /proc,
 * a minimal /dev, size-capped /tmp and /dev/shm, generated /etc files, the
 * HOME the caller prepared and the caller's extra mounts; then
 * pivot_root(".", ".") and the old root detached, so nothing else of the
 * host stays reachable. Paths are built relative to the new root's fd
 * (cwd), never through symlinks planted in it. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Strip leading slashes: every path below is relative to the new root. */
static const char *rel(const char *p) {
  while (*p == '/')
    p++;
  return *p ? p : ".";
}

static int mkparent(const char *relpath, pt_err **err) {
  char buf[4096];
  if (strlen(relpath) >= sizeof(buf))
    return pt_err_make(err, ENAMETOOLONG, "path `%.60s...`", relpath);
  strcpy(buf, relpath);
  char *slash = strrchr(buf, '/');
  if (slash == NULL)
    return 0;
  *slash = '\0';
  return pt_mkdir_p_at(AT_FDCWD, buf, 0755, err);
}

/* mount_setattr(2) has worked once: binds into /etc can then wait for
 * jail_rootfs_finish to make all of /etc read-only at once, unless the
 * caller mounts something there too (which keeps its own flags). */
static bool setattr_works, etc_ro_at_once;

/* Remount a bind mount adding flags (read-only, nosuid, ...) while keeping
 * those the kernel locked on the source mount (nosuid, nodev, noexec,
 * atime): in a user namespace a bind remount that tries to clear a locked
 * flag fails with EPERM. */
static int remount_bind(const char *path, unsigned long add, bool recursive,
                        const char *what, pt_err **err) {
  /* mount_setattr(2) (Linux 5.12) sets the flags asked for and leaves the
   * others alone: no statvfs to learn the locked ones first (~30 binds per
   * jail). recursive: the host's mounts below a bind too (a writable one
   * under /usr stays read-only in the jail), which the remount of older
   * kernels below cannot do. */
  static const struct {
    unsigned long ms;
    uint64_t attr;
  } attrs[] = {{MS_RDONLY, MOUNT_ATTR_RDONLY}, {MS_NOSUID, MOUNT_ATTR_NOSUID},
               {MS_NODEV, MOUNT_ATTR_NODEV},   {MS_NOEXEC, MOUNT_ATTR_NOEXEC}};
  struct mount_attr ma = {0};
  unsigned long known = 0;
  for (size_t i = 0; i < PT_ARRAY_LEN(attrs); i++) {
    known |= attrs[i].ms;
    if (add & attrs[i].ms)
      ma.attr_set |= attrs[i].attr;
  }
  if ((add & ~known) == 0 &&
      syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0,
              &ma, sizeof(ma)) == 0) {
    setattr_works = true;
    return 0;
  }
  struct statvfs sv;
  if (statvfs(path, &sv) < 0)
    return pt_err_make(err, errno, "statvfs `%s`", path);
  static const struct {
    unsigned long st, ms;
  } keep[] = {{ST_NOSUID, MS_NOSUID},     {ST_NODEV, MS_NODEV},
              {ST_NOEXEC, MS_NOEXEC},     {ST_NOATIME, MS_NOATIME},
              {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME}};
  unsigned long fl = MS_REMOUNT | MS_BIND | add;
  for (size_t i = 0; i < PT_ARRAY_LEN(keep); i++)
    if (sv.f_flag & keep[i].st)
      fl |= keep[i].ms;
  if (mount(NULL, path, NULL, fl, NULL) < 0)
    return pt_err_make(err, errno, "remount `%s` %s", path, what);
  return 0;
}

static int remount_ro(const char *path, unsigned long extra, bool recursive,
                      pt_err **err) {
  return remount_bind(path, MS_RDONLY | extra, recursive, "read-only", err);
}

static int bind_one(const char *src, const char *dst_rel, bool ro,
                    bool optional, pt_err **err) {
  struct stat st;
  if (lstat(src, &st) < 0) {
    if (optional && errno == ENOENT)
      return 0;
    return pt_err_make(err, errno, "bind source `%s`", src);
  }
  /* The host's /etc files go straight into the /etc tmpfs (made first),
   * ~20 of them: no parent to make, and made read-only all at once, with
   * /etc, by jail_rootfs_finish (one recursive mount_setattr instead of
   * one each; nothing runs in the jail before). */
  bool in_etc = strncmp(dst_rel, "etc/", 4) == 0 &&
                strchr(dst_rel + 4, '/') == NULL;
  if (!in_etc && mkparent(dst_rel, err) < 0)
    return -1;
  if (S_ISLNK(st.st_mode)) {
    /* usrmerge (/bin -> usr/bin) and /etc/alternatives-style links are
     * recreated as links, so the jail sees the host's layout. */
    char target[4096];
    ssize_t n = readlink(src, target, sizeof(target) - 1);
    if (n < 0)
      return pt_err_make(err, errno, "readlink `%s`", src);
    target[n] = '\0';
    if (symlink(target, dst_rel) < 0 && errno != EEXIST)
      return pt_err_make(err, errno, "symlink `%s`", dst_rel);
    return 0;
  }
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(dst_rel, 0755) < 0 && errno != EEXIST)
      return pt_err_make(err, errno, "mkdir `%s`", dst_rel);
  } else {
    int fd = open(dst_rel, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    struct stat have;
    /* A file of an earlier read-only bind may be bound over (the CA bundle
     * of TLS interception, over /etc/ssl's): it cannot be opened for
     * writing, and need not be. Only a regular file, never a link (that
     * would resolve against the host's root here). */
    if (fd < 0 && (errno == EACCES || errno == EROFS) &&
        lstat(dst_rel, &have) == 0 && S_ISREG(have.st_mode))
      fd = open(dst_rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      return pt_err_make(err, errno, "create mount point `%s`", dst_rel);
    close(fd);
  }
  if (mount(src, dst_rel, NULL, MS_BIND | MS_REC, NULL) < 0)
    return pt_err_make(err, errno, "bind `%s`", src);
  if (ro && in_etc && setattr_works && etc_ro_at_once)
    return 0;
  if (ro)
    return remount_ro(dst_rel, MS_NOSUID, true, err);
  /* Writable binds still lose setuid and device semantics. */
  return remount_bind(dst_rel, MS_NOSUID | MS_NODEV, true, "nosuid", err);
}

static int tmpfs_at(const char *dst_rel, const char *mode, uint64_t size,
                    unsigned long flags, pt_err **err) {
  if (pt_mkdir_p_at(AT_FDCWD, dst_rel, 0755, err) < 0)
    return -1;
  char opts[128];
  snprintf(opts, sizeof(opts), "mode=%s,size=%llu", mode,
           (unsigned long long)size);
  if (mount("tmpfs", dst_rel, "tmpfs", flags | MS_NOSUID | MS_NODEV, opts) <
      0)
    return pt_err_make(err, errno, "mount tmpfs on `%s`", dst_rel);
  return 0;
}

static int build_dev(const struct jail_spec *spec, pt_err **err) {
  if (tmpfs_at("dev", "0755", 256 * 1024, MS_NOEXEC, err) < 0)
    return -1;
  /* mknod is impossible in a user namespace: bind the host's nodes, as
   * bubblewrap does. tty is harmless: without a controlling terminal an
   * open of /dev/tty fails with ENXIO. */
  static const char *nodes[] = {"null", "zero", "full", "random", "urandom",
                                "tty"};
  for (size_t i = 0; i < PT_ARRAY_LEN(nodes); i++) {
    char src[64], dst[64];
    snprintf(src, sizeof(src), "/dev/%s", nodes[i]);
    snprintf(dst, sizeof(dst), "dev/%s", nodes[i]);
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0)
      return pt_err_make(err, errno, "create `%s`", dst);
    close(fd);
    if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
      return pt_err_make(err, errno, "bind `%s`", src);
  }
  if (mkdir("dev/pts", 0755) < 0)
    return pt_err_make(err, errno, "mkdir dev/pts");
  if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
            "newinstance,ptmxmode=0666,mode=620") < 0)
    return pt_err_make(err, errno, "mount devpts");
  if (symlink("pts/ptmx", "dev/ptmx") < 0)
    return pt_err_make(err, errno, "symlink dev/ptmx");
  if (tmpfs_at("dev/shm", "1777", spec->limits.tmp_bytes, 0, err) < 0)
    return -1;
  static const char *links[][2] = {{"/proc/self/fd", "dev/fd"},
                                   {"/proc/self/fd/0", "dev/stdin"},
                                   {"/proc/self/fd/1", "dev/stdout"},
                                   {"/proc/self/fd/2", "dev/stderr"}};
  for (size_t i = 0; i < PT_ARRAY_LEN(links); i++)
    if (symlink(links[i][0], links[i][1]) < 0)
      return pt_err_make(err, errno, "symlink `%s`", links[i][1]);
  return 0;
}

/* The in-memory HOME, made detached (fsopen(2), Linux 5.2) by
 * jail_rootfs_base, right after the root's own tmpfs (so that the mount
 * table still lists / first), and attached at its path by
 * jail_rootfs_enter once the late spec names it. The supervisor fills it
 * meanwhile (~0.25 ms of files, then the recorder's start), instead of
 * once the root is built around it: init's is the longer path of a
 * run's start. Made by us, the jail's user: the jail's user owns it.
 * Returns an fd of its root, or -1: none to make, or an older kernel, and
 * jail_rootfs_enter mounts it in place as before. */
static int home_mnt = -1;

static int home_early(const struct jail_spec *spec) {
  if (spec->home_src || !spec->home_tmpfs_bytes)
    return -1;
  int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0)
    return -1;
  char size[32];
  snprintf(size, sizeof(size), "%llu",
           (unsigned long long)spec->home_tmpfs_bytes);
  int hfd = -1;
  if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) == 0 &&
      fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0700", 0) == 0 &&
      fsconfig(fs, FSCONFIG_SET_STRING, "size", size, 0) == 0 &&
      fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
    home_mnt = fsmount(fs, FSMOUNT_CLOEXEC,
                       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
  close(fs);
  if (home_mnt >= 0) {
    hfd = openat(home_mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (hfd < 0) {
      close(home_mnt);
      home_mnt = -1;
    }
  }
  return hfd;
}

int jail_rootfs_base(const struct jail_spec *spec, const char *newroot,
                     void (*home_ready)(int fd), pt_err **err) {
  /* Nothing we mount may propagate back to the host. */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return pt_err_make(err, errno, "make / private");
  if (mount("tmpfs", newroot, "tmpfs", MS_NOSUID | MS_NODEV,
            "mode=0755,size=4194304") < 0)
    return pt_err_make(err, errno, "mount root tmpfs");
  if (chdir(newroot) < 0)
    return pt_err_make(err, errno, "chdir new root");
  int hfd = home_early(spec);
  if (hfd >= 0)
    home_ready(hfd);

  etc_ro_at_once = true;
  for (size_t i = 0; i < spec->n_mounts; i++) {
    const char *d = rel(spec->mounts[i].dst);
    if (strcmp(d, "etc") == 0 || strncmp(d, "etc/", 4) == 0)
      etc_ro_at_once = false;
  }
  /* /etc is a tmpfs of its own: host files are bound into it one by one
   * and the generated ones written after pivot_root; then read-only. */
  if (tmpfs_at("etc", "0755", 1024 * 1024, 0, err) < 0)
    return -1;
  for (const char *const *p = spec->host_ro; p && *p; p++)
    if (bind_one(*p, rel(*p), true, true, err) < 0)
      return -1;

  if (mkdir("proc", 0555) < 0)
    return pt_err_make(err, errno, "mkdir proc");
  /* A fresh proc for the jail's pid namespace: host processes invisible. */
  if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) <
      0)
    return pt_err_make(err, errno, "mount proc");
  if (build_dev(spec, err) < 0)
    return -1;
  if (tmpfs_at("tmp", "1777", spec->limits.tmp_bytes, 0, err) < 0)
    return -1;
  if (pt_mkdir_p_at(AT_FDCWD, "var", 0755, err) < 0)
    return -1;
  if (symlink("/tmp", "var/tmp") < 0)
    return pt_err_make(err, errno, "symlink var/tmp");
  return 0;
}

int jail_rootfs_enter(const struct jail_spec *spec,
                      const struct jail_late *late,
                      void (*home_ready)(int fd), pt_err **err) {
  const char *home = late->home && *late->home ? late->home : NULL;
  if (home_mnt >= 0 && home) {
    if (pt_mkdir_p_at(AT_FDCWD, rel(home), 0755, err) < 0)
      return -1;
    if (move_mount(home_mnt, "", AT_FDCWD, rel(home),
                   MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return pt_err_make(err, errno, "mount HOME on `%s`", home);
    close(home_mnt);
    home_mnt = -1;
  } else if (!spec->home_src && spec->home_tmpfs_bytes && home) {
    /* Mounted by us, the jail's user: the jail's user owns it. */
    if (tmpfs_at(rel(home), "0700", spec->home_tmpfs_bytes, 0, err) < 0)
      return -1;
    int hfd = open(rel(home), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (hfd < 0)
      return pt_err_make(err, errno, "open `%s`", home);
    home_ready(hfd);
  }
  if (spec->home_src && home) {
    if (bind_one(spec->home_src, rel(home), false, false, err) < 0)
      return -1;
  }
  /* After HOME: a mount may lie below it. */
  for (size_t i = 0; i < spec->n_mounts; i++) {
    const struct jail_mount *m = &spec->mounts[i];
    if (m->kind == JAIL_TMPFS) {
      if (tmpfs_at(rel(m->dst), "0755", m->tmpfs_size, 0, err) < 0)
        return -1;
      continue;
    }
    if (bind_one(m->src, rel(m->dst), m->kind == JAIL_BIND_RO, m->optional,
                 err) < 0)
      return -1;
  }

  /* pivot_root(".", ".") stacks the old root on top of the new one; the
   * detach then removes it, leaving no path back to the host. */
  if (syscall(SYS_pivot_root, ".", ".") < 0)
    return pt_err_make(err, errno, "pivot_root");
  if (umount2(".", MNT_DETACH) < 0)
    return pt_err_make(err, errno, "detach old root");
  if (chdir("/") < 0)
    return pt_err_make(err, errno, "chdir /");
  return 0;
}

static int write_etc(const char *name, const char *content, pt_err **err) {
  char path[64];
  snprintf(path, sizeof(path), "/etc/%s", name);
  if (access(path, F_OK) == 0)
    return 0; /* the caller bound the host's own */
  return pt_write_file_at(AT_FDCWD, path, content, strlen(content), 0644, err);
}

int jail_rootfs_finish(const struct jail_spec *spec,
                       const struct jail_late *late, pt_err **err) {
  const struct jail_identity *id = &spec->id;
  const char *user = late->user, *host = late->hostname, *home = late->home;
  char buf[2048];
  snprintf(buf, sizeof(buf),
           "root:x:0:0:root:/root:/bin/bash\n"
           "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
           "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
           "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
           "%s:x:%u:%u:%s,,,:%s:/bin/bash\n",
           user, (unsigned)id->uid, (unsigned)id->gid, user, home);
  if (write_etc("passwd", buf, err) < 0)
    return -1;
  snprintf(buf, sizeof(buf),
           "root:x:0:\nadm:x:4:%s\nsudo:x:27:%s\nusers:x:100:\n"
           "nogroup:x:65534:\n%s:x:%u:\n",
           user, user, user, (unsigned)id->gid);
  if (write_etc("group", buf, err) < 0)
    return -1;
  snprintf(buf, sizeof(buf), "%s\n", host);
  if (write_etc("hostname", buf, err) < 0)
    return -1;
  snprintf(buf, sizeof(buf),
           "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost "
           "ip6-localhost ip6-loopback\n",
           host);
  if (write_etc("hosts", buf, err) < 0)
    return -1;
  /* Any address reaches the fake resolver (AnyIP); pick one that looks
   * like a home router rather than a well-known sandbox value. */
  uint32_t r = pt_random_u32();
  snprintf(buf, sizeof(buf), "nameserver 192.168.%u.1\noptions edns0\n",
           (r % 200) + 1);
  if (write_etc("resolv.conf", buf, err) < 0)
    return -1;
  /* /etc with the host's files bound into it (their own read-only
   * remount was left for this when mount_setattr works: bind_one). */
  if (remount_ro("/etc", MS_NOSUID | MS_NODEV,
                 setattr_works && etc_ro_at_once, err) < 0)
    return -1;
  /* Not recursive: the mounts on / (HOME, /tmp, ...) keep their own. */
  if (remount_ro("/", MS_NOSUID | MS_NODEV, false, err) < 0)
    return -1;
  return 0;
}
