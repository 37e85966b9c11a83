/* What a phase changed in the user's tool configs (commands.json's
 * "watched_configs": ~/.npmrc, ~/.gitconfig, ~/.ssh/config, pip.conf...).
 * The recorder sees that such a file was written, not what went in; the
 * difference between "appended a comment" and "added init-module=" or
 * "core.hooksPath" (code that runs at the user's next `npm init` or
 * `git commit`) is in the content. After each phase the files are read
 * back on the host (never following a link, pt_triage_read) and compared
 * with their state before it (the first phase's end is the baseline: the
 * session writes the HOME in its first run, and neither ecosystem's first
 * phase runs the package's code); a change is a `config-change` event in the
 * phase: the lines added, and their keys (lowercased, as the tools read
 * them case-insensitively) for the rules. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "pt_util.h"
#include "triage_int.h"

#define CONFIG_READ_MAX (256 << 10)
#define CONFIG_ADDED_MAX 2048 /* bytes of added lines in the event */
#define CONFIG_KEYS_MAX 32

struct pt_config_snap {
  char *data; /* NULL: absent (or not a regular file we may read) */
  size_t len;
  int err; /* errno of the read: ENOENT absent, ELOOP a link, ... */
};

static const char *watched(const struct pt_triage *t, size_t i) {
  return json_string_value(
      json_array_get(json_object_get(t->commands, "watched_configs"), i));
}

static size_t n_watched(const struct pt_triage *t) {
  return json_array_size(json_object_get(t->commands, "watched_configs"));
}

static void read_one(const struct pt_triage *t, const char *rel,
                     struct pt_config_snap *s) {
  pt_err *e = NULL;
  s->data = NULL;
  s->len = 0;
  s->err = 0;
  if (pt_triage_read(t, rel, CONFIG_READ_MAX, &s->data, &s->len, &e) < 0) {
    s->err = e ? e->errnum : EIO;
    s->data = NULL;
  }
  pt_err_free(e);
}

void pt_triage_configs_snapshot(struct pt_triage *t) {
  size_t n = n_watched(t);
  if (t->configs != NULL || n == 0)
    return;
  t->configs = calloc(n, sizeof(*t->configs));
  for (size_t i = 0; t->configs && i < n; i++)
    read_one(t, watched(t, i), &t->configs[i]);
}

/* Is line [p, p+n) one of old's lines? (Configs are small: linear.) */
static bool has_line(const struct pt_config_snap *old, const char *p,
                     size_t n) {
  const char *d = old->data;
  size_t len = old->data ? old->len : 0, i = 0;
  while (i < len) {
    const char *lf = memchr(d + i, '\n', len - i);
    size_t e = lf ? (size_t)(lf - d) : len;
    if (e - i == n && memcmp(d + i, p, n) == 0)
      return true;
    i = e + 1;
  }
  return false;
}

/* The key of a config line, lowercased: what comes before '=', ':' or
 * the first blank (ssh_config's "ProxyCommand x", .npmrc's "k=v", git's
 * "\thooksPath = x", .yarnrc.yml's "yarnPath: x"); none for a comment, a
 * section header or a blank line. */
static size_t line_key(const char *p, size_t n, char *out, size_t cap) {
  size_t i = 0, k = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t'))
    i++;
  if (i == n || p[i] == '#' || p[i] == ';' || p[i] == '[')
    return 0;
  for (; i < n && k + 1 < cap; i++) {
    char c = p[i];
    if (c == '=' || c == ':' || c == ' ' || c == '\t')
      break;
    out[k++] = (char)tolower((unsigned char)c);
  }
  out[k] = '\0';
  return k;
}

static void emit_change(struct pt_triage *t, const char *rel,
                        const struct pt_config_snap *old,
                        const struct pt_config_snap *now) {
  json_t *o = json_object();
  if (o == NULL)
    return;
  char path[1100];
  snprintf(path, sizeof(path), "%s/%s", t->home_jail, rel);
  const char *op = now->data == NULL ? (now->err == ENOENT ? "deleted"
                                                           : "replaced")
                   : old->data == NULL ? "created"
                                       : "changed";
  json_object_set_new(o, "path", pt_json_bytes(path, strlen(path), 1100));
  json_object_set_new(o, "op", json_string(op));
  if (now->data == NULL && now->err != ENOENT)
    json_object_set_new(o, "error", json_string(strerror(now->err)));
  pt_buf added;
  pt_buf_init(&added, CONFIG_ADDED_MAX);
  json_t *keys = json_array();
  size_t i = 0, len = now->data ? now->len : 0, n_added = 0;
  while (i < len) {
    const char *lf = memchr(now->data + i, '\n', len - i);
    size_t e = lf ? (size_t)(lf - now->data) : len;
    const char *p = now->data + i;
    size_t n = e - i;
    if (n > 0 && p[n - 1] == '\r')
      n--;
    if (n > 0 && !has_line(old, now->data + i, e - i)) {
      n_added++;
      if (added.len)
        pt_buf_append(&added, "\n", 1);
      pt_buf_append(&added, p, n);
      char key[64];
      if (line_key(p, n, key, sizeof(key)) > 0 &&
          json_array_size(keys) < CONFIG_KEYS_MAX) {
        json_t *k = json_string(key);
        size_t j;
        json_t *x;
        bool dup = false;
        json_array_foreach(keys, j, x) dup = dup || json_equal(x, k);
        if (dup || k == NULL)
          json_decref(k);
        else
          json_array_append_new(keys, k);
      }
    }
    i = e + 1;
  }
  json_object_set_new(o, "lines_added", json_integer((json_int_t)n_added));
  json_object_set_new(o, "added",
                      pt_json_bytes(added.data ? added.data : "", added.len,
                                    CONFIG_ADDED_MAX));
  json_object_set_new(o, "keys", keys);
  pt_buf_free(&added);
  pt_events_emit(pt_session_events(t->sess), 0, "config-change", o);
}

void pt_triage_configs_diff(struct pt_triage *t) {
  size_t n = n_watched(t);
  for (size_t i = 0; t->configs && i < n; i++) {
    struct pt_config_snap now;
    read_one(t, watched(t, i), &now);
    struct pt_config_snap *old = &t->configs[i];
    bool same = (now.data == NULL && old->data == NULL &&
                 now.err == old->err) ||
                (now.data && old->data && now.len == old->len &&
                 memcmp(now.data, old->data, now.len) == 0);
    if (!same)
      emit_change(t, watched(t, i), old, &now);
    free(old->data);
    *old = now;
  }
}

void pt_triage_configs_free(struct pt_triage *t) {
  size_t n = n_watched(t);
  for (size_t i = 0; t->configs && i < n; i++)
    free(t->configs[i].data);
  free(t->configs);
  t->configs = NULL;
}
