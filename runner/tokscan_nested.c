/* Honeytokens under layers of base64 (a JSON of stolen env vars base64'd
 * twice, as the Shai-Hulud and tj-actions payloads did): pt_tok_scan finds
 * a token under one layer of any of its encodings; under more, the runs of
 * base64 text are decoded and scanned again, down to PT_TOK_NEST_DEPTH
 * layers in all. Runs shorter than NEST_MIN_RUN are left alone (a token's
 * own base64 is found by the scanner); a run goes on across the line
 * breaks of wrapped base64 (MIME, PEM). Decoded by hand: a few lines, and
 * the static `run` front loads no libcrypto. Shared by every place bytes
 * are scanned (the fake network, argv, written files, a phase's output).
 *
 * Compressed layers too: stealers pack what they take (a tar.gz of ~/.ssh,
 * zlib.compress of the environment before its base64, a zip upload), and
 * no encoding of a token survives deflate. A gzip member or a zip entry's
 * deflate data anywhere in a layer, or a zlib stream (its two header
 * bytes are printable text in two of four cases, so those only where a
 * layer begins), is inflated by zlib and scanned as a layer of its own,
 * within NEST_INFLATE_BUDGET bytes out per scan (a bomb stops there)
 * and NEST_MAX_STREAMS attempts, NEST_LAYER_STREAMS of them per layer. */
#include "tokscan.h"

#include "b64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NEST_MIN_RUN 48
#define NEST_BUDGET (256 << 10) /* decoded bytes per scan */
#define NEST_INFLATE_BUDGET (1u << 20) /* inflated bytes per scan */
#define NEST_MAX_STREAMS 64            /* inflate attempts per scan */
#define NEST_LAYER_STREAMS 16 /* per layer: an inner one takes not all */
#define NEST_MIN_DEFLATED 16 /* shorter holds no token worth a try */

/* Decodes the run in[0..n) (either alphabet, padding ignored) into out,
 * which has room for n * 3 / 4 bytes. */
static size_t b64_decode(const unsigned char *in, size_t n, uint8_t *out) {
  uint32_t acc = 0;
  int bits = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    int v = pt_b64_value(in[i]);
    if (v < 0)
      continue; /* '=' */
    acc = acc << 6 | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[k++] = (uint8_t)(acc >> bits);
    }
  }
  return k;
}

struct nest {
  const pt_tok_scanner *s;
  pt_tok_nested_fn hit;
  void *ctx;
  const char *id[64], *enc[64]; /* reported so far */
  size_t n_seen, decoded, inflated;
  unsigned streams;
  bool inflate, xor;
};

/* Seen already? Under a layer of base64, any encoding of the same token
 * counts: the outer layer's match said it. */
static bool seen_add(struct nest *ns, const char *id, const char *enc,
                     bool any_enc) {
  for (size_t k = 0; k < ns->n_seen; k++)
    if (strcmp(ns->id[k], id) == 0 && (any_enc || strcmp(ns->enc[k], enc) == 0))
      return true;
  if (ns->n_seen < sizeof(ns->id) / sizeof(ns->id[0])) {
    ns->id[ns->n_seen] = id;
    ns->enc[ns->n_seen++] = enc;
  }
  return false;
}

static unsigned layer(struct nest *ns, const uint8_t *buf, size_t len,
                      unsigned budget, int depth, const char *how);

/* Inflates in[0..n) (wbits as inflateInit2 takes them: zlib, gzip or raw
 * deflate) into what is left of the scan's budget and scans the result:
 * a stream cut short, or corrupt past its start, still gives what came
 * out before. *used is the input a whole stream took (0 otherwise): no
 * header is looked for inside it, where one is only chance. */
static unsigned inflated(struct nest *ns, const uint8_t *in, size_t n,
                         int wbits, unsigned budget, int depth,
                         const char *how, size_t *used) {
  *used = 0;
  size_t room = NEST_INFLATE_BUDGET - ns->inflated;
  if (room == 0 || ns->streams >= NEST_MAX_STREAMS)
    return 0;
  ns->streams++;
  z_stream z = {0};
  if (inflateInit2(&z, wbits) != Z_OK)
    return 0;
  /* 64 KiB, grown while the stream goes on: most uploads are small. */
  size_t cap = room < (64u << 10) ? room : (64u << 10), got = 0;
  uint8_t *out = malloc(cap);
  int rc = Z_OK;
  z.next_in = (Bytef *)in;
  z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
  while (out != NULL && rc == Z_OK) {
    if (got == cap) {
      size_t ncap = cap * 2 < room ? cap * 2 : room;
      uint8_t *nb = ncap > cap ? realloc(out, ncap) : NULL;
      if (nb == NULL)
        break; /* the budget, or no memory: scan what we have */
      out = nb;
      cap = ncap;
    }
    z.next_out = out + got;
    z.avail_out = (uInt)(cap - got);
    rc = inflate(&z, Z_NO_FLUSH);
    got = cap - z.avail_out;
    if (rc == Z_BUF_ERROR && z.avail_in == 0)
      break; /* input ends mid-stream */
  }
  if (rc == Z_STREAM_END)
    *used = z.total_in;
  inflateEnd(&z);
  unsigned hits = 0;
  ns->inflated += got;
  if (out != NULL && got > 0)
    hits = layer(ns, out, got, budget, depth + 1, how);
  free(out);
  return hits;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* The compressed streams that start in buf: gzip members and zip entries
 * stored with deflate anywhere, zlib streams where the layer begins (or,
 * with their two non-text header forms, anywhere). */
static unsigned compressed(struct nest *ns, const uint8_t *buf, size_t len,
                           unsigned budget, int depth, const char *how) {
  unsigned hits = 0, tries = 0, before = ns->streams;
  char sub[64];
  for (size_t i = 0; i + NEST_MIN_DEFLATED <= len && hits < budget &&
                     tries < NEST_LAYER_STREAMS &&
                     ns->streams < NEST_MAX_STREAMS;) {
    const uint8_t *p = buf + i;
    size_t left = len - i, used = 0;
    if (p[0] == 0x1f && p[1] == 0x8b && p[2] == 8) {
      snprintf(sub, sizeof(sub), "%sgzip/", how);
      hits += inflated(ns, p, left, 16 + MAX_WBITS, budget - hits, depth, sub,
                       &used);
    } else if (p[0] == 0x78 && (p[0] << 8 | p[1]) % 31 == 0 &&
               (p[1] == 0x9c || p[1] == 0xda ||
                (i == 0 && (p[1] == 0x01 || p[1] == 0x5e)))) {
      snprintf(sub, sizeof(sub), "%szlib/", how);
      hits += inflated(ns, p, left, MAX_WBITS, budget - hits, depth, sub,
                       &used);
    } else if (left >= 30 && memcmp(p, "PK\3\4", 4) == 0 &&
               le16(p + 8) == 8) {
      /* A local file header: its data after the name and extra field. */
      size_t at = 30 + (size_t)le16(p + 26) + le16(p + 28);
      snprintf(sub, sizeof(sub), "%szip/", how);
      if (at < left) {
        hits += inflated(ns, p + at, left - at, -MAX_WBITS, budget - hits,
                         depth, sub, &used);
        used += used ? at : 0;
      }
    }
    if (ns->streams > before) { /* an attempt here, not below */
      tries++;
      before = ns->streams;
    }
    i += used ? used : 1;
  }
  return hits;
}

static unsigned layer(struct nest *ns, const uint8_t *buf, size_t len,
                      unsigned budget, int depth, const char *how) {
  pt_tok_match m[64];
  size_t n = 0;
  unsigned hits = 0;
  if (pt_tok_scan(ns->s, buf, len, m, sizeof(m) / sizeof(m[0]), &n) < 0)
    return 0;
  for (int pass = 0; pass < 2; pass++) {
    /* Then under a repeating-key XOR (what a plain scan found is not
     * looked for again). */
    if (pass == 1 && (!ns->xor ||
                      pt_tok_scan_xor(ns->s, buf, len, m,
                                      sizeof(m) / sizeof(m[0]), &n) < 0))
      break;
    for (size_t i = 0; i < n && hits < budget; i++) {
      if (seen_add(ns, m[i].id, m[i].encoding, depth > 0 || pass == 1))
        continue;
      char enc[96];
      snprintf(enc, sizeof(enc), "%s%s", how, m[i].encoding);
      ns->hit(ns->ctx, &m[i], enc);
      hits++;
    }
  }
  if (depth + 1 >= PT_TOK_NEST_DEPTH)
    return hits;
  if (ns->inflate)
    hits += compressed(ns, buf, len, budget - hits, depth, how);
  for (size_t i = 0; i < len && hits < budget;) {
    if (pt_b64_value(buf[i]) < 0) {
      i++;
      continue;
    }
    size_t j = i, line = i;
    for (;;) {
      while (j < len && (pt_b64_value(buf[j]) >= 0 || buf[j] == '='))
        j++;
      /* MIME (a mailed attachment) and PEM wrap base64 at 76 or 64
       * characters, and a token's encoding may straddle the break: a line
       * end continues the run when the line before it is one of whole
       * quads, at least 16 characters, without padding (which ends a
       * blob), and more base64 follows. b64_decode skips the CR and LF. */
      size_t k = j;
      if (k < len && buf[k] == '\r')
        k++;
      if (k + 1 < len && buf[k] == '\n' && j - line >= 16 &&
          (j - line) % 4 == 0 && buf[j - 1] != '=' &&
          pt_b64_value(buf[k + 1]) >= 0) {
        j = line = k + 1;
        continue;
      }
      break;
    }
    size_t run = j - i;
    if (run >= NEST_MIN_RUN && ns->decoded + run <= NEST_BUDGET) {
      uint8_t *d = malloc(run * 3 / 4 + 1);
      if (d != NULL) {
        size_t dl = b64_decode(buf + i, run, d);
        ns->decoded += run;
        /* "base64/" once, however deep (README.md's encodings), after
         * what was inflated on the way. */
        char sub[64];
        snprintf(sub, sizeof(sub), "%s%s", how,
                 strstr(how, "base64/") ? "" : "base64/");
        hits += layer(ns, d, dl, budget - hits, depth + 1, sub);
        free(d);
      }
    }
    i = j;
  }
  return hits;
}

unsigned pt_tok_scan_nested(const pt_tok_scanner *s, const void *buf,
                            size_t len, unsigned budget, unsigned flags,
                            pt_tok_nested_fn hit, void *ctx) {
  if (s == NULL || buf == NULL || len == 0 || budget == 0)
    return 0;
  struct nest ns = {.s = s, .hit = hit, .ctx = ctx,
                    .inflate = (flags & PT_TOK_NEST_INFLATE) != 0,
                    .xor = (flags & PT_TOK_NEST_XOR) != 0};
  return layer(&ns, buf, len, budget, 0, "");
}
