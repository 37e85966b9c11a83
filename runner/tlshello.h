/* TLS ClientHello inspection for the fake network: from the first bytes of
 * a connection, tell whether it is TLS and, if so, which server name (SNI),
 * ALPN protocols and versions the sample offered. We never complete a
 * handshake; the name is what the report needs.
 *
 * Pure function over a byte buffer; no allocation. */
#ifndef PT_TLSHELLO_H
#define PT_TLSHELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest ClientHello handshake message we reassemble (type + length +
 * body). Real ones are 200 bytes to ~2 KiB (post-quantum key shares); the
 * cap bounds the work per connection. */
#define PT_TLS_HELLO_MAX (16 * 1024)
/* An SNI host_name is a DNS name: at most 255 bytes. */
#define PT_TLS_SNI_MAX 255
#define PT_TLS_ALPN_MAX 16     /* protocols kept */
#define PT_TLS_ALPN_LEN_MAX 32 /* bytes kept per protocol name */
#define PT_TLS_VERSIONS_MAX 16 /* supported_versions entries kept */

typedef enum pt_tls_status {
  PT_TLS_OK = 0,
  PT_TLS_NEED_MORE, /* TLS handshake records so far, hello not complete */
  PT_TLS_NOT_TLS,   /* first bytes are not a TLS handshake record */
  PT_TLS_MALFORMED, /* TLS records, but the ClientHello is broken or larger
                       than PT_TLS_HELLO_MAX */
} pt_tls_status;

const char *pt_tls_status_str(pt_tls_status st);

typedef struct pt_tls_hello {
  uint16_t record_version; /* of the first record, usually 0x0301 */
  uint16_t legacy_version; /* client_version field, 0x0303 for TLS 1.3 */
  /* Highest version offered: the largest non-GREASE entry of
   * supported_versions if present, else legacy_version. */
  uint16_t max_version;
  uint16_t versions[PT_TLS_VERSIONS_MAX];
  size_t nversions;

  bool has_sni;
  char sni[PT_TLS_SNI_MAX + 1]; /* raw bytes, NUL-terminated; may hold any
                                   byte: escape (pt_dns_escape) to show */
  size_t sni_len;

  char alpn[PT_TLS_ALPN_MAX][PT_TLS_ALPN_LEN_MAX + 1]; /* NUL-terminated,
                                                          raw bytes */
  size_t nalpn;
  size_t alpn_dropped; /* entries beyond the cap or cut in length */

  size_t ncipher_suites;
  size_t nextensions;
  size_t hello_len; /* handshake body length */
  size_t nrecords;  /* TLS records the hello was spread over */
  size_t consumed;  /* bytes of input up to the end of the last record
                       that carried part of the hello */
} pt_tls_hello;

/* Parse the ClientHello at the start of buf. Handles a hello split across
 * several handshake records (TLS 1.2/1.3 allow fragmentation) up to
 * PT_TLS_HELLO_MAX. Decides NOT_TLS from the first bytes alone (record
 * type 22, version 3.x), so a caller can fall back to HTTP or raw. SSLv2-
 * compatible hellos are reported NOT_TLS. */
pt_tls_status pt_tls_parse_client_hello(const void *buf, size_t len,
                                        pt_tls_hello *h);

/* "TLS1.3", "TLS1.2", ..., "SSL3.0", or "0xXXXX" into out (cap >= 8). */
const char *pt_tls_version_str(uint16_t v, char *out, size_t cap);

#endif
