/* One base64 character's value, either alphabet (standard `+/`, URL-safe
 * `-_`), or -1 (`=` included). Decoders are written by hand where this is
 * used (tokscan_nested.c, doh.c): the static `run` front and the jail load
 * no libcrypto (runner/dlib.h), and each wants its own rules for padding
 * and bad characters. */
#ifndef PKGTRAP_B64_H
#define PKGTRAP_B64_H

static inline int pt_b64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

#endif
