/* The HOME's directories and plain files in one flat buffer, for a
 * process that has no pt_honey of its own: a jail's init, cloned before
 * the honeytokens were made, writes them while the supervisor renders the
 * SQLite databases (jail_spec.home_fill, jail_late.home_data).
 *
 * Layout (host byte order: both ends are the same binary): u32 n_dirs,
 * u32 n_files; per directory i64 mtime, u32 mode, u32 path length, the
 * path and a NUL; per file the same, then u32 sql, u64 data length and the
 * data (none for a database: the supervisor writes those). */
#define _GNU_SOURCE
#include "honey.h"
#include "honey_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct head {
  int64_t mtime;
  uint32_t mode;
  uint32_t path_len;
};

static int put_entry(pt_buf *b, const char *path, mode_t mode, time_t mtime) {
  struct head h = {.mtime = (int64_t)mtime,
                   .mode = (uint32_t)mode,
                   .path_len = (uint32_t)strlen(path)};
  return pt_buf_append(b, &h, sizeof(h)) < 0 ||
                 pt_buf_append(b, path, h.path_len + 1) < 0
             ? -1
             : 0;
}

int pt_honey_pack_home_files(const pt_honey *h, void **out, size_t *len,
                             pt_err **err) {
  const struct pt_honey_priv *pv = h->priv;
  *out = NULL;
  *len = 0;
  if (pv == NULL)
    return pt_err_make(err, 0, "honeytokens: nothing generated");
  pt_buf b;
  pt_buf_init(&b, SIZE_MAX / 2);
  uint32_t n[2] = {(uint32_t)pv->n_dirs, (uint32_t)pv->n_files};
  bool bad = pt_buf_append(&b, n, sizeof(n)) < 0;
  for (size_t i = 0; !bad && i < pv->n_dirs; i++)
    bad = put_entry(&b, pv->dirs[i].path, pv->dirs[i].mode,
                    pv->dirs[i].mtime) < 0;
  for (size_t i = 0; !bad && i < pv->n_files; i++) {
    const honey_file *f = &pv->files[i];
    uint32_t sql = f->sql;
    uint64_t dl = f->sql ? 0 : f->len;
    bad = put_entry(&b, f->path, f->mode, f->mtime) < 0 ||
          pt_buf_append(&b, &sql, sizeof(sql)) < 0 ||
          pt_buf_append(&b, &dl, sizeof(dl)) < 0 ||
          (dl && pt_buf_append(&b, f->data, dl) < 0);
  }
  if (bad) {
    pt_buf_free(&b);
    return pt_err_make(err, ENOMEM, "honey HOME");
  }
  *out = b.data;
  *len = b.len;
  return 0;
}

/* A reader that never runs past the end. */
struct cursor {
  const char *p, *end;
};

static bool take(struct cursor *c, void *dst, size_t n) {
  if ((size_t)(c->end - c->p) < n)
    return false;
  memcpy(dst, c->p, n);
  c->p += n;
  return true;
}

/* An entry's head and its path (pointing into the buffer). */
static bool take_entry(struct cursor *c, char **path, mode_t *mode,
                       time_t *mtime) {
  struct head h;
  if (!take(c, &h, sizeof(h)) || (size_t)(c->end - c->p) <= h.path_len ||
      c->p[h.path_len] != '\0' || strlen(c->p) != h.path_len)
    return false;
  *path = (char *)c->p;
  c->p += h.path_len + 1;
  *mode = (mode_t)h.mode;
  *mtime = (time_t)h.mtime;
  return true;
}

int pt_honey_write_packed_home_files(const void *data, size_t len,
                                     int home_dirfd, pt_err **err) {
  struct cursor c = {data, (const char *)data + len};
  uint32_t n[2];
  if (data == NULL || !take(&c, n, sizeof(n)) || n[0] > len || n[1] > len)
    return pt_err_make(err, EPROTO, "honey HOME: packed files");
  struct pt_honey_priv pv = {.n_dirs = n[0], .n_files = n[1]};
  pv.dirs = calloc(n[0] ? n[0] : 1, sizeof(*pv.dirs));
  pv.files = calloc(n[1] ? n[1] : 1, sizeof(*pv.files));
  int rc = -1;
  if (pv.dirs == NULL || pv.files == NULL) {
    pt_err_make(err, ENOMEM, "honey HOME");
    goto out;
  }
  bool ok = true;
  for (size_t i = 0; ok && i < pv.n_dirs; i++)
    ok = take_entry(&c, &pv.dirs[i].path, &pv.dirs[i].mode,
                    &pv.dirs[i].mtime);
  for (size_t i = 0; ok && i < pv.n_files; i++) {
    honey_file *f = &pv.files[i];
    uint32_t sql = 0;
    uint64_t dl = 0;
    ok = take_entry(&c, &f->path, &f->mode, &f->mtime) &&
         take(&c, &sql, sizeof(sql)) && take(&c, &dl, sizeof(dl)) &&
         dl <= (uint64_t)(c.end - c.p);
    if (ok) {
      f->sql = sql != 0;
      f->data = (unsigned char *)c.p;
      f->len = (size_t)dl;
      c.p += dl;
    }
  }
  if (!ok || c.p != c.end) {
    pt_err_make(err, EPROTO, "honey HOME: packed files");
    goto out;
  }
  rc = honey_write_files(&pv, home_dirfd, err);
out:
  free(pv.dirs);
  free(pv.files);
  return rc;
}
