/* The line-based servers' shared pieces (lines.h). */
#include "lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool pt_next_line(const uint8_t *buf, size_t len, size_t *off,
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

bool pt_line_is_cmd(const char *line, size_t n, const char *cmd) {
  size_t k = strlen(cmd);
  return n >= k && strncasecmp(line, cmd, k) == 0 &&
         (n == k || line[k] == ' ');
}

void pt_line_putf(char *out, size_t cap, size_t *k, const char *fmt, ...) {
  if (*k >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(out + *k, cap - *k, fmt, ap);
  va_end(ap);
  if (w > 0 && (size_t)w < cap - *k)
    *k += (size_t)w;
  else
    out[*k] = '\0'; /* not whole: nothing of it */
}
