# A registry that fails or lies: each bad package gets a clear error (on
# stderr and in the store, retried by the next sweep), the good ones are
# scanned, and the sweep goes on.
. "$BATCH_TESTS/lib.sh"
PORT=$(free_port)
python3 $BATCH_TESTS/liar.py $PORT & BG_PIDS="$BG_PIDS $!"
wait_port $PORT
REG=http://127.0.0.1:$PORT
OPTS="--http-timeout 2 --stall 1 --retries 2 --retry-backoff-ms 50 --max-download 1 --progress lines"

printf '%s\n' badjson good wronghash missing slow flaky stall huge > $T/names
set +e
$B sweep --ecosystem pypi --registry $REG/simple --names $T/names --db $T/s.db $OPTS > $T/o1 2> $T/e1; rc=$?
set -e
cat $T/o1 $T/e1
[ $rc = 2 ] || fail "exit $rc, want 2"
grep -q "pypi \`badjson\`: bad JSON in project page" $T/e1 || fail badjson
grep -q "pypi wronghash 1.0: .*sha256 mismatch: registry says" $T/e1 || fail wronghash
grep -q "pypi \`missing\`: GET $REG/simple/missing/: HTTP 404" $T/e1 || fail missing
grep -Eq "pypi \`slow\`: GET $REG/simple/slow/: .*(too slow|timed out)" $T/e1 || fail slow
grep -q "pypi stall 1.0: GET $REG/files/stall-1.0.tar.gz: .*" $T/e1 || fail stall
grep -q "pypi huge 1.0: GET $REG/files/huge-1.0.tar.gz: larger than the cap of 1048576 bytes" $T/e1 || fail huge
grep -q '^clean good 1.0' $T/o1 || fail "good not scanned"
# flaky has good's bytes: retried, fetched, and reused good's report
[ "$(sqlite3 $T/s.db "select status from sweep_state where name='flaky'")" = done ] || fail "flaky not retried"
[ "$(sqlite3 $T/s.db "select count(*) from sweep_state where status='error'")" = 6 ] || fail "errors stored"
ls $TMPDIR/pkgtrap-sweep-* 2>/dev/null && fail "download dir left" || true

# The next sweep retries only the failures.
set +e
$B sweep --ecosystem pypi --registry $REG/simple --names $T/names --db $T/s.db $OPTS > $T/o2 2> $T/e2; rc=$?
set -e
grep -q "2 already scanned" $T/e2 || fail "retry sweep: $(tail -1 $T/e2)"
[ "$(sqlite3 $T/s.db "select max(attempts) from sweep_state where status='error'")" = 2 ] || fail attempts
set +e; $B report --db $T/s.db > $T/rep; rc=$?; set -e
[ $rc = 0 ] || fail "report exits 0: nothing flagged (rc=$rc)"
grep -q "sweep: 2 registry files scanned, 6 failing" $T/rep || fail "report: $(cat $T/rep)"

# npm: wrong integrity, not JSON, a document for another package.
printf '%s\n' good badintegrity notjson wrongname nope > $T/npmnames
set +e
$B sweep --ecosystem npm --registry $REG/npm --names $T/npmnames --db $T/n.db $OPTS > $T/o3 2> $T/e3; rc=$?
set -e
cat $T/o3 $T/e3
[ $rc = 2 ] || fail "npm exit $rc"
grep -q "npm badintegrity 1.0.0: .*sha512 mismatch" $T/e3 || fail badintegrity
grep -q "npm \`notjson\`: bad JSON in package document" $T/e3 || fail notjson
grep -q "npm \`wrongname\`: package document is for \`someone-else\`" $T/e3 || fail wrongname
grep -q "npm \`nope\`: GET $REG/npm/nope: HTTP 404" $T/e3 || fail nope
grep -q '^clean good 1.0.0' $T/o3 || fail "npm good"
echo PASS
