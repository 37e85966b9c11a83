/* libFuzzer harness: HTTP/1.x request parsing, body extraction (chunked
 * and Content-Length), the canned response and a git push's answers
 * (the report parses the body's commands). Every slice must lie inside
 * the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpgit.h"
#include "httpreq.h"
#include "fuzz/fuzz_assert.h"

static void in_buf(pt_http_slice s, const uint8_t *d, size_t n) {
  if (s.p == NULL)
    return;
  ASSERT((const uint8_t *)s.p >= d && (const uint8_t *)s.p + s.len <= d + n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > PT_HTTP_INPUT_MAX)
    return 0;
  static pt_http_req r;
  pt_http_status st = pt_http_parse(data, size, &r);
  if (st == PT_HTTP_NOT_HTTP)
    return 0;
  in_buf(r.method, data, size);
  in_buf(r.target, data, size);
  in_buf(r.host, data, size);
  in_buf(r.user_agent, data, size);
  in_buf(r.content_type, data, size);
  ASSERT(r.nheaders <= PT_HTTP_MAX_HEADERS);
  for (size_t i = 0; i < r.nheaders; i++) {
    in_buf(r.headers[i].name, data, size);
    in_buf(r.headers[i].value, data, size);
    ASSERT(r.headers[i].name.len <= PT_HTTP_NAME_MAX && r.headers[i].value.len <= PT_HTTP_VALUE_MAX);
  }
  if (r.headers_complete) {
    ASSERT(r.body_offset <= size && r.body_present <= size - r.body_offset);
    static uint8_t body[PT_HTTP_INPUT_MAX];
    bool done;
    size_t n = pt_http_body(&r, data, size, body, sizeof(body), &done);
    ASSERT(n <= size - r.body_offset);
    /* A small cap must be honoured. */
    uint8_t tiny[3];
    ASSERT(pt_http_body(&r, data, size, tiny, sizeof(tiny), NULL) <= sizeof(tiny));
    if (st == PT_HTTP_COMPLETE)
      ASSERT(r.body_complete);
  }
  char out[PT_HTTP_STUB_BODY + 512];
  int n = pt_http_write_response(r.method.p, r.method.len, r.target.p, r.target.len,
                                 size % 2 ? "/tmp/.X5a1b-lock" : NULL, out,
                                 sizeof(out));
  ASSERT(n > 0 && (size_t)n < sizeof(out) && memcmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
  /* Any Host and target: the address lookup's verdict never reads out
   * of bounds, and its answer always fits. */
  if (pt_http_asks_own_ip(&r)) {
    n = pt_http_write_own_ip(r.method.p, r.method.len, out, sizeof(out));
    ASSERT(n > 0 && (size_t)n < sizeof(out));
  }
  /* A git push's answers: any target gives a step or none; the report
   * reads only the body it is given, and always fits. */
  pt_git_push_step step = pt_git_push_step_of(&r);
  if (step == PT_GIT_REFS) {
    n = pt_git_write_refs(out, sizeof(out));
    ASSERT(n > 0 && (size_t)n < sizeof(out));
  }
  if (r.headers_complete) {
    uint8_t *b = malloc(size - r.body_offset + 1);
    if (b != NULL) {
      size_t bl = pt_http_body(&r, data, size, b, size - r.body_offset, NULL);
      n = pt_git_write_report(b, bl, out, sizeof(out));
      ASSERT(n > 0 && (size_t)n < sizeof(out) &&
             memcmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
      free(b);
    }
  }
  /* What an Accept header says never breaks the event stream's answer. */
  if (pt_http_wants_event_stream(&r)) {
    n = pt_http_write_event_stream(size % 2 ? "/tmp/.X5a1b-lock" : NULL, out,
                                   sizeof(out));
    ASSERT(n > 0 && (size_t)n < sizeof(out) &&
           memcmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
  }
  return 0;
}
