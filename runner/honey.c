/* Honeytokens: manifest loading, identity, template rendering, writing the
 * fake HOME, and the report view. Token formats live in honey_gen.c.
 *
 * Malware fingerprints sandboxes by their fixed values (HOME=/root, user
 * "sandbox", hostname "box", AKIAIOSFODNN7EXAMPLE) and by a HOME that looks
 * freshly made, so every run gets a random identity, fresh values, and
 * files whose modification times lie weeks or months in the past. */
#define _GNU_SOURCE
#include "honey.h"
#include "honey_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Names that mark a sandbox: never used, whatever the profile says. */
static const char *const forbidden_users[] = {
    "root",    "user",    "sandbox", "test",    "tester",  "box",
    "admin",   "guest",   "nobody",  "ubuntu",  "debian",  "vagrant",
    "docker",  "analyst", "malware", "virus",   "sample",  "cuckoo",
    "default", "john",    "runner",  "builder", "pkgtrap", "honey",
};
/* Inside a word too: evasive samples test substrings ("devbox" holds
 * "vbox"). */
static const char *const forbidden_host_parts[] = {
    "sandbox", "malware", "cuckoo", "analysis", "pkgtrap", "honey",
    "virus",   "vbox",    "vmware", "qemu",     "virtual", "jail",
    "detonat", "triage",
};
static const char *const forbidden_hosts[] = {
    "box", "test", "localhost", "ubuntu", "debian", "docker", "container",
};

/* ---- variables ---------------------------------------------------------- */

ssize_t honey_vars_add(honey_vars *vs, const char *name, char *value,
                       pt_err **err) {
  for (size_t i = 0; i < vs->n; i++)
    if (strcmp(vs->v[i].name, name) == 0) {
      free(value);
      return pt_err_make(err, 0, "placeholder `%s` defined twice", name);
    }
  if (vs->n == vs->alloc) {
    size_t na = vs->alloc ? vs->alloc * 2 : 32;
    honey_var *nv = realloc(vs->v, na * sizeof(*nv));
    if (nv == NULL) {
      free(value);
      return pt_err_make(err, ENOMEM, "placeholder `%s`", name);
    }
    vs->v = nv;
    vs->alloc = na;
  }
  honey_var *v = &vs->v[vs->n];
  memset(v, 0, sizeof(*v));
  v->name = strdup(name);
  v->value = value;
  if (v->name == NULL) {
    free(value);
    return pt_err_make(err, ENOMEM, "placeholder `%s`", name);
  }
  return (ssize_t)vs->n++;
}

void honey_vars_free(honey_vars *vs) {
  for (size_t i = 0; i < vs->n; i++) {
    honey_var *v = &vs->v[i];
    free(v->name);
    free(v->value);
    for (size_t k = 0; k < v->n_parts; k++) {
      free(v->part_name[k]);
      free(v->part_text[k]);
    }
    free(v->deps);
    for (size_t k = 0; k < v->n_where; k++)
      free(v->where[k]);
    free(v->where);
  }
  free(vs->v);
  memset(vs, 0, sizeof(*vs));
}

static int record_where(honey_vars *vs, size_t idx, const char *where) {
  honey_var *v = &vs->v[idx];
  if (v->token) {
    bool seen = false;
    for (size_t k = 0; k < v->n_where && !seen; k++)
      seen = strcmp(v->where[k], where) == 0;
    if (!seen) {
      char **nw = realloc(v->where, (v->n_where + 1) * sizeof(*nw));
      if (nw == NULL)
        return -1;
      v->where = nw;
      if ((v->where[v->n_where] = strdup(where)) == NULL)
        return -1;
      v->n_where++;
    }
  }
  /* A derived token (docker auth) carries the ones it was made from (the
   * docker PAT): decoding it there is reading them there. Dependencies
   * always point at earlier variables, so this terminates. */
  for (size_t k = 0; k < v->n_deps; k++)
    if (record_where(vs, v->deps[k], where) < 0)
      return -1;
  return 0;
}

/* A dotenv file (`.env`) is loaded into the environment by the project's
 * own tools (python-dotenv, dotenv, direnv): a token in its NAME=VALUE
 * line is planted in the variable NAME as well, so a process that runs
 * with it there (a CLI that loaded the project's .env, then ran git) is
 * not leaking it. */
static int dotenv_where(honey_vars *vs, const char *path, const char *data,
                        size_t len) {
  const char *base = strrchr(path, '/');
  if (strcmp(base ? base + 1 : path, ".env") != 0)
    return 0;
  for (const char *l = data, *end = data + len; l < end;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    const char *le = nl ? nl : end;
    const char *eq = memchr(l, '=', (size_t)(le - l));
    if (eq && eq > l && eq - l < HONEY_NAME_MAX) {
      char where[HONEY_NAME_MAX + 8];
      snprintf(where, sizeof(where), "env:%.*s", (int)(eq - l), l);
      for (size_t i = 0; i < vs->n; i++) {
        const char *v = vs->v[i].value;
        size_t vl = v ? strlen(v) : 0;
        if (vs->v[i].token && vl &&
            memmem(eq + 1, (size_t)(le - eq - 1), v, vl) &&
            record_where(vs, i, where) < 0)
          return -1;
      }
    }
    l = le + 1;
  }
  return 0;
}

static void append_escaped(pt_buf *out, const char *s, enum honey_escape esc) {
  if (esc == HONEY_ESC_NONE) {
    pt_buf_append(out, s, strlen(s));
    return;
  }
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (esc == HONEY_ESC_SQL && c == '\'')
      pt_buf_append(out, "''", 2);
    else if (esc == HONEY_ESC_JSON && (c == '"' || c == '\\')) {
      pt_buf_append(out, "\\", 1);
      pt_buf_append(out, s, 1);
    } else if (esc == HONEY_ESC_JSON && c < 0x20)
      pt_buf_printf(out, "\\u%04x", c);
    else
      pt_buf_append(out, s, 1);
  }
}

int honey_render(honey_vars *vs, const char *tmpl, size_t len,
                 enum honey_escape esc, const char *where, size_t dep_of,
                 const char *ctx, pt_buf *out, pt_err **err) {
  const char *p = tmpl, *end = tmpl + len;
  size_t want = 0; /* bytes meant for out: none is no allocation failure */
  while (p < end) {
    const char *open = memmem(p, (size_t)(end - p), "{{", 2);
    if (open == NULL) {
      pt_buf_append(out, p, (size_t)(end - p));
      want += (size_t)(end - p);
      break;
    }
    pt_buf_append(out, p, (size_t)(open - p));
    want += (size_t)(open - p);
    const char *name = open + 2;
    const char *close = memmem(name, (size_t)(end - name), "}}", 2);
    size_t nlen = close ? (size_t)(close - name) : 0;
    if (close == NULL || nlen == 0 || nlen > HONEY_NAME_MAX)
      return pt_err_make(err, 0, "%s: unterminated or empty `{{` at "
                         "offset %zu", ctx, (size_t)(open - tmpl));
    char buf[HONEY_NAME_MAX + 1];
    memcpy(buf, name, nlen);
    buf[nlen] = '\0';
    char *part = strchr(buf, ':');
    if (part != NULL)
      *part++ = '\0';
    size_t idx = 0;
    while (idx < vs->n && strcmp(vs->v[idx].name, buf) != 0)
      idx++;
    if (idx == vs->n)
      return pt_err_make(err, 0, "%s: unknown placeholder {{%s}}%s", ctx,
                         buf, dep_of != HONEY_NO_VAR
                                  ? " (tokens may only use tokens listed "
                                    "before them)"
                                  : "");
    honey_var *v = &vs->v[idx];
    const char *text = v->value;
    if (part != NULL) {
      text = NULL;
      for (size_t k = 0; k < v->n_parts; k++)
        if (strcmp(v->part_name[k], part) == 0)
          text = v->part_text[k];
      if (text == NULL)
        return pt_err_make(err, 0, "%s: {{%s}} has no part `%s`", ctx,
                           buf, part);
    }
    append_escaped(out, text, esc);
    want += strlen(text);
    /* A part counts as a location only if it holds the value (an SSH
     * key's private PEM does, its public line does not). */
    if (where != NULL && (part == NULL || strstr(text, v->value) != NULL) &&
        record_where(vs, idx, where) < 0)
      return pt_err_make(err, ENOMEM, "%s", ctx);
    if (dep_of != HONEY_NO_VAR && v->token &&
        honey_var_add_dep(&vs->v[dep_of], idx) < 0)
      return pt_err_make(err, ENOMEM, "%s", ctx);
    p = close + 2;
  }
  if (out->dropped)
    return pt_err_make(err, EFBIG, "%s: rendered text over %zu bytes", ctx,
                       out->cap);
  if (out->data == NULL && want > 0)
    return pt_err_make(err, ENOMEM, "%s", ctx);
  return 0;
}

/* ---- manifest helpers --------------------------------------------------- */

static int parse_mode(json_t *j, mode_t dflt, mode_t *out, const char *ctx,
                      pt_err **err) {
  if (j == NULL) {
    *out = dflt;
    return 0;
  }
  const char *s = json_string_value(j);
  char *e = NULL;
  unsigned long m = s ? strtoul(s, &e, 8) : 0;
  if (s == NULL || *s == '\0' || *e != '\0' || m > 0777) {
    pt_err_make(err, 0, "%s: \"mode\" must be an octal string "
                "like \"0600\" (no setuid/sticky bits)", ctx);
    return -1; /* spelled out: gcc -O3 cannot see that *out is then unused */
  }
  *out = (mode_t)m;
  return 0;
}

/* A relative path that stays inside its base: no "/" prefix, no empty, "."
 * or ".." component. */
static bool path_ok(const char *p) {
  if (p == NULL || *p == '\0' || *p == '/' || strlen(p) > 512)
    return false;
  for (const char *c = p; *c;) {
    const char *e = strchrnul(c, '/');
    size_t n = (size_t)(e - c);
    if (n == 0 || (n == 1 && c[0] == '.') ||
        (n == 2 && c[0] == '.' && c[1] == '.'))
      return false;
    c = *e ? e + 1 : e;
    if (*e && *c == '\0')
      return false; /* trailing slash */
  }
  return true;
}

static bool name_ok(const char *s) {
  if (s == NULL || *s == '\0' || strlen(s) > HONEY_NAME_MAX)
    return false;
  for (; *s; s++)
    if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
      return false;
  return true;
}

static bool in_list(const char *s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(s, list[i]) == 0)
      return true;
  return false;
}

static bool json_list_has(json_t *arr, const char *s) {
  size_t i;
  json_t *e;
  json_array_foreach(arr, i, e) if (json_is_string(e) &&
                                    strcasecmp(json_string_value(e), s) == 0)
      return true;
  return false;
}

static json_t *pick(json_t *arr) {
  size_t n = json_array_size(arr);
  return n ? json_array_get(arr, honey_rand_below((uint32_t)n)) : NULL;
}

static int add_var(honey_vars *vs, const char *name, const char *value,
                   pt_err **err) {
  char *v = strdup(value);
  if (v == NULL)
    return pt_err_make(err, ENOMEM, "identity");
  return honey_vars_add(vs, name, v, err) < 0 ? -1 : 0;
}

static char *render_plain(honey_vars *vs, const char *tmpl, const char *ctx,
                          pt_err **err) {
  pt_buf b;
  pt_buf_init(&b, 4096);
  if (honey_render(vs, tmpl, strlen(tmpl), HONEY_ESC_NONE, NULL, HONEY_NO_VAR,
                   ctx, &b, err) < 0) {
    pt_buf_free(&b);
    return NULL;
  }
  return b.data ? b.data : strdup("");
}

/* ---- identity ----------------------------------------------------------- */

static int check_login(const char *login, json_t *extra, pt_err **err) {
  bool ok = login && isalpha((unsigned char)login[0]) && strlen(login) <= 32;
  for (const char *c = login; ok && *c; c++)
    ok = islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
         *c == '.' || *c == '_' || *c == '-';
  if (!ok)
    return pt_err_make(err, 0, "identity: user `%s` must match "
                       "[a-z][a-z0-9._-]{0,31}", login ? login : "(null)");
  if (in_list(login, forbidden_users, PT_ARRAY_LEN(forbidden_users)) ||
      json_list_has(extra, login))
    return pt_err_make(err, 0, "identity: user `%s` is forbidden (a "
                       "sandbox fingerprint)", login);
  return 0;
}

static int check_hostname(const char *h, json_t *extra, pt_err **err) {
  size_t n = strlen(h);
  bool ok = n > 0 && n <= 63 && h[0] != '-' && h[n - 1] != '-';
  for (const char *c = h; ok && *c; c++)
    ok = isalnum((unsigned char)*c) || *c == '-';
  if (!ok)
    return pt_err_make(err, 0, "identity: hostname `%s` is not a valid "
                       "host name", h);
  bool bad = in_list(h, forbidden_hosts, PT_ARRAY_LEN(forbidden_hosts)) ||
             json_list_has(extra, h);
  for (size_t i = 0; i < PT_ARRAY_LEN(forbidden_host_parts) && !bad; i++)
    bad = strcasestr(h, forbidden_host_parts[i]) != NULL;
  if (bad)
    return pt_err_make(err, 0, "identity: hostname `%s` is forbidden (a "
                       "sandbox fingerprint)", h);
  return 0;
}

static int gen_identity(json_t *id, honey_vars *vs, pt_err **err) {
  json_t *users = json_object_get(id, "users");
  json_t *hosts = json_object_get(id, "hostnames");
  json_t *emails = json_object_get(id, "emails");
  json_t *repos = json_object_get(id, "repos");
  json_t *extra = json_object_get(id, "forbidden");
  if (!json_array_size(users) || !json_array_size(hosts) ||
      !json_array_size(emails) || !json_array_size(repos))
    return pt_err_make(err, 0, "identity: \"users\", \"hostnames\", "
                       "\"emails\" and \"repos\" must be non-empty arrays");
  /* Check every user, not only the one drawn, so a bad profile fails on
   * every run rather than one run in thirty. */
  size_t i;
  json_t *u;
  json_array_foreach(users, i, u) {
    const char *l = json_string_value(json_object_get(u, "login"));
    if (!json_is_string(json_object_get(u, "name")))
      return pt_err_make(err, 0, "identity: users[%zu] needs \"login\" "
                         "and \"name\"", i);
    if (check_login(l, extra, err) < 0)
      return -1;
  }
  u = pick(users);
  const char *login = json_string_value(json_object_get(u, "login"));
  char shortname[40], ghlogin[40], home[64];
  size_t sl = strcspn(login, "._-");
  snprintf(shortname, sizeof(shortname), "%.*s", (int)sl, login);
  snprintf(ghlogin, sizeof(ghlogin), "%s", login);
  for (char *c = ghlogin; *c; c++)
    if (*c == '.' || *c == '_')
      *c = '-'; /* GitHub logins are alphanumerics and hyphens */
  snprintf(home, sizeof(home), "/home/%s", login);
  if (add_var(vs, "USER", login, err) < 0 ||
      add_var(vs, "FULL_NAME", json_string_value(json_object_get(u, "name")),
              err) < 0 ||
      add_var(vs, "USER_SHORT", shortname, err) < 0 ||
      add_var(vs, "GITHUB_LOGIN", ghlogin, err) < 0 ||
      add_var(vs, "HOME", home, err) < 0)
    return -1;
  const char *repo = json_string_value(pick(repos));
  if (repo == NULL || add_var(vs, "REPO", repo, err) < 0)
    return repo ? -1 : pt_err_make(err, 0, "identity: repos are strings");

  const char *hp = json_string_value(pick(hosts));
  if (hp == NULL)
    return pt_err_make(err, 0, "identity: hostnames are strings");
  char *host = render_plain(vs, hp, "identity: hostname", err);
  if (host == NULL)
    return -1;
  for (char *c = host; *c; c++)
    if (*c == '#')
      *c = (char)('0' + honey_rand_below(10)); /* "dev-ws-####" */
  if (check_hostname(host, extra, err) < 0) {
    free(host);
    return -1;
  }
  if (honey_vars_add(vs, "HOSTNAME", host, err) < 0)
    return -1;

  const char *ep = json_string_value(pick(emails));
  if (ep == NULL)
    return pt_err_make(err, 0, "identity: emails are strings");
  char *email = render_plain(vs, ep, "identity: email", err);
  if (email == NULL)
    return -1;
  const char *at = strchr(email, '@');
  if (at == NULL || at == email || strchr(at + 1, '@') || !strchr(at, '.')) {
    pt_err_make(err, 0, "identity: `%s` is not an email address", email);
    free(email);
    return -1;
  }
  return honey_vars_add(vs, "EMAIL", email, err) < 0 ? -1 : 0;
}

/* ---- directories and files --------------------------------------------- */

static int add_dir(struct pt_honey_priv *pv, const char *path, mode_t mode,
                   bool explicit_mode, pt_err **err) {
  /* Parents first, so the list is creatable in order. */
  const char *slash = strrchr(path, '/');
  if (slash != NULL) {
    cleanup_free char *parent = strndup(path, (size_t)(slash - path));
    if (parent == NULL || add_dir(pv, parent, 0755, false, err) < 0)
      return parent ? -1 : pt_err_make(err, ENOMEM, "dir");
  }
  for (size_t i = 0; i < pv->n_dirs; i++)
    if (strcmp(pv->dirs[i].path, path) == 0) {
      if (explicit_mode)
        pv->dirs[i].mode = mode;
      return 0;
    }
  honey_dir *nd = realloc(pv->dirs, (pv->n_dirs + 1) * sizeof(*nd));
  if (nd == NULL)
    return pt_err_make(err, ENOMEM, "dir");
  pv->dirs = nd;
  pv->dirs[pv->n_dirs] = (honey_dir){.path = strdup(path), .mode = mode};
  if (pv->dirs[pv->n_dirs].path == NULL)
    return pt_err_make(err, ENOMEM, "dir");
  pv->n_dirs++;
  return 0;
}

static int render_file(json_t *f, size_t i, honey_vars *vs, int dirfd,
                       struct pt_honey_priv *pv, pt_err **err) {
  const char *tpath = json_string_value(json_object_get(f, "path"));
  const char *kind = json_string_value(json_object_get(f, "kind"));
  char ctx[600];
  snprintf(ctx, sizeof(ctx), "files[%zu] `%s`", i, tpath ? tpath : "?");
  /* A path may hold values of the run too (a GnuPG key file is named by
   * its keygrip): a name fixed across runs would be a fingerprint. */
  cleanup_free char *path =
      tpath && strstr(tpath, "{{") ? render_plain(vs, tpath, ctx, err)
      : tpath                      ? strdup(tpath)
                                   : NULL;
  if (tpath && path == NULL)
    return *err ? -1 : pt_err_make(err, ENOMEM, "%s", ctx);
  if (!path_ok(path))
    return pt_err_make(err, 0, "files[%zu]: \"path\" must be a relative "
                       "path without `.`/`..` components", i);
  if (kind == NULL)
    kind = "text";
  honey_file hf = {.bait = json_is_true(json_object_get(f, "bait"))};
  if (parse_mode(json_object_get(f, "mode"), 0644, &hf.mode, ctx, err) < 0)
    return -1;
  for (size_t k = 0; k < pv->n_files; k++)
    if (strcmp(pv->files[k].path, path) == 0)
      return pt_err_make(err, 0, "%s: listed twice", ctx);

  if (strcmp(kind, "random") == 0) {
    /* Opaque encrypted blobs (Exodus *.seco): header then random bytes. */
    json_t *size = json_object_get(f, "size");
    long lo = (long)json_integer_value(json_array_get(size, 0));
    long hi = (long)json_integer_value(json_array_get(size, 1));
    const char *hdr = json_string_value(json_object_get(f, "header"));
    size_t hl = hdr ? strlen(hdr) : 0;
    if (lo < 1 || hi < lo || hi > 1 << 20 || (size_t)lo < hl)
      return pt_err_make(err, 0, "%s: \"size\" must be [min, max] bytes, "
                         "1..1 MiB, at least the header", ctx);
    hf.len = (size_t)lo + honey_rand_below((uint32_t)(hi - lo + 1));
    hf.data = malloc(hf.len);
    if (hf.data == NULL || pt_random(hf.data, hf.len) < 0) {
      free(hf.data);
      return pt_err_make(err, ENOMEM, "%s", ctx);
    }
    memcpy(hf.data, hdr ? hdr : "", hl);
  } else if (strcmp(kind, "text") == 0 || strcmp(kind, "sqlite") == 0) {
    bool sqlite = strcmp(kind, "sqlite") == 0;
    const char *tmpl_path = json_string_value(json_object_get(f, "template"));
    const char *escs = json_string_value(json_object_get(f, "escape"));
    enum honey_escape esc = sqlite ? HONEY_ESC_SQL : HONEY_ESC_NONE;
    if (escs != NULL && strcmp(escs, "json") == 0 && !sqlite)
      esc = HONEY_ESC_JSON;
    else if (escs != NULL && strcmp(escs, "none") != 0)
      return pt_err_make(err, 0, "%s: \"escape\" is \"json\" or \"none\"",
                         ctx);
    if (!path_ok(tmpl_path))
      return pt_err_make(err, 0, "%s: \"template\" must be a relative "
                         "path inside profiles/honeytokens", ctx);
    cleanup_free char *tmpl = NULL;
    size_t tlen = 0;
    if (pt_read_file_at(dirfd, tmpl_path, HONEY_TEMPLATE_MAX, &tmpl, &tlen,
                        err) <
        0)
      return pt_err_wrap(err, "%s", ctx);
    char where[600];
    snprintf(where, sizeof(where), "~/%s", path);
    pt_buf b;
    pt_buf_init(&b, HONEY_RENDER_MAX);
    if (honey_render(vs, tmpl, tlen, esc, where, HONEY_NO_VAR, ctx, &b, err) <
        0) {
      pt_buf_free(&b);
      return -1;
    }
    hf.data = (unsigned char *)b.data;
    hf.len = b.len;
    hf.sql = sqlite;
    if (!sqlite && dotenv_where(vs, path, b.data, b.len) < 0) {
      free(hf.data);
      return pt_err_make(err, ENOMEM, "%s", ctx);
    }
    /* The SQL above still checks the placeholders and records where the
     * tokens land; from the build's image the database is then made at
     * once, and becomes a plain file (written with the others, by init). */
    const struct honey_sqlite_image *img =
        sqlite ? honey_sqlite_image_find(tmpl, tlen) : NULL;
    unsigned char *db = NULL;
    size_t dlen = 0;
    int irc = img ? honey_sqlite_image_render(img, vs, ctx, &db, &dlen, err)
                  : 1;
    if (irc < 0) {
      free(hf.data);
      return -1;
    }
    if (irc == 0) {
      free(hf.data);
      hf.data = db;
      hf.len = dlen;
      hf.sql = false;
    }
  } else {
    return pt_err_make(err, 0, "%s: unknown kind `%s` (text, sqlite, "
                       "random)", ctx, kind);
  }
  honey_file *nf = realloc(pv->files, (pv->n_files + 1) * sizeof(*nf));
  if (nf == NULL || (hf.path = strdup(path)) == NULL) {
    if (nf)
      pv->files = nf;
    free(hf.data);
    return pt_err_make(err, ENOMEM, "%s", ctx);
  }
  pv->files = nf;
  pv->files[pv->n_files++] = hf;
  const char *slash = strrchr(path, '/');
  if (slash != NULL) {
    cleanup_free char *parent = strndup(path, (size_t)(slash - path));
    if (parent == NULL || add_dir(pv, parent, 0755, false, err) < 0)
      return parent ? -1 : pt_err_make(err, ENOMEM, "%s", ctx);
  }
  return 0;
}

/* Plausible past times: files were made between age_days[1] and
 * age_days[0] days ago; a directory is as recent as its newest entry. */
static void assign_times(struct pt_honey_priv *pv, json_t *age) {
  long lo = json_is_integer(json_array_get(age, 0))
                ? (long)json_integer_value(json_array_get(age, 0))
                : 7;
  long hi = json_is_integer(json_array_get(age, 1))
                ? (long)json_integer_value(json_array_get(age, 1))
                : 400;
  if (lo < 0 || hi < lo || hi > 20 * 365) {
    lo = 7;
    hi = 400;
  }
  time_t now = time(NULL);
  for (size_t i = 0; i < pv->n_files; i++)
    pv->files[i].mtime =
        now - (time_t)lo * 86400 -
        (time_t)honey_rand_below((uint32_t)((hi - lo) * 86400 + 1));
  /* ssh-keygen writes a key and its KEY.pub in the same second: months
   * between them would tell a made-up HOME. */
  for (size_t i = 0; i < pv->n_files; i++) {
    const char *p = pv->files[i].path;
    size_t pl = strlen(p);
    if (pl <= 4 || strcmp(p + pl - 4, ".pub") != 0)
      continue;
    for (size_t k = 0; k < pv->n_files; k++)
      if (strlen(pv->files[k].path) == pl - 4 &&
          strncmp(pv->files[k].path, p, pl - 4) == 0)
        pv->files[i].mtime = pv->files[k].mtime;
  }
  for (size_t d = 0; d < pv->n_dirs; d++) {
    const char *dp = pv->dirs[d].path;
    size_t dl = strlen(dp);
    time_t t = 0;
    for (size_t i = 0; i < pv->n_files; i++)
      if (strncmp(pv->files[i].path, dp, dl) == 0 &&
          pv->files[i].path[dl] == '/' && pv->files[i].mtime > t)
        t = pv->files[i].mtime;
    pv->dirs[d].mtime =
        t ? t : now - (time_t)lo * 86400 - (time_t)honey_rand_below(86400 * 30);
  }
}

/* ---- generate ----------------------------------------------------------- */

static int push_str(char ***arr, size_t *n, char *s) {
  char **na = realloc(*arr, (*n + 1) * sizeof(*na));
  if (na == NULL || s == NULL) {
    if (na)
      *arr = na;
    free(s);
    return -1;
  }
  *arr = na;
  (*arr)[(*n)++] = s;
  return 0;
}

static int export_tokens(honey_vars *vs, struct pt_honey_priv *pv,
                         pt_honey *out) {
  for (size_t i = 0; i < vs->n; i++) {
    honey_var *v = &vs->v[i];
    if (!v->token || !v->detect)
      continue;
    pt_honey_token *nt =
        realloc(out->tokens, (out->n_tokens + 1) * sizeof(*nt));
    if (nt == NULL)
      return -1;
    out->tokens = nt;
    pt_honey_token *t = &out->tokens[out->n_tokens++];
    memset(t, 0, sizeof(*t));
    t->id = strdup(v->name);
    t->value = strdup(v->value);
    t->where = strdup(v->n_where ? v->where[0] : "");
    if (t->id == NULL || t->value == NULL || t->where == NULL)
      return -1;
    for (size_t k = 0; k < v->n_where; k++)
      if (push_str(&t->locations, &t->n_locations, strdup(v->where[k])) < 0)
        return -1;
  }
  /* Files worth watching for reads: any holding a detectable token, plus
   * bait (wallets) whose content is opaque. */
  for (size_t f = 0; f < pv->n_files; f++) {
    bool holds = pv->files[f].bait;
    for (size_t t = 0; t < out->n_tokens && !holds; t++)
      for (size_t k = 0; k < out->tokens[t].n_locations && !holds; k++)
        holds = strncmp(out->tokens[t].locations[k], "~/", 2) == 0 &&
                strcmp(out->tokens[t].locations[k] + 2, pv->files[f].path) == 0;
    if (holds && push_str(&out->files, &out->n_files,
                          strdup(pv->files[f].path)) < 0)
      return -1;
  }
  return 0;
}

/* An entry marked "workspace" is made only with PT_HONEY_WORKSPACE, one
 * marked "watched" with either flag. */
static bool skipped(json_t *entry, unsigned flags) {
  if (json_is_true(json_object_get(entry, "workspace")))
    return !(flags & PT_HONEY_WORKSPACE);
  if (json_is_true(json_object_get(entry, "watched")))
    return !(flags & (PT_HONEY_WATCHED | PT_HONEY_WORKSPACE));
  return false;
}

static int generate(json_t *m, int dirfd, unsigned flags, pt_honey *out,
                    honey_vars *vs, pt_err **err) {
  if (!json_is_object(m) ||
      strcmp(json_string_value(json_object_get(m, "schema")) ?: "",
             "pkgtrap/honeytokens/v1") != 0)
    return pt_err_make(err, 0, "\"schema\" must be "
                       "\"pkgtrap/honeytokens/v1\"");
  if (gen_identity(json_object_get(m, "identity"), vs, err) < 0)
    return -1;

  json_t *tokens = json_object_get(m, "tokens");
  if (!json_is_array(tokens))
    return pt_err_make(err, 0, "\"tokens\" must be an array");
  size_t i;
  json_t *t;
  json_array_foreach(tokens, i, t) {
    const char *id = json_string_value(json_object_get(t, "id"));
    if (!name_ok(id))
      return pt_err_make(err, 0, "tokens[%zu]: \"id\" must match "
                         "[A-Z0-9_]+", i);
    ssize_t idx = honey_vars_add(vs, id, NULL, err);
    if (idx < 0)
      return pt_err_wrap(err, "tokens[%zu]", i);
    vs->v[idx].token = true;
    vs->v[idx].detect = !json_is_false(json_object_get(t, "detect"));
    if (honey_gen_token(vs, (size_t)idx, t, dirfd, err) < 0)
      return -1;
  }

  struct pt_honey_priv *pv = out->priv;
  json_t *dirs = json_object_get(m, "dirs");
  json_t *d;
  json_array_foreach(dirs, i, d) {
    if (skipped(d, flags))
      continue;
    const char *p = json_string_value(json_object_get(d, "path"));
    mode_t mode;
    char ctx[64];
    snprintf(ctx, sizeof(ctx), "dirs[%zu]", i);
    if (!path_ok(p))
      return pt_err_make(err, 0, "%s: \"path\" must be a relative path "
                         "without `.`/`..` components", ctx);
    if (parse_mode(json_object_get(d, "mode"), 0755, &mode, ctx, err) < 0)
      return -1;
    if ((mode & 0700) != 0700)
      return pt_err_make(err, 0, "%s: a directory mode needs 0700", ctx);
    if (add_dir(pv, p, mode, true, err) < 0)
      return -1;
  }
  json_t *files = json_object_get(m, "files");
  if (!json_is_array(files))
    return pt_err_make(err, 0, "\"files\" must be an array");
  json_t *f;
  json_array_foreach(files, i, f) {
    if (!skipped(f, flags) && render_file(f, i, vs, dirfd, pv, err) < 0)
      return -1;
  }
  for (size_t k = 0; k < pv->n_files; k++)
    for (size_t j = 0; j < pv->n_dirs; j++)
      if (strcmp(pv->files[k].path, pv->dirs[j].path) == 0)
        return pt_err_make(err, 0, "`%s` is both a file and a directory",
                           pv->files[k].path);
  assign_times(pv, json_object_get(m, "age_days"));

  json_t *env = json_object_get(m, "env");
  if (!json_is_object(env))
    return pt_err_make(err, 0, "\"env\" must be an object");
  const char *name;
  json_t *val;
  json_object_foreach(env, name, val) {
    char where[HONEY_NAME_MAX + 8];
    if (!name_ok(name))
      return pt_err_make(err, 0, "env `%s`: name must match [A-Z0-9_]+",
                         name);
    if (!json_is_string(val))
      return pt_err_make(err, 0, "env `%s`: value must be a string",
                         name);
    snprintf(where, sizeof(where), "env:%s", name);
    pt_buf b;
    pt_buf_init(&b, HONEY_TOKEN_MAX);
    pt_buf_printf(&b, "%s=", name);
    if (honey_render(vs, json_string_value(val), json_string_length(val),
                     HONEY_ESC_NONE, where, HONEY_NO_VAR, where, &b, err) < 0) {
      pt_buf_free(&b);
      return -1;
    }
    if (push_str(&out->env, &out->n_env, b.data) < 0)
      return pt_err_make(err, ENOMEM, "env");
  }

  static const char *const ident[] = {"USER", "HOSTNAME", "HOME", "EMAIL"};
  char **dst[] = {&out->user, &out->hostname, &out->home, &out->email};
  for (size_t k = 0; k < PT_ARRAY_LEN(ident); k++)
    for (size_t j = 0; j < vs->n; j++)
      if (strcmp(vs->v[j].name, ident[k]) == 0 &&
          (*dst[k] = strdup(vs->v[j].value)) == NULL)
        return pt_err_make(err, ENOMEM, "identity");
  if (export_tokens(vs, pv, out) < 0)
    return pt_err_make(err, ENOMEM, "tokens");
  return 0;
}

int pt_honey_generate(const char *profiles_dir, pt_honey *out, pt_err **err) {
  return pt_honey_generate_flags(profiles_dir, 0, out, err);
}

int pt_honey_generate_flags(const char *profiles_dir, unsigned flags,
                            pt_honey *out, pt_err **err) {
  memset(out, 0, sizeof(*out));
  char dir[4096];
  snprintf(dir, sizeof(dir), "%s/honeytokens", profiles_dir);
  cleanup_close int dirfd =
      open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return pt_err_make(err, errno, "open `%s`", dir);
  cleanup_free char *text = NULL;
  size_t len = 0;
  if (pt_read_file_at(dirfd, "manifest.json", HONEY_MANIFEST_MAX, &text, &len,
                      err) < 0)
    return pt_err_wrap(err, "honeytokens `%s`", dir);
  json_error_t je;
  json_t *m = pt_json_loadb_image(&pt_honey_manifest_image, text, len, &je);
  if (m == NULL)
    return pt_err_make(err, 0, "honeytokens `%s/manifest.json`:%d:%d: %s",
                       dir, je.line, je.column, je.text);
  clock_gettime(CLOCK_REALTIME, &out->made);
  out->priv = calloc(1, sizeof(*out->priv));
  honey_vars vs = {0};
  int rc = out->priv ? generate(m, dirfd, flags, out, &vs, err)
                     : pt_err_make(err, ENOMEM, "honeytokens");
  honey_vars_free(&vs);
  json_decref(m);
  if (rc < 0) {
    pt_honey_free(out);
    return pt_err_wrap(err, "honeytokens `%s/manifest.json`", dir);
  }
  return 0;
}

/* ---- write -------------------------------------------------------------- */

/* Open (creating if asked) the directory rel under base one component at a
 * time with O_NOFOLLOW: a symlink planted in HOME (by a sample of an
 * earlier phase) must never redirect our writes outside it. */
static int open_dir_at(int base, const char *rel, bool create, pt_err **err) {
  char buf[1024];
  snprintf(buf, sizeof(buf), "%s", rel);
  int fd = fcntl(base, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return pt_err_make(err, errno, "dup HOME fd");
  for (char *save = NULL, *c = strtok_r(buf, "/", &save); c;
       c = strtok_r(NULL, "/", &save)) {
    if (create && mkdirat(fd, c, 0700) < 0 && errno != EEXIST) {
      int e = errno;
      close(fd);
      return pt_err_make(err, e, "mkdir `%s`", rel);
    }
    int nfd = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(fd);
    if (nfd < 0)
      return pt_err_make(err, e, "open directory `%s`", rel);
    fd = nfd;
  }
  return fd;
}

/* The index of our directory whose path is the first len bytes of path,
 * or -1. */
static ssize_t dir_index(const struct pt_honey_priv *pv, const char *path,
                         size_t len) {
  for (size_t i = 0; i < pv->n_dirs; i++)
    if (strlen(pv->dirs[i].path) == len &&
        strncmp(pv->dirs[i].path, path, len) == 0)
      return (ssize_t)i;
  return -1;
}

/* The fd of that directory, if it is one of ours and open; else -1. */
static int dir_fd_of(const struct pt_honey_priv *pv, const int *fds,
                     const char *path, size_t len) {
  ssize_t i = dir_index(pv, path, len);
  return i >= 0 ? fds[i] : -1;
}

/* HOME's own time: that of its newest entry. */
static time_t honey_newest_time(const struct pt_honey_priv *pv) {
  time_t newest = 0;
  for (size_t i = 0; i < pv->n_dirs; i++)
    newest = pv->dirs[i].mtime > newest ? pv->dirs[i].mtime : newest;
  for (size_t i = 0; i < pv->n_files; i++)
    newest = pv->files[i].mtime > newest ? pv->files[i].mtime : newest;
  return newest;
}

static void close_fds(int *fds, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      close(fds[i]);
  free(fds);
}

/* The parent directory of path (relative to HOME): one of ours if open in
 * dfds (may be NULL), else opened here into *own. -1 on error. */
static int parent_fd(const struct pt_honey_priv *pv, const int *dfds,
                     int home_dirfd, const char *path, int *own,
                     pt_err **err) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return home_dirfd;
  size_t pl = (size_t)(slash - path);
  int dfd = dfds ? dir_fd_of(pv, dfds, path, pl) : -1;
  if (dfd >= 0)
    return dfd;
  cleanup_free char *parent = strndup(path, pl);
  if (parent == NULL)
    return pt_err_make(err, ENOMEM, "honey HOME");
  if ((*own = open_dir_at(home_dirfd, parent, false, err)) < 0)
    return pt_err_wrap(err, "honey HOME");
  return *own;
}

static int write_file(const struct pt_honey_priv *pv, const honey_file *f,
                      int home_dirfd, const int *dfds, mode_t umask_now,
                      pt_err **err) {
  cleanup_close int own = -1;
  int dfd = parent_fd(pv, dfds, home_dirfd, f->path, &own, err);
  if (dfd < 0)
    return -1;
  const char *slash = strrchr(f->path, '/');
  const char *base = slash ? slash + 1 : f->path;
  /* A new file has its exact mode already unless the umask took a bit of
   * it: then no fchmod (~30 of them in a fresh HOME, on the path of a
   * run's start). An existing one keeps its old mode through O_TRUNC. */
  const int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
  bool exact = (f->mode & umask_now) == 0;
  cleanup_close int fd = openat(dfd, base, flags | O_EXCL, f->mode);
  if (fd < 0 && errno == EEXIST) {
    exact = false;
    fd = openat(dfd, base, flags | O_TRUNC, f->mode);
  }
  if (fd < 0)
    return pt_err_make(err, errno, "honey HOME: create `%s`", f->path);
  cleanup_free unsigned char *db = NULL;
  const unsigned char *data = f->data;
  size_t len = f->len;
  if (f->sql && f->db) {
    data = f->db;
    len = f->db_len;
  } else if (f->sql) {
    if (honey_sqlite_render(f->data ? (const char *)f->data : "", f->path,
                            &db, &len, err) < 0)
      return pt_err_wrap(err, "honey HOME");
    data = db;
  }
  if (pt_write_all(fd, data, len) < 0)
    return pt_err_make(err, errno, "honey HOME: write `%s`", f->path);
  struct timespec ts[2] = {{.tv_sec = f->mtime}, {.tv_sec = f->mtime}};
  if ((!exact && fchmod(fd, f->mode) < 0) || futimens(fd, ts) < 0)
    return pt_err_make(err, errno, "honey HOME: chmod/utimens `%s`", f->path);
  return 0;
}

/* Directories stay open while the files are written (a run's start-up
 * waits for this: no path is walked twice). */
static int write_files(const struct pt_honey_priv *pv, int home_dirfd,
                       int *dfds, mode_t umask_now, pt_err **err) {
  for (size_t i = 0; i < pv->n_dirs; i++) {
    const char *path = pv->dirs[i].path, *slash = strrchr(path, '/');
    int parent = slash ? dir_fd_of(pv, dfds, path, (size_t)(slash - path))
                       : home_dirfd;
    /* Made with its exact mode when the umask leaves it whole (then no
     * fchmod), else 0700 and set below. */
    bool exact = false;
    if (parent >= 0) {
      const char *base = slash ? slash + 1 : path;
      mode_t mode = pv->dirs[i].mode;
      exact = (mode & umask_now) == 0;
      if (mkdirat(parent, base, exact ? mode : 0700) < 0) {
        if (errno != EEXIST)
          return pt_err_make(err, errno, "honey HOME: mkdir `%s`", path);
        exact = false;
      }
      dfds[i] = openat(parent, base,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (dfds[i] < 0)
        return pt_err_make(err, errno, "honey HOME: open directory `%s`",
                           path);
    } else if ((dfds[i] = open_dir_at(home_dirfd, path, true, err)) < 0) {
      return pt_err_wrap(err, "honey HOME");
    }
    /* Exact mode whatever the umask: ssh refuses a group-readable ~/.ssh,
     * and a stealer may check. */
    if (!exact && fchmod(dfds[i], pv->dirs[i].mode) < 0)
      return pt_err_make(err, errno, "honey HOME: chmod `%s`", path);
  }
  for (size_t i = 0; i < pv->n_files; i++)
    if (!pv->files[i].sql &&
        write_file(pv, &pv->files[i], home_dirfd, dfds, umask_now, err) < 0)
      return -1;
  /* Directory times last: creating entries above bumped them to now. */
  for (size_t i = 0; i < pv->n_dirs; i++) {
    struct timespec ts[2] = {{.tv_sec = pv->dirs[i].mtime},
                             {.tv_sec = pv->dirs[i].mtime}};
    if (futimens(dfds[i], ts) < 0)
      return pt_err_make(err, errno, "honey HOME: utimens `%s`",
                         pv->dirs[i].path);
  }
  return 0;
}

/* The directories and every file but the SQLite databases, written under
 * home_dirfd; then the directories' and HOME's times set back (the first
 * part of pt_honey_write_home). */
static int honey_write_files(const struct pt_honey_priv *pv, int home_dirfd,
                             mode_t umask_now, pt_err **err) {
  int *dfds = malloc((pv->n_dirs ? pv->n_dirs : 1) * sizeof(int));
  if (dfds == NULL)
    return pt_err_make(err, ENOMEM, "honey HOME");
  for (size_t i = 0; i < pv->n_dirs; i++)
    dfds[i] = -1;
  int rc = write_files(pv, home_dirfd, dfds, umask_now, err);
  close_fds(dfds, pv->n_dirs);
  if (rc < 0)
    return -1;
  /* HOME itself is the caller's (it may be an O_PATH fd, where this fails
   * harmlessly), but a HOME modified "just now" is a tell: best effort. */
  time_t newest = honey_newest_time(pv);
  struct timespec hts[2] = {{.tv_sec = newest}, {.tv_sec = newest}};
  (void)futimens(home_dirfd, hts);
  return 0;
}

int pt_honey_render_databases(pt_honey *h, pt_err **err) {
  struct pt_honey_priv *pv = h->priv;
  if (pv == NULL)
    return pt_err_make(err, 0, "honeytokens: nothing generated");
  int n = 0;
  for (size_t i = 0; i < pv->n_files; i++) {
    honey_file *f = &pv->files[i];
    if (!f->sql || f->db != NULL)
      continue;
    if (honey_sqlite_render(f->data ? (const char *)f->data : "", f->path,
                            &f->db, &f->db_len, err) < 0)
      return pt_err_wrap(err, "honey HOME");
    n++;
  }
  return n;
}

/* The SQLite databases, after the rest (their directories' times are set
 * again after them). */
static int write_home_databases(const pt_honey *h, int home_dirfd,
                                mode_t umask_now, pt_err **err) {
  const struct pt_honey_priv *pv = h->priv;
  if (pv == NULL)
    return pt_err_make(err, 0, "honeytokens: nothing generated");
  for (size_t i = 0; i < pv->n_files; i++) {
    const honey_file *f = &pv->files[i];
    if (!f->sql)
      continue;
    if (write_file(pv, f, home_dirfd, NULL, umask_now, err) < 0)
      return -1;
    /* The new entry bumped its directory's time: set it back (HOME's, as
     * honey_write_files does, best effort). */
    const char *slash = strrchr(f->path, '/');
    if (slash == NULL) {
      time_t newest = honey_newest_time(pv);
      struct timespec hts[2] = {{.tv_sec = newest}, {.tv_sec = newest}};
      (void)futimens(home_dirfd, hts);
      continue;
    }
    cleanup_close int own = -1;
    int dfd = parent_fd(pv, NULL, home_dirfd, f->path, &own, err);
    if (dfd < 0)
      return -1;
    ssize_t d = dir_index(pv, f->path, (size_t)(slash - f->path));
    time_t t = d >= 0 ? pv->dirs[d].mtime : 0;
    struct timespec ts[2] = {{.tv_sec = t}, {.tv_sec = t}};
    if (futimens(dfd, ts) < 0)
      return pt_err_make(err, errno, "honey HOME: utimens `%.*s`",
                         (int)(slash - f->path), f->path);
  }
  return 0;
}

int pt_honey_write_home(const pt_honey *h, int home_dirfd, mode_t umask_now,
                        pt_err **err) {
  if (h->priv == NULL)
    return pt_err_make(err, 0, "honeytokens: nothing generated");
  if (honey_write_files(h->priv, home_dirfd, umask_now, err) < 0)
    return -1;
  return write_home_databases(h, home_dirfd, umask_now, err);
}

/* ---- free, report ------------------------------------------------- */

void pt_honey_free(pt_honey *h) {
  free(h->user);
  free(h->hostname);
  free(h->home);
  free(h->email);
  for (size_t i = 0; i < h->n_tokens; i++) {
    free(h->tokens[i].id);
    free(h->tokens[i].value);
    free(h->tokens[i].where);
    for (size_t k = 0; k < h->tokens[i].n_locations; k++)
      free(h->tokens[i].locations[k]);
    free(h->tokens[i].locations);
  }
  free(h->tokens);
  for (size_t i = 0; i < h->n_env; i++)
    free(h->env[i]);
  free(h->env);
  for (size_t i = 0; i < h->n_files; i++)
    free(h->files[i]);
  free(h->files);
  if (h->priv != NULL) {
    for (size_t i = 0; i < h->priv->n_files; i++) {
      free(h->priv->files[i].path);
      free(h->priv->files[i].data);
      free(h->priv->files[i].db);
    }
    free(h->priv->files);
    for (size_t i = 0; i < h->priv->n_dirs; i++)
      free(h->priv->dirs[i].path);
    free(h->priv->dirs);
    free(h->priv);
  }
  memset(h, 0, sizeof(*h));
}

static json_t *str_array(char **s, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++)
    if (json_array_append_new(a, json_string(s[i])) < 0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

int pt_honey_to_json(const pt_honey *h, json_t **out) {
  json_t *toks = json_array();
  for (size_t i = 0; toks && i < h->n_tokens; i++) {
    const pt_honey_token *t = &h->tokens[i];
    json_t *o = json_pack("{s:s, s:s, s:s, s:o*}", "id", t->id, "value",
                          t->value, "where", t->where, "locations",
                          str_array(t->locations, t->n_locations));
    if (o == NULL || json_array_append_new(toks, o) < 0) {
      json_decref(toks);
      return -1;
    }
  }
  if (toks == NULL)
    return -1;
  *out = json_pack("{s:s?, s:s?, s:s?, s:s?, s:o, s:o*, s:o*}", "user",
                   h->user, "hostname", h->hostname, "home", h->home, "email",
                   h->email, "tokens", toks, "env", str_array(h->env, h->n_env),
                   "files", str_array(h->files, h->n_files));
  return *out ? 0 : -1;
}
