#!/bin/sh
# Whole-triage time of each benign corpus package against the same phases
# run bare, without the jail, interleaved in the same run (jailed A, bare A,
# jailed B, bare B, ..., the order of each pair and of the packages rotated
# each round). See bench/README.md.
#
#   bench/triage.sh [-n ROUNDS] [PKGTRAP] [ID]...    # default 3 rounds
#
# PKGTRAP defaults to the first of build-bench/, build/ holding
# runner/pkgtrap; the artifacts come from that build's corpus/artifacts.
# IDs (default: every `ben-` id of corpus/labels.json) must be benign:
# only they may run bare, and only as `nobody`, with a fresh HOME under
# /tmp that is removed after each replay. Needs root; everything runs
# inside `unshare --net` (loopback only).
#
# "Bare" is what bench/replay_phases.py makes of a first, untimed triage's
# record: the phases that ran, in order, with the same argv (the jail's
# HOME replaced by the fresh one), work dir, environment and stdin, run by
# one bash script. Jailed is the whole `pkgtrap triage --record FILE
# ARTIFACT` command.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
rounds=3
while getopts n: o; do
  case $o in
  n) rounds=$OPTARG ;;
  *) echo "usage: $0 [-n ROUNDS] [PKGTRAP] [ID]..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

pkgtrap=
case ${1:-} in
ben-*|'') ;;
*) pkgtrap=$1; shift ;;
esac
if [ -z "$pkgtrap" ]; then
  for b in build-bench build; do
    if [ -x "$repo/$b/runner/pkgtrap" ]; then pkgtrap=$repo/$b/runner/pkgtrap; break; fi
  done
fi
[ -n "$pkgtrap" ] && [ -x "$pkgtrap" ] || { echo "triage.sh: no pkgtrap binary (pass its path)" >&2; exit 2; }
pkgtrap=$(cd "$(dirname "$pkgtrap")" && pwd)/$(basename "$pkgtrap")
artifacts=$(dirname "$(dirname "$pkgtrap")")/corpus/artifacts
[ -d "$artifacts" ] || { echo "triage.sh: no $artifacts (build the corpus)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "triage.sh: run as root (the bare runs are made as nobody)" >&2; exit 2; }
: "${PKGTRAP_PROFILES:=$repo/profiles}"
export PKGTRAP_PROFILES
py=$(command -v python3)

# id<TAB>artifact for the benign samples asked for (all by default).
list=$("$py" - "$repo/corpus/labels.json" "$@" <<'EOF'
import json, sys
labels = {e["id"]: e for e in json.load(open(sys.argv[1]))}
ids = sys.argv[2:] or [i for i in labels if i.startswith("ben-")]
for i in ids:
    e = labels.get(i)
    # Only benign samples may ever run outside the jail.
    if e is None or not i.startswith("ben-") or e["label"] != "benign":
        sys.exit("triage.sh: `%s` is not a benign corpus sample" % i)
    print("%s\t%s" % (i, e["artifact"]))
EOF
)

work=$(mktemp -d /tmp/pkgtrap-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -m 755 "$work/art" "$work/replay"
mkdir "$work/rec" "$work/first"
mkdir -m 1777 "$work/times"
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$work/timeit" "$here/timeit.c"
# A copy: a rebuild of the build tree during the run must not change (or,
# while it links, break) the binary measured.
echo "pkgtrap: $pkgtrap"
cp "$pkgtrap" "$work/pkgtrap"
pkgtrap=$work/pkgtrap
# triage exits 1 on a (false) flag: only 2, an error, stops the benchmark.
cat >"$work/ok01" <<'EOF'
#!/bin/sh
"$@"; rc=$?; [ $rc -le 1 ] || exit $rc
EOF
chmod 755 "$work/ok01"

# The timing loop, run inside `unshare --net` (see the end).
cat >"$work/loop" <<'EOF'
#!/bin/sh
set -eu
work=$1 rounds=$2 pkgtrap=$3 py=$4 here=$5
ids=$(cut -f1 "$work/list")
n=$(echo "$ids" | wc -l)
# Untimed first triage of each package (its record says what to replay),
# then one untimed replay whose exit codes must match the jailed ones.
for id in $ids; do
  art=$work/art/$(grep "^$id	" "$work/list" | cut -f2)
  "$work/ok01" "$pkgtrap" triage --record "$work/first/$id.json" "$art" >/dev/null
  "$py" "$here/replay_phases.py" script "$work/first/$id.json" "$art" "$PKGTRAP_PROFILES" \
    >"$work/replay/$id.sh"
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env -i /bin/bash "$work/replay/$id.sh" "$work/times/first.$id" </dev/null
  "$py" "$here/replay_phases.py" check "$work/first/$id.json" "$work/times/first.$id" ||
    echo "$id" >>"$work/mismatch"
done
r=0
while [ "$r" -lt "$rounds" ]; do
  # Packages rotated by one each round; the pair's order alternates.
  for id in $(echo "$ids" | awk -v r="$r" -v n="$n" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[(i + r) % n + 1] }'); do
    art=$work/art/$(grep "^$id	" "$work/list" | cut -f2)
    # With one round timeit runs its commands in the order given.
    if [ $((r % 2)) = 0 ]; then
      set -- jailed "$work/ok01" "$pkgtrap" triage --record "$work/rec/$id.$r.json" "$art" :::
      set -- "$@" bare -u nobody /usr/bin/env -i /bin/bash "$work/replay/$id.sh" "$work/times/$id.$r"
    else
      set -- bare -u nobody /usr/bin/env -i /bin/bash "$work/replay/$id.sh" "$work/times/$id.$r" :::
      set -- "$@" jailed "$work/ok01" "$pkgtrap" triage --record "$work/rec/$id.$r.json" "$art"
    fi
    if ! "$work/timeit" -n 1 -w 0 "$@" >"$work/pair"; then
      echo "triage.sh: $id, round $r: dropped (rerun with TIMEIT_SHOW_STDERR=1)" >&2
      continue
    fi
    sed "s/^/$id /" "$work/pair" >>"$work/res"
  done
  r=$((r + 1))
done
EOF
chmod 755 "$work/loop"
printf '%s\n' "$list" >"$work/list"
printf '%s\n' "$list" | cut -f2 | while read -r a; do
  [ -f "$artifacts/$a" ] || { echo "triage.sh: no $artifacts/$a" >&2; exit 2; }
  cp "$artifacts/$a" "$work/art/" && chmod 644 "$work/art/$a"
done

echo "kernel $(uname -r), $(nproc) CPUs, $rounds rounds, $(printf '%s\n' "$list" | wc -l) benign packages (interleaved, order rotated)"
unshare --net -- "$work/loop" "$work" "$rounds" "$pkgtrap" "$py" "$here"
[ ! -f "$work/mismatch" ] || echo "(the bare replays above did not exit as the jailed phases did)"
# shellcheck disable=SC2046 # one id per word
"$py" "$here/replay_phases.py" summary "$work" $(cut -f1 "$work/list")
