/* TCP connections of the fake network: accept everything, keep the first
 * capture_cap bytes, and decide what the sample is talking:
 *
 *   HTTP/1.x   answered with a harmless "200 OK" once the request is
 *              complete (or at the cap / EOF / idle), so download-and-exec
 *              code shows its next step; then we half-close and wait for
 *              the client to close (closing with unread input would send
 *              RST, and the client could lose our answer);
 *   WebSocket  an HTTP upgrade gets its "101" (websocket.h); the frames
 *              that follow are kept up to the cap and unmasked for the
 *              token scan; a close frame is answered with ours;
 *   TLS        the ClientHello gives SNI and ALPN; with interception
 *              (cfg.tls, tlsmitm.h) we then complete the handshake with a
 *              certificate for that name and handle what comes inside as
 *              above (HTTP answered, tokens scanned in the plaintext);
 *              without it, or when the client refuses our certificate, we
 *              close (the name is what the report needs);
 *   DNS        on port 53: RFC 1035 4.2.2 framing, answered by the resolver;
 *   SMTP, FTP  on their ports (smtp.h: 25, 587, 2525 greeted at once, 465
 *              once its TLS is up; ftp.h: 21): a server's answers through
 *              a login and an upload, STARTTLS and AUTH TLS intercepted as
 *              above; the message stays in the capture for the token
 *              scan, an FTP upload arrives on a connection of its own;
 *   anything   else is kept until EOF, the cap, or idle_ms of silence.
 *
 * One "net" event per connection, when it closes (fields: fakenet.c).
 *
 * Parsing restarts from the first byte each time (the parsers are
 * stateless); to keep a client that trickles one byte at a time from
 * making that quadratic, a buffer above 8 KiB is only re-parsed once it has
 * grown by a quarter, or reached the length the headers announced. */
#define _GNU_SOURCE
#include "fakenet_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doh.h"
#include "httpgit.h"
#include "httpreq.h"
#include "irc.h"
#include "ftp.h"
#include "pt_util.h"
#include "smtp.h"
#include "tlshello.h"
#include "tlsmitm.h"
#include "websocket.h"

#define FN_ACCEPT_BATCH 16
#define FN_READ_BATCH 16
#define FN_PARSE_ALWAYS 8192
#define FN_DNS_TCP_MAX_QUERIES 64

enum conn_kind { CK_UNKNOWN, CK_RAW, CK_DNS };

struct fn_conn {
  struct pt_fakenet *fn;
  struct fn_conn *prev, *next;
  int fd;
  struct sockaddr_storage local; /* what the sample connected to */
  socklen_t llen;
  pid_t pid;
  enum conn_kind kind;
  uint8_t *buf;
  size_t len, alloc, cap;
  uint64_t total;
  uint64_t t_start, t_last;
  size_t parsed_len, complete_at;
  unsigned dns_queries;
  bool eof, error, answered;
  /* Upgraded to a WebSocket: frames start at ws_off; ws_closed once our
   * close frame went out. */
  bool ws, ws_closed;
  size_t ws_off;
  /* Intercepted TLS: buf, len and total are the plaintext's; hello is the
   * ClientHello that started it. */
  pt_tls_conn *tls;
  pt_tls_hello *hello;
  /* A raw stream that began as an IRC client's registration (irc_on) is
   * answered as a server would; irc_checked once its first line decided. */
  bool irc_on, irc_checked;
  pt_irc irc;
  /* A protocol whose server speaks first (served: mail, smtp.h; FTP,
   * ftp.h): the greeting is ours to send, at the accept or, on 465, once
   * TLS is up; sv_tls_wait while a ClientHello is due (465's first bytes,
   * or what follows STARTTLS's or AUTH TLS's answer). */
  enum { SV_NONE, SV_SMTP, SV_FTP } served;
  bool sv_greeted, sv_tls_wait;
  pt_smtp smtp;
  pt_ftp ftp;
};

/* ---- bookkeeping ---------------------------------------------------- */

static void conn_unlink_free(struct fn_conn *c) {
  struct pt_fakenet *fn = c->fn;
  if (fn->loop)
    pt_loop_del(fn->loop, c->fd);
  close(c->fd);
  if (c->prev)
    c->prev->next = c->next;
  else
    fn->conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  fn->nconns--;
  pt_tls_conn_free(c->tls);
  free(c->hello);
  free(c->buf);
  free(c);
}

/* Where the next bytes go: buf up to the cap, then (or once answered)
 * the scratch buffer, where they are only counted. false: no memory. */
static bool buf_room(struct fn_conn *c, uint8_t **dst, size_t *room) {
  if (c->len < c->cap && (!c->answered || c->ws)) {
    if (c->alloc == c->len) {
      size_t na = c->alloc ? c->alloc * 2 : 4096;
      if (na > c->cap)
        na = c->cap;
      uint8_t *p = realloc(c->buf, na);
      if (p == NULL) {
        c->error = true;
        return false;
      }
      c->buf = p;
      c->alloc = na;
    }
    *dst = c->buf + c->len;
    *room = c->alloc - c->len;
  } else {
    *dst = c->fn->scratch;
    *room = 65536;
  }
  return true;
}

static void send_best_effort(int fd, const void *buf, size_t len);

/* ---- intercepted TLS ------------------------------------------------- */

/* What the TLS session has for the client (handshake records, our answer,
 * the close_notify). */
static void tls_flush(struct fn_conn *c) {
  uint8_t out[16384];
  size_t n;
  while ((n = pt_tls_conn_take_out(c->tls, out, sizeof(out))) > 0)
    send_best_effort(c->fd, out, n);
}

/* The plaintext the session has into buf (counted past the cap), then
 * what it has to send. */
static void tls_pump(struct fn_conn *c) {
  while ((!c->answered || c->ws) && pt_tls_conn_error(c->tls) == NULL) {
    uint8_t *dst;
    size_t room;
    if (!buf_room(c, &dst, &room))
      break;
    ssize_t n = pt_tls_conn_read(c->tls, dst, room);
    if (n <= 0)
      break;
    c->total += (uint64_t)n;
    if (dst != c->fn->scratch)
      c->len += (size_t)n;
  }
  tls_flush(c);
}

static void tls_read(struct fn_conn *c) {
  uint8_t raw[16384];
  for (int i = 0; i < FN_READ_BATCH && !c->eof && !c->error; i++) {
    ssize_t n = recv(c->fd, raw, sizeof(raw), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        c->error = true;
      break;
    }
    if (n == 0) {
      c->eof = true;
      break;
    }
    c->t_last = pt_now_ns();
    if ((!c->answered || c->ws) &&
        pt_tls_conn_feed(c->tls, raw, (size_t)n) < 0)
      c->error = true;
  }
  tls_pump(c);
}

/* The name our certificate is for: SNI, else the name the fake DNS gave
 * the address out for, else the address. */
static void tls_name(struct fn_conn *c, const pt_tls_hello *h, char *out,
                     size_t size) {
  if (h->has_sni) {
    pt_dns_escape(h->sni, h->sni_len, out, size);
    return;
  }
  const char *name = pt_fakenet_name_for(
      c->fn, (const struct sockaddr *)&c->local, c->llen);
  if (name != NULL) {
    snprintf(out, size, "%s", name);
    return;
  }
  uint16_t port;
  fn_addr_str((const struct sockaddr *)&c->local, out, size, &port);
}

/* A whole ClientHello is in buf: hand it to a new TLS session and start
 * over with buf for the plaintext. false: no session (the caller closes,
 * as without interception). */
static bool tls_intercept(struct fn_conn *c, const pt_tls_hello *h) {
  char name[PT_DNS_NAME_PRINTABLE_MAX];
  tls_name(c, h, name, sizeof(name));
  c->hello = malloc(sizeof(*h));
  if (c->hello == NULL)
    return false;
  memcpy(c->hello, h, sizeof(*h));
  c->tls = pt_tls_conn_new(c->fn->cfg.tls, name);
  if (c->tls == NULL || pt_tls_conn_feed(c->tls, c->buf, c->len) < 0) {
    pt_tls_conn_free(c->tls);
    c->tls = NULL;
    free(c->hello);
    c->hello = NULL;
    return false;
  }
  c->len = c->parsed_len = c->complete_at = 0;
  c->total = 0;
  tls_pump(c);
  return true;
}

/* Read what is available: into buf up to the cap, then discarded (still
 * counted). Sets eof/error. */
static void conn_read(struct fn_conn *c) {
  if (c->tls) {
    tls_read(c);
    return;
  }
  for (int i = 0; i < FN_READ_BATCH && !c->eof && !c->error; i++) {
    uint8_t *dst;
    size_t room;
    if (!buf_room(c, &dst, &room))
      return;
    ssize_t n = recv(c->fd, dst, room, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        c->error = true; /* ECONNRESET: the sample reset; still reported */
      return;
    }
    if (n == 0) {
      c->eof = true;
      return;
    }
    c->total += (uint64_t)n;
    c->t_last = pt_now_ns();
    if (dst != c->fn->scratch)
      c->len += (size_t)n;
  }
}

static void send_best_effort(int fd, const void *buf, size_t len) {
  /* Our answers are a few hundred bytes; a socket buffer that cannot take
   * them belongs to a client that does not read. Never wait for it. */
  (void)send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Bytes for the client: through the intercepted TLS session, if any
 * (then, with close, its close_notify after them). */
static void conn_send(struct fn_conn *c, const void *buf, size_t len,
                      bool close) {
  if (c->tls) {
    (void)pt_tls_conn_write(c->tls, buf, len, close);
    tls_flush(c);
  } else if (len > 0) {
    send_best_effort(c->fd, buf, len);
  }
}

/* ---- HTTP answer and the event --------------------------------------- */

/* A DNS-over-HTTPS request gets the fake resolver's answer (doh.h) and
 * its dns event. false: not one. */
static bool doh_answer(struct fn_conn *c, const pt_http_req *r, char *out,
                       size_t cap, int *n) {
  uint8_t q[PT_DNS_UDP_MAX], a[PT_DNS_UDP_MAX];
  size_t qlen;
  pt_doh_kind k = pt_doh_request(r, c->buf, c->len, q, sizeof(q), &qlen);
  if (k == PT_DOH_NONE)
    return false;
  size_t alen = fn_dns_answer(c->fn, q, qlen, FN_DNS_DOH,
                              (const struct sockaddr *)&c->local, c->llen, a,
                              sizeof(a));
  *n = alen ? pt_doh_write_response(k, a, alen, out, cap) : -1;
  return *n > 0;
}

/* A git push's two requests (httpgit.h): the pushed ref's report needs
 * the commands at the body's start. false: not one. */
static bool git_answer(struct fn_conn *c, const pt_http_req *r, char *out,
                       size_t cap, int *n) {
  pt_git_push_step step = pt_git_push_step_of(r);
  *n = -1;
  if (step == PT_GIT_REFS) {
    *n = pt_git_write_refs(out, cap);
  } else if (step == PT_GIT_PACK) {
    uint8_t cmds[4096];
    size_t bl = r->body_offset <= c->len
                    ? pt_http_body(r, c->buf, c->len, cmds, sizeof(cmds), NULL)
                    : 0;
    *n = pt_git_write_report(cmds, bl, out, cap);
  }
  return step != PT_GIT_NONE;
}

static void http_answer(struct fn_conn *c, const pt_http_req *r) {
  char out[PT_HTTP_STUB_BODY + 512];
  int n;
  if (git_answer(c, r, out, sizeof(out), &n))
    ;
  else if (pt_http_wants_event_stream(r))
    n = pt_http_write_event_stream(c->fn->cfg.canary, out, sizeof(out));
  else if (doh_answer(c, r, out, sizeof(out), &n))
    ;
  else if (pt_http_asks_own_ip(r))
    n = pt_http_write_own_ip(r->method.p, r->method.len, out, sizeof(out));
  else
    n = pt_http_write_response(r->method.p, r->method.len, r->target.p,
                               r->target.len, c->fn->cfg.canary, out,
                               sizeof(out));
  /* n < 0 (no room): nothing but TLS's close_notify */
  conn_send(c, out, n > 0 ? (size_t)n : 0, true);
  shutdown(c->fd, SHUT_WR);
  c->answered = true;
}

/* The 101 for a WebSocket handshake; the connection stays open for the
 * frames. false: not an upgrade (or no room), answer as plain HTTP. */
static bool ws_answer(struct fn_conn *c, const pt_http_req *r) {
  pt_http_slice key;
  char out[PT_WS_ACCEPT_MAX];
  int n;
  if (!pt_ws_is_upgrade(r, &key) ||
      (n = pt_ws_write_accept(key, out, sizeof(out))) < 0)
    return false;
  conn_send(c, out, (size_t)n, false);
  c->answered = c->ws = true;
  c->ws_off = r->body_offset;
  return true;
}

static void set_slice(json_t *o, const char *key, pt_http_slice s) {
  if (s.p != NULL)
    json_object_set_new(o, key, pt_json_bytes(s.p, s.len, 1024));
}

/* Host header without ":port" (not for "[v6]" literals), in the same
 * escaped form DNS names get. */
static json_t *host_name(pt_http_slice h) {
  size_t n = h.len;
  if (n > 0 && h.p[0] != '[') {
    for (size_t i = n; i-- > 0;) {
      if (h.p[i] == ':') {
        n = i;
        break;
      }
      if (h.p[i] < '0' || h.p[i] > '9')
        break;
    }
  }
  char out[PT_DNS_NAME_PRINTABLE_MAX];
  pt_dns_escape(h.p, n < PT_DNS_NAME_WIRE_MAX ? n : PT_DNS_NAME_WIRE_MAX, out,
                sizeof(out));
  for (char *p = out; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p + 32);
  return json_string(out);
}

/* ws: a WebSocket's unmasked payloads (wslen bytes), scanned on their
 * own: the raw frames are masked. */
static void conn_tokens(struct fn_conn *c, json_t *extra, const char *where_raw,
                        const pt_http_req *req, bool is_http,
                        const pt_tls_hello *tls, const uint8_t *ws,
                        size_t wslen) {
  struct pt_fakenet *fn = c->fn;
  if (fn->cfg.tokens == NULL || c->len == 0)
    return;
  unsigned budget = FN_MAX_TOKEN_EVENTS;
  if (!is_http) {
    budget -= fn_scan_tokens(fn, c->pid, c->buf, c->len, where_raw, extra,
                             budget);
  } else {
    size_t head = req->headers_complete && req->body_offset <= c->len
                      ? req->body_offset
                      : c->len;
    budget -= fn_scan_tokens(fn, c->pid, c->buf, head, "http-head", extra,
                             budget);
    if (ws != NULL) {
      budget -= fn_scan_tokens(fn, c->pid, ws, wslen, "websocket", extra,
                               budget);
    } else if (head < c->len) {
      /* Decoded body: chunked framing would split a token otherwise. */
      cleanup_free uint8_t *body = malloc(c->len - head);
      if (body != NULL) {
        size_t bl =
            pt_http_body(req, c->buf, c->len, body, c->len - head, NULL);
        budget -= fn_scan_tokens(fn, c->pid, body, bl, "http-body", extra,
                                 budget);
      }
    }
  }
  if (tls != NULL && tls->has_sni && budget > 0) {
    /* A token hex- or base32-encoded into SNI labels (DNS-style). */
    pt_tok_match m[8];
    size_t n = 0;
    if (pt_tok_scan_dnsname(fn->cfg.tokens, tls->sni, tls->sni_len, m,
                            PT_ARRAY_LEN(m), &n) > 0)
      for (size_t i = 0; i < n && budget > 0; i++, budget--)
        pt_events_emit_token(fn->cfg.events, c->pid, fn_token_kind(m[i].id),
                             m[i].id, m[i].encoding, "tls-sni", extra);
  }
}

/* The ClientHello's fields of a "net" event; its SNI is the hostname when
 * the address gave none. */
static void add_hello(json_t *o, const pt_tls_hello *h, json_t **hostname) {
  char v[16];
  json_object_set_new(
      o, "tls_version",
      json_string(pt_tls_version_str(h->max_version, v, sizeof(v))));
  if (h->has_sni) {
    char sni[PT_DNS_NAME_PRINTABLE_MAX];
    pt_dns_escape(h->sni, h->sni_len, sni, sizeof(sni));
    json_object_set_new(o, "sni", json_string(sni));
    if (*hostname == NULL)
      *hostname = json_string(sni);
  }
  json_t *alpn = json_array();
  for (size_t i = 0; i < h->nalpn; i++)
    json_array_append_new(alpn,
                          pt_json_bytes(h->alpn[i], strlen(h->alpn[i]), 64));
  json_object_set_new(o, "alpn", alpn);
}

/* Final analysis, the event, and close. answer: an HTTP request not yet
 * answered gets its 200 first (not at finish: nobody is left to read). */
static void conn_close(struct fn_conn *c, const char *why, bool answer) {
  struct pt_fakenet *fn = c->fn;
  if (c->kind == CK_DNS) {
    conn_unlink_free(c);
    return;
  }
  char addr[INET6_ADDRSTRLEN];
  uint16_t port;
  const char *fam = fn_addr_str((const struct sockaddr *)&c->local, addr,
                                sizeof(addr), &port);
  const char *name =
      pt_fakenet_name_for(fn, (const struct sockaddr *)&c->local, c->llen);
  json_t *hostname = name ? json_string(name) : NULL;

  pt_http_req *req = calloc(1, sizeof(*req));
  pt_tls_hello *tls = NULL;
  uint8_t *ws = NULL;
  size_t wslen = 0;
  bool is_http = false;
  json_t *o = json_object();
  if (o == NULL || req == NULL) {
    json_decref(o);
    json_decref(hostname);
    free(req);
    conn_unlink_free(c);
    return;
  }
  json_object_set_new(o, "proto", json_string("tcp"));
  json_object_set_new(o, "family", json_string(fam));
  json_object_set_new(o, "address", json_string(addr));
  json_object_set_new(o, "port", json_integer(port));
  if (c->kind != CK_RAW && c->len > 0) {
    pt_http_status hs = pt_http_parse(c->buf, c->len, req);
    if (hs != PT_HTTP_NOT_HTTP) {
      is_http = true;
      if (answer && !c->answered && !c->error)
        http_answer(c, req);
      json_t *h = json_object();
      set_slice(h, "method", req->method);
      set_slice(h, "path", req->target);
      set_slice(h, "host", req->host);
      set_slice(h, "user_agent", req->user_agent);
      set_slice(h, "content_type", req->content_type);
      if (req->has_content_length)
        json_object_set_new(h, "content_length",
                            json_integer((json_int_t)req->content_length));
      json_object_set_new(h, "complete", json_boolean(hs == PT_HTTP_COMPLETE));
      json_object_set_new(h, "answered", json_boolean(c->answered));
      if (c->ws && c->ws_off <= c->len && (ws = malloc(c->len + 1))) {
        pt_ws_info wi;
        wslen = pt_ws_unmask(c->buf + c->ws_off, c->len - c->ws_off, ws,
                             c->len, &wi);
        json_t *w = json_object();
        json_object_set_new(w, "frames", json_integer(wi.frames));
        json_object_set_new(w, "data_frames", json_integer(wi.data_frames));
        json_object_set_new(w, "closed", json_boolean(wi.saw_close));
        json_object_set_new(w, "excerpt",
                            pt_json_bytes(ws, wslen, FN_EXCERPT_MAX));
        json_object_set_new(h, "websocket", w);
      }
      json_object_set_new(o, "http", h);
      if (hostname == NULL && req->host.p != NULL && req->host.len > 0)
        hostname = host_name(req->host);
    } else if (c->hello == NULL) {
      tls = calloc(1, sizeof(*tls));
      pt_tls_status ts =
          tls ? pt_tls_parse_client_hello(c->buf, c->len, tls) : PT_TLS_NOT_TLS;
      if (ts == PT_TLS_OK)
        add_hello(o, tls, &hostname);
      else if (ts != PT_TLS_NOT_TLS)
        json_object_set_new(o, "tls_error", json_string(pt_tls_status_str(ts)));
      if (ts != PT_TLS_OK) {
        free(tls);
        tls = NULL;
      }
    }
  }
  if (c->hello != NULL) {
    /* Intercepted: the ClientHello as above, and what became of it. */
    add_hello(o, c->hello, &hostname);
    json_object_set_new(o, "tls_intercepted",
                        json_boolean(pt_tls_conn_established(c->tls)));
    const char *failed = pt_tls_conn_error(c->tls);
    if (failed != NULL)
      json_object_set_new(o, "tls_error", json_string(failed));
  }
  if (c->served != SV_NONE)
    json_object_set_new(
        o, c->served == SV_SMTP ? "smtp" : "ftp",
        json_pack("{s:b,s:b}", "greeted", c->sv_greeted, "quit",
                  c->served == SV_SMTP ? c->smtp.quit : c->ftp.quit));
  json_object_set_new(o, "hostname", hostname ? json_incref(hostname)
                                              : json_null());
  json_object_set_new(o, "bytes", json_integer((json_int_t)c->total));
  json_object_set_new(o, "truncated", json_boolean(c->total > c->len));
  json_object_set_new(o, "closed", json_string(c->error ? "error" : why));
  json_object_set_new(
      o, "duration_ms",
      json_integer((json_int_t)((pt_now_ns() - c->t_start) / 1000000)));
  json_object_set_new(o, "excerpt",
                      pt_json_bytes(c->buf, c->len, FN_EXCERPT_MAX));
  pt_events_emit(fn->cfg.events, c->pid, "net", o);

  json_t *extra = json_pack("{s:s,s:s,s:i,s:o}", "proto", "tcp", "address",
                            addr, "port", (int)port, "hostname",
                            hostname ? hostname : json_null());
  char where[INET6_ADDRSTRLEN + 16];
  snprintf(where, sizeof(where), fam[3] == '6' ? "tcp:[%s]:%u" : "tcp:%s:%u",
           addr, port);
  if (extra)
    conn_tokens(c, extra, where, req, is_http, c->hello ? c->hello : tls, ws,
                wslen);
  json_decref(extra);
  free(ws);
  free(req);
  free(tls);
  conn_unlink_free(c);
}

/* ---- progress while data arrives ----------------------------------- */

static bool should_parse(const struct fn_conn *c) {
  if (c->len == c->parsed_len)
    return false;
  return c->len <= FN_PARSE_ALWAYS || c->len >= c->cap ||
         c->len - c->parsed_len >= c->parsed_len / 4 ||
         (c->complete_at != 0 && c->len >= c->complete_at);
}

/* Returns false when c was closed. */
static bool dns_progress(struct fn_conn *c) {
  struct pt_fakenet *fn = c->fn;
  for (;;) {
    const uint8_t *msg;
    size_t mlen, consumed;
    pt_dns_status st = pt_dns_tcp_frame(c->buf, c->len, &msg, &mlen, &consumed);
    if (st == PT_DNS_NEED_MORE)
      return true;
    if (st != PT_DNS_OK || ++c->dns_queries > FN_DNS_TCP_MAX_QUERIES) {
      conn_close(c, "error", false);
      return false;
    }
    cleanup_free uint8_t *out = malloc(FN_DNS_TCP_CAP);
    if (out == NULL) {
      conn_close(c, "error", false);
      return false;
    }
    size_t olen = fn_dns_answer(fn, msg, mlen, FN_DNS_TCP,
                                (const struct sockaddr *)&c->local, c->llen,
                                out, FN_DNS_TCP_CAP);
    if (olen > 0)
      send_best_effort(c->fd, out, olen);
    memmove(c->buf, c->buf + consumed, c->len - consumed);
    c->len -= consumed;
  }
}

/* Frames so far: a close frame gets ours (clients such as `ws` wait for
 * it before they give up the socket), then we half-close as for HTTP.
 * Returns false when c was closed (at the cap). */
static bool ws_progress(struct fn_conn *c) {
  if (c->len >= c->cap) {
    conn_close(c, "cap", false);
    return false;
  }
  if (c->ws_closed || !should_parse(c))
    return true;
  c->parsed_len = c->len;
  pt_ws_info info;
  (void)pt_ws_unmask(c->buf + c->ws_off, c->len - c->ws_off, NULL, 0, &info);
  if (!info.saw_close)
    return true;
  static const uint8_t close_frame[2] = {0x88, 0x00};
  conn_send(c, close_frame, sizeof(close_frame), true);
  shutdown(c->fd, SHUT_WR);
  c->ws_closed = true;
  return true;
}

/* A raw stream whose first line is an IRC client's NICK, USER, PASS or CAP
 * gets a server's answers (irc.h): a bot waits for the welcome before it
 * joins and sends what it came to send. What it sends stays in buf for
 * the token scan, as for any raw stream. */
static void irc_progress(struct fn_conn *c) {
  if (!c->irc_on) {
    if (c->irc_checked || c->len == 0)
      return;
    if (!pt_irc_is_client(c->buf, c->len)) {
      if (memchr(c->buf, '\n', c->len) != NULL || c->len >= 512)
        c->irc_checked = true; /* a whole first line that is not IRC */
      return;
    }
    c->irc_on = c->irc_checked = true;
  }
  char out[PT_IRC_REPLY_MAX];
  size_t n = pt_irc_feed(&c->irc, c->buf, c->len, out, sizeof(out));
  if (n > 0)
    conn_send(c, out, n, false);
}

static void served_greet(struct fn_conn *c) {
  char out[256];
  size_t n =
      c->served == SV_FTP
          ? pt_ftp_greeting(out, sizeof(out))
          : pt_smtp_greeting(pt_fakenet_name_for(
                                 c->fn, (const struct sockaddr *)&c->local,
                                 c->llen),
                             out, sizeof(out));
  conn_send(c, out, n, false);
  c->sv_greeted = true;
}

/* The served protocol's answers to what buf holds; *tls: the client's TLS
 * begins at *off; *quit: it said goodbye. */
static size_t served_feed(struct fn_conn *c, char *out, size_t cap,
                          size_t **off, bool **tls, bool **quit) {
  bool can_tls = c->tls == NULL && c->fn->cfg.tls != NULL;
  if (c->served == SV_SMTP) {
    *off = &c->smtp.off;
    *tls = &c->smtp.starttls;
    *quit = &c->smtp.quit;
    return pt_smtp_feed(&c->smtp, c->buf, c->len, can_tls, out, cap);
  }
  *off = &c->ftp.off;
  *tls = &c->ftp.tls;
  *quit = &c->ftp.quit;
  const uint8_t *a4 =
      c->local.ss_family == AF_INET
          ? (const uint8_t *)&((struct sockaddr_in *)&c->local)->sin_addr
          : NULL;
  return pt_ftp_feed(&c->ftp, c->buf, c->len, a4, can_tls, out, cap);
}

/* A client of a protocol whose server speaks first (mail, FTP): the
 * server's answers to its lines; its TLS (465's, or after STARTTLS or
 * AUTH TLS) intercepted as any other, the session then going on inside
 * it. What it sends stays in buf for the token scan (the commands before
 * its TLS excepted). Returns false when c was closed. */
static bool served_progress(struct fn_conn *c) {
  if (c->len >= c->cap) {
    conn_close(c, "cap", false);
    return false;
  }
  if (c->smtp.quit || c->ftp.quit)
    return true; /* waiting for the client to close */
  if (c->sv_tls_wait) {
    pt_tls_hello h;
    pt_tls_status ts = pt_tls_parse_client_hello(c->buf, c->len, &h);
    if (ts == PT_TLS_NEED_MORE)
      return true;
    if (ts != PT_TLS_OK || c->fn->cfg.tls == NULL || !tls_intercept(c, &h)) {
      conn_close(c, "tls", false);
      return false;
    }
    c->sv_tls_wait = false;
    /* A new session inside TLS (RFC 3207 4.2); FTP's goes on. */
    c->smtp = (pt_smtp){0};
    c->ftp.off = 0;
  }
  if (!c->sv_greeted) {
    if (c->tls == NULL || !pt_tls_conn_established(c->tls))
      return true;
    served_greet(c);
  }
  char out[PT_SMTP_REPLY_MAX > PT_FTP_REPLY_MAX ? PT_SMTP_REPLY_MAX
                                                : PT_FTP_REPLY_MAX];
  size_t n, *off;
  bool *tls, *quit;
  while ((n = served_feed(c, out, sizeof(out), &off, &tls, &quit)) > 0)
    conn_send(c, out, n, *quit);
  if (*tls) {
    /* Its TLS follows the line we answered: what came before goes. */
    memmove(c->buf, c->buf + *off, c->len - *off);
    c->len -= *off;
    c->parsed_len = 0;
    c->sv_tls_wait = true;
    *tls = false;
    return c->len > 0 ? served_progress(c) : true;
  }
  if (*quit) {
    shutdown(c->fd, SHUT_WR);
    c->answered = true;
  }
  return true;
}

/* Returns false when c was closed. */
static bool stream_progress(struct fn_conn *c) {
  if (c->tls != NULL && pt_tls_conn_error(c->tls) != NULL) {
    conn_close(c, "tls", false); /* our certificate refused, say */
    return false;
  }
  if (c->served != SV_NONE)
    return served_progress(c);
  if (c->ws)
    return ws_progress(c);
  if (c->answered)
    return true; /* waiting for the client to close; input discarded */
  bool full = c->len >= c->cap;
  if (c->kind == CK_RAW) {
    if (full) {
      conn_close(c, "cap", false);
      return false;
    }
    irc_progress(c);
    return true;
  }
  if (!should_parse(c))
    return true;
  c->parsed_len = c->len;
  pt_http_req *req = malloc(sizeof(*req));
  if (req == NULL)
    return true; /* retried at the next read, or decided at close */
  pt_http_status hs = pt_http_parse(c->buf, c->len, req);
  if (hs != PT_HTTP_NOT_HTTP) {
    if (hs == PT_HTTP_COMPLETE && ws_answer(c, req)) {
      free(req);
      return ws_progress(c); /* frames may have come with the request */
    }
    if (hs == PT_HTTP_COMPLETE || full)
      http_answer(c, req);
    else if (req->headers_complete && !req->chunked &&
             req->has_content_length &&
             req->content_length < c->cap - req->body_offset)
      c->complete_at = req->body_offset + (size_t)req->content_length;
    free(req);
    return true;
  }
  free(req);
  pt_tls_hello h;
  pt_tls_status ts = c->tls ? PT_TLS_NOT_TLS
                            : pt_tls_parse_client_hello(c->buf, c->len, &h);
  if (ts == PT_TLS_OK && c->fn->cfg.tls != NULL && tls_intercept(c, &h))
    return true; /* the plaintext comes with the next reads */
  if (ts == PT_TLS_OK || ts == PT_TLS_MALFORMED) {
    /* Nothing more will come before a ServerHello we will not send. */
    conn_close(c, "tls", false);
    return false;
  }
  if (ts == PT_TLS_NOT_TLS)
    c->kind = CK_RAW;
  if (full) {
    conn_close(c, "cap", false);
    return false;
  }
  if (c->kind == CK_RAW)
    irc_progress(c);
  return true;
}

static void on_conn(void *ctx, int fd, uint32_t events) {
  (void)fd;
  (void)events;
  struct fn_conn *c = ctx;
  conn_read(c);
  if (c->kind == CK_DNS) {
    if (!dns_progress(c))
      return;
  } else if (!stream_progress(c)) {
    return;
  }
  if (c->eof || c->error)
    conn_close(c, "eof", true);
}

static struct fn_conn *conn_new(struct fn_sock *s, int cfd) {
  struct pt_fakenet *fn = s->fn;
  struct fn_conn *c = calloc(1, sizeof(*c));
  if (c == NULL) {
    close(cfd);
    return NULL;
  }
  c->fn = fn;
  c->fd = cfd;
  c->llen = sizeof(c->local);
  /* With AnyIP the listener on 0.0.0.0:port accepts for every address: the
   * accepted socket's own name is what the sample connected to. */
  if (getsockname(cfd, (struct sockaddr *)&c->local, &c->llen) < 0) {
    close(cfd);
    free(c);
    return NULL;
  }
  c->pid = fn_who(fn, IPPROTO_TCP, (const struct sockaddr *)&c->local, c->llen);
  c->kind = s->port == 53 ? CK_DNS : CK_UNKNOWN;
  c->cap = c->kind == CK_DNS ? FN_DNS_TCP_CAP : fn->cfg.capture_cap;
  c->t_start = c->t_last = pt_now_ns();
  if (fn->loop && pt_loop_add(fn->loop, cfd, EPOLLIN, on_conn, c, NULL) < 0) {
    close(cfd);
    free(c);
    return NULL;
  }
  c->next = fn->conns;
  if (fn->conns)
    fn->conns->prev = c;
  fn->conns = c;
  fn->nconns++;
  fn->st.tcp_conns++;
  if (c->kind != CK_DNS &&
      (pt_smtp_port(s->port) || pt_ftp_port(s->port))) {
    /* The server speaks first: greeted now, or once 465's TLS is up. */
    c->served = pt_ftp_port(s->port) ? SV_FTP : SV_SMTP;
    if (pt_smtp_implicit_tls(s->port))
      c->sv_tls_wait = true;
    else
      served_greet(c);
  }
  return c;
}

/* Returns false when the listener has nothing more (or must pause). */
static bool accept_one(struct fn_sock *s, struct fn_conn **out) {
  struct pt_fakenet *fn = s->fn;
  *out = NULL;
  int cfd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (cfd < 0) {
    if (errno == EINTR || errno == ECONNABORTED)
      return true;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
        errno == ENOMEM) {
      /* Level-triggered epoll would call us again at once for a backlog
       * we cannot take: pause until the next sweep. */
      s->paused = true;
      if (fn->loop)
        pt_loop_mod(fn->loop, s->fd, 0);
    }
    return false;
  }
  if (fn->nconns >= fn->cfg.max_conns) {
    fn->st.conns_refused++;
    close(cfd);
    return true;
  }
  *out = conn_new(s, cfd);
  return true;
}

void fn_on_listen(void *ctx, int fd, uint32_t events) {
  (void)fd;
  (void)events;
  struct fn_sock *s = ctx;
  struct fn_conn *c;
  for (int i = 0; i < FN_ACCEPT_BATCH && accept_one(s, &c); i++)
    ;
}

void fn_drain_listener(struct fn_sock *s) {
  struct fn_conn *c;
  for (unsigned i = 0; i < s->fn->cfg.max_conns * 2 && accept_one(s, &c); i++)
    if (c != NULL)
      conn_read(c);
}

void fn_conns_sweep(struct pt_fakenet *fn, uint64_t now) {
  uint64_t idle = (uint64_t)fn->cfg.idle_ms * 1000000ull;
  uint64_t life = (uint64_t)fn->cfg.lifetime_ms * 1000000ull;
  struct fn_conn *next;
  for (struct fn_conn *c = fn->conns; c; c = next) {
    next = c->next;
    if (now - c->t_last >= idle)
      conn_close(c, "idle", true);
    else if (now - c->t_start >= life)
      conn_close(c, "lifetime", true);
  }
}

void fn_conns_finish(struct pt_fakenet *fn) {
  while (fn->conns) {
    struct fn_conn *c = fn->conns;
    conn_read(c);
    if (c->kind == CK_DNS) {
      if (dns_progress(c))
        conn_close(c, "finish", false);
      continue;
    }
    conn_close(c, c->eof ? "eof" : "finish", false);
  }
}

void fn_conns_free(struct pt_fakenet *fn) {
  while (fn->conns)
    conn_unlink_free(fn->conns);
}
