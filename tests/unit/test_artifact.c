/* Artifact module tests (curl tests/unit style, table-driven).
 *
 * Every hostile archive is built here with libarchive's writer (nothing
 * binary is committed). Each must be rejected with the expected rule and a
 * clear error, and write nothing anywhere: dest is base/box/a/b/dest, so
 * `..`, `../..` and links land inside box, next to a sentinel file; after
 * every case box must hold exactly a, a/b, a/b/dest (empty) and the
 * untouched sentinel.
 *
 *   test_artifact                  run the tests
 *   test_artifact --write-seeds D  write small archives as fuzz seeds */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "artifact.h"
#include "pt_util.h"

#include "check.h"

static char base[64], box[128], dest[160], arch_dir[128];

/* ---- building archives ------------------------------------------------ */

enum fmt { TGZ, TAR_USTAR, ZIP };

enum fill { F_TEXT, F_ZEROS, F_NOISE };

typedef struct ent {
  const char *name;
  mode_t type; /* 0 = regular */
  mode_t perm; /* 0 = 0644 (0755 for dirs) */
  const char *text;
  size_t size; /* for F_ZEROS / F_NOISE */
  enum fill fill;
  const char *link;     /* symlink target */
  const char *hardlink; /* hard link target */
} ent;

#define MAX_ENTS 12

static int write_archive(const char *path, enum fmt fmt, const ent *ents,
                         size_t n) {
  struct archive *a = archive_write_new();
  if (fmt == ZIP) {
    archive_write_set_format_zip(a);
  } else if (fmt == TAR_USTAR) {
    archive_write_set_format_ustar(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
    /* No time in the gzip header: the fuzz seeds come out identical on
     * every run. */
    archive_write_set_options(a, "gzip:!timestamp");
  }
  if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
    fprintf(stderr, "open %s: %s\n", path, archive_error_string(a));
    archive_write_free(a);
    return -1;
  }
  static char chunk[1 << 16];
  uint32_t seed = 12345;
  for (size_t i = 0; i < n; i++) {
    const ent *e = &ents[i];
    struct archive_entry *ae = archive_entry_new();
    archive_entry_copy_pathname(ae, e->name);
    mode_t type = e->type ? e->type : AE_IFREG;
    archive_entry_set_filetype(ae, type);
    archive_entry_set_perm(ae, e->perm ? e->perm
                                       : (type == AE_IFDIR ? 0755 : 0644));
    archive_entry_set_mtime(ae, 1700000000, 0);
    size_t size = e->text ? strlen(e->text) : e->size;
    if (e->link)
      archive_entry_set_symlink(ae, e->link);
    if (e->hardlink)
      archive_entry_set_hardlink(ae, e->hardlink);
    if (type == AE_IFCHR)
      archive_entry_set_rdev(ae, makedev(1, 3));
    if (type == AE_IFREG && !e->hardlink)
      archive_entry_set_size(ae, (la_int64_t)size);
    int r = archive_write_header(a, ae);
    archive_entry_free(ae);
    if (r < ARCHIVE_WARN) {
      fprintf(stderr, "header %s: %s\n", e->name, archive_error_string(a));
      archive_write_free(a);
      return -1;
    }
    if (type != AE_IFREG || e->hardlink)
      continue;
    if (e->text) {
      archive_write_data(a, e->text, size);
      continue;
    }
    for (size_t done = 0; done < size;) {
      size_t k = size - done < sizeof(chunk) ? size - done : sizeof(chunk);
      for (size_t j = 0; j < k; j++) {
        seed = seed * 1103515245u + 12345u;
        chunk[j] = e->fill == F_NOISE ? (char)(seed >> 16) : 0;
      }
      archive_write_data(a, chunk, k);
      done += k;
    }
  }
  int r = archive_write_close(a);
  archive_write_free(a);
  return r == ARCHIVE_OK ? 0 : -1;
}

static char *arch_path(const char *name) {
  static char p[256];
  snprintf(p, sizeof(p), "%s/%s", arch_dir, name);
  return p;
}

/* ---- the box ---------------------------------------------------------- */

static int mkdirs(void) {
  strcpy(base, "/tmp/pkgtrap-test-artifact-XXXXXX");
  if (mkdtemp(base) == NULL)
    return -1;
  snprintf(box, sizeof(box), "%s/box", base);
  snprintf(arch_dir, sizeof(arch_dir), "%s/arch", base);
  snprintf(dest, sizeof(dest), "%s/a/b/dest", box);
  pt_err *err = NULL;
  if (mkdir(arch_dir, 0700) < 0 || pt_mkdir_p_at(AT_FDCWD, dest, 0700, &err) < 0)
    return -1;
  char s[200];
  snprintf(s, sizeof(s), "%s/sentinel", box);
  return pt_write_file_at(AT_FDCWD, s, "keep\n", 5, 0644, &err);
}

static int box_count;
static bool box_ok;
static int box_visit(const char *path, const struct stat *st, int type,
                     struct FTW *ftw) {
  (void)type;
  (void)ftw;
  const char *rel = path + strlen(box);
  if (*rel == '\0')
    return 0;
  rel++;
  box_count++;
  if (strcmp(rel, "a") == 0 || strcmp(rel, "a/b") == 0 ||
      strcmp(rel, "a/b/dest") == 0)
    return S_ISDIR(st->st_mode) ? 0 : (box_ok = false, 0);
  if (strcmp(rel, "sentinel") == 0) {
    char *data = NULL;
    size_t len = 0;
    pt_err *err = NULL;
    if (!S_ISREG(st->st_mode) ||
        pt_read_file_at(AT_FDCWD, path, 64, &data, &len, &err) < 0 ||
        len != 5 || memcmp(data, "keep\n", 5) != 0)
      box_ok = false;
    free(data);
    pt_err_free(err);
    return 0;
  }
  fprintf(stderr, "  unexpected in box: %s\n", rel);
  box_ok = false;
  return 0;
}

/* Box exactly as set up, dest empty (or absent). */
static bool box_untouched(void) {
  box_count = 0;
  box_ok = true;
  nftw(box, box_visit, 16, FTW_PHYS);
  return box_ok && box_count >= 3 && box_count <= 4;
}

static void reset_dest(void) {
  pt_err *err = NULL;
  if (pt_rmtree(dest, &err) < 0)
    pt_err_print(err);
  err = NULL;
  if (mkdir(dest, 0700) < 0 && errno != EEXIST)
    perror(dest);
}

/* ---- hostile archives ------------------------------------------------- */

#define WHEEL_ENTS                                                             \
  {.name = "demo/__init__.py", .text = "print('hi')\n"},                       \
      {.name = "demo-1.0.dist-info/WHEEL", .text = "Wheel-Version: 1.0\n"},    \
      {.name = "demo-1.0.dist-info/METADATA",                                  \
       .text = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\nbody\n"},   \
      {.name = "demo-1.0.dist-info/entry_points.txt",                          \
       .text = "[console_scripts]\naws = demo:main\n"},                        \
      {.name = "demo-1.0.dist-info/RECORD", .text = "demo/__init__.py,,\n"}


typedef struct bad_case {
  const char *name;
  enum fmt fmt;
  ent ents[MAX_ENTS];
  const char *rule; /* the first problem's rule */
  void (*tweak)(pt_artifact_limits *l);
  int (*build)(const char *path); /* instead of ents */
} bad_case;

static void lim_small_total(pt_artifact_limits *l) { l->max_total_bytes = 64 << 10; }
static void lim_small_file(pt_artifact_limits *l) { l->max_file_bytes = 10 << 10; }
static void lim_few_entries(pt_artifact_limits *l) { l->max_entries = 3; }

static int build_empty(const char *path) {
  pt_err *err = NULL;
  return pt_write_file_at(AT_FDCWD, path, "", 0, 0644, &err);
}

static int build_garbage(const char *path) {
  char junk[4096];
  for (size_t i = 0; i < sizeof(junk); i++)
    junk[i] = (char)(i * 7 + 3);
  pt_err *err = NULL;
  return pt_write_file_at(AT_FDCWD, path, junk, sizeof(junk), 0644, &err);
}

static int build_no_entries(const char *path) {
  return write_archive(path, TGZ, NULL, 0);
}

static int cut_in_half(const char *path, enum fmt fmt) {
  ent e[] = {{.name = "pkg-1.0/PKG-INFO", .text = "Name: pkg\nVersion: 1.0\n"},
             {.name = "pkg-1.0/blob", .size = 200000, .fill = F_NOISE},
             {.name = "pkg-1.0/setup.py", .text = "print('x')\n"}};
  if (write_archive(path, fmt, e, 3) < 0)
    return -1;
  struct stat st;
  if (stat(path, &st) < 0)
    return -1;
  return truncate(path, st.st_size / 2);
}
static int build_truncated_tgz(const char *path) { return cut_in_half(path, TGZ); }
static int build_truncated_zip(const char *path) { return cut_in_half(path, ZIP); }

static int build_long_name(const char *path) {
  size_t n = 1 << 20;
  char *name = malloc(n + 1);
  if (name == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    name[i] = (i % 100 == 99) ? '/' : 'a';
  name[n] = '\0';
  ent e[] = {{.name = name, .text = "x"}};
  int r = write_archive(path, TGZ, e, 1);
  free(name);
  return r;
}

static int build_name_over_limit(const char *path) {
  char name[1500];
  memset(name, 'n', sizeof(name) - 1);
  name[sizeof(name) - 1] = '\0';
  for (size_t i = 100; i < sizeof(name) - 1; i += 100)
    name[i] = '/';
  ent e[] = {{.name = name, .text = "x"}};
  return write_archive(path, TGZ, e, 1);
}

/* A tar with a zip appended: a tar from the front, a zip from the end. */
static int build_polyglot(const char *path) {
  char zpath[300];
  snprintf(zpath, sizeof(zpath), "%s.zip", path);
  ent t[] = {{.name = "pkg-1.0/PKG-INFO", .text = "Name: pkg\nVersion: 1.0\n"}};
  ent z[] = {WHEEL_ENTS};
  if (write_archive(path, TAR_USTAR, t, 1) < 0 ||
      write_archive(zpath, ZIP, z, PT_ARRAY_LEN(z)) < 0)
    return -1;
  char *data = NULL;
  size_t len = 0;
  pt_err *err = NULL;
  int fd = open(path, O_WRONLY | O_APPEND);
  int r = pt_read_file_at(AT_FDCWD, zpath, 1 << 20, &data, &len, &err);
  if (fd < 0 || r < 0 || pt_write_all(fd, data, len) < 0)
    r = -1;
  if (fd >= 0)
    close(fd);
  free(data);
  pt_err_free(err);
  return r;
}

#define C10 "cccccccccc"
#define C100 C10 C10 C10 C10 C10 C10 C10 C10 C10 C10
#define LONG_COMPONENT "pkg/" C100 C100 C100 "/x"

static const bad_case bad_cases[] = {
    {"traversal", TGZ, {{.name = "pkg/../../x", .text = "pwn"}},
     "archive-path-traversal", NULL, NULL},
    {"traversal-zip", ZIP, {{.name = "../../../x", .text = "pwn"}},
     "archive-path-traversal", NULL, NULL},
    {"traversal-dotdot-last", TGZ, {{.name = "pkg/..", .type = AE_IFDIR}},
     "archive-path-traversal", NULL, NULL},
    {"absolute", TGZ, {{.name = "/etc/pkgtrap-test-x", .text = "pwn"}},
     "archive-absolute-path", NULL, NULL},
    {"absolute-zip", ZIP, {{.name = "/etc/pkgtrap-test-x", .text = "pwn"}},
     "archive-absolute-path", NULL, NULL},
    {"symlink-escape", TGZ,
     {{.name = "a", .type = AE_IFLNK, .link = "../../.."},
      {.name = "a/pwn", .text = "pwn"}},
     "archive-link-escape", NULL, NULL},
    {"symlink-escape-zip", ZIP,
     {{.name = "pkg/a", .type = AE_IFLNK, .link = "../../../.."},
      {.name = "pkg/a/pwn", .text = "pwn"}},
     "archive-link-escape", NULL, NULL},
    {"symlink-absolute", TGZ,
     {{.name = "pkg/etc", .type = AE_IFLNK, .link = "/etc"}},
     "archive-link-escape", NULL, NULL},
    {"symlink-in-tree-then-below", TGZ,
     {{.name = "pkg/sub", .type = AE_IFDIR},
      {.name = "pkg/l", .type = AE_IFLNK, .link = "sub"},
      {.name = "pkg/l/x", .text = "x"}},
     "archive-link-escape", NULL, NULL},
    {"symlink-chain", TGZ,
     {{.name = "pkg/d/l", .type = AE_IFLNK, .link = ".."},
      {.name = "pkg/m", .type = AE_IFLNK, .link = "d/l/../.."}},
     "archive-link-escape", NULL, NULL},
    {"symlink-target-control-char", TGZ,
     {{.name = "pkg/l", .type = AE_IFLNK, .link = "a\x1b[2Jb"}},
     "archive-link-escape", NULL, NULL},
    {"hardlink", TGZ,
     {{.name = "pkg/a", .text = "a"}, {.name = "pkg/b", .hardlink = "pkg/a"}},
     "archive-hardlink", NULL, NULL},
    {"hardlink-outside", TGZ, {{.name = "pkg/b", .hardlink = "/etc/passwd"}},
     "archive-hardlink", NULL, NULL},
    {"chardev", TGZ, {{.name = "pkg/null", .type = AE_IFCHR}},
     "archive-special-file", NULL, NULL},
    {"fifo", TAR_USTAR, {{.name = "pkg/fifo", .type = AE_IFIFO}},
     "archive-special-file", NULL, NULL},
    {"setuid", TGZ, {{.name = "pkg/su", .perm = 04755, .text = "#!/bin/sh\n"}},
     "archive-setuid", NULL, NULL},
    {"setgid-zip", ZIP, {{.name = "pkg/sg", .perm = 02755, .text = "x"}},
     "archive-setuid", NULL, NULL},
    {"sticky-dir", TGZ, {{.name = "pkg/tmp", .type = AE_IFDIR, .perm = 01777}},
     "archive-setuid", NULL, NULL},
    /* 8 MiB of zeros gzip to a few KiB: far past 200:1. */
    {"bomb-ratio", TGZ,
     {{.name = "pkg/zeros", .size = 8 << 20, .fill = F_ZEROS}},
     "archive-bomb", NULL, NULL},
    {"bomb-ratio-zip", ZIP,
     {{.name = "pkg/zeros", .size = 8 << 20, .fill = F_ZEROS}},
     "archive-bomb", NULL, NULL},
    {"bomb-total", TGZ,
     {{.name = "pkg/a", .size = 40000, .fill = F_NOISE},
      {.name = "pkg/b", .size = 40000, .fill = F_NOISE}},
     "archive-bomb", lim_small_total, NULL},
    {"bomb-file", ZIP, {{.name = "pkg/a", .size = 20000, .fill = F_NOISE}},
     "archive-bomb", lim_small_file, NULL},
    {"too-many-entries", TGZ,
     {{.name = "p/1", .text = "1"},
      {.name = "p/2", .text = "2"},
      {.name = "p/3", .text = "3"},
      {.name = "p/4", .text = "4"}},
     "archive-too-many-entries", lim_few_entries, NULL},
    {"truncated-tgz", TGZ, {{0}}, "archive-corrupt", NULL, build_truncated_tgz},
    {"truncated-zip", ZIP, {{0}}, "archive-corrupt", NULL, build_truncated_zip},
    {"empty-file", TGZ, {{0}}, "archive-corrupt", NULL, build_empty},
    {"polyglot-tar-zip", TGZ, {{0}}, "archive-polyglot", NULL, build_polyglot},
    {"not-an-archive", TGZ, {{0}}, "archive-corrupt", NULL, build_garbage},
    {"zero-entries", TGZ, {{0}}, "archive-corrupt", NULL, build_no_entries},
    /* libarchive itself refuses a 1 MiB pax header ("Special header too
     * large") before the name reaches us. */
    {"name-1mb", TGZ, {{0}}, "archive-corrupt", NULL, build_long_name},
    {"name-over-limit", TGZ, {{0}}, "archive-bad-name", NULL,
     build_name_over_limit},
    {"name-component-over-255", TGZ, {{.name = LONG_COMPONENT, .text = "x"}},
     "archive-bad-name", NULL, NULL},
    {"name-not-utf8", TAR_USTAR, {{.name = "pkg/\xff\xfe.py", .text = "x"}},
     "archive-bad-name", NULL, NULL},
    {"name-not-utf8-zip", ZIP, {{.name = "pkg/\xc0\xaf.py", .text = "x"}},
     "archive-bad-name", NULL, NULL},
    {"name-control-char", TGZ, {{.name = "pkg/a\nb", .text = "x"}},
     "archive-bad-name", NULL, NULL},
    /* libarchive's zip reader turns `\` into `/` (Windows zips): then it
     * is a plain traversal. In a tar it stays a backslash. */
    {"name-backslash-zip", ZIP, {{.name = "..\\..\\x", .text = "x"}},
     "archive-path-traversal", NULL, NULL},
    {"name-backslash-tar", TGZ, {{.name = "pkg/..\\..\\x", .text = "x"}},
     "archive-bad-name", NULL, NULL},
    {"duplicate", TGZ,
     {{.name = "pkg/a", .text = "1"}, {.name = "./pkg//a", .text = "2"}},
     "archive-duplicate-entry", NULL, NULL},
    {"file-then-below", TGZ,
     {{.name = "pkg/a", .text = "1"}, {.name = "pkg/a/b", .text = "2"}},
     "archive-duplicate-entry", NULL, NULL},
    {"npm-invalid-json", TGZ,
     {{.name = "package/package.json", .text = "{\"name\": \"x\",}"}},
     "archive-bad-metadata", NULL, NULL},
    {"npm-json-wrong-type", TGZ,
     {{.name = "package/package.json", .text = "{\"name\": [1]}"}},
     "archive-bad-metadata", NULL, NULL},
    {"npm-json-bad-utf8", TGZ,
     {{.name = "package/package.json", .text = "{\"name\": \"\xff\"}"}},
     "archive-bad-metadata", NULL, NULL},
    {"wheel-bad-metadata", ZIP,
     {{.name = "demo-1.0.dist-info/WHEEL", .text = "Wheel-Version: 1.0\n"},
      {.name = "demo-1.0.dist-info/METADATA", .text = "Name: bad name\n"}},
     "archive-bad-metadata", NULL, NULL},
};

static size_t count_ents(const ent *e) {
  size_t n = 0;
  while (n < MAX_ENTS && e[n].name != NULL)
    n++;
  return n;
}

static void test_bad(const bad_case *c) {
  char *path = arch_path(c->name);
  int r = c->build ? c->build(path)
                   : write_archive(path, c->fmt, c->ents, count_ents(c->ents));
  CHECK(r == 0, "%s: cannot build the archive", c->name);
  if (r != 0)
    return;
  pt_artifact_limits lim;
  pt_artifact_limits_default(&lim);
  if (c->tweak)
    c->tweak(&lim);
  pt_artifact_info info;
  pt_artifact_problems probs;
  pt_err *err = NULL;
  r = pt_artifact_unpack(path, dest, &lim, &info, &probs, &err);
  CHECK(r == -1, "%s: accepted", c->name);
  CHECK(err != NULL && err->msg != NULL && strstr(err->msg, c->rule),
        "%s: error `%s` does not name %s", c->name,
        err && err->msg ? err->msg : "(none)", c->rule);
  CHECK(probs.len >= 1 && strcmp(probs.items[0].rule, c->rule) == 0,
        "%s: first problem is %s, not %s", c->name,
        probs.len ? probs.items[0].rule : "(none)", c->rule);
  for (size_t i = 0; i < probs.len; i++) {
    CHECK(strlen(probs.items[i].entry) <= PT_ARTIFACT_ENTRY_SHOW_MAX + 3,
          "%s: entry not cut", c->name);
    CHECK(strchr(probs.items[i].summary, '\n') == NULL, "%s: summary has a "
                                                       "newline", c->name);
  }
  CHECK(box_untouched(), "%s: something was written", c->name);
  if (getenv("VERBOSE"))
    fprintf(stderr, "  %-26s %s\n", c->name, err ? err->msg : "");
  /* Absolute entries must not have reached the real /etc either. */
  CHECK(access("/etc/pkgtrap-test-x", F_OK) < 0, "%s: wrote /etc", c->name);
  pt_err_free(err);
  reset_dest();
  /* inspect agrees with unpack */
  err = NULL;
  r = pt_artifact_inspect(path, &lim, &info, &probs, &err);
  CHECK(r == -1 && probs.len >= 1 && strcmp(probs.items[0].rule, c->rule) == 0,
        "%s: inspect disagrees", c->name);
  pt_err_free(err);
}

/* ---- valid packages --------------------------------------------------- */

typedef struct good_case {
  const char *name; /* also the file name: never .whl/.tgz, content decides */
  enum fmt fmt;
  ent ents[MAX_ENTS];
  enum pt_ecosystem eco;
  const char *pkg, *version, *root;
  const char *check_file; /* relative to dest, must exist as a regular file */
  const char *check_link; /* relative to dest, must be a symlink */
  int binding_gyp;
} good_case;

static const good_case good_cases[] = {
    {"wheel.bin", ZIP, {WHEEL_ENTS}, PT_ECO_WHEEL, "demo", "1.0", ".",
     "demo/__init__.py", NULL, 0},
    {"wheel-no-metadata", ZIP,
     {{.name = "x_y-2.5.dist-info/WHEEL", .text = "Wheel-Version: 1.0\n"},
      {.name = "x_y/__init__.py", .text = ""}},
     PT_ECO_WHEEL, "x_y", "2.5", ".", "x_y/__init__.py", NULL, 0},
    {"sdist-pkg-info", TGZ,
     {{.name = "demo-2.0", .type = AE_IFDIR},
      {.name = "demo-2.0/PKG-INFO",
       .text = "Metadata-Version: 1.1\nName: demo\nVersion: 2.0\n"},
      {.name = "demo-2.0/setup.py", .text = "from setuptools import setup\n"},
      {.name = "demo-2.0/package.json", .text = "{\"name\": \"js-assets\"}"},
      {.name = "demo-2.0/run.sh", .perm = 0755, .text = "#!/bin/sh\n"}},
     PT_ECO_SDIST, "demo", "2.0", "demo-2.0", "demo-2.0/run.sh", NULL, 0},
    {"sdist-zip-no-pkg-info", ZIP,
     {{.name = "foo_bar-3.1.4/setup.py", .text = "print(1)\n"},
      {.name = "foo_bar-3.1.4/foo_bar/__init__.py", .text = ""}},
     PT_ECO_SDIST, "foo_bar", "3.1.4", "foo_bar-3.1.4",
     "foo_bar-3.1.4/foo_bar/__init__.py", NULL, 0},
    {"sdist-pyproject", TGZ,
     {{.name = "./my-pkg-0.1a1/pyproject.toml", .text = "[project]\n"}},
     PT_ECO_SDIST, "my-pkg", "0.1a1", "my-pkg-0.1a1",
     "my-pkg-0.1a1/pyproject.toml", NULL, 0},
    {"npm", TGZ,
     {{.name = "package/package.json",
       .text = "{\"name\":\"@scope/demo\",\"version\":\"1.2.3\","
               "\"scripts\":{\"postinstall\":\"node x.js\"}}"},
      {.name = "package/src/x.js", .text = "1;\n"},
      {.name = "package/lib", .type = AE_IFLNK, .link = "./src"}},
     PT_ECO_NPM, "@scope/demo", "1.2.3", "package", "package/src/x.js",
     "package/lib", 0},
    {"npm-other-top-and-gyp", TGZ,
     {{.name = "./node-demo/", .type = AE_IFDIR},
      {.name = "./node-demo/package.json",
       .text = "{\"name\":\"node-demo\",\"version\":\"0.0.1\"}"},
      {.name = "./node-demo/binding.gyp", .text = "{}"},
      {.name = "./node-demo/setup.py", .text = "# not python\n"}},
     PT_ECO_NPM, "node-demo", "0.0.1", "node-demo", "node-demo/binding.gyp",
     NULL, 1},
    /* The same path twice with the same bytes (npm pack once wrote
     * `package/./dist/index.js` beside `package/dist/index.js`: agent-base
     * 7.1.4) is one file; with different bytes it is "duplicate" above. */
    {"npm-identical-duplicate", TGZ,
     {{.name = "package/package.json",
       .text = "{\"name\":\"dup-ok\",\"version\":\"7.1.4\"}"},
      {.name = "package/./dist/index.js", .text = "module.exports = 1;\n"},
      {.name = "package/dist/index.js", .text = "module.exports = 1;\n"}},
     PT_ECO_NPM, "dup-ok", "7.1.4", "package", "package/dist/index.js", NULL,
     0},
    {"unknown-two-tops", TGZ,
     {{.name = "a.txt", .text = "a"}, {.name = "b/c.txt", .text = "c"}},
     PT_ECO_UNKNOWN, NULL, NULL, NULL, "b/c.txt", NULL, 0},
};

static void sha256_cli(const char *path, char out[65]) {
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
  out[0] = '\0';
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return;
  if (fscanf(p, "%64s", out) != 1)
    out[0] = '\0';
  pclose(p);
}

static bool streq_null(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void test_good(const good_case *c) {
  char *path = arch_path(c->name);
  if (write_archive(path, c->fmt, c->ents, count_ents(c->ents)) < 0) {
    CHECK(0, "%s: cannot build", c->name);
    return;
  }
  pt_artifact_info info;
  pt_artifact_problems probs;
  pt_err *err = NULL;
  int r = pt_artifact_unpack(path, dest, NULL, &info, &probs, &err);
  CHECK(r == 0, "%s: rejected: %s", c->name, err ? err->msg : "?");
  pt_err_free(err);
  if (r != 0) {
    reset_dest();
    return;
  }
  CHECK(info.ecosystem == c->eco, "%s: ecosystem %s", c->name,
        pt_artifact_ecosystem_name(info.ecosystem));
  CHECK(streq_null(info.name, c->pkg), "%s: name %s", c->name,
        info.name ? info.name : "(null)");
  CHECK(streq_null(info.version, c->version), "%s: version %s", c->name,
        info.version ? info.version : "(null)");
  CHECK(streq_null(info.root, c->root), "%s: root %s", c->name,
        info.root ? info.root : "(null)");
  CHECK(info.npm_binding_gyp == c->binding_gyp, "%s: binding.gyp", c->name);
  char want[65];
  sha256_cli(path, want);
  CHECK(strcmp(info.sha256, want) == 0, "%s: sha256 %s != %s", c->name,
        info.sha256, want);
  CHECK(info.entries == count_ents(c->ents), "%s: %llu entries", c->name,
        (unsigned long long)info.entries);
  char p[400];
  struct stat st;
  snprintf(p, sizeof(p), "%s/%s", dest, c->check_file);
  CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
            (st.st_mode & 07022) == 0,
        "%s: %s not extracted as a plain file", c->name, c->check_file);
  if (c->check_link) {
    snprintf(p, sizeof(p), "%s/%s", dest, c->check_link);
    CHECK(lstat(p, &st) == 0 && S_ISLNK(st.st_mode), "%s: %s not a symlink",
          c->name, c->check_link);
  }
  CHECK(strstr(info.format, c->fmt == ZIP ? "ZIP" : "tar") ||
            strstr(info.format, "pax") || strstr(info.format, "ustar"),
        "%s: format `%s`", c->name, info.format);
  if (c->eco == PT_ECO_WHEEL)
    CHECK(info.dist_info != NULL, "%s: no dist_info", c->name);
  pt_artifact_info_free(&info);
  reset_dest();
}

/* dest must be empty: never mix a sample into an existing tree. */
static void test_dest_not_empty(void) {
  char *path = arch_path("wheel.bin");
  char f[200];
  snprintf(f, sizeof(f), "%s/old", dest);
  pt_err *err = NULL;
  pt_write_file_at(AT_FDCWD, f, "x", 1, 0644, &err);
  pt_artifact_info info;
  int r = pt_artifact_unpack(path, dest, NULL, &info, NULL, &err);
  CHECK(r == -1 && err && err->errnum == ENOTEMPTY, "dest not empty accepted");
  pt_err_free(err);
  unlink(f);
  /* Missing dest is created; a missing file is a plain error. */
  reset_dest();
  rmdir(dest);
  err = NULL;
  r = pt_artifact_unpack(path, dest, NULL, &info, NULL, &err);
  CHECK(r == 0, "missing dest not created: %s", err ? err->msg : "");
  if (r == 0)
    pt_artifact_info_free(&info);
  pt_err_free(err);
  reset_dest();
  err = NULL;
  pt_artifact_problems probs;
  r = pt_artifact_unpack(arch_path("does-not-exist"), dest, NULL, &info,
                         &probs, &err);
  CHECK(r == -1 && err && err->errnum == ENOENT && probs.len == 0,
        "missing artifact");
  pt_err_free(err);
}

static void test_names(void) {
  CHECK(strcmp(pt_artifact_ecosystem_name(PT_ECO_WHEEL), "wheel") == 0, "wheel");
  CHECK(strcmp(pt_artifact_ecosystem_registry(PT_ECO_SDIST), "pypi") == 0,
        "sdist registry");
  CHECK(strcmp(pt_artifact_ecosystem_name((enum pt_ecosystem)42), "unknown") ==
            0,
        "bad enum");
}

/* ---- fuzz seeds ------------------------------------------------------- */

static int write_seeds(const char *dir) {
  char p[512];
  for (size_t i = 0; i < PT_ARRAY_LEN(good_cases); i++) {
    snprintf(p, sizeof(p), "%s/good-%s", dir, good_cases[i].name);
    if (write_archive(p, good_cases[i].fmt, good_cases[i].ents,
                      count_ents(good_cases[i].ents)) < 0)
      return 1;
  }
  for (size_t i = 0; i < PT_ARRAY_LEN(bad_cases); i++) {
    const bad_case *c = &bad_cases[i];
    if (c->build != NULL || strncmp(c->name, "bomb", 4) == 0)
      continue; /* keep seeds tiny */
    snprintf(p, sizeof(p), "%s/bad-%s", dir, c->name);
    if (write_archive(p, c->fmt, c->ents, count_ents(c->ents)) < 0)
      return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
    return write_seeds(argv[2]);
  umask(022);
  if (mkdirs() < 0) {
    perror("setup");
    return 1;
  }
  CHECK(box_untouched(), "box not clean at start");
  for (size_t i = 0; i < PT_ARRAY_LEN(good_cases); i++)
    test_good(&good_cases[i]);
  for (size_t i = 0; i < PT_ARRAY_LEN(bad_cases); i++)
    test_bad(&bad_cases[i]);
  test_dest_not_empty();
  test_names();
  pt_err *err = NULL;
  if (failures == 0 && pt_rmtree(base, &err) < 0)
    pt_err_print(err);
  printf("%s: %d failure%s (%zu hostile, %zu valid archives)\n", argv[0],
         failures, failures == 1 ? "" : "s", PT_ARRAY_LEN(bad_cases),
         PT_ARRAY_LEN(good_cases));
  return failures ? 1 : 0;
}
