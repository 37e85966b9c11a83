/* CMD's launch key (sandbox/jail_internal.h, "CMD's launch"), in the real
 * kernel: the bundled filter, installed with a key by
 * jail_filter_install, lets execve and clone through without a stop
 * exactly when the ignored argument holds that key, and stops them for
 * any other value: the placeholder the filter is compiled with (public),
 * either half of the key alone, zero. Both the filter compiled here and
 * the build's image. A child installs it; we take its listener with
 * pidfd_getfd(2), as the jail does, and count the stops of each try. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail_internal.h"
#include "recorder_rules.h"
#include "unit/check.h"

extern const struct jail_filter_image pt_seccomp_image;

static const char *policy = PT_TEST_PROFILES_DIR "/seccomp.json";

#define KEY 0x1f2e3d4c5b6a7988ULL

struct try {
  const char *what;
  int nr;
  uint64_t value;
  bool stops;
};

static const struct try tries[] = {
    {"execve with the key", __NR_execve, KEY, false},
    {"execve with the placeholder", __NR_execve, JAIL_LAUNCH_KEY_PLACEHOLDER,
     true},
    {"execve with the key's low half only", __NR_execve,
     (KEY & 0xffffffffULL) | (JAIL_LAUNCH_KEY_PLACEHOLDER & ~0xffffffffULL),
     true},
    {"execve with the key's high half only", __NR_execve,
     (KEY & ~0xffffffffULL) | 0x1234ULL, true},
    {"execve with 0", __NR_execve, 0, true},
#ifdef JAIL_CLONE_KEY_ARG
    {"clone with the key", __NR_clone, KEY, false},
    {"clone with the placeholder", __NR_clone, JAIL_LAUNCH_KEY_PLACEHOLDER,
     true},
    {"clone with 0", __NR_clone, 0, true},
#endif
};
#define N_TRIES (sizeof(tries) / sizeof(tries[0]))

static void try_one(const struct try *t) {
  if (t->nr == __NR_execve) {
    char *argv[] = {"/nonexistent/launch-key", NULL}, *envp[] = {NULL};
    syscall(SYS_execve, argv[0], argv, envp, t->value); /* fails: ENOENT */
    return;
  }
  uint64_t a[5] = {SIGCHLD, 0, 0, 0, 0};
#ifdef JAIL_CLONE_KEY_ARG
  a[JAIL_CLONE_KEY_ARG] = t->value;
#endif
  pid_t pid = (pid_t)syscall(SYS_clone, a[0], a[1], a[2], a[3], a[4]);
  if (pid == 0)
    syscall(SYS_exit, 0); /* exit, not exit_group: no stop of its own */
  if (pid > 0)
    waitpid(pid, NULL, 0);
}

/* The child: installs f with KEY, says its listener's number, then makes
 * each try and says its index when it returned. */
static void child(const struct jail_filter *f, int out) {
  pt_err *e = NULL;
  int listener = jail_filter_install(f, KEY, &e);
  if (write(out, &listener, sizeof(listener)) != sizeof(listener) ||
      listener < 0)
    _exit(2);
  for (unsigned i = 0; i < N_TRIES; i++) {
    try_one(&tries[i]);
    if (write(out, &i, sizeof(i)) != sizeof(i))
      _exit(2);
  }
  _exit(0);
}

static void check_filter(const char *which, const struct jail_filter *f) {
  CHECK(f->launch_exempt, "%s: the launch key's slots are not whole (%u)",
        which, f->n_key);
  int p[2];
  if (pipe(p) < 0)
    return;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    child(f, p[1]);
  }
  close(p[1]);
  int remote = -1, listener = -1;
  if (read(p[0], &remote, sizeof(remote)) == sizeof(remote) && remote >= 0) {
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    listener = pfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pfd, remote, 0) : -1;
    if (pfd >= 0)
      close(pfd);
  }
  CHECK(listener >= 0, "%s: the child's listener (%s)", which,
        strerror(errno));
  unsigned stops[N_TRIES] = {0};
  unsigned at = 0; /* the try under way: the number of tries done */
  struct seccomp_notif *req = NULL;
  struct seccomp_notif_resp *resp = NULL;
  if (listener >= 0 && seccomp_notify_alloc(&req, &resp) == 0) {
    for (;;) {
      struct pollfd fds[2] = {{.fd = p[0], .events = POLLIN},
                              {.fd = listener, .events = POLLIN}};
      if (poll(fds, 2, 10000) <= 0)
        break; /* a child stuck: the counts below say where */
      /* The pipe first: a try's index is written before the next try
       * can stop, so when both are ready the index is the older. */
      if (fds[0].revents & (POLLIN | POLLHUP)) {
        unsigned done;
        if (read(p[0], &done, sizeof(done)) != sizeof(done))
          break; /* the child is done */
        at = done + 1;
        continue;
      }
      struct seccomp_notif_sizes sz;
      syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz);
      memset(req, 0, sz.seccomp_notif);
      if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) == 0) {
        if (at < N_TRIES && req->data.nr == tries[at].nr)
          stops[at]++;
        memset(resp, 0, sz.seccomp_notif_resp);
        resp->id = req->id;
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
      }
    }
  }
  seccomp_notify_free(req, resp);
  int st = 0;
  kill(pid, SIGKILL);
  waitpid(pid, &st, 0);
  for (unsigned i = 0; i < N_TRIES && listener >= 0; i++)
    CHECK((stops[i] > 0) == tries[i].stops, "%s: %s: %u stops, expected %s",
          which, tries[i].what, stops[i], tries[i].stops ? "one" : "none");
  close(p[0]);
  if (listener >= 0)
    close(listener);
}

int main(void) {
  size_t n;
  const struct jail_notify_rule *rules = pt_recorder_rules(&n);
  pt_err *e = NULL;
  struct jail_filter *fresh = jail_filter_new(policy, rules, n, &e);
  CHECK(fresh != NULL, "compile %s: %s", policy, e ? e->msg : "");
  if (fresh)
    check_filter("compiled", fresh);
  struct jail_filter *img =
      jail_filter_from_image(&pt_seccomp_image, policy, rules, n);
  CHECK(img != NULL, "the build's image");
  if (img)
    check_filter("image", img);
  jail_filter_free(fresh);
  jail_filter_free(img);
  pt_err_free(e);
  return failures != 0;
}
