/* Evaluating rules over a triage record: single-event rules (with per-phase
 * thresholds), sequences ("a credential read and a network attempt in the
 * same phase", "created, chmod +x, then executed"), findings with their
 * evidence, the score and the verdict. See profiles/rules/README.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_util.h"
#include "rules_int.h"

#define SEQ_STARTS_MAX 4096  /* step-0 candidates tried per rule */
#define SEQ_MATCHES_MAX 64   /* complete sequences kept per rule */
#define EVIDENCE_STR_MAX 512 /* bytes of one string in evidence */
#define EVIDENCE_LIST_MAX 64 /* entries of one list in evidence */
#define SUMMARY_MAX 400

static json_t *source_of(const struct pt_rules_ctx *c, enum pt_rules_src s) {
  static const char *const names[] = {"events", "phases", "hijacks",
                                      "problems"};
  json_t *a = json_object_get(c->record, names[s]);
  return json_is_array(a) ? a : NULL;
}

/* The phase an element belongs to (a phase is its own). */
static const char *phase_of(json_t *el, enum pt_rules_src s) {
  if (s == SRC_PHASES)
    return json_string_value(json_object_get(el, "name"));
  return json_string_value(json_object_get(el, "phase"));
}

/* ---- evidence --------------------------------------------------------- */

/* Evidence is for people: long strings and lists are cut, not dropped. */
static json_t *excerpt(json_t *v, int depth) {
  if (depth > 8)
    return json_string("…");
  if (json_is_string(v) && json_string_length(v) > EVIDENCE_STR_MAX) {
    char buf[EVIDENCE_STR_MAX + 8];
    memcpy(buf, json_string_value(v), EVIDENCE_STR_MAX);
    /* Do not cut a UTF-8 sequence in half. */
    size_t l = EVIDENCE_STR_MAX;
    while (l > 0 && ((unsigned char)buf[l] & 0xC0) == 0x80)
      l--;
    memcpy(buf + l, "…", sizeof("…"));
    return json_string(buf);
  }
  if (json_is_array(v)) {
    json_t *a = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      if (i == EVIDENCE_LIST_MAX) {
        json_array_append_new(a, json_string("…"));
        break;
      }
      json_array_append_new(a, excerpt(e, depth + 1));
    }
    return a;
  }
  if (json_is_object(v)) {
    json_t *o = json_object();
    const char *k;
    json_t *e;
    json_object_foreach(v, k, e)
        json_object_set_new(o, k, excerpt(e, depth + 1));
    return o;
  }
  return json_deep_copy(v);
}

/* ---- summary ---------------------------------------------------------- */

/* "{path}" takes a field of the first evidence element, "{1.path}" of the
 * second step of the first sequence, "{count}" the number of matches. */
static void render_summary(const struct pt_rules_ctx *c,
                           const struct pt_rules_rule *r, json_t *src,
                           const size_t *first, size_t n_first, size_t count,
                           char *out, size_t cap) {
  const char *t = r->summary ? r->summary : r->description;
  size_t k = 0;
  for (const char *p = t; *p && k + 1 < cap;) {
    const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
    if (end == NULL || end - p > 100) {
      out[k++] = *p++;
      continue;
    }
    char field[128];
    memcpy(field, p + 1, (size_t)(end - p - 1));
    field[end - p - 1] = '\0';
    p = end + 1;
    char val[160] = "?";
    const char *f = field;
    size_t step = 0;
    if (field[0] >= '0' && field[0] <= '9' && field[1] == '.') {
      step = (size_t)(field[0] - '0');
      f = field + 2;
    }
    if (strcmp(f, "count") == 0) {
      snprintf(val, sizeof(val), "%zu", count);
    } else if (n_first > 0) {
      size_t idx = first[step < n_first ? step : 0];
      json_t *el = json_array_get(src, idx);
      bool owned;
      json_t *v = pt_rules_resolve(c, el, idx, f, &owned);
      if (json_is_string(v))
        snprintf(val, sizeof(val), "%.150s", json_string_value(v));
      else if (json_is_integer(v))
        snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
      else if (json_is_array(v)) {
        /* a list (argv): its entries joined */
        size_t q = 0, i;
        json_t *e;
        json_array_foreach(v, i, e) {
          const char *s = json_string_value(e);
          int w =
              s ? snprintf(val + q, sizeof(val) - q, "%s%s", q ? " " : "", s)
                : 0;
          if (w < 0 || (size_t)w >= sizeof(val) - q)
            break;
          q += (size_t)w;
        }
      }
      if (owned)
        json_decref(v);
    }
    for (const char *s = val; *s && k + 1 < cap; s++)
      out[k++] = (unsigned char)*s < 0x20 ? ' ' : *s;
  }
  out[k] = '\0';
}

/* ---- findings --------------------------------------------------------- */

/* One group of matches: the elements (indices into the source) of one
 * phase, in order. */
struct group {
  const char *phase;
  size_t *idx;
  size_t n, cap;
  size_t count; /* matches (a sequence counts once per completion) */
  size_t first[PT_RULES_STEPS_MAX]; /* the first match (for the summary) */
  size_t n_first;
};

struct groups {
  struct group *g;
  size_t n, cap;
};

static struct group *group_for(struct groups *gs, const char *phase) {
  for (size_t i = 0; i < gs->n; i++)
    if ((phase == NULL && gs->g[i].phase == NULL) ||
        (phase && gs->g[i].phase && strcmp(phase, gs->g[i].phase) == 0))
      return &gs->g[i];
  if (gs->n == gs->cap) {
    size_t nc = gs->cap ? gs->cap * 2 : 4;
    struct group *ng = realloc(gs->g, nc * sizeof(*ng));
    if (ng == NULL)
      return NULL;
    gs->g = ng;
    gs->cap = nc;
  }
  struct group *g = &gs->g[gs->n++];
  memset(g, 0, sizeof(*g));
  g->phase = phase;
  return g;
}

static int group_add(struct group *g, size_t idx) {
  for (size_t i = 0; i < g->n; i++)
    if (g->idx[i] == idx)
      return 0;
  if (g->n == g->cap) {
    size_t nc = g->cap ? g->cap * 2 : 8;
    size_t *ni = realloc(g->idx, nc * sizeof(*ni));
    if (ni == NULL)
      return -1;
    g->idx = ni;
    g->cap = nc;
  }
  g->idx[g->n++] = idx;
  return 0;
}

static void groups_free(struct groups *gs) {
  for (size_t i = 0; i < gs->n; i++)
    free(gs->g[i].idx);
  free(gs->g);
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

static int emit(const struct pt_rules_ctx *c, const struct pt_rules_rule *r,
                json_t *src, struct group *g, json_t *findings) {
  qsort(g->idx, g->n, sizeof(*g->idx), cmp_size);
  json_t *f = json_object(), *ev = json_array();
  if (f == NULL || ev == NULL) {
    json_decref(f);
    json_decref(ev);
    return -1;
  }
  char summary[SUMMARY_MAX];
  render_summary(c, r, src, g->first, g->n_first, g->count, summary,
                 sizeof(summary));
  for (size_t i = 0; i < g->n && i < PT_VERDICT_EVIDENCE_MAX; i++)
    json_array_append_new(ev, excerpt(json_array_get(src, g->idx[i]), 0));
  json_object_set_new(f, "rule", json_string(r->id));
  json_object_set_new(f, "severity", json_string(pt_rules_sev_names[r->sev]));
  json_object_set_new(f, "phase",
                      g->phase ? json_string(g->phase) : json_null());
  json_object_set_new(f, "summary", json_string(summary));
  json_object_set_new(f, "description", json_string(r->description));
  json_object_set_new(f, "count", json_integer((json_int_t)g->count));
  json_object_set_new(f, "evidence", ev);
  return json_array_append_new(findings, f);
}

/* ---- single-event rules ----------------------------------------------- */

static bool seen_value(json_t *set, json_t *v) {
  size_t i;
  json_t *e;
  json_array_foreach(set, i, e) if (json_equal(e, v)) return true;
  return false;
}

static int eval_single(const struct pt_rules_ctx *c,
                       const struct pt_rules_rule *r, json_t *findings) {
  json_t *src = source_of(c, r->m.src);
  if (src == NULL)
    return 0;
  struct groups gs = {0};
  int rc = 0;
  size_t i;
  json_t *el;
  json_array_foreach(src, i, el) {
    if (!pt_rules_match(c, &r->m, el, i))
      continue;
    struct group *g = group_for(&gs, phase_of(el, r->m.src));
    if (g == NULL || group_add(g, i) < 0) {
      rc = -1;
      break;
    }
    if (g->n_first == 0)
      g->first[g->n_first++] = i;
    g->count++;
  }
  for (size_t k = 0; rc == 0 && k < gs.n; k++) {
    struct group *g = &gs.g[k];
    size_t n = g->count;
    if (r->m.distinct) {
      /* Distinct values (DNS names under one zone, files read...). */
      json_t *set = json_array();
      for (size_t j = 0; set && j < g->n; j++) {
        bool owned;
        json_t *v = pt_rules_resolve(c, json_array_get(src, g->idx[j]),
                                     g->idx[j], r->m.distinct, &owned);
        if (v && !seen_value(set, v))
          json_array_append(set, v);
        if (owned)
          json_decref(v);
      }
      n = json_array_size(set);
      json_decref(set);
    }
    if (n >= (r->m.min_matches ? r->m.min_matches : 1))
      rc = emit(c, r, src, g, findings);
  }
  groups_free(&gs);
  return rc;
}

/* ---- sequences -------------------------------------------------------- */

static const struct pt_rules_matcher *
step_matcher(const pt_rules *rs, const struct pt_rules_step *s) {
  return s->own ? s->own : &rs->rules[s->ref].m;
}

/* The values of a step's join keys on an element, as strings. */
static void key_values(const struct pt_rules_ctx *c,
                       const struct pt_rules_step *s, json_t *el, size_t idx,
                       json_t *out) {
  for (size_t k = 0; k < s->n_keys; k++) {
    bool owned;
    json_t *v = pt_rules_resolve(c, el, idx, s->keys[k], &owned);
    if (json_is_array(v)) {
      size_t i;
      json_t *e;
      json_array_foreach(v, i, e) if (json_is_string(e) || json_is_integer(e))
          json_array_append(out, e);
    } else if (json_is_string(v) || json_is_integer(v)) {
      json_array_append(out, v);
    }
    if (owned)
      json_decref(v);
  }
}

static bool keys_meet(json_t *a, json_t *b) {
  size_t i;
  json_t *e;
  json_array_foreach(a, i, e) if (seen_value(b, e)) return true;
  return false;
}

static bool same_scope(const struct pt_rules_rule *r, json_t *a, json_t *b) {
  if (r->scope == SCOPE_RUN)
    return true;
  const char *k = r->scope == SCOPE_PHASE ? "phase" : "pid";
  json_t *x = json_object_get(a, k), *y = json_object_get(b, k);
  if (r->scope == SCOPE_PROCESS &&
      (!json_is_integer(x) || json_integer_value(x) <= 0))
    return false; /* unattributed events share no process */
  return x && y && json_equal(x, y);
}

static int eval_seq(const pt_rules *rs, const struct pt_rules_ctx *c,
                    const struct pt_rules_rule *r, json_t *findings) {
  json_t *src = source_of(c, SRC_EVENTS);
  if (src == NULL)
    return 0;
  size_t ns = r->n_steps, n_ev = json_array_size(src);
  /* Candidates of each step, in event order. */
  size_t *cand[PT_RULES_STEPS_MAX] = {0}, n_cand[PT_RULES_STEPS_MAX] = {0};
  int rc = 0;
  for (size_t s = 0; s < ns && rc == 0; s++) {
    if ((cand[s] = malloc((n_ev ? n_ev : 1) * sizeof(size_t))) == NULL) {
      rc = -1;
      break;
    }
    const struct pt_rules_matcher *m = step_matcher(rs, &r->steps[s]);
    for (size_t i = 0; i < n_ev; i++)
      if (pt_rules_match(c, m, json_array_get(src, i), i))
        cand[s][n_cand[s]++] = i;
  }
  struct groups gs = {0};
  size_t matches = 0;
  for (size_t a = 0; rc == 0 && a < n_cand[0] && a < SEQ_STARTS_MAX &&
                     matches < SEQ_MATCHES_MAX;
       a++) {
    size_t chain[PT_RULES_STEPS_MAX];
    chain[0] = cand[0][a];
    json_t *e0 = json_array_get(src, chain[0]);
    json_t *k0 = json_array();
    if (k0 == NULL) {
      rc = -1;
      break;
    }
    key_values(c, &r->steps[0], e0, chain[0], k0);
    bool ok = true;
    for (size_t s = 1; ok && s < ns; s++) {
      ok = false;
      for (size_t b = 0; b < n_cand[s]; b++) {
        size_t ib = cand[s][b];
        if (r->ordered ? ib <= chain[s - 1] : ib == chain[0])
          continue;
        json_t *eb = json_array_get(src, ib);
        if (!same_scope(r, e0, eb))
          continue;
        if (r->steps[0].n_keys && r->steps[s].n_keys) {
          json_t *kb = json_array();
          key_values(c, &r->steps[s], eb, ib, kb);
          bool meet = keys_meet(k0, kb);
          json_decref(kb);
          if (!meet)
            continue;
        }
        chain[s] = ib;
        ok = true;
        break;
      }
    }
    json_decref(k0);
    if (!ok)
      continue;
    matches++;
    /* The finding belongs to the phase where the sequence completed (a
     * file dropped at install and run at import is an import finding). */
    struct group *g = group_for(
        &gs, phase_of(json_array_get(src, chain[ns - 1]), SRC_EVENTS));
    if (g == NULL) {
      rc = -1;
      break;
    }
    if (g->n_first == 0) {
      memcpy(g->first, chain, ns * sizeof(size_t));
      g->n_first = ns;
    }
    g->count++;
    for (size_t s = 0; s < ns && rc == 0; s++)
      rc = group_add(g, chain[s]);
    /* The other events of each later step in the same scope are evidence
     * too (every network attempt next to the credential read, not only
     * the first), up to what a finding shows. */
    for (size_t s = 1; s < ns && rc == 0; s++)
      for (size_t b = 0;
           b < n_cand[s] && g->n < PT_VERDICT_EVIDENCE_MAX && rc == 0; b++) {
        json_t *eb = json_array_get(src, cand[s][b]);
        if (!same_scope(r, e0, eb))
          continue;
        if (r->steps[0].n_keys && r->steps[s].n_keys) {
          json_t *ka = json_array(), *kb = json_array();
          key_values(c, &r->steps[0], e0, chain[0], ka);
          key_values(c, &r->steps[s], eb, cand[s][b], kb);
          bool meet = keys_meet(ka, kb);
          json_decref(ka);
          json_decref(kb);
          if (!meet)
            continue;
        }
        rc = group_add(g, cand[s][b]);
      }
  }
  for (size_t k = 0; rc == 0 && k < gs.n; k++)
    rc = emit(c, r, src, &gs.g[k], findings);
  groups_free(&gs);
  for (size_t s = 0; s < ns; s++)
    free(cand[s]);
  return rc;
}

/* ---- verdict ---------------------------------------------------------- */

static enum pt_rules_sev sev_of(json_t *f) {
  const char *s = json_string_value(json_object_get(f, "severity"));
  for (int i = 0; s && i < 5; i++)
    if (strcmp(s, pt_rules_sev_names[i]) == 0)
      return (enum pt_rules_sev)i;
  return SEV_INFO;
}

/* A phase that repeats another (its record's "repeats": the second import)
 * is there for what only it shows; a finding of a rule that the first run
 * showed too is folded into that one's: its phase joins "also_in" and its
 * count is added. */
static void fold_repeats(json_t *record, json_t *fs) {
  json_t *phases = json_object_get(record, "phases");
  for (size_t i = 0; i < json_array_size(fs);) {
    json_t *f = json_array_get(fs, i);
    const char *ph = json_string_value(json_object_get(f, "phase"));
    const char *rule = json_string_value(json_object_get(f, "rule"));
    const char *of = NULL;
    size_t k;
    json_t *p;
    json_array_foreach(phases, k, p) {
      const char *n = json_string_value(json_object_get(p, "name"));
      if (ph && n && strcmp(n, ph) == 0) {
        of = json_string_value(json_object_get(p, "repeats"));
        break;
      }
    }
    json_t *into = NULL;
    for (size_t j = 0; of && rule && j < json_array_size(fs) && !into; j++) {
      json_t *g = json_array_get(fs, j);
      const char *gp = json_string_value(json_object_get(g, "phase"));
      const char *gr = json_string_value(json_object_get(g, "rule"));
      if (j != i && gp && gr && strcmp(gp, of) == 0 && strcmp(gr, rule) == 0)
        into = g;
    }
    if (into == NULL) {
      i++;
      continue;
    }
    json_t *also = json_object_get(into, "also_in");
    if (also == NULL) {
      also = json_array();
      json_object_set_new(into, "also_in", also);
    }
    json_array_append_new(also, json_string(ph));
    json_int_t n = json_integer_value(json_object_get(into, "count")) +
                   json_integer_value(json_object_get(f, "count"));
    json_object_set_new(into, "count", json_integer(n));
    json_array_remove(fs, i);
  }
}

/* Stable sort by severity, most severe first (insertion: lists are short). */
static void sort_findings(json_t *fs) {
  size_t n = json_array_size(fs);
  for (size_t i = 1; i < n; i++) {
    json_t *x = json_incref(json_array_get(fs, i));
    size_t j = i;
    while (j > 0 && sev_of(json_array_get(fs, j - 1)) < sev_of(x)) {
      json_array_set(fs, j, json_array_get(fs, j - 1));
      j--;
    }
    json_array_set_new(fs, j, x);
  }
}

/* A problem with the archive itself (artifact.h's `archive-*` rules),
 * which rejects it before anything runs; the record's other problems
 * (code-never-loaded) are about a package that did run. */
static bool archive_problem(const json_t *problems) {
  size_t i;
  json_t *p;
  json_array_foreach(problems, i, p) {
    const char *rule = json_string_value(json_object_get(p, "rule"));
    if (rule && strncmp(rule, "archive-", 8) == 0)
      return true;
  }
  return false;
}

int pt_rules_evaluate(const pt_rules *rs, json_t *record, json_t **findings_out,
                      int *score_out, const char **verdict_out, pt_err **err) {
  *findings_out = NULL;
  if (rs == NULL || !json_is_object(record))
    return pt_err_make(err, EINVAL, "verdict: the record is not an object");
  struct pt_rules_ctx c;
  json_t *findings = json_array();
  if (findings == NULL || pt_rules_ctx_init(&c, record) < 0) {
    pt_rules_ctx_free(&c);
    json_decref(findings);
    return pt_err_make(err, ENOMEM, "verdict");
  }
  int score = 0;
  enum pt_rules_verdict least = V_CLEAN;
  bool critical = false;
  for (size_t i = 0; i < rs->n; i++) {
    const struct pt_rules_rule *r = &rs->rules[i];
    size_t before = json_array_size(findings);
    int rc = r->is_seq ? eval_seq(rs, &c, r, findings)
                       : eval_single(&c, r, findings);
    if (rc < 0) {
      pt_rules_ctx_free(&c);
      json_decref(findings);
      return pt_err_make(err, ENOMEM, "verdict: rule %s", r->id);
    }
    if (json_array_size(findings) == before)
      continue;
    /* A rule counts once, however many phases or events it matched:
     * repetition of one behaviour is not more evidence of intent. */
    score += r->weight >= 0 ? r->weight : rs->weights[r->sev];
    if (r->sev == SEV_CRITICAL)
      critical = true;
    if ((enum pt_rules_verdict)r->min_verdict > least)
      least = (enum pt_rules_verdict)r->min_verdict;
  }
  pt_rules_ctx_free(&c);
  fold_repeats(record, findings);
  sort_findings(findings);
  if (score > 100)
    score = 100;
  enum pt_rules_verdict v = V_CLEAN;
  if (critical || score >= rs->malicious_at)
    v = V_MALICIOUS;
  else if (score >= rs->suspicious_at)
    v = V_SUSPICIOUS;
  if (least > v)
    v = least;
  static const char *const names[] = {"clean", "suspicious", "malicious"};
  const char *verdict = names[v];
  /* A run that failed and showed nothing is not evidence of cleanliness. */
  /* A rejected archive was never run: its verdict is error whatever the
   * findings about the archive itself (they stay in the report). A
   * package that failed later keeps what its code was seen doing (a
   * payload may well crash the install), and is error only when clean. */
  if (json_is_string(json_object_get(record, "error")) &&
      (v == V_CLEAN || archive_problem(json_object_get(record, "problems"))))
    verdict = "error";
  *findings_out = findings;
  *score_out = score;
  *verdict_out = verdict;
  return 0;
}
