/* Build-time tool: runs each SQL template of the honeytoken profile through
 * SQLite with its {{placeholders}} left in, and writes C source holding
 * the database it made and every table's rows (honey_sqlite_image.h says
 * why, and what a run does with them).
 *
 *   honey_sqlite_prebuild OUT.c NAME TEMPLATE.sql...
 *
 * NAME is the array of images OUT.c defines (NAME_n their number; the
 * run's are pt_honey_sqlite_images, the tests' have their own).
 *
 * A template this cannot represent gets no image (a note says why) and a
 * run renders it with SQLite as before: the build never fails for that.
 * Writes OUT.c whole or not at all (a temporary file, then rename). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "honey_sqlite_image.h"

#define MAX_TEMPLATE (1 << 20)

static const char *prog = "honey_sqlite_prebuild";

/* Why a template gets no image: said once, then the template is skipped. */
__attribute__((format(printf, 2, 3))) static bool
refuse(const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: %s: no build-time image (a run renders it with "
                  "SQLite): ", prog, path);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return false;
}

/* The build's pt_chrome_v10: the marker, then its argument unrendered. */
static void chrome_mark(sqlite3_context *ctx, int argc, sqlite3_value **a) {
  (void)argc;
  const unsigned char *t = sqlite3_value_text(a[0]);
  int n = sqlite3_value_bytes(a[0]);
  size_t len = HSI_CHROME_MARK_LEN + (size_t)n;
  unsigned char *b = malloc(len);
  if (t == NULL || b == NULL) {
    free(b);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  memcpy(b, HSI_CHROME_MARK, HSI_CHROME_MARK_LEN);
  memcpy(b + HSI_CHROME_MARK_LEN, t, (size_t)n);
  sqlite3_result_blob(ctx, b, (int)len, free);
}

/* Only what yields the same rows at build time and in a run: no function
 * but pt_chrome_v10 (random(), strftime('now'), ...), no other database,
 * no virtual table; PRAGMAs could change the file's format. */
static int authorize(void *ud, int action, const char *a, const char *b,
                     const char *c, const char *d) {
  (void)ud;
  (void)a;
  (void)c;
  (void)d;
  switch (action) {
  case SQLITE_FUNCTION:
    return b && strcmp(b, "pt_chrome_v10") == 0 ? SQLITE_OK : SQLITE_DENY;
  case SQLITE_PRAGMA:
  case SQLITE_ATTACH:
  case SQLITE_DETACH:
  case SQLITE_CREATE_VTABLE:
  case SQLITE_DROP_VTABLE:
  case SQLITE_ANALYZE:
    return SQLITE_DENY;
  default:
    return SQLITE_OK;
  }
}

/* ---- the C we write --------------------------------------------------- */

static void put_bytes(FILE *o, const void *data, size_t len) {
  const unsigned char *p = data;
  fputc('"', o);
  for (size_t i = 0; i < len; i++) {
    if (i && i % 40 == 0)
      fputs("\"\n    \"", o);
    if (isalnum(p[i]) || p[i] == ' ' || p[i] == '_' || p[i] == '.')
      fputc(p[i], o);
    else
      fprintf(o, "\\%03o", p[i]); /* octal: never runs into what follows */
  }
  fputc('"', o);
}

/* SQLite's affinity of a declared column type (§3.1 of its datatype doc). */
static char affinity_of(const char *decl) {
  char up[256];
  size_t n = 0;
  for (; decl && decl[n] && n + 1 < sizeof(up); n++)
    up[n] = (char)toupper((unsigned char)decl[n]);
  up[n] = '\0';
  if (strstr(up, "INT"))
    return 'I';
  if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
    return 'T';
  if (strstr(up, "BLOB") || n == 0)
    return 'B';
  if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
    return 'R';
  return 'N';
}

static size_t count_marks(const char *p, size_t len) {
  size_t n = 0;
  for (const char *q = p; (q = memmem(q, len - (size_t)(q - p), "{{", 2));
       q += 2)
    n++;
  return n;
}

/* A prepared query with up to two text parameters, or NULL. */
static sqlite3_stmt *query(sqlite3 *db, const char *sql, const char *a1,
                           const char *a2) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  if (a1)
    sqlite3_bind_text(st, 1, a1, -1, SQLITE_STATIC);
  if (a2)
    sqlite3_bind_text(st, 2, a2, -1, SQLITE_STATIC);
  return st;
}

/* The first row's integer columns 0 and 1 (when out2 != NULL). */
static int one_row(sqlite3 *db, const char *sql, const char *a1,
                   const char *a2, long long *out, long long *out2) {
  sqlite3_stmt *st = query(db, sql, a1, a2);
  int rc = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) {
    *out = sqlite3_column_int64(st, 0);
    if (out2)
      *out2 = sqlite3_column_int64(st, 1);
    rc = 0;
  }
  sqlite3_finalize(st);
  return rc;
}

static unsigned be(const unsigned char *p, int n) {
  unsigned v = 0;
  for (int i = 0; i < n; i++)
    v = v << 8 | p[i];
  return v;
}

struct btree {
  char type[8];
  char name[256], tbl[256];
  long long root;
};

/* One table's columns and rows, written as C; its number in *n_tables. */
static bool put_table(FILE *o, sqlite3 *db, const char *path, int img,
                      const struct btree *t, int ti, size_t *marks,
                      char *affinity_out, size_t aff_cap) {
  long long wr = 0;
  if (one_row(db, "SELECT wr FROM pragma_table_list WHERE name = ?1", t->name,
              NULL, &wr, NULL) < 0 || wr)
    return refuse(path, "table `%s` is WITHOUT ROWID", t->name);
  sqlite3_stmt *st = query(db, "SELECT name, type, pk, hidden FROM "
                               "pragma_table_xinfo(?1) ORDER BY cid",
                           t->name, NULL);
  if (st == NULL)
    return refuse(path, "%s", sqlite3_errmsg(db));
  int n_cols = 0, n_pk = 0, pk_col = -1;
  bool pk_integer = false, bad = false;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *decl = (const char *)sqlite3_column_text(st, 1);
    if (sqlite3_column_int(st, 3) != 0 || (size_t)n_cols + 1 >= aff_cap ||
        (name && (strcasecmp(name, "rowid") == 0 ||
                  strcasecmp(name, "oid") == 0 ||
                  strcasecmp(name, "_rowid_") == 0)))
      bad = true;
    if (sqlite3_column_int(st, 2) > 0) {
      n_pk++;
      pk_col = n_cols;
      pk_integer = decl && strcasecmp(decl, "INTEGER") == 0;
    }
    if (!bad)
      affinity_out[n_cols] = affinity_of(decl);
    n_cols++;
  }
  sqlite3_finalize(st);
  if (bad || n_cols == 0)
    return refuse(path, "table `%s`: hidden, generated or rowid-named "
                        "columns", t->name);
  affinity_out[n_cols] = '\0';
  /* A rowid alias is a lone INTEGER PRIMARY KEY; "INTEGER PRIMARY KEY
   * DESC" is not one, and then the primary key has its own index. */
  long long pk_index = 0;
  if (one_row(db, "SELECT count(*) FROM pragma_index_list(?1) WHERE "
                  "origin = 'pk'",
              t->name, NULL, &pk_index, NULL) < 0)
    return refuse(path, "%s", sqlite3_errmsg(db));
  int alias = n_pk == 1 && pk_integer && pk_index == 0 ? pk_col : -1;

  char *sql = NULL;
  if (asprintf(&sql, "SELECT rowid, * FROM \"%s\" ORDER BY rowid", t->name) <
          0 ||
      strchr(t->name, '"') != NULL) {
    free(sql);
    return refuse(path, "table `%s`: name", t->name);
  }
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  free(sql);
  if (rc != SQLITE_OK)
    return refuse(path, "%s", sqlite3_errmsg(db));
  fprintf(o, "static const struct hsi_value img%d_t%d_values[] = {\n", img,
          ti);
  char *rowids = NULL;
  size_t rowids_len = 0;
  FILE *ro = open_memstream(&rowids, &rowids_len);
  int n_rows = 0;
  while (ro && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    fprintf(ro, "%lld, ", (long long)sqlite3_column_int64(st, 0));
    for (int c = 0; c < n_cols; c++) {
      int type = sqlite3_column_type(st, c + 1);
      const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(st, c + 1)
                                          : sqlite3_column_text(st, c + 1);
      size_t len = (size_t)sqlite3_column_bytes(st, c + 1);
      if (c == alias) {
        fputs("    {.kind = HSI_LITERAL, .type = HSI_NULL},\n", o);
        continue;
      }
      if (type == SQLITE_TEXT && memmem(p, len, "{{", 2)) {
        *marks += count_marks(p, len);
        fputs("    {.kind = HSI_TEMPLATE, .type = HSI_TEXT, .bytes = ", o);
      } else if (type == SQLITE_BLOB && len >= HSI_CHROME_MARK_LEN &&
                 memcmp(p, HSI_CHROME_MARK, HSI_CHROME_MARK_LEN) == 0) {
        p = (const char *)p + HSI_CHROME_MARK_LEN;
        len -= HSI_CHROME_MARK_LEN;
        *marks += count_marks(p, len);
        fputs("    {.kind = HSI_CHROME_V10, .type = HSI_BLOB, .bytes = ", o);
      } else if (type == SQLITE_INTEGER) {
        fprintf(o, "    {.kind = HSI_LITERAL, .type = HSI_INTEGER, "
                   ".i = %lldLL},\n",
                (long long)sqlite3_column_int64(st, c + 1));
        continue;
      } else if (type == SQLITE_FLOAT) {
        fprintf(o, "    {.kind = HSI_LITERAL, .type = HSI_FLOAT, .r = %a},\n",
                sqlite3_column_double(st, c + 1));
        continue;
      } else if (type == SQLITE_NULL) {
        fputs("    {.kind = HSI_LITERAL, .type = HSI_NULL},\n", o);
        continue;
      } else {
        fprintf(o, "    {.kind = HSI_LITERAL, .type = %s, .bytes = ",
                type == SQLITE_TEXT ? "HSI_TEXT" : "HSI_BLOB");
      }
      put_bytes(o, p ? p : "", len);
      fprintf(o, ", .len = %zu},\n", len);
    }
    n_rows++;
  }
  sqlite3_finalize(st);
  if (ro)
    fclose(ro);
  if (rc != SQLITE_DONE) {
    free(rowids);
    return refuse(path, "reading table `%s`", t->name);
  }
  if (n_rows == 0)
    fputs("    {0},\n", o); /* no empty initialisers in C */
  fprintf(o, "};\nstatic const int64_t img%d_t%d_rowids[] = {%s%s};\n", img,
          ti, rowids ? rowids : "", n_rows ? "" : "0");
  free(rowids);
  fprintf(o, "#define IMG%d_T%d {.root = %lld, .n_cols = %d, .alias_col = "
             "%d, .affinity = \"%s\", .n_rows = %d, .rowids = img%d_t%d_rowids, "
             ".values = img%d_t%d_values}\n",
          img, ti, t->root, n_cols, alias, affinity_out, n_rows, img, ti, img,
          ti);
  return true;
}

static bool put_index(FILE *o, sqlite3 *db, const char *path, int img,
                      const struct btree *ix, int xi, int table) {
  long long partial = 0, unique = 0;
  if (one_row(db, "SELECT partial, \"unique\" FROM pragma_index_list(?1) "
                  "WHERE name = ?2",
              ix->tbl, ix->name, &partial, &unique) < 0 || partial)
    return refuse(path, "index `%s` is partial", ix->name);
  sqlite3_stmt *st = query(db, "SELECT cid, desc, coll FROM "
                               "pragma_index_xinfo(?1) WHERE key ORDER BY "
                               "seqno",
                           ix->name, NULL);
  if (st == NULL)
    return refuse(path, "%s", sqlite3_errmsg(db));
  char cols[1024] = "", desc[1024] = "";
  size_t cl = 0, dl = 0;
  int n = 0;
  bool bad = false;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *coll = (const char *)sqlite3_column_text(st, 2);
    int cid = sqlite3_column_int(st, 0);
    if (cid < 0 || coll == NULL || strcasecmp(coll, "BINARY") != 0 ||
        cl + 16 >= sizeof(cols))
      bad = true;
    else {
      cl += (size_t)snprintf(cols + cl, sizeof(cols) - cl, "%d, ", cid);
      dl += (size_t)snprintf(desc + dl, sizeof(desc) - dl, "%d, ",
                             sqlite3_column_int(st, 1) != 0);
    }
    n++;
  }
  sqlite3_finalize(st);
  if (bad || n == 0)
    return refuse(path, "index `%s`: an expression, or a collation other "
                        "than BINARY", ix->name);
  fprintf(o, "static const int16_t img%d_x%d_cols[] = {%s};\n"
             "static const unsigned char img%d_x%d_desc[] = {%s};\n",
          img, xi, cols, img, xi, desc);
  fprintf(o, "#define IMG%d_X%d {.root = %lld, .table = %d, .n_cols = %d, "
             ".cols = img%d_x%d_cols, .desc = img%d_x%d_desc, .unique = %d}\n",
          img, xi, ix->root, table, n, img, xi, img, xi, unique != 0);
  return true;
}

/* One template's image, or false (and a note) when it gets none; o is
 * a scratch stream, copied to the output only when the whole image is
 * there. */
static bool put_image(FILE *o, const char *path, int img) {
  FILE *f = fopen(path, "re");
  if (f == NULL)
    return refuse(path, "%s", strerror(errno));
  char *text = malloc(MAX_TEMPLATE + 1);
  size_t len = text ? fread(text, 1, MAX_TEMPLATE + 1, f) : 0;
  bool read_ok = text && !ferror(f) && len <= MAX_TEMPLATE;
  fclose(f);
  if (!read_ok) {
    free(text);
    return refuse(path, "unreadable or over %d bytes", MAX_TEMPLATE);
  }
  text[len] = '\0';
  if (strlen(text) != len) {
    free(text);
    return refuse(path, "holds a NUL byte");
  }

  sqlite3 *db = NULL;
  char *msg = NULL;
  bool ok = false;
  struct btree *bt = NULL;
  size_t n_bt = 0;
  sqlite3_stmt *st = NULL;
  unsigned char *bytes = NULL;
  sqlite3_int64 size = 0;
  if (sqlite3_open_v2(":memory:", &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
          SQLITE_OK ||
      sqlite3_create_function(db, "pt_chrome_v10", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                              chrome_mark, NULL, NULL) != SQLITE_OK) {
    refuse(path, "sqlite: %s", db ? sqlite3_errmsg(db) : "out of memory");
    goto out;
  }
  sqlite3_set_authorizer(db, authorize, NULL);
  if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
    refuse(path, "%s", msg ? msg : sqlite3_errmsg(db));
    goto out;
  }
  sqlite3_set_authorizer(db, NULL, NULL);
  bytes = sqlite3_serialize(db, "main", &size, 0);
  if (bytes == NULL || size < 512) {
    refuse(path, "serialize");
    goto out;
  }
  unsigned page_size = be(bytes + 16, 2) == 1 ? 65536 : be(bytes + 16, 2);
  unsigned usable = page_size - bytes[20];
  unsigned n_pages = be(bytes + 28, 4);
  if ((sqlite3_int64)page_size * n_pages != size || be(bytes + 44, 4) != 4 ||
      be(bytes + 56, 4) != 1 || be(bytes + 52, 4) != 0 ||
      be(bytes + 36, 4) != 0 || usable < 480) {
    refuse(path, "not a plain UTF-8 file of schema format 4 without free "
                 "pages or auto-vacuum");
    goto out;
  }

  if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, rootpage FROM "
                         "sqlite_schema WHERE rootpage > 0 ORDER BY "
                         "rootpage",
                         -1, &st, NULL) != SQLITE_OK) {
    refuse(path, "%s", sqlite3_errmsg(db));
    goto out;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    struct btree *nb = realloc(bt, (n_bt + 1) * sizeof(*bt));
    if (nb == NULL)
      goto out;
    bt = nb;
    struct btree *b = &bt[n_bt++];
    snprintf(b->type, sizeof(b->type), "%s", sqlite3_column_text(st, 0));
    snprintf(b->name, sizeof(b->name), "%s", sqlite3_column_text(st, 1));
    snprintf(b->tbl, sizeof(b->tbl), "%s", sqlite3_column_text(st, 2));
    b->root = sqlite3_column_int64(st, 3);
  }
  sqlite3_finalize(st);
  st = NULL;
  /* Every page but the schema's is one b-tree's only page: rewriting those
   * then leaves no page behind (an overflow page of a long build-time
   * value, an interior page). */
  if (n_bt + 1 != n_pages) {
    refuse(path, "a table or index spans more than one page");
    goto out;
  }
  for (size_t i = 0; i < n_bt; i++) {
    unsigned char flag = bytes[(size_t)(bt[i].root - 1) * page_size];
    bool table = strcmp(bt[i].type, "table") == 0;
    if (flag != (table ? 0x0d : 0x0a)) {
      refuse(path, "`%s` is not a single leaf page", bt[i].name);
      goto out;
    }
  }

  const char *base = strrchr(path, '/');
  fprintf(o, "\n/* %s */\n", base ? base + 1 : path);
  size_t marks = 0;
  int n_tables = 0, n_indexes = 0;
  char affinity[256];
  char *tables = NULL, *indexes = NULL;
  size_t tl = 0, il = 0;
  FILE *to = open_memstream(&tables, &tl), *io = open_memstream(&indexes, &il);
  ok = to && io;
  for (size_t i = 0; ok && i < n_bt; i++) {
    if (strcmp(bt[i].type, "table") != 0)
      continue;
    ok = put_table(o, db, path, img, &bt[i], n_tables, &marks, affinity,
                   sizeof(affinity));
    fprintf(to, "IMG%d_T%d, ", img, n_tables++);
  }
  for (size_t i = 0; ok && i < n_bt; i++) {
    if (strcmp(bt[i].type, "index") != 0)
      continue;
    /* Its table's number: tables were numbered in this same order. */
    int table = 0;
    bool found = false;
    for (size_t k = 0; k < n_bt && !found; k++)
      if (strcmp(bt[k].type, "table") == 0) {
        if (strcmp(bt[k].name, bt[i].tbl) == 0)
          found = true;
        else
          table++;
      }
    ok = found ? put_index(o, db, path, img, &bt[i], n_indexes, table)
               : refuse(path, "index `%s` of no table", bt[i].name);
    fprintf(io, "IMG%d_X%d, ", img, n_indexes++);
  }
  if (to)
    fclose(to);
  if (io)
    fclose(io);
  /* Every placeholder of the template must reach a row as text we render:
   * one that an expression consumed (CAST, arithmetic, a comparison) would
   * be rendered wrong, and one in a comment is simply not there. */
  if (ok && marks != count_marks(text, len))
    ok = refuse(path, "%zu placeholders in the SQL, %zu in the rows it "
                      "makes",
                count_marks(text, len), marks);
  if (ok) {
    fprintf(o, "static const struct hsi_table img%d_tables[] = {%s};\n", img,
            tables);
    if (n_indexes)
      fprintf(o, "static const struct hsi_index img%d_indexes[] = {%s};\n",
              img, indexes);
    fprintf(o, "static const struct honey_sqlite_image img%d = {\n"
               "  .tmpl = ",
            img);
    put_bytes(o, text, len);
    fprintf(o, ",\n  .tmpl_len = %zu,\n  .db = (const unsigned char *)", len);
    put_bytes(o, bytes, (size_t)size);
    fprintf(o, ",\n  .db_len = %lld, .page_size = %u, .usable = %u,\n"
               "  .tables = img%d_tables, .n_tables = %d,\n"
               "  .indexes = %s%d%s, .n_indexes = %d};\n",
            (long long)size, page_size, usable, img, n_tables,
            n_indexes ? "img" : "NULL", n_indexes ? img : 0,
            n_indexes ? "_indexes" : "", n_indexes);
  }
  free(tables);
  free(indexes);
out:
  if (st)
    sqlite3_finalize(st);
  sqlite3_free(bytes);
  sqlite3_free(msg);
  sqlite3_close(db);
  free(bt);
  free(text);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUT.c NAME TEMPLATE.sql...\n", prog);
    return 2;
  }
  const char *out_path = argv[1], *name = argv[2];
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
  FILE *o = fopen(tmp, "we");
  if (o == NULL) {
    fprintf(stderr, "%s: create `%s`: %s\n", prog, tmp, strerror(errno));
    return 1;
  }
  fputs("/* Generated by runner/honey_sqlite_prebuild.c: do not edit. */\n"
        "#include \"honey_sqlite_image.h\"\n",
        o);
  int n = 0;
  char list[4096] = "";
  size_t ll = 0;
  for (int i = 3; i < argc; i++) {
    char *im = NULL;
    size_t il = 0;
    FILE *f = open_memstream(&im, &il);
    bool ok = f && put_image(f, argv[i], i);
    if (f)
      fclose(f);
    if (ok && ll + 32 < sizeof(list)) {
      fwrite(im, 1, il, o);
      ll += (size_t)snprintf(list + ll, sizeof(list) - ll, "&img%d, ", i);
      n++;
    }
    free(im);
  }
  fprintf(o, "\nconst struct honey_sqlite_image *const %s[] = {%s%s};\n"
             "const size_t %s_n = %d;\n",
          name, list, n ? "" : "NULL", name, n);
  if (fclose(o) != 0 || rename(tmp, out_path) < 0) {
    fprintf(stderr, "%s: write `%s`: %s\n", prog, out_path, strerror(errno));
    unlink(tmp);
    return 1;
  }
  return 0;
}
