/* A run's private directory on the host ($TMPDIR/pkgtrap-XXXXXX): the
 * jail's root mount point, the fake HOME, work dirs (see "bare" below). pkgtrap writes
 * nowhere else (apart from files the user names). */
#ifndef PT_RUNDIR_H
#define PT_RUNDIR_H

#include <stdbool.h>
#include <sys/types.h>

#include "pt_err.h"

struct pt_rundir {
  char path[4096];
  char home[4200];
  int lock_fd; /* an flock on <path>/.lock held while we live, + 1 */
};
/* bare: a run that keeps nothing on disk (its HOME is in memory) needs
 * only the root mount point; the directory is then made under /dev/shm,
 * a tmpfs, when it is one we may write to: on ext4 making and removing
 * the directories costs ~1 ms, on tmpfs microseconds. home stays "".
 * Made with pt_tmpdir_make: locked while its run lives, and stale ones
 * beside it removed. */
int pt_rundir_create(struct pt_rundir *d, bool bare, pt_err **err);
/* Leaves the directory for the user (`run --keep`): its lock file goes,
 * so that no later run's sweep takes it for a killed run's. */
void pt_rundir_keep(struct pt_rundir *d);
/* Give path (recursively, never following links) to uid:gid. */
int pt_chown_tree(const char *path, uid_t uid, gid_t gid, pt_err **err);
int pt_rundir_remove(struct pt_rundir *d, pt_err **err);


#endif
