/* Internals shared by honey.c (manifest, rendering, writing) and
 * honey_gen.c (token generators). Not part of the public API. */
#ifndef PT_HONEY_INT_H
#define PT_HONEY_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "pt_err.h"
#include "pt_json.h"
#include "pt_util.h"

/* The bundled manifest.json, parsed at build time (honey.cmake). */
extern const struct pt_json_image pt_honey_manifest_image;

/* The rendered HOME (pt_honey.priv). */
typedef struct honey_file {
  char *path; /* relative to HOME */
  mode_t mode;
  unsigned char *data;
  size_t len;
  time_t mtime;
  bool bait;
  /* data is SQL that makes the file (an SQLite database), run when the
   * HOME is written (pt_honey_render_databases or the write itself): that
   * runs while the jail is built, in parallel, where generation is on the
   * start-up path (~1.3 ms). */
  bool sql;
  unsigned char *db; /* the database, once rendered */
  size_t db_len;
} honey_file;

typedef struct honey_dir {
  char *path;
  mode_t mode;
  time_t mtime;
} honey_dir;

struct pt_honey_priv {
  honey_file *files;
  size_t n_files;
  honey_dir *dirs;
  size_t n_dirs;
};

/* Hard caps on profile data: it is ours, but a typo (a template pointing at
 * a large file) should fail clearly, not eat memory. */
#define HONEY_MANIFEST_MAX (256 * 1024)
#define HONEY_TEMPLATE_MAX (64 * 1024)
#define HONEY_RENDER_MAX (1024 * 1024)
#define HONEY_TOKEN_MAX 8192
#define HONEY_NAME_MAX 64
#define HONEY_MAX_PARTS 2
#define HONEY_NO_VAR SIZE_MAX

/* A placeholder value: identity (USER, HOME, ...) or a generated token.
 * {{NAME}} expands to value, {{NAME:part}} to a named part (an SSH key's
 * "private" PEM and "public" line). */
typedef struct honey_var {
  char *name;
  char *value;
  char *part_name[HONEY_MAX_PARTS];
  char *part_text[HONEY_MAX_PARTS];
  size_t n_parts;
  bool token;  /* declared in "tokens" (identity values are not) */
  bool detect; /* worth reporting when seen outside its place */
  size_t *deps; /* tokens this one was derived from ("of", JWT claims) */
  size_t n_deps;
  char **where; /* "~/path" or "env:NAME", in first-use order */
  size_t n_where;
} honey_var;

typedef struct honey_vars {
  honey_var *v;
  size_t n, alloc;
} honey_vars;

enum honey_escape { HONEY_ESC_NONE, HONEY_ESC_JSON, HONEY_ESC_SQL };

/* Append a variable; takes ownership of value. Returns its index or -1. */
ssize_t honey_vars_add(honey_vars *vs, const char *name, char *value,
                       pt_err **err);
void honey_vars_free(honey_vars *vs);
/* Record that v was derived from token dep. 0 or -1 (ENOMEM). */
int honey_var_add_dep(honey_var *v, size_t dep);

/* Expand {{NAME}} / {{NAME:part}} in tmpl[0..len) into out.
 * where != NULL: every token whose value lands in the output (and every
 * token it derives from) gets that location recorded.
 * dep_of != HONEY_NO_VAR: every token used becomes a dependency of that
 * variable (while generating a derived token).
 * ctx names the template in error messages. */
int honey_render(honey_vars *vs, const char *tmpl, size_t len,
                 enum honey_escape esc, const char *where, size_t dep_of,
                 const char *ctx, pt_buf *out, pt_err **err);

/* Generate the value (and parts) of vs->v[idx] from its manifest spec.
 * dirfd is profiles/honeytokens (for word lists). */
int honey_gen_token(honey_vars *vs, size_t idx, json_t *spec, int dirfd,
                    pt_err **err);

/* Uniform random integer in [0, n). */
uint32_t honey_rand_below(uint32_t n);
/* len characters drawn uniformly from alphabet, NUL-terminated. */
char *honey_rand_chars(const char *alphabet, size_t len);
/* Standard base64 (with padding) or base64url (no padding). */
char *honey_base64(const void *data, size_t len, bool url);

/* Run sql in an in-memory SQLite database (with pt_chrome_v10(text)
 * available, Chrome's Linux password encryption) and serialise it to
 * bytes, so the file can be written fd-relative like any other. */
int honey_sqlite_render(const char *sql, const char *ctx, unsigned char **data,
                        size_t *len, pt_err **err);
/* The build's image of an SQLite template (honey_sqlite_image.h) made
 * from exactly these bytes, or NULL. */
struct honey_sqlite_image;
const struct honey_sqlite_image *honey_sqlite_image_find(const char *tmpl,
                                                          size_t len);
/* The database the image's template makes with vs's values, without
 * SQLite: 0 (*data is malloc'd), 1 when the values do not fit the image's
 * pages (render the SQL with SQLite instead), -1 on error. */
int honey_sqlite_image_render(const struct honey_sqlite_image *img,
                              honey_vars *vs, const char *ctx,
                              unsigned char **data, size_t *len,
                              pt_err **err);
/* Chrome's "v10" encryption on Linux without a keyring: AES-128-CBC, key
 * PBKDF2-SHA1("peanuts", "saltysalt", 1 iteration), IV 16 spaces, prefixed
 * "v10". Exposed for the tests, which decrypt it back. */
int honey_chrome_v10(const char *plain, size_t plen, unsigned char **out,
                     size_t *olen);
int honey_chrome_v10_decrypt(const unsigned char *in, size_t len, char **out);

#endif
