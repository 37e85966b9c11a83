#include "pt_json.h"

#include <fcntl.h>
#include <stdlib.h>

#include "pt_util.h"

json_t *pt_json_load_path(const char *path, pt_err **err) {
  char *text = NULL;
  size_t len = 0;
  if (pt_read_file_at(AT_FDCWD, path, 16u << 20, &text, &len, err) < 0)
    return NULL;
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  free(text);
  if (root == NULL)
    pt_err_make(err, 0, "%s:%d:%d: %s", path, je.line, je.column, je.text);
  return root;
}
