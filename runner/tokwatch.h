/* Reads of the honeytoken files, seen without stopping anything.
 *
 * Read-only opens never stop in the recorder (BPF sees open flags, not
 * paths, and an interpreter start opens thousands of files), so the few
 * files worth watching are watched here, by one of two means:
 *
 * - atime (the default). Before the run each file's atime is set equal to
 *   its mtime; under relatime (and strictatime, and lazytime) the kernel
 *   then updates atime at the first read, by read(2), mmap(2), sendfile,
 *   splice or copy_file_range alike. After the run a changed atime is a
 *   read, at the time atime says (the kernel's coarse clock: up to a
 *   scheduler tick early). A changed ctime or inode is a file
 *   someone touched or replaced: putting atime back with utimensat(2) to
 *   hide a read moves ctime, which nothing in user space can set.
 *   O_NOATIME, the one way to read without moving atime, is refused by the
 *   jail's policy (profiles/seccomp.json: refuse_open_flags), as is
 *   openat2, whose flags BPF cannot see.
 * - inotify (the fallback where atime does not work: noatime mounts, file
 *   systems that keep no atime or only whole seconds). A self-test at
 *   arming time decides, on the files themselves.
 *
 * Why atime first: closing an inotify instance that had watches waits for
 * an SRCU grace period in the kernel (~14 ms on these machines), which was
 * half of the start-up of `pkgtrap run`. Both means see the first read of
 * each file, not who read it (the event's pid is 0).
 */
#ifndef PT_TOKWATCH_H
#define PT_TOKWATCH_H

#include <stddef.h>
#include <stdint.h>

#include "pt_err.h"

typedef struct pt_tokwatch pt_tokwatch;

/* A read (or touch) of file, relative to the watched directory. how is
 * "atime", "changed" (ctime or inode moved: touched, replaced or read with
 * its atime put back) or "inotify". when_ns is CLOCK_REALTIME, or 0 when
 * unknown (inotify: now). */
typedef void (*pt_tokwatch_cb)(void *ctx, const char *file, const char *how,
                               int64_t when_ns);

/* Arm the watch on files[i] under the directory dirfd (borrowed; files
 * that do not exist are skipped). NULL and *err on failure. */
pt_tokwatch *pt_tokwatch_arm(int dirfd, char *const *files, size_t n,
                             pt_err **err);
/* "atime" or "inotify": which means the self-test chose. */
const char *pt_tokwatch_mode(const pt_tokwatch *w);
/* The inotify fd to poll for readability in the fallback mode, else -1. */
int pt_tokwatch_fd(const pt_tokwatch *w);
/* Report what is pending: in inotify mode what the fd holds. Each file is
 * reported at most once per arming. */
void pt_tokwatch_poll(pt_tokwatch *w, pt_tokwatch_cb cb, void *ctx);
/* The run is over: report everything not reported yet and stop watching
 * (inotify watches are removed, so that the fd's close later is cheap). */
void pt_tokwatch_finish(pt_tokwatch *w, pt_tokwatch_cb cb, void *ctx);
void pt_tokwatch_free(pt_tokwatch *w);

#endif
