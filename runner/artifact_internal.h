/* Shared between artifact.c (public API), artifact_scan.c (libarchive
 * passes) and artifact_identify.c (tree checks, ecosystem, metadata). Not
 * for use outside the artifact module. */
#ifndef PT_ARTIFACT_INTERNAL_H
#define PT_ARTIFACT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "artifact.h"

/* One accepted entry of pass 1, path normalized ("a/b/c": no leading
 * "./", no empty or "." components, no trailing slash). */
typedef struct pt_artifact_entry {
  char *path;
  mode_t type; /* AE_IFREG, AE_IFDIR or AE_IFLNK */
  char *link;  /* symlink target, else NULL */
  /* A regular file's sha256 (pass 1), when libcrypto could be loaded: two
   * entries of one path with the same content are one file (pack tools
   * emit `package/./x` beside `package/x`), not a problem. */
  unsigned char sha256[32];
  bool hashed;
  bool same_as_other; /* a duplicate path of identical content */
} pt_artifact_entry;

/* Metadata files captured in memory during pass 1, so identification needs
 * no extraction. Only depth-2 files named package.json, PKG-INFO and
 * *.dist-info/METADATA are kept. */
#define PT_ARTIFACT_CAPTURE_MAX 16
#define PT_ARTIFACT_CAPTURE_BUDGET (8u << 20) /* all captures together */

typedef struct pt_artifact_capture {
  char *path;
  char *data; /* NUL-terminated; NULL when too large or over budget */
  size_t len;
  bool too_large;
} pt_artifact_capture;

typedef struct pt_artifact_scan {
  const pt_artifact_limits *lim;
  pt_artifact_problems *probs; /* never NULL inside the module */
  const char *label;
  uint64_t archive_bytes;
  uint64_t total_bytes;
  uint64_t entries; /* headers seen */
  bool fatal;       /* a problem that stops reading (corrupt, bomb) */
  bool is_zip;
  /* A copy: libarchive's zip reader formats the name into its own
   * buffer, gone with the archive. */
  char format[64];
  pt_artifact_entry *items;
  size_t len, alloc;
  pt_artifact_capture captures[PT_ARTIFACT_CAPTURE_MAX];
  size_t n_captures, capture_bytes;
} pt_artifact_scan;

void pt_artifact_scan_free(pt_artifact_scan *s);

/* Record a problem (rule is a PT_ARTIFACT_RULE_*; entry may be NULL). */
void pt_artifact_problem_add(pt_artifact_problems *p, const char *rule,
                             const char *entry, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Pass 1 over fd (from offset 0): fills s, records problems. -1 only for
 * errors that are not about the archive (allocation, I/O on fd). */
int pt_artifact_scan_pass(int fd, pt_artifact_scan *s, pt_err **err);
/* Pass 2: extract into destfd. Any failure is -1 with err set; the caller
 * removes what was created. */
int pt_artifact_extract_pass(int fd, int destfd, pt_artifact_scan *s,
                             pt_err **err);

/* After pass 1: duplicates, entries below a non-directory, symlink
 * chains. Records problems. -1 only on allocation failure. */
int pt_artifact_check_tree(pt_artifact_scan *s, pt_err **err);
/* The entry of path, after pt_artifact_check_tree (which sorts them). */
const pt_artifact_entry *pt_artifact_lookup(const pt_artifact_scan *s,
                                            const char *path);
/* After a clean check: ecosystem, root, name, version. A broken metadata
 * file of the identified ecosystem is a problem (archive-bad-metadata). */
int pt_artifact_identify(pt_artifact_scan *s, pt_artifact_info *info,
                         pt_err **err);

#endif
