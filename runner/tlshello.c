/* ClientHello parsing (RFC 8446 4.1.2, RFC 6066 3, RFC 7301 3.1).
 *
 * Bytes come from a detonated sample. Records are reassembled into a
 * fixed stack buffer of PT_TLS_HELLO_MAX bytes; every length field is
 * checked against what remains of its enclosing structure through a small
 * cursor that turns sticky-bad on the first overrun, so a lying length can
 * neither read past the input nor make us loop. No recursion: the format
 * nests to a fixed depth. */
#include "tlshello.h"

#include <stdio.h>
#include <string.h>

#define REC_HDR 5
#define REC_HANDSHAKE 22
#define HS_CLIENT_HELLO 1
/* RFC 8446 5.1: a plaintext record carries at most 2^14 bytes. */
#define REC_MAX (16 * 1024)

#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43

const char *pt_tls_status_str(pt_tls_status st) {
  switch (st) {
  case PT_TLS_OK:
    return "ok";
  case PT_TLS_NEED_MORE:
    return "need-more";
  case PT_TLS_NOT_TLS:
    return "not-tls";
  case PT_TLS_MALFORMED:
    return "malformed";
  }
  return "?";
}

const char *pt_tls_version_str(uint16_t v, char *out, size_t cap) {
  const char *s = NULL;
  switch (v) {
  case 0x0300:
    s = "SSL3.0";
    break;
  case 0x0301:
    s = "TLS1.0";
    break;
  case 0x0302:
    s = "TLS1.1";
    break;
  case 0x0303:
    s = "TLS1.2";
    break;
  case 0x0304:
    s = "TLS1.3";
    break;
  }
  if (s)
    snprintf(out, cap, "%s", s);
  else
    snprintf(out, cap, "0x%04x", v);
  return out;
}

/* Bounds-checked reader: any overrun sets bad and yields zeros, so parse
 * code can read a whole structure and check bad once. */
typedef struct cur {
  const uint8_t *p;
  size_t len, pos;
  bool bad;
} cur;

static bool need(cur *c, size_t n) {
  if (c->bad || c->len - c->pos < n) {
    c->bad = true;
    return false;
  }
  return true;
}

static unsigned get8(cur *c) { return need(c, 1) ? c->p[c->pos++] : 0; }

static unsigned get16(cur *c) {
  if (!need(c, 2))
    return 0;
  unsigned v = (unsigned)c->p[c->pos] << 8 | c->p[c->pos + 1];
  c->pos += 2;
  return v;
}

static void skip(cur *c, size_t n) {
  if (need(c, n))
    c->pos += n;
}

/* A child cursor over the next n bytes; the parent skips past them. */
static cur sub(cur *c, size_t n) {
  cur s = {.p = NULL, .len = 0, .pos = 0, .bad = true};
  if (need(c, n)) {
    s = (cur){.p = c->p + c->pos, .len = n, .pos = 0, .bad = false};
    c->pos += n;
  }
  return s;
}

static bool at_end(const cur *c) { return !c->bad && c->pos == c->len; }

/* RFC 8701 GREASE values (0x0a0a, 0x1a1a, ...) are noise by design. */
static bool is_grease(unsigned v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

static bool parse_sni(cur e, pt_tls_hello *h) {
  cur list = sub(&e, get16(&e));
  if (!at_end(&e))
    return false;
  while (!list.bad && list.pos < list.len) {
    unsigned type = get8(&list);
    size_t n = get16(&list);
    cur name = sub(&list, n);
    if (name.bad)
      return false;
    /* host_name (0) is the only type defined; take the first one. */
    if (type == 0 && !h->has_sni) {
      size_t keep = n > PT_TLS_SNI_MAX ? PT_TLS_SNI_MAX : n;
      memcpy(h->sni, name.p, keep);
      h->sni[keep] = '\0';
      h->sni_len = keep;
      h->has_sni = true;
    }
  }
  return !list.bad;
}

static bool parse_alpn(cur e, pt_tls_hello *h) {
  cur list = sub(&e, get16(&e));
  if (!at_end(&e))
    return false;
  while (!list.bad && list.pos < list.len) {
    size_t n = get8(&list);
    cur name = sub(&list, n);
    if (name.bad || n == 0)
      return false;
    if (h->nalpn >= PT_TLS_ALPN_MAX) {
      h->alpn_dropped++;
      continue;
    }
    size_t keep = n;
    if (keep > PT_TLS_ALPN_LEN_MAX) {
      keep = PT_TLS_ALPN_LEN_MAX;
      h->alpn_dropped++;
    }
    memcpy(h->alpn[h->nalpn], name.p, keep);
    h->alpn[h->nalpn][keep] = '\0';
    h->nalpn++;
  }
  return !list.bad;
}

static bool parse_versions(cur e, pt_tls_hello *h) {
  size_t n = get8(&e);
  cur list = sub(&e, n);
  if (!at_end(&e) || n % 2 != 0)
    return false;
  while (!list.bad && list.pos < list.len) {
    unsigned v = get16(&list);
    if (is_grease(v))
      continue;
    if (h->nversions < PT_TLS_VERSIONS_MAX)
      h->versions[h->nversions++] = (uint16_t)v;
    if (v > h->max_version)
      h->max_version = (uint16_t)v;
  }
  return !list.bad;
}

/* The ClientHello body (after the 4-byte handshake header). */
static pt_tls_status parse_body(const uint8_t *p, size_t n, pt_tls_hello *h) {
  cur c = {.p = p, .len = n, .pos = 0, .bad = false};
  h->legacy_version = (uint16_t)get16(&c);
  h->max_version = h->legacy_version;
  skip(&c, 32); /* random */
  size_t sid = get8(&c);
  if (sid > 32)
    return PT_TLS_MALFORMED;
  skip(&c, sid);
  size_t cs = get16(&c);
  if (cs < 2 || cs % 2 != 0)
    return PT_TLS_MALFORMED;
  skip(&c, cs);
  h->ncipher_suites = cs / 2;
  size_t comp = get8(&c);
  if (comp < 1)
    return PT_TLS_MALFORMED;
  skip(&c, comp);
  if (c.bad)
    return PT_TLS_MALFORMED;
  if (c.pos == c.len)
    return PT_TLS_OK; /* no extensions at all (SSL3-era clients) */
  cur exts = sub(&c, get16(&c));
  if (!at_end(&c))
    return PT_TLS_MALFORMED;
  bool seen_versions = false;
  while (!exts.bad && exts.pos < exts.len) {
    unsigned type = get16(&exts);
    cur e = sub(&exts, get16(&exts));
    if (exts.bad)
      return PT_TLS_MALFORMED;
    h->nextensions++;
    bool ok = true;
    if (type == EXT_SERVER_NAME)
      ok = parse_sni(e, h);
    else if (type == EXT_ALPN)
      ok = parse_alpn(e, h);
    else if (type == EXT_SUPPORTED_VERSIONS && !seen_versions) {
      seen_versions = true;
      h->max_version = 0;
      ok = parse_versions(e, h);
      if (h->nversions == 0)
        h->max_version = h->legacy_version;
    }
    if (!ok)
      return PT_TLS_MALFORMED;
  }
  return exts.bad ? PT_TLS_MALFORMED : PT_TLS_OK;
}

pt_tls_status pt_tls_parse_client_hello(const void *buf, size_t len,
                                        pt_tls_hello *h) {
  const uint8_t *b = buf;
  memset(h, 0, sizeof(*h));
  if (b == NULL || len == 0)
    return PT_TLS_NEED_MORE;
  /* Decide NOT_TLS on as few bytes as possible: content type 22, then
   * major version 3, minor 0..4. */
  if (b[0] != REC_HANDSHAKE)
    return PT_TLS_NOT_TLS;
  if (len >= 2 && b[1] != 3)
    return PT_TLS_NOT_TLS;
  if (len >= 3 && b[2] > 4)
    return PT_TLS_NOT_TLS;

  uint8_t hs[PT_TLS_HELLO_MAX];
  size_t have = 0, want = 0; /* want: 4 + body length once known */
  size_t pos = 0, consumed = 0;
  while (want == 0 || have < want) {
    if (len - pos < REC_HDR)
      return PT_TLS_NEED_MORE;
    const uint8_t *r = b + pos;
    size_t rlen = (size_t)r[3] << 8 | r[4];
    if (r[0] != REC_HANDSHAKE || r[1] != 3 || r[2] > 4)
      return pos == 0 ? PT_TLS_NOT_TLS : PT_TLS_MALFORMED;
    /* Zero-length handshake fragments are forbidden (RFC 8446 5.1) and
     * would let a sender spin us over empty records. */
    if (rlen == 0 || rlen > REC_MAX)
      return pos == 0 ? PT_TLS_NOT_TLS : PT_TLS_MALFORMED;
    if (pos == 0)
      h->record_version = (uint16_t)(r[1] << 8 | r[2]);
    size_t avail = len - pos - REC_HDR;
    size_t take = rlen < avail ? rlen : avail;
    /* Copy at most what the hello still needs (or the header while its
     * length is unknown); bytes beyond it belong to later messages. */
    size_t room = (want ? want : PT_TLS_HELLO_MAX) - have;
    size_t n = take < room ? take : room;
    memcpy(hs + have, r + REC_HDR, n);
    have += n;
    h->nrecords++;
    if (want == 0 && have >= 4) {
      if (hs[0] != HS_CLIENT_HELLO)
        return PT_TLS_MALFORMED;
      size_t blen = (size_t)hs[1] << 16 | (size_t)hs[2] << 8 | hs[3];
      if (blen + 4 > PT_TLS_HELLO_MAX)
        return PT_TLS_MALFORMED;
      want = blen + 4;
      if (have > want)
        have = want;
    }
    if (take < rlen) {
      if (want != 0 && have >= want) {
        consumed = len; /* hello complete though its record is not */
        break;
      }
      return PT_TLS_NEED_MORE;
    }
    pos += REC_HDR + rlen;
    consumed = pos;
  }
  h->consumed = consumed;
  h->hello_len = want - 4;
  return parse_body(hs + 4, want - 4, h);
}
