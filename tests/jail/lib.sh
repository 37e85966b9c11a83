# Tiny assertion library for the integration tests (bash).
# Each check prints "ok - what" or "not ok - what"; the script's exit
# status is 1 when anything failed. Usage: source lib.sh; ...; finish
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
# check "what" COMMAND... : ok when COMMAND succeeds
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
# expect_eq "what" expected actual
expect_eq() { if [ "$2" == "$3" ]; then ok "$1"; else nok "$1: expected [$2], got [$3]"; fi; }
# expect_match "what" regex text
expect_match() { if [[ "$3" =~ $2 ]]; then ok "$1"; else nok "$1: [$3] does not match /$2/"; fi; }
expect_nomatch() { if [[ "$3" =~ $2 ]]; then nok "$1: [$3] matches /$2/"; else ok "$1"; fi; }
# expect_ms_between "what" LABEL TEXT LO HI : TEXT has a line "LABEL N"
# with LO <= N < HI (a program's own timings, in ms)
expect_ms_between() {
  local v
  v=$(sed -n "s/^$2 \([0-9]*\)$/\1/p" <<<"$3" | head -1)
  check "$1 (${v:-never} ms)" test -n "$v" -a "${v:-0}" -ge "$4" -a "${v:-0}" -lt "$5"
}
finish() {
  echo "# $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
