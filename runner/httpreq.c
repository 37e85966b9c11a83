/* HTTP/1.x request parsing for the fake network.
 *
 * Bytes come from a sample, so the parser is strict about where it reads
 * (every access is checked against len), lenient about what it accepts
 * (bare LF line ends, odd header lines are skipped and counted rather than
 * fatal: we want to report as much as the sample sent), and has a fixed
 * cost per byte (single forward pass, no backtracking, no recursion). */
#include "httpreq.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *pt_http_status_str(pt_http_status st) {
  switch (st) {
  case PT_HTTP_COMPLETE:
    return "complete";
  case PT_HTTP_NEED_MORE:
    return "need-more";
  case PT_HTTP_NOT_HTTP:
    return "not-http";
  }
  return "?";
}

/* RFC 9110 5.6.2 tchar. */
static bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return true;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Request-target: any visible ASCII, and bytes >= 0x80 (sloppy clients
 * send raw UTF-8; it is still HTTP). */
static bool is_target_char(unsigned char c) { return c > 0x20 && c != 0x7f; }

static bool slice_ieq(pt_http_slice s, const char *lit) {
  size_t n = strlen(lit);
  return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Find the end of the line starting at pos: returns the offset of '\n' or
 * len if none. A preceding '\r' is stripped by the caller. */
static size_t find_lf(const char *b, size_t len, size_t pos) {
  const char *lf = memchr(b + pos, '\n', len - pos);
  return lf ? (size_t)(lf - b) : len;
}

static size_t line_content_end(const char *b, size_t start, size_t lf) {
  return (lf > start && b[lf - 1] == '\r') ? lf - 1 : lf;
}

/* Request line: METHOD SP TARGET SP HTTP/1.x CRLF. Decides NOT_HTTP on
 * the first byte that cannot belong to one, even before the line is
 * complete, so binary protocols are told apart after a few bytes. */
static pt_http_status parse_request_line(const char *b, size_t len,
                                         pt_http_req *r, size_t *next) {
  size_t i = 0;
  while (i < len && is_tchar((unsigned char)b[i]) && i < PT_HTTP_METHOD_MAX)
    i++;
  if (i == len)
    return PT_HTTP_NEED_MORE;
  if (i == 0 || b[i] != ' ')
    return PT_HTTP_NOT_HTTP;
  r->method = (pt_http_slice){b, i};
  size_t t = ++i;
  while (i < len && is_target_char((unsigned char)b[i]))
    i++;
  if (i == len)
    return PT_HTTP_NEED_MORE;
  if (i == t || b[i] != ' ')
    return PT_HTTP_NOT_HTTP;
  r->target = (pt_http_slice){b + t, i - t};
  i++;
  static const char ver[] = "HTTP/1.";
  for (size_t k = 0; k < sizeof(ver) - 1; k++, i++) {
    if (i == len)
      return PT_HTTP_NEED_MORE;
    if (b[i] != ver[k])
      return PT_HTTP_NOT_HTTP; /* HTTP/2 prior knowledge, RTSP, SIP, ... */
  }
  if (i == len)
    return PT_HTTP_NEED_MORE;
  if (b[i] < '0' || b[i] > '9')
    return PT_HTTP_NOT_HTTP;
  r->version_major = 1;
  r->version_minor = b[i] - '0';
  i++;
  if (i == len)
    return PT_HTTP_NEED_MORE;
  if (b[i] == '\r') {
    i++;
    if (i == len)
      return PT_HTTP_NEED_MORE;
  }
  if (b[i] != '\n')
    return PT_HTTP_NOT_HTTP;
  *next = i + 1;
  return PT_HTTP_COMPLETE; /* the line is complete */
}

/* Walk a chunked body (RFC 9112 7.1) in b[0..len), copying chunk data to
 * out (up to cap). Returns the number of bytes copied. *complete when the
 * last chunk and the trailer section ended; *bad on a malformed chunk
 * header. Linear in len: every iteration consumes input. */
static size_t dechunk(const char *b, size_t len, char *out, size_t cap,
                      bool *complete, bool *bad) {
  size_t pos = 0, o = 0;
  *complete = false;
  *bad = false;
  for (;;) {
    size_t lf = find_lf(b, len, pos);
    if (lf == len)
      return o;
    uint64_t size = 0;
    size_t digits = 0;
    size_t i = pos;
    for (; i < lf; i++) {
      char c = b[i];
      int v;
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      else
        break;
      /* 15 hex digits cannot overflow 64 bits; no real body is that big. */
      if (++digits > 15) {
        *bad = true;
        return o;
      }
      size = size << 4 | (uint64_t)v;
    }
    if (digits == 0) {
      *bad = true;
      return o;
    }
    /* Whatever follows the size (";ext=val", spaces, '\r') is ignored. */
    pos = lf + 1;
    if (size == 0) {
      /* Trailer fields, then an empty line. */
      for (;;) {
        lf = find_lf(b, len, pos);
        if (lf == len)
          return o;
        if (line_content_end(b, pos, lf) == pos) {
          *complete = true;
          return o;
        }
        pos = lf + 1;
      }
    }
    size_t avail = len - pos;
    size_t take = size < avail ? (size_t)size : avail;
    if (o < cap) {
      size_t n = take < cap - o ? take : cap - o;
      memcpy(out + o, b + pos, n);
      o += n;
    }
    pos += take;
    if (take < size)
      return o;
    if (pos < len && b[pos] == '\r')
      pos++;
    if (pos >= len)
      return o;
    if (b[pos] != '\n') {
      *bad = true;
      return o;
    }
    pos++;
  }
}

/* Content-Length: 1*DIGIT. A second, different value makes the framing
 * ambiguous (request smuggling territory); keep the first, flag it. */
static void set_content_length(pt_http_req *r, pt_http_slice v) {
  uint64_t n = 0;
  bool ok = v.len > 0 && v.len <= 18; /* 18 digits fit in 64 bits */
  for (size_t i = 0; ok && i < v.len; i++) {
    if (v.p[i] < '0' || v.p[i] > '9')
      ok = false;
    else
      n = n * 10 + (uint64_t)(v.p[i] - '0');
  }
  if (!ok) {
    r->content_length_conflict = true;
    return;
  }
  if (r->has_content_length && r->content_length != n)
    r->content_length_conflict = true;
  if (!r->has_content_length) {
    r->has_content_length = true;
    r->content_length = n;
  }
}

/* Transfer-Encoding: the body is chunked when the last coding is. */
static void set_transfer_encoding(pt_http_req *r, pt_http_slice v) {
  size_t s = 0;
  for (size_t i = v.len; i > 0; i--)
    if (v.p[i - 1] == ',') {
      s = i;
      break;
    }
  while (s < v.len && (v.p[s] == ' ' || v.p[s] == '\t'))
    s++;
  pt_http_slice last = {v.p + s, v.len - s};
  r->chunked = slice_ieq(last, "chunked");
}

static void add_header(pt_http_req *r, const char *b, size_t start,
                       size_t end) {
  const char *colon = memchr(b + start, ':', end - start);
  if (colon == NULL) {
    r->headers_malformed++;
    return;
  }
  size_t nlen = (size_t)(colon - (b + start));
  bool good = nlen > 0 && nlen <= PT_HTTP_NAME_MAX;
  for (size_t i = 0; good && i < nlen; i++)
    good = is_tchar((unsigned char)b[start + i]);
  if (!good) {
    r->headers_malformed++;
    return;
  }
  size_t vs = (size_t)(colon - b) + 1, ve = end;
  while (vs < ve && (b[vs] == ' ' || b[vs] == '\t'))
    vs++;
  while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t'))
    ve--;
  pt_http_header h = {.name = {b + start, nlen}, .value = {b + vs, ve - vs}};
  if (h.value.len > PT_HTTP_VALUE_MAX) {
    h.value.len = PT_HTTP_VALUE_MAX;
    h.value_truncated = true;
  }
  /* Framing headers count even beyond the storage cap: hiding a
   * Content-Length behind 100 dummy headers must not change the body. */
  if (slice_ieq(h.name, "content-length"))
    set_content_length(r, h.value);
  else if (slice_ieq(h.name, "transfer-encoding"))
    set_transfer_encoding(r, h.value);
  else if (slice_ieq(h.name, "host") && r->host.p == NULL)
    r->host = h.value;
  else if (slice_ieq(h.name, "user-agent") && r->user_agent.p == NULL)
    r->user_agent = h.value;
  else if (slice_ieq(h.name, "content-type") && r->content_type.p == NULL)
    r->content_type = h.value;
  if (r->nheaders < PT_HTTP_MAX_HEADERS)
    r->headers[r->nheaders++] = h;
  else
    r->headers_dropped++;
}

pt_http_status pt_http_parse(const void *buf, size_t len, pt_http_req *r) {
  const char *b = buf;
  memset(r, 0, sizeof(*r));
  if (b == NULL || len == 0)
    return PT_HTTP_NEED_MORE;
  size_t pos = 0;
  pt_http_status st = parse_request_line(b, len, r, &pos);
  if (st != PT_HTTP_COMPLETE)
    return st;
  for (;;) {
    size_t lf = find_lf(b, len, pos);
    if (lf == len)
      return PT_HTTP_NEED_MORE;
    size_t end = line_content_end(b, pos, lf);
    if (end == pos) {
      r->headers_complete = true;
      r->body_offset = lf + 1;
      break;
    }
    if (b[pos] == ' ' || b[pos] == '\t')
      r->headers_malformed++; /* obsolete line folding: not worth joining */
    else
      add_header(r, b, pos, end);
    pos = lf + 1;
  }
  size_t rest = len - r->body_offset;
  if (r->chunked) {
    bool bad;
    r->body_present = rest;
    dechunk(b + r->body_offset, rest, NULL, 0, &r->body_complete, &bad);
    /* A broken chunk header will never complete; report what we have
     * rather than waiting for bytes that fix nothing. */
    if (bad)
      r->body_complete = true;
  } else if (r->has_content_length) {
    r->body_present = rest < r->content_length ? rest : (size_t)r->content_length;
    r->body_complete = rest >= r->content_length;
  } else {
    r->body_complete = true; /* no framing: a request without a body */
  }
  return r->body_complete ? PT_HTTP_COMPLETE : PT_HTTP_NEED_MORE;
}

const pt_http_header *pt_http_find(const pt_http_req *r, const char *name) {
  for (size_t i = 0; i < r->nheaders; i++)
    if (slice_ieq(r->headers[i].name, name))
      return &r->headers[i];
  return NULL;
}

size_t pt_http_body(const pt_http_req *r, const void *buf, size_t len,
                    void *out, size_t cap, bool *complete) {
  bool done = false, bad = false;
  size_t n = 0;
  if (r->headers_complete && r->body_offset <= len) {
    const char *b = (const char *)buf + r->body_offset;
    size_t rest = len - r->body_offset;
    if (r->chunked) {
      n = dechunk(b, rest, out, cap, &done, &bad);
    } else {
      n = r->body_present <= rest ? r->body_present : rest;
      if (n > cap)
        n = cap;
      if (n > 0)
        memcpy(out, b, n);
      done = r->body_complete;
    }
  }
  if (complete)
    *complete = done;
  return n;
}

/* The path part of a request target: origin-form "/p?q", absolute-form
 * "http://h/p?q" (proxy requests), without query or fragment. */
static pt_http_slice target_path(const char *t, size_t n) {
  pt_http_slice s = {t, n};
  const char *sch = NULL;
  for (size_t i = 0; n > 0 && t[0] != '/' && i + 3 <= n && i < 16; i++)
    if (memcmp(t + i, "://", 3) == 0) {
      sch = t + i + 3;
      break;
    }
  if (sch) {
    const char *slash = memchr(sch, '/', (size_t)(t + n - sch));
    s.p = slash ? slash : t + n;
    s.len = (size_t)(t + n - s.p);
  }
  for (size_t i = 0; i < s.len; i++)
    if (s.p[i] == '?' || s.p[i] == '#') {
      s.len = i;
      break;
    }
  return s;
}

/* An API's JSON asked for by its URL rather than an extension: a last
 * path segment "json" (/json, /json/, /v1/json) or format=json in the
 * query. An Accept header is no sign: axios, for one, puts
 * application/json first in what it accepts for a script download too. */
static bool asks_json(const char *t, size_t n, pt_http_slice path) {
  size_t end = path.len;
  while (end > 0 && path.p[end - 1] == '/')
    end--;
  size_t seg = end;
  while (seg > 0 && path.p[seg - 1] != '/')
    seg--;
  if (slice_ieq((pt_http_slice){path.p + seg, end - seg}, "json"))
    return true;
  const char *q = t ? memchr(t, '?', n) : NULL;
  if (q == NULL)
    return false;
  static const char key[] = "format=json";
  const size_t kl = sizeof(key) - 1;
  for (const char *p = q + 1; p + kl <= t + n; p++)
    if ((p[-1] == '?' || p[-1] == '&') && strncasecmp(p, key, kl) == 0 &&
        (p + kl == t + n || p[kl] == '&' || p[kl] == '#'))
      return true;
  return false;
}

#define PY_CANARY                                                              \
  "try:\n    open('%1$s', 'a').close()\nexcept Exception:\n    pass\n"
#define SH_PY_CANARY                                                           \
  "#!/bin/sh\n\"true\" '''\\'\n: > %1$s 2>/dev/null\nexit 0\n'''\n" PY_CANARY
/* A C2 task: a command that creates the canary, under the names command
 * and control servers give it. A client that only wanted data ignores
 * them, as it would ignore "{}"'s absence of what it wanted. */
#define TASK_CMD "echo ok > %1$s"
/* What an IP and geolocation lookup answers (its fields under the names
 * the common services use), in every JSON answer: malware that asks where
 * it runs before it acts (leave CIS countries alone, skip a cloud's
 * sandbox) parses the answer, and an answer that fails to parse, or lacks
 * the field, ends it before it does what we are here to see. A
 * documentation address, an ordinary residential network. */
#define GEO_IP "203.0.113.54"
#define GEO_JSON                                                               \
  "\"ip\": \"" GEO_IP "\", \"query\": \"" GEO_IP "\", "                            \
  "\"status\": \"success\", \"success\": true, \"country\": \"US\", "              \
  "\"countryCode\": \"US\", \"country_code\": \"US\", "                             \
  "\"country_name\": \"United States\", \"region\": \"California\", "              \
  "\"regionName\": \"California\", \"city\": \"San Jose\", "                        \
  "\"loc\": \"37.3394,-121.8950\", \"lat\": 37.3394, \"lon\": -121.895, "          \
  "\"timezone\": \"America/Los_Angeles\", \"isp\": \"Comcast Cable\", "             \
  "\"org\": \"AS7922 Comcast Cable Communications, LLC\", "                        \
  "\"as\": \"AS7922 Comcast Cable Communications, LLC\""
#define TASK_JSON                                                              \
  "{\"id\": \"1\", \"type\": \"task\", \"cmd\": \"" TASK_CMD "\", "              \
  "\"command\": \"" TASK_CMD "\", \"exec\": \"" TASK_CMD "\", "                   \
  "\"shell\": \"" TASK_CMD "\", \"task\": \"" TASK_CMD "\", " GEO_JSON "}"

static bool is_head(const char *method, size_t method_len) {
  return method != NULL && method_len == 4 && memcmp(method, "HEAD", 4) == 0;
}

int pt_http_write_ok_head(char *out, size_t cap, const char *type,
                          size_t len) {
  int n = snprintf(out, cap,
                   "HTTP/1.1 200 OK\r\n"
                   "Server: nginx\r\n"
                   "Content-Type: %s\r\n"
                   "Content-Length: %zu\r\n"
                   "Connection: close\r\n"
                   "\r\n",
                   type, len);
  return n < 0 || (size_t)n >= cap ? -1 : n;
}

bool pt_http_canary_ok(const char *canary) {
  size_t cl = strlen(canary);
  return cl > 0 && cl <= PT_HTTP_CANARY_MAX &&
         strspn(canary, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789/._-") == cl;
}

int pt_http_write_response(const char *method, size_t method_len,
                           const char *target, size_t target_len,
                           const char *canary, char *out, size_t cap) {
  /* The body does nothing in the language its name says (but create the
   * canary), and is padded to PT_HTTP_STUB_BODY bytes with a comment:
   * downloaders check a size before they write and run what they fetched
   * ("< 1024 bytes: a failed download"), and a stub that runs is what
   * lets drop-and-execute see the chain. A name of no known kind (a
   * prebuilt binary, ".exe") gets the shell script, which execve runs
   * through its #! line. Each code is a printf format taking the canary
   * (or nothing when there is none). */
  static const struct {
    const char *ext, *type, *body, *with_canary, *pad;
  } kinds[] = {
      /* No extension is what "curl URL | sh" fetches most often, and what
       * exec(urlopen(a pastebin's raw URL).read()) runs: a shell script
       * that is also Python (sh runs `true` and exits; to Python the
       * shell part is a string). */
      {"", "text/plain", "#!/bin/sh\nexit 0\n", SH_PY_CANARY, "#"},
      {"sh", "text/plain", "#!/bin/sh\nexit 0\n", SH_PY_CANARY, "#"},
      {"py", "text/x-python", "pass\n", PY_CANARY, "#"},
      {"js", "application/javascript", "\n",
       "try { (typeof require === 'function' ? require : "
       "process.getBuiltinModule)('fs').appendFileSync('%1$s', ''); } "
       "catch (e) {}\n",
       "//"},
      {"json", "application/json", "{" GEO_JSON "}\n", TASK_JSON "\n", ""},
  };
  if (canary != NULL && !pt_http_canary_ok(canary))
    return -1;
  size_t kind = 0;
  pt_http_slice path = target ? target_path(target, target_len)
                              : (pt_http_slice){"", 0};
  size_t seg = 0;
  for (size_t i = 0; i < path.len; i++)
    if (path.p[i] == '/')
      seg = i + 1;
  pt_http_slice ext = {"", 0};
  for (size_t i = path.len; i > seg; i--)
    if (path.p[i - 1] == '.') {
      /* ".bashrc" is a name, not an extension. */
      if (i - 1 > seg)
        ext = (pt_http_slice){path.p + i, path.len - i};
      break;
    }
  for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
    if (slice_ieq(ext, kinds[k].ext)) {
      kind = k;
      break;
    }
  if (kind == 0 && asks_json(target, target_len, path))
    kind = sizeof(kinds) / sizeof(kinds[0]) - 1;
  int n =
      pt_http_write_ok_head(out, cap, kinds[kind].type, PT_HTTP_STUB_BODY);
  if (n < 0 || is_head(method, method_len))
    return n;
  char code[3072];
  if (canary != NULL) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int cn = snprintf(code, sizeof(code), kinds[kind].with_canary, canary);
#pragma GCC diagnostic pop
    if (cn < 0 || (size_t)cn >= sizeof(code))
      return -1;
  } else {
    snprintf(code, sizeof(code), "%s", kinds[kind].body);
  }
  size_t at = (size_t)n, blen = strlen(code), plen = strlen(kinds[kind].pad);
  if (cap - at <= PT_HTTP_STUB_BODY || blen + plen + 1 >= PT_HTTP_STUB_BODY)
    return -1;
  memcpy(out + at, code, blen);
  memcpy(out + at + blen, kinds[kind].pad, plen);
  /* One comment line (JSON: trailing white space) to the end. */
  memset(out + at + blen + plen, plen ? '.' : ' ',
         PT_HTTP_STUB_BODY - blen - plen - 1);
  out[at + PT_HTTP_STUB_BODY - 1] = '\n';
  at += PT_HTTP_STUB_BODY;
  out[at] = '\0';
  return (int)at;
}

/* Does label (len bytes) start or end with "ip", or equal one of the
 * names the plain-text address services are known by? */
static bool ip_service_label(const char *l, size_t len) {
  if (len >= 2 && (strncasecmp(l, "ip", 2) == 0 ||
                   strncasecmp(l + len - 2, "ip", 2) == 0))
    return true;
  return (len == 8 && strncasecmp(l, "ifconfig", 8) == 0) ||
         (len == 5 && strncasecmp(l, "ident", 5) == 0);
}

bool pt_http_asks_own_ip(const pt_http_req *r) {
  const pt_http_header *h = pt_http_find(r, "host");
  if (h == NULL || h->value.len == 0 || r->target.p == NULL)
    return false;
  /* The registrable name's first label: "api.ipify.org" -> "ipify",
   * "icanhazip.com" -> "icanhazip", "checkip.amazonaws.com" ->
   * "checkip" (any label but the last: the TLD says nothing). */
  const char *v = h->value.p;
  size_t vl = h->value.len, end = vl;
  for (size_t i = 0; i < vl; i++)
    if (v[i] == ':') { /* a port */
      end = i;
      break;
    }
  bool named = false;
  size_t start = 0, last_dot = 0;
  for (size_t i = 0; i < end; i++)
    if (v[i] == '.')
      last_dot = i;
  for (size_t i = 0; i <= last_dot && last_dot > 0; i++)
    if (i == last_dot || v[i] == '.') {
      named = named || ip_service_label(v + start, i - start);
      start = i + 1;
    }
  if (!named)
    return false;
  pt_http_slice path = target_path(r->target.p, r->target.len);
  if (path.len == 0 || (path.len == 1 && path.p[0] == '/'))
    return true;
  size_t seg = 0;
  for (size_t i = 0; i < path.len; i++)
    if (path.p[i] == '/')
      seg = i + 1;
  pt_http_slice last = {path.p + seg, path.len - seg};
  return slice_ieq(last, "ip") || slice_ieq(last, "plain") ||
         slice_ieq(last, "raw") || slice_ieq(last, "text");
}

int pt_http_write_own_ip(const char *method, size_t method_len, char *out,
                         size_t cap) {
  static const char body[] = GEO_IP "\n";
  int n = pt_http_write_ok_head(out, cap, "text/plain; charset=utf-8",
                                sizeof(body) - 1);
  if (n < 0 || is_head(method, method_len))
    return n;
  if (cap - (size_t)n < sizeof(body))
    return -1;
  memcpy(out + n, body, sizeof(body)); /* with the NUL */
  return n + (int)sizeof(body) - 1;
}

bool pt_http_wants_event_stream(const pt_http_req *r) {
  const pt_http_header *h = pt_http_find(r, "accept");
  static const char want[] = "text/event-stream";
  if (h == NULL || h->value.len < sizeof(want) - 1)
    return false;
  for (size_t i = 0; i + sizeof(want) - 1 <= h->value.len; i++)
    if (strncasecmp(h->value.p + i, want, sizeof(want) - 1) == 0)
      return true;
  return false;
}

int pt_http_write_event_stream(const char *canary, char *out, size_t cap) {
  if (canary != NULL && !pt_http_canary_ok(canary))
    return -1;
  char body[3072];
  int bn;
  if (canary == NULL) {
    bn = snprintf(body, sizeof(body), "retry: 30000\n\n: ok\n\n");
  } else {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    bn = snprintf(body, sizeof(body),
                  "retry: 30000\n\nid: 1\nevent: message\ndata: " TASK_JSON
                  "\n\nid: 2\nevent: message\ndata: " TASK_CMD "\n\n",
                  canary);
#pragma GCC diagnostic pop
  }
  if (bn < 0 || (size_t)bn >= sizeof(body))
    return -1;
  int n = snprintf(out, cap,
                   "HTTP/1.1 200 OK\r\n"
                   "Server: nginx\r\n"
                   "Content-Type: text/event-stream\r\n"
                   "Cache-Control: no-cache\r\n"
                   "Content-Length: %d\r\n"
                   "Connection: close\r\n"
                   "\r\n%s",
                   bn, body);
  return n < 0 || (size_t)n >= cap ? -1 : n;
}
