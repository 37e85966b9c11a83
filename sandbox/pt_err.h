/* Errors that carry their message from the failing call upward (crun style).
 *
 *   if (open(...) < 0)
 *     return pt_err_make(err, errno, "open `%s`", path);
 *   ...
 *   if (jail_run(spec, &res, err) < 0)
 *     return pt_err_wrap(err, "run `%s`", argv[0]);
 *
 * pt_err_make/pt_err_wrap always return -1 so they can end a function.
 * Inside a forked child use pt_die_to_fd(): the message goes to the parent
 * over a pipe (bubblewrap's way), then the child exits.
 */
#ifndef PT_ERR_H
#define PT_ERR_H

#include <stdarg.h>

typedef struct pt_err {
  int errnum; /* errno of the failing call, 0 when not a system error */
  char *msg;  /* "context: context: what failed: strerror" */
} pt_err;

int pt_err_make(pt_err **err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int pt_err_wrap(pt_err **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pt_err_free(pt_err *err);
/* Print "pkgtrap: MSG" to stderr and free. */
void pt_err_print(pt_err *err);

/* Maximum length of a message sent from a child to its parent. */
#define PT_ERR_WIRE_MAX 1024

/* In a forked child: format a message, write it to fd (best effort, one
 * write so the parent reads it whole), then _exit(code). */
__attribute__((noreturn, format(printf, 4, 5))) void
pt_die_to_fd(int fd, int code, int errnum, const char *fmt, ...);

#endif
