/* libFuzzer harness: WebSocket frame unmasking and the handshake (runner/
 * websocket.c). The first byte picks an output room, so the cap's edge is
 * driven too; the output never exceeds it, and an upgrade's answer always
 * fits PT_WS_ACCEPT_MAX. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "websocket.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > PT_HTTP_INPUT_MAX)
    return 0;
  size_t cap = (size_t)data[0] * 16;
  uint8_t *out = malloc(cap + 1);
  if (out == NULL)
    return 0;
  pt_ws_info wi;
  size_t n = pt_ws_unmask(data + 1, size - 1, out, cap, &wi);
  ASSERT(n <= cap && n <= size - 1);
  ASSERT(wi.data_frames <= wi.frames);
  free(out);

  static pt_http_req r;
  if (pt_http_parse(data + 1, size - 1, &r) == PT_HTTP_COMPLETE) {
    pt_http_slice key;
    if (pt_ws_is_upgrade(&r, &key)) {
      char acc[PT_WS_ACCEPT_MAX];
      ASSERT(pt_ws_write_accept(key, acc, sizeof(acc)) > 0);
    }
  }
  return 0;
}
