/* package.json, hostile input, parsed with jansson: json_loadb with
 * JSON_REJECT_DUPLICATES over a buffer capped at PT_NPMMETA_MAX_INPUT.
 * jansson rejects invalid UTF-8 and "\u0000" in strings, and bounds nesting
 * depth itself. Errors carry jansson's line and column. */
#ifndef PT_NPMMETA_H
#define PT_NPMMETA_H

#include <stdbool.h>
#include <stddef.h>

#include "pt_err.h"

#define PT_NPMMETA_MAX_INPUT (4u << 20)
#define PT_NPMMETA_MAX_NAME 214 /* npm's own limit */
#define PT_NPMMETA_MAX_VERSION 256
#define PT_NPMMETA_MAX_ITEMS 10000 /* per map (scripts, bin, deps) */
#define PT_NPMMETA_MAX_STRING (64u << 10) /* one script, path or range */

typedef struct pt_npmmeta_kv {
  char *key;
  char *value;
} pt_npmmeta_kv;

typedef struct pt_npmmeta_map {
  pt_npmmeta_kv *items; /* in file order */
  size_t len;
} pt_npmmeta_map;

typedef struct pt_npmmeta {
  char *name;    /* validated; NULL when absent */
  char *version; /* validated; NULL when absent */
  char *main;    /* NULL when absent */
  pt_npmmeta_map scripts; /* every script, lifecycle or not */
  /* bin: a string becomes one entry named after the unscoped package
   * name; an object maps command -> path. */
  pt_npmmeta_map bin;
  char *directories_bin; /* "directories": {"bin": DIR}: every file in DIR
                            is a command (npm does this when bin is absent) */
  pt_npmmeta_map dependencies;
  pt_npmmeta_map optional_dependencies;
  pt_npmmeta_map peer_dependencies; /* npm >= 7 installs them too */
  /* Peers peerDependenciesMeta marks optional, moved out of
   * peer_dependencies: npm installs none of them unless something else
   * brings it (node-fetch's `encoding`). */
  pt_npmmeta_map peer_optional_dependencies;
  /* bundleDependencies / bundledDependencies: an array of names, or true
   * meaning every name in dependencies. */
  char **bundle_dependencies;
  size_t n_bundle_dependencies;
  /* An object held a key twice: the last value counts, as in npm and
   * Node (JSON.parse), so pkgtrap reads what they do; worth a note. */
  bool duplicate_keys;
} pt_npmmeta;

/* Fails on invalid JSON (with line:column), a top level that is not an
 * object, a known field of the wrong type, an invalid name or version,
 * and on caps. Unknown fields are ignored, and so is a `main` that is not
 * a string (`"main": false` is in real packages; Node ignores it). */
int pt_npmmeta_parse(const char *data, size_t len, pt_npmmeta *out,
                     pt_err **err);
void pt_npmmeta_free(pt_npmmeta *m);

/* The value of a script, NULL when absent. */
const char *pt_npmmeta_script(const pt_npmmeta *m, const char *name);
/* Scripts `npm install <tarball>` (and `npm install` in the package dir)
 * runs: preinstall, install, postinstall, prepare, prepublish,
 * preprepare, postprepare. */
bool pt_npmmeta_is_lifecycle_script(const char *name);
/* npm package name: optional `@scope/`, then [A-Za-z0-9._~-] not starting
 * with `.` or `_`, at most PT_NPMMETA_MAX_NAME bytes. Uppercase is
 * accepted (old packages have it). */
bool pt_npmmeta_valid_name(const char *s);
/* Printable ASCII without spaces, at most PT_NPMMETA_MAX_VERSION bytes. */
bool pt_npmmeta_valid_version(const char *s);

#endif
