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
  int lock_fd; /* bare: an flock on <path>/.lock held while we live, + 1 */
};
/* bare: a run that keeps nothing on disk (its HOME is in memory) needs
 * only the root mount point; the directory is then made under /dev/shm,
 * a tmpfs, when it is one we may write to: on ext4 making and removing
 * the directories costs ~1 ms, on tmpfs microseconds. home stays "".
 * A bare directory holds a lock file locked while its run lives; making
 * one also removes our bare directories whose lock nobody holds (their
 * supervisor was killed with SIGKILL and could not clean up). */
int pt_rundir_create(struct pt_rundir *d, bool bare, pt_err **err);
/* Give path (recursively, never following links) to uid:gid. */
int pt_chown_tree(const char *path, uid_t uid, gid_t gid, pt_err **err);
int pt_rundir_remove(struct pt_rundir *d, pt_err **err);

#endif
