#!/bin/bash
# `pkgtrap sweep` with the real triage: corpus npm tarballs (one benign,
# one malicious) published to a real verdaccio on 127.0.0.1, swept (each
# detonated in the jail); then a new version published and swept again:
# only the new version is fetched and scanned. ctest runs this inside
# `unshare --net --pid` with lo up; nothing leaves loopback.
PKGTRAP_BATCH=$PKGTRAP
. "$BATCH_TESTS/lib.sh"
: "${PKGTRAP:?} ${ART:?}"
V=$VERDACCIO_DIR/node_modules/.bin/verdaccio
if [ ! -x "$V" ]; then
  echo "SKIP: verdaccio not installed in the build tree (cmake --build BUILD --target verdaccio)" >&2
  exit 77
fi
chmod 755 "$T" "$TMPDIR"
PORT=$(free_port)
cat > $T/config.yaml <<YAML
storage: $T/storage
auth: { htpasswd: { file: $T/htpasswd, max_users: -1 } }
uplinks: {}
packages: { '**': { access: \$all, publish: \$anonymous } }
web: { enable: false }
log: { type: stdout, format: pretty, level: error }
YAML
$V --config $T/config.yaml --listen 127.0.0.1:$PORT > $T/verdaccio.log 2>&1 & BG_PIDS="$BG_PIDS $!"
wait_port $PORT || { cat $T/verdaccio.log; fail "verdaccio did not start"; }
REG=http://127.0.0.1:$PORT
pub() { python3 "$(dirname "$0")/npmpub_file.py" $REG "$@" > /dev/null; }
pub "$ART/lit-spinner-2.0.1.tgz"
pub "$ART/expresss-4.18.3.tgz"
printf '%s\n' lit-spinner expresss > $T/names

set +e
$PKGTRAP sweep --ecosystem npm --registry $REG --names $T/names --db $T/s.db -j2 > $T/o1 2> $T/e1; rc=$?
set -e
cat $T/o1 $T/e1
[ $rc = 1 ] || fail "first sweep exit $rc (want 1: something flagged)"
grep -q '^malicious expresss 4.18.3 ' $T/o1 || fail "the malicious tarball was not found malicious"
grep -q '^clean lit-spinner 2.0.1 ' $T/o1 || fail "the benign tarball was not found clean"

pub "$ART/lit-spinner-2.0.1.tgz" --version 2.0.2
set +e
$PKGTRAP sweep --ecosystem npm --registry $REG --names $T/names --db $T/s.db > $T/o2 2> $T/e2; rc=$?
set -e
cat $T/o2 $T/e2
[ $rc = 0 ] || fail "second sweep exit $rc"
[ "$(grep -c . $T/o2)" = 1 ] && grep -q '^clean lit-spinner 2.0.2 ' $T/o2 || fail "second sweep scanned: $(cat $T/o2)"
grep -q "1 fetched" $T/e2 || fail "second sweep fetched more than the new version"
echo PASS
