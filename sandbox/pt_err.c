#define _GNU_SOURCE
#include "pt_err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt,
                                                       va_list ap) {
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0)
    return NULL;
  return s;
}

int pt_err_make(pt_err **err, int errnum, const char *fmt, ...) {
  if (err == NULL)
    return -1;
  pt_err *e = calloc(1, sizeof(*e));
  if (e == NULL)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  char *what = vformat(fmt, ap);
  va_end(ap);
  e->errnum = errnum;
  if (what != NULL && errnum != 0) {
    if (asprintf(&e->msg, "%s: %s", what, strerror(errnum)) < 0)
      e->msg = NULL;
    free(what);
  } else {
    e->msg = what;
  }
  pt_err_free(*err); /* keep the newest cause; callers make once, then wrap */
  *err = e;
  return -1;
}

int pt_err_wrap(pt_err **err, const char *fmt, ...) {
  if (err == NULL || *err == NULL)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  char *ctx = vformat(fmt, ap);
  va_end(ap);
  char *joined = NULL;
  if (ctx != NULL &&
      asprintf(&joined, "%s: %s", ctx, (*err)->msg ? (*err)->msg : "?") >= 0) {
    free((*err)->msg);
    (*err)->msg = joined;
  }
  free(ctx);
  return -1;
}

void pt_err_free(pt_err *err) {
  if (err == NULL)
    return;
  free(err->msg);
  free(err);
}

void pt_err_print(pt_err *err) {
  if (err == NULL)
    return;
  fprintf(stderr, "pkgtrap: %s\n", err->msg ? err->msg : "unknown error");
  pt_err_free(err);
}

void pt_die_to_fd(int fd, int code, int errnum, const char *fmt, ...) {
  /* No malloc here: we may be in a child forked from a process whose
   * allocator state we do not trust. */
  char buf[PT_ERR_WIRE_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  if ((size_t)n >= sizeof(buf))
    n = sizeof(buf) - 1;
  if (errnum != 0 && (size_t)n < sizeof(buf) - 1) {
    int m = snprintf(buf + n, sizeof(buf) - n, ": %s", strerror(errnum));
    if (m > 0)
      n = (size_t)(n + m) >= sizeof(buf) ? (int)sizeof(buf) - 1 : n + m;
  }
  if (fd >= 0) {
    ssize_t w = write(fd, buf, (size_t)n);
    (void)w;
  } else {
    fprintf(stderr, "pkgtrap: %.*s\n", n, buf);
  }
  _exit(code);
}
