/* DNS query parsing and answer building for the fake resolver.
 *
 * The input is whatever a detonated package sent to port 53, so it is
 * treated as hostile: the header is checked against the length, names are
 * decoded with a bounded loop (label and name limits of RFC 1035, at most
 * PT_DNS_MAX_HOPS compression pointers, each strictly backwards, so no
 * loops and no forward references into bytes we have not validated). */
#include "dnsmsg.h"

#include <string.h>

#define HDR_LEN 12
#define FLAG_QR 0x8000u
#define FLAG_AA 0x0400u
#define FLAG_TC 0x0200u
#define FLAG_RD 0x0100u
#define FLAG_RA 0x0080u
#define OPCODE_MASK 0x7800u
#define DEFAULT_TTL 60
#define DEFAULT_TXT "v=spf1 -all"

const char *pt_dns_status_str(pt_dns_status st) {
  switch (st) {
  case PT_DNS_OK:
    return "ok";
  case PT_DNS_NEED_MORE:
    return "need-more";
  case PT_DNS_TRUNCATED:
    return "truncated";
  case PT_DNS_NOT_QUERY:
    return "not-query";
  case PT_DNS_NO_QUESTION:
    return "no-question";
  case PT_DNS_BAD_NAME:
    return "bad-name";
  }
  return "?";
}

static uint16_t rd16(const uint8_t *p) {
  return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* Decode the name starting at *pos into q->wire/q->name. On success *pos
 * is the offset just after the name in the original (uncompressed) stream:
 * after the first pointer if there was one, else after the root byte. */
static pt_dns_status parse_name(const uint8_t *msg, size_t len, size_t *pos,
                                pt_dns_query *q) {
  size_t p = *pos;
  size_t end = 0; /* where the name ends in the stream; 0 = not yet known */
  size_t wl = 0, tl = 0;
  unsigned hops = 0;
  q->nlabels = 0;

  /* Each iteration consumes a label or a pointer, and the output grows by
   * at least one byte per label; with the 255-byte cap and the hop limit
   * the loop is bounded. */
  for (;;) {
    if (p >= len)
      return PT_DNS_TRUNCATED;
    uint8_t b = msg[p];
    if ((b & 0xC0) == 0xC0) {
      if (p + 1 >= len)
        return PT_DNS_TRUNCATED;
      size_t target = ((size_t)(b & 0x3F) << 8) | msg[p + 1];
      /* Only backwards, and never into the header: together with the hop
       * cap this rules out loops and reads of unvalidated bytes. */
      if (target >= p || target < HDR_LEN || ++hops > PT_DNS_MAX_HOPS)
        return PT_DNS_BAD_NAME;
      if (end == 0)
        end = p + 2;
      p = target;
      continue;
    }
    if ((b & 0xC0) != 0) /* 0x40 extended label, 0x80 reserved */
      return PT_DNS_BAD_NAME;
    if (b == 0) {
      if (wl + 1 > PT_DNS_NAME_WIRE_MAX)
        return PT_DNS_BAD_NAME;
      q->wire[wl++] = 0;
      if (end == 0)
        end = p + 1;
      break;
    }
    /* b <= 63 here because the top two bits are clear. */
    if (p + 1 + b > len)
      return PT_DNS_TRUNCATED;
    /* Room for this label and at least the root byte after it. */
    if (wl + 1 + b + 1 > PT_DNS_NAME_WIRE_MAX)
      return PT_DNS_BAD_NAME;
    q->wire[wl++] = b;
    memcpy(q->wire + wl, msg + p + 1, b);
    wl += b;
    /* Text: a dot before every label but the first. wire <= 255 means
     * text <= 254 chars, so it always fits PT_DNS_NAME_TEXT_MAX. */
    if (tl > 0)
      q->name[tl++] = '.';
    memcpy(q->name + tl, msg + p + 1, b);
    tl += b;
    q->nlabels++;
    p += 1 + (size_t)b;
  }
  if (tl == 0)
    q->name[tl++] = '.';
  q->name[tl] = '\0';
  q->name_len = tl;
  q->wire_len = wl;
  *pos = end;
  return PT_DNS_OK;
}

pt_dns_status pt_dns_parse_query(const uint8_t *msg, size_t len,
                                 pt_dns_query *q) {
  memset(q, 0, sizeof(*q));
  if (msg == NULL || len < HDR_LEN)
    return PT_DNS_TRUNCATED;
  q->id = rd16(msg);
  q->flags = rd16(msg + 2);
  q->qdcount = rd16(msg + 4);
  q->ancount = rd16(msg + 6);
  q->nscount = rd16(msg + 8);
  q->arcount = rd16(msg + 10);
  /* A response sent to our resolver is either a reflection trick or junk;
   * answering it could start a loop between two fake resolvers. */
  if ((q->flags & FLAG_QR) || (q->flags & OPCODE_MASK) != 0)
    return PT_DNS_NOT_QUERY;
  if (q->qdcount == 0)
    return PT_DNS_NO_QUESTION;
  size_t pos = HDR_LEN;
  pt_dns_status st = parse_name(msg, len, &pos, q);
  if (st != PT_DNS_OK)
    return st;
  if (pos + 4 > len)
    return PT_DNS_TRUNCATED;
  q->qtype = rd16(msg + pos);
  q->qclass = rd16(msg + pos + 2);
  q->question_end = pos + 4;
  return PT_DNS_OK;
}

pt_dns_status pt_dns_tcp_frame(const uint8_t *buf, size_t len,
                               const uint8_t **msg, size_t *msg_len,
                               size_t *consumed) {
  *msg = NULL;
  *msg_len = 0;
  *consumed = 0;
  if (len < 2)
    return PT_DNS_NEED_MORE;
  size_t n = rd16(buf);
  if (n == 0) {
    *consumed = 2; /* skip it, the stream stays in sync */
    return PT_DNS_TRUNCATED;
  }
  if (len - 2 < n)
    return PT_DNS_NEED_MORE;
  *msg = buf + 2;
  *msg_len = n;
  *consumed = 2 + n;
  return PT_DNS_OK;
}

/* Append-only writer with a hard limit; once something does not fit, ok
 * turns false and further writes are dropped. */
typedef struct wbuf {
  uint8_t *p;
  size_t len, lim;
  bool ok;
} wbuf;

static uint8_t *wb_reserve(wbuf *w, size_t n) {
  if (!w->ok || w->lim - w->len < n) {
    w->ok = false;
    return NULL;
  }
  uint8_t *at = w->p + w->len;
  w->len += n;
  return at;
}

static void wb_put(wbuf *w, const void *data, size_t n) {
  uint8_t *at = wb_reserve(w, n);
  if (at)
    memcpy(at, data, n);
}

static void wb_u16(wbuf *w, uint16_t v) {
  uint8_t *at = wb_reserve(w, 2);
  if (at)
    wr16(at, v);
}

static void wb_u32(wbuf *w, uint32_t v) {
  uint8_t *at = wb_reserve(w, 4);
  if (at)
    wr32(at, v);
}

/* Owner name of every answer: a pointer to the question name at offset 12
 * of the message (RFC 1035 4.1.4). */
static void wb_rr_head(wbuf *w, uint16_t type, uint32_t ttl) {
  wb_u16(w, 0xC000 | HDR_LEN);
  wb_u16(w, type);
  wb_u16(w, PT_DNS_CLASS_IN);
  wb_u32(w, ttl);
}

/* Append the answer records; returns how many were written, with w->ok
 * false if they did not fit. */
static unsigned write_answers(wbuf *w, const pt_dns_query *q,
                              const pt_dns_answer_cfg *cfg) {
  uint32_t ttl = cfg->ttl ? cfg->ttl : DEFAULT_TTL;
  if (q->qclass != PT_DNS_CLASS_IN && q->qclass != PT_DNS_TYPE_ANY)
    return 0;
  switch (q->qtype) {
  case PT_DNS_TYPE_A:
  case PT_DNS_TYPE_ANY:
    wb_rr_head(w, PT_DNS_TYPE_A, ttl);
    wb_u16(w, 4);
    wb_put(w, cfg->ipv4, 4);
    return 1;
  case PT_DNS_TYPE_AAAA:
    wb_rr_head(w, PT_DNS_TYPE_AAAA, ttl);
    wb_u16(w, 16);
    wb_put(w, cfg->ipv6, 16);
    return 1;
  case PT_DNS_TYPE_TXT: {
    const char *txt = cfg->txt ? cfg->txt : DEFAULT_TXT;
    size_t n = strlen(txt);
    if (n > 255)
      n = 255; /* one character-string holds at most 255 bytes */
    wb_rr_head(w, PT_DNS_TYPE_TXT, ttl);
    wb_u16(w, (uint16_t)(n + 1));
    uint8_t l = (uint8_t)n;
    wb_put(w, &l, 1);
    wb_put(w, txt, n);
    return 1;
  }
  case PT_DNS_TYPE_MX: {
    /* "mail" + pointer to the question name; skip it when the result would
     * exceed the 255-byte name limit (a resolver would reject it). */
    static const uint8_t mail[5] = {4, 'm', 'a', 'i', 'l'};
    if (q->wire_len + sizeof(mail) > PT_DNS_NAME_WIRE_MAX)
      return 0;
    wb_rr_head(w, PT_DNS_TYPE_MX, ttl);
    wb_u16(w, 2 + sizeof(mail) + 2);
    wb_u16(w, 10);
    wb_put(w, mail, sizeof(mail));
    wb_u16(w, 0xC000 | HDR_LEN);
    return 1;
  }
  default:
    /* CNAME, NS, SOA, PTR, ...: NOERROR/NODATA is enough to keep most
     * clients going and cannot be turned into a redirection loop. */
    return 0;
  }
}

int pt_dns_build_response(const pt_dns_query *q, const pt_dns_answer_cfg *cfg,
                          bool tcp, uint8_t *out, size_t cap,
                          size_t *out_len) {
  *out_len = 0;
  if (q == NULL || cfg == NULL || out == NULL || q->wire_len == 0 ||
      q->wire_len > PT_DNS_NAME_WIRE_MAX)
    return -1;
  size_t pre = tcp ? 2 : 0;
  if (cap < pre)
    return -1;
  size_t lim = tcp ? 65535 : PT_DNS_UDP_MAX;
  if (lim > cap - pre)
    lim = cap - pre;
  wbuf w = {.p = out + pre, .len = 0, .lim = lim, .ok = true};

  uint16_t flags = FLAG_QR | FLAG_AA | FLAG_RA | (q->flags & (OPCODE_MASK | FLAG_RD));
  wb_u16(&w, q->id);
  wb_u16(&w, flags);
  wb_u16(&w, 1); /* qdcount: we copy only the question we parsed */
  wb_u16(&w, 0); /* ancount, patched below */
  wb_u16(&w, 0);
  wb_u16(&w, 0);
  wb_put(&w, q->wire, q->wire_len);
  wb_u16(&w, q->qtype);
  wb_u16(&w, q->qclass);
  if (!w.ok)
    return -1;
  size_t question_end = w.len;
  unsigned an = write_answers(&w, q, cfg);
  if (!w.ok) {
    /* Does not fit: drop the answers and tell the client to retry over TCP
     * (RFC 1035 4.2.1). */
    w.ok = true;
    w.len = question_end;
    an = 0;
    wr16(w.p + 2, flags | FLAG_TC);
  }
  wr16(w.p + 6, (uint16_t)an);
  if (tcp)
    wr16(out, (uint16_t)w.len);
  *out_len = pre + w.len;
  return 0;
}

/* Append one byte to out in master-file escaped form; returns false when
 * out is full (the NUL always fits). */
static bool esc_byte(uint8_t c, bool in_label, char *out, size_t cap,
                     size_t *o) {
  char tmp[5];
  size_t n;
  if (c == '\\' || (in_label && c == '.')) {
    tmp[0] = '\\';
    tmp[1] = (char)c;
    n = 2;
  } else if (c >= 0x21 && c <= 0x7e) {
    tmp[0] = (char)c;
    n = 1;
  } else {
    tmp[0] = '\\';
    tmp[1] = (char)('0' + c / 100);
    tmp[2] = (char)('0' + c / 10 % 10);
    tmp[3] = (char)('0' + c % 10);
    n = 4;
  }
  if (*o + n + 1 > cap)
    return false;
  memcpy(out + *o, tmp, n);
  *o += n;
  return true;
}

size_t pt_dns_escape(const void *bytes, size_t len, char *out, size_t cap) {
  const uint8_t *b = bytes;
  size_t o = 0;
  if (cap == 0)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (!esc_byte(b[i], false, out, cap, &o))
      break;
  out[o] = '\0';
  return o;
}

size_t pt_dns_name_printable(const pt_dns_query *q, char *out, size_t cap) {
  size_t o = 0;
  if (cap == 0)
    return 0;
  out[0] = '\0';
  size_t p = 0;
  bool first = true;
  /* Walk the uncompressed wire copy: label boundaries are unambiguous
   * there, unlike in q->name. */
  while (p < q->wire_len && p < PT_DNS_NAME_WIRE_MAX) {
    size_t l = q->wire[p];
    if (l == 0 || p + 1 + l > q->wire_len)
      break;
    if (!first) {
      if (o + 2 > cap)
        break;
      out[o++] = '.';
    }
    first = false;
    for (size_t i = 0; i < l; i++)
      if (!esc_byte(q->wire[p + 1 + i], true, out, cap, &o))
        goto done;
    p += 1 + l;
  }
  if (first && cap >= 2)
    out[o++] = '.';
done:
  out[o] = '\0';
  return o;
}
