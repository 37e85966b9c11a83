#!/bin/bash
# The jail end to end: the real pkgtrap runs the probe in the real jail.
# ctest runs this inside an outer `unshare --net` (loopback only).
#   jail_test.sh root      as root (cgroup limits, mapped to a high uid)
#   jail_test.sh rootless  as nobody through runuser (rlimit fallbacks)
set -u
MODE=${1:-root}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
: "${PKGTRAP:?} ${PROBE:?} ${TEST_TMP:?}"

if [ "$(id -u)" != 0 ]; then
  echo "skip: the jail tests start as root (root mode, and runuser for rootless)"
  exit 77
fi
WORK="$TEST_TMP/jail-$MODE"
rm -rf "$WORK"
mkdir -p "$WORK/tmp" "$WORK/shared" "$WORK/bin"
chmod 1777 "$WORK/tmp" "$WORK/shared"
chmod 0755 "$TEST_TMP" "$WORK" "$WORK/bin"
export TMPDIR="$WORK/tmp"
# A copy of the probe of our own, so "no jailed process is left" cannot be
# confused by another test's probes running concurrently.
cp "$PROBE" "$WORK/bin/probe"
PROBE="$WORK/bin/probe"
PROBE_DIR="$WORK/bin"

if [ "$MODE" = rootless ]; then
  command -v runuser >/dev/null || { echo "skip: no runuser"; exit 77; }
  AS=(runuser -u nobody -- env "TMPDIR=$TMPDIR" "PKGTRAP_PROFILES=$PKGTRAP_PROFILES")
  # nobody must be able to reach the binaries
  if ! runuser -u nobody -- test -x "$PKGTRAP"; then
    echo "skip: nobody cannot execute $PKGTRAP (build tree not world-readable)"
    exit 77
  fi
else
  AS=()
fi
pt() { "${AS[@]}" "$PKGTRAP" run --ro-bind "$PROBE_DIR" "$@"; }
probe() { pt -- "$PROBE" "$@"; }

mounts_before=$(wc -l </proc/self/mountinfo)

# --- isolation -------------------------------------------------------------
out=$(probe ps)
expect_match "only the jail's processes are visible" "processes 2$" "$out"
expect_match "pid 1 is the jail's init" "pid 1 " "$out"
out=$(probe ifaces)
expect_eq "the only interface is lo" "iface lo" "$out"
# As root the namespace is made ahead by a thread of pkgtrap's, rootless by
# the jail's clone: either way the jail's own, not ours.
out=$(probe netns)
expect_match "the jail has a network namespace of its own" "^netns net:\[[0-9]+\]$" "$out"
check "... not the host's ($out)" test "$out" != "netns $(readlink /proc/self/ns/net)"
# init is a copy of pkgtrap: its memory, environment and fds stay closed to
# the jail, however CMD was started (as root CMD runs in init's memory until
# its exec: jail_init.c, spawn_cmd).
out=$(probe init-closed)
for f in mem environ fd; do
  expect_match "the jail cannot read init's $f" "init-closed $f (EACCES|EPERM)" "$out"
done
out=$(probe status)
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
  expect_match "$f is empty" "$f:[[:space:]]+0000000000000000" "$out"
done
expect_match "no_new_privs is set" "NoNewPrivs:[[:space:]]+1" "$out"
expect_match "a seccomp filter is on" "Seccomp:[[:space:]]+2" "$out"
expect_match "the jailed user is uid 1000 inside" "Uid:[[:space:]]+1000" "$out"
# CMD may run on every CPU its caller may: init is kept off the
# supervisor's CPU while it builds the jail (jail_cpus.c), never CMD.
cpus=$(awk '/^Cpus_allowed_list:/{print $2}' /proc/self/status)
expect_match "CMD runs on the caller's CPUs ($cpus)" \
  "Cpus_allowed_list:[[:space:]]+$cpus"$'\n' "$out"$'\n'
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  out=$(taskset -c 1 "${AS[@]}" "$PKGTRAP" run --ro-bind "$PROBE_DIR" -- \
    "$PROBE" status)
  expect_match "CMD runs on the caller's one CPU" \
    "Cpus_allowed_list:[[:space:]]+1"$'\n' "$out"$'\n'
fi

# Host uid of a jailed process, seen from outside.
pt -- "$PROBE" sleep 3 >/dev/null 2>&1 &
bg=$!
host_uid=""
for _ in $(seq 50); do
  pid=$(pgrep -f "^$PROBE sleep 3" | head -1)
  if [ -n "$pid" ]; then host_uid=$(awk '/^Uid:/{print $2}' "/proc/$pid/status"); break; fi
  sleep 0.1
done
wait $bg
if [ "$MODE" = root ]; then
  check "the jailed process is not host root (host uid $host_uid)" test -n "$host_uid" -a "$host_uid" != 0
  check "as root the jail maps to a high unused uid ($host_uid)" test "${host_uid:-0}" -ge 1000000000
else
  expect_eq "rootless, the jail maps to the caller (nobody)" "$(id -u nobody)" "$host_uid"
fi

out=$(probe write /usr/pkgtrap-x; probe write /etc/pkgtrap-x; probe write /pkgtrap-x; probe write /tmp/x; probe write /dev/shm/x)
expect_match "/usr is read-only" "write /usr/pkgtrap-x EROFS" "$out"
expect_match "/etc is read-only" "write /etc/pkgtrap-x EROFS" "$out"
expect_match "/ is read-only" "write /pkgtrap-x EROFS" "$out"
expect_match "/tmp is writable" "write /tmp/x OK" "$out"
expect_match "/dev/shm is writable" "write /dev/shm/x OK" "$out"
# A host mount below a read-only bind is read-only in the jail too (and
# one below a writable bind stays writable): --ro-bind of a directory
# holding a writable tmpfs, in a mount namespace of our own.
mkdir -p "$WORK/robind/sub" "$WORK/rwbind/sub"
chmod 0755 "$WORK/robind" "$WORK/rwbind"
out=$(unshare --mount -- bash -c '
  mount -t tmpfs -o mode=1777 sub "$1/robind/sub" && mount -t tmpfs -o mode=1777 sub "$1/rwbind/sub" || exit
  "${@:3}" "$2" run --ro-bind "$1/robind" --bind "$1/rwbind" --ro-bind "'"$PROBE_DIR"'" -- \
    "'"$PROBE"'" write "$1/robind/sub/x"
  "${@:3}" "$2" run --bind "$1/rwbind" --ro-bind "'"$PROBE_DIR"'" -- "'"$PROBE"'" write "$1/rwbind/sub/x"' \
  bash "$WORK" "$PKGTRAP" "${AS[@]}" 2>&1)
expect_match "a host mount below a read-only bind is read-only" "write $WORK/robind/sub/x EROFS" "$out"
expect_match "... and one below a writable bind writable" "write $WORK/rwbind/sub/x OK" "$out"
# A writable bind below /etc stays writable while the host's /etc files
# around it stay read-only (they are made read-only all at once when
# nothing of the caller's is mounted there): /etc/opt (Debian's base-files
# ships it) covered by a tmpfs in a mount namespace of our own.
if [ -d /etc/opt ]; then
  out=$(unshare --mount -- bash -c '
    mount -t tmpfs -o mode=1777 etcw /etc/opt || exit
    "${@:2}" "$1" run --bind /etc/opt --ro-bind "'"$PROBE_DIR"'" -- /bin/sh -c \
      "for f in /etc/opt/x /etc/services /etc/x; do '"$PROBE"' write \$f; done"' \
    bash "$PKGTRAP" "${AS[@]}" 2>&1)
  expect_match "a writable bind below /etc stays writable" "write /etc/opt/x OK" "$out"
  expect_match "... the host's /etc files around it read-only" "write /etc/services EROFS" "$out"
  expect_match "... and /etc itself" "write /etc/x EROFS" "$out"
fi
out=$(pt -- /bin/sh -c "$PROBE write \$HOME/x")
expect_match "HOME is writable" "write /home/[^/]+/x OK" "$out"

host_home_dirs=$(ls -d /home/* 2>/dev/null | head -3)
out=$(probe exists /root "$HERE/../CMakeLists.txt" /run /sys /var/lib /opt /boot /mnt /srv "$TEST_TMP/../CMakeCache.txt" "$HERE" $host_home_dirs)
expect_nomatch "no host path is visible" " yes" "$out"
out=$(probe mounts)
expect_nomatch "every mount is nosuid" "^mount [^ ]+ [^ ]*$" "$(echo "$out" | grep -v nosuid)"

out=$(probe hostname)
expect_match "HOME is under /home" "home /home/[a-z]" "$out"
expect_nomatch "the user is never root/sandbox" "user (root|sandbox|user|test)$" "$out"
# Each run draws its identity (24 users, 9 hostname patterns): two runs
# share one ~0.3% of the time, by design; four runs all sharing one would
# mean it is not drawn (p ~ 2e-8).
ids=$( (echo "$out"; for _ in 1 2 3; do probe hostname; done) | paste -d' ' - - - | sort -u | wc -l)
check "hostname and HOME are drawn per run ($ids identities in 4 runs)" test "$ids" -gt 1
out=$(pt -- /bin/sh -c 'cat $HOME/.aws/credentials $HOME/.git-credentials')
expect_match "HOME holds honeytoken AWS credentials" "aws_access_key_id *= *AKIA[A-Z2-7]{16}" "$out"
expect_match "HOME holds honeytoken git credentials" "https://[^:]+:gh[po]_[A-Za-z0-9]{36}@github.com" "$out"
# An in-memory HOME is written by pkgtrap through the fd init sends once it
# has mounted it, the SQLite databases made from the build's image of
# their template (honey_sqlite_image.h), or rendered with SQLite when the
# template was edited: either way all of it is there, owned by the jail's
# user, and every time lies days back, the databases' own directory's
# included (a HOME made "just now" is a tell).
home_check() { # $1: what; then env assignments for the run
  local what=$1; shift
  out=$("${AS[@]}" env "$@" "$PKGTRAP" run --ro-bind "$PROBE_DIR" -- /bin/sh -c 'cd; d=".config/google-chrome/Default"; now=$(date +%s)
    stat -c "%Y %u %n" . .aws .aws/credentials .config "$d" "$d/Login Data" | while read -r t u n; do
      echo "age $(( (now - t) / 86400 )) uid $u $n"; done
    python3 -c "import sqlite3; c = sqlite3.connect(\"$d/Login Data\"); print(\"logins\", c.execute(\"select count(*) from logins\").fetchone()[0], c.execute(\"pragma integrity_check\").fetchone()[0])"' 2>&1)
  expect_match "Chrome's Login Data is an SQLite database with its logins ($what)" "logins 3 ok" "$out"
  young=$(echo "$out" | grep '^age ' | grep -Ev '^age ([4-9]|[1-9][0-9]+) ')
  check "every HOME time lies days back ($what; young: ${young:-none})" test -z "$young" -a "$(echo "$out" | grep -c '^age ')" = 6
  others=$(echo "$out" | grep '^age ' | grep -v ' uid 1000 ')
  check "the jail's user owns HOME's files ($what; others: ${others:-none})" test -z "$others"
}
home_check "from the build's image" PKGTRAP_PROFILES="$PKGTRAP_PROFILES"
err=$("${AS[@]}" env PKGTRAP_TIMING=1 "$PKGTRAP" run -- /bin/true 2>&1)
expect_nomatch "the bundled Chrome template needs no SQLite in a run" "session: databases rendered" "$err"
sql_edited="$WORK/profiles-sql-edited"
cp -r "$PKGTRAP_PROFILES" "$sql_edited"
echo "-- edited" >>"$sql_edited/honeytokens/templates/chrome_login_data.sql"
home_check "an edited template, rendered by SQLite" PKGTRAP_PROFILES="$sql_edited"
err=$("${AS[@]}" env PKGTRAP_TIMING=1 PKGTRAP_PROFILES="$sql_edited" "$PKGTRAP" run -- /bin/true 2>&1)
expect_match "an edited Chrome template is rendered by SQLite" "session: databases rendered" "$err"
# A working directory inside the in-memory HOME is whole when CMD starts
# there (init enters it only after pkgtrap has written HOME). The HOME's
# path is drawn per run: a manifest with one user fixes it (and, edited,
# is parsed by the run instead of coming from the build's image).
one_user="$WORK/profiles-one-user"
cp -r "$PKGTRAP_PROFILES" "$one_user"
python3 - "$one_user/honeytokens/manifest.json" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["identity"]["users"] = [{"login": "kasia", "name": "Katarzyna Nowak"}]
json.dump(m, open(p, "w"), indent=1)
PY
# Stdout alone is matched (a sanitizer build adds warnings on stderr);
# stderr is shown when it does not match.
out=$("${AS[@]}" env PKGTRAP_PROFILES="$one_user" "$PKGTRAP" run --cwd /home/kasia/.aws -- /bin/sh -c 'pwd; ls' 2>"$WORK/cwd.err")
want="^/home/kasia/.aws"$'\n'"config"$'\n'"credentials$"
[[ "$out" =~ $want ]] || cat "$WORK/cwd.err" >&2
expect_match "CMD starts in a cwd inside the in-memory HOME, whole" "$want" "$out"
out=$(pt --cwd /no/such/dir -- /bin/true 2>&1); rc=$?
check "a missing --cwd fails the set-up with 125 (got $rc)" test "$rc" = 125
expect_match "a missing --cwd is named as the cause" "chdir \`/no/such/dir\`: No such file" "$out"

# --- refused syscall families ---------------------------------------------
families="mount umount2 pivot_root chroot unshare setns clone-newnet bpf perf_event_open userfaultfd keyctl add_key request_key init_module finit_module delete_module kexec_load reboot swapon open_by_handle_at io_uring_setup ptrace-init tiocsti x32 int80"
out=$(probe syscall $families)
for f in $families; do
  check "$f is refused with EPERM" grep -qx "$f EPERM" <<<"$out"
done
# The filter of the bundled policy was compiled when pkgtrap was built; a
# policy edited since (here: one more newline) is compiled by the run, and
# refuses the same.
edited="$WORK/profiles-edited"
cp -r "$PKGTRAP_PROFILES" "$edited"
echo >>"$edited/seccomp.json"
err=$("${AS[@]}" env PKGTRAP_TIMING=1 "$PKGTRAP" run -- /bin/true 2>&1)
expect_match "the bundled policy's filter comes from the build" "filter from the build's image" "$err"
err=$("${AS[@]}" env PKGTRAP_TIMING=1 PKGTRAP_PROFILES="$edited" "$PKGTRAP" run -- /bin/true 2>&1)
expect_match "an edited policy is compiled by the run" "session: filter compiled" "$err"
out=$("${AS[@]}" env PKGTRAP_PROFILES="$edited" "$PKGTRAP" run --ro-bind "$PROBE_DIR" -- "$PROBE" syscall $families)
for f in $families; do
  check "$f is refused with EPERM by the run's own compile" grep -qx "$f EPERM" <<<"$out"
done
out=$(probe syscall ptrace-child clone3)
expect_match "ptrace of one's own child is allowed" "ptrace-child OK" "$out"
expect_match "clone3 answers ENOSYS (libc falls back to clone)" "clone3 ENOSYS" "$out"

# --- limits ---------------------------------------------------------------
out=$(pt --pids 64 --timeout 60 -- "$PROBE" forkbomb 2>&1)
expect_match "a fork bomb stops at the pids limit" "forkbomb stopped EAGAIN after [0-9]+" "$out"
n=$(echo "$out" | sed -n 's/.*after \([0-9]*\).*/\1/p')
check "the fork bomb got fewer than 64 processes ($n)" test "${n:-999}" -lt 64
if [ "$MODE" = root ]; then
  # the pids cgroup counts what it refused, and the run says so
  expect_match "the refused fork is reported as the pids limit" "pkgtrap: [0-9]+ forks? refused at the pids limit \(64\)" "$out"
else
  expect_nomatch "rootless (RLIMIT_NPROC) no count is claimed" "refused at the pids limit" "$out"
fi

out=$(pt --memory 128 --timeout 60 -- "$PROBE" membomb 2048 2>&1); rc=$?
expect_nomatch "a memory bomb stops at the memory limit" "NEVER" "$out"
if [ "$MODE" = root ]; then
  expect_eq "as root the cgroup OOM-kills it (137)" 137 "$rc"
  expect_match "the kill is reported as the memory limit" "at the memory limit" "$out"
else
  expect_match "rootless the allocation is refused (RLIMIT_DATA)" "membomb refused ENOMEM" "$out"
fi

out=$(pt --tmp-size 16 -- "$PROBE" diskfill /tmp/fill 256 2>&1)
expect_match "a disk fill stops at the tmpfs cap" "diskfill stopped ENOSPC at 1[0-6] MiB" "$out"
# HOME is a tmpfs of the same cap (private to the jail, nothing on disk);
# with --keep it is the run directory's home/ instead, kept.
out=$(pt --tmp-size 16 -- sh -c "$PROBE diskfill \$HOME/fill 256; stat -f -c %T \$HOME" 2>&1)
expect_match "a disk fill in HOME stops at the same cap" "diskfill stopped [A-Z]+ at 1[0-6] MiB" "$out"
expect_match "HOME is a tmpfs" "tmpfs$" "$out"
check "nothing of the run is left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
# Such a run makes its run directory (the root's mount point) on /dev/shm,
# a tmpfs. In a mount namespace of our own with an empty /dev/shm: the
# directory is there while the jail runs (CMD waits on a fifo we hold) and
# gone after it.
mkfifo "$WORK/shared/ready" "$WORK/shared/go"
chmod 666 "$WORK/shared/ready" "$WORK/shared/go"
out=$(unshare --mount -- bash -c '
  mount -t tmpfs -o mode=1777 shm /dev/shm || exit
  "$@" run --bind "'"$WORK/shared"'" -- sh -c "echo x > '"$WORK/shared/ready"'; read a < '"$WORK/shared/go"'" &
  read r < "'"$WORK/shared/ready"'"
  echo "during: $(ls /dev/shm)"
  echo go > "'"$WORK/shared/go"'"
  wait $!
  echo "after: $(ls -A /dev/shm) rc=$?"' bash "${AS[@]}" "$PKGTRAP" 2>&1)
expect_match "a run that keeps nothing has its run directory on /dev/shm" "during: pkgtrap-[A-Za-z0-9]{6}" "$out"
expect_match "and nothing is left there after it" "after:  rc=0" "$out"
# One left by a supervisor killed with SIGKILL (its lock free) is removed
# by the next run; one whose lock is held (a live run), or without a lock
# file (not ours), is not.
out=$(unshare --mount -- bash -c '
  mount -t tmpfs -o mode=1777 shm /dev/shm || exit
  "${@:2}" sh -c "mkdir -p /dev/shm/pkgtrap-stale1/root /dev/shm/pkgtrap-alive1 /dev/shm/pkgtrap-nolck1 &&
    : > /dev/shm/pkgtrap-stale1/.lock && : > /dev/shm/pkgtrap-alive1/.lock"
  flock -x /dev/shm/pkgtrap-alive1/.lock sleep 5 & sleep 0.3
  "${@:2}" "$1" run -- /bin/true
  echo "left: $(ls /dev/shm | tr "
" " ")"; kill $!' bash "$PKGTRAP" "${AS[@]}" 2>&1)
expect_match "a stale run directory is swept, a live or foreign one kept" "left: pkgtrap-alive1 pkgtrap-nolck1 $" "$out"
rm -f "$WORK/shared/ready" "$WORK/shared/go"
out=$(pt --keep -- sh -c 'echo kept-file > $HOME/kept.txt; stat -f -c %T $HOME' 2>&1)
kept=$(printf '%s\n' "$out" | sed -n 's/^pkgtrap: run directory kept: //p')
check "with --keep, HOME is on disk and kept" test -n "$kept" -a "$(cat "$kept/home/kept.txt" 2>/dev/null)" = kept-file
check "with --keep, the honeytoken files are in the kept HOME" test -s "$kept/home/.aws/credentials"
# A run directory on disk is locked while its run lives, and making one
# removes those beside it whose lock is free (a run killed with SIGKILL):
# a kept one loses its lock file, so the next such run leaves it alone.
out=$(pt --keep -- true 2>&1)
kept2=$(printf '%s\n' "$out" | sed -n 's/^pkgtrap: run directory kept: //p')
check "a kept run directory survives the next run's sweep" test -n "$kept2" -a -s "$kept/home/kept.txt"
check "... and holds no lock file" test ! -e "$kept/.lock"
[ -n "$kept" ] && rm -rf "$kept"
[ -n "$kept2" ] && rm -rf "$kept2"

bytes=$(pt --output-cap 64 -- "$PROBE" flood 50 2>"$WORK/flood.err" | wc -c)
check "an output flood is cut at the capture cap ($bytes bytes)" test "$bytes" -eq 65536
expect_match "the cut is reported" "stdout of the jailed command cut at 65536 bytes" "$(cat "$WORK/flood.err")"

start=$(date +%s%N)
out=$(pt --timeout 2 -- "$PROBE" daemon 600 2>&1); rc=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
expect_match "a double-forked setsid sleeper was started" "daemon started" "$out"
check "the run ends at the timeout, not when the sleeper would ($took ms)" test "$took" -lt 8000 -a "$took" -ge 1900
check "no sleeper survives" test -z "$(pgrep -f "^$PROBE daemon")"

# A supervisor killed with SIGKILL (it can clean nothing up) takes its jail
# with it: init's parent-death signal, which the change to the jail's uid
# would otherwise have cleared.
"${AS[@]}" "$PKGTRAP" run --ro-bind "$PROBE_DIR" -- "$PROBE" sleep 61 >/dev/null 2>&1 &
sup=$!
for _ in $(seq 100); do pgrep -f "^$PROBE sleep 61" >/dev/null && break; sleep 0.05; done
check "the jailed sleeper runs" pgrep -f "^$PROBE sleep 61"
# runuser forks: kill the pkgtrap process itself
kill -KILL "$(pgrep -f -n "^$PKGTRAP run --ro-bind $PROBE_DIR -- $PROBE sleep 61")"
wait "$sup" 2>/dev/null
for _ in $(seq 40); do pgrep -f "^$PROBE sleep 61" >/dev/null || break; sleep 0.05; done
check "the jail dies with its SIGKILLed supervisor" test -z "$(pgrep -f "^$PROBE sleep 61")"
pkill -KILL -f "^$PROBE sleep 61"

# --- exit statuses ----------------------------------------------------------
probe exit 3 >/dev/null 2>&1; expect_eq "CMD's own status" 3 $?
probe signal 15 >/dev/null 2>&1; expect_eq "128+N when killed by signal N" 143 $?
err=$(pt --timeout 1 -- "$PROBE" sleep 30 2>&1 >/dev/null); rc=$?
expect_eq "124 on timeout" 124 $rc
expect_match "timeout says so" "timed out after 1 s" "$err"
err=$(pt -- no-such-command-xyz 2>&1 >/dev/null); rc=$?
expect_eq "127 when CMD is not found" 127 $rc
expect_match "not found says so" "no-such-command-xyz: command not found" "$err"
err=$(pt -- /etc/passwd 2>&1 >/dev/null); rc=$?
expect_eq "126 when CMD cannot be executed" 126 $rc
expect_match "not executable says so" "/etc/passwd: cannot execute: Permission denied" "$err"
err=$("${AS[@]}" "$PKGTRAP" run --bind /no/such/dir -- /bin/true 2>&1); rc=$?
expect_eq "125 when pkgtrap itself fails" 125 $rc
expect_match "a bad flag says what and why" "--bind .?/no/such/dir.?: No such file" "$err"
err=$("${AS[@]}" env PKGTRAP_PROFILES=/no/such "$PKGTRAP" run -- /bin/true 2>&1); rc=$?
expect_eq "125 when the profile is missing" 125 $rc
expect_match "a missing profile is named" "/no/such/jail.json" "$err"
out=$("$PKGTRAP" run --help); expect_match "run --help documents the exit statuses" "124 on" "$out"

# --- the static front and its twin (runner/main.c) ------------------------
# pkgtrap runs `run` itself and hands the other verbs to pkgtrap-full
# beside it (where the build made the pair): each answers through pkgtrap.
for v in triage scan sweep report; do
  out=$("$PKGTRAP" "$v" --help 2>&1); rc=$?
  expect_eq "pkgtrap $v --help answers" 0 $rc
  expect_match "pkgtrap $v --help is $v's own" "Usage: pkgtrap $v" "$out"
done
err=$("$PKGTRAP" no-such-verb 2>&1); expect_eq "an unknown verb is refused (2)" 2 $?
expect_match "an unknown verb is named" "unknown verb .no-such-verb." "$err"
if [ -e "$(dirname "$PKGTRAP")/pkgtrap-full" ]; then
  lone=$(mktemp -d "$TEST_TMP/front.XXXXXX")
  cp "$PKGTRAP" "$lone/pkgtrap"
  chmod 755 "$lone" # rootless: nobody runs it
  err=$("$lone/pkgtrap" report --db "$lone/none.db" 2>&1); rc=$?
  expect_eq "a front without pkgtrap-full fails another verb (2)" 2 $rc
  expect_match "... and names what is missing" "$lone/pkgtrap-full, which cannot be started" "$err"
  "${AS[@]}" "$lone/pkgtrap" run -- /bin/true; expect_eq "... while run needs nothing beside it" 0 $?
  rm -rf "$lone"
fi

# --- nothing left behind ----------------------------------------------------
sleep 0.2
check "no jailed process is left" test -z "$(pgrep -f "^$PROBE")"
check "no run directory is left in TMPDIR" test -z "$(ls -A "$TMPDIR")"
# No cgroup of ours is left: each run's groups are named run-<supervisor
# pid>-<n>; run a few (a normal exit, a timeout kill, an OOM kill) with a
# known supervisor pid and look for their groups afterwards. (A global
# look would see other tests' runs, and groups of a supervisor killed with
# SIGKILL, which the next run removes.)
left=""
for args in "-- $PROBE exit 0" "--timeout 1 -- $PROBE sleep 30" "--memory 64 -- $PROBE membomb 512"; do
  "${AS[@]}" "$PKGTRAP" run --ro-bind "$PROBE_DIR" $args >/dev/null 2>&1 &
  sup=$!
  wait "$sup"
  left="$left$(ls -d /sys/fs/cgroup/*/pkgtrap/run-$sup-* /sys/fs/cgroup/pkgtrap/run-$sup-* 2>/dev/null)"
done
expect_eq "no cgroup is left" "" "$left"
expect_eq "the host mount table is unchanged" "$mounts_before" "$(wc -l </proc/self/mountinfo)"
rm -rf "$WORK"
finish
