/* From a triage record to a verdict and report v1: the rules
 * (profiles/rules/) judge the record, the report builder shapes it. Used by
 * `pkgtrap triage` and by the batch driver (`scan`, `sweep`). */
#ifndef PT_TRIAGE_REPORT_H
#define PT_TRIAGE_REPORT_H

#include <jansson.h>

#include "pt_err.h"
#include "triage.h"

/* The rules of $PKGTRAP_PROFILES/rules, loaded once per process. */
const struct pt_rules *pt_triage_rules(pt_err **err);

/* Judge a record: *report_out is report v1. */
int pt_triage_judge(json_t *record, json_t **report_out, pt_err **err);

/* Triage an artifact all the way to report v1 (record, rules, report).
 * If record_out is not NULL the raw record is returned too. 0, or -1 with
 * *err when pkgtrap itself failed (err->errnum < 0: interrupted by signal
 * -errnum). */
int pt_triage_report(const char *artifact, const struct pt_triage_opts *o,
                     json_t **report_out, pt_err **err);
int pt_triage_report_ex(const char *artifact, const struct pt_triage_opts *o,
                        json_t **report_out, json_t **record_out,
                        pt_err **err);

#endif
