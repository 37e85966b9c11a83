#define _GNU_SOURCE
#include "pt_loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct entry {
  pt_loop_cb cb;
  void *ctx;
  uint32_t gen; /* bumped on every add, so old events can be told apart */
  int used;
};

struct pt_loop {
  int epfd;
  struct entry *ents; /* indexed by fd */
  size_t n_ents;
  unsigned count;
};

pt_loop *pt_loop_new(pt_err **err) {
  pt_loop *l = calloc(1, sizeof(*l));
  if (l == NULL) {
    pt_err_make(err, ENOMEM, "event loop");
    return NULL;
  }
  l->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (l->epfd < 0) {
    pt_err_make(err, errno, "epoll_create1");
    free(l);
    return NULL;
  }
  return l;
}

void pt_loop_free(pt_loop *l) {
  if (l == NULL)
    return;
  close(l->epfd);
  free(l->ents);
  free(l);
}

int pt_loop_add(pt_loop *l, int fd, uint32_t events, pt_loop_cb cb, void *ctx,
                pt_err **err) {
  if (fd < 0)
    return pt_err_make(err, EBADF, "event loop add");
  if ((size_t)fd >= l->n_ents) {
    size_t n = l->n_ents ? l->n_ents : 64;
    while (n <= (size_t)fd)
      n *= 2;
    struct entry *e = realloc(l->ents, n * sizeof(*e));
    if (e == NULL)
      return pt_err_make(err, ENOMEM, "event loop add");
    memset(e + l->n_ents, 0, (n - l->n_ents) * sizeof(*e));
    l->ents = e;
    l->n_ents = n;
  }
  struct entry *e = &l->ents[fd];
  e->cb = cb;
  e->ctx = ctx;
  e->gen++;
  struct epoll_event ev = {.events = events,
                           .data.u64 = ((uint64_t)e->gen << 32) | (uint32_t)fd};
  if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
    return pt_err_make(err, errno, "epoll_ctl add fd %d", fd);
  e->used = 1;
  l->count++;
  return 0;
}

int pt_loop_mod(pt_loop *l, int fd, uint32_t events) {
  if (fd < 0 || (size_t)fd >= l->n_ents || !l->ents[fd].used)
    return -1;
  struct epoll_event ev = {
      .events = events,
      .data.u64 = ((uint64_t)l->ents[fd].gen << 32) | (uint32_t)fd};
  return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void pt_loop_del(pt_loop *l, int fd) {
  if (fd < 0 || (size_t)fd >= l->n_ents || !l->ents[fd].used)
    return;
  (void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
  l->ents[fd].used = 0;
  l->ents[fd].gen++;
  l->count--;
}

unsigned pt_loop_count(const pt_loop *l) { return l->count; }

int pt_loop_run_once(pt_loop *l, int timeout_ms, pt_err **err) {
  struct epoll_event evs[64];
  int n = epoll_wait(l->epfd, evs, 64, timeout_ms);
  if (n < 0) {
    if (errno == EINTR)
      return 0;
    return pt_err_make(err, errno, "epoll_wait");
  }
  int ran = 0;
  for (int i = 0; i < n; i++) {
    int fd = (int)(uint32_t)evs[i].data.u64;
    uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
    if ((size_t)fd >= l->n_ents)
      continue;
    struct entry *e = &l->ents[fd];
    if (!e->used || e->gen != gen)
      continue; /* deleted (or replaced) by an earlier callback */
    e->cb(e->ctx, fd, evs[i].events);
    ran++;
  }
  return ran;
}
