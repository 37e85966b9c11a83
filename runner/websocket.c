/* WebSocket handshake answer and frame unmasking (websocket.h). */
#include "websocket.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pt_util.h"

/* ---- SHA-1 ----------------------------------------------------------- */

static uint32_t rol32(uint32_t x, unsigned n) {
  return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 80; i++)
    w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    uint32_t t = rol32(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rol32(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

void pt_sha1(const void *data, size_t len, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                   0xc3d2e1f0};
  const uint8_t *p = data;
  size_t left = len;
  for (; left >= 64; p += 64, left -= 64)
    sha1_block(h, p);
  /* The tail, 0x80, zeros, and the length in bits (big-endian). */
  uint8_t last[128] = {0};
  memcpy(last, p, left);
  last[left] = 0x80;
  size_t n = left + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++)
    last[n - 1 - i] = (uint8_t)(bits >> (8 * i));
  sha1_block(h, last);
  if (n == 128)
    sha1_block(h, last + 64);
  for (int i = 0; i < 5; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8);
    out[4 * i + 3] = (uint8_t)h[i];
  }
}

/* ---- the handshake ---------------------------------------------------- */

/* A comma-separated header value holds token (any case). */
static bool list_has(pt_http_slice v, const char *token) {
  size_t tl = strlen(token), i = 0;
  while (i < v.len) {
    while (i < v.len && (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == ','))
      i++;
    size_t s = i;
    while (i < v.len && v.p[i] != ',')
      i++;
    size_t e = i;
    while (e > s && (v.p[e - 1] == ' ' || v.p[e - 1] == '\t'))
      e--;
    if (e - s == tl && strncasecmp(v.p + s, token, tl) == 0)
      return true;
  }
  return false;
}

bool pt_ws_is_upgrade(const pt_http_req *r, pt_http_slice *key) {
  if (r->method.len != 3 || memcmp(r->method.p, "GET", 3) != 0)
    return false;
  const pt_http_header *up = pt_http_find(r, "upgrade");
  const pt_http_header *k = pt_http_find(r, "sec-websocket-key");
  if (up == NULL || k == NULL || !list_has(up->value, "websocket") ||
      k->value.len == 0 || k->value.len > PT_WS_KEY_MAX)
    return false;
  *key = k->value;
  return true;
}

int pt_ws_write_accept(pt_http_slice key, char *out, size_t cap) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  char joined[PT_WS_KEY_MAX + sizeof(guid)];
  if (key.len > PT_WS_KEY_MAX)
    return -1;
  memcpy(joined, key.p, key.len);
  memcpy(joined + key.len, guid, sizeof(guid) - 1);
  uint8_t digest[20];
  pt_sha1(joined, key.len + sizeof(guid) - 1, digest);
  char accept[PT_BASE64_LEN(20) + 1];
  pt_base64(digest, sizeof(digest), false, accept);
  int n = snprintf(out, cap,
                   "HTTP/1.1 101 Switching Protocols\r\n"
                   "Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\n\r\n",
                   accept);
  return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* ---- frames ------------------------------------------------------------ */

size_t pt_ws_unmask(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                    pt_ws_info *info) {
  memset(info, 0, sizeof(*info));
  size_t pos = 0, n = 0;
  while (pos < len) {
    if (len - pos < 2) {
      info->truncated = true;
      break;
    }
    uint8_t b0 = in[pos], b1 = in[pos + 1];
    unsigned op = b0 & 0x0f;
    /* 3-7 and 11-15 are reserved; a client must mask (§5.1). */
    if ((op > 2 && op < 8) || op > 10 || !(b1 & 0x80)) {
      info->malformed = true;
      break;
    }
    size_t hl = 2;
    uint64_t plen = b1 & 0x7f;
    if (plen >= 126) {
      size_t ext = plen == 126 ? 2 : 8;
      if (len - pos < hl + ext) {
        info->truncated = true;
        break;
      }
      plen = 0;
      for (size_t i = 0; i < ext; i++)
        plen = plen << 8 | in[pos + hl + i];
      hl += ext;
    }
    if (len - pos < hl + 4) {
      info->truncated = true;
      break;
    }
    const uint8_t *mask = in + pos + hl;
    hl += 4;
    info->frames++;
    size_t avail = len - pos - hl;
    size_t take = plen < avail ? (size_t)plen : avail;
    if (op <= 2) {
      info->data_frames++;
      const uint8_t *pl = in + pos + hl;
      for (size_t i = 0; i < take && n < cap; i++)
        out[n++] = pl[i] ^ mask[i & 3];
    } else if (op == 8 && take == plen) {
      info->saw_close = true;
    }
    if (take < plen) {
      info->truncated = true;
      break;
    }
    pos += hl + take;
  }
  return n;
}
