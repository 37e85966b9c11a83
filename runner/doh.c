/* DNS over HTTPS requests and answers (doh.h). */
#define _GNU_SOURCE
#include "doh.h"

#include "b64.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsmsg.h"

static bool slice_is(pt_http_slice s, const char *lit) {
  size_t l = strlen(lit);
  return s.p && s.len == l && strncasecmp(s.p, lit, l) == 0;
}

static bool slice_starts(pt_http_slice s, const char *lit) {
  size_t l = strlen(lit);
  return s.p && s.len >= l && strncasecmp(s.p, lit, l) == 0;
}

/* The value of query parameter `key` in target, still %-encoded. */
static pt_http_slice param(pt_http_slice target, const char *key) {
  pt_http_slice none = {NULL, 0};
  const char *q = memchr(target.p, '?', target.len);
  if (q == NULL)
    return none;
  const char *end = target.p + target.len;
  size_t kl = strlen(key);
  for (const char *p = q + 1; p < end;) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    if ((size_t)(stop - p) > kl && p[kl] == '=' && memcmp(p, key, kl) == 0)
      return (pt_http_slice){p + kl + 1, (size_t)(stop - p - kl - 1)};
    p = stop + 1;
  }
  return none;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = (char)(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %-decoding of a parameter (and '+' as a space, as forms send it); 0
 * when it does not fit (a name longer than any DNS name). */
static size_t unescape(pt_http_slice s, char *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.len; i++) {
    if (n + 1 >= cap) {
      out[0] = '\0';
      return 0;
    }
    char c = s.p[i];
    if (c == '%' && i + 2 < s.len && hexval(s.p[i + 1]) >= 0 &&
        hexval(s.p[i + 2]) >= 0) {
      c = (char)(hexval(s.p[i + 1]) * 16 + hexval(s.p[i + 2]));
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    out[n++] = c;
  }
  out[n] = '\0';
  return n;
}

/* base64url without padding (RFC 8484 §4.1), padding and the standard
 * alphabet tolerated. By hand: the jail links no base64 decoder (libcrypto
 * is loaded only on demand, runner/dlib.h). -1 on a bad character or
 * when out is too small. */
static long b64url_decode(pt_http_slice s, uint8_t *out, size_t cap) {
  uint32_t acc = 0;
  unsigned bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < s.len; i++) {
    int v = pt_b64_value((unsigned char)s.p[i]);
    if (v < 0 && s.p[i] == '=')
      break;
    if (v < 0)
      return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == cap)
        return -1;
      out[n++] = (uint8_t)(acc >> bits);
    }
  }
  return (long)n;
}

static const struct {
  const char *name;
  uint16_t type;
} types[] = {{"A", 1},     {"NS", 2},   {"CNAME", 5}, {"SOA", 6},
             {"PTR", 12},  {"MX", 15},  {"TXT", 16},  {"AAAA", 28},
             {"SRV", 33},  {"SVCB", 64}, {"HTTPS", 65}, {"CAA", 257},
             {"ANY", 255}};

static long qtype_of(const char *t) {
  if (*t == '\0')
    return PT_DNS_TYPE_A; /* the APIs' default */
  char *end;
  unsigned long v = strtoul(t, &end, 10);
  if (*end == '\0' && end != t)
    return v <= 65535 ? (long)v : -1;
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (strcasecmp(t, types[i].name) == 0)
      return types[i].type;
  return -1;
}

/* A query for name (dotted, a final dot allowed) and type: header with
 * id 0 and RD, one question of class IN. */
static long build_query(const char *name, uint16_t type, uint8_t *q,
                        size_t cap) {
  if (cap < 12 + PT_DNS_NAME_WIRE_MAX + 4)
    return -1;
  memset(q, 0, 12);
  q[2] = 0x01; /* RD */
  q[5] = 1;    /* QDCOUNT */
  size_t at = 12, nl = strlen(name);
  if (nl > 0 && name[nl - 1] == '.')
    nl--;
  for (size_t i = 0; i < nl;) {
    const char *dot = memchr(name + i, '.', nl - i);
    size_t ll = dot ? (size_t)(dot - (name + i)) : nl - i;
    if (ll == 0 || ll > PT_DNS_LABEL_MAX ||
        at - 12 + 1 + ll + 1 > PT_DNS_NAME_WIRE_MAX)
      return -1;
    q[at++] = (uint8_t)ll;
    memcpy(q + at, name + i, ll);
    at += ll;
    i += ll + 1;
  }
  q[at++] = 0;
  q[at++] = (uint8_t)(type >> 8);
  q[at++] = (uint8_t)type;
  q[at++] = 0;
  q[at++] = PT_DNS_CLASS_IN;
  return (long)at;
}

pt_doh_kind pt_doh_request(const pt_http_req *r, const uint8_t *buf,
                           size_t len, uint8_t *q, size_t cap, size_t *qlen) {
  *qlen = 0;
  if (r->target.p == NULL || !r->headers_complete)
    return PT_DOH_NONE;
  const char *qm = memchr(r->target.p, '?', r->target.len);
  pt_http_slice path = {r->target.p,
                        qm ? (size_t)(qm - r->target.p) : r->target.len};
  /* An absolute form (a proxy's) ends with the same path. */
  bool doh_path = false;
  static const char *const paths[] = {"/dns-query", "/resolve", "/dns-json"};
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    size_t pl = strlen(paths[i]);
    doh_path |= path.len >= pl &&
                strncasecmp(path.p + path.len - pl, paths[i], pl) == 0;
  }
  bool wire_body = slice_starts(r->content_type, "application/dns-message");
  if (slice_is(r->method, "POST") && wire_body) {
    /* RFC 8484 §4.1: the query is the body. */
    size_t n = pt_http_body(r, buf, len, q, cap, NULL);
    if (n < 12)
      return PT_DOH_NONE;
    *qlen = n;
    return PT_DOH_WIRE;
  }
  if (!slice_is(r->method, "GET") || !doh_path)
    return PT_DOH_NONE;
  pt_http_slice dns = param(r->target, "dns");
  if (dns.p) {
    long n = b64url_decode(dns, q, cap);
    if (n < 12)
      return PT_DOH_NONE;
    *qlen = (size_t)n;
    return PT_DOH_WIRE;
  }
  pt_http_slice name = param(r->target, "name");
  if (name.p == NULL)
    return PT_DOH_NONE;
  char text[PT_DNS_NAME_TEXT_MAX + 2], type[16];
  if (unescape(name, text, sizeof(text)) == 0)
    return PT_DOH_NONE;
  pt_http_slice t = param(r->target, "type");
  type[0] = '\0';
  if (t.p && t.len > 0 && unescape(t, type, sizeof(type)) == 0)
    return PT_DOH_NONE;
  long qt = qtype_of(type);
  long n = qt < 0 ? -1 : build_query(text, (uint16_t)qt, q, cap);
  if (n < 0)
    return PT_DOH_NONE;
  *qlen = (size_t)n;
  return PT_DOH_JSON;
}

/* ---- the JSON form of an answer ---------------------------------------- */

static uint16_t u16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The name at *at in msg, dotted with a final dot ("." for the root),
 * into out; *at moves past it (not past what a pointer leads to). false
 * on anything malformed. */
static bool read_name(const uint8_t *msg, size_t mlen, size_t *at, char *out,
                      size_t cap) {
  size_t pos = *at, n = 0;
  bool jumped = false;
  int hops = 0;
  for (;;) {
    if (pos >= mlen || cap < 2)
      return false;
    uint8_t l = msg[pos];
    if ((l & 0xc0) == 0xc0) {
      if (pos + 1 >= mlen || ++hops > PT_DNS_MAX_HOPS)
        return false;
      if (!jumped)
        *at = pos + 2;
      jumped = true;
      pos = (size_t)((l & 0x3f) << 8 | msg[pos + 1]);
      continue;
    }
    if (l & 0xc0)
      return false;
    if (l == 0) {
      if (!jumped)
        *at = pos + 1;
      if (n == 0)
        out[n++] = '.';
      out[n] = '\0';
      return true;
    }
    if (pos + 1 + l > mlen || n + l + 2 > cap)
      return false;
    memcpy(out + n, msg + pos + 1, l);
    n += l;
    out[n++] = '.';
    pos += 1u + l;
  }
}

static json_t *text_of(const char *s) {
  /* A name of the sample's may be any bytes: JSON wants UTF-8. */
  json_t *j = json_string(s);
  if (j)
    return j;
  char esc[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_escape(s, strlen(s), esc, sizeof(esc));
  return json_string(esc);
}

static json_t *rdata_json(const uint8_t *msg, size_t mlen, size_t at,
                          uint16_t type, uint16_t rdlen) {
  const uint8_t *rd = msg + at;
  char buf[PT_DNS_NAME_TEXT_MAX + 512];
  if (type == PT_DNS_TYPE_A && rdlen == 4) {
    inet_ntop(AF_INET, rd, buf, sizeof(buf));
    return json_string(buf);
  }
  if (type == PT_DNS_TYPE_AAAA && rdlen == 16) {
    inet_ntop(AF_INET6, rd, buf, sizeof(buf));
    return json_string(buf);
  }
  if (type == PT_DNS_TYPE_TXT && rdlen >= 1 && rd[0] + 1u <= rdlen) {
    /* Google's form: the character-string in double quotes. */
    size_t l = rd[0];
    buf[0] = '"';
    memcpy(buf + 1, rd + 1, l);
    buf[l + 1] = '"';
    buf[l + 2] = '\0';
    return text_of(buf);
  }
  if (type == PT_DNS_TYPE_MX && rdlen >= 3) {
    size_t p = at + 2;
    int n = snprintf(buf, sizeof(buf), "%u ", u16(rd));
    if (read_name(msg, mlen, &p, buf + n, sizeof(buf) - (size_t)n))
      return text_of(buf);
  }
  return NULL;
}

int pt_doh_write_response(pt_doh_kind kind, const uint8_t *msg, size_t mlen,
                          char *out, size_t cap) {
  if (kind == PT_DOH_WIRE) {
    int h = snprintf(out, cap,
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/dns-message\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: max-age=60\r\n"
                     "Connection: close\r\n\r\n",
                     mlen);
    if (h < 0 || (size_t)h + mlen > cap)
      return -1;
    memcpy(out + h, msg, mlen);
    return h + (int)mlen;
  }
  if (kind != PT_DOH_JSON || mlen < 12)
    return -1;
  unsigned qd = u16(msg + 4), an = u16(msg + 6);
  size_t at = 12;
  char qname[PT_DNS_NAME_TEXT_MAX + 2];
  if (qd != 1 || !read_name(msg, mlen, &at, qname, sizeof(qname)) ||
      at + 4 > mlen)
    return -1;
  uint16_t qtype = u16(msg + at);
  at += 4;
  json_t *o = json_pack("{s:i,s:b,s:b,s:b,s:b,s:b}", "Status", msg[3] & 0x0f,
                        "TC", (msg[2] & 0x02) != 0, "RD", (msg[2] & 0x01) != 0,
                        "RA", (msg[3] & 0x80) != 0, "AD", 0, "CD", 0);
  json_t *qs = json_array(), *as = json_array();
  if (o == NULL || qs == NULL || as == NULL) {
    json_decref(o), json_decref(qs), json_decref(as);
    return -1;
  }
  json_array_append_new(qs, json_pack("{s:o,s:i}", "name", text_of(qname),
                                      "type", qtype));
  json_object_set_new(o, "Question", qs);
  for (unsigned i = 0; i < an && i < 16; i++) {
    char name[PT_DNS_NAME_TEXT_MAX + 2];
    if (!read_name(msg, mlen, &at, name, sizeof(name)) || at + 10 > mlen)
      break;
    uint16_t type = u16(msg + at), rdlen = u16(msg + at + 8);
    uint32_t ttl = (uint32_t)u16(msg + at + 4) << 16 | u16(msg + at + 6);
    at += 10;
    if (at + rdlen > mlen)
      break;
    json_t *data = rdata_json(msg, mlen, at, type, rdlen);
    at += rdlen;
    if (data)
      json_array_append_new(as, json_pack("{s:o,s:i,s:I,s:o}", "name",
                                          text_of(name), "type", type, "TTL",
                                          (json_int_t)ttl, "data", data));
  }
  if (json_array_size(as) > 0)
    json_object_set_new(o, "Answer", as);
  else
    json_decref(as);
  char *body = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (body == NULL)
    return -1;
  size_t bl = strlen(body);
  int h = snprintf(out, cap,
                   "HTTP/1.1 200 OK\r\n"
                   "Content-Type: application/dns-json\r\n"
                   "Content-Length: %zu\r\n"
                   "Cache-Control: max-age=60\r\n"
                   "Connection: close\r\n\r\n",
                   bl);
  int rc = -1;
  if (h >= 0 && (size_t)h + bl <= cap) {
    memcpy(out + h, body, bl);
    rc = h + (int)bl;
  }
  free(body);
  return rc;
}
