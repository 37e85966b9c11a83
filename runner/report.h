/* Reports: report v1 (design.md § Contracts) built from a triage record
 * and the rules engine's findings, and rendered for a terminal, as JSON,
 * as one self-contained HTML page and as SARIF 2.1.0. The format of each
 * is documented in docs/report-v1.md, the JSON one also as a schema
 * (docs/report-v1.schema.json).
 *
 *   json_t *rep = pt_report_build(record, findings, score, verdict, &err);
 *   pt_report_print_text(stdout, rep, isatty(STDOUT_FILENO));
 *   pt_report_write_json("out.json", rep, &err);
 *   pt_report_write_html("out.html", rep, &err);
 *   pt_report_write_sarif("out.sarif", rep, &err);
 *   json_decref(rep);
 *
 * Everything in a record comes from the sample (argv, paths, payload
 * excerpts, host names): every renderer escapes it for its output, and the
 * terminal renderer strips control characters so a sample cannot drive the
 * reader's terminal. */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "pt_err.h"

#define PT_REPORT_SCHEMA "pkgtrap/report/v1"

/* A new report (owned by the caller). record and findings are borrowed
 * (record may be NULL when triage produced nothing; findings may be NULL).
 * score is 0..100, verdict one of clean, suspicious, malicious, error.
 * Returns NULL with *err on an invalid argument or allocation failure;
 * malformed parts of the record are skipped, never fatal, since a record
 * of a hostile sample is untrusted. */
json_t *pt_report_build(json_t *record, json_t *findings, int score,
                        const char *verdict, pt_err **err);

/* The terminal form: verdict line first, then findings with evidence,
 * phases, the process tree, network attempts and honeytokens. color adds
 * ANSI colours (pass isatty(fileno(out))); without it the text is the
 * stable line format of docs/report-v1.md. 0, or -1 when a write failed. */
int pt_report_print_text(FILE *out, json_t *report, bool color);

/* path "-" writes to stdout. Files are written to a temporary name in the
 * same directory and renamed, so a reader never sees half a report. */
int pt_report_write_json(const char *path, json_t *report, pt_err **err);
int pt_report_write_html(const char *path, json_t *report, pt_err **err);
int pt_report_write_sarif(const char *path, json_t *report, pt_err **err);

/* The SARIF log as JSON (owned by the caller), for embedding. */
json_t *pt_report_sarif(json_t *report, pt_err **err);

#endif
