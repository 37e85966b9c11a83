/* npm registry client: package documents (versions, time, dist.tarball,
 * dist.integrity, dist.shasum) and the package listing for --all. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "registry_int.h"

/* Pages of the search API walked at most (250 names each). */
#define NPM_SEARCH_MAX_PAGES 4000

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The file name a tarball URL ends in, or NULL if it has none usable. */
static char *tarball_filename(const char *url) {
  const char *end = url + strcspn(url, "?#");
  const char *slash = end;
  while (slash > url && slash[-1] != '/')
    slash--;
  size_t len = (size_t)(end - slash);
  if (len == 0 || len > 255)
    return NULL;
  char *f = strndup(slash, len);
  if (f == NULL)
    return NULL;
  /* Written to disk under this name: nothing that walks or hides. */
  if (strcmp(f, ".") == 0 || strcmp(f, "..") == 0 || f[0] == '.' ||
      strchr(f, '%') || strchr(f, '\\')) {
    free(f);
    return NULL;
  }
  return f;
}

/* sha512 of a Subresource Integrity string ("sha512-B64 sha1-B64 ..."). */
static char *integrity_sha512(const char *sri) {
  if (sri == NULL)
    return NULL;
  const char *p = sri;
  while (*p) {
    while (isspace((unsigned char)*p))
      p++;
    size_t n = strcspn(p, " \t\r\n");
    if (n > 7 && strncmp(p, "sha512-", 7) == 0) {
      /* Options after '?' are allowed by SRI and ignored. */
      size_t m = strcspn(p + 7, "? \t\r\n");
      return strndup(p + 7, m);
    }
    p += n;
  }
  return NULL;
}

static bool is_hex(const char *s, size_t len) {
  if (s == NULL || strlen(s) != len)
    return false;
  for (; *s; s++)
    if (!isxdigit((unsigned char)*s))
      return false;
  return true;
}

static int cmp_published(const void *a, const void *b) {
  const struct pt_registry_file *x = a, *y = b;
  if (x->published != y->published)
    return x->published < y->published ? -1 : 1;
  return strcmp(x->version, y->version);
}

int pt_registry_npm_parse(const char *doc, size_t len, const char *page_url,
                          const char *name, struct pt_registry_files *out,
                          pt_err **err) {
  json_error_t je;
  json_t *root = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return pt_err_make(err, 0, "bad JSON in package document: %s (line %d)",
                       je.text, je.line);
  int ret = -1;
  if (!json_is_object(root)) {
    pt_err_make(err, 0, "package document is not a JSON object");
    goto out;
  }
  const char *docname = jstr(root, "name");
  if (docname && strcmp(docname, name) != 0) {
    pt_err_make(err, 0, "package document is for `%s`", docname);
    goto out;
  }
  json_t *versions = json_object_get(root, "versions");
  json_t *times = json_object_get(root, "time");
  if (versions == NULL) {
    /* An unpublished package has a document without versions. */
    ret = 0;
    goto out;
  }
  if (!json_is_object(versions)) {
    pt_err_make(err, 0, "`versions` is not an object");
    goto out;
  }
  const char *ver;
  json_t *v;
  json_object_foreach(versions, ver, v) {
    json_t *dist = json_object_get(v, "dist");
    const char *tarball = jstr(dist, "tarball");
    if (tarball == NULL) {
      pt_err_make(err, 0, "version %s has no dist.tarball", ver);
      goto out;
    }
    cleanup_free char *url = pt_registry_resolve(page_url, tarball, NULL);
    cleanup_free char *fname = url ? tarball_filename(url) : NULL;
    if (url == NULL || fname == NULL) {
      pt_err_make(err, 0, "version %s: unusable dist.tarball `%s`", ver,
                  tarball);
      goto out;
    }
    cleanup_free char *sha512 = integrity_sha512(jstr(dist, "integrity"));
    const char *shasum = jstr(dist, "shasum");
    if (jstr(dist, "integrity") && sha512 == NULL && !is_hex(shasum, 40)) {
      pt_err_make(err, 0, "version %s: no sha512 in dist.integrity `%s`", ver,
                  jstr(dist, "integrity"));
      goto out;
    }
    if (shasum && !is_hex(shasum, 40)) {
      pt_err_make(err, 0, "version %s: bad dist.shasum `%s`", ver, shasum);
      goto out;
    }
    int64_t pub = pt_registry_parse_time(jstr(times, ver));
    struct pt_registry_file f = {
        .name = (char *)name,
        .version = (char *)ver,
        .filename = fname,
        .url = url,
        .published = pub > 0 ? pub : 0,
        .sha512_b64 = sha512,
        .sha1 = (char *)shasum,
    };
    if (pt_registry_files_add(out, &f) < 0) {
      pt_err_make(err, ENOMEM, "version %s", ver);
      goto out;
    }
  }
  if (out->n > 1)
    qsort(out->v, out->n, sizeof(*out->v), cmp_published);
  ret = 0;
out:
  json_decref(root);
  return ret;
}

int pt_registry_npm_files(pt_registry *r, const char *name,
                          struct pt_registry_files *out, pt_err **err) {
  /* Scoped names keep their '@' and encode the '/' (`@s%2Fpkg`), which
   * every registry implementation accepts. */
  cleanup_free char *esc = pt_registry_escape(name);
  cleanup_free char *url = NULL;
  if (esc == NULL || asprintf(&url, "%s/%s", r->base, esc) < 0) {
    url = NULL;
    return pt_err_make(err, ENOMEM, "npm");
  }
  pt_buf b;
  cleanup_free char *final = NULL;
  /* The full document: the abbreviated one has no per-version times. */
  if (pt_registry_get(r, url, "application/json", &b, NULL, &final, err) < 0)
    return -1;
  int rc = pt_registry_npm_parse(b.data, b.len, final, name, out, err);
  pt_buf_free(&b);
  return rc;
}

/* `GET /-/all`: {"_updated": T, "name": {...}, ...} (CouchDB-era npm and
 * verdaccio). Returns 1 when the registry has no such listing. */
static int list_all_legacy(pt_registry *r, char ***names, size_t *n,
                           pt_err **err) {
  cleanup_free char *url = NULL;
  if (asprintf(&url, "%s/-/all", r->base) < 0) {
    url = NULL;
    return pt_err_make(err, ENOMEM, "npm list");
  }
  pt_buf b;
  pt_err *e = NULL;
  if (pt_registry_get(r, url, "application/json", &b, NULL, NULL, &e) < 0) {
    bool absent = strstr(e->msg, "HTTP 404") || strstr(e->msg, "HTTP 405") ||
                  strstr(e->msg, "HTTP 501");
    if (absent) {
      pt_err_free(e);
      return 1;
    }
    *err = e;
    return -1;
  }
  json_error_t je;
  json_t *root = json_loadb(b.data, b.len, 0, &je);
  pt_buf_free(&b);
  if (!json_is_object(root)) {
    json_decref(root);
    return pt_err_make(err, 0, "%s: not a JSON object", url);
  }
  const char *k;
  json_t *v;
  int ret = 0;
  json_object_foreach(root, k, v) {
    if (k[0] == '_' || !json_is_object(v))
      continue;
    if (pt_registry_names_add(names, n, k) < 0) {
      ret = pt_err_make(err, ENOMEM, "npm list");
      break;
    }
  }
  json_decref(root);
  return ret;
}

/* The search API, paged: {"objects":[{"package":{"name"}}],"total":N}. */
static int list_all_search(pt_registry *r, char ***names, size_t *n,
                           pt_err **err) {
  const unsigned size = 250;
  for (unsigned page = 0; page < NPM_SEARCH_MAX_PAGES; page++) {
    cleanup_free char *url = NULL;
    if (asprintf(&url, "%s/-/v1/search?text=&size=%u&from=%u", r->base, size,
                 page * size) < 0) {
      url = NULL;
      return pt_err_make(err, ENOMEM, "npm search");
    }
    pt_buf b;
    if (pt_registry_get(r, url, "application/json", &b, NULL, NULL, err) < 0)
      return -1;
    json_error_t je;
    json_t *root = json_loadb(b.data, b.len, 0, &je);
    pt_buf_free(&b);
    json_t *objs = json_object_get(root, "objects");
    if (!json_is_array(objs)) {
      json_decref(root);
      return pt_err_make(err, 0, "%s: no `objects` array", url);
    }
    size_t i, before = *n;
    json_t *o;
    json_array_foreach(objs, i, o) {
      const char *nm = jstr(json_object_get(o, "package"), "name");
      if (nm && pt_registry_names_add(names, n, nm) < 0) {
        json_decref(root);
        return pt_err_make(err, ENOMEM, "npm search");
      }
    }
    json_t *total = json_object_get(root, "total");
    bool last = json_array_size(objs) < size ||
                (json_is_integer(total) &&
                 (json_int_t)((page + 1) * size) >= json_integer_value(total));
    json_decref(root);
    if (last || *n == before)
      return 0;
  }
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int pt_registry_npm_list(pt_registry *r, char ***names, size_t *n,
                         pt_err **err) {
  int rc = list_all_legacy(r, names, n, err);
  if (rc == 1)
    rc = list_all_search(r, names, n, err);
  if (rc < 0)
    return -1;
  if (*n > 1) {
    /* Search pages can overlap when packages are published meanwhile. */
    qsort(*names, *n, sizeof(**names), cmp_str);
    size_t w = 1;
    for (size_t i = 1; i < *n; i++) {
      if (strcmp((*names)[i], (*names)[w - 1]) == 0)
        free((*names)[i]);
      else
        (*names)[w++] = (*names)[i];
    }
    *n = w;
    (*names)[w] = NULL;
  }
  return 0;
}
