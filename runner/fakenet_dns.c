/* The fake resolver: every name exists, and each name gets a sinkhole
 * address of its own (IPv4 from 198.18.0.0/15, IPv6 from 2001:db8:5ee::/48,
 * both from the same index), handed out in order and stable for the run.
 * A later connect to that address is then reported with the name: malware
 * that resolves "c2.evil.test" and connects to the answer is reported as
 * talking to c2.evil.test, which an address alone would not say.
 *
 * Names are compared case-insensitively (some resolvers randomise case,
 * "0x20 encoding") on the wire form, which is unambiguous even when a label
 * contains dots or NULs. */
#define _GNU_SOURCE
#include "fakenet_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpreq.h"
#include "pt_util.h"

const uint8_t fn_sink6_prefix[6] = {0x20, 0x01, 0x0d, 0xb8, 0x05, 0xee};

/* Every name beyond max_names shares this index (198.19.255.254,
 * 2001:db8:5ee::1:fffe): still answered, no longer attributable. */
#define FN_OVERFLOW_INDEX (FN_SINK4_SIZE - 3)
/* dns events per run; a flood of queries is counted, not recorded. */
#define FN_MAX_DNS_EVENTS 4096

int fn_names_init(struct pt_fakenet *fn) {
  size_t n = 16;
  while (n < (size_t)fn->cfg.max_names * 2)
    n *= 2;
  fn->slots = calloc(n, sizeof(*fn->slots));
  fn->names = calloc(fn->cfg.max_names, sizeof(*fn->names));
  if (fn->slots == NULL || fn->names == NULL)
    return -1;
  fn->nslots = n;
  return 0;
}

void fn_names_free(struct pt_fakenet *fn) {
  for (size_t i = 0; i < fn->nnames; i++) {
    free(fn->names[i].text);
    free(fn->names[i].wire);
  }
  free(fn->names);
  free(fn->slots);
  fn->names = NULL;
  fn->slots = NULL;
  fn->nnames = 0;
}

static uint8_t lower(uint8_t c) {
  return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* Index of q's name, adding it when new. Length bytes of the wire form are
 * <= 63, below 'A', so lowercasing the whole wire form is safe. */
static uint32_t name_index(struct pt_fakenet *fn, const pt_dns_query *q) {
  pt_dns_query lq = *q;
  for (size_t i = 0; i < lq.wire_len; i++)
    lq.wire[i] = lower(lq.wire[i]);
  for (size_t i = 0; i < lq.name_len; i++)
    lq.name[i] = (char)lower((uint8_t)lq.name[i]);
  /* The table (~100 KB) is made at the first query: most runs make none,
   * and zeroing it cost every run ~40 page faults before its jail. */
  if (fn->slots == NULL && fn_names_init(fn) < 0) {
    fn_names_free(fn);
    fn->st.names_overflow++;
    return FN_OVERFLOW_INDEX;
  }
  size_t mask = fn->nslots - 1;
  size_t h = pt_fnv1a32(lq.wire, lq.wire_len) & mask;
  for (;; h = (h + 1) & mask) {
    uint32_t v = fn->slots[h];
    if (v == 0)
      break;
    const struct fn_name *nm = &fn->names[v - 1];
    if (nm->wire_len == lq.wire_len &&
        memcmp(nm->wire, lq.wire, lq.wire_len) == 0)
      return v - 1;
  }
  if (fn->nnames >= fn->cfg.max_names) {
    fn->st.names_overflow++;
    return FN_OVERFLOW_INDEX;
  }
  char text[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_name_printable(&lq, text, sizeof(text));
  struct fn_name *nm = &fn->names[fn->nnames];
  nm->text = strdup(text);
  nm->wire = malloc(lq.wire_len ? lq.wire_len : 1);
  if (nm->text == NULL || nm->wire == NULL) {
    free(nm->text);
    free(nm->wire);
    nm->text = NULL;
    nm->wire = NULL;
    fn->st.names_overflow++;
    return FN_OVERFLOW_INDEX;
  }
  memcpy(nm->wire, lq.wire, lq.wire_len);
  nm->wire_len = lq.wire_len;
  fn->slots[h] = (uint32_t)++fn->nnames;
  return (uint32_t)(fn->nnames - 1);
}

static void sink_addrs(uint32_t idx, uint8_t v4[4], uint8_t v6[16]) {
  uint32_t a = FN_SINK4_BASE + idx + 1;
  uint32_t be = htonl(a);
  memcpy(v4, &be, 4);
  memset(v6, 0, 16);
  memcpy(v6, fn_sink6_prefix, sizeof(fn_sink6_prefix));
  uint32_t low = htonl(idx + 1);
  memcpy(v6 + 12, &low, 4);
}

/* Index an address was handed out for, or -1. */
static long sink_index(const struct sockaddr *sa, socklen_t len) {
  if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
    if (a <= FN_SINK4_BASE || a - FN_SINK4_BASE >= FN_SINK4_SIZE)
      return -1;
    return (long)(a - FN_SINK4_BASE - 1);
  }
  if (sa->sa_family == AF_INET6 &&
      len >= (socklen_t)sizeof(struct sockaddr_in6)) {
    const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)b)) {
      struct sockaddr_in v4 = {.sin_family = AF_INET};
      memcpy(&v4.sin_addr, b + 12, 4);
      return sink_index((const struct sockaddr *)&v4, sizeof(v4));
    }
    static const uint8_t zero[6];
    if (memcmp(b, fn_sink6_prefix, 6) != 0 || memcmp(b + 6, zero, 6) != 0)
      return -1;
    uint32_t low;
    memcpy(&low, b + 12, 4);
    low = ntohl(low);
    if (low == 0)
      return -1;
    return (long)low - 1;
  }
  return -1;
}

const char *pt_fakenet_name_for(const pt_fakenet *fn,
                                const struct sockaddr *addr, socklen_t len) {
  if (fn == NULL || addr == NULL)
    return NULL;
  long idx = sink_index(addr, len);
  if (idx < 0 || (size_t)idx >= fn->nnames)
    return NULL;
  return fn->names[idx].text;
}

static const char *qtype_str(uint16_t t, char *buf, size_t cap) {
  switch (t) {
  case PT_DNS_TYPE_A: return "A";
  case PT_DNS_TYPE_NS: return "NS";
  case PT_DNS_TYPE_CNAME: return "CNAME";
  case PT_DNS_TYPE_SOA: return "SOA";
  case PT_DNS_TYPE_PTR: return "PTR";
  case PT_DNS_TYPE_MX: return "MX";
  case PT_DNS_TYPE_TXT: return "TXT";
  case PT_DNS_TYPE_AAAA: return "AAAA";
  case PT_DNS_TYPE_ANY: return "ANY";
  case 33: return "SRV";
  case 64: return "SVCB";
  case 65: return "HTTPS";
  default:
    snprintf(buf, cap, "TYPE%u", t);
    return buf;
  }
}

static void dns_tokens(struct pt_fakenet *fn, pid_t pid, const pt_dns_query *q,
                       const char *printable) {
  if (fn->cfg.tokens == NULL)
    return;
  pt_tok_match m[32];
  size_t n = 0;
  if (pt_tok_scan_dnsname(fn->cfg.tokens, q->name, q->name_len, m,
                          PT_ARRAY_LEN(m), &n) <= 0)
    return;
  unsigned emitted = 0;
  for (size_t i = 0; i < n && emitted < FN_MAX_TOKEN_EVENTS; i++) {
    bool seen = false;
    for (size_t k = 0; k < i && !seen; k++)
      seen = strcmp(m[k].id, m[i].id) == 0 &&
             strcmp(m[k].encoding, m[i].encoding) == 0;
    if (seen)
      continue;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "token", m[i].id, "encoding",
                          m[i].encoding, "where", "dns", "name", printable);
    if (o)
      pt_events_emit(fn->cfg.events, pid, fn_token_kind(m[i].id), o);
    emitted++;
  }
}

/* The TXT answer in triage: base64 of code that creates the session's
 * canary and is both Python and JavaScript (to Python line 1 runs and
 * the rest is a string; to JavaScript line 1 is `0` and a comment). A
 * stage loader that resolves TXT records, decodes them and runs the text
 * (exec, eval, new Function: C2 over DNS) then shows as the canary's
 * creation, as for an HTTP stub (httpreq.h). Without a canary, or when
 * the code's base64 does not fit one character-string (a canary of more
 * than ~40 bytes), the default SPF-style text. */
static const char *txt_stub(const struct pt_fakenet *fn, char *out,
                            size_t cap) {
  const char *c = fn->cfg.canary;
  if (c == NULL || !pt_http_canary_ok(c))
    return NULL;
  char code[320];
  int n = snprintf(code, sizeof(code),
                   "0//1;exec(\"try:open('%1$s','a')\\nexcept:0\");\"\"\"\n"
                   "try{(typeof require<\"u\"?require:process.mainModule."
                   "require)(\"fs\").appendFileSync(\"%1$s\",\"\")}"
                   "catch(e){}//\"\"\"\n",
                   c);
  if (n < 0 || (size_t)n >= sizeof(code) ||
      PT_BASE64_LEN((size_t)n) >= cap || PT_BASE64_LEN((size_t)n) > 255)
    return NULL;
  pt_base64(code, (size_t)n, false, out);
  return out;
}

size_t fn_dns_answer(struct pt_fakenet *fn, const uint8_t *msg, size_t len,
                     enum fn_dns_via via, const struct sockaddr *dst,
                     socklen_t dlen, uint8_t *out, size_t cap) {
  bool tcp = via == FN_DNS_TCP;
  const char *proto = via == FN_DNS_DOH ? "doh" : tcp ? "tcp" : "udp";
  fn->st.dns_queries++;
  bool record = fn->st.dns_queries <= FN_MAX_DNS_EVENTS;
  pid_t pid = fn_who(fn, via == FN_DNS_UDP ? IPPROTO_UDP : IPPROTO_TCP, dst,
                     dlen);
  char server[INET6_ADDRSTRLEN];
  uint16_t port;
  const char *fam = fn_addr_str(dst, server, sizeof(server), &port);
  pt_dns_query q;
  pt_dns_status st = pt_dns_parse_query(msg, len, &q);
  if (st != PT_DNS_OK) {
    /* Not answered (a resolver drops what it cannot parse), but shown:
     * a hand-made DNS packet carrying data is worth seeing. */
    if (record) {
      json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o}", "error",
                            pt_dns_status_str(st), "proto", proto,
                            "family", fam, "server", server, "bytes",
                            (json_int_t)len, "excerpt",
                            pt_json_bytes(msg, len, FN_EXCERPT_MAX));
      if (o)
        pt_events_emit(fn->cfg.events, pid, "dns", o);
    }
    return 0;
  }
  pt_dns_answer_cfg acfg = {0};
  bool addr_type = q.qtype == PT_DNS_TYPE_A || q.qtype == PT_DNS_TYPE_AAAA ||
                   q.qtype == PT_DNS_TYPE_ANY;
  uint32_t idx = FN_OVERFLOW_INDEX;
  if (addr_type && q.qclass == PT_DNS_CLASS_IN)
    idx = name_index(fn, &q);
  sink_addrs(idx, acfg.ipv4, acfg.ipv6);
  char txt[PT_BASE64_LEN(320) + 1];
  if (q.qtype == PT_DNS_TYPE_TXT)
    acfg.txt = txt_stub(fn, txt, sizeof(txt));
  size_t olen = 0;
  if (pt_dns_build_response(&q, &acfg, tcp, out, cap, &olen) < 0)
    olen = 0;
  if (!record)
    return olen;
  char printable[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_name_printable(&q, printable, sizeof(printable));
  char ans[INET6_ADDRSTRLEN];
  json_t *answer = json_null();
  if (addr_type && q.qclass == PT_DNS_CLASS_IN) {
    if (q.qtype == PT_DNS_TYPE_AAAA)
      inet_ntop(AF_INET6, acfg.ipv6, ans, sizeof(ans));
    else
      inet_ntop(AF_INET, acfg.ipv4, ans, sizeof(ans));
    answer = json_string(ans);
  }
  char tbuf[16];
  json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:s,s:s}", "name", printable, "qtype",
                        qtype_str(q.qtype, tbuf, sizeof(tbuf)), "answer",
                        answer, "proto", proto, "family", fam,
                        "server", server);
  if (o)
    pt_events_emit(fn->cfg.events, pid, "dns", o);
  dns_tokens(fn, pid, &q, printable);
  return olen;
}
