/* PyPI simple repository API client: PEP 691 JSON (with PEP 700 upload
 * times), PEP 503 HTML as fallback, the project list for --all. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "registry_int.h"

/* Content negotiation (PEP 691): JSON preferred, HTML accepted. */
static const char pypi_accept[] =
    "application/vnd.pypi.simple.v1+json, "
    "application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

char *pt_registry_pep503(const char *name) {
  char *o = malloc(strlen(name) + 1), *p = o;
  if (o == NULL)
    return NULL;
  for (const char *s = name; *s;) {
    if (*s == '-' || *s == '_' || *s == '.') {
      *p++ = '-';
      while (*s == '-' || *s == '_' || *s == '.')
        s++;
    } else {
      *p++ = (char)tolower((unsigned char)*s++);
    }
  }
  *p = '\0';
  return o;
}

static bool has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* Only what triage can unpack: wheels and sdists (.tar.gz, legacy .zip). */
static const char *pypi_ext(const char *filename) {
  static const char *const ext[] = {".whl", ".tar.gz", ".zip"};
  for (size_t i = 0; i < PT_ARRAY_LEN(ext); i++)
    if (has_suffix(filename, ext[i]))
      return ext[i];
  return NULL;
}

char *pt_registry_pypi_version(const char *project, const char *filename) {
  const char *ext = pypi_ext(filename);
  if (ext == NULL)
    return NULL;
  size_t stem = strlen(filename) - strlen(ext);
  cleanup_free char *want = pt_registry_pep503(project);
  if (want == NULL)
    return NULL;
  /* The name part may itself hold '-' (old sdists) or '_' (wheels): try
   * each '-' as the end of the name and compare normalised forms. */
  for (size_t i = 1; i < stem; i++) {
    if (filename[i] != '-')
      continue;
    cleanup_free char *cand = strndup(filename, i);
    cleanup_free char *norm = cand ? pt_registry_pep503(cand) : NULL;
    if (norm == NULL || strcmp(norm, want) != 0)
      continue;
    const char *v = filename + i + 1;
    size_t vl = stem - i - 1;
    if (strcmp(ext, ".whl") == 0)
      vl = strcspn(v, "-"); /* name-version(-build)?-py-abi-plat */
    if (vl == 0 || vl > stem - i - 1)
      return NULL;
    return strndup(v, vl);
  }
  return NULL;
}

static bool usable_filename(const char *f) {
  return f && f[0] && f[0] != '.' && strlen(f) <= 255 && !strchr(f, '/') &&
         !strchr(f, '\\');
}

/* Add one file found on a project page; files that are not artifacts are
 * skipped, malformed ones are errors. */
static int add_file(struct pt_registry_files *out, const char *page_url,
                    const char *project, const char *filename,
                    const char *href, const char *sha256, int64_t published,
                    pt_err **err) {
  if (!usable_filename(filename))
    return pt_err_make(err, 0, "unusable file name `%s`",
                       filename ? filename : "(none)");
  if (pypi_ext(filename) == NULL)
    return 0; /* .egg, .exe, .tar.bz2, ...: nothing triage can unpack */
  cleanup_free char *frag = NULL;
  cleanup_free char *url = pt_registry_resolve(page_url, href, &frag);
  if (url == NULL)
    return pt_err_make(err, 0, "%s: unusable URL `%s`", filename, href);
  cleanup_free char *version = pt_registry_pypi_version(project, filename);
  if (version == NULL)
    return pt_err_make(err, 0, "`%s` is not a file name of project %s",
                       filename, project);
  /* PEP 503: the hash rides in the fragment, `#sha256=HEX`. */
  char hexbuf[65] = "";
  if (sha256 == NULL && frag && strncmp(frag, "sha256=", 7) == 0) {
    snprintf(hexbuf, sizeof(hexbuf), "%s", frag + 7);
    sha256 = hexbuf;
  }
  if (sha256) {
    size_t l = strlen(sha256);
    bool ok = l == 64;
    for (size_t i = 0; ok && i < l; i++)
      ok = isxdigit((unsigned char)sha256[i]);
    if (!ok)
      return pt_err_make(err, 0, "%s: bad sha256 `%s`", filename, sha256);
  }
  struct pt_registry_file f = {
      .name = (char *)project,
      .version = version,
      .filename = (char *)filename,
      .url = url,
      .published = published,
      .sha256 = (char *)sha256,
  };
  if (pt_registry_files_add(out, &f) < 0)
    return pt_err_make(err, ENOMEM, "pypi");
  return 0;
}

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* PEP 691: meta.api-version "1.x"; a major version we do not know may
 * mean anything, so it is refused. */
static int check_api_version(json_t *root, pt_err **err) {
  const char *v = jstr(json_object_get(root, "meta"), "api-version");
  if (v == NULL)
    return pt_err_make(err, 0, "no meta.api-version (not PEP 691 JSON)");
  if (strncmp(v, "1.", 2) != 0 && strcmp(v, "1") != 0)
    return pt_err_make(err, 0, "unsupported simple API version %s", v);
  return 0;
}

int pt_registry_pypi_parse_json(const char *doc, size_t len,
                                const char *page_url, const char *project,
                                struct pt_registry_files *out, pt_err **err) {
  json_error_t je;
  json_t *root = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return pt_err_make(err, 0, "bad JSON in project page: %s (line %d)",
                       je.text, je.line);
  int ret = -1;
  if (!json_is_object(root)) {
    pt_err_make(err, 0, "project page is not a JSON object");
    goto out;
  }
  if (check_api_version(root, err) < 0)
    goto out;
  json_t *files = json_object_get(root, "files");
  if (!json_is_array(files)) {
    pt_err_make(err, 0, "project page has no `files` array");
    goto out;
  }
  size_t i;
  json_t *f;
  json_array_foreach(files, i, f) {
    const char *fn = jstr(f, "filename"), *href = jstr(f, "url");
    if (href == NULL) {
      pt_err_make(err, 0, "file %s has no url", fn ? fn : "?");
      goto out;
    }
    /* PEP 700 upload-time; absent from older indexes. */
    const char *ut = jstr(f, "upload-time");
    int64_t pub = ut ? pt_registry_parse_time(ut) : 0;
    if (pub < 0) {
      pt_err_make(err, 0, "file %s: bad upload-time `%s`", fn, ut);
      goto out;
    }
    if (add_file(out, page_url, project, fn, href,
                 jstr(json_object_get(f, "hashes"), "sha256"), pub, err) < 0)
      goto out;
  }
  ret = 0;
out:
  json_decref(root);
  return ret;
}

/* ---- PEP 503 HTML --------------------------------------------------------- */

/* Decode the few entities an index writes (&amp; &lt; &gt; &quot; &#39;
 * &#NN; &#xNN;) in place. */
static void html_unescape(char *s) {
  char *w = s;
  while (*s) {
    if (*s == '&') {
      static const struct { const char *e; char c; } ents[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
          {"&apos;", '\''}};
      bool done = false;
      for (size_t i = 0; i < PT_ARRAY_LEN(ents) && !done; i++) {
        size_t l = strlen(ents[i].e);
        if (strncmp(s, ents[i].e, l) == 0) {
          *w++ = ents[i].c;
          s += l;
          done = true;
        }
      }
      if (!done && s[1] == '#') {
        char *end;
        long v = s[2] == 'x' || s[2] == 'X' ? strtol(s + 3, &end, 16)
                                             : strtol(s + 2, &end, 10);
        if (*end == ';' && v > 0 && v < 128) {
          *w++ = (char)v;
          s = end + 1;
          done = true;
        }
      }
      if (done)
        continue;
    }
    *w++ = *s++;
  }
  *w = '\0';
}

/* Value of attribute name in the tag text [p, end), malloc'ed, or NULL. */
static char *tag_attr(const char *p, const char *end, const char *name) {
  size_t nl = strlen(name);
  while (p < end) {
    while (p < end && (isspace((unsigned char)*p) || *p == '/'))
      p++;
    const char *an = p;
    while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>')
      p++;
    size_t al = (size_t)(p - an);
    while (p < end && isspace((unsigned char)*p))
      p++;
    const char *v = NULL;
    size_t vl = 0;
    if (p < end && *p == '=') {
      p++;
      while (p < end && isspace((unsigned char)*p))
        p++;
      if (p < end && (*p == '"' || *p == '\'')) {
        char q = *p++;
        v = p;
        while (p < end && *p != q)
          p++;
        vl = (size_t)(p - v);
        if (p < end)
          p++;
      } else {
        v = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '>')
          p++;
        vl = (size_t)(p - v);
      }
    }
    if (al == nl && strncasecmp(an, name, nl) == 0) {
      char *r = strndup(v ? v : "", vl);
      if (r)
        html_unescape(r);
      return r;
    }
    if (al == 0 && p < end && v == NULL)
      p++; /* stray character: move on */
  }
  return NULL;
}

/* Call fn(href, text) for each <a href=...>text</a> of an HTML page. */
static int html_anchors(const char *doc, size_t len,
                        int (*fn)(void *, const char *, char *), void *ud,
                        pt_err **err) {
  const char *p = doc, *end = doc + len;
  while (p < end) {
    const char *a = memchr(p, '<', (size_t)(end - p));
    if (a == NULL || end - a < 3)
      break;
    p = a + 1;
    if (!((a[1] == 'a' || a[1] == 'A') &&
          (isspace((unsigned char)a[2]) || a[2] == '>')))
      continue;
    const char *tend = memchr(a, '>', (size_t)(end - a));
    if (tend == NULL)
      return pt_err_make(err, 0, "unterminated <a> tag");
    cleanup_free char *href = tag_attr(a + 2, tend, "href");
    const char *text = tend + 1, *close = text;
    while (close < end && !(close[0] == '<' && close + 3 < end &&
                            close[1] == '/' &&
                            (close[2] == 'a' || close[2] == 'A')))
      close++;
    cleanup_free char *t = strndup(text, (size_t)(close - text));
    if (t == NULL)
      return pt_err_make(err, ENOMEM, "html");
    html_unescape(t);
    /* Surrounding whitespace is not part of a file name. */
    char *ts = t;
    while (isspace((unsigned char)*ts))
      ts++;
    for (size_t l = strlen(ts); l > 0 && isspace((unsigned char)ts[l - 1]);)
      ts[--l] = '\0';
    p = close;
    if (href == NULL)
      continue;
    if (fn(ud, href, ts) < 0)
      return -1;
  }
  return 0;
}

struct html_files_ctx {
  struct pt_registry_files *out;
  const char *page_url, *project;
  pt_err **err;
};

static int html_file(void *ud, const char *href, char *text) {
  struct html_files_ctx *c = ud;
  return add_file(c->out, c->page_url, c->project, text, href, NULL, 0,
                  c->err);
}

int pt_registry_pypi_parse_html(const char *doc, size_t len,
                                const char *page_url, const char *project,
                                struct pt_registry_files *out, pt_err **err) {
  struct html_files_ctx c = {out, page_url, project, err};
  return html_anchors(doc, len, html_file, &c, err);
}

/* ---- requests ------------------------------------------------------------- */

static bool is_json(const char *ctype, const char *doc) {
  if (ctype && strncasecmp(ctype, "application/vnd.pypi.simple.v1+json", 35) == 0)
    return true;
  if (ctype && (strncasecmp(ctype, "text/html", 9) == 0 ||
                strncasecmp(ctype, "application/vnd.pypi.simple.v1+html", 35) == 0))
    return false;
  /* Unknown or generic type (application/json, octet-stream): sniff. */
  while (isspace((unsigned char)*doc))
    doc++;
  return *doc == '{';
}

int pt_registry_pypi_files(pt_registry *r, const char *name,
                           struct pt_registry_files *out, pt_err **err) {
  cleanup_free char *norm = pt_registry_pep503(name);
  cleanup_free char *esc = norm ? pt_registry_escape(norm) : NULL;
  cleanup_free char *url = NULL;
  if (esc == NULL || asprintf(&url, "%s/%s/", r->base, esc) < 0) {
    url = NULL;
    return pt_err_make(err, ENOMEM, "pypi");
  }
  pt_buf b;
  cleanup_free char *ctype = NULL, *final = NULL;
  if (pt_registry_get(r, url, pypi_accept, &b, &ctype, &final, err) < 0)
    return -1;
  int rc = is_json(ctype, b.data)
               ? pt_registry_pypi_parse_json(b.data, b.len, final, name, out,
                                             err)
               : pt_registry_pypi_parse_html(b.data, b.len, final, name, out,
                                             err);
  pt_buf_free(&b);
  return rc;
}

struct html_names_ctx {
  char ***names;
  size_t *n;
  pt_err **err;
};

static int html_name(void *ud, const char *href, char *text) {
  struct html_names_ctx *c = ud;
  (void)href;
  if (text[0] == '\0')
    return 0;
  if (pt_registry_names_add(c->names, c->n, text) < 0)
    return pt_err_make(c->err, ENOMEM, "pypi list");
  return 0;
}

int pt_registry_pypi_list(pt_registry *r, char ***names, size_t *n,
                          pt_err **err) {
  cleanup_free char *url = NULL;
  if (asprintf(&url, "%s/", r->base) < 0) {
    url = NULL;
    return pt_err_make(err, ENOMEM, "pypi list");
  }
  pt_buf b;
  cleanup_free char *ctype = NULL;
  if (pt_registry_get(r, url, pypi_accept, &b, &ctype, NULL, err) < 0)
    return -1;
  int ret = 0;
  if (is_json(ctype, b.data)) {
    json_error_t je;
    json_t *root = json_loadb(b.data, b.len, 0, &je);
    json_t *projects = json_object_get(root, "projects");
    if (root == NULL) {
      ret = pt_err_make(err, 0, "bad JSON in index: %s", je.text);
    } else if (check_api_version(root, err) < 0) {
      ret = -1;
    } else if (!json_is_array(projects)) {
      ret = pt_err_make(err, 0, "index has no `projects` array");
    } else {
      size_t i;
      json_t *p;
      json_array_foreach(projects, i, p) {
        const char *nm = jstr(p, "name");
        if (nm && pt_registry_names_add(names, n, nm) < 0) {
          ret = pt_err_make(err, ENOMEM, "pypi list");
          break;
        }
      }
    }
    json_decref(root);
  } else {
    struct html_names_ctx c = {names, n, err};
    if (html_anchors(b.data, b.len, html_name, &c, err) < 0)
      ret = -1;
  }
  pt_buf_free(&b);
  return ret;
}
