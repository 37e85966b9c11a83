/* pkgtrap: detonate open-source packages in a sandbox and tell whether
 * they are malicious. A thin CLI over runner/ and sandbox/. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jail.h"
#include "scan_cli.h"
#include "triage_report.h"

static const char usage[] =
    "Usage: pkgtrap VERB [OPTION]... [ARG]...\n"
    "Detonate open-source packages in a Linux sandbox and tell whether they\n"
    "are malicious.\n"
    "\n"
    "Verbs:\n"
    "  run [--trace FILE] -- CMD [ARG]...   run any command in the jail\n"
    "  triage [--json FILE] [--html FILE] [--sarif FILE] [--deps DIR] ARTIFACT\n"
    "                                       one package: verdict and report\n"
    "  scan PATH... [-j N] [--db FILE] [--jsonl FILE] [--deps DIR]\n"
    "                                       a batch, in parallel, into a store\n"
    "  sweep --ecosystem npm|pypi --registry URL (--names FILE | --all)\n"
    "        [--db FILE] [--since T] [--shard K/N] [-j N]\n"
    "                                       a registry's new releases\n"
    "  report --db FILE [--db FILE]... [--json]\n"
    "                                       what a store holds\n"
    "                                       install a package in the jail and\n"
    "                                       run every phase; record what it did\n"
    "\n"
    "  pkgtrap VERB --help    options of a verb\n"
    "  pkgtrap --version      version\n"
    "\n"
    "Environment: PKGTRAP_PROFILES (profiles directory), TMPDIR (where run\n"
    "directories are made; `run` without --keep prefers /dev/shm),\n"
    "PKGTRAP_TIMING (print start-up marks; a number is taken as the\n"
    "CLOCK_MONOTONIC ns to count from).\n";

int main(int argc, char **argv) {
  /* A closed stdout must not kill us mid-cleanup; writes report EPIPE. */
  signal(SIGPIPE, SIG_IGN);
  pt_mark("main");
  /* The fake network may hold several hundred sockets at its limits:
   * take the hard limit of open files (raising the soft one needs no
   * privilege). The jail lowers it again for the sample. */
  struct rlimit nf;
  if (getrlimit(RLIMIT_NOFILE, &nf) == 0 && nf.rlim_cur < nf.rlim_max) {
    nf.rlim_cur = nf.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &nf);
  }
  if (argc > 0) {
    char *end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
    jail_set_title_area(argv[0], (size_t)(end - argv[0]));
  }
  if (argc < 2) {
    fputs(usage, stderr);
    return PT_EXIT_ERROR;
  }
  const char *verb = argv[1];
  if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0 ||
      strcmp(verb, "help") == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(verb, "--version") == 0) {
    printf("pkgtrap %s\n", PKGTRAP_VERSION);
    return 0;
  }
  if (strcmp(verb, "run") == 0)
    return pt_cmd_run(argc - 1, argv + 1);
  if (strcmp(verb, "triage") == 0)
    return pt_cmd_triage(argc - 1, argv + 1);
  if (strcmp(verb, "scan") == 0)
    return pt_cmd_scan_with(argc - 1, argv + 1, pt_triage_report);
  if (strcmp(verb, "sweep") == 0)
    return pt_cmd_sweep_with(argc - 1, argv + 1, pt_triage_report);
  if (strcmp(verb, "report") == 0)
    return pt_cmd_report(argc - 1, argv + 1);
  fprintf(stderr, "pkgtrap: unknown verb `%s`\n%s", verb, usage);
  return PT_EXIT_ERROR;
}
