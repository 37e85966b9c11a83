/* The late part of a run's spec (struct jail_late), from the supervisor
 * to init: written to a memfd, whose fd rides along JAIL_MSG_LATE
 * (SCM_RIGHTS), and mapped by init. A memfd rather than the channel
 * itself: the environment has no fixed bound (the caller's --env), and a
 * datagram that outgrew the socket's buffer would block the supervisor
 * until init reads, which it does only once its own part of the root is
 * built.
 *
 * Layout: struct late_wire, then user, hostname, home and the n_env
 * strings of envp, each NUL-terminated (strings_len bytes in all). */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LATE_MAGIC 0x6c617465u /* "late" */

struct late_wire {
  uint32_t magic;
  uint32_t n_env;
  uint64_t strings_len;
};

int jail_late_send(int chan, const struct jail_late *l, pt_err **err) {
  const char *id[3] = {l->user ? l->user : "", l->hostname ? l->hostname : "",
                       l->home ? l->home : ""};
  size_t n_env = 0;
  while (l->envp && l->envp[n_env])
    n_env++;
  struct late_wire w = {.magic = LATE_MAGIC, .n_env = (uint32_t)n_env};
  for (size_t i = 0; i < 3 + n_env; i++)
    w.strings_len += strlen(i < 3 ? id[i] : l->envp[i - 3]) + 1;
  pt_buf b;
  pt_buf_init(&b, SIZE_MAX / 2);
  bool bad = pt_buf_append(&b, &w, sizeof(w)) < 0;
  for (size_t i = 0; !bad && i < 3 + n_env; i++) {
    const char *str = i < 3 ? id[i] : l->envp[i - 3];
    bad = pt_buf_append(&b, str, strlen(str) + 1) < 0;
  }
  int fd = -1, rc = -1;
  if (bad) {
    pt_err_make(err, ENOMEM, "the jail's late spec");
    goto out;
  }
  fd = memfd_create("late", MFD_CLOEXEC);
  if (fd < 0) {
    pt_err_make(err, errno, "memfd for the jail's late spec");
    goto out;
  }
  if (pt_write_all(fd, b.data, b.len) < 0) {
    pt_err_make(err, errno, "write the jail's late spec");
    goto out;
  }
  struct jail_msg m;
  memset(&m, 0, sizeof(m));
  m.type = JAIL_MSG_LATE;
  if (jail_msg_send_fd(chan, &m, fd) < 0 && errno != EPIPE) {
    /* EPIPE: init failed and is gone; the loop collects its report. */
    pt_err_make(err, errno, "start init (late spec)");
    goto out;
  }
  rc = 0;
out:
  if (fd >= 0)
    close(fd);
  pt_buf_free(&b);
  return rc;
}

int jail_late_map(int fd, struct jail_late *out) {
  memset(out, 0, sizeof(*out));
  struct stat st;
  if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < sizeof(struct late_wire))
    return -EPROTO;
  size_t size = (size_t)st.st_size;
  const char *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED)
    return -errno;
  struct late_wire w;
  memcpy(&w, base, sizeof(w));
  if (w.magic != LATE_MAGIC || w.strings_len != size - sizeof(w) ||
      w.n_env > w.strings_len)
    return -EPROTO;
  const char *s = base + sizeof(w), *end = s + w.strings_len;
  char **envp = calloc((size_t)w.n_env + 1, sizeof(char *));
  if (envp == NULL)
    return -ENOMEM;
  const char **id[3] = {&out->user, &out->hostname, &out->home};
  for (size_t i = 0; i < 3 + (size_t)w.n_env; i++) {
    const char *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;
    if (nul == NULL) {
      free(envp);
      return -EPROTO;
    }
    if (i < 3)
      *id[i] = s;
    else
      envp[i - 3] = (char *)s;
    s = nul + 1;
  }
  if (s != end) {
    free(envp);
    return -EPROTO;
  }
  out->envp = envp;
  /* The mapping and envp stay until init exits (CMD copies its strings
   * before it starts). */
  return 0;
}
