/* Internals shared by fakenet.c (sockets, lifecycle, UDP), fakenet_dns.c
 * (sinkhole names, the resolver) and fakenet_tcp.c (connections). */
#ifndef PT_FAKENET_INT_H
#define PT_FAKENET_INT_H

#include <netinet/in.h>
#include <stdbool.h>

#include "dnsmsg.h"
#include "fakenet.h"
#include "pt_loop.h"

/* Sinkhole prefixes. 198.18.0.0/15 (RFC 2544 benchmarking) is never
 * routed, so an address from it cannot be confused with a literal the
 * sample carries. Index 0 is never handed out; the last address of the
 * range is shared by every name beyond max_names. */
#define FN_SINK4_BASE 0xC6120000u /* 198.18.0.0 */
#define FN_SINK4_SIZE (1u << 17)
/* 2001:db8:5ee::/48 + index in the low 32 bits. */
extern const uint8_t fn_sink6_prefix[6];

#define FN_DEFAULT_CAPTURE (64 * 1024)
#define FN_DEFAULT_MAX_CONNS 256
#define FN_DEFAULT_MAX_SOCKETS 512
#define FN_DEFAULT_MAX_NAMES 4096
#define FN_DEFAULT_MAX_UDP_EVENTS 1000
#define FN_DEFAULT_IDLE_MS 2000
#define FN_DEFAULT_LIFETIME_MS 30000
/* Honeytoken events per connection / datagram / query. */
#define FN_MAX_TOKEN_EVENTS 16
/* Bytes of payload shown in an event. */
#define FN_EXCERPT_MAX 512
/* A DNS-over-TCP connection keeps at most one maximal message. */
#define FN_DNS_TCP_CAP (2 + 65535)

enum fn_sock_kind { FN_TCP_LISTEN, FN_UDP_RECV };

struct fn_sock {
  struct pt_fakenet *fn;
  int fd;
  int family; /* AF_INET / AF_INET6 */
  enum fn_sock_kind kind;
  uint16_t port;
  bool paused; /* accept hit EMFILE/ENFILE: re-armed by the sweep */
};

struct fn_name {
  char *text;     /* printable, lowercase: the report's form */
  uint8_t *wire;  /* lowercased wire form: the key */
  size_t wire_len;
};

struct fn_conn;

struct pt_fakenet {
  struct pt_fakenet_config cfg;
  pt_loop *loop; /* set by start, NULL after finish */
  struct jail *jail;

  /* Sockets by (kind, family, port): bit (kind*2 + v6) of have[port]. */
  uint8_t *have; /* [65536], mmap'ed: pages only for the ports used (a
                   * calloc'ed array cost every run 16 page faults) */
  struct fn_sock **socks;
  size_t nsocks, socks_alloc;
  int timer_fd;

  /* Sinkhole names: open-addressing table of indices into names. */
  struct fn_name *names;
  size_t nnames;
  uint32_t *slots; /* index + 1, 0 = empty */
  size_t nslots;

  struct fn_conn *conns; /* doubly linked, newest first */
  unsigned nconns;

  uint8_t *scratch; /* 64 KiB: datagrams and discarded stream bytes */
  struct pt_fakenet_stats st;
  unsigned udp_events;
};

/* fakenet.c */
pid_t fn_who(struct pt_fakenet *fn, int proto, const struct sockaddr *dst,
             socklen_t len);
/* "198.51.100.23" / "2001:db8::1" and the port of a sockaddr (v4-mapped
 * shown as v4). Returns the family name "ipv4"/"ipv6". */
const char *fn_addr_str(const struct sockaddr *sa, char *out, size_t cap,
                        uint16_t *port);
/* The event kind of a token match: "identity" for the jail's own
 * identity (ids PT_TOK_IDENTITY_PREFIX..., pt_session_opts.identity_workdir),
 * else "honeytoken". */
const char *fn_token_kind(const char *id);

/* Honeytoken events for matches of a scan over buf. where is "dns",
 * "http-body", "tcp:ADDR:PORT", ...; extra (may be NULL, borrowed) is
 * merged into each event. Returns the number of events emitted. */
unsigned fn_scan_tokens(struct pt_fakenet *fn, pid_t pid, const void *buf,
                        size_t len, const char *where, json_t *extra,
                        unsigned budget);

/* fakenet_dns.c */
/* The names' table: made at the first query, not by pt_fakenet_new. */
int fn_names_init(struct pt_fakenet *fn);
void fn_names_free(struct pt_fakenet *fn);
/* How a query came: its event's "proto"; TCP's answer has the length
 * prefix. */
enum fn_dns_via { FN_DNS_UDP, FN_DNS_TCP, FN_DNS_DOH };
/* Answer one query message (without TCP length prefix) into out. Emits the
 * dns event(s). Returns the answer length, or 0 when there is nothing to
 * answer (not a query: dropped, as a resolver would). */
size_t fn_dns_answer(struct pt_fakenet *fn, const uint8_t *msg, size_t len,
                     enum fn_dns_via via, const struct sockaddr *dst,
                     socklen_t dlen, uint8_t *out, size_t cap);

/* fakenet_tcp.c */
void fn_on_listen(void *ctx, int fd, uint32_t events);
/* Accept and read what is queued on a listener without waiting (finish). */
void fn_drain_listener(struct fn_sock *s);
/* Idle/lifetime sweep; now in ns. */
void fn_conns_sweep(struct pt_fakenet *fn, uint64_t now);
/* Read what is left of every connection, emit its event, close it. */
void fn_conns_finish(struct pt_fakenet *fn);
/* Close without events (free after the loop is gone). */
void fn_conns_free(struct pt_fakenet *fn);

#endif
