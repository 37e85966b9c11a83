/* Private temporary directories that a SIGKILL cannot leak for good. */
#ifndef PT_TMPDIR_H
#define PT_TMPDIR_H

#include <stddef.h>

#include "pt_err.h"

/* A private directory <parent>/<prefix>XXXXXX (parent NULL: $TMPDIR, else
 * /tmp), its path written to out, mode 0700, holding a lock file
 * <dir>/.lock that is locked before it appears and held while we live. A
 * process killed with SIGKILL cannot remove its directories, so making
 * one also removes the same prefix's directories beside it whose lock
 * nobody holds; one without a lock file (not ours, or kept) is never
 * touched. Returns the lock's fd, or -1 with *err (nothing made). */
int pt_tmpdir_make(const char *parent, const char *prefix, char *out,
                   size_t cap, pt_err **err);
/* Removes the directory and all in it, then drops its lock (fd < 0: none). */
void pt_tmpdir_remove(const char *path, int lock_fd);

#endif
