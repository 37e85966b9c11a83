/* A JSON file read whole, then parsed; or, when it holds exactly the bytes
 * a build-time image was made from, built from that image. */
#ifndef PT_JSON_H
#define PT_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "pt_err.h"

/* The document in path, parsed with JSON_REJECT_DUPLICATES; NULL with err
 * naming the file and, for a parse error, its line and column. Files are
 * capped at 16 MB. Why not json_load_file: that reads with one fgetc per
 * byte, ~3x the parse's own cost for the profiles every run loads. */
json_t *pt_json_load_path(const char *path, pt_err **err);

/* A bundled profile parsed at build time (runner/json_prebuild.c): its
 * bytes, and its tree flattened in document order (each node followed by
 * its children; a member's node carries its name). Building a tree from
 * this costs a quarter of jansson's parse (~0.04 against ~0.16 ms for the
 * honeytoken manifest on these machines), on every run's serial path. */
struct pt_json_node {
  const char *key; /* member name, NULL in an array or at the root */
  const char *str; /* JSON_STRING: its bytes (no NUL inside: the parse
                      refuses one without JSON_ALLOW_NUL) */
  size_t len;      /* JSON_STRING: length */
  json_int_t i;    /* JSON_INTEGER */
  double r;        /* JSON_REAL */
  unsigned type;   /* json_type */
  unsigned n;      /* JSON_OBJECT, JSON_ARRAY: children */
};
struct pt_json_image {
  const char *text; /* the file's bytes the image was made from */
  size_t text_len;
  const struct pt_json_node *nodes;
  size_t n_nodes; /* 0: no image (a cross build) */
};

/* The tree of text[0..len) from img when text is byte for byte the one
 * img was made from; NULL otherwise (or out of memory): then parse it. */
json_t *pt_json_image_load(const struct pt_json_image *img, const char *text,
                           size_t len);

/* The tree of text[0..len): from img when it was made from these very
 * bytes, else parsed (JSON_REJECT_DUPLICATES; NULL and *je on an error). */
json_t *pt_json_loadb_image(const struct pt_json_image *img, const char *text,
                            size_t len, json_error_t *je);

/* pt_json_load_path, through img when the file is unchanged. */
json_t *pt_json_load_path_image(const char *path,
                                const struct pt_json_image *img,
                                pt_err **err);

#endif
