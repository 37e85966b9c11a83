/* The fake IRC server's answers (runner/irc.c): a bot's registration gets
 * the welcome once NICK and USER are both in, fed as a socket delivers
 * the stream (a line cut in two waits for its end); PING, JOIN and QUIT
 * are answered; a stream that is not IRC is not taken for it. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "irc.h"

static size_t feed(pt_irc *st, const char *s, char *out) {
  return pt_irc_feed(st, (const uint8_t *)s, strlen(s), out,
                     PT_IRC_REPLY_MAX);
}

int main(void) {
  char out[PT_IRC_REPLY_MAX];
  const char *reg = "NICK bot7\r\nUSER bot7 0 * :bot7\r\n";
  CHECK(pt_irc_is_client((const uint8_t *)reg, strlen(reg)), "NICK first");
  CHECK(pt_irc_is_client((const uint8_t *)"CAP LS 302\r\n", 12), "CAP first");
  CHECK(!pt_irc_is_client((const uint8_t *)"GET / HTTP/1.1\r\n", 16),
        "HTTP is not IRC");
  CHECK(!pt_irc_is_client((const uint8_t *)"NICKNAME x\r\n", 12),
        "a command is a whole word");
  CHECK(!pt_irc_is_client((const uint8_t *)"NICK bo", 7),
        "no whole first line yet: undecided (false)");

  pt_irc st = {0};
  char half[] = "NICK bot7\r\nUSER bot7 0 * :b";
  CHECK(feed(&st, half, out) == 0 && st.nick && !st.user,
        "NICK alone: nothing yet, the cut USER line waits");
  size_t k = feed(&st, reg, out);
  CHECK(k > 0 && strstr(out, ":irc.local 001 bot7 ") == out &&
            strstr(out, " 376 bot7 ") != NULL,
        "NICK and USER: the welcome and the MOTD's end (%s)", out);
  CHECK(feed(&st, reg, out) == 0, "the welcome is sent once");

  char more[256];
  snprintf(more, sizeof(more),
           "%sJOIN #a,#b\r\nPING :tok1\r\nQUIT :bye\r\n", reg);
  k = feed(&st, more, out);
  CHECK(strstr(out, ":bot7!bot7@irc.local JOIN :#a\r\n") != NULL &&
            strstr(out, ":bot7!bot7@irc.local JOIN :#b\r\n") != NULL,
        "each channel of a JOIN is echoed");
  CHECK(strstr(out, "PONG irc.local :tok1\r\n") != NULL, "PING answered");
  CHECK(strstr(out, "ERROR :Closing link") != NULL, "QUIT answered");

  pt_irc bad = {0};
  const char *evil = "NICK a\x01\x1b[2Jb\r\nUSER x\r\n";
  k = feed(&bad, evil, out);
  CHECK(k > 0 && strstr(out, " 001 a__[2Jb ") != NULL,
        "control bytes of a nick are not echoed (%s)", out);
  return failures != 0;
}
