/* Tests for runner/registry*.c without a network: name normalisation, file
 * name -> version, times, shard parsing and coverage (every name in
 * exactly one shard, the same one every time), and the npm / PEP 691 /
 * PEP 503 parsers on good and lying documents. */
#define _GNU_SOURCE
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static bool streq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void test_names(void) {
  static const struct { const char *in, *out; } t[] = {
      {"Foo_Bar", "foo-bar"}, {"foo.-_bar", "foo-bar"}, {"a", "a"},
      {"Django", "django"},   {"zope.interface", "zope-interface"}};
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    char *o = pt_registry_pep503(t[i].in);
    CHECK(streq(o, t[i].out), "%s -> %s", t[i].in, o);
    free(o);
  }
  static const struct { const char *proj, *file, *ver; } v[] = {
      {"good-lib", "good_lib-1.0-py3-none-any.whl", "1.0"},
      {"good-lib", "good_lib-1.0-1-py3-none-any.whl", "1.0"},
      {"good-lib", "good-lib-2.0rc1.tar.gz", "2.0rc1"},
      {"python-dateutil", "python-dateutil-2.8.2.tar.gz", "2.8.2"},
      {"Mixed_Case", "Mixed_Case-3.1.zip", "3.1"},
      {"foo", "foobar-1.0.tar.gz", NULL},     /* another project */
      {"foo", "foo-1.0.exe", NULL},           /* not an artifact */
      {"foo", "foo-.tar.gz", NULL},
  };
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    char *o = pt_registry_pypi_version(v[i].proj, v[i].file);
    CHECK(streq(o, v[i].ver), "%s %s -> %s", v[i].proj, v[i].file, o);
    free(o);
  }
}

static void test_times(void) {
  static const struct { const char *in; long long out; } t[] = {
      {"2024-05-01", 1714521600},
      {"2024-05-01T12:00:00Z", 1714564800},
      {"2024-05-01T12:00:00.123456Z", 1714564800},
      {"2024-05-01T14:00:00+02:00", 1714564800},
      {"2024-05-01T10:00:00-02:00", 1714564800},
      {"@1714564800", 1714564800},
      {"2024-13-01", -1}, {"yesterday", -1}, {"2024-05-01T12:00Z", -1},
      {"2024-05-01T12:00:00Zjunk", -1}, {"@", -1}, {"", -1},
  };
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    CHECK(pt_registry_parse_time(t[i].in) == t[i].out, "%s -> %lld", t[i].in,
          (long long)pt_registry_parse_time(t[i].in));
}

static void test_shards(void) {
  unsigned k, n;
  CHECK(pt_registry_parse_shard("0/1", &k, &n) && k == 0 && n == 1, "0/1");
  CHECK(pt_registry_parse_shard("3/4", &k, &n) && k == 3 && n == 4, "3/4");
  static const char *bad[] = {"4/4", "1/0", "-1/4", "1/-4", "a/4", "1", "1/",
                              "/4", "1/4x"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK(!pt_registry_parse_shard(bad[i], &k, &n), "accepted %s", bad[i]);
  /* Every name lands in exactly one shard, stably, and spread. */
  for (unsigned nn = 1; nn <= 7; nn++) {
    unsigned count[7] = {0};
    for (unsigned i = 0; i < 2000; i++) {
      char name[32];
      snprintf(name, sizeof(name), "pkg-%u", i);
      unsigned s = pt_registry_shard(PT_ECO_NPM, name, nn);
      CHECK(s < nn && s == pt_registry_shard(PT_ECO_NPM, name, nn),
            "shard of %s", name);
      count[s]++;
    }
    for (unsigned s = 0; s < nn; s++)
      CHECK(count[s] > 2000 / nn / 2, "shard %u/%u has %u", s, nn, count[s]);
  }
  /* PyPI: spellings of one project share a shard. */
  CHECK(pt_registry_shard(PT_ECO_PYPI, "Foo_Bar", 16) ==
            pt_registry_shard(PT_ECO_PYPI, "foo-bar", 16),
        "pypi normalised");
  /* Fixed values (FNV-1a 64): shards must agree across machines and
   * versions, or a store's incremental state would be split wrongly. */
  CHECK(pt_registry_shard(PT_ECO_NPM, "", 1000) == 0xcbf29ce484222325ull % 1000,
        "empty name");
  CHECK(pt_registry_shard(PT_ECO_NPM, "a", 1u << 31) ==
            (unsigned)(0xaf63dc4c8601ec8cull % (1u << 31)),
        "fnv1a(a)");
}

static void test_npm(void) {
  const char *good =
      "{\"name\":\"@s/p\",\"versions\":{"
      "\"1.1.0\":{\"dist\":{\"tarball\":\"http://r.test/@s/p/-/p-1.1.0.tgz\","
      "\"integrity\":\"sha1-AAAA sha512-QUJD\",\"shasum\":"
      "\"0123456789abcdef0123456789abcdef01234567\"}},"
      "\"1.0.0\":{\"dist\":{\"tarball\":\"/@s/p/-/p-1.0.0.tgz\"}}},"
      "\"time\":{\"1.0.0\":\"2020-01-01T00:00:00.000Z\","
      "\"1.1.0\":\"2021-01-01T00:00:00.000Z\"}}";
  struct pt_registry_files f = {0};
  pt_err *err = NULL;
  CHECK(pt_registry_npm_parse(good, strlen(good), "http://r.test/@s%2Fp",
                              "@s/p", &f, &err) == 0,
        "good: %s", err ? err->msg : "");
  CHECK(f.n == 2, "n %zu", f.n);
  if (f.n == 2) {
    CHECK(streq(f.v[0].version, "1.0.0") && streq(f.v[1].version, "1.1.0"),
          "oldest first");
    CHECK(streq(f.v[0].url, "http://r.test/@s/p/-/p-1.0.0.tgz"),
          "relative tarball: %s", f.v[0].url);
    CHECK(streq(f.v[1].sha512_b64, "QUJD") && f.v[1].sha1, "hashes");
    CHECK(streq(f.v[1].filename, "p-1.1.0.tgz"), "filename");
    CHECK(f.v[0].published == 1577836800, "time");
  }
  pt_registry_files_free(&f);
  static const char *bad[] = {
      "{\"name\":\"x\",\"versions\":",                     /* truncated */
      "[]",                                                /* not an object */
      "{\"name\":\"other\",\"versions\":{}}",              /* wrong package */
      "{\"name\":\"x\",\"versions\":{\"1\":{}}}",          /* no tarball */
      "{\"name\":\"x\",\"versions\":{\"1\":{\"dist\":{\"tarball\":"
      "\"file:///etc/passwd\"}}}}",                        /* not http */
      "{\"name\":\"x\",\"versions\":{\"1\":{\"dist\":{\"tarball\":"
      "\"http://r/x/-/..\"}}}}",                           /* bad file name */
      "{\"name\":\"x\",\"versions\":{\"1\":{\"dist\":{\"tarball\":"
      "\"http://r/x.tgz\",\"shasum\":\"zz\"}}}}",          /* bad shasum */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct pt_registry_files g = {0};
    pt_err *e = NULL;
    CHECK(pt_registry_npm_parse(bad[i], strlen(bad[i]), "http://r/x", "x", &g,
                                &e) < 0,
          "accepted bad npm doc %zu", i);
    CHECK(e && e->msg && e->msg[0], "no message for %zu", i);
    pt_err_free(e);
    pt_registry_files_free(&g);
  }
}

static void test_pypi(void) {
  const char *html =
      "<!DOCTYPE html><html><body>\n"
      "<a href=\"../../files/foo-1.0.tar.gz#sha256="
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
      "foo-1.0.tar.gz</a><br/>\n"
      "<A HREF='https://f.test/x/foo-1.1-py3-none-any.whl?a=1&amp;b=2' "
      "data-requires-python=\"&gt;=3.8\">\n  foo-1.1-py3-none-any.whl </a>\n"
      "<a href=\"foo-0.9.exe\">foo-0.9.exe</a>\n"
      "<a>no href</a>\n</body></html>";
  struct pt_registry_files f = {0};
  pt_err *err = NULL;
  CHECK(pt_registry_pypi_parse_html(html, strlen(html),
                                    "http://i.test/simple/foo/", "foo", &f,
                                    &err) == 0,
        "html: %s", err ? err->msg : "");
  CHECK(f.n == 2, "html n %zu", f.n);
  if (f.n == 2) {
    CHECK(streq(f.v[0].url, "http://i.test/files/foo-1.0.tar.gz"), "url %s",
          f.v[0].url);
    CHECK(f.v[0].sha256 && f.v[0].sha256[0] == 'a', "fragment hash");
    CHECK(streq(f.v[1].url, "https://f.test/x/foo-1.1-py3-none-any.whl?a=1&b=2"),
          "entity url %s", f.v[1].url);
    CHECK(streq(f.v[1].version, "1.1") && f.v[1].sha256 == NULL, "wheel");
  }
  pt_registry_files_free(&f);

  const char *json =
      "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"foo\",\"files\":["
      "{\"filename\":\"foo-1.0.tar.gz\",\"url\":\"/f/foo-1.0.tar.gz\","
      "\"hashes\":{\"sha256\":\"" 
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"},"
      "\"upload-time\":\"2024-05-01T12:00:00.000000Z\"}]}";
  CHECK(pt_registry_pypi_parse_json(json, strlen(json),
                                    "http://i.test/simple/foo/", "foo", &f,
                                    &err) == 0,
        "json: %s", err ? err->msg : "");
  CHECK(f.n == 1 && streq(f.v[0].url, "http://i.test/f/foo-1.0.tar.gz") &&
            f.v[0].published == 1714564800,
        "json file");
  pt_registry_files_free(&f);

  static const char *bad[] = {
      "{\"meta\":{\"api-version\":\"2.0\"},\"files\":[]}",   /* unknown major */
      "{\"files\":[]}",                                       /* no meta */
      "{\"meta\":{\"api-version\":\"1.0\"}}",                 /* no files */
      "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[{\"filename\":"
      "\"foo-1.tar.gz\",\"url\":\"/x\",\"hashes\":{\"sha256\":\"zz\"}}]}",
      "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[{\"filename\":"
      "\"../foo-1.tar.gz\",\"url\":\"/x\"}]}",                /* path */
      "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[{\"filename\":"
      "\"foo-1.tar.gz\",\"url\":\"ftp://x/foo-1.tar.gz\"}]}", /* scheme */
      "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[{\"filename\":"
      "\"foo-1.tar.gz\",\"url\":\"/x\",\"upload-time\":\"noon\"}]}",
      "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[",     /* truncated */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct pt_registry_files g = {0};
    pt_err *e = NULL;
    CHECK(pt_registry_pypi_parse_json(bad[i], strlen(bad[i]),
                                      "http://i/simple/foo/", "foo", &g,
                                      &e) < 0,
          "accepted bad pypi page %zu", i);
    pt_err_free(e);
    pt_registry_files_free(&g);
  }
}

int main(void) {
  test_names();
  test_times();
  test_shards();
  test_npm();
  test_pypi();
  if (failures)
    fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
