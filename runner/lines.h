/* What the fake network's line-based servers (IRC, SMTP, FTP) share:
 * reading a client's stream line by line and writing whole answers.
 * Pure, over byte buffers. */
#ifndef PT_LINES_H
#define PT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The line at *off of buf[0..len): *line and *n (without its end: LF,
 * and a CR before it), and *off moved past it. false: no whole line
 * there yet (*off unchanged). */
bool pt_next_line(const uint8_t *buf, size_t len, size_t *off,
                  const char **line, size_t *n);

/* Whether line[0..n) is the command cmd (any case), a whole word: the
 * line ends or a blank follows. */
bool pt_line_is_cmd(const char *line, size_t n, const char *cmd);

/* Appends the formatted answer to out (cap bytes, *k used) if it fits
 * whole with its NUL, and moves *k past it; else out stays as it was. */
void pt_line_putf(char *out, size_t cap, size_t *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
