/* Registry plumbing shared by the npm and PyPI clients: HTTP with
 * timeouts, retries and caps, verified downloads, sharding, times, and
 * the user's registry configuration (see registry.h). */
#define _GNU_SOURCE
#include "registry_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dl_crypto.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static const struct pt_registry_opts default_opts = {
    .connect_timeout_ms = 10000,
    .timeout_ms = 300000,
    .stall_ms = 30000,
    .retries = 3,
    .backoff_ms = 500,
    .max_doc_bytes = 64u << 20,
    .max_download_bytes = 512u << 20,
};

int pt_registry_new(enum pt_registry_eco eco, const char *base,
                    const struct pt_registry_opts *o, pt_registry **out,
                    pt_err **err) {
  if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
    return pt_err_make(err, EINVAL, "registry `%s`: not an http(s) URL", base);
  if (pt_dl_curl_load(err) < 0)
    return -1;
  pthread_once(&curl_once, curl_init_once);
  pt_registry *r = calloc(1, sizeof(*r));
  if (r == NULL || (r->base = strdup(base)) == NULL) {
    free(r);
    return pt_err_make(err, ENOMEM, "registry");
  }
  for (size_t l = strlen(r->base); l > 0 && r->base[l - 1] == '/'; l--)
    r->base[l - 1] = '\0';
  r->eco = eco;
  r->o = default_opts;
  if (o) {
#define TAKE(f)                                                                \
  if (o->f)                                                                    \
    r->o.f = o->f;
    TAKE(connect_timeout_ms) TAKE(timeout_ms) TAKE(stall_ms)
    TAKE(backoff_ms) TAKE(max_doc_bytes) TAKE(max_download_bytes)
#undef TAKE
    r->o.retries = o->retries;
  }
  if ((r->curl = curl_easy_init()) == NULL) {
    pt_registry_free(r);
    return pt_err_make(err, ENOMEM, "curl_easy_init");
  }
  *out = r;
  return 0;
}

void pt_registry_free(pt_registry *r) {
  if (r == NULL)
    return;
  if (r->curl)
    curl_easy_cleanup(r->curl);
  free(r->base);
  free(r);
}

const char *pt_registry_base(const pt_registry *r) { return r->base; }

/* ---- HTTP ----------------------------------------------------------------- */

struct sink {
  pt_buf *buf;   /* to memory, or */
  int fd;        /* to a file, hashing on the way */
  EVP_MD_CTX *md[3]; /* sha256, sha512, sha1 */
  uint64_t len, cap;
  bool over, io_error;
};

static size_t sink_write(char *p, size_t sz, size_t nm, void *ud) {
  struct sink *s = ud;
  size_t n = sz * nm;
  /* The cap is on what arrives (after decompression), so neither a huge
   * file nor a compression bomb gets further than cap. */
  if (s->len + n > s->cap) {
    s->over = true;
    return 0;
  }
  s->len += n;
  if (s->buf) {
    if (pt_buf_append(s->buf, p, n) != (ssize_t)n)
      return 0;
  } else {
    if (pt_write_all(s->fd, p, n) < 0) {
      s->io_error = true;
      return 0;
    }
    for (int i = 0; i < 3; i++)
      EVP_DigestUpdate(s->md[i], p, n);
  }
  return n;
}

static void sink_reset(struct sink *s) {
  s->len = 0;
  s->over = s->io_error = false;
  if (s->buf) {
    s->buf->len = 0;
    s->buf->dropped = 0;
  } else {
    if (ftruncate(s->fd, 0) < 0 || lseek(s->fd, 0, SEEK_SET) < 0)
      s->io_error = true;
    /* Not static: the functions are the libcrypto table's (dl_crypto.h). */
    const EVP_MD *(*const algo[3])(void) = {EVP_sha256, EVP_sha512, EVP_sha1};
    for (int i = 0; i < 3; i++)
      EVP_DigestInit_ex(s->md[i], algo[i](), NULL);
  }
}

static bool transient_curl(CURLcode c) {
  switch (c) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_SSL_CONNECT_ERROR:
    return true;
  default:
    return false;
  }
}

static void sleep_ms(uint64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* One request with retries. Transient failures (connection, timeout, 5xx,
 * 429) are retried after backoff_ms, doubled each time with jitter so
 * shards do not retry in step; 4xx and cap overflows are final. */
static int perform(pt_registry *r, const char *url, const char *accept,
                   struct sink *s, char **ctype, char **final_url,
                   pt_err **err) {
  CURL *c = r->curl;
  char errbuf[CURL_ERROR_SIZE];
  struct curl_slist *hdr = NULL;
  if (accept) {
    cleanup_free char *h = NULL;
    if (asprintf(&h, "Accept: %s", accept) < 0)
      return pt_err_make(err, ENOMEM, "GET %s", url);
    hdr = curl_slist_append(NULL, h);
  }
  int ret = -1;
  uint64_t delay = r->o.backoff_ms;
  for (unsigned attempt = 0;; attempt++) {
    curl_easy_reset(c);
    sink_reset(s);
    errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)r->o.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)r->o.timeout_ms);
    /* A server that trickles (or stops) is cut off long before the total
     * timeout. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                     (long)((r->o.stall_ms + 999) / 1000));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->cap);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "pkgtrap-sweep");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    bool retry = false;
    if (s->over || cc == CURLE_FILESIZE_EXCEEDED) {
      pt_err_make(err, EFBIG, "GET %s: larger than the cap of %llu bytes", url,
                  (unsigned long long)s->cap);
      break;
    }
    if (s->io_error) {
      pt_err_make(err, errno, "GET %s: write", url);
      break;
    }
    if (cc != CURLE_OK) {
      pt_err_make(err, 0, "GET %s: %s", url,
                  errbuf[0] ? errbuf : curl_easy_strerror(cc));
      retry = transient_curl(cc);
    } else if (status != 200) {
      pt_err_make(err, 0, "GET %s: HTTP %ld", url, status);
      retry = status >= 500 || status == 429 || status == 408;
    } else {
      if (ctype) {
        char *ct = NULL;
        curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
        *ctype = strdup(ct ? ct : "");
      }
      if (final_url) {
        char *eu = NULL;
        curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eu);
        *final_url = strdup(eu ? eu : url);
      }
      ret = 0;
      break;
    }
    if (!retry || attempt >= r->o.retries)
      break;
    pt_err_free(*err);
    *err = NULL;
    sleep_ms(delay + pt_random_u32() % (delay / 2 + 1));
    delay = delay * 2 > 60000 ? 60000 : delay * 2;
  }
  curl_slist_free_all(hdr);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
  return ret;
}

int pt_registry_get(pt_registry *r, const char *url, const char *accept,
                    pt_buf *out, char **ctype, char **final_url, pt_err **err) {
  pt_buf_init(out, r->o.max_doc_bytes);
  struct sink s = {.buf = out, .fd = -1, .cap = r->o.max_doc_bytes};
  if (perform(r, url, accept, &s, ctype, final_url, err) < 0) {
    pt_buf_free(out);
    return -1;
  }
  /* Documents are parsed as C strings. */
  if (pt_buf_append(out, "", 1) != 1) {
    pt_buf_free(out);
    return pt_err_make(err, ENOMEM, "GET %s", url);
  }
  out->len--;
  return 0;
}

char *pt_registry_resolve(const char *base, const char *rel, char **fragment) {
  char *res = NULL, *scheme = NULL;
  if (fragment)
    *fragment = NULL;
  /* Callers hold a registry, so libcurl is loaded; checked all the same,
   * the table is empty otherwise. */
  if (pt_dl_curl_load(NULL) < 0)
    return NULL;
  CURLU *u = curl_url();
  if (u == NULL)
    return NULL;
  if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
      curl_url_set(u, CURLUPART_URL, rel, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
    goto out;
  /* A page may link anywhere; the downloader only speaks http(s). */
  if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
    goto out;
  if (fragment) {
    char *f = NULL;
    if (curl_url_get(u, CURLUPART_FRAGMENT, &f, 0) == CURLUE_OK) {
      *fragment = strdup(f);
      curl_free(f);
    }
  }
  curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
  char *full = NULL;
  if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
    res = strdup(full);
    curl_free(full);
  }
out:
  curl_free(scheme);
  curl_url_cleanup(u);
  return res;
}

char *pt_registry_escape(const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  char *o = malloc(strlen(s) * 3 + 1), *p = o;
  if (o == NULL)
    return NULL;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        c == '@') {
      *p++ = (char)c;
    } else {
      *p++ = '%';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 15];
    }
  }
  *p = '\0';
  return o;
}

/* ---- downloads ------------------------------------------------------------ */

static void hexify(const unsigned char *md, unsigned len, char *out) {
  for (unsigned i = 0; i < len; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int pt_registry_download(pt_registry *r, const struct pt_registry_file *f,
                         const char *path, char sha256_out[65],
                         bool *unverified, pt_err **err) {
  if (pt_dl_crypto_load(err) < 0)
    return pt_err_wrap(err, "download `%s`", f->url);
  cleanup_close int fd =
      open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    return pt_err_make(err, errno, "create `%s`", path);
  struct sink s = {.fd = fd, .cap = r->o.max_download_bytes};
  int ret = -1;
  for (int i = 0; i < 3; i++)
    if ((s.md[i] = EVP_MD_CTX_new()) == NULL) {
      pt_err_make(err, ENOMEM, "download");
      goto out;
    }
  if (perform(r, f->url, NULL, &s, NULL, NULL, err) < 0)
    goto out;
  unsigned char d256[32], d512[64], d1[20];
  unsigned l;
  EVP_DigestFinal_ex(s.md[0], d256, &l);
  EVP_DigestFinal_ex(s.md[1], d512, &l);
  EVP_DigestFinal_ex(s.md[2], d1, &l);
  hexify(d256, 32, sha256_out);
  *unverified = true;
  if (f->sha512_b64) {
    char b64[PT_BASE64_LEN(64) + 1];
    pt_base64(d512, 64, false, b64);
    if (strcmp(b64, f->sha512_b64) != 0) {
      pt_err_make(err, 0, "%s: sha512 mismatch: registry says %s, got %s",
                  f->url, f->sha512_b64, b64);
      goto out;
    }
    *unverified = false;
  }
  if (f->sha256) {
    if (strcasecmp(f->sha256, sha256_out) != 0) {
      pt_err_make(err, 0, "%s: sha256 mismatch: registry says %s, got %s",
                  f->url, f->sha256, sha256_out);
      goto out;
    }
    *unverified = false;
  }
  if (f->sha1) {
    char hex1[41];
    hexify(d1, 20, hex1);
    if (strcasecmp(f->sha1, hex1) != 0) {
      pt_err_make(err, 0, "%s: sha1 mismatch: registry says %s, got %s",
                  f->url, f->sha1, hex1);
      goto out;
    }
    /* SHA-1 alone is collidable: it still counts as a check against
     * corruption, but only sha512/sha256 count as verification. */
  }
  ret = 0;
out:
  for (int i = 0; i < 3; i++)
    EVP_MD_CTX_free(s.md[i]);
  if (ret < 0)
    unlink(path);
  return ret;
}

/* ---- files ---------------------------------------------------------------- */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

int pt_registry_files_add(struct pt_registry_files *f,
                          const struct pt_registry_file *src) {
  if (f->n == f->alloc) {
    size_t a = f->alloc ? f->alloc * 2 : 16;
    struct pt_registry_file *v = realloc(f->v, a * sizeof(*v));
    if (v == NULL)
      return -1;
    f->v = v;
    f->alloc = a;
  }
  struct pt_registry_file *d = &f->v[f->n];
  memset(d, 0, sizeof(*d));
  d->name = dup_or_null(src->name);
  d->version = dup_or_null(src->version);
  d->filename = dup_or_null(src->filename);
  d->url = dup_or_null(src->url);
  d->sha256 = dup_or_null(src->sha256);
  d->sha512_b64 = dup_or_null(src->sha512_b64);
  d->sha1 = dup_or_null(src->sha1);
  d->published = src->published;
  f->n++;
  if (!d->name || !d->version || !d->filename || !d->url)
    return -1;
  return 0;
}

void pt_registry_files_free(struct pt_registry_files *f) {
  for (size_t i = 0; i < f->n; i++) {
    struct pt_registry_file *d = &f->v[i];
    free(d->name);
    free(d->version);
    free(d->filename);
    free(d->url);
    free(d->sha256);
    free(d->sha512_b64);
    free(d->sha1);
  }
  free(f->v);
  memset(f, 0, sizeof(*f));
}

void pt_registry_names_free(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* ---- sharding and times --------------------------------------------------- */

unsigned pt_registry_shard(enum pt_registry_eco eco, const char *name,
                           unsigned n) {
  cleanup_free char *canon = eco == PT_ECO_PYPI ? pt_registry_pep503(name)
                                                : strdup(name);
  const char *s = canon ? canon : name;
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ull;
  }
  return n ? (unsigned)(h % n) : 0;
}

bool pt_registry_parse_shard(const char *s, unsigned *k, unsigned *n) {
  char *end;
  errno = 0;
  unsigned long a = strtoul(s, &end, 10);
  if (errno || end == s || *end != '/' || s[0] == '-')
    return false;
  const char *t = end + 1;
  unsigned long b = strtoul(t, &end, 10);
  if (errno || end == t || *end != '\0' || t[0] == '-' || b == 0 ||
      b > 100000 || a >= b)
    return false;
  *k = (unsigned)a;
  *n = (unsigned)b;
  return true;
}

int64_t pt_registry_parse_time(const char *s) {
  if (s == NULL)
    return -1;
  if (s[0] == '@') {
    char *end;
    long long v = strtoll(s + 1, &end, 10);
    return end != s + 1 && *end == '\0' && v >= 0 ? v : -1;
  }
  struct tm tm = {0};
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) !=
          3 ||
      n != 10)
    return -1;
  const char *p = s + n;
  int off = 0;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    int m = 0;
    if (sscanf(p + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
               &m) != 3 ||
        m != 8)
      return -1;
    p += 1 + m;
    if (*p == '.')
      for (p++; isdigit((unsigned char)*p); p++)
        ;
    if (*p == 'Z' || *p == 'z') {
      p++;
    } else if (*p == '+' || *p == '-') {
      int hh, mm, k = 0;
      if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &k) != 2 || k != 5)
        return -1;
      off = (hh * 60 + mm) * 60 * (*p == '+' ? 1 : -1);
      p += 1 + k;
    }
  }
  if (*p != '\0')
    return -1;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm);
  return t == (time_t)-1 ? -1 : (int64_t)t - off;
}

/* ---- the user's configuration --------------------------------------------- */

/* Value of `key = value` (ini or npmrc style) in file; for ini files only
 * in [section] when section is not NULL. */
static char *config_value(const char *path, const char *section,
                          const char *key) {
  cleanup_free char *text = NULL;
  size_t len;
  pt_err *e = NULL;
  if (pt_read_file_at(AT_FDCWD, path, 1 << 20, &text, &len, &e) < 0) {
    pt_err_free(e);
    return NULL;
  }
  bool in_section = section == NULL;
  char *save = NULL, *res = NULL;
  for (char *line = strtok_r(text, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save)) {
    while (isspace((unsigned char)*line))
      line++;
    if (*line == '#' || *line == ';' || *line == '\0')
      continue;
    if (*line == '[') {
      char *end = strchr(line, ']');
      if (end && section) {
        *end = '\0';
        in_section = strcmp(line + 1, section) == 0;
      }
      continue;
    }
    if (!in_section)
      continue;
    char *eq = strchr(line, '=');
    if (eq == NULL)
      continue;
    char *k = line, *ke = eq;
    while (ke > k && isspace((unsigned char)ke[-1]))
      ke--;
    if ((size_t)(ke - k) != strlen(key) || strncmp(k, key, strlen(key)) != 0)
      continue;
    char *v = eq + 1;
    while (isspace((unsigned char)*v))
      v++;
    size_t vl = strlen(v);
    while (vl > 0 && isspace((unsigned char)v[vl - 1]))
      v[--vl] = '\0';
    free(res);
    res = strdup(v); /* the last one wins, as in npm and pip */
  }
  return res;
}

char *pt_registry_from_config(enum pt_registry_eco eco) {
  const char *home = getenv("HOME");
  char path[4096];
  if (eco == PT_ECO_NPM) {
    const char *e = getenv("npm_config_registry");
    if (e && *e)
      return strdup(e);
    if (home) {
      snprintf(path, sizeof(path), "%s/.npmrc", home);
      return config_value(path, NULL, "registry");
    }
    return NULL;
  }
  const char *e = getenv("PIP_INDEX_URL");
  if (e && *e)
    return strdup(e);
  const char *cands[4] = {getenv("PIP_CONFIG_FILE"), NULL, NULL,
                          "/etc/pip.conf"};
  char p1[4096], p2[4096];
  if (home) {
    snprintf(p1, sizeof(p1), "%s/.config/pip/pip.conf", home);
    snprintf(p2, sizeof(p2), "%s/.pip/pip.conf", home);
    cands[1] = p1;
    cands[2] = p2;
  }
  for (size_t i = 0; i < 4; i++) {
    if (cands[i] == NULL)
      continue;
    char *v = config_value(cands[i], "global", "index-url");
    if (v)
      return v;
  }
  return NULL;
}

/* ---- dispatch ------------------------------------------------------------- */

int pt_registry_files_of(pt_registry *r, const char *name,
                         struct pt_registry_files *out, pt_err **err) {
  memset(out, 0, sizeof(*out));
  int rc = r->eco == PT_ECO_NPM ? pt_registry_npm_files(r, name, out, err)
                                : pt_registry_pypi_files(r, name, out, err);
  if (rc < 0) {
    pt_registry_files_free(out);
    return pt_err_wrap(err, "%s `%s`", r->eco == PT_ECO_NPM ? "npm" : "pypi",
                       name);
  }
  return 0;
}

int pt_registry_list_all(pt_registry *r, char ***names, size_t *n,
                         pt_err **err) {
  *names = NULL;
  *n = 0;
  int rc = r->eco == PT_ECO_NPM ? pt_registry_npm_list(r, names, n, err)
                                : pt_registry_pypi_list(r, names, n, err);
  if (rc < 0) {
    pt_registry_names_free(*names, *n);
    *names = NULL;
    *n = 0;
    return pt_err_wrap(err, "list %s", r->base);
  }
  return 0;
}

int pt_registry_names_add(char ***names, size_t *n, const char *s) {
  /* Room for the new name and the terminating NULL, doubling. */
  if ((*n & (*n + 1)) == 0 || *names == NULL) {
    size_t cap = (*n + 1) * 2 + 2;
    char **p = realloc(*names, cap * sizeof(*p));
    if (p == NULL)
      return -1;
    *names = p;
  }
  if (((*names)[*n] = strdup(s)) == NULL)
    return -1;
  (*n)++;
  (*names)[*n] = NULL;
  return 0;
}
