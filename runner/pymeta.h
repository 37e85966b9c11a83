/* Bounded parsers for Python packaging metadata, all of it hostile input:
 * entry_points.txt, METADATA / PKG-INFO, RECORD, top_level.txt.
 *
 * Each parser takes a buffer and its length (NUL bytes inside are an
 * error, never a silent truncation), enforces the caps below, rejects
 * non-UTF-8 text, and on error says which line is wrong. Outputs are owned
 * by the caller and released with the matching _free (safe on a zeroed or
 * partially filled struct). */
#ifndef PT_PYMETA_H
#define PT_PYMETA_H

#include <stdbool.h>
#include <stddef.h>

#include "pt_err.h"

#define PT_PYMETA_MAX_INPUT (1u << 20)        /* entry_points, METADATA, top_level */
#define PT_PYMETA_MAX_RECORD_INPUT (16u << 20) /* RECORD lists every file */
#define PT_PYMETA_MAX_LINE 8192
#define PT_PYMETA_MAX_ENTRIES 10000
#define PT_PYMETA_MAX_RECORD_ROWS 200000
#define PT_PYMETA_MAX_NAME 256
#define PT_PYMETA_MAX_VERSION 256

typedef struct pt_pymeta_strlist {
  char **items;
  size_t len;
} pt_pymeta_strlist;
void pt_pymeta_strlist_free(pt_pymeta_strlist *l);

/* One `name = module:attr [extras]` line of an entry_points.txt section. */
typedef struct pt_pymeta_entry_point {
  char *group;  /* "console_scripts", "pytest11", ... */
  char *name;   /* "aws" */
  char *value;  /* "pkg.cli:main [extra]" as written, trimmed */
  char *module; /* "pkg.cli" */
  char *attr;   /* "main", NULL when the value names a module only */
  char *extras; /* "extra", NULL when none */
} pt_pymeta_entry_point;

typedef struct pt_pymeta_entry_points {
  pt_pymeta_entry_point *items;
  size_t len;
} pt_pymeta_entry_points;

/* Follows importlib.metadata (what runs the entry points): lines are
 * stripped, blank lines and lines starting with `#` or `;` are comments,
 * `[group]` opens a section, lines before the first section are ignored,
 * every other line must be `name = value`. */
int pt_pymeta_parse_entry_points(const char *data, size_t len,
                                 pt_pymeta_entry_points *out, pt_err **err);
void pt_pymeta_entry_points_free(pt_pymeta_entry_points *eps);

typedef struct pt_pymeta_metadata {
  char *name;    /* NULL when absent; validated when present */
  char *version; /* NULL when absent; validated when present */
  char *summary; /* NULL when absent; folded to one line */
  pt_pymeta_strlist requires_dist;
} pt_pymeta_metadata;

/* RFC 822 style headers (continuation lines start with space or tab) up to
 * the first blank line; the body is ignored. Header names are matched
 * case-insensitively; the first Name/Version/Summary wins (like
 * email.message.Message.get). A line without `:` ends the headers, as in
 * Python's email parser. */
int pt_pymeta_parse_metadata(const char *data, size_t len,
                             pt_pymeta_metadata *out, pt_err **err);
void pt_pymeta_metadata_free(pt_pymeta_metadata *md);

/* RECORD: CSV rows `path,hash,size` (Python csv dialect: `"` quotes,
 * `""` escapes a quote, quoted fields may hold commas and newlines).
 * Returns the paths, as written (they may be relative to site-packages
 * with `../`, e.g. scripts in ../../../bin/). */
int pt_pymeta_parse_record(const char *data, size_t len,
                           pt_pymeta_strlist *paths, pt_err **err);

/* top_level.txt: one importable name per line (dotted or `/`-separated
 * parts of identifiers), blank lines skipped. */
int pt_pymeta_parse_top_level(const char *data, size_t len,
                              pt_pymeta_strlist *names, pt_err **err);

/* A distribution name: [A-Za-z0-9._-], starting and ending with a letter
 * or digit, at most PT_PYMETA_MAX_NAME bytes. */
bool pt_pymeta_valid_name(const char *s);
/* A version: printable ASCII without spaces, at most PT_PYMETA_MAX_VERSION
 * bytes. */
bool pt_pymeta_valid_version(const char *s);
/* RFC 3629 UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF). Also used for archive entry names. */
bool pt_pymeta_valid_utf8(const char *s, size_t n);

#endif
