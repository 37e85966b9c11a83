/* The event sink's cap: past max_kept events are dropped (and counted),
 * but each phase keeps a reserve of its own, so a flood in one phase (a
 * big npm install) does not blind the phases after it. */
#include "events.h"

#include <string.h>

#include "check.h"

static size_t kept_in(pt_events *ev, const char *phase) {
  size_t n = 0, i;
  json_t *e;
  json_array_foreach(pt_events_all(ev), i, e) {
    const char *p = json_string_value(json_object_get(e, "phase"));
    n += p && strcmp(p, phase) == 0;
  }
  return n;
}

static void emit_n(pt_events *ev, const char *phase, int n) {
  pt_events_set_phase(ev, phase);
  for (int i = 0; i < n; i++)
    pt_events_emit(ev, 1, "file", NULL);
}

int main(void) {
  pt_err *err = NULL;
  pt_events *ev = pt_events_new(100, &err);
  CHECK(ev != NULL, "new");
  emit_n(ev, "install", 300);
  CHECK(kept_in(ev, "install") == 100, "the flooding phase stops at the "
        "cap: %zu", kept_in(ev, "install"));
  emit_n(ev, "import", 3);
  CHECK(kept_in(ev, "import") == 3, "a later phase's few events are kept");
  emit_n(ev, "exercise", 50);
  CHECK(kept_in(ev, "exercise") == 10, "a later flood keeps its reserve: %zu",
        kept_in(ev, "exercise"));
  for (int i = 0; i < 5; i++)
    emit_n(ev, "bin", 50);
  CHECK(json_array_size(pt_events_all(ev)) == 150,
        "never more than half as much again in all: %zu",
        json_array_size(pt_events_all(ev)));
  CHECK(pt_events_count(ev) == 300 + 3 + 50 + 250, "every event counted");
  CHECK(pt_events_dropped(ev) == pt_events_count(ev) - 150,
        "what was not kept is dropped: %llu",
        (unsigned long long)pt_events_dropped(ev));
  pt_events_free(ev);

  ev = pt_events_new(0, &err); /* a caller that only streams */
  emit_n(ev, "install", 5);
  CHECK(json_array_size(pt_events_all(ev)) == 0, "max_kept 0 keeps nothing");
  pt_events_free(ev);
  if (failures == 0)
    printf("events: ok\n");
  return failures != 0;
}
