/* Shared by the CLI verbs. */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <stdbool.h>

/* Exit statuses (clamscan's for verdicts; timeout(1)'s for run). */
enum {
  PT_EXIT_CLEAN = 0,
  PT_EXIT_FLAGGED = 1,
  PT_EXIT_ERROR = 2,
  PT_EXIT_RUN_FAILED = 125,
};

int pt_cmd_run(int argc, char **argv);
int pt_cmd_triage(int argc, char **argv);

/* Parse a positive number (seconds, MB, ...) for option opt; prints a
 * message and returns false when it is not one. */
bool pt_parse_u64(const char *opt, const char *s, unsigned long long max,
                  unsigned long long *out);

#endif
