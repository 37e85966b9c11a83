/* Tests for runner/honey*.c: a generated HOME has every file of the
 * manifest with its exact mode and real format (AWS ini, JSON parsed with
 * jansson, the Chrome logins table queried with SQLite and decrypted,
 * OpenSSH key structure), values are fresh per generation and never the
 * documentation examples, each token sits exactly where the manifest puts
 * it (worked out here from the templates, independently of the library),
 * identities are never sandbox names, writing never follows a planted
 * symlink, and bad manifests fail with a message that names the problem. */
#define _GNU_SOURCE
#include "honey.h"
#include "honey_int.h"
#include "aes128.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "check.h"

static const char *profiles = PKGTRAP_PROFILES_DIR;

/* ---- helpers -------------------------------------------------------------- */

static bool matches(const char *re, const char *s) {
  regex_t r;
  if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
    abort();
  bool ok = regexec(&r, s, 0, NULL, 0) == 0;
  regfree(&r);
  return ok;
}

static const pt_honey_token *tok(const pt_honey *h, const char *id) {
  for (size_t i = 0; i < h->n_tokens; i++)
    if (strcmp(h->tokens[i].id, id) == 0)
      return &h->tokens[i];
  return NULL;
}
static const char *val(const pt_honey *h, const char *id) {
  const pt_honey_token *t = tok(h, id);
  return t ? t->value : "<missing>";
}

static char *slurp(int dirfd, const char *path, size_t *len) {
  char *s = NULL;
  pt_err *err = NULL;
  if (pt_read_file_at(dirfd, path, 4 << 20, &s, len, &err) < 0) {
    fprintf(stderr, "read %s: %s\n", path, err->msg);
    pt_err_free(err);
    return NULL;
  }
  return s;
}

static unsigned char *unbase64(const char *s, size_t *len) {
  size_t n = strlen(s);
  unsigned char *out = malloc(n + 4);
  int r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
  if (r < 0) {
    free(out);
    return NULL;
  }
  /* EVP_DecodeBlock counts padding as zero bytes. */
  while (n > 0 && s[n - 1] == '=') {
    n--;
    r--;
  }
  *len = (size_t)r;
  out[*len] = '\0';
  return out;
}

static char *unbase64url(const char *s, size_t n) {
  char *t = malloc(n + 4);
  size_t i;
  for (i = 0; i < n; i++)
    t[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
  while (i % 4)
    t[i++] = '=';
  t[i] = '\0';
  size_t len;
  char *out = (char *)unbase64(t, &len);
  free(t);
  return out;
}

static char *make_tmpdir(void) {
  char tmpl[] = "/tmp/test_honey.XXXXXX";
  char *d = mkdtemp(tmpl);
  if (d == NULL) {
    perror("mkdtemp");
    exit(2);
  }
  return strdup(d);
}

static void rmtree(const char *p) {
  pt_err *err = NULL;
  if (pt_rmtree(p, &err) < 0) {
    fprintf(stderr, "rmtree: %s\n", err->msg);
    pt_err_free(err);
  }
}

static json_t *load_manifest(void) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/honeytokens/manifest.json", profiles);
  json_error_t je;
  json_t *m = json_load_file(path, 0, &je);
  if (m == NULL) {
    fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
    exit(1);
  }
  return m;
}

/* With the workspace entries (and so the watched ones): every entry of
 * the manifest is checked. */
static int gen(pt_honey *h) {
  pt_err *err = NULL;
  if (pt_honey_generate_flags(profiles, PT_HONEY_WORKSPACE, h, &err) < 0) {
    fprintf(stderr, "generate: %s\n", err->msg);
    pt_err_free(err);
    return -1;
  }
  return 0;
}

static mode_t our_umask(void) {
  mode_t m = umask(0);
  umask(m);
  return m;
}

static int write_to(const pt_honey *h, const char *dir) {
  pt_err *err = NULL;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = pt_honey_write_home(h, fd, our_umask(), &err);
  if (rc < 0) {
    fprintf(stderr, "write_home: %s\n", err->msg);
    pt_err_free(err);
  }
  close(fd);
  return rc;
}

/* ---- identity --------------------------------------------------------------- */

static const char *const forbidden[] = {"root", "user", "sandbox", "test",
                                        "box",  "admin", "guest",  "nobody"};

/* honey_base64 (pt_base64, written by hand to keep libcrypto off the
 * start-up path): RFC 4648's vectors, and libcrypto's EVP_EncodeBlock on
 * random bytes of every length up to 70 (all three tails). */
/* aes128.c (the Chrome blobs' cipher, by hand): FIPS-197 appendix C.1,
 * then CBC with padding against libcrypto for every length 0..70 under
 * random keys and IVs. */
static void test_aes128(void) {
  uint8_t key[16], in[16], out[16];
  for (int i = 0; i < 16; i++) {
    key[i] = (uint8_t)i;
    in[i] = (uint8_t)(i * 0x11);
  }
  static const uint8_t want[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b,
                                   0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80,
                                   0x70, 0xb4, 0xc5, 0x5a};
  pt_aes128_block(key, in, out);
  CHECK(memcmp(out, want, 16) == 0, "AES-128 FIPS-197 C.1");
  for (size_t len = 0; len <= 70; len++) {
    uint8_t k[16], iv[16], plain[80], mine[96], ref[96];
    for (size_t i = 0; i < sizeof(plain); i++) {
      plain[i] = (uint8_t)honey_rand_below(256);
      if (i < 16) {
        k[i] = (uint8_t)honey_rand_below(256);
        iv[i] = (uint8_t)honey_rand_below(256);
      }
    }
    size_t n = pt_aes128_cbc_encrypt(k, iv, plain, len, mine);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n1 = 0, n2 = 0;
    CHECK(c && EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, k, iv) == 1 &&
              EVP_EncryptUpdate(c, ref, &n1, plain, (int)len) == 1 &&
              EVP_EncryptFinal_ex(c, ref + n1, &n2) == 1,
          "libcrypto AES-128-CBC");
    EVP_CIPHER_CTX_free(c);
    CHECK(n == (size_t)(n1 + n2) && memcmp(mine, ref, n) == 0,
          "AES-128-CBC of %zu bytes differs from libcrypto's", len);
  }
}

static void test_base64(void) {
  static const struct {
    const char *in, *std, *url;
  } v[] = {
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foob", "Zm9vYg==", "Zm9vYg"},
      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
      {"\xfb\xff\xfe", "+//+", "-__-"},
  };
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    char *s = honey_base64(v[i].in, strlen(v[i].in), false);
    char *u = honey_base64(v[i].in, strlen(v[i].in), true);
    CHECK(s && strcmp(s, v[i].std) == 0, "base64(%s): %s", v[i].in, s);
    CHECK(u && strcmp(u, v[i].url) == 0, "base64url(%s): %s", v[i].in, u);
    free(s);
    free(u);
  }
  unsigned char bytes[70], want[4 * 24 + 1];
  CHECK(pt_random(bytes, sizeof(bytes)) == 0, "random");
  for (size_t n = 0; n <= sizeof(bytes); n++) {
    int wl = EVP_EncodeBlock(want, bytes, (int)n);
    char *s = honey_base64(bytes, n, false);
    CHECK(s && strlen(s) == (size_t)wl && memcmp(s, want, (size_t)wl) == 0,
          "base64 of %zu bytes: %s, libcrypto %s", n, s, (char *)want);
    free(s);
  }
}

static void test_identity(void) {
  for (int i = 0; i < 200; i++) {
    pt_honey h;
    if (gen(&h) < 0) {
      failures++;
      return;
    }
    for (size_t k = 0; k < PT_ARRAY_LEN(forbidden); k++) {
      CHECK(strcmp(h.user, forbidden[k]) != 0, "user %s", h.user);
      CHECK(strcmp(h.hostname, forbidden[k]) != 0, "host %s", h.hostname);
    }
    CHECK(matches("^[a-z][a-z0-9._-]+$", h.user), "user `%s`", h.user);
    CHECK(matches("^[a-z0-9][a-z0-9-]*[a-z0-9]$", h.hostname), "host `%s`",
          h.hostname);
    CHECK(strstr(h.hostname, "sandbox") == NULL &&
              strstr(h.hostname, "vbox") == NULL && !strchr(h.hostname, '#'),
          "host `%s`", h.hostname);
    char home[128];
    snprintf(home, sizeof(home), "/home/%s", h.user);
    CHECK(strcmp(h.home, home) == 0, "home %s", h.home);
    CHECK(matches("^[a-z0-9._-]+@[a-z0-9.-]+\\.[a-z]+$", h.email), "email %s",
          h.email);
    pt_honey_free(&h);
  }
}

/* ---- token formats ------------------------------------------------------- */

static uint32_t crc32_ref(const char *s, size_t n) {
  /* Reference CRC-32, byte-table form (the library uses the bitwise one). */
  static uint32_t t[256];
  if (t[1] == 0)
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++)
    c = t[(c ^ (unsigned char)s[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void check_github_style(const char *v, const char *prefix) {
  char re[64];
  snprintf(re, sizeof(re), "^%s[A-Za-z0-9]{36}$", prefix);
  CHECK(matches(re, v), "`%s` not %s", v, re);
  if (strlen(v) != 40)
    return;
  static const char b62[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint64_t sum = 0;
  for (int i = 34; i < 40; i++)
    sum = sum * 62 + (uint64_t)(strchr(b62, v[i]) - b62);
  CHECK(sum == crc32_ref(v + 4, 30), "`%s`: checksum %llu, crc %u", v,
        (unsigned long long)sum, crc32_ref(v + 4, 30));
}

static void test_formats(const pt_honey *h) {
  CHECK(matches("^AKIA[A-Z2-7]{16}$", val(h, "AWS_ACCESS_KEY_ID")), "%s",
        val(h, "AWS_ACCESS_KEY_ID"));
  CHECK(matches("^AKIA[A-Z2-7]{16}$", val(h, "AWS_PROD_ACCESS_KEY_ID")), "%s",
        val(h, "AWS_PROD_ACCESS_KEY_ID"));
  CHECK(matches("^[A-Za-z0-9+/]{40}$", val(h, "AWS_SECRET_ACCESS_KEY")), "%s",
        val(h, "AWS_SECRET_ACCESS_KEY"));
  check_github_style(val(h, "GITHUB_TOKEN"), "ghp_");
  check_github_style(val(h, "GH_OAUTH_TOKEN"), "gho_");
  check_github_style(val(h, "NPM_TOKEN"), "npm_");
  CHECK(matches("^pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{100,}$",
                val(h, "PYPI_TOKEN")),
        "%s", val(h, "PYPI_TOKEN"));
  CHECK(matches("^dckr_pat_[A-Za-z0-9_-]{27}$", val(h, "DOCKER_PAT")), "%s",
        val(h, "DOCKER_PAT"));
  CHECK(matches("^xprv9s21ZrQH143K[1-9A-HJ-NP-Za-km-z]{95}$",
                val(h, "ELECTRUM_XPRV")),
        "%s", val(h, "ELECTRUM_XPRV"));
  CHECK(matches("^[a-z]+( [a-z]+){11}$", val(h, "ELECTRUM_SEED")), "%s",
        val(h, "ELECTRUM_SEED"));
  /* A Solana CLI keypair: 64 bytes as decimals (byte_list). */
  {
    const char *kp = val(h, "SOLANA_KEYPAIR");
    int nb = 0, bad = 0;
    for (const char *p = kp; p && *p;) {
      char *end;
      long b = strtol(p, &end, 10);
      bad += end == p || b < 0 || b > 255;
      nb++;
      p = *end == ',' ? end + 1 : end + (*end != '\0');
      if (end == p && *end != '\0')
        break;
    }
    CHECK(nb == 64 && bad == 0, "SOLANA_KEYPAIR: %d bytes, %d bad: %s", nb,
          bad, kp ? kp : "(none)");
  }
  /* Each seed word is a whole word of the list, as strtok_r splits it (the
   * generator splits by hand). */
  char wl[4096];
  snprintf(wl, sizeof(wl), "%s/honeytokens/wordlists/bip39-subset.txt",
           profiles);
  char *list = slurp(AT_FDCWD, wl, NULL);
  char *seed = strdup(val(h, "ELECTRUM_SEED"));
  CHECK(list && seed, "read %s", wl);
  for (char *s1 = NULL, *w = seed && list ? strtok_r(seed, " ", &s1) : NULL;
       w; w = strtok_r(NULL, " ", &s1)) {
    bool found = false;
    char *copy = strdup(list);
    for (char *s2 = NULL, *l = strtok_r(copy, " \t\r\n", &s2); l && !found;
         l = strtok_r(NULL, " \t\r\n", &s2))
      found = strcmp(l, w) == 0;
    free(copy);
    CHECK(found, "seed word `%s` is not a word of %s", w, wl);
  }
  free(seed);
  free(list);
  CHECK(strlen(val(h, "SSH_KEY")) >= 32 &&
            matches("^[A-Za-z0-9+/]+$", val(h, "SSH_KEY")),
        "%s", val(h, "SSH_KEY"));

  /* Docker auth = base64("login:pat") */
  size_t n;
  char *dec = (char *)unbase64(val(h, "DOCKER_AUTH"), &n);
  char want[256];
  snprintf(want, sizeof(want), "%s:%s", h->user, val(h, "DOCKER_PAT"));
  for (char *c = want; *c && *c != ':'; c++)
    if (*c == '.' || *c == '_')
      *c = '-';
  CHECK(dec && strcmp(dec, want) == 0, "docker auth decodes to `%s`, want `%s`",
        dec ? dec : "(bad base64)", want);
  free(dec);

  /* JWT: three base64url parts, a real header and claims. */
  const char *jwt = val(h, "KUBE_TOKEN");
  CHECK(matches("^eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{300,}$",
                jwt),
        "jwt %s", jwt);
  const char *d1 = strchr(jwt, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
  if (d1 && d2) {
    char *hdr = unbase64url(jwt, (size_t)(d1 - jwt));
    char *cl = unbase64url(d1 + 1, (size_t)(d2 - d1 - 1));
    json_t *hj = hdr ? json_loads(hdr, 0, NULL) : NULL;
    json_t *cj = cl ? json_loads(cl, 0, NULL) : NULL;
    CHECK(hj && strcmp(json_string_value(json_object_get(hj, "alg")) ?: "",
                       "RS256") == 0,
          "jwt header %s", hdr ? hdr : "?");
    const char *sub = json_string_value(json_object_get(cj, "sub"));
    CHECK(sub && strncmp(sub, "system:serviceaccount:default:", 30) == 0,
          "jwt claims %s", cl ? cl : "?");
    json_int_t iat = json_integer_value(json_object_get(cj, "iat"));
    json_int_t exp = json_integer_value(json_object_get(cj, "exp"));
    CHECK(iat > 0 && iat < time(NULL) && exp > time(NULL), "jwt times");
    json_decref(hj);
    json_decref(cj);
    free(hdr);
    free(cl);
  }

  /* Never the documentation examples, in any token. */
  for (size_t i = 0; i < h->n_tokens; i++) {
    CHECK(strstr(h->tokens[i].value, "EXAMPLE") == NULL, "%s = %s",
          h->tokens[i].id, h->tokens[i].value);
    CHECK(strcmp(h->tokens[i].value, "AKIAIOSFODNN7EXAMPLE") != 0, "example");
  }
}

/* ---- the written HOME --------------------------------------------------- */

/* An OpenSSH key pair: PEM armour, 70 columns, the openssh-key-v1
 * container, the public key is the one embedded in the private file, the
 * detectable value is a line of the private file and absent from the
 * public one, and both files have the same mtime (ssh-keygen wrote them
 * together). */
static void check_openssh_key(int home, const pt_honey *h, const char *file,
                              size_t min_len, const char *pub_prefix,
                              const char *tok_id, const char *comment) {
  size_t n;
  char *s = slurp(home, file, &n);
  const char *begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
  const char *endl = "-----END OPENSSH PRIVATE KEY-----\n";
  CHECK(s && strncmp(s, begin, strlen(begin)) == 0 && n > min_len &&
            strcmp(s + n - strlen(endl), endl) == 0,
        "%s armour", file);
  if (s == NULL || n <= min_len) {
    free(s);
    return;
  }
  CHECK(strstr(s, val(h, tok_id)) != NULL, "%s lacks its value", file);
  char *body = malloc(n);
  size_t bl = 0;
  bool cols = true;
  for (char *p = s + strlen(begin); p < s + n - strlen(endl);) {
    char *e = strchr(p, '\n');
    cols = cols && (e - p) <= 70;
    memcpy(body + bl, p, (size_t)(e - p));
    bl += (size_t)(e - p);
    p = e + 1;
  }
  body[bl] = '\0';
  CHECK(cols, "%s: lines over 70 columns", file);
  size_t kl;
  unsigned char *key = unbase64(body, &kl);
  CHECK(key && kl > min_len * 3 / 4 - 100 &&
            memcmp(key, "openssh-key-v1\0\0\0\0\4none", 23) == 0,
        "%s container", file);
  char pubfile[128];
  snprintf(pubfile, sizeof(pubfile), "%s.pub", file);
  char *pub = slurp(home, pubfile, &n);
  CHECK(pub && strncmp(pub, pub_prefix, strlen(pub_prefix)) == 0,
        "pub `%.60s`", pub ? pub : "(missing)");
  if (key && pub && strchr(pub, ' ')) {
    char b64[2048];
    sscanf(strchr(pub, ' ') + 1, "%2047s", b64);
    size_t pl;
    unsigned char *pb = unbase64(b64, &pl);
    /* after magic, "none", "none", "", nkeys: u32 len + public blob */
    size_t off = 15 + 8 + 8 + 4 + 4;
    uint32_t blen = (uint32_t)key[off] << 24 | (uint32_t)key[off + 1] << 16 |
                    (uint32_t)key[off + 2] << 8 | key[off + 3];
    CHECK(pb && blen == pl && memcmp(key + off + 4, pb, pl) == 0,
          "%s: public key does not match the private file", file);
    /* the detectable value is secret: absent from the public key */
    CHECK(strstr(pub, val(h, tok_id)) == NULL, "%s: value in pub", file);
    free(pb);
  }
  CHECK(pub && strstr(pub, comment), "%s: pub comment", file);
  struct stat ks, ps;
  CHECK(fstatat(home, file, &ks, 0) == 0 &&
            fstatat(home, pubfile, &ps, 0) == 0 && ks.st_mtime == ps.st_mtime,
        "%s and its .pub have different mtimes", file);
  free(pub);
  free(key);
  free(body);
  free(s);
}

static void check_mode(int dirfd, const char *path, mode_t want, bool dir) {
  struct stat st;
  if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
    CHECK(0, "`%s` missing: %s", path, strerror(errno));
    return;
  }
  CHECK(dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode), "`%s` type", path);
  CHECK((st.st_mode & 07777) == want, "`%s` mode %04o, want %04o", path,
        (unsigned)(st.st_mode & 07777), (unsigned)want);
  /* Lived-in: modified days ago, not at generation time. */
  CHECK(st.st_mtime < time(NULL) - 4 * 86400, "`%s` mtime too recent", path);
}

/* Where a manifest path landed: a path with {{...}} in it is named by the
 * run's values, so it is the one file of the library's list that fits its
 * pattern (every such file holds a token), and never the pattern itself. */
static const char *landed(const pt_honey *h, const char *mpath) {
  if (strstr(mpath, "{{") == NULL)
    return mpath;
  char glob[600];
  size_t o = 0;
  for (const char *p = mpath; *p && o + 2 < sizeof(glob);) {
    const char *close = strncmp(p, "{{", 2) == 0 ? strstr(p, "}}") : NULL;
    if (close) {
      glob[o++] = '*';
      p = close + 2;
    } else {
      glob[o++] = *p++;
    }
  }
  glob[o] = '\0';
  const char *found = NULL;
  int n = 0;
  for (size_t k = 0; k < h->n_files; k++)
    if (fnmatch(glob, h->files[k], FNM_PATHNAME) == 0) {
      found = h->files[k];
      n++;
    }
  CHECK(n == 1, "`%s`: %d files fit", mpath, n);
  CHECK(found == NULL || strstr(found, "{{") == NULL, "`%s` not expanded",
        mpath);
  return found ? found : mpath;
}

static void test_modes(int home, const pt_honey *h, json_t *m) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(m, "files"), i, e) {
    const char *p = landed(h, json_string_value(json_object_get(e, "path")));
    mode_t mode =
        (mode_t)strtoul(json_string_value(json_object_get(e, "mode")), NULL, 8);
    check_mode(home, p, mode, false);
  }
  json_array_foreach(json_object_get(m, "dirs"), i, e) {
    const char *p = json_string_value(json_object_get(e, "path"));
    mode_t mode =
        (mode_t)strtoul(json_string_value(json_object_get(e, "mode")), NULL, 8);
    check_mode(home, p, mode, true);
  }
}

/* A tiny INI reader: value of key in [section]. */
static char *ini_get(const char *text, const char *section, const char *key) {
  char sec[64] = "";
  const char *p = text;
  while (*p) {
    const char *e = strchrnul(p, '\n');
    char line[512];
    snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
    char k[128], v[400];
    if (sscanf(line, "[%63[^]]]", sec) == 1)
      ;
    else if (sscanf(line, " %127[^= ] = %399s", k, v) == 2 &&
             strcmp(sec, section) == 0 && strcmp(k, key) == 0)
      return strdup(v);
    p = *e ? e + 1 : e;
  }
  return NULL;
}

static void test_files(int home, const pt_honey *h) {
  size_t n;
  char *s = slurp(home, ".aws/credentials", &n);
  char *id = s ? ini_get(s, "default", "aws_access_key_id") : NULL;
  char *sec = s ? ini_get(s, "default", "aws_secret_access_key") : NULL;
  char *pid = s ? ini_get(s, "prod", "aws_access_key_id") : NULL;
  CHECK(id && strcmp(id, val(h, "AWS_ACCESS_KEY_ID")) == 0, "aws id %s", id);
  CHECK(sec && strcmp(sec, val(h, "AWS_SECRET_ACCESS_KEY")) == 0, "aws secret");
  CHECK(pid && strcmp(pid, val(h, "AWS_PROD_ACCESS_KEY_ID")) == 0, "aws prod");
  free(id);
  free(sec);
  free(pid);
  free(s);
  s = slurp(home, ".aws/config", &n);
  id = s ? ini_get(s, "default", "region") : NULL;
  CHECK(id && strcmp(id, "us-east-1") == 0, "aws config region");
  free(id);
  free(s);

  s = slurp(home, ".git-credentials", &n);
  CHECK(s && matches("^https://[a-z0-9-]+:ghp_[A-Za-z0-9]{36}@github.com\n$", s),
        "git-credentials `%s`", s);
  free(s);
  s = slurp(home, ".gitconfig", &n);
  CHECK(s && strstr(s, h->email) && strstr(s, "[user]"), "gitconfig");
  free(s);
  s = slurp(home, ".npmrc", &n);
  CHECK(s && matches("^//registry.npmjs.org/:_authToken=npm_[A-Za-z0-9]{36}\n",
                     s),
        "npmrc `%s`", s);
  free(s);
  s = slurp(home, ".pypirc", &n);
  id = s ? ini_get(s, "pypi", "username") : NULL;
  sec = s ? ini_get(s, "pypi", "password") : NULL;
  CHECK(id && strcmp(id, "__token__") == 0, "pypirc username");
  CHECK(sec && strcmp(sec, val(h, "PYPI_TOKEN")) == 0, "pypirc password");
  free(id);
  free(sec);
  free(s);

  /* JSON files parse, and hold the tokens where tools look. */
  s = slurp(home, ".docker/config.json", &n);
  json_t *j = s ? json_loads(s, 0, NULL) : NULL;
  const char *auth = json_string_value(json_object_get(
      json_object_get(json_object_get(j, "auths"),
                      "https://index.docker.io/v1/"),
      "auth"));
  CHECK(auth && strcmp(auth, val(h, "DOCKER_AUTH")) == 0, "docker config");
  json_decref(j);
  free(s);
  s = slurp(home, ".electrum/wallets/default_wallet", &n);
  j = s ? json_loads(s, 0, NULL) : NULL;
  json_t *ks = json_object_get(j, "keystore");
  CHECK(ks && strcmp(json_string_value(json_object_get(ks, "seed")) ?: "",
                     val(h, "ELECTRUM_SEED")) == 0,
        "electrum seed");
  CHECK(ks && strcmp(json_string_value(json_object_get(ks, "xprv")) ?: "",
                     val(h, "ELECTRUM_XPRV")) == 0,
        "electrum xprv");
  json_decref(j);
  free(s);

  s = slurp(home, ".kube/config", &n);
  char line[2048];
  snprintf(line, sizeof(line), "    token: %s\n", val(h, "KUBE_TOKEN"));
  CHECK(s && strstr(s, line) && strstr(s, "kind: Config"), "kube config");
  free(s);
  s = slurp(home, ".config/gh/hosts.yml", &n);
  snprintf(line, sizeof(line), "    oauth_token: %s\n", val(h, "GH_OAUTH_TOKEN"));
  CHECK(s && strncmp(s, "github.com:\n", 12) == 0 && strstr(s, line), "gh");
  free(s);

  snprintf(line, sizeof(line), "%s@%s\n", h->user, h->hostname);
  check_openssh_key(home, h, ".ssh/id_rsa", 2000,
                    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ", "SSH_KEY", line);
  /* The ed25519 key's comment is the e-mail address, as GitHub's guide
   * has it: only its form is checked. */
  check_openssh_key(home, h, ".ssh/id_ed25519", 380,
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", "SSH_ED25519_KEY",
                    "@");
  s = slurp(home, ".ssh/known_hosts", &n);
  CHECK(s && strncmp(s, "github.com ssh-ed25519 ", 23) == 0 &&
            matches("\n\\|1\\|[A-Za-z0-9+/]{27}=\\|[A-Za-z0-9+/]{27}= ssh-ed25519 ",
                    s),
        "known_hosts");
  free(s);

  /* Wallet blobs */
  s = slurp(home, ".config/Exodus/exodus.wallet/seed.seco", &n);
  CHECK(s && n >= 1200 && n <= 2600 && memcmp(s, "SECO", 4) == 0, "seco");
  free(s);
  s = slurp(home, ".bash_history", &n);
  CHECK(s && n > 200 && strstr(s, "git push"), "bash_history");
  free(s);
}

/* Chrome's logins table: three rows, passwords decrypt (v10, "peanuts")
 * to the browser tokens. */
static void test_chrome(int home, const pt_honey *h, char ***pw, size_t *npw) {
  char path[512];
  snprintf(path, sizeof(path), "/proc/self/fd/%d/.config/google-chrome/"
                               "Default/Login Data", home);
  sqlite3 *db = NULL;
  CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK,
        "open %s", path);
  sqlite3_stmt *st = NULL;
  CHECK(sqlite3_prepare_v2(db, "SELECT origin_url, username_value, "
                           "password_value, date_created FROM logins "
                           "ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK,
        "prepare: %s", sqlite3_errmsg(db));
  const char *want[] = {"BROWSER_PASSWORD_GITHUB", "BROWSER_PASSWORD_AWS",
                        "BROWSER_PASSWORD_NPM"};
  size_t rows = 0;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char *blob = sqlite3_column_blob(st, 2);
    int bl = sqlite3_column_bytes(st, 2);
    char *plain = NULL;
    CHECK(blob && honey_chrome_v10_decrypt(blob, (size_t)bl, &plain) == 0,
          "row %zu: password does not decrypt", rows);
    if (rows < 3 && plain)
      CHECK(strcmp(plain, val(h, want[rows])) == 0, "row %zu: `%s`", rows,
            plain);
    /* stored encrypted: the plain token is not in the file */
    CHECK(memmem(blob, (size_t)bl, val(h, want[rows < 3 ? rows : 0]), 20) == NULL,
          "plain password in DB");
    sqlite3_int64 created = sqlite3_column_int64(st, 3);
    sqlite3_int64 unix_s = created / 1000000 - 11644473600LL;
    CHECK(unix_s < time(NULL) && unix_s > time(NULL) - 3 * 365 * 86400,
          "date_created %lld", (long long)created);
    if (plain) {
      *pw = realloc(*pw, (*npw + 1) * sizeof(**pw));
      (*pw)[(*npw)++] = plain;
    }
    rows++;
  }
  CHECK(rows == 3, "%zu logins", rows);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* ---- every token exactly where the manifest says ------------------------ */

/* Token ids a template mentions, as "where" strings, computed from the
 * manifest and templates without the library. public parts hold no token;
 * a base64 token's "of" carries the tokens it was made from. */
static bool mentions(const char *text, const char *id, json_t *m, int depth) {
  char pat[128];
  snprintf(pat, sizeof(pat), "{{%s}}", id);
  if (strstr(text, pat))
    return true;
  snprintf(pat, sizeof(pat), "{{%s:private}}", id);
  if (strstr(text, pat))
    return true;
  if (depth > 4)
    return false;
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(m, "tokens"), i, t) {
    const char *of = json_string_value(json_object_get(t, "of"));
    const char *tid = json_string_value(json_object_get(t, "id"));
    snprintf(pat, sizeof(pat), "{{%s}}", tid);
    if (of && strstr(text, pat) && mentions(of, id, m, depth + 1))
      return true;
  }
  return false;
}

static bool in_locations(const pt_honey_token *t, const char *where) {
  for (size_t k = 0; k < t->n_locations; k++)
    if (strcmp(t->locations[k], where) == 0)
      return true;
  return false;
}

static void test_locations(int home, const pt_honey *h, json_t *m, char **pw,
                           size_t npw) {
  char tdir[4096];
  snprintf(tdir, sizeof(tdir), "%s/honeytokens", profiles);
  int tfd = open(tdir, O_RDONLY | O_DIRECTORY);
  for (size_t i = 0; i < h->n_tokens; i++) {
    const pt_honey_token *t = &h->tokens[i];
    size_t expected = 0;
    size_t fi;
    json_t *f;
    json_array_foreach(json_object_get(m, "files"), fi, f) {
      const char *path =
          landed(h, json_string_value(json_object_get(f, "path")));
      const char *tp = json_string_value(json_object_get(f, "template"));
      char where[600];
      snprintf(where, sizeof(where), "~/%s", path);
      size_t n;
      char *tmpl = tp ? slurp(tfd, tp, &n) : NULL;
      bool want = tmpl && mentions(tmpl, t->id, m, 0);
      free(tmpl);
      expected += want;
      CHECK(want == in_locations(t, where), "%s at %s: manifest %d, lib %d",
            t->id, where, want, !want);
      /* and the bytes agree */
      char *body = slurp(home, path, &n);
      bool literal = body && memmem(body, n, t->value, strlen(t->value));
      bool hidden = false; /* inside base64 or encrypted */
      if (want && !literal) {
        for (size_t k = 0; k < npw; k++)
          hidden |= strcmp(pw[k], t->value) == 0;
        hidden |= strcmp(t->id, "DOCKER_PAT") == 0;
      }
      CHECK(literal == want || (want && hidden), "%s in %s: bytes %d, want %d",
            t->id, path, literal, want);
      free(body);
    }
    /* A .env file plants its tokens in the variables it names too (a
     * project's tools load it into the environment). */
    char env_seen[64][128];
    size_t n_seen = 0;
    json_array_foreach(json_object_get(m, "files"), fi, f) {
      const char *p = json_string_value(json_object_get(f, "path"));
      const char *tp = json_string_value(json_object_get(f, "template"));
      const char *base = p ? strrchr(p, '/') : NULL;
      if (tp == NULL || strcmp(base ? base + 1 : p, ".env") != 0)
        continue;
      size_t n;
      char *tmpl = slurp(tfd, tp, &n);
      for (char *l = tmpl, *save = NULL; (l = strtok_r(l, "\n", &save));
           l = NULL) {
        char *eq = strchr(l, '=');
        if (eq == NULL || !mentions(eq + 1, t->id, m, 0) || n_seen == 64)
          continue;
        snprintf(env_seen[n_seen], sizeof(env_seen[0]), "env:%.*s",
                 (int)(eq - l), l);
        bool dup = false;
        for (size_t k = 0; k < n_seen; k++)
          dup |= strcmp(env_seen[k], env_seen[n_seen]) == 0;
        if (dup)
          continue;
        CHECK(in_locations(t, env_seen[n_seen]), "%s at %s (a .env line)",
              t->id, env_seen[n_seen]);
        n_seen++;
        expected++;
      }
      free(tmpl);
    }
    const char *name;
    json_t *v;
    json_object_foreach(json_object_get(m, "env"), name, v) {
      char where[128];
      snprintf(where, sizeof(where), "env:%s", name);
      bool want = mentions(json_string_value(v), t->id, m, 0);
      bool by_dotenv = false; /* counted above already */
      for (size_t k = 0; k < n_seen; k++)
        by_dotenv |= strcmp(env_seen[k], where) == 0;
      expected += want && !by_dotenv;
      CHECK((want || by_dotenv) == in_locations(t, where), "%s at %s", t->id,
            where);
      bool literal = false;
      for (size_t k = 0; k < h->n_env; k++)
        if (strncmp(h->env[k], name, strlen(name)) == 0 &&
            h->env[k][strlen(name)] == '=')
          literal = strstr(h->env[k], t->value) != NULL;
      CHECK(literal == want, "%s in env %s", t->id, name);
    }
    CHECK(expected == t->n_locations && expected > 0,
          "%s: %zu locations, manifest says %zu", t->id, t->n_locations,
          expected);
    CHECK(t->n_locations && strcmp(t->where, t->locations[0]) == 0, "where");
  }
  /* files[]: exactly those holding a token, plus bait */
  size_t fi;
  json_t *f;
  json_array_foreach(json_object_get(m, "files"), fi, f) {
    const char *path =
        landed(h, json_string_value(json_object_get(f, "path")));
    char where[600];
    snprintf(where, sizeof(where), "~/%s", path);
    bool holds = json_is_true(json_object_get(f, "bait"));
    for (size_t i = 0; i < h->n_tokens; i++)
      holds |= in_locations(&h->tokens[i], where);
    bool listed = false;
    for (size_t k = 0; k < h->n_files; k++)
      listed |= strcmp(h->files[k], path) == 0;
    CHECK(holds == listed, "files[] and `%s`: holds %d listed %d", path, holds,
          listed);
  }
  CHECK(tok(h, "SSH_KEY") && in_locations(tok(h, "SSH_KEY"), "~/.ssh/id_rsa") &&
            tok(h, "SSH_KEY")->n_locations == 1,
        "ssh key only in id_rsa");
  CHECK(tok(h, "SSH_ED25519_KEY") &&
            in_locations(tok(h, "SSH_ED25519_KEY"), "~/.ssh/id_ed25519") &&
            tok(h, "SSH_ED25519_KEY")->n_locations == 1,
        "ed25519 key only in id_ed25519");
  close(tfd);
}

/* ---- uniqueness, symlinks, json ----------------------------------------- */

static void test_fresh(const pt_honey *a) {
  pt_honey b;
  if (gen(&b) < 0) {
    failures++;
    return;
  }
  CHECK(a->n_tokens == b.n_tokens && a->n_tokens >= 15, "%zu tokens",
        a->n_tokens);
  for (size_t i = 0; i < a->n_tokens && i < b.n_tokens; i++)
    CHECK(strcmp(a->tokens[i].value, b.tokens[i].value) != 0,
          "%s repeated across generations", a->tokens[i].id);
  pt_honey_free(&b);
}

/* The tiers: without flags (an unwatched `pkgtrap run`) only the plain
 * entries; with PT_HONEY_WATCHED the "watched" ones too, never the
 * "workspace" ones. */
static void check_tier(json_t *m, unsigned flags) {
  pt_honey h;
  pt_err *err = NULL;
  if (pt_honey_generate_flags(profiles, flags, &h, &err) < 0) {
    CHECK(0, "generate: %s", err->msg);
    pt_err_free(err);
    return;
  }
  char *home = make_tmpdir();
  CHECK(write_to(&h, home) == 0, "write");
  int fd = open(home, O_RDONLY | O_DIRECTORY);
  size_t n[3] = {0, 0, 0}; /* plain, watched, workspace */
  const char *keys[] = {"files", "dirs"};
  for (size_t k = 0; k < 2; k++) {
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, keys[k]), i, e) {
      const char *p = json_string_value(json_object_get(e, "path"));
      if (strstr(p, "{{"))
        continue; /* named by a value of the run */
      int tier = json_is_true(json_object_get(e, "workspace"))  ? 2
                 : json_is_true(json_object_get(e, "watched")) ? 1
                                                                : 0;
      bool want = tier == 0 || (tier == 1 && (flags & PT_HONEY_WATCHED));
      n[tier]++;
      CHECK((faccessat(fd, p, F_OK, AT_SYMLINK_NOFOLLOW) == 0) == want,
            "flags %u: `%s` %s", flags, p, want ? "missing" : "made");
    }
  }
  CHECK(n[0] >= 14 && n[1] >= 20 && n[2] >= 4,
        "%zu plain, %zu watched, %zu workspace entries", n[0], n[1], n[2]);
  /* The issue's credential files are plain: every run has them. */
  const char *always[] = {".aws/credentials", ".git-credentials",
                          ".ssh/id_rsa", ".npmrc", ".pypirc",
                          ".docker/config.json", ".kube/config",
                          ".config/gh/hosts.yml"};
  for (size_t i = 0; i < PT_ARRAY_LEN(always); i++)
    CHECK(faccessat(fd, always[i], F_OK, 0) == 0, "flags %u: `%s` missing",
          flags, always[i]);
  close(fd);
  rmtree(home);
  free(home);
  pt_honey_free(&h);
}

static void test_tiers(json_t *m) {
  check_tier(m, 0);
  check_tier(m, PT_HONEY_WATCHED);
}

static void test_no_follow(const pt_honey *h) {
  char *home = make_tmpdir(), *elsewhere = make_tmpdir();
  char link[4200], probe[4200];
  snprintf(link, sizeof(link), "%s/.ssh", home);
  CHECK(symlink(elsewhere, link) == 0, "symlink");
  int fd = open(home, O_RDONLY | O_DIRECTORY);
  pt_err *err = NULL;
  CHECK(pt_honey_write_home(h, fd, our_umask(), &err) < 0,
        "write through a symlink");
  CHECK(err && strstr(err->msg, ".ssh"), "error names the path: %s",
        err ? err->msg : "");
  pt_err_free(err);
  close(fd);
  snprintf(probe, sizeof(probe), "%s/id_rsa", elsewhere);
  CHECK(access(probe, F_OK) < 0, "wrote outside HOME");
  rmtree(home);
  rmtree(elsewhere);
  free(home);
  free(elsewhere);
}

static void test_json(const pt_honey *h) {
  json_t *j = NULL;
  CHECK(pt_honey_to_json(h, &j) == 0, "to_json");
  json_t *toks = json_object_get(j, "tokens");
  CHECK(json_array_size(toks) == h->n_tokens, "json tokens");
  json_t *t0 = json_array_get(toks, 0);
  CHECK(json_is_string(json_object_get(t0, "id")) &&
            json_is_string(json_object_get(t0, "value")) &&
            json_is_string(json_object_get(t0, "where")) &&
            json_is_array(json_object_get(t0, "locations")),
        "json token fields");
  CHECK(strcmp(json_string_value(json_object_get(j, "user")) ?: "", h->user) ==
            0,
        "json user");
  CHECK(json_array_size(json_object_get(j, "files")) == h->n_files, "files");
  json_decref(j);
}

/* ---- bad manifests -------------------------------------------------------- */

static const char good_manifest[] =
    "{\"schema\": \"pkgtrap/honeytokens/v1\",\n"
    " \"identity\": {\"users\": [{\"login\": \"USERNAME\", \"name\": \"A B\"}],\n"
    "   \"hostnames\": [\"HOSTNAME\"], \"emails\": [\"{{USER}}@example.org\"],\n"
    "   \"repos\": [\"r\"]},\n"
    " \"tokens\": [TOKENS],\n"
    " \"files\": [{\"path\": \"FILEPATH\", \"template\": \"t\", \"mode\": "
    "\"MODE\"}],\n"
    " \"env\": {\"X\": \"{{ENVREF}}\"}}\n";

static const char *replace(char *buf, size_t cap, const char *in,
                           const char *key, const char *with) {
  const char *p = strstr(in, key);
  if (p == NULL) {
    snprintf(buf, cap, "%s", in);
    return buf;
  }
  snprintf(buf, cap, "%.*s%s%s", (int)(p - in), in, with, p + strlen(key));
  return buf;
}

static void test_bad_manifests(void) {
  static const struct {
    const char *what, *key, *with, *template, *expect;
  } cases[] = {
      {"valid", "", "", "k={{TOK}}\n", NULL},
      {"syntax", "\"env\"", "\"env\",", "", "manifest.json`:7:"},
      {"unknown format", "\"format\": \"random\"", "\"format\": \"magic\"", "",
       "unknown format `magic`"},
      {"unknown placeholder", "", "", "k={{NOPE}}\n", "unknown placeholder {{NOPE}}"},
      {"dotdot", "FILEPATH", "../escape", "", "\"path\" must be a relative"},
      {"absolute", "FILEPATH", "/etc/x", "", "\"path\" must be a relative"},
      {"forbidden user", "USERNAME", "root", "", "user `root` is forbidden"},
      {"forbidden host", "HOSTNAME", "sandbox-01", "",
       "hostname `sandbox-01` is forbidden"},
      {"a VM vendor inside a word", "HOSTNAME", "devbox-ws-01", "",
       "hostname `devbox-ws-01` is forbidden"},
      {"bad mode", "MODE", "4755", "", "\"mode\" must be an octal"},
      {"short token", "\"length\": 20", "\"length\": 9", "",
       "shorter than 16"},
      {"forward ref", "TOKENS",
       "{\"id\": \"A\", \"format\": \"base64\", \"of\": \"{{TOK}}\"}, "
       "{\"id\": \"TOK\", \"format\": \"random\", \"length\": 20}",
       "", "tokens may only use tokens listed before them"},
      {"bad env ref", "ENVREF", "MISSING", "", "env:X: unknown placeholder"},
      {"missing template", "\"template\": \"t\"", "\"template\": \"nope\"", "",
       "open `nope`"},
  };
  for (size_t i = 0; i < PT_ARRAY_LEN(cases); i++) {
    char a[4096], b[4096];
    const char *mj = good_manifest;
    mj = replace(a, sizeof(a), mj, "TOKENS",
                 strcmp(cases[i].key, "TOKENS") == 0
                     ? cases[i].with
                     : "{\"id\": \"TOK\", \"format\": \"random\", \"length\": 20}");
    if (cases[i].key[0] && strcmp(cases[i].key, "TOKENS") != 0)
      mj = replace(b, sizeof(b), mj, cases[i].key, cases[i].with);
    mj = replace(mj == a ? b : a, sizeof(a), mj, "USERNAME", "mallory");
    mj = replace(mj == a ? b : a, sizeof(a), mj, "HOSTNAME", "mal-laptop");
    mj = replace(mj == a ? b : a, sizeof(a), mj, "FILEPATH", ".cfg/k");
    mj = replace(mj == a ? b : a, sizeof(a), mj, "MODE", "0600");
    mj = replace(mj == a ? b : a, sizeof(a), mj, "ENVREF", "TOK");

    char *root = make_tmpdir(), path[4200];
    snprintf(path, sizeof(path), "%s/honeytokens", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/honeytokens/manifest.json", root);
    FILE *fp = fopen(path, "w");
    fputs(mj, fp);
    fclose(fp);
    snprintf(path, sizeof(path), "%s/honeytokens/t", root);
    fp = fopen(path, "w");
    fputs(cases[i].template[0] ? cases[i].template : "k={{TOK}}\n", fp);
    fclose(fp);

    pt_honey h;
    pt_err *err = NULL;
    int rc = pt_honey_generate(root, &h, &err);
    if (cases[i].expect == NULL) {
      CHECK(rc == 0, "%s: %s", cases[i].what, err ? err->msg : "");
      if (rc == 0) {
        CHECK(h.n_tokens == 1 && h.n_files == 1 &&
                  strcmp(h.files[0], ".cfg/k") == 0,
              "%s: tokens %zu files %zu", cases[i].what, h.n_tokens, h.n_files);
        pt_honey_free(&h);
      }
    } else {
      CHECK(rc < 0, "%s: accepted", cases[i].what);
      CHECK(err && strstr(err->msg, cases[i].expect), "%s: message `%s`, want `%s`",
            cases[i].what, err ? err->msg : "(none)", cases[i].expect);
      CHECK(h.tokens == NULL && h.priv == NULL && h.user == NULL,
            "%s: out not cleared", cases[i].what);
      if (err && getenv("VERBOSE"))
        fprintf(stderr, "  %s -> %s\n", cases[i].what, err->msg);
    }
    pt_err_free(err);
    rmtree(root);
    free(root);
  }
}

/* ---- main ------------------------------------------------------------------ */

int main(void) {
  json_t *m = load_manifest();
  pt_honey h;
  if (gen(&h) < 0)
    return 1;
  char *home = make_tmpdir();
  /* A umask that takes bits the HOME's modes need (group and other ones
   * of 0644 files, 0755 directories): test_modes proves they are put
   * back. Under the usual umask (the timed writes below) most entries
   * are made with their exact modes at once. */
  mode_t usual = umask(077);
  if (write_to(&h, home) < 0)
    return 1;
  umask(usual);
  int hfd = open(home, O_RDONLY | O_DIRECTORY);

  struct stat hst;
  CHECK(fstat(hfd, &hst) == 0 && hst.st_mtime < time(NULL) - 4 * 86400,
        "HOME itself modified just now");
  test_base64();
  test_aes128();
  test_identity();
  test_formats(&h);
  test_modes(hfd, &h, m);
  test_files(hfd, &h);
  char **pw = NULL;
  size_t npw = 0;
  test_chrome(hfd, &h, &pw, &npw);
  test_locations(hfd, &h, m, pw, npw);
  for (size_t i = 0; i < npw; i++)
    free(pw[i]);
  free(pw);
  test_fresh(&h);
  test_no_follow(&h);
  test_tiers(m);
  test_json(&h);
  /* Writing the same generation twice (each phase re-seeding HOME) works. */
  CHECK(write_to(&h, home) == 0, "rewrite");
  test_bad_manifests();

  /* Timing: one generation + one HOME write, as each run pays it. */
  enum { N = 20 };
  uint64_t best = UINT64_MAX, total = 0, gen_ns = 0;
  for (int i = 0; i < N; i++) {
    char *d = make_tmpdir();
    uint64_t t0 = pt_now_ns();
    pt_honey x;
    bool ok = gen(&x) == 0;
    uint64_t t1 = pt_now_ns();
    ok = ok && write_to(&x, d) == 0;
    uint64_t dt = pt_now_ns() - t0;
    CHECK(ok, "timed run %d", i);
    pt_honey_free(&x);
    rmtree(d);
    free(d);
    total += dt;
    gen_ns += t1 - t0;
    best = dt < best ? dt : best;
  }
  printf("honey: generate+write HOME: best %.2f ms, mean %.2f ms (generate "
         "%.2f, write %.2f; %zu tokens, %zu watched files)\n",
         best / 1e6, total / 1e6 / N, gen_ns / 1e6 / N,
         (total - gen_ns) / 1e6 / N, h.n_tokens, h.n_files);
  if (getenv("VERBOSE")) {
    printf("user=%s host=%s email=%s home=%s\n", h.user, h.hostname, h.email,
           home);
    for (size_t i = 0; i < h.n_tokens; i++)
      printf("  %-26s %-40.40s %s\n", h.tokens[i].id, h.tokens[i].value,
             h.tokens[i].where);
  }

  close(hfd);
  if (!getenv("KEEP"))
    rmtree(home);
  free(home);
  pt_honey_free(&h);
  json_decref(m);
  if (failures)
    fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
