/* pymeta parsers: table-driven (curl tests/unit style). Each row is an
 * input, whether it must parse, and what must come out (or which words the
 * error must hold). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pymeta.h"
#include "pt_util.h"

/* Table rows leave trailing fields out on purpose (zero = not checked). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "check.h"

static bool eq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}
#define S(x) (x ? x : "(null)")

/* Inputs may hold NUL bytes: lengths are explicit (0 = strlen). */
typedef struct input {
  const char *data;
  size_t len;
} input;
static size_t in_len(input in) { return in.len ? in.len : strlen(in.data); }

/* ---- entry_points.txt ------------------------------------------------- */

typedef struct ep_want {
  const char *group, *name, *module, *attr, *extras;
} ep_want;

static const struct {
  const char *what;
  input in;
  const char *error; /* NULL = must parse */
  size_t n;
  ep_want want[4];
} ep_cases[] = {
    {"basic",
     {"[console_scripts]\naws = evil.cli:main\n"},
     NULL,
     1,
     {{"console_scripts", "aws", "evil.cli", "main", NULL}}},
    {"whitespace, comments, extras, CRLF, module only",
     {"# top comment\r\n\r\n[ console_scripts ]\r\n  git=evil.git : run "
      "[ a, b ]  \r\n; semi\r\n[pytest11]\r\nplug = evil.plugin\r\n"},
     NULL,
     2,
     {{"console_scripts", "git", "evil.git", "run", "a, b"},
      {"pytest11", "plug", "evil.plugin", NULL, NULL}}},
    {"lines before a section are ignored (importlib.metadata)",
     {"x = y:z\n[g]\na = b\n"},
     NULL,
     1,
     {{"g", "a", "b", NULL, NULL}}},
    {"value with = keeps it", {"[g]\na = b:c=d\n"}, NULL, 1,
     {{"g", "a", "b", "c=d", NULL}}},
    {"no trailing newline", {"[g]\na=b:c"}, NULL, 1, {{"g", "a", "b", "c", NULL}}},
    {"empty", {""}, NULL, 0, {{0}}},
    {"missing =", {"[g]\njust a line\n"}, "line 2", 0, {{0}}},
    {"empty name", {"[g]\n = x\n"}, "empty name", 0, {{0}}},
    {"empty value", {"[g]\nx =\n"}, "empty name or value", 0, {{0}}},
    {"unterminated section", {"[g\na = b\n"}, "unterminated section", 0, {{0}}},
    {"empty section", {"[ ]\n"}, "empty section", 0, {{0}}},
    {"unterminated extras", {"[g]\na = b:c [x\n"}, "extras", 0, {{0}}},
    {"empty attr", {"[g]\na = b:\n"}, "empty attribute", 0, {{0}}},
    {"control char", {"[g]\na = b\x01:c\n"}, "control", 0, {{0}}},
    {"NUL byte", {"[g]\na = b\0c\n", 11}, "NUL", 0, {{0}}},
    {"bad UTF-8", {"[g]\na = \xc3\x28\n"}, "UTF-8", 0, {{0}}},
    {"overlong UTF-8", {"[g]\na = \xc0\xaf\n"}, "UTF-8", 0, {{0}}},
    {"surrogate UTF-8", {"[g]\na = \xed\xa0\x80\n"}, "UTF-8", 0, {{0}}},
    {"valid UTF-8 kept", {"[g]\nnaïve = m:f\n"}, NULL, 1,
     {{"g", "naïve", "m", "f", NULL}}},
};

static void test_entry_points(void) {
  for (size_t i = 0; i < PT_ARRAY_LEN(ep_cases); i++) {
    pt_pymeta_entry_points eps;
    pt_err *err = NULL;
    int r = pt_pymeta_parse_entry_points(ep_cases[i].in.data,
                                         in_len(ep_cases[i].in), &eps, &err);
    const char *what = ep_cases[i].what;
    if (ep_cases[i].error) {
      CHECK(r == -1 && err && strstr(err->msg, ep_cases[i].error), "%s: %s",
            what, err ? err->msg : "parsed");
      CHECK(eps.len == 0 && eps.items == NULL, "%s: output not cleared", what);
    } else {
      CHECK(r == 0, "%s: %s", what, err ? err->msg : "");
      CHECK(eps.len == ep_cases[i].n, "%s: %zu entries", what, eps.len);
      for (size_t k = 0; r == 0 && k < eps.len && k < ep_cases[i].n; k++) {
        const ep_want *w = &ep_cases[i].want[k];
        const pt_pymeta_entry_point *g = &eps.items[k];
        CHECK(eq(g->group, w->group) && eq(g->name, w->name) &&
                  eq(g->module, w->module) && eq(g->attr, w->attr) &&
                  eq(g->extras, w->extras),
              "%s[%zu]: got [%s] %s = %s : %s [%s]", what, k, S(g->group),
              S(g->name), S(g->module), S(g->attr), S(g->extras));
      }
      pt_pymeta_entry_points_free(&eps);
    }
    pt_err_free(err);
  }
}

/* Caps: count, line length, total size. */
static void test_entry_point_caps(void) {
  pt_buf b;
  pt_buf_init(&b, 2u << 20);
  pt_buf_printf(&b, "[g]\n");
  for (int i = 0; i <= PT_PYMETA_MAX_ENTRIES; i++)
    pt_buf_printf(&b, "e%d = m:f\n", i);
  pt_pymeta_entry_points eps;
  pt_err *err = NULL;
  CHECK(pt_pymeta_parse_entry_points(b.data, b.len, &eps, &err) == -1 &&
            strstr(err->msg, "more than"),
        "entry cap: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  err = NULL;
  b.len = 0;
  pt_buf_printf(&b, "[g]\na = ");
  for (int i = 0; i < PT_PYMETA_MAX_LINE; i++)
    pt_buf_append(&b, "x", 1);
  CHECK(pt_pymeta_parse_entry_points(b.data, b.len, &eps, &err) == -1 &&
            strstr(err->msg, "longer"),
        "line cap: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  err = NULL;
  CHECK(pt_pymeta_parse_entry_points(b.data, PT_PYMETA_MAX_INPUT + 1, &eps,
                                     &err) == -1 &&
            strstr(err->msg, "larger"),
        "size cap: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  pt_buf_free(&b);
}

/* ---- METADATA --------------------------------------------------------- */

static const struct {
  const char *what;
  input in;
  const char *error;
  const char *name, *version, *summary;
  size_t n_req;
  const char *req0;
} md_cases[] = {
    {"basic",
     {"Metadata-Version: 2.1\nName: demo\nVersion: 1.0.post1\nSummary: A "
      "demo\nRequires-Dist: requests (>=2.0)\nRequires-Dist: x; extra == "
      "\"y\"\n\nName: body-not-header\n"},
     NULL, "demo", "1.0.post1", "A demo", 2, "requests (>=2.0)"},
    {"folded summary, case-insensitive names, CRLF",
     {"name: Demo_Pkg\r\nVERSION: 2\r\nsummary: one\r\n  two\r\n\tthree\r\n"},
     NULL, "Demo_Pkg", "2", "one two three", 0, NULL},
    {"first Name wins", {"Name: a\nName: b\n"}, NULL, "a", NULL, NULL, 0, NULL},
    {"missing everything", {"Foo: bar\n"}, NULL, NULL, NULL, NULL, 0, NULL},
    {"line without colon ends headers", {"Name: a\nnot a header\nVersion: 9\n"},
     NULL, "a", NULL, NULL, 0, NULL},
    {"leading continuation ignored", {" stray\nName: a\n"}, NULL, "a", NULL,
     NULL, 0, NULL},
    {"empty input", {""}, NULL, NULL, NULL, NULL, 0, NULL},
    {"bad name", {"Name: bad name\n"}, "invalid Name", NULL, NULL, NULL, 0, NULL},
    {"name with slash", {"Name: ../x\n"}, "invalid Name", NULL, NULL, NULL, 0,
     NULL},
    {"bad version", {"Name: a\nVersion: 1.0 beta\n"}, "invalid Version", NULL,
     NULL, NULL, 0, NULL},
    {"version non-ASCII", {"Name: a\nVersion: 1.0\xc3\xa9\n"}, "invalid Version",
     NULL, NULL, NULL, 0, NULL},
    {"control char", {"Name: a\nSummary: x\x1b[31m\n"}, "control", NULL, NULL,
     NULL, 0, NULL},
    {"NUL", {"Name: a\0b\n", 10}, "NUL", NULL, NULL, NULL, 0, NULL},
    {"bad UTF-8", {"Summary: \xff\n"}, "UTF-8", NULL, NULL, NULL, 0, NULL},
};

static void test_metadata(void) {
  for (size_t i = 0; i < PT_ARRAY_LEN(md_cases); i++) {
    pt_pymeta_metadata md;
    pt_err *err = NULL;
    const char *what = md_cases[i].what;
    int r = pt_pymeta_parse_metadata(md_cases[i].in.data,
                                     in_len(md_cases[i].in), &md, &err);
    if (md_cases[i].error) {
      CHECK(r == -1 && err && strstr(err->msg, md_cases[i].error), "%s: %s",
            what, err ? err->msg : "parsed");
      CHECK(md.name == NULL && md.requires_dist.len == 0, "%s: not cleared",
            what);
    } else {
      CHECK(r == 0, "%s: %s", what, err ? err->msg : "");
      CHECK(eq(md.name, md_cases[i].name) &&
                eq(md.version, md_cases[i].version) &&
                eq(md.summary, md_cases[i].summary),
            "%s: got %s %s `%s`", what, S(md.name), S(md.version),
            S(md.summary));
      CHECK(md.requires_dist.len == md_cases[i].n_req &&
                (md_cases[i].req0 == NULL ||
                 eq(md.requires_dist.items[0], md_cases[i].req0)),
            "%s: requires %zu", what, md.requires_dist.len);
      pt_pymeta_metadata_free(&md);
    }
    pt_err_free(err);
  }
  /* A long Description line costs nothing; a long kept value is refused. */
  pt_buf b;
  pt_buf_init(&b, 1u << 20);
  pt_buf_printf(&b, "Name: a\nDescription: ");
  for (int i = 0; i < 100000; i++)
    pt_buf_append(&b, "d", 1);
  pt_buf_printf(&b, "\nVersion: 1\n");
  pt_pymeta_metadata md;
  pt_err *err = NULL;
  CHECK(pt_pymeta_parse_metadata(b.data, b.len, &md, &err) == 0 &&
            eq(md.version, "1"),
        "long description: %s", err ? err->msg : "");
  pt_pymeta_metadata_free(&md);
  b.len = 0;
  pt_buf_printf(&b, "Summary: ");
  for (int i = 0; i < 20000; i++)
    pt_buf_append(&b, "s", 1);
  CHECK(pt_pymeta_parse_metadata(b.data, b.len, &md, &err) == -1 &&
            strstr(err->msg, "longer"),
        "long summary: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  pt_buf_free(&b);
}

/* ---- RECORD and top_level.txt ------------------------------------------ */

static const struct {
  const char *what;
  bool top_level;
  input in;
  const char *error;
  size_t n;
  const char *want[4];
} list_cases[] = {
    {"record basic", false,
     {"demo/__init__.py,sha256=abc,12\ndemo-1.0.dist-info/RECORD,,\n"}, NULL, 2,
     {"demo/__init__.py", "demo-1.0.dist-info/RECORD"}},
    {"record quoting", false,
     {"\"a,b.py\",x,1\r\n\"q\"\"uote.py\",,\n\"sha,in\"\"path\",\"x,y\",\n"},
     NULL, 3, {"a,b.py", "q\"uote.py", "sha,in\"path"}},
    /* csv allows it; a path with a newline is refused (line of the row). */
    {"record quoted newline", false, {"a,,\n\"multi\nline\",,\n"},
     "line 2: control", 0, {0}},
    {"record scripts outside site-packages", false,
     {"../../../bin/aws,sha256=y,100"}, NULL, 1, {"../../../bin/aws"}},
    {"record blank lines", false, {"\n\na,,\n\n"}, NULL, 1, {"a"}},
    {"record unterminated quote", false, {"\"abc,,\n"}, "unterminated", 0, {0}},
    {"record empty path", false, {"a,,\n,sha,1\n"}, "line 2: empty path", 0,
     {0}},
    {"record control char", false, {"a\x01,,\n"}, "control", 0, {0}},
    {"record NUL", false, {"a\0,,\n", 5}, "NUL", 0, {0}},
    {"top_level basic", true, {"demo\n\nevil_pkg\r\ngoogle/protobuf\nns.sub\n"},
     NULL, 4, {"demo", "evil_pkg", "google/protobuf", "ns.sub"}},
    {"top_level bad name", true, {"demo\nbad-name\n"}, "line 2", 0, {0}},
    {"top_level leading digit", true, {"9lives\n"}, "line 1", 0, {0}},
    {"top_level traversal", true, {"../x\n"}, "line 1", 0, {0}},
    {"top_level empty part", true, {"a..b\n"}, "line 1", 0, {0}},
};

static void test_lists(void) {
  for (size_t i = 0; i < PT_ARRAY_LEN(list_cases); i++) {
    pt_pymeta_strlist l;
    pt_err *err = NULL;
    const char *what = list_cases[i].what;
    size_t len = in_len(list_cases[i].in);
    int r = list_cases[i].top_level
                ? pt_pymeta_parse_top_level(list_cases[i].in.data, len, &l,
                                            &err)
                : pt_pymeta_parse_record(list_cases[i].in.data, len, &l, &err);
    if (list_cases[i].error) {
      CHECK(r == -1 && err && strstr(err->msg, list_cases[i].error), "%s: %s",
            what, err ? err->msg : "parsed");
      CHECK(l.len == 0, "%s: not cleared", what);
    } else {
      CHECK(r == 0 && l.len == list_cases[i].n, "%s: r=%d n=%zu %s", what, r,
            l.len, err ? err->msg : "");
      for (size_t k = 0; r == 0 && k < l.len && k < list_cases[i].n; k++)
        CHECK(eq(l.items[k], list_cases[i].want[k]), "%s[%zu]: `%s`", what, k,
              l.items[k]);
      pt_pymeta_strlist_free(&l);
    }
    pt_err_free(err);
  }
}

static void test_valid(void) {
  static const struct {
    const char *s;
    bool name_ok, version_ok;
  } v[] = {
      {"demo", true, true},         {"Demo_pkg.x-y", true, true},
      {"a", true, true},            {"-a", false, true},
      {"a-", false, true},          {"a b", false, false},
      {"../x", false, true},        {"", false, false},
      {"1.0rc1+local.7", false, true}, {"\xc3\xa9", false, false},
  };
  for (size_t i = 0; i < PT_ARRAY_LEN(v); i++) {
    CHECK(pt_pymeta_valid_name(v[i].s) == v[i].name_ok, "name `%s`", v[i].s);
    CHECK(pt_pymeta_valid_version(v[i].s) == v[i].version_ok, "version `%s`",
          v[i].s);
  }
  char long_name[PT_PYMETA_MAX_NAME + 2];
  memset(long_name, 'a', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';
  CHECK(!pt_pymeta_valid_name(long_name), "over-long name accepted");
  CHECK(!pt_pymeta_valid_name(NULL) && !pt_pymeta_valid_version(NULL), "NULL");
}

int main(int argc, char **argv) {
  (void)argc;
  test_entry_points();
  test_entry_point_caps();
  test_metadata();
  test_lists();
  test_valid();
  printf("%s: %d failure%s\n", argv[0], failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
