/* Git's smart-HTTP push, as an empty repository answers it (httpgit.h).
 * The wire format is git's pkt-line: four hex digits giving the line's
 * length, those four included, then the line; "0000" ends a section
 * (gitprotocol-pack(5), gitprotocol-http(5)). Written by hand: a few
 * lines, and libgit2 has no server side. */
#include "httpgit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define REFS_MAX 16

static bool ends_with(pt_http_slice s, const char *lit) {
  size_t n = strlen(lit);
  return s.len >= n && memcmp(s.p + s.len - n, lit, n) == 0;
}

pt_git_push_step pt_git_push_step_of(const pt_http_req *r) {
  if (r->method.p == NULL || r->target.p == NULL)
    return PT_GIT_NONE;
  pt_http_slice path = r->target, query = {NULL, 0};
  const char *q = memchr(path.p, '?', path.len);
  if (q != NULL) {
    query = (pt_http_slice){q + 1, (size_t)(path.p + path.len - q - 1)};
    path.len = (size_t)(q - path.p);
  }
  bool get = r->method.len == 3 && memcmp(r->method.p, "GET", 3) == 0;
  bool post = r->method.len == 4 && memcmp(r->method.p, "POST", 4) == 0;
  if (post && ends_with(path, "/git-receive-pack"))
    return PT_GIT_PACK;
  if (!get || !ends_with(path, "/info/refs"))
    return PT_GIT_NONE;
  static const char want[] = "service=git-receive-pack";
  const size_t wl = sizeof(want) - 1;
  for (size_t i = 0; i + wl <= query.len; i++)
    if ((i == 0 || query.p[i - 1] == '&') &&
        memcmp(query.p + i, want, wl) == 0 &&
        (i + wl == query.len || query.p[i + wl] == '&'))
      return PT_GIT_REFS;
  return PT_GIT_NONE;
}

/* Appends the pkt-line of text (len bytes) at out + *at. */
static bool pkt(char *out, size_t cap, size_t *at, const char *text,
                size_t len) {
  if (len + 4 > 0xffff || *at + len + 4 >= cap)
    return false;
  snprintf(out + *at, 5, "%04zx", len + 4);
  memcpy(out + *at + 4, text, len);
  *at += len + 4;
  out[*at] = '\0';
  return true;
}

static bool flush(char *out, size_t cap, size_t *at) {
  if (*at + 4 >= cap)
    return false;
  memcpy(out + *at, "0000", 5);
  *at += 4;
  return true;
}

/* Body built first into out + room (room: the head's most), then the
 * head put before it. */
static int answer(char *out, const char *type, size_t room,
                  size_t body_len) {
  char h[256];
  int hn = pt_http_write_ok_head(h, sizeof(h), type, body_len);
  if (hn < 0 || (size_t)hn > room)
    return -1;
  memmove(out + hn, out + room, body_len);
  memcpy(out, h, (size_t)hn);
  out[hn + body_len] = '\0';
  return hn + (int)body_len;
}

int pt_git_write_refs(char *out, size_t cap) {
  static const char svc[] = "# service=git-receive-pack\n";
  /* No ref: the zero id and "capabilities^{}" carry the capabilities. */
  static const char none[] =
      "0000000000000000000000000000000000000000 capabilities^{}\0"
      "report-status delete-refs ofs-delta agent=git/2.43.0\n";
  const size_t room = 256;
  if (cap <= room)
    return -1;
  size_t at = room;
  if (!pkt(out, cap, &at, svc, sizeof(svc) - 1) || !flush(out, cap, &at) ||
      !pkt(out, cap, &at, none, sizeof(none) - 1) || !flush(out, cap, &at))
    return -1;
  return answer(out, "application/x-git-receive-pack-advertisement",
                room, at - room);
}

int pt_git_write_report(const void *body, size_t len, char *out,
                        size_t cap) {
  static const char unpack[] = "unpack ok\n";
  const size_t room = 256;
  if (cap <= room)
    return -1;
  size_t at = room;
  if (!pkt(out, cap, &at, unpack, sizeof(unpack) - 1))
    return -1;
  /* The commands: "OLD NEW REF" (the first with "\0CAPABILITIES"), each a
   * pkt-line, up to the flush before the pack. */
  const char *b = body;
  size_t i = 0;
  for (int refs = 0; refs < REFS_MAX && i + 4 <= len; refs++) {
    unsigned n;
    char hex[5];
    memcpy(hex, b + i, 4);
    hex[4] = '\0';
    if (strspn(hex, "0123456789abcdefABCDEF") != 4 ||
        sscanf(hex, "%4x", &n) != 1 || n < 4 || i + n > len)
      break; /* "0000" (n 0) ends them */
    const char *line = b + i + 4, *end = line + (n - 4);
    const char *sp1 = memchr(line, ' ', (size_t)(end - line));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))
                          : NULL;
    i += n;
    if (sp2 == NULL)
      continue;
    const char *ref = sp2 + 1, *stop = ref;
    while (stop < end && *stop != '\0' && *stop != '\n')
      stop++;
    char line_out[300];
    size_t rl = (size_t)(stop - ref);
    bool plain = rl > 0 && rl < 256;
    for (size_t k = 0; plain && k < rl; k++)
      plain = ref[k] > ' ' && ref[k] < 0x7f;
    if (!plain)
      continue;
    int ln = snprintf(line_out, sizeof(line_out), "ok %.*s\n", (int)rl, ref);
    if (!pkt(out, cap, &at, line_out, (size_t)ln))
      return -1;
  }
  if (!flush(out, cap, &at))
    return -1;
  return answer(out, "application/x-git-receive-pack-result", room,
                at - room);
}
