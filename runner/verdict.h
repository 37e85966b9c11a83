/* The verdict engine: detection rules read as data from profiles/rules/
 * (JSON, format in profiles/rules/README.md), evaluated over a triage
 * record, giving findings with their evidence, a score and a verdict.
 *
 *   pt_rules *r = pt_rules_load_dir(PROFILES "/rules", &err);
 *   json_t *findings; int score; const char *verdict;
 *   if (pt_rules_evaluate(r, record, &findings, &score, &verdict, &err) < 0)
 *     ...
 *   ... findings: [{"rule","severity","phase","summary","evidence":[...]}]
 *   ... verdict: "clean" | "suspicious" | "malicious" | "error" (static)
 *   json_decref(findings); pt_rules_free(r);
 *
 * The record is the triage record (package, error, problems, identity,
 * honeytokens, phases, events, entry_points, bins, hijacks, dependencies,
 * stats); it is only read. Rules are user input: loading validates every
 * field and reports "FILE: rule ID: what" on the first problem. */
#ifndef PT_VERDICT_H
#define PT_VERDICT_H

#include <jansson.h>
#include <stddef.h>

#include "pt_err.h"

typedef struct pt_rules pt_rules;

/* Every *.json file of dir, in name order (other files are ignored). A
 * rule id may be defined once across all files. */
pt_rules *pt_rules_load_dir(const char *dir, pt_err **err);
/* One rule file's text (label names it in messages); for tests and the
 * fuzzer. */
pt_rules *pt_rules_load_string(const char *label, const char *text, size_t len,
                               pt_err **err);
void pt_rules_free(pt_rules *r);
/* Number of rules loaded. */
size_t pt_rules_count(const pt_rules *r);

/* Findings are a new array (the caller owns it), sorted by severity then
 * rule order; *verdict_out is a static string. Returns 0, or -1 with *err
 * when the record is not an object or memory ran out. */
int pt_rules_evaluate(const pt_rules *r, json_t *record, json_t **findings_out,
                      int *score_out, const char **verdict_out, pt_err **err);

/* Evidence kept per finding (the finding says how many matched). */
#define PT_VERDICT_EVIDENCE_MAX 10

#endif
