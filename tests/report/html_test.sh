#!/bin/bash
# The HTML report in headless Chromium (Debian's `chromium`): every fixture
# page loads with no console message at all (the page has no script, so a
# message can only be an error or a Content-Security-Policy violation),
# shows its parts, and shows a sample's "<script>alert(1)</script>" as
# text, never as markup. A page with a deliberate console error is loaded
# first, to prove that the console check can fail.
#
# Environment (tests/report.cmake): REPORT_TOOL, FIXTURES, TEST_TMP.
# Exit 77 (skipped) only when chromium is not installed.
set -uo pipefail

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium not installed (apt-get install chromium)"
  exit 77
fi

mkdir -p "$TEST_TMP"
work=$(mktemp -d "$TEST_TMP/report_html.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# chromium_run URL OUT LOG [flags]: chromium's stdout (the DOM with
# --dump-dom) into OUT, its log (console messages included) into LOG.
chromium_run() {
  local url=$1 dom=$2 log=$3
  shift 3
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  # HOME too: chromium writes ~/.pki and caches there otherwise. Every
  # host name resolves nowhere, so even a broken page could fetch nothing.
  HOME=$profile timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --no-default-browser-check \
    --host-resolver-rules='MAP * ~NOTFOUND' \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" \
    "$url" >"$dom" 2>"$log"
  local rc=$?
  # Whatever it left behind (crashpad, zygote) is not ours to wait for.
  rm -rf "$profile"
  return $rc
}

# Console messages are logged as "...:CONSOLE:<line>] "text", source: ...".
console_lines() { grep -E ':CONSOLE(\(|:)[0-9]+\)?\]' "$1"; }

# 1. The console check itself.
cat >"$work/control.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head>
<body><script>console.error("pkgtrap-console-control")</script></body></html>
HTML
chromium_run "file://$work/control.html" "$work/control.dom" "$work/control.err" --dump-dom
if ! console_lines "$work/control.err" | grep -q pkgtrap-console-control; then
  bad "the console check does not see a console.error (chromium's log format changed?)"
  sed 's/^/  | /' "$work/control.err" | tail -20
fi

# 2. Every fixture's page.
for fx in "$FIXTURES"/*.json; do
  name=$(basename "$fx" .json)
  page="$work/$name.html"
  if ! "$REPORT_TOOL" "$fx" --html "$page"; then
    bad "$name: report_tool failed"
    continue
  fi
  chromium_run "file://$page" "$work/$name.dom" "$work/$name.err" --dump-dom
  if [ ! -s "$work/$name.dom" ]; then
    bad "$name: chromium dumped no DOM"
    sed 's/^/  | /' "$work/$name.err" | tail -20
    continue
  fi
  if console_lines "$work/$name.err" >"$work/$name.console"; then
    bad "$name: console messages:"
    sed 's/^/  | /' "$work/$name.console"
  fi
  dom="$work/$name.dom"
  # The parts, as they exist after parsing (not just in the source).
  for part in 'id="verdict"' 'id="findings"' 'id="honeytokens"' 'id="timeline"' \
              'id="processes"' 'id="network"' 'id="files"' '<nav>' '<footer>'; do
    grep -qF "$part" "$dom" || bad "$name: no $part in the page"
  done
  verdict=$(sed -n 's/.*"verdict": *"\([a-z]*\)".*/\1/p' "$fx" | head -1)
  grep -qF "class=\"verdict verdict-$verdict\"" "$dom" ||
    bad "$name: the banner is not verdict-$verdict"
  # No script element ever, no external reference.
  if grep -qi '<script' "$dom"; then bad "$name: a <script> element is in the DOM"; fi
  if grep -Eqi '(src|href)="(https?:)?//' "$dom"; then bad "$name: an external reference"; fi
  grep -qF "Content-Security-Policy" "$page" || bad "$name: no CSP"
done

# 3. The malicious fixture in detail.
dom="$work/malicious.dom"
if [ -s "$dom" ]; then
  for part in 'class="finding sev-critical"' 'class="evidence"' '<tr class="leak">' \
              'class="bar' 'class="mark mark-' 'class="tree"' 'id="network-table"' \
              'class="excerpt"' 'class="phase-events"' '<span class="timeout">'; do
    grep -qF "$part" "$dom" || bad "malicious: no $part"
  done
  [ "$(grep -o '<article class="finding' "$dom" | wc -l)" = 8 ] || bad "malicious: not 8 findings"
  [ "$(grep -o '<tr class="leak">' "$dom" | wc -l)" = 2 ] || bad "malicious: not 2 leaks"
  # The excerpt with markup is shown as text, in the network table.
  grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom" ||
    bad "malicious: the <script> excerpt is not shown escaped"
  grep -F 'class="excerpt"' "$dom" | grep -qF 'note' ||
    bad "malicious: the excerpt is not in the network table"
  # Terminal escapes and a bidi override made visible, never raw.
  grep -qF '\x1b[31mred' "$dom" || bad "malicious: ESC not shown as \\x1b"
  grep -qF '\u{202e}' "$dom" || bad "malicious: U+202E not shown as \\u{202e}"
  if LC_ALL=C grep -q $'\x1b' "$dom"; then bad "malicious: a raw ESC reached the page"; fi
  if grep -q $'\u202e' "$dom"; then bad "malicious: a raw U+202E reached the page"; fi
  # Token values are never in a report.
  if grep -qF 'AKIAQ7XK2M4ZP5R3W6YB' "$dom"; then bad "malicious: a token value is in the page"; fi
  # A screenshot renders (a blank or broken page is a few KiB).
  chromium_run "file://$work/malicious.html" /dev/null "$work/shot.err" \
    --window-size=1280,2000 --screenshot="$work/malicious.png"
  size=$(stat -c %s "$work/malicious.png" 2>/dev/null || echo 0)
  [ "$size" -gt 50000 ] || bad "malicious: screenshot missing or blank ($size bytes)"
  if [ -n "${REPORT_HTML_KEEP:-}" ]; then cp "$work/malicious.png" "$work/malicious.html" "$REPORT_HTML_KEEP/"; fi
fi

[ $fail = 0 ] && echo "PASS: report pages render in $("$CHROMIUM" --version 2>/dev/null | head -1)"
exit $fail
