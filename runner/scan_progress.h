/* Progress of a batch: a bar on a terminal, one line per package
 * otherwise. Internal to scan.c and the batch verbs. */
#ifndef PT_SCAN_PROGRESS_H
#define PT_SCAN_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct pt_scan_stats;

struct pt_progress {
  int mode;        /* 0 lines, 1 bar, 2 silent */
  FILE *lines;     /* where per-package lines go */
  const char *label;
  unsigned todo;
  uint64_t start_ns, last_draw_ns;
  int bar_shown;
};

/* mode -1: bar if stderr is a terminal, else lines. Lines go to stdout,
 * or to stderr when stdout carries the JSON lines (jsonl == stdout). */
void pt_progress_init(struct pt_progress *p, int mode, const char *label,
                      unsigned todo, FILE *jsonl);
void pt_progress_result(struct pt_progress *p, json_t *report,
                        const struct pt_scan_stats *st);
void pt_progress_tick(struct pt_progress *p, const struct pt_scan_stats *st);
void pt_progress_end(struct pt_progress *p, const struct pt_scan_stats *st);

/* "rule: summary" of the worst finding, or the error, or "-". */
void pt_progress_describe(json_t *report, char *buf, size_t len);

#endif
