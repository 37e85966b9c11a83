/* init <-> supervisor messages that carry fds (SCM_RIGHTS): the cgroup
 * join fds and the late spec's memfd. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int jail_msg_send_fds(int chan, const struct jail_msg *m, const int *fds,
                      int n) {
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(JAIL_MSG_FDS_MAX * sizeof(int))];
  } ctl;
  if (n < 0 || n > JAIL_MSG_FDS_MAX) {
    errno = EINVAL;
    return -1;
  }
  memset(&ctl, 0, sizeof(ctl));
  struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof(*m)};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  if (n > 0) {
    mh.msg_control = ctl.buf;
    mh.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
  }
  ssize_t w;
  do
    w = sendmsg(chan, &mh, MSG_NOSIGNAL);
  while (w < 0 && errno == EINTR);
  if (w < 0)
    return -1;
  if (w != (ssize_t)sizeof(*m)) {
    errno = EIO;
    return -1;
  }
  return 0;
}

int jail_msg_send_fd(int chan, const struct jail_msg *m, int fd) {
  return jail_msg_send_fds(chan, m, &fd, 1);
}

int jail_msg_recv_fds(int chan, struct jail_msg *m, int *fds, int max,
                      int *n, bool *bad) {
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(JAIL_MSG_FDS_MAX * sizeof(int))];
  } ctl;
  struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
                      .msg_control = ctl.buf,
                      .msg_controllen = sizeof(ctl.buf)};
  *n = 0;
  *bad = false;
  ssize_t r;
  do
    r = recvmsg(chan, &mh, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r != (ssize_t)sizeof(*m))
    return -1;
  *bad = (mh.msg_flags & MSG_CTRUNC) != 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < k; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (*n < max)
        fds[(*n)++] = fd;
      else
        close(fd), *bad = true;
    }
  }
  return 0;
}
