/* A JSON file read whole, then parsed. */
#ifndef PT_JSON_H
#define PT_JSON_H

#include <jansson.h>

#include "pt_err.h"

/* The document in path, parsed with JSON_REJECT_DUPLICATES; NULL with err
 * naming the file and, for a parse error, its line and column. Files are
 * capped at 16 MB. Why not json_load_file: that reads with one fgetc per
 * byte, ~3x the parse's own cost for the profiles every run loads. */
json_t *pt_json_load_path(const char *path, pt_err **err);

#endif
