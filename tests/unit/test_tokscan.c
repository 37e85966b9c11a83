/* Tests for runner/tokscan.c: honeytokens found raw, reversed, in base64
 * (both alphabets, every alignment, padded or not, wrapped), base32 and
 * base32hex (every alignment, both cases), hex, percent-encoding, and DNS
 * names split over labels; not found in near misses or random data.
 * Encoders here are written independently of the scanner's "interior"
 * trick: they encode whole buffers, the way malware would. */
#include "tokscan.h"
#include "dnsmsg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "check.h"

/* Fake values in the real shapes. */
static const struct {
  const char *id, *value;
} toks[] = {
    {"aws_access_key_id", "AKIAQ7XK2M4ZP5R3W6YB"},
    {"aws_secret_access_key", "wJalrXUt/nFEMI+K7MDENG/bPxRfiCYz+9Kq3hT2"},
    {"github", "ghp_R8fK2pLm9QzX4vT7bN1cW5yH3jD6sA0eU2iO"},
    {"npm", "npm_T4kW9xQ2mZ7pL1vR8nB3cY6hJ5dF0gS2aE4u"},
    {"pypi", "pypi-AgEIcHlwaS5vcmcCJGQ4ZjE2NzYxLTk3YjMtNGM1Ny1hZTQ4LWZmMTgwYjZiNTk2ZQACKlszLCJl"},
};
enum { AWS_ID, AWS_SECRET, GITHUB, NPM, PYPI };

static pt_tok_scanner *scanner(void) {
  pt_tok_scanner *s = pt_tok_new();
  for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
    if (pt_tok_add(s, toks[i].id, toks[i].value) != 0)
      abort();
  return s;
}

static size_t b64(const uint8_t *in, size_t n, bool url, bool pad, char *out) {
  const char *a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                 (i + 2 < n ? in[i + 2] : 0);
    size_t k = n - i >= 3 ? 4 : n - i + 1;
    for (size_t j = 0; j < 4; j++)
      if (j < k)
        out[o++] = a[v >> (18 - 6 * j) & 63];
      else if (pad)
        out[o++] = '=';
  }
  out[o] = 0;
  return o;
}

static size_t b32(const uint8_t *in, size_t n, const char *a, bool pad, char *out) {
  size_t o = 0, bits = 0;
  uint32_t acc = 0;
  for (size_t i = 0; i < n; i++) {
    acc = acc << 8 | in[i];
    bits += 8;
    while (bits >= 5) {
      out[o++] = a[acc >> (bits - 5) & 31];
      bits -= 5;
    }
  }
  if (bits)
    out[o++] = a[acc << (5 - bits) & 31];
  while (pad && o % 8)
    out[o++] = '=';
  out[o] = 0;
  return o;
}

static size_t hexenc(const uint8_t *in, size_t n, bool upper, char *out) {
  const char *h = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = h[in[i] >> 4];
    out[2 * i + 1] = h[in[i] & 15];
  }
  out[2 * n] = 0;
  return 2 * n;
}

/* Percent-encode bytes outside [A-Za-z0-9-._~] and not in safe. */
static size_t pct(const char *in, const char *safe, bool lowerhex, char *out) {
  const char *h = lowerhex ? "0123456789abcdef" : "0123456789ABCDEF";
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p) || strchr(safe, *p))
      out[o++] = (char)*p;
    else {
      out[o++] = '%';
      out[o++] = h[*p >> 4];
      out[o++] = h[*p & 15];
    }
  }
  out[o] = 0;
  return o;
}

/* Does a scan of buf find token t with an encoding starting with enc? */
static bool finds(const pt_tok_scanner *s, const char *buf, size_t len, int t, const char *enc,
                  size_t *off) {
  pt_tok_match m[64];
  size_t n;
  int total = pt_tok_scan(s, buf, len, m, 64, &n);
  if (total < 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].id, toks[t].id) == 0 && strncmp(m[i].encoding, enc, strlen(enc)) == 0) {
      if (off)
        *off = m[i].offset;
      return true;
    }
  return false;
}

static bool finds_dns(const pt_tok_scanner *s, const char *name, int t, const char *enc) {
  pt_tok_match m[64];
  size_t n;
  if (pt_tok_scan_dnsname(s, name, strlen(name), m, 64, &n) < 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].id, toks[t].id) == 0 && strcmp(m[i].encoding, enc) == 0)
      return true;
  return false;
}

static size_t nmatches(const pt_tok_scanner *s, const void *buf, size_t len) {
  pt_tok_match m[8];
  size_t n;
  return (size_t)pt_tok_scan(s, buf, len, m, 8, &n);
}

static void test_encodings(void) {
  pt_tok_scanner *s = scanner();
  static char buf[8192], enc[4096];
  static uint8_t raw[1024];
  for (int t = 0; t < (int)(sizeof(toks) / sizeof(toks[0])); t++) {
    const char *v = toks[t].value;
    size_t vl = strlen(v), off;
    /* raw, with the offset right */
    int n = snprintf(buf, sizeof(buf), "POST /x?k=%s&x=1", v);
    CHECK(finds(s, buf, (size_t)n, t, "raw", &off) && off == 10, "%s raw", toks[t].id);
    /* reversed */
    for (size_t i = 0; i < vl; i++)
      enc[i] = v[vl - 1 - i];
    enc[vl] = 0;
    n = snprintf(buf, sizeof(buf), "data=%s;", enc);
    CHECK(finds(s, buf, (size_t)n, t, "reversed", NULL), "%s reversed", toks[t].id);
    /* base64 / base64url at each alignment inside a longer encoded blob,
     * padded and not. */
    for (int a = 0; a < 3; a++)
      for (int tail = 0; tail < 3; tail++)
        for (int url = 0; url < 2; url++) {
          size_t rl = 0;
          for (int i = 0; i < a; i++)
            raw[rl++] = (uint8_t)(0x80 + 17 * i);
          memcpy(raw + rl, v, vl);
          rl += vl;
          for (int i = 0; i < tail; i++)
            raw[rl++] = (uint8_t)('{' + i);
          b64(raw, rl, url, tail != 1, enc);
          n = snprintf(buf, sizeof(buf), "{\"d\":\"%s\"}", enc);
          CHECK(finds(s, buf, (size_t)n, t, url ? "base64" : "base64", NULL),
                "%s base64 a=%d tail=%d url=%d: %s", toks[t].id, a, tail, url, enc);
        }
    /* base32 at each alignment, upper padded and lower unpadded, and
     * base32hex. */
    for (int a = 0; a < 5; a++) {
      size_t rl = 0;
      for (int i = 0; i < a; i++)
        raw[rl++] = (uint8_t)(0xf0 - i);
      memcpy(raw + rl, v, vl);
      rl += vl;
      b32(raw, rl, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", true, enc);
      n = snprintf(buf, sizeof(buf), "x %s y", enc);
      CHECK(finds(s, buf, (size_t)n, t, "base32", NULL), "%s base32 a=%d", toks[t].id, a);
      b32(raw, rl, "abcdefghijklmnopqrstuvwxyz234567", false, enc);
      n = snprintf(buf, sizeof(buf), "%s", enc);
      CHECK(finds(s, buf, (size_t)n, t, "base32", NULL), "%s base32 lower a=%d", toks[t].id, a);
      b32(raw, rl, "0123456789ABCDEFGHIJKLMNOPQRSTUV", false, enc);
      CHECK(finds(s, enc, strlen(enc), t, "base32hex", NULL), "%s base32hex a=%d", toks[t].id, a);
    }
    /* hex, both cases */
    for (int up = 0; up < 2; up++) {
      hexenc((const uint8_t *)v, vl, up, enc);
      n = snprintf(buf, sizeof(buf), "0x%s\n", enc);
      CHECK(finds(s, buf, (size_t)n, t, "hex", NULL), "%s hex up=%d", toks[t].id, up);
    }
    /* Wrapped base64 (MIME/encodebytes style, 76 columns), token deep in
     * a blob so it crosses a line break. */
    {
      size_t rl = 0;
      for (int i = 0; i < 50; i++)
        raw[rl++] = (uint8_t)i;
      memcpy(raw + rl, v, vl);
      rl += vl;
      size_t el = b64(raw, rl, false, true, enc);
      size_t o = 0;
      for (size_t i = 0; i < el; i++) {
        if (i && i % 76 == 0) {
          buf[o++] = '\r';
          buf[o++] = '\n';
        }
        buf[o++] = enc[i];
      }
      CHECK(finds(s, buf, o, t, "base64", NULL), "%s wrapped base64", toks[t].id);
    }
  }
  pt_tok_free(s);
}

static void test_urlenc(void) {
  pt_tok_scanner *s = scanner();
  char enc[512], buf[1024];
  const char *v = toks[AWS_SECRET].value;
  static const struct {
    const char *safe;
    bool lowerhex;
  } u[] = {{"", false}, {"", true}, {"/", false}, {"+", true}};
  for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
    pct(v, u[i].safe, u[i].lowerhex, enc);
    int n = snprintf(buf, sizeof(buf), "GET /c?s=%s HTTP/1.1\r\n", enc);
    size_t off;
    CHECK(finds(s, buf, (size_t)n, AWS_SECRET, "urlenc", &off) && off == 9, "urlenc %zu: %s", i,
          enc);
  }
  /* A value that ends in an escape: the match length covers it. */
  pt_tok_scanner *s2 = pt_tok_new();
  CHECK(pt_tok_add(s2, "slash", "abcdefghijklmnop/") == 0, "add");
  pt_tok_match m[4];
  size_t n;
  const char *q = "x=abcdefghijklmnop%2F&";
  CHECK(pt_tok_scan(s2, q, strlen(q), m, 4, &n) == 1 && n == 1 && m[0].offset == 2 &&
            m[0].length == 19 && strcmp(m[0].encoding, "urlenc") == 0,
        "urlenc end");
  /* A value with a space, sent as '+' form encoding. */
  CHECK(pt_tok_add(s2, "spaced", "correct horse battery") == 0, "add");
  q = "p=correct+horse+battery";
  CHECK(pt_tok_scan(s2, q, strlen(q), m, 4, &n) == 1 && strcmp(m[0].id, "spaced") == 0 &&
            strcmp(m[0].encoding, "urlenc") == 0,
        "plus space");
  pt_tok_free(s2);
  /* base64 of the secret, percent-encoded (as in a query string). */
  char b[256];
  b64((const uint8_t *)v, strlen(v), false, true, b);
  pct(b, "", false, enc);
  CHECK(finds(s, enc, strlen(enc), AWS_SECRET, "base64", NULL), "pct base64 %s", enc);
  pt_tok_free(s);
}

static void test_dns(void) {
  pt_tok_scanner *s = scanner();
  char enc[512], name[1024];
  /* hex of the GitHub token over two labels */
  hexenc((const uint8_t *)toks[GITHUB].value, strlen(toks[GITHUB].value), false, enc);
  snprintf(name, sizeof(name), "%.63s.%s.exfil.test", enc, enc + 63);
  CHECK(finds_dns(s, name, GITHUB, "dns-split-hex"), "split hex %s", name);
  /* resolvers may have folded case: */
  for (char *p = name; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 32);
  CHECK(finds_dns(s, name, GITHUB, "dns-split-hex"), "split HEX");
  /* raw AWS key id in one label, lowercased */
  CHECK(finds_dns(s, "akiaq7xk2m4zp5r3w6yb.c2.test", AWS_ID, "dns-raw"), "raw lower");
  /* raw split */
  CHECK(finds_dns(s, "x.AKIAQ7XK2M.4ZP5R3W6YB.test", AWS_ID, "dns-split-raw"), "raw split");
  /* base32 of the secret, unpadded lowercase, in 3 labels, at an offset */
  uint8_t raw[64] = {0x11, 0x22};
  memcpy(raw + 2, toks[AWS_SECRET].value, 40);
  size_t el = b32(raw, 42, "abcdefghijklmnopqrstuvwxyz234567", false, enc);
  snprintf(name, sizeof(name), "%.30s.%.30s.%s.t.test", enc, enc + 30, enc + 60);
  CHECK(el > 60 && finds_dns(s, name, AWS_SECRET, "dns-split-base32"), "b32 %s", name);
  /* near misses */
  CHECK(!finds_dns(s, "akiaq7xk2m4zp5r3w6y.c2.test", AWS_ID, "dns-raw"), "short");
  CHECK(!finds_dns(s, "akiaq7xk2m4zp5r3w6yc.c2.test", AWS_ID, "dns-raw"), "changed");
  pt_tok_match m[4];
  size_t n;
  CHECK(pt_tok_scan_dnsname(s, "www.example.test", 16, m, 4, &n) == 0 && n == 0, "benign");

  /* End to end, the way the fake resolver will use it: a query on the
   * wire, parsed by dnsmsg, its name scanned. Labels of 30 hex chars. */
  hexenc((const uint8_t *)toks[NPM].value, strlen(toks[NPM].value), true, enc);
  uint8_t wire[512] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  size_t w = 12, el2 = strlen(enc);
  for (size_t i = 0; i < el2; i += 30) {
    size_t l = el2 - i < 30 ? el2 - i : 30;
    wire[w++] = (uint8_t)l;
    memcpy(wire + w, enc + i, l);
    w += l;
  }
  memcpy(wire + w, "\004test\000\000\020\000\001", 10);
  w += 10;
  pt_dns_query dq;
  CHECK(pt_dns_parse_query(wire, w, &dq) == PT_DNS_OK && dq.qtype == PT_DNS_TYPE_TXT, "dns parse");
  CHECK(pt_tok_scan_dnsname(s, dq.name, dq.name_len, m, 4, &n) == 1 && n == 1 &&
            strcmp(m[0].id, "npm") == 0 && strcmp(m[0].encoding, "dns-split-hex") == 0 &&
            m[0].offset == 0 && m[0].length == el2 + el2 / 30 - (el2 % 30 == 0),
        "dns end to end: %zu", n);
  pt_tok_free(s);
}

static void test_near_misses(void) {
  pt_tok_scanner *s = scanner();
  char buf[1024], enc[512];
  /* One character changed, in the middle and at each end. */
  for (int t = 0; t < (int)(sizeof(toks) / sizeof(toks[0])); t++) {
    size_t vl = strlen(toks[t].value);
    size_t pos[3] = {0, vl / 2, vl - 1};
    for (int k = 0; k < 3; k++) {
      char v[256];
      memcpy(v, toks[t].value, vl + 1);
      v[pos[k]] = v[pos[k]] == 'Q' ? 'R' : 'Q';
      CHECK(nmatches(s, v, vl) == 0, "%s changed at %zu", toks[t].id, pos[k]);
      size_t el = b64((const uint8_t *)v, vl, false, true, enc);
      CHECK(nmatches(s, enc, el) == 0, "%s b64 changed at %zu", toks[t].id, pos[k]);
      el = hexenc((const uint8_t *)v, vl, false, enc);
      CHECK(nmatches(s, enc, el) == 0, "%s hex changed at %zu", toks[t].id, pos[k]);
    }
    /* Truncated by one. */
    CHECK(nmatches(s, toks[t].value, vl - 1) == 0, "%s truncated", toks[t].id);
    CHECK(nmatches(s, toks[t].value + 1, vl - 1) == 0, "%s truncated front", toks[t].id);
  }
  /* Case changes are not a raw match (only DNS ignores case). */
  snprintf(buf, sizeof(buf), "akiaq7xk2m4zp5r3w6yb");
  CHECK(nmatches(s, buf, strlen(buf)) == 0, "lowercase raw");
  /* The well-known AWS example key is not ours. */
  snprintf(buf, sizeof(buf), "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  CHECK(nmatches(s, buf, strlen(buf)) == 0, "example keys");

  /* Random data: nothing. */
  static uint8_t rnd[1 << 16];
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof(rnd); i++) {
    x = x * 1103515245u + 12345u;
    rnd[i] = (uint8_t)(x >> 16);
  }
  CHECK(nmatches(s, rnd, sizeof(rnd)) == 0, "random");
  pt_tok_free(s);
}

static void test_api(void) {
  pt_tok_scanner *s = pt_tok_new();
  errno = 0;
  CHECK(pt_tok_add(s, "short", "AKIA12345") == -1 && errno == EINVAL, "short value");
  char big[PT_TOK_MAX_VALUE + 2];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  CHECK(pt_tok_add(s, "big", big) == -1 && errno == EINVAL, "long value");
  pt_tok_match m[2];
  size_t n = 99;
  CHECK(pt_tok_scan(s, "anything at all, long enough", 28, m, 2, &n) == 0 && n == 0, "empty scanner");
  for (int i = 0; i < PT_TOK_MAX_TOKENS; i++) {
    char id[16], v[32];
    snprintf(id, sizeof(id), "t%d", i);
    snprintf(v, sizeof(v), "tok%03dQWERTYUIOPZX", i);
    CHECK(pt_tok_add(s, id, v) == 0, "add %d", i);
  }
  CHECK(pt_tok_add(s, "one-more", "0123456789abcdef") == -1 && errno == ENOSPC, "full");
  CHECK(pt_tok_count(s) == PT_TOK_MAX_TOKENS, "count");
  /* More matches than room: total returned, max stored, sorted. */
  const char *three = "tok001QWERTYUIOPZX tok002QWERTYUIOPZX tok000QWERTYUIOPZX";
  int total = pt_tok_scan(s, three, strlen(three), m, 2, &n);
  CHECK(total == 3 && n == 2, "total %d n %zu", total, n);
  CHECK(pt_tok_scan(s, three, strlen(three), NULL, 0, &n) == 3 && n == 0, "count only");
  pt_tok_match all[8];
  pt_tok_scan(s, three, strlen(three), all, 8, &n);
  CHECK(n == 3 && all[0].offset == 0 && all[1].offset == 19 && all[2].offset == 38 &&
            strcmp(all[2].id, "t0") == 0 && all[0].length == 18,
        "sorted");
  pt_tok_free(s);
  pt_tok_free(NULL);
}

/* Base58 by repeated division of the whole number by 58 (the scanner
 * multiplies digit by digit instead). */
static size_t b58(const uint8_t *in, size_t n, char *out) {
  static const char a[] =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  uint8_t num[256];
  char rev[512];
  memcpy(num, in, n);
  size_t o = 0, lead = 0;
  while (lead < n && in[lead] == 0)
    lead++;
  for (;;) {
    bool zero = true;
    unsigned rem = 0;
    for (size_t i = 0; i < n; i++) {
      unsigned cur = rem * 256 + num[i];
      num[i] = (uint8_t)(cur / 58);
      rem = cur % 58;
      if (num[i])
        zero = false;
    }
    rev[o++] = a[rem];
    if (zero)
      break;
  }
  while (o > 0 && rev[o - 1] == '1')
    o--; /* the last division's zero digits are not digits */
  size_t k = 0;
  for (size_t i = 0; i < lead; i++)
    out[k++] = '1';
  while (o > 0)
    out[k++] = rev[--o];
  out[k] = 0;
  return k;
}

/* A token that stands for bytes (a Solana CLI keypair: its 64 bytes as a
 * decimal list): found as those bytes raw, in hex, base64 and base58,
 * and as Python prints the list; nothing derived from other values. */
static void test_derived(void) {
  char hello[32];
  b58((const uint8_t *)"Hello World!", 12, hello);
  CHECK(strcmp(hello, "2NEpo7TZRRrLZSi2U") == 0, "b58 vector: %s", hello);

  uint8_t key[64];
  uint32_t x = 777;
  for (size_t i = 0; i < sizeof(key); i++) {
    x = x * 1103515245u + 12345u;
    key[i] = (uint8_t)(x >> 16);
  }
  key[0] = 0; /* a leading zero byte is a leading '1' in base58 */
  key[5] = 255;
  char list[400], spaced[500];
  size_t o = 0, so = 0;
  for (size_t i = 0; i < sizeof(key); i++) {
    o += (size_t)sprintf(list + o, i ? ",%u" : "%u", key[i]);
    so += (size_t)sprintf(spaced + so, i ? ", %u" : "%u", key[i]);
  }
  pt_tok_scanner *s = scanner();
  CHECK(pt_tok_add(s, "sol", list) == 0, "add list");
  size_t before = pt_tok_count(s);
  CHECK(pt_tok_add_derived(s, "sol", list) == 0, "derive");
  CHECK(pt_tok_count(s) == before + 2, "bytes and spaced list added");
  CHECK(pt_tok_add_derived(s, "plain", toks[GITHUB].value) == 0 &&
            pt_tok_count(s) == before + 2,
        "nothing derived from a text token");
  CHECK(pt_tok_add_derived(s, "odd", "0123456789abcdef0123456789abcdef0") == 0 &&
            pt_tok_add_derived(s, "shorthex", "0123456789abcdef") == 0 &&
            pt_tok_add_derived(s, "0x", "0x23456789abcdef0123456789abcdef") == 0 &&
            pt_tok_count(s) == before + 2,
        "not hex keys: odd, short, prefixed");
  CHECK(pt_tok_add_derived(s, "big", "1,2,3,4,5,6,7,8,9,10,11,256") == 0 &&
            pt_tok_add_derived(s, "short", "1,2,3") == 0 &&
            pt_tok_add_derived(s, "junk", "1,2,3,4,5,6,7,8,9,10,11,12x") == 0 &&
            pt_tok_count(s) == before + 2,
        "not byte lists");

  char buf[2048], enc[1024];
  pt_tok_match m[8];
  size_t n;
  /* hex, lower and upper; base64 inside JSON; base58 in a header. */
  size_t el = hexenc(key, sizeof(key), false, enc);
  o = (size_t)snprintf(buf, sizeof(buf), "k=%.*s&", (int)el, enc);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) >= 1 && strcmp(m[0].id, "sol") == 0 &&
            strcmp(m[0].encoding, "hex") == 0,
        "hex of the bytes");
  el = hexenc(key, sizeof(key), true, enc);
  o = (size_t)snprintf(buf, sizeof(buf), "K=%.*s", (int)el, enc);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) >= 1 && strcmp(m[0].encoding, "hex") == 0,
        "HEX of the bytes");
  for (size_t pre = 0; pre < 3; pre++) {
    uint8_t in[80];
    memcpy(in, "ab", pre);
    memcpy(in + pre, key, sizeof(key));
    el = b64(in, pre + sizeof(key), false, true, enc);
    o = (size_t)snprintf(buf, sizeof(buf), "{\"k\":\"%s\"}", enc);
    CHECK(pt_tok_scan(s, buf, o, m, 8, &n) >= 1 &&
              strcmp(m[0].id, "sol") == 0 && strcmp(m[0].encoding, "base64") == 0,
          "base64 of the bytes at %zu", pre);
  }
  el = b58(key, sizeof(key), enc);
  CHECK(enc[0] == '1' && enc[1] != '1', "one leading 1: %s", enc);
  o = (size_t)snprintf(buf, sizeof(buf), "x-amz-cf-id: %s\r\n", enc);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) == 1 && strcmp(m[0].encoding, "base58") == 0 &&
            m[0].offset == 13 && m[0].length == el,
        "base58 of the bytes");
  /* The bytes themselves, in a binary stream. */
  memcpy(buf, "\x00\x01", 2);
  memcpy(buf + 2, key, sizeof(key));
  CHECK(pt_tok_scan(s, buf, 2 + sizeof(key), m, 8, &n) >= 1 &&
            strcmp(m[0].encoding, "raw") == 0,
        "raw bytes");
  /* Python's print of the list, and the file's own form. */
  o = (size_t)snprintf(buf, sizeof(buf), "[%s]", spaced);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) == 1 && strcmp(m[0].id, "sol") == 0,
        "spaced list");
  o = (size_t)snprintf(buf, sizeof(buf), "[%s]", list);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) == 1, "list as written");
  /* A changed byte: no base58 or hex match. */
  key[40] ^= 1;
  el = b58(key, sizeof(key), enc);
  CHECK(nmatches(s, enc, el) == 0, "base58 of other bytes");
  el = hexenc(key, sizeof(key), false, enc);
  CHECK(nmatches(s, enc, el) == 0, "hex of other bytes");
  pt_tok_free(s);

  /* A hex private key (a wallet's PRIVATE_KEY): also the 32 bytes it
   * spells, found base58'd and base64'd as Solana and Bitcoin code sends
   * a secret key. */
  s = scanner();
  char hexkey[65];
  hexenc(key, 32, false, hexkey);
  hexkey[64] = '\0';
  CHECK(pt_tok_add(s, "wallet", hexkey) == 0, "add hex key");
  before = pt_tok_count(s);
  CHECK(pt_tok_add_derived(s, "wallet", hexkey) == 0 &&
            pt_tok_count(s) == before + 1,
        "its bytes added");
  el = b58(key, 32, enc);
  o = (size_t)snprintf(buf, sizeof(buf), "{\"sk\":\"%.*s\"}", (int)el, enc);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) == 1 && strcmp(m[0].id, "wallet") == 0 &&
            strcmp(m[0].encoding, "base58") == 0,
        "base58 of the key's bytes");
  el = b64(key, 32, false, true, enc);
  o = (size_t)snprintf(buf, sizeof(buf), "k=%.*s", (int)el, enc);
  CHECK(pt_tok_scan(s, buf, o, m, 8, &n) >= 1 && strcmp(m[0].id, "wallet") == 0 &&
            strcmp(m[0].encoding, "base64") == 0,
        "base64 of the key's bytes");
  pt_tok_free(s);
}

/* pt_tok_defer: the fill runs once, at the first use (a scan, a DNS scan,
 * a count), never before; a failed fill fails every later use. */
static int fills;
static int fill_toks(void *ctx, pt_tok_scanner *s) {
  (void)ctx;
  fills++;
  for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
    if (pt_tok_add(s, toks[i].id, toks[i].value) != 0)
      return -1;
  return 0;
}
static int fill_fails(void *ctx, pt_tok_scanner *s) {
  (void)ctx;
  (void)s;
  fills++;
  errno = ENOMEM;
  return -1;
}

static void test_defer(void) {
  char text[128];
  snprintf(text, sizeof(text), "secret=%s;", toks[GITHUB].value);
  pt_tok_match m[2];
  size_t n = 0;
  fills = 0;
  pt_tok_scanner *s = pt_tok_new();
  pt_tok_defer(s, fill_toks, NULL);
  CHECK(fills == 0, "no fill before a use");
  CHECK(pt_tok_scan(s, text, strlen(text), m, 2, &n) == 1 && n == 1 &&
            strcmp(m[0].id, "github") == 0,
        "the first scan fills, then finds");
  CHECK(pt_tok_scan(s, text, strlen(text), m, 2, &n) == 1 && fills == 1,
        "filled once (%d)", fills);
  CHECK(pt_tok_count(s) == sizeof(toks) / sizeof(toks[0]), "count");
  pt_tok_free(s);

  fills = 0;
  s = pt_tok_new();
  pt_tok_defer(s, fill_toks, NULL);
  CHECK(pt_tok_count(s) == sizeof(toks) / sizeof(toks[0]) && fills == 1,
        "a count fills");
  pt_tok_free(s);

  fills = 0;
  s = pt_tok_new();
  pt_tok_defer(s, fill_toks, NULL);
  char dns[160];
  snprintf(dns, sizeof(dns), "%s.exfil.test", toks[NPM].value);
  for (char *c = dns; *c; c++)
    if (*c == '_')
      *c = '-';
  n = 0;
  CHECK(pt_tok_scan_dnsname(s, dns, strlen(dns), m, 2, &n) >= 0 && fills == 1,
        "a DNS scan fills");
  pt_tok_free(s);

  fills = 0;
  s = pt_tok_new();
  pt_tok_defer(s, fill_fails, NULL);
  errno = 0;
  CHECK(pt_tok_scan(s, text, strlen(text), m, 2, &n) == -1 && errno == ENOMEM,
        "a failed fill fails the scan");
  errno = 0;
  CHECK(pt_tok_scan(s, text, strlen(text), m, 2, &n) == -1 && errno == ENOMEM &&
            fills == 1,
        "and every later one, without filling again");
  CHECK(pt_tok_index(s) == -1, "index fails too");
  pt_tok_free(s);

  CHECK(pt_tok_acceptable("id", "0123456789ab") &&
            !pt_tok_acceptable("id", "0123456789a") &&
            !pt_tok_acceptable(NULL, "0123456789ab") &&
            !pt_tok_acceptable("id", NULL),
        "acceptable");
}

static void bench(void) {
  pt_tok_scanner *s = pt_tok_new();
  for (int i = 0; i < 50; i++) {
    char id[16], v[48];
    snprintf(id, sizeof(id), "b%d", i);
    snprintf(v, sizeof(v), "ghp_%02dR8fK2pLm9QzX4vT7bN1cW5yH3jD6sA0eU2", i);
    pt_tok_add(s, id, v);
  }
  static uint8_t buf[1 << 16];
  uint32_t x = 7;
  for (size_t i = 0; i < sizeof(buf); i++) {
    x = x * 1103515245u + 12345u;
    /* printable text with '%' and newlines so every view is built */
    buf[i] = (uint8_t)(0x20 + (x >> 16) % 95);
    if (i % 80 == 79)
      buf[i] = '\n';
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int reps = 100;
  for (int r = 0; r < reps; r++)
    nmatches(s, buf, sizeof(buf));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("tokscan: 50 tokens, 64 KiB text: %.3f ms per scan (%.0f MB/s)\n", ms / reps,
         (double)sizeof(buf) * reps / (ms / 1e3) / 1e6);
  pt_tok_match m[4];
  size_t n;
  pt_tok_scan_xor(s, buf, sizeof(buf), m, 4, &n); /* its needles made */
  clock_gettime(CLOCK_MONOTONIC, &t0);
  reps = 10;
  for (int r = 0; r < reps; r++)
    pt_tok_scan_xor(s, buf, sizeof(buf), m, 4, &n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  printf("tokscan: the same, under XOR (keys of 1..%d bytes): %.3f ms per scan\n",
         PT_TOK_XOR_MAX_KEY, ms / reps);
  pt_tok_free(s);
}

/* ---- pt_tok_scan_nested with PT_TOK_NEST_INFLATE ------------------------ */

struct nested_seen {
  char enc[8][96];
  const char *id[8];
  int n;
};

static void nested_hit(void *ctx, const pt_tok_match *m, const char *enc) {
  struct nested_seen *ns = ctx;
  if (ns->n < 8) {
    ns->id[ns->n] = m->id;
    snprintf(ns->enc[ns->n], sizeof(ns->enc[0]), "%s", enc);
    ns->n++;
  }
}

/* Was token t reported with exactly this encoding path? */
static bool nested_finds(const pt_tok_scanner *s, const void *buf, size_t len,
                         unsigned flags, int t, const char *enc) {
  struct nested_seen ns = {0};
  pt_tok_scan_nested(s, buf, len, 8, flags, nested_hit, &ns);
  for (int i = 0; i < ns.n; i++)
    if (strcmp(ns.id[i], toks[t].id) == 0 && strcmp(ns.enc[i], enc) == 0)
      return true;
  return false;
}

/* deflate in[0..n) with zlib's own encoder: wbits 15 zlib, 31 gzip, -15
 * raw; level 0 stores (the token's bytes then show through). */
static size_t zpack(const void *in, size_t n, int wbits, int level,
                    uint8_t *out, size_t cap) {
  z_stream z = {0};
  if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    return 0;
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  size_t got = cap - z.avail_out;
  deflateEnd(&z);
  return rc == Z_STREAM_END ? got : 0;
}

static void test_nested_inflate(void) {
  pt_tok_scanner *s = scanner();
  char plain[512];
  int pl = snprintf(plain, sizeof(plain),
                    "{\"AWS_SECRET_ACCESS_KEY\": \"%s\", \"PATH\": "
                    "\"/usr/local/bin:/usr/bin:/bin\", \"GITHUB_TOKEN\": "
                    "\"%s\"}",
                    toks[AWS_SECRET].value, toks[GITHUB].value);
  static uint8_t z[1 << 16], buf[1 << 17];
  char text[1 << 17];

  /* A gzip upload, with an HTTP head before it. */
  size_t zl = zpack(plain, (size_t)pl, 31, 9, z, sizeof(z));
  int hl = snprintf((char *)buf, sizeof(buf),
                    "POST /u HTTP/1.1\r\nContent-Length: %zu\r\n\r\n", zl);
  memcpy(buf + hl, z, zl);
  CHECK(nested_finds(s, buf, (size_t)hl + zl, PT_TOK_NEST_INFLATE, AWS_SECRET,
                     "gzip/raw"),
        "a token in a gzip body");
  CHECK(!nested_finds(s, buf, (size_t)hl + zl, 0, AWS_SECRET, "gzip/raw"),
        "without PT_TOK_NEST_INFLATE nothing is inflated");
  /* Cut short: what came out before the cut is scanned. */
  CHECK(nested_finds(s, buf, (size_t)hl + zl - 12, PT_TOK_NEST_INFLATE,
                     AWS_SECRET, "gzip/raw"),
        "a gzip stream cut short");

  /* zlib, then base64, in a JSON field (zlib.compress + b64encode). */
  zl = zpack(plain, (size_t)pl, 15, 9, z, sizeof(z));
  CHECK(z[0] == 0x78 && z[1] == 0xda, "zlib header at level 9");
  int tl = snprintf(text, sizeof(text), "{\"d\": \"");
  tl += (int)b64(z, zl, false, true, text + tl);
  tl += snprintf(text + tl, sizeof(text) - (size_t)tl, "\"}");
  CHECK(nested_finds(s, text, (size_t)tl, PT_TOK_NEST_INFLATE, GITHUB,
                     "base64/zlib/raw"),
        "a token under base64 of zlib");
  /* A zlib stream whose header is printable text ("x^", level 2-5) only
   * where a layer begins; mid-text "x^" is no stream. */
  zl = zpack(plain, (size_t)pl, 15, 2, z, sizeof(z));
  CHECK(z[1] == 0x5e, "zlib header at level 2");
  CHECK(nested_finds(s, z, zl, PT_TOK_NEST_INFLATE, AWS_SECRET, "zlib/raw"),
        "a zlib body with a printable header");

  /* A zip entry stored with deflate, after a multipart head. */
  size_t dl = zpack(plain, (size_t)pl, -15, 6, z, sizeof(z));
  static const char name[] = "env.json";
  size_t at = (size_t)snprintf((char *)buf, sizeof(buf),
                               "--b\r\nContent-Type: application/zip\r\n\r\n");
  uint8_t lfh[30] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
  lfh[26] = (uint8_t)(sizeof(name) - 1);
  memcpy(buf + at, lfh, sizeof(lfh));
  memcpy(buf + at + sizeof(lfh), name, sizeof(name) - 1);
  memcpy(buf + at + sizeof(lfh) + sizeof(name) - 1, z, dl);
  CHECK(nested_finds(s, buf, at + sizeof(lfh) + sizeof(name) - 1 + dl,
                     PT_TOK_NEST_INFLATE, AWS_SECRET, "zip/raw"),
        "a token in a zip entry");

  /* What a whole stream took is not searched for headers again: a stored
   * (level 0) member full of zlib-looking bytes, then a member with the
   * token, found although the decoys outnumber the scan's 16 attempts. */
  {
    uint8_t decoys[40 * 24];
    for (size_t i = 0; i < sizeof(decoys); i += 24) {
      memset(decoys + i, 'A', 24);
      decoys[i] = 0x78;
      decoys[i + 1] = 0x9c;
    }
    size_t a = zpack(decoys, sizeof(decoys), 31, 0, buf, sizeof(buf));
    size_t b = zpack(plain, (size_t)pl, 31, 9, buf + a, sizeof(buf) - a);
    CHECK(a && b, "two members packed");
    CHECK(nested_finds(s, buf, a + b, PT_TOK_NEST_INFLATE, GITHUB, "gzip/raw"),
          "the second of two gzip members, past decoys inside the first");
  }

  /* A bomb: 8 MiB of zeros, then the token, gzipped (~8 KiB): inflating
   * stops at the scan's budget, before the token, and returns. */
  size_t big = 8u << 20;
  char *bomb = calloc(1, big + (size_t)pl);
  uint8_t *bz = malloc(1 << 16);
  CHECK(bomb && bz, "memory");
  if (bomb && bz) {
    memcpy(bomb + big, plain, (size_t)pl);
    size_t bl = zpack(bomb, big + (size_t)pl, 31, 9, bz, 1 << 16);
    CHECK(bl > 0 && bl < (1 << 16), "bomb packed (%zu bytes)", bl);
    CHECK(!nested_finds(s, bz, bl, PT_TOK_NEST_INFLATE, AWS_SECRET,
                        "gzip/raw"),
          "a bomb is inflated no further than the budget");
  }
  free(bomb);
  free(bz);

  /* Garbage that looks like headers everywhere: no crash, nothing found. */
  for (size_t i = 0; i < sizeof(buf); i++)
    buf[i] = (uint8_t)((i % 3 == 0) ? 0x1f : (i % 3 == 1) ? 0x8b : 8);
  CHECK(!nested_finds(s, buf, sizeof(buf), PT_TOK_NEST_INFLATE, AWS_SECRET,
                      "gzip/raw"),
        "gzip magic everywhere");
  pt_tok_free(s);
}

/* Wrapped base64 over a compressed layer: a tar.gz mailed as an
 * attachment (MIME: 76 columns, CRLF) or PEM-style (64 columns, LF). The
 * run goes on across the line breaks, or the gzip member inside comes
 * out in 57-byte pieces that do not inflate. A line of padding ends a
 * run: the blob after it decodes on its own. */
static void test_nested_wrapped(void) {
  pt_tok_scanner *s = scanner();
  char plain[512];
  int pl = snprintf(plain, sizeof(plain),
                    "[default]\naws_access_key_id = AKIA0000\n"
                    "aws_secret_access_key = %s\n",
                    toks[AWS_SECRET].value);
  static uint8_t z[4096];
  static char enc[8192], buf[16384];
  size_t zl = zpack(plain, (size_t)pl, 31, 9, z, sizeof(z));
  size_t el = b64(z, zl, false, true, enc);
  static const struct {
    size_t width;
    const char *eol;
  } wraps[] = {{76, "\r\n"}, {64, "\n"}};
  for (size_t w = 0; w < 2; w++) {
    size_t o = (size_t)snprintf(buf, sizeof(buf),
                                "Content-Transfer-Encoding: base64\r\n\r\n");
    for (size_t i = 0; i < el; i++) {
      if (i && i % wraps[w].width == 0)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", wraps[w].eol);
      buf[o++] = enc[i];
    }
    o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s--b--\r\n",
                          wraps[w].eol);
    CHECK(zl > 100 && nested_finds(s, buf, o, PT_TOK_NEST_INFLATE, AWS_SECRET,
                                   "base64/gzip/raw"),
          "a gzip member in base64 wrapped at %zu columns", wraps[w].width);
  }
  /* "QUFBQUFBQUFBQUFBQUFBQQ==" (padded) then, on the next line, the
   * base64 of a token's JSON: found under base64 as it is alone. */
  char json[256], b[512];
  int jl = snprintf(json, sizeof(json), "{\"k\": \"%s\", \"pad\": 1}",
                    toks[GITHUB].value);
  size_t bl = b64((const uint8_t *)json, (size_t)jl, false, true, b);
  int n = snprintf(buf, sizeof(buf), "QUFBQUFBQUFBQUFBQUFBQQ==\n%.*s\n",
                   (int)bl, b);
  CHECK(nested_finds(s, buf, (size_t)n, 0, GITHUB, "base64") ||
            nested_finds(s, buf, (size_t)n, 0, GITHUB, "base64/raw"),
        "a blob after a padded line decodes on its own");
  pt_tok_free(s);
}

/* XOR with repeating keys of 1, 5 and 32 bytes (a byte, a word, a
 * SHA-256 digest), at odd offsets, in a binary frame; the key is not
 * known to the scanner. */
static int xor_count(const pt_tok_scanner *s, const uint8_t *buf, size_t len,
                     int t, size_t *off) {
  pt_tok_match m[32];
  size_t n = 0;
  int found = 0;
  if (pt_tok_scan_xor(s, buf, len, m, 32, &n) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].id, toks[t].id) == 0 && strcmp(m[i].encoding, "xor") == 0) {
      found++;
      if (off)
        *off = m[i].offset;
    }
  return found;
}

static void test_xor(void) {
  pt_tok_scanner *s = scanner();
  static uint8_t buf[4096];
  srand(7);
  const size_t keylens[] = {1, 5, 32};
  for (size_t kl = 0; kl < 3; kl++) {
    uint8_t key[32];
    for (size_t i = 0; i < keylens[kl]; i++)
      key[i] = (uint8_t)(rand() % 255 + 1);
    for (size_t i = 0; i < sizeof(buf); i++)
      buf[i] = (uint8_t)rand();
    /* A k-byte key needs a value of k + PT_TOK_XOR_MIN_NEEDLE bytes. */
    int t = keylens[kl] < 32 ? GITHUB : PYPI;
    char plain[256];
    int pl = snprintf(plain, sizeof(plain), "{\"token\": \"%s\", \"id\": 7}",
                      toks[t].value);
    size_t at = 333 + kl; /* the key's phase need not be 0 there */
    for (int i = 0; i < pl; i++)
      buf[at + (size_t)i] = (uint8_t)plain[i] ^ key[(size_t)i % keylens[kl]];
    size_t off = 0;
    CHECK(xor_count(s, buf, sizeof(buf), t, &off) == 1,
          "xor key of %zu bytes", keylens[kl]);
    CHECK(off == at + 11, "xor offset %zu, want %zu", off, at + 11);
    CHECK(nested_finds(s, buf, sizeof(buf), PT_TOK_NEST_XOR, t, "xor"),
          "nested xor, key of %zu", keylens[kl]);
    CHECK(!nested_finds(s, buf, sizeof(buf), 0, t, "xor"),
          "no xor without PT_TOK_NEST_XOR");
  }
  /* A key longer than the value leaves too little: not found. */
  for (size_t i = 0; i < 40; i++)
    buf[100 + i] = (uint8_t)toks[GITHUB].value[i] ^ (uint8_t)(i * 7 + 1);
  CHECK(xor_count(s, buf, sizeof(buf), GITHUB, NULL) == 0,
        "a 40-byte key over a 40-byte value");
  /* The plain value is pt_tok_scan's (the all-zero key): no xor match. */
  char text[256];
  int tl = snprintf(text, sizeof(text), "token=%s&x=1", toks[NPM].value);
  CHECK(xor_count(s, (const uint8_t *)text, (size_t)tl, NPM, NULL) == 0,
        "the plain value is no xor");
  /* Under base64: XOR, then base64 (a common pair). */
  uint8_t x[128];
  size_t vl = strlen(toks[AWS_SECRET].value);
  for (size_t i = 0; i < vl; i++)
    x[i] = (uint8_t)toks[AWS_SECRET].value[i] ^ (uint8_t)"k3y"[i % 3];
  char b[256];
  size_t bl = b64(x, vl, false, true, b);
  char body[512];
  int bdl = snprintf(body, sizeof(body), "data=%.*s", (int)bl, b);
  CHECK(nested_finds(s, body, (size_t)bdl, PT_TOK_NEST_XOR, AWS_SECRET,
                     "base64/xor"),
        "xor under base64");
  /* Random data: nothing, over 64 KiB. */
  static uint8_t rnd[1 << 16];
  for (size_t i = 0; i < sizeof(rnd); i++)
    rnd[i] = (uint8_t)rand();
  pt_tok_match m[8];
  size_t n = 0;
  CHECK(pt_tok_scan_xor(s, rnd, sizeof(rnd), m, 8, &n) == 0,
        "random data: %zu xor matches", n);
  /* Text too: a repetitive JSON log (low-entropy deltas). */
  static char log[1 << 15];
  size_t ll = 0;
  while (ll + 80 < sizeof(log))
    ll += (size_t)snprintf(log + ll, sizeof(log) - ll,
                           "{\"level\":\"info\",\"msg\":\"request %zu done\"}\n",
                           ll);
  CHECK(pt_tok_scan_xor(s, log, ll, m, 8, &n) == 0, "text: %zu matches", n);
  pt_tok_free(s);
  /* A value that repeats itself has flat deltas: zero padding (an NTP
   * packet's) is no XOR of it. */
  pt_tok_scanner *r = pt_tok_new();
  CHECK(pt_tok_add(r, "rep", "abababababababababababab") == 0, "add rep");
  static uint8_t pad[512];
  CHECK(pt_tok_scan_xor(r, pad, sizeof(pad), m, 8, &n) == 0,
        "zero padding: %zu matches", n);
  pt_tok_free(r);
}

int main(void) {
  test_encodings();
  test_xor();
  test_urlenc();
  test_dns();
  test_near_misses();
  test_api();
  test_derived();
  test_defer();
  test_nested_inflate();
  test_nested_wrapped();
  bench();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("tokscan: ok\n");
  return 0;
}
