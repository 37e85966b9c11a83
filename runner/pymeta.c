/* Python packaging metadata parsers (see pymeta.h). The files come from a
 * package under test, so every parser is bounded: input size, line length
 * and number of items are capped, text must be UTF-8 without NUL, and an
 * error names the line. No parser allocates more than a small constant
 * factor of its (capped) input. */
#define _GNU_SOURCE
#include "pymeta.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "pt_util.h"

void pt_pymeta_strlist_free(pt_pymeta_strlist *l) {
  if (l == NULL)
    return;
  for (size_t i = 0; i < l->len; i++)
    free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof(*l));
}

static int strlist_push(pt_pymeta_strlist *l, const char *s, size_t n,
                        size_t max, const char *what, pt_err **err) {
  if (l->len >= max)
    return pt_err_make(err, EFBIG, "more than %zu %s", max, what);
  char **items = pt_grow_array(l->items, l->len, sizeof(char *));
  if (items == NULL)
    return pt_err_make(err, ENOMEM, "%s", what);
  l->items = items;
  if ((items[l->len] = strndup(s, n)) == NULL)
    return pt_err_make(err, ENOMEM, "%s", what);
  l->len++;
  return 0;
}

/* RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
bool pt_pymeta_valid_utf8(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
      need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0)
        lo = 0xa0;
      else if (c == 0xed)
        hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0)
        lo = 0x90;
      else if (c == 0xf4)
        hi = 0x8f;
    } else
      return false;
    if (n - i <= need)
      return false;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return false;
    for (size_t k = 2; k <= need; k++)
      if (s[i + k] < 0x80 || s[i + k] > 0xbf)
        return false;
    i += need + 1;
  }
  return true;
}

/* Checks shared by every text format. */
static int check_text(const char *data, size_t len, size_t cap,
                      const char *what, pt_err **err) {
  if (len > cap)
    return pt_err_make(err, EFBIG, "%s is larger than %zu bytes", what, cap);
  if (memchr(data, '\0', len) != NULL)
    return pt_err_make(err, 0, "%s contains a NUL byte", what);
  if (!pt_pymeta_valid_utf8(data, len))
    return pt_err_make(err, EILSEQ, "%s is not valid UTF-8", what);
  return 0;
}

/* Line iterator over a buffer: handles \n, \r\n and a last line without
 * a newline. Returns false at the end. */
typedef struct line_iter {
  const char *p, *end;
  size_t lineno;
} line_iter;

static bool next_line(line_iter *it, const char **line, size_t *n) {
  if (it->p >= it->end)
    return false;
  const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
  const char *stop = nl ? nl : it->end;
  *line = it->p;
  *n = (size_t)(stop - it->p);
  if (*n > 0 && (*line)[*n - 1] == '\r')
    (*n)--;
  it->p = nl ? nl + 1 : it->end;
  it->lineno++;
  return true;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, size_t *n) {
  while (*n > 0 && is_space(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n > 0 && is_space((*s)[*n - 1]))
    (*n)--;
}

/* Control characters have no business in names and values that end up in
 * reports, argv and file names. Tab is allowed (it is whitespace). */
static bool has_control(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return true;
  }
  return false;
}

bool pt_pymeta_valid_name(const char *s) {
  if (s == NULL)
    return false;
  size_t n = strlen(s);
  if (n == 0 || n > PT_PYMETA_MAX_NAME)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9');
    if (!alnum && c != '.' && c != '_' && c != '-')
      return false;
    if (!alnum && (i == 0 || i == n - 1))
      return false;
  }
  return true;
}

bool pt_pymeta_valid_version(const char *s) {
  if (s == NULL)
    return false;
  size_t n = strlen(s);
  if (n == 0 || n > PT_PYMETA_MAX_VERSION)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
      return false;
  return true;
}

/* ---- entry_points.txt ---------------------------------------------- */

static void entry_point_free(pt_pymeta_entry_point *ep) {
  free(ep->group);
  free(ep->name);
  free(ep->value);
  free(ep->module);
  free(ep->attr);
  free(ep->extras);
}

void pt_pymeta_entry_points_free(pt_pymeta_entry_points *eps) {
  if (eps == NULL)
    return;
  for (size_t i = 0; i < eps->len; i++)
    entry_point_free(&eps->items[i]);
  free(eps->items);
  memset(eps, 0, sizeof(*eps));
}

/* Split `module:attr [extras]` the way importlib.metadata's EntryPoint
 * pattern does: module up to `:` (or the whole value), attr after it, an
 * optional bracketed extras list at the end. */
static int split_value(pt_pymeta_entry_point *ep, size_t lineno,
                       pt_err **err) {
  const char *v = ep->value;
  size_t n = strlen(v);
  const char *br = memchr(v, '[', n);
  size_t main_len = n;
  if (br != NULL) {
    const char *close = strrchr(br, ']');
    if (close == NULL || close[1] != '\0')
      return pt_err_make(err, 0, "line %zu: unterminated extras", lineno);
    const char *ex = br + 1;
    size_t exn = (size_t)(close - ex);
    trim(&ex, &exn);
    if ((ep->extras = strndup(ex, exn)) == NULL)
      return pt_err_make(err, ENOMEM, "entry point");
    main_len = (size_t)(br - v);
  }
  const char *m = v;
  size_t mn = main_len;
  trim(&m, &mn);
  const char *colon = memchr(m, ':', mn);
  const char *a = NULL;
  size_t an = 0;
  if (colon != NULL) {
    a = colon + 1;
    an = (size_t)(m + mn - a);
    mn = (size_t)(colon - m);
    trim(&m, &mn);
    trim(&a, &an);
    if (an == 0)
      return pt_err_make(err, 0, "line %zu: empty attribute after `:`",
                         lineno);
  }
  if (mn == 0)
    return pt_err_make(err, 0, "line %zu: empty module", lineno);
  if ((ep->module = strndup(m, mn)) == NULL ||
      (a != NULL && (ep->attr = strndup(a, an)) == NULL))
    return pt_err_make(err, ENOMEM, "entry point");
  return 0;
}

static int add_entry_point(pt_pymeta_entry_points *out, const char *group,
                           const char *line, size_t n, size_t lineno,
                           pt_err **err) {
  if (out->len >= PT_PYMETA_MAX_ENTRIES)
    return pt_err_make(err, EFBIG, "more than %d entry points",
                       PT_PYMETA_MAX_ENTRIES);
  const char *eq = memchr(line, '=', n);
  if (eq == NULL)
    return pt_err_make(err, 0, "line %zu: expected `name = value`",
                       lineno);
  const char *name = line, *val = eq + 1;
  size_t nn = (size_t)(eq - line), vn = (size_t)(line + n - val);
  trim(&name, &nn);
  trim(&val, &vn);
  if (nn == 0 || vn == 0)
    return pt_err_make(err, 0, "line %zu: empty name or value", lineno);
  pt_pymeta_entry_point *items =
      pt_grow_array(out->items, out->len, sizeof(*out->items));
  if (items == NULL)
    return pt_err_make(err, ENOMEM, "entry point");
  out->items = items;
  pt_pymeta_entry_point *ep = &items[out->len];
  memset(ep, 0, sizeof(*ep));
  out->len++; /* counted now so _free releases a half-filled entry */
  if ((ep->group = strdup(group)) == NULL ||
      (ep->name = strndup(name, nn)) == NULL ||
      (ep->value = strndup(val, vn)) == NULL)
    return pt_err_make(err, ENOMEM, "entry point");
  return split_value(ep, lineno, err);
}

int pt_pymeta_parse_entry_points(const char *data, size_t len,
                                 pt_pymeta_entry_points *out, pt_err **err) {
  memset(out, 0, sizeof(*out));
  if (check_text(data, len, PT_PYMETA_MAX_INPUT, "entry_points.txt", err) < 0)
    return -1;
  cleanup_free char *group = NULL;
  line_iter it = {data, data + len, 0};
  const char *line;
  size_t n;
  while (next_line(&it, &line, &n)) {
    if (n > PT_PYMETA_MAX_LINE) {
      pt_err_make(err, EFBIG, "line %zu longer than %d bytes", it.lineno,
                  PT_PYMETA_MAX_LINE);
      goto fail;
    }
    trim(&line, &n);
    if (n == 0 || line[0] == '#' || line[0] == ';')
      continue;
    if (has_control(line, n)) {
      pt_err_make(err, 0, "line %zu: control character", it.lineno);
      goto fail;
    }
    if (line[0] == '[') {
      if (line[n - 1] != ']') {
        pt_err_make(err, 0, "line %zu: unterminated section", it.lineno);
        goto fail;
      }
      const char *g = line + 1;
      size_t gn = n - 2;
      trim(&g, &gn);
      if (gn == 0) {
        pt_err_make(err, 0, "line %zu: empty section name", it.lineno);
        goto fail;
      }
      free(group);
      if ((group = strndup(g, gn)) == NULL) {
        pt_err_make(err, ENOMEM, "entry_points.txt");
        goto fail;
      }
      continue;
    }
    /* importlib.metadata drops lines before the first section. */
    if (group == NULL)
      continue;
    if (add_entry_point(out, group, line, n, it.lineno, err) < 0)
      goto fail;
  }
  return 0;
fail:
  pt_pymeta_entry_points_free(out);
  return pt_err_wrap(err, "entry_points.txt");
}

/* ---- METADATA / PKG-INFO ------------------------------------------- */

void pt_pymeta_metadata_free(pt_pymeta_metadata *md) {
  if (md == NULL)
    return;
  free(md->name);
  free(md->version);
  free(md->summary);
  pt_pymeta_strlist_free(&md->requires_dist);
  memset(md, 0, sizeof(*md));
}

/* Headers we keep, and where. */
enum md_field { MD_OTHER, MD_NAME, MD_VERSION, MD_SUMMARY, MD_REQUIRES };

static enum md_field md_field_of(const char *h, size_t n) {
  static const struct {
    const char *name;
    enum md_field f;
  } fields[] = {{"Name", MD_NAME},
                {"Version", MD_VERSION},
                {"Summary", MD_SUMMARY},
                {"Requires-Dist", MD_REQUIRES}};
  for (size_t i = 0; i < PT_ARRAY_LEN(fields); i++)
    if (strlen(fields[i].name) == n && strncasecmp(h, fields[i].name, n) == 0)
      return fields[i].f;
  return MD_OTHER;
}

/* Store one complete (unfolded) header value. */
static int md_store(pt_pymeta_metadata *md, enum md_field f, pt_buf *val,
                    pt_err **err) {
  const char *v = val->data ? val->data : "";
  size_t n = val->len;
  trim(&v, &n);
  if (val->dropped > 0 && f != MD_OTHER)
    return pt_err_make(err, EFBIG, "header value longer than %d bytes",
                       PT_PYMETA_MAX_LINE);
  char **slot = NULL;
  switch (f) {
  case MD_OTHER:
    return 0;
  case MD_NAME:
    slot = &md->name;
    break;
  case MD_VERSION:
    slot = &md->version;
    break;
  case MD_SUMMARY:
    slot = &md->summary;
    break;
  case MD_REQUIRES:
    return strlist_push(&md->requires_dist, v, n, PT_PYMETA_MAX_ENTRIES,
                        "Requires-Dist headers", err);
  }
  if (*slot != NULL)
    return 0; /* first one wins */
  if ((*slot = strndup(v, n)) == NULL)
    return pt_err_make(err, ENOMEM, "metadata");
  if (f == MD_NAME && !pt_pymeta_valid_name(*slot))
    return pt_err_make(err, 0, "invalid Name `%.64s`", *slot);
  if (f == MD_VERSION && !pt_pymeta_valid_version(*slot))
    return pt_err_make(err, 0, "invalid Version `%.64s`", *slot);
  return 0;
}

static int md_parse(const char *data, size_t len, pt_pymeta_metadata *md,
                    pt_err **err) {
  line_iter it = {data, data + len, 0};
  const char *line;
  size_t n;
  enum md_field cur = MD_OTHER;
  bool have = false;
  size_t headers = 0, hdr_line = 0;
  /* Lines are not capped: the total is, and only the values kept are
   * (val), so a long Description line costs nothing. One folded header value; continuation lines are joined with a space
   * (a one-line summary is what reports need). */
  pt_buf val;
  pt_buf_init(&val, PT_PYMETA_MAX_LINE);
  int rc = 0;
  while (next_line(&it, &line, &n)) {
    if (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
      if (!have)
        continue; /* a continuation with nothing to continue: ignore */
      if (cur != MD_OTHER) {
        const char *c = line;
        size_t cn = n;
        trim(&c, &cn);
        if (pt_buf_append(&val, " ", 1) < 0 ||
            pt_buf_append(&val, c, cn) < 0) {
          rc = pt_err_make(err, ENOMEM, "metadata");
          break;
        }
      }
      continue;
    }
    if (have && (rc = md_store(md, cur, &val, err)) < 0) {
      pt_err_wrap(err, "line %zu", hdr_line);
      break;
    }
    have = false;
    val.len = 0;
    val.dropped = 0;
    if (n == 0)
      break; /* end of headers; the body is not ours to parse */
    const char *colon = memchr(line, ':', n);
    if (colon == NULL)
      break; /* Python's email parser: the rest is body */
    if (++headers > PT_PYMETA_MAX_ENTRIES) {
      rc = pt_err_make(err, EFBIG, "more than %d headers",
                       PT_PYMETA_MAX_ENTRIES);
      break;
    }
    const char *h = line;
    size_t hn = (size_t)(colon - line);
    cur = md_field_of(h, hn);
    have = true;
    hdr_line = it.lineno;
    if (cur != MD_OTHER) {
      const char *v = colon + 1;
      size_t vn = (size_t)(line + n - v);
      if (has_control(v, vn)) {
        rc = pt_err_make(err, 0, "line %zu: control character",
                         it.lineno);
        break;
      }
      if (pt_buf_append(&val, v, vn) < 0) {
        rc = pt_err_make(err, ENOMEM, "metadata");
        break;
      }
    }
  }
  if (rc == 0 && have && md_store(md, cur, &val, err) < 0)
    rc = pt_err_wrap(err, "line %zu", hdr_line);
  pt_buf_free(&val);
  return rc;
}

int pt_pymeta_parse_metadata(const char *data, size_t len,
                             pt_pymeta_metadata *out, pt_err **err) {
  memset(out, 0, sizeof(*out));
  if (check_text(data, len, PT_PYMETA_MAX_INPUT, "METADATA", err) < 0)
    return -1;
  if (md_parse(data, len, out, err) < 0) {
    pt_pymeta_metadata_free(out);
    return pt_err_wrap(err, "METADATA");
  }
  return 0;
}

/* ---- RECORD --------------------------------------------------------- */

/* Python csv (excel dialect) rows; only the first field is kept. A quote
 * opens a quoted field only at the start of a field, `""` inside is a
 * quote, and a quoted field may span lines. */
static int record_parse(const char *data, size_t len, pt_pymeta_strlist *out,
                        pt_err **err) {
  size_t i = 0, lineno = 1;
  pt_buf field;
  pt_buf_init(&field, PT_PYMETA_MAX_LINE);
  int rc = 0;
  while (i < len && rc == 0) {
    /* One row. */
    size_t col = 0, row_line = lineno;
    bool row_blank = true;
    for (;;) {
      field.len = 0;
      field.dropped = 0;
      bool quoted = false;
      if (i < len && data[i] == '"') {
        quoted = true;
        i++;
      }
      bool end_row = false;
      while (i < len) {
        char c = data[i];
        if (quoted) {
          if (c == '"') {
            if (i + 1 < len && data[i + 1] == '"') {
              i += 2;
              if (col == 0 && pt_buf_append(&field, "\"", 1) < 0)
                goto oom;
              continue;
            }
            quoted = false;
            i++;
            continue;
          }
          if (c == '\n')
            lineno++;
        } else {
          if (c == ',') {
            i++;
            break;
          }
          if (c == '\n' || c == '\r') {
            i++;
            if (c == '\r' && i < len && data[i] == '\n')
              i++;
            end_row = true;
            break;
          }
        }
        if (col == 0 && pt_buf_append(&field, &c, 1) < 0)
          goto oom;
        i++;
      }
      if (quoted) {
        rc = pt_err_make(err, 0, "line %zu: unterminated quote", row_line);
        break;
      }
      if (col == 0) {
        if (field.dropped > 0) {
          rc = pt_err_make(err, EFBIG, "line %zu: path longer than %d bytes",
                           row_line, PT_PYMETA_MAX_LINE);
          break;
        }
        if (field.len > 0) {
          row_blank = false;
          if (has_control(field.data, field.len)) {
            rc = pt_err_make(err, 0, "line %zu: control character in "
                                     "path", row_line);
            break;
          }
          rc = strlist_push(out, field.data, field.len,
                            PT_PYMETA_MAX_RECORD_ROWS, "RECORD rows", err);
          if (rc < 0)
            break;
        }
      }
      col++;
      if (end_row || i >= len)
        break;
    }
    if (row_blank && col > 1 && rc == 0) {
      rc = pt_err_make(err, 0, "line %zu: empty path", row_line);
      break;
    }
    lineno++;
  }
  pt_buf_free(&field);
  return rc;
oom:
  pt_buf_free(&field);
  return pt_err_make(err, ENOMEM, "RECORD");
}

int pt_pymeta_parse_record(const char *data, size_t len,
                           pt_pymeta_strlist *paths, pt_err **err) {
  memset(paths, 0, sizeof(*paths));
  if (check_text(data, len, PT_PYMETA_MAX_RECORD_INPUT, "RECORD", err) < 0)
    return -1;
  if (record_parse(data, len, paths, err) < 0) {
    pt_pymeta_strlist_free(paths);
    return pt_err_wrap(err, "RECORD");
  }
  return 0;
}

/* ---- top_level.txt -------------------------------------------------- */

/* Parts of identifiers joined by `.` or `/` (namespace packages are
 * written either way by old setuptools). ASCII only: a non-ASCII module
 * name is legal Python but never seen in practice, and refusing it keeps
 * the names safe to put on a command line. */
static bool module_name_ok(const char *s, size_t n) {
  bool start = true;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (c == '.' || c == '/') {
      if (start)
        return false;
      start = true;
      continue;
    }
    if (!(alpha || (digit && !start)))
      return false;
    start = false;
  }
  return n > 0 && !start;
}

int pt_pymeta_parse_top_level(const char *data, size_t len,
                              pt_pymeta_strlist *names, pt_err **err) {
  memset(names, 0, sizeof(*names));
  if (check_text(data, len, PT_PYMETA_MAX_INPUT, "top_level.txt", err) < 0)
    return -1;
  line_iter it = {data, data + len, 0};
  const char *line;
  size_t n;
  while (next_line(&it, &line, &n)) {
    trim(&line, &n);
    if (n == 0)
      continue;
    if (n > PT_PYMETA_MAX_NAME || !module_name_ok(line, n)) {
      pt_err_make(err, 0, "line %zu: not a module name", it.lineno);
      goto fail;
    }
    if (strlist_push(names, line, n, PT_PYMETA_MAX_ENTRIES, "module names",
                     err) < 0)
      goto fail;
  }
  return 0;
fail:
  pt_pymeta_strlist_free(names);
  return pt_err_wrap(err, "top_level.txt");
}
