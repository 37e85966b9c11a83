/* pkgtrap: detonate open-source packages in a sandbox and tell whether
 * they are malicious. A thin CLI over runner/ and sandbox/.
 *
 * Built twice where the platform allows (runner/CMakeLists.txt): as
 * `pkgtrap-full`, every verb, dynamically linked (libarchive, libcurl and
 * libcrypto are loaded with dlopen, which a static binary cannot do
 * safely: the library would bring a second libc); and, with
 * PKGTRAP_FRONT, as `pkgtrap`, a static-pie binary holding only `run`,
 * which hands every other verb to pkgtrap-full beside it. Why: `run`
 * is the verb whose start-up counts (a triage starts a jail per phase
 * from one process; an analyst's `pkgtrap run` is one process per jail),
 * and a static binary without libc.so starts and forks faster (`timeit`,
 * 100 rounds, twice: 0.4-0.6 ms of `run -- /bin/true`'s ~4.5). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jail.h"
#ifndef PKGTRAP_FRONT
#include "scan_cli.h"
#include "triage_report.h"
#endif

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

#ifdef PKGTRAP_FRONT
/* Every verb but run: pkgtrap-full, from the directory this binary is in
 * (never PATH: the pair is built and installed together). */
static int exec_full(char **argv) {
  char self[PATH_MAX], full[PATH_MAX + 16];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) {
    fprintf(stderr, "pkgtrap: cannot find where this binary is "
                    "(/proc/self/exe): %s\n", strerror(errno));
    return PT_EXIT_ERROR;
  }
  self[n] = '\0';
  char *slash = strrchr(self, '/');
  if (slash)
    *slash = '\0';
  snprintf(full, sizeof(full), "%s/pkgtrap-full", self);
  execv(full, argv);
  fprintf(stderr,
          "pkgtrap: `%s` runs in %s, which cannot be started: %s "
          "(it is built with pkgtrap and belongs beside it)\n",
          argv[1], full, strerror(errno));
  return PT_EXIT_ERROR;
}
#endif

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
#ifdef PKGTRAP_FRONT
  static const char *const full_verbs[] = {"triage", "scan", "sweep",
                                           "report"};
  for (size_t i = 0; i < sizeof(full_verbs) / sizeof(full_verbs[0]); i++)
    if (strcmp(verb, full_verbs[i]) == 0)
      return exec_full(argv);
#else
  if (strcmp(verb, "triage") == 0)
    return pt_cmd_triage(argc - 1, argv + 1);
  pt_scan_deps_index = pt_npm_deps_index;
  pt_scan_deps_free = pt_npm_deps_free;
  if (strcmp(verb, "scan") == 0)
    return pt_cmd_scan_with(argc - 1, argv + 1, pt_triage_report);
  if (strcmp(verb, "sweep") == 0)
    return pt_cmd_sweep_with(argc - 1, argv + 1, pt_triage_report);
  if (strcmp(verb, "report") == 0)
    return pt_cmd_report(argc - 1, argv + 1);
#endif
  fprintf(stderr, "pkgtrap: unknown verb `%s`\n%s", verb, usage);
  return PT_EXIT_ERROR;
}
