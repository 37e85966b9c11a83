/* Tests for runner/honey_sqlite_image.c: a database made from the build's
 * image of the bundled Chrome template holds, row for row and byte for
 * byte, what SQLite makes of the same template with the same values; it
 * passes SQLite's integrity check, every row is found through each of its
 * indexes, and no placeholder of the build is left in the file. Values
 * are drawn at random (quotes, UTF-8, empty, long), and when they do not
 * fit the image's pages, the image says so exactly when SQLite's own file
 * grows. A template changed by one byte has no image. */
#define _GNU_SOURCE
#include "honey_int.h"
#include "honey_sqlite_image.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char *tmpl_path =
    PKGTRAP_PROFILES_DIR "/honeytokens/templates/chrome_login_data.sql";

/* A formatted string; the test stops on ENOMEM. */
__attribute__((format(printf, 1, 2))) static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0)
    abort();
  va_end(ap);
  return s;
}

/* ---- values ------------------------------------------------------------ */

/* Text of random bytes (quotes, UTF-8, spaces) about want long. */
static char *text_of(size_t want) {
  static const char *pieces[] = {"a", "Z", "7", "'", "''", "%", "_", "@",
                                 ".", "-", "\xc3\xa9", "\xe2\x82\xac", " "};
  char *s = malloc(want + 4);
  size_t n = 0;
  while (n < want) {
    const char *p = pieces[rand() % 13];
    memcpy(s + n, p, strlen(p));
    n += strlen(p);
  }
  s[n] = '\0';
  return s;
}

/* Mostly short; sometimes long enough for an index's cell to need an
 * overflow page (an index keeps ~1000 bytes of a cell on its page). */
static char *random_text(void) {
  static const size_t lens[] = {0,   1,   3,   8,   20,  40,   60,
                                450, 600, 800, 950, 990, 1000, 1100};
  return text_of(lens[rand() % (rand() % 3 ? 7 : 14)]);
}

/* A Chrome time, or now and then text that SQLite's INTEGER affinity
 * treats its own way (then only SQLite knows: *odd). */
static char *random_time(bool *odd) {
  static const char *weird[] = {"007", " 12", "+5", "1e5", "3.5", "-0",
                                "99999999999999999999"};
  static const char *plain[] = {"-5", "abc", "", "0", "1"};
  char *s = NULL;
  int r = rand() % 20;
  if (r == 0) {
    *odd = true;
    s = strdup(weird[rand() % 7]);
  } else if (r == 1) {
    s = strdup(plain[rand() % 5]);
  } else {
    s = fmt("13%09d%06d", rand() % 1000000000, rand() % 1000000);
  }
  return s;
}

/* Every {{NAME}} of the template, a fresh value each. */
static bool make_vars(const char *tmpl, honey_vars *vs, bool *odd) {
  pt_err *e = NULL;
  for (const char *p = tmpl; (p = strstr(p, "{{"));) {
    const char *end = strstr(p, "}}");
    if (end == NULL)
      return false;
    char *name = strndup(p + 2, (size_t)(end - p - 2));
    bool seen = false;
    for (size_t i = 0; i < vs->n; i++)
      seen = seen || strcmp(vs->v[i].name, name) == 0;
    if (!seen) {
      /* NUMRAW_: number-like text in an untyped column, kept as text. */
      bool raw = strncmp(name, "NUMRAW_", 7) == 0, ignored = false;
      bool num = raw || strncmp(name, "CHROME_", 7) == 0 ||
                 strncmp(name, "NUM_", 4) == 0;
      /* LONG_: 750-1150 bytes, so that four of them fill a table's page
       * or not; EDGE_: around the most an index keeps on its page. */
      char *v = num ? random_time(raw ? &ignored : odd)
                : strncmp(name, "LONG_", 5) == 0
                    ? text_of(750 + (size_t)(rand() % 400))
                : strncmp(name, "EDGE_", 5) == 0
                    ? text_of(985 + (size_t)(rand() % 26))
                    : random_text();
      if (honey_vars_add(vs, name, v, &e) < 0) {
        fprintf(stderr, "%s\n", e->msg);
        pt_err_free(e);
        free(name);
        return false;
      }
    }
    free(name);
    p = end + 2;
  }
  return true;
}

/* ---- comparing databases ----------------------------------------------- */

static sqlite3 *open_bytes(const unsigned char *data, size_t len) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
      SQLITE_OK)
    return NULL;
  unsigned char *copy = sqlite3_malloc64(len);
  memcpy(copy, data, len);
  if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len,
                          (sqlite3_int64)len,
                          SQLITE_DESERIALIZE_FREEONCLOSE |
                              SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

static bool same_value(sqlite3_stmt *a, sqlite3_stmt *b, int c) {
  int t = sqlite3_column_type(a, c);
  if (t != sqlite3_column_type(b, c))
    return false;
  if (t == SQLITE_INTEGER)
    return sqlite3_column_int64(a, c) == sqlite3_column_int64(b, c);
  if (t == SQLITE_FLOAT)
    return sqlite3_column_double(a, c) == sqlite3_column_double(b, c);
  if (t == SQLITE_NULL)
    return true;
  const void *pa = t == SQLITE_BLOB ? sqlite3_column_blob(a, c)
                                    : (const void *)sqlite3_column_text(a, c);
  const void *pb = t == SQLITE_BLOB ? sqlite3_column_blob(b, c)
                                    : (const void *)sqlite3_column_text(b, c);
  int n = sqlite3_column_bytes(a, c);
  return n == sqlite3_column_bytes(b, c) && (n == 0 || memcmp(pa, pb, n) == 0);
}

/* The same rows, in the same order, of the same query in both. */
static void same_rows(sqlite3 *a, sqlite3 *b, const char *sql, int round) {
  sqlite3_stmt *sa = NULL, *sb = NULL;
  CHECK(sqlite3_prepare_v2(a, sql, -1, &sa, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(b, sql, -1, &sb, NULL) == SQLITE_OK,
        "round %d: %s: %s", round, sql, sqlite3_errmsg(b));
  size_t rows = 0;
  for (;;) {
    int ra = sa ? sqlite3_step(sa) : SQLITE_DONE;
    int rb = sb ? sqlite3_step(sb) : SQLITE_DONE;
    CHECK(ra == rb, "round %d: %s: row %zu only in one", round, sql, rows);
    if (ra != SQLITE_ROW || rb != SQLITE_ROW)
      break;
    for (int c = 0; c < sqlite3_column_count(sa); c++)
      CHECK(same_value(sa, sb, c), "round %d: %s: row %zu column %d differs",
            round, sql, rows, c);
    rows++;
  }
  sqlite3_finalize(sa);
  sqlite3_finalize(sb);
}

static char *one_text(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  char *s = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    s = strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return s;
}

/* Each row of each table is found through each of its indexes: a key out
 * of order on an index page would hide some from the binary search. */
static void found_by_indexes(sqlite3 *db, const char *table, int round) {
  char *sql = NULL;
  sqlite3_stmt *ix = NULL;
  sql = fmt("SELECT name FROM pragma_index_list('%s')", table);
  sqlite3_prepare_v2(db, sql, -1, &ix, NULL);
  free(sql);
  while (ix && sqlite3_step(ix) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(ix, 0);
    char *cols = NULL, *where = NULL;
    sql = fmt("SELECT group_concat('\"' || name || '\"', ', '), "
                   "group_concat('\"' || name || '\" IS ?' || (seqno + 1), "
                   "' AND ') FROM pragma_index_info('%s')",
             name);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
      cols = strdup((const char *)sqlite3_column_text(q, 0));
      where = strdup((const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_finalize(q);
    free(sql);
    char *rows_sql = NULL, *find_sql = NULL;
    rows_sql = fmt("SELECT rowid, %s FROM \"%s\"", cols, table);
    find_sql = fmt("SELECT count(*) FROM \"%s\" INDEXED BY \"%s\" "
                        "WHERE %s AND rowid = ?99",
             table, name, where);
    sqlite3_stmt *rows = NULL, *find = NULL;
    CHECK(sqlite3_prepare_v2(db, rows_sql, -1, &rows, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(db, find_sql, -1, &find, NULL) == SQLITE_OK,
          "round %d: %s", round, sqlite3_errmsg(db));
    while (rows && find && sqlite3_step(rows) == SQLITE_ROW) {
      sqlite3_reset(find);
      for (int c = 1; c < sqlite3_column_count(rows); c++)
        sqlite3_bind_value(find, c, sqlite3_column_value(rows, c));
      sqlite3_bind_int64(find, 99, sqlite3_column_int64(rows, 0));
      CHECK(sqlite3_step(find) == SQLITE_ROW &&
                sqlite3_column_int(find, 0) == 1,
            "round %d: row %lld of %s not found through %s", round,
            (long long)sqlite3_column_int64(rows, 0), table, name);
    }
    sqlite3_finalize(rows);
    sqlite3_finalize(find);
    free(rows_sql);
    free(find_sql);
    free(cols);
    free(where);
  }
  sqlite3_finalize(ix);
}

static void compare(const unsigned char *ref, size_t ref_len,
                    const unsigned char *got, size_t got_len,
                    const honey_vars *vs, int round) {
  sqlite3 *a = open_bytes(ref, ref_len), *b = open_bytes(got, got_len);
  CHECK(a && b, "round %d: open", round);
  if (a == NULL || b == NULL) {
    sqlite3_close(a);
    sqlite3_close(b);
    return;
  }
  char *ic = one_text(b, "PRAGMA integrity_check");
  CHECK(ic && strcmp(ic, "ok") == 0, "round %d: integrity_check: %s", round,
        ic ? ic : "(none)");
  free(ic);
  same_rows(a, b, "SELECT * FROM sqlite_schema ORDER BY rowid", round);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(a, "SELECT name FROM sqlite_schema WHERE type = 'table'",
                     -1, &st, NULL);
  int tables = 0;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *sql = fmt("SELECT rowid, * FROM \"%s\" ORDER BY rowid", t);
    same_rows(a, b, sql, round);
    free(sql);
    found_by_indexes(b, t, round);
    tables++;
  }
  sqlite3_finalize(st);
  CHECK(tables >= 3, "round %d: %d tables", round, tables);
  for (size_t i = 0; i < vs->n; i++) {
    char *mark = fmt("{{%s}}", vs->v[i].name);
    CHECK(memmem(got, got_len, mark, strlen(mark)) == NULL,
          "round %d: the build's %s left in the file", round, mark);
    free(mark);
  }
  sqlite3_close(a);
  sqlite3_close(b);
}

/* 300 rounds of fresh values through both renders of one template. */
static void rounds(const char *path, const struct honey_sqlite_image *img,
                   const char *tmpl, size_t len) {
  pt_err *e = NULL;
  int fits = 0, refused = 0;
  for (int round = 0; round < 300; round++) {
    honey_vars vs = {0};
    bool odd = false;
    CHECK(make_vars(tmpl, &vs, &odd), "placeholders");
    pt_buf sql;
    pt_buf_init(&sql, 1 << 20);
    unsigned char *ref = NULL, *got = NULL;
    size_t ref_len = 0, got_len = 0;
    CHECK(honey_render(&vs, tmpl, len, HONEY_ESC_SQL, NULL, HONEY_NO_VAR,
                       "t", &sql, &e) == 0,
          "round %d: %s", round, e ? e->msg : "?");
    pt_err_free(e);
    e = NULL;
    /* SQLite may refuse (two random values on a UNIQUE index). */
    bool sqlite_ok = honey_sqlite_render(sql.data, "t", &ref, &ref_len, &e) == 0;
    pt_err_free(e);
    e = NULL;
    int rc = honey_sqlite_image_render(img, &vs, "t", &got, &got_len, &e);
    CHECK(rc >= 0, "%s round %d: image: %s", path, round, e ? e->msg : "?");
    if (odd) {
      /* Only SQLite knows what its affinity makes of those. */
      CHECK(rc == 1, "%s round %d: number-like text not left to SQLite",
            path, round);
    } else if (!sqlite_ok) {
      CHECK(rc == 1, "%s round %d: the image made what SQLite refused", path,
            round);
    } else {
      /* The image's pages hold the values exactly when SQLite's do. */
      CHECK((rc == 1) == (ref_len > img->db_len),
            "%s round %d: image %s, SQLite's file %zu bytes against %zu",
            path, round, rc == 1 ? "refused" : "fitted", ref_len,
            img->db_len);
      if (rc == 0)
        compare(ref, ref_len, got, got_len, &vs, round);
    }
    fits += rc == 0;
    refused += rc == 1;
    pt_err_free(e);
    e = NULL;
    free(ref);
    free(got);
    pt_buf_free(&sql);
    honey_vars_free(&vs);
  }
  CHECK(fits > 40 && refused > 10, "%s: %d fitted, %d refused: the draws "
        "miss a side", path, fits, refused);
  printf("%s: %d databases compared with SQLite's, %d left to SQLite\n",
         path, fits, refused);
}

static char *read_template(const char *path, size_t *len) {
  char *tmpl = NULL;
  pt_err *e = NULL;
  if (pt_read_file_at(AT_FDCWD, path, 1 << 20, &tmpl, len, &e) < 0) {
    fprintf(stderr, "%s\n", e->msg);
    exit(1);
  }
  return tmpl;
}

#ifdef PKGTRAP_TEST_SQL
extern const struct honey_sqlite_image *const test_sqlite_images[];
extern const size_t test_sqlite_images_n;
#endif

int main(void) {
  unsigned seed = getenv("SEED") ? (unsigned)atoi(getenv("SEED")) : 1;
  srand(seed);
  printf("seed %u (SEED=N to change)\n", seed);

  size_t len = 0;
  char *tmpl = read_template(tmpl_path, &len);
  const struct honey_sqlite_image *img = honey_sqlite_image_find(tmpl, len);
  CHECK(img != NULL, "no build-time image of %s", tmpl_path);
  if (img)
    rounds(tmpl_path, img, tmpl, len);
  /* One byte different: not the image's template any more. */
  tmpl[len / 2] ^= 0x20;
  CHECK(honey_sqlite_image_find(tmpl, len) == NULL, "changed template");
  tmpl[len / 2] ^= 0x20;
  CHECK(honey_sqlite_image_find(tmpl, len - 1) == NULL, "cut template");
  free(tmpl);

#ifdef PKGTRAP_TEST_SQL
  tmpl = read_template(PKGTRAP_TEST_SQL, &len);
  CHECK(test_sqlite_images_n == 1 && test_sqlite_images[0] &&
            test_sqlite_images[0]->tmpl_len == len &&
            memcmp(test_sqlite_images[0]->tmpl, tmpl, len) == 0,
        "no build-time image of %s", PKGTRAP_TEST_SQL);
  if (test_sqlite_images_n == 1)
    rounds(PKGTRAP_TEST_SQL, test_sqlite_images[0], tmpl, len);
  free(tmpl);
#endif
  if (failures)
    fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
