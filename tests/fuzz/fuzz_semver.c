/* libFuzzer target: npm version ranges (semver.c), as package.json gives
 * them: the input is a range (up to its first NUL), tested against a few
 * versions; and a version, which must satisfy itself as a range. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_assert.h"
#include "semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char in[PT_SEMVER_MAX_RANGE + 2];
  size_t n = size < sizeof(in) - 1 ? size : sizeof(in) - 1;
  memcpy(in, data, n);
  in[n] = '\0';
  static const char *const probes[] = {"0.0.0", "1.2.3", "1.2.3-beta.1",
                                       "2.0.0-0", "9007199254740991.0.0"};
  int first = 2;
  for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
    pt_semver v;
    ASSERT(pt_semver_parse(probes[i], &v));
    int r = pt_semver_satisfies(&v, in);
    ASSERT(r >= -1 && r <= 1);
    /* Validity does not depend on the version. */
    if (first == 2)
      first = r < 0;
    ASSERT(first == (r < 0));
  }
  pt_semver v;
  if (pt_semver_parse(in, &v)) {
    ASSERT(strlen(v.pre) <= PT_SEMVER_MAX_PRE);
    ASSERT(pt_semver_cmp(&v, &v) == 0);
    ASSERT(pt_semver_satisfies(&v, in) == 1);
  }
  return 0;
}
