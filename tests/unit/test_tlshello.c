/* Tests for runner/tlshello.c over a real ClientHello (captured from
 * `openssl s_client -connect 127.0.0.1:PORT -servername example.test
 * -alpn h2,http/1.1`, OpenSSL 3.0.19, against a local listener), the same
 * hello fragmented over several records, every prefix, and broken or
 * non-TLS input. */
#include "tlshello.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const uint8_t openssl_hello[] = {
    0x16, 0x03, 0x01, 0x01, 0x4b, 0x01, 0x00, 0x01, 0x47, 0x03, 0x03, 0xb6,
    0x17, 0xec, 0x3a, 0xcd, 0xe5, 0x02, 0x98, 0x42, 0xb6, 0x4d, 0x35, 0xdf,
    0x51, 0xab, 0xf2, 0xea, 0x3c, 0xad, 0x52, 0xb5, 0xf1, 0x79, 0x9f, 0x4c,
    0xe6, 0x86, 0x91, 0x5a, 0xc1, 0x2f, 0x20, 0x20, 0x92, 0xa0, 0x36, 0xc9,
    0x43, 0xdb, 0x38, 0x4b, 0xae, 0x0d, 0xf1, 0x09, 0x77, 0x68, 0x67, 0xdc,
    0x27, 0x42, 0xd0, 0x68, 0xc0, 0xcb, 0x1f, 0x0a, 0xde, 0x16, 0xb9, 0x3a,
    0xb5, 0x75, 0xdd, 0x55, 0x00, 0x3e, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
    0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa,
    0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b,
    0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39,
    0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d,
    0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0xc0,
    0x00, 0x00, 0x00, 0x11, 0x00, 0x0f, 0x00, 0x00, 0x0c, 0x65, 0x78, 0x61,
    0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x00, 0x0b, 0x00,
    0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00,
    0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01,
    0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x23, 0x00, 0x00, 0x00,
    0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74,
    0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00,
    0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06,
    0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08,
    0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03,
    0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00,
    0x2b, 0x00, 0x09, 0x08, 0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01,
    0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24,
    0x00, 0x1d, 0x00, 0x20, 0x53, 0x65, 0x59, 0xf5, 0xe6, 0x57, 0x7a, 0x67,
    0x44, 0x0d, 0x4c, 0x5c, 0x38, 0x88, 0x8b, 0x48, 0xf2, 0xc1, 0x2a, 0x4f,
    0xd0, 0x60, 0xf3, 0x59, 0xe7, 0x48, 0x9d, 0x2e, 0x57, 0xee, 0x38, 0x1f,
};

static void check_openssl(const pt_tls_hello *h, const char *what) {
  CHECK(h->has_sni && h->sni_len == 12 && strcmp(h->sni, "example.test") == 0, "%s: sni %s", what,
        h->sni);
  CHECK(h->nalpn == 2 && strcmp(h->alpn[0], "h2") == 0 && strcmp(h->alpn[1], "http/1.1") == 0,
        "%s: alpn", what);
  CHECK(h->legacy_version == 0x0303 && h->max_version == 0x0304, "%s: versions %04x %04x", what,
        h->legacy_version, h->max_version);
  CHECK(h->nversions == 4 && h->versions[0] == 0x0304 && h->versions[3] == 0x0301, "%s: list %zu",
        what, h->nversions);
  CHECK(h->record_version == 0x0301, "%s: record version", what);
  CHECK(h->hello_len == sizeof(openssl_hello) - 9, "%s: hello_len %zu", what, h->hello_len);
  CHECK(h->ncipher_suites == 31, "%s: suites %zu", what, h->ncipher_suites);
}

/* Re-frame the handshake message of openssl_hello into records of at most
 * frag bytes each. */
static size_t fragment(size_t frag, uint8_t *out) {
  const uint8_t *hs = openssl_hello + 5;
  size_t n = sizeof(openssl_hello) - 5, o = 0;
  for (size_t p = 0; p < n; p += frag) {
    size_t k = n - p < frag ? n - p : frag;
    out[o++] = 0x16;
    out[o++] = 0x03;
    out[o++] = 0x01;
    out[o++] = (uint8_t)(k >> 8);
    out[o++] = (uint8_t)k;
    memcpy(out + o, hs + p, k);
    o += k;
  }
  return o;
}

static void test_openssl(void) {
  pt_tls_hello h;
  pt_tls_status st = pt_tls_parse_client_hello(openssl_hello, sizeof(openssl_hello), &h);
  CHECK(st == PT_TLS_OK, "whole: %s", pt_tls_status_str(st));
  check_openssl(&h, "whole");
  CHECK(h.nrecords == 1 && h.consumed == sizeof(openssl_hello), "records");
  char v[16];
  CHECK(strcmp(pt_tls_version_str(h.max_version, v, sizeof(v)), "TLS1.3") == 0, "%s", v);
  CHECK(strcmp(pt_tls_version_str(0x7f1c, v, sizeof(v)), "0x7f1c") == 0, "%s", v);

  /* Trailing bytes (the next record) do not matter. */
  uint8_t more[sizeof(openssl_hello) + 7];
  memcpy(more, openssl_hello, sizeof(openssl_hello));
  memcpy(more + sizeof(openssl_hello), "\x14\x03\x03\x00\x01\x01\x00", 7);
  CHECK(pt_tls_parse_client_hello(more, sizeof(more), &h) == PT_TLS_OK &&
            h.consumed == sizeof(openssl_hello),
        "trailing");

  /* Every prefix: NEED_MORE, never a wrong verdict. */
  for (size_t k = 0; k < sizeof(openssl_hello); k++) {
    st = pt_tls_parse_client_hello(openssl_hello, k, &h);
    CHECK(st == PT_TLS_NEED_MORE, "prefix %zu: %s", k, pt_tls_status_str(st));
  }

  /* Fragmented over records of 1, 3, 100 bytes. */
  static const size_t frags[] = {1, 3, 100, 331};
  for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
    static uint8_t buf[8192];
    size_t n = fragment(frags[i], buf);
    st = pt_tls_parse_client_hello(buf, n, &h);
    CHECK(st == PT_TLS_OK, "frag %zu: %s", frags[i], pt_tls_status_str(st));
    check_openssl(&h, "fragmented");
    CHECK(h.nrecords == (331 + frags[i] - 1) / frags[i], "frag %zu: records %zu", frags[i],
          h.nrecords);
    CHECK(h.consumed == n, "frag %zu: consumed", frags[i]);
    st = pt_tls_parse_client_hello(buf, n - 1, &h);
    CHECK(st == PT_TLS_NEED_MORE, "frag %zu short: %s", frags[i], pt_tls_status_str(st));
  }
}

/* A minimal hello: TLS 1.2, one suite, given extensions. */
static size_t mini(uint8_t *out, const uint8_t *ext, size_t extlen, bool with_ext_block) {
  uint8_t body[2048];
  size_t o = 0;
  body[o++] = 3;
  body[o++] = 3;
  memset(body + o, 0x42, 32);
  o += 32;
  body[o++] = 0; /* session id */
  body[o++] = 0;
  body[o++] = 2;
  body[o++] = 0xc0;
  body[o++] = 0x2f;
  body[o++] = 1; /* compression */
  body[o++] = 0;
  if (with_ext_block) {
    body[o++] = (uint8_t)(extlen >> 8);
    body[o++] = (uint8_t)extlen;
    memcpy(body + o, ext, extlen);
    o += extlen;
  }
  size_t hl = o + 4;
  out[0] = 0x16;
  out[1] = 3;
  out[2] = 1;
  out[3] = (uint8_t)(hl >> 8);
  out[4] = (uint8_t)hl;
  out[5] = 1;
  out[6] = 0;
  out[7] = (uint8_t)(o >> 8);
  out[8] = (uint8_t)o;
  memcpy(out + 9, body, o);
  return o + 9;
}

static void test_mini(void) {
  uint8_t buf[4096];
  pt_tls_hello h;
  size_t n = mini(buf, NULL, 0, false);
  CHECK(pt_tls_parse_client_hello(buf, n, &h) == PT_TLS_OK && !h.has_sni && h.nalpn == 0 &&
            h.max_version == 0x0303,
        "no extensions");
  /* GREASE in supported_versions is ignored; SNI with a non-host_name
   * entry first; an ALPN list with 20 entries (16 kept). */
  static const uint8_t ext1[] = {
      0x00, 0x2b, 0x00, 0x05, 0x04, 0x3a, 0x3a, 0x03, 0x03, /* versions: GREASE, 1.2 */
      0x00, 0x00, 0x00, 0x0d, 0x00, 0x0b, 0x01, 0x00, 0x01, 'z', /* type 1 "z" */
      0x00, 0x00, 0x04, 'a', '.', 'b', '\n', /* host_name "a.b\n" */
  };
  n = mini(buf, ext1, sizeof(ext1), true);
  pt_tls_status st = pt_tls_parse_client_hello(buf, n, &h);
  CHECK(st == PT_TLS_OK, "ext1: %s", pt_tls_status_str(st));
  CHECK(h.max_version == 0x0303 && h.nversions == 1, "grease %04x", h.max_version);
  CHECK(h.has_sni && h.sni_len == 4 && memcmp(h.sni, "a.b\n", 4) == 0, "sni type");
  uint8_t ext2[200];
  size_t e = 0;
  ext2[e++] = 0;
  ext2[e++] = 16;
  ext2[e++] = 0;
  ext2[e++] = 2 + 20 * 3;
  ext2[e++] = 0;
  ext2[e++] = 20 * 3;
  for (int i = 0; i < 20; i++) {
    ext2[e++] = 2;
    ext2[e++] = 'p';
    ext2[e++] = (uint8_t)('a' + i);
  }
  n = mini(buf, ext2, e, true);
  CHECK(pt_tls_parse_client_hello(buf, n, &h) == PT_TLS_OK && h.nalpn == 16 && h.alpn_dropped == 4 &&
            strcmp(h.alpn[15], "pp") == 0,
        "alpn cap %zu", h.nalpn);

  /* Broken inner lengths. */
  static const struct {
    const char *what;
    uint8_t ext[16];
    size_t len;
  } bad[] = {
      {"sni list overruns", {0, 0, 0, 5, 0, 9, 0, 0, 1}, 9},
      {"sni name overruns", {0, 0, 0, 5, 0, 3, 0, 0, 9}, 9},
      {"sni trailing junk", {0, 0, 0, 3, 0, 0, 7}, 7},
      {"alpn empty name", {0, 16, 0, 3, 0, 1, 0}, 7},
      {"versions odd", {0, 0x2b, 0, 2, 1, 3}, 6},
      {"ext overruns block", {0, 1, 0, 9, 1}, 5},
      {"ext header cut", {0, 1, 0}, 3},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    n = mini(buf, bad[i].ext, bad[i].len, true);
    st = pt_tls_parse_client_hello(buf, n, &h);
    CHECK(st == PT_TLS_MALFORMED, "%s: %s", bad[i].what, pt_tls_status_str(st));
  }
}

static void test_not_tls(void) {
  static const struct {
    const char *what;
    const char *in;
    size_t len;
    pt_tls_status want;
  } cases[] = {
      {"HTTP", "GET / HTTP/1.1\r\n", 16, PT_TLS_NOT_TLS},
      {"alert", "\x15\x03\x03\x00\x02\x02\x28", 7, PT_TLS_NOT_TLS},
      {"SSLv2 hello", "\x80\x2e\x01\x00\x02", 5, PT_TLS_NOT_TLS},
      {"version 2.x", "\x16\x02", 2, PT_TLS_NOT_TLS},
      {"version 3.9", "\x16\x03\x09", 3, PT_TLS_NOT_TLS},
      {"empty record", "\x16\x03\x01\x00\x00", 5, PT_TLS_NOT_TLS},
      {"huge record", "\x16\x03\x01\x48\x01", 5, PT_TLS_NOT_TLS},
      {"one byte", "\x16", 1, PT_TLS_NEED_MORE},
      {"empty", "", 0, PT_TLS_NEED_MORE},
      {"server hello", "\x16\x03\x03\x00\x04\x02\x00\x00\x00", 9, PT_TLS_MALFORMED},
      {"hello > cap", "\x16\x03\x01\x00\x04\x01\x01\x00\x00", 9, PT_TLS_MALFORMED},
      {"alert after fragment", "\x16\x03\x01\x00\x02\x01\x00\x15\x03\x03\x00\x02\x02\x28", 14,
       PT_TLS_MALFORMED},
      {"empty hello body", "\x16\x03\x01\x00\x04\x01\x00\x00\x00", 9, PT_TLS_MALFORMED},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    pt_tls_hello h;
    pt_tls_status st = pt_tls_parse_client_hello(cases[i].in, cases[i].len, &h);
    CHECK(st == cases[i].want, "%s: %s", cases[i].what, pt_tls_status_str(st));
  }
}

int main(void) {
  test_openssl();
  test_mini();
  test_not_tls();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("tlshello: ok\n");
  return 0;
}
