/* The event sink: everything the recorder and the fake network observe
 * becomes one event, a JSON object
 *   {"t": ms since the run started, "pid": host pid (0 unknown),
 *    "kind": "...", ...decoded fields}
 * kept in memory (capped) for reports and streamed as JSON lines to
 * --trace. The schema is documented in docs/events.md. */
#ifndef PT_EVENTS_H
#define PT_EVENTS_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "pt_err.h"

typedef struct pt_events pt_events;

/* max_kept: events kept in memory; later ones are still traced, and
 * counted in dropped, except a reserve of max_kept / 10 per phase (each
 * pt_events_set_phase starts one), up to max_kept * 3 / 2 in all. */
pt_events *pt_events_new(size_t max_kept, pt_err **err);
void pt_events_free(pt_events *ev);
/* Stream every event to path as JSON lines (truncates). */
int pt_events_trace_to(pt_events *ev, const char *path, pt_err **err);
/* Adds "t", "pid" and "kind" to fields, keeps and traces it. Steals
 * fields (may be NULL: an event with no more fields). Returns the event
 * (borrowed) so a producer can add to it later, or NULL when dropped. */
json_t *pt_events_emit(pt_events *ev, pid_t pid, const char *kind,
                       json_t *fields);
/* A token found somewhere: kind ("honeytoken", "identity") with
 * {token, encoding, where} and extra's fields (borrowed; may be NULL). */
json_t *pt_events_emit_token(pt_events *ev, pid_t pid, const char *kind,
                             const char *token, const char *encoding,
                             const char *where, json_t *extra);
/* The same for something that happened earlier than it is emitted:
 * when_ns is the CLOCK_REALTIME time it happened (0: now). */
json_t *pt_events_emit_at(pt_events *ev, int64_t when_ns, pid_t pid,
                          const char *kind, json_t *fields);
/* Tag every later event with "phase": name (NULL: no tag). */
void pt_events_set_phase(pt_events *ev, const char *phase);
/* All kept events (borrowed). */
json_t *pt_events_all(pt_events *ev);
uint64_t pt_events_dropped(const pt_events *ev);
uint64_t pt_events_count(const pt_events *ev);
/* Milliseconds since the sink was made. */
double pt_events_now_ms(const pt_events *ev);
/* Flush the trace; 0, or -1 with *err when a write failed. */
int pt_events_flush(pt_events *ev, pt_err **err);

/* JSON string of untrusted bytes: printable ASCII kept, everything else
 * escaped \xNN, at most max bytes (a "…" marks a cut). */
json_t *pt_json_bytes(const void *data, size_t len, size_t max);

#endif
