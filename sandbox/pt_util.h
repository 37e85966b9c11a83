/* Small helpers shared by every module: scope-bound cleanup (crun/bwrap
 * style), bounded file I/O, and string buffers with hard caps (curl style:
 * every buffer that can hold untrusted data has a limit). */
#ifndef PT_UTIL_H
#define PT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include "pt_err.h"

static inline void pt_freep(void *p) { free(*(void **)p); }
static inline void pt_closep(int *fd) {
  if (*fd >= 0)
    close(*fd);
}
#define cleanup_free __attribute__((cleanup(pt_freep)))
#define cleanup_close __attribute__((cleanup(pt_closep)))

/* Take ownership out of a cleanup-managed variable. */
#define steal_pointer(pp)                                                      \
  ({                                                                           \
    __typeof__(*(pp)) _p = *(pp);                                              \
    *(pp) = NULL;                                                              \
    _p;                                                                        \
  })
#define steal_fd(fdp)                                                          \
  ({                                                                           \
    int _fd = *(fdp);                                                          \
    *(fdp) = -1;                                                               \
    _fd;                                                                       \
  })

static inline void pt_fclosep(void *p) {
  FILE *f = *(FILE **)p;
  if (f != NULL)
    fclose(f);
}
#define cleanup_file __attribute__((cleanup(pt_fclosep)))

#define PT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Write all of buf, retrying on EINTR and short writes. 0 or -1/errno. */
int pt_write_all(int fd, const void *buf, size_t len);
/* Read at most cap bytes of a file relative to dirfd (AT_FDCWD ok).
 * *out is NUL-terminated; *len excludes the NUL. Fails with EFBIG when the
 * file is larger than cap. */
int pt_read_file_at(int dirfd, const char *path, size_t cap, char **out,
                    size_t *len, pt_err **err);
/* Create or truncate path and write data with mode. */
int pt_write_file_at(int dirfd, const char *path, const void *data, size_t len,
                     mode_t mode, pt_err **err);
/* mkdir -p, relative to dirfd. */
int pt_mkdir_p_at(int dirfd, const char *path, mode_t mode, pt_err **err);
/* rm -rf that also gets through directories a sample chmod'ed 0 and never
 * follows symlinks. Missing path is success. */
int pt_rmtree(const char *path, pt_err **err);
/* Fill buf with len random bytes from getrandom(2). */
int pt_random(void *buf, size_t len);
uint32_t pt_random_u32(void);
/* FNV-1a, 32 bits, of len bytes: for the small open-addressing tables
 * (fake DNS names, npm dependency names). Not for anything a sample could
 * aim collisions at beyond slowing a probe. */
uint32_t pt_fnv1a32(const void *data, size_t len);
/* base64 (RFC 4648 §4, '=' padded) of len bytes into out, which has room
 * for PT_BASE64_LEN(len) + 1 bytes; with url, the URL-safe alphabet (§5)
 * and no padding, as JWTs and PyPI macaroons use it. NUL-terminates and
 * returns the length. */
#define PT_BASE64_LEN(len) (4 * (((len) + 2) / 3))
size_t pt_base64(const void *data, size_t len, bool url, char *out);
/* Monotonic clock in nanoseconds. */
uint64_t pt_now_ns(void);
/* Start-up profiling: with PKGTRAP_TIMING set in the environment, each mark
 * prints the milliseconds since the process started and its label to
 * stderr (bench/README.md § where start-up goes). A no-op otherwise. */
void pt_mark(const char *label);

/* Arrays that grow geometrically without storing a capacity: the capacity
 * is implicitly the next power of two >= len (at least 8), so a realloc is
 * only needed when len reaches one, which keeps n pushes linear. Returns
 * items (or the reallocated array) ready for element len; NULL when
 * allocation failed (items is then still valid). */
void *pt_grow_array(void *items, size_t len, size_t size);

/* Growable byte buffer with a hard cap: appends beyond cap are counted in
 * dropped but not stored. */
typedef struct pt_buf {
  char *data;
  size_t len, alloc, cap;
  uint64_t dropped;
} pt_buf;
void pt_buf_init(pt_buf *b, size_t cap);
/* Returns the number of bytes actually stored (may be < len at the cap);
 * -1 only on allocation failure. */
ssize_t pt_buf_append(pt_buf *b, const void *data, size_t len);
int pt_buf_printf(pt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pt_buf_free(pt_buf *b);

#endif
