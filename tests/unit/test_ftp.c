/* The fake FTP server's answers (runner/ftp.c): an ftplib-style upload
 * (USER, PASS, TYPE, PASV, STOR, QUIT) gets a server's answers in order,
 * PASV names the address the client connected to, STOR's 150 and 226
 * come together; EPSV on IPv6; AUTH TLS leaves what follows for TLS;
 * active mode is refused. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ftp.h"

static size_t feed(pt_ftp *st, const char *s, const uint8_t *a4, bool tls,
                   char *out) {
  return pt_ftp_feed(st, (const uint8_t *)s, strlen(s), a4, tls, out,
                     PT_FTP_REPLY_MAX);
}

int main(void) {
  char out[PT_FTP_REPLY_MAX];
  const uint8_t a4[4] = {198, 18, 0, 7};
  CHECK(pt_ftp_port(21) && !pt_ftp_port(20) && !pt_ftp_port(2121),
        "FTP's port");
  CHECK(pt_ftp_greeting(out, sizeof(out)) > 0 &&
            strcmp(out, "220 FTP server ready.\r\n") == 0,
        "the greeting (%s)", out);
  CHECK(pt_ftp_greeting(out, 4) == 0, "no room: no greeting");

  pt_ftp st = {0};
  CHECK(feed(&st, "USER anonym", a4, false, out) == 0 && st.off == 0,
        "a line cut short waits for its end");
  const char *s = "USER u\r\nPASS p\r\nTYPE I\r\nPASV\r\nSTOR a.txt\r\n"
                  "PASV\r\nQUIT\r\nNOOP\r\n";
  size_t k = feed(&st, s, a4, false, out);
  CHECK(k == strlen(out) &&
            strcmp(out, "331 Please specify the password.\r\n"
                        "230 Login successful.\r\n200 Okay.\r\n"
                        "227 Entering Passive Mode (198,18,0,7,117,48).\r\n"
                        "150 Ok to send data.\r\n226 Transfer complete.\r\n"
                        "227 Entering Passive Mode (198,18,0,7,117,49).\r\n"
                        "221 Goodbye.\r\n") == 0,
        "login, PASV at the client's address (port 30000, then 30001), "
        "STOR, QUIT (%s)", out);
  CHECK(st.quit && feed(&st, s, a4, false, out) == 0,
        "nothing is answered after QUIT");

  st = (pt_ftp){0};
  k = feed(&st, "EPSV\r\nPASV\r\nPORT 1,2,3,4,5,6\r\nAUTH TLS\r\nFEAT\r\n",
           NULL, false, out);
  CHECK(strcmp(out, "229 Entering Extended Passive Mode (|||30000|)\r\n"
                    "425 Use EPSV.\r\n"
                    "502 Active mode not supported, use PASV.\r\n"
                    "534 TLS not available.\r\n"
                    "211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n"
                    "211 End\r\n") == 0,
        "EPSV on IPv6, PASV refused there, PORT refused, no TLS to offer "
        "(%s)", out);

  st = (pt_ftp){0};
  const char *t = "AUTH TLS\r\n\x16\x03\x01\x02\x00\r\nUSER x\r\n";
  k = feed(&st, t, a4, true, out);
  CHECK(strcmp(out, "234 Proceed with negotiation.\r\n") == 0 && st.tls &&
            st.off == strlen("AUTH TLS\r\n"),
        "AUTH TLS: the client's TLS is left where it begins (%s)", out);
  CHECK(feed(&st, t, a4, true, out) == 0, "nothing is read past AUTH TLS");
  return failures != 0;
}
