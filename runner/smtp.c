/* The server's side of a mail submission (smtp.h). Written by hand: no
 * library of the dependencies speaks SMTP as a server, and what a client
 * needs to hand over its message is a few fixed answers. */
#include "smtp.h"

#include "lines.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CMD_MAX 512 /* RFC 5321 §4.5.3.1.4: a command line's length */
#define ROOM_MIN 256 /* the longest answer (EHLO's) fits in this */

bool pt_smtp_port(uint16_t port) {
  return port == 25 || port == 465 || port == 587 || port == 2525;
}

bool pt_smtp_implicit_tls(uint16_t port) { return port == 465; }

/* Appends a line to out if it fits whole. */
#define PUT(...) pt_line_putf(out, cap, &k, __VA_ARGS__)

size_t pt_smtp_greeting(const char *host, char *out, size_t cap) {
  char h[128];
  size_t n = 0;
  for (const char *p = host ? host : ""; *p && n < sizeof(h) - 1; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
      h[n++] = *p;
  h[n] = '\0';
  int w = snprintf(out, cap, "220 %s ESMTP ready\r\n", n ? h : "localhost");
  return w > 0 && (size_t)w < cap ? (size_t)w : 0;
}

/* A command word, also with a ':' right after it. */
static bool is_cmd(const char *line, size_t n, const char *cmd) {
  size_t k = strlen(cmd);
  return pt_line_is_cmd(line, n, cmd) ||
         (n > k && line[k] == ':' && strncasecmp(line, cmd, k) == 0);
}

/* AUTH's mechanism and whether an initial response follows it. */
static void auth_args(const char *l, size_t n, const char **mech,
                      size_t *mlen, bool *initial) {
  size_t i = 4;
  while (i < n && l[i] == ' ')
    i++;
  *mech = l + i;
  size_t s = i;
  while (i < n && l[i] != ' ')
    i++;
  *mlen = i - s;
  while (i < n && l[i] == ' ')
    i++;
  *initial = i < n;
}

static size_t answer(pt_smtp *st, const char *l, size_t n, bool can_starttls,
                     char *out, size_t cap) {
  size_t k = 0;
  if (st->auth > 0) { /* a line of the client's side of AUTH */
    if (n == 1 && l[0] == '*') {
      st->auth = 0;
      PUT("501 5.7.0 Authentication cancelled\r\n");
    } else if (--st->auth > 0) {
      PUT("334 UGFzc3dvcmQ6\r\n"); /* "Password:" */
    } else {
      PUT("235 2.7.0 Authentication successful\r\n");
    }
    return k;
  }
  if (n > CMD_MAX) {
    PUT("500 5.5.2 Line too long\r\n");
  } else if (is_cmd(l, n, "EHLO")) {
    PUT("250-localhost\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
        "250-AUTH PLAIN LOGIN\r\n");
    if (can_starttls)
      PUT("250-STARTTLS\r\n");
    PUT("250 SMTPUTF8\r\n");
  } else if (is_cmd(l, n, "HELO")) {
    PUT("250 localhost\r\n");
  } else if (is_cmd(l, n, "STARTTLS")) {
    if (can_starttls) {
      PUT("220 2.0.0 Ready to start TLS\r\n");
      st->starttls = true;
    } else {
      PUT("454 4.7.0 TLS not available\r\n");
    }
  } else if (is_cmd(l, n, "AUTH")) {
    const char *mech;
    size_t mlen;
    bool initial;
    auth_args(l, n, &mech, &mlen, &initial);
    bool login = mlen == 5 && strncasecmp(mech, "LOGIN", 5) == 0;
    if (login && initial) { /* the user name came with it */
      st->auth = 1;
      PUT("334 UGFzc3dvcmQ6\r\n");
    } else if (login) {
      st->auth = 2;
      PUT("334 VXNlcm5hbWU6\r\n"); /* "Username:" */
    } else if (initial) { /* PLAIN, XOAUTH2, ... with their response */
      PUT("235 2.7.0 Authentication successful\r\n");
    } else {
      st->auth = 1;
      PUT("334 \r\n");
    }
  } else if (is_cmd(l, n, "MAIL")) {
    PUT("250 2.1.0 OK\r\n");
  } else if (is_cmd(l, n, "RCPT")) {
    PUT("250 2.1.5 OK\r\n");
  } else if (is_cmd(l, n, "DATA")) {
    st->in_data = true;
    PUT("354 End data with <CR><LF>.<CR><LF>\r\n");
  } else if (is_cmd(l, n, "RSET") || is_cmd(l, n, "NOOP")) {
    PUT("250 2.0.0 OK\r\n");
  } else if (is_cmd(l, n, "VRFY")) {
    PUT("252 2.0.0 Cannot VRFY user, but will accept message\r\n");
  } else if (is_cmd(l, n, "HELP")) {
    PUT("214 2.0.0 See RFC 5321\r\n");
  } else if (is_cmd(l, n, "QUIT")) {
    st->quit = true;
    PUT("221 2.0.0 Bye\r\n");
  } else {
    PUT("502 5.5.2 Command not recognized\r\n");
  }
  return k;
}

size_t pt_smtp_feed(pt_smtp *st, const uint8_t *buf, size_t len,
                    bool can_starttls, char *out, size_t cap) {
  size_t k = 0;
  if (cap == 0)
    return 0;
  out[0] = '\0';
  /* Each answer must fit whole: stop while there is room for the longest
   * (the caller calls again, and the lines left are read then). */
  const char *l;
  size_t n;
  while (!st->starttls && !st->quit &&
         cap - k >= (cap < ROOM_MIN ? cap : ROOM_MIN) &&
         pt_next_line(buf, len, &st->off, &l, &n)) {
    if (st->in_data) {
      /* The message's lines are the token scanner's; a lone "." ends it
       * (a line of the message that begins with "." comes dot-stuffed). */
      if (n == 1 && l[0] == '.') {
        st->in_data = false;
        PUT("250 2.0.0 OK: queued\r\n");
      }
      continue;
    }
    k += answer(st, l, n, can_starttls, out + k, cap - k);
  }
  return k;
}
