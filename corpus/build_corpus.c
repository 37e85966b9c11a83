/* build_corpus: turn the labelled sample trees under corpus/samples/<id>/
 * into the artifacts a registry would serve (wheel, sdist, npm tarball),
 * without running a single line of sample code.
 *
 * Why not `python -m build` / `npm pack`: both execute the package
 * (setup.py, `prepare`/`prepack` scripts), and for this corpus that code is
 * the malware. So the archives are written directly with libarchive, the
 * wheel RECORD is computed here (sha256, urlsafe base64 without padding, as
 * PEP 376/427 say), and every input that decides a file name is checked
 * against the metadata inside the tree so the artifact cannot lie about
 * what it contains.
 *
 *   build_corpus --labels L --samples D --out DIR      build every artifact
 *   build_corpus --labels L --samples D --verify DIR   re-read and check them
 *
 * Output is reproducible: fixed mtime, sorted entries, uid/gid 0, modes
 * 0644/0755 (0755 only when the source file is executable), gzip header
 * without a timestamp, zip times in UTC.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pt_err.h"
#include "pt_util.h"

/* 2024-01-01T00:00:00Z: any fixed value works; it must be >= 1980 because
 * zip stores DOS times. */
#define BC_MTIME ((time_t)1704067200)
/* Hard caps: samples are small; anything bigger is a mistake in the tree,
 * and in --verify mode the archive is input we should not trust blindly. */
#define BC_FILE_CAP ((size_t)2 << 20)
#define BC_LABELS_CAP ((size_t)1 << 20)
#define BC_MAX_FILES 2048
#define BC_MAX_DEPTH 16

typedef enum { BC_WHEEL, BC_SDIST, BC_NPM } bc_kind;

typedef struct bc_file {
  char *rel;  /* path inside the sample tree (or archive, in verify) */
  char *data; /* contents, NUL-terminated for convenience */
  size_t len;
  mode_t mode; /* 0644 or 0755; 0755|S_IFDIR marks a directory entry */
} bc_file;

typedef struct bc_tree {
  bc_file *v;
  size_t n, alloc;
} bc_tree;

/* What the metadata inside a sample says about its artifact. */
typedef struct bc_ident {
  char name[256];
  char version[64];
  char prefix[384];   /* top dir inside the archive, with '/', or "" */
  char artifact[512]; /* the file name it must build to */
  char distinfo[384]; /* wheels: "<name>-<ver>.dist-info" */
} bc_ident;

static void bc_tree_free(bc_tree *t) {
  for (size_t i = 0; i < t->n; i++) {
    free(t->v[i].rel);
    free(t->v[i].data);
  }
  free(t->v);
  memset(t, 0, sizeof(*t));
}

static int bc_tree_add(bc_tree *t, const char *rel, char *data, size_t len,
                       mode_t mode, pt_err **err) {
  if (t->n >= BC_MAX_FILES)
    return pt_err_make(err, E2BIG, "more than %d files", BC_MAX_FILES);
  if (t->n == t->alloc) {
    size_t na = t->alloc ? t->alloc * 2 : 64;
    bc_file *nv = realloc(t->v, na * sizeof(*nv));
    if (nv == NULL)
      return pt_err_make(err, ENOMEM, "add `%s`", rel);
    t->v = nv;
    t->alloc = na;
  }
  char *r = strdup(rel);
  if (r == NULL)
    return pt_err_make(err, ENOMEM, "add `%s`", rel);
  t->v[t->n++] = (bc_file){.rel = r, .data = data, .len = len, .mode = mode};
  return 0;
}

static int bc_file_cmp(const void *a, const void *b) {
  /* Byte order, not locale order: the output must not depend on LANG. */
  return strcmp(((const bc_file *)a)->rel, ((const bc_file *)b)->rel);
}

static const bc_file *bc_tree_find(const bc_tree *t, const char *rel) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->v[i].rel, rel) == 0)
      return &t->v[i];
  return NULL;
}

/* Editor and interpreter droppings that must never end up in an artifact
 * (a py_compile check leaves __pycache__ behind if run carelessly). */
static bool bc_skip_name(const char *name) {
  size_t n = strlen(name);
  return strcmp(name, "__pycache__") == 0 || strcmp(name, ".DS_Store") == 0 ||
         (n > 4 && strcmp(name + n - 4, ".pyc") == 0) ||
         (n > 1 && name[n - 1] == '~');
}

/* A path that goes into RECORD (CSV) or a tar header must be plain: no
 * separators that need quoting, nothing that could escape the top dir. */
static bool bc_plain_path(const char *rel) {
  if (rel[0] == '\0' || rel[0] == '/' || strlen(rel) > 200)
    return false;
  for (const char *p = rel; *p; p++)
    if (*p == ',' || *p == '"' || *p == '\\' || (unsigned char)*p < 0x20 ||
        (unsigned char)*p >= 0x7f)
      return false;
  for (const char *p = rel; p != NULL;) {
    if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
      return false;
    if (strncmp(p, "./", 2) == 0 || p[0] == '/')
      return false;
    p = strchr(p, '/');
    if (p != NULL)
      p++;
  }
  return true;
}

static int bc_collect(int dirfd, const char *rel, int depth, bc_tree *t,
                      pt_err **err) {
  if (depth > BC_MAX_DEPTH)
    return pt_err_make(err, ELOOP, "`%s` nested too deep", rel);
  int fd = openat(dirfd, rel[0] ? rel : ".",
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return pt_err_make(err, errno, "open dir `%s`", rel[0] ? rel : ".");
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return pt_err_make(err, errno, "opendir `%s`", rel);
  }
  int rc = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
        bc_skip_name(de->d_name))
      continue;
    char child[1024];
    int n = snprintf(child, sizeof(child), "%s%s%s", rel, rel[0] ? "/" : "",
                     de->d_name);
    if (n < 0 || (size_t)n >= sizeof(child)) {
      rc = pt_err_make(err, ENAMETOOLONG, "path under `%s`", rel);
      break;
    }
    struct stat st;
    if (fstatat(dirfd, child, &st, AT_SYMLINK_NOFOLLOW) < 0) {
      rc = pt_err_make(err, errno, "stat `%s`", child);
      break;
    }
    if (S_ISDIR(st.st_mode)) {
      if ((rc = bc_collect(dirfd, child, depth + 1, t, err)) < 0)
        break;
      continue;
    }
    /* Symlinks in a sample would make the artifact depend on the host;
     * anything that is not a regular file is refused outright. */
    if (!S_ISREG(st.st_mode)) {
      rc = pt_err_make(err, EINVAL, "`%s` is not a regular file", child);
      break;
    }
    if (!bc_plain_path(child)) {
      rc = pt_err_make(err, EINVAL, "`%s`: unsupported characters in path",
                       child);
      break;
    }
    char *data = NULL;
    size_t len = 0;
    if ((rc = pt_read_file_at(dirfd, child, BC_FILE_CAP, &data, &len, err)) <
        0)
      break;
    mode_t mode = (st.st_mode & 0111) ? 0755 : 0644;
    if ((rc = bc_tree_add(t, child, data, len, mode, err)) < 0) {
      free(data);
      break;
    }
  }
  closedir(d);
  return rc;
}

/* ---- small text helpers ------------------------------------------------ */

/* Value of "Key: value" in the header block of an RFC 822 style file
 * (METADATA, PKG-INFO): stops at the first blank line, where the long
 * description starts. */
static bool bc_header_get(const char *text, const char *key, char *out,
                          size_t outsz) {
  size_t klen = strlen(key);
  for (const char *p = text; p && *p && *p != '\n';) {
    const char *eol = strchr(p, '\n');
    size_t llen = eol ? (size_t)(eol - p) : strlen(p);
    if (llen > klen + 1 && strncasecmp(p, key, klen) == 0 && p[klen] == ':') {
      const char *v = p + klen + 1;
      while (*v == ' ' || *v == '\t')
        v++;
      size_t vlen = (size_t)(p + llen - v);
      while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
        vlen--;
      if (vlen == 0 || vlen >= outsz)
        return false;
      memcpy(out, v, vlen);
      out[vlen] = '\0';
      return true;
    }
    p = eol ? eol + 1 : NULL;
  }
  return false;
}

/* Name and version must be plain so they can safely form file names. */
static bool bc_plain_token(const char *s, const char *extra) {
  if (s[0] == '\0')
    return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || strchr(extra, *p)))
      return false;
  return true;
}

/* Wheel file name escaping (PEP 427 / binary distribution format): runs of
 * '-', '_' and '.' become one '_'. */
static void bc_wheel_escape(const char *in, char *out, size_t outsz) {
  size_t o = 0;
  for (const char *p = in; *p && o + 1 < outsz; p++) {
    if (*p == '-' || *p == '_' || *p == '.') {
      if (o == 0 || out[o - 1] != '_')
        out[o++] = '_';
    } else {
      out[o++] = *p;
    }
  }
  out[o] = '\0';
}

/* sha256 as RECORD wants it: "sha256=" + urlsafe base64, no '=' padding. */
static int bc_record_hash(const void *data, size_t len, char out[64],
                          pt_err **err) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
    return pt_err_make(err, 0, "sha256 failed");
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, md, (int)mdlen);
  int o = snprintf(out, 64, "sha256=");
  for (int i = 0; i < n && o < 63; i++) {
    char c = (char)b64[i];
    if (c == '=')
      break;
    out[o++] = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  out[o] = '\0';
  return 0;
}

/* ---- identity: what the tree says its artifact is ---------------------- */

static int bc_identify(bc_kind kind, const bc_tree *t, bc_ident *id,
                       pt_err **err) {
  memset(id, 0, sizeof(*id));
  if (kind == BC_NPM) {
    const bc_file *pj = bc_tree_find(t, "package.json");
    if (pj == NULL)
      return pt_err_make(err, ENOENT, "no package.json");
    json_error_t je;
    json_t *root = json_loadb(pj->data, pj->len, 0, &je);
    if (root == NULL)
      return pt_err_make(err, EINVAL, "package.json:%d: %s", je.line, je.text);
    const char *name = json_string_value(json_object_get(root, "name"));
    const char *ver = json_string_value(json_object_get(root, "version"));
    int rc = 0;
    /* Scoped names (@a/b) would need npm's "a-b-1.0.tgz" mangling; the
     * corpus does not use them, so refuse rather than guess. */
    if (name == NULL || ver == NULL || !bc_plain_token(name, "-._") ||
        !bc_plain_token(ver, "-.+") || strlen(name) >= sizeof(id->name) ||
        strlen(ver) >= sizeof(id->version))
      rc = pt_err_make(err, EINVAL, "package.json: bad or missing name/version");
    else {
      snprintf(id->name, sizeof(id->name), "%s", name);
      snprintf(id->version, sizeof(id->version), "%s", ver);
    }
    json_decref(root);
    if (rc < 0)
      return rc;
    snprintf(id->prefix, sizeof(id->prefix), "package/");
    snprintf(id->artifact, sizeof(id->artifact), "%s-%s.tgz", id->name,
             id->version);
    return 0;
  }

  const char *mfile = NULL;
  char mpath[512];
  if (kind == BC_SDIST) {
    mfile = "PKG-INFO";
  } else {
    /* Exactly one top-level *.dist-info directory carries the metadata. */
    const char *di = NULL;
    size_t dilen = 0;
    for (size_t i = 0; i < t->n; i++) {
      const char *slash = strchr(t->v[i].rel, '/');
      if (slash == NULL || (size_t)(slash - t->v[i].rel) < 10 ||
          strncmp(slash - 10, ".dist-info", 10) != 0)
        continue;
      size_t l = (size_t)(slash - t->v[i].rel);
      if (di != NULL && (l != dilen || strncmp(di, t->v[i].rel, l) != 0))
        return pt_err_make(err, EINVAL, "more than one .dist-info directory");
      di = t->v[i].rel;
      dilen = l;
    }
    if (di == NULL)
      return pt_err_make(err, ENOENT, "no .dist-info directory");
    snprintf(mpath, sizeof(mpath), "%.*s/METADATA", (int)dilen, di);
    mfile = mpath;
    char rec[512];
    snprintf(rec, sizeof(rec), "%.*s/RECORD", (int)dilen, di);
    if (bc_tree_find(t, rec) != NULL)
      return pt_err_make(err, EEXIST, "`%s` is generated, remove it", rec);
  }
  const bc_file *m = bc_tree_find(t, mfile);
  if (m == NULL)
    return pt_err_make(err, ENOENT, "no %s", mfile);
  if (!bc_header_get(m->data, "Name", id->name, sizeof(id->name)) ||
      !bc_header_get(m->data, "Version", id->version, sizeof(id->version)) ||
      !bc_plain_token(id->name, "-._") || !bc_plain_token(id->version, ".+"))
    return pt_err_make(err, EINVAL, "%s: bad or missing Name/Version", mfile);
  if (kind == BC_SDIST) {
    if (bc_tree_find(t, "setup.py") == NULL &&
        bc_tree_find(t, "pyproject.toml") == NULL)
      return pt_err_make(err, ENOENT, "sdist without setup.py or pyproject.toml");
    snprintf(id->prefix, sizeof(id->prefix), "%s-%s/", id->name, id->version);
    snprintf(id->artifact, sizeof(id->artifact), "%s-%s.tar.gz", id->name,
             id->version);
    return 0;
  }
  char esc[256];
  bc_wheel_escape(id->name, esc, sizeof(esc));
  snprintf(id->distinfo, sizeof(id->distinfo), "%s-%s.dist-info", esc,
           id->version);
  if (strncmp(mfile, id->distinfo, strlen(id->distinfo)) != 0 ||
      mfile[strlen(id->distinfo)] != '/')
    return pt_err_make(err, EINVAL, "dist-info dir should be `%s`",
                       id->distinfo);
  char wpath[512];
  snprintf(wpath, sizeof(wpath), "%s/WHEEL", id->distinfo);
  const bc_file *w = bc_tree_find(t, wpath);
  if (w == NULL || strstr(w->data, "Wheel-Version: 1.0") == NULL ||
      strstr(w->data, "Tag: py3-none-any") == NULL)
    return pt_err_make(err, EINVAL, "%s: want Wheel-Version 1.0, py3-none-any",
                       wpath);
  snprintf(id->artifact, sizeof(id->artifact), "%s-%s-py3-none-any.whl", esc,
           id->version);
  return 0;
}

/* ---- labels ------------------------------------------------------------ */

static const char *const bc_base_phases[] = {
    "build requirements", "install", "build hooks", "startup", "import",
    "import (again)", "exercise",
    "setuptools build"};

/* A phase is one of the fixed ones or "<group>:<name>" (console_scripts:aws,
 * bin:npm, pytest11:foo), as the runner names them. */
static bool bc_phase_ok(const char *p) {
  for (size_t i = 0; i < PT_ARRAY_LEN(bc_base_phases); i++)
    if (strcmp(p, bc_base_phases[i]) == 0)
      return true;
  const char *colon = strchr(p, ':');
  return colon != NULL && colon != p && colon[1] != '\0';
}

static int bc_kind_parse(const char *s, bc_kind *k) {
  if (s == NULL)
    return -1;
  if (strcmp(s, "wheel") == 0)
    *k = BC_WHEEL;
  else if (strcmp(s, "sdist") == 0)
    *k = BC_SDIST;
  else if (strcmp(s, "npm") == 0)
    *k = BC_NPM;
  else
    return -1;
  return 0;
}

/* Load labels.json and check its shape: every field present and typed,
 * ids unique and usable as directory names, deps pointing at known ids. */
static int bc_load_labels(const char *path, json_t **out, pt_err **err) {
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (pt_read_file_at(AT_FDCWD, path, BC_LABELS_CAP, &text, &len, err) < 0)
    return -1;
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return pt_err_make(err, EINVAL, "%s:%d: %s", path, je.line, je.text);
  if (!json_is_array(root) || json_array_size(root) == 0) {
    json_decref(root);
    return pt_err_make(err, EINVAL, "%s: want a non-empty array", path);
  }
  size_t i;
  json_t *s;
  json_array_foreach(root, i, s) {
    const char *id = json_string_value(json_object_get(s, "id"));
    const char *label = json_string_value(json_object_get(s, "label"));
    json_t *expect = json_object_get(s, "expect");
    json_t *phases = json_object_get(expect, "phases");
    json_t *events = json_object_get(expect, "events");
    json_t *deps = json_object_get(s, "deps");
    bc_kind k;
    const char *bad = NULL;
    if (id == NULL || !bc_plain_token(id, "-_"))
      bad = "id";
    else if (bc_kind_parse(json_string_value(json_object_get(s, "kind")), &k))
      bad = "kind";
    else if (label == NULL ||
             (strcmp(label, "malicious") != 0 && strcmp(label, "benign") != 0))
      bad = "label";
    else if (!json_is_string(json_object_get(s, "technique")) ||
             !json_is_string(json_object_get(s, "description")))
      bad = "technique/description";
    else if (!json_is_string(json_object_get(s, "artifact")))
      bad = "artifact";
    else if (!json_is_array(deps))
      bad = "deps";
    else if (!json_is_array(phases) || !json_is_array(events))
      bad = "expect.phases/expect.events";
    /* A malicious sample that is expected to do nothing would make every
     * analyser pass; a benign one with expected phases is a contradiction. */
    else if ((strcmp(label, "malicious") == 0) != (json_array_size(phases) > 0))
      bad = "expect.phases (non-empty iff malicious)";
    if (bad == NULL) {
      size_t j;
      json_t *v;
      json_array_foreach(phases, j, v) {
        if (!json_is_string(v) || !bc_phase_ok(json_string_value(v)))
          bad = "expect.phases entry";
      }
      json_array_foreach(events, j, v) {
        if (!json_is_string(v))
          bad = "expect.events entry";
      }
      for (size_t o = 0; o < i && bad == NULL; o++) {
        json_t *other = json_array_get(root, o);
        if (strcmp(json_string_value(json_object_get(other, "id")), id) == 0)
          bad = "id (duplicate)";
        else if (strcmp(json_string_value(json_object_get(other, "artifact")),
                        json_string_value(json_object_get(s, "artifact"))) ==
                 0)
          bad = "artifact (duplicate)";
      }
    }
    if (bad != NULL) {
      /* Format before decref: id points into the JSON tree. */
      pt_err_make(err, EINVAL, "%s: entry %zu (%s): bad %s", path, i,
                  id ? id : "?", bad);
      json_decref(root);
      return -1;
    }
  }
  /* Second pass: deps can name entries that come later in the file. */
  json_array_foreach(root, i, s) {
    size_t j;
    json_t *d;
    json_array_foreach(json_object_get(s, "deps"), j, d) {
      bool found = false;
      size_t o;
      json_t *other;
      json_array_foreach(root, o, other) {
        if (json_is_string(d) &&
            strcmp(json_string_value(json_object_get(other, "id")),
                   json_string_value(d)) == 0 &&
            o != i)
          found = true;
      }
      if (!found) {
        pt_err_make(err, ENOENT, "%s: `%s` depends on unknown id `%s`", path,
                    json_string_value(json_object_get(s, "id")),
                    json_is_string(d) ? json_string_value(d) : "?");
        json_decref(root);
        return -1;
      }
    }
  }
  *out = root;
  return 0;
}

/* ---- writing ----------------------------------------------------------- */

static int bc_ar_fail(struct archive *a, const char *what, const char *path,
                      pt_err **err) {
  int e = archive_errno(a);
  return pt_err_make(err, e > 0 ? e : 0, "%s `%s`: %s", what, path,
                     archive_error_string(a) ? archive_error_string(a) : "?");
}

static int bc_ar_put(struct archive *a, struct archive_entry *e,
                     const char *path, const char *data, size_t len,
                     mode_t mode, pt_err **err) {
  archive_entry_clear(e);
  archive_entry_set_pathname(e, path);
  archive_entry_set_mtime(e, BC_MTIME, 0);
  archive_entry_set_uid(e, 0);
  archive_entry_set_gid(e, 0);
  if (mode & S_IFDIR) {
    archive_entry_set_filetype(e, AE_IFDIR);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_size(e, 0);
  } else {
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, mode & 0777);
    archive_entry_set_size(e, (la_int64_t)len);
  }
  if (archive_write_header(a, e) != ARCHIVE_OK)
    return bc_ar_fail(a, "write header", path, err);
  if (len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len)
    return bc_ar_fail(a, "write data", path, err);
  return 0;
}

/* The wheel's RECORD: one line per file, then itself with empty fields. */
static int bc_make_record(const bc_tree *t, const char *distinfo, pt_buf *rec,
                          pt_err **err) {
  for (size_t i = 0; i < t->n; i++) {
    char h[64];
    if (bc_record_hash(t->v[i].data, t->v[i].len, h, err) < 0)
      return -1;
    pt_buf_printf(rec, "%s,%s,%zu\n", t->v[i].rel, h, t->v[i].len);
  }
  pt_buf_printf(rec, "%s/RECORD,,\n", distinfo);
  if (rec->dropped)
    return pt_err_make(err, E2BIG, "RECORD too large");
  return 0;
}

/* Wheels conventionally list the package first and .dist-info last
 * (bdist_wheel does), so some tools stream METADATA from the end. */
static int bc_wheel_order(const void *a, const void *b) {
  const char *ra = ((const bc_file *)a)->rel, *rb = ((const bc_file *)b)->rel;
  const char *sa = strchr(ra, '/'), *sb = strchr(rb, '/');
  bool da = sa && sa - ra >= 10 && strncmp(sa - 10, ".dist-info", 10) == 0;
  bool db = sb && sb - rb >= 10 && strncmp(sb - 10, ".dist-info", 10) == 0;
  if (da != db)
    return da ? 1 : -1;
  return strcmp(ra, rb);
}

static int bc_write_artifact(bc_kind kind, bc_tree *t, const bc_ident *id,
                             const char *outdir, pt_err **err) {
  char final[4096], tmp[4096];
  snprintf(final, sizeof(final), "%s/%s", outdir, id->artifact);
  snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", outdir, id->artifact);

  struct archive *a = archive_write_new();
  struct archive_entry *e = archive_entry_new();
  pt_buf rec;
  pt_buf_init(&rec, (size_t)1 << 20);
  int rc = -1;
  if (a == NULL || e == NULL) {
    pt_err_make(err, ENOMEM, "archive_write_new");
    goto out;
  }
  if (kind == BC_WHEEL) {
    qsort(t->v, t->n, sizeof(*t->v), bc_wheel_order);
    if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
        archive_write_set_options(a, "zip:compression=deflate") != ARCHIVE_OK) {
      bc_ar_fail(a, "zip format", tmp, err);
      goto out;
    }
  } else {
    qsort(t->v, t->n, sizeof(*t->v), bc_file_cmp);
    /* pax_restricted writes plain ustar unless a field does not fit, which
     * keeps the tar readable by Python's tarfile and npm's tar alike. No
     * gzip timestamp: it would make every build differ. */
    if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
        archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
        archive_write_set_filter_option(a, "gzip", "timestamp", NULL) !=
            ARCHIVE_OK) {
      bc_ar_fail(a, "tar.gz format", tmp, err);
      goto out;
    }
  }
  if (archive_write_open_filename(a, tmp) != ARCHIVE_OK) {
    bc_ar_fail(a, "create", tmp, err);
    goto out;
  }

  /* sdists carry directory entries (setuptools' do); npm tarballs do not. */
  char lastdir[1024] = "";
  if (kind == BC_SDIST) {
    char top[512];
    snprintf(top, sizeof(top), "%s", id->prefix);
    if (bc_ar_put(a, e, top, NULL, 0, S_IFDIR | 0755, err) < 0)
      goto out;
  }
  for (size_t i = 0; i < t->n; i++) {
    char path[1024];
    if (kind == BC_SDIST) {
      /* Emit each parent directory the first time sorted order reaches it. */
      for (const char *s = strchr(t->v[i].rel, '/'); s; s = strchr(s + 1, '/')) {
        size_t dl = (size_t)(s - t->v[i].rel);
        if (strncmp(lastdir, t->v[i].rel, dl) == 0 &&
            (lastdir[dl] == '/' || lastdir[dl] == '\0'))
          continue;
        snprintf(path, sizeof(path), "%s%.*s/", id->prefix, (int)dl,
                 t->v[i].rel);
        if (bc_ar_put(a, e, path, NULL, 0, S_IFDIR | 0755, err) < 0)
          goto out;
        snprintf(lastdir, sizeof(lastdir), "%.*s", (int)dl, t->v[i].rel);
      }
    }
    snprintf(path, sizeof(path), "%s%s", id->prefix, t->v[i].rel);
    if (bc_ar_put(a, e, path, t->v[i].data, t->v[i].len, t->v[i].mode, err) <
        0)
      goto out;
  }
  if (kind == BC_WHEEL) {
    if (bc_make_record(t, id->distinfo, &rec, err) < 0)
      goto out;
    char path[512];
    snprintf(path, sizeof(path), "%s/RECORD", id->distinfo);
    if (bc_ar_put(a, e, path, rec.data, rec.len, 0644, err) < 0)
      goto out;
  }
  if (archive_write_close(a) != ARCHIVE_OK) {
    bc_ar_fail(a, "close", tmp, err);
    goto out;
  }
  if (rename(tmp, final) < 0) {
    pt_err_make(err, errno, "rename `%s`", tmp);
    goto out;
  }
  rc = 0;
out:
  if (rc < 0)
    unlink(tmp);
  pt_buf_free(&rec);
  if (e)
    archive_entry_free(e);
  if (a)
    archive_write_free(a);
  return rc;
}

/* ---- verifying --------------------------------------------------------- */

/* Read every entry of an artifact into a tree, checking the invariants the
 * builder promises (fixed mtime, owner 0, modes 0644/0755, no links). */
static int bc_read_artifact(const char *path, bc_tree *t, pt_err **err) {
  struct archive *a = archive_read_new();
  if (a == NULL)
    return pt_err_make(err, ENOMEM, "archive_read_new");
  archive_read_support_format_zip_seekable(a);
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  int rc = 0;
  if (archive_read_open_filename(a, path, 16384) != ARCHIVE_OK) {
    rc = bc_ar_fail(a, "open", path, err);
    goto out;
  }
  struct archive_entry *e;
  int r;
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    const char *name = archive_entry_pathname(e);
    mode_t type = archive_entry_filetype(e);
    mode_t perm = archive_entry_perm(e);
    la_int64_t size = archive_entry_size(e);
    if (name == NULL || (type != AE_IFREG && type != AE_IFDIR)) {
      rc = pt_err_make(err, EINVAL, "%s: entry `%s` is not a file or dir",
                       path, name ? name : "?");
      goto out;
    }
    if (archive_entry_mtime(e) != BC_MTIME || archive_entry_uid(e) != 0 ||
        archive_entry_gid(e) != 0 || (perm != 0644 && perm != 0755) ||
        (type == AE_IFDIR && perm != 0755)) {
      rc = pt_err_make(err, EINVAL, "%s: `%s` mtime/owner/mode not canonical",
                       path, name);
      goto out;
    }
    if (size < 0 || (size_t)size > BC_FILE_CAP) {
      rc = pt_err_make(err, EFBIG, "%s: `%s` too large", path, name);
      goto out;
    }
    char *data = malloc((size_t)size + 1);
    if (data == NULL) {
      rc = pt_err_make(err, ENOMEM, "%s: `%s`", path, name);
      goto out;
    }
    la_ssize_t got = size ? archive_read_data(a, data, (size_t)size) : 0;
    if (got != size) {
      free(data);
      rc = bc_ar_fail(a, "read", name, err);
      goto out;
    }
    data[size] = '\0';
    if (bc_tree_find(t, name) != NULL) {
      free(data);
      rc = pt_err_make(err, EEXIST, "%s: duplicate entry `%s`", path, name);
      goto out;
    }
    if ((rc = bc_tree_add(t, name, data, (size_t)size,
                          type == AE_IFDIR ? (S_IFDIR | 0755) : perm, err)) <
        0) {
      free(data);
      goto out;
    }
  }
  if (r != ARCHIVE_EOF)
    rc = bc_ar_fail(a, "read", path, err);
out:
  archive_read_free(a);
  return rc;
}

/* Every line of RECORD must match an entry byte for byte, and every entry
 * must be in RECORD: that is what pip checks, and what a tampered wheel
 * would break. */
static int bc_verify_record(const bc_tree *arch, const bc_ident *id,
                            pt_err **err) {
  char rpath[512];
  snprintf(rpath, sizeof(rpath), "%s/RECORD", id->distinfo);
  const bc_file *rec = bc_tree_find(arch, rpath);
  if (rec == NULL)
    return pt_err_make(err, ENOENT, "no %s", rpath);
  if (arch->n == 0 || strcmp(arch->v[arch->n - 1].rel, rpath) != 0)
    return pt_err_make(err, EINVAL, "RECORD is not the last entry");
  size_t listed = 0;
  bool self = false;
  char *save = NULL;
  cleanup_free char *copy = strdup(rec->data);
  if (copy == NULL)
    return pt_err_make(err, ENOMEM, "RECORD");
  for (char *line = strtok_r(copy, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    char *c1 = strchr(line, ',');
    char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (c2 == NULL || strchr(c2 + 1, ','))
      return pt_err_make(err, EINVAL, "RECORD: malformed line `%.80s`", line);
    *c1 = *c2 = '\0';
    if (strcmp(line, rpath) == 0) {
      if (c1[1] != '\0' || c2[1] != '\0')
        return pt_err_make(err, EINVAL, "RECORD lists itself with a hash");
      self = true;
      continue;
    }
    const bc_file *f = bc_tree_find(arch, line);
    if (f == NULL || (f->mode & S_IFDIR))
      return pt_err_make(err, ENOENT, "RECORD lists missing `%s`", line);
    char h[64], sz[32];
    if (bc_record_hash(f->data, f->len, h, err) < 0)
      return -1;
    snprintf(sz, sizeof(sz), "%zu", f->len);
    if (strcmp(c1 + 1, h) != 0 || strcmp(c2 + 1, sz) != 0)
      return pt_err_make(err, EINVAL, "RECORD hash/size mismatch for `%s`",
                         line);
    listed++;
  }
  if (!self || listed + 1 != arch->n)
    return pt_err_make(err, EINVAL, "RECORD lists %zu of %zu entries%s",
                       listed, arch->n - 1, self ? "" : ", not itself");
  return 0;
}

static int bc_verify_npm(const bc_tree *src, pt_err **err) {
  const bc_file *pj = bc_tree_find(src, "package.json");
  json_t *root = json_loadb(pj->data, pj->len, 0, NULL);
  int rc = 0;
  /* main and bin targets must exist, or the import/bin phases would test
   * nothing and the sample would look clean for the wrong reason. */
  const char *main = json_string_value(json_object_get(root, "main"));
  if (main != NULL) {
    const char *m = strncmp(main, "./", 2) == 0 ? main + 2 : main;
    char withjs[512];
    snprintf(withjs, sizeof(withjs), "%s.js", m);
    if (!bc_tree_find(src, m) && !bc_tree_find(src, withjs))
      rc = pt_err_make(err, ENOENT, "package.json main `%s` missing", main);
  }
  json_t *bin = json_object_get(root, "bin");
  const char *k;
  json_t *v;
  json_object_foreach(bin, k, v) {
    const char *b = json_string_value(v);
    if (b && strncmp(b, "./", 2) == 0)
      b += 2;
    if (rc == 0 && (b == NULL || bc_tree_find(src, b) == NULL))
      rc = pt_err_make(err, ENOENT, "package.json bin `%s` missing", k);
  }
  json_decref(root);
  return rc;
}

static int bc_verify_one(bc_kind kind, const bc_tree *src, const bc_ident *id,
                         const char *dir, pt_err **err) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, id->artifact);
  bc_tree arch = {0};
  int rc = bc_read_artifact(path, &arch, err);
  if (rc < 0)
    goto out;
  /* Same files, same bytes, same modes as the sample tree: the artifact is
   * up to date and nothing was added or lost on the way. */
  size_t files = 0;
  for (size_t i = 0; i < arch.n && rc == 0; i++) {
    const char *rel = arch.v[i].rel;
    size_t pl = strlen(id->prefix);
    if (strncmp(rel, id->prefix, pl) != 0 && !(arch.v[i].mode & S_IFDIR &&
                                               strlen(rel) + 1 == pl))
      rc = pt_err_make(err, EINVAL, "%s: `%s` outside `%s`", path, rel,
                       id->prefix);
    else if (!bc_plain_path(rel))
      rc = pt_err_make(err, EINVAL, "%s: unsafe path `%s`", path, rel);
    else if (arch.v[i].mode & S_IFDIR) {
      if (kind != BC_SDIST)
        rc = pt_err_make(err, EINVAL, "%s: directory entry `%s`", path, rel);
    } else {
      const bc_file *s = bc_tree_find(src, rel + pl);
      if (s == NULL) {
        bool record = kind == BC_WHEEL &&
                      strncmp(rel, id->distinfo, strlen(id->distinfo)) == 0 &&
                      strcmp(rel + strlen(id->distinfo), "/RECORD") == 0;
        if (!record)
          rc = pt_err_make(err, EINVAL, "%s: `%s` not in the sample", path,
                           rel);
      } else {
        files++;
        if (s->len != arch.v[i].len ||
            memcmp(s->data, arch.v[i].data, s->len) != 0 ||
            s->mode != arch.v[i].mode)
          rc = pt_err_make(err, EINVAL, "%s: `%s` differs from the sample",
                           path, rel);
      }
    }
  }
  if (rc == 0 && files != src->n)
    rc = pt_err_make(err, EINVAL, "%s: has %zu of the %zu sample files", path,
                     files, src->n);
  if (rc == 0 && kind == BC_WHEEL)
    rc = bc_verify_record(&arch, id, err) < 0 ? pt_err_wrap(err, "%s", path)
                                               : 0;
  if (rc == 0 && kind == BC_NPM)
    rc = bc_verify_npm(src, err) < 0 ? pt_err_wrap(err, "%s", path) : 0;
out:
  bc_tree_free(&arch);
  return rc;
}

/* ---- driver ------------------------------------------------------------ */

/* Remove artifacts a previous build left for samples that no longer exist,
 * so the artifacts directory always equals the labels. Only our own output
 * directory and only artifact-shaped names are touched. */
static void bc_prune(const char *outdir, json_t *labels) {
  DIR *d = opendir(outdir);
  if (d == NULL)
    return;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    bool art = (n > 4 && strcmp(de->d_name + n - 4, ".whl") == 0) ||
               (n > 4 && strcmp(de->d_name + n - 4, ".tgz") == 0) ||
               (n > 7 && strcmp(de->d_name + n - 7, ".tar.gz") == 0);
    if (!art)
      continue;
    bool known = false;
    size_t i;
    json_t *s;
    json_array_foreach(labels, i, s) {
      if (strcmp(json_string_value(json_object_get(s, "artifact")),
                 de->d_name) == 0)
        known = true;
    }
    if (!known)
      unlinkat(dirfd(d), de->d_name, 0);
  }
  closedir(d);
}

static int bc_run(const char *labels_path, const char *samples,
                  const char *outdir, bool verify, pt_err **err) {
  json_t *labels = NULL;
  if (bc_load_labels(labels_path, &labels, err) < 0)
    return -1;
  if (!verify && pt_mkdir_p_at(AT_FDCWD, outdir, 0755, err) < 0) {
    json_decref(labels);
    return -1;
  }
  cleanup_close int sfd =
      open(samples, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (sfd < 0) {
    json_decref(labels);
    return pt_err_make(err, errno, "open `%s`", samples);
  }
  int rc = 0;
  size_t i;
  json_t *s;
  json_array_foreach(labels, i, s) {
    const char *id = json_string_value(json_object_get(s, "id"));
    const char *want = json_string_value(json_object_get(s, "artifact"));
    /* bc_load_labels checked every kind; asked again so that no path
     * reads an unset kind (gcc -O3 cannot see the first check). */
    bc_kind kind;
    if (bc_kind_parse(json_string_value(json_object_get(s, "kind")), &kind)) {
      rc = pt_err_make(err, EINVAL, "sample `%s`: bad kind", id);
      break;
    }
    bc_tree t = {0};
    bc_ident ident;
    cleanup_close int dfd =
        openat(sfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (dfd < 0)
      rc = pt_err_make(err, errno, "open `%s/%s`", samples, id);
    else if (bc_collect(dfd, "", 0, &t, err) < 0 ||
             bc_identify(kind, &t, &ident, err) < 0)
      rc = -1;
    else if (strcmp(ident.artifact, want) != 0)
      rc = pt_err_make(err, EINVAL, "metadata says `%s`, labels.json `%s`",
                       ident.artifact, want);
    else if (verify)
      rc = bc_verify_one(kind, &t, &ident, outdir, err);
    else
      rc = bc_write_artifact(kind, &t, &ident, outdir, err);
    bc_tree_free(&t);
    if (rc < 0) {
      pt_err_wrap(err, "sample `%s`", id);
      break;
    }
  }
  if (rc == 0 && !verify)
    bc_prune(outdir, labels);
  if (rc == 0)
    printf("%s %zu artifacts in %s\n", verify ? "verified" : "built",
           json_array_size(labels), outdir);
  json_decref(labels);
  return rc;
}

static void bc_usage(FILE *f) {
  fprintf(f, "usage: build_corpus --labels FILE --samples DIR --out DIR\n"
             "       build_corpus --labels FILE --samples DIR --verify DIR\n");
}

int main(int argc, char **argv) {
  const char *labels = NULL, *samples = NULL, *out = NULL, *verify = NULL;
  for (int i = 1; i < argc; i++) {
    const char **slot = strcmp(argv[i], "--labels") == 0    ? &labels
                        : strcmp(argv[i], "--samples") == 0 ? &samples
                        : strcmp(argv[i], "--out") == 0     ? &out
                        : strcmp(argv[i], "--verify") == 0  ? &verify
                                                            : NULL;
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      bc_usage(stdout);
      return 0;
    }
    if (slot == NULL || i + 1 >= argc) {
      bc_usage(stderr);
      return 2;
    }
    *slot = argv[++i];
  }
  if (labels == NULL || samples == NULL || (out == NULL) == (verify == NULL)) {
    bc_usage(stderr);
    return 2;
  }
  /* zip stores local DOS times: pin the zone so the bytes do not depend on
   * the machine that built them. */
  setenv("TZ", "UTC", 1);
  tzset();
  umask(022);
  pt_err *err = NULL;
  if (bc_run(labels, samples, verify ? verify : out, verify != NULL, &err) <
      0) {
    pt_err_print(err);
    return 1;
  }
  return 0;
}
