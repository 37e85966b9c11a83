# Shared by the batch tests. Needs PKGTRAP_BATCH, TEST_TMP.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mkdir -p "$TEST_TMP" && mktemp -d "$TEST_TMP/batch.XXXXXX")
trap 'rc=$?; for p in ${BG_PIDS:-}; do kill "$p" 2>/dev/null || true; done; [ $rc = 0 ] && rm -rf "$T"; exit $rc' EXIT
B=$PKGTRAP_BATCH
BG_PIDS=""
export TMPDIR=$T/tmp; mkdir -p $TMPDIR
# A free port on 127.0.0.1 (the kernel picks; python asks it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
jq_py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
