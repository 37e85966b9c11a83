/* Progress display of a batch (see scan_progress.h). */
#define _GNU_SOURCE
#include "scan_progress.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "pt_util.h"
#include "scan.h"
#include "store.h"

#define BAR_WIDTH 24
/* Redraw at most this often: a terminal over ssh is slow. */
#define BAR_REDRAW_NS 200000000ull

void pt_progress_init(struct pt_progress *p, int mode, const char *label,
                      unsigned todo, FILE *jsonl) {
  memset(p, 0, sizeof(*p));
  if (mode < 0)
    mode = isatty(STDERR_FILENO) ? 1 : 0;
  p->mode = mode;
  p->lines = jsonl == stdout ? stderr : stdout;
  p->label = label;
  p->todo = todo;
  p->start_ns = pt_now_ns();
}

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Copy s into a line, replacing control characters: names and summaries
 * come from untrusted packages and must not drive the terminal. */
static void clean_copy(char *dst, size_t len, const char *s) {
  size_t i = 0;
  for (; s && *s && i + 1 < len; s++)
    dst[i++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
  dst[i] = '\0';
}

void pt_progress_describe(json_t *report, char *buf, size_t len) {
  char tmp[512];
  json_t *f = pt_store_top_finding(report);
  if (f) {
    snprintf(tmp, sizeof(tmp), "%s: %s",
             jstr(f, "rule") ? jstr(f, "rule") : "?",
             jstr(f, "summary") ? jstr(f, "summary") : "");
  } else if (jstr(report, "error")) {
    snprintf(tmp, sizeof(tmp), "%s", jstr(report, "error"));
  } else {
    snprintf(tmp, sizeof(tmp), "-");
  }
  clean_copy(buf, len, tmp);
}

static void fmt_dur(char *buf, size_t len, double s) {
  if (s < 0 || s > 1e7)
    snprintf(buf, len, "?");
  else if (s < 60)
    snprintf(buf, len, "%.0fs", s);
  else if (s < 3600)
    snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
  else
    snprintf(buf, len, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

static void draw(struct pt_progress *p, const struct pt_scan_stats *st,
                 bool force) {
  uint64_t now = pt_now_ns();
  if (!force && now - p->last_draw_ns < BAR_REDRAW_NS)
    return;
  p->last_draw_ns = now;
  unsigned done = st->scanned;
  double el = (double)(now - p->start_ns) / 1e9;
  double rate = el > 0 ? done / el * 60.0 : 0;
  char eta[32] = "?";
  if (done > 0 && p->todo >= done)
    fmt_dur(eta, sizeof(eta), el / done * (p->todo - done));
  char bar[BAR_WIDTH + 1];
  unsigned fill = p->todo ? done * BAR_WIDTH / p->todo : BAR_WIDTH;
  for (unsigned i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  fprintf(stderr,
          "\r\033[K%s%s[%s] %u/%u  %.1f/min  ETA %s  flagged %u  errors %u",
          p->label ? p->label : "", p->label ? " " : "", bar, done, p->todo,
          rate, eta, st->suspicious + st->malicious, st->errors);
  fflush(stderr);
  p->bar_shown = 1;
}

void pt_progress_result(struct pt_progress *p, json_t *report,
                        const struct pt_scan_stats *st) {
  if (p->mode == 2)
    return;
  json_t *pkg = json_object_get(report, "package");
  const char *verdict = jstr(report, "verdict");
  char name[256], version[128], what[512];
  clean_copy(name, sizeof(name), jstr(pkg, "name") ? jstr(pkg, "name") : "?");
  clean_copy(version, sizeof(version),
             jstr(pkg, "version") ? jstr(pkg, "version") : "?");
  pt_progress_describe(report, what, sizeof(what));
  if (p->mode == 0) {
    fprintf(p->lines, "%s%s%s %s %s %s\n", p->label ? p->label : "",
            p->label ? " " : "", verdict, name, version, what);
    fflush(p->lines);
    return;
  }
  /* On the terminal, what needs attention stays above the bar. */
  if (strcmp(verdict, "clean") != 0) {
    fprintf(stderr, "\r\033[K%s %s %s %s\n", verdict, name, version, what);
    p->bar_shown = 0;
  }
  draw(p, st, true);
}

void pt_progress_tick(struct pt_progress *p, const struct pt_scan_stats *st) {
  if (p->mode == 1)
    draw(p, st, false);
}

void pt_progress_end(struct pt_progress *p, const struct pt_scan_stats *st) {
  if (p->mode == 2)
    return;
  if (p->mode == 1) {
    draw(p, st, true);
    fputc('\n', stderr);
  }
  double el = (double)(pt_now_ns() - p->start_ns) / 1e9;
  fprintf(stderr,
          "%s%sscanned %u, skipped %u (already stored): clean %u, "
          "suspicious %u, malicious %u, error %u; %.1fs\n",
          p->label ? p->label : "", p->label ? " " : "", st->scanned,
          st->skipped, st->clean, st->suspicious, st->malicious, st->errors,
          el);
}
