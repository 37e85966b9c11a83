/* libFuzzer harness: the fake FTP server's answers (runner/ftp.c). The
 * stream is fed in growing prefixes (the first byte picks the step,
 * whether AUTH TLS is on offer and whether the client is on IPv4), as a
 * socket delivers it, and each prefix until nothing more is said, as the
 * fake network does; the answer never
 * exceeds its room, the read offset never passes the stream's end, and
 * what we send is whole lines of printable bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftp.h"
#include "fuzz/fuzz_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > 1 << 16)
    return 0;
  size_t step = (size_t)data[0] % 64 + 1;
  bool tls = data[0] & 0x80;
  const uint8_t *s = data + 1;
  size_t n = size - 1;
  static char out[PT_FTP_REPLY_MAX];
  static const uint8_t v4[4] = {198, 18, 0, 1};
  const uint8_t *a4 = data[0] & 0x40 ? v4 : NULL;
  size_t g = pt_ftp_greeting(out, sizeof(out));
  ASSERT(g > 0 && g < sizeof(out) && out[g - 1] == '\n' &&
         memchr(out, '\n', g) == out + g - 1);
  pt_ftp st;
  memset(&st, 0, sizeof(st));
  for (size_t len = 0;; len += step) {
    if (len > n)
      len = n;
    size_t k, prev;
    do {
      prev = st.off;
      k = pt_ftp_feed(&st, s, len, a4, tls, out, sizeof(out));
      ASSERT(k < sizeof(out) && st.off <= len && st.off >= prev);
      ASSERT(k == 0 || (k >= 2 && out[k - 2] == '\r' && out[k - 1] == '\n'));
      for (size_t i = 0; i < k; i++)
        ASSERT(out[i] == '\r' || out[i] == '\n' ||
               ((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7f));
    } while (k > 0);
    if (len == n || st.tls || st.quit)
      break;
  }
  return 0;
}
