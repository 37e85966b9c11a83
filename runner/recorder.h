/* The recorder: gives meaning to the jail's seccomp notifications. It
 * decides what stops (the notify rules), decodes each stop (paths,
 * argv, socket addresses, flags) from the stopped process's memory and
 * /proc, keeps the process tree, prepares the fake network before a
 * connect continues, spots honeytokens in argv, and turns it all into
 * events (runner/events.h). The mechanism is the sandbox's (jail_hooks);
 * this file is only meaning. */
#ifndef PT_RECORDER_H
#define PT_RECORDER_H

#include <stdbool.h>
#include <sys/socket.h>

#include "events.h"
#include "honey.h"
#include "jail.h"
#include "recorder_rules.h"
#include "tokscan.h"

typedef struct pt_recorder pt_recorder;
struct pt_fakenet;

struct pt_recorder_config {
  pt_events *events;
  const pt_tok_scanner *tokens; /* honeytoken values; may be NULL */
  struct pt_fakenet *net;       /* may be NULL: no fake network */
  /* The path the jail's HOME has inside; the token files (relative to
   * HOME) are watched through jail_home_fd(). */
  const char *home_jail;
  char *const *token_files;
  size_t n_token_files;
  /* The planted tokens: a token in an exec's environment counts as a
   * leak unless it sits in a variable it was planted in. May be NULL. */
  const pt_honey *honey;
  /* Sleeps longer than this are answered at once (0: never), so code
   * that waits to outlast a sandbox shows its hand within the budget. */
  uint64_t max_sleep_ms;
  /* No event is kept or traced: what would only make events (the watch on
   * the token files) is not set up. */
  bool no_events;
  /* Called while init builds the jail's root, before the token files are
   * watched and before CMD runs, with jail_home_fd() (to fill the HOME):
   * jail_hooks.on_spawn, which may run on a thread of its own, side by
   * side with building (jail.h). May be NULL. */
  int (*prepare)(void *ctx, int home_fd, pt_err **err);
  /* Called while init builds the jail's root (jail_hooks.on_building),
   * with prepare_ctx. -1 fails the run. May be NULL. */
  int (*building)(void *ctx, pt_err **err);
  /* jail_hooks.late, first of all, with prepare_ctx: the caller may make
   * the honeytokens there (then pt_recorder_set_honey). May be NULL. */
  int (*late)(void *ctx, struct jail_late *out, pt_err **err);
  void *prepare_ctx;
};

pt_recorder *pt_recorder_new(const struct pt_recorder_config *cfg,
                             pt_err **err);
void pt_recorder_free(pt_recorder *r);
/* The fake network is made after the recorder (it asks the recorder who
 * connected), so it is attached here. */
void pt_recorder_set_net(pt_recorder *r, struct pt_fakenet *net);
/* The config's honeytoken fields (honey, home_jail, token_files), for a
 * caller that made them after the recorder (in its late hook). */
void pt_recorder_set_honey(pt_recorder *r, const pt_honey *honey,
                           const char *home_jail, char *const *token_files,
                           size_t n_token_files);
/* The hooks to put in a jail_spec (its rules: recorder_rules.h). */
const struct jail_hooks *pt_recorder_hooks(void);
/* Counters for reports and benchmarks. */
struct pt_recorder_stats {
  uint64_t notifications, processes, refused, sleeps_shortened;
  uint64_t sleep_ms_skipped;
};
void pt_recorder_stats(const pt_recorder *r, struct pt_recorder_stats *out);
/* Resolve a connection the fake network accepted to the pid whose
 * connect/sendto the recorder saw (0 if unknown). */
pid_t pt_recorder_who(void *recorder, int proto, const struct sockaddr *dst,
                      socklen_t len);

#endif
