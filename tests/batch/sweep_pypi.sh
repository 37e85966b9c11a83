# pkgtrap sweep against a PEP 691 / PEP 503 index of local artifacts served
# on 127.0.0.1 by python's http.server: first sweep scans everything,
# a second one nothing, a new release only that; JSON and HTML alike;
# --all, --since, --shard covering every project exactly once.
. "$BATCH_TESTS/lib.sh"

A=$T/art; mkdir -p $A
mk() { head -c 2000 /dev/urandom > "$A/$1"; }
mk good_lib-1.0-py3-none-any.whl; mk good_lib-1.0.tar.gz
mk evil.pkg-0.1.tar.gz
mk sus_tool-2.0-py3-none-any.whl
mk Mixed_Case-3.1.zip
python3 $BATCH_TESTS/pyindex.py gen $A $T/idx
PORT=$(free_port)
python3 $BATCH_TESTS/pyindex.py serve $T/idx $PORT & BG_PIDS="$BG_PIDS $!"
PORT2=$(free_port)
python3 $BATCH_TESTS/pyindex.py serve $T/idx $PORT2 --html-only & BG_PIDS="$BG_PIDS $!"
wait_port $PORT; wait_port $PORT2
REG=http://127.0.0.1:$PORT/simple

printf '%s\n' good-lib evil.pkg '# comment' sus_tool mixed-case > $T/names
set +e
$B sweep --ecosystem pypi --registry $REG/ --names $T/names --db $T/s.db \
  --jsonl $T/s.jsonl --progress lines -j2 > $T/o1 2> $T/e1; rc=$?
set -e
cat $T/o1 $T/e1
[ $rc = 1 ] || fail "first sweep exit $rc"
grep -q "5 files: 0 already scanned, 0 older than --since, 5 fetched" $T/e1 || fail "first sweep counts"
grep -q '^malicious evil.pkg 0.1 ' $T/o1 || fail "evil not flagged"
[ "$(sqlite3 $T/s.db "select count(*) from sweep_state where status='done'")" = 5 ] || fail "state"
[ "$(sqlite3 $T/s.db "select group_concat(version) from sweep_state where name='good-lib'")" = "1.0,1.0" ] || fail "versions"

# Again: nothing fetched.
set +e; $B sweep --ecosystem pypi --registry $REG --names $T/names --db $T/s.db --progress lines > $T/o2 2> $T/e2; rc=$?; set -e
cat $T/e2
grep -q "5 files: 5 already scanned, 0 older than --since, 0 fetched" $T/e2 || fail "second sweep fetched"
[ $rc = 0 ] || fail "second sweep exit $rc"

# A new release: only it is fetched and scanned.
sleep 1
mk good_lib-1.1-py3-none-any.whl
python3 $BATCH_TESTS/pyindex.py gen $A $T/idx
set +e; $B sweep --ecosystem pypi --registry $REG --names $T/names --db $T/s.db --progress lines > $T/o3 2> $T/e3; rc=$?; set -e
cat $T/o3 $T/e3
grep -q "6 files: 5 already scanned, 0 older than --since, 1 fetched" $T/e3 || fail "third sweep"
[ "$(cat $T/o3)" = "clean good_lib 1.1 -" ] || fail "third sweep scanned: $(cat $T/o3)"

# PEP 503 HTML only, a fresh store, --all from the index root.
set +e; $B sweep --ecosystem pypi --registry http://127.0.0.1:$PORT2/simple --all --db $T/h.db --progress none 2> $T/e4; rc=$?; set -e
cat $T/e4
grep -q "4 of 4 names in this shard; 6 files: 0 already scanned, 0 older than --since, 6 fetched" $T/e4 || fail "html --all"
[ "$(sqlite3 $T/h.db "select count(*) from packages")" = 6 ] || fail "html store"
# the HTML index has no upload times: sweep_state.published is 0
[ "$(sqlite3 $T/h.db "select max(published) from sweep_state")" = 0 ] || fail "html times"

# --since: a fresh store, only files uploaded after the new release's time.
T11=$(sqlite3 $T/s.db "select published from sweep_state where filename like 'good_lib-1.1%'")
set +e; $B sweep --ecosystem pypi --registry $REG --all --db $T/since.db --since @$T11 --progress none 2> $T/e5; rc=$?; set -e
cat $T/e5
grep -q "6 files: 0 already scanned, 5 older than --since, 1 fetched" $T/e5 || fail "--since"
# --since last: the newest file of the previous sweep of that store
set +e; $B sweep --ecosystem pypi --registry $REG --all --db $T/since.db --since last --progress none 2> $T/e6; set -e
grep -q "1 already scanned, 5 older than --since, 0 fetched" $T/e6 || fail "--since last"

# --shard: 3 shards cover every project exactly once, and merge back.
for k in 0 1 2; do
  $B sweep --ecosystem pypi --registry $REG --all --db $T/shard$k.db --shard $k/3 --progress none 2> $T/sh$k || true
  cat $T/sh$k
done
python3 - $T <<'PY' || fail "shard coverage"
import sqlite3, sys, collections
t = sys.argv[1]
seen = collections.Counter()
for k in range(3):
    db = sqlite3.connect(f"{t}/shard{k}.db")
    for (n,) in db.execute("select distinct name from sweep_state"): seen[n] += 1
assert sorted(seen) == ["evil-pkg", "good-lib", "mixed-case", "sus-tool"], seen
assert all(v == 1 for v in seen.values()), seen
PY
set +e; $B report --db $T/shard0.db --db $T/shard1.db --db $T/shard2.db --json > $T/rep.json; rc=$?; set -e
[ $rc = 1 ] || fail "report exits 1: evil-pkg is flagged (rc=$rc)"
python3 -c "import json; d=json.load(open('$T/rep.json')); assert d['packages']==6 and d['sweep']['done']==6, d" || fail "shard merge"
echo PASS
