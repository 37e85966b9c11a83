/* SARIF 2.1.0 (OASIS) for CI code-scanning: one run of the tool
 * "pkgtrap", a rule per distinct finding rule, a result per finding with
 * its level from the severity, every result located at the artifact.
 * The mapping is documented in docs/report-v1.md § SARIF.
 *
 * GitHub code scanning reads "security-severity" (a number as a string,
 * 0.0-10.0) on a rule to rank security alerts, and partialFingerprints to
 * recognise the same alert in the next run; both are set. */
#define _GNU_SOURCE
#include "report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *level_of(const char *sev) {
  switch (pt_report_severity_rank(sev)) {
  case 4:
  case 3: return "error";
  case 2: return "warning";
  default: return "note";
  }
}

static const char *security_severity(const char *sev) {
  static const char *const s[] = {"0.0", "3.0", "5.5", "8.0", "9.5"};
  int r = pt_report_severity_rank(sev);
  return s[r < 0 ? 0 : r];
}

/* A URI reference for a file path (RFC 3986): unreserved characters and
 * "/" kept, everything else percent-encoded; absolute paths become
 * file:// URIs, relative ones stay relative (to the repository root when
 * the caller passed a path inside it, which code scanning prefers). */
static char *path_uri(const char *path) {
  if (path == NULL || *path == '\0')
    return strdup("artifact");
  pt_buf b;
  pt_buf_init(&b, 3 * strlen(path) + 16);
  if (path[0] == '/')
    pt_buf_append(&b, "file://", 7);
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
      pt_buf_append(&b, p, 1);
    else
      pt_buf_printf(&b, "%%%02X", *p);
  }
  char *s = b.data ? b.data : strdup("artifact");
  return s;
}

static json_t *text(const char *s) {
  return json_pack("{s:s}", "text", s ? s : "");
}

static json_t *build_rules(const json_t *findings, json_t *index) {
  json_t *rules = json_array();
  size_t i;
  json_t *f;
  json_array_foreach(findings, i, f) {
    const char *rule = pt_report_str(f, "rule");
    if (rule == NULL || json_object_get(index, rule))
      continue;
    const char *sev = pt_report_str(f, "severity");
    const char *desc = pt_report_str(f, "description");
    json_t *r = json_pack(
        "{s:s,s:s,s:o,s:{s:s},s:{s:s,s:s,s:[s,s]}}", "id", rule, "name", rule,
        "shortDescription", text(desc ? desc : rule), "defaultConfiguration",
        "level", level_of(sev), "properties", "severity", sev ? sev : "info",
        "security-severity", security_severity(sev), "tags", "security",
        "supply-chain");
    if (r == NULL)
      continue;
    json_object_set_new(index, rule,
                        json_integer((json_int_t)json_array_size(rules)));
    json_array_append_new(rules, r);
  }
  return rules;
}

static json_t *build_result(const json_t *rep, const json_t *f,
                            const json_t *index, const char *uri) {
  const char *rule = pt_report_str(f, "rule");
  const char *sev = pt_report_str(f, "severity");
  const char *phase = pt_report_str(f, "phase");
  const json_t *pkg = json_object_get(rep, "package");
  pt_buf msg;
  pt_buf_init(&msg, 4096);
  pt_buf_printf(&msg, "%s", pt_report_str(f, "summary") ? pt_report_str(f, "summary") : rule);
  if (phase)
    pt_buf_printf(&msg, " (phase %s)", phase);
  json_t *evidence = json_array();
  size_t k;
  json_t *ev;
  json_array_foreach(json_object_get(f, "evidence"), k, ev) {
    pt_buf d;
    pt_buf_init(&d, PT_REPORT_LINE_MAX);
    pt_report_describe_event(&d, ev);
    json_array_append_new(evidence, json_stringn(d.data ? d.data : "", d.len));
    pt_buf_free(&d);
  }
  /* The same alert in the next scan of the same package version. */
  pt_buf fp;
  pt_buf_init(&fp, 4096);
  pt_buf_printf(&fp, "%s/%s@%s:%s:%s",
                pt_report_str(pkg, "ecosystem") ? pt_report_str(pkg, "ecosystem") : "",
                pt_report_str(pkg, "name") ? pt_report_str(pkg, "name") : "",
                pt_report_str(pkg, "version") ? pt_report_str(pkg, "version") : "",
                rule ? rule : "", phase ? phase : "");
  json_t *res = json_pack(
      "{s:s,s:I,s:s,s:o,s:[{s:{s:{s:s,s:i}},s:[{s:s,s:s}]}],s:{s:s},"
      "s:{s:s,s:o,s:o}}",
      "ruleId", rule ? rule : "unknown", "ruleIndex",
      (json_int_t)pt_report_int(index, rule ? rule : "", 0), "level",
      level_of(sev), "message", text(msg.data), "locations",
      "physicalLocation", "artifactLocation", "uri", uri, "index", 0,
      "logicalLocations", "name",
      pt_report_str(pkg, "name") ? pt_report_str(pkg, "name") : "?", "kind",
      "module", "partialFingerprints", "pkgtrap/v1", fp.data ? fp.data : "",
      "properties", "severity", sev ? sev : "info", "phase",
      phase ? json_string(phase) : json_null(), "evidence", evidence);
  pt_buf_free(&msg);
  pt_buf_free(&fp);
  return res;
}

json_t *pt_report_sarif(json_t *report, pt_err **err) {
  if (!json_is_object(report)) {
    pt_err_make(err, EINVAL, "report: not a report object");
    return NULL;
  }
  const json_t *pkg = json_object_get(report, "package");
  const json_t *findings = json_object_get(report, "findings");
  const json_t *tool = json_object_get(report, "tool");
  const char *version = pt_report_str(tool, "version");
  if (version == NULL)
    version = PKGTRAP_REPORT_VERSION;
  char *uri = path_uri(pt_report_str(pkg, "artifact"));
  if (uri == NULL) {
    pt_err_make(err, ENOMEM, "report: SARIF");
    return NULL;
  }
  json_t *index = json_object();
  json_t *rules = build_rules(findings, index);
  json_t *results = json_array();
  size_t i;
  json_t *f;
  json_array_foreach(findings, i, f) {
    json_t *r = build_result(report, f, index, uri);
    if (r)
      json_array_append_new(results, r);
  }
  json_t *artifact = json_pack("{s:{s:s},s:[s]}", "location", "uri", uri,
                               "roles", "analysisTarget");
  const char *sha = pt_report_str(pkg, "sha256");
  if (artifact && sha)
    json_object_set_new(artifact, "hashes", json_pack("{s:s}", "sha-256", sha));
  const char *verdict = pt_report_str(report, "verdict");
  const char *error = pt_report_str(report, "error");
  json_t *inv = json_pack("{s:b}", "executionSuccessful",
                          !(verdict && strcmp(verdict, "error") == 0));
  if (inv && error)
    json_object_set_new(
        inv, "toolExecutionNotifications",
        json_pack("[{s:s,s:o}]", "level", "error", "message", text(error)));
  json_t *props = json_pack("{s:s,s:I,s:O}", "verdict", verdict ? verdict : "error",
                            "score", (json_int_t)pt_report_int(report, "score", 0),
                            "package", pkg ? pkg : json_null());
  json_t *log = json_pack(
      "{s:s,s:s,s:[{s:{s:{s:s,s:s,s:s,s:o}},s:[o],s:[o],s:o,s:o}]}", "$schema",
      "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
      "runs", "tool", "driver", "name", "pkgtrap", "version", version,
      "semanticVersion", version, "rules", rules, "invocations", inv,
      "artifacts", artifact, "results", results, "properties", props);
  json_decref(index);
  free(uri);
  if (log == NULL)
    pt_err_make(err, ENOMEM, "report: SARIF");
  return log;
}

int pt_report_write_sarif(const char *path, json_t *report, pt_err **err) {
  json_t *log = pt_report_sarif(report, err);
  if (log == NULL)
    return -1;
  char *s = json_dumps(log, JSON_INDENT(2));
  json_decref(log);
  if (s == NULL)
    return pt_err_make(err, ENOMEM, "report: SARIF encoding");
  size_t n = strlen(s);
  s[n] = '\n';
  int rc = pt_report_write_out(path, s, n + 1, err);
  free(s);
  return rc;
}
