/* The fake network: what the supervisor runs inside the jail's network
 * namespace so that a detonated sample finds "the internet" and shows what
 * it would send there. Nothing ever leaves the machine: the jail's netns has
 * only `lo`, and AnyIP local routes (0.0.0.0/0, ::/0) make every address
 * local, so every connect lands on a socket owned by the supervisor.
 *
 *  - DNS on 53/udp and 53/tcp (IPv4 and IPv6): every A/AAAA is answered
 *    with a sinkhole address unique to the name (198.18.0.0/15 and
 *    2001:db8:5ee::/48), so a later connect to it is attributed to the name.
 *  - TCP: listeners on the ports the recorder prepares (a `connect` seen in
 *    a seccomp notification calls pt_fakenet_prepare() before CONTINUE).
 *    The first bytes of each connection are kept; HTTP/1.x gets a harmless
 *    "200 OK", a TLS ClientHello gives SNI/ALPN and, with interception
 *    (tls below), a handshake and the HTTP inside; then the connection
 *    closes.
 *  - UDP: receivers on prepared ports record each datagram.
 *
 * Every observation becomes an event in the sink (kinds "dns", "net",
 * "honeytoken"; fields in fakenet.c's header comment and docs/events.md).
 *
 * Single-threaded: every function runs on the supervisor's loop thread
 * (jail_loop()); sockets are non-blocking and nothing blocks the loop. */
#ifndef PT_FAKENET_H
#define PT_FAKENET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "events.h"
#include "jail.h"
#include "pt_err.h"
#include "tokscan.h"

typedef struct pt_fakenet pt_fakenet;

struct pt_fakenet_config {
  pt_events *events;            /* where dns/net/honeytoken events go */
  const pt_tok_scanner *tokens; /* may be NULL: no honeytoken scanning */
  /* Who made a connection or sent a datagram: proto is IPPROTO_TCP or
   * IPPROTO_UDP, dst the address:port it was sent to (as the sample named
   * it; v4 as sockaddr_in, v6 as sockaddr_in6). Called once per accepted
   * connection / received datagram / DNS query. NULL -> pid 0. */
  pid_t (*who)(void *ctx, int proto, const struct sockaddr *dst,
               socklen_t len);
  void *who_ctx;
  /* TLS interception (tlsmitm.h): a ClientHello is answered with a
   * certificate for its SNI from this authority, and what the client then
   * sends is handled as plaintext (HTTP answered, tokens scanned). NULL:
   * a ClientHello is recorded and the connection closed. */
  struct pt_tls_mitm *tls;
  /* A path in the jail that the code the HTTP answers carry creates when
   * it runs (pt_http_write_response): fetched code that was executed shows
   * as a file event on it. NULL: the answers do nothing at all. */
  const char *canary;
  /* Limits; 0 selects the default. */
  size_t capture_cap;        /* bytes kept per connection, 64 KiB */
  unsigned max_conns;        /* TCP connections tracked at once, 256 */
  unsigned max_sockets;      /* listening/receiving sockets, 512 */
  unsigned max_names;        /* distinct DNS names given an address, 4096 */
  unsigned max_udp_events;   /* datagram events (not DNS) per run, 1000 */
  unsigned idle_ms;          /* close a TCP connection silent this long, 2000 */
  unsigned lifetime_ms;      /* close any TCP connection after this, 30000 */
};

pt_fakenet *pt_fakenet_new(const struct pt_fakenet_config *cfg, pt_err **err);

/* From jail_hooks.on_start: DNS on 53/udp and 53/tcp, IPv4 and IPv6, and
 * the idle-sweep timer, all registered on jail_loop(j). */
int pt_fakenet_start(pt_fakenet *fn, struct jail *j, pt_err **err);

/* Make sure something listens on port for socktype (SOCK_STREAM: a TCP
 * listener; SOCK_DGRAM: a UDP receiver; 0: both). Both address families
 * are always opened, since an AF_INET6 socket may connect to a v4-mapped
 * address; family is accepted for the caller's convenience and only checked
 * to be AF_INET or AF_INET6. Idempotent and O(1) when already there, so the
 * recorder may call it on every connect/sendto. Fails when a socket could
 * not be opened (the others are still opened and kept): the port is taken
 * (the sample's own listener: then the sample talks to itself, which is
 * fine), max_sockets is reached, or port is 0. */
int pt_fakenet_prepare(pt_fakenet *fn, struct jail *j, int family,
                       int socktype, uint16_t port, pt_err **err);

/* The sample is about to bind port itself (the recorder saw a bind/listen
 * on it): close our listener/receiver there so its bind succeeds. Connections
 * already accepted are kept. No-op when we have none. Port 53 included. */
void pt_fakenet_release(pt_fakenet *fn, int socktype, uint16_t port);

/* The DNS name (printable form, lowercase) a sinkhole address was handed
 * out for, or NULL. addr is a sockaddr_in/sockaddr_in6 (a v4-mapped v6
 * address is understood). Valid until pt_fakenet_free(). */
const char *pt_fakenet_name_for(const pt_fakenet *fn,
                                const struct sockaddr *addr, socklen_t len);

/* From jail_hooks.on_exit: drain what is still queued (connections in the
 * accept backlog, unread bytes, datagrams), emit the events of every
 * connection still open, close every socket and take them off the loop.
 * Events are complete after this. The same pt_fakenet may then be started
 * again for the next phase's jail: names keep their sinkhole addresses, and
 * the max_udp_events budget and the stats are for the pt_fakenet's life. */
void pt_fakenet_finish(pt_fakenet *fn);

/* Counters for reports and tests. */
struct pt_fakenet_stats {
  uint64_t dns_queries, tcp_conns, udp_datagrams;
  uint64_t conns_refused;  /* accepted and closed at max_conns */
  uint64_t names_overflow; /* names answered with the shared overflow address */
  uint64_t udp_events_dropped;
  uint64_t prepare_failed;
  unsigned sockets; /* open listening/receiving sockets now */
};
void pt_fakenet_stats(const pt_fakenet *fn, struct pt_fakenet_stats *st);

/* Closes whatever finish did not (without touching the loop, which may be
 * gone by now) and frees. NULL is fine. */
void pt_fakenet_free(pt_fakenet *fn);

#endif
