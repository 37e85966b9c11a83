/* libFuzzer harness: honeytoken scanning over arbitrary buffers and DNS
 * names. The first byte picks the mode. Matches must lie inside the input
 * and a match with room for all must agree with a count-only scan. Mode
 * 2 gives the input as a value to pt_tok_add_derived (its byte-list
 * parser and base58) on a scanner of its own. Mode 3 scans it nested,
 * inflating what looks compressed (zlib on untrusted streams) and under
 * XOR: the callbacks stay within the budget and every encoding is a
 * path; and then pt_tok_scan_xor alone, whose matches lie inside the
 * input as every scan's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokscan.h"
#include "fuzz/fuzz_assert.h"

static pt_tok_scanner *scanner(void) {
  static pt_tok_scanner *s;
  if (s == NULL) {
    s = pt_tok_new();
    /* Short-ish and repetitive values on purpose: they stress the
     * overlapping-needle and dedup paths. */
    if (s == NULL || pt_tok_add(s, "aws", "AKIAQ7XK2M4ZP5R3W6YB") ||
        pt_tok_add(s, "secret", "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") ||
        pt_tok_add(s, "gh", "ghp_R8fK2pLm9QzX4vT7bN1cW5yH3jD6sA0eU2iO") ||
        pt_tok_add(s, "rep", "aaaaaaaaaaaaaaaaaaaa") || pt_tok_add(s, "sp", "a b c d e f g h") ||
        pt_tok_add_derived(s, "sol", "0,0,7,255,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,200"))
      abort();
  }
  return s;
}

static unsigned nested_calls;
static void nested_hit(void *ctx, const pt_tok_match *m, const char *enc) {
  (void)ctx;
  ASSERT(m->id != NULL && enc != NULL && strlen(enc) < 96);
  nested_calls++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pt_tok_scanner *s = scanner();
  if (size < 1)
    return 0;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  pt_tok_match m[16];
  size_t got, got2;
  int total, total2;
  if ((data[0] & 3) == 2) {
    char v[PT_TOK_MAX_VALUE * 4 + 1];
    size_t vl = n < sizeof(v) - 1 ? n : sizeof(v) - 1;
    memcpy(v, p, vl);
    v[vl] = 0;
    pt_tok_scanner *t = pt_tok_new();
    ASSERT(t != NULL);
    size_t before = pt_tok_count(t);
    int rc = pt_tok_add_derived(t, "v", v);
    ASSERT(rc == 0 || rc == -1);
    ASSERT(pt_tok_count(t) <= before + 2);
    total = pt_tok_scan(t, p, n, m, 16, &got);
    ASSERT(total >= 0 && got <= 16);
    pt_tok_free(t);
    return 0;
  }
  if ((data[0] & 3) == 3) {
    nested_calls = 0;
    unsigned r = pt_tok_scan_nested(s, p, n, 8,
                                    PT_TOK_NEST_INFLATE | PT_TOK_NEST_XOR,
                                    nested_hit, NULL);
    ASSERT(r == nested_calls && r <= 8);
    total = pt_tok_scan_xor(s, p, n, m, 16, &got);
    ASSERT(total >= 0 && got <= 16 && got <= (size_t)total);
    for (size_t i = 0; i < got; i++)
      ASSERT(m[i].offset < n && m[i].length <= n - m[i].offset &&
             strcmp(m[i].encoding, "xor") == 0);
    return 0;
  }
  if (data[0] & 1) {
    total = pt_tok_scan_dnsname(s, (const char *)p, n, m, 16, &got);
    total2 = pt_tok_scan_dnsname(s, (const char *)p, n, NULL, 0, &got2);
  } else {
    total = pt_tok_scan(s, p, n, m, 16, &got);
    total2 = pt_tok_scan(s, p, n, NULL, 0, &got2);
  }
  ASSERT(total >= 0 && got <= 16 && got <= (size_t)total && got2 == 0);
  /* Dedup only sees stored matches, so counts agree when all fit. */
  if ((size_t)total < 16)
    ASSERT(total2 >= total);
  for (size_t i = 0; i < got; i++) {
    ASSERT(m[i].offset < n && m[i].length <= n - m[i].offset && m[i].length >= PT_TOK_MIN_NEEDLE);
    ASSERT(m[i].id != NULL && m[i].encoding != NULL);
    if (i)
      ASSERT(m[i - 1].offset <= m[i].offset);
  }
  return 0;
}
