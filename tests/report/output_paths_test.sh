#!/bin/bash
# Where a report is written (pt_report_write_out, the real writer, through
# report_tool): a regular file is replaced atomically (no temporary left);
# anything else is written through and stays what it is: a FIFO stays a
# FIFO (so would /dev/null: a rename over it, as root, left a regular file
# in its place for the whole machine), a symlink stays a symlink and the
# file it names gets the report.
set -u
source "$(dirname "$0")/../jail/lib.sh"
: "${REPORT_TOOL:?} ${FIXTURES:?} ${TEST_TMP:?}"
W="$TEST_TMP/report-paths"
rm -rf "$W"; mkdir -p "$W"
FX=$(ls "$FIXTURES"/*.json | head -1)

"$REPORT_TOOL" "$FX" --json "$W/plain.json"; rc=$?
expect_eq "a regular file: written" 0 "$rc"
check "... as JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/plain.json"
"$REPORT_TOOL" "$FX" --json "$W/plain.json"
expect_eq "... replaced again, no temporary left beside it" "plain.json" "$(ls "$W")"

mkfifo "$W/fifo"
timeout 10 cat "$W/fifo" > "$W/from-fifo" &
reader=$!
"$REPORT_TOOL" "$FX" --json "$W/fifo"; rc=$?
wait "$reader"
expect_eq "a FIFO: written through" 0 "$rc"
check "... it is still a FIFO" test -p "$W/fifo"
check "... its reader got the JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/from-fifo"

ln -s target.json "$W/link.json"
"$REPORT_TOOL" "$FX" --json "$W/link.json"; rc=$?
expect_eq "a symlink: written" 0 "$rc"
check "... it is still a symlink" test -L "$W/link.json"
check "... the file it names got the JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/target.json"
rm -rf "$W"
finish
