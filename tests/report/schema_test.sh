#!/bin/bash
# Every fixture's report validates against docs/report-v1.schema.json and
# its SARIF log against the SARIF subset code scanning reads; the SARIF
# results match the report's findings one to one. The checker
# (validate.py) is tested too: a report broken on purpose must fail.
#
# Environment (tests/report.cmake): REPORT_TOOL, FIXTURES, DOCS, TEST_TMP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$TEST_TMP"
work=$(mktemp -d "$TEST_TMP/report_schema.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
validate() { python3 "$here/validate.py" "$@"; }

n=0
for fx in "$FIXTURES"/*.json; do
  name=$(basename "$fx" .json)
  if ! "$REPORT_TOOL" "$fx" --json "$work/$name.json" --sarif "$work/$name.sarif"; then
    bad "$name: report_tool failed"
    continue
  fi
  validate "$DOCS/report-v1.schema.json" "$work/$name.json" || bad "$name: report does not validate"
  validate "$here/sarif-subset.schema.json" "$work/$name.sarif" || bad "$name: SARIF does not validate"
  python3 - "$work/$name.json" "$work/$name.sarif" <<'PY' || bad "$name: SARIF does not match the report"
import json, sys
rep = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
run = log["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"]
level = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
assert len(rules) == len(set(rules)), "duplicate rules"
assert len(res) == len(rep["findings"]), "results != findings"
for f, r in zip(rep["findings"], res):
    assert r["ruleId"] == f["rule"], (r["ruleId"], f["rule"])
    assert rules[r["ruleIndex"]] == f["rule"], "ruleIndex"
    assert r["level"] == level[f["severity"]], (r["level"], f["severity"])
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 0
assert run["invocations"][0]["executionSuccessful"] == (rep["verdict"] != "error")
assert run["properties"]["verdict"] == rep["verdict"]
PY
  n=$((n + 1))
done
[ $n -ge 4 ] || bad "only $n fixtures"

# The checker must be able to say no.
python3 - "$work/malicious.json" "$work/broken.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["verdict"] = "evil"
del r["network"]
r["score"] = 101
r["files"][0]["op"] = "teleport"
r["processes"][0]["argv"] = "sh"
json.dump(r, open(sys.argv[2], "w"))
PY
out=$(validate "$DOCS/report-v1.schema.json" "$work/broken.json")
[ $? = 1 ] || bad "a broken report validates"
for want in '/verdict' "'network' missing" '/score' '/files/0/op' '/processes/0/argv'; do
  grep -qF -- "$want" <<<"$out" || bad "broken report: no error about $want"
done

[ $fail = 0 ] && echo "PASS: $n reports and SARIF logs validate"
exit $fail
