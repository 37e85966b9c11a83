/* The server's side of an FTP upload (ftp.h). Written by hand, as
 * smtp.c: no library of the dependencies speaks FTP as a server, and an
 * upload needs a few fixed answers. */
#include "ftp.h"

#include "lines.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CMD_MAX 512
#define ROOM_MIN 256 /* the longest answer (FEAT's) fits in this */
/* Passive data ports offered: any port takes a connection in the jail
 * (the fake network listens where a connect goes). */
#define PASV_PORT_BASE 30000

bool pt_ftp_port(uint16_t port) { return port == 21; }

#define PUT(...) pt_line_putf(out, cap, &k, __VA_ARGS__)

size_t pt_ftp_greeting(char *out, size_t cap) {
  static const char g[] = "220 FTP server ready.\r\n";
  if (cap < sizeof(g))
    return 0;
  memcpy(out, g, sizeof(g));
  return sizeof(g) - 1;
}

#define is_cmd pt_line_is_cmd

static uint16_t next_port(pt_ftp *st) {
  return (uint16_t)(PASV_PORT_BASE + st->pasv++ % 20000);
}

static size_t answer(pt_ftp *st, const char *l, size_t n,
                     const uint8_t addr4[4], bool can_tls, char *out,
                     size_t cap) {
  size_t k = 0;
  out[0] = '\0';
  if (n > CMD_MAX) {
    PUT("500 Line too long.\r\n");
  } else if (is_cmd(l, n, "USER")) {
    PUT("331 Please specify the password.\r\n");
  } else if (is_cmd(l, n, "PASS") || is_cmd(l, n, "ACCT")) {
    PUT("230 Login successful.\r\n");
  } else if (is_cmd(l, n, "AUTH")) {
    if (can_tls && n >= 8 && (strncasecmp(l + 5, "TLS", 3) == 0 ||
                              strncasecmp(l + 5, "SSL", 3) == 0)) {
      st->tls = true;
      PUT("234 Proceed with negotiation.\r\n");
    } else {
      PUT("534 TLS not available.\r\n");
    }
  } else if (is_cmd(l, n, "PBSZ")) {
    PUT("200 PBSZ=0\r\n");
  } else if (is_cmd(l, n, "PROT")) {
    PUT("200 Protection level set.\r\n");
  } else if (is_cmd(l, n, "SYST")) {
    PUT("215 UNIX Type: L8\r\n");
  } else if (is_cmd(l, n, "FEAT")) {
    PUT("211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n");
    if (can_tls)
      PUT(" AUTH TLS\r\n PBSZ\r\n PROT\r\n");
    PUT("211 End\r\n");
  } else if (is_cmd(l, n, "PWD") || is_cmd(l, n, "XPWD")) {
    PUT("257 \"/\" is the current directory\r\n");
  } else if (is_cmd(l, n, "MKD") || is_cmd(l, n, "XMKD")) {
    PUT("257 Created.\r\n");
  } else if (is_cmd(l, n, "PASV")) {
    uint16_t port = next_port(st);
    if (addr4 != NULL)
      PUT("227 Entering Passive Mode (%u,%u,%u,%u,%u,%u).\r\n", addr4[0],
          addr4[1], addr4[2], addr4[3], port >> 8, port & 0xff);
    else
      PUT("425 Use EPSV.\r\n");
  } else if (is_cmd(l, n, "EPSV")) {
    PUT("229 Entering Extended Passive Mode (|||%u|)\r\n", next_port(st));
  } else if (is_cmd(l, n, "STOR") || is_cmd(l, n, "APPE") ||
             is_cmd(l, n, "STOU")) {
    PUT("150 Ok to send data.\r\n226 Transfer complete.\r\n");
  } else if (is_cmd(l, n, "LIST") || is_cmd(l, n, "NLST") ||
             is_cmd(l, n, "MLSD")) {
    PUT("150 Here comes the directory listing.\r\n"
        "226 Directory send OK.\r\n");
  } else if (is_cmd(l, n, "RETR") || is_cmd(l, n, "SIZE")) {
    PUT("550 Failed to open file.\r\n");
  } else if (is_cmd(l, n, "QUIT")) {
    st->quit = true;
    PUT("221 Goodbye.\r\n");
  } else if (is_cmd(l, n, "CWD") || is_cmd(l, n, "CDUP") ||
             is_cmd(l, n, "DELE") || is_cmd(l, n, "RMD") ||
             is_cmd(l, n, "RNTO") || is_cmd(l, n, "XCUP")) {
    PUT("250 Okay.\r\n");
  } else if (is_cmd(l, n, "RNFR")) {
    PUT("350 Ready for RNTO.\r\n");
  } else if (is_cmd(l, n, "TYPE") || is_cmd(l, n, "MODE") ||
             is_cmd(l, n, "STRU") || is_cmd(l, n, "NOOP") ||
             is_cmd(l, n, "OPTS") || is_cmd(l, n, "ALLO")) {
    PUT("200 Okay.\r\n");
  } else if (is_cmd(l, n, "PORT") || is_cmd(l, n, "EPRT")) {
    /* Active mode: we would have to connect to the client, which would
     * wait for us until the phase's timeout. Refused: it goes passive. */
    PUT("502 Active mode not supported, use PASV.\r\n");
  } else {
    PUT("502 Command not implemented.\r\n");
  }
  return k;
}

size_t pt_ftp_feed(pt_ftp *st, const uint8_t *buf, size_t len,
                   const uint8_t addr4[4], bool can_tls, char *out,
                   size_t cap) {
  size_t k = 0;
  if (cap == 0)
    return 0;
  out[0] = '\0';
  const char *l;
  size_t n;
  while (!st->tls && !st->quit &&
         cap - k >= (cap < ROOM_MIN ? cap : ROOM_MIN) &&
         pt_next_line(buf, len, &st->off, &l, &n))
    k += answer(st, l, n, addr4, can_tls, out + k, cap - k);
  return k;
}
