/* What pass 1 found, judged as a whole: checks that need every entry
 * (duplicates, files below files or links, symlink chains), then what
 * kind of package the archive holds, by content only, and its name and
 * version from the captured metadata. */
#define _GNU_SOURCE
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "artifact_internal.h"
#include "npmmeta.h"
#include "pt_util.h"
#include "pymeta.h"

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const pt_artifact_entry *)a)->path,
                ((const pt_artifact_entry *)b)->path);
}

/* Binary search for the first n bytes of path as a whole entry path, in
 * the sorted list (same order as cmp_entry: strcmp). */
static const pt_artifact_entry *lookup_n(const pt_artifact_scan *s,
                                         const char *path, size_t n) {
  size_t lo = 0, hi = s->len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *p = s->items[mid].path;
    int c = strncmp(p, path, n);
    if (c == 0 && p[n] != '\0')
      c = 1; /* p is longer: it sorts after the key */
    if (c == 0)
      return &s->items[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static const pt_artifact_entry *lookup(const pt_artifact_scan *s,
                                       const char *path) {
  return lookup_n(s, path, strlen(path));
}

const pt_artifact_entry *pt_artifact_lookup(const pt_artifact_scan *s,
                                            const char *path) {
  return lookup(s, path);
}

static bool has_file(const pt_artifact_scan *s, const char *path) {
  const pt_artifact_entry *e = lookup(s, path);
  return e != NULL && e->type == AE_IFREG;
}

/* Walk a symlink's target from its directory, lexically; fail if any
 * component on the way is itself a symlink of the archive. Lexical `..`
 * is only sound when nothing before it is a link (`l -> .`, then
 * `m -> l/../..` escapes although it looks inside), and chains or loops
 * of links have no use in a package. */
static bool link_chain_ok(const pt_artifact_scan *s,
                          const pt_artifact_entry *ln) {
  size_t cap = strlen(ln->path) + strlen(ln->link) + 2;
  cleanup_free char *cur = malloc(cap);
  if (cur == NULL)
    return false;
  /* Start at the link's directory. */
  const char *slash = strrchr(ln->path, '/');
  size_t len = slash ? (size_t)(slash - ln->path) : 0;
  memcpy(cur, ln->path, len);
  const char *p = ln->link;
  while (*p) {
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      char *up = len ? memrchr(cur, '/', len) : NULL;
      if (len == 0)
        return false; /* above the root: checked per entry already */
      len = up ? (size_t)(up - cur) : 0;
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      if (len > 0)
        cur[len++] = '/';
      memcpy(cur + len, p, n);
      len += n;
      const pt_artifact_entry *e = lookup_n(s, cur, len);
      if (e != NULL && e->type == AE_IFLNK)
        return false;
    }
    p += n;
    if (*p == '/')
      p++;
  }
  return true;
}

int pt_artifact_check_tree(pt_artifact_scan *s, pt_err **err) {
  if (s->len == 0)
    return 0;
  qsort(s->items, s->len, sizeof(*s->items), cmp_entry);
  for (size_t i = 0; i < s->len; i++) {
    pt_artifact_entry *e = &s->items[i];
    if (i > 0 && strcmp(s->items[i - 1].path, e->path) == 0) {
      pt_artifact_entry *prev = &s->items[i - 1];
      /* The same bytes twice are one file, whichever copy an installer
       * keeps; different ones are what an installer and a reader of the
       * first copy would disagree on. */
      if (prev->type == AE_IFREG && e->type == AE_IFREG && prev->hashed &&
          e->hashed && memcmp(prev->sha256, e->sha256, 32) == 0) {
        prev->same_as_other = s->items[i].same_as_other = true;
        continue;
      }
      pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_DUPLICATE, e->path,
                              "entry appears more than once");
      continue;
    }
    /* Every parent must be a directory (or absent: created implicitly).
     * A parent that is a symlink would be followed by anyone extracting
     * naively: `a -> ../../etc`, then `a/passwd`. */
    for (const char *p = strchr(e->path, '/'); p; p = strchr(p + 1, '/')) {
      const pt_artifact_entry *parent =
          lookup_n(s, e->path, (size_t)(p - e->path));
      if (parent == NULL || parent->type == AE_IFDIR)
        continue;
      if (parent->type == AE_IFLNK)
        pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_LINK_ESCAPE,
                                e->path, "entry is below a symlink");
      else
        pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_DUPLICATE, e->path,
                                "entry is below a regular file");
      break;
    }
    if (e->type == AE_IFLNK && !link_chain_ok(s, e))
      pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_LINK_ESCAPE, e->path,
                              "symlink target goes through another symlink");
  }
  (void)err;
  return 0;
}

/* ---- identification --------------------------------------------------- */

static const pt_artifact_capture *capture_of(const pt_artifact_scan *s,
                                             const char *path) {
  for (size_t i = 0; i < s->n_captures; i++)
    if (strcmp(s->captures[i].path, path) == 0)
      return &s->captures[i];
  return NULL;
}

/* The single top-level directory every entry lives in, or NULL. */
static char *single_top_dir(const pt_artifact_scan *s) {
  size_t top_len = 0;
  const char *top = NULL;
  for (size_t i = 0; i < s->len; i++) {
    const char *p = s->items[i].path;
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (slash == NULL && s->items[i].type != AE_IFDIR)
      return NULL; /* a file or link at the top */
    if (top == NULL) {
      top = p;
      top_len = n;
    } else if (n != top_len || memcmp(p, top, n) != 0) {
      return NULL;
    }
  }
  return top ? strndup(top, top_len) : NULL;
}

/* Exactly one top-level `X.dist-info/WHEEL`; returns X.dist-info. */
static char *wheel_dist_info(const pt_artifact_scan *s) {
  char *found = NULL;
  for (size_t i = 0; i < s->len; i++) {
    const char *p = s->items[i].path;
    const char *slash = strchr(p, '/');
    if (slash == NULL || strcmp(slash + 1, "WHEEL") != 0 ||
        s->items[i].type != AE_IFREG)
      continue;
    size_t dn = (size_t)(slash - p);
    if (dn <= 10 || memcmp(slash - 10, ".dist-info", 10) != 0)
      continue;
    if (found != NULL) { /* pip refuses several .dist-info directories */
      free(found);
      return NULL;
    }
    found = strndup(p, dn);
  }
  return found;
}

static bool has_in(const pt_artifact_scan *s, const char *dir,
                   const char *name) {
  cleanup_free char *p = NULL;
  if (asprintf(&p, "%s/%s", dir, name) < 0)
    return false;
  return has_file(s, p);
}

static void set_name_version(pt_artifact_info *info, const char *name,
                             size_t name_len, const char *version) {
  if (info->name == NULL && name != NULL) {
    char *n = strndup(name, name_len);
    if (n != NULL && pt_pymeta_valid_name(n))
      info->name = n;
    else
      free(n);
  }
  if (info->version == NULL && version != NULL &&
      pt_pymeta_valid_version(version))
    info->version = strdup(version);
}

/* `name-version` (an sdist's top dir): split at the last `-` that is
 * followed by a digit, as pip's egg_info parsing does. */
static void fallback_dir_name(pt_artifact_info *info, const char *dir) {
  const char *split = NULL;
  for (const char *p = dir; *p; p++)
    if (*p == '-' && p[1] >= '0' && p[1] <= '9')
      split = p;
  if (split == NULL)
    set_name_version(info, dir, strlen(dir), NULL);
  else
    set_name_version(info, dir, (size_t)(split - dir), split + 1);
}

/* `name-version.dist-info`: the name has no `-` (wheel naming). */
static void fallback_dist_info(pt_artifact_info *info, const char *di) {
  size_t n = strlen(di) - 10;
  cleanup_free char *stem = strndup(di, n);
  if (stem == NULL)
    return;
  char *dash = strchr(stem, '-');
  if (dash == NULL)
    return;
  *dash = '\0';
  set_name_version(info, stem, strlen(stem), dash + 1);
}

/* The captured metadata file at path, or a problem. */
static const pt_artifact_capture *need_capture(pt_artifact_scan *s,
                                               const char *path) {
  const pt_artifact_capture *c = capture_of(s, path);
  if (c == NULL || c->too_large || c->data == NULL) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_BAD_METADATA, path,
                            c ? "metadata file is too large"
                              : "metadata file could not be captured");
    return NULL;
  }
  return c;
}

static int identify_python(pt_artifact_scan *s, pt_artifact_info *info,
                           const char *md_path) {
  const pt_artifact_capture *c = need_capture(s, md_path);
  if (c == NULL)
    return 0;
  pt_err *perr = NULL;
  pt_pymeta_metadata md;
  if (pt_pymeta_parse_metadata(c->data, c->len, &md, &perr) < 0) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_BAD_METADATA, md_path,
                            "%s", perr && perr->msg ? perr->msg : "invalid");
    pt_err_free(perr);
    return 0;
  }
  info->name = steal_pointer(&md.name);
  info->version = steal_pointer(&md.version);
  pt_pymeta_metadata_free(&md);
  return 0;
}

static int identify_npm(pt_artifact_scan *s, pt_artifact_info *info,
                        const char *root) {
  cleanup_free char *path = NULL;
  if (asprintf(&path, "%s/package.json", root) < 0)
    return -1;
  const pt_artifact_capture *c = need_capture(s, path);
  if (c == NULL)
    return 0;
  pt_err *perr = NULL;
  pt_npmmeta m;
  if (pt_npmmeta_parse(c->data, c->len, &m, &perr) < 0) {
    pt_artifact_problem_add(s->probs, PT_ARTIFACT_RULE_BAD_METADATA, path,
                            "%s", perr && perr->msg ? perr->msg : "invalid");
    pt_err_free(perr);
    return 0;
  }
  info->name = steal_pointer(&m.name);
  info->version = steal_pointer(&m.version);
  /* npm's rule: binding.gyp and neither install nor preinstall script
   * means `node-gyp rebuild` runs at install, code from the package. */
  info->npm_binding_gyp = has_in(s, root, "binding.gyp") &&
                          pt_npmmeta_script(&m, "install") == NULL &&
                          pt_npmmeta_script(&m, "preinstall") == NULL;
  pt_npmmeta_free(&m);
  return 0;
}

int pt_artifact_identify(pt_artifact_scan *s, pt_artifact_info *info,
                         pt_err **err) {
  info->ecosystem = PT_ECO_UNKNOWN;
  char *di = s->is_zip ? wheel_dist_info(s) : NULL;
  if (di != NULL) {
    info->ecosystem = PT_ECO_WHEEL;
    info->dist_info = di;
    if ((info->root = strdup(".")) == NULL)
      return pt_err_make(err, ENOMEM, "identify");
    cleanup_free char *md = NULL;
    if (asprintf(&md, "%s/METADATA", di) < 0)
      return pt_err_make(err, ENOMEM, "identify");
    if (has_file(s, md))
      identify_python(s, info, md);
    fallback_dist_info(info, di);
    return 0;
  }
  cleanup_free char *top = single_top_dir(s);
  if (top == NULL)
    return 0;
  /* PKG-INFO settles it (every sdist build writes one; an sdist may well
   * ship a package.json for JS assets). Otherwise a package.json in a
   * tarball is npm (npm's top dir is `package`, but it accepts any), and
   * setup.py or pyproject.toml is an sdist without PKG-INFO. */
  bool pkg_info = has_in(s, top, "PKG-INFO");
  if (pkg_info)
    info->ecosystem = PT_ECO_SDIST;
  else if (!s->is_zip && has_in(s, top, "package.json"))
    info->ecosystem = PT_ECO_NPM;
  else if (has_in(s, top, "setup.py") || has_in(s, top, "pyproject.toml"))
    info->ecosystem = PT_ECO_SDIST;
  else
    return 0;
  info->root = steal_pointer(&top);
  if (info->ecosystem == PT_ECO_NPM)
    return identify_npm(s, info, info->root) < 0
               ? pt_err_make(err, ENOMEM, "identify")
               : 0;
  if (pkg_info) {
    cleanup_free char *md = NULL;
    if (asprintf(&md, "%s/PKG-INFO", info->root) < 0)
      return pt_err_make(err, ENOMEM, "identify");
    identify_python(s, info, md);
  }
  fallback_dir_name(info, info->root);
  return 0;
}
