/* Public face of the artifact module: limits, problem lists, the sha256 of
 * the artifact, the destination directory, and the order of the passes
 * (validate + identify, then extract, then clean up on failure). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact_internal.h"
#include "dl_crypto.h"
#include "pt_util.h"

const char *pt_artifact_ecosystem_name(enum pt_ecosystem eco) {
  switch (eco) {
  case PT_ECO_WHEEL:
    return "wheel";
  case PT_ECO_SDIST:
    return "sdist";
  case PT_ECO_NPM:
    return "npm";
  case PT_ECO_UNKNOWN:
    break;
  }
  return "unknown";
}

const char *pt_artifact_ecosystem_registry(enum pt_ecosystem eco) {
  switch (eco) {
  case PT_ECO_WHEEL:
  case PT_ECO_SDIST:
    return "pypi";
  case PT_ECO_NPM:
    return "npm";
  case PT_ECO_UNKNOWN:
    break;
  }
  return "unknown";
}

void pt_artifact_limits_default(pt_artifact_limits *l) {
  l->max_archive_bytes = 512ull << 20;
  l->max_total_bytes = 512ull << 20;
  /* Real packages ship single binaries over 100 MiB (workerd, ~140 MiB);
   * the ratio and total caps still stop a bomb. */
  l->max_file_bytes = 256ull << 20;
  l->max_entries = 20000;
  l->max_name_len = 1024;
  l->max_ratio = 200;
  l->ratio_floor = 1ull << 20;
}

void pt_artifact_info_free(pt_artifact_info *info) {
  if (info == NULL)
    return;
  free(info->name);
  free(info->version);
  free(info->root);
  free(info->dist_info);
  memset(info, 0, sizeof(*info));
}

void pt_artifact_scan_free(pt_artifact_scan *s) {
  for (size_t i = 0; i < s->len; i++) {
    free(s->items[i].path);
    free(s->items[i].link);
  }
  free(s->items);
  for (size_t i = 0; i < s->n_captures; i++) {
    free(s->captures[i].path);
    free(s->captures[i].data);
  }
  memset(s, 0, sizeof(*s));
}

/* Entry names come from the archive: show them escaped and bounded, so a
 * report or terminal never receives raw bytes from a sample. */
static void show_name(char *out, size_t outsz, const char *name) {
  size_t o = 0;
  bool cut = false;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    char tmp[5];
    size_t n;
    if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
      tmp[0] = (char)*p;
      n = 1;
    } else {
      snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
      n = 4;
    }
    if (o + n > PT_ARTIFACT_ENTRY_SHOW_MAX || o + n + 4 > outsz) {
      cut = true;
      break;
    }
    memcpy(out + o, tmp, n);
    o += n;
  }
  if (cut) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
}

void pt_artifact_problem_add(pt_artifact_problems *p, const char *rule,
                             const char *entry, const char *fmt, ...) {
  if (p->len >= PT_ARTIFACT_PROBLEMS_MAX) {
    p->dropped++;
    return;
  }
  pt_artifact_problem *it = &p->items[p->len++];
  it->rule = rule;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(it->summary, sizeof(it->summary), fmt, ap);
  va_end(ap);
  /* One line, whatever a libarchive message or a metadata error holds. */
  for (char *c = it->summary; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      *c = ' ';
  it->entry[0] = '\0';
  if (entry != NULL)
    show_name(it->entry, sizeof(it->entry), entry);
}

static int sha256_fd(int fd, const char *label, char out[65], pt_err **err) {
  if (pt_dl_crypto_load(err) < 0)
    return pt_err_wrap(err, "sha256 of `%s`", label);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (ctx == NULL)
    return pt_err_make(err, ENOMEM, "sha256");
  int rc = -1;
  unsigned char buf[1 << 16];
  if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    pt_err_make(err, EINVAL, "sha256 init");
    goto out;
  }
  for (off_t off = 0;;) {
    ssize_t n = pread(fd, buf, sizeof(buf), off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      pt_err_make(err, errno, "read `%s`", label);
      goto out;
    }
    if (n == 0)
      break;
    EVP_DigestUpdate(ctx, buf, (size_t)n);
    off += n;
  }
  unsigned char md[32];
  unsigned int mdlen = 0;
  if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
    pt_err_make(err, EINVAL, "sha256 final");
    goto out;
  }
  for (unsigned i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
  rc = 0;
out:
  EVP_MD_CTX_free(ctx);
  return rc;
}

/* Turn the problem list into the error the caller reports. */
static int reject(const char *label, const pt_artifact_problems *p,
                  pt_err **err) {
  const pt_artifact_problem *f = &p->items[0];
  size_t more = p->len - 1 + p->dropped;
  char extra[64] = "";
  if (more > 0)
    snprintf(extra, sizeof(extra), " (and %zu more problem%s)", more,
             more == 1 ? "" : "s");
  if (f->entry[0] != '\0')
    return pt_err_make(err, 0, "reject archive `%s`: %s: %s: `%s`%s", label,
                       f->rule, f->summary, f->entry, extra);
  return pt_err_make(err, 0, "reject archive `%s`: %s: %s%s", label, f->rule,
                     f->summary, extra);
}

/* Pass 1 and identification; fills info on success. */
static int inspect_inner(int fd, const char *label, const pt_artifact_limits *lim,
                   pt_artifact_scan *s, pt_artifact_info *info,
                   pt_artifact_problems *probs, pt_err **err) {
  memset(info, 0, sizeof(*info));
  memset(probs, 0, sizeof(*probs));
  s->lim = lim;
  s->probs = probs;
  s->label = label;
  struct stat st;
  if (fstat(fd, &st) < 0)
    return pt_err_make(err, errno, "stat `%s`", label);
  if (!S_ISREG(st.st_mode))
    return pt_err_make(err, EINVAL, "`%s` is not a regular file", label);
  if ((uint64_t)st.st_size > lim->max_archive_bytes) {
    pt_artifact_problem_add(probs, PT_ARTIFACT_RULE_BOMB, NULL,
                            "artifact is %llu bytes, over the limit of %llu",
                            (unsigned long long)st.st_size,
                            (unsigned long long)lim->max_archive_bytes);
    return reject(label, probs, err);
  }
  if (sha256_fd(fd, label, info->sha256, err) < 0)
    return -1;
  if (pt_artifact_scan_pass(fd, s, err) < 0)
    return pt_err_wrap(err, "scan `%s`", label);
  if (probs->len == 0 && pt_artifact_check_tree(s, err) < 0)
    return pt_err_wrap(err, "scan `%s`", label);
  if (probs->len == 0 && pt_artifact_identify(s, info, err) < 0)
    return pt_err_wrap(err, "identify `%s`", label);
  if (probs->len > 0 || probs->dropped > 0) {
    pt_artifact_info_free(info);
    return reject(label, probs, err);
  }
  memcpy(info->format, s->format, sizeof(info->format));
  info->archive_bytes = s->archive_bytes;
  info->entries = s->entries;
  info->total_bytes = s->total_bytes;
  return 0;
}

static int inspect(int fd, const char *label, const pt_artifact_limits *lim,
                   pt_artifact_scan *s, pt_artifact_info *info,
                   pt_artifact_problems *probs, pt_err **err) {
  int rc = inspect_inner(fd, label, lim, s, info, probs, err);
  if (rc < 0)
    pt_artifact_info_free(info);
  return rc;
}

int pt_artifact_inspect_fd(int fd, const char *label,
                           const pt_artifact_limits *limits,
                           pt_artifact_info *info,
                           pt_artifact_problems *problems, pt_err **err) {
  pt_artifact_limits def;
  if (limits == NULL) {
    pt_artifact_limits_default(&def);
    limits = &def;
  }
  pt_artifact_problems local;
  pt_artifact_scan s = {0};
  int rc = inspect(fd, label, limits, &s, info, problems ? problems : &local,
                   err);
  pt_artifact_scan_free(&s);
  return rc;
}

int pt_artifact_inspect(const char *path, const pt_artifact_limits *limits,
                        pt_artifact_info *info, pt_artifact_problems *problems,
                        pt_err **err) {
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    memset(info, 0, sizeof(*info));
    if (problems)
      memset(problems, 0, sizeof(*problems));
    return pt_err_make(err, errno, "open `%s`", path);
  }
  return pt_artifact_inspect_fd(fd, path, limits, info, problems, err);
}

/* dest must be empty (or absent: then created). Returns an fd on it. */
static int open_dest(const char *dest, pt_err **err) {
  if (mkdir(dest, 0700) < 0 && errno != EEXIST)
    return pt_err_make(err, errno, "mkdir `%s`", dest);
  cleanup_close int fd =
      open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return pt_err_make(err, errno, "open `%s`", dest);
  int dupfd = dup(fd);
  if (dupfd < 0)
    return pt_err_make(err, errno, "dup");
  DIR *d = fdopendir(dupfd);
  if (d == NULL) {
    close(dupfd);
    return pt_err_make(err, errno, "opendir `%s`", dest);
  }
  struct dirent *de;
  bool empty = true;
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
      empty = false;
      break;
    }
  closedir(d);
  if (!empty)
    return pt_err_make(err, ENOTEMPTY, "destination `%s`", dest);
  return steal_fd(&fd);
}

/* Remove everything under dest (not dest itself). pt_rmtree never follows
 * links, so a planted symlink cannot redirect the removal. */
static void empty_dest(const char *dest, int destfd) {
  int dupfd = dup(destfd);
  if (dupfd < 0)
    return;
  DIR *d = fdopendir(dupfd);
  if (d == NULL) {
    close(dupfd);
    return;
  }
  rewinddir(d);
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dest, de->d_name) < 0)
      continue;
    pt_err *e = NULL;
    if (pt_rmtree(p, &e) < 0)
      pt_err_free(e);
    free(p);
  }
  closedir(d);
}

int pt_artifact_unpack_fd(int fd, const char *label, const char *dest_dir,
                          const pt_artifact_limits *limits,
                          pt_artifact_info *info,
                          pt_artifact_problems *problems, pt_err **err) {
  pt_artifact_limits def;
  if (limits == NULL) {
    pt_artifact_limits_default(&def);
    limits = &def;
  }
  pt_artifact_problems local;
  pt_artifact_problems *probs = problems ? problems : &local;
  pt_artifact_scan s = {0};
  int rc = inspect(fd, label, limits, &s, info, probs, err);
  if (rc == 0) {
    int destfd = open_dest(dest_dir, err);
    if (destfd < 0) {
      rc = -1;
    } else {
      rc = pt_artifact_extract_pass(fd, destfd, &s, err);
      if (rc < 0) {
        empty_dest(dest_dir, destfd);
        pt_err_wrap(err, "extract `%s` into `%s`", label, dest_dir);
      }
      close(destfd);
    }
    if (rc < 0)
      pt_artifact_info_free(info);
  }
  pt_artifact_scan_free(&s);
  return rc;
}

int pt_artifact_unpack(const char *path, const char *dest_dir,
                       const pt_artifact_limits *limits, pt_artifact_info *info,
                       pt_artifact_problems *problems, pt_err **err) {
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    memset(info, 0, sizeof(*info));
    if (problems)
      memset(problems, 0, sizeof(*problems));
    return pt_err_make(err, errno, "open `%s`", path);
  }
  return pt_artifact_unpack_fd(fd, path, dest_dir, limits, info, problems,
                               err);
}
