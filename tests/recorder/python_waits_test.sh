#!/bin/bash
# Python waits in the jail with profiles/ecosystems/python-site on
# PYTHONPATH, as PyPI triage runs every Python process: waits of 45 s to
# 10 min of every kind end after ~2 s (so the run takes seconds, not
# minutes), a 300 ms one keeps its length, each shortening is a
# sleep-shortened event (the sitecustomize's getpriority beacon, or the
# recorder's own for time.sleep), and an ordinary getpriority is not
# touched. ctest runs this inside an outer `unshare --net`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../jail/lib.sh"
: "${PKGTRAP:?} ${PKGTRAP_PROFILES:?} ${TEST_TMP:?}"
WORK="$TEST_TMP/python-waits"
rm -rf "$WORK"; mkdir -p "$WORK"
TRACE="$WORK/trace.jsonl"
SITE="$PKGTRAP_PROFILES/ecosystems/python-site"
start=$(date +%s%N)
out=$("$PKGTRAP" run --timeout 30 --max-sleep 2000 --trace "$TRACE" \
  --ro-bind "$SITE" --ro-bind "$HERE" --env "PYTHONPATH=$SITE" \
  -- /usr/bin/python3 "$HERE/python_waits.py" 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out"
expect_eq "the run exits 0" 0 "$rc"
check "it takes under 15 s (its waits ask for 45 s to 10 min)" test "$ms" -lt 15000
for what in threading-Timer Event-wait asyncio-sleep; do
  v=$(sed -n "s/^$what \([0-9]*\)$/\1/p" <<<"$out")
  check "$what ends after ~2 s (${v:-never} ms)" test -n "$v" -a "${v:-0}" -ge 1900 -a "${v:-0}" -lt 10000
done
v=$(sed -n 's/^time-sleep \([0-9]*\)$/\1/p' <<<"$out")
check "time.sleep(45) is answered at once by the recorder (${v:-never} ms)" test -n "$v" -a "${v:-0}" -lt 10000
v=$(sed -n 's/^short-300ms \([0-9]*\)$/\1/p' <<<"$out")
check "a 300 ms wait keeps its length (${v:-never} ms)" test -n "$v" -a "${v:-0}" -ge 250 -a "${v:-0}" -lt 1900
check "an ordinary getpriority answers" grep -qE '^own-priority -?[0-9]+$' <<<"$out"
n=$(grep '"kind":"sleep-shortened"' "$TRACE" | grep -c '"via":"timer"')
expect_eq "each shortened wait is a sleep-shortened event" 3 "$n"
check "the events carry the asked lengths" grep -q '"requested_ms":600000' "$TRACE"
n=$(grep '"kind":"sleep-shortened"' "$TRACE" | grep -vc '"via"')
expect_eq "time.sleep's is the recorder's own" 1 "$n"
finish
