#!/bin/bash
# One triage case on a package a test builder writes on the fly (nothing
# of it runs here): make_npm_pkg.py for a .tgz, make_py_pkg.py for a .whl,
# make_hook_sdist.py for a .tar.gz.
# Build it into $TEST_TMP, then triage_test.sh on it.
#   built_test.sh KIND FILE EXPECTED_EXIT MAX_SECONDS DEPS_DIR|- -- CHECKS...
set -u
here=$(dirname "$0")
kind=$1 file=$2
shift 2
mkdir -p "$TEST_TMP" || exit 1
builder=make_npm_pkg.py
[ "${file%.whl}" != "$file" ] && builder=make_py_pkg.py
[ "${file%.tar.gz}" != "$file" ] && builder=make_hook_sdist.py
python3 "$here/$builder" "$kind" "$TEST_TMP/$file" || exit 1
exec bash "$here/triage_test.sh" "$TEST_TMP/$file" "$@"
