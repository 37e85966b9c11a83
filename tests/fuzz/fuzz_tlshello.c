/* libFuzzer harness: TLS ClientHello parsing over single and fragmented
 * records. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlshello.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static pt_tls_hello h;
  pt_tls_status st = pt_tls_parse_client_hello(data, size, &h);
  ASSERT(h.sni_len <= PT_TLS_SNI_MAX && h.nalpn <= PT_TLS_ALPN_MAX &&
         h.nversions <= PT_TLS_VERSIONS_MAX);
  if (h.has_sni)
    ASSERT(h.sni[h.sni_len] == '\0');
  for (size_t i = 0; i < h.nalpn; i++)
    ASSERT(strlen(h.alpn[i]) <= PT_TLS_ALPN_LEN_MAX);
  if (st == PT_TLS_OK) {
    ASSERT(h.consumed > 0 && h.consumed <= size && h.hello_len + 4 <= PT_TLS_HELLO_MAX);
    char v[16];
    pt_tls_version_str(h.max_version, v, sizeof(v));
    /* The records up to consumed hold the whole hello. */
    static pt_tls_hello h2;
    ASSERT(pt_tls_parse_client_hello(data, h.consumed, &h2) == PT_TLS_OK);
    ASSERT(h2.sni_len == h.sni_len && memcmp(h2.sni, h.sni, h.sni_len) == 0 &&
           h2.nalpn == h.nalpn && h2.max_version == h.max_version);
  }
  return 0;
}
