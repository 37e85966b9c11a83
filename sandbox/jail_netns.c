/* Sockets inside the jail's network namespace, for the fake network.
 *
 * A socket belongs to the namespace it was created in, whoever holds it
 * later, so the supervisor only needs someone in the jail's netns to call
 * socket(2) for it. setns(2) into a netns needs CAP_SYS_ADMIN over the
 * netns's user namespace *and* in the caller's own: root has both, but a
 * rootless supervisor lacks the second. So a broker process is forked that
 * first joins the jail's user namespace (its creator's uid owns it, which
 * grants the broker every capability there), then its netns, and creates
 * sockets on request, handing them back with SCM_RIGHTS. The broker lives
 * outside the jail's pid namespace: the sample can neither see nor signal
 * it. Binding is done by the supervisor on the returned socket (the owner
 * of the jail's user namespace may bind privileged ports in its netns).
 *
 * The broker starts on demand (most runs need none: init hands over a pool
 * of sockets, see jail_spec.socket_pool), by when init has made itself
 * non-dumpable and /proc/<init>/ns/ is closed to a rootless caller; so the
 * supervisor opens the namespace files when init hands over its seccomp
 * listener (init made its netns before, and turns non-dumpable only once
 * answered) and the broker joins through those. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

struct broker_req {
  int domain, type, protocol;
};

static int send_fd(int sock, int fd, int err_no) {
  char cbuf[CMSG_SPACE(sizeof(int))];
  memset(cbuf, 0, sizeof(cbuf));
  struct iovec iov = {.iov_base = &err_no, .iov_len = sizeof(err_no)};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  if (fd >= 0) {
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof(cbuf);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
  }
  return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

__attribute__((noreturn)) static void broker_main(int sock, int ufd,
                                                  int nfd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int e = 0;
  if (ufd < 0 || nfd < 0)
    e = EBADF;
  /* Root is already privileged over the jail's netns; joining the user
   * namespace is what makes a rootless broker so. */
  else if (geteuid() != 0 && setns(ufd, CLONE_NEWUSER) < 0)
    e = errno;
  else if (setns(nfd, CLONE_NEWNET) < 0)
    e = errno;
  if (send_fd(sock, -1, e) < 0 || e != 0)
    _exit(1);
  for (;;) {
    struct broker_req rq;
    ssize_t n = recv(sock, &rq, sizeof(rq), 0);
    if (n != (ssize_t)sizeof(rq))
      _exit(0); /* supervisor closed the channel: done */
    int fd = socket(rq.domain, rq.type | SOCK_CLOEXEC, rq.protocol);
    int se = fd < 0 ? errno : 0;
    if (send_fd(sock, fd, se) < 0)
      _exit(1);
    if (fd >= 0)
      close(fd);
  }
}

static int recv_fd(int sock, int *fd_out, int *err_no) {
  char cbuf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = err_no, .iov_len = sizeof(*err_no)};
  struct msghdr mh = {.msg_iov = &iov,
                      .msg_iovlen = 1,
                      .msg_control = cbuf,
                      .msg_controllen = sizeof(cbuf)};
  ssize_t n;
  do
    n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)sizeof(*err_no))
    return -1;
  *fd_out = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy(fd_out, CMSG_DATA(c), sizeof(int));
  return 0;
}

int jail_broker_open_ns(struct jail_broker *b, pid_t init_pid, pt_err **err) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init_pid);
  b->ns_user = open(path, O_RDONLY | O_CLOEXEC);
  if (b->ns_user < 0)
    return pt_err_make(err, errno, "open %s", path);
  snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)init_pid);
  b->ns_net = open(path, O_RDONLY | O_CLOEXEC);
  if (b->ns_net < 0)
    return pt_err_make(err, errno, "open %s", path);
  return 0;
}

int jail_broker_start(struct jail_broker *b, pt_err **err) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return pt_err_make(err, errno, "broker socketpair");
  pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return pt_err_make(err, errno, "fork netns broker");
  }
  if (pid == 0) {
    close(sv[0]);
    broker_main(sv[1], b->ns_user, b->ns_net);
  }
  close(sv[1]);
  b->pid = pid;
  b->sock = sv[0];
  int fd = -1, e = 0;
  if (recv_fd(b->sock, &fd, &e) < 0 || e != 0) {
    jail_broker_stop(b);
    return pt_err_make(err, e ? e : EPROTO,
                       "netns broker: join the jail's network namespace");
  }
  return 0;
}

int jail_broker_socket(struct jail_broker *b, int domain, int type,
                       int protocol, pt_err **err) {
  if (b->sock < 0)
    return pt_err_make(err, ENOTCONN, "netns broker not running");
  struct broker_req rq = {domain, type, protocol};
  if (send(b->sock, &rq, sizeof(rq), MSG_NOSIGNAL) < 0)
    return pt_err_make(err, errno, "netns broker request");
  int fd = -1, e = 0;
  if (recv_fd(b->sock, &fd, &e) < 0)
    return pt_err_make(err, EPROTO, "netns broker reply");
  if (fd < 0)
    return pt_err_make(err, e, "socket in the jail's netns");
  return fd;
}

void jail_broker_stop(struct jail_broker *b) {
  if (b->sock >= 0)
    close(b->sock);
  b->sock = -1;
  if (b->ns_user >= 0)
    close(b->ns_user);
  if (b->ns_net >= 0)
    close(b->ns_net);
  b->ns_user = b->ns_net = -1;
  if (b->pid > 0) {
    kill(b->pid, SIGKILL);
    while (waitpid(b->pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  b->pid = 0;
}
