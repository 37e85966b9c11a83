/* A git push over smart HTTP, answered as an empty repository that takes
 * it, so that the client sends its pack (the commits, trees and blobs it
 * pushes) and the fake network's scan sees what they carry: stealers
 * commit CI secrets or stolen files and push them (git push, or a git
 * library's own HTTP). Without these answers git gives up at its first
 * request, before any content is sent. Pure builders over byte buffers,
 * like httpreq.h; nothing is allocated. */
#ifndef PT_HTTPGIT_H
#define PT_HTTPGIT_H

#include <stddef.h>

#include "httpreq.h"

typedef enum pt_git_push_step {
  PT_GIT_NONE = 0,
  PT_GIT_REFS, /* GET .../info/refs?service=git-receive-pack */
  PT_GIT_PACK, /* POST .../git-receive-pack: commands, then the pack */
} pt_git_push_step;

/* Which request of a push r is, by method, path and query. */
pt_git_push_step pt_git_push_step_of(const pt_http_req *r);

/* The answer to PT_GIT_REFS: no ref, the capabilities report-status,
 * delete-refs and ofs-delta (no side band: the report comes bare).
 * Returns its length, or -1 if cap is too small. */
int pt_git_write_refs(char *out, size_t cap);

/* The answer to PT_GIT_PACK, body the request's (decoded) body: "unpack
 * ok" and "ok REF" for each command's ref (at most 16; a ref of odd bytes
 * is left out), as a server that took the push reports it. Returns its
 * length, or -1 if cap is too small. */
int pt_git_write_report(const void *body, size_t len, char *out, size_t cap);

#endif
