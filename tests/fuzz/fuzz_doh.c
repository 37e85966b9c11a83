/* libFuzzer harness: DNS over HTTPS in the fake network (runner/doh.c).
 * An HTTP request (any bytes) is parsed; a DoH request's query must be a
 * message our resolver parses or refuses, never read past its room; and
 * our answer to it, in either form, must fit what was asked and be whole
 * HTTP (headers ended, Content-Length equal to the body). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "doh.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > PT_HTTP_INPUT_MAX)
    return 0;
  static pt_http_req r;
  if (pt_http_parse(data, size, &r) == PT_HTTP_NOT_HTTP)
    return 0;
  uint8_t q[PT_DNS_UDP_MAX];
  size_t qlen = 0;
  pt_doh_kind k = pt_doh_request(&r, data, size, q, sizeof(q), &qlen);
  ASSERT(qlen <= sizeof(q));
  if (k == PT_DOH_NONE)
    return 0;
  pt_dns_query pq;
  if (pt_dns_parse_query(q, qlen, &pq) != PT_DNS_OK)
    return 0;
  pt_dns_answer_cfg cfg = {.ipv4 = {198, 18, 0, 1}};
  uint8_t a[PT_DNS_UDP_MAX];
  size_t alen = 0;
  if (pt_dns_build_response(&pq, &cfg, false, a, sizeof(a), &alen) < 0)
    return 0;
  static char out[4096];
  int n = pt_doh_write_response(k, a, alen, out, sizeof(out));
  ASSERT(n < (int)sizeof(out));
  if (n < 0)
    return 0;
  const char *end = memmem(out, (size_t)n, "\r\n\r\n", 4);
  ASSERT(end != NULL);
  const char *cl = memmem(out, (size_t)(end - out), "Content-Length: ", 16);
  ASSERT(cl != NULL);
  ASSERT((size_t)atol(cl + 16) == (size_t)n - (size_t)(end + 4 - out));
  return 0;
}
