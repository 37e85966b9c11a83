/* FTP (RFC 959, with RFC 2428's EPSV and RFC 4217's AUTH TLS) for the
 * fake network: the server's side of an upload, so that a stealer that
 * puts what it took on an FTP server (Python's ftplib, basic-ftp) logs
 * in, opens a passive data connection (to an address of ours: the fake
 * network takes a connection to any port) and sends the file there,
 * where the token scanner sees it as any other stream. FTP is the
 * server's to begin: without a greeting the client waits, then gives up.
 *
 * Pure functions over byte buffers (no sockets, nothing allocated), as
 * smtp.h, so the fuzzer can drive them. */
#ifndef PT_FTP_H
#define PT_FTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room one pt_ftp_feed call may need for its answer; a smaller out cuts
 * the answer at a line's end. */
#define PT_FTP_REPLY_MAX 2048

bool pt_ftp_port(uint16_t port); /* 21 */

typedef struct pt_ftp {
  size_t off;   /* bytes of the stream read so far (whole lines) */
  bool tls;     /* AUTH TLS answered: the client's TLS follows at off */
  bool quit;    /* QUIT answered: nothing more to say */
  uint16_t pasv; /* passive data connections offered so far */
} pt_ftp;

/* The 220 greeting. Returns its length. */
size_t pt_ftp_greeting(char *out, size_t cap);

/* Reads the whole lines of buf (the stream so far, len bytes) from
 * st->off on and writes to out what a server answers to them. addr4 is
 * the IPv4 address the client connected to (NULL on IPv6: PASV is then
 * refused, EPSV, which names no address, is what such a client uses).
 * AUTH TLS is taken when can_tls; once it is answered (st->tls) the lines
 * after it are not read: they are the client's TLS. Every login succeeds;
 * a STOR or APPE is answered "150" and "226" at once (the client sends
 * on the data connection, then reads the second); RETR and the listings
 * find nothing. Returns the answer's length (0: nothing to say yet). */
size_t pt_ftp_feed(pt_ftp *st, const uint8_t *buf, size_t len,
                   const uint8_t addr4[4], bool can_tls, char *out,
                   size_t cap);

#endif
