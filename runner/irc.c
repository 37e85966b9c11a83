/* The server's side of an IRC client's registration (irc.h). Written by
 * hand: no library of the dependencies speaks IRC, and what a bot needs
 * from a server before it talks is a few lines. */
#include "irc.h"

#include "lines.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SERVER "irc.local"
#define LINE_MAX_IN 512 /* RFC 2812 §2.3: a message is at most 512 bytes */

#define is_cmd pt_line_is_cmd

bool pt_irc_is_client(const uint8_t *buf, size_t len) {
  const char *l = (const char *)buf;
  size_t n = 0;
  while (n < len && n < LINE_MAX_IN && l[n] != '\r' && l[n] != '\n')
    n++;
  if (n == len || n == LINE_MAX_IN)
    return false; /* no whole first line yet, or not a message */
  return is_cmd(l, n, "NICK") || is_cmd(l, n, "USER") ||
         is_cmd(l, n, "PASS") || is_cmd(l, n, "CAP");
}

/* The first parameter of a command line (after "CMD "), up to a blank;
 * a leading ':' (the trailing parameter) is dropped. */
static size_t param(const char *line, size_t n, const char *cmd,
                    const char **p) {
  size_t i = strlen(cmd);
  while (i < n && line[i] == ' ')
    i++;
  if (i < n && line[i] == ':')
    i++;
  size_t s = i;
  while (i < n && line[i] != ' ')
    i++;
  *p = line + s;
  return i - s;
}

/* A parameter of the client's to echo: at most 64 bytes, control bytes
 * (a lone CR among them) made '_', so that nothing of it can end or
 * forge a line of ours. */
static void clean(const char *p, size_t n, char *dst, size_t cap) {
  if (n >= cap)
    n = cap - 1;
  for (size_t i = 0; i < n; i++)
    dst[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '_' : p[i];
  dst[n] = '\0';
}

/* Appends a formatted line to out if it fits whole. */
#define PUT(...) pt_line_putf(out, cap, &k, __VA_ARGS__)

static size_t answer(pt_irc *st, const char *l, size_t n, char *out,
                     size_t cap) {
  size_t k = 0;
  const char *p;
  size_t pn;
  char arg[65];
  const char *nick = st->name[0] ? st->name : "*";
  if (is_cmd(l, n, "NICK")) {
    pn = param(l, n, "NICK", &p);
    if (pn > 0) {
      if (pn >= sizeof(st->name))
        pn = sizeof(st->name) - 1;
      memcpy(st->name, p, pn);
      st->name[pn] = '\0';
      for (char *c = st->name; *c; c++)
        if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
          *c = '_'; /* echoed back: printable only */
      st->nick = true;
    }
  } else if (is_cmd(l, n, "USER")) {
    st->user = true;
  } else if (is_cmd(l, n, "CAP")) {
    pn = param(l, n, "CAP", &p);
    if (pn == 2 && strncasecmp(p, "LS", 2) == 0)
      PUT(":" SERVER " CAP * LS :\r\n");
  } else if (is_cmd(l, n, "PING")) {
    pn = param(l, n, "PING", &p);
    clean(p, pn, arg, sizeof(arg));
    PUT(":" SERVER " PONG " SERVER " :%s\r\n", arg);
  } else if (is_cmd(l, n, "JOIN") && st->welcomed) {
    pn = param(l, n, "JOIN", &p);
    /* #a,#b: each channel echoed, as the server confirms a join */
    for (size_t i = 0; i < pn;) {
      size_t j = i;
      while (j < pn && p[j] != ',')
        j++;
      if (j > i) {
        clean(p + i, j - i, arg, sizeof(arg));
        PUT(":%s!%s@" SERVER " JOIN :%s\r\n", nick, nick, arg);
        PUT(":" SERVER " 366 %s %s :End of /NAMES list.\r\n", nick, arg);
      }
      i = j + 1;
    }
  } else if (is_cmd(l, n, "QUIT")) {
    PUT("ERROR :Closing link: (%s) [Quit]\r\n", nick);
  }
  if (st->nick && st->user && !st->welcomed) {
    st->welcomed = true;
    nick = st->name;
    PUT(":" SERVER " 001 %s :Welcome to the Internet Relay Network %s\r\n",
        nick, nick);
    PUT(":" SERVER " 002 %s :Your host is " SERVER "\r\n", nick);
    PUT(":" SERVER " 375 %s :- " SERVER " Message of the day -\r\n", nick);
    PUT(":" SERVER " 376 %s :End of /MOTD command.\r\n", nick);
  }
  return k;
}

size_t pt_irc_feed(pt_irc *st, const uint8_t *buf, size_t len, char *out,
                   size_t cap) {
  size_t k = 0;
  if (cap == 0)
    return 0;
  out[0] = '\0';
  const char *l;
  size_t n;
  while (pt_next_line(buf, len, &st->off, &l, &n)) {
    if (n > LINE_MAX_IN)
      continue; /* not a message of IRC's: nothing to answer */
    k += answer(st, l, n, out + k, cap - k);
  }
  return k;
}
