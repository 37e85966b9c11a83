/* npm semver versions and ranges (semver.h), written by hand: Debian has
 * no maintained C semver library, and what is needed is small. It follows
 * node-semver v7's non-loose grammar (classes/range.js): a range is split
 * on `||` into sets; a set is a hyphen range or space-separated
 * comparators, each of which (`^1.2`, `~1`, `1.x`, `>=1.2`) stands for at
 * most two plain ones (`>=1.2.0 <2.0.0-0`). Here each plain comparator is
 * tested against the version as it is parsed: nothing is stored, so no
 * allocation, and the work is linear in the range's bytes (capped). */
#include "semver.h"

#include <string.h>

#define MAX_SAFE 9007199254740991ULL /* 2^53-1, Number.MAX_SAFE_INTEGER */

static bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_ident_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '-';
}

/* A numeric part: 0 or no leading zero, at most MAX_SAFE. */
static bool parse_num(const char **pp, const char *end, uint64_t *out) {
  const char *p = *pp;
  uint64_t n = 0;
  size_t digits = 0;
  while (p < end && is_digit(*p)) {
    if (++digits > 16)
      return false;
    n = n * 10 + (uint64_t)(*p++ - '0');
  }
  if (digits == 0 || n > MAX_SAFE || (digits > 1 && **pp == '0'))
    return false;
  *pp = p;
  *out = n;
  return true;
}

/* Dot-separated identifiers of [0-9A-Za-z-] up to end or stop; with
 * numeric_rule, an all-digit one has no leading zero (prerelease; build
 * metadata has no such rule). */
static bool parse_idents(const char **pp, const char *end, char stop,
                         bool numeric_rule) {
  const char *p = *pp;
  for (;;) {
    const char *s = p;
    bool digits = true;
    while (p < end && is_ident_char(*p)) {
      digits = digits && is_digit(*p);
      p++;
    }
    if (p == s || (numeric_rule && digits && p - s > 1 && *s == '0'))
      return false;
    if (p < end && *p == '.') {
      p++;
      continue;
    }
    if (p < end && *p != stop)
      return false;
    *pp = p;
    return true;
  }
}

/* A version as a range writes it: after any `v` and `=`, up to three
 * parts, each a number or x (`x`, `X`, `*`, or absent), then with three
 * parts an optional prerelease and build. */
struct partial {
  uint64_t num[3];
  bool x[3]; /* x[i]: part i and every later one are x (npm's isX chain) */
  const char *pre;
  size_t pre_len;
};

static bool parse_partial(const char *p, const char *end, struct partial *o) {
  memset(o, 0, sizeof(*o));
  while (p < end && (*p == 'v' || *p == '='))
    p++;
  int parts = 0;
  for (; parts < 3; parts++) {
    if (parts > 0) {
      if (p == end || *p != '.')
        break;
      p++;
    }
    if (p < end && (*p == 'x' || *p == 'X' || *p == '*')) {
      o->x[parts] = true;
      p++;
    } else if (!parse_num(&p, end, &o->num[parts])) {
      return false;
    }
  }
  if (parts == 0)
    return false;
  for (int i = 0; i < 3; i++)
    o->x[i] = o->x[i] || i >= parts || (i > 0 && o->x[i - 1]);
  if (parts == 3 && p < end && *p == '-') {
    const char *s = ++p;
    if (!parse_idents(&p, end, '+', true) ||
        (size_t)(p - s) > PT_SEMVER_MAX_PRE)
      return false;
    o->pre = s;
    o->pre_len = (size_t)(p - s);
  }
  if (parts == 3 && p < end && *p == '+') {
    p++;
    if (!parse_idents(&p, end, '\0', false))
      return false;
  }
  if (o->x[2]) /* `1.2.x-rc`: an x-range drops the tag, as npm's does */
    o->pre = NULL, o->pre_len = 0;
  return p == end;
}

bool pt_semver_parse(const char *s, pt_semver *out) {
  size_t len = strnlen(s, PT_SEMVER_MAX_RANGE + 1);
  if (len > PT_SEMVER_MAX_RANGE)
    return false;
  const char *end = s + len;
  while (s < end && is_ws(*s))
    s++;
  while (end > s && is_ws(end[-1]))
    end--;
  struct partial pv;
  if (!parse_partial(s, end, &pv) || pv.x[0] || pv.x[1] || pv.x[2])
    return false;
  memcpy(out->num, pv.num, sizeof(out->num));
  memcpy(out->pre, pv.pre ? pv.pre : "", pv.pre_len);
  out->pre[pv.pre_len] = '\0';
  return true;
}

/* One prerelease identifier each: numbers numerically, below words;
 * words by bytes (ASCII: JavaScript's order). Numbers have no leading
 * zero, so the longer is the larger. */
static int cmp_ident(const char *a, size_t al, const char *b, size_t bl) {
  bool an = true, bn = true;
  for (size_t i = 0; i < al; i++)
    an = an && is_digit(a[i]);
  for (size_t i = 0; i < bl; i++)
    bn = bn && is_digit(b[i]);
  if (an != bn)
    return an ? -1 : 1;
  if (an && al != bl)
    return al < bl ? -1 : 1;
  int c = memcmp(a, b, al < bl ? al : bl);
  if (c != 0 || al == bl)
    return c;
  return al < bl ? -1 : 1;
}

static int cmp_pre(const char *a, size_t al, const char *b, size_t bl) {
  if (al == 0 || bl == 0)
    return al == bl ? 0 : al == 0 ? 1 : -1; /* a release is above */
  for (;;) {
    const char *ad = memchr(a, '.', al), *bd = memchr(b, '.', bl);
    size_t ai = ad ? (size_t)(ad - a) : al, bi = bd ? (size_t)(bd - b) : bl;
    int c = cmp_ident(a, ai, b, bi);
    if (c != 0)
      return c;
    if (ad == NULL || bd == NULL)
      return ad == bd ? 0 : ad == NULL ? -1 : 1; /* fewer is lower */
    a += ai + 1, al -= ai + 1;
    b += bi + 1, bl -= bi + 1;
  }
}

static int cmp_parts(const uint64_t an[3], const char *ap, size_t apl,
                     const uint64_t bn[3], const char *bp, size_t bpl) {
  for (int i = 0; i < 3; i++)
    if (an[i] != bn[i])
      return an[i] < bn[i] ? -1 : 1;
  return cmp_pre(ap, apl, bp, bpl);
}

int pt_semver_cmp(const pt_semver *a, const pt_semver *b) {
  return cmp_parts(a->num, a->pre, strlen(a->pre), b->num, b->pre,
                   strlen(b->pre));
}

/* ---- ranges ------------------------------------------------------------ */

enum op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

/* One comparator set being tested against v. */
struct set_eval {
  const pt_semver *v;
  size_t v_pre_len;
  bool all;    /* every comparator so far holds */
  bool pre_ok; /* one has v's major.minor.patch and a prerelease tag */
};

static void test(struct set_eval *e, enum op op, uint64_t M, uint64_t m,
                 uint64_t p, const char *pre, size_t pre_len) {
  const uint64_t n[3] = {M, m, p};
  int c = cmp_parts(e->v->num, e->v->pre, e->v_pre_len, n, pre, pre_len);
  bool ok = op == OP_EQ   ? c == 0
            : op == OP_LT ? c < 0
            : op == OP_LE ? c <= 0
            : op == OP_GT ? c > 0
                          : c >= 0;
  e->all = e->all && ok;
  if (pre_len > 0 && memcmp(n, e->v->num, sizeof(n)) == 0)
    e->pre_ok = true;
}

/* `-0`, the lowest prerelease: `<2.0.0-0` keeps 2.0.0's prereleases out. */
#define LOW "0", 1

/* `^P`: changes that do not modify the left-most non-zero part. */
static void caret(struct set_eval *e, const struct partial *v) {
  uint64_t M = v->num[0], m = v->num[1], p = v->num[2];
  if (v->x[0])
    return; /* any */
  if (v->x[1]) {
    test(e, OP_GE, M, 0, 0, "", 0);
    test(e, OP_LT, M + 1, 0, 0, LOW);
  } else if (v->x[2]) {
    test(e, OP_GE, M, m, 0, "", 0);
    if (M == 0)
      test(e, OP_LT, 0, m + 1, 0, LOW);
    else
      test(e, OP_LT, M + 1, 0, 0, LOW);
  } else {
    test(e, OP_GE, M, m, p, v->pre, v->pre_len);
    if (M == 0 && m == 0)
      test(e, OP_LT, 0, 0, p + 1, LOW);
    else if (M == 0)
      test(e, OP_LT, 0, m + 1, 0, LOW);
    else
      test(e, OP_LT, M + 1, 0, 0, LOW);
  }
}

/* `~P`: patch changes when a minor is given, else minor ones. */
static void tilde(struct set_eval *e, const struct partial *v) {
  uint64_t M = v->num[0], m = v->num[1];
  if (v->x[0])
    return;
  if (v->x[1]) {
    test(e, OP_GE, M, 0, 0, "", 0);
    test(e, OP_LT, M + 1, 0, 0, LOW);
  } else {
    test(e, OP_GE, M, m, v->x[2] ? 0 : v->num[2], v->pre, v->pre_len);
    test(e, OP_LT, M, m + 1, 0, LOW);
  }
}

/* `OP P` with P an x-range, or a plain comparator (range.js
 * replaceXRange). */
static void xrange(struct set_eval *e, const char *gtlt,
                   const struct partial *v) {
  uint64_t M = v->num[0], m = v->num[1], p = v->num[2];
  bool any_x = v->x[2];
  if (strcmp(gtlt, "=") == 0 && any_x)
    gtlt = "";
  if (v->x[0]) {
    if (strcmp(gtlt, ">") == 0 || strcmp(gtlt, "<") == 0)
      test(e, OP_LT, 0, 0, 0, LOW); /* nothing */
    return;                         /* else anything */
  }
  if (!any_x) {
    enum op op = gtlt[0] == '\0' || strcmp(gtlt, "=") == 0 ? OP_EQ
                 : strcmp(gtlt, "<") == 0                  ? OP_LT
                 : strcmp(gtlt, "<=") == 0                 ? OP_LE
                 : strcmp(gtlt, ">") == 0                  ? OP_GT
                                                           : OP_GE;
    test(e, op, M, m, p, v->pre, v->pre_len);
    return;
  }
  if (gtlt[0] != '\0') {
    if (v->x[1])
      m = 0;
    p = 0;
    if (strcmp(gtlt, ">") == 0) { /* >1 is >=2.0.0, >1.2 is >=1.3.0 */
      if (v->x[1])
        M++, m = 0;
      else
        m++;
      test(e, OP_GE, M, m, p, "", 0);
    } else if (strcmp(gtlt, "<=") == 0) { /* <=1.2 is <1.3.0-0 */
      if (v->x[1])
        M++;
      else
        m++;
      test(e, OP_LT, M, m, p, LOW);
    } else if (strcmp(gtlt, "<") == 0) {
      test(e, OP_LT, M, m, p, LOW);
    } else {
      test(e, OP_GE, M, m, p, "", 0);
    }
  } else if (v->x[1]) {
    test(e, OP_GE, M, 0, 0, "", 0);
    test(e, OP_LT, M + 1, 0, 0, LOW);
  } else {
    test(e, OP_GE, M, m, 0, "", 0);
    test(e, OP_LT, M, m + 1, 0, LOW);
  }
}

/* `A - B` (range.js hyphenReplace, without includePrerelease). */
static void hyphen(struct set_eval *e, const struct partial *a,
                   const struct partial *b) {
  if (!a->x[0])
    test(e, OP_GE, a->num[0], a->x[1] ? 0 : a->num[1], a->x[2] ? 0 : a->num[2],
         a->pre, a->pre_len);
  if (b->x[0])
    return;
  if (b->x[1])
    test(e, OP_LT, b->num[0] + 1, 0, 0, LOW);
  else if (b->x[2])
    test(e, OP_LT, b->num[0], b->num[1] + 1, 0, LOW);
  else
    test(e, OP_LE, b->num[0], b->num[1], b->num[2], b->pre, b->pre_len);
}

/* The next whitespace-separated word of [*pp, end). */
static bool next_word(const char **pp, const char *end, const char **ws,
                      const char **we) {
  const char *p = *pp;
  while (p < end && is_ws(*p))
    p++;
  if (p == end)
    return false;
  *ws = p;
  while (p < end && !is_ws(*p))
    p++;
  *we = *pp = p;
  return true;
}

/* The operator a comparator word starts with: `^`, `~`, `~>`, `<`,
 * `>`, `<=`, `>=`, `=` or none; its length. */
static size_t op_len(const char *s, const char *end) {
  if (s < end && *s == '^')
    return 1;
  if (s < end && *s == '~')
    return s + 1 < end && s[1] == '>' ? 2 : 1;
  size_t k = 0;
  if (s + k < end && (s[k] == '<' || s[k] == '>'))
    k++;
  if (s + k < end && s[k] == '=')
    k++;
  return k;
}

/* One comparator: operator [op, op + ol), version [v, end). */
static bool comparator(struct set_eval *e, const char *op, size_t ol,
                       const char *v, const char *end) {
  struct partial pv;
  if (!parse_partial(v, end, &pv))
    return false;
  char gtlt[3] = "";
  memcpy(gtlt, op, ol);
  if (gtlt[0] == '^')
    caret(e, &pv);
  else if (gtlt[0] == '~')
    tilde(e, &pv);
  else
    xrange(e, gtlt, &pv);
  return true;
}

/* A comparator set, [s, end): 1 when v satisfies it, 0 when not, -1
 * when it is invalid. */
static int eval_set(const pt_semver *v, const char *s, const char *end) {
  struct set_eval e = {v, strlen(v->pre), true, false};
  const char *w[4][2];
  size_t n = 0;
  const char *p = s;
  while (n < 4 && next_word(&p, end, &w[n][0], &w[n][1]))
    n++;
  if (n == 3 && w[1][1] - w[1][0] == 1 && w[1][0][0] == '-') {
    struct partial a, b;
    if (!parse_partial(w[0][0], w[0][1], &a) ||
        !parse_partial(w[2][0], w[2][1], &b))
      return -1;
    hyphen(&e, &a, &b);
  } else {
    const char *ws, *we;
    p = s;
    while (next_word(&p, end, &ws, &we)) {
      /* A word that is only an operator takes the next word as its
       * version (`>= 1.2.3`, `~ 1.2`, `^ 2`), as range.js's comparator,
       * tilde and caret trims do. */
      size_t ol = op_len(ws, we);
      const char *vs = ws + ol, *ve = we;
      if (ol > 0 && vs == we && !next_word(&p, end, &vs, &ve))
        return -1;
      if (!comparator(&e, ws, ol, vs, ve))
        return -1;
    }
  }
  return e.all && (e.v_pre_len == 0 || e.pre_ok);
}

int pt_semver_satisfies(const pt_semver *v, const char *range) {
  size_t len = strnlen(range, PT_SEMVER_MAX_RANGE + 1);
  if (len > PT_SEMVER_MAX_RANGE)
    return -1;
  const char *end = range + len;
  bool any = false;
  for (const char *s = range;;) {
    const char *bar = s;
    while (bar + 1 < end && !(bar[0] == '|' && bar[1] == '|'))
      bar++;
    const char *set_end = bar + 1 < end ? bar : end;
    int r = eval_set(v, s, set_end);
    if (r < 0)
      return -1;
    any = any || r == 1;
    if (set_end == end)
      return any;
    s = set_end + 2;
  }
}
