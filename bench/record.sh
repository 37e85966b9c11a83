#!/bin/sh
# Recording overhead: one pip wheel install (a benign corpus wheel) bare,
# in the jail with the recorder (`pkgtrap run --trace`), under `strace -f`
# and under `strace --seccomp-bpf -f -e trace=network,process,%file`,
# interleaved in the same run. See bench/README.md.
#
#   bench/record.sh [-n ROUNDS] [PKGTRAP] [WHEEL]
#
# PKGTRAP defaults to the first of build-bench/, build/ holding
# runner/pkgtrap; WHEEL to csv_linter-1.0.1-py3-none-any.whl from that
# build's corpus/artifacts. Needs root; everything runs inside
# `unshare --net` (loopback only). The wheel is benign and a wheel install
# runs none of its code, which is why a bare install is allowed here.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
rounds=20
while getopts n: o; do
  case $o in
  n) rounds=$OPTARG ;;
  *) echo "usage: $0 [-n ROUNDS] [PKGTRAP] [WHEEL]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

pkgtrap=${1:-}
if [ -z "$pkgtrap" ]; then
  for b in build-bench build; do
    if [ -x "$repo/$b/runner/pkgtrap" ]; then pkgtrap=$repo/$b/runner/pkgtrap; break; fi
  done
fi
[ -n "$pkgtrap" ] && [ -x "$pkgtrap" ] || { echo "record.sh: no pkgtrap binary (pass its path)" >&2; exit 2; }
pkgtrap=$(cd "$(dirname "$pkgtrap")" && pwd)/$(basename "$pkgtrap")
wheel=${2:-$(dirname "$(dirname "$pkgtrap")")/corpus/artifacts/csv_linter-1.0.1-py3-none-any.whl}
[ -f "$wheel" ] || { echo "record.sh: no wheel $wheel (build the corpus, or pass one)" >&2; exit 2; }
wheel=$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root" >&2; exit 2; }
command -v strace >/dev/null || { echo "record.sh: strace not installed" >&2; exit 2; }
# The system interpreter: the jail sees /usr, not a pyenv under /root.
python=/usr/bin/python3
"$python" -m pip --version >/dev/null 2>&1 || { echo "record.sh: $python has no pip" >&2; exit 2; }
: "${PKGTRAP_PROFILES:=$repo/profiles}"
export PKGTRAP_PROFILES

work=$(mktemp -d /tmp/pkgtrap-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$work/timeit" "$here/timeit.c"
strace=$(command -v strace)
target=$work/target

# Each round installs into a fresh, world-writable target (the jail's
# uid must write there); the same wrapper runs around every variant.
cat >"$work/fresh" <<EOF
#!/bin/sh
rm -rf "$target" && mkdir -m 1777 "$target" && exec "\$@"
EOF
chmod 755 "$work/fresh"
# --isolated: no host pip.conf or PIP_* variables (the jail has neither).
pip="$python -m pip --isolated install --no-index --no-deps --target $target $wheel"

echo "pkgtrap: $pkgtrap"
echo "wheel:   $wheel"
echo "kernel $(uname -r), $(nproc) CPUs, $rounds rounds (interleaved, order rotated)"
# shellcheck disable=SC2086 # $pip is split on purpose
unshare --net -- "$work/timeit" -n "$rounds" -w 2 \
  bare "$work/fresh" $pip ::: \
  pkgtrap "$work/fresh" "$pkgtrap" run --ro-bind "$(dirname "$wheel")" --bind "$target" \
    --trace "$work/trace.jsonl" -- $pip ::: \
  strace "$work/fresh" "$strace" -f -o /dev/null $pip ::: \
  strace-bpf "$work/fresh" "$strace" --seccomp-bpf -f -o /dev/null \
    -e trace=network,process,%file $pip \
  >"$work/out"

awk '
  { med[$1] = $2; q1[$1] = $3; q3[$1] = $4; mn[$1] = $5; order[NR] = $1 }
  END {
    printf "%-12s %10s %10s %10s %10s %8s\n", "variant", "median", "p25", "p75", "min", "/bare"
    for (i = 1; i <= NR; i++) {
      l = order[i]
      printf "%-12s %8.1fms %8.1fms %8.1fms %8.1fms %7.2fx\n", l, med[l], q1[l], q3[l], mn[l], med[l] / med["bare"]
    }
  }' "$work/out"
echo "events in the last jailed run's trace: $(wc -l <"$work/trace.jsonl")"
