/* The seccomp filter compiled at build time (the generated seccomp_image.c)
 * is exactly what a run would compile from profiles/seccomp.json and the
 * recorder's rules, and is refused for any other policy bytes or rules
 * (then the run compiles: sandbox/jail_filter_image.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail_internal.h"
#include "recorder_rules.h"
#include "unit/check.h"

extern const struct jail_filter_image pt_seccomp_image;

static const char *policy = PT_TEST_PROFILES_DIR "/seccomp.json";

static void same_filter(const struct jail_filter *a, const struct jail_filter *b) {
  CHECK(a->prog.len == b->prog.len, "BPF length %u vs %u", a->prog.len,
        b->prog.len);
  if (a->prog.len == b->prog.len)
    CHECK(memcmp(a->prog.filter, b->prog.filter,
                 a->prog.len * sizeof(*a->prog.filter)) == 0,
          "the BPF differs");
  const struct jail_policy *p = &a->policy, *q = &b->policy;
  CHECK(p->n_refuse == q->n_refuse &&
            memcmp(p->refuse, q->refuse, p->n_refuse * sizeof(int)) == 0,
        "refused syscalls differ");
  CHECK(p->n_enosys == q->n_enosys &&
            memcmp(p->enosys, q->enosys, p->n_enosys * sizeof(int)) == 0,
        "ENOSYS syscalls differ");
  CHECK(p->n_ioctls == q->n_ioctls &&
            memcmp(p->ioctls, q->ioctls, p->n_ioctls * sizeof(p->ioctls[0])) == 0,
        "refused ioctls differ");
  CHECK(p->clone_flags == q->clone_flags, "clone flags differ");
  CHECK(p->open_flags == q->open_flags, "open flags differ");
  CHECK(p->ptrace_own_children == q->ptrace_own_children, "ptrace differs");
  CHECK(p->bad_arch_action == q->bad_arch_action, "bad-arch action differs");
}

/* A copy of the policy, cut by `cut` bytes or with `append` added. */
static char *policy_copy(const char *dir, size_t cut, const char *append) {
  char *text = NULL;
  size_t len = 0;
  if (pt_read_file_at(AT_FDCWD, policy, 1 << 20, &text, &len, NULL) < 0)
    return NULL;
  char *path = NULL;
  if (asprintf(&path, "%s/seccomp-%zu.json", dir, cut) < 0)
    return NULL;
  FILE *f = fopen(path, "w");
  if (f) {
    fwrite(text, 1, len - cut, f);
    fputs(append, f);
    fclose(f);
  }
  free(text);
  return path;
}

int main(void) {
  size_t n;
  const struct jail_notify_rule *rules = pt_recorder_rules(&n);
  pt_err *e = NULL;
  struct jail_filter *fresh = jail_filter_new(policy, rules, n, &e);
  CHECK(fresh != NULL, "compile %s: %s", policy, e ? e->msg : "");
  struct jail_filter *img = jail_filter_from_image(&pt_seccomp_image, policy, rules, n);
  CHECK(img != NULL, "the image is refused for the policy it was made from");
  if (fresh && img)
    same_filter(fresh, img);
  jail_filter_free(img);

  /* Any other bytes: no image (a policy edited after the build). */
  char dir[] = "/tmp/pkgtrap-test-image-XXXXXX";
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  char *longer = policy_copy(dir, 0, "\n"), *shorter = policy_copy(dir, 1, "");
  CHECK(longer && shorter, "copies of the policy");
  CHECK(jail_filter_from_image(&pt_seccomp_image, longer, rules, n) == NULL,
        "the image is used for a longer policy file");
  CHECK(jail_filter_from_image(&pt_seccomp_image, shorter, rules, n) == NULL,
        "the image is used for a shorter policy file");
  /* ... which compiles to the same filter (a newline changes nothing). */
  struct jail_filter *compiled = jail_filter_new(longer, rules, n, &e);
  CHECK(compiled != NULL, "compile the copy");
  if (fresh && compiled)
    same_filter(fresh, compiled);
  jail_filter_free(compiled);
  CHECK(jail_filter_from_image(&pt_seccomp_image, "/no/such/policy.json", rules,
                               n) == NULL,
        "the image is used without a policy file");

  /* Other rules: no image. */
  struct jail_notify_rule *other = calloc(n, sizeof(*other));
  if (other) {
    memcpy(other, rules, n * sizeof(*other));
    struct jail_filter *same = jail_filter_from_image(&pt_seccomp_image,
                                                      policy, other, n);
    CHECK(same != NULL, "the image is refused for a copy of its rules");
    jail_filter_free(same);
    other[0].cond[0].op = SCMP_CMP_NE;
    CHECK(jail_filter_from_image(&pt_seccomp_image, policy, other, n) == NULL,
          "the image is used for rules with another condition");
    CHECK(jail_filter_from_image(&pt_seccomp_image, policy, rules, n - 1) == NULL,
          "the image is used for fewer rules");
    free(other);
  }
  unlink(longer);
  unlink(shorter);
  rmdir(dir);
  free(longer);
  free(shorter);
  jail_filter_free(fresh);
  pt_err_free(e);
  return failures != 0;
}
