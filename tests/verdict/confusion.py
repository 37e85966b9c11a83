#!/usr/bin/env python3
"""The corpus confusion matrix: triage every labelled corpus artifact with
the real pkgtrap in the real jail (the caller runs this inside an outer
`unshare --net`), two at a time, and compare each verdict with its label:
every malicious sample must be `malicious`, every benign one `clean`.
This script only starts pkgtrap and reads its JSON reports.

  confusion.py PKGTRAP LABELS ARTIFACTS_DIR OUT_DIR [-j N]"""
import concurrent.futures
import json
import os
import subprocess
import sys
import time

pkgtrap, labels_path, art_dir, out_dir = sys.argv[1:5]
jobs = int(sys.argv[sys.argv.index("-j") + 1]) if "-j" in sys.argv else 2
labels = json.load(open(labels_path))
os.makedirs(out_dir, exist_ok=True)


def triage(sample):
    art = os.path.join(art_dir, sample["artifact"])
    rep = os.path.join(out_dir, sample["id"] + ".json")
    t0 = time.monotonic()
    p = subprocess.run([pkgtrap, "triage", "--deps", art_dir, "--json", rep, art],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    took = time.monotonic() - t0
    try:
        r = json.load(open(rep))
    except Exception as e:  # no report: pkgtrap failed
        return sample, "no-report", p.returncode, took, [], f"{e}; {p.stderr[-300:]}"
    rules = sorted({f["rule"] for f in r.get("findings", [])})
    return sample, r.get("verdict"), p.returncode, took, rules, ""


want = {"malicious": "malicious", "benign": "clean"}
fails = 0
matrix = {}
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
    for sample, verdict, rc, took, rules, err in ex.map(triage, labels):
        exp = want[sample["label"]]
        rc_ok = rc == {"clean": 0, "suspicious": 1, "malicious": 1, "error": 2}.get(verdict, -1)
        good = verdict == exp and rc_ok
        matrix[(sample["label"], verdict)] = matrix.get((sample["label"], verdict), 0) + 1
        print(f"{'ok' if good else 'not ok'} - {sample['id']}: {verdict} (label {sample['label']}, exit {rc}, {took:.1f}s) {','.join(rules)} {err}")
        fails += 0 if good else 1
print("# confusion matrix (label -> verdict):")
for (label, verdict), n in sorted(matrix.items()):
    print(f"#   {label:9s} -> {verdict}: {n}")
print(f"# {len(labels) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
