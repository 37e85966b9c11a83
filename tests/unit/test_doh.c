/* DNS over HTTPS in the fake network (runner/doh.c): each form a client
 * sends (RFC 8484 GET with ?dns=, POST of application/dns-message, the
 * JSON API's ?name=&type= of Google's /resolve and Cloudflare's
 * /dns-query) gives the query it carries; anything else is no DNS
 * request; and our answer comes back in the request's form. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dnsmsg.h"
#include "doh.h"

static pt_doh_kind req(const char *http, pt_dns_query *q) {
  static pt_http_req r;
  uint8_t wire[PT_DNS_UDP_MAX];
  size_t n = 0;
  memset(q, 0, sizeof(*q));
  if (pt_http_parse(http, strlen(http), &r) != PT_HTTP_COMPLETE)
    return PT_DOH_NONE;
  pt_doh_kind k = pt_doh_request(&r, (const uint8_t *)http, strlen(http),
                                 wire, sizeof(wire), &n);
  if (k != PT_DOH_NONE &&
      pt_dns_parse_query(wire, n, q) != PT_DNS_OK)
    return (pt_doh_kind)-1;
  return k;
}

/* The answer our resolver gives to q, in kind's form. */
static int answer(pt_doh_kind kind, const pt_dns_query *q, char *out,
                  size_t cap) {
  pt_dns_answer_cfg cfg = {.ipv4 = {198, 18, 0, 7}, .txt = "stage-text"};
  uint8_t a[PT_DNS_UDP_MAX];
  size_t alen = 0;
  if (pt_dns_build_response(q, &cfg, false, a, sizeof(a), &alen) < 0)
    return -1;
  int n = pt_doh_write_response(kind, a, alen, out, cap - 1);
  if (n >= 0)
    out[n] = '\0';
  return n;
}

int main(void) {
  pt_dns_query q;
  char out[2048];

  /* RFC 8484 GET: a TXT query for wire.example.test, id 0, RD. */
  const char *get =
      "GET /dns-query?dns=AAABAAABAAAAAAAABHdpcmUHZXhhbXBsZQR0ZXN0AAAQAAE "
      "HTTP/1.1\r\nHost: cloudflare-dns.com\r\n"
      "Accept: application/dns-message\r\n\r\n";
  CHECK(req(get, &q) == PT_DOH_WIRE && strcmp(q.name, "wire.example.test") == 0
            && q.qtype == PT_DNS_TYPE_TXT,
        "GET ?dns= (%s, %u)", q.name, q.qtype);
  int n = answer(PT_DOH_WIRE, &q, out, sizeof(out));
  CHECK(n > 0 && strstr(out, "Content-Type: application/dns-message\r\n") &&
            memmem(out, (size_t)n, "stage-text", 10) != NULL,
        "the wire answer carries the TXT");

  /* RFC 8484 POST. */
  char post[512];
  static const char body[] = "\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                             "\x02" "c2\x07" "example\x04" "test\x00"
                             "\x00\x01\x00\x01";
  int hl = snprintf(post, sizeof(post),
                    "POST /dns-query HTTP/1.1\r\nHost: dns.quad9.net\r\n"
                    "Content-Type: application/dns-message\r\n"
                    "Content-Length: %zu\r\n\r\n",
                    sizeof(body) - 1);
  memcpy(post + hl, body, sizeof(body) - 1);
  static pt_http_req r;
  uint8_t wire[PT_DNS_UDP_MAX];
  size_t wl = 0;
  size_t pl = (size_t)hl + sizeof(body) - 1;
  CHECK(pt_http_parse(post, pl, &r) == PT_HTTP_COMPLETE &&
            pt_doh_request(&r, (const uint8_t *)post, pl, wire, sizeof(wire),
                           &wl) == PT_DOH_WIRE &&
            wl == sizeof(body) - 1 && memcmp(wire, body, wl) == 0,
        "POST application/dns-message: the body is the query");

  /* The JSON API, Google's and Cloudflare's paths, %-encoding, types. */
  CHECK(req("GET /resolve?name=stage.example.test&type=TXT HTTP/1.1\r\n"
            "Host: dns.google\r\n\r\n", &q) == PT_DOH_JSON &&
            strcmp(q.name, "stage.example.test") == 0 &&
            q.qtype == PT_DNS_TYPE_TXT,
        "JSON API: /resolve name and type (%s)", q.name);
  n = answer(PT_DOH_JSON, &q, out, sizeof(out));
  CHECK(n > 0 && strstr(out, "Content-Type: application/dns-json\r\n") &&
            strstr(out, "\"Status\":0") &&
            strstr(out, "\"data\":\"\\\"stage-text\\\"\"") &&
            strstr(out, "\"name\":\"stage.example.test.\""),
        "the JSON answer: status, the TXT quoted, the name with its dot "
        "(%s)", out);
  CHECK(req("GET /dns-query?name=a%2Eb.example.test&type=1 HTTP/1.1\r\n"
            "Host: cloudflare-dns.com\r\nAccept: application/dns-json\r\n\r\n",
            &q) == PT_DOH_JSON &&
            strcmp(q.name, "a.b.example.test") == 0 &&
            q.qtype == PT_DNS_TYPE_A,
        "JSON API: %%-encoded name, numeric type (%s)", q.name);
  n = answer(PT_DOH_JSON, &q, out, sizeof(out));
  CHECK(n > 0 && strstr(out, "\"data\":\"198.18.0.7\""), "A answered: %s",
        out);
  CHECK(req("GET /resolve?name=mx.example.test&type=mx HTTP/1.1\r\n\r\n",
            &q) == PT_DOH_JSON && q.qtype == PT_DNS_TYPE_MX,
        "a type's name in lower case");
  n = answer(PT_DOH_JSON, &q, out, sizeof(out));
  CHECK(n > 0 && strstr(out, "\"data\":\"10 mail.mx.example.test.\""),
        "MX answered: %s", out);
  CHECK(req("GET /resolve?name=d.example.test HTTP/1.1\r\n\r\n", &q) ==
                PT_DOH_JSON && q.qtype == PT_DNS_TYPE_A,
        "no type: A");

  /* Not DNS requests. */
  CHECK(req("GET /index.html?name=x.test HTTP/1.1\r\n\r\n", &q) ==
            PT_DOH_NONE, "another path");
  CHECK(req("GET /dns-query HTTP/1.1\r\n\r\n", &q) == PT_DOH_NONE,
        "no query");
  CHECK(req("GET /dns-query?dns=!!!! HTTP/1.1\r\n\r\n", &q) == PT_DOH_NONE,
        "not base64url");
  CHECK(req("GET /resolve?name=x.test&type=NOPE HTTP/1.1\r\n\r\n", &q) ==
            PT_DOH_NONE, "an unknown type");
  CHECK(req("GET /resolve?name=x.test&type=00000000000000000016 HTTP/1.1\r\n"
            "\r\n", &q) == PT_DOH_NONE, "a type too long to be one");
  char longname[400] = "GET /resolve?name=";
  for (int i = 0; i < 70; i++)
    strcat(longname, "a");
  strcat(longname, ".test HTTP/1.1\r\n\r\n");
  CHECK(req(longname, &q) == PT_DOH_NONE, "a label over 63 bytes");
  CHECK(pt_doh_write_response(PT_DOH_JSON, (const uint8_t *)"\x00\x01", 2,
                              out, sizeof(out)) < 0,
        "a short answer is refused");
  return failures != 0;
}
