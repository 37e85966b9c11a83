/* DNS over HTTPS as the fake network speaks it: RFC 8484 (a DNS message
 * in `?dns=` base64url, or a POST body of type application/dns-message)
 * and the JSON API of the public resolvers (Google's `/resolve?name=`,
 * Cloudflare's and others' `/dns-query?name=`). A sample that resolves
 * through HTTPS, to hide its names from the local resolver or to fetch a
 * TXT stage, gets the fake resolver's answer (every name exists, TXT the
 * stub) and its names show as `dns` events, with every DNS rule applied.
 *
 * Pure functions over byte buffers, no sockets, no allocation besides
 * jansson's for the JSON text: the request is hostile, every read is
 * bounded (fuzz_doh). */
#ifndef PT_DOH_H
#define PT_DOH_H

#include <stddef.h>
#include <stdint.h>

#include "httpreq.h"

typedef enum pt_doh_kind {
  PT_DOH_NONE, /* not a DNS request */
  PT_DOH_WIRE, /* RFC 8484: answer application/dns-message */
  PT_DOH_JSON, /* JSON API: answer application/dns-json */
} pt_doh_kind;

/* The DNS query a request carries (buf: the request's bytes as parsed
 * into r, which must be complete), as a DNS message in q (cap >= 300),
 * its length in *qlen. The JSON API's name and type become a query with
 * id 0 and RD set. PT_DOH_NONE for anything else, a DoH path with a
 * query that cannot be read included (answered as any HTTP request). */
pt_doh_kind pt_doh_request(const pt_http_req *r, const uint8_t *buf,
                           size_t len, uint8_t *q, size_t cap, size_t *qlen);

/* The whole HTTP response for the DNS answer msg (our resolver's), in
 * the request's kind: msg itself, or its question and answers as JSON.
 * Returns its length, or -1 if msg cannot be read or out is too small. */
int pt_doh_write_response(pt_doh_kind kind, const uint8_t *msg, size_t mlen,
                          char *out, size_t cap);

#endif
