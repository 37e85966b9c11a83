/* The next whole line of a stream read line by line (the fake network's
 * IRC, SMTP and FTP servers): lines end at LF, a CR before it is dropped.
 * Pure, over the stream so far. */
#ifndef PT_LINES_H
#define PT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The line at *off of buf[0..len): *line and *n (without its end), and
 * *off moved past it. false: no whole line there yet (*off unchanged). */
static inline bool pt_next_line(const uint8_t *buf, size_t len, size_t *off,
                                const char **line, size_t *n) {
  if (*off >= len)
    return false;
  const char *l = (const char *)buf + *off;
  const char *nl = memchr(l, '\n', len - *off);
  if (nl == NULL)
    return false;
  size_t k = (size_t)(nl - l);
  *off += k + 1;
  if (k > 0 && l[k - 1] == '\r')
    k--;
  *line = l;
  *n = k;
  return true;
}

#endif
