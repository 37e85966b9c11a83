/* libFuzzer harness: DNS query parsing, answer building (UDP and TCP, with
 * a cap taken from the input), printable names and TCP framing. Checks
 * invariants, not just crashes: an answer with QR cleared is again a query
 * for the same question. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pt_dns_query q, q2;
  const uint8_t *m;
  size_t ml, used;
  if (pt_dns_tcp_frame(data, size, &m, &ml, &used) == PT_DNS_OK) {
    ASSERT(m == data + 2 && used == ml + 2 && used <= size);
    (void)pt_dns_parse_query(m, ml, &q);
  }
  if (pt_dns_parse_query(data, size, &q) != PT_DNS_OK)
    return 0;
  ASSERT(q.wire_len >= 1 && q.wire_len <= PT_DNS_NAME_WIRE_MAX);
  ASSERT(q.name_len < PT_DNS_NAME_TEXT_MAX && q.name[q.name_len] == '\0');
  ASSERT(q.question_end <= size);

  char pr[PT_DNS_NAME_PRINTABLE_MAX];
  size_t pl = pt_dns_name_printable(&q, pr, sizeof(pr));
  ASSERT(pl < sizeof(pr) && strlen(pr) == pl);
  for (size_t i = 0; i < pl; i++)
    ASSERT(pr[i] >= 0x21 && pr[i] <= 0x7e);
  char small[7];
  ASSERT(pt_dns_name_printable(&q, small, sizeof(small)) < sizeof(small));

  pt_dns_answer_cfg cfg = {.ipv4 = {192, 0, 2, 1}, .ipv6 = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
  uint8_t out[700];
  size_t ol;
  size_t cap = size > 0 ? (size_t)data[0] * 3 : sizeof(out); /* small caps too */
  if (cap > sizeof(out))
    cap = sizeof(out);
  for (int tcp = 0; tcp < 2; tcp++) {
    if (pt_dns_build_response(&q, &cfg, tcp, out, cap, &ol) != 0)
      continue;
    ASSERT(ol <= cap && ol >= 12 + (tcp ? 2 : 0));
    if (!tcp)
      ASSERT(ol <= PT_DNS_UDP_MAX);
    uint8_t *r = out + (tcp ? 2 : 0);
    size_t rl = ol - (tcp ? 2 : 0);
    if (tcp)
      ASSERT(((size_t)out[0] << 8 | out[1]) == rl);
    r[2] &= 0x7f; /* QR off: it must parse back as the same question */
    ASSERT(pt_dns_parse_query(r, rl, &q2) == PT_DNS_OK);
    ASSERT(q2.wire_len == q.wire_len && memcmp(q2.wire, q.wire, q.wire_len) == 0);
    ASSERT(q2.qtype == q.qtype && q2.qclass == q.qclass && q2.id == q.id);
  }
  char esc[64];
  ASSERT(pt_dns_escape(data, size, esc, sizeof(esc)) < sizeof(esc));
  return 0;
}
