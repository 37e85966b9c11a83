/* Internals of the verdict engine, shared by rules_load.c (parsing and
 * validation), rules_match.c (field paths, conditions, the process table)
 * and verdict.c (rule evaluation, findings, score). */
#ifndef PT_RULES_INT_H
#define PT_RULES_INT_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "verdict.h"

/* Steps of one sequence rule. */
#define PT_RULES_STEPS_MAX 8

enum pt_rules_sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
enum pt_rules_src { SRC_EVENTS, SRC_PHASES, SRC_HIJACKS, SRC_PROBLEMS };
enum pt_rules_scope { SCOPE_PHASE, SCOPE_PROCESS, SCOPE_RUN };
enum pt_rules_verdict { V_CLEAN, V_SUSPICIOUS, V_MALICIOUS };

enum pt_rules_op {
  OP_EQUALS, /* value equal (string, number, bool, null) */
  OP_NOT_EQUALS,
  OP_IN,       /* one of a list of values */
  OP_GLOB,     /* fnmatch(3), no FNM_PATHNAME: '*' crosses '/' */
  OP_REGEX,    /* POSIX extended, REG_NOSUB */
  OP_PREFIX,   /* starts with */
  OP_CONTAINS, /* substring */
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
  OP_EXISTS,   /* the path resolves (true) or not (false) */
  OP_MODE_ANY, /* octal mode string has any of these bits ("0111") */
  OP_NOT,      /* sub-condition does not hold */
};

/* One condition on one field path. String operands may hold ${HOME},
 * ${USER}, ${PACKAGE} and ${HOSTNAME}: substituted from the record at
 * evaluation. */
struct pt_rules_cond {
  char *path;
  enum pt_rules_op op;
  char **strs; /* OP_GLOB/PREFIX/CONTAINS: alternatives */
  size_t n_strs;
  regex_t *res; /* OP_REGEX: alternatives */
  size_t n_res;
  json_t *value; /* OP_EQUALS/NOT_EQUALS/IN (a list for IN) */
  double num;
  unsigned long mode;
  bool flag;                 /* OP_EXISTS */
  struct pt_rules_cond *sub; /* OP_NOT */
};

struct pt_rules_conds {
  struct pt_rules_cond *v;
  size_t n;
};

/* One event matcher: every part that is present must hold. */
struct pt_rules_matcher {
  enum pt_rules_src src;
  char **kinds;
  size_t n_kinds;
  char **phase_kinds;
  size_t n_phase_kinds;
  char **ecosystems; /* record.package.ecosystem */
  size_t n_ecosystems;
  struct pt_rules_conds where;
  struct pt_rules_conds ancestor; /* all hold for one strict ancestor */
  struct pt_rules_conds phase_exec; /* all hold for one exec of the phase */
  struct pt_rules_matcher *any;   /* alternatives: one of them must hold */
  size_t n_any;
  struct pt_rules_matcher *unless; /* allowlist: any of them excludes */
  size_t n_unless;
  size_t min_matches; /* per phase; 0/1: every match counts */
  char *distinct;     /* count distinct values of this path */
  /* An entry of any/unless may instead name a single-event rule: it holds
   * when that rule's matcher (its unless included) does. */
  char *ref_name;
  const struct pt_rules_matcher *ref; /* resolved once every file is in */
};

struct pt_rules_step {
  struct pt_rules_matcher *own; /* inline match, or */
  char *ref_name;               /* a single-event rule, by id */
  size_t ref;                   /* its index once resolved */
  char **keys; /* join: values of these paths must meet step 0's */
  size_t n_keys;
};

struct pt_rules_rule {
  char *id, *description, *summary, *file;
  enum pt_rules_sev sev;
  int weight;
  int min_verdict; /* enum pt_rules_verdict */
  bool is_seq;
  struct pt_rules_matcher m; /* single */
  struct pt_rules_step *steps;
  size_t n_steps;
  enum pt_rules_scope scope;
  bool ordered;
};

struct pt_rules {
  struct pt_rules_rule *rules;
  size_t n, cap;
  json_t *lists; /* named value lists: {"NAME": [...]}, for in_list */
  int weights[5];
  int suspicious_at, malicious_at;
  bool scoring_seen;
};

/* ---- rules_load.c ---------------------------------------------------- */
extern const char *const pt_rules_sev_names[5];
void pt_rules_matcher_free(struct pt_rules_matcher *m);

/* ---- rules_match.c --------------------------------------------------- */

/* One process image: what a pid was running from event index `idx` on. */
struct pt_rules_image {
  size_t idx;
  json_t *argv; /* borrowed */
  const char *exe;
  bool from_exec;
  json_t *obj; /* {pid, ppid, argv, exe, cmdline}: what paths resolve on */
};
struct pt_rules_proc {
  long pid, ppid;
  struct pt_rules_image *img;
  size_t n_img, cap_img;
};

/* What one evaluation knows beyond the event: the record, its phases,
 * the process table and the substitution variables. */
struct pt_rules_ctx {
  json_t *record; /* borrowed */
  json_t *events; /* borrowed array (may be empty) */
  json_t *phases; /* borrowed array */
  const char *ecosystem;
  struct pt_rules_proc *procs; /* sorted by pid */
  size_t n_procs;
  /* {name, value}: HOME, USER, PACKAGE, HOSTNAME, CANARY */
  const char *vars[5][2];
};

int pt_rules_ctx_init(struct pt_rules_ctx *c, json_t *record);
void pt_rules_ctx_free(struct pt_rules_ctx *c);
/* Kind of the phase named `name` (NULL when unknown). */
const char *pt_rules_phase_kind(const struct pt_rules_ctx *c, const char *name);
/* Does element `el` (index idx in its source array) satisfy m? */
bool pt_rules_match(const struct pt_rules_ctx *c,
                    const struct pt_rules_matcher *m, json_t *el, size_t idx);
/* Resolve a field path on an element (virtual fields included); the
 * result is borrowed or, when *owned, must be decref'd. */
json_t *pt_rules_resolve(const struct pt_rules_ctx *c, json_t *el, size_t idx,
                         const char *path, bool *owned);

#endif
