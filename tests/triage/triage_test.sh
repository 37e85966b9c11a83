#!/bin/bash
# One triage case: run the real pkgtrap on a corpus artifact (in the jail;
# the caller runs this script inside `unshare --net`), check its exit code,
# its wall time and its record.
#   triage_test.sh ARTIFACT EXPECTED_EXIT(0, =0, N) MAX_SECONDS [DEPS_DIR|-] -- CHECKS...
set -u
art=$1 want_rc=$2 max_s=$3 deps=$4
shift 5
mkdir -p "$TEST_TMP"
out=$(mktemp "$TEST_TMP/triage.XXXXXX.json")
trap 'rm -f "$out"' EXIT
depargs=()
[ "$deps" != - ] && depargs=(--deps "$deps")
start=$(date +%s%N)
"$PKGTRAP" triage "${depargs[@]}" --record "$out" "$art" >/dev/null
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "triage $(basename "$art"): exit $rc in $ms ms"
# These cases check phases and events; the verdict (exit 0 clean or 1
# flagged) is the corpus test's business, so 0 here means "not an error";
# =0 asks for exactly 0 (clean: an honest twin of a flagged case).
if [ "$want_rc" = =0 ]; then
  [ "$rc" = 0 ] || { echo "FAIL: exit $rc, want 0 (clean)"; exit 1; }
elif [ "$want_rc" = 0 ]; then
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 0 or 1"; exit 1; }
else
  [ "$rc" = "$want_rc" ] || { echo "FAIL: exit $rc, want $want_rc"; exit 1; }
fi
[ "$ms" -le $((max_s * 1000)) ] || { echo "FAIL: took $ms ms, limit ${max_s}s"; exit 1; }
python3 "$(dirname "$0")/check_record.py" "$out" "$@"
