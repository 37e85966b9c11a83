/* libFuzzer harness: the fake IRC server's answers (runner/irc.c). The
 * stream is fed in growing prefixes (the first byte picks the step), as a
 * socket delivers it; the answer never exceeds its room, the read offset
 * never passes the stream's end, and what we send is whole lines of
 * printable bytes (a nick is echoed: nothing of the client's control
 * bytes may reach another line). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irc.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > 1 << 16)
    return 0;
  size_t step = (size_t)data[0] % 64 + 1;
  const uint8_t *s = data + 1;
  size_t n = size - 1;
  (void)pt_irc_is_client(s, n);
  pt_irc st;
  memset(&st, 0, sizeof(st));
  static char out[PT_IRC_REPLY_MAX];
  for (size_t len = 0;; len += step) {
    if (len > n)
      len = n;
    size_t k = pt_irc_feed(&st, s, len, out, sizeof(out));
    ASSERT(k < sizeof(out) && st.off <= len);
    ASSERT(k == 0 || (k >= 2 && out[k - 2] == '\r' && out[k - 1] == '\n'));
    for (size_t i = 0; i < k; i++)
      ASSERT(out[i] == '\r' || out[i] == '\n' ||
             ((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7f) ||
             (unsigned char)out[i] >= 0x80);
    if (len == n)
      break;
  }
  return 0;
}
