/* package.json parsing for the npm side of the artifact module. jansson
 * does the JSON; this file only decides which fields matter, checks their
 * types and caps, and copies them out so no json_t outlives the call. */
#define _GNU_SOURCE
#include "npmmeta.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "pt_util.h"

/* jansson ships the cleanup helper (json_decrefp); give it the
 * project's cleanup_* spelling. */
#define cleanup_json __attribute__((cleanup(json_decrefp)))

static const char *const lifecycle_scripts[] = {
    "preinstall", "install",    "postinstall", "prepare",
    "prepublish", "preprepare", "postprepare",
};

bool pt_npmmeta_is_lifecycle_script(const char *name) {
  for (size_t i = 0; i < PT_ARRAY_LEN(lifecycle_scripts); i++)
    if (strcmp(name, lifecycle_scripts[i]) == 0)
      return true;
  return false;
}

static bool printable_no_space(const char *s, size_t max) {
  size_t n = strlen(s);
  if (n == 0 || n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
      return false;
  return true;
}

bool pt_npmmeta_valid_version(const char *s) {
  return s != NULL && printable_no_space(s, PT_NPMMETA_MAX_VERSION);
}

static bool name_part_ok(const char *s, size_t n) {
  if (n == 0 || s[0] == '.' || s[0] == '_')
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
              c == '~';
    if (!ok)
      return false;
  }
  return true;
}

bool pt_npmmeta_valid_name(const char *s) {
  if (s == NULL)
    return false;
  size_t n = strlen(s);
  if (n == 0 || n > PT_NPMMETA_MAX_NAME)
    return false;
  if (s[0] == '@') {
    const char *slash = strchr(s, '/');
    if (slash == NULL)
      return false;
    return name_part_ok(s + 1, (size_t)(slash - s - 1)) &&
           name_part_ok(slash + 1, strlen(slash + 1));
  }
  return name_part_ok(s, n);
}

static void map_free(pt_npmmeta_map *m) {
  for (size_t i = 0; i < m->len; i++) {
    free(m->items[i].key);
    free(m->items[i].value);
  }
  free(m->items);
  memset(m, 0, sizeof(*m));
}

void pt_npmmeta_free(pt_npmmeta *m) {
  if (m == NULL)
    return;
  free(m->name);
  free(m->version);
  free(m->main);
  free(m->directories_bin);
  map_free(&m->scripts);
  map_free(&m->bin);
  map_free(&m->dependencies);
  map_free(&m->optional_dependencies);
  map_free(&m->peer_dependencies);
  map_free(&m->peer_optional_dependencies);
  for (size_t i = 0; i < m->n_bundle_dependencies; i++)
    free(m->bundle_dependencies[i]);
  free(m->bundle_dependencies);
  memset(m, 0, sizeof(*m));
}

const char *pt_npmmeta_script(const pt_npmmeta *m, const char *name) {
  for (size_t i = 0; i < m->scripts.len; i++)
    if (strcmp(m->scripts.items[i].key, name) == 0)
      return m->scripts.items[i].value;
  return NULL;
}

/* A string field copied out with the string cap; absent is fine. */
static int get_string(json_t *root, const char *field, char **out,
                      pt_err **err) {
  json_t *v = json_object_get(root, field);
  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_string(v))
    return pt_err_make(err, 0, "`%s` is not a string", field);
  if (json_string_length(v) > PT_NPMMETA_MAX_STRING)
    return pt_err_make(err, EFBIG, "`%s` is longer than %u bytes", field,
                       PT_NPMMETA_MAX_STRING);
  *out = strdup(json_string_value(v));
  if (*out == NULL)
    return pt_err_make(err, ENOMEM, "`%s`", field);
  return 0;
}

static int map_add(pt_npmmeta_map *m, const char *field, const char *key,
                   json_t *val, pt_err **err) {
  if (!json_is_string(val))
    return pt_err_make(err, 0, "`%s.%.64s` is not a string", field, key);
  if (strlen(key) > PT_NPMMETA_MAX_STRING ||
      json_string_length(val) > PT_NPMMETA_MAX_STRING)
    return pt_err_make(err, EFBIG, "`%s.%.64s` is longer than %u bytes",
                       field, key, PT_NPMMETA_MAX_STRING);
  /* Keys may legally hold "\u0000"-free text only (jansson refuses NUL
   * in keys without JSON_ALLOW_NUL), so strdup is exact. */
  pt_npmmeta_kv *items =
      pt_grow_array(m->items, m->len, sizeof(*m->items));
  if (items == NULL)
    return pt_err_make(err, ENOMEM, "`%s`", field);
  m->items = items;
  char *k = strdup(key), *v = strdup(json_string_value(val));
  if (k == NULL || v == NULL) {
    free(k);
    free(v);
    return pt_err_make(err, ENOMEM, "`%s`", field);
  }
  m->items[m->len].key = k;
  m->items[m->len].value = v;
  m->len++;
  return 0;
}

/* An object of string values; absent or null is an empty map. */
static int get_map(json_t *root, const char *field, pt_npmmeta_map *out,
                   pt_err **err) {
  json_t *obj = json_object_get(root, field);
  if (obj == NULL || json_is_null(obj))
    return 0;
  if (!json_is_object(obj))
    return pt_err_make(err, 0, "`%s` is not an object", field);
  if (json_object_size(obj) > PT_NPMMETA_MAX_ITEMS)
    return pt_err_make(err, EFBIG, "`%s` has more than %u entries", field,
                       PT_NPMMETA_MAX_ITEMS);
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val) {
    if (map_add(out, field, key, val, err) < 0)
      return -1;
  }
  return 0;
}

/* The command name npm derives from a string `bin`: the name without its
 * scope. */
static const char *unscoped(const char *name) {
  const char *slash = name[0] == '@' ? strchr(name, '/') : NULL;
  return slash ? slash + 1 : name;
}

static int get_bin(json_t *root, pt_npmmeta *m, pt_err **err) {
  json_t *bin = json_object_get(root, "bin");
  if (bin == NULL || json_is_null(bin))
    return 0;
  if (json_is_string(bin)) {
    if (m->name == NULL)
      return pt_err_make(err, 0, "`bin` is a string but `name` is "
                                      "missing");
    return map_add(&m->bin, "bin", unscoped(m->name), bin, err);
  }
  if (json_is_object(bin))
    return get_map(root, "bin", &m->bin, err);
  return pt_err_make(err, 0, "`bin` is neither a string nor an object");
}

static int get_directories_bin(json_t *root, pt_npmmeta *m, pt_err **err) {
  json_t *dirs = json_object_get(root, "directories");
  if (dirs == NULL || json_is_null(dirs))
    return 0;
  if (!json_is_object(dirs))
    return pt_err_make(err, 0, "`directories` is not an object");
  return get_string(dirs, "bin", &m->directories_bin, err) < 0
             ? pt_err_wrap(err, "`directories`")
             : 0;
}

static int bundle_add(pt_npmmeta *m, const char *name, pt_err **err) {
  if (m->n_bundle_dependencies >= PT_NPMMETA_MAX_ITEMS)
    return pt_err_make(err, EFBIG, "bundleDependencies has more than %u "
                                   "entries", PT_NPMMETA_MAX_ITEMS);
  if (strlen(name) > PT_NPMMETA_MAX_STRING)
    return pt_err_make(err, EFBIG, "bundleDependencies entry too long");
  char **items = pt_grow_array(m->bundle_dependencies, m->n_bundle_dependencies,
                              sizeof(char *));
  if (items == NULL)
    return pt_err_make(err, ENOMEM, "bundleDependencies");
  m->bundle_dependencies = items;
  if ((items[m->n_bundle_dependencies] = strdup(name)) == NULL)
    return pt_err_make(err, ENOMEM, "bundleDependencies");
  m->n_bundle_dependencies++;
  return 0;
}

static int get_bundle(json_t *root, pt_npmmeta *m, pt_err **err) {
  /* npm accepts both spellings; the first one present wins, as in
   * read-package-json. */
  const char *field = "bundleDependencies";
  json_t *b = json_object_get(root, field);
  if (b == NULL) {
    field = "bundledDependencies";
    b = json_object_get(root, field);
  }
  if (b == NULL || json_is_null(b) || json_is_false(b))
    return 0;
  if (json_is_true(b)) {
    for (size_t i = 0; i < m->dependencies.len; i++)
      if (bundle_add(m, m->dependencies.items[i].key, err) < 0)
        return -1;
    return 0;
  }
  if (!json_is_array(b))
    return pt_err_make(err, 0, "`%s` is neither an array nor a boolean",
                       field);
  size_t i;
  json_t *v;
  json_array_foreach(b, i, v) {
    if (!json_is_string(v))
      return pt_err_make(err, 0, "`%s[%zu]` is not a string", field, i);
    if (bundle_add(m, json_string_value(v), err) < 0)
      return -1;
  }
  return 0;
}

/* Move the peers that peerDependenciesMeta calls optional to their own
 * map. A meta that is not an object, or an entry without `"optional":
 * true`, leaves the peer required, as npm reads it. */
static void split_optional_peers(json_t *root, pt_npmmeta *m) {
  json_t *meta = json_object_get(root, "peerDependenciesMeta");
  if (!json_is_object(meta))
    return;
  pt_npmmeta_map *from = &m->peer_dependencies;
  pt_npmmeta_map *to = &m->peer_optional_dependencies;
  size_t kept = 0;
  for (size_t i = 0; i < from->len; i++) {
    json_t *e = json_object_get(meta, from->items[i].key);
    if (json_is_true(json_object_get(e, "optional"))) {
      /* to never outgrows from: its items fit in from's slack */
      if (to->items == NULL &&
          (to->items = calloc(from->len, sizeof(*to->items))) == NULL) {
        from->items[kept++] = from->items[i];
        continue;
      }
      to->items[to->len++] = from->items[i];
    } else {
      from->items[kept++] = from->items[i];
    }
  }
  from->len = kept;
}

static int parse_fields(json_t *root, pt_npmmeta *m, pt_err **err) {
  if (get_string(root, "name", &m->name, err) < 0 ||
      get_string(root, "version", &m->version, err) < 0 ||
      (json_is_string(json_object_get(root, "main")) &&
       get_string(root, "main", &m->main, err) < 0))
    return -1;
  if (m->name != NULL && !pt_npmmeta_valid_name(m->name))
    return pt_err_make(err, 0, "invalid package name `%.64s`", m->name);
  if (m->version != NULL && !pt_npmmeta_valid_version(m->version))
    return pt_err_make(err, 0, "invalid version `%.64s`", m->version);
  if (get_map(root, "scripts", &m->scripts, err) < 0 ||
      get_bin(root, m, err) < 0 || get_directories_bin(root, m, err) < 0 ||
      get_map(root, "dependencies", &m->dependencies, err) < 0 ||
      get_map(root, "optionalDependencies", &m->optional_dependencies, err) <
          0 ||
      get_map(root, "peerDependencies", &m->peer_dependencies, err) < 0 ||
      get_bundle(root, m, err) < 0)
    return -1;
  split_optional_peers(root, m);
  return 0;
}

int pt_npmmeta_parse(const char *data, size_t len, pt_npmmeta *out,
                     pt_err **err) {
  memset(out, 0, sizeof(*out));
  if (len > PT_NPMMETA_MAX_INPUT)
    return pt_err_make(err, EFBIG, "package.json is larger than %u bytes",
                       PT_NPMMETA_MAX_INPUT);
  json_error_t jerr;
  cleanup_json json_t *root =
      json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
  /* A key twice is valid JSON, and real packages have it (browserify-zlib
   * 0.1.4: "main" twice): read it as npm does, the last value winning
   * (jansson's default), rather than refuse the package. */
  if (root == NULL && json_error_code(&jerr) == json_error_duplicate_key) {
    root = json_loadb(data, len, 0, &jerr);
    out->duplicate_keys = root != NULL;
  }
  if (root == NULL)
    return pt_err_make(err, 0, "package.json:%d:%d: %s", jerr.line,
                       jerr.column, jerr.text);
  if (!json_is_object(root))
    return pt_err_make(err, 0, "package.json: top level is not an "
                                    "object");
  if (parse_fields(root, out, err) < 0) {
    pt_npmmeta_free(out);
    return pt_err_wrap(err, "package.json");
  }
  return 0;
}
