/* Token generators: each manifest "format" turns fresh random bytes into a
 * string in the exact shape real credential stealers and secret scanners
 * grep for (and, where a format carries a checksum, one that passes it),
 * so a sample cannot tell our tokens from a developer's. */
#define _GNU_SOURCE
#include "honey_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "aes128.h"

#define ALPHA_UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define ALPHA_LOWER "abcdefghijklmnopqrstuvwxyz"
#define ALPHA_DIGIT "0123456789"

/* Named alphabets, so the manifest says "base32" rather than spelling
 * characters out (it may also give "chars" literally). */
static const struct {
  const char *name, *chars;
} alphabets[] = {
    {"alnum", ALPHA_DIGIT ALPHA_UPPER ALPHA_LOWER},
    {"lower_alnum", ALPHA_DIGIT ALPHA_LOWER},
    {"upper_alnum", ALPHA_DIGIT ALPHA_UPPER},
    {"base32", ALPHA_UPPER "234567"}, /* AWS key ids: [A-Z2-7] */
    {"base64", ALPHA_UPPER ALPHA_LOWER ALPHA_DIGIT "+/"},
    {"base64url", ALPHA_UPPER ALPHA_LOWER ALPHA_DIGIT "-_"},
    {"base58", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
    {"hex", "0123456789abcdef"},
    {"upper_hex", "0123456789ABCDEF"}, /* EKS endpoint ids */
    {"digits", ALPHA_DIGIT},
    /* human-looking passwords for the browser store */
    {"password", ALPHA_UPPER ALPHA_LOWER ALPHA_DIGIT "!#%*+-.=?@^_~"},
};

/* getrandom(2) is a system call per use here (no vDSO before glibc 2.41),
 * and the kernel's ChaCha costs ~5 us per KB on these VMs: a HOME draws a
 * few thousand values, so they come from a small pool, a byte at a time
 * where a byte is enough (a character of an alphabet of up to 256). */
static uint8_t rand_byte(void) {
  static __thread uint8_t pool[1024];
  static __thread size_t left;
  if (left == 0) {
    if (pt_random(pool, sizeof(pool)) < 0)
      return (uint8_t)pt_random_u32(); /* its own fallback */
    left = sizeof(pool);
  }
  uint8_t r = pool[--left];
  pool[left] = 0; /* do not leave used randomness behind */
  return r;
}

static uint32_t rand_u32(void) {
  uint32_t r = 0;
  for (int i = 0; i < 4; i++)
    r = r << 8 | rand_byte();
  return r;
}

uint32_t honey_rand_below(uint32_t n) {
  if (n <= 1)
    return 0;
  /* Rejection sampling: a plain modulo would favour the first characters
   * of every alphabet whose size does not divide the range drawn from. */
  if (n <= 256) {
    uint32_t limit = 256 - 256 % n;
    for (;;) {
      uint32_t r = rand_byte();
      if (r < limit)
        return r % n;
    }
  }
  uint32_t limit = UINT32_MAX - UINT32_MAX % n;
  for (;;) {
    uint32_t r = rand_u32();
    if (r < limit)
      return r % n;
  }
}

char *honey_rand_chars(const char *alphabet, size_t len) {
  size_t n = strlen(alphabet);
  char *s = malloc(len + 1);
  if (s == NULL || n == 0) {
    free(s);
    return NULL;
  }
  for (size_t i = 0; i < len; i++)
    s[i] = alphabet[honey_rand_below((uint32_t)n)];
  s[len] = '\0';
  return s;
}

char *honey_base64(const void *data, size_t len, bool url) {
  char *s = malloc(PT_BASE64_LEN(len) + 1);
  if (s != NULL)
    pt_base64(data, len, url, s);
  return s;
}

static const char *spec_str(json_t *spec, const char *key, const char *dflt) {
  const char *s = json_string_value(json_object_get(spec, key));
  return s ? s : dflt;
}

static long spec_int(json_t *spec, const char *key, long dflt) {
  json_t *v = json_object_get(spec, key);
  return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

static int bad_spec(const honey_var *v, pt_err **err, const char *what) {
  return pt_err_make(err, 0, "token `%s`: %s", v->name, what);
}

int honey_var_add_dep(honey_var *v, size_t dep) {
  for (size_t i = 0; i < v->n_deps; i++)
    if (v->deps[i] == dep)
      return 0;
  size_t *nd = realloc(v->deps, (v->n_deps + 1) * sizeof(*nd));
  if (nd == NULL)
    return -1;
  v->deps = nd;
  v->deps[v->n_deps++] = dep;
  return 0;
}

/* Render a template string from the spec with the token being generated
 * recorded as depending on every token it mentions. */
static char *render_str(honey_vars *vs, size_t idx, const char *tmpl,
                        pt_err **err) {
  pt_buf b;
  pt_buf_init(&b, HONEY_TOKEN_MAX);
  if (honey_render(vs, tmpl, strlen(tmpl), HONEY_ESC_NONE, NULL, idx,
                   vs->v[idx].name, &b, err) < 0) {
    pt_buf_free(&b);
    return NULL;
  }
  if (b.data == NULL)
    b.data = strdup("");
  return b.data;
}

static int gen_random(honey_vars *vs, size_t idx, json_t *spec, pt_err **err) {
  honey_var *v = &vs->v[idx];
  const char *chars = spec_str(spec, "chars", NULL);
  const char *aname = spec_str(spec, "alphabet", "alnum");
  if (chars == NULL) {
    for (size_t i = 0; i < PT_ARRAY_LEN(alphabets) && chars == NULL; i++)
      if (strcmp(alphabets[i].name, aname) == 0)
        chars = alphabets[i].chars;
    if (chars == NULL)
      return pt_err_make(err, 0, "token `%s`: unknown alphabet `%s`",
                         v->name, aname);
  }
  long length = spec_int(spec, "length", -1);
  /* Short parts only fill templates (a Discord token's 6-character
   * middle): a value to detect needs 16 characters in all (generate). */
  if (length < 4 || length > 1024 || chars[0] == '\0')
    return bad_spec(v, err, "\"length\" must be 4..1024");
  const char *prefix = spec_str(spec, "prefix", "");
  const char *suffix = spec_str(spec, "suffix", "");
  cleanup_free char *body = honey_rand_chars(chars, (size_t)length);
  if (body == NULL || asprintf(&v->value, "%s%s%s", prefix, body, suffix) < 0)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  return 0;
}

/* CRC-32 (IEEE, zlib's), bitwise: six bytes are checksummed per token, so
 * a table or a zlib dependency buys nothing. */
static uint32_t crc32_ieee(const char *s, size_t len) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < len; i++) {
    c ^= (unsigned char)s[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
  }
  return c ^ 0xffffffffu;
}

/* GitHub (ghp_, gho_, ...) and npm (npm_) tokens: 30 random base62
 * characters and a 6-character base62 CRC-32 of them. Scanners (GitHub's
 * own, trufflehog, credsweeper) check it, and so can a careful stealer. */
static int gen_checksummed(honey_vars *vs, size_t idx, json_t *spec,
                           pt_err **err) {
  honey_var *v = &vs->v[idx];
  static const char b62[] = ALPHA_DIGIT ALPHA_UPPER ALPHA_LOWER;
  const char *prefix = spec_str(spec, "prefix", NULL);
  if (prefix == NULL)
    return bad_spec(v, err, "format \"checksummed\" needs \"prefix\"");
  cleanup_free char *body = honey_rand_chars(b62, 30);
  if (body == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  uint32_t crc = crc32_ieee(body, 30);
  char sum[7];
  for (int i = 5; i >= 0; i--) {
    sum[i] = b62[crc % 62];
    crc /= 62;
  }
  sum[6] = '\0';
  if (asprintf(&v->value, "%s%s%s", prefix, body, sum) < 0)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  return 0;
}

/* base64 of another template, e.g. docker's auth = base64("user:token"). */
static int gen_base64(honey_vars *vs, size_t idx, json_t *spec,
                      pt_err **err) {
  const char *of = spec_str(spec, "of", NULL);
  if (of == NULL)
    return bad_spec(&vs->v[idx], err, "format \"base64\" needs \"of\"");
  cleanup_free char *plain = render_str(vs, idx, of, err);
  if (plain == NULL)
    return -1;
  vs->v[idx].value = honey_base64(plain, strlen(plain),
                                  json_is_true(json_object_get(spec, "url")));
  if (vs->v[idx].value == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", vs->v[idx].name);
  return 0;
}

static int gen_uuid(honey_vars *vs, size_t idx, pt_err **err) {
  unsigned char b[16];
  if (pt_random(b, sizeof(b)) < 0)
    return pt_err_make(err, errno, "getrandom");
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
  if (asprintf(&vs->v[idx].value,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
               "%02x%02x%02x%02x%02x%02x",
               b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
               b[10], b[11], b[12], b[13], b[14], b[15]) < 0)
    return pt_err_make(err, ENOMEM, "token `%s`", vs->v[idx].name);
  return 0;
}

/* Expand every string inside a (deep-copied) JSON value in place. */
static int expand_json(honey_vars *vs, size_t idx, json_t *j, pt_err **err) {
  if (json_is_string(j)) {
    cleanup_free char *s = render_str(vs, idx, json_string_value(j), err);
    if (s == NULL)
      return -1;
    return json_string_set(j, s) < 0
               ? pt_err_make(err, ENOMEM, "token `%s`", vs->v[idx].name)
               : 0;
  }
  if (json_is_array(j)) {
    size_t i;
    json_t *e;
    json_array_foreach(j, i, e) if (expand_json(vs, idx, e, err) < 0) return -1;
  } else if (json_is_object(j)) {
    const char *k;
    json_t *e;
    json_object_foreach(j, k, e) if (expand_json(vs, idx, e, err) < 0) return -1;
  }
  return 0;
}

static char *b64url_json(json_t *j) {
  cleanup_free char *s = json_dumps(j, JSON_COMPACT);
  return s ? honey_base64(s, strlen(s), true) : NULL;
}

/* A JWT-looking bearer token (kube service accounts, OIDC): real header and
 * claims, base64url, and a random signature of the right size (RS256 with
 * a 2048-bit key is 256 bytes). Nobody can verify it without the issuer's
 * key, so random is indistinguishable. */
static int gen_jwt(honey_vars *vs, size_t idx, json_t *spec, pt_err **err) {
  honey_var *v = &vs->v[idx];
  json_t *h0 = json_object_get(spec, "header");
  json_t *c0 = json_object_get(spec, "claims");
  if (!json_is_object(h0) || !json_is_object(c0))
    return bad_spec(v, err, "format \"jwt\" needs objects \"header\" and "
                            "\"claims\"");
  json_t *h = json_deep_copy(h0), *c = json_deep_copy(c0);
  int rc = -1;
  cleanup_free unsigned char *sig = NULL;
  cleanup_free char *hs = NULL, *cs = NULL, *ss = NULL;
  if (h == NULL || c == NULL) {
    pt_err_make(err, ENOMEM, "token `%s`", v->name);
    goto out;
  }
  if (expand_json(vs, idx, h, err) < 0 || expand_json(vs, idx, c, err) < 0)
    goto out;
  long days = spec_int(spec, "lifetime_days", 0);
  if (days > 0) {
    /* Issued some hours to weeks ago, like a token sitting in a config. */
    json_int_t iat = (json_int_t)time(NULL) - 3600 -
                     (json_int_t)honey_rand_below(21 * 86400);
    json_object_set_new(c, "iat", json_integer(iat));
    json_object_set_new(c, "nbf", json_integer(iat));
    json_object_set_new(c, "exp", json_integer(iat + (json_int_t)days * 86400));
  }
  long sbytes = spec_int(spec, "signature_bytes", 256);
  if (sbytes < 16 || sbytes > 1024) {
    bad_spec(v, err, "\"signature_bytes\" must be 16..1024");
    goto out;
  }
  sig = malloc((size_t)sbytes);
  if (sig == NULL || pt_random(sig, (size_t)sbytes) < 0) {
    pt_err_make(err, ENOMEM, "token `%s`", v->name);
    goto out;
  }
  hs = b64url_json(h);
  cs = b64url_json(c);
  ss = honey_base64(sig, (size_t)sbytes, true);
  if (hs == NULL || cs == NULL || ss == NULL ||
      asprintf(&v->value, "%s.%s.%s", hs, cs, ss) < 0) {
    pt_err_make(err, ENOMEM, "token `%s`", v->name);
    goto out;
  }
  rc = 0;
out:
  json_decref(h);
  json_decref(c);
  return rc;
}

static bool is_word_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A wallet seed phrase: count words from a word list file (BIP-39 style). */
static int gen_words(honey_vars *vs, size_t idx, json_t *spec, int dirfd,
                     pt_err **err) {
  honey_var *v = &vs->v[idx];
  const char *list = spec_str(spec, "wordlist", NULL);
  long count = spec_int(spec, "count", 12);
  if (list == NULL || count < 3 || count > 48)
    return bad_spec(v, err, "format \"words\" needs \"wordlist\" and "
                            "\"count\" 3..48");
  if (list[0] == '/' || strstr(list, "..") != NULL)
    return bad_spec(v, err, "\"wordlist\" must be inside the profile");
  cleanup_free char *text = NULL;
  if (pt_read_file_at(dirfd, list, HONEY_TEMPLATE_MAX, &text, NULL, err) < 0)
    return pt_err_wrap(err, "token `%s`", v->name);
  /* Split by hand: strtok_r's two calls per word (strspn, strcspn with a
   * delimiter set) cost ~47 us for the bundled list of 2,045 words, on
   * every run's start, against ~13 us for this loop. */
  char *words[4096];
  size_t n = 0;
  for (char *p = text; *p != '\0' && n < PT_ARRAY_LEN(words);) {
    while (is_word_space(*p))
      p++;
    if (*p == '\0')
      break;
    words[n++] = p;
    while (*p != '\0' && !is_word_space(*p))
      p++;
    if (*p != '\0')
      *p++ = '\0';
  }
  if (n < 64)
    return pt_err_make(err, 0, "token `%s`: word list `%s` has %zu words "
                       "(need at least 64 for the phrase to be unique)",
                       v->name, list, n);
  pt_buf b;
  pt_buf_init(&b, HONEY_TOKEN_MAX);
  for (long i = 0; i < count; i++)
    pt_buf_printf(&b, "%s%s", i ? " " : "", words[honey_rand_below((uint32_t)n)]);
  if (b.data == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  v->value = b.data;
  return 0;
}

/* SSH wire encoding into a pt_buf. */
static void put_u32(pt_buf *b, uint32_t x) {
  unsigned char c[4] = {(unsigned char)(x >> 24), (unsigned char)(x >> 16),
                        (unsigned char)(x >> 8), (unsigned char)x};
  pt_buf_append(b, c, 4);
}
static void put_str(pt_buf *b, const void *s, size_t len) {
  put_u32(b, (uint32_t)len);
  pt_buf_append(b, s, len);
}
/* A random positive mpint of nbytes with the top bit set (so it has the
 * full bit length and, like every real modulus, the leading zero byte). */
static void put_rand_mpint(pt_buf *b, size_t nbytes, bool odd) {
  unsigned char v[1024];
  pt_random(v, nbytes);
  v[0] |= 0x80;
  if (odd)
    v[nbytes - 1] |= 1;
  put_u32(b, (uint32_t)nbytes + 1);
  pt_buf_append(b, "", 1);
  pt_buf_append(b, v, nbytes);
}

/* The parts of an OpenSSH key: the PEM file ("private") of the finished
 * private blob, wrapped at 70 columns as ssh-keygen writes it, and the
 * `TYPE BASE64 COMMENT` line ("public"). The value to detect is the full
 * 70-column line of the PEM with the most base64 groups decoding from the
 * secret bytes [sec_start, sec_end) of the blob (the first such line): a
 * stealer sends the file, and the line is in no other file of the HOME
 * (the public key's base64 has another alignment). */
static int openssh_parts(honey_var *v, const char *type, pt_buf *pub,
                         pt_buf *blob, size_t sec_start, size_t sec_end,
                         const char *comment, pt_err **err) {
  cleanup_free char *pub64 = honey_base64(pub->data, pub->len, false);
  cleanup_free char *body64 = honey_base64(blob->data, blob->len, false);
  if (pub64 == NULL || body64 == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  size_t blen = strlen(body64);
  pt_buf pem;
  pt_buf_init(&pem, 16384);
  pt_buf_printf(&pem, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
  for (size_t o = 0; o < blen; o += 70) {
    pt_buf_append(&pem, body64 + o, blen - o < 70 ? blen - o : 70);
    pt_buf_append(&pem, "\n", 1);
  }
  pt_buf_printf(&pem, "-----END OPENSSH PRIVATE KEY-----\n");
  size_t best = 0, best_k = 0;
  for (size_t k = 0; (k + 1) * 70 <= blen; k++) {
    size_t first = (k * 70 / 4) * 3, last = ((k * 70 + 69) / 4) * 3 + 3;
    size_t lo = first > sec_start ? first : sec_start;
    size_t hi = last < sec_end ? last : sec_end;
    if (hi > lo && hi - lo > best) {
      best = hi - lo;
      best_k = k;
    }
  }
  /* At least 16 secret bytes (128 bits) make the line unique. */
  if (best >= 16)
    v->value = strndup(body64 + best_k * 70, 70);
  v->part_name[0] = strdup("private");
  v->part_text[0] = pem.data;
  v->part_name[1] = strdup("public");
  if (asprintf(&v->part_text[1], "%s %s %s", type, pub64, comment) < 0)
    v->part_text[1] = NULL;
  v->n_parts = 2;
  if (v->value == NULL || v->part_name[0] == NULL || v->part_text[0] == NULL ||
      v->part_name[1] == NULL || v->part_text[1] == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", v->name);
  return 0;
}

/* The openssh-key-v1 container up to the private section: magic,
 * cipher and KDF "none", one key, its public blob, a length patched by
 * openssh_finish, and the repeated check int. Returns where the private
 * section's length is. */
static size_t openssh_begin(pt_buf *blob, const pt_buf *pub) {
  pt_buf_append(blob, "openssh-key-v1", 15); /* includes the NUL */
  put_str(blob, "none", 4);
  put_str(blob, "none", 4);
  put_str(blob, "", 0);
  put_u32(blob, 1);
  put_str(blob, pub->data, pub->len);
  size_t len_off = blob->len;
  put_u32(blob, 0); /* patched by openssh_finish */
  uint32_t check = rand_u32();
  put_u32(blob, check);
  put_u32(blob, check);
  return len_off;
}

/* The comment, padding 1, 2, 3... to a multiple of 8, and the private
 * section's length. false: out of memory. */
static bool openssh_finish(pt_buf *blob, const pt_buf *pub, size_t len_off,
                           const char *comment) {
  size_t priv_start = len_off + 4;
  put_str(blob, comment, strlen(comment));
  for (unsigned char pad = 1; (blob->len - priv_start) % 8 != 0; pad++)
    pt_buf_append(blob, &pad, 1);
  if (blob->data == NULL || pub->data == NULL || blob->dropped || pub->dropped)
    return false;
  uint32_t plen = (uint32_t)(blob->len - priv_start);
  unsigned char *pl = (unsigned char *)blob->data + len_off;
  pl[0] = (unsigned char)(plen >> 24);
  pl[1] = (unsigned char)(plen >> 16);
  pl[2] = (unsigned char)(plen >> 8);
  pl[3] = (unsigned char)plen;
  return true;
}

/* An unencrypted OpenSSH RSA private key with the real container layout
 * (openssh-key-v1, cipher none, public blob, check ints, n e d iqmp p q,
 * comment, padding) filled with random numbers. Generating a real RSA key
 * costs 50-500 ms per run; nothing short of using the key can tell. The
 * public part ({{ID:public}}) is the same n, so it matches the private
 * file. The value to detect is a full 70-column line from inside d: secret,
 * and absent from the public key. */
static int gen_openssh_rsa(honey_vars *vs, size_t idx, json_t *spec,
                           pt_err **err) {
  honey_var *v = &vs->v[idx];
  long bits = spec_int(spec, "bits", 3072);
  if (bits != 2048 && bits != 3072 && bits != 4096)
    return bad_spec(v, err, "\"bits\" must be 2048, 3072 or 4096");
  size_t nb = (size_t)bits / 8;
  cleanup_free char *comment =
      render_str(vs, idx, spec_str(spec, "comment", ""), err);
  if (comment == NULL)
    return -1;

  pt_buf pub, blob;
  pt_buf_init(&pub, 4096);
  pt_buf_init(&blob, 16384);
  int rc = -1;
  put_str(&pub, "ssh-rsa", 7);
  put_str(&pub, "\x01\x00\x01", 3); /* e = 65537 */
  size_t n_off = pub.len;
  put_rand_mpint(&pub, nb, true);

  size_t len_off = openssh_begin(&blob, &pub);
  put_str(&blob, "ssh-rsa", 7);
  /* n again, copied from the public blob */
  pt_buf_append(&blob, pub.data + n_off, pub.len - n_off);
  put_str(&blob, "\x01\x00\x01", 3);
  size_t d_start = blob.len + 5; /* after length and leading zero */
  put_rand_mpint(&blob, nb, false);
  size_t d_end = blob.len;
  put_rand_mpint(&blob, nb / 2, false); /* iqmp */
  put_rand_mpint(&blob, nb / 2, true);  /* p */
  put_rand_mpint(&blob, nb / 2, true);  /* q */
  if (!openssh_finish(&blob, &pub, len_off, comment)) {
    pt_err_make(err, ENOMEM, "token `%s`", v->name);
    goto out;
  }
  rc = openssh_parts(v, "ssh-rsa", &pub, &blob, d_start, d_end, comment,
                     err);
out:
  pt_buf_free(&pub);
  pt_buf_free(&blob);
  return rc;
}

/* An unencrypted OpenSSH Ed25519 private key (ssh-keygen's default type
 * since OpenSSH 9.5, so a recent workstation's usual key) in the same
 * container as the RSA one: the public blob (type, 32-byte key), check
 * ints, type, key, the 64-byte secret (seed, then the public key again),
 * comment, padding. Random like the RSA key's numbers: deriving the
 * public key from the seed needs curve arithmetic, and nothing short of
 * using the key can tell. */
static int gen_openssh_ed25519(honey_vars *vs, size_t idx, json_t *spec,
                               pt_err **err) {
  honey_var *v = &vs->v[idx];
  cleanup_free char *comment =
      render_str(vs, idx, spec_str(spec, "comment", ""), err);
  if (comment == NULL)
    return -1;
  static const char type[] = "ssh-ed25519";
  unsigned char key[32], seed[32];
  pt_random(key, sizeof(key));
  pt_random(seed, sizeof(seed));

  pt_buf pub, blob;
  pt_buf_init(&pub, 128);
  pt_buf_init(&blob, 1024);
  put_str(&pub, type, sizeof(type) - 1);
  put_str(&pub, key, sizeof(key));

  size_t len_off = openssh_begin(&blob, &pub);
  put_str(&blob, type, sizeof(type) - 1);
  put_str(&blob, key, sizeof(key));
  put_u32(&blob, 64);
  size_t seed_start = blob.len;
  pt_buf_append(&blob, seed, sizeof(seed));
  pt_buf_append(&blob, key, sizeof(key));
  int rc = -1;
  if (!openssh_finish(&blob, &pub, len_off, comment)) {
    pt_err_make(err, ENOMEM, "token `%s`", v->name);
    goto out;
  }
  rc = openssh_parts(v, type, &pub, &blob, seed_start, seed_start + 32,
                     comment, err);
out:
  pt_buf_free(&pub);
  pt_buf_free(&blob);
  return rc;
}

/* A moment in the past as an integer: seconds since 1970 ("unix") or
 * microseconds since 1601 ("chrome", Chrome's and Windows' epoch), drawn
 * between ago_seconds[1] and ago_seconds[0] before now. So a template gets
 * its dates as placeholders rather than computing them (an SQLite
 * template's random() or 'now' would keep it from its build-time image:
 * honey_sqlite_image.h). */
static int gen_time(honey_vars *vs, size_t idx, json_t *spec, pt_err **err) {
  honey_var *v = &vs->v[idx];
  const char *epoch = spec_str(spec, "epoch", "unix");
  json_t *ago = json_object_get(spec, "ago_seconds");
  json_t *lo_j = json_array_get(ago, 0), *hi_j = json_array_get(ago, 1);
  long long lo = json_integer_value(lo_j), hi = json_integer_value(hi_j);
  bool chrome = strcmp(epoch, "chrome") == 0;
  if ((!chrome && strcmp(epoch, "unix") != 0) || json_array_size(ago) != 2 ||
      !json_is_integer(lo_j) || !json_is_integer(hi_j) || lo < 0 ||
      hi < lo || hi > 100LL * 366 * 86400)
    return bad_spec(v, err, "format \"time\" needs \"ago_seconds\": "
                            "[min, max] (0..100 years) and \"epoch\" "
                            "\"unix\" or \"chrome\"");
  long long t = (long long)time(NULL) - lo -
                (long long)honey_rand_below((uint32_t)(hi - lo + 1));
  int n = chrome ? asprintf(&v->value, "%lld",
                            (t + 11644473600LL) * 1000000LL +
                                honey_rand_below(1000000))
                 : asprintf(&v->value, "%lld", t);
  if (n < 0)
    v->value = NULL; /* the caller says ENOMEM */
  return 0;
}

/* count random bytes as decimals joined by commas: a Solana CLI keypair
 * file is that list of its 64 bytes in brackets. */
static int gen_byte_list(honey_vars *vs, size_t idx, json_t *spec,
                         pt_err **err) {
  honey_var *v = &vs->v[idx];
  long count = spec_int(spec, "count", 64);
  if (count < 8 || count > 128)
    return bad_spec(v, err, "format \"byte_list\" needs \"count\" 8..128");
  v->value = malloc((size_t)count * 4 + 1);
  if (v->value == NULL)
    return 0; /* the caller says ENOMEM */
  size_t k = 0;
  for (long i = 0; i < count; i++)
    k += (size_t)sprintf(v->value + k, i ? ",%u" : "%u",
                         (unsigned)honey_rand_below(256));
  return 0;
}

int honey_gen_token(honey_vars *vs, size_t idx, json_t *spec, int dirfd,
                    pt_err **err) {
  const char *fmt = spec_str(spec, "format", NULL);
  if (fmt == NULL)
    return bad_spec(&vs->v[idx], err, "missing \"format\"");
  int rc;
  if (strcmp(fmt, "random") == 0)
    rc = gen_random(vs, idx, spec, err);
  else if (strcmp(fmt, "checksummed") == 0)
    rc = gen_checksummed(vs, idx, spec, err);
  else if (strcmp(fmt, "base64") == 0)
    rc = gen_base64(vs, idx, spec, err);
  else if (strcmp(fmt, "uuid") == 0)
    rc = gen_uuid(vs, idx, err);
  else if (strcmp(fmt, "jwt") == 0)
    rc = gen_jwt(vs, idx, spec, err);
  else if (strcmp(fmt, "words") == 0)
    rc = gen_words(vs, idx, spec, dirfd, err);
  else if (strcmp(fmt, "openssh_rsa") == 0)
    rc = gen_openssh_rsa(vs, idx, spec, err);
  else if (strcmp(fmt, "openssh_ed25519") == 0)
    rc = gen_openssh_ed25519(vs, idx, spec, err);
  else if (strcmp(fmt, "time") == 0)
    rc = gen_time(vs, idx, spec, err);
  else if (strcmp(fmt, "byte_list") == 0)
    rc = gen_byte_list(vs, idx, spec, err);
  else
    return pt_err_make(err, 0,
                       "token `%s`: unknown format `%s` (random, checksummed, "
                       "base64, uuid, jwt, words, openssh_rsa, "
                       "openssh_ed25519, time, byte_list)",
                       vs->v[idx].name, fmt);
  if (rc == 0 && vs->v[idx].value == NULL)
    return pt_err_make(err, ENOMEM, "token `%s`", vs->v[idx].name);
  if (rc == 0 && vs->v[idx].detect && strlen(vs->v[idx].value) < 16)
    /* Short values would match by chance in payloads. */
    return bad_spec(&vs->v[idx], err, "value shorter than 16 characters; "
                                      "set \"detect\": false");
  return rc;
}

/* ---- Chrome password store -------------------------------------------- */

/* Encryption runs in every `pkgtrap run`, while its jail is being built:
 * by hand (aes128.h says why), with the key as a constant. Decryption
 * (tests, never on a run's path) is honey_chrome_decrypt.c's, on
 * libcrypto, with the key derived for real, so test_honey's round trip
 * checks both. */
static const unsigned char chrome_key_const[16] = {
    0xfd, 0x62, 0x1f, 0xe5, 0xa2, 0xb4, 0x02, 0x53,
    0x9d, 0xfa, 0x14, 0x7c, 0xa9, 0x27, 0x27, 0x78};

int honey_chrome_v10(const char *plain, size_t plen, unsigned char **out,
                     size_t *olen) {
  unsigned char iv[16];
  memset(iv, ' ', sizeof(iv));
  size_t clen = plen + (16 - plen % 16); /* PKCS#7: 1..16 bytes of pad */
  unsigned char *buf = malloc(3 + clen);
  if (buf == NULL)
    return -1;
  memcpy(buf, "v10", 3);
  *olen = 3 + pt_aes128_cbc_encrypt(chrome_key_const, iv,
                                    (const unsigned char *)plain, plen,
                                    buf + 3);
  *out = buf;
  return 0;
}

static void sql_chrome_v10(sqlite3_context *ctx, int argc, sqlite3_value **a) {
  (void)argc;
  const unsigned char *p = sqlite3_value_text(a[0]);
  unsigned char *enc;
  size_t len;
  if (p == NULL || honey_chrome_v10((const char *)p,
                                    (size_t)sqlite3_value_bytes(a[0]), &enc,
                                    &len) < 0) {
    sqlite3_result_error(ctx, "pt_chrome_v10 failed", -1);
    return;
  }
  sqlite3_result_blob(ctx, enc, (int)len, free);
}

int honey_sqlite_render(const char *sql, const char *ctx, unsigned char **data,
                        size_t *len, pt_err **err) {
  sqlite3 *db = NULL;
  char *msg = NULL;
  int rc = -1;
  if (sqlite3_open_v2(":memory:", &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK) {
    pt_err_make(err, ENOMEM, "%s: sqlite open: %s", ctx,
                db ? sqlite3_errmsg(db) : "out of memory");
    goto out;
  }
  if (sqlite3_create_function(db, "pt_chrome_v10", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                              sql_chrome_v10, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    pt_err_make(err, 0, "%s: sql: %s", ctx, msg ? msg : sqlite3_errmsg(db));
    goto out;
  }
  sqlite3_int64 size = 0;
  unsigned char *bytes = sqlite3_serialize(db, "main", &size, 0);
  if (bytes == NULL) {
    pt_err_make(err, ENOMEM, "%s: sqlite serialize", ctx);
    goto out;
  }
  /* sqlite3_serialize memory belongs to SQLite's allocator. */
  *data = malloc((size_t)size);
  if (*data == NULL) {
    sqlite3_free(bytes);
    pt_err_make(err, ENOMEM, "%s: sqlite serialize", ctx);
    goto out;
  }
  memcpy(*data, bytes, (size_t)size);
  sqlite3_free(bytes);
  *len = (size_t)size;
  rc = 0;
out:
  sqlite3_free(msg);
  sqlite3_close(db);
  return rc;
}
