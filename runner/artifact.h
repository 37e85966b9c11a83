/* Artifacts: hardened unpacking of wheels, sdists and npm tarballs, and
 * identification of what a file is by its content (never its name).
 *
 * Unpacking is two passes over the archive with libarchive:
 *   1. validate: every header is checked (names, types, modes, links,
 *      duplicates), every byte of data is read and counted (header sizes are
 *      never trusted), the package metadata is captured in memory, and the
 *      ecosystem is identified. Any problem rejects the whole archive and
 *      nothing is written.
 *   2. extract: the same archive is read again and written fd-relative under
 *      a dirfd of dest (openat/mkdirat/symlinkat, O_NOFOLLOW, O_EXCL, never
 *      following a link). Caps are enforced again; on any failure everything
 *      created under dest is removed.
 * Nothing is ever written outside dest.
 *
 *   pt_artifact_info info;
 *   pt_artifact_problems probs;
 *   if (pt_artifact_unpack(path, dest, NULL, &info, &probs, &err) < 0) {
 *     ... verdict "error", err->msg; one finding per probs.items[i] ...
 *   }
 *   ... package root is dest/info.root ...
 *   pt_artifact_info_free(&info);
 */
#ifndef PT_ARTIFACT_H
#define PT_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

#include "pt_err.h"

enum pt_ecosystem { PT_ECO_UNKNOWN, PT_ECO_WHEEL, PT_ECO_SDIST, PT_ECO_NPM };

/* "unknown", "wheel", "sdist", "npm". Never NULL. */
const char *pt_artifact_ecosystem_name(enum pt_ecosystem eco);
/* The report's package.ecosystem: "pypi" for wheel and sdist, "npm",
 * "unknown". */
const char *pt_artifact_ecosystem_registry(enum pt_ecosystem eco);

/* Every cap is configurable; pt_artifact_limits_default() fills the
 * defaults named here. */
typedef struct pt_artifact_limits {
  uint64_t max_archive_bytes; /* the artifact file itself: 512 MiB */
  uint64_t max_total_bytes;   /* sum of extracted data: 512 MiB */
  uint64_t max_file_bytes;    /* one entry's data: 256 MiB */
  uint64_t max_entries;       /* 20000 */
  size_t max_name_len;        /* one entry name, bytes: 1024 */
  uint32_t max_ratio;         /* expanded/compressed over the archive: 200 */
  uint64_t ratio_floor;       /* ratio checked once expanded > this: 1 MiB */
} pt_artifact_limits;

void pt_artifact_limits_default(pt_artifact_limits *l);

/* Rule ids of problems (stable; used as the report finding's "rule"). */
#define PT_ARTIFACT_RULE_TRAVERSAL "archive-path-traversal"
#define PT_ARTIFACT_RULE_ABSOLUTE "archive-absolute-path"
#define PT_ARTIFACT_RULE_LINK_ESCAPE "archive-link-escape"
#define PT_ARTIFACT_RULE_HARDLINK "archive-hardlink"
#define PT_ARTIFACT_RULE_SPECIAL "archive-special-file"
#define PT_ARTIFACT_RULE_SETUID "archive-setuid"
#define PT_ARTIFACT_RULE_BOMB "archive-bomb"
#define PT_ARTIFACT_RULE_TOO_MANY "archive-too-many-entries"
#define PT_ARTIFACT_RULE_CORRUPT "archive-corrupt"
#define PT_ARTIFACT_RULE_BAD_NAME "archive-bad-name"
#define PT_ARTIFACT_RULE_DUPLICATE "archive-duplicate-entry"
#define PT_ARTIFACT_RULE_BAD_METADATA "archive-bad-metadata"
/* The file reads as a zip and as a tar: pip (zip) and we could see
 * different packages. */
#define PT_ARTIFACT_RULE_POLYGLOT "archive-polyglot"

#define PT_ARTIFACT_PROBLEMS_MAX 32
#define PT_ARTIFACT_SUMMARY_MAX 200
/* Entry names are shown escaped (\xNN for anything not printable ASCII)
 * and cut to this many bytes, with "..." at the end when cut. */
#define PT_ARTIFACT_ENTRY_SHOW_MAX 200

typedef struct pt_artifact_problem {
  const char *rule; /* one of PT_ARTIFACT_RULE_* (static string) */
  char summary[PT_ARTIFACT_SUMMARY_MAX]; /* one line */
  char entry[PT_ARTIFACT_ENTRY_SHOW_MAX + 8]; /* offending entry, "" if none */
} pt_artifact_problem;

/* Fixed size so a caller can keep it on the stack; problems past the
 * maximum are counted in dropped. */
typedef struct pt_artifact_problems {
  size_t len;
  size_t dropped;
  pt_artifact_problem items[PT_ARTIFACT_PROBLEMS_MAX];
} pt_artifact_problems;

typedef struct pt_artifact_info {
  enum pt_ecosystem ecosystem;
  char *name;      /* validated package name, NULL if unknown */
  char *version;   /* validated version, NULL if unknown */
  char sha256[65]; /* lowercase hex of the artifact file */
  /* Package root relative to dest: "." for a wheel, the single top
   * directory ("package", "demo-1.0") for npm and sdist, NULL if unknown. */
  char *root;
  char *dist_info;    /* wheel only: "demo-1.0.dist-info" */
  char format[64];     /* libarchive's name, e.g. "ZIP 2.0 (deflation)" */
  uint64_t archive_bytes; /* size of the artifact file */
  uint64_t entries;       /* entries in the archive */
  uint64_t total_bytes;   /* data bytes expanded */
  int npm_binding_gyp; /* npm: root has binding.gyp and no install script,
                          so npm runs `node-gyp rebuild` at install */
} pt_artifact_info;

void pt_artifact_info_free(pt_artifact_info *info);

/* Validate, identify and extract the artifact at path into dest_dir, which
 * must be an empty directory or not exist yet (then it is created 0700; its
 * parent must exist). limits NULL = defaults. problems may be NULL.
 * Returns 0, or -1 with *err set and, when the archive itself was rejected,
 * problems->len > 0. An archive that is valid but not a wheel/sdist/npm
 * package is still extracted, with ecosystem PT_ECO_UNKNOWN. */
int pt_artifact_unpack(const char *path, const char *dest_dir,
                       const pt_artifact_limits *limits, pt_artifact_info *info,
                       pt_artifact_problems *problems, pt_err **err);

/* Same from an open file (read from offset 0; must be seekable). label
 * names the artifact in messages. */
int pt_artifact_unpack_fd(int fd, const char *label, const char *dest_dir,
                          const pt_artifact_limits *limits,
                          pt_artifact_info *info,
                          pt_artifact_problems *problems, pt_err **err);

/* Pass 1 only: validate and identify without writing anything. */
int pt_artifact_inspect(const char *path, const pt_artifact_limits *limits,
                        pt_artifact_info *info, pt_artifact_problems *problems,
                        pt_err **err);
int pt_artifact_inspect_fd(int fd, const char *label,
                           const pt_artifact_limits *limits,
                           pt_artifact_info *info,
                           pt_artifact_problems *problems, pt_err **err);

#endif
