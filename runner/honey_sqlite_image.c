/* A run's SQLite databases from the build's images (honey_sqlite_image.h
 * says why this writes SQLite's file format by hand, and what the build
 * checked for it). Each table and index of an image is one leaf page;
 * this renders the rows' placeholders, then writes those pages again
 * (https://www.sqlite.org/fileformat2.html: §1.6 b-tree pages, §2.1
 * records). The rest of the file, the header and the schema's page, is the
 * image's: neither depends on the values. */
#define _GNU_SOURCE
#include "honey_int.h"
#include "honey_sqlite_image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A value as a run stores it. */
struct val {
  int type; /* enum hsi_type */
  int64_t i;
  double r;
  const unsigned char *p;
  size_t n;
};

const struct honey_sqlite_image *honey_sqlite_image_find(const char *tmpl,
                                                          size_t len) {
  for (size_t i = 0; i < pt_honey_sqlite_images_n; i++) {
    const struct honey_sqlite_image *img = pt_honey_sqlite_images[i];
    if (img && img->tmpl_len == len && memcmp(img->tmpl, tmpl, len) == 0)
      return img;
  }
  return NULL;
}

/* ---- values ------------------------------------------------------------ */

/* Text SQLite would store as an integer in an INTEGER or NUMERIC column:
 * the canonical decimal form of an int64 (what the "time" tokens make). */
static bool canonical_int(const unsigned char *p, size_t n, int64_t *out) {
  size_t k = n && p[0] == '-';
  if (n == k || n - k > 18 || (p[k] == '0' && n - k > 1))
    return false; /* 18 digits always fit; longer ones go to SQLite */
  int64_t v = 0;
  for (size_t i = k; i < n; i++) {
    if (p[i] < '0' || p[i] > '9')
      return false;
    v = v * 10 + (p[i] - '0');
  }
  *out = k ? -v : v;
  return !(k && v == 0); /* "-0" */
}

/* Might SQLite's affinity make a number of this text (leading spaces, a
 * sign, a decimal point, an exponent)? Then the image does not know. */
static bool numeric_looking(const unsigned char *p, size_t n) {
  return n > 0 && strchr(" \t\n\f\r+-.0123456789", p[0]) != NULL;
}

/* The value of v in this run: 0, 1 when only SQLite knows (a number-like
 * text in a numeric column), -1 on error. Owned bytes go to *own. */
static int run_value(const struct hsi_value *v, char affinity,
                     honey_vars *vs, const char *ctx, struct val *out,
                     unsigned char **own, pt_err **err) {
  *out = (struct val){.type = v->type, .i = v->i, .r = v->r,
                      .p = (const unsigned char *)v->bytes, .n = v->len};
  if (v->kind == HSI_LITERAL)
    return 0;
  pt_buf b;
  pt_buf_init(&b, HONEY_RENDER_MAX);
  if (honey_render(vs, v->bytes, v->len, HONEY_ESC_NONE, NULL, HONEY_NO_VAR,
                   ctx, &b, err) < 0) {
    pt_buf_free(&b);
    return -1;
  }
  const unsigned char *t = (const unsigned char *)(b.data ? b.data : "");
  if (v->kind == HSI_CHROME_V10) {
    size_t len = 0;
    int rc = honey_chrome_v10((const char *)t, b.len, own, &len);
    pt_buf_free(&b);
    if (rc < 0)
      return pt_err_make(err, ENOMEM, "%s: pt_chrome_v10", ctx);
    *out = (struct val){.type = HSI_BLOB, .p = *own, .n = len};
    return 0;
  }
  *own = (unsigned char *)b.data;
  *out = (struct val){.type = HSI_TEXT, .p = t, .n = b.len};
  if (affinity == 'I' || affinity == 'N') {
    if (canonical_int(t, b.len, &out->i)) {
      out->type = HSI_INTEGER;
      return 0;
    }
    return numeric_looking(t, b.len) ? 1 : 0;
  }
  return affinity == 'R' && numeric_looking(t, b.len) ? 1 : 0;
}

/* SQLite's order of index keys: NULL, numbers, text, blobs; text and blobs
 * bytewise (BINARY), numbers by value. */
static int cmp_val(const struct val *a, const struct val *b) {
  int ca = a->type == HSI_NULL                              ? 0
           : a->type == HSI_INTEGER || a->type == HSI_FLOAT ? 1
           : a->type == HSI_TEXT                            ? 2
                                                            : 3;
  int cb = b->type == HSI_NULL                              ? 0
           : b->type == HSI_INTEGER || b->type == HSI_FLOAT ? 1
           : b->type == HSI_TEXT                            ? 2
                                                            : 3;
  if (ca != cb || ca == 0)
    return ca - cb;
  if (ca == 1) {
    if (a->type == HSI_INTEGER && b->type == HSI_INTEGER)
      return a->i < b->i ? -1 : a->i > b->i;
    long double x = a->type == HSI_INTEGER ? (long double)a->i : a->r;
    long double y = b->type == HSI_INTEGER ? (long double)b->i : b->r;
    return x < y ? -1 : x > y;
  }
  size_t n = a->n < b->n ? a->n : b->n;
  int c = n ? memcmp(a->p, b->p, n) : 0;
  return c ? c : (a->n < b->n ? -1 : a->n > b->n);
}

/* ---- records and pages ------------------------------------------------- */

static size_t varint_len(uint64_t v) {
  size_t n = 1;
  if (v > 0x00ffffffffffffffULL)
    return 9;
  while (v >>= 7)
    n++;
  return n;
}

static size_t put_varint(unsigned char *p, uint64_t v) {
  size_t n = varint_len(v);
  if (n == 9) {
    p[8] = (unsigned char)v;
    v >>= 8;
    for (int i = 7; i >= 0; i--, v >>= 7)
      p[i] = (unsigned char)((v & 0x7f) | 0x80);
    return 9;
  }
  for (size_t i = n; i-- > 0; v >>= 7)
    p[i] = (unsigned char)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
  return n;
}

/* A value's serial type and its body's size (schema format 4). */
static uint64_t serial_type(const struct val *v, size_t *body) {
  switch (v->type) {
  case HSI_INTEGER: {
    if (v->i == 0 || v->i == 1) {
      *body = 0;
      return v->i == 0 ? 8 : 9;
    }
    uint64_t u = v->i < 0 ? ~(uint64_t)v->i : (uint64_t)v->i;
    static const struct {
      uint64_t max;
      size_t len;
    } sizes[] = {{0x7f, 1},       {0x7fff, 2},           {0x7fffff, 3},
                 {0x7fffffff, 4}, {0x7fffffffffffULL, 6}};
    for (size_t k = 0; k < PT_ARRAY_LEN(sizes); k++)
      if (u <= sizes[k].max) {
        *body = sizes[k].len;
        return k < 4 ? k + 1 : 5;
      }
    *body = 8;
    return 6;
  }
  case HSI_FLOAT:
    *body = 8;
    return 7;
  case HSI_TEXT:
    *body = v->n;
    return 13 + 2 * (uint64_t)v->n;
  case HSI_BLOB:
    *body = v->n;
    return 12 + 2 * (uint64_t)v->n;
  default:
    *body = 0;
    return 0;
  }
}

static void put_be(unsigned char *p, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0; v >>= 8)
    p[i] = (unsigned char)v;
}

/* The record of n values: its size, and its bytes when p != NULL. */
static size_t record(const struct val *const *vals, size_t n,
                     unsigned char *p) {
  size_t types = 0, body = 0;
  for (size_t i = 0; i < n; i++) {
    size_t b;
    types += varint_len(serial_type(vals[i], &b));
    body += b;
  }
  size_t hdr = types + 1; /* the header's size counts its own varint */
  while (types + varint_len(hdr) != hdr)
    hdr = types + varint_len(hdr);
  if (p == NULL)
    return hdr + body;
  size_t at = put_varint(p, hdr), data = hdr;
  for (size_t i = 0; i < n; i++) {
    size_t b;
    uint64_t st = serial_type(vals[i], &b);
    at += put_varint(p + at, st);
    const struct val *v = vals[i];
    if (st >= 1 && st <= 6)
      put_be(p + data, (uint64_t)v->i, b);
    else if (st == 7) {
      uint64_t bits;
      memcpy(&bits, &v->r, sizeof(bits));
      put_be(p + data, bits, 8);
    } else if (b)
      memcpy(p + data, v->p, b);
    data += b;
  }
  return data;
}

/* One leaf page of cells already in key order: 0, or 1 if they do not
 * fit (or one would need an overflow page). */
struct cell {
  const struct val **vals;
  size_t n_vals;
  int64_t rowid;
  size_t payload;
};

static int write_leaf(unsigned char *page, size_t usable, bool table,
                      struct cell *cells, size_t n) {
  /* The largest payload a cell keeps on its page (fileformat2 §1.6). */
  size_t max_local = table ? usable - 35 : (usable - 12) * 64 / 255 - 23;
  size_t need = 8 + 2 * n;
  for (size_t i = 0; i < n; i++) {
    cells[i].payload = record(cells[i].vals, cells[i].n_vals, NULL);
    if (cells[i].payload > max_local)
      return 1;
    size_t size = varint_len(cells[i].payload) + cells[i].payload +
                  (table ? varint_len((uint64_t)cells[i].rowid) : 0);
    need += size < 4 ? 4 : size;
  }
  if (need > usable)
    return 1;
  memset(page, 0, usable); /* nothing of the build's values is left */
  size_t top = usable;
  for (size_t i = 0; i < n; i++) {
    size_t size = varint_len(cells[i].payload) + cells[i].payload +
                  (table ? varint_len((uint64_t)cells[i].rowid) : 0);
    top -= size < 4 ? 4 : size;
    size_t at = top + put_varint(page + top, cells[i].payload);
    if (table)
      at += put_varint(page + at, (uint64_t)cells[i].rowid);
    record(cells[i].vals, cells[i].n_vals, page + at);
    put_be(page + 8 + 2 * i, top, 2);
  }
  page[0] = table ? 0x0d : 0x0a;
  put_be(page + 3, n, 2);
  put_be(page + 5, top == 65536 ? 0 : top, 2);
  return 0;
}

/* Sorting an index's cells: its columns, each ASC or DESC, then rowid. */
static int cmp_key(const void *x, const void *y, void *arg) {
  const struct cell *a = x, *b = y;
  const unsigned char *desc = arg;
  for (size_t i = 0; i + 1 < a->n_vals; i++) {
    int c = cmp_val(a->vals[i], b->vals[i]);
    if (c)
      return desc[i] ? -c : c;
  }
  return a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
}

/* Two neighbours (sorted) with the same key: NULLs are never equal. */
static bool duplicate_key(const struct cell *cells, size_t n) {
  for (size_t r = 1; r < n; r++) {
    bool same = true;
    for (size_t i = 0; same && i + 1 < cells[r].n_vals; i++)
      same = cells[r].vals[i]->type != HSI_NULL &&
             cmp_val(cells[r - 1].vals[i], cells[r].vals[i]) == 0;
    if (same)
      return true;
  }
  return false;
}

/* ---- the database ------------------------------------------------------ */

int honey_sqlite_image_render(const struct honey_sqlite_image *img,
                              honey_vars *vs, const char *ctx,
                              unsigned char **data, size_t *len,
                              pt_err **err) {
  size_t n_vals = 0, max_cols = 1, max_rows = 1;
  for (size_t t = 0; t < img->n_tables; t++) {
    n_vals += (size_t)img->tables[t].n_rows * img->tables[t].n_cols;
    if (img->tables[t].n_cols + 1u > max_cols)
      max_cols = img->tables[t].n_cols + 1u;
    if (img->tables[t].n_rows > max_rows)
      max_rows = img->tables[t].n_rows;
  }
  for (size_t x = 0; x < img->n_indexes; x++)
    if (img->indexes[x].n_cols + 1u > max_cols)
      max_cols = img->indexes[x].n_cols + 1u;
  struct val *vals = calloc(n_vals ? n_vals : 1, sizeof(*vals));
  unsigned char **own = calloc(n_vals ? n_vals : 1, sizeof(*own));
  size_t *first = calloc(img->n_tables ? img->n_tables : 1, sizeof(*first));
  struct val *rowids = calloc(max_rows, sizeof(*rowids));
  const struct val **ptrs = calloc(max_rows * max_cols, sizeof(*ptrs));
  struct cell *cells = calloc(max_rows, sizeof(*cells));
  unsigned char *db = malloc(img->db_len);
  int rc = -1;
  if (!vals || !own || !first || !rowids || !ptrs || !cells || !db) {
    pt_err_make(err, ENOMEM, "%s", ctx);
    goto out;
  }
  memcpy(db, img->db, img->db_len);

  size_t k = 0;
  for (size_t t = 0; t < img->n_tables; t++) {
    const struct hsi_table *tb = &img->tables[t];
    first[t] = k;
    for (size_t r = 0; r < tb->n_rows; r++)
      for (size_t c = 0; c < tb->n_cols; c++, k++) {
        int v = run_value(&tb->values[r * tb->n_cols + c], tb->affinity[c],
                          vs, ctx, &vals[k], &own[k], err);
        if (v != 0) {
          rc = v;
          goto out;
        }
      }
  }

  for (size_t t = 0; t < img->n_tables; t++) {
    const struct hsi_table *tb = &img->tables[t];
    for (size_t r = 0; r < tb->n_rows; r++) {
      for (size_t c = 0; c < tb->n_cols; c++)
        ptrs[r * max_cols + c] = &vals[first[t] + r * tb->n_cols + c];
      cells[r] = (struct cell){.vals = &ptrs[r * max_cols],
                               .n_vals = tb->n_cols,
                               .rowid = tb->rowids[r]};
    }
    unsigned char *page = db + (size_t)(tb->root - 1) * img->page_size;
    if (write_leaf(page, img->usable, true, cells, tb->n_rows) != 0) {
      rc = 1;
      goto out;
    }
  }

  for (size_t x = 0; x < img->n_indexes; x++) {
    const struct hsi_index *ix = &img->indexes[x];
    const struct hsi_table *tb = &img->tables[ix->table];
    for (size_t r = 0; r < tb->n_rows; r++) {
      const struct val **key = &ptrs[r * max_cols];
      for (size_t c = 0; c < ix->n_cols; c++)
        key[c] = &vals[first[ix->table] + r * tb->n_cols + (size_t)ix->cols[c]];
      rowids[r] = (struct val){.type = HSI_INTEGER, .i = tb->rowids[r]};
      key[ix->n_cols] = &rowids[r];
      cells[r] = (struct cell){.vals = key,
                               .n_vals = ix->n_cols + 1u,
                               .rowid = tb->rowids[r]};
    }
    qsort_r(cells, tb->n_rows, sizeof(*cells), cmp_key,
            (void *)ix->desc);
    if (ix->unique && duplicate_key(cells, tb->n_rows)) {
      rc = 1; /* SQLite refuses the row, and says so */
      goto out;
    }
    unsigned char *page = db + (size_t)(ix->root - 1) * img->page_size;
    if (write_leaf(page, img->usable, false, cells, tb->n_rows) != 0) {
      rc = 1;
      goto out;
    }
  }
  *data = db;
  *len = img->db_len;
  db = NULL;
  rc = 0;
out:
  for (size_t i = 0; own && i < n_vals; i++)
    free(own[i]);
  free(own);
  free(vals);
  free(first);
  free(rowids);
  free(ptrs);
  free(cells);
  free(db);
  return rc;
}
