#define _GNU_SOURCE
#include "triage_report.h"

#include <errno.h>
#include <stdio.h>

#include "profile.h"
#include "report.h"
#include "verdict.h"

static pt_rules *rules_cache;

const struct pt_rules *pt_triage_rules(pt_err **err) {
  if (rules_cache)
    return rules_cache;
  char dir[4096];
  pt_profile_path("rules", dir, sizeof(dir));
  rules_cache = pt_rules_load_dir(dir, err);
  return rules_cache;
}

int pt_triage_judge(json_t *record, json_t **report_out, pt_err **err) {
  const pt_rules *rules = pt_triage_rules(err);
  if (rules == NULL)
    return pt_err_wrap(err, "load rules");
  json_t *findings = NULL;
  int score = 0;
  const char *verdict = NULL;
  if (pt_rules_evaluate(rules, record, &findings, &score, &verdict, err) < 0)
    return pt_err_wrap(err, "evaluate rules");
  json_t *rep = pt_report_build(record, findings, score, verdict, err);
  json_decref(findings);
  if (rep == NULL)
    return pt_err_wrap(err, "build report");
  *report_out = rep;
  return 0;
}

int pt_triage_report_ex(const char *artifact, const struct pt_triage_opts *o,
                        json_t **report_out, json_t **record_out,
                        pt_err **err) {
  json_t *rec = NULL;
  if (pt_triage_record(artifact, o, &rec, err) < 0)
    return -1;
  int rc = pt_triage_judge(rec, report_out, err);
  if (rc == 0 && record_out)
    *record_out = rec;
  else
    json_decref(rec);
  return rc;
}

int pt_triage_report(const char *artifact, const struct pt_triage_opts *o,
                     json_t **report_out, pt_err **err) {
  return pt_triage_report_ex(artifact, o, report_out, NULL, err);
}
