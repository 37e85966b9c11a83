# pkgtrap scan with the stub triage: discovery, verdict lines, exit codes,
# --jsonl, the batch deps dir, resume, --rescan, a crashing and a failing
# worker, the report cap, -j, SIGKILL at random moments then resume, and
# `report` (text, JSON, several stores).
. "$BATCH_TESTS/lib.sh"

A=$T/art; mkdir -p $A/sub/deeper $A/.hidden
for f in good-1.0-py3-none-any.whl sub/evil-2.0.tar.gz sub/deeper/meh_sus-0.3.zip \
         left-pad-1.3.0.tgz; do
  head -c 1000 /dev/urandom > "$A/$f"
done
echo notes > $A/README.txt                      # not an artifact
head -c 10 /dev/urandom > $A/.hidden/x-1.whl     # walked, name ok
cp "$A/good-1.0-py3-none-any.whl" "$A/sub/dup-1.0.zip"   # same sha256: scanned once

set +e
$B scan -j2 --db $T/s.db --jsonl $T/out.jsonl --progress lines $A > $T/lines 2>$T/err
rc=$?
set -e
cat $T/lines $T/err
[ $rc = 1 ] || fail "exit $rc, want 1 (flagged)"
grep -q '^malicious evil 2.0 honeytoken-exfil: AWS key sent' $T/lines || fail "malicious line"
grep -q '^suspicious meh_sus 0.3 install-network' $T/lines || fail "suspicious line"
grep -q '^clean good 1.0 -' $T/lines || fail "clean line"
[ $(wc -l < $T/out.jsonl) = 5 ] || fail "jsonl lines $(wc -l < $T/out.jsonl)"
python3 - $T/out.jsonl <<'PY' || fail "jsonl content"
import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
assert all(r["schema"]=="pkgtrap/report/v1" and len(r["package"]["sha256"])==64 for r in rs)
assert all(r["stub_deps_ok"] for r in rs), "artifact missing from the batch deps dir"
PY
ls $TMPDIR/pkgtrap-deps-* 2>/dev/null && fail "deps dir left behind" || true

# Resume: everything stored, nothing scanned again.
set +e; $B scan --db $T/s.db --progress lines $A > $T/lines2 2>$T/err2; rc=$?; set -e
[ $rc = 0 ] || fail "rerun exit $rc"
[ ! -s $T/lines2 ] || fail "rerun scanned: $(cat $T/lines2)"
grep -q 'scanned 0, skipped 6' $T/err2 || fail "rerun summary: $(cat $T/err2)"
# --rescan scans again, still one row per artifact.
set +e; $B scan --rescan --db $T/s.db --progress none $A 2>/dev/null; rc=$?; set -e
[ $rc = 1 ] || fail "rescan exit $rc"
[ "$(sqlite3 $T/s.db 'select count(*) from packages')" = 5 ] || fail "rows after rescan"
[ "$(sqlite3 $T/s.db 'select count(*) from findings')" = 3 ] || fail "findings after rescan"

# Errors: triage failing, worker crashing, report over the cap.
E=$T/err-art; mkdir -p $E
for f in broken-1.whl crash-1.whl fine-1.whl; do head -c 100 /dev/urandom > $E/$f; done
set +e; $B scan --db $T/e.db --progress lines $E > $T/elines 2>&1; rc=$?; set -e
cat $T/elines
[ $rc = 2 ] || fail "error exit $rc"
grep -q '^error broken-1.whl ? stub: cannot unpack' $T/elines || fail "broken line"
grep -q '^error crash-1.whl ? triage worker killed by signal 6' $T/elines || fail "crash line"
[ "$(sqlite3 $T/e.db "select count(*) from packages where verdict='error'")" = 2 ] || fail "errors stored"

# -j: 8 artifacts sleeping 300 ms each, at -j4, overlap: the stub's trace
# (one O_APPEND line as each triage begins and ends, in the order they
# happened) must show more than one triage running at once. No clock is
# read: a loaded machine slows the run, not the check.
P=$T/par; mkdir -p $P
for i in 1 2 3 4 5 6 7 8; do head -c 100 /dev/urandom > $P/p$i-1.whl; done
STUB_TRIAGE_SLEEP_MS=300 STUB_TRIAGE_TRACE=$T/par.trace \
  $B scan -j4 --db $T/p.db --progress none $P
[ "$(grep -c '^begin ' $T/par.trace)" = 8 ] && [ "$(grep -c '^end ' $T/par.trace)" = 8 ] ||
  fail "-j4: trace of 8 triages: $(cat $T/par.trace)"
most=$(awk '/^begin /{n++; if (n > m) m = n} /^end /{n--} END{print m+0}' $T/par.trace)
echo "-j4 8x300ms: at most $most triages at once"
[ "$most" -ge 2 ] || fail "-j4 not parallel: $(cat $T/par.trace)"

# SIGKILL at random moments, then resume: every artifact once.
K=$T/kill; mkdir -p $K
for i in $(seq 1 40); do head -c 200 /dev/urandom > $K/k$i-1.whl; done
for round in $(seq 1 4); do
  STUB_TRIAGE_SLEEP_MS=80 $B scan -j3 --db $T/k.db --jsonl $T/k.jsonl --progress none $K 2>/dev/null &
  pid=$!
  sleep 0.$((RANDOM % 4))$((RANDOM % 10))
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
done
# Orphaned workers die with PR_SET_PDEATHSIG (the test has a pid
# namespace and /proc of its own, so pgrep sees only ours).
for _ in $(seq 30); do pgrep -f "pkgtrap-batch-test scan" >/dev/null || break; sleep 0.1; done
pgrep -f "pkgtrap-batch-test scan" && fail "workers left"
before=$(sqlite3 $T/k.db 'select count(*) from packages')
STUB_TRIAGE_SLEEP_MS=20 $B scan -j3 --db $T/k.db --jsonl $T/k.jsonl --progress none $K
[ "$(sqlite3 $T/k.db 'pragma integrity_check')" = ok ] || fail integrity
[ "$(sqlite3 $T/k.db 'select count(*) from packages')" = 40 ] || fail "after resume"
after=$(python3 -c "import json,sys; print(len({json.loads(l)['package']['sha256'] for l in open('$T/k.jsonl')}))")
echo "kill test: $before of 40 stored before the resume; $after distinct in jsonl"
[ $after = 40 ] || fail "jsonl distinct $after"

# report: text, JSON, several stores.
# Exit status as clamscan's: 1 when a package is flagged, 0 when none is.
set +e; $B report --db $T/s.db > $T/rep; rc=$?; set -e
[ $rc = 1 ] || fail "report exits 1 when a package is flagged (rc=$rc)"
set +e; $B report --db $T/e.db > /dev/null; rc=$?; set -e
[ $rc = 0 ] || fail "report exits 0 when none is (rc=$rc)"
cat $T/rep
grep -q '^5 packages in 1 store: clean 3, suspicious 1, malicious 1, error 0' $T/rep || fail "report counts"
grep -q 'malicious  evil 2.0 (pypi) score 95  honeytoken-exfil \[critical\]' $T/rep || fail "report flagged"
grep -q 'install-reads-credentials *1 package, 1 finding' $T/rep || fail "report rules"
set +e; $B report --db $T/s.db --db $T/e.db --json > $T/rep.json; rc=$?; set -e
[ $rc = 1 ] || fail "report --json exits 1 when a package is flagged (rc=$rc)"
python3 - $T/rep.json <<'PY' || fail "report json"
import json,sys
d=json.load(open(sys.argv[1]))
assert d["packages"]==8 and d["stores"]==2, d
assert d["by_verdict"]=={"clean":4,"suspicious":1,"malicious":1,"error":2}, d["by_verdict"]
assert d["flagged"][0]["top_finding"]["rule"]=="honeytoken-exfil"
PY
set +e; $B report --db $T/s.db --db $T/e.db --merge-into $T/m.db > /dev/null; rc=$?; set -e
[ $rc = 1 ] || fail "report --merge-into exits 1 (rc=$rc)"
[ "$(sqlite3 $T/m.db 'select count(*) from packages')" = 8 ] || fail "merge-into"
set +e; $B report --db $T/none.db 2>/dev/null; rc=$?; set -e
[ $rc = 2 ] || fail "missing store exit $rc"
[ ! -e $T/none.db ] || fail "report created a store"
echo PASS
