/* pkgtrap's batch verbs with the stub triage (tests/batch/stub_triage.c):
 *   pkgtrap-batch-test scan|sweep|report ARGS... */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "scan_cli.h"

int stub_triage(const char *artifact, const struct pt_triage_opts *o,
                json_t **report_out, pt_err **err);

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    fputs("usage: pkgtrap-batch-test scan|sweep|report ...\n", stderr);
    return 2;
  }
  if (strcmp(argv[1], "scan") == 0)
    return pt_cmd_scan_with(argc - 1, argv + 1, stub_triage);
#ifdef HAVE_SWEEP
  if (strcmp(argv[1], "sweep") == 0)
    return pt_cmd_sweep_with(argc - 1, argv + 1, stub_triage);
#endif
  if (strcmp(argv[1], "report") == 0)
    return pt_cmd_report(argc - 1, argv + 1);
  fprintf(stderr, "unknown verb %s\n", argv[1]);
  return 2;
}
