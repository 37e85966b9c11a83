/* Shared between the report builder (report.c) and its renderers
 * (report_text.c, report_html.c, report_sarif.c). Not for other modules. */
#ifndef PT_REPORT_INT_H
#define PT_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "pt_err.h"
#include "pt_util.h"
#include "report.h"

/* A line describing an untrusted thing is cut here: a report is read by
 * people, and a 16 KiB argv or 4 KiB path says nothing more when whole. */
#define PT_REPORT_LINE_MAX 2048

/* Severities from least to most severe; rank -1 when unknown. */
int pt_report_severity_rank(const char *sev);

/* o[key] as a string, or NULL when absent or not a string. */
const char *pt_report_str(const json_t *o, const char *key);
/* o[key] as an integer (reals truncated), or def. */
long long pt_report_int(const json_t *o, const char *key, long long def);

/* argv (a JSON array of strings) as one shell-like line: arguments with
 * spaces or quotes are single-quoted. Raw, unescaped bytes. */
void pt_report_argv(pt_buf *b, const json_t *argv);

/* One event as a short line: "exec /bin/sh -c '…'", "dns evil.test A ->
 * 198.18.0.3", ... Raw, unescaped bytes (the caller escapes for its
 * output). Fields a sample controls are cut to readable lengths. */
void pt_report_describe_event(pt_buf *b, const json_t *ev);

/* Write len bytes to path ("-": stdout) through a temporary file in the
 * same directory and a rename. */
int pt_report_write_out(const char *path, const char *data, size_t len,
                        pt_err **err);

/* Bytes of s that are safe for a terminal: printable ASCII and valid
 * UTF-8 kept; C0/C1 controls, DEL, invalid UTF-8 and invisible or
 * direction-changing code points (a "Trojan Source" reordering) written
 * as \xNN or \u{NNNN}. */
void pt_report_term_escape(pt_buf *b, const char *s, size_t len);

#endif
