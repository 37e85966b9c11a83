/* Loading detection rules: JSON files from profiles/rules/ (the format is
 * documented in profiles/rules/README.md). Rule files are user input, so
 * everything is validated here, with hard caps on sizes and counts, and the
 * first problem is reported as "FILE: rule ID: where: what". Unknown keys
 * are errors: a misspelt "unles" would otherwise silently widen a rule. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_util.h"
#include "rules_int.h"

#define RULES_FILE_MAX (1u << 20) /* bytes of one rule file */
#define RULES_MAX 1000            /* rules across all files */
#define RULES_FILES_MAX 256       /* *.json files read from a directory */
#define LIST_MAX 256              /* entries of any list */
#define STR_MAX 4096              /* bytes of any string operand */
#define PATH_MAX_LEN 256          /* bytes of a field path */
#define REGEX_MAX 512             /* bytes of a regex */
#define UNLESS_MAX 64             /* allowlist entries per matcher */
#define STEPS_MAX PT_RULES_STEPS_MAX
#define DEPTH_MAX 8 /* nested "not" */

const char *const pt_rules_sev_names[5] = {"info", "low", "medium", "high",
                                           "critical"};
static const int default_weights[5] = {0, 5, 15, 40, 100};

/* Where in the files a problem is: "FILE: rule ID: PART"; and the named
 * lists defined so far, which {"list": NAME} operands look up. */
struct where {
  const char *file, *rule;
  char part[192];
  json_t *lists; /* borrowed from pt_rules */
};

__attribute__((format(printf, 3, 4))) static int
fail(pt_err **err, const struct where *w, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  if (w->rule)
    return pt_err_make(err, 0, "%s: rule %s: %s%s%s", w->file, w->rule, w->part,
                       w->part[0] ? ": " : "", what);
  return pt_err_make(err, 0, "%s: %s%s%s", w->file, w->part,
                     w->part[0] ? ": " : "", what);
}

/* Extend w->part with ".name"; returns the old length to restore. */
static size_t push(struct where *w, const char *name) {
  size_t old = strlen(w->part);
  snprintf(w->part + old, sizeof(w->part) - old, "%s%s", old ? "." : "", name);
  return old;
}
static void pop(struct where *w, size_t old) { w->part[old] = '\0'; }

/* Only these keys are allowed in obj. */
static int check_keys(json_t *obj, const char *const *allowed,
                      const struct where *w, pt_err **err) {
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    bool ok = false;
    for (size_t i = 0; allowed[i]; i++)
      if (strcmp(k, allowed[i]) == 0)
        ok = true;
    if (!ok)
      return fail(err, w, "unknown key \"%.64s\"", k);
  }
  return 0;
}

/* A string or a list of strings, each non-empty and at most STR_MAX. */
static int str_list(json_t *v, char ***out, size_t *n, const struct where *w,
                    pt_err **err) {
  size_t cnt = json_is_array(v) ? json_array_size(v) : 1;
  if (!json_is_string(v) && !json_is_array(v))
    return fail(err, w, "expected a string or a list of strings");
  if (cnt == 0 || cnt > LIST_MAX)
    return fail(err, w, "a list of 1 to %d strings", LIST_MAX);
  char **a = calloc(cnt, sizeof(*a));
  if (a == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  *out = a;
  *n = 0;
  for (size_t i = 0; i < cnt; i++) {
    json_t *s = json_is_array(v) ? json_array_get(v, i) : v;
    if (!json_is_string(s) || json_string_length(s) == 0 ||
        json_string_length(s) > STR_MAX ||
        strlen(json_string_value(s)) != json_string_length(s))
      return fail(err, w,
                  "entry %zu: a non-empty string without NUL of at "
                  "most %d bytes",
                  i, STR_MAX);
    if ((a[i] = strdup(json_string_value(s))) == NULL)
      return pt_err_make(err, ENOMEM, "rules");
    (*n)++;
  }
  return 0;
}

static void str_list_free(char **a, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(a[i]);
  free(a);
}

/* Field paths: dot-separated names or array indexes. */
static int check_path(const char *p, const struct where *w, pt_err **err) {
  size_t l = strlen(p);
  if (l == 0 || l > PATH_MAX_LEN)
    return fail(err, w, "field path of 1 to %d bytes", PATH_MAX_LEN);
  if (p[0] == '.' || p[l - 1] == '.' || strstr(p, ".."))
    return fail(err, w, "field path \"%s\" has an empty segment", p);
  for (const char *c = p; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      return fail(err, w, "field path has a control character");
  return 0;
}

/* glibc's regcomp copies a group's tree for every repetition ("x{64}",
 * "(x+)+" duplicates, and stacked operators like "r+++" double it each
 * time) and regexec on back-references is exponential: a rule file must
 * not be able to stall the engine or exhaust memory, so patterns stay
 * small: groups nested at most 6 deep, no operator on an operator, at most
 * two bounded repetitions of at most 32, no back-references. */
static int check_regex(const char *re, const struct where *w, pt_err **err) {
  if (strlen(re) > REGEX_MAX)
    return fail(err, w, "regex longer than %d bytes", REGEX_MAX);
  int braces = 0, depth = 0;
  bool after_op = false, in_bracket = false;
  for (const char *c = re; *c; c++) {
    if (in_bracket) { /* [...] holds literals; "]" first is one too */
      if (*c == ']' && c[-1] != '[' && !(c[-1] == '^' && c[-2] == '['))
        in_bracket = false;
      continue;
    }
    bool op = false;
    if (c[0] == '\\' && c[1] >= '1' && c[1] <= '9')
      return fail(err, w, "back-references are not supported");
    if (c[0] == '\\' && c[1]) {
      c++;
    } else if (*c == '[') {
      in_bracket = true;
    } else if (*c == '(') {
      if (++depth > 6)
        return fail(err, w, "groups nested deeper than 6");
    } else if (*c == ')') {
      depth--;
    } else if (*c == '*' || *c == '+' || *c == '?') {
      op = true;
    } else if (*c == '{') {
      char *end;
      long a = strtol(c + 1, &end, 10), b = a;
      if (*end == ',')
        b = end[1] == '}' ? a : strtol(end + 1, &end, 10);
      if (a > 32 || b > 32 || ++braces > 2)
        return fail(err, w,
                    "repetition bounds over 32 or more than 2 "
                    "bounded repetitions");
      const char *close = strchr(c, '}');
      if (close)
        c = close;
      op = true;
    }
    if (op && after_op)
      return fail(err, w, "a repetition operator on a repetition operator");
    after_op = op;
  }
  return 0;
}

static void cond_free(struct pt_rules_cond *c) {
  free(c->path);
  str_list_free(c->strs, c->n_strs);
  for (size_t i = 0; i < c->n_res; i++)
    regfree(&c->res[i]);
  free(c->res);
  json_decref(c->value);
  if (c->sub) {
    cond_free(c->sub);
    free(c->sub);
  }
}

static void conds_free(struct pt_rules_conds *cs) {
  for (size_t i = 0; i < cs->n; i++)
    cond_free(&cs->v[i]);
  free(cs->v);
  cs->v = NULL;
  cs->n = 0;
}

static bool scalar(json_t *v) {
  return json_is_string(v) || json_is_number(v) || json_is_boolean(v) ||
         json_is_null(v);
}

static int parse_conds_of(const char *path, json_t *v,
                          struct pt_rules_conds *cs, int depth, struct where *w,
                          pt_err **err);

/* One operator of a condition object: {"glob": [...]} etc. */
static int parse_op(const char *path, const char *op, json_t *v,
                    struct pt_rules_cond *c, int depth, struct where *w,
                    pt_err **err) {
  static const struct {
    const char *name;
    enum pt_rules_op op;
  } ops[] = {{"equals", OP_EQUALS},
             {"not_equals", OP_NOT_EQUALS},
             {"in", OP_IN},
             {"glob", OP_GLOB},
             {"regex", OP_REGEX},
             {"prefix", OP_PREFIX},
             {"contains", OP_CONTAINS},
             {"lt", OP_LT},
             {"le", OP_LE},
             {"gt", OP_GT},
             {"ge", OP_GE},
             {"exists", OP_EXISTS},
             {"mode_any", OP_MODE_ANY},
             {"not", OP_NOT}};
  size_t i = 0;
  while (i < PT_ARRAY_LEN(ops) && strcmp(ops[i].name, op) != 0)
    i++;
  if (i == PT_ARRAY_LEN(ops))
    return fail(err, w,
                "unknown operator \"%.64s\" (equals, not_equals, in, "
                "glob, regex, prefix, contains, lt, le, gt, ge, "
                "exists, mode_any, not)",
                op);
  c->op = ops[i].op;
  if ((c->path = strdup(path)) == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  /* The list operators take {"list": NAME} for a named list, defined
   * before its first use: earlier in the file's "lists" or in a file read
   * before (files go in name order). */
  bool listy = c->op == OP_IN || c->op == OP_GLOB || c->op == OP_REGEX ||
               c->op == OP_PREFIX || c->op == OP_CONTAINS;
  if (listy && json_is_object(v)) {
    json_t *name = json_object_get(v, "list");
    json_t *l = json_is_string(name) && json_object_size(v) == 1
                    ? json_object_get(w->lists, json_string_value(name))
                    : NULL;
    if (l == NULL)
      return fail(err, w,
                  "%s: {\"list\": NAME} names a list defined before (in "
                  "\"lists\" of this file or of an earlier one)",
                  op);
    v = l;
  }
  switch (c->op) {
  case OP_EQUALS:
  case OP_NOT_EQUALS:
    if (!scalar(v))
      return fail(err, w, "%s takes a string, number, boolean or null", op);
    c->value = json_incref(v);
    return 0;
  case OP_IN: {
    if (!json_is_array(v) || json_array_size(v) == 0 ||
        json_array_size(v) > LIST_MAX)
      return fail(err, w, "in takes a list of 1 to %d values", LIST_MAX);
    size_t k;
    json_t *e;
    json_array_foreach(v, k, e) if (!scalar(e)) return fail(
        err, w, "in: entry %zu is not a string, number, boolean or null", k);
    c->value = json_incref(v);
    return 0;
  }
  case OP_GLOB:
  case OP_PREFIX:
  case OP_CONTAINS:
    return str_list(v, &c->strs, &c->n_strs, w, err);
  case OP_REGEX: {
    char **pats = NULL;
    size_t n = 0;
    int rc = str_list(v, &pats, &n, w, err);
    if (rc == 0 && (c->res = calloc(n, sizeof(regex_t))) == NULL)
      rc = pt_err_make(err, ENOMEM, "rules");
    for (size_t k = 0; rc == 0 && k < n; k++) {
      if ((rc = check_regex(pats[k], w, err)) < 0)
        break;
      int e = regcomp(&c->res[k], pats[k], REG_EXTENDED | REG_NOSUB);
      if (e != 0) {
        char msg[128];
        regerror(e, &c->res[k], msg, sizeof(msg));
        rc = fail(err, w, "regex \"%.80s\": %s", pats[k], msg);
        break;
      }
      c->n_res++;
    }
    str_list_free(pats, n);
    return rc;
  }
  case OP_LT:
  case OP_LE:
  case OP_GT:
  case OP_GE:
    if (!json_is_number(v))
      return fail(err, w, "%s takes a number", op);
    c->num = json_number_value(v);
    return 0;
  case OP_EXISTS:
    if (!json_is_boolean(v))
      return fail(err, w, "exists takes true or false");
    c->flag = json_is_true(v);
    return 0;
  case OP_MODE_ANY: {
    const char *s = json_string_value(v);
    char *end = NULL;
    if (s == NULL || *s == '\0' || strlen(s) > 6 ||
        (c->mode = strtoul(s, &end, 8), *end != '\0') || c->mode > 07777)
      return fail(err, w, "mode_any takes an octal mode string like \"0111\"");
    return 0;
  }
  case OP_NOT: {
    struct pt_rules_conds sub = {0};
    if (depth >= DEPTH_MAX)
      return fail(err, w, "not nested deeper than %d", DEPTH_MAX);
    if (parse_conds_of(path, v, &sub, depth + 1, w, err) < 0) {
      conds_free(&sub);
      return -1;
    }
    if (sub.n != 1) {
      conds_free(&sub);
      return fail(err, w, "not takes exactly one condition");
    }
    c->sub = sub.v;
    return 0;
  }
  }
  return 0;
}

static int conds_grow(struct pt_rules_conds *cs, pt_err **err) {
  struct pt_rules_cond *nv = realloc(cs->v, (cs->n + 1) * sizeof(*nv));
  if (nv == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  cs->v = nv;
  memset(&cs->v[cs->n], 0, sizeof(cs->v[0]));
  cs->n++;
  return 0;
}

/* The value of one "path": condition. A scalar means equals, a list means
 * in, an object holds operators (all must hold). */
static int parse_conds_of(const char *path, json_t *v,
                          struct pt_rules_conds *cs, int depth, struct where *w,
                          pt_err **err) {
  if (cs->n >= LIST_MAX)
    return fail(err, w, "more than %d conditions", LIST_MAX);
  if (scalar(v) || json_is_array(v)) {
    if (conds_grow(cs, err) < 0)
      return -1;
    return parse_op(path, json_is_array(v) ? "in" : "equals", v,
                    &cs->v[cs->n - 1], depth, w, err);
  }
  if (!json_is_object(v) || json_object_size(v) == 0)
    return fail(err, w,
                "a condition is a value, a list or an object of "
                "operators");
  const char *op;
  json_t *arg;
  json_object_foreach(v, op, arg) {
    if (conds_grow(cs, err) < 0 ||
        parse_op(path, op, arg, &cs->v[cs->n - 1], depth, w, err) < 0)
      return -1;
  }
  return 0;
}

static int parse_conds(json_t *obj, struct pt_rules_conds *cs, struct where *w,
                       pt_err **err) {
  if (!json_is_object(obj))
    return fail(err, w, "expected an object of field path: condition");
  const char *path;
  json_t *v;
  json_object_foreach(obj, path, v) {
    size_t old = push(w, path);
    int rc = check_path(path, w, err);
    if (rc == 0)
      rc = parse_conds_of(path, v, cs, 0, w, err);
    if (rc < 0)
      return -1;
    pop(w, old);
  }
  return 0;
}

/* Entry i of a matcher's any list, then of its unless list (i below
 * n_any + n_unless): where both lists get the same check. */
static struct pt_rules_matcher *nested_at(const struct pt_rules_matcher *m,
                                          size_t i) {
  return i < m->n_any ? &m->any[i] : &m->unless[i - m->n_any];
}

void pt_rules_matcher_free(struct pt_rules_matcher *m) {
  if (m == NULL)
    return;
  str_list_free(m->kinds, m->n_kinds);
  str_list_free(m->phase_kinds, m->n_phase_kinds);
  str_list_free(m->ecosystems, m->n_ecosystems);
  conds_free(&m->where);
  conds_free(&m->ancestor);
  conds_free(&m->phase_exec);
  for (size_t i = 0; i < m->n_unless; i++)
    pt_rules_matcher_free(&m->unless[i]);
  free(m->unless);
  for (size_t i = 0; i < m->n_any; i++)
    pt_rules_matcher_free(&m->any[i]);
  free(m->any);
  free(m->distinct);
  free(m->ref_name);
  memset(m, 0, sizeof(*m));
}

static const char *const phase_kind_names[] = {
    "install", "startup",   "import", "entry_point",
    "hook",    "lifecycle", "bin",    NULL};

static int parse_matcher(json_t *o, struct pt_rules_matcher *m, bool top,
                         struct where *w, pt_err **err) {
  static const char *const keys_top[] = {
      "in",         "kind",  "phase_kind", "ecosystem",   "where",
      "ancestor",   "phase_exec", "any", "unless", "min_matches",
      "distinct",   NULL};
  static const char *const keys_unless[] = {
      "kind", "phase_kind", "ecosystem", "where", "ancestor", "phase_exec",
      "rule", NULL};
  if (!json_is_object(o))
    return fail(err, w, "expected an object");
  if (check_keys(o, top ? keys_top : keys_unless, w, err) < 0)
    return -1;
  json_t *v;
  size_t old;
  if ((v = json_object_get(o, "rule"))) {
    /* resolved by resolve_refs once every file is read */
    if (!json_is_string(v) || json_object_size(o) != 1)
      return fail(err, w, "rule: a rule id, alone in its entry");
    if ((m->ref_name = strdup(json_string_value(v))) == NULL)
      return pt_err_make(err, ENOMEM, "rules");
    return 0;
  }
  if ((v = json_object_get(o, "in"))) {
    static const char *const srcs[] = {"events", "phases", "hijacks",
                                       "problems"};
    const char *s = json_string_value(v);
    size_t i = 0;
    while (s && i < 4 && strcmp(s, srcs[i]) != 0)
      i++;
    if (s == NULL || i == 4)
      return fail(err, w, "in: one of events, phases, hijacks, problems");
    m->src = (enum pt_rules_src)i;
  }
  if ((v = json_object_get(o, "kind"))) {
    old = push(w, "kind");
    if (str_list(v, &m->kinds, &m->n_kinds, w, err) < 0)
      return -1;
    pop(w, old);
  }
  if ((v = json_object_get(o, "phase_kind"))) {
    old = push(w, "phase_kind");
    if (str_list(v, &m->phase_kinds, &m->n_phase_kinds, w, err) < 0)
      return -1;
    for (size_t i = 0; i < m->n_phase_kinds; i++) {
      bool ok = false;
      for (size_t k = 0; phase_kind_names[k]; k++)
        ok |= strcmp(m->phase_kinds[i], phase_kind_names[k]) == 0;
      if (!ok)
        return fail(err, w,
                    "unknown phase kind \"%.64s\" (install, startup, "
                    "import, entry_point, hook, lifecycle, bin)",
                    m->phase_kinds[i]);
    }
    pop(w, old);
  }
  if ((v = json_object_get(o, "ecosystem"))) {
    old = push(w, "ecosystem");
    if (str_list(v, &m->ecosystems, &m->n_ecosystems, w, err) < 0)
      return -1;
    pop(w, old);
  }
  if ((v = json_object_get(o, "where"))) {
    old = push(w, "where");
    if (parse_conds(v, &m->where, w, err) < 0)
      return -1;
    pop(w, old);
  }
  /* Conditions on another element than the matched one: an ancestor
   * process, an exec of the same phase. */
  const char *other[2] = {"ancestor", "phase_exec"};
  struct pt_rules_conds *other_conds[2] = {&m->ancestor, &m->phase_exec};
  for (int k = 0; k < 2; k++) {
    if ((v = json_object_get(o, other[k])) == NULL)
      continue;
    old = push(w, other[k]);
    if (parse_conds(v, other_conds[k], w, err) < 0)
      return -1;
    if (other_conds[k]->n == 0)
      return fail(err, w, "empty");
    pop(w, old);
  }
  const char *lists[2] = {"any", "unless"};
  struct pt_rules_matcher **dst[2] = {&m->any, &m->unless};
  size_t *cnt[2] = {&m->n_any, &m->n_unless};
  for (int l = 0; l < 2; l++) {
    if ((v = json_object_get(o, lists[l])) == NULL)
      continue;
    old = push(w, lists[l]);
    if (!json_is_array(v) || json_array_size(v) == 0 ||
        json_array_size(v) > UNLESS_MAX)
      return fail(err, w, "a list of 1 to %d matchers", UNLESS_MAX);
    if ((*dst[l] = calloc(json_array_size(v), sizeof(**dst[l]))) == NULL)
      return pt_err_make(err, ENOMEM, "rules");
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      char idx[32];
      snprintf(idx, sizeof(idx), "%zu", i);
      size_t o2 = push(w, idx);
      (*cnt[l])++;
      if (parse_matcher(e, &(*dst[l])[i], false, w, err) < 0)
        return -1;
      (*dst[l])[i].src = m->src;
      pop(w, o2);
    }
    pop(w, old);
  }
  if ((v = json_object_get(o, "min_matches"))) {
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > 10000)
      return fail(err, w, "min_matches: an integer from 1 to 10000");
    m->min_matches = (size_t)json_integer_value(v);
  }
  if ((v = json_object_get(o, "distinct"))) {
    old = push(w, "distinct");
    if (!json_is_string(v) || check_path(json_string_value(v), w, err) < 0)
      return json_is_string(v) ? -1 : fail(err, w, "a field path");
    if ((m->distinct = strdup(json_string_value(v))) == NULL)
      return pt_err_make(err, ENOMEM, "rules");
    pop(w, old);
  }
  if (m->src != SRC_EVENTS && (m->n_kinds || m->ancestor.n || m->phase_exec.n))
    return fail(err, w, "kind, ancestor and phase_exec apply to events only");
  for (size_t i = 0; i < m->n_any + m->n_unless; i++) {
    const struct pt_rules_matcher *x = nested_at(m, i);
    if (m->src != SRC_EVENTS &&
        (x->n_kinds || x->ancestor.n || x->phase_exec.n))
      return fail(err, w,
                  "kind, ancestor and phase_exec apply to events only");
  }
  return 0;
}

static int parse_sequence(json_t *o, struct pt_rules_rule *r, struct where *w,
                          pt_err **err) {
  static const char *const keys[] = {"scope", "ordered", "steps", NULL};
  if (!json_is_object(o))
    return fail(err, w, "expected an object");
  if (check_keys(o, keys, w, err) < 0)
    return -1;
  json_t *v = json_object_get(o, "scope");
  r->scope = SCOPE_PHASE;
  r->ordered = true;
  if (v) {
    const char *s = json_string_value(v);
    if (s && strcmp(s, "phase") == 0)
      r->scope = SCOPE_PHASE;
    else if (s && strcmp(s, "process") == 0)
      r->scope = SCOPE_PROCESS;
    else if (s && strcmp(s, "run") == 0)
      r->scope = SCOPE_RUN;
    else
      return fail(err, w, "scope: one of phase, process, run");
  }
  if ((v = json_object_get(o, "ordered"))) {
    if (!json_is_boolean(v))
      return fail(err, w, "ordered: true or false");
    r->ordered = json_is_true(v);
  }
  json_t *steps = json_object_get(o, "steps");
  if (!json_is_array(steps) || json_array_size(steps) < 2 ||
      json_array_size(steps) > STEPS_MAX)
    return fail(err, w, "steps: a list of 2 to %d steps", STEPS_MAX);
  if ((r->steps = calloc(json_array_size(steps), sizeof(*r->steps))) == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  size_t i;
  json_t *s;
  json_array_foreach(steps, i, s) {
    static const char *const skeys[] = {"rule", "match", "key", NULL};
    char idx[32];
    snprintf(idx, sizeof(idx), "steps.%zu", i);
    size_t old = push(w, idx);
    struct pt_rules_step *st = &r->steps[i];
    r->n_steps++;
    if (!json_is_object(s) || check_keys(s, skeys, w, err) < 0)
      return json_is_object(s) ? -1 : fail(err, w, "expected an object");
    json_t *ref = json_object_get(s, "rule"), *m = json_object_get(s, "match");
    if ((ref == NULL) == (m == NULL))
      return fail(err, w, "exactly one of rule (an id) or match");
    if (ref) {
      if (!json_is_string(ref))
        return fail(err, w, "rule: a rule id");
      if ((st->ref_name = strdup(json_string_value(ref))) == NULL)
        return pt_err_make(err, ENOMEM, "rules");
    } else {
      if ((st->own = calloc(1, sizeof(*st->own))) == NULL)
        return pt_err_make(err, ENOMEM, "rules");
      size_t o2 = push(w, "match");
      if (parse_matcher(m, st->own, true, w, err) < 0)
        return -1;
      if (st->own->src != SRC_EVENTS)
        return fail(err, w, "sequence steps match events only");
      pop(w, o2);
    }
    if ((v = json_object_get(s, "key"))) {
      size_t o2 = push(w, "key");
      if (str_list(v, &st->keys, &st->n_keys, w, err) < 0)
        return -1;
      for (size_t k = 0; k < st->n_keys; k++)
        if (check_path(st->keys[k], w, err) < 0)
          return -1;
      pop(w, o2);
    }
    pop(w, old);
  }
  return 0;
}

static void rule_free(struct pt_rules_rule *r) {
  free(r->id);
  free(r->description);
  free(r->summary);
  free(r->file);
  pt_rules_matcher_free(&r->m);
  for (size_t i = 0; i < r->n_steps; i++) {
    pt_rules_matcher_free(r->steps[i].own);
    free(r->steps[i].own);
    free(r->steps[i].ref_name);
    str_list_free(r->steps[i].keys, r->steps[i].n_keys);
  }
  free(r->steps);
}

static bool valid_id(const char *s) {
  size_t l = strlen(s);
  if (l < 2 || l > 64 || s[0] == '-')
    return false;
  for (const char *c = s; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
      return false;
  return true;
}

static int parse_rule(pt_rules *rs, json_t *o, struct where *w, pt_err **err) {
  static const char *const keys[] = {"id",      "severity", "description",
                                     "summary", "weight",   "verdict",
                                     "match",   "sequence", NULL};
  if (!json_is_object(o))
    return fail(err, w, "a rule is an object");
  const char *id = json_string_value(json_object_get(o, "id"));
  if (id == NULL || !valid_id(id))
    return fail(err, w, "rule without a valid id (2-64 of a-z, 0-9, '-')");
  w->rule = id;
  if (check_keys(o, keys, w, err) < 0)
    return -1;
  for (size_t i = 0; i < rs->n; i++)
    if (strcmp(rs->rules[i].id, id) == 0)
      return fail(err, w, "defined twice (first in %s)", rs->rules[i].file);
  if (rs->n >= RULES_MAX)
    return fail(err, w, "more than %d rules", RULES_MAX);
  if (rs->n == rs->cap) {
    size_t nc = rs->cap ? rs->cap * 2 : 32;
    struct pt_rules_rule *nr = realloc(rs->rules, nc * sizeof(*nr));
    if (nr == NULL)
      return pt_err_make(err, ENOMEM, "rules");
    rs->rules = nr;
    rs->cap = nc;
  }
  struct pt_rules_rule *r = &rs->rules[rs->n];
  memset(r, 0, sizeof(*r));
  rs->n++; /* counted now so a failure frees what was parsed */
  r->id = strdup(id);
  r->file = strdup(w->file);
  if (r->id == NULL || r->file == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  const char *sev = json_string_value(json_object_get(o, "severity"));
  size_t s = 0;
  while (sev && s < 5 && strcmp(sev, pt_rules_sev_names[s]) != 0)
    s++;
  if (sev == NULL || s == 5)
    return fail(err, w, "severity: one of info, low, medium, high, critical");
  r->sev = (enum pt_rules_sev)s;
  r->weight = -1; /* the severity's weight, from the scoring */
  json_t *v = json_object_get(o, "description");
  if (!json_is_string(v) || json_string_length(v) == 0 ||
      json_string_length(v) > 512)
    return fail(err, w, "description: a one-line string of 1 to 512 bytes");
  if ((r->description = strdup(json_string_value(v))) == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  if ((v = json_object_get(o, "summary"))) {
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > 512)
      return fail(err, w, "summary: a string of 1 to 512 bytes");
    if ((r->summary = strdup(json_string_value(v))) == NULL)
      return pt_err_make(err, ENOMEM, "rules");
  }
  if ((v = json_object_get(o, "weight"))) {
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > 100)
      return fail(err, w, "weight: an integer from 0 to 100");
    r->weight = (int)json_integer_value(v);
  }
  r->min_verdict = V_CLEAN;
  if ((v = json_object_get(o, "verdict"))) {
    const char *vs = json_string_value(v);
    if (vs && strcmp(vs, "suspicious") == 0)
      r->min_verdict = V_SUSPICIOUS;
    else if (vs && strcmp(vs, "malicious") == 0)
      r->min_verdict = V_MALICIOUS;
    else
      return fail(err, w,
                  "verdict: suspicious or malicious (the least "
                  "verdict this rule gives)");
  }
  json_t *m = json_object_get(o, "match"),
         *seq = json_object_get(o, "sequence");
  if ((m == NULL) == (seq == NULL))
    return fail(err, w, "exactly one of match or sequence");
  size_t old = push(w, m ? "match" : "sequence");
  if (m ? parse_matcher(m, &r->m, true, w, err) < 0
        : (r->is_seq = true, parse_sequence(seq, r, w, err) < 0))
    return -1;
  pop(w, old);
  return 0;
}

static int parse_scoring(pt_rules *rs, json_t *o, struct where *w,
                         pt_err **err) {
  static const char *const keys[] = {"weights", "suspicious", "malicious",
                                     NULL};
  size_t old = push(w, "scoring");
  if (rs->scoring_seen)
    return fail(err, w, "defined in more than one file");
  rs->scoring_seen = true;
  if (!json_is_object(o) || check_keys(o, keys, w, err) < 0)
    return json_is_object(o) ? -1 : fail(err, w, "expected an object");
  json_t *wt = json_object_get(o, "weights");
  if (wt) {
    if (!json_is_object(wt) ||
        check_keys(wt,
                   (const char *const[]){"info", "low", "medium", "high",
                                         "critical", NULL},
                   w, err) < 0)
      return json_is_object(wt) ? -1 : fail(err, w, "weights: an object");
    for (int i = 0; i < 5; i++) {
      json_t *x = json_object_get(wt, pt_rules_sev_names[i]);
      if (x == NULL)
        continue;
      if (!json_is_integer(x) || json_integer_value(x) < 0 ||
          json_integer_value(x) > 100)
        return fail(err, w, "weights.%s: an integer from 0 to 100",
                    pt_rules_sev_names[i]);
      rs->weights[i] = (int)json_integer_value(x);
    }
  }
  const char *names[2] = {"suspicious", "malicious"};
  int *dst[2] = {&rs->suspicious_at, &rs->malicious_at};
  for (int i = 0; i < 2; i++) {
    json_t *x = json_object_get(o, names[i]);
    if (x == NULL)
      continue;
    if (!json_is_integer(x) || json_integer_value(x) < 1 ||
        json_integer_value(x) > 100)
      return fail(err, w, "%s: a score from 1 to 100", names[i]);
    *dst[i] = (int)json_integer_value(x);
  }
  if (rs->suspicious_at > rs->malicious_at)
    return fail(err, w, "suspicious threshold above the malicious one");
  pop(w, old);
  return 0;
}

/* "lists": {"NAME": [value, ...]}: value lists that operators take as
 * {"list": NAME}, so that one list (the package hosts, the credential
 * files) is not copied into every rule that needs it. */
static int parse_lists(pt_rules *rs, json_t *o, struct where *w,
                       pt_err **err) {
  size_t old = push(w, "lists");
  if (!json_is_object(o))
    return fail(err, w, "an object of name: list of values");
  const char *name;
  json_t *v;
  json_object_foreach(o, name, v) {
    size_t o2 = push(w, name);
    if (!valid_id(name))
      return fail(err, w, "a list name is 2-64 of a-z, 0-9, '-'");
    if (json_object_get(rs->lists, name))
      return fail(err, w, "defined twice");
    if (!json_is_array(v) || json_array_size(v) == 0 ||
        json_array_size(v) > LIST_MAX)
      return fail(err, w, "a list of 1 to %d values", LIST_MAX);
    size_t k;
    json_t *e;
    json_array_foreach(v, k, e) {
      if (!scalar(e))
        return fail(err, w,
                    "entry %zu is not a string, number, boolean or null", k);
    }
    if (json_object_set(rs->lists, name, v) < 0)
      return pt_err_make(err, ENOMEM, "rules");
    pop(w, o2);
  }
  pop(w, old);
  return 0;
}

/* A file holds {"rules": [...], "scoring": {...}, "lists": {...}}, a list
 * of rules, or one rule object. */
static int parse_text(pt_rules *rs, const char *label, const char *text,
                      size_t len, pt_err **err) {
  struct where w = {.file = label};
  if (len > RULES_FILE_MAX)
    return fail(err, &w, "larger than %u bytes", RULES_FILE_MAX);
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (root == NULL)
    return pt_err_make(err, 0, "%s:%d:%d: %s", label, je.line, je.column,
                       je.text);
  int rc = 0;
  json_t *list = root;
  w.lists = rs->lists;
  if (json_is_object(root) &&
      (json_object_get(root, "rules") || json_object_get(root, "scoring") ||
       json_object_get(root, "lists"))) {
    static const char *const keys[] = {"rules", "scoring", "lists", "about",
                                       NULL};
    rc = check_keys(root, keys, &w, err);
    json_t *sc = json_object_get(root, "scoring"),
           *ls = json_object_get(root, "lists");
    if (rc == 0 && sc)
      rc = parse_scoring(rs, sc, &w, err);
    if (rc == 0 && ls)
      rc = parse_lists(rs, ls, &w, err);
    list = json_object_get(root, "rules");
    if (rc == 0 && list && !json_is_array(list))
      rc = fail(err, &w, "rules: a list of rules");
  }
  if (rc == 0 && json_is_array(list)) {
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
      w.rule = NULL;
      w.part[0] = '\0';
      if ((rc = parse_rule(rs, r, &w, err)) < 0)
        break;
    }
  } else if (rc == 0 && list) {
    rc = parse_rule(rs, list, &w, err);
  }
  json_decref(root);
  return rc;
}

static size_t rule_index(const pt_rules *rs, const char *id) {
  size_t k = 0;
  while (k < rs->n && strcmp(rs->rules[k].id, id) != 0)
    k++;
  return k;
}

/* Entries of any/unless that name a rule: it must be a single-event rule
 * over the same elements that judges each one alone (min_matches and
 * distinct count a phase's matches, which one element cannot stand for). */
static int resolve_matcher(pt_rules *rs, struct pt_rules_matcher *m,
                           struct where *w, pt_err **err) {
  for (size_t i = 0; i < m->n_any + m->n_unless; i++) {
    struct pt_rules_matcher *x = nested_at(m, i);
    if (x->ref_name == NULL)
      continue;
    size_t k = rule_index(rs, x->ref_name);
    if (k == rs->n)
      return fail(err, w, "no rule \"%.64s\"", x->ref_name);
    const struct pt_rules_rule *t = &rs->rules[k];
    if (t->is_seq || t->m.src != m->src)
      return fail(err, w,
                  "\"%.64s\" is not a single-event rule over the same "
                  "elements",
                  x->ref_name);
    if (t->m.min_matches > 1 || t->m.distinct)
      return fail(err, w,
                  "\"%.64s\" counts matches (min_matches, distinct): "
                  "one element cannot stand for it",
                  x->ref_name);
    x->ref = &t->m;
  }
  return 0;
}

/* A rule reached again through the rules its any/unless name would make
 * matching recurse forever. state: 0 unseen, 1 on the path, 2 done. */
static int ref_cycle(const pt_rules *rs, size_t k, unsigned char *state,
                     pt_err **err) {
  const struct pt_rules_matcher *m = &rs->rules[k].m;
  state[k] = 1;
  for (size_t i = 0; i < m->n_any + m->n_unless; i++) {
    const struct pt_rules_matcher *x = nested_at(m, i);
    if (x->ref_name == NULL)
      continue;
    size_t j = rule_index(rs, x->ref_name);
    if (state[j] == 1) {
      struct where w = {.file = rs->rules[k].file, .rule = rs->rules[k].id};
      return fail(err, &w, "names \"%.64s\", which leads back to it",
                  x->ref_name);
    }
    if (state[j] == 0 && ref_cycle(rs, j, state, err) < 0)
      return -1;
  }
  state[k] = 2;
  return 0;
}

/* Rule names (sequence steps, any/unless entries) are resolved once all
 * files are in, so a file may refer to a rule of another. */
static int resolve_refs(pt_rules *rs, pt_err **err) {
  for (size_t i = 0; i < rs->n; i++) {
    struct pt_rules_rule *r = &rs->rules[i];
    struct where wm = {.file = r->file, .rule = r->id};
    snprintf(wm.part, sizeof(wm.part), "%s",
             r->is_seq ? "sequence" : "match");
    if (resolve_matcher(rs, &r->m, &wm, err) < 0)
      return -1;
    for (size_t s = 0; s < r->n_steps; s++) {
      struct pt_rules_step *st = &r->steps[s];
      if (st->own && resolve_matcher(rs, st->own, &wm, err) < 0)
        return -1;
      if (st->ref_name == NULL)
        continue;
      struct where w = {.file = r->file, .rule = r->id};
      snprintf(w.part, sizeof(w.part), "sequence.steps.%zu.rule", s);
      size_t k = rule_index(rs, st->ref_name);
      if (k == rs->n)
        return fail(err, &w, "no rule \"%.64s\"", st->ref_name);
      if (rs->rules[k].is_seq || rs->rules[k].m.src != SRC_EVENTS)
        return fail(err, &w,
                    "\"%.64s\" is not a single-event rule over "
                    "events",
                    st->ref_name);
      st->ref = k;
    }
  }
  unsigned char *state = calloc(rs->n ? rs->n : 1, 1);
  if (state == NULL)
    return pt_err_make(err, ENOMEM, "rules");
  int rc = 0;
  for (size_t k = 0; rc == 0 && k < rs->n; k++)
    if (state[k] == 0)
      rc = ref_cycle(rs, k, state, err);
  free(state);
  return rc;
}

static pt_rules *rules_new(pt_err **err) {
  pt_rules *rs = calloc(1, sizeof(*rs));
  if (rs == NULL) {
    pt_err_make(err, ENOMEM, "rules");
    return NULL;
  }
  memcpy(rs->weights, default_weights, sizeof(rs->weights));
  if ((rs->lists = json_object()) == NULL) {
    free(rs);
    pt_err_make(err, ENOMEM, "rules");
    return NULL;
  }
  rs->suspicious_at = 15;
  rs->malicious_at = 70;
  return rs;
}

pt_rules *pt_rules_load_string(const char *label, const char *text, size_t len,
                               pt_err **err) {
  pt_rules *rs = rules_new(err);
  if (rs == NULL)
    return NULL;
  if (parse_text(rs, label, text, len, err) < 0 || resolve_refs(rs, err) < 0) {
    pt_rules_free(rs);
    return NULL;
  }
  return rs;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

pt_rules *pt_rules_load_dir(const char *dir, pt_err **err) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    pt_err_make(err, errno, "rules directory `%s`", dir);
    return NULL;
  }
  char *names[RULES_FILES_MAX];
  size_t n = 0;
  struct dirent *de;
  int rc = 0;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".json"))
      continue;
    if (n == RULES_FILES_MAX) {
      rc = pt_err_make(err, 0, "%s: more than %d rule files", dir,
                       RULES_FILES_MAX);
      break;
    }
    if ((names[n] = strdup(de->d_name)) == NULL) {
      rc = pt_err_make(err, ENOMEM, "rules");
      break;
    }
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof(names[0]), by_name);
  pt_rules *rs = rc == 0 ? rules_new(err) : NULL;
  for (size_t i = 0; rs && i < n; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    cleanup_free char *text = NULL;
    size_t len = 0;
    if (pt_read_file_at(AT_FDCWD, path, RULES_FILE_MAX + 1, &text, &len, err) <
            0 ||
        parse_text(rs, path, text, len, err) < 0) {
      pt_err_wrap(err, "rules");
      pt_rules_free(rs);
      rs = NULL;
    }
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  if (rs && rs->n == 0) {
    pt_err_make(err, 0, "rules: no rule in %s", dir);
    pt_rules_free(rs);
    return NULL;
  }
  if (rs && resolve_refs(rs, err) < 0) {
    pt_err_wrap(err, "rules");
    pt_rules_free(rs);
    return NULL;
  }
  return rs;
}

void pt_rules_free(pt_rules *rs) {
  if (rs == NULL)
    return;
  for (size_t i = 0; i < rs->n; i++)
    rule_free(&rs->rules[i]);
  free(rs->rules);
  json_decref(rs->lists);
  free(rs);
}

size_t pt_rules_count(const pt_rules *rs) { return rs ? rs->n : 0; }
