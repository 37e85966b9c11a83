/* Tests for runner/websocket.c: SHA-1 against FIPS 180 vectors, the 101
 * answer against RFC 6455's own example, which requests count as an
 * upgrade, and frame unmasking (RFC 6455 §5.7's examples, fragments, the
 * 16- and 64-bit lengths, a cut frame, an unmasked frame, close). */
#include "websocket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void hex(const uint8_t *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha1(void) {
  static const struct {
    const char *in, *want;
  } v[] = {
      {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
      /* 64 bytes: the padding goes into a block of its own. */
      {"0123456789012345678901234567890123456789012345678901234567890123",
       "cf0800f7644ace3cb4c3fa33388d3ba0ea3c8b6e"},
  };
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    uint8_t d[20];
    char h[41];
    pt_sha1(v[i].in, strlen(v[i].in), d);
    hex(d, 20, h);
    CHECK(strcmp(h, v[i].want) == 0, "sha1(%s) = %s", v[i].in, h);
  }
}

static void test_upgrade(void) {
  static const char req[] =
      "GET /chat HTTP/1.1\r\nHost: server.example.test\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  pt_http_req r;
  CHECK(pt_http_parse(req, sizeof(req) - 1, &r) == PT_HTTP_COMPLETE, "parse");
  pt_http_slice key;
  CHECK(pt_ws_is_upgrade(&r, &key), "an upgrade");
  char out[PT_WS_ACCEPT_MAX];
  int n = pt_ws_write_accept(key, out, sizeof(out));
  CHECK(n > 0 && strstr(out, "HTTP/1.1 101 ") == out, "101: %s", out);
  CHECK(strstr(out, "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
                    "\r\n") != NULL,
        "RFC 6455's accept value: %s", out);
  CHECK(pt_ws_write_accept(key, out, 40) < 0, "no room");

  static const char *not_up[] = {
      "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n",
      "GET / HTTP/1.1\r\nUpgrade: h2c\r\nSec-WebSocket-Key: x\r\n\r\n",
      "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
      /* One request, split for width (parentheses: not two elements). */
      ("POST / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Key: x\r\n"
       "Content-Length: 0\r\n\r\n"),
  };
  for (size_t i = 0; i < sizeof(not_up) / sizeof(not_up[0]); i++) {
    CHECK(pt_http_parse(not_up[i], strlen(not_up[i]), &r) == PT_HTTP_COMPLETE,
          "parse %zu", i);
    CHECK(!pt_ws_is_upgrade(&r, &key), "not an upgrade: %s", not_up[i]);
  }
  static const char listed[] =
      "GET / HTTP/1.1\r\nupgrade: foo/1,  WebSocket \r\n"
      "sec-websocket-key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n";
  CHECK(pt_http_parse(listed, sizeof(listed) - 1, &r) == PT_HTTP_COMPLETE,
        "parse listed");
  CHECK(pt_ws_is_upgrade(&r, &key) && key.len == 24, "listed, any case");
}

/* A masked client frame of payload p into out; returns its length. */
static size_t frame(uint8_t *out, unsigned fin_op, const char *p, size_t n,
                    const uint8_t mask[4]) {
  size_t h = 0;
  out[h++] = (uint8_t)fin_op;
  if (n < 126) {
    out[h++] = (uint8_t)(0x80 | n);
  } else if (n < 65536) {
    out[h++] = 0x80 | 126;
    out[h++] = (uint8_t)(n >> 8);
    out[h++] = (uint8_t)n;
  } else {
    out[h++] = 0x80 | 127;
    for (int i = 7; i >= 0; i--)
      out[h++] = (uint8_t)((uint64_t)n >> (8 * i));
  }
  memcpy(out + h, mask, 4);
  h += 4;
  for (size_t i = 0; i < n; i++)
    out[h + i] = (uint8_t)p[i] ^ mask[i & 3];
  return h + n;
}

static void test_frames(void) {
  /* RFC 6455 §5.7: a single-frame masked text message "Hello". */
  static const uint8_t hello[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f,
                                  0x9f, 0x4d, 0x51, 0x58};
  uint8_t out[200000];
  pt_ws_info wi;
  size_t n = pt_ws_unmask(hello, sizeof(hello), out, sizeof(out), &wi);
  CHECK(n == 5 && memcmp(out, "Hello", 5) == 0 && wi.frames == 1 &&
            !wi.truncated && !wi.malformed,
        "hello: %zu", n);

  /* A token split across a fragment, a ping between, then close. */
  static const uint8_t m1[4] = {1, 2, 3, 4}, m2[4] = {0xaa, 0, 0x55, 9};
  uint8_t *in = malloc(140000);
  size_t len = 0;
  len += frame(in + len, 0x01, "AKIAEXAMP", 9, m1);
  len += frame(in + len, 0x89, "ping", 4, m2);
  len += frame(in + len, 0x80, "LE123", 5, m2);
  len += frame(in + len, 0x88, "\x03\xe8", 2, m1);
  n = pt_ws_unmask(in, len, out, sizeof(out), &wi);
  CHECK(n == 14 && memcmp(out, "AKIAEXAMPLE123", 14) == 0, "joined: %zu", n);
  CHECK(wi.frames == 4 && wi.data_frames == 2 && wi.saw_close, "info");
  n = pt_ws_unmask(in, len, NULL, 0, &wi);
  CHECK(n == 0 && wi.saw_close, "info only");

  /* 16- and 64-bit lengths. */
  char *big = malloc(70000);
  memset(big, 'x', 70000);
  memcpy(big + 69990, "SECRETTAIL", 10);
  len = frame(in, 0x82, big, 300, m2);
  len += frame(in + len, 0x82, big, 70000, m1);
  n = pt_ws_unmask(in, len, out, sizeof(out), &wi);
  CHECK(n == 70300 && memcmp(out + 70290, "SECRETTAIL", 10) == 0 &&
            wi.frames == 2 && !wi.truncated,
        "long: %zu", n);
  /* Cut by the capture cap: what is there, flagged. */
  n = pt_ws_unmask(in, len - 10, out, sizeof(out), &wi);
  CHECK(n == 70290 && wi.truncated, "cut: %zu", n);
  /* out smaller than the payloads. */
  n = pt_ws_unmask(in, len, out, 100, &wi);
  CHECK(n == 100 && wi.frames == 2, "capped out: %zu", n);
  /* A header cut inside its extended length. */
  n = pt_ws_unmask(in, 3, out, sizeof(out), &wi);
  CHECK(n == 0 && wi.truncated && wi.frames == 0, "cut header");

  /* Unmasked (a server's frame) and reserved opcodes stop the walk. */
  static const uint8_t bare[] = {0x81, 0x02, 'h', 'i'};
  n = pt_ws_unmask(bare, sizeof(bare), out, sizeof(out), &wi);
  CHECK(n == 0 && wi.malformed, "unmasked");
  len = frame(in, 0x81, "ok", 2, m1);
  len += frame(in + len, 0x83, "no", 2, m1);
  n = pt_ws_unmask(in, len, out, sizeof(out), &wi);
  CHECK(n == 2 && wi.malformed && wi.frames == 1, "reserved opcode");
  free(big);
  free(in);
}

int main(void) {
  test_sha1();
  test_upgrade();
  test_frames();
  return failures != 0;
}
