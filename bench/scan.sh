#!/bin/bash
# Batch throughput: `pkgtrap scan` of the whole corpus at -j1 and at -j2
# (fresh stores each time), packages per minute and the ratio; then the
# supervisor's peak RSS per jail (one `pkgtrap triage` per corpus package
# under /usr/bin/time). Everything inside `unshare --net`. Not a test.
#   bench/scan.sh [PKGTRAP] [ARTIFACTS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PKGTRAP=${1:-$here/../build/runner/pkgtrap}
ART=${2:-$here/../build/corpus/artifacts}
export PKGTRAP_PROFILES=${PKGTRAP_PROFILES:-$here/../profiles}
[ "$(id -u)" = 0 ] || { echo "scan.sh: run as root (the jail as root, in unshare --net)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(ls "$ART" | wc -l)
declare -A secs
for j in 1 2; do
  start=$(date +%s%N)
  unshare --net -- "$PKGTRAP" scan -j "$j" --db "$tmp/j$j.db" "$ART" >/dev/null 2>&1 || true
  secs[$j]=$(( ($(date +%s%N) - start) / 1000000 ))
done
printf '%-6s %8s %10s %14s\n' jobs packages seconds packages/min
for j in 1 2; do
  awk -v j="$j" -v n="$n" -v ms="${secs[$j]}" 'BEGIN{printf "%-6s %8d %10.1f %14.1f\n", "-j" j, n, ms/1000, n*60000/ms}'
done
awk -v a="${secs[1]}" -v b="${secs[2]}" 'BEGIN{printf "ratio -j2/-j1 throughput: %.2fx\n", a/b}'

# Peak RSS of the supervisor itself (VmHWM of the pkgtrap process, polled
# while it runs: /usr/bin/time would add the jailed python/node, which are
# its descendants), one triage per corpus package.
rss=()
for f in "$ART"/*; do
  unshare --net -- "$PKGTRAP" triage --deps "$ART" "$f" >/dev/null 2>&1 &
  pid=$!   # unshare execs pkgtrap: same pid
  hwm=0
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
    sleep 0.05
  done
  wait "$pid" || true
  rss+=("$hwm")
done
printf '%s\n' "${rss[@]}" | sort -n | awk '{v[NR]=$1} END{printf "supervisor peak RSS (VmHWM) per triage: median %.1f MiB, max %.1f MiB (%d packages)\n", v[int((NR+1)/2)]/1024, v[NR]/1024, NR}'
