/* Entry points of the batch verbs (scan, sweep, report) and the option
 * helpers they share. main.c dispatches to pt_cmd_scan / pt_cmd_sweep /
 * pt_cmd_report; the _with variants take the triage function explicitly
 * (tests pass a stub). */
#ifndef PT_SCAN_CLI_H
#define PT_SCAN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "scan.h"

/* argv[0] is the verb. Exit status 0 clean, 1 flagged, 2 error. */
int pt_cmd_scan(int argc, char **argv);
int pt_cmd_sweep(int argc, char **argv);
int pt_cmd_report(int argc, char **argv);
int pt_cmd_scan_with(int argc, char **argv, pt_scan_triage_fn triage);
int pt_cmd_sweep_with(int argc, char **argv, pt_scan_triage_fn triage);

/* Shared option parsing (messages on stderr, false/NULL/-2 on error). */
bool pt_scan_parse_num(const char *opt, const char *s, unsigned long long max,
                        unsigned long long *out);
/* bar 1, lines 0, none 2, auto -1; -2 when unknown. */
int pt_scan_parse_progress(const char *s);
/* NULL path: NULL; "-": stdout; else opened for append. */
FILE *pt_scan_open_jsonl(const char *path);

#endif
