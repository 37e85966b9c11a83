/* npmmeta (package.json) tests, table-driven. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npmmeta.h"
#include "pt_util.h"

/* Table rows leave trailing fields out on purpose (zero = not checked). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "check.h"

static bool eq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}
#define S(x) (x ? x : "(null)")

static const struct {
  const char *what;
  const char *json;
  size_t len; /* 0 = strlen */
  const char *error;
  const char *name, *version, *main;
  size_t n_scripts, n_bin, n_deps, n_opt, n_bundle;
  const char *bin0_key, *bin0_value;
  const char *postinstall;
} cases[] = {
    {"full", "{\"name\":\"@evil/demo\",\"version\":\"1.0.0\",\"main\":\"i.js\","
             "\"scripts\":{\"preinstall\":\"node a\",\"postinstall\":\"node "
             "b\",\"test\":\"jest\"},\"bin\":{\"npm\":\"bin/npm.js\"},"
             "\"dependencies\":{\"x\":\"^1\",\"y\":\"2\"},"
             "\"optionalDependencies\":{\"z\":\"*\"},"
             "\"bundleDependencies\":[\"x\"]}",
     0, NULL, "@evil/demo", "1.0.0", "i.js", 3, 1, 2, 1, 1, "npm",
     "bin/npm.js", "node b"},
    {"bin string, scoped", "{\"name\":\"@s/tool\",\"bin\":\"./cli.js\"}", 0,
     NULL, "@s/tool", NULL, NULL, 0, 1, 0, 0, 0, "tool", "./cli.js", NULL},
    {"bundledDependencies true",
     "{\"name\":\"a\",\"dependencies\":{\"p\":\"1\",\"q\":\"2\"},"
     "\"bundledDependencies\":true}",
     0, NULL, "a", NULL, NULL, 0, 0, 2, 0, 2, NULL, NULL, NULL},
    {"nulls are absent",
     "{\"name\":\"a\",\"scripts\":null,\"bin\":null,\"main\":null}", 0, NULL,
     "a", NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {"empty object", "{}", 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL,
     NULL},
    /* Valid JSON npm reads: the last of a key counts (JSON.parse). */
    {"duplicate key, last wins",
     "{\"name\":\"a\",\"main\":\"x.js\",\"name\":\"b\",\"main\":\"y.js\"}", 0,
     NULL, "b", NULL, "y.js", 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {"main not a string is absent", "{\"name\":\"a\",\"main\":false}", 0,
     NULL, "a", NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    {"unknown fields ignored", "{\"name\":\"a\",\"x\":[1,{\"y\":2}]}", 0, NULL,
     "a", NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
    /* errors */
    {"trailing comma", "{\"name\":\"a\",}", 0, "package.json:1:", NULL},
    {"not an object", "[1,2]", 0, "not an object", NULL},
    {"empty input", "", 0, "package.json:", NULL},
    {"invalid UTF-8", "{\"name\":\"\xff\"}", 0, "package.json:1:", NULL},
    {"NUL escape", "{\"name\":\"a\\u0000b\"}", 0, "package.json:1:", NULL},
    {"raw NUL", "{\"name\":\"a\"}\0junk", 18, "package.json:1:", NULL},
    {"name wrong type", "{\"name\":1}", 0, "`name` is not a string", NULL},
    {"name invalid", "{\"name\":\"../x\"}", 0, "invalid package name", NULL},
    {"name with space", "{\"name\":\"a b\"}", 0, "invalid package name", NULL},
    {"version invalid", "{\"name\":\"a\",\"version\":\"1 2\"}", 0,
     "invalid version", NULL},
    {"scripts wrong type", "{\"scripts\":[\"x\"]}", 0, "`scripts` is not",
     NULL},
    {"script value wrong type", "{\"scripts\":{\"install\":1}}", 0,
     "`scripts.install` is not a string", NULL},
    {"bin wrong type", "{\"name\":\"a\",\"bin\":1}", 0, "`bin` is neither",
     NULL},
    {"bin string without name", "{\"bin\":\"x.js\"}", 0, "`name` is missing",
     NULL},
    {"deps wrong type", "{\"dependencies\":{\"a\":1}}", 0,
     "`dependencies.a` is not a string", NULL},
    {"bundle wrong type", "{\"bundleDependencies\":\"x\"}", 0, "neither", NULL},
    {"bundle item wrong type", "{\"bundleDependencies\":[1]}", 0,
     "`bundleDependencies[0]`", NULL},
    {"directories wrong type", "{\"directories\":[]}", 0, "`directories`",
     NULL},
};

/* The flag that says a key came twice, and only then. */
static void test_duplicate_flag(void) {
  static const char *dup = "{\"scripts\":{\"postinstall\":\"echo\","
                           "\"postinstall\":\"node x\"}}";
  pt_npmmeta m;
  pt_err *err = NULL;
  CHECK(pt_npmmeta_parse(dup, strlen(dup), &m, &err) == 0 && m.duplicate_keys,
        "duplicate flag: %s", err ? err->msg : "not set");
  CHECK(eq(pt_npmmeta_script(&m, "postinstall"), "node x"),
        "duplicate: the last value counts");
  pt_npmmeta_free(&m);
  pt_err_free(err);
  CHECK(pt_npmmeta_parse("{\"name\":\"a\"}", 12, &m, NULL) == 0 &&
            !m.duplicate_keys,
        "duplicate flag set without a duplicate");
  pt_npmmeta_free(&m);
}

static void test_cases(void) {
  for (size_t i = 0; i < PT_ARRAY_LEN(cases); i++) {
    pt_npmmeta m;
    pt_err *err = NULL;
    const char *what = cases[i].what;
    size_t len = cases[i].len ? cases[i].len : strlen(cases[i].json);
    int r = pt_npmmeta_parse(cases[i].json, len, &m, &err);
    if (cases[i].error) {
      CHECK(r == -1 && err && strstr(err->msg, cases[i].error), "%s: %s", what,
            err ? err->msg : "parsed");
      CHECK(m.name == NULL && m.scripts.len == 0, "%s: not cleared", what);
      pt_err_free(err);
      continue;
    }
    CHECK(r == 0, "%s: %s", what, err ? err->msg : "");
    pt_err_free(err);
    if (r != 0)
      continue;
    CHECK(eq(m.name, cases[i].name) && eq(m.version, cases[i].version) &&
              eq(m.main, cases[i].main),
          "%s: %s %s %s", what, S(m.name), S(m.version), S(m.main));
    CHECK(m.scripts.len == cases[i].n_scripts && m.bin.len == cases[i].n_bin &&
              m.dependencies.len == cases[i].n_deps &&
              m.optional_dependencies.len == cases[i].n_opt &&
              m.n_bundle_dependencies == cases[i].n_bundle,
          "%s: counts %zu %zu %zu %zu %zu", what, m.scripts.len, m.bin.len,
          m.dependencies.len, m.optional_dependencies.len,
          m.n_bundle_dependencies);
    if (cases[i].bin0_key)
      CHECK(m.bin.len > 0 && eq(m.bin.items[0].key, cases[i].bin0_key) &&
                eq(m.bin.items[0].value, cases[i].bin0_value),
            "%s: bin", what);
    CHECK(eq(pt_npmmeta_script(&m, "postinstall"), cases[i].postinstall),
          "%s: postinstall", what);
    pt_npmmeta_free(&m);
  }
}

static void test_order_and_lifecycle(void) {
  const char *j = "{\"scripts\":{\"z\":\"1\",\"preinstall\":\"2\",\"a\":\"3\"}}";
  pt_npmmeta m;
  pt_err *err = NULL;
  CHECK(pt_npmmeta_parse(j, strlen(j), &m, &err) == 0, "parse");
  CHECK(m.scripts.len == 3 && eq(m.scripts.items[0].key, "z") &&
            eq(m.scripts.items[1].key, "preinstall") &&
            eq(m.scripts.items[2].key, "a"),
        "file order not kept");
  pt_npmmeta_free(&m);
  pt_err_free(err);
  const char *life[] = {"preinstall", "install",    "postinstall", "prepare",
                        "prepublish", "preprepare", "postprepare"};
  for (size_t i = 0; i < PT_ARRAY_LEN(life); i++)
    CHECK(pt_npmmeta_is_lifecycle_script(life[i]), "%s", life[i]);
  CHECK(!pt_npmmeta_is_lifecycle_script("test") &&
            !pt_npmmeta_is_lifecycle_script("start"),
        "non-lifecycle");
}

/* node-fetch 2: `encoding` is a peer that peerDependenciesMeta makes
 * optional; npm installs it only if something else brings it. */
static void test_optional_peers(void) {
  const char *j =
      "{\"peerDependencies\":{\"a\":\"1\",\"encoding\":\"^0.1.0\","
      "\"b\":\"2\",\"c\":\"3\"},\"peerDependenciesMeta\":{\"encoding\":"
      "{\"optional\":true},\"b\":{\"optional\":false},\"c\":7,"
      "\"absent\":{\"optional\":true}}}";
  pt_npmmeta m;
  pt_err *err = NULL;
  CHECK(pt_npmmeta_parse(j, strlen(j), &m, &err) == 0, "parse");
  CHECK(m.peer_dependencies.len == 3 &&
            eq(m.peer_dependencies.items[0].key, "a") &&
            eq(m.peer_dependencies.items[1].key, "b") &&
            eq(m.peer_dependencies.items[2].key, "c"),
        "required peers: %zu", m.peer_dependencies.len);
  CHECK(m.peer_optional_dependencies.len == 1 &&
            eq(m.peer_optional_dependencies.items[0].key, "encoding") &&
            eq(m.peer_optional_dependencies.items[0].value, "^0.1.0"),
        "optional peers: %zu", m.peer_optional_dependencies.len);
  pt_npmmeta_free(&m);
  pt_err_free(err);
  /* A meta that is not an object changes nothing. */
  const char *k = "{\"peerDependencies\":{\"x\":\"1\"},"
                  "\"peerDependenciesMeta\":[1]}";
  CHECK(pt_npmmeta_parse(k, strlen(k), &m, &err) == 0, "parse 2");
  CHECK(m.peer_dependencies.len == 1 && m.peer_optional_dependencies.len == 0,
        "meta array");
  pt_npmmeta_free(&m);
  pt_err_free(err);
}

static void test_caps(void) {
  /* Input cap. */
  size_t n = PT_NPMMETA_MAX_INPUT + 16;
  char *big = malloc(n);
  memset(big, ' ', n);
  big[0] = '{';
  big[n - 1] = '}';
  pt_npmmeta m;
  pt_err *err = NULL;
  CHECK(pt_npmmeta_parse(big, n, &m, &err) == -1 && strstr(err->msg, "larger"),
        "input cap: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  /* Nesting: jansson's own depth limit, no stack overflow. */
  size_t depth = 100000;
  char *deep = malloc(2 * depth + 32);
  size_t o = (size_t)sprintf(deep, "{\"x\":");
  for (size_t i = 0; i < depth; i++)
    deep[o++] = '[';
  for (size_t i = 0; i < depth; i++)
    deep[o++] = ']';
  deep[o++] = '}';
  err = NULL;
  CHECK(pt_npmmeta_parse(deep, o, &m, &err) == -1, "deep nesting parsed");
  pt_err_free(err);
  free(deep);
  /* One string over the per-string cap. */
  size_t sl = PT_NPMMETA_MAX_STRING + 10;
  o = (size_t)sprintf(big, "{\"main\":\"");
  memset(big + o, 'm', sl);
  o += sl;
  o += (size_t)sprintf(big + o, "\"}");
  err = NULL;
  CHECK(pt_npmmeta_parse(big, o, &m, &err) == -1 && strstr(err->msg, "longer"),
        "string cap: %s", err ? err->msg : "parsed");
  pt_err_free(err);
  free(big);
}

static void test_valid(void) {
  static const struct {
    const char *s;
    bool ok;
  } v[] = {{"demo", true},      {"@scope/demo", true}, {"Demo.JS", true},
           {"a~b", true},       {".hidden", false},    {"_under", false},
           {"@scope", false},   {"@/x", false},        {"@s/", false},
           {"a/b", false},      {"a b", false},        {"", false},
           {"\xc3\xa9", false}, {"@s/a/b", false}};
  for (size_t i = 0; i < PT_ARRAY_LEN(v); i++)
    CHECK(pt_npmmeta_valid_name(v[i].s) == v[i].ok, "name `%s`", v[i].s);
  CHECK(pt_npmmeta_valid_version("1.0.0-beta.1+x") &&
            !pt_npmmeta_valid_version("1 0") && !pt_npmmeta_valid_version(""),
        "versions");
}

int main(int argc, char **argv) {
  (void)argc;
  test_cases();
  test_duplicate_flag();
  test_order_and_lifecycle();
  test_optional_peers();
  test_caps();
  test_valid();
  printf("%s: %d failure%s\n", argv[0], failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
