# pkgtrap sweep against verdaccio (the npm registry server, installed into
# the build tree) on 127.0.0.1 with anonymous publishing: publish, sweep,
# publish a new version, sweep again: only the new version is fetched.
# dist.integrity (sha512) is verified on every download.
. "$BATCH_TESTS/lib.sh"
V=$VERDACCIO_DIR/node_modules/.bin/verdaccio
if [ ! -x "$V" ]; then
  echo "SKIP: verdaccio not installed in the build tree (cmake --build BUILD --target verdaccio; needs the npm registry)" >&2
  exit 77
fi
PORT=$(free_port)
cat > $T/config.yaml <<YAML
storage: $T/storage
auth:
  htpasswd:
    file: $T/htpasswd
    max_users: -1
uplinks: {}
packages:
  '@*/*':
    access: \$all
    publish: \$anonymous
  '**':
    access: \$all
    publish: \$anonymous
web:
  enable: false
log: { type: stdout, format: pretty, level: error }
YAML
$V --config $T/config.yaml --listen 127.0.0.1:$PORT > $T/verdaccio.log 2>&1 & BG_PIDS="$BG_PIDS $!"
wait_port $PORT || { cat $T/verdaccio.log; fail "verdaccio did not start"; }
REG=http://127.0.0.1:$PORT
pub() { python3 $BATCH_TESTS/npmpub.py $REG "$1" "$2" $T/pub > /dev/null; }
pub left-pad-x 1.0.0
pub @acme/evil-thing 0.1.0
pub sus-helper 2.0.0
printf '%s\n' left-pad-x @acme/evil-thing sus-helper > $T/names

set +e
$B sweep --ecosystem npm --registry $REG --names $T/names --db $T/s.db --progress lines -j2 > $T/o1 2> $T/e1; rc=$?
set -e
cat $T/o1 $T/e1
[ $rc = 1 ] || fail "first sweep exit $rc"
grep -q "3 files: 0 already scanned, 0 older than --since, 3 fetched" $T/e1 || fail "first sweep"
grep -q '^malicious evil-thing 0.1.0 ' $T/o1 || fail "scoped package not scanned"

pub left-pad-x 1.1.0
set +e
$B sweep --ecosystem npm --registry $REG --names $T/names --db $T/s.db --progress lines > $T/o2 2> $T/e2; rc=$?
set -e
cat $T/o2 $T/e2
[ $rc = 0 ] || fail "second sweep exit $rc"
grep -q "4 files: 3 already scanned, 0 older than --since, 1 fetched" $T/e2 || fail "second sweep"
[ "$(cat $T/o2)" = "clean left-pad-x 1.1.0 -" ] || fail "second sweep scanned: $(cat $T/o2)"
# verdaccio's publish times are kept
[ "$(sqlite3 $T/s.db "select count(*) from sweep_state where published > 1600000000")" = 4 ] || fail "times"

# --all through the registry's listing (verdaccio answers /-/all).
set +e
$B sweep --ecosystem npm --registry $REG --all --db $T/all.db --progress none 2> $T/e3; rc=$?
set -e
cat $T/e3
grep -q "3 of 3 names in this shard; 4 files: 0 already scanned, 0 older than --since, 4 fetched" $T/e3 || fail "--all"
echo PASS
