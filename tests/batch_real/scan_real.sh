#!/bin/bash
# `pkgtrap scan` with the real triage on real corpus artifacts (one
# malicious wheel, one benign npm tarball, one benign sdist), in the real
# jail, inside the outer `unshare --net` ctest gives it: verdicts stored,
# --jsonl streamed, `report` counts them, a rerun skips all (resume), and
# a scan killed with SIGKILL mid-way then rerun stores each exactly once.
set -u
source "$(dirname "$0")/../jail/lib.sh"
: "${PKGTRAP:?} ${ART:?} ${TEST_TMP:?}"
W="$TEST_TMP/scan-real"
rm -rf "$W"; mkdir -p "$W/in"; chmod 755 "$TEST_TMP" "$W" "$W/in"
for f in awscli_sso_helper-1.3.1-py3-none-any.whl lit-spinner-2.0.1.tgz tabulate-lite-0.9.1.tar.gz; do
  cp "$ART/$f" "$W/in/"; chmod 644 "$W/in/$f"
done
out=$("$PKGTRAP" scan -j 2 --db "$W/s.db" --jsonl "$W/s.jsonl" "$W/in" 2>&1); rc=$?
expect_eq "scan exits 1 when something is flagged" 1 "$rc"
expect_match "one line per package: the malicious wheel" "malicious awscli-sso-helper 1.3.1" "$out"
expect_match "one line per package: the benign npm tarball" "clean lit-spinner 2.0.1" "$out"
expect_match "one line per package: the benign sdist" "clean tabulate-lite 0.9.1" "$out"
expect_eq "--jsonl holds the three reports" 3 "$(grep -c '"schema":"pkgtrap/report/v1"' "$W/s.jsonl")"
rep=$("$PKGTRAP" report --db "$W/s.db" --json); rc=$?
expect_eq "report exits 1: a package is flagged" 1 "$rc"
v=$(python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); c=r["by_verdict"]; print(c.get("malicious"), c.get("clean"))' <<<"$rep" 2>/dev/null)
expect_eq "report counts 1 malicious and 2 clean" "1 2" "$v"
out=$("$PKGTRAP" scan -j 2 --db "$W/s.db" "$W/in" 2>&1); rc=$?
expect_match "a rerun skips what is stored" "skipped 3" "$out"

# SIGKILL mid-scan, then resume: every package stored exactly once. A
# process killed so cannot remove its temporary directories (the batch's
# deps, an unpacked artifact, a run directory); the resumed scan removes
# them, as it makes its own beside them, once nothing holds their locks.
K="$W/tmp"; mkdir -p "$K"
TMPDIR="$K" "$PKGTRAP" scan -j 1 --db "$W/k.db" "$W/in" >/dev/null 2>&1 &
pid=$!
# Killed while it has a package in hand (its temporary directories made),
# not after a fixed time: a scan of these three takes ~2.5 s, and one that
# ended first would leave nothing to resume.
for _ in $(seq 200); do
  [ "$(ls -d "$K"/pkgtrap-* 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.05
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null
# Its worker dies of its parent-death signal: wait until the locks are free.
for _ in $(seq 50); do
  busy=0
  for l in "$K"/pkgtrap-*/.lock; do
    [ -e "$l" ] && ! flock -n "$l" true && busy=1
  done
  [ $busy = 0 ] && break
  sleep 0.1
done
left=$(ls -d "$K"/pkgtrap-* 2>/dev/null | wc -l)
check "a scan killed with SIGKILL leaves its temporary directories ($left)" test "$left" -ge 2
TMPDIR="$K" "$PKGTRAP" scan -j 2 --db "$W/k.db" "$W/in" >/dev/null 2>&1
n=$(python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("select count(*), count(distinct sha256) from packages").fetchone())' "$W/k.db")
expect_eq "after SIGKILL and resume: 3 packages, each once" "(3, 3)" "$n"
expect_eq "... and the killed scan's temporary directories are gone" "" "$(ls -A "$K")"
rm -rf "$W"
finish
