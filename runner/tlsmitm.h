/* TLS interception for the fake network: a certificate authority made
 * afresh for each session, whose certificate the jail trusts (the
 * session binds a CA bundle holding it over the system one), and
 * server-side TLS sessions that present a leaf certificate for the name
 * the sample asked for (SNI), signed by that authority. So a sample that
 * posts what it stole over HTTPS shows its request in the clear, like one
 * that uses plain HTTP.
 *
 * The sessions use memory BIOs: the fake network reads and writes the
 * socket itself (non-blocking, on the supervisor's loop) and passes the
 * bytes through here. OpenSSL (libssl) is loaded on first use (dl_ssl.h).
 *
 * A client that does not trust the authority (its own bundled root store:
 * a Go binary, a certifi wheel of its own) fails the handshake; the fake
 * network then reports the ClientHello (SNI, ALPN) as it does without
 * interception. */
#ifndef PT_TLSMITM_H
#define PT_TLSMITM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "pt_err.h"

typedef struct pt_tls_mitm pt_tls_mitm;
typedef struct pt_tls_conn pt_tls_conn;

/* Loads libssl and makes the authority (an EC P-256 key and a self-signed
 * certificate valid from a day ago for a year). NULL with err. */
pt_tls_mitm *pt_tls_mitm_new(pt_err **err);
void pt_tls_mitm_free(pt_tls_mitm *m);

/* The authority's certificate, PEM. */
const char *pt_tls_mitm_ca_pem(const pt_tls_mitm *m);

/* A server side for one connection, presenting a certificate for name (a
 * DNS name or an IP address literal; made once per name and kept). NULL
 * when name cannot be put in a certificate or OpenSSL fails. */
pt_tls_conn *pt_tls_conn_new(pt_tls_mitm *m, const char *name);
void pt_tls_conn_free(pt_tls_conn *c);

/* Ciphertext from the client. */
int pt_tls_conn_feed(pt_tls_conn *c, const void *buf, size_t len);
/* Advances the handshake and reads plaintext into out: the number of
 * bytes (0: none yet), or -1 when the session failed or the client closed
 * it (pt_tls_conn_error says which). */
ssize_t pt_tls_conn_read(pt_tls_conn *c, void *out, size_t room);
/* Plaintext for the client, then (close) a close_notify. */
int pt_tls_conn_write(pt_tls_conn *c, const void *buf, size_t len, bool close);
/* Ciphertext to send to the client: bytes copied into out (0: none). */
size_t pt_tls_conn_take_out(pt_tls_conn *c, void *out, size_t room);

bool pt_tls_conn_established(const pt_tls_conn *c);
/* "TLSv1.3" once established, else NULL. */
const char *pt_tls_conn_version(const pt_tls_conn *c);
/* Why the session failed ("handshake: ..."), or NULL. */
const char *pt_tls_conn_error(const pt_tls_conn *c);

#endif
