/* A run's private directory on the host ($TMPDIR/pkgtrap-XXXXXX): the
 * jail's root mount point, the fake HOME, work dirs. pkgtrap writes
 * nowhere else (apart from files the user names). */
#ifndef PT_RUNDIR_H
#define PT_RUNDIR_H

#include <sys/types.h>

#include "pt_err.h"

struct pt_rundir {
  char path[4096];
  char home[4200];
};
int pt_rundir_create(struct pt_rundir *d, pt_err **err);
/* Give path (recursively, never following links) to uid:gid. */
int pt_chown_tree(const char *path, uid_t uid, gid_t gid, pt_err **err);
int pt_rundir_remove(struct pt_rundir *d, pt_err **err);

#endif
