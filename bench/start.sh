#!/bin/sh
# Start-up cost of `pkgtrap run -- /bin/true` against bubblewrap, measured
# interleaved in the same run (this machine is noisy: only ratios measured
# together mean anything). See bench/README.md.
#
#   bench/start.sh [-n ROUNDS] [PKGTRAP]
#
# PKGTRAP defaults to the first of build-bench/, build/ that holds
# runner/pkgtrap. Needs root (rootless mode is measured as `nobody`) and
# runs everything inside `unshare --net`: a namespace with only loopback.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
rounds=40
while getopts n: o; do
  case $o in
  n) rounds=$OPTARG ;;
  *) echo "usage: $0 [-n ROUNDS] [PKGTRAP]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

pkgtrap=${1:-}
if [ -z "$pkgtrap" ]; then
  for b in build-bench build; do
    if [ -x "$repo/$b/runner/pkgtrap" ]; then pkgtrap=$repo/$b/runner/pkgtrap; break; fi
  done
fi
[ -n "$pkgtrap" ] && [ -x "$pkgtrap" ] || { echo "start.sh: no pkgtrap binary (pass its path)" >&2; exit 2; }
pkgtrap=$(cd "$(dirname "$pkgtrap")" && pwd)/$(basename "$pkgtrap")
[ "$(id -u)" = 0 ] || { echo "start.sh: run as root (rootless mode is measured as nobody)" >&2; exit 2; }
command -v bwrap >/dev/null || { echo "start.sh: bwrap not installed" >&2; exit 2; }
: "${PKGTRAP_PROFILES:=$repo/profiles}"
export PKGTRAP_PROFILES

work=$(mktemp -d /tmp/pkgtrap-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$work/timeit" "$here/timeit.c"
# Rootless runs create their run directory under TMPDIR: one nobody owns.
mkdir "$work/tmp-nobody"
chown nobody "$work/tmp-nobody"
chmod 755 "$work"

true=/bin/true
bwrap=$(command -v bwrap)
echo "pkgtrap: $pkgtrap"
echo "kernel $(uname -r), $(nproc) CPUs, $rounds rounds (interleaved, order rotated)"
unshare --net -- "$work/timeit" -n "$rounds" -r "$work/raw" \
  true "$true" ::: \
  bwrap "$bwrap" --unshare-all --ro-bind / / --dev /dev --proc /proc "$true" ::: \
  pkgtrap "$pkgtrap" run -- "$true" ::: \
  pkgtrap-rootless -u nobody "TMPDIR=$work/tmp-nobody" "$pkgtrap" run -- "$true" \
  >"$work/out"

# "paired": the median over rounds of each round's time divided by bwrap's
# in the same round, which a load that comes and goes disturbs less than
# the ratio of the medians ("/bwrap").
awk '
  $1 == "bwrap" { for (i = 2; i <= NF; i++) b[i] = $i }
  { for (i = 2; i <= NF; i++) v[$1, i] = $i; n = NF; lab[NR] = $1 }
  END { for (r = 1; r in lab; r++) for (i = 2; i <= n; i++)
          printf "%s %.6f\n", lab[r], v[lab[r], i] / b[i] }' "$work/raw" |
  sort -k1,1 -k2,2g |
  awk '{ r[$1, ++c[$1]] = $2 }
       END { for (l in c) printf "%s %.4f\n", l, r[l, int((c[l] + 1) / 2)] }' \
  >"$work/paired"
awk '
  FNR == NR { paired[$1] = $2; next }
  { med[$1] = $2; q1[$1] = $3; q3[$1] = $4; mn[$1] = $5; order[++n] = $1 }
  END {
    printf "%-18s %9s %9s %9s %9s %9s %9s\n", "command", "median", "p25", "p75", "min", "/bwrap", "paired"
    for (i = 1; i <= n; i++) {
      l = order[i]
      printf "%-18s %7.2fms %7.2fms %7.2fms %7.2fms %8.2fx %8.2fx\n", l, med[l], q1[l], q3[l], mn[l], med[l] / med["bwrap"], paired[l]
    }
  }' "$work/paired" "$work/out"
if [ -n "${BENCH_RAW:-}" ]; then cp "$work/raw" "$BENCH_RAW"; fi
