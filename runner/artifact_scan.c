/* The two libarchive passes over an artifact: pass 1 validates every entry
 * and counts every byte without writing anything; pass 2 extracts
 * fd-relative under dest, never following a link and never replacing a
 * file (O_EXCL). Both passes run the same per-entry checks and caps, so an
 * archive that changes between the passes is still bounded. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact_internal.h"
#include "dl_archive.h" /* libarchive, loaded on first use */
#include "dl_crypto.h"  /* each file's sha256: libcrypto, ditto */
#include "pt_util.h"
#include "npmmeta.h"
#include "pymeta.h"

static inline void archive_freep(struct archive **a) {
  if (*a != NULL)
    archive_read_free(*a);
}
#define cleanup_archive __attribute__((cleanup(archive_freep)))

#define DATA_CHUNK (64u << 10)

/* Only the formats and filters real artifacts use: wheels and zip sdists
 * (zip), sdists and npm tarballs (tar, gzip; bzip2 and xz for old
 * sdists). Every extra format is attack surface. */
static struct archive *reader_new(int fd, pt_artifact_scan *s, pt_err **err) {
  /* Every pass starts here, so nothing below calls into libarchive
   * before it is loaded. */
  if (pt_dl_archive_load(err) < 0)
    return NULL;
  if (lseek(fd, 0, SEEK_SET) < 0) {
    pt_err_make(err, errno, "seek `%s`", s->label);
    return NULL;
  }
  struct archive *a = archive_read_new();
  if (a == NULL) {
    pt_err_make(err, ENOMEM, "archive_read_new");
    return NULL;
  }
  /* A filter that is not built in makes libarchive fall back to running
   * an external program (ARCHIVE_WARN); never spawn anything for a
   * hostile input, fail instead. */
  if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
      archive_read_support_filter_bzip2(a) != ARCHIVE_OK ||
      archive_read_support_filter_xz(a) != ARCHIVE_OK ||
      archive_read_support_format_tar(a) != ARCHIVE_OK ||
      archive_read_support_format_zip(a) != ARCHIVE_OK) {
    pt_err_make(err, ENOTSUP, "libarchive lacks a built-in filter or format: "
                              "%s", archive_error_string(a));
    archive_read_free(a);
    return NULL;
  }
  if (archive_read_open_fd(a, fd, DATA_CHUNK) != ARCHIVE_OK) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_CORRUPT, NULL,
                            "not a zip or tar archive: %s",
                            archive_error_string(a));
    s->fatal = true;
    archive_read_free(a);
    return NULL;
  }
  return a;
}

/* ---- per-entry checks ----------------------------------------------- */

static bool bad_name_char(unsigned char c) {
  /* Control characters break reports and terminals; a backslash is a
   * separator to Windows tools and to some unpackers, so `..\..\x` would
   * be a traversal to them. */
  return c < 0x20 || c == 0x7f || c == '\\';
}

static bool has_bad_char(const char *s) {
  for (; *s; s++)
    if (bad_name_char((unsigned char)*s))
      return true;
  return false;
}

/* Normalize a relative path; returns the number of components, -1 for a
 * `..` component, -2 for a component over NAME_MAX. */
static int normalize(const char *raw, pt_buf *out) {
  int depth = 0;
  const char *p = raw;
  while (*p) {
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return -1;
    if (n > NAME_MAX)
      return -2;
    if (n > 0 && !(n == 1 && p[0] == '.')) {
      if (depth > 0)
        pt_buf_append(out, "/", 1);
      pt_buf_append(out, p, n);
      depth++;
    }
    p += n;
    if (*p == '/')
      p++;
  }
  return depth;
}

/* Does a relative symlink target, taken from the link's directory (depth
 * components below the root), stay inside the tree? Lexical only; links
 * through other links are checked over the whole tree later. */
static bool link_stays_inside(const char *target, int depth) {
  const char *p = target;
  while (*p) {
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (--depth < 0)
        return false;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      depth++;
    }
    p += n;
    if (*p == '/')
      p++;
  }
  return true;
}

static const char *type_name(mode_t t) {
  switch (t) {
  case AE_IFCHR:
    return "a character device";
  case AE_IFBLK:
    return "a block device";
  case AE_IFIFO:
    return "a FIFO";
  case AE_IFSOCK:
    return "a socket";
  default:
    return "of an unknown type";
  }
}

enum check { CHECK_OK, CHECK_SKIP, CHECK_REJECT };

/* Every rule that one header can break. *norm gets the normalized path
 * (caller frees) when CHECK_OK. */
static enum check check_entry(pt_artifact_scan *s, struct archive_entry *e,
                              char **norm) {
  pt_artifact_problems *pr = s->probs;
  const char *raw = archive_entry_pathname(e);
  if (raw == NULL)
    raw = archive_entry_pathname_utf8(e);
  if (raw == NULL) {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, NULL,
                            "an entry name cannot be decoded");
    return CHECK_REJECT;
  }
  size_t len = strlen(raw);
  if (len == 0) {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                            "an entry has an empty name");
    return CHECK_REJECT;
  }
  if (len > s->lim->max_name_len) {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                            "entry name is %zu bytes, over the limit of %zu",
                            len, s->lim->max_name_len);
    return CHECK_REJECT;
  }
  if (!pt_pymeta_valid_utf8(raw, len)) {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                            "entry name is not valid UTF-8");
    return CHECK_REJECT;
  }
  if (has_bad_char(raw)) {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                            "entry name contains a control character or "
                            "backslash");
    return CHECK_REJECT;
  }
  if (raw[0] == '/') {
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_ABSOLUTE, raw,
                            "entry has an absolute path");
    return CHECK_REJECT;
  }
  pt_buf nb;
  pt_buf_init(&nb, len + 1);
  int depth = normalize(raw, &nb);
  if (depth == -1 || depth == -2) {
    pt_buf_free(&nb);
    if (depth == -1)
      pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_TRAVERSAL, raw,
                              "entry path has a `..` component");
    else
      pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                              "entry path has a component over %d bytes",
                              NAME_MAX);
    return CHECK_REJECT;
  }
  mode_t type = archive_entry_filetype(e);
  if (archive_entry_hardlink(e) != NULL) {
    pt_buf_free(&nb);
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_HARDLINK, raw,
                            "entry is a hard link");
    return CHECK_REJECT;
  }
  if (depth == 0) {
    pt_buf_free(&nb);
    if (type == AE_IFDIR)
      return CHECK_SKIP; /* "./": the root itself */
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_BAD_NAME, raw,
                            "entry names the archive root");
    return CHECK_REJECT;
  }
  if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
    pt_buf_free(&nb);
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_SPECIAL, raw, "entry is %s",
                            type_name(type));
    return CHECK_REJECT;
  }
  if (archive_entry_perm(e) & (S_ISUID | S_ISGID | S_ISVTX)) {
    pt_buf_free(&nb);
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_SETUID, raw,
                            "entry has mode %04o (setuid/setgid/sticky)",
                            (unsigned)archive_entry_perm(e));
    return CHECK_REJECT;
  }
  if (type == AE_IFLNK) {
    const char *t = archive_entry_symlink(e);
    const char *why = NULL;
    if (t == NULL || t[0] == '\0')
      why = "symlink has no target";
    else if (strlen(t) > s->lim->max_name_len)
      why = "symlink target is over the name limit";
    else if (!pt_pymeta_valid_utf8(t, strlen(t)))
      why = "symlink target is not valid UTF-8";
    else if (has_bad_char(t))
      why = "symlink target contains a control character or backslash";
    else if (t[0] == '/')
      why = "symlink target is absolute";
    else if (!link_stays_inside(t, depth - 1))
      why = "symlink target points outside the archive";
    if (why != NULL) {
      pt_buf_free(&nb);
      pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_LINK_ESCAPE, raw, "%s",
                              why);
      return CHECK_REJECT;
    }
  }
  if (nb.data == NULL) { /* allocation failed inside pt_buf_append */
    pt_artifact_problem_add(pr, PT_ARTIFACT_RULE_CORRUPT, raw, "out of memory");
    s->fatal = true;
    return CHECK_REJECT;
  }
  *norm = nb.data;
  return CHECK_OK;
}

/* Count bytes as they come out of the decompressor (never trust a header
 * size) and stop at the first cap. Returns false on a bomb. */
static bool count_bytes(pt_artifact_scan *s, const char *name,
                        uint64_t *file_bytes, size_t n) {
  const pt_artifact_limits *l = s->lim;
  *file_bytes += n;
  s->total_bytes += n;
  const char *why = NULL;
  if (*file_bytes > l->max_file_bytes)
    why = "entry expands past the per-file limit";
  else if (s->total_bytes > l->max_total_bytes)
    why = "archive expands past the total size limit";
  else if (s->total_bytes > l->ratio_floor &&
           s->total_bytes > (uint64_t)l->max_ratio * s->archive_bytes)
    why = "archive expands past the compression ratio limit";
  if (why == NULL)
    return true;
  pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_BOMB, name,
                          "%s (%llu bytes so far from a %llu-byte archive)",
                          why, (unsigned long long)s->total_bytes,
                          (unsigned long long)s->archive_bytes);
  s->fatal = true;
  return false;
}

static void corrupt(pt_artifact_scan *s, struct archive *a, const char *name,
                    const char *what) {
  const char *why = archive_error_string(a);
  pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_CORRUPT, name, "%s: %s",
                          what, why ? why : "unknown error");
  s->fatal = true;
}

/* ---- pass 1 ----------------------------------------------------------- */

static bool capture_wanted(const char *norm) {
  const char *slash = strchr(norm, '/');
  if (slash == NULL || strchr(slash + 1, '/') != NULL)
    return false; /* only depth 2 */
  const char *base = slash + 1;
  if (strcmp(base, "package.json") == 0 || strcmp(base, "PKG-INFO") == 0)
    return true;
  size_t dn = (size_t)(slash - norm);
  return strcmp(base, "METADATA") == 0 && dn > 10 &&
         memcmp(slash - 10, ".dist-info", 10) == 0;
}

static pt_artifact_capture *capture_start(pt_artifact_scan *s,
                                          const char *norm) {
  if (!capture_wanted(norm) || s->n_captures >= PT_ARTIFACT_CAPTURE_MAX)
    return NULL;
  pt_artifact_capture *c = &s->captures[s->n_captures];
  memset(c, 0, sizeof(*c));
  if ((c->path = strdup(norm)) == NULL)
    return NULL;
  s->n_captures++;
  return c;
}

/* Cap per metadata file: the parsers' own input caps. */
static size_t capture_cap(const pt_artifact_capture *c) {
  return strstr(c->path, "/package.json") ? PT_NPMMETA_MAX_INPUT
                                          : PT_PYMETA_MAX_INPUT;
}

static void capture_append(pt_artifact_scan *s, pt_artifact_capture *c,
                           const char *buf, size_t n) {
  if (c->too_large)
    return;
  size_t cap = capture_cap(c);
  if (c->len + n > cap ||
      s->capture_bytes + n > PT_ARTIFACT_CAPTURE_BUDGET) {
    c->too_large = true;
    free(c->data);
    c->data = NULL;
    return;
  }
  char *nd = realloc(c->data, c->len + n + 1);
  if (nd == NULL) {
    c->too_large = true;
    free(c->data);
    c->data = NULL;
    return;
  }
  memcpy(nd + c->len, buf, n);
  c->len += n;
  nd[c->len] = '\0';
  c->data = nd;
  s->capture_bytes += n;
}

static int push_entry(pt_artifact_scan *s, char *norm, mode_t type,
                      const char *link, pt_err **err) {
  if (s->len == s->alloc) {
    size_t na = s->alloc ? s->alloc * 2 : 64;
    pt_artifact_entry *ni = reallocarray(s->items, na, sizeof(*ni));
    if (ni == NULL) {
      free(norm);
      return pt_err_make(err, ENOMEM, "entry list");
    }
    s->items = ni;
    s->alloc = na;
  }
  pt_artifact_entry *it = &s->items[s->len];
  it->path = norm;
  it->type = type;
  it->link = NULL;
  if (link != NULL && (it->link = strdup(link)) == NULL) {
    free(norm);
    return pt_err_make(err, ENOMEM, "entry list");
  }
  s->len++;
  return 0;
}

/* Read (and count) an entry's data; feed it to a capture if any. Every
 * entry type is read, not skipped: a directory header can claim gigabytes
 * of data, and skipping them through a decompressor is a bomb too. */
static bool drain(pt_artifact_scan *s, struct archive *a, const char *name,
                  pt_artifact_capture *c, EVP_MD_CTX *md, char *buf) {
  uint64_t file_bytes = 0;
  for (;;) {
    la_ssize_t r = archive_read_data(a, buf, DATA_CHUNK);
    if (r == 0)
      return true;
    if (r == ARCHIVE_RETRY)
      continue;
    if (r < 0) {
      corrupt(s, a, name, "cannot read entry data");
      return false;
    }
    if (!count_bytes(s, name, &file_bytes, (size_t)r))
      return false;
    if (c != NULL)
      capture_append(s, c, buf, (size_t)r);
    if (md != NULL)
      EVP_DigestUpdate(md, buf, (size_t)r);
  }
}

/* Next header; false at the end or on a fatal problem. */
static bool next_header(pt_artifact_scan *s, struct archive *a,
                        struct archive_entry **e) {
  for (;;) {
    int r = archive_read_next_header(a, e);
    if (r == ARCHIVE_EOF)
      return false;
    if (r == ARCHIVE_RETRY)
      continue;
    /* ARCHIVE_WARN: e.g. a name that cannot be converted to the locale;
     * the entry is still there and the name checks judge it. */
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
      return true;
    corrupt(s, a, NULL, "cannot read archive header");
    return false;
  }
}

/* Does the file also read as the other family (tar for a zip, zip for a
 * tar)? A tar followed by a zip is a valid tar to us and a valid zip to
 * pip's zipfile, which looks for the central directory at the end:
 * whatever we analyse, the installer would see something else. */
static bool reads_as_other_family(int fd, bool is_zip) {
  if (lseek(fd, 0, SEEK_SET) < 0)
    return false;
  cleanup_archive struct archive *a = archive_read_new();
  if (a == NULL)
    return false;
  int r = is_zip ? (archive_read_support_filter_gzip(a) |
                    archive_read_support_filter_bzip2(a) |
                    archive_read_support_filter_xz(a) |
                    archive_read_support_format_tar(a))
                 : archive_read_support_format_zip(a);
  if (r != ARCHIVE_OK || archive_read_open_fd(a, fd, DATA_CHUNK) != ARCHIVE_OK)
    return false;
  struct archive_entry *e;
  r = archive_read_next_header(a, &e);
  return r == ARCHIVE_OK || r == ARCHIVE_WARN;
}

int pt_artifact_scan_pass(int fd, pt_artifact_scan *s, pt_err **err) {
  struct stat st;
  if (fstat(fd, &st) < 0)
    return pt_err_make(err, errno, "stat `%s`", s->label);
  s->archive_bytes = (uint64_t)st.st_size;
  if (st.st_size == 0) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_CORRUPT, NULL,
                            "artifact is an empty file");
    s->fatal = true;
    return 0;
  }
  cleanup_archive struct archive *a = reader_new(fd, s, err);
  if (a == NULL)
    return s->fatal ? 0 : -1;
  cleanup_free char *buf = malloc(DATA_CHUNK);
  if (buf == NULL)
    return pt_err_make(err, ENOMEM, "read buffer");
  /* Each regular file's sha256, so that a path twice with the same bytes
   * is not taken for a conflict (pt_artifact_check_tree). Without
   * libcrypto every duplicate stays a problem. */
  EVP_MD_CTX *md = pt_dl_crypto_load(NULL) == 0 ? EVP_MD_CTX_new() : NULL;
  struct archive_entry *e;
  while (!s->fatal && next_header(s, a, &e)) {
    if (s->entries == 0) {
      const char *fn = archive_format_name(a);
      snprintf(s->format, sizeof(s->format), "%s", fn ? fn : "?");
      s->is_zip = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
                  ARCHIVE_FORMAT_ZIP;
    }
    if (++s->entries > s->lim->max_entries) {
      pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_TOO_MANY, NULL,
                              "archive has more than %llu entries",
                              (unsigned long long)s->lim->max_entries);
      s->fatal = true;
      break;
    }
    char *norm = NULL;
    enum check c = check_entry(s, e, &norm);
    pt_artifact_capture *cap = NULL;
    bool hashing = false;
    if (c == CHECK_OK) {
      mode_t type = archive_entry_filetype(e);
      if (type == AE_IFREG)
        cap = capture_start(s, norm);
      if (push_entry(s, norm, type,
                     type == AE_IFLNK ? archive_entry_symlink(e) : NULL,
                     err) < 0) {
        EVP_MD_CTX_free(md);
        return -1;
      }
      hashing = type == AE_IFREG && md != NULL &&
                EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    }
    /* Read the data even of a rejected entry: the scan goes on to list
     * every problem, and bytes count toward the bomb caps regardless. */
    const char *shown = archive_entry_pathname(e);
    if (!drain(s, a, shown, cap, hashing ? md : NULL, buf))
      break;
    if (hashing) {
      unsigned int mdlen = 0;
      pt_artifact_entry *last = &s->items[s->len - 1];
      last->hashed = EVP_DigestFinal_ex(md, last->sha256, &mdlen) == 1 &&
                     mdlen == sizeof(last->sha256);
    }
  }
  EVP_MD_CTX_free(md);
  if (!s->fatal && s->entries == 0) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_CORRUPT, NULL,
                            "archive has no entries");
    s->fatal = true;
  }
  if (!s->fatal && reads_as_other_family(fd, s->is_zip)) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_POLYGLOT, NULL,
                            "file reads both as a zip and as a tar archive");
    s->fatal = true;
  }
  return 0;
}

/* ---- pass 2 ------------------------------------------------------------ */

/* Open the parent directory of rel under destfd, creating missing
 * directories, one component at a time with O_NOFOLLOW|O_DIRECTORY: a
 * symlink anywhere on the way is ENOTDIR/ELOOP, never followed. *base
 * points into rel. */
static int open_parent(int destfd, const char *rel, const char **base,
                       pt_err **err) {
  char comp[NAME_MAX + 1];
  int cur = dup(destfd);
  if (cur < 0)
    return pt_err_make(err, errno, "dup");
  const char *p = rel;
  for (;;) {
    const char *slash = strchr(p, '/');
    if (slash == NULL) {
      *base = p;
      return cur;
    }
    size_t n = (size_t)(slash - p);
    if (n > NAME_MAX) {
      close(cur);
      return pt_err_make(err, ENAMETOOLONG, "`%.64s`", rel);
    }
    memcpy(comp, p, n);
    comp[n] = '\0';
    int next = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT) {
      if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST) {
        int e = errno;
        close(cur);
        return pt_err_make(err, e, "mkdir `%.*s`", (int)(slash - rel), rel);
      }
      next = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      int e = errno;
      close(cur);
      return pt_err_make(err, e, "open directory `%.*s`", (int)(slash - rel),
                         rel);
    }
    close(cur);
    cur = next;
    p = slash + 1;
  }
}

static int write_file(struct archive *a, pt_artifact_scan *s, int parent,
                      const char *base, const char *rel, mode_t mode,
                      char *buf, pt_err **err) {
  /* O_EXCL: never open something already there (a duplicate that slipped
   * through, or anything planted meanwhile). */
  cleanup_close int fd = openat(
      parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {
    /* The second copy of a path whose copies pass 1 found identical: the
     * first is written (the caller reads this one's data away). */
    const pt_artifact_entry *known = pt_artifact_lookup(s, rel);
    if (known != NULL && known->same_as_other)
      return 0;
    errno = EEXIST;
  }
  if (fd < 0)
    return pt_err_make(err, errno, "create `%.200s`", rel);
  uint64_t file_bytes = 0;
  for (;;) {
    la_ssize_t r = archive_read_data(a, buf, DATA_CHUNK);
    if (r == 0)
      break;
    if (r == ARCHIVE_RETRY)
      continue;
    if (r < 0)
      return pt_err_make(err, EIO, "read `%.200s`: %s", rel,
                         archive_error_string(a));
    if (!count_bytes(s, rel, &file_bytes, (size_t)r))
      return pt_err_make(err, EFBIG, "`%.200s`: over a size limit", rel);
    if (pt_write_all(fd, buf, (size_t)r) < 0)
      return pt_err_make(err, errno, "write `%.200s`", rel);
  }
  /* The umask may have narrowed the mode. */
  if (fchmod(fd, mode) < 0)
    return pt_err_make(err, errno, "chmod `%.200s`", rel);
  return 0;
}

static int extract_entry(struct archive *a, struct archive_entry *e,
                         pt_artifact_scan *s, int destfd, const char *rel,
                         char *buf, pt_err **err) {
  const char *base = NULL;
  cleanup_close int parent = open_parent(destfd, rel, &base, err);
  if (parent < 0)
    return -1;
  mode_t type = archive_entry_filetype(e);
  if (type == AE_IFDIR) {
    if (mkdirat(parent, base, 0755) < 0) {
      struct stat st;
      if (errno != EEXIST ||
          fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
          !S_ISDIR(st.st_mode))
        return pt_err_make(err, errno ? errno : EEXIST, "mkdir `%.200s`", rel);
    }
  } else if (type == AE_IFLNK) {
    if (symlinkat(archive_entry_symlink(e), parent, base) < 0)
      return pt_err_make(err, errno, "symlink `%.200s`", rel);
  } else {
    /* Normalized modes: no group/other write, executable if any x bit. */
    mode_t mode = (archive_entry_perm(e) & 0111) ? 0755 : 0644;
    if (write_file(a, s, parent, base, rel, mode, buf, err) < 0)
      return -1;
  }
  return 0;
}

static int extract_all(int fd, int destfd, pt_artifact_scan *s,
                       pt_err **err) {
  cleanup_free char *buf = malloc(DATA_CHUNK);
  if (buf == NULL)
    return pt_err_make(err, ENOMEM, "read buffer");
  cleanup_archive struct archive *a = reader_new(fd, s, err);
  if (a == NULL)
    return s->fatal ? pt_err_make(err, EIO, "reopen archive: %s",
                                  s->probs->items[0].summary)
                    : -1;
  uint64_t entries = 0;
  struct archive_entry *e;
  while (next_header(s, a, &e)) {
    if (++entries > s->lim->max_entries)
      break;
    char *norm = NULL;
    enum check c = check_entry(s, e, &norm);
    if (c == CHECK_REJECT)
      break;
    if (c == CHECK_OK) {
      int r = extract_entry(a, e, s, destfd, norm, buf, err);
      free(norm);
      if (r < 0)
        return -1;
    }
    /* Whatever a directory or link claims as data is read and counted,
     * as in pass 1. */
    if (!drain(s, a, archive_entry_pathname(e), NULL, NULL, buf))
      break;
  }
  if (s->probs->len > 0 || s->fatal || entries != s->entries)
    return pt_err_make(err, EIO,
                       "archive changed between validation and extraction%s%s",
                       s->probs->len ? ": " : "",
                       s->probs->len ? s->probs->items[0].summary : "");
  return 0;
}

int pt_artifact_extract_pass(int fd, int destfd, pt_artifact_scan *s,
                             pt_err **err) {
  /* Problems found now mean the file changed since pass 1: keep them out
   * of the caller's list and fail. */
  pt_artifact_problems *saved = s->probs;
  pt_artifact_problems *scratch = calloc(1, sizeof(*scratch));
  if (scratch == NULL)
    return pt_err_make(err, ENOMEM, "extract");
  s->probs = scratch;
  s->total_bytes = 0;
  s->fatal = false;
  int rc = extract_all(fd, destfd, s, err);
  s->probs = saved;
  free(scratch);
  return rc;
}
