/* HTTP/1.x requests seen by the fake network's TCP listeners: parse what a
 * sample sent (possibly only the first part of it) well enough to report
 * method, target, Host, User-Agent and the body, and write a harmless
 * "200 OK" so download-and-exec code carries on.
 *
 * Zero-copy: every pt_http_slice points into the caller's buffer, which
 * must outlive the pt_http_req. Nothing is allocated. */
#ifndef PT_HTTPREQ_H
#define PT_HTTPREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The listener keeps at most this much of a connection's first bytes. */
#define PT_HTTP_INPUT_MAX (64 * 1024)
/* Headers stored per request; more are counted in headers_dropped. */
#define PT_HTTP_MAX_HEADERS 100
/* Longest method token accepted; real ones are <= 7 ("OPTIONS"), WebDAV
 * and friends stay well under 16. */
#define PT_HTTP_METHOD_MAX 16
/* Header names longer than this are skipped (counted as malformed); values
 * longer than this are cut (value_truncated set). */
#define PT_HTTP_NAME_MAX 256
#define PT_HTTP_VALUE_MAX 8192

typedef enum pt_http_status {
  PT_HTTP_COMPLETE = 0, /* request line, headers and the whole body */
  PT_HTTP_NEED_MORE,    /* looks like HTTP so far; more bytes needed */
  PT_HTTP_NOT_HTTP,     /* not an HTTP/1.x request */
} pt_http_status;

const char *pt_http_status_str(pt_http_status st);

typedef struct pt_http_slice {
  const char *p; /* NULL when absent */
  size_t len;
} pt_http_slice;

typedef struct pt_http_header {
  pt_http_slice name, value; /* value without surrounding spaces/tabs */
  bool value_truncated;
} pt_http_header;

typedef struct pt_http_req {
  pt_http_slice method, target;
  int version_major, version_minor; /* 1.0 or 1.1 (1.x accepted) */

  /* Set once the empty line after the headers has been seen. */
  bool headers_complete;
  pt_http_header headers[PT_HTTP_MAX_HEADERS];
  size_t nheaders;
  size_t headers_dropped;   /* beyond PT_HTTP_MAX_HEADERS */
  size_t headers_malformed; /* lines without ':' or with a bad name */

  /* First occurrence of each; slices of the values above. */
  pt_http_slice host, user_agent, content_type;

  bool has_content_length;
  bool content_length_conflict; /* several different values, or junk */
  uint64_t content_length;
  bool chunked; /* Transfer-Encoding ends in "chunked" (wins over CL) */

  /* Offset of the first body byte in the buffer (valid once
   * headers_complete), and how many raw body bytes (chunk framing
   * included when chunked) are present after it. */
  size_t body_offset;
  size_t body_present;
  /* The whole body has been received (CL satisfied, last chunk seen, or
   * no body at all). */
  bool body_complete;
} pt_http_req;

/* Parse the first len bytes a client sent. NOT_HTTP as soon as the bytes
 * cannot start an HTTP/1.x request line (so a caller can try TLS or record
 * raw bytes); NEED_MORE while the request line or headers are incomplete,
 * or the body is shorter than announced. At NEED_MORE with
 * headers_complete true, every field is filled. A caller that has reached
 * its capture cap (PT_HTTP_INPUT_MAX) or the end of the connection treats
 * NEED_MORE as final and reports what was parsed. Cost is linear in len;
 * re-parse the grown buffer from the start as more bytes arrive. */
pt_http_status pt_http_parse(const void *buf, size_t len, pt_http_req *r);

/* Case-insensitive lookup of the first header called name; NULL if none. */
const pt_http_header *pt_http_find(const pt_http_req *r, const char *name);

/* Copy the body bytes present into out (at most cap), removing chunked
 * framing when r->chunked. Stops at the first malformed chunk header or
 * at the end of the data. *complete (may be NULL) is true when the body
 * ended (last chunk, or Content-Length reached). Returns bytes written. */
size_t pt_http_body(const pt_http_req *r, const void *buf, size_t len,
                    void *out, size_t cap, bool *complete);

/* The head of every 200 the fake network gives: Server, the type, the
 * length, Connection: close. Returns its length, or -1 if it does not fit
 * in cap (with its NUL). */
int pt_http_write_ok_head(char *out, size_t cap, const char *type,
                          size_t len);

/* Write a harmless "HTTP/1.1 200 OK" answer for a request of the given
 * method and target into out (NUL-terminated when it fits). The body is
 * chosen from the path's extension so that fetched code runs and does
 * nothing: ".py" -> "pass\n", ".js" -> "\n", ".json" (or a last segment
 * "json", or format=json in the query) -> the object an IP and geolocation
 * lookup answers (with a canary, also a C2 task whose command creates it:
 * see the event stream), anything
 * else (none, ".sh", a binary's name) -> "#!/bin/sh\nexit 0\n"
 * (text/plain), each padded with one comment line (JSON: white space) to
 * PT_HTTP_STUB_BODY bytes, a size downloaders accept. With a canary (a
 * path of at most PT_HTTP_CANARY_MAX bytes, of [A-Za-z0-9/._-] only), the
 * code first creates that file, quietly: `: > PATH` for the shell, an
 * open in a try for Python, fs.appendFileSync in a try for JavaScript
 * (through process.getBuiltinModule when eval'ed without require), so
 * that fetched code which was run is seen to run. HEAD gets headers
 * only. Connection: close. Returns the length, or -1 if cap is too small
 * or the canary unfit. method/target/canary may be NULL. */
#define PT_HTTP_CANARY_MAX 128
#define PT_HTTP_STUB_BODY 4096u
/* A canary fit to be pasted into a stub's code: 1..PT_HTTP_CANARY_MAX
 * bytes of [A-Za-z0-9/._-] (no quote, no blank, nothing a shell expands).
 * Also what the fake DNS's TXT stub takes (fakenet_dns.c). */
bool pt_http_canary_ok(const char *canary);
int pt_http_write_response(const char *method, size_t method_len,
                           const char *target, size_t target_len,
                           const char *canary, char *out, size_t cap);

/* Is the request a "what is my address" lookup answered in plain text
 * (api.ipify.org, icanhazip.com, checkip.amazonaws.com, ifconfig.me/ip,
 * ipinfo.io/ip...)? By its form, not a list of services: a Host whose
 * first label starts or ends with "ip", or is "ifconfig" or "ident", and
 * a path of "/" or a last segment "ip", "plain", "raw" or "text" (their
 * JSON variants are the ".json" answer's). A path naming a file (a
 * payload on an IPFS gateway) is not one. */
bool pt_http_asks_own_ip(const pt_http_req *r);

/* Its answer: the address GEO_IP of the JSON answer, one line of
 * text/plain, as those services give it (malware that checks where it
 * runs parses it, and gives up on a shell stub). HEAD gets headers only.
 * Returns the length, or -1 if cap is too small. */
int pt_http_write_own_ip(const char *method, size_t method_len, char *out,
                         size_t cap);

/* Does the request take Server-Sent Events (an Accept header naming
 * text/event-stream)? */
bool pt_http_wants_event_stream(const pt_http_req *r);

/* The answer to such a request: a stream of two events, the first's data
 * the JSON task a ".json" answer holds (a command that creates the
 * canary under the names C2 servers give it: cmd, command, exec, shell,
 * task), the second's the bare command, then the end (Connection:
 * close; "retry" asks a client that reconnects to wait 30 s). A C2 over
 * SSE (an ntfy-like topic) that runs what it is told shows as that
 * command's exec. Without a canary, a comment only. Returns the length,
 * or -1 if cap is too small or the canary unfit. */
int pt_http_write_event_stream(const char *canary, char *out, size_t cap);

#endif
