/* Honeytokens under layers of base64 (a JSON of stolen env vars base64'd
 * twice, as the Shai-Hulud and tj-actions payloads did): pt_tok_scan finds
 * a token under one layer of any of its encodings; under more, the runs of
 * base64 text are decoded and scanned again, down to PT_TOK_NEST_DEPTH
 * layers in all. Runs shorter than NEST_MIN_RUN are left alone (a token's
 * own base64 is found by the scanner). Decoded by hand: a few lines, and
 * the static `run` front loads no libcrypto. Shared by every place bytes
 * are scanned (the fake network, argv, written files, a phase's output). */
#include "tokscan.h"

#include "b64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEST_MIN_RUN 48
#define NEST_BUDGET (256 << 10) /* decoded bytes per scan */

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
  size_t n_seen, decoded;
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
                      unsigned budget, int depth) {
  pt_tok_match m[64];
  size_t n = 0;
  unsigned hits = 0;
  if (pt_tok_scan(ns->s, buf, len, m, sizeof(m) / sizeof(m[0]), &n) < 0)
    return 0;
  for (size_t i = 0; i < n && hits < budget; i++) {
    if (seen_add(ns, m[i].id, m[i].encoding, depth > 0))
      continue;
    char enc[64];
    snprintf(enc, sizeof(enc), "%s%s", depth ? "base64/" : "", m[i].encoding);
    ns->hit(ns->ctx, &m[i], enc);
    hits++;
  }
  if (depth + 1 >= PT_TOK_NEST_DEPTH)
    return hits;
  for (size_t i = 0; i < len && hits < budget;) {
    if (pt_b64_value(buf[i]) < 0) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < len && (pt_b64_value(buf[j]) >= 0 || buf[j] == '='))
      j++;
    size_t run = j - i;
    if (run >= NEST_MIN_RUN && ns->decoded + run <= NEST_BUDGET) {
      uint8_t *d = malloc(run * 3 / 4 + 1);
      if (d != NULL) {
        size_t dl = b64_decode(buf + i, run, d);
        ns->decoded += run;
        hits += layer(ns, d, dl, budget - hits, depth + 1);
        free(d);
      }
    }
    i = j;
  }
  return hits;
}

unsigned pt_tok_scan_nested(const pt_tok_scanner *s, const void *buf,
                            size_t len, unsigned budget, pt_tok_nested_fn hit,
                            void *ctx) {
  if (s == NULL || buf == NULL || len == 0 || budget == 0)
    return 0;
  struct nest ns = {.s = s, .hit = hit, .ctx = ctx};
  return layer(&ns, buf, len, budget, 0);
}
