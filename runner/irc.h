/* IRC (RFC 1459/2812) for the fake network: the server's side of a
 * client's registration, so that a bot that waits for the welcome (001,
 * or the end of the MOTD) before it joins a channel and talks goes on to
 * send what it came to send (PRIVMSG lines: a stealer's exfiltration, a
 * bot's C2 check-in), which the token scanner then sees in the stream.
 * Without an answer such a client idles and gives up having sent only its
 * NICK and USER.
 *
 * Pure functions over byte buffers (no sockets, nothing allocated), so the
 * fuzzer can drive them. */
#ifndef PT_IRC_H
#define PT_IRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room one pt_irc_feed call may need for its answer; a smaller out cuts
 * the answer at a line's end. */
#define PT_IRC_REPLY_MAX 4096

typedef struct pt_irc {
  size_t off;          /* bytes of the stream read so far (whole lines) */
  bool nick, user;     /* NICK and USER seen */
  bool welcomed;       /* 001..376 sent */
  char name[32];       /* the client's nick, as sent */
} pt_irc;

/* Whether a stream's first bytes are an IRC client's registration: its
 * first line is a NICK, USER, PASS or CAP command. */
bool pt_irc_is_client(const uint8_t *buf, size_t len);

/* Reads the whole lines of buf (the stream so far, len bytes) from
 * st->off on and writes to out what a server answers to them: the welcome
 * once NICK and USER are both in, PONG to PING, a JOIN's echo and end of
 * names, CAP LS's empty list, ERROR to QUIT. Returns the answer's length
 * (0: nothing to say yet). */
size_t pt_irc_feed(pt_irc *st, const uint8_t *buf, size_t len, char *out,
                   size_t cap);

#endif
