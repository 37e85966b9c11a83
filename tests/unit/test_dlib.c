/* Tests for runner/dlib.c and the two tables: a library that is not there
 * and a function the library lacks are errors that say which and what to
 * install, with the table left empty; the real libarchive and libcurl
 * load (once, from many threads at a time) and can be called. */
#define _GNU_SOURCE
#include "dl_archive.h"
#include "dl_curl.h"
#include "dlib.h"

#include <gnu/lib-names.h> /* LIBC_SO */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      failures++;                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

struct libc_fns {
  PT_DLIB_MEMBER(strlen)
  PT_DLIB_MEMBER(strchr)
};

static const struct {
  const char *what;
  const char *soname;
  const char *sym2; /* second symbol; the first is strlen */
  bool ok;
  const char *in_error[3]; /* substrings of the error when !ok */
} cases[] = {
    {"no such library", "libpkgtrap-test-absent.so.0", "strchr", false,
     {"load `libpkgtrap-test-absent.so.0`", "apt-get install test-pkg", NULL}},
    {"no such function", LIBC_SO, "pt_no_such_function", false,
     {"load `" LIBC_SO "`", "no function `pt_no_such_function`",
      "apt-get install test-pkg"}},
    {"everything there", LIBC_SO, "strchr", true, {NULL}},
};

static void test_table(void) {
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct libc_fns t;
    memset(&t, 0xa5, sizeof(t)); /* garbage: must end up zeroed or filled */
    const pt_dlib_sym syms[] = {
        {"strlen", offsetof(struct libc_fns, strlen)},
        {cases[i].sym2, offsetof(struct libc_fns, strchr)},
    };
    pt_dlib lib = {.soname = cases[i].soname,
                   .debpkg = "test-pkg",
                   .syms = syms,
                   .n_syms = 2,
                   .table = &t,
                   .table_size = sizeof(t)};
    pt_dlib_open(&lib);
    pt_err *e = NULL;
    int rc = pt_dlib_result(&lib, &e);
    CHECK((rc == 0) == cases[i].ok, "%s: rc %d", cases[i].what, rc);
    if (cases[i].ok) {
      CHECK(e == NULL, "%s: error set", cases[i].what);
      CHECK(t.strlen != NULL && t.strlen("abcd") == 4, "%s: strlen",
            cases[i].what);
      CHECK(t.strchr != NULL && t.strchr("abcd", 'c') != NULL, "%s: strchr",
            cases[i].what);
    } else {
      CHECK(e != NULL && e->msg != NULL, "%s: no error", cases[i].what);
      for (size_t k = 0; e && e->msg && k < 3 && cases[i].in_error[k]; k++)
        CHECK(strstr(e->msg, cases[i].in_error[k]) != NULL,
              "%s: `%s` not in `%s`", cases[i].what, cases[i].in_error[k],
              e->msg);
      CHECK(t.strlen == NULL && t.strchr == NULL, "%s: table not emptied",
            cases[i].what);
      CHECK(pt_dlib_result(&lib, NULL) == -1, "%s: NULL err", cases[i].what);
    }
    pt_err_free(e);
  }
}

static void *load_both(void *arg) {
  (void)arg;
  pt_err *e = NULL;
  intptr_t bad = pt_dl_archive_load(&e) < 0 || pt_dl_curl_load(&e) < 0;
  if (bad)
    fprintf(stderr, "load: %s\n", e && e->msg ? e->msg : "?");
  pt_err_free(e);
  return (void *)bad;
}

/* The real tables, loaded by racing threads: pthread_once runs the load
 * once, and every thread sees the filled table. */
static void test_real(void) {
  pthread_t th[8];
  for (size_t i = 0; i < 8; i++)
    CHECK(pthread_create(&th[i], NULL, load_both, NULL) == 0, "thread %zu", i);
  for (size_t i = 0; i < 8; i++) {
    void *bad = NULL;
    pthread_join(th[i], &bad);
    CHECK(bad == NULL, "thread %zu failed to load", i);
  }
  struct archive *a = archive_read_new();
  CHECK(a != NULL, "archive_read_new");
  CHECK(archive_read_support_format_tar(a) == ARCHIVE_OK, "support tar");
  archive_read_free(a);
  CURLU *u = curl_url();
  char *host = NULL;
  CHECK(u != NULL, "curl_url");
  CHECK(curl_url_set(u, CURLUPART_URL, "https://example.org/x", 0) ==
                CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
            strcmp(host, "example.org") == 0,
        "curl_url_get host: %s", host ? host : "NULL");
  curl_free(host);
  curl_url_cleanup(u);
}

int main(void) {
  test_table();
  test_real();
  if (failures) {
    fprintf(stderr, "test_dlib: %d failure(s)\n", failures);
    return 1;
  }
  printf("test_dlib: ok\n");
  return 0;
}
