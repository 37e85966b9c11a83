/* Table-driven tests for runner/dnsmsg.c: query parsing (labels,
 * compression, limits, truncation), answer building for each type, TCP
 * framing, printable names. */
#include "dnsmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Build a query for a dotted name (no escapes; labels as given). */
static size_t make_query(uint8_t *out, uint16_t id, uint16_t flags, const char *name,
                         uint16_t qtype, uint16_t qclass) {
  size_t o = 0;
  out[o++] = (uint8_t)(id >> 8);
  out[o++] = (uint8_t)id;
  out[o++] = (uint8_t)(flags >> 8);
  out[o++] = (uint8_t)flags;
  static const uint8_t counts[8] = {0, 1, 0, 0, 0, 0, 0, 0};
  memcpy(out + o, counts, 8);
  o += 8;
  const char *p = name;
  while (*p && strcmp(p, ".") != 0) {
    const char *dot = strchr(p, '.');
    size_t l = dot ? (size_t)(dot - p) : strlen(p);
    out[o++] = (uint8_t)l;
    memcpy(out + o, p, l);
    o += l;
    p += l + (dot ? 1 : 0);
  }
  out[o++] = 0;
  out[o++] = (uint8_t)(qtype >> 8);
  out[o++] = (uint8_t)qtype;
  out[o++] = (uint8_t)(qclass >> 8);
  out[o++] = (uint8_t)qclass;
  return o;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Decode a (trusted: our own output) possibly compressed name. */
static size_t read_name(const uint8_t *m, size_t len, size_t pos, char *out) {
  size_t o = 0, end = 0;
  int hops = 0;
  for (;;) {
    if (pos >= len || hops > 10)
      return 0;
    uint8_t l = m[pos];
    if ((l & 0xC0) == 0xC0) {
      if (!end)
        end = pos + 2;
      pos = (size_t)(l & 0x3F) << 8 | m[pos + 1];
      hops++;
      continue;
    }
    if (l == 0) {
      if (!end)
        end = pos + 1;
      break;
    }
    if (o)
      out[o++] = '.';
    memcpy(out + o, m + pos + 1, l);
    o += l;
    pos += 1 + (size_t)l;
  }
  out[o] = 0;
  return end;
}

static void test_types(void) {
  static const struct {
    const char *name;
    uint16_t qtype, qclass;
    int ancount;
    uint16_t atype;
    const char *rdata; /* expected rdata, as text for MX/TXT */
  } cases[] = {
      {"evil.example.test", PT_DNS_TYPE_A, 1, 1, PT_DNS_TYPE_A, NULL},
      {"Mixed.CASE.test", PT_DNS_TYPE_AAAA, 1, 1, PT_DNS_TYPE_AAAA, NULL},
      {"_dmarc.x.test", PT_DNS_TYPE_TXT, 1, 1, PT_DNS_TYPE_TXT, "v=spf1 -all"},
      {"x.test", PT_DNS_TYPE_MX, 1, 1, PT_DNS_TYPE_MX, "mail.x.test"},
      {"alias.test", PT_DNS_TYPE_CNAME, 1, 0, 0, NULL},
      {"x.test", PT_DNS_TYPE_NS, 1, 0, 0, NULL},
      {"x.test", PT_DNS_TYPE_ANY, 1, 1, PT_DNS_TYPE_A, NULL},
      {"version.bind", PT_DNS_TYPE_TXT, 3 /* CH */, 0, 0, NULL},
      {".", PT_DNS_TYPE_A, 1, 1, PT_DNS_TYPE_A, NULL},
      {".", PT_DNS_TYPE_MX, 1, 1, PT_DNS_TYPE_MX, "mail"},
  };
  pt_dns_answer_cfg cfg = {.ipv4 = {192, 0, 2, 7}, .ipv6 = {0x20, 0x01, 0x0d, 0xb8, [15] = 7}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    uint8_t msg[600], resp[600];
    size_t n = make_query(msg, (uint16_t)(0x1234 + i), 0x0100 /* RD */, cases[i].name,
                          cases[i].qtype, cases[i].qclass);
    pt_dns_query q;
    pt_dns_status st = pt_dns_parse_query(msg, n, &q);
    CHECK(st == PT_DNS_OK, "case %zu: %s", i, pt_dns_status_str(st));
    CHECK(q.name_len == strlen(cases[i].name) && memcmp(q.name, cases[i].name, q.name_len) == 0,
          "case %zu: name %s", i, q.name);
    CHECK(q.qtype == cases[i].qtype && q.qclass == cases[i].qclass, "case %zu", i);
    CHECK(q.question_end == n, "case %zu: end %zu vs %zu", i, q.question_end, n);
    size_t rl;
    CHECK(pt_dns_build_response(&q, &cfg, false, resp, sizeof(resp), &rl) == 0, "case %zu", i);
    CHECK(rl <= PT_DNS_UDP_MAX, "case %zu", i);
    CHECK(rd16(resp) == 0x1234 + i, "case %zu: id", i);
    uint16_t fl = rd16(resp + 2);
    CHECK((fl & 0x8000) && (fl & 0x0100) && (fl & 0x0400) && (fl & 0x000F) == 0 && !(fl & 0x0200),
          "case %zu: flags %04x", i, fl);
    CHECK(rd16(resp + 4) == 1, "case %zu: qdcount", i);
    CHECK(rd16(resp + 6) == cases[i].ancount, "case %zu: ancount %u", i, rd16(resp + 6));
    /* The question is copied verbatim. */
    CHECK(memcmp(resp + 12, msg + 12, n - 12) == 0, "case %zu: question", i);
    if (cases[i].ancount == 0) {
      CHECK(rl == n, "case %zu: len %zu", i, rl);
      continue;
    }
    char nm[300];
    size_t p = read_name(resp, rl, n, nm);
    const char *want_owner = strcmp(cases[i].name, ".") == 0 ? "" : cases[i].name;
    CHECK(p && strcmp(nm, want_owner) == 0, "case %zu: owner %s", i, nm);
    CHECK(rd16(resp + p) == cases[i].atype, "case %zu: type", i);
    CHECK(rd16(resp + p + 2) == 1, "case %zu: class", i);
    CHECK(rd16(resp + p + 4) == 0 && rd16(resp + p + 6) == 60, "case %zu: ttl", i);
    size_t rdl = rd16(resp + p + 8);
    const uint8_t *rd = resp + p + 10;
    CHECK(p + 10 + rdl == rl, "case %zu: rdlength %zu", i, rdl);
    switch (cases[i].atype) {
    case PT_DNS_TYPE_A:
      CHECK(rdl == 4 && memcmp(rd, cfg.ipv4, 4) == 0, "case %zu", i);
      break;
    case PT_DNS_TYPE_AAAA:
      CHECK(rdl == 16 && memcmp(rd, cfg.ipv6, 16) == 0, "case %zu", i);
      break;
    case PT_DNS_TYPE_TXT:
      CHECK(rdl == 1 + strlen(cases[i].rdata) && rd[0] == rdl - 1 &&
                memcmp(rd + 1, cases[i].rdata, rd[0]) == 0,
            "case %zu", i);
      break;
    case PT_DNS_TYPE_MX:
      CHECK(rd16(rd) == 10, "case %zu: pref", i);
      CHECK(read_name(resp, rl, (size_t)(rd - resp) + 2, nm) && strcmp(nm, cases[i].rdata) == 0,
            "case %zu: mx %s", i, nm);
      break;
    }
  }
}

/* Raw messages: header (id 0xabcd, RD, qdcount 1) + question bytes. */
#define HDR 0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0

static void test_bad(void) {
  static const uint8_t self_ptr[] = {HDR, 0xC0, 12, 0, 1, 0, 1};
  static const uint8_t loop[] = {HDR, 1, 'a', 0xC0, 12, 0, 1, 0, 1};
  static const uint8_t fwd[] = {HDR, 0xC0, 16, 0, 1, 0, 1, 1, 'a', 0};
  static const uint8_t into_hdr[] = {HDR, 0xC0, 2, 0, 1, 0, 1};
  static const uint8_t ext_label[] = {HDR, 0x41, 'a', 0, 0, 1, 0, 1};
  static const uint8_t resp[] = {0xab, 0xcd, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
  static const uint8_t notify[] = {0xab, 0xcd, 0x20, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
  static const uint8_t noq[] = {0xab, 0xcd, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
  static const uint8_t short_hdr[] = {0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0};
  static const uint8_t cut_label[] = {HDR, 5, 'a', 'b'};
  static const uint8_t cut_name[] = {HDR, 1, 'a'};
  static const uint8_t cut_type[] = {HDR, 1, 'a', 0, 0, 1, 0};
  static const uint8_t cut_ptr[] = {HDR, 1, 'a', 0xC0};
  /* A pointer backwards into the bytes of a label: legal, if odd. The name
   * is the 4-byte label {01 'b' 00 'z'} followed by the label "b". */
  static const uint8_t odd_ptr[] = {HDR, 4, 1, 'b', 0, 'z', 0xC0, 13, 0, 1, 0, 1};
  static const struct {
    const char *what;
    const uint8_t *m;
    size_t len;
    pt_dns_status want;
  } cases[] = {
      {"self pointer", self_ptr, sizeof(self_ptr), PT_DNS_BAD_NAME},
      {"pointer loop", loop, sizeof(loop), PT_DNS_BAD_NAME},
      {"forward pointer", fwd, sizeof(fwd), PT_DNS_BAD_NAME},
      {"pointer into header", into_hdr, sizeof(into_hdr), PT_DNS_BAD_NAME},
      {"extended label", ext_label, sizeof(ext_label), PT_DNS_BAD_NAME},
      {"response", resp, sizeof(resp), PT_DNS_NOT_QUERY},
      {"notify opcode", notify, sizeof(notify), PT_DNS_NOT_QUERY},
      {"no question", noq, sizeof(noq), PT_DNS_NO_QUESTION},
      {"short header", short_hdr, sizeof(short_hdr), PT_DNS_TRUNCATED},
      {"cut label", cut_label, sizeof(cut_label), PT_DNS_TRUNCATED},
      {"cut name", cut_name, sizeof(cut_name), PT_DNS_TRUNCATED},
      {"cut type", cut_type, sizeof(cut_type), PT_DNS_TRUNCATED},
      {"cut pointer", cut_ptr, sizeof(cut_ptr), PT_DNS_TRUNCATED},
      {"odd pointer", odd_ptr, sizeof(odd_ptr), PT_DNS_OK},
      {"empty", (const uint8_t *)"", 0, PT_DNS_TRUNCATED},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    pt_dns_query q;
    pt_dns_status st = pt_dns_parse_query(cases[i].m, cases[i].len, &q);
    CHECK(st == cases[i].want, "%s: got %s want %s", cases[i].what, pt_dns_status_str(st),
          pt_dns_status_str(cases[i].want));
  }
  pt_dns_query q;
  CHECK(pt_dns_parse_query(odd_ptr, sizeof(odd_ptr), &q) == PT_DNS_OK, "odd");
  CHECK(q.name_len == 6 && memcmp(q.name, "\001b\000z.b", 6) == 0, "odd name");
  CHECK(q.wire_len == 8 && q.nlabels == 2 && q.question_end == sizeof(odd_ptr), "odd wire");
  char pr[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_name_printable(&q, pr, sizeof(pr));
  CHECK(strcmp(pr, "\\001b\\000z.b") == 0, "odd printable %s", pr);
}

static void test_limits(void) {
  char l63[64], l61[62], l62[63], name[400];
  memset(l63, 'a', 63);
  l63[63] = 0;
  memset(l61, 'b', 61);
  l61[61] = 0;
  memset(l62, 'c', 62);
  l62[62] = 0;
  uint8_t msg[600];
  pt_dns_query q;
  /* 3 x 64 + 62 + 1 = 255 wire bytes: the largest legal name. */
  snprintf(name, sizeof(name), "%s.%s.%s.%s", l63, l63, l63, l61);
  size_t n = make_query(msg, 1, 0, name, PT_DNS_TYPE_A, 1);
  CHECK(pt_dns_parse_query(msg, n, &q) == PT_DNS_OK, "255-byte name");
  CHECK(q.wire_len == 255 && q.name_len == 253, "wire %zu text %zu", q.wire_len, q.name_len);
  /* MX for it would exceed 255 bytes: no answer rather than a bad one. */
  q.qtype = PT_DNS_TYPE_MX;
  uint8_t resp[600];
  size_t rl;
  CHECK(pt_dns_build_response(&q, &(pt_dns_answer_cfg){0}, false, resp, sizeof(resp), &rl) == 0 &&
            rd16(resp + 6) == 0,
        "mx at limit");
  /* One byte more. */
  snprintf(name, sizeof(name), "%s.%s.%s.%s", l63, l63, l63, l62);
  n = make_query(msg, 1, 0, name, PT_DNS_TYPE_A, 1);
  CHECK(pt_dns_parse_query(msg, n, &q) == PT_DNS_BAD_NAME, "256-byte name");
  /* Label of 64 has the 0x40 bit: extended label type, refused. */
  snprintf(name, sizeof(name), "%sa.test", l63);
  n = make_query(msg, 1, 0, name, PT_DNS_TYPE_A, 1);
  CHECK(pt_dns_parse_query(msg, n, &q) == PT_DNS_BAD_NAME, "64-byte label");

  /* Truncation: the answer does not fit -> TC, no answers; the question
   * does not fit -> error. */
  n = make_query(msg, 7, 0x0100, "tc.test", PT_DNS_TYPE_AAAA, 1);
  CHECK(pt_dns_parse_query(msg, n, &q) == PT_DNS_OK, "tc parse");
  pt_dns_answer_cfg cfg = {.ipv4 = {192, 0, 2, 1}};
  CHECK(pt_dns_build_response(&q, &cfg, false, resp, n + 10, &rl) == 0, "tc build");
  CHECK(rl == n && (rd16(resp + 2) & 0x0200) && rd16(resp + 6) == 0, "tc flags");
  CHECK(pt_dns_build_response(&q, &cfg, false, resp, n - 1, &rl) == -1, "too small");

  /* TCP: length prefix written and counted. */
  CHECK(pt_dns_build_response(&q, &cfg, true, resp, sizeof(resp), &rl) == 0, "tcp build");
  CHECK(rd16(resp) == rl - 2 && rd16(resp + 2) == 7 && rd16(resp + 8) == 1, "tcp prefix");
}

static void test_tcp_frame(void) {
  uint8_t stream[600];
  size_t n = make_query(stream + 2, 9, 0, "tcp.test", PT_DNS_TYPE_A, 1);
  stream[0] = (uint8_t)(n >> 8);
  stream[1] = (uint8_t)n;
  const uint8_t *m;
  size_t ml, used;
  CHECK(pt_dns_tcp_frame(stream, 1, &m, &ml, &used) == PT_DNS_NEED_MORE, "1 byte");
  CHECK(pt_dns_tcp_frame(stream, n + 1, &m, &ml, &used) == PT_DNS_NEED_MORE, "short");
  CHECK(pt_dns_tcp_frame(stream, n + 2, &m, &ml, &used) == PT_DNS_OK && ml == n && used == n + 2 &&
            m == stream + 2,
        "full");
  pt_dns_query q;
  CHECK(pt_dns_parse_query(m, ml, &q) == PT_DNS_OK && strcmp(q.name, "tcp.test") == 0, "parse");
  static const uint8_t zero[] = {0, 0, 1};
  CHECK(pt_dns_tcp_frame(zero, 3, &m, &ml, &used) == PT_DNS_TRUNCATED && used == 2, "zero");
}

static void test_printable(void) {
  /* Labels: "a b", "x.y" (dot inside a label), "\xff\\" */
  static const uint8_t m[] = {HDR, 3, 'a', ' ', 'b', 3, 'x', '.', 'y', 2, 0xff, '\\', 0, 0, 1, 0, 1};
  pt_dns_query q;
  CHECK(pt_dns_parse_query(m, sizeof(m), &q) == PT_DNS_OK, "parse");
  char out[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_name_printable(&q, out, sizeof(out));
  CHECK(strcmp(out, "a\\032b.x\\.y.\\255\\\\") == 0, "printable %s", out);
  /* Truncation keeps whole escapes and the NUL. */
  char small[5];
  size_t n = pt_dns_name_printable(&q, small, sizeof(small));
  CHECK(n == 1 && strcmp(small, "a") == 0, "small %s", small);
  char e[32];
  pt_dns_escape("ok.\n\"", 5, e, sizeof(e));
  CHECK(strcmp(e, "ok.\\010\"") == 0, "escape %s", e);
  static const uint8_t root[] = {HDR, 0, 0, 1, 0, 1};
  CHECK(pt_dns_parse_query(root, sizeof(root), &q) == PT_DNS_OK, "root");
  pt_dns_name_printable(&q, out, sizeof(out));
  CHECK(strcmp(out, ".") == 0 && strcmp(q.name, ".") == 0, "root %s", out);
}

int main(void) {
  test_types();
  test_bad();
  test_limits();
  test_tcp_frame();
  test_printable();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("dnsmsg: ok\n");
  return 0;
}
