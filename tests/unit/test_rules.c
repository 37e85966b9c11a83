/* Verdict engine tests.
 *
 * 1. Table of synthetic triage records (tests/rules/NAME.json), each
 *      {"about": "...", "expect": {...}, "record": {...}}
 *    evaluated with the real rules of profiles/rules/. expect holds
 *      "verdict"   the verdict;
 *      "fires"     [{"rule", "phase", "evidence": [{field: value}...]}]:
 *                  a finding of that rule in that phase whose evidence
 *                  holds, for each object given, an element with those
 *                  field values;
 *      "absent"    rule ids that must not fire;
 *      "only"      true: no finding above info besides those in fires.
 *    Every rule must fire in at least one record (a rule nobody tests is
 *    a rule nobody knows works).
 * 2. Bad rule files: the error names the file, the rule and what.
 * 3. Engine details the records do not reach (sequences, thresholds,
 *    ${HOME} escaping, scoring). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#include "check.h"

static json_t *fired; /* {rule id: true} over all records */

/* Does some evidence element hold every field of want? */
static bool evidence_has(json_t *evidence, json_t *want) {
  size_t i;
  json_t *e;
  json_array_foreach(evidence, i, e) {
    const char *k;
    json_t *v;
    bool all = true;
    json_object_foreach(want, k, v) if (!json_equal(json_object_get(e, k), v))
        all = false;
    if (all)
      return true;
  }
  return false;
}

static json_t *find(json_t *findings, const char *rule, const char *phase) {
  size_t i;
  json_t *f;
  json_array_foreach(findings, i, f) {
    const char *r = json_string_value(json_object_get(f, "rule"));
    const char *p = json_string_value(json_object_get(f, "phase"));
    if (r && strcmp(r, rule) == 0 &&
        (phase == NULL || (p && strcmp(p, phase) == 0)))
      return f;
  }
  return NULL;
}

static void check_record(const pt_rules *r, const char *path) {
  json_error_t je;
  json_t *t = json_load_file(path, 0, &je);
  CHECK(t != NULL, "%s:%d: %s", path, je.line, je.text);
  if (t == NULL)
    return;
  json_t *expect = json_object_get(t, "expect");
  json_t *findings = NULL;
  int score = -1;
  const char *verdict = NULL;
  pt_err *err = NULL;
  int rc = pt_rules_evaluate(r, json_object_get(t, "record"), &findings, &score,
                             &verdict, &err);
  CHECK(rc == 0, "%s: %s", path, err ? err->msg : "?");
  pt_err_free(err);
  if (rc < 0) {
    json_decref(t);
    return;
  }
  char *dump = json_dumps(findings, JSON_INDENT(1));
  const char *want = json_string_value(json_object_get(expect, "verdict"));
  CHECK(want && strcmp(want, verdict) == 0,
        "%s: verdict %s (score %d), want %s\n%s", path, verdict, score,
        want ? want : "?", dump);
  CHECK(score >= 0 && score <= 100, "%s: score %d", path, score);
  size_t i;
  json_t *f;
  json_array_foreach(findings, i, f) {
    json_object_set_new(fired, json_string_value(json_object_get(f, "rule")),
                        json_true());
    CHECK(json_array_size(json_object_get(f, "evidence")) > 0 &&
              json_array_size(json_object_get(f, "evidence")) <=
                  PT_VERDICT_EVIDENCE_MAX,
          "%s: finding %zu evidence size", path, i);
    CHECK(json_is_string(json_object_get(f, "summary")),
          "%s: finding %zu summary", path, i);
  }
  json_t *fires = json_object_get(expect, "fires");
  json_array_foreach(fires, i, f) {
    const char *rule = json_string_value(json_object_get(f, "rule"));
    const char *phase = json_string_value(json_object_get(f, "phase"));
    json_t *got = find(findings, rule, phase);
    CHECK(got != NULL, "%s: %s did not fire in phase %s\n%s", path, rule,
          phase ? phase : "(any)", dump);
    size_t k;
    json_t *w;
    json_array_foreach(json_object_get(f, "evidence"), k, w)
        CHECK(got && evidence_has(json_object_get(got, "evidence"), w),
              "%s: %s: evidence %zu missing\n%s", path, rule, k, dump);
  }
  json_array_foreach(json_object_get(expect, "absent"), i, f)
      CHECK(find(findings, json_string_value(f), NULL) == NULL,
            "%s: %s fired\n%s", path, json_string_value(f), dump);
  if (json_is_true(json_object_get(expect, "only"))) {
    json_array_foreach(findings, i, f) {
      const char *rule = json_string_value(json_object_get(f, "rule"));
      const char *sev = json_string_value(json_object_get(f, "severity"));
      bool listed = false;
      size_t k;
      json_t *w;
      json_array_foreach(fires, k, w) listed |=
          strcmp(json_string_value(json_object_get(w, "rule")), rule) == 0;
      CHECK(listed || strcmp(sev, "info") == 0, "%s: unexpected %s\n%s", path,
            rule, dump);
    }
  }
  free(dump);
  json_decref(findings);
  json_decref(t);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_records(void) {
  pt_err *err = NULL;
  pt_rules *r = pt_rules_load_dir(PT_TEST_RULES_DIR, &err);
  CHECK(r != NULL, "load %s: %s", PT_TEST_RULES_DIR, err ? err->msg : "?");
  pt_err_free(err);
  if (r == NULL)
    return;
  fired = json_object();
  DIR *d = opendir(PT_TEST_RECORDS_DIR);
  CHECK(d != NULL, "%s", PT_TEST_RECORDS_DIR);
  char *names[512];
  size_t n = 0;
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL && n < 512) {
    size_t l = strlen(de->d_name);
    if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
      names[n++] = strdup(de->d_name);
  }
  if (d)
    closedir(d);
  qsort(names, n, sizeof(names[0]), by_name);
  CHECK(n >= 20, "only %zu records", n);
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", PT_TEST_RECORDS_DIR, names[i]);
    check_record(r, path);
    free(names[i]);
  }
  /* Every rule fires somewhere. */
  DIR *rd = opendir(PT_TEST_RULES_DIR);
  while (rd && (de = readdir(rd)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l <= 5 || strcmp(de->d_name + l - 5, ".json"))
      continue;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", PT_TEST_RULES_DIR, de->d_name);
    json_t *file = json_load_file(path, 0, NULL);
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(file, "rules"), i, rule) {
      const char *id = json_string_value(json_object_get(rule, "id"));
      CHECK(json_object_get(fired, id) != NULL,
            "rule %s fires in no record of %s", id, PT_TEST_RECORDS_DIR);
    }
    json_decref(file);
  }
  if (rd)
    closedir(rd);
  json_decref(fired);
  pt_rules_free(r);
}

/* ---- bad rule files --------------------------------------------------- */

static const struct {
  const char *text;
  const char *error; /* substring of the message */
} bad[] = {
    {"{", "bad.json:1:"},
    {"[]", NULL}, /* no rule: fine for a string, error for a directory */
    {"{\"id\":\"a-b\",\"severity\":\"huge\",\"description\":\"d\",\"match\":{}"
     "}",
     "bad.json: rule a-b: severity: one of info"},
    {"{\"id\":\"A\",\"severity\":\"low\",\"description\":\"d\",\"match\":{}}",
     "bad.json: rule without a valid id"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\"}",
     "bad.json: rule a-b: exactly one of match or sequence"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unles\":[]}}",
     "bad.json: rule a-b: match: unknown key \"unles\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"path\":{\"regex\":\"(\"}}}}",
     "bad.json: rule a-b: match.where.path: regex \"(\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"path\":{\"regex\":\"(a)\\\\1\"}}}}",
     "back-references"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"path\":{\"regex\":\"a{1000}\"}}}}",
     "repetition bounds"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"path\":{\"regex\":\"r+++\"}}}}",
     "operator on a repetition operator"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"path\":{\"like\":\"x\"}}}}",
     "match.where.path: unknown operator \"like\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"phase_kind\":\"setup\"}}",
     "match.phase_kind: unknown phase kind \"setup\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"a..b\":1}}}",
     "empty segment"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"p\":{\"gt\":\"x\"}}}}",
     "gt takes a number"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"mode\":{\"mode_any\":\"9\"}}}}",
     "mode_any takes an octal"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"in\":\"hijacks\",\"kind\":\"exec\"}}",
     "kind, ancestor and phase_exec apply to events only"},
    {"[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":{}}"
     ","
     "{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":{}}"
     "]",
     "rule a-b: defined twice"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"sequence\":"
     "{\"steps\":[{\"rule\":\"nope\"},{\"match\":{}}]}}",
     "rule a-b: sequence.steps.0.rule: no rule \"nope\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"sequence\":"
     "{\"steps\":[{\"match\":{}}]}}",
     "steps: a list of 2 to 8 steps"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"sequence\":"
     "{\"scope\":\"galaxy\",\"steps\":[{\"match\":{}},{\"match\":{}}]}}",
     "scope: one of phase, process, run"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"weight\":"
     "500,\"match\":{}}",
     "weight: an integer from 0 to 100"},
    {"{\"scoring\":{\"suspicious\":90,\"malicious\":50}}",
     "suspicious threshold above the malicious one"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"p\":{\"not\":{\"not\":{\"not\":{\"not\":{\"not\":{\"not\":"
     "{\"not\":{\"not\":{\"not\":1}}}}}}}}}}}}",
     "not nested deeper"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"nope\"}]}}",
     "rule a-b: match: no rule \"nope\""},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"a-b\",\"kind\":\"x\"}]}}",
     "match.unless.0: rule: a rule id, alone in its entry"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"a-b\"}]}}",
     "rule a-b: names \"a-b\", which leads back to it"},
    {"[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"any\":[{\"rule\":\"c-d\"}]}},"
     "{\"id\":\"c-d\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"a-b\"}]}}]",
     "which leads back to it"},
    {"[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"c-d\"}]}},"
     "{\"id\":\"c-d\",\"severity\":\"low\",\"description\":\"d\",\"sequence\":"
     "{\"steps\":[{\"match\":{}},{\"match\":{}}]}}]",
     "\"c-d\" is not a single-event rule over the same elements"},
    {"[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"c-d\"}]}},"
     "{\"id\":\"c-d\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"in\":\"phases\"}}]",
     "\"c-d\" is not a single-event rule over the same elements"},
    {"[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"unless\":[{\"rule\":\"c-d\"}]}},"
     "{\"id\":\"c-d\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"min_matches\":3}}]",
     "\"c-d\" counts matches"},
    {"{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
     "{\"where\":{\"h\":{\"in\":{\"list\":\"hosts\"}}}}}",
     "match.where.h: in: {\"list\": NAME} names a list defined before"},
    {"{\"rules\":[{\"id\":\"a-b\",\"severity\":\"low\",\"description\":\"d\","
     "\"match\":{\"where\":{\"h\":{\"in\":{\"list\":\"hosts\"}}}}}],"
     "\"lists\":{\"hosts\":[\"a\",\"b\"]}}",
     NULL},
    {"{\"lists\":{\"hosts\":[{\"a\":1}]}}",
     "lists.hosts: entry 0 is not a string"},
    {"{\"lists\":{\"hosts\":[]}}", "lists.hosts: a list of 1 to"},
    {"{\"lists\":{\"Hosts\":[1]}}", "a list name is 2-64"},
};

static void test_bad_rules(void) {
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    pt_err *err = NULL;
    pt_rules *r = pt_rules_load_string("bad.json", bad[i].text,
                                       strlen(bad[i].text), &err);
    if (bad[i].error == NULL) {
      CHECK(r != NULL, "case %zu: %s", i, err ? err->msg : "?");
    } else {
      CHECK(r == NULL, "case %zu loaded", i);
      CHECK(err && err->msg && strstr(err->msg, bad[i].error),
            "case %zu: "
            "got \"%s\", want \"%s\"",
            i, err && err->msg ? err->msg : "", bad[i].error);
    }
    pt_err_free(err);
    pt_rules_free(r);
  }
  /* A directory: errors carry the file path. */
  pt_err *err = NULL;
  CHECK(pt_rules_load_dir("/nonexistent-rules", &err) == NULL, "dir");
  CHECK(err && strstr(err->msg, "/nonexistent-rules"), "%s",
        err ? err->msg : "");
  pt_err_free(err);
}

/* ---- engine details --------------------------------------------------- */

static json_t *eval(const char *rules, const char *record, int *score,
                    const char **verdict) {
  pt_err *err = NULL;
  pt_rules *r = pt_rules_load_string("t.json", rules, strlen(rules), &err);
  CHECK(r != NULL, "%s", err ? err->msg : "?");
  pt_err_free(err);
  err = NULL;
  json_t *rec = json_loads(record, 0, NULL);
  CHECK(rec != NULL, "record");
  json_t *f = NULL;
  if (r && rec)
    CHECK(pt_rules_evaluate(r, rec, &f, score, verdict, &err) == 0, "%s",
          err ? err->msg : "");
  pt_err_free(err);
  json_decref(rec);
  pt_rules_free(r);
  return f;
}

static void test_engine(void) {
  int score;
  const char *v;
  /* ${HOME} is literal even when the home has glob characters. */
  json_t *f = eval(
      "{\"id\":\"h-h\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
      "{\"where\":{\"path\":{\"glob\":\"${HOME}/x\"}}}}",
      "{\"identity\":{\"home\":\"/home/a*\"},\"events\":[{\"kind\":\"file\","
      "\"path\":\"/home/ab/x\"},{\"kind\":\"file\",\"path\":\"/home/a*/x\"}]}",
      &score, &v);
  CHECK(json_array_size(f) == 1 && json_integer_value(json_object_get(
                                       json_array_get(f, 0), "count")) == 1,
        "escaped ${HOME}");
  CHECK(score == 5 && strcmp(v, "clean") == 0, "low: %d %s", score, v);
  json_decref(f);
  /* An unless entry naming a rule holds where that rule's matcher, its
   * own unless included, does; an operator takes a named list. */
  f = eval("{\"lists\":{\"ph\":[\"pkg.test\"]},\"rules\":["
           "{\"id\":\"dl\",\"severity\":\"medium\",\"description\":\"d\","
           "\"match\":{\"kind\":\"net\",\"unless\":[{\"rule\":\"pre\"}]}},"
           "{\"id\":\"pre\",\"severity\":\"low\",\"description\":\"d\","
           "\"match\":{\"kind\":\"net\",\"where\":{\"p\":{\"prefix\":\"/r/\"}},"
           "\"unless\":[{\"where\":{\"h\":{\"glob\":{\"list\":\"ph\"}}}}]}}]}",
           "{\"events\":[{\"kind\":\"net\",\"p\":\"/r/x\",\"h\":\"a.test\"},"
           "{\"kind\":\"net\",\"p\":\"/r/y\",\"h\":\"pkg.test\"},"
           "{\"kind\":\"net\",\"p\":\"/o\",\"h\":\"b.test\"}]}",
           &score, &v);
  {
    json_t *f0 = json_array_get(f, 0), *f1 = json_array_get(f, 1);
    bool dl_first = f0 && strcmp(json_string_value(json_object_get(
                                     f0, "rule")), "dl") == 0;
    json_t *dl = dl_first ? f0 : f1, *pre = dl_first ? f1 : f0;
    CHECK(json_array_size(f) == 2 &&
              json_integer_value(json_object_get(dl, "count")) == 2 &&
              json_integer_value(json_object_get(pre, "count")) == 1 &&
              strcmp(json_string_value(json_object_get(pre, "rule")),
                     "pre") == 0,
          "unless rule ref: %zu findings", json_array_size(f));
    CHECK(score == 20, "unless rule ref score %d", score);
  }
  json_decref(f);
  /* No identity: a ${HOME} pattern matches nothing. */
  f = eval(
      "{\"id\":\"h-h\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
      "{\"where\":{\"path\":{\"glob\":\"${HOME}*\"}}}}",
      "{\"events\":[{\"kind\":\"file\",\"path\":\"/x\"}]}", &score, &v);
  CHECK(json_array_size(f) == 0, "unset ${HOME}");
  json_decref(f);
  /* Error without findings. */
  f = eval(
      "{\"id\":\"h-h\",\"severity\":\"low\",\"description\":\"d\",\"match\":"
      "{\"kind\":\"exec\"}}",
      "{\"error\":\"unpack failed\",\"events\":[]}", &score, &v);
  CHECK(strcmp(v, "error") == 0 && score == 0, "error verdict %s", v);
  json_decref(f);
  /* An error with findings: a rejected archive (an archive-* problem) is
   * error whatever they say; a package whose code never loaded, which
   * then failed, keeps what it was seen doing. */
  const char *high = "{\"id\":\"h-h\",\"severity\":\"high\",\"description\":"
                     "\"d\",\"match\":{\"kind\":\"exec\"}}";
  f = eval(high,
           "{\"error\":\"e\",\"problems\":[{\"rule\":\"archive-bomb\"}],"
           "\"events\":[{\"kind\":\"exec\"}]}",
           &score, &v);
  CHECK(strcmp(v, "error") == 0, "archive problem: %s", v);
  json_decref(f);
  f = eval(high,
           "{\"error\":\"e\",\"problems\":[{\"rule\":\"code-never-loaded\"}],"
           "\"events\":[{\"kind\":\"exec\"}]}",
           &score, &v);
  CHECK(strcmp(v, "suspicious") == 0, "code-never-loaded: %s", v);
  json_decref(f);
  f = eval(high, "{\"problems\":[{\"rule\":\"code-never-loaded\"}]}", &score,
           &v);
  CHECK(strcmp(v, "clean") == 0, "code-never-loaded, clean: %s", v);
  json_decref(f);
  /* Ordered sequence with a join: exec before the write does not count. */
  const char *seq =
      "{\"id\":\"s-s\",\"severity\":\"high\",\"description\":\"d\","
      "\"sequence\":"
      "{\"scope\":\"run\",\"steps\":[{\"match\":{\"kind\":\"file\"},\"key\":"
      "\"path\"},{\"match\":{\"kind\":\"exec\"},\"key\":\"path\"}]}}";
  f = eval(seq,
           "{\"events\":[{\"kind\":\"exec\",\"path\":\"/t/x\",\"phase\":\"a\"},"
           "{\"kind\":\"file\",\"path\":\"/t/x\",\"phase\":\"a\"},"
           "{\"kind\":\"exec\",\"path\":\"/t/y\",\"phase\":\"b\"}]}",
           &score, &v);
  CHECK(json_array_size(f) == 0, "order/join");
  json_decref(f);
  f = eval(seq,
           "{\"events\":[{\"kind\":\"file\",\"path\":\"/t/x\",\"phase\":\"a\"},"
           "{\"kind\":\"exec\",\"path\":\"/t/x\",\"phase\":\"b\"}]}",
           &score, &v);
  CHECK(json_array_size(f) == 1 && strcmp(json_string_value(json_object_get(
                                              json_array_get(f, 0), "phase")),
                                          "b") == 0,
        "sequence finding in the phase where it completed");
  CHECK(score == 40 && strcmp(v, "suspicious") == 0, "high: %d %s", score, v);
  json_decref(f);
  /* Thresholds with distinct values. */
  const char *thr = "{\"id\":\"t-t\",\"severity\":\"medium\",\"description\":"
                    "\"d\",\"match\":{\"kind\":\"dns\",\"min_matches\":2,"
                    "\"distinct\":\"name\"}}";
  f = eval(thr,
           "{\"events\":[{\"kind\":\"dns\",\"name\":\"a\"},{\"kind\":\"dns\","
           "\"name\":\"a\"}]}",
           &score, &v);
  CHECK(json_array_size(f) == 0, "distinct");
  json_decref(f);
  /* Ancestry through pid/ppid of process events, any image. */
  const char *anc =
      "{\"id\":\"a-a\",\"severity\":\"critical\",\"description\":\"d\","
      "\"match\":{\"kind\":\"exec\",\"ancestor\":{\"argv\":{\"glob\":"
      "\"*/npm-cli.js\"}}}}";
  f = eval(
      anc,
      "{\"events\":[{\"kind\":\"process\",\"pid\":5,\"ppid\":1,\"argv\":"
      "[\"x\"]},{\"kind\":\"exec\",\"pid\":5,\"path\":\"/usr/bin/node\","
      "\"argv\":[\"node\",\"/usr/lib/npm/bin/npm-cli.js\"]},"
      "{\"kind\":\"process\",\"pid\":6,\"ppid\":5,\"argv\":[\"x\"]},"
      "{\"kind\":\"process\",\"pid\":7,\"ppid\":6,\"argv\":[\"x\"]},"
      "{\"kind\":\"exec\",\"pid\":7,\"path\":\"/bin/sh\",\"argv\":[\"sh\"]},"
      "{\"kind\":\"exec\",\"pid\":5,\"path\":\"/bin/true\",\"argv\":[]}]}",
      &score, &v);
  CHECK(json_array_size(f) == 1 && json_integer_value(json_object_get(
                                       json_array_get(f, 0), "count")) == 1,
        "ancestor");
  CHECK(strcmp(v, "malicious") == 0 && score == 100, "critical %s", v);
  json_decref(f);
  /* phase_exec: an exec of the same phase, before or after the event. */
  const char *pex =
      "{\"id\":\"p-x\",\"severity\":\"high\",\"description\":\"d\","
      "\"match\":{\"kind\":\"file\",\"unless\":[{\"where\":{\"pid\":0},"
      "\"phase_exec\":{\"path\":{\"glob\":\"*/docker\"},\"argv.1\":"
      "\"--version\"}}]}}";
  f = eval(pex,
           "{\"events\":[{\"kind\":\"file\",\"pid\":0,\"phase\":\"a\"},"
           "{\"kind\":\"exec\",\"pid\":3,\"phase\":\"a\",\"path\":"
           "\"/usr/bin/docker\",\"argv\":[\"docker\",\"--version\"]},"
           "{\"kind\":\"file\",\"pid\":0,\"phase\":\"b\"},"
           "{\"kind\":\"file\",\"pid\":4,\"phase\":\"a\"},"
           "{\"kind\":\"exec\",\"pid\":3,\"phase\":\"c\",\"path\":"
           "\"/usr/bin/docker\",\"argv\":[\"docker\",\"ps\"]},"
           "{\"kind\":\"file\",\"pid\":0,\"phase\":\"c\"}]}",
           &score, &v);
  /* Excused: phase a's pid-0 read. Not: b (no docker), a's pid 4, c's
   * (docker ran, but not with --version). */
  CHECK(json_array_size(f) == 3, "phase_exec: %zu findings",
        json_array_size(f));
  for (size_t k = 0; k < json_array_size(f); k++) {
    json_t *fk = json_array_get(f, k);
    const char *ph = json_string_value(json_object_get(fk, "phase"));
    json_int_t n = json_integer_value(json_object_get(fk, "count"));
    CHECK(ph && n == 1 && (strcmp(ph, "a") != 0 || n == 1),
          "phase_exec: phase %s count %lld", ph ? ph : "?", (long long)n);
  }
  json_decref(f);
  /* ${HOSTNAME} from the record's identity (escaped in globs). */
  const char *hn =
      "{\"id\":\"h-n\",\"severity\":\"high\",\"description\":\"d\","
      "\"match\":{\"kind\":\"identity\",\"unless\":[{\"where\":{\"name\":"
      "{\"glob\":[\"${HOSTNAME}\",\"${HOSTNAME}.lan\"]}}}]}}";
  f = eval(hn,
           "{\"identity\":{\"hostname\":\"lt-priya-07\"},\"events\":["
           "{\"kind\":\"identity\",\"phase\":\"a\",\"name\":\"lt-priya-07\"},"
           "{\"kind\":\"identity\",\"phase\":\"a\",\"name\":\"lt-priya-07.lan\"},"
           "{\"kind\":\"identity\",\"phase\":\"b\",\"name\":"
           "\"lt-priya-07.beacon.test\"}]}",
           &score, &v);
  CHECK(json_array_size(f) == 1 &&
            strcmp(json_string_value(json_object_get(json_array_get(f, 0),
                                                     "phase")),
                   "b") == 0,
        "HOSTNAME: %zu findings", json_array_size(f));
  json_decref(f);
  /* A ppid cycle in a hostile record ends. */
  f = eval(anc,
           "{\"events\":[{\"kind\":\"process\",\"pid\":5,\"ppid\":6},"
           "{\"kind\":\"process\",\"pid\":6,\"ppid\":5},{\"kind\":\"exec\","
           "\"pid\":5,\"path\":\"/x\"}]}",
           &score, &v);
  CHECK(json_array_size(f) == 0, "cycle");
  json_decref(f);
  /* A phase that repeats another: a rule both matched is one finding with
   * also_in and both counts; one that only the repeat matched stays. */
  static const char rep_rules[] =
      "{\"rules\":[{\"id\":\"r-a\",\"severity\":\"high\",\"description\":"
      "\"d\",\"match\":{\"kind\":\"exec\"}},{\"id\":\"r-b\",\"severity\":"
      "\"low\",\"description\":\"d\",\"match\":{\"kind\":\"file\"}}]}";
  f = eval(rep_rules,
           "{\"phases\":[{\"name\":\"import\"},{\"name\":\"import (again)\","
           "\"repeats\":\"import\"},{\"name\":\"bin\"}],\"events\":["
           "{\"kind\":\"exec\",\"phase\":\"import\",\"path\":\"/x\"},"
           "{\"kind\":\"exec\",\"phase\":\"import (again)\",\"path\":\"/x\"},"
           "{\"kind\":\"exec\",\"phase\":\"import (again)\",\"path\":\"/y\"},"
           "{\"kind\":\"file\",\"phase\":\"import (again)\",\"path\":\"/z\"},"
           "{\"kind\":\"exec\",\"phase\":\"bin\",\"path\":\"/x\"}]}",
           &score, &v);
  json_t *fa = json_array_get(f, 0), *also = json_object_get(fa, "also_in");
  CHECK(json_array_size(f) == 3 &&
            strcmp(json_string_value(json_object_get(fa, "phase")),
                   "import") == 0 &&
            json_integer_value(json_object_get(fa, "count")) == 3 &&
            json_array_size(also) == 1 &&
            strcmp(json_string_value(json_array_get(also, 0)),
                   "import (again)") == 0,
        "repeat folded: %zu findings", json_array_size(f));
  CHECK(json_object_get(json_array_get(f, 1), "also_in") == NULL &&
            json_object_get(json_array_get(f, 2), "also_in") == NULL,
        "bin (not a repeat) and the repeat's own finding stay");
  json_decref(f);
}

int main(void) {
  test_bad_rules();
  test_engine();
  test_records();
  if (failures)
    fprintf(stderr, "%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
