/* SQLite databases of the fake HOME made from build-time images.
 *
 * A `kind: "sqlite"` file of the honeytoken manifest is SQL run in a fresh
 * database. SQLite spends ~0.7-1 ms of CPU on that (parsing the schema and
 * the rows, then its b-tree machinery) in every `pkgtrap run`, on a start-up
 * whose two CPUs are busy: ~1.2 ms of its wall time, measured. Yet only the
 * placeholders' values change from run to run. So the build runs each
 * bundled template through SQLite once, with its placeholders left as they
 * are (runner/honey_sqlite_prebuild.c), and keeps the database it makes
 * and every table's rows; a run then renders the rows' placeholders and
 * re-encodes the few b-tree pages that hold them (honey_sqlite_image.c).
 *
 * That encoder writes SQLite's file format by hand, which the library does
 * already: it covers only what the build tool checked it can (every table
 * and index one leaf page, rowid tables, BINARY collation, no functions but
 * pt_chrome_v10), and a run falls back to SQLite itself when a template's
 * bytes differ from the image's or the values do not fit. The tests compare
 * both renders row for row and run SQLite's integrity check on the image's.
 * Not part of the public API. */
#ifndef PT_HONEY_SQLITE_IMAGE_H
#define PT_HONEY_SQLITE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* What a captured value becomes in a run. */
enum hsi_kind {
  HSI_LITERAL,    /* stored as captured */
  HSI_TEMPLATE,   /* text with {{placeholders}}: rendered, then the column's
                     affinity applied, as SQLite does to a quoted literal */
  HSI_CHROME_V10, /* pt_chrome_v10(text): the text rendered, then encrypted */
};

/* SQLite's storage classes, as sqlite3.h numbers them. */
enum hsi_type {
  HSI_INTEGER = 1,
  HSI_FLOAT = 2,
  HSI_TEXT = 3,
  HSI_BLOB = 4,
  HSI_NULL = 5,
};

struct hsi_value {
  unsigned char kind; /* enum hsi_kind */
  unsigned char type; /* enum hsi_type, of a literal */
  int64_t i;
  double r;
  const char *bytes; /* text or blob; the template of the other kinds */
  uint32_t len;
};

/* A rowid table: its rows in rowid order, n_cols values each. */
struct hsi_table {
  uint32_t root;     /* its leaf page, 1-based */
  uint16_t n_cols;
  int16_t alias_col; /* the INTEGER PRIMARY KEY column (stored as NULL), or -1 */
  const char *affinity; /* per column: 'I'nteger, 'N'umeric, 'R'eal, 'T'ext, 'B'lob */
  uint32_t n_rows;
  const int64_t *rowids;
  const struct hsi_value *values; /* n_rows * n_cols */
};

/* An index on one of the tables: its key columns, then the rowid. */
struct hsi_index {
  uint32_t root;
  uint16_t table; /* into the image's tables */
  uint16_t n_cols;
  const int16_t *cols;       /* the table's column numbers */
  const unsigned char *desc; /* per column: 1 for DESC */
  unsigned char unique;      /* two rows with the same key: SQLite's error */
};

struct honey_sqlite_image {
  const char *tmpl; /* the template's exact bytes */
  size_t tmpl_len;
  const unsigned char *db; /* the database SQLite made of it */
  size_t db_len;
  uint32_t page_size, usable; /* usable: the page size less reserved bytes */
  const struct hsi_table *tables;
  size_t n_tables;
  const struct hsi_index *indexes;
  size_t n_indexes;
};

/* The build's images (honey_sqlite_images.c, generated). */
extern const struct honey_sqlite_image *const pt_honey_sqlite_images[];
extern const size_t pt_honey_sqlite_images_n;

/* The marker the build tool's pt_chrome_v10 returns in place of the
 * encrypted blob: these bytes, then the (unrendered) text. */
#define HSI_CHROME_MARK "\0pkgtrap:pt_chrome_v10\0"
#define HSI_CHROME_MARK_LEN (sizeof(HSI_CHROME_MARK) - 1)

#endif
