#define _GNU_SOURCE
#include "pt_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

int pt_write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int pt_read_file_at(int dirfd, const char *path, size_t cap, char **out,
                    size_t *len, pt_err **err) {
  cleanup_close int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return pt_err_make(err, errno, "open `%s`", path);
  size_t alloc = 4096, used = 0;
  cleanup_free char *buf = malloc(alloc + 1);
  if (buf == NULL)
    return pt_err_make(err, ENOMEM, "read `%s`", path);
  for (;;) {
    if (used == alloc) {
      if (alloc >= cap + 1)
        return pt_err_make(err, EFBIG, "read `%s` (limit %zu bytes)", path,
                           cap);
      size_t na = alloc * 2 > cap + 1 ? cap + 1 : alloc * 2;
      char *nb = realloc(buf, na + 1);
      if (nb == NULL)
        return pt_err_make(err, ENOMEM, "read `%s`", path);
      buf = nb;
      alloc = na;
    }
    ssize_t n = read(fd, buf + used, alloc - used);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return pt_err_make(err, errno, "read `%s`", path);
    }
    if (n == 0)
      break;
    used += (size_t)n;
  }
  if (used > cap)
    return pt_err_make(err, EFBIG, "read `%s` (limit %zu bytes)", path, cap);
  buf[used] = '\0';
  *out = steal_pointer(&buf);
  if (len)
    *len = used;
  return 0;
}

int pt_write_file_at(int dirfd, const char *path, const void *data, size_t len,
                     mode_t mode, pt_err **err) {
  cleanup_close int fd =
      openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
             mode);
  if (fd < 0)
    return pt_err_make(err, errno, "create `%s`", path);
  if (pt_write_all(fd, data, len) < 0)
    return pt_err_make(err, errno, "write `%s`", path);
  /* The umask may have narrowed mode; callers rely on the exact mode (an
   * SSH key must be 0600, a script 0755). */
  if (fchmod(fd, mode) < 0)
    return pt_err_make(err, errno, "chmod `%s`", path);
  return 0;
}

int pt_mkdir_p_at(int dirfd, const char *path, mode_t mode, pt_err **err) {
  char buf[4096];
  if (strlen(path) >= sizeof(buf))
    return pt_err_make(err, ENAMETOOLONG, "mkdir `%.64s...`", path);
  strcpy(buf, path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdirat(dirfd, buf, mode) < 0 && errno != EEXIST)
      return pt_err_make(err, errno, "mkdir `%s`", buf);
    *p = '/';
  }
  if (mkdirat(dirfd, buf, mode) < 0 && errno != EEXIST)
    return pt_err_make(err, errno, "mkdir `%s`", buf);
  return 0;
}

static int rm_entry(const char *path, const struct stat *st, int type,
                    struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
    return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
  return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int chmod_entry(const char *path, const struct stat *st, int type,
                       struct FTW *ftw) {
  (void)ftw;
  if (type == FTW_D || type == FTW_DNR)
    (void)chmod(path, (st->st_mode & 07777) | 0700);
  return 0;
}

int pt_rmtree(const char *path, pt_err **err) {
  struct stat st;
  if (lstat(path, &st) < 0)
    return errno == ENOENT ? 0 : pt_err_make(err, errno, "stat `%s`", path);
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) < 0 && errno != ENOENT)
      return pt_err_make(err, errno, "remove `%s`", path);
    return 0;
  }
  /* A sample may leave directories without write or search permission;
   * first give every directory u+rwx (pre-order), then remove (post-order).
   * FTW_PHYS: never follow a symlink a sample planted. FTW_MOUNT: never
   * cross into a mount. */
  (void)nftw(path, chmod_entry, 32, FTW_PHYS | FTW_MOUNT);
  if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0)
    return pt_err_make(err, errno, "remove `%s`", path);
  return 0;
}

int pt_random(void *buf, size_t len) {
  char *p = buf;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

uint32_t pt_fnv1a32(const void *data, size_t len) {
  const uint8_t *p = data;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

uint32_t pt_random_u32(void) {
  uint32_t v = 0;
  if (pt_random(&v, sizeof(v)) < 0)
    v = (uint32_t)pt_now_ns() ^ (uint32_t)getpid();
  return v;
}

/* By hand rather than libcrypto's EVP_EncodeBlock: the honeytokens of
 * every `pkgtrap run` are base64, and libcrypto on the start-up path costs
 * ~1 ms of dynamic loading (runner/dlib.h). */
size_t pt_base64(const void *data, size_t len, bool url, char *out) {
  const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789-_"
                        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789+/";
  const unsigned char *p = data;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    size_t n = len - i < 3 ? len - i : 3;
    uint32_t v = (uint32_t)p[i] << 16 | (n > 1 ? (uint32_t)p[i + 1] << 8 : 0) |
                 (n > 2 ? p[i + 2] : 0);
    for (size_t k = 0; k < 4; k++) {
      if (k <= n)
        out[o++] = abc[v >> (18 - 6 * k) & 63];
      else if (!url)
        out[o++] = '=';
    }
  }
  out[o] = '\0';
  return o;
}

uint64_t pt_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void pt_mark(const char *label) {
  static int on = -1;
  static uint64_t t0;
  if (on < 0) {
    const char *v = getenv("PKGTRAP_TIMING");
    on = v != NULL;
    /* The process's start time, from /proc/self/stat, would cost more than
     * what is measured; the first mark is the origin instead, unless the
     * variable holds a CLOCK_MONOTONIC time in ns (a launcher's, to see
     * what happens before main). */
    uint64_t now = pt_now_ns();
    t0 = v ? strtoull(v, NULL, 10) : 0;
    if (t0 > now || now - t0 > 60000000000ull) /* "1", or not a launcher's */
      t0 = now;
  }
  if (on) {
    /* Page faults so far (the process's, threads included): at ~2 us
     * each on these VMs they are a cost of their own. */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "pkgtrap: timing %8.3f ms [%d] %4ld flt %s\n",
            (double)(pt_now_ns() - t0) / 1e6, (int)getpid(), ru.ru_minflt,
            label);
  }
}

void *pt_grow_array(void *items, size_t len, size_t size) {
  if (len >= 8 && (len & (len - 1)) != 0)
    return items;
  size_t cap = len < 8 ? 8 : len * 2;
  return reallocarray(items, cap, size);
}

void pt_buf_init(pt_buf *b, size_t cap) {
  memset(b, 0, sizeof(*b));
  b->cap = cap;
}

ssize_t pt_buf_append(pt_buf *b, const void *data, size_t len) {
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  size_t take = len < room ? len : room;
  b->dropped += len - take;
  if (take == 0)
    return 0;
  if (b->len + take + 1 > b->alloc) {
    size_t na = b->alloc ? b->alloc : 256;
    while (na < b->len + take + 1)
      na *= 2;
    if (na > b->cap + 1)
      na = b->cap + 1;
    char *nd = realloc(b->data, na);
    if (nd == NULL)
      return -1;
    b->data = nd;
    b->alloc = na;
  }
  memcpy(b->data + b->len, data, take);
  b->len += take;
  b->data[b->len] = '\0';
  return (ssize_t)take;
}

int pt_buf_printf(pt_buf *b, const char *fmt, ...) {
  char *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0)
    return -1;
  ssize_t r = pt_buf_append(b, s, (size_t)n);
  free(s);
  return r < 0 ? -1 : 0;
}

void pt_buf_free(pt_buf *b) {
  free(b->data);
  memset(b, 0, sizeof(*b));
}
