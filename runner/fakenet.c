/* The fake network's sockets and lifecycle: listeners and receivers opened
 * inside the jail's netns through jail_socket(), the idle-sweep timer,
 * UDP datagrams, honeytoken scanning, and finish/free. The resolver lives
 * in fakenet_dns.c, TCP connections in fakenet_tcp.c.
 *
 * Events (all carry "t", "pid", "kind" from the sink):
 *   dns        {"name","qtype","answer"(string|null),"proto":"udp|tcp",
 *               "family","server"}; a query that does not parse:
 *               {"error","proto","family","server","bytes","excerpt"}
 *   net        {"proto":"tcp|udp","family":"ipv4|ipv6","address","port",
 *               "hostname"(string|null),"bytes","excerpt", ...} plus for TCP
 *               "truncated","closed"(eof|idle|lifetime|cap|answered|tls|
 *               finish|error),"duration_ms", "sni","alpn","tls_version"
 *               when a ClientHello was seen, "http":{"method","path","host",
 *               "user_agent","content_type","content_length","complete",
 *               "answered"} when HTTP was seen (each value escaped by
 *               pt_json_bytes)
 *   honeytoken {"token","encoding","where", and "name" (dns) or
 *               "proto","address","port","hostname" (tcp/udp)}
 *               where: "dns", "http-head", "http-body", "tls-sni",
 *               "tcp:ADDR:PORT", "udp:ADDR:PORT" (ADDR in [] for v6). */
#define _GNU_SOURCE
#include "fakenet_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/timerfd.h>

#include "pt_util.h"

/* The sweep runs this often; idle timeouts are only as precise. */
#define FN_TICK_MS 250
/* Datagrams read per wakeup, so a flood cannot starve the loop. */
#define FN_UDP_BATCH 64

static void on_udp(void *ctx, int fd, uint32_t events);
static void on_timer(void *ctx, int fd, uint32_t events);

static unsigned bit_of(enum fn_sock_kind kind, int family) {
  return 1u << ((kind == FN_TCP_LISTEN ? 0 : 2) + (family == AF_INET6));
}

pt_fakenet *pt_fakenet_new(const struct pt_fakenet_config *cfg, pt_err **err) {
  if (cfg == NULL || cfg->events == NULL) {
    pt_err_make(err, EINVAL, "fake network: no event sink");
    return NULL;
  }
  pt_fakenet *fn = calloc(1, sizeof(*fn));
  if (fn == NULL) {
    pt_err_make(err, ENOMEM, "fake network");
    return NULL;
  }
  fn->cfg = *cfg;
  struct pt_fakenet_config *c = &fn->cfg;
  if (c->capture_cap == 0)
    c->capture_cap = FN_DEFAULT_CAPTURE;
  if (c->max_conns == 0)
    c->max_conns = FN_DEFAULT_MAX_CONNS;
  if (c->max_sockets == 0)
    c->max_sockets = FN_DEFAULT_MAX_SOCKETS;
  if (c->max_names == 0)
    c->max_names = FN_DEFAULT_MAX_NAMES;
  /* The overflow address is the last of the /15: indices stay below it. */
  if (c->max_names > FN_SINK4_SIZE - 3)
    c->max_names = FN_SINK4_SIZE - 3;
  if (c->max_udp_events == 0)
    c->max_udp_events = FN_DEFAULT_MAX_UDP_EVENTS;
  if (c->idle_ms == 0)
    c->idle_ms = FN_DEFAULT_IDLE_MS;
  if (c->lifetime_ms == 0)
    c->lifetime_ms = FN_DEFAULT_LIFETIME_MS;
  fn->timer_fd = -1;
  fn->scratch = malloc(65536);
  fn->have = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (fn->have == MAP_FAILED)
    fn->have = NULL;
  if (fn->scratch == NULL || fn->have == NULL) {
    pt_fakenet_free(fn);
    pt_err_make(err, ENOMEM, "fake network");
    return NULL;
  }
  return fn;
}

pid_t fn_who(struct pt_fakenet *fn, int proto, const struct sockaddr *dst,
             socklen_t len) {
  if (fn->cfg.who == NULL)
    return 0;
  pid_t p = fn->cfg.who(fn->cfg.who_ctx, proto, dst, len);
  return p > 0 ? p : 0;
}

const char *fn_addr_str(const struct sockaddr *sa, char *out, size_t cap,
                        uint16_t *port) {
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
    inet_ntop(AF_INET, &a->sin_addr, out, (socklen_t)cap);
    *port = ntohs(a->sin_port);
    return "ipv4";
  }
  const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
  *port = ntohs(a->sin6_port);
  if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
    inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], out, (socklen_t)cap);
    return "ipv4";
  }
  inet_ntop(AF_INET6, &a->sin6_addr, out, (socklen_t)cap);
  return "ipv6";
}

const char *fn_token_kind(const char *id) {
  return strncmp(id, PT_TOK_IDENTITY_PREFIX,
                 sizeof(PT_TOK_IDENTITY_PREFIX) - 1) == 0
             ? "identity"
             : "honeytoken";
}

struct emit_ctx {
  struct pt_fakenet *fn;
  pid_t pid;
  const char *where;
  json_t *extra;
};

/* One event per (token, encoding) of a scan: a key sent twice in the
 * same request is one finding; under a layer of base64, one per token
 * that no outer layer showed (pt_tok_scan_nested). */
static void emit_token(void *ctx, const pt_tok_match *m, const char *enc) {
  struct emit_ctx *ec = ctx;
  pt_events_emit_token(ec->fn->cfg.events, ec->pid, fn_token_kind(m->id),
                       m->id, enc, ec->where, ec->extra);
}

unsigned fn_scan_tokens(struct pt_fakenet *fn, pid_t pid, const void *buf,
                        size_t len, const char *where, json_t *extra,
                        unsigned budget) {
  if (fn->cfg.tokens == NULL || len == 0 || budget == 0)
    return 0;
  struct emit_ctx ec = {.fn = fn, .pid = pid, .where = where, .extra = extra};
  /* Compressed too: what leaves is often packed (a tar.gz of ~/.ssh);
   * and XORed with a key of the sample's (an NTP packet's fields). */
  return pt_tok_scan_nested(fn->cfg.tokens, buf, len, budget,
                            PT_TOK_NEST_INFLATE | PT_TOK_NEST_XOR, emit_token,
                            &ec);
}

/* ---- sockets -------------------------------------------------------- */

static int add_sock(pt_fakenet *fn, struct fn_sock *s, pt_err **err) {
  if (fn->nsocks == fn->socks_alloc) {
    size_t na = fn->socks_alloc ? fn->socks_alloc * 2 : 16;
    struct fn_sock **p = realloc(fn->socks, na * sizeof(*p));
    if (p == NULL)
      return pt_err_make(err, ENOMEM, "fake network sockets");
    fn->socks = p;
    fn->socks_alloc = na;
  }
  fn->socks[fn->nsocks++] = s;
  return 0;
}

static int open_sock(pt_fakenet *fn, enum fn_sock_kind kind, int family,
                     uint16_t port, pt_err **err) {
  if (fn->have[port] & bit_of(kind, family))
    return 0;
  if (fn->nsocks >= fn->cfg.max_sockets)
    return pt_err_make(err, EMFILE, "fake network: at most %u sockets",
                       fn->cfg.max_sockets);
  const char *what = kind == FN_TCP_LISTEN ? "tcp" : "udp";
  const char *fam = family == AF_INET6 ? "6" : "4";
  cleanup_close int fd = jail_socket(
      fn->jail, family,
      (kind == FN_TCP_LISTEN ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0,
      err);
  if (fd < 0)
    return pt_err_wrap(err, "%s%s socket for port %u", what, fam, port);
  int one = 1;
  /* REUSEADDR: a port released to the sample and prepared again later
   * must not wait out TIME_WAIT. */
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
    return pt_err_make(err, errno, "SO_REUSEADDR");
  struct sockaddr_storage ss = {0};
  socklen_t sl;
  if (family == AF_INET6) {
    /* Separate v4 and v6 sockets: a dual-stack socket would show v4
     * peers as ::ffff:a.b.c.d and collide with the v4 socket's bind. */
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
      return pt_err_make(err, errno, "IPV6_V6ONLY");
    if (kind == FN_UDP_RECV &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0)
      return pt_err_make(err, errno, "IPV6_RECVPKTINFO");
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_any;
    a->sin6_port = htons(port);
    sl = sizeof(*a);
  } else {
    /* The destination address of a datagram (AnyIP: any address) is only
     * known from IP_PKTINFO, and a DNS answer must come *from* it. */
    if (kind == FN_UDP_RECV &&
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0)
      return pt_err_make(err, errno, "IP_PKTINFO");
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_ANY);
    a->sin_port = htons(port);
    sl = sizeof(*a);
  }
  if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
    return pt_err_make(err, errno, "bind %s%s port %u", what, fam, port);
  if (kind == FN_TCP_LISTEN && listen(fd, SOMAXCONN) < 0)
    return pt_err_make(err, errno, "listen tcp%s port %u", fam, port);
  struct fn_sock *s = calloc(1, sizeof(*s));
  if (s == NULL)
    return pt_err_make(err, ENOMEM, "fake network socket");
  *s = (struct fn_sock){
      .fn = fn, .fd = fd, .family = family, .kind = kind, .port = port};
  if (add_sock(fn, s, err) < 0) {
    free(s);
    return -1;
  }
  if (pt_loop_add(fn->loop, fd, EPOLLIN,
                  kind == FN_TCP_LISTEN ? fn_on_listen : on_udp, s,
                  err) < 0) {
    fn->nsocks--;
    free(s);
    return -1;
  }
  s->fd = steal_fd(&fd);
  fn->have[port] |= (uint8_t)bit_of(kind, family);
  fn->st.sockets = (unsigned)fn->nsocks;
  return 0;
}

static void close_sock(pt_fakenet *fn, size_t i) {
  struct fn_sock *s = fn->socks[i];
  if (fn->loop)
    pt_loop_del(fn->loop, s->fd);
  close(s->fd);
  fn->have[s->port] &= (uint8_t)~bit_of(s->kind, s->family);
  fn->socks[i] = fn->socks[--fn->nsocks];
  fn->st.sockets = (unsigned)fn->nsocks;
  free(s);
}

int pt_fakenet_start(pt_fakenet *fn, struct jail *j, pt_err **err) {
  fn->jail = j;
  fn->loop = jail_loop(j);
  cleanup_close int tfd =
      timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (tfd < 0)
    return pt_err_make(err, errno, "timerfd");
  struct itimerspec it = {
      .it_interval = {0, FN_TICK_MS * 1000000L},
      .it_value = {0, FN_TICK_MS * 1000000L},
  };
  if (timerfd_settime(tfd, 0, &it, NULL) < 0)
    return pt_err_make(err, errno, "timerfd_settime");
  if (pt_loop_add(fn->loop, tfd, EPOLLIN, on_timer, fn, err) < 0)
    return -1;
  fn->timer_fd = steal_fd(&tfd);
  if (pt_fakenet_prepare(fn, j, AF_INET, 0, 53, err) < 0)
    return pt_err_wrap(err, "fake DNS");
  return 0;
}

int pt_fakenet_prepare(pt_fakenet *fn, struct jail *j, int family,
                       int socktype, uint16_t port, pt_err **err) {
  if (family != AF_INET && family != AF_INET6)
    return pt_err_make(err, EAFNOSUPPORT, "fake network: family %d", family);
  if (port == 0)
    return pt_err_make(err, EINVAL, "fake network: port 0");
  if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
    return pt_err_make(err, ESOCKTNOSUPPORT, "fake network: type %d",
                       socktype);
  if (fn->loop == NULL || (j != NULL && j != fn->jail))
    return pt_err_make(err, EINVAL, "fake network not started");
  uint8_t want = 0;
  if (socktype != SOCK_DGRAM)
    want |= (uint8_t)(bit_of(FN_TCP_LISTEN, AF_INET) |
                      bit_of(FN_TCP_LISTEN, AF_INET6));
  if (socktype != SOCK_STREAM)
    want |= (uint8_t)(bit_of(FN_UDP_RECV, AF_INET) |
                      bit_of(FN_UDP_RECV, AF_INET6));
  if ((fn->have[port] & want) == want)
    return 0; /* the common case: one byte compared */
  /* Each socket on its own: when the sample holds 0.0.0.0:port itself,
   * [::]:port is still worth having. The first failure is reported. */
  static const int fams[] = {AF_INET, AF_INET6};
  int rc = 0;
  for (size_t k = 0; k < 2; k++)
    for (size_t f = 0; f < 2; f++) {
      enum fn_sock_kind kind = k == 0 ? FN_TCP_LISTEN : FN_UDP_RECV;
      if (!(want & bit_of(kind, fams[f])))
        continue;
      if (open_sock(fn, kind, fams[f], port, rc < 0 ? NULL : err) < 0)
        rc = -1;
    }
  if (rc < 0)
    fn->st.prepare_failed++;
  return rc;
}

void pt_fakenet_release(pt_fakenet *fn, int socktype, uint16_t port) {
  for (size_t i = fn->nsocks; i-- > 0;) {
    struct fn_sock *s = fn->socks[i];
    if (s->port != port)
      continue;
    if ((socktype == SOCK_STREAM && s->kind != FN_TCP_LISTEN) ||
        (socktype == SOCK_DGRAM && s->kind != FN_UDP_RECV))
      continue;
    close_sock(fn, i);
  }
}

/* ---- UDP ------------------------------------------------------------ */

/* Destination of a received datagram, from IP_PKTINFO/IPV6_PKTINFO. */
static bool dgram_dst(const struct fn_sock *s, struct msghdr *mh,
                      struct sockaddr_storage *dst, socklen_t *dlen) {
  memset(dst, 0, sizeof(*dst));
  for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
    if (s->family == AF_INET && c->cmsg_level == IPPROTO_IP &&
        c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof(pi));
      struct sockaddr_in *a = (struct sockaddr_in *)dst;
      a->sin_family = AF_INET;
      a->sin_addr = pi.ipi_addr;
      a->sin_port = htons(s->port);
      *dlen = sizeof(*a);
      return true;
    }
    if (s->family == AF_INET6 && c->cmsg_level == IPPROTO_IPV6 &&
        c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof(pi));
      struct sockaddr_in6 *a = (struct sockaddr_in6 *)dst;
      a->sin6_family = AF_INET6;
      a->sin6_addr = pi.ipi6_addr;
      a->sin6_port = htons(s->port);
      *dlen = sizeof(*a);
      return true;
    }
  }
  return false;
}

/* Send a DNS answer from the address the query was sent to: the resolver
 * drops answers from any other source, and with AnyIP the kernel's own
 * choice of source is not guaranteed to be that address. */
static void dns_reply_udp(const struct fn_sock *s, const void *buf, size_t len,
                          const struct sockaddr_storage *peer, socklen_t plen,
                          const struct sockaddr_storage *dst) {
  char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
  memset(cbuf, 0, sizeof(cbuf));
  struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
  struct msghdr mh = {.msg_name = (void *)peer,
                      .msg_namelen = plen,
                      .msg_iov = &iov,
                      .msg_iovlen = 1,
                      .msg_control = cbuf};
  struct cmsghdr *c = (struct cmsghdr *)cbuf;
  if (s->family == AF_INET) {
    struct in_pktinfo pi = {
        .ipi_spec_dst = ((const struct sockaddr_in *)dst)->sin_addr};
    mh.msg_controllen = CMSG_SPACE(sizeof(pi));
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(pi));
    memcpy(CMSG_DATA(c), &pi, sizeof(pi));
  } else {
    struct in6_pktinfo pi = {
        .ipi6_addr = ((const struct sockaddr_in6 *)dst)->sin6_addr};
    mh.msg_controllen = CMSG_SPACE(sizeof(pi));
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(pi));
    memcpy(CMSG_DATA(c), &pi, sizeof(pi));
  }
  /* Best effort, like any UDP server: a full buffer drops the answer. */
  (void)sendmsg(s->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void udp_datagram(struct fn_sock *s, const uint8_t *buf, size_t n,
                         bool cut, const struct sockaddr_storage *dst,
                         socklen_t dlen) {
  pt_fakenet *fn = s->fn;
  fn->st.udp_datagrams++;
  if (fn->udp_events >= fn->cfg.max_udp_events) {
    fn->st.udp_events_dropped++;
    return;
  }
  fn->udp_events++;
  pid_t pid = fn_who(fn, IPPROTO_UDP, (const struct sockaddr *)dst, dlen);
  char addr[INET6_ADDRSTRLEN];
  uint16_t port;
  const char *fam =
      fn_addr_str((const struct sockaddr *)dst, addr, sizeof(addr), &port);
  const char *host =
      pt_fakenet_name_for(fn, (const struct sockaddr *)dst, dlen);
  json_t *o = json_object();
  if (o == NULL)
    return;
  json_object_set_new(o, "proto", json_string("udp"));
  json_object_set_new(o, "family", json_string(fam));
  json_object_set_new(o, "address", json_string(addr));
  json_object_set_new(o, "port", json_integer(port));
  json_object_set_new(o, "hostname", host ? json_string(host) : json_null());
  json_object_set_new(o, "bytes", json_integer((json_int_t)n));
  if (cut)
    json_object_set_new(o, "truncated", json_true());
  json_object_set_new(o, "excerpt", pt_json_bytes(buf, n, FN_EXCERPT_MAX));
  json_t *extra = json_pack("{s:s,s:s,s:i,s:o}", "proto", "udp", "address",
                            addr, "port", (int)port, "hostname",
                            host ? json_string(host) : json_null());
  pt_events_emit(fn->cfg.events, pid, "net", o);
  char where[INET6_ADDRSTRLEN + 16];
  snprintf(where, sizeof(where), fam[3] == '6' ? "udp:[%s]:%u" : "udp:%s:%u",
           addr, port);
  size_t scan = n < fn->cfg.capture_cap ? n : fn->cfg.capture_cap;
  fn_scan_tokens(fn, pid, buf, scan, where, extra, FN_MAX_TOKEN_EVENTS);
  json_decref(extra);
}

static bool udp_read_one(struct fn_sock *s) {
  pt_fakenet *fn = s->fn;
  struct sockaddr_storage peer, dst;
  socklen_t dlen = 0;
  char cbuf[256];
  struct iovec iov = {.iov_base = fn->scratch, .iov_len = 65536};
  struct msghdr mh = {.msg_name = &peer,
                      .msg_namelen = sizeof(peer),
                      .msg_iov = &iov,
                      .msg_iovlen = 1,
                      .msg_control = cbuf,
                      .msg_controllen = sizeof(cbuf)};
  ssize_t n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
  if (n < 0)
    return errno == EINTR;
  if (!dgram_dst(s, &mh, &dst, &dlen))
    return true; /* cannot happen with PKTINFO on; skip rather than guess */
  size_t len = (size_t)n;
  bool cut = (mh.msg_flags & MSG_TRUNC) != 0;
  if (s->port == 53) {
    uint8_t out[PT_DNS_UDP_MAX];
    size_t olen = fn_dns_answer(fn, fn->scratch, len, FN_DNS_UDP,
                                (const struct sockaddr *)&dst, dlen, out,
                                sizeof(out));
    if (olen > 0)
      dns_reply_udp(s, out, olen, &peer, mh.msg_namelen, &dst);
    return true;
  }
  udp_datagram(s, fn->scratch, len, cut, &dst, dlen);
  return true;
}

static void on_udp(void *ctx, int fd, uint32_t events) {
  (void)fd;
  (void)events;
  struct fn_sock *s = ctx;
  for (int i = 0; i < FN_UDP_BATCH && udp_read_one(s); i++)
    ;
}

/* ---- timer, finish, free -------------------------------------------- */

static void on_timer(void *ctx, int fd, uint32_t events) {
  (void)events;
  pt_fakenet *fn = ctx;
  uint64_t ticks;
  if (read(fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
    return;
  fn_conns_sweep(fn, pt_now_ns());
  /* Listeners paused at EMFILE/ENFILE (level-triggered epoll would spin on
   * a backlog we cannot accept) get another chance once a tick. */
  for (size_t i = 0; i < fn->nsocks; i++)
    if (fn->socks[i]->paused) {
      fn->socks[i]->paused = false;
      pt_loop_mod(fn->loop, fn->socks[i]->fd, EPOLLIN);
    }
}

void pt_fakenet_finish(pt_fakenet *fn) {
  if (fn == NULL || fn->loop == NULL)
    return;
  /* The jail is gone; what it sent just before is still queued in our
   * sockets. Read it all (bounded by the batch sizes and caps), then
   * report every connection. */
  for (size_t i = 0; i < fn->nsocks; i++) {
    struct fn_sock *s = fn->socks[i];
    if (s->kind == FN_TCP_LISTEN)
      fn_drain_listener(s);
    else
      for (int k = 0; k < 4 * FN_UDP_BATCH && udp_read_one(s); k++)
        ;
  }
  fn_conns_finish(fn);
  while (fn->nsocks > 0)
    close_sock(fn, fn->nsocks - 1);
  if (fn->timer_fd >= 0) {
    pt_loop_del(fn->loop, fn->timer_fd);
    close(fn->timer_fd);
    fn->timer_fd = -1;
  }
  if (fn->st.conns_refused || fn->st.names_overflow ||
      fn->st.udp_events_dropped || fn->st.prepare_failed) {
    json_t *o = json_pack(
        "{s:I,s:I,s:I,s:I}", "conns_refused", (json_int_t)fn->st.conns_refused,
        "names_overflow", (json_int_t)fn->st.names_overflow,
        "udp_events_dropped", (json_int_t)fn->st.udp_events_dropped,
        "prepare_failed", (json_int_t)fn->st.prepare_failed);
    pt_events_emit(fn->cfg.events, 0, "fakenet_limits", o);
  }
  fn->loop = NULL;
}

void pt_fakenet_stats(const pt_fakenet *fn, struct pt_fakenet_stats *st) {
  *st = fn->st;
}

void pt_fakenet_free(pt_fakenet *fn) {
  if (fn == NULL)
    return;
  /* Without finish (an aborted run) the loop may already be freed: close
   * without unregistering. */
  fn->loop = NULL;
  fn_conns_free(fn);
  while (fn->nsocks > 0)
    close_sock(fn, fn->nsocks - 1);
  if (fn->timer_fd >= 0)
    close(fn->timer_fd);
  free(fn->socks);
  fn_names_free(fn);
  free(fn->scratch);
  if (fn->have)
    munmap(fn->have, 65536);
  free(fn);
}
