/* Matching one record element (an event, a phase, a hijack, an archive
 * problem) against a rule's matcher: field paths (real and virtual),
 * conditions, allowlists, and process ancestry from the record's own
 * `process` and `exec` events. Nothing here trusts the record's shape:
 * a missing or mistyped field simply does not match. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules_int.h"

#define ANCESTRY_MAX 64 /* parents walked (the table may hold a cycle) */
#define SUBST_MAX 8192  /* bytes of a pattern after ${VAR} substitution */
#define CMDLINE_MAX 8192

/* ---- process table ---------------------------------------------------- */

static int cmp_pid(const void *a, const void *b) {
  long x = ((const struct pt_rules_proc *)a)->pid;
  long y = ((const struct pt_rules_proc *)b)->pid;
  return (x > y) - (x < y);
}

static struct pt_rules_proc *proc_get(const struct pt_rules_ctx *c, long pid) {
  if (pid <= 0 || c->n_procs == 0)
    return NULL;
  struct pt_rules_proc key = {.pid = pid};
  return bsearch(&key, c->procs, c->n_procs, sizeof(key), cmp_pid);
}

static long int_field(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

/* argv joined by spaces (bounded): what a person reads as the command. */
static json_t *join_argv(json_t *argv) {
  if (!json_is_array(argv))
    return NULL;
  char buf[CMDLINE_MAX];
  size_t k = 0, i;
  json_t *a;
  buf[0] = '\0';
  json_array_foreach(argv, i, a) {
    const char *s = json_string_value(a);
    if (s == NULL)
      continue;
    int n = snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? " " : "", s);
    if (n < 0 || (size_t)n >= sizeof(buf) - k) {
      k = sizeof(buf) - 1;
      break;
    }
    k += (size_t)n;
  }
  buf[k] = '\0';
  return json_string(buf);
}

/* Each image becomes a small object {pid, ppid, argv, exe, cmdline} so
 * ancestor conditions and proc./parent./grandparent. paths resolve like
 * any field. */
static json_t *image_obj(long pid, long ppid, json_t *argv, const char *exe) {
  json_t *o = json_object();
  if (o == NULL)
    return NULL;
  json_object_set_new(o, "pid", json_integer(pid));
  json_object_set_new(o, "ppid", json_integer(ppid));
  if (json_is_array(argv)) {
    json_object_set(o, "argv", argv);
    json_object_set_new(o, "cmdline", join_argv(argv));
  }
  if (exe)
    json_object_set_new(o, "exe", json_string(exe));
  return o;
}

int pt_rules_ctx_init(struct pt_rules_ctx *c, json_t *record) {
  memset(c, 0, sizeof(*c));
  c->record = record;
  c->events = json_object_get(record, "events");
  if (!json_is_array(c->events))
    c->events = NULL;
  c->phases = json_object_get(record, "phases");
  if (!json_is_array(c->phases))
    c->phases = NULL;
  json_t *pkg = json_object_get(record, "package");
  c->ecosystem = json_string_value(json_object_get(pkg, "ecosystem"));
  json_t *id = json_object_get(record, "identity");
  c->vars[0][0] = "HOME";
  c->vars[0][1] = json_string_value(json_object_get(id, "home"));
  c->vars[1][0] = "USER";
  c->vars[1][1] = json_string_value(json_object_get(id, "user"));
  c->vars[2][0] = "PACKAGE";
  c->vars[2][1] = json_string_value(json_object_get(pkg, "name"));
  c->vars[3][0] = "HOSTNAME";
  c->vars[3][1] = json_string_value(json_object_get(id, "hostname"));
  c->vars[4][0] = "CANARY";
  c->vars[4][1] = json_string_value(json_object_get(id, "canary"));
  if (c->events == NULL)
    return 0;
  /* Pass 1: the pids; pass 2: their images in event order. */
  size_t n = json_array_size(c->events), i;
  json_t *ev;
  c->procs = calloc(n ? n : 1, sizeof(*c->procs));
  if (c->procs == NULL)
    return -1;
  json_array_foreach(c->events, i, ev) {
    const char *k = json_string_value(json_object_get(ev, "kind"));
    long pid = int_field(ev, "pid");
    if (k && pid > 0 && (!strcmp(k, "process") || !strcmp(k, "exec")))
      c->procs[c->n_procs++].pid = pid;
  }
  qsort(c->procs, c->n_procs, sizeof(*c->procs), cmp_pid);
  size_t u = 0;
  for (size_t k = 0; k < c->n_procs; k++)
    if (u == 0 || c->procs[u - 1].pid != c->procs[k].pid)
      c->procs[u++] = c->procs[k];
  c->n_procs = u;
  json_array_foreach(c->events, i, ev) {
    const char *k = json_string_value(json_object_get(ev, "kind"));
    long pid = int_field(ev, "pid");
    bool is_exec = k && !strcmp(k, "exec");
    if (k == NULL || (!is_exec && strcmp(k, "process")))
      continue;
    struct pt_rules_proc *p = proc_get(c, pid);
    if (p == NULL)
      continue;
    if (!is_exec && int_field(ev, "ppid") > 0)
      p->ppid = int_field(ev, "ppid");
    if (p->n_img == p->cap_img) {
      size_t nc = p->cap_img ? p->cap_img * 2 : 2;
      struct pt_rules_image *ni = realloc(p->img, nc * sizeof(*ni));
      if (ni == NULL)
        return -1;
      p->img = ni;
      p->cap_img = nc;
    }
    struct pt_rules_image *im = &p->img[p->n_img++];
    im->idx = i;
    im->argv = json_object_get(ev, "argv");
    im->exe = json_string_value(json_object_get(ev, is_exec ? "path" : "exe"));
    im->from_exec = is_exec;
    im->obj = NULL;
  }
  /* Objects once the ppids are final (a process event may come late). */
  for (size_t k = 0; k < c->n_procs; k++)
    for (size_t m = 0; m < c->procs[k].n_img; m++) {
      struct pt_rules_image *im = &c->procs[k].img[m];
      if ((im->obj = image_obj(c->procs[k].pid, c->procs[k].ppid, im->argv,
                               im->exe)) == NULL)
        return -1;
    }
  return 0;
}

void pt_rules_ctx_free(struct pt_rules_ctx *c) {
  for (size_t k = 0; k < c->n_procs; k++) {
    for (size_t m = 0; m < c->procs[k].n_img; m++)
      json_decref(c->procs[k].img[m].obj);
    free(c->procs[k].img);
  }
  free(c->procs);
  memset(c, 0, sizeof(*c));
}

/* The image a process ran when it caused the element at idx: its last
 * image from before idx (for an exec, the program that called exec). */
static struct pt_rules_image *image_at(struct pt_rules_proc *p, size_t idx) {
  struct pt_rules_image *best = NULL;
  for (size_t m = 0; p && m < p->n_img && p->img[m].idx < idx; m++)
    best = &p->img[m];
  return best;
}

/* ---- phases ----------------------------------------------------------- */

static json_t *phase_obj(const struct pt_rules_ctx *c, const char *name) {
  size_t i;
  json_t *ph;
  if (name == NULL || c->phases == NULL)
    return NULL;
  json_array_foreach(c->phases, i, ph) {
    const char *n = json_string_value(json_object_get(ph, "name"));
    if (n && strcmp(n, name) == 0)
      return ph;
  }
  return NULL;
}

const char *pt_rules_phase_kind(const struct pt_rules_ctx *c,
                                const char *name) {
  return json_string_value(json_object_get(phase_obj(c, name), "kind"));
}

/* ---- field paths ------------------------------------------------------ */

/* A plain dotted path; numeric segments index arrays. */
/* Is el (an exec event) the phase's own command line, as triage recorded
 * it in record.phases[].argv (argv[0] compared by its last component)? */
static bool is_phase_argv(const struct pt_rules_ctx *c, json_t *el) {
  const char *ph = json_string_value(json_object_get(el, "phase"));
  json_t *av = json_object_get(el, "argv");
  if (ph == NULL || !json_is_array(av) || json_array_size(av) == 0)
    return false;
  size_t i;
  json_t *phase;
  json_array_foreach(c->phases, i, phase) {
    const char *name = json_string_value(json_object_get(phase, "name"));
    json_t *pv = json_object_get(phase, "argv");
    if (name == NULL || strcmp(name, ph) != 0 || !json_is_array(pv) ||
        json_array_size(pv) != json_array_size(av))
      continue;
    bool same = true;
    for (size_t k = 0; same && k < json_array_size(pv); k++) {
      const char *a = json_string_value(json_array_get(av, k));
      const char *b = json_string_value(json_array_get(pv, k));
      if (a == NULL || b == NULL) {
        same = false;
      } else if (k == 0) {
        const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
        same = strcmp(sa ? sa + 1 : a, sb ? sb + 1 : b) == 0;
      } else {
        same = strcmp(a, b) == 0;
      }
    }
    if (same)
      return true;
  }
  return false;
}

static json_t *walk(json_t *v, const char *path) {
  char seg[257];
  const char *p = path;
  while (v && *p) {
    size_t l = strcspn(p, ".");
    if (l >= sizeof(seg))
      return NULL;
    memcpy(seg, p, l);
    seg[l] = '\0';
    p += l + (p[l] == '.');
    if (json_is_object(v)) {
      v = json_object_get(v, seg);
    } else if (json_is_array(v)) {
      char *end;
      unsigned long k = strtoul(seg, &end, 10);
      v = (*end == '\0' && seg[0] >= '0' && seg[0] <= '9')
              ? json_array_get(v, k)
              : NULL;
    } else {
      return NULL;
    }
  }
  return v;
}

static bool is_exec_event(json_t *el) {
  const char *k = json_string_value(json_object_get(el, "kind"));
  return k && strcmp(k, "exec") == 0;
}

/* Did a connection of el's phase go to the name el (a dns event) looked
 * up (a net or connect event whose hostname is that name)? A lookup
 * followed by a connection is judged by the connection; one that is not
 * is what a DNS channel (exfiltration, a beacon) looks like. */
static bool dns_connected(const struct pt_rules_ctx *c, json_t *el) {
  const char *name = json_string_value(json_object_get(el, "name"));
  const char *phase = json_string_value(json_object_get(el, "phase"));
  if (name == NULL || phase == NULL || c->events == NULL)
    return false;
  size_t i;
  json_t *ev;
  json_array_foreach(c->events, i, ev) {
    const char *k = json_string_value(json_object_get(ev, "kind"));
    const char *h = json_string_value(json_object_get(ev, "hostname"));
    const char *ph = json_string_value(json_object_get(ev, "phase"));
    json_t *port = json_object_get(ev, "port");
    if (k && h && ph &&
        (strcmp(k, "net") == 0 || strcmp(k, "connect") == 0) &&
        strcasecmp(h, name) == 0 &&
        strcmp(ph, phase) == 0 && json_integer_value(port) != 53)
      return true;
  }
  return false;
}

json_t *pt_rules_resolve(const struct pt_rules_ctx *c, json_t *el, size_t idx,
                         const char *path, bool *owned) {
  *owned = false;
  const char *phase = json_string_value(json_object_get(el, "phase"));
  if (strcmp(path, "phase_kind") == 0) {
    /* A phase element (a name and no phase) is its own phase. */
    if (phase == NULL && json_object_get(el, "name"))
      return json_object_get(el, "kind");
    return json_object_get(phase_obj(c, phase), "kind");
  }
  if (strcmp(path, "phase_argv") == 0)
    return json_object_get(phase_obj(c, phase), "argv");
  if (strcmp(path, "connected") == 0) {
    const char *k = json_string_value(json_object_get(el, "kind"));
    if (k == NULL || strcmp(k, "dns") != 0)
      return walk(el, path);
    return dns_connected(c, el) ? json_true() : json_false();
  }
  if (strcmp(path, "cmdline") == 0) {
    *owned = true;
    return join_argv(json_object_get(el, "argv"));
  }
  if (strncmp(path, "record.", 7) == 0)
    return walk(c->record, path + 7);
  bool is_proc = strncmp(path, "proc.", 5) == 0;
  bool is_parent = strncmp(path, "parent.", 7) == 0;
  bool is_grand = strncmp(path, "grandparent.", 12) == 0;
  if (is_proc || is_parent || is_grand ||
      strcmp(path, "phase_command") == 0) {
    struct pt_rules_proc *p = proc_get(c, int_field(el, "pid"));
    struct pt_rules_image *im = image_at(p, idx);
    if (!is_proc && !is_parent && !is_grand) {
      /* The phase's own command: the first program a fresh jail process
       * runs (neither it nor its parent ran one before). Triage starts
       * it; the package did not. The exec of a PATH search is tried in
       * each PATH directory (each attempt an exec event): any attempt
       * whose argv is the phase's own argv counts too. */
      if (!is_exec_event(el))
        return json_false();
      if (is_phase_argv(c, el))
        return json_true();
      if (p == NULL)
        return json_false();
      struct pt_rules_image *pim = image_at(proc_get(c, p->ppid), idx);
      bool first =
          (im == NULL || !im->from_exec) && (pim == NULL || !pim->from_exec);
      return first ? json_true() : json_false();
    }
    if (is_parent)
      im = p ? image_at(proc_get(c, p->ppid), idx) : NULL;
    if (is_grand) {
      struct pt_rules_proc *pp = p ? proc_get(c, p->ppid) : NULL;
      im = pp ? image_at(proc_get(c, pp->ppid), idx) : NULL;
    }
    return im ? walk(im->obj, path + (is_proc ? 5 : is_parent ? 7 : 12))
              : NULL;
  }
  return walk(el, path);
}

/* ---- conditions ------------------------------------------------------- */

/* Substitute ${HOME}, ${USER}, ${PACKAGE}, ${HOSTNAME}, ${CANARY}. For
 * globs the values are escaped so a user name like "tom.h*" stays
 * literal. Unknown variables
 * and unset values make the pattern unusable (NULL): a rule about
 * ${HOME} must not match everything when the record has no identity. */
static const char *subst(const struct pt_rules_ctx *c, const char *pat,
                         bool glob, char *buf, size_t cap) {
  if (strstr(pat, "${") == NULL)
    return pat;
  size_t k = 0;
  for (const char *p = pat; *p;) {
    if (p[0] == '$' && p[1] == '{') {
      const char *end = strchr(p, '}');
      const char *val = NULL;
      for (size_t v = 0; end && v < sizeof(c->vars) / sizeof(c->vars[0]);
           v++)
        if ((size_t)(end - p - 2) == strlen(c->vars[v][0]) &&
            strncmp(p + 2, c->vars[v][0], (size_t)(end - p - 2)) == 0)
          val = c->vars[v][1];
      if (val == NULL || *val == '\0')
        return NULL;
      for (; *val; val++) {
        if (glob && strchr("*?[]\\", *val) && k + 1 < cap)
          buf[k++] = '\\';
        if (k + 1 >= cap)
          return NULL;
        buf[k++] = *val;
      }
      p = end + 1;
      continue;
    }
    if (k + 1 >= cap)
      return NULL;
    buf[k++] = *p++;
  }
  buf[k] = '\0';
  return buf;
}

static bool scalar_eq(const struct pt_rules_ctx *c, json_t *v, json_t *want) {
  if (json_is_number(v) && json_is_number(want))
    return json_number_value(v) == json_number_value(want);
  if (json_is_string(v) && json_is_string(want)) {
    char buf[SUBST_MAX];
    const char *w = subst(c, json_string_value(want), false, buf, sizeof(buf));
    return w && strcmp(json_string_value(v), w) == 0;
  }
  return json_equal(v, want);
}

/* One condition on one scalar value. */
static bool cond_scalar(const struct pt_rules_ctx *c,
                        const struct pt_rules_cond *cd, json_t *v) {
  char buf[SUBST_MAX];
  const char *s = json_string_value(v);
  switch (cd->op) {
  case OP_EQUALS:
    return scalar_eq(c, v, cd->value);
  case OP_IN: {
    size_t i;
    json_t *w;
    json_array_foreach(cd->value, i, w) if (scalar_eq(c, v, w)) return true;
    return false;
  }
  case OP_GLOB:
  case OP_PREFIX:
  case OP_CONTAINS:
    for (size_t i = 0; s && i < cd->n_strs; i++) {
      const char *p =
          subst(c, cd->strs[i], cd->op == OP_GLOB, buf, sizeof(buf));
      if (p == NULL)
        continue;
      if (cd->op == OP_GLOB     ? fnmatch(p, s, 0) == 0
          : cd->op == OP_PREFIX ? strncmp(s, p, strlen(p)) == 0
                                : strstr(s, p) != NULL)
        return true;
    }
    return false;
  case OP_REGEX:
    for (size_t i = 0; s && i < cd->n_res; i++)
      if (regexec(&cd->res[i], s, 0, NULL, 0) == 0)
        return true;
    return false;
  case OP_LT:
  case OP_LE:
  case OP_GT:
  case OP_GE: {
    if (!json_is_number(v))
      return false;
    double x = json_number_value(v);
    return cd->op == OP_LT   ? x < cd->num
           : cd->op == OP_LE ? x <= cd->num
           : cd->op == OP_GT ? x > cd->num
                             : x >= cd->num;
  }
  case OP_MODE_ANY: {
    unsigned long mode;
    if (json_is_integer(v))
      mode = (unsigned long)json_integer_value(v);
    else if (s) {
      char *end;
      mode = strtoul(s, &end, 8);
      if (*s == '\0' || *end != '\0')
        return false;
    } else
      return false;
    return (mode & cd->mode) != 0;
  }
  default:
    return false;
  }
}

static bool cond_holds(const struct pt_rules_ctx *c,
                       const struct pt_rules_cond *cd, json_t *v) {
  switch (cd->op) {
  case OP_EXISTS:
    return (v != NULL && !json_is_null(v)) == cd->flag;
  case OP_NOT:
    return !cond_holds(c, cd->sub, v);
  case OP_NOT_EQUALS: {
    struct pt_rules_cond eq = *cd;
    eq.op = OP_EQUALS;
    return !cond_holds(c, &eq, v);
  }
  default:
    break;
  }
  if (v == NULL)
    return false;
  /* A list matches when one of its entries does (argv, flags). */
  if (json_is_array(v)) {
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) if (cond_scalar(c, cd, e)) return true;
    return false;
  }
  return cond_scalar(c, cd, v);
}

static bool conds_hold(const struct pt_rules_ctx *c,
                       const struct pt_rules_conds *cs, json_t *el,
                       size_t idx) {
  for (size_t i = 0; i < cs->n; i++) {
    bool owned;
    json_t *v = pt_rules_resolve(c, el, idx, cs->v[i].path, &owned);
    bool ok = cond_holds(c, &cs->v[i], v);
    if (owned)
      json_decref(v);
    if (!ok)
      return false;
  }
  return true;
}

/* Some strict ancestor, in any program it ran before idx, satisfies every
 * condition (npm runs as `npm` then, through env, as `node npm-cli.js`:
 * either image identifies it). */
static bool ancestor_holds(const struct pt_rules_ctx *c,
                           const struct pt_rules_conds *cs, json_t *el,
                           size_t idx) {
  struct pt_rules_proc *p = proc_get(c, int_field(el, "pid"));
  for (int depth = 0; p && depth < ANCESTRY_MAX; depth++) {
    p = proc_get(c, p->ppid);
    for (size_t m = 0; p && m < p->n_img && p->img[m].idx < idx; m++)
      if (conds_hold(c, cs, p->img[m].obj, idx))
        return true;
  }
  return false;
}

/* Some exec event of el's phase (before or after it: a read seen through
 * the file's access time is reported after the program that made it)
 * satisfies every condition. */
static bool phase_exec_holds(const struct pt_rules_ctx *c,
                             const struct pt_rules_conds *cs, json_t *el) {
  const char *phase = json_string_value(json_object_get(el, "phase"));
  if (phase == NULL)
    return false;
  size_t i;
  json_t *e;
  json_array_foreach(c->events, i, e) {
    const char *k = json_string_value(json_object_get(e, "kind"));
    const char *p = json_string_value(json_object_get(e, "phase"));
    if (k && p && strcmp(k, "exec") == 0 && strcmp(p, phase) == 0 &&
        conds_hold(c, cs, e, i))
      return true;
  }
  return false;
}

static bool in_list(const char *s, char *const *list, size_t n) {
  for (size_t i = 0; s && i < n; i++)
    if (strcmp(s, list[i]) == 0)
      return true;
  return false;
}

static bool matcher_core(const struct pt_rules_ctx *c,
                         const struct pt_rules_matcher *m, json_t *el,
                         size_t idx) {
  if (m->ref_name) /* an entry naming a rule (no cycle: checked at load) */
    return m->ref && pt_rules_match(c, m->ref, el, idx);
  if (m->n_kinds && !in_list(json_string_value(json_object_get(el, "kind")),
                             m->kinds, m->n_kinds))
    return false;
  if (m->n_ecosystems && !in_list(c->ecosystem, m->ecosystems, m->n_ecosystems))
    return false;
  if (m->n_phase_kinds) {
    bool owned;
    json_t *k = pt_rules_resolve(c, el, idx, "phase_kind", &owned);
    if (!in_list(json_string_value(k), m->phase_kinds, m->n_phase_kinds))
      return false;
  }
  if (!conds_hold(c, &m->where, el, idx))
    return false;
  if (m->ancestor.n && !ancestor_holds(c, &m->ancestor, el, idx))
    return false;
  if (m->phase_exec.n && !phase_exec_holds(c, &m->phase_exec, el))
    return false;
  if (m->n_any == 0)
    return true;
  for (size_t i = 0; i < m->n_any; i++)
    if (matcher_core(c, &m->any[i], el, idx))
      return true;
  return false;
}

bool pt_rules_match(const struct pt_rules_ctx *c,
                    const struct pt_rules_matcher *m, json_t *el, size_t idx) {
  if (!json_is_object(el) || !matcher_core(c, m, el, idx))
    return false;
  for (size_t i = 0; i < m->n_unless; i++)
    if (matcher_core(c, &m->unless[i], el, idx))
      return false;
  return true;
}
