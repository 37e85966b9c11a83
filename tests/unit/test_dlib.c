/* Tests for runner/dlib.c and the three tables: a library that is not
 * there and a function the library lacks are errors that say which and
 * what to install, with the table left empty; the real libarchive,
 * libcurl and libcrypto load (once, from many threads at a time) and can
 * be called; this test, which links none of them, has none of them
 * mapped before it asks. */
#define _GNU_SOURCE
#include "dl_archive.h"
#include "dl_crypto.h"
#include "dl_curl.h"
#include "dlib.h"

#include <dlfcn.h>

#include <gnu/lib-names.h> /* LIBC_SO */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

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

static void *load_all(void *arg) {
  (void)arg;
  pt_err *e = NULL;
  intptr_t bad = pt_dl_archive_load(&e) < 0 || pt_dl_curl_load(&e) < 0 ||
                 pt_dl_crypto_load(&e) < 0;
  if (bad)
    fprintf(stderr, "load: %s\n", e && e->msg ? e->msg : "?");
  pt_err_free(e);
  return (void *)bad;
}

/* Whether soname is mapped in this process (RTLD_NOLOAD never loads). */
static bool mapped(const char *soname) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
  if (h != NULL)
    dlclose(h);
  return h != NULL;
}

/* Known answers: FIPS 180-2's "abc" (sha1, sha256, sha512 prefix), and
 * AES-128-CBC from NIST SP 800-38A F.2.1 (first block). */
static void test_crypto(void) {
  static const struct {
    const char *what;
    unsigned len;
    const char *hex; /* a prefix of the digest */
  } dg[] = {
      {"sha1", 20, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {"sha256", 32,
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"sha512", 64, "ddaf35a193617abacc417349ae204131"},
  };
  const EVP_MD *(*const mds[3])(void) = {EVP_sha1, EVP_sha256, EVP_sha512};
  for (size_t i = 0; i < 3; i++) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    CHECK(c != NULL && EVP_DigestInit_ex(c, mds[i](), NULL) == 1 &&
              EVP_DigestUpdate(c, "abc", 3) == 1 &&
              EVP_DigestFinal_ex(c, md, &len) == 1,
          "%s", dg[i].what);
    EVP_MD_CTX_free(c);
    for (unsigned k = 0; k < len; k++)
      snprintf(hex + 2 * k, 3, "%02x", md[k]);
    CHECK(len == dg[i].len && strncmp(hex, dg[i].hex, strlen(dg[i].hex)) == 0,
          "%s(abc) = %s", dg[i].what, hex);
  }
  static const unsigned char key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                        0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                        0x09, 0xcf, 0x4f, 0x3c},
                             pt[16] = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40,
                                       0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11,
                                       0x73, 0x93, 0x17, 0x2a},
                             /* F.2.1's first block, then the block of
                              * PKCS#7 padding (openssl enc). */
                             ct[32] = {0x76, 0x49, 0xab, 0xac, 0x81, 0x19,
                                       0xb2, 0x46, 0xce, 0xe9, 0x8e, 0x9b,
                                       0x12, 0xe9, 0x19, 0x7d, 0x89, 0x64,
                                       0xe0, 0xb1, 0x49, 0xc1, 0x0b, 0x7b,
                                       0x68, 0x2e, 0x6e, 0x39, 0xaa, 0xeb,
                                       0x73, 0x1c};
  unsigned char iv[16], out[32];
  for (int k = 0; k < 16; k++)
    iv[k] = (unsigned char)k;
  /* Decryption: what the table is for (encrypting is aes128.c's). */
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int n1 = 0, n2 = 0;
  CHECK(c != NULL &&
            EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, key, iv) == 1 &&
            EVP_DecryptUpdate(c, out, &n1, ct, 32) == 1 &&
            EVP_DecryptFinal_ex(c, out + n1, &n2) == 1 && n1 + n2 == 16 &&
            memcmp(out, pt, 16) == 0,
        "EVP AES-128-CBC");
  EVP_CIPHER_CTX_free(c);
  unsigned char dk[16];
  CHECK(PKCS5_PBKDF2_HMAC_SHA1("peanuts", 7, (const unsigned char *)"saltysalt",
                               9, 1, 16, dk) == 1 &&
            dk[0] == 0xfd && dk[15] == 0x78,
        "PBKDF2 (Chrome's key)");
}

/* The real tables, loaded by racing threads: pthread_once runs the load
 * once, and every thread sees the filled table. */
static void test_real(void) {
  /* Not linked: nothing maps them before the first load. */
  CHECK(!mapped(PT_TEST_CRYPTO_SONAME), "%s mapped before any load",
        PT_TEST_CRYPTO_SONAME);
  CHECK(!mapped(PT_TEST_ARCHIVE_SONAME), "%s mapped before any load",
        PT_TEST_ARCHIVE_SONAME);
  pthread_t th[8];
  for (size_t i = 0; i < 8; i++)
    CHECK(pthread_create(&th[i], NULL, load_all, NULL) == 0, "thread %zu", i);
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
  CHECK(mapped(PT_TEST_CRYPTO_SONAME), "%s not mapped after its load",
        PT_TEST_CRYPTO_SONAME);
  test_crypto();
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
