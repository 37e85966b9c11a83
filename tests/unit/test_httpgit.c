/* runner/httpgit.c: which request of a git push is which, the empty
 * repository's advertisement (pkt-lines whose lengths add up, the
 * capabilities git needs to send a pack) and the report of what a push's
 * commands named, from well-formed and broken bodies. The whole exchange
 * with a real git client is tests/triage.cmake's wheel_sphinx_ci_push. */
#include "httpgit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static pt_git_push_step step_of(const char *req) {
  pt_http_req r;
  if (pt_http_parse(req, strlen(req), &r) == PT_HTTP_NOT_HTTP)
    return (pt_git_push_step)-1;
  return pt_git_push_step_of(&r);
}

static void test_steps(void) {
  static const struct {
    const char *req;
    pt_git_push_step want;
  } cases[] = {
      {"GET /r.git/info/refs?service=git-receive-pack HTTP/1.1\r\n\r\n",
       PT_GIT_REFS},
      {"GET /r.git/info/refs?x=1&service=git-receive-pack HTTP/1.1\r\n\r\n",
       PT_GIT_REFS},
      {"POST /r.git/git-receive-pack HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
       PT_GIT_PACK},
      {"POST http://h.test/r.git/git-receive-pack HTTP/1.1\r\n"
       "Content-Length: 0\r\n\r\n",
       PT_GIT_PACK},
      /* A fetch, not a push: answered as any download. */
      {"GET /r.git/info/refs?service=git-upload-pack HTTP/1.1\r\n\r\n",
       PT_GIT_NONE},
      {"GET /r.git/info/refs?service=git-receive-packs HTTP/1.1\r\n\r\n",
       PT_GIT_NONE},
      {"GET /r.git/info/refs HTTP/1.1\r\n\r\n", PT_GIT_NONE},
      {"GET /r.git/git-receive-pack HTTP/1.1\r\n\r\n", PT_GIT_NONE},
      {"POST /r.git/info/refs?service=git-receive-pack HTTP/1.1\r\n"
       "Content-Length: 0\r\n\r\n",
       PT_GIT_NONE},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK(step_of(cases[i].req) == cases[i].want, "case %zu: %d, want %d", i,
          (int)step_of(cases[i].req), (int)cases[i].want);
}

/* The body after the head, and each pkt-line's length checked up to the
 * last flush; returns the body (in out) or NULL. */
static const char *body_of(const char *out, int n, const char *type) {
  CHECK(n > 0 && (size_t)n == strlen(out), "length %d", n);
  CHECK(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0, "status: %.20s", out);
  CHECK(strstr(out, type) != NULL, "type %s", type);
  const char *b = strstr(out, "\r\n\r\n");
  if (b == NULL)
    return NULL;
  b += 4;
  const char *cl = strstr(out, "Content-Length: ");
  CHECK(cl && (size_t)atoi(cl + 16) == strlen(b), "Content-Length");
  return b;
}

/* Each pkt-line in turn; false at a malformed one. */
static bool lines(const char *b, char got[][160], size_t *n) {
  *n = 0;
  while (*b) {
    unsigned len;
    if (sscanf(b, "%4x", &len) != 1)
      return false;
    if (len == 0) {
      snprintf(got[(*n)++], 160, "FLUSH");
      b += 4;
      continue;
    }
    if (len < 4 || strlen(b) < len)
      return false;
    /* The advertisement's NUL: shown as '|'. */
    size_t k = 0;
    for (unsigned i = 4; i < len && k < 159; i++)
      got[*n][k++] = b[i] ? b[i] : '|';
    got[(*n)++][k] = '\0';
    b += len;
  }
  return true;
}

static void test_refs(void) {
  char out[1024], got[8][160];
  size_t n;
  int len = pt_git_write_refs(out, sizeof(out));
  /* The NUL inside the capabilities line: strlen stops there. */
  CHECK(len > 0, "refs: %d", len);
  const char *b = strstr(out, "\r\n\r\n");
  CHECK(b != NULL, "head");
  if (b == NULL)
    return;
  b += 4;
  /* Replace the one NUL so the string helpers see all of it. */
  char copy[1024];
  size_t bl = (size_t)len - (size_t)(b - out);
  memcpy(copy, b, bl);
  copy[bl] = '\0';
  for (size_t i = 0; i < bl; i++)
    if (copy[i] == '\0')
      copy[i] = '\1';
  CHECK(strstr(out, "application/x-git-receive-pack-advertisement"), "type");
  CHECK(lines(copy, got, &n) && n == 4, "pkt-lines: %zu", n);
  CHECK(strcmp(got[0], "# service=git-receive-pack\n") == 0, "%s", got[0]);
  CHECK(strcmp(got[1], "FLUSH") == 0 && strcmp(got[3], "FLUSH") == 0,
        "flushes");
  static const char caps[] = "0000000000000000000000000000000000000000 "
                             "capabilities^{}\1report-status";
  CHECK(strncmp(got[2], caps, sizeof(caps) - 1) == 0,
        "no ref, capabilities: %s", got[2]);
  CHECK(pt_git_write_refs(out, 64) == -1, "small cap");
}

/* Appends the pkt-line of text[0..len) to buf at *at. */
static void put(char *buf, size_t *at, const char *text, size_t len) {
  char hex[5];
  snprintf(hex, sizeof(hex), "%04zx", len + 4);
  memcpy(buf + *at, hex, 4);
  memcpy(buf + *at + 4, text, len);
  *at += len + 4;
}

static void test_report(void) {
  char out[2048], got[8][160];
  size_t n;
  static const char first[] =
      "0000000000000000000000000000000000000000 "
      "1eb33232c0246f6d18ad861ebfde0e60d82d3475 refs/heads/main\0"
      "report-status ofs-delta agent=git/2.39.5\n";
  static const char second[] =
      "0000000000000000000000000000000000000000 "
      "36c1c9c5355e2d4ac6dba0e9395212ea29c92146 refs/heads/ci-42\n";
  char body[512];
  size_t bl = 0;
  put(body, &bl, first, sizeof(first) - 1);
  put(body, &bl, second, sizeof(second) - 1);
  memcpy(body + bl, "0000PACK\0\0\0\2", 12);
  bl += 12;
  int len = pt_git_write_report(body, bl, out, sizeof(out));
  const char *b = body_of(out, len, "application/x-git-receive-pack-result");
  CHECK(b && lines(b, got, &n) && n == 4, "report lines: %zu", n);
  CHECK(strcmp(got[0], "unpack ok\n") == 0, "%s", got[0]);
  CHECK(strcmp(got[1], "ok refs/heads/main\n") == 0, "%s", got[1]);
  CHECK(strcmp(got[2], "ok refs/heads/ci-42\n") == 0, "%s", got[2]);
  CHECK(strcmp(got[3], "FLUSH") == 0, "%s", got[3]);
  /* Broken bodies: a report with no ref, never a read past the body. */
  static const char *broken[] = {"", "00", "zzzz", "ffff short",
                                 "0008abcd0000", "0003"};
  for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
    len = pt_git_write_report(broken[i], strlen(broken[i]), out, sizeof(out));
    b = body_of(out, len, "application/x-git-receive-pack-result");
    CHECK(b && lines(b, got, &n) && n == 2, "broken %zu: %zu lines", i, n);
  }
  /* A ref of odd bytes is left out, not echoed. */
  static const char odd[] = "0000000000000000000000000000000000000000 "
                            "1111111111111111111111111111111111111111 a b\n";
  bl = 0;
  put(body, &bl, odd, sizeof(odd) - 1);
  len = pt_git_write_report(body, bl, out, sizeof(out));
  b = body_of(out, len, "application/x-git-receive-pack-result");
  CHECK(b && lines(b, got, &n) && n == 2, "odd ref: %zu lines", n);
}

int main(void) {
  test_steps();
  test_refs();
  test_report();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("httpgit: ok\n");
  return 0;
}
