#!/bin/bash
# `cmake --install`: the binaries and profiles/ land where the README says,
# and the installed copy works from there (a run in the jail through the
# installed profiles, a verb the static front hands to pkgtrap-full).
# Runs inside the outer `unshare --net` (tests/install.cmake).
set -u
. "$(dirname "$0")/../jail/lib.sh"
ip link set lo up 2>/dev/null
P=$(mktemp -d "${TEST_TMP:-/tmp}/install.XXXXXX")
trap 'rm -rf "$P"' EXIT
out=$(cmake --install "$BUILD" --prefix "$P" 2>&1)
if [ $? -eq 0 ]; then ok "cmake --install succeeds"
else nok "cmake --install succeeds: $(tail -3 <<<"$out")"; fi
check "bin/pkgtrap is installed" test -x "$P/bin/pkgtrap"
if [ "$FRONT" = 1 ]; then
  check "bin/pkgtrap-full is installed beside it" test -x "$P/bin/pkgtrap-full"
fi
check "profiles/ is installed whole" diff -r "$SRC/profiles" "$P/share/pkgtrap/profiles"
expect_match "the installed pkgtrap starts" "^pkgtrap [0-9]" "$("$P/bin/pkgtrap" --version 2>&1)"
expect_match "a verb of the full CLI runs from the installed pair" "Usage: pkgtrap triage" \
  "$("$P/bin/pkgtrap" triage --help 2>&1)"
# The installed profiles are the ones read: a variable added to the
# installed jail profile's environment shows in the jail.
python3 - "$P/share/pkgtrap/profiles/jail.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["env"]["PKGTRAP_INSTALLED_PROFILE"] = "yes"
json.dump(d, open(p, "w"))
PY
out=$(PKGTRAP_PROFILES="$P/share/pkgtrap/profiles" "$P/bin/pkgtrap" run -- \
  /bin/sh -c 'echo "marker=$PKGTRAP_INSTALLED_PROFILE"' 2>&1)
expect_match "the installed pkgtrap runs a command in the jail with the installed profiles" "marker=yes" "$out"
finish
