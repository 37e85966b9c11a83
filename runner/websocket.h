/* WebSocket (RFC 6455) for the fake network: a client's opening handshake
 * is answered with "101 Switching Protocols", and the frames that follow
 * are unmasked so the token scanner sees what a sample sends. A client's
 * frames are always masked with a random key (§5.3), which hides a token
 * from a scan of the raw bytes; a hand-rolled exfiltration channel or a
 * library such as `ws` or `websocket-client` looks the same.
 *
 * Pure functions over byte buffers (no sockets, nothing allocated), so the
 * fuzzer can drive them. */
#ifndef PT_WEBSOCKET_H
#define PT_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "httpreq.h"

/* A base64 16-byte nonce is 24 characters; anything much longer is not a
 * key we answer. */
#define PT_WS_KEY_MAX 64
/* Room pt_ws_write_accept needs. */
#define PT_WS_ACCEPT_MAX 160

/* The request asks for a WebSocket: GET with "Upgrade: websocket" (any
 * case, or among a comma list) and a Sec-WebSocket-Key; *key is that
 * value. */
bool pt_ws_is_upgrade(const pt_http_req *r, pt_http_slice *key);

/* The 101 answer for key (Sec-WebSocket-Accept: base64 of SHA-1 of the key
 * and RFC 6455's GUID, which clients check). No extension or subprotocol
 * is accepted, so permessage-deflate stays off and frames come as
 * written. Returns its length, or -1 when out is too small or the key too
 * long. */
int pt_ws_write_accept(pt_http_slice key, char *out, size_t cap);

typedef struct pt_ws_info {
  unsigned frames;      /* frame headers read whole */
  unsigned data_frames; /* text, binary or continuation */
  bool saw_close;       /* a close frame (opcode 8) was read whole */
  bool truncated;       /* the input ended inside a frame */
  bool malformed;       /* reserved opcode, or a frame without a mask */
} pt_ws_info;

/* Walk the client's frames in in[0..len): the payloads of data frames,
 * unmasked and joined (a fragmented message, or a token split across
 * frames, reads as one text), go to out up to cap bytes (out may be NULL
 * with cap 0, to only fill info). A frame cut by the end of the input
 * gives what it has. Control frames other than close are skipped. Stops
 * at the first malformed header. Returns the bytes written to out. */
size_t pt_ws_unmask(const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                    pt_ws_info *info);

/* SHA-1 (FIPS 180-4) of len bytes. For the handshake's Accept value only:
 * written here because the static `pkgtrap run` front loads no libcrypto
 * (dl_crypto.h), and one 60-byte digest per upgrade does not justify it. */
void pt_sha1(const void *data, size_t len, uint8_t out[20]);

#endif
