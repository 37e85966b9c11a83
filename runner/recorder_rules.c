/* What stops in the recorder: the notify rules compiled into every jail's
 * seccomp filter. A file of its own because the build compiles the bundled
 * policy with them ahead of time (seccomp_prebuild.c), and that tool must
 * not link the whole recorder. */
#define _GNU_SOURCE
#include "recorder_rules.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/resource.h>

#include "pt_util.h"

/* Opens only stop when they may write: BPF sees flags but not the path,
 * and a stop costs ~100 us, so the thousands of read-only opens of an
 * interpreter start never stop. Reads of the token files are seen by
 * the token-file watch instead (tokwatch.h). O_TRUNC stops alone too: a
 * read-only open with it still empties the file. One rule per flag bit:
 * BPF tests "these bits set" (masked equality), not "any of them". */
#define OPEN_RULES(name, argi)                                                 \
  {name, {{argi, SCMP_CMP_MASKED_EQ, O_WRONLY, O_WRONLY}, {0}}},               \
      {name, {{argi, SCMP_CMP_MASKED_EQ, O_RDWR, O_RDWR}, {0}}},               \
      {name, {{argi, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT}, {0}}},             \
      {name, {{argi, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC}, {0}}}

static const struct jail_notify_rule rules[] = {
    {"execve", {{0}}},
    {"execveat", {{0}}},
    /* Processes (threads do not stop: CLONE_THREAD clear only). */
    {"clone", {{0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0}, {0}}},
    {"fork", {{0}}},
    {"vfork", {{0}}},
    {"exit_group", {{0}}},
    /* Network. sendto stops only with a destination (arg 4). */
    {"connect", {{0}}},
    {"sendto", {{4, SCMP_CMP_NE, 0, 0}, {0}}},
    {"sendmsg", {{0}}},
    {"sendmmsg", {{0}}},
    {"bind", {{0}}},
    {"listen", {{0}}},
    /* Files. */
    OPEN_RULES("open", 1),
    OPEN_RULES("openat", 2),
    {"openat2", {{0}}},
    {"creat", {{0}}},
    {"unlink", {{0}}},
    {"unlinkat", {{0}}},
    {"rename", {{0}}},
    {"renameat", {{0}}},
    {"renameat2", {{0}}},
    {"chmod", {{0}}},
    {"fchmod", {{0}}},
    {"fchmodat", {{0}}},
    {"chown", {{0}}},
    {"fchown", {{0}}},
    {"lchown", {{0}}},
    {"fchownat", {{0}}},
    {"symlink", {{0}}},
    {"symlinkat", {{0}}},
    {"link", {{0}}},
    {"linkat", {{0}}},
    {"truncate", {{0}}},
    {"memfd_create", {{0}}},
    {"ptrace", {{0}}},
    /* Sleeps: answered early when long (see max_sleep_ms). */
    {"nanosleep", {{0}}},
    {"clock_nanosleep", {{0}}},
    /* A timer shortened in the jail says so (recorder.c, timer_shortened):
     * only ids no process can have stop. */
    {"getpriority",
     {{0, SCMP_CMP_EQ, PRIO_PROCESS, 0},
      {1, SCMP_CMP_MASKED_EQ, ~(uint64_t)PT_TIMER_BEACON_MS_MASK,
       PT_TIMER_BEACON}}},
    /* The exercise's key calls, begun and ended (recorder.c, key_call). */
    {"getpriority",
     {{0, SCMP_CMP_EQ, PRIO_PROCESS, 0},
      {1, SCMP_CMP_MASKED_EQ, ~(uint64_t)1, PT_KEY_CALL_BEACON}}},
};

const struct jail_notify_rule *pt_recorder_rules(size_t *n) {
  *n = PT_ARRAY_LEN(rules);
  return rules;
}

