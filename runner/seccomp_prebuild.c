/* Build-time tool: compiles the bundled seccomp policy with the recorder's
 * notify rules and writes the result as C source (a jail_filter_image),
 * which `pkgtrap run` then uses instead of compiling it again while the
 * policy file is unchanged (sandbox/jail_filter_image.c says why).
 *
 *   seccomp_prebuild POLICY.json OUT.c
 *
 * Writes OUT.c whole or not at all (a temporary file, then rename). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail.h"
#include "recorder_rules.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s POLICY.json OUT.c\n", argv[0]);
    return 2;
  }
  const char *policy = argv[1], *out_path = argv[2];
  size_t n_rules;
  const struct jail_notify_rule *rules = pt_recorder_rules(&n_rules);
  pt_err *e = NULL;
  struct jail_filter *f = jail_filter_new(policy, rules, n_rules, &e);
  if (f == NULL) {
    fprintf(stderr, "seccomp_prebuild: %s\n", e && e->msg ? e->msg : policy);
    pt_err_free(e);
    return 1;
  }
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
  FILE *out = fopen(tmp, "we");
  int rc = out ? jail_filter_write_image(f, policy, rules, n_rules,
                                         "pt_seccomp_image", out, &e)
               : pt_err_make(&e, errno, "create `%s`", tmp);
  if (out && fclose(out) != 0 && rc == 0)
    rc = pt_err_make(&e, errno, "write `%s`", tmp);
  if (rc == 0 && rename(tmp, out_path) < 0)
    rc = pt_err_make(&e, errno, "rename `%s`", tmp);
  jail_filter_free(f);
  if (rc < 0) {
    fprintf(stderr, "seccomp_prebuild: %s\n", e && e->msg ? e->msg : "failed");
    pt_err_free(e);
    unlink(tmp);
    return 1;
  }
  return 0;
}
