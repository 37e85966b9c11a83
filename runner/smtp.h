/* SMTP (RFC 5321) for the fake network: the server's side of a mail
 * submission, so that a stealer that mails what it took (Python's
 * smtplib, nodemailer) gets through the greeting, EHLO, STARTTLS
 * (RFC 3207), AUTH (RFC 4954: PLAIN, LOGIN), MAIL, RCPT and DATA, and
 * the message it sends (the account's password in AUTH, the loot in the
 * body or an attachment) is in the stream for the token scanner. SMTP is
 * the server's to begin: without a greeting the client waits, then gives
 * up having sent nothing.
 *
 * Pure functions over byte buffers (no sockets, nothing allocated), as
 * irc.h, so the fuzzer can drive them. */
#ifndef PT_SMTP_H
#define PT_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room one pt_smtp_feed call may need for its answer; a smaller out cuts
 * the answer at a line's end. */
#define PT_SMTP_REPLY_MAX 2048

/* The ports mail is submitted or relayed on: 25, 587 and 2525 (the
 * greeting first, STARTTLS later), 465 (TLS from the first byte). */
bool pt_smtp_port(uint16_t port);
bool pt_smtp_implicit_tls(uint16_t port);

typedef struct pt_smtp {
  size_t off;    /* bytes of the stream read so far (whole lines) */
  bool in_data;  /* between DATA's 354 and the lone "." */
  int auth;      /* lines AUTH still waits for: LOGIN 2, PLAIN 1, or 0 */
  bool starttls; /* STARTTLS answered: the client's TLS follows at off */
  bool quit;     /* QUIT answered: nothing more to say */
} pt_smtp;

/* The 220 greeting, naming host (a name the client asked for; anything
 * but letters, digits, '.' and '-' is left out). Returns its length. */
size_t pt_smtp_greeting(const char *host, char *out, size_t cap);

/* Reads the whole lines of buf (the stream so far, len bytes) from
 * st->off on and writes to out what a server answers to them. EHLO offers
 * STARTTLS when can_starttls; once it is answered (st->starttls), the
 * lines after it are not read: they are the client's TLS. Every AUTH
 * succeeds, every sender and recipient is taken, a message ends at a
 * lone "." and is "queued". Returns the answer's length (0: nothing to
 * say yet). */
size_t pt_smtp_feed(pt_smtp *st, const uint8_t *buf, size_t len,
                    bool can_starttls, char *out, size_t cap);

#endif
