/* Tests for json_prebuild's images (runner/json_prebuild.c) and their
 * loader (sandbox/pt_json.c): a tree built from an image is the very tree
 * jansson parses from the file (same members in the same order, same
 * types and values, every kind of JSON value and string escape), for a
 * test document and for the bundled profiles a run loads this way; and a
 * file that differs from the image's by a byte, or by its length, gets
 * no tree from it (the caller then parses). */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pt_json.h"
#include "pt_util.h"

extern const struct pt_json_image test_json_image;
extern const struct pt_json_image pt_honey_manifest_image;
extern const struct pt_json_image pt_jail_profile_image;

static char *dump(json_t *j) {
  /* Insertion order (jansson >= 2.8 keeps it), every real exactly. */
  return j ? json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) : NULL;
}

static void check_image(const char *what, const struct pt_json_image *img,
                        const char *path) {
  char *text = NULL;
  size_t len = 0;
  pt_err *e = NULL;
  CHECK(pt_read_file_at(AT_FDCWD, path, 1 << 20, &text, &len, &e) == 0,
        "%s: read %s", what, path);
  if (text == NULL)
    return;
  json_error_t je;
  json_t *parsed = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  json_t *built = pt_json_image_load(img, text, len);
  CHECK(parsed != NULL, "%s: parse: %s", what, je.text);
  CHECK(built != NULL, "%s: no tree from the image of an unchanged file",
        what);
  char *a = dump(parsed), *b = dump(built);
  CHECK(a && b && strcmp(a, b) == 0, "%s: image gives\n%s\nparse gives\n%s",
        what, b ? b : "(null)", a ? a : "(null)");
  CHECK(json_equal(parsed, built), "%s: json_equal", what);
  free(a);
  free(b);
  json_decref(built);

  /* Through pt_json_load_path_image, as profile.c loads. */
  json_t *via = pt_json_load_path_image(path, img, &e);
  CHECK(via && json_equal(via, parsed), "%s: load_path_image", what);
  json_decref(via);

  /* One byte changed (a space in the document, still valid JSON), one
   * byte fewer: the image is not used. */
  char *ws = memchr(text, ' ', len);
  CHECK(ws != NULL, "%s: has a space", what);
  if (ws) {
    *ws = '\t';
    json_t *t = pt_json_image_load(img, text, len);
    CHECK(t == NULL, "%s: a changed byte still used the image", what);
    json_decref(t);
    *ws = ' ';
  }
  json_t *t = pt_json_image_load(img, text, len - 1);
  CHECK(t == NULL, "%s: a shorter file still used the image", what);
  json_decref(t);
  json_decref(parsed);
  free(text);
}

int main(void) {
  check_image("test document", &test_json_image, PKGTRAP_TEST_JSON);
  check_image("honeytoken manifest", &pt_honey_manifest_image,
              PKGTRAP_PROFILES_DIR "/honeytokens/manifest.json");
  check_image("jail profile", &pt_jail_profile_image,
              PKGTRAP_PROFILES_DIR "/jail.json");

  /* Types kept apart: an integer stays one, a real stays one. */
  const struct pt_json_image *img = &test_json_image;
  char *text = NULL;
  size_t len = 0;
  pt_err *e = NULL;
  if (pt_read_file_at(AT_FDCWD, PKGTRAP_TEST_JSON, 1 << 20, &text, &len, &e) ==
      0) {
    json_t *t = pt_json_image_load(img, text, len);
    CHECK(json_is_integer(json_object_get(t, "zeta")), "zeta is an integer");
    CHECK(json_integer_value(json_object_get(t, "small")) == INT64_MIN,
          "the smallest integer");
    CHECK(json_is_real(json_array_get(json_object_get(t, "reals"), 3)),
          "3.0 is a real");
    const char *s = json_string_value(json_object_get(t, "text"));
    CHECK(s && strstr(s, "?" "?=") && strstr(s, "\xf0\x9f\x98\x80"),
          "escapes and non-ASCII: %s", s ? s : "(null)");
    const char *first = json_object_iter_key(json_object_iter(t));
    CHECK(first && strcmp(first, "comment") == 0, "document order: %s",
          first ? first : "(null)");
    json_decref(t);
    free(text);
  }
  /* No image (a cross build): never a tree. */
  static const struct pt_json_image none;
  CHECK(pt_json_image_load(&none, "", 0) == NULL, "empty image");
  return failures != 0;
}
