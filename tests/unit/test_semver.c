/* semver tests, table-driven. The range table's expectations were checked
 * against node-semver 7 (npm's own, strict mode): satisfies, and -1 where
 * `new Range(r)` throws. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "semver.h"

#include "check.h"

static const struct {
  const char *range, *version;
  int want; /* 1 satisfies, 0 not, -1 invalid range */
} ranges[] = {
    {"1.2.3", "1.2.3", 1},
    {"1.2.3", "1.2.4", 0},
    {"=1.2.3", "1.2.3", 1},
    {"v1.2.3", "1.2.3", 1},
    {"=v1.2.3", "1.2.3", 1},
    {"  1.2.3  ", "1.2.3", 1},
    {"^1.2.3", "1.2.3", 1},
    {"^1.2.3", "1.9.9", 1},
    {"^1.2.3", "2.0.0", 0},
    {"^1.2.3", "1.2.2", 0},
    {"^1.2.3", "2.0.0-alpha", 0},
    {"^1.2.3", "1.3.0-beta", 0},
    {"^0.2.3", "0.2.9", 1},
    {"^0.2.3", "0.3.0", 0},
    {"^0.2.3", "0.2.2", 0},
    {"^0.0.3", "0.0.3", 1},
    {"^0.0.3", "0.0.4", 0},
    {"^0.0", "0.0.9", 1},
    {"^0.0", "0.1.0", 0},
    {"^0", "0.9.9", 1},
    {"^0", "1.0.0", 0},
    {"^1", "1.99.0", 1},
    {"^1", "2.0.0", 0},
    {"^1.2", "1.2.0", 1},
    {"^1.2", "1.1.9", 0},
    {"^1.x", "1.0.0", 1},
    {"^*", "3.0.0", 1},
    {"^ 1.2.3", "1.5.0", 1},
    {"^1.2.3-beta.2", "1.2.3-beta.3", 1},
    {"^1.2.3-beta.2", "1.2.3-beta.1", 0},
    {"^1.2.3-beta.2", "1.2.4-beta.1", 0},
    {"^1.2.3-beta.2", "1.9.0", 1},
    {"^0.0.3-beta", "0.0.3-pr.2", 1},
    {"^0.0.3-beta", "0.0.4", 0},
    {"~1.2.3", "1.2.9", 1},
    {"~1.2.3", "1.3.0", 0},
    {"~1.2.3", "1.2.2", 0},
    {"~1.2", "1.2.0", 1},
    {"~1.2", "1.3.0", 0},
    {"~1", "1.9.9", 1},
    {"~1", "2.0.0", 0},
    {"~0", "0.5.0", 1},
    {"~>1.2.3", "1.2.5", 1},
    {"~> 1.2.3", "1.3.0", 0},
    {"~ 1.2", "1.2.7", 1},
    {"~1.2.3-beta.2", "1.2.3-beta.4", 1},
    {"~1.2.3-beta.2", "1.2.4-beta.4", 0},
    {"~1.2.3-beta.2", "1.2.5", 1},
    {"1.x", "1.0.0", 1},
    {"1.x", "1.99.99", 1},
    {"1.x", "2.0.0", 0},
    {"1.x", "1.5.0-rc.1", 0},
    {"1.2.*", "1.2.7", 1},
    {"1.2.*", "1.3.0", 0},
    {"1.X", "1.4.0", 1},
    {"1", "1.4.0", 1},
    {"1", "2.0.0", 0},
    {"1.2", "1.2.5", 1},
    {"*", "9.9.9", 1},
    {"*", "1.0.0-alpha", 0},
    {"x", "0.0.1", 1},
    {"", "2.3.4", 1},
    {"", "2.3.4-beta", 0},
    {">=1.0.0", "1.0.0", 1},
    {">=1.0.0", "0.9.9", 0},
    {">=1.0.0 <2.0.0", "1.5.0", 1},
    {">=1.0.0 <2.0.0", "2.0.0", 0},
    {">= 1.0.0 < 2.0.0", "1.5.0", 1},
    {">= 1.0.0 < 2.0.0", "2.5.0", 0},
    {">1.2.3", "1.2.3", 0},
    {">1.2.3", "1.2.4", 1},
    {"<1.2.3", "1.2.2", 1},
    {"<1.2.3", "1.2.3-beta", 0},
    {"<=1.2.3", "1.2.3", 1},
    {"<1.2.3-beta.5", "1.2.3-beta.4", 1},
    {">=1.2.3-beta.1", "1.2.3-beta.1", 1},
    {">=1.2.3-beta.1", "1.2.3-beta.2", 1},
    {">=1.2.3-beta.1", "1.2.3-alpha.9", 0},
    {">=1.2.3-beta.1", "1.2.3", 1},
    {">=1.2.3-beta.1", "1.2.4-beta.1", 0},
    {">=1.2.3-beta.1", "2.0.0", 1},
    {">=1.2.3-beta.1 <1.2.3", "1.2.3-rc.1", 1},
    {">=1.2.3-beta.1", "1.2.3-beta.10", 1},
    {">=1.2.3-beta.2", "1.2.3-beta.10", 1},
    {">=1.2.3-beta.a", "1.2.3-beta.10", 0},
    {">=1.2.3-1", "1.2.3-a", 1},
    {">1", "1.9.0", 0},
    {">1", "2.0.0", 1},
    {">1.2", "1.2.9", 0},
    {">1.2", "1.3.0", 1},
    {"<=1.2", "1.2.9", 1},
    {"<=1.2", "1.3.0-0", 0},
    {"<=1.2", "1.3.0", 0},
    {"<1.2", "1.1.9", 1},
    {"<1.2", "1.2.0", 0},
    {"<=1", "1.99.0", 1},
    {"<=1", "2.0.0", 0},
    {">=1.2", "1.2.0", 1},
    {">=1", "1.0.0", 1},
    {">*", "1.0.0", 0},
    {"<*", "1.0.0", 0},
    {">=*", "1.0.0", 1},
    {"<=*", "1.0.0", 1},
    {"=1.x", "1.5.0", 1},
    {"=*", "1.5.0", 1},
    {"1.2.3 - 2.3.4", "1.2.3", 1},
    {"1.2.3 - 2.3.4", "2.3.4", 1},
    {"1.2.3 - 2.3.4", "2.3.5", 0},
    {"1.2.3 - 2.3.4", "1.2.2", 0},
    {"1.2 - 2.3.4", "1.2.0", 1},
    {"1.2 - 2.3.4", "1.1.9", 0},
    {"1.2.3 - 2.3", "2.3.9", 1},
    {"1.2.3 - 2.3", "2.4.0", 0},
    {"1.2.3 - 2", "2.99.0", 1},
    {"1.2.3 - 2", "3.0.0", 0},
    {"1 - 2", "1.0.0", 1},
    {"1 - 2", "2.9.9", 1},
    {"1 - 2", "3.0.0", 0},
    {"* - 2", "0.0.1", 1},
    {"1.2.3 - *", "99.0.0", 1},
    {"1.2.3-beta - 1.2.3", "1.2.3-rc", 1},
    {"1.2.3 - 2.0.0-beta", "2.0.0-alpha", 1},
    {"1.2.3 - 2.0.0-beta", "2.0.0-beta", 1},
    {"1.2.3 - 2.0.0-beta", "2.0.0-rc", 0},
    {"1.2.3 - 2.0.0-beta", "2.0.0", 0},
    {"1.2.3 -2.0.0", "1.5.0", -1},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", 1},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.4.0", 0},
    {"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.6.0", 1},
    {"^1.0.0||^2.0.0", "2.4.0", 1},
    {"^1.0.0||^2.0.0", "3.0.0", 0},
    {"^1.0.0 || ^2.0.0", "1.3.2", 1},
    {"<1.0.0 || >=2.3.1 <2.4.5 || >=2.5.2 <3.0.0", "2.4.6", 0},
    {"<1.0.0 || >=2.3.1 <2.4.5 || >=2.5.2 <3.0.0", "2.5.3", 1},
    {"1.x ||| 2.x", "1.0.0", -1},
    {"1.x |||| 2.x", "1.0.0", 1},
    {"1.x || ", "3.0.0", 1},
    {"|| 1.x", "3.0.0", 1},
    {"\t^1.2.3\t", "1.5.0", 1},
    {"^1.2.3 ~1.4.0", "1.4.2", 1},
    {"^1.2.3 ~1.4.0", "1.5.0", 0},
    {"1.2.3+build", "1.2.3", 1},
    {"1.2.3", "1.2.3+other", 1},
    {"^1.2.3+build", "1.3.0", 1},
    {"latest", "1.0.0", -1},
    {"next", "1.0.0", -1},
    {"file:../foo", "1.0.0", -1},
    {"git+https://github.com/a/b.git", "1.0.0", -1},
    {"npm:foo@^1", "1.0.0", -1},
    {"http://x/y.tgz", "1.0.0", -1},
    {"1.2.3.4", "1.2.3", -1},
    {"01.2.3", "1.2.3", -1},
    {"1.02.3", "1.2.3", -1},
    {"1.2.3-01", "1.2.3", -1},
    {"1.2.3-beta..1", "1.2.3", -1},
    {"1.2.3-", "1.2.3", -1},
    {"1.2.3+", "1.2.3", -1},
    {"1.2-beta", "1.2.0", -1},
    {">=", "1.0.0", -1},
    {"^", "1.0.0", -1},
    {"~", "1.0.0", -1},
    {">= >=1.0.0", "1.0.0", -1},
    {"=>1.0.0", "1.0.0", -1},
    {"^~1.0.0", "1.0.0", -1},
    {"1.0.0 foo", "1.0.0", -1},
    {"-", "1.0.0", -1},
    {"1.2.3 -", "1.0.0", -1},
    {"99999999999999999", "1.0.0", -1},
    {"9007199254740992", "1.0.0", -1},
    {"1.2.x-beta", "1.2.5", 1},
    {"1.2.3-beta.1", "1.2.3-beta.1", 1},
    {"1.2.3-alpha < 1.2.3-alpha.1", "1.2.3-alpha", 1},
    {">1.2.3-alpha <1.2.3-alpha.1.0", "1.2.3-alpha.1", 1},
    {">1.2.3-alpha.1", "1.2.3-alpha.beta", 1},
    {">1.2.3-alpha.beta", "1.2.3-beta", 1},
    {">1.2.3-beta.2", "1.2.3-beta.11", 1},
    {">1.2.3-beta.11", "1.2.3-rc.1", 1},
    {">1.2.3-rc.1", "1.2.3", 1},
    {">1.0.0-2", "1.0.0-10", 1},
    {">1.0.0-a-b", "1.0.0-a-c", 1},
    {"v1.x", "1.3.0", 1},
    {">=v1.2.0", "1.3.0", 1},
};

/* Each is below the next (semver.org's example, and numbers). */
static const char *const ordered[] = {
    "0.0.0-0",
    "0.0.0",
    "0.0.1",
    "0.1.0",
    "1.0.0-0",
    "1.0.0-2",
    "1.0.0-10",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.2.0",
    "1.10.0",
    "2.0.0",
    "10.0.0",
    "9007199254740991.0.0",
};

static const struct {
  const char *s;
  bool ok;
  const char *pre; /* when ok */
} versions[] = {
    {"1.2.3", true, ""},
    {"v1.2.3", true, ""},
    {"=1.2.3", true, ""},
    {" 1.2.3\n", true, ""},
    {"1.2.3-beta.1", true, "beta.1"},
    {"1.2.3-beta.1+exp.sha.5114f85", true, "beta.1"},
    {"1.2.3+build", true, ""},
    {"1.2.3-0", true, "0"},
    {"1.2.3-x-y-z.--", true, "x-y-z.--"},
    {"0.0.0", true, ""},
    {"1.2", false, NULL},
    {"1", false, NULL},
    {"1.2.x", false, NULL},
    {"*", false, NULL},
    {"", false, NULL},
    {"1.2.3.4", false, NULL},
    {"01.2.3", false, NULL},
    {"1.2.03", false, NULL},
    {"1.2.3-01", false, NULL},
    {"1.2.3-", false, NULL},
    {"1.2.3-a..b", false, NULL},
    {"1.2.3+", false, NULL},
    {"1.2.3+a_b", false, NULL},
    {"1.2.3 4", false, NULL},
    {"-1.2.3", false, NULL},
    {"9007199254740992.0.0", false, NULL},
    {"99999999999999999999.0.0", false, NULL},
    {"1.2.3-beta\xff", false, NULL},
};

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng >> 32);
}

int main(void) {
  for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
    pt_semver v;
    CHECK(pt_semver_parse(ranges[i].version, &v), "version %s",
          ranges[i].version);
    int got = pt_semver_satisfies(&v, ranges[i].range);
    CHECK(got == ranges[i].want, "%s satisfies \"%s\": %d, want %d",
          ranges[i].version, ranges[i].range, got, ranges[i].want);
  }

  for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
    pt_semver v;
    bool ok = pt_semver_parse(versions[i].s, &v);
    CHECK(ok == versions[i].ok, "parse \"%s\": %d", versions[i].s, ok);
    if (ok && versions[i].ok)
      CHECK(strcmp(v.pre, versions[i].pre) == 0, "\"%s\" pre %s", versions[i].s,
            v.pre);
  }

  size_t n = sizeof(ordered) / sizeof(ordered[0]);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++) {
      pt_semver a, b;
      CHECK(pt_semver_parse(ordered[i], &a) && pt_semver_parse(ordered[k], &b),
            "parse %s %s", ordered[i], ordered[k]);
      int c = pt_semver_cmp(&a, &b);
      int want = i < k ? -1 : i > k ? 1 : 0;
      CHECK((c > 0) - (c < 0) == want, "cmp %s %s: %d", ordered[i], ordered[k],
            c);
    }

  /* Build metadata never orders. */
  pt_semver a, b;
  CHECK(pt_semver_parse("1.2.3+a", &a) && pt_semver_parse("1.2.3+b", &b) &&
            pt_semver_cmp(&a, &b) == 0,
        "build metadata");

  /* The caps: a prerelease of PT_SEMVER_MAX_PRE bytes, not one more; a
   * range of PT_SEMVER_MAX_RANGE bytes, not one more. */
  char buf[PT_SEMVER_MAX_RANGE + 64];
  snprintf(buf, sizeof(buf), "1.2.3-%0*d", PT_SEMVER_MAX_PRE, 0);
  buf[6] = 'a';
  CHECK(pt_semver_parse(buf, &a) && strlen(a.pre) == PT_SEMVER_MAX_PRE,
        "longest prerelease");
  CHECK(pt_semver_satisfies(&a, buf) == 1, "longest prerelease, exact");
  snprintf(buf, sizeof(buf), "1.2.3-a%0*d", PT_SEMVER_MAX_PRE, 0);
  CHECK(!pt_semver_parse(buf, &a), "prerelease too long");
  CHECK(pt_semver_satisfies(&b, buf) == -1, "range prerelease too long");
  pt_semver one;
  CHECK(pt_semver_parse("1.0.0", &one), "1.0.0");
  memset(buf, ' ', sizeof(buf));
  memcpy(buf, "1.0.0", 5);
  buf[PT_SEMVER_MAX_RANGE] = '\0';
  CHECK(pt_semver_satisfies(&one, buf) == 1, "range at the cap");
  buf[PT_SEMVER_MAX_RANGE] = ' ';
  buf[PT_SEMVER_MAX_RANGE + 1] = '\0';
  CHECK(pt_semver_satisfies(&one, buf) == -1, "range past the cap");
  /* Many sets and comparators: linear, and still right. */
  size_t k = 0;
  while (k + 12 < PT_SEMVER_MAX_RANGE) {
    memcpy(buf + k, "<0.0.1 || ", 10);
    k += 10;
  }
  memcpy(buf + k - 3, "   ", 3);
  buf[k] = '\0';
  CHECK(pt_semver_satisfies(&one, buf) == 0, "many sets");
  memcpy(buf + k - 10, "|| 1.x    ", 10);
  CHECK(pt_semver_satisfies(&one, buf) == 1, "many sets, last matches");

  /* Garbage and near-misses: an answer, never a crash (ASan and UBSan
   * builds run this). */
  static const char alphabet[] = "0123456789.-+xX*^~<>=|v abz\t";
  for (int i = 0; i < 200000; i++) {
    char r[48];
    size_t len = next_rand() % (sizeof(r) - 1);
    for (size_t j = 0; j < len; j++)
      r[j] = alphabet[next_rand() % (sizeof(alphabet) - 1)];
    r[len] = '\0';
    int s = pt_semver_satisfies(&one, r);
    CHECK(s >= -1 && s <= 1, "satisfies \"%s\": %d", r, s);
    pt_semver v;
    if (pt_semver_parse(r, &v)) {
      /* A version satisfies itself as a range. */
      CHECK(pt_semver_satisfies(&v, r) == 1, "\"%s\" satisfies itself", r);
      CHECK(pt_semver_cmp(&v, &v) == 0, "\"%s\" equals itself", r);
    }
  }
  return failures != 0;
}
