/* The fake mail server's answers (runner/smtp.c): an smtplib-style
 * session (EHLO, STARTTLS, EHLO again, AUTH LOGIN, MAIL, RCPT, DATA, the
 * message, QUIT) gets a server's answers in order, fed as a socket
 * delivers the stream; lines after STARTTLS are left for TLS; a message's
 * own lines are not taken for commands; AUTH PLAIN with and without its
 * initial response. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "smtp.h"

static size_t feed(pt_smtp *st, const char *s, bool tls, char *out) {
  return pt_smtp_feed(st, (const uint8_t *)s, strlen(s), tls, out,
                      PT_SMTP_REPLY_MAX);
}

int main(void) {
  char out[PT_SMTP_REPLY_MAX];
  CHECK(pt_smtp_port(587) && pt_smtp_port(25) && pt_smtp_port(465) &&
            pt_smtp_port(2525) && !pt_smtp_port(80) && !pt_smtp_port(443),
        "mail's ports");
  CHECK(pt_smtp_implicit_tls(465) && !pt_smtp_implicit_tls(587),
        "465 is TLS from the first byte");
  size_t g = pt_smtp_greeting("smtp.mail.test\r\n250 x", out, sizeof(out));
  CHECK(g > 0 && strcmp(out, "220 smtp.mail.test250x ESMTP ready\r\n") == 0,
        "the greeting names the host, with nothing of it to end a line "
        "(%s)", out);
  CHECK(pt_smtp_greeting(NULL, out, 8) == 0, "no room: no greeting");

  pt_smtp st = {0};
  CHECK(feed(&st, "EHLO box", true, out) == 0 && st.off == 0,
        "a line cut short waits for its end");
  const char *s1 = "EHLO box\r\nSTARTTLS\r\n\x16\x03\x01";
  size_t k = feed(&st, s1, true, out);
  CHECK(k > 0 && strncmp(out, "250-localhost\r\n", 15) == 0 &&
            strstr(out, "250-STARTTLS\r\n") != NULL &&
            strstr(out, "250 SMTPUTF8\r\n220 2.0.0 Ready to start TLS\r\n") !=
                NULL,
        "EHLO offers STARTTLS, which is answered (%s)", out);
  CHECK(st.starttls && st.off == strlen("EHLO box\r\nSTARTTLS\r\n"),
        "the client's TLS is left where it begins");
  CHECK(feed(&st, s1, true, out) == 0, "nothing is read past STARTTLS");

  /* Inside TLS: a fresh stream, as the fake network starts one. */
  st = (pt_smtp){0};
  const char *s2 = "EHLO box\r\nAUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n"
                   "MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n";
  k = feed(&st, s2, false, out);
  CHECK(k > 0 && strstr(out, "STARTTLS") == NULL &&
            strstr(out, "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n"
                        "235 2.7.0 Authentication successful\r\n"
                        "250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 ") != NULL,
        "no STARTTLS offered inside TLS; AUTH LOGIN, MAIL, RCPT, DATA "
        "(%s)", out);
  CHECK(st.in_data, "in the message after DATA");
  char s3[1024];
  snprintf(s3, sizeof(s3),
           "%sSubject: x\r\nQUIT\r\nMAIL FROM:<x>\r\n..stuffed\r\n.\r\n"
           "QUIT\r\nNOOP\r\n", s2);
  k = feed(&st, s3, false, out);
  CHECK(k > 0 && strcmp(out, "250 2.0.0 OK: queued\r\n221 2.0.0 Bye\r\n") == 0,
        "the message's lines are not commands; a lone \".\" ends it, QUIT "
        "is answered (%s)", out);
  CHECK(st.quit && feed(&st, s3, false, out) == 0,
        "nothing is answered after QUIT");

  st = (pt_smtp){0};
  k = feed(&st, "HELO x\r\nAUTH PLAIN AGEAYg==\r\nAUTH PLAIN\r\nAGEAYg==\r\n"
                "AUTH LOGIN dXNlcg==\r\ncGFzcw==\r\nAUTH LOGIN\r\n*\r\n"
                "STARTTLS\r\nXYZZY\r\n",
           false, out);
  CHECK(strcmp(out, "250 localhost\r\n"
                    "235 2.7.0 Authentication successful\r\n334 \r\n"
                    "235 2.7.0 Authentication successful\r\n"
                    "334 UGFzc3dvcmQ6\r\n"
                    "235 2.7.0 Authentication successful\r\n"
                    "334 VXNlcm5hbWU6\r\n"
                    "501 5.7.0 Authentication cancelled\r\n"
                    "454 4.7.0 TLS not available\r\n"
                    "502 5.5.2 Command not recognized\r\n") == 0 &&
            k == strlen(out),
        "HELO; AUTH PLAIN with and without its response; AUTH LOGIN with "
        "its user; a cancelled AUTH; STARTTLS without TLS; junk (%s)", out);

  /* Many pipelined commands: each call answers what fits whole, the next
   * goes on from there. */
  char many[8192] = "";
  for (int i = 0; i < 200; i++)
    strcat(many, "RCPT TO:<r@x.test>\r\n");
  st = (pt_smtp){0};
  size_t total = 0, calls = 0;
  while ((k = feed(&st, many, false, out)) > 0) {
    CHECK(k < PT_SMTP_REPLY_MAX && out[k - 1] == '\n', "whole lines");
    total += k;
    calls++;
  }
  CHECK(total == 200 * strlen("250 2.1.5 OK\r\n") && calls > 1,
        "200 pipelined RCPTs: every one answered, over %zu calls", calls);
  return failures != 0;
}
