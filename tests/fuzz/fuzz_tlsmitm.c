/* libFuzzer harness: TLS interception's server side (tlsmitm.c) fed what a
 * sample sends, in two pieces, for a certificate name taken from the input
 * (so leaves are made, cached, and made uncached past the cache). What it
 * exercises is mostly OpenSSL's record and handshake parsing behind our
 * memory-BIO glue: the glue's bounds are what is asserted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlsmitm.h"
#include "fuzz/fuzz_assert.h"

static void drain(pt_tls_conn *c) {
  uint8_t out[16384];
  size_t n;
  while ((n = pt_tls_conn_take_out(c, out, sizeof(out))) > 0)
    ASSERT(n <= sizeof(out));
}

static void pump(pt_tls_conn *c) {
  uint8_t buf[4096];
  for (int i = 0; i < 4; i++) {
    ssize_t n = pt_tls_conn_read(c, buf, sizeof(buf));
    ASSERT(n >= -1 && n <= (ssize_t)sizeof(buf));
    if (n <= 0)
      break;
  }
  drain(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static pt_tls_mitm *m;
  if (m == NULL && (m = pt_tls_mitm_new(NULL)) == NULL)
    abort(); /* libssl missing: nothing to fuzz */
  char name[48] = "fuzz.test";
  if (size > 0 && data[0] < 40 && size > (size_t)data[0] + 1u) {
    memcpy(name, data + 1, data[0]);
    name[data[0]] = '\0';
  }
  pt_tls_conn *c = pt_tls_conn_new(m, name);
  if (c == NULL)
    return 0; /* a name no certificate can hold */
  size_t half = size / 2;
  ASSERT(pt_tls_conn_feed(c, data, half) == 0);
  pump(c);
  ASSERT(pt_tls_conn_feed(c, data + half, size - half) == 0);
  pump(c);
  if (pt_tls_conn_established(c)) {
    ASSERT(pt_tls_conn_version(c) != NULL);
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    (void)pt_tls_conn_write(c, ok, sizeof(ok) - 1, true);
    drain(c);
  }
  const char *why = pt_tls_conn_error(c);
  if (why != NULL)
    ASSERT(strlen(why) < 160);
  pt_tls_conn_free(c);
  return 0;
}
