/* Honeytoken matching over captured bytes (see tokscan.h for the idea).
 *
 * Cost model: a scan is one pass per view with a 4-byte prefix filter (a
 * 64 Ki-bit bitmap, then a bucket of candidate needles), so it is linear
 * in the input and nearly independent of the number of needles; 64 tokens
 * give ~1,000 needles. Views other than the input itself are only built
 * when the input contains the byte that makes them differ ('%', '\n').
 *
 * base64/base32/hex are a few lines each, written here rather than taken
 * from libcrypto: we need "encode at bit offset k, keep the interior",
 * which no library call does, and the fuzz targets stay dependency-free. */
#define _GNU_SOURCE
#include "tokscan.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum enc {
  E_RAW,
  E_REV,
  E_B64,
  E_B64URL,
  E_B32,
  E_B32HEX,
  E_HEX,
  E_URLENC,
  E_B58,
  E_XOR,
  E_COUNT,
};

static const char *const enc_name[E_COUNT] = {
    "raw", "reversed", "base64", "base64url", "base32", "base32hex", "hex", "urlenc",
    "base58", "xor",
};
/* Index by enc: names for matches inside DNS names. Only raw, hex and the
 * base32 family occur there. */
static const char *const dns_name[E_COUNT] = {
    "dns-raw", NULL, NULL, NULL, "dns-base32", "dns-base32hex", "dns-hex", NULL,
    NULL, NULL,
};
static const char *const dns_split_name[E_COUNT] = {
    "dns-split-raw", NULL, NULL, NULL, "dns-split-base32", "dns-split-base32hex",
    "dns-split-hex", NULL, NULL, NULL,
};

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567";    /* lowercased */
static const char B32HEX[] = "0123456789abcdefghijklmnopqrstuv"; /* lowercased */

#define BLOOM_BITS (1u << 16)
#define NBUCKETS (1u << 12)

typedef struct needle {
  uint8_t *bytes;
  size_t len;
  uint32_t first4; /* the first 4 bytes, as loaded by load32() */
  uint16_t tok;
  uint8_t enc;
  uint8_t period; /* xor needles: the key length k (see ensure_xor) */
} needle;

/* A set of needles searched over one kind of view. */
typedef struct nset {
  needle *v;
  size_t n, alloc;
  uint64_t bloom[BLOOM_BITS / 64];
  uint32_t start[NBUCKETS + 1]; /* bucket b is order[start[b]..start[b+1]) */
  uint32_t *order;
} nset;

/* CS: matched byte-exact against the input (raw, reversed, base64*).
 * CI: lowercase needles matched against a lowercased view (hex, base32*),
 *     plus the lowercased raw value, used only for DNS names. */
enum { SET_CS, SET_CI, NSETS };

struct pt_tok_scanner {
  size_t ntok;
  char *ids[PT_TOK_MAX_TOKENS];
  nset sets[NSETS];
  bool has_space; /* some value contains ' ': decode '+' as space too */
  /* The sets are indexed once, by the first scan after the last add:
   * re-indexing after each add cost a run ~0.2 ms of clearing tables. */
  atomic_bool indexed;
  pthread_mutex_t index_lock;
  /* Needles for repeating-key XOR (pt_tok_scan_xor), made from the raw
   * needles on the first such scan: most runs never make one. */
  nset xor_set;
  atomic_bool xor_ready;
  pt_tok_fill_fn fill; /* pt_tok_defer's, until run */
  void *fill_ctx;
  int fill_errno; /* its failure, for good */
};

static uint32_t load32(const uint8_t *p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

static uint32_t hash16(uint32_t w) { return (w * 0x9E3779B1u) >> 16; }

static uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c; }

pt_tok_scanner *pt_tok_new(void) {
  pt_tok_scanner *s = calloc(1, sizeof(pt_tok_scanner));
  if (s)
    pthread_mutex_init(&s->index_lock, NULL);
  return s;
}

void pt_tok_free(pt_tok_scanner *s) {
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->ntok; i++)
    free(s->ids[i]);
  for (int k = 0; k <= NSETS; k++) {
    nset *ns = k < NSETS ? &s->sets[k] : &s->xor_set;
    for (size_t i = 0; i < ns->n; i++)
      free(ns->v[i].bytes);
    free(ns->v);
    free(ns->order);
  }
  pthread_mutex_destroy(&s->index_lock);
  free(s);
}

static int ensure_indexed(const pt_tok_scanner *cs);

size_t pt_tok_count(const pt_tok_scanner *s) {
  (void)ensure_indexed(s); /* a deferred fill first */
  return s->ntok;
}

void pt_tok_defer(pt_tok_scanner *s, pt_tok_fill_fn fill, void *ctx) {
  pthread_mutex_lock(&s->index_lock);
  s->fill = fill;
  s->fill_ctx = ctx;
  atomic_store_explicit(&s->indexed, false, memory_order_release);
  pthread_mutex_unlock(&s->index_lock);
}

bool pt_tok_acceptable(const char *id, const char *value) {
  size_t n = value ? strlen(value) : 0;
  return id != NULL && strlen(id) <= PT_TOK_ID_MAX && n >= PT_TOK_MIN_VALUE &&
         n <= PT_TOK_MAX_VALUE;
}

/* Add a needle (takes ownership of bytes). Drops needles under the floor
 * and exact duplicates for the same token (base64 and base64url agree
 * when the value has no byte that encodes to '+' or '/'). */
static int nset_add(nset *ns, uint8_t *bytes, size_t len, uint16_t tok, uint8_t enc) {
  if (len < PT_TOK_MIN_NEEDLE) {
    free(bytes);
    return 0;
  }
  /* A token's needles are added together (pt_tok_add), so its duplicates
   * can only be among the last ones: look back to the previous token only,
   * not over every needle of the set (which made adding quadratic: half
   * of the ~0.15 ms the ~1,000 needles of a HOME's tokens took, on every
   * run's start). */
  for (size_t i = ns->n; i > 0 && ns->v[i - 1].tok == tok; i--)
    if (ns->v[i - 1].len == len && memcmp(ns->v[i - 1].bytes, bytes, len) == 0) {
      free(bytes);
      return 0;
    }
  if (ns->n == ns->alloc) {
    size_t na = ns->alloc ? ns->alloc * 2 : 64;
    needle *nv = realloc(ns->v, na * sizeof(*nv));
    if (nv == NULL) {
      free(bytes);
      return -1;
    }
    ns->v = nv;
    ns->alloc = na;
  }
  ns->v[ns->n++] = (needle){.bytes = bytes, .len = len, .first4 = load32(bytes), .tok = tok, .enc = enc};
  return 0;
}

/* Rebuild bitmap and buckets (counting sort by bucket): by the first scan
 * after an add (ensure_indexed). */
static int nset_index(nset *ns) {
  uint32_t *order = malloc((ns->n ? ns->n : 1) * sizeof(*order));
  if (order == NULL)
    return -1;
  memset(ns->bloom, 0, sizeof(ns->bloom));
  memset(ns->start, 0, sizeof(ns->start));
  for (size_t i = 0; i < ns->n; i++) {
    uint32_t h = hash16(ns->v[i].first4);
    ns->bloom[h / 64] |= 1ull << (h % 64);
    ns->start[(h >> 4) + 1]++;
  }
  for (size_t b = 0; b < NBUCKETS; b++)
    ns->start[b + 1] += ns->start[b];
  uint32_t fill[NBUCKETS];
  memcpy(fill, ns->start, sizeof(fill));
  for (size_t i = 0; i < ns->n; i++)
    order[fill[hash16(ns->v[i].first4) >> 4]++] = (uint32_t)i;
  free(ns->order);
  ns->order = order;
  return 0;
}

/* Encode v (n bytes) as if it started a bits after a block boundary of a
 * longer stream (a = 0..block-1 bytes of unknown data before it), keeping
 * only the characters whose bits all come from v. bits is 6 (base64) or 5
 * (base32). Returns a malloc'ed string and its length in *olen. */
static uint8_t *interior(const uint8_t *v, size_t n, unsigned a, unsigned bits,
                         const char *alpha, size_t *olen) {
  size_t start_bit = 8 * (size_t)a, end_bit = 8 * ((size_t)a + n);
  size_t k0 = (start_bit + bits - 1) / bits, k1 = end_bit / bits; /* [k0,k1) */
  *olen = 0;
  uint8_t *out = malloc(k1 > k0 ? k1 - k0 : 1);
  if (out == NULL)
    return NULL;
  unsigned mask = (1u << bits) - 1;
  for (size_t k = k0; k < k1; k++) {
    /* Character k's bits start at bit p of v and span at most two bytes
     * (bits <= 6); all of them are in v since k < k1. */
    size_t p = k * bits - start_bit, byte = p / 8;
    unsigned w = (unsigned)v[byte] << 8 | (byte + 1 < n ? v[byte + 1] : 0u);
    out[(*olen)++] = (uint8_t)alpha[(w >> (16 - p % 8 - bits)) & mask];
  }
  return out;
}

static uint8_t *dup_bytes(const void *p, size_t n) {
  uint8_t *d = malloc(n);
  if (d)
    memcpy(d, p, n);
  return d;
}

static int add_needles(pt_tok_scanner *s, const uint8_t *v, size_t n, uint16_t tok) {
  nset *cs = &s->sets[SET_CS], *ci = &s->sets[SET_CI];
  uint8_t *b;
  size_t bl;

  if ((b = dup_bytes(v, n)) == NULL || nset_add(cs, b, n, tok, E_RAW) < 0)
    return -1;
  if ((b = malloc(n)) == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    b[i] = v[n - 1 - i];
  if (nset_add(cs, b, n, tok, E_REV) < 0)
    return -1;
  for (unsigned a = 0; a < 3; a++) {
    if ((b = interior(v, n, a, 6, B64, &bl)) == NULL || nset_add(cs, b, bl, tok, E_B64) < 0)
      return -1;
    if ((b = interior(v, n, a, 6, B64URL, &bl)) == NULL || nset_add(cs, b, bl, tok, E_B64URL) < 0)
      return -1;
  }
  for (unsigned a = 0; a < 5; a++) {
    if ((b = interior(v, n, a, 5, B32, &bl)) == NULL || nset_add(ci, b, bl, tok, E_B32) < 0)
      return -1;
    if ((b = interior(v, n, a, 5, B32HEX, &bl)) == NULL || nset_add(ci, b, bl, tok, E_B32HEX) < 0)
      return -1;
  }
  static const char hx[] = "0123456789abcdef";
  if ((b = malloc(2 * n)) == NULL)
    return -1;
  for (size_t i = 0; i < n; i++) {
    b[2 * i] = (uint8_t)hx[v[i] >> 4];
    b[2 * i + 1] = (uint8_t)hx[v[i] & 15];
  }
  if (nset_add(ci, b, 2 * n, tok, E_HEX) < 0)
    return -1;
  if ((b = malloc(n)) == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    b[i] = lower(v[i]);
  if (nset_add(ci, b, n, tok, E_RAW) < 0)
    return -1;
  return 0;
}

/* Base58 (Bitcoin's alphabet) of the whole value: how Solana and Bitcoin
 * tools print a key. Not a block encoding (every output digit depends on
 * every input byte), so the needle is the encoding of the value alone:
 * found when the value was encoded by itself, as a key usually is.
 * Written here (schoolbook base conversion, ~n^2/2 byte steps for a
 * 64-byte key) because no library the project links has it. */
static uint8_t *base58(const uint8_t *v, size_t n, size_t *outlen) {
  static const char B58[] =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  size_t zeros = 0;
  while (zeros < n && v[zeros] == 0)
    zeros++;
  size_t cap = (n - zeros) * 138 / 100 + 1; /* log(256)/log(58) < 1.38 */
  uint8_t *digits = calloc(cap, 1), *out = malloc(zeros + cap);
  if (digits == NULL || out == NULL) {
    free(digits);
    free(out);
    return NULL;
  }
  size_t used = 0; /* digits[cap - used .. cap) hold the number so far */
  for (size_t i = zeros; i < n; i++) {
    unsigned carry = v[i];
    size_t k = 0;
    for (size_t j = cap; j-- > 0 && (carry || k < used); k++) {
      carry += 256u * digits[j];
      digits[j] = (uint8_t)(carry % 58);
      carry /= 58;
    }
    used = k;
  }
  size_t o = 0;
  for (size_t i = 0; i < zeros; i++)
    out[o++] = '1';
  for (size_t j = cap - used; j < cap; j++)
    out[o++] = (uint8_t)B58[digits[j]];
  free(digits);
  *outlen = o;
  return out;
}

static int add_token(pt_tok_scanner *s, const char *id, const uint8_t *v,
                     size_t n, bool binary) {
  if (s == NULL || id == NULL || strlen(id) > PT_TOK_ID_MAX ||
      n < PT_TOK_MIN_VALUE || n > PT_TOK_MAX_VALUE) {
    errno = EINVAL;
    return -1;
  }
  if (s->ntok >= PT_TOK_MAX_TOKENS) {
    errno = ENOSPC;
    return -1;
  }
  char *idc = strdup(id);
  if (idc == NULL)
    return -1;
  /* On a failure half-way, the needles already added stay (they only
   * refer to this token's index, which we then leave valid). */
  uint16_t tok = (uint16_t)s->ntok;
  s->ids[s->ntok++] = idc;
  if (!binary && memchr(v, ' ', n))
    s->has_space = true;
  atomic_store_explicit(&s->indexed, false, memory_order_release);
  atomic_store_explicit(&s->xor_ready, false, memory_order_release);
  if (add_needles(s, v, n, tok) < 0)
    goto nomem;
  if (binary) {
    size_t bl;
    uint8_t *b = base58(v, n, &bl);
    if (b == NULL || nset_add(&s->sets[SET_CS], b, bl, tok, E_B58) < 0)
      goto nomem;
  }
  return 0;
nomem:
  errno = ENOMEM;
  return -1;
}

int pt_tok_add(pt_tok_scanner *s, const char *id, const char *value) {
  return add_token(s, id, (const uint8_t *)value, value ? strlen(value) : 0,
                   false);
}

int pt_tok_add_bytes(pt_tok_scanner *s, const char *id, const uint8_t *v,
                     size_t n) {
  return add_token(s, id, v, v ? n : 0, true);
}

/* "12,0,255,...": at least PT_TOK_MIN_VALUE numbers 0..255, nothing else.
 * Returns how many, 0 when value is not such a list. */
static size_t parse_byte_list(const char *value, uint8_t *out, size_t max) {
  size_t n = 0;
  const char *p = value;
  for (;;) {
    if (*p < '0' || *p > '9' || n == max)
      return 0;
    unsigned x = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
      x = x * 10 + (unsigned)(*p++ - '0');
      digits++;
    }
    if (x > 255 || (*p >= '0' && *p <= '9'))
      return 0;
    out[n++] = (uint8_t)x;
    if (*p == '\0')
      break;
    if (*p++ != ',')
      return 0;
  }
  return n >= PT_TOK_MIN_VALUE ? n : 0;
}

static int hexval(uint8_t c);

/* A value made only of hex digits, even in number and at least 32 (a
 * private key, 16 bytes or more): the bytes it spells, else 0. */
static size_t parse_hex_key(const char *value, uint8_t *out, size_t max) {
  size_t vl = strlen(value);
  if (vl < 32 || vl % 2 || vl / 2 > max)
    return 0;
  for (size_t i = 0; i < vl; i += 2) {
    int hi = hexval((uint8_t)value[i]), lo = hexval((uint8_t)value[i + 1]);
    if (hi < 0 || lo < 0)
      return 0;
    out[i / 2] = (uint8_t)(hi << 4 | lo);
  }
  return vl / 2;
}

int pt_tok_add_derived(pt_tok_scanner *s, const char *id, const char *value) {
  uint8_t bytes[PT_TOK_MAX_VALUE];
  /* A hex key is sent as its bytes too: raw, base64'd, base58'd (what
   * Solana and Bitcoin code does with a secret key). */
  size_t hn = value ? parse_hex_key(value, bytes, sizeof(bytes)) : 0;
  if (hn)
    return pt_tok_add_bytes(s, id, bytes, hn) < 0 ? -1 : 0;
  size_t n = value ? parse_byte_list(value, bytes, sizeof(bytes)) : 0;
  if (n == 0)
    return 0;
  if (pt_tok_add_bytes(s, id, bytes, n) < 0)
    return -1;
  /* The list as Python prints it (json.dumps, str(list)): ", " between. */
  char spaced[PT_TOK_MAX_VALUE + 1];
  size_t o = 0;
  for (const char *p = value; *p && o + 2 < sizeof(spaced); p++) {
    spaced[o++] = *p;
    if (*p == ',')
      spaced[o++] = ' ';
  }
  spaced[o] = '\0';
  if (o + 2 >= sizeof(spaced) || strlen(value) + n - 1 != o)
    return 0; /* too long to be searched whole: the bytes will do */
  return pt_tok_add(s, id, spaced);
}

/* Run a deferred fill, then index the sets if a token was added since the
 * last scan. Scans may run in several threads at once (never alongside an
 * add): the first one fills and indexes, under the lock; the flag makes
 * the rest skip it. */
static int ensure_indexed(const pt_tok_scanner *cs) {
  pt_tok_scanner *s = (pt_tok_scanner *)cs; /* the index is a cache */
  if (atomic_load_explicit(&s->indexed, memory_order_acquire))
    return 0;
  int rc = 0, e = ENOMEM;
  pthread_mutex_lock(&s->index_lock);
  if (s->fill) {
    pt_tok_fill_fn fill = s->fill;
    s->fill = NULL;
    if (fill(s->fill_ctx, s) < 0)
      s->fill_errno = errno ? errno : ENOMEM;
  }
  if (s->fill_errno) {
    rc = -1;
    e = s->fill_errno;
  } else if (!atomic_load_explicit(&s->indexed, memory_order_relaxed)) {
    for (int k = 0; k < NSETS && rc == 0; k++)
      rc = nset_index(&s->sets[k]);
    if (rc == 0)
      atomic_store_explicit(&s->indexed, true, memory_order_release);
  }
  pthread_mutex_unlock(&s->index_lock);
  if (rc < 0)
    errno = e;
  return rc;
}

int pt_tok_index(pt_tok_scanner *s) { return ensure_indexed(s); }

/* XOR with a repeating key of k bytes cancels in b[i] ^ b[i + k]: the
 * data's "k-delta" holds the raw value's k-delta wherever the value was
 * XORed with any key of length k (k = 1..PT_TOK_XOR_MAX_KEY), so one
 * needle per k and token finds every key. Each needle keeps the value's
 * first k bytes after its delta (bytes[len..len + k)), to tell the key
 * and to leave the all-zero key (the plain value) to the raw needle. A
 * delta shorter than PT_TOK_XOR_MIN_NEEDLE is not searched (a k-delta of
 * random text is a little less random than the text: ~5 bits a byte for
 * a base62 value, so 12 bytes still leave ~2^-60 per position and key
 * length). */
static int xor_fill(pt_tok_scanner *s) {
  nset *xs = &s->xor_set;
  for (size_t i = 0; i < xs->n; i++)
    free(xs->v[i].bytes);
  xs->n = 0;
  const nset *cs = &s->sets[SET_CS];
  for (size_t i = 0; i < cs->n; i++) {
    const needle *r = &cs->v[i];
    if (r->enc != E_RAW)
      continue;
    for (size_t k = 1; k <= PT_TOK_XOR_MAX_KEY &&
                       r->len >= k + PT_TOK_XOR_MIN_NEEDLE; k++) {
      size_t dl = r->len - k;
      uint8_t *b = malloc(dl + k);
      if (b == NULL)
        return -1;
      for (size_t j = 0; j < dl; j++)
        b[j] = r->bytes[j] ^ r->bytes[j + k];
      /* A value repeating itself with period k has a flat delta, which
       * any run of repeating data (zero padding) would match. */
      uint8_t seen[256] = {0};
      unsigned distinct = 0;
      for (size_t j = 0; j < dl && distinct < 6; j++)
        distinct += seen[b[j]]++ == 0;
      if (distinct < 6) {
        free(b);
        continue;
      }
      memcpy(b + dl, r->bytes, k);
      size_t before = xs->n;
      if (nset_add(xs, b, dl, r->tok, E_XOR) < 0)
        return -1;
      if (xs->n > before)
        xs->v[xs->n - 1].period = (uint8_t)k;
    }
  }
  return nset_index(xs);
}

static int ensure_xor(const pt_tok_scanner *cs) {
  pt_tok_scanner *s = (pt_tok_scanner *)cs; /* a cache, as the index */
  if (ensure_indexed(cs) < 0)
    return -1;
  if (atomic_load_explicit(&s->xor_ready, memory_order_acquire))
    return 0;
  pthread_mutex_lock(&s->index_lock);
  int rc = 0;
  if (!atomic_load_explicit(&s->xor_ready, memory_order_relaxed)) {
    rc = xor_fill(s);
    if (rc == 0)
      atomic_store_explicit(&s->xor_ready, true, memory_order_release);
  }
  pthread_mutex_unlock(&s->index_lock);
  if (rc < 0)
    errno = ENOMEM;
  return rc;
}

/* ---- scanning ---- */

typedef struct collect {
  const pt_tok_scanner *s;
  pt_tok_match *out;
  size_t max, stored, total;
} collect;

static void emit(collect *c, uint16_t tok, const char *enc, size_t off, size_t len) {
  if (c->stored < c->max)
    c->out[c->stored++] = (pt_tok_match){.id = c->s->ids[tok], .encoding = enc, .offset = off, .length = len};
  c->total++;
}

enum mode {
  M_INPUT, /* SET_CS over the input itself */
  M_FOLD,  /* SET_CI over the lowercased input */
  M_PCT,   /* SET_CS over the percent-decoded input */
  M_NL,    /* SET_CS over the input without CR/LF (wrapped base64) */
  M_DNS,   /* SET_CI over the lowercased name without dots */
  M_XOR,   /* xor_set over the input's k-delta (view.period = k) */
};

/* A view derived from the input: bytes plus, for each, the offset of the
 * input byte it came from, so matches are reported in input offsets. */
typedef struct view {
  const uint8_t *p;
  size_t len;
  const uint8_t *src; /* the input */
  const uint32_t *map; /* NULL: view offset == input offset */
  uint8_t period;      /* M_XOR: k; needles of another k are skipped */
} view;

static int hexval(uint8_t c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Input bytes covered by view bytes [j0, j1]. */
static size_t span(const view *v, enum mode m, size_t j0, size_t j1, size_t *start) {
  if (v->map == NULL) {
    *start = j0;
    return j1 - j0 + 1;
  }
  size_t o0 = v->map[j0], o1 = v->map[j1];
  size_t w = 1;
  if (m == M_PCT && v->src[o1] == '%')
    w = 3; /* the last byte was an escape */
  *start = o0;
  return o1 + w - o0;
}

static void found(collect *c, const view *v, enum mode m, const needle *nd, size_t j) {
  size_t start, len = span(v, m, j, j + nd->len - 1, &start);
  switch (m) {
  case M_INPUT:
    emit(c, nd->tok, enc_name[nd->enc], start, len);
    break;
  case M_FOLD:
    if (nd->enc != E_RAW) /* lowercased raw is for DNS names only */
      emit(c, nd->tok, enc_name[nd->enc], start, len);
    break;
  case M_PCT:
    /* Only report when an escape ('%XX', or '+' for space) is inside the
     * match; otherwise the plain view already found it. */
    if (len == nd->len && memcmp(v->src + start, nd->bytes, len) == 0)
      break;
    if (nd->enc == E_RAW)
      emit(c, nd->tok, enc_name[E_URLENC], start, len);
    else if (nd->enc == E_B64 || nd->enc == E_B64URL)
      emit(c, nd->tok, enc_name[nd->enc], start, len);
    break;
  case M_NL:
    if (len != nd->len && (nd->enc == E_B64 || nd->enc == E_B64URL))
      emit(c, nd->tok, enc_name[nd->enc], start, len);
    break;
  case M_DNS:
    emit(c, nd->tok, len == nd->len ? dns_name[nd->enc] : dns_split_name[nd->enc], start, len);
    break;
  case M_XOR: {
    /* The key: the data's first k bytes there XOR the value's. All zero
     * is the plain value, which the raw needle reports. */
    const uint8_t *head = nd->bytes + nd->len;
    bool zero = true;
    for (size_t i = 0; i < v->period && zero; i++)
      zero = (v->src[start + i] ^ head[i]) == 0;
    if (!zero)
      emit(c, nd->tok, enc_name[E_XOR], start, len + v->period);
    break;
  }
  }
}

static void scan_view(collect *c, const nset *ns, const view *v, enum mode m) {
  if (ns->n == 0 || v->len < PT_TOK_MIN_NEEDLE)
    return;
  for (size_t i = 0; i + PT_TOK_MIN_NEEDLE <= v->len; i++) {
    uint32_t w = load32(v->p + i);
    uint32_t h = hash16(w);
    if (!(ns->bloom[h / 64] >> (h % 64) & 1))
      continue;
    for (uint32_t k = ns->start[h >> 4]; k < ns->start[(h >> 4) + 1]; k++) {
      const needle *nd = &ns->v[ns->order[k]];
      if (nd->first4 != w || nd->len > v->len - i || nd->period != v->period)
        continue;
      if (memcmp(v->p + i + 4, nd->bytes + 4, nd->len - 4) == 0)
        found(c, v, m, nd, i);
    }
  }
}

static int cmp_match(const void *a, const void *b) {
  const pt_tok_match *x = a, *y = b;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  int r = strcmp(x->id, y->id);
  return r ? r : strcmp(x->encoding, y->encoding);
}

/* Sort, and drop repeats of the same (offset, id, encoding): a value can
 * meet two of its own needles at one place (e.g. base64 at two
 * alignments of a repetitive value). */
static void finish(collect *c, size_t *n) {
  if (c->stored > 1)
    qsort(c->out, c->stored, sizeof(*c->out), cmp_match);
  size_t w = 0;
  for (size_t r = 0; r < c->stored; r++) {
    if (w > 0 && cmp_match(&c->out[w - 1], &c->out[r]) == 0) {
      c->total--;
      continue;
    }
    c->out[w++] = c->out[r];
  }
  c->stored = w;
  if (n)
    *n = w;
}

int pt_tok_scan(const pt_tok_scanner *s, const void *buf, size_t len, pt_tok_match *out,
                size_t max, size_t *n) {
  const uint8_t *b = buf;
  collect c = {.s = s, .out = out, .max = out ? max : 0};
  if (n)
    *n = 0;
  if (s == NULL || b == NULL || len < PT_TOK_MIN_NEEDLE)
    return 0;
  if (ensure_indexed(s) < 0)
    return -1;
  if (s->ntok == 0)
    return 0;
  /* Derived views carry 32-bit offsets; captures are capped far below. */
  if (len > UINT32_MAX) {
    errno = EINVAL;
    return -1;
  }
  view in = {.p = b, .len = len, .src = b};
  scan_view(&c, &s->sets[SET_CS], &in, M_INPUT);

  uint8_t *tmp = malloc(len);
  uint32_t *map = NULL;
  if (tmp == NULL)
    goto nomem;
  for (size_t i = 0; i < len; i++)
    tmp[i] = lower(b[i]);
  view fold = {.p = tmp, .len = len, .src = b};
  scan_view(&c, &s->sets[SET_CI], &fold, M_FOLD);

  bool pct = memchr(b, '%', len) || (s->has_space && memchr(b, '+', len));
  bool nl = memchr(b, '\n', len) || memchr(b, '\r', len);
  if (pct || nl) {
    map = malloc(len * sizeof(*map));
    if (map == NULL)
      goto nomem;
  }
  if (pct) {
    size_t o = 0;
    for (size_t i = 0; i < len; o++) {
      map[o] = (uint32_t)i;
      int hi, lo;
      if (b[i] == '%' && i + 2 < len && (hi = hexval(b[i + 1])) >= 0 && (lo = hexval(b[i + 2])) >= 0) {
        tmp[o] = (uint8_t)(hi << 4 | lo);
        i += 3;
      } else {
        tmp[o] = (s->has_space && b[i] == '+') ? ' ' : b[i];
        i++;
      }
    }
    view v = {.p = tmp, .len = o, .src = b, .map = map};
    scan_view(&c, &s->sets[SET_CS], &v, M_PCT);
  }
  if (nl) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++)
      if (b[i] != '\n' && b[i] != '\r') {
        map[o] = (uint32_t)i;
        tmp[o++] = b[i];
      }
    view v = {.p = tmp, .len = o, .src = b, .map = map};
    scan_view(&c, &s->sets[SET_CS], &v, M_NL);
  }
  free(tmp);
  free(map);
  finish(&c, n);
  return c.total > INT32_MAX ? INT32_MAX : (int)c.total;
nomem:
  free(tmp);
  free(map);
  errno = ENOMEM;
  return -1;
}

int pt_tok_scan_dnsname(const pt_tok_scanner *s, const char *name, size_t name_len,
                        pt_tok_match *out, size_t max, size_t *n) {
  collect c = {.s = s, .out = out, .max = out ? max : 0};
  if (n)
    *n = 0;
  if (s == NULL || name == NULL || name_len < PT_TOK_MIN_NEEDLE)
    return 0;
  if (ensure_indexed(s) < 0)
    return -1;
  if (s->ntok == 0)
    return 0;
  if (name_len > UINT32_MAX) {
    errno = EINVAL;
    return -1;
  }
  uint8_t *tmp = malloc(name_len);
  uint32_t *map = malloc(name_len * sizeof(*map));
  if (tmp == NULL || map == NULL) {
    free(tmp);
    free(map);
    errno = ENOMEM;
    return -1;
  }
  size_t o = 0;
  for (size_t i = 0; i < name_len; i++)
    if (name[i] != '.') {
      map[o] = (uint32_t)i;
      tmp[o++] = lower((uint8_t)name[i]);
    }
  view v = {.p = tmp, .len = o, .src = (const uint8_t *)name, .map = map};
  scan_view(&c, &s->sets[SET_CI], &v, M_DNS);
  free(tmp);
  free(map);
  finish(&c, n);
  return c.total > INT32_MAX ? INT32_MAX : (int)c.total;
}

int pt_tok_scan_xor(const pt_tok_scanner *s, const void *buf, size_t len,
                    pt_tok_match *out, size_t max, size_t *n) {
  const uint8_t *b = buf;
  collect c = {.s = s, .out = out, .max = out ? max : 0};
  if (n)
    *n = 0;
  if (s == NULL || b == NULL || len < PT_TOK_XOR_MIN_NEEDLE + 1)
    return 0;
  if (ensure_xor(s) < 0)
    return -1;
  if (s->xor_set.n == 0)
    return 0;
  if (len > PT_TOK_XOR_MAX_SCAN)
    len = PT_TOK_XOR_MAX_SCAN;
  uint8_t *d = malloc(len);
  if (d == NULL) {
    errno = ENOMEM;
    return -1;
  }
  for (size_t k = 1; k <= PT_TOK_XOR_MAX_KEY && len > k + PT_TOK_XOR_MIN_NEEDLE;
       k++) {
    for (size_t i = 0; i + k < len; i++)
      d[i] = b[i] ^ b[i + k];
    view v = {.p = d, .len = len - k, .src = b, .period = (uint8_t)k};
    scan_view(&c, &s->xor_set, &v, M_XOR);
  }
  free(d);
  finish(&c, n);
  return c.total > INT32_MAX ? INT32_MAX : (int)c.total;
}
