#!/bin/bash
# Node's timers in the jail with profiles/ecosystems/node-timers.cjs
# preloaded, as npm triage runs every node process: timers of 45 s to
# 10 min of every kind fire after ~2 s (so the run takes seconds, not
# minutes), a 300 ms one keeps its delay, each shortening is a
# sleep-shortened event (via the getpriority beacon the recorder stops
# on), and an ordinary getpriority is not touched.
# ctest runs this inside an outer `unshare --net`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../jail/lib.sh"
: "${PKGTRAP:?} ${PKGTRAP_PROFILES:?} ${TEST_TMP:?}"
command -v node >/dev/null || { echo "skip: no node"; exit 77; }
WORK="$TEST_TMP/node-timers"
rm -rf "$WORK"; mkdir -p "$WORK"
TRACE="$WORK/trace.jsonl"
PRELOAD="$PKGTRAP_PROFILES/ecosystems/node-timers.cjs"
start=$(date +%s%N)
out=$("$PKGTRAP" run --timeout 30 --trace "$TRACE" --ro-bind "$PRELOAD" --ro-bind "$HERE" \
  --env "NODE_OPTIONS=--require=$PRELOAD" -- node "$HERE/node_timers.js" 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out"
expect_eq "the run exits 0" 0 "$rc"
check "it takes under 15 s (its timers ask for 45 s to 10 min)" test "$ms" -lt 15000
for what in global-setTimeout timers-setTimeout promisify promises-setTimeout \
            scheduler-wait esm-setTimeout setInterval; do
  expect_ms_between "$what fires after ~2 s" "$what" "$out" 1900 10000
done
expect_ms_between "a 300 ms timer keeps its delay" short-300ms "$out" 250 1900
check "an ordinary getpriority answers" grep -qE '^own-priority -?[0-9]+$' <<<"$out"
n=$(grep '"kind":"sleep-shortened"' "$TRACE" | grep -c '"via":"timer"')
expect_eq "each shortened timer is a sleep-shortened event" 7 "$n"
check "the events carry the asked delays" grep -q '"requested_ms":600000' "$TRACE"
finish
