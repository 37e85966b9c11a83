/* Honeytoken matching: find the fresh per-run token values (AWS keys,
 * GitHub/npm/PyPI tokens, ...) in bytes a sample sent or wrote, even when
 * it encoded them first: raw, reversed, base64 (standard and URL-safe,
 * any byte alignment, with or without padding, also when wrapped over
 * lines), base32 / base32hex (any case, any alignment), hex (any case),
 * percent-encoding, and in DNS names where labels split the value and the
 * resolver path may have folded case.
 *
 * How: every token is turned into a set of needles when it is added. For
 * block encodings the needle is the "stable interior": the token encoded
 * at each possible offset inside the encoder's block (3 bytes for base64,
 * 5 for base32), keeping only the characters that depend on token bytes
 * alone, so whatever surrounds the token in the encoded data, the needle
 * is a substring of the encoding. A scan then slides once over each view
 * of the buffer (as is; lowercased; percent-decoded; line breaks removed)
 * with a 4-byte prefix filter and compares candidates.
 *
 * Not detected (documented limits): base64 inside DNS names (case folding
 * destroys it); double percent-encoding; encryption and compression (but
 * see pt_tok_scan_xor and pt_tok_scan_nested); a token cut into pieces
 * other than DNS labels or line breaks.
 *
 * False positives: token values must be at least PT_TOK_MIN_VALUE bytes,
 * and a derived needle shorter than PT_TOK_MIN_NEEDLE is not searched.
 * With random token values (the generator's job) a 12-character needle
 * over a 32..64-letter alphabet has a chance around 2^-60 per position to
 * appear by accident; a short or low-entropy value would not, hence the
 * floor. */
#ifndef PT_TOKSCAN_H
#define PT_TOKSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_TOK_MIN_VALUE 12
#define PT_TOK_MAX_VALUE 512
#define PT_TOK_MIN_NEEDLE 12
#define PT_TOK_MAX_TOKENS 64
#define PT_TOK_ID_MAX 64
/* Ids of the jail's identity (not honeytokens) in the fake network's
 * scanner: what they match is an "identity" event. */
#define PT_TOK_IDENTITY_PREFIX "IDENTITY_"

typedef struct pt_tok_scanner pt_tok_scanner;

typedef struct pt_tok_match {
  const char *id;       /* the token's id; owned by the scanner */
  const char *encoding; /* static: "raw", "reversed", "base64", "base64url",
                           "base32", "base32hex", "hex", "urlenc",
                           "dns-raw", "dns-hex", "dns-base32",
                           "dns-base32hex", and "dns-split-<enc>" when the
                           match spans a label boundary; "base58" for a
                           token added as bytes; "xor" (pt_tok_scan_xor) */
  size_t offset;        /* first byte of the match in the scanned input */
  size_t length;        /* bytes of the input the match covers */
} pt_tok_match;

pt_tok_scanner *pt_tok_new(void);
void pt_tok_free(pt_tok_scanner *s);

/* Add a token. id (<= PT_TOK_ID_MAX bytes) names it in matches; value is
 * the secret, PT_TOK_MIN_VALUE..PT_TOK_MAX_VALUE bytes. Returns 0, or -1
 * with errno EINVAL (bad length), ENOSPC (more than PT_TOK_MAX_TOKENS) or
 * ENOMEM. */
int pt_tok_add(pt_tok_scanner *s, const char *id, const char *value);
/* Add a token that is bytes, not text (a wallet's key): the same
 * encodings, plus base58 of the value alone (encoding "base58"). */
int pt_tok_add_bytes(pt_tok_scanner *s, const char *id, const uint8_t *v,
                     size_t n);
/* Add what else a value stands for, under the same id: a list of byte
 * values ("12,0,255,...", a Solana CLI keypair) also as those bytes
 * (pt_tok_add_bytes: hex, base64, base58, ... of the key itself) and as
 * Python prints the list ("12, 0, 255"); a hex key (even, 32 digits or
 * more, nothing else) also as the bytes it spells. Returns 0 when nothing is
 * derived from value; -1 with errno as pt_tok_add. */
int pt_tok_add_derived(pt_tok_scanner *s, const char *id, const char *value);
/* Would pt_tok_add take this id and value (lengths only)? */
bool pt_tok_acceptable(const char *id, const char *value);
/* The tokens (a deferred fill's included, which this runs). */
size_t pt_tok_count(const pt_tok_scanner *s);

/* Tokens added on first use rather than now: fill (which calls
 * pt_tok_add) runs once, under the index lock, before the first scan,
 * count or index. A run's start then does not wait for every encoding of
 * every token to be made (~0.15 ms); the first scan does, usually after
 * CMD's exec stop is answered. If fill fails, every later scan, count
 * and index fails too, with its errno (scans then report -1, never a
 * silent "no match"). One fill at a time: a second replaces a pending
 * one. */
typedef int (*pt_tok_fill_fn)(void *ctx, pt_tok_scanner *s);
void pt_tok_defer(pt_tok_scanner *s, pt_tok_fill_fn fill, void *ctx);

/* Build the index (after a deferred fill) now rather than at the first
 * scan after an add, which does it otherwise. 0, or -1 with errno
 * ENOMEM (or the failed fill's). */
int pt_tok_index(pt_tok_scanner *s);

/* Scan len bytes. Stores up to max matches in out (sorted by offset) and
 * their number in *n; returns the total number of matches found (may be
 * more than max), or -1 with errno ENOMEM. A scanner may be used by
 * several threads at once once all tokens are added. */
int pt_tok_scan(const pt_tok_scanner *s, const void *buf, size_t len,
                pt_tok_match *out, size_t max, size_t *n);

/* pt_tok_scan, and again inside every run of base64 text (48 characters
 * or more) and, with PT_TOK_NEST_INFLATE, every gzip member, zip entry
 * and zlib stream (tokscan_nested.c says where one is looked for), down
 * to PT_TOK_NEST_DEPTH layers: hit is called once per (token, encoding)
 * at the top and once per token no outer layer showed below it, with
 * encoding "ENC", "base64/ENC", or the layers' path ("gzip/ENC",
 * "base64/zlib/ENC", "zip/base64/ENC"); at most budget calls. Returns the
 * number of calls. */
#define PT_TOK_NEST_DEPTH 3
#define PT_TOK_NEST_INFLATE 1u
#define PT_TOK_NEST_XOR 2u /* and pt_tok_scan_xor in every layer */
typedef void (*pt_tok_nested_fn)(void *ctx, const pt_tok_match *m,
                                 const char *encoding);
unsigned pt_tok_scan_nested(const pt_tok_scanner *s, const void *buf,
                            size_t len, unsigned budget, unsigned flags,
                            pt_tok_nested_fn hit, void *ctx);

/* Repeating-key XOR, the stealers' favourite cover (a byte, a word, a
 * SHA-256 digest as the key): tokens whose raw value was XORed with any
 * key of 1..PT_TOK_XOR_MAX_KEY bytes (not the all-zero key: the plain
 * value is pt_tok_scan's), found without knowing the key (tokscan.c,
 * xor_fill, says how), encoding "xor". Looks at the first
 * PT_TOK_XOR_MAX_SCAN bytes. A token must be at least
 * k + PT_TOK_XOR_MIN_NEEDLE bytes long to be found under a k-byte key.
 * Returns as pt_tok_scan. The needles are made on the first call. */
#define PT_TOK_XOR_MAX_KEY 32
#define PT_TOK_XOR_MIN_NEEDLE PT_TOK_MIN_NEEDLE
#define PT_TOK_XOR_MAX_SCAN (1u << 20)
int pt_tok_scan_xor(const pt_tok_scanner *s, const void *buf, size_t len,
                    pt_tok_match *out, size_t max, size_t *n);

/* Scan a DNS name in dotted text form (pt_dns_query.name): dots are
 * removed so a value split over labels is found, and case is ignored.
 * Looks for raw, hex, base32 and base32hex; offsets refer to name. */
int pt_tok_scan_dnsname(const pt_tok_scanner *s, const char *name,
                        size_t name_len, pt_tok_match *out, size_t max,
                        size_t *n);

#endif
