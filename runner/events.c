#define _GNU_SOURCE
#include "events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_util.h"

struct pt_events {
  json_t *all;
  size_t max_kept;
  size_t phase_kept; /* kept since the phase last changed */
  uint64_t count, dropped;
  uint64_t t0;
  FILE *trace;
  int trace_errno;
  char *phase;
};

pt_events *pt_events_new(size_t max_kept, pt_err **err) {
  pt_events *ev = calloc(1, sizeof(*ev));
  if (ev == NULL || (ev->all = json_array()) == NULL) {
    free(ev);
    pt_err_make(err, ENOMEM, "event sink");
    return NULL;
  }
  ev->max_kept = max_kept;
  ev->t0 = pt_now_ns();
  return ev;
}

void pt_events_free(pt_events *ev) {
  if (ev == NULL)
    return;
  if (ev->trace)
    fclose(ev->trace);
  json_decref(ev->all);
  free(ev->phase);
  free(ev);
}

int pt_events_trace_to(pt_events *ev, const char *path, pt_err **err) {
  FILE *f = fopen(path, "we");
  if (f == NULL)
    return pt_err_make(err, errno, "open trace `%s`", path);
  if (ev->trace)
    fclose(ev->trace);
  ev->trace = f;
  return 0;
}

double pt_events_now_ms(const pt_events *ev) {
  return (double)(pt_now_ns() - ev->t0) / 1e6;
}

void pt_events_set_phase(pt_events *ev, const char *phase) {
  ev->phase_kept = 0;
  free(ev->phase);
  ev->phase = phase ? strdup(phase) : NULL;
}

static json_t *emit(pt_events *ev, double t_ms, pid_t pid, const char *kind,
                    json_t *fields) {
  json_t *o = fields ? fields : json_object();
  if (o == NULL)
    return NULL;
  /* Rounded to microseconds: enough to order, short to read. */
  double t = (double)(long long)(t_ms * 1000.0) / 1000.0;
  json_object_set_new(o, "t", json_real(t));
  json_object_set_new(o, "pid", json_integer(pid));
  json_object_set_new(o, "kind", json_string(kind));
  if (ev->phase)
    json_object_set_new(o, "phase", json_string(ev->phase));
  ev->count++;
  if (ev->trace) {
    if (json_dumpf(o, ev->trace,
                   JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) < 0 ||
        fputc('\n', ev->trace) == EOF)
      ev->trace_errno = errno ? errno : EIO;
  }
  /* A phase that floods (a big npm install: 50,000 file events) must not
   * blind the phases after it, where an import or a called API leaks:
   * past max_kept, each phase still keeps a reserve of its own (a tenth
   * of it), up to half as much again in all. */
  size_t kept = json_array_size(ev->all);
  if (kept >= ev->max_kept &&
      (ev->phase_kept >= ev->max_kept / 10 || kept >= ev->max_kept * 3 / 2)) {
    ev->dropped++;
    json_decref(o);
    return NULL;
  }
  json_array_append_new(ev->all, o);
  ev->phase_kept++;
  return o;
}

json_t *pt_events_emit(pt_events *ev, pid_t pid, const char *kind,
                       json_t *fields) {
  return emit(ev, pt_events_now_ms(ev), pid, kind, fields);
}

json_t *pt_events_emit_token(pt_events *ev, pid_t pid, const char *kind,
                             const char *token, const char *encoding,
                             const char *where, json_t *extra) {
  json_t *o = json_object();
  if (o == NULL)
    return NULL;
  if (extra)
    json_object_update(o, extra);
  json_object_set_new(o, "token", json_string(token));
  json_object_set_new(o, "encoding", json_string(encoding));
  json_object_set_new(o, "where", json_string(where));
  return pt_events_emit(ev, pid, kind, o);
}

json_t *pt_events_emit_at(pt_events *ev, int64_t when_ns, pid_t pid,
                          const char *kind, json_t *fields) {
  double t = pt_events_now_ms(ev);
  struct timespec now;
  if (when_ns > 0 && clock_gettime(CLOCK_REALTIME, &now) == 0) {
    /* Events are timed on the monotonic clock: go back by the age. */
    int64_t age = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - when_ns;
    if (age > 0)
      t -= (double)age / 1e6;
    if (t < 0)
      t = 0;
  }
  return emit(ev, t, pid, kind, fields);
}

json_t *pt_events_all(pt_events *ev) { return ev->all; }
uint64_t pt_events_dropped(const pt_events *ev) { return ev->dropped; }
uint64_t pt_events_count(const pt_events *ev) { return ev->count; }

int pt_events_flush(pt_events *ev, pt_err **err) {
  if (ev->trace && fflush(ev->trace) == EOF && ev->trace_errno == 0)
    ev->trace_errno = errno;
  if (ev->trace_errno)
    return pt_err_make(err, ev->trace_errno, "write trace");
  return 0;
}

json_t *pt_json_bytes(const void *data, size_t len, size_t max) {
  const unsigned char *p = data;
  size_t n = len < max ? len : max;
  char *out = malloc(n * 4 + 8);
  if (out == NULL)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out[k++] = (char)c;
    else if (c == '\\') {
      out[k++] = '\\';
      out[k++] = '\\';
    } else if (c == '\n') {
      out[k++] = '\\';
      out[k++] = 'n';
    } else if (c == '\r') {
      out[k++] = '\\';
      out[k++] = 'r';
    } else if (c == '\t') {
      out[k++] = '\\';
      out[k++] = 't';
    } else
      k += (size_t)sprintf(out + k, "\\x%02x", c);
  }
  if (len > max) {
    memcpy(out + k, "\xe2\x80\xa6", 3); /* … */
    k += 3;
  }
  json_t *s = json_stringn(out, k);
  free(out);
  return s;
}
