#include "pt_json.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pt_util.h"

json_t *pt_json_load_path(const char *path, pt_err **err) {
  return pt_json_load_path_image(path, NULL, err);
}

json_t *pt_json_load_path_image(const char *path,
                                const struct pt_json_image *img,
                                pt_err **err) {
  char *text = NULL;
  size_t len = 0;
  if (pt_read_file_at(AT_FDCWD, path, 16u << 20, &text, &len, err) < 0)
    return NULL;
  json_error_t je;
  json_t *root = pt_json_loadb_image(img, text, len, &je);
  free(text);
  if (root == NULL)
    pt_err_make(err, 0, "%s:%d:%d: %s", path, je.line, je.column, je.text);
  return root;
}

json_t *pt_json_loadb_image(const struct pt_json_image *img, const char *text,
                            size_t len, json_error_t *je) {
  json_t *root = pt_json_image_load(img, text, len);
  return root ? root : json_loadb(text, len, JSON_REJECT_DUPLICATES, je);
}

/* The node at *i and its subtree; *i moves past them. The image is our
 * build's own output, but its counts are still checked against its size. */
static json_t *build(const struct pt_json_image *img, size_t *i) {
  if (*i >= img->n_nodes)
    return NULL;
  const struct pt_json_node *nd = &img->nodes[(*i)++];
  switch (nd->type) {
  case JSON_OBJECT:
  case JSON_ARRAY: {
    bool obj = nd->type == JSON_OBJECT;
    json_t *c = obj ? json_object() : json_array();
    for (unsigned k = 0; c && k < nd->n; k++) {
      const char *key = *i < img->n_nodes ? img->nodes[*i].key : NULL;
      json_t *v = build(img, i);
      int rc = -1;
      if (v && !obj)
        rc = json_array_append_new(c, v);
      else if (v && key) /* unique: the image was made rejecting duplicates */
        rc = json_object_set_new_nocheck(c, key, v);
      else
        json_decref(v); /* a member without a name: not our image */
      if (rc < 0) {
        json_decref(c);
        c = NULL;
      }
    }
    return c;
  }
  case JSON_STRING:
    return json_stringn_nocheck(nd->str, nd->len);
  case JSON_INTEGER:
    return json_integer(nd->i);
  case JSON_REAL:
    return json_real(nd->r);
  case JSON_TRUE:
    return json_true();
  case JSON_FALSE:
    return json_false();
  case JSON_NULL:
    return json_null();
  default:
    return NULL;
  }
}

json_t *pt_json_image_load(const struct pt_json_image *img, const char *text,
                           size_t len) {
  if (img == NULL || img->n_nodes == 0 || len != img->text_len ||
      memcmp(text, img->text, len) != 0)
    return NULL;
  size_t i = 0;
  json_t *root = build(img, &i);
  if (root != NULL && i != img->n_nodes) {
    json_decref(root);
    root = NULL;
  }
  return root;
}
