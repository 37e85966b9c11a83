/* Test driver: builds a report from a fixture ({"record", "findings",
 * "score", "verdict"}) and renders it, the way `pkgtrap triage` will:
 *
 *   report_tool FIXTURE [--text] [--color] [--json OUT] [--html OUT]
 *               [--sarif OUT]
 *
 * OUT may be "-" for stdout. Used by the scripts in tests/report/; also handy to look
 * at a page or a terminal rendering while changing the renderers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: report_tool FIXTURE [--text] [--color] [--json OUT] "
                    "[--html OUT] [--sarif OUT]\n");
    return 2;
  }
  json_error_t jerr;
  json_t *fx = json_load_file(argv[1], 0, &jerr);
  if (fx == NULL) {
    fprintf(stderr, "report_tool: %s:%d: %s\n", argv[1], jerr.line, jerr.text);
    return 2;
  }
  json_t *score = json_object_get(fx, "score");
  pt_err *err = NULL;
  json_t *rep = pt_report_build(
      json_object_get(fx, "record"), json_object_get(fx, "findings"),
      json_is_integer(score) ? (int)json_integer_value(score) : -1,
      json_string_value(json_object_get(fx, "verdict")), &err);
  int rc = 0;
  if (rep == NULL) {
    pt_err_print(err);
    json_decref(fx);
    return 1;
  }
  for (int i = 2; i < argc && rc == 0; i++) {
    const char *a = argv[i];
    const char *out = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--text") == 0 || strcmp(a, "--color") == 0) {
      rc = pt_report_print_text(stdout, rep, strcmp(a, "--color") == 0);
      continue;
    }
    if (out == NULL) {
      fprintf(stderr, "report_tool: %s needs a file\n", a);
      rc = 2;
      break;
    }
    i++;
    if (strcmp(a, "--json") == 0)
      rc = pt_report_write_json(out, rep, &err);
    else if (strcmp(a, "--html") == 0)
      rc = pt_report_write_html(out, rep, &err);
    else if (strcmp(a, "--sarif") == 0)
      rc = pt_report_write_sarif(out, rep, &err);
    else {
      fprintf(stderr, "report_tool: unknown option %s\n", a);
      rc = 2;
    }
    if (rc < 0)
      pt_err_print(err);
  }
  json_decref(rep);
  json_decref(fx);
  return rc == 0 ? 0 : 1;
}
