/* npm's semver: versions, and the ranges package.json dependencies give,
 * matched as node-semver (v7, not loose) matches them. Hostile input (a
 * package's own package.json): no allocation, no recursion, bounded by
 * PT_SEMVER_MAX_RANGE.
 *
 * Ranges: `1.2.3`, `=1.2.3`, `v1.2.3`, `<`, `<=`, `>`, `>=` (a space
 * between operator and version allowed), `^`, `~`, `~>`, x-ranges and
 * partials (`1.x`, `1.2.*`, `1`, `*`, `` ``), hyphen ranges (`1.2 -
 * 2.3.4`), space-separated comparator sets, `||` unions. A prerelease
 * version matches a set only when one of its comparators has the same
 * major.minor.patch with a prerelease tag (node-semver's rule). Anything
 * else (a dist-tag such as `latest`, `file:`, a git URL) is no range:
 * callers decide. */
#ifndef PT_SEMVER_H
#define PT_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_SEMVER_MAX_RANGE 1024 /* bytes; longer is no range */
#define PT_SEMVER_MAX_PRE 128    /* a prerelease tag, bytes */

typedef struct pt_semver {
  uint64_t num[3];                 /* major, minor, patch */
  char pre[PT_SEMVER_MAX_PRE + 1]; /* "beta.1", "" for a release */
} pt_semver;

/* A full version (`1.2.3`, `1.2.3-rc.1+build`, after an optional `v` or
 * `=` and around whitespace): false when it is none. Numbers at most
 * 2^53-1 (JavaScript's safe integers, as node-semver), no leading zero;
 * build metadata is dropped (it never orders). */
bool pt_semver_parse(const char *s, pt_semver *out);
/* <0, 0, >0 as node-semver's compare (prereleases below their release). */
int pt_semver_cmp(const pt_semver *a, const pt_semver *b);
/* 1 when v satisfies range, 0 when not, -1 when range is no valid
 * range. */
int pt_semver_satisfies(const pt_semver *v, const char *range);

#endif
