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
  expect_ms_between "$what ends after ~2 s" "$what" "$out" 1900 10000
done
expect_ms_between "time.sleep(45) is answered at once by the recorder" time-sleep "$out" 0 10000
expect_ms_between "a 300 ms wait keeps its length" short-300ms "$out" 250 1900
check "an ordinary getpriority answers" grep -qE '^own-priority -?[0-9]+$' <<<"$out"
n=$(grep '"kind":"sleep-shortened"' "$TRACE" | grep -c '"via":"timer"')
expect_eq "each shortened wait is a sleep-shortened event" 3 "$n"
check "the events carry the asked lengths" grep -q '"requested_ms":600000' "$TRACE"
n=$(grep '"kind":"sleep-shortened"' "$TRACE" | grep -vc '"via"')
expect_eq "time.sleep's is the recorder's own" 1 "$n"

# A package's own sitecustomize ahead of ours on PYTHONPATH that chains to
# the next one it finds (ours), as a red-team sample did: ours must chain
# only to what comes after it, so each runs once (before, each ran the
# other until the recursion limit, which silenced the package's payload).
mkdir -p "$WORK/ahead"
cat >"$WORK/ahead/sitecustomize.py" <<'PY'
import os, sys
print("ahead-ran", flush=True)
here = os.path.dirname(os.path.abspath(__file__))
for d in sys.path:
    f = os.path.join(d or ".", "sitecustomize.py")
    if os.path.abspath(d or ".") != here and os.path.isfile(f):
        exec(compile(open(f).read(), f, "exec"), {"__name__": "_chained", "__file__": f})
        break
PY
out=$("$PKGTRAP" run --timeout 30 --ro-bind "$SITE" --ro-bind "$WORK/ahead" \
  --env "PYTHONPATH=$WORK/ahead:$SITE" \
  -- /usr/bin/python3 -c 'import threading; print("patched", hasattr(threading.Event.wait, "__wrapped__"))' 2>&1)
expect_eq "a sitecustomize ahead of ours that chains to ours runs once" 1 \
  "$(grep -c '^ahead-ran$' <<<"$out")"
check "ours still patched the waits" grep -q '^patched True$' <<<"$out"
finish
