/* A small epoll event loop. Callbacks are keyed by fd; deleting an fd from
 * inside a callback is safe (stale events of the same batch are dropped). */
#ifndef PT_LOOP_H
#define PT_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

#include "pt_err.h"

typedef struct pt_loop pt_loop;
typedef void (*pt_loop_cb)(void *ctx, int fd, uint32_t events);

pt_loop *pt_loop_new(pt_err **err);
void pt_loop_free(pt_loop *l);
int pt_loop_add(pt_loop *l, int fd, uint32_t events, pt_loop_cb cb, void *ctx,
                pt_err **err);
int pt_loop_mod(pt_loop *l, int fd, uint32_t events);
void pt_loop_del(pt_loop *l, int fd);
/* Waits up to timeout_ms (-1: forever) and dispatches what is ready.
 * Returns the number of callbacks run, or -1 with *err. */
int pt_loop_run_once(pt_loop *l, int timeout_ms, pt_err **err);
/* Number of registered fds. */
unsigned pt_loop_count(const pt_loop *l);

#endif
